//! Code 128 (ISO/IEC 15417) and GS1-128 (GS1 General Specifications 5.4), with the
//! shortest possible symbol.
//!
//! Our own encoder, not `barcoders`: that crate needs hand-placed code-set switches and
//! mishandles FNC1 (DEPENDENCIES.md), and the code-set choice is where Code 128 length is
//! won or lost.
//!
//! # Optimal code sets
//! [`codewords`] finds a minimum-length codeword sequence by dynamic programming over
//! (position in the input, current code set A/B/C). From each state the encoder may
//! - encode the next item in the current set: 1 codeword (A: ASCII 0..95, B: 32..127,
//!   FNC1 in any set, C: a pair of digits);
//! - encode one character of the other of A/B with Shift: 2 codewords, set unchanged;
//! - encode a Latin-1 character 128..255 with FNC4 + the character less 128: 2 codewords;
//! - switch to another set (Code A/B/C): 1 codeword, nothing consumed.
//!
//! A start character (1 codeword) enters any set at position 0. Ties on length go to the
//! encoding with fewer set switches, then to the set listed first in B, C, A. For 7-bit
//! input this search covers every valid Code 128 encoding, so the result is minimal;
//! for Latin-1 it is minimal among encodings that use one FNC4 per character (the
//! FNC4-latch form, FNC4 FNC4, is never chosen).

use super::{push_runs, span, Bearer, Linear, Symbology, TextAnchor};
use crate::gs1::ElementString;

/// One item of Code 128 input: a data byte (Latin-1) or the FNC1 function character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code128Item {
    /// A data byte: ASCII, or Latin-1 128..=255 (encoded with FNC4).
    Byte(u8),
    /// Function 1: in first position it marks GS1-128, later a GS1 field separator
    /// (ISO/IEC 15417 4.3.4; GS1 General Specifications 5.4.3).
    Fnc1,
}

/// Why input cannot be encoded as Code 128 or GS1-128.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Code128Error {
    /// No input at all.
    #[error("Code 128 needs at least one character")]
    Empty,
    /// A character outside Latin-1 (U+0000..U+00FF).
    #[error("character {found:?} (U+{:04X}) at position {position} is outside Latin-1 (U+0000..U+00FF), which is all Code 128 can carry", u32::from(*.found))]
    NotLatin1 {
        /// 1-based position in the input.
        position: usize,
        /// The character.
        found: char,
    },
    /// More input than we encode in one symbol.
    #[error("Code 128 input is {found} characters, more than the {max} we encode in one symbol")]
    TooLong {
        /// Input items given.
        found: usize,
        /// [`MAX_ITEMS`].
        max: usize,
    },
    /// GS1-128 needs at least one element string.
    #[error("GS1-128 needs at least one element string")]
    Gs1Empty,
    /// An Application Identifier that is not 2 to 4 digits.
    #[error("element string {index}: AI {ai:?} must be 2 to 4 digits")]
    Gs1Ai {
        /// 1-based index of the element string.
        index: usize,
        /// The AI as given.
        ai: String,
    },
    /// A character that a GS1 element string value cannot hold (printable ASCII only).
    #[error("element string {index} (AI {ai}): character {found:?} at position {position} of the value is not printable ASCII")]
    Gs1Value {
        /// 1-based index of the element string.
        index: usize,
        /// The element string's AI.
        ai: String,
        /// 1-based position in the value.
        position: usize,
        /// The character.
        found: char,
    },
    /// GS1 limits GS1-128 to 48 data characters (AIs, values and FNC1 separators;
    /// GS1 General Specifications 5.4.1).
    #[error("GS1-128 holds at most 48 data characters, these element strings need {found}")]
    Gs1TooLong {
        /// Data characters these element strings need.
        found: usize,
    },
}

/// Most input items [`code128`] and [`code128_items`] take; longer symbols are unscannable
/// in practice.
pub const MAX_ITEMS: usize = 256;

/// GS1's limit on GS1-128 data characters.
pub const GS1_MAX_DATA: usize = 48;

