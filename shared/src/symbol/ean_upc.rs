//! EAN-13, EAN-8, UPC-A and UPC-E (GS1 General Specifications 5.2).
//!
//! Our own tables rather than `barcoders`: the symbol characters are three 10-entry tables
//! (L, G, R), and `barcoders` 2 has no UPC-E, builds UPC-A as an EAN-13 and places no text,
//! guards or quiet zones, so it would save no code here.
//!
//! Every function takes the digits with or without the check digit: without, it is
//! computed; with, it is verified and a wrong one is an error naming the expected digit.
//!
//! Human-readable text follows the GS1 General Specifications figures (5.2.5):
//!
//! | symbol | text                                                                   |
//! |--------|------------------------------------------------------------------------|
//! | EAN-13 | first digit in the left quiet zone, 6 + 6 digits centred under each half |
//! | EAN-8  | 4 + 4 digits centred under each half                                     |
//! | UPC-A  | number system digit small, left; 5 + 5 under the halves; check digit small, right; the bars of the first and last symbol characters extend down like the guards |
//! | UPC-E  | number system digit small, left; 6 digits centred; check digit small, right |
//!
//! The digits outside the bars (EAN-13's first digit, UPC-A's and UPC-E's small ones) end
//! 5X left of the start guard; UPC-A's check digit starts 5X right of the end guard and
//! UPC-E's 3X, the distances GenSpecs 5.2.5 gives as Zint reads it (backend/vector.c cites
//! GenSpecs v24.0 5.2.5 for the 5X and 3X; Zint itself draws 4X and 2X to leave room for
//! add-ons, which we do not encode).
//!
//! Light margin indicators: `>` in EAN-13's right quiet zone, `<` and `>` in EAN-8's,
//! none for UPC-A or UPC-E (Zint likewise draws them for UPC only beside an add-on). The
//! tip of each indicator sits on the outer edge of the minimum quiet zone.

use std::ops::Range;

use super::{parse_digits, span, Bearer, Linear, Symbology, TextAnchor, TextSpan};
use crate::gs1::check_digit::mod10_of_values;
use crate::gs1::gtin::upce_to_gtin12;

/// Why digits cannot be encoded as an EAN/UPC symbol.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EanUpcError {
    /// The input has the wrong number of digits for the symbology.
    #[error("{symbology} takes {expected} digits, got {found}")]
    Length {
        /// `"EAN-13"`, `"EAN-8"`, `"UPC-A"` or `"UPC-E"`.
        symbology: &'static str,
        /// The accepted lengths, e.g. `"12 or 13"`.
        expected: &'static str,
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
    /// UPC-E only carries GTIN-12s with U.P.C. prefix 0 (number system 0).
    #[error("UPC-E number system must be 0 (GS1 zero-suppression applies to U.P.C. prefix 0 only), got {found}")]
    UpcENumberSystem {
        /// The number system digit given.
        found: u8,
    },
    /// This UPC-A has no zero-suppressed (UPC-E) form; `reason` says which rule fails.
    #[error("UPC-A {upca} cannot be zero-suppressed to UPC-E: {reason}")]
    NotSuppressible {
        /// The 12-digit UPC-A.
        upca: String,
        /// The zero-suppression rule it fails.
        reason: &'static str,
    },
    /// These six UPC-E digits expand to a UPC-A whose GS1 zero-suppressed form is another
    /// UPC-E: GS1 allows only that one.
    #[error(
        "UPC-E digits {given} are not the GS1 zero-suppressed form of {upca}; use {canonical}"
    )]
    UpcENotCanonical {
        /// The six UPC-E digits given.
        given: String,
        /// The UPC-A they expand to.
        upca: String,
        /// The UPC-E digits GS1 zero-suppression gives for that UPC-A.
        canonical: String,
    },
}

/// Left-hand odd-parity (set A) patterns, 7 modules, most significant bit first.
const L: [u8; 10] = [
    0b0001101, // 0
    0b0011001, // 1
    0b0010011, // 2
    0b0111101, // 3
    0b0100011, // 4
    0b0110001, // 5
    0b0101111, // 6
    0b0111011, // 7
    0b0110111, // 8
    0b0001011, // 9
];

