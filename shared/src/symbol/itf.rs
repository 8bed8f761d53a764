//! ITF-14 (GS1 General Specifications 5.3): Interleaved 2 of 5 carrying a GTIN-14.
//!
//! Our own encoder, not `barcoders`: its ITF stop pattern has a 2X wide bar where the
//! specification has a wide bar (3X here), which makes ITF-14 134 modules instead of 135.
//!
//! Wide elements are 3X (ratio 3:1, the top of the 2.25..3 range GS1 allows, the easiest
//! to scan on corrugate). Layout: start (narrow bar, space, bar, space), seven digit pairs
//! of 18 modules each (the first digit of a pair in the bars, the second in the spaces),
//! stop (wide bar, narrow space, narrow bar): 4 + 126 + 5 = 135 modules.

use super::{parse_digits, push_runs, span, Bearer, Linear, Symbology, TextAnchor};
use crate::gs1::check_digit::mod10_of_values;

/// Why digits cannot be encoded as ITF-14.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ItfError {
    /// ITF-14 takes 13 digits (check digit computed) or 14 (verified).
    #[error("ITF-14 takes 13 or 14 digits, got {found}")]
    Length {
        /// Digits given.
        found: usize,
    },
    /// A character is not an ASCII digit.
    #[error("character {} at position {position} is not a digit", crate::unicode::CharName(*.found))]
    NotADigit {
        /// 1-based position in the input.
        position: usize,
        /// The character.
        found: char,
    },
    /// The check digit given is not the one the other digits call for.
    #[error("check digit is {found}, expected {expected}")]
    CheckDigit {
        /// The GS1 mod-10 check digit of the other digits.
        expected: u8,
        /// The check digit given.
        found: u8,
    },
}

/// Width of a wide element in modules.
const WIDE: u8 = 3;

/// Narrow (0) / wide (1) for the five elements of each digit, first element in bit 4.
const DIGITS: [u8; 10] = [
    0b00110, // 0 NNWWN
    0b10001, // 1 WNNNW
    0b01001, // 2 NWNNW
    0b11000, // 3 WWNNN
    0b00101, // 4 NNWNW
    0b10100, // 5 WNWNN
    0b01100, // 6 NWWNN
    0b00011, // 7 NNNWW
    0b10010, // 8 WNNWN
    0b01010, // 9 NWNWN
];

fn width(digit: u8, element: usize) -> u8 {
    if DIGITS[usize::from(digit)] >> (4 - element) & 1 == 1 {
        WIDE
    } else {
        1
    }
}

/// An ITF-14 symbol (135 modules) from 13 digits (check digit computed) or 14 (verified),
/// with the given bearer bars (GS1 recommends [`Bearer::Frame`] on corrugate).
pub fn itf14(digits: &str, bearer: Bearer) -> Result<Linear, ItfError> {
    let mut d = parse_digits(digits)
        .map_err(|(position, found)| ItfError::NotADigit { position, found })?;
    match d.len() {
        13 => d.push(mod10_of_values(&d)),
        14 => {
            let expected = mod10_of_values(&d[..13]);
            if d[13] != expected {
                return Err(ItfError::CheckDigit {
                    expected,
                    found: d[13],
                });
            }
        }
        found => return Err(ItfError::Length { found }),
    }
    let mut modules = Vec::with_capacity(135);
    push_runs(&mut modules, &[1, 1, 1, 1], true);
    for pair in d.chunks_exact(2) {
        for element in 0..5 {
            push_runs(
                &mut modules,
                &[width(pair[0], element), width(pair[1], element)],
                true,
            );
        }
    }
    push_runs(&mut modules, &[WIDE, 1, 1], true);
    let text: String = d.iter().map(|&d| char::from(b'0' + d)).collect();
    let centre = modules.len() as f32 / 2.0;
    Ok(Linear {
        symbology: Symbology::Itf14,
        modules,
        guards: Vec::new(),
        hri: vec![span(text, centre, TextAnchor::Middle)],
        min_quiet_zone: Symbology::Itf14.min_quiet_zone(),
        light_margin_indicators: Vec::new(),
        bearer,
    })
}