/// Bar/space widths of symbol values 0..=105 (106 is the stop, [`STOP`]).
const PATTERNS: [[u8; 6]; 106] = [
    [2, 1, 2, 2, 2, 2], // 0
    [2, 2, 2, 1, 2, 2], // 1
    [2, 2, 2, 2, 2, 1], // 2
    [1, 2, 1, 2, 2, 3], // 3
    [1, 2, 1, 3, 2, 2], // 4
    [1, 3, 1, 2, 2, 2], // 5
    [1, 2, 2, 2, 1, 3], // 6
    [1, 2, 2, 3, 1, 2], // 7
    [1, 3, 2, 2, 1, 2], // 8
    [2, 2, 1, 2, 1, 3], // 9
    [2, 2, 1, 3, 1, 2], // 10
    [2, 3, 1, 2, 1, 2], // 11
    [1, 1, 2, 2, 3, 2], // 12
    [1, 2, 2, 1, 3, 2], // 13
    [1, 2, 2, 2, 3, 1], // 14
    [1, 1, 3, 2, 2, 2], // 15
    [1, 2, 3, 1, 2, 2], // 16
    [1, 2, 3, 2, 2, 1], // 17
    [2, 2, 3, 2, 1, 1], // 18
    [2, 2, 1, 1, 3, 2], // 19
    [2, 2, 1, 2, 3, 1], // 20
    [2, 1, 3, 2, 1, 2], // 21
    [2, 2, 3, 1, 1, 2], // 22
    [3, 1, 2, 1, 3, 1], // 23
    [3, 1, 1, 2, 2, 2], // 24
    [3, 2, 1, 1, 2, 2], // 25
    [3, 2, 1, 2, 2, 1], // 26
    [3, 1, 2, 2, 1, 2], // 27
    [3, 2, 2, 1, 1, 2], // 28
    [3, 2, 2, 2, 1, 1], // 29
    [2, 1, 2, 1, 2, 3], // 30
    [2, 1, 2, 3, 2, 1], // 31
    [2, 3, 2, 1, 2, 1], // 32
    [1, 1, 1, 3, 2, 3], // 33
    [1, 3, 1, 1, 2, 3], // 34
    [1, 3, 1, 3, 2, 1], // 35
    [1, 1, 2, 3, 1, 3], // 36
    [1, 3, 2, 1, 1, 3], // 37
    [1, 3, 2, 3, 1, 1], // 38
    [2, 1, 1, 3, 1, 3], // 39
    [2, 3, 1, 1, 1, 3], // 40
    [2, 3, 1, 3, 1, 1], // 41
    [1, 1, 2, 1, 3, 3], // 42
    [1, 1, 2, 3, 3, 1], // 43
    [1, 3, 2, 1, 3, 1], // 44
    [1, 1, 3, 1, 2, 3], // 45
    [1, 1, 3, 3, 2, 1], // 46
    [1, 3, 3, 1, 2, 1], // 47
    [3, 1, 3, 1, 2, 1], // 48
    [2, 1, 1, 3, 3, 1], // 49
    [2, 3, 1, 1, 3, 1], // 50
    [2, 1, 3, 1, 1, 3], // 51
    [2, 1, 3, 3, 1, 1], // 52
    [2, 1, 3, 1, 3, 1], // 53
    [3, 1, 1, 1, 2, 3], // 54
    [3, 1, 1, 3, 2, 1], // 55
    [3, 3, 1, 1, 2, 1], // 56
    [3, 1, 2, 1, 1, 3], // 57
    [3, 1, 2, 3, 1, 1], // 58
    [3, 3, 2, 1, 1, 1], // 59
    [3, 1, 4, 1, 1, 1], // 60
    [2, 2, 1, 4, 1, 1], // 61
    [4, 3, 1, 1, 1, 1], // 62
    [1, 1, 1, 2, 2, 4], // 63
    [1, 1, 1, 4, 2, 2], // 64
    [1, 2, 1, 1, 2, 4], // 65
    [1, 2, 1, 4, 2, 1], // 66
    [1, 4, 1, 1, 2, 2], // 67
    [1, 4, 1, 2, 2, 1], // 68
    [1, 1, 2, 2, 1, 4], // 69
    [1, 1, 2, 4, 1, 2], // 70
    [1, 2, 2, 1, 1, 4], // 71
    [1, 2, 2, 4, 1, 1], // 72
    [1, 4, 2, 1, 1, 2], // 73
    [1, 4, 2, 2, 1, 1], // 74
    [2, 4, 1, 2, 1, 1], // 75
    [2, 2, 1, 1, 1, 4], // 76
    [4, 1, 3, 1, 1, 1], // 77
    [2, 4, 1, 1, 1, 2], // 78
    [1, 3, 4, 1, 1, 1], // 79
    [1, 1, 1, 2, 4, 2], // 80
    [1, 2, 1, 1, 4, 2], // 81
    [1, 2, 1, 2, 4, 1], // 82
    [1, 1, 4, 2, 1, 2], // 83
    [1, 2, 4, 1, 1, 2], // 84
    [1, 2, 4, 2, 1, 1], // 85
    [4, 1, 1, 2, 1, 2], // 86
    [4, 2, 1, 1, 1, 2], // 87
    [4, 2, 1, 2, 1, 1], // 88
    [2, 1, 2, 1, 4, 1], // 89
    [2, 1, 4, 1, 2, 1], // 90
    [4, 1, 2, 1, 2, 1], // 91
    [1, 1, 1, 1, 4, 3], // 92
    [1, 1, 1, 3, 4, 1], // 93
    [1, 3, 1, 1, 4, 1], // 94
    [1, 1, 4, 1, 1, 3], // 95
    [1, 1, 4, 3, 1, 1], // 96
    [4, 1, 1, 1, 1, 3], // 97
    [4, 1, 1, 3, 1, 1], // 98
    [1, 1, 3, 1, 4, 1], // 99
    [1, 1, 4, 1, 3, 1], // 100
    [3, 1, 1, 1, 4, 1], // 101
    [4, 1, 1, 1, 3, 1], // 102
    [2, 1, 1, 4, 1, 2], // 103 Start A
    [2, 1, 1, 2, 1, 4], // 104 Start B
    [2, 1, 1, 2, 3, 2], // 105 Start C
];