/// EAN-13 parity of the left half by leading digit; bit 5 is the first character,
/// a set bit means set B (even parity, "G").
const EAN13_PARITY: [u8; 10] = [
    0b000000, // 0 LLLLLL (UPC-A)
    0b001011, // 1 LLGLGG
    0b001101, // 2 LLGGLG
    0b001110, // 3 LLGGGL
    0b010011, // 4 LGLLGG
    0b011001, // 5 LGGLLG
    0b011100, // 6 LGGGLL
    0b010101, // 7 LGLGLG
    0b010110, // 8 LGLGGL
    0b011010, // 9 LGGLGL
];

/// UPC-E parity (number system 0) by check digit; a set bit means set B (even parity).
const UPCE_PARITY: [u8; 10] = [
    0b111000, // 0 EEEOOO
    0b110100, // 1 EEOEOO
    0b110010, // 2 EEOOEO
    0b110001, // 3 EEOOOE
    0b101100, // 4 EOEEOO
    0b100110, // 5 EOOEEO
    0b100011, // 6 EOOOEE
    0b101010, // 7 EOEOEO
    0b101001, // 8 EOEOOE
    0b100101, // 9 EOOEOE
];

#[derive(Clone, Copy)]
enum Set {
    /// Odd parity, left half ("L").
    A,
    /// Even parity, left half ("G").
    B,
    /// Right half ("R").
    C,
}

fn pattern(digit: u8, set: Set) -> u8 {
    let a = L[usize::from(digit)];
    match set {
        Set::A => a,
        Set::C => !a & 0x7f,
        Set::B => (!a & 0x7f).reverse_bits() >> 1,
    }
}

/// Modules under construction, with the guard ranges.
struct Bars {
    modules: Vec<bool>,
    guards: Vec<Range<usize>>,
}

impl Bars {
    fn new() -> Self {
        Bars {
            modules: Vec::with_capacity(95),
            guards: Vec::new(),
        }
    }

    fn push_bits(&mut self, bits: &str) {
        self.modules.extend(bits.bytes().map(|b| b == b'1'));
    }

    fn guard(&mut self, bits: &str) {
        let start = self.modules.len();
        self.push_bits(bits);
        self.guards.push(start..self.modules.len());
    }

    fn digit(&mut self, digit: u8, set: Set) {
        let p = pattern(digit, set);
        self.modules
            .extend((0..7).rev().map(|bit| p >> bit & 1 == 1));
    }

    fn finish(
        self,
        symbology: Symbology,
        hri: Vec<TextSpan>,
        light_margin_indicators: Vec<TextSpan>,
    ) -> Linear {
        Linear {
            symbology,
            modules: self.modules,
            guards: self.guards,
            hri,
            min_quiet_zone: symbology.min_quiet_zone(),
            light_margin_indicators,
            bearer: Bearer::None,
        }
    }
}

const START: &str = "101";
/// Gap in modules between the start guard and the right edge of a digit left of the bars.
const OUTSIDE_LEFT: f32 = 5.0;
const CENTRE: &str = "01010";
const UPCE_END: &str = "010101";

fn digits_str(d: &[u8]) -> String {
    d.iter().map(|&d| char::from(b'0' + d)).collect()
}

fn small(text: String, x: f32, anchor: TextAnchor) -> TextSpan {
    TextSpan {
        small: true,
        ..span(text, x, anchor)
    }
}

/// Parses `text` as `body_len` digits (check digit computed) or `body_len + 1` digits
/// (check digit verified); returns all digits including the check digit.
fn with_check_digit(
    text: &str,
    symbology: &'static str,
    body_len: usize,
    expected: &'static str,
) -> Result<Vec<u8>, EanUpcError> {
    let mut digits = parse_digits(text)
        .map_err(|(position, found)| EanUpcError::NotADigit { position, found })?;
    if digits.len() == body_len {
        digits.push(mod10_of_values(&digits));
        Ok(digits)
    } else if digits.len() == body_len + 1 {
        verify(&digits)?;
        Ok(digits)
    } else {
        Err(EanUpcError::Length {
            symbology,
            expected,
            found: digits.len(),
        })
    }
}

fn verify(digits: &[u8]) -> Result<(), EanUpcError> {
    let (body, found) = digits.split_at(digits.len() - 1);
    let expected = mod10_of_values(body);
    if found[0] == expected {
        Ok(())
    } else {
        Err(EanUpcError::CheckDigit {
            expected,
            found: found[0],
        })
    }
}

/// An EAN-13 symbol (95 modules) from 12 digits (check digit computed) or 13 (verified).
pub fn ean13(digits: &str) -> Result<Linear, EanUpcError> {
    let d = with_check_digit(digits, "EAN-13", 12, "12 or 13")?;
    let mut bars = Bars::new();
    bars.guard(START);
    let parity = EAN13_PARITY[usize::from(d[0])];
    for (i, &digit) in d[1..7].iter().enumerate() {
        let set = if parity >> (5 - i) & 1 == 1 {
            Set::B
        } else {
            Set::A
        };
        bars.digit(digit, set);
    }
    bars.guard(CENTRE);
    for &digit in &d[7..13] {
        bars.digit(digit, Set::C);
    }
    bars.guard(START);
    let text = vec![
        // The leading digit sits in the left quiet zone.
        span(digits_str(&d[0..1]), -OUTSIDE_LEFT, TextAnchor::End),
        span(digits_str(&d[1..7]), 24.0, TextAnchor::Middle), // 3..45
        span(digits_str(&d[7..13]), 71.0, TextAnchor::Middle), // 50..92
    ];
    let marks = vec![span(">", 95.0 + 7.0, TextAnchor::End)];
    Ok(bars.finish(Symbology::Ean13, text, marks))
}

/// An EAN-8 symbol (67 modules) from 7 digits (check digit computed) or 8 (verified).
pub fn ean8(digits: &str) -> Result<Linear, EanUpcError> {
    let d = with_check_digit(digits, "EAN-8", 7, "7 or 8")?;
    let mut bars = Bars::new();
    bars.guard(START);
    for &digit in &d[0..4] {
        bars.digit(digit, Set::A);
    }
    bars.guard(CENTRE);
    for &digit in &d[4..8] {
        bars.digit(digit, Set::C);
    }
    bars.guard(START);
    let text = vec![
        span(digits_str(&d[0..4]), 17.0, TextAnchor::Middle), // 3..31
        span(digits_str(&d[4..8]), 50.0, TextAnchor::Middle), // 36..64
    ];
    let marks = vec![
        span("<", -7.0, TextAnchor::Start),
        span(">", 67.0 + 7.0, TextAnchor::End),
    ];
    Ok(bars.finish(Symbology::Ean8, text, marks))
}

/// A UPC-A symbol (95 modules) from 11 digits (check digit computed) or 12 (verified).
pub fn upca(digits: &str) -> Result<Linear, EanUpcError> {
    let d = with_check_digit(digits, "UPC-A", 11, "11 or 12")?;
    let mut bars = Bars::new();
    bars.push_bits(START);
    for &digit in &d[0..6] {
        bars.digit(digit, Set::A);
    }
    bars.guard(CENTRE);
    for &digit in &d[6..12] {
        bars.digit(digit, Set::C);
    }
    bars.push_bits(START);
    // Start guard + first symbol character, and last symbol character + end guard, are
    // drawn as long as the guards.
    bars.guards = vec![0..10, 45..50, 85..95];
    let text = vec![
        small(digits_str(&d[0..1]), -OUTSIDE_LEFT, TextAnchor::End),
        span(digits_str(&d[1..6]), 27.5, TextAnchor::Middle), // 10..45
        span(digits_str(&d[6..11]), 67.5, TextAnchor::Middle), // 50..85
        small(digits_str(&d[11..12]), 95.0 + 5.0, TextAnchor::Start),
    ];
    Ok(bars.finish(Symbology::UpcA, text, Vec::new()))
}