/// The stop pattern with its final bar: 13 modules.
const STOP: [u8; 7] = [2, 3, 3, 1, 1, 1, 2];

const SHIFT: u8 = 98;
const FNC1: u8 = 102;

/// A code set; the index into per-set arrays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Set {
    A = 0,
    B = 1,
    C = 2,
}

/// Tie-break order: B first (text), then C, then A.
const SETS: [Set; 3] = [Set::B, Set::C, Set::A];

impl Set {
    fn start(self) -> u8 {
        103 + self as u8
    }

    /// The codeword that switches to `self` from another set.
    fn switch_to(self) -> u8 {
        match self {
            Set::A => 101,
            Set::B => 100,
            Set::C => 99,
        }
    }

    fn fnc4(self) -> Option<u8> {
        match self {
            Set::A => Some(101),
            Set::B => Some(100),
            Set::C => None,
        }
    }

    /// The value of 7-bit `b` in this set (A or B), if it has one.
    fn value(self, b: u8) -> Option<u8> {
        match (self, b) {
            (Set::A, 0..=31) => Some(b + 64),
            (Set::A, 32..=95) | (Set::B, 32..=127) => Some(b - 32),
            _ => None,
        }
    }

    fn other(self) -> Set {
        match self {
            Set::A => Set::B,
            _ => Set::A,
        }
    }
}

/// Cost of a path: (codewords, set switches), compared in that order.
type Cost = (u32, u32);
const INF: Cost = (u32::MAX, u32::MAX);

/// How a state was reached by consuming input.
#[derive(Clone, Copy)]
struct Arrive {
    cost: Cost,
    /// Position and set before; the set is the one after any switch at that position.
    from: Option<(usize, Set)>,
    /// Codewords emitted for the consumed item(s), 1 or 2.
    emitted: [u8; 2],
    len: u8,
}