/// A UPC-E symbol (51 modules).
///
/// Accepts the UPC-E digits, 6 (number system 0, check digit computed), 7 (number
/// system + 6, check digit computed) or 8 (verified), or the UPC-A to zero-suppress,
/// 11 or 12 digits.
pub fn upce(digits: &str) -> Result<Linear, EanUpcError> {
    let e = upce_digits(digits)?;
    let mut bars = Bars::new();
    bars.guard(START);
    let parity = UPCE_PARITY[usize::from(e[7])];
    for (i, &digit) in e[1..7].iter().enumerate() {
        let set = if parity >> (5 - i) & 1 == 1 {
            Set::B
        } else {
            Set::A
        };
        bars.digit(digit, set);
    }
    bars.guard(UPCE_END);
    let text = vec![
        small(digits_str(&e[0..1]), -OUTSIDE_LEFT, TextAnchor::End),
        span(digits_str(&e[1..7]), 24.0, TextAnchor::Middle), // 3..45
        small(digits_str(&e[7..8]), 51.0 + 3.0, TextAnchor::Start),
    ];
    Ok(bars.finish(Symbology::UpcE, text, Vec::new()))
}

/// The 8 UPC-E digits (number system, 6 digits, check digit) for any input `upce` takes.
fn upce_digits(text: &str) -> Result<Vec<u8>, EanUpcError> {
    let d = parse_digits(text)
        .map_err(|(position, found)| EanUpcError::NotADigit { position, found })?;
    match d.len() {
        6..=8 => {
            let mut e = d.clone();
            if e.len() == 6 {
                e.insert(0, 0);
            }
            if e[0] != 0 {
                return Err(EanUpcError::UpcENumberSystem { found: e[0] });
            }
            let a = expand(&e[..7]);
            let canonical = suppress(&a).map(|c| c[..7].to_vec());
            if canonical.as_deref() != Ok(&e[..7]) {
                return Err(EanUpcError::UpcENotCanonical {
                    given: digits_str(&e[1..7]),
                    upca: digits_str(&a),
                    canonical: canonical.map(|c| digits_str(&c[1..7])).unwrap_or_default(),
                });
            }
            if e.len() == 8 && e[7] != a[11] {
                return Err(EanUpcError::CheckDigit {
                    expected: a[11],
                    found: e[7],
                });
            }
            e.truncate(7);
            e.push(a[11]);
            Ok(e)
        }
        11 | 12 => {
            let a = with_check_digit(text, "UPC-A", 11, "11 or 12")?;
            suppress(&a).map_err(|reason| EanUpcError::NotSuppressible {
                upca: digits_str(&a),
                reason,
            })
        }
        found => Err(EanUpcError::Length {
            symbology: "UPC-E",
            expected: "6, 7 or 8 (UPC-E), or 11 or 12 (UPC-A to zero-suppress)",
            found,
        }),
    }
}

/// UPC-A (12 digits) from the first 7 UPC-E digits (number system + 6), check computed:
/// GS1 zero suppression read backwards, which lives in [`gs1::gtin`](crate::gs1::gtin) as
/// scanners apply it too.
fn expand(e: &[u8]) -> Vec<u8> {
    let ns_and_six: [u8; 7] = e.try_into().expect("7 UPC-E digits");
    upce_to_gtin12(ns_and_six).to_vec()
}

/// UPC-E (8 digits) from a verified UPC-A (12 digits), by the GS1 zero-suppression rules.
fn suppress(a: &[u8]) -> Result<Vec<u8>, &'static str> {
    if a[0] != 0 {
        return Err("only number system 0 (U.P.C. prefix 0) can be zero-suppressed");
    }
    let zeros = |r: Range<usize>| a[r].iter().all(|&x| x == 0);
    let six = if a[3] <= 2 && zeros(4..8) {
        // Manufacturer ends in 000, 100 or 200; item 000..999.
        [a[1], a[2], a[8], a[9], a[10], a[3]]
    } else if zeros(4..9) {
        // Manufacturer ends in 300..900 followed by 00; item 00..99.
        [a[1], a[2], a[3], a[9], a[10], 3]
    } else if zeros(5..10) {
        // Manufacturer ends in 0; item 0..9.
        [a[1], a[2], a[3], a[4], a[10], 4]
    } else if zeros(6..10) && a[10] >= 5 {
        // Any other manufacturer; item 5..9.
        [a[1], a[2], a[3], a[4], a[5], a[10]]
    } else {
        return Err(
            "GS1 zero suppression needs the digits after the number system to be \
                    XX[0-2]0000XXX, XXX00000XX, XXXX00000X or XXXXX0000[5-9]",
        );
    };
    let mut e = vec![0];
    e.extend(six);
    e.push(a[11]);
    Ok(e)
}