/// The shortest codeword sequence for `items`: start character, data (with code set
/// switches, shifts and FNC4s) and the check character; the stop pattern is not included.
pub fn codewords(items: &[Code128Item]) -> Result<Vec<u8>, Code128Error> {
    if items.is_empty() {
        return Err(Code128Error::Empty);
    }
    if items.len() > MAX_ITEMS {
        return Err(Code128Error::TooLong {
            found: items.len(),
            max: MAX_ITEMS,
        });
    }
    let n = items.len();
    let none = Arrive {
        cost: INF,
        from: None,
        emitted: [0; 2],
        len: 0,
    };
    // arrive[i][s]: best way to have encoded items[..i] ending in set s, before switching.
    let mut arrive = vec![[none; 3]; n + 1];
    // settled[i][t] = (cost, set we switched from, or t itself)
    let mut settled = vec![[(INF, Set::A); 3]; n + 1];
    for s in SETS {
        arrive[0][s as usize].cost = (1, 0);
    }
    let digit = |i: usize| matches!(items.get(i), Some(Code128Item::Byte(b'0'..=b'9')));
    for i in 0..=n {
        for t in SETS {
            let mut best = (arrive[i][t as usize].cost, t);
            for s in SETS {
                let c = arrive[i][s as usize].cost;
                if s != t && c != INF && (c.0 + 1, c.1 + 1) < best.0 {
                    best = ((c.0 + 1, c.1 + 1), s);
                }
            }
            settled[i][t as usize] = best;
        }
        if i == n {
            break;
        }
        for s in SETS {
            let (cost, _) = settled[i][s as usize];
            if cost == INF {
                continue;
            }
            let mut relax = |j: usize, emitted: &[u8]| {
                let c = (cost.0 + emitted.len() as u32, cost.1);
                let slot = &mut arrive[j][s as usize];
                if c < slot.cost {
                    let mut e = [0; 2];
                    e[..emitted.len()].copy_from_slice(emitted);
                    *slot = Arrive {
                        cost: c,
                        from: Some((i, s)),
                        emitted: e,
                        len: emitted.len() as u8,
                    };
                }
            };
            match (s, items[i]) {
                (_, Code128Item::Fnc1) => relax(i + 1, &[FNC1]),
                (Set::C, Code128Item::Byte(a)) => {
                    if digit(i) && digit(i + 1) {
                        if let Some(Code128Item::Byte(b)) = items.get(i + 1) {
                            relax(i + 2, &[(a - b'0') * 10 + (b - b'0')]);
                        }
                    }
                }
                (_, Code128Item::Byte(b)) if b < 128 => {
                    if let Some(v) = s.value(b) {
                        relax(i + 1, &[v]);
                    } else if let Some(v) = s.other().value(b) {
                        relax(i + 1, &[SHIFT, v]);
                    }
                }
                (_, Code128Item::Byte(b)) => {
                    if let (Some(f), Some(v)) = (s.fnc4(), s.value(b - 128)) {
                        relax(i + 1, &[f, v]);
                    }
                }
            }
        }
    }
    // Walk back from the cheapest end state.
    let mut end = Set::B;
    for s in SETS {
        if arrive[n][s as usize].cost < arrive[n][end as usize].cost {
            end = s;
        }
    }
    let mut rev: Vec<u8> = Vec::new();
    let (mut i, mut s) = (n, end);
    loop {
        let a = arrive[i][s as usize];
        let Some((pi, ps)) = a.from else {
            rev.push(s.start());
            break;
        };
        rev.extend(a.emitted[..usize::from(a.len)].iter().rev());
        let (_, from) = settled[pi][ps as usize];
        if from != ps {
            rev.push(ps.switch_to());
        }
        (i, s) = (pi, from);
    }
    rev.reverse();
    let check = rev
        .iter()
        .enumerate()
        .map(|(k, &v)| k.max(1) as u32 * u32::from(v))
        .sum::<u32>()
        % 103;
    rev.push(check as u8);
    Ok(rev)
}

/// Modules for a codeword sequence from [`codewords`], with the stop pattern.
fn modules_of(codewords: &[u8]) -> Vec<bool> {
    let mut modules = Vec::with_capacity(codewords.len() * 11 + 13);
    for &cw in codewords {
        push_runs(&mut modules, &PATTERNS[usize::from(cw)], true);
    }
    push_runs(&mut modules, &STOP, true);
    modules
}