/// The 8-digit UPC-E form of a UPC-A (11 digits, check computed, or 12, verified).
pub fn upca_to_upce(upca: &str) -> Result<String, EanUpcError> {
    let a = with_check_digit(upca, "UPC-A", 11, "11 or 12")?;
    suppress(&a)
        .map(|e| digits_str(&e))
        .map_err(|reason| EanUpcError::NotSuppressible {
            upca: digits_str(&a),
            reason,
        })
}

/// The 12-digit UPC-A that a UPC-E (6, 7 or 8 digits, as [`upce`] takes them) stands for.
pub fn upce_to_upca(upce: &str) -> Result<String, EanUpcError> {
    let d = parse_digits(upce)
        .map_err(|(position, found)| EanUpcError::NotADigit { position, found })?;
    if !(6..=8).contains(&d.len()) {
        return Err(EanUpcError::Length {
            symbology: "UPC-E",
            expected: "6, 7 or 8",
            found: d.len(),
        });
    }
    let e = upce_digits(upce)?;
    Ok(digits_str(&expand(&e[..7])))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bits(m: &[bool]) -> String {
        m.iter().map(|&b| if b { '1' } else { '0' }).collect()
    }

    #[test]
    fn the_three_character_sets_agree_with_the_gs1_table() {
        // (digit, set A, set B, set C) from GS1 General Specifications table 5.2.1.2.2-1
        let rows: &[(u8, &str, &str, &str)] = &[
            (0, "0001101", "0100111", "1110010"), // 0
            (1, "0011001", "0110011", "1100110"), // 1
            (2, "0010011", "0011011", "1101100"), // 2
            (3, "0111101", "0100001", "1000010"), // 3
            (4, "0100011", "0011101", "1011100"), // 4
            (5, "0110001", "0111001", "1001110"), // 5
            (6, "0101111", "0000101", "1010000"), // 6
            (7, "0111011", "0010001", "1000100"), // 7
            (8, "0110111", "0001001", "1001000"), // 8
            (9, "0001011", "0010111", "1110100"), // 9
        ];
        for &(digit, a, b, c) in rows {
            for (set, want) in [(Set::A, a), (Set::B, b), (Set::C, c)] {
                assert_eq!(
                    format!("{:07b}", pattern(digit, set)),
                    want,
                    "digit {digit}"
                );
            }
        }
    }

    #[test]
    fn expand_and_suppress_are_inverse_on_canonical_forms() {
        // (UPC-E 8 digits, UPC-A 12 digits): one row per zero-suppression rule
        let rows: &[(&str, &str)] = &[
            ("01234565", "012345000065"), // 0: last digit 5..9, item 5..9
            ("01234543", "012340000053"), // 1: last digit 4, manufacturer ends in 0
            ("01234531", "012300000451"), // 2: last digit 3, manufacturer ends in 300..900
            ("01245608", "012000004568"), // 3: last digit 0, manufacturer ends in 000
            ("01245617", "012100004567"), // 4: last digit 1, manufacturer ends in 100
            ("01245626", "012200004566"), // 5: last digit 2, manufacturer ends in 200
            ("01234514", "012100003454"), // 6: last digit 1, item 345
        ];
        for (i, (e, a)) in rows.iter().enumerate() {
            let got_a = upce_to_upca(e).unwrap();
            assert_eq!(&got_a, a, "row {i}");
            assert_eq!(&upca_to_upce(a).unwrap(), e, "row {i}");
        }
    }

    #[test]
    fn upce_bits_of_01234565() {
        let s = upce("01234565").unwrap();
        // Check digit 5 -> parity EOOEEO: 1 in B, 2 A, 3 A, 4 B, 5 B, 6 A.
        let want = [
            "101", "0110011", "0010011", "0111101", "0011101", "0111001", "0101111", "010101",
        ]
        .concat();
        assert_eq!(bits(&s.modules), want);
    }
}