fn linear(symbology: Symbology, codewords: &[u8], hri: String) -> Linear {
    let modules = modules_of(codewords);
    let centre = modules.len() as f32 / 2.0;
    Linear {
        symbology,
        modules,
        guards: Vec::new(),
        hri: vec![span(hri, centre, TextAnchor::Middle)],
        min_quiet_zone: symbology.min_quiet_zone(),
        light_margin_indicators: Vec::new(),
        bearer: Bearer::None,
    }
}

/// A Code 128 symbol for `text`, character for character (Latin-1; characters
/// 128..255 use FNC4; control characters 0..31 and 127 are data too). The HRI is the
/// text exactly as given: how a character OCR-B cannot draw is printed (`<CR>` for a
/// carriage return) is the renderer's choice ([`crate::render::font::printed_text`]).
///
/// # Errors
/// [`Code128Error`]: empty, a character above U+00FF (its position is 1-based, in
/// characters), or more than [`MAX_ITEMS`] characters.
pub fn code128(text: &str) -> Result<Linear, Code128Error> {
    let items = text
        .chars()
        .enumerate()
        .map(|(i, c)| {
            u8::try_from(c)
                .map(Code128Item::Byte)
                .map_err(|_| Code128Error::NotLatin1 {
                    position: i + 1,
                    found: c,
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    code128_items(&items, text.to_string())
}

/// A Code 128 symbol for arbitrary items (bytes and FNC1s), with the given HRI text.
pub fn code128_items(items: &[Code128Item], hri: String) -> Result<Linear, Code128Error> {
    Ok(linear(Symbology::Code128, &codewords(items)?, hri))
}

/// The Code 128 items of a GS1-128 symbol: FNC1 in first position, then each element
/// string (AI and value), with an FNC1 separator where [`ElementString::encoding_units`]
/// puts one (after each AI not of predefined length, unless it is the last: GS1 General
/// Specifications 5.10.1 and 7.8.5). The element strings are encoded in the order given.
pub fn gs1_128_items(es: &ElementString) -> Result<Vec<Code128Item>, Code128Error> {
    if es.ais.is_empty() {
        return Err(Code128Error::Gs1Empty);
    }
    let mut items = vec![Code128Item::Fnc1];
    for (k, (ai, value, separator)) in es.encoding_units().enumerate() {
        if !(2..=4).contains(&ai.len()) || !ai.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Code128Error::Gs1Ai {
                index: k + 1,
                ai: ai.to_string(),
            });
        }
        if let Some((position, found)) = value
            .chars()
            .enumerate()
            .find(|&(_, c)| !(' '..='~').contains(&c))
        {
            return Err(Code128Error::Gs1Value {
                index: k + 1,
                ai: ai.to_string(),
                position: position + 1,
                found,
            });
        }
        items.extend(ai.bytes().chain(value.bytes()).map(Code128Item::Byte));
        if separator {
            items.push(Code128Item::Fnc1);
        }
    }
    let data = items.len() - 1;
    if data > GS1_MAX_DATA {
        return Err(Code128Error::Gs1TooLong { found: data });
    }
    Ok(items)
}

/// A GS1-128 symbol of `es`, in its order. The human readable interpretation under it is
/// the bracketed element string, e.g. `(01)09501101020917(17)270630`
/// ([`ElementString::to_bracketed`]).
pub fn gs1_128(es: &ElementString) -> Result<Linear, Code128Error> {
    let items = gs1_128_items(es)?;
    Ok(linear(
        Symbology::Gs1_128,
        &codewords(&items)?,
        es.to_bracketed(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_is_11_modules_with_even_bars_and_unique() {
        for (i, p) in PATTERNS.iter().enumerate() {
            assert_eq!(
                p.iter().map(|&w| u32::from(w)).sum::<u32>(),
                11,
                "value {i}"
            );
            assert_eq!((p[0] + p[2] + p[4]) % 2, 0, "value {i}: bars must sum even");
            assert_eq!(PATTERNS.iter().filter(|q| *q == p).count(), 1, "value {i}");
        }
        assert_eq!(STOP.iter().map(|&w| u32::from(w)).sum::<u32>(), 13);
    }
}
