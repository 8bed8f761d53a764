//! Linear symbols read back: small decoders for EAN/UPC, ITF-14, Code 39 and Code 128
//! codewords, written from the standards' tables (not from the encoders' code), and the
//! module counts each symbology's formula gives.
//!
//! | symbology | modules (X)                                                  |
//! |-----------|--------------------------------------------------------------|
//! | EAN-13, UPC-A | 3 + 6·7 + 5 + 6·7 + 3 = 95                               |
//! | EAN-8     | 3 + 4·7 + 5 + 4·7 + 3 = 67                                   |
//! | UPC-E     | 3 + 6·7 + 6 = 51                                             |
//! | ITF-14    | P(4N + 6) + N + 6 with P = 7 pairs, wide:narrow N = 3: 135 (ISO/IEC 16390) |
//! | Code 128  | 11 per symbol character (start, data, check) + 13 for the stop: 11·(n + 2) + 13 for n data codewords (ISO/IEC 15417) |
//! | Code 39   | (c + 2) characters of 3N + 6 = 15 modules, 1X gaps: 16·(c + 2) − 1 for c characters, check character included (ISO/IEC 16388) |

use shared::gs1::check_digit::mod10_of_values;
use shared::gs1::element_string::GS;
use shared::gs1::ElementString;
use shared::symbol::code128::{self, Code128Item};
use shared::symbol::ean_upc;
use shared::symbol::{code39, itf, Bearer, Linear, Symbology};

use crate::{ensure, Check};

/// Runs of equal modules, left to right: (dark, width in X).
pub fn runs(modules: &[bool]) -> Vec<(bool, usize)> {
    let mut out: Vec<(bool, usize)> = Vec::new();
    for &m in modules {
        match out.last_mut() {
            Some((d, w)) if *d == m => *w += 1,
            _ => out.push((m, 1)),
        }
    }
    out
}

fn bits(modules: &[bool]) -> String {
    modules.iter().map(|&m| if m { '1' } else { '0' }).collect()
}

/// EAN/UPC number set A ("L", odd parity), GS1 General Specifications Figure 5.2.1.2-1;
/// set B ("G") is C reversed, set C ("R") is A with bars and spaces swapped.
const SET_A: [&str; 10] = [
    "0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011",
    "0110111", "0001011",
];
/// EAN-13 left-half sets by leading digit (Figure 5.2.1.2-2).
const EAN13_SETS: [&str; 10] = [
    "AAAAAA", "AABABB", "AABBAB", "AABBBA", "ABAABB", "ABBAAB", "ABBBAA", "ABABAB", "ABABBA",
    "ABBABA",
];
/// UPC-E sets of the six digits by check digit, number system 0 (GS1 General
/// Specifications 5.2.2.4.2: B is even parity).
const UPCE_SETS: [&str; 10] = [
    "BBBAAA", "BBABAA", "BBAABA", "BBAAAB", "BABBAA", "BAABBA", "BAAABB", "BABABA", "BABAAB",
    "BAABAB",
];

fn set_c(d: usize) -> String {
    SET_A[d]
        .chars()
        .map(|c| if c == '0' { '1' } else { '0' })
        .collect()
}

fn set_b(d: usize) -> String {
    set_c(d).chars().rev().collect()
}

/// The digit and set ('A', 'B', 'C') of a 7-module EAN/UPC symbol character.
fn ean_char(seven: &str) -> Option<(u8, char)> {
    (0..10).find_map(|d| {
        if SET_A[d] == seven {
            Some((d as u8, 'A'))
        } else if set_b(d) == seven {
            Some((d as u8, 'B'))
        } else if set_c(d) == seven {
            Some((d as u8, 'C'))
        } else {
            None
        }
    })
}

/// Reads the digits of EAN-13, EAN-8, UPC-A (as 12 digits) or UPC-E (as its 8 digits,
/// number system 0 and check digit included) from modules, as a scanner would: guards,
/// symbol characters, the parity that carries EAN-13's first digit and UPC-E's check
/// digit. Verifies the check digit.
pub fn decode_ean_upc(symbology: Symbology, modules: &[bool]) -> Result<Vec<u8>, String> {
    let b = bits(modules);
    let (left, right, total) = match symbology {
        Symbology::Ean13 | Symbology::UpcA => (6, 6, 95),
        Symbology::Ean8 => (4, 4, 67),
        Symbology::UpcE => (6, 0, 51),
        other => return Err(format!("{other:?} is not EAN/UPC")),
    };
    ensure!(
        b.len() == total,
        "{symbology:?}: {} modules, not {total}",
        b.len()
    );
    ensure!(&b[..3] == "101", "{symbology:?}: start guard {}", &b[..3]);
    let mut digits = Vec::new();
    let mut sets = String::new();
    let mut at = 3;
    for _ in 0..left {
        let (d, set) = ean_char(&b[at..at + 7]).ok_or(format!("bad character at {at}"))?;
        ensure!(
            set != 'C',
            "{symbology:?}: right-hand character on the left at {at}"
        );
        digits.push(d);
        sets.push(set);
        at += 7;
    }
    if symbology == Symbology::UpcE {
        ensure!(&b[at..] == "010101", "UPC-E end guard {}", &b[at..]);
        let check = UPCE_SETS
            .iter()
            .position(|s| *s == sets)
            .ok_or(format!("UPC-E parity {sets}"))? as u8;
        let mut e = vec![0];
        e.extend(&digits);
        e.push(check);
        return Ok(e);
    }
    ensure!(&b[at..at + 5] == "01010", "{symbology:?}: centre guard");
    at += 5;
    for _ in 0..right {
        let (d, set) = ean_char(&b[at..at + 7]).ok_or(format!("bad character at {at}"))?;
        ensure!(
            set == 'C',
            "{symbology:?}: left-hand character on the right at {at}"
        );
        digits.push(d);
        at += 7;
    }
    ensure!(&b[at..] == "101", "{symbology:?}: end guard");
    match symbology {
        Symbology::Ean13 | Symbology::UpcA => {
            let first = EAN13_SETS
                .iter()
                .position(|s| *s == sets)
                .ok_or(format!("EAN-13 parity {sets}"))? as u8;
            if symbology == Symbology::UpcA {
                ensure!(first == 0, "UPC-A with parity of leading digit {first}");
            } else {
                digits.insert(0, first);
            }
        }
        _ => ensure!(sets == "AAAA", "EAN-8 left half in sets {sets}"),
    }
    let (body, check) = digits.split_at(digits.len() - 1);
    ensure!(
        mod10_of_values(body) == check[0],
        "{symbology:?} check digit of {digits:?}"
    );
    Ok(digits)
}

/// ITF digit patterns, narrow (n) and wide (w) elements (ISO/IEC 16390 Table 1).
const ITF_DIGITS: [&str; 10] = [
    "nnwwn", "wnnnw", "nwnnw", "wwnnn", "nnwnw", "wnwnn", "nwwnn", "nnnww", "wnnwn", "nwnwn",
];

/// Reads ITF-14: start (4 narrow), seven pairs (bars carry the first digit, spaces the
/// second), stop (wide, narrow, narrow); wide is 3X, narrow 1X. Verifies the check digit.
pub fn decode_itf14(modules: &[bool]) -> Result<Vec<u8>, String> {
    let r = runs(modules);
    ensure!(r.len() == 4 + 70 + 3, "ITF-14 has {} elements", r.len());
    ensure!(r[0].0, "ITF-14 starts with a space");
    ensure!(
        r[..4].iter().all(|&(_, w)| w == 1),
        "ITF-14 start {:?}",
        &r[..4]
    );
    let stop: Vec<usize> = r[74..].iter().map(|&(_, w)| w).collect();
    ensure!(stop == [3, 1, 1], "ITF-14 stop {stop:?}");
    let nw = |w: usize| match w {
        1 => Ok('n'),
        3 => Ok('w'),
        _ => Err(format!("ITF-14 element of {w}X")),
    };
    let mut digits = Vec::new();
    for pair in r[4..74].chunks(10) {
        let mut bars = String::new();
        let mut spaces = String::new();
        for e in pair.chunks(2) {
            bars.push(nw(e[0].1)?);
            spaces.push(nw(e[1].1)?);
        }
        for p in [bars, spaces] {
            let d = ITF_DIGITS
                .iter()
                .position(|x| *x == p)
                .ok_or(format!("ITF-14 pattern {p}"))?;
            digits.push(d as u8);
        }
    }
    ensure!(
        mod10_of_values(&digits[..13]) == digits[13],
        "ITF-14 check digit of {digits:?}"
    );
    Ok(digits)
}

/// Code 39 characters in check-value order, and their patterns (ISO/IEC 16388 Table 1):
/// nine elements, bar first, bit 8 the first, a set bit wide.
const CODE39_CHARS: &[u8; 44] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%*";
const CODE39_PATTERNS: [u16; 44] = [
    0x034, 0x121, 0x061, 0x160, 0x031, 0x130, 0x070, 0x025, 0x124, 0x064, 0x109, 0x049, 0x148,
    0x019, 0x118, 0x058, 0x00D, 0x10C, 0x04C, 0x01C, 0x103, 0x043, 0x142, 0x013, 0x112, 0x052,
    0x007, 0x106, 0x046, 0x016, 0x181, 0x0C1, 0x1C0, 0x091, 0x190, 0x0D0, 0x085, 0x184, 0x0C4,
    0x0A8, 0x0A2, 0x08A, 0x02A, 0x094,
];

/// Reads Code 39: `*`, characters separated by 1X gaps, `*`; wide 3X. Returns the text
/// between the asterisks (a check character, if any, included).
pub fn decode_code39(modules: &[bool]) -> Result<String, String> {
    let r = runs(modules);
    ensure!(
        r.len() % 10 == 9 && r[0].0,
        "Code 39 has {} elements",
        r.len()
    );
    let mut text = String::new();
    for (k, ch) in r.chunks(10).enumerate() {
        if ch.len() == 10 {
            ensure!(
                ch[9].1 == 1,
                "Code 39 gap of {}X after character {k}",
                ch[9].1
            );
        }
        let mut p = 0u16;
        for &(_, w) in &ch[..9] {
            ensure!(w == 1 || w == 3, "Code 39 element of {w}X");
            p = p << 1 | u16::from(w == 3);
        }
        let v = CODE39_PATTERNS
            .iter()
            .position(|&x| x == p)
            .ok_or(format!("Code 39 pattern {p:#x}"))?;
        text.push(char::from(CODE39_CHARS[v]));
    }
    let inner = text
        .strip_prefix('*')
        .and_then(|t| t.strip_suffix('*'))
        .ok_or(format!("Code 39 {text:?} without start/stop"))?;
    ensure!(!inner.contains('*'), "Code 39 {text:?}: * inside");
    Ok(inner.to_owned())
}

/// Code 128 code sets.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Set {
    A,
    B,
    C,
}

/// Reads Code 128 codewords (start, data, check; no stop) back into items, as ISO/IEC
/// 15417 defines them: start A/B/C, Code A/B/C switches, Shift, single FNC4 (the next
/// character + 128), FNC1; verifies the mod-103 check character.
pub fn decode_code128_codewords(cw: &[u8]) -> Result<Vec<Code128Item>, String> {
    ensure!(cw.len() >= 2, "Code 128 of {} codewords", cw.len());
    let (data, check) = cw[1..].split_at(cw.len() - 2);
    let sum = cw[..cw.len() - 1]
        .iter()
        .enumerate()
        .map(|(i, &c)| i.max(1) * usize::from(c))
        .sum::<usize>();
    ensure!(
        usize::from(check[0]) == sum % 103,
        "Code 128 check character"
    );
    let mut set = match cw[0] {
        103 => Set::A,
        104 => Set::B,
        105 => Set::C,
        s => return Err(format!("Code 128 start {s}")),
    };
    let mut items = Vec::new();
    let mut shift = false;
    let mut fnc4 = false;
    for &c in data {
        ensure!(c < 103, "Code 128 data codeword {c}");
        let now = if shift {
            if set == Set::A {
                Set::B
            } else {
                Set::A
            }
        } else {
            set
        };
        shift = false;
        let high = if fnc4 { 128 } else { 0 };
        let was_fnc4 = fnc4;
        fnc4 = false;
        match (now, c) {
            (Set::C, 0..=99) => {
                ensure!(!was_fnc4, "FNC4 before a digit pair");
                items.push(Code128Item::Byte(b'0' + c / 10));
                items.push(Code128Item::Byte(b'0' + c % 10));
            }
            (Set::C, 100) => set = Set::B,
            (Set::C, 101) => set = Set::A,
            (_, 102) => {
                ensure!(!was_fnc4, "FNC4 before FNC1");
                items.push(Code128Item::Fnc1);
            }
            (Set::A, 0..=63) => items.push(Code128Item::Byte(high + 32 + c)),
            (Set::A, 64..=95) => items.push(Code128Item::Byte(high + c - 64)),
            (Set::B, 0..=95) => items.push(Code128Item::Byte(high + 32 + c)),
            (Set::A | Set::B, 96 | 97) => return Err("FNC3/FNC2 are never encoded".into()),
            (Set::A | Set::B, 98) => {
                ensure!(!was_fnc4, "FNC4 then Shift");
                shift = true;
            }
            (Set::A | Set::B, 99) => set = Set::C,
            (Set::A, 100) | (Set::B, 101) => {
                set = if set == Set::A { Set::B } else { Set::A };
            }
            (Set::A, 101) | (Set::B, 100) => {
                ensure!(!was_fnc4, "FNC4 FNC4 (latch) is never chosen");
                fnc4 = true;
            }
            (s, c) => return Err(format!("Code 128 codeword {c} in set {s:?}")),
        }
        ensure!(
            !was_fnc4 || matches!(items.last(), Some(Code128Item::Byte(b)) if *b >= 128),
            "FNC4 not followed by a character"
        );
    }
    ensure!(!shift && !fnc4, "Code 128 ends in Shift or FNC4");
    Ok(items)
}

/// The stop pattern 2331112 (bars first) as modules.
const CODE128_STOP: &str = "1100011101011";

/// Checks a Code 128 or GS1-128 symbol against its codewords: 11·(n + 3) + 2 modules
/// (start, data, check, 13-module stop); each symbol character 3 bars and 3 spaces of
/// 1-4X, an even number of bar modules; equal codewords drawn alike and different ones
/// differently; the stop pattern last.
pub fn check_code128_modules(symbol: &Linear, cw: &[u8]) -> Check {
    let m = &symbol.modules;
    ensure!(
        m.len() == 11 * cw.len() + 13,
        "Code 128: {} modules for {} codewords",
        m.len(),
        cw.len()
    );
    let mut seen: Vec<(u8, &[bool])> = Vec::new();
    for (i, (&c, chunk)) in cw.iter().zip(m.chunks(11)).enumerate() {
        let r = runs(chunk);
        ensure!(
            r.len() == 6 && r[0].0 && r.iter().all(|&(_, w)| (1..=4).contains(&w)),
            "Code 128 character {i}: elements {r:?}"
        );
        let bar_modules: usize = r.iter().filter(|e| e.0).map(|e| e.1).sum();
        ensure!(
            bar_modules.is_multiple_of(2),
            "Code 128 character {i}: odd bars"
        );
        for &(other, pattern) in &seen {
            ensure!(
                (other == c) == (pattern == chunk),
                "Code 128 codewords {other} and {c} drawn inconsistently"
            );
        }
        seen.push((c, chunk));
    }
    ensure!(
        bits(&m[m.len() - 13..]) == CODE128_STOP,
        "Code 128 stop pattern"
    );
    Ok(())
}

/// What a linear fuzz case encodes.
#[derive(Debug, Clone)]
pub enum LinearCase {
    /// EAN-13 of these digits (12 or 13 when well formed).
    Ean13(String),
    /// EAN-8.
    Ean8(String),
    /// UPC-A.
    UpcA(String),
    /// UPC-E (6-8 digits, or a UPC-A to zero-suppress).
    UpcE(String),
    /// ITF-14 and its bearer bars.
    Itf14(String, Bearer),
    /// Code 128 of Latin-1 text.
    Code128(String),
    /// Code 128 of bytes and FNC1s.
    Code128Items(Vec<Code128Item>),
    /// GS1-128 of a message.
    Gs1_128(ElementString),
    /// Code 39, with the check character or not.
    Code39(String, bool),
}

/// Encodes `case`; when the encoder accepts it, the symbol has its symbology's module
/// count and reads back (with an independent decoder) to the data, check digits and
/// characters included, with the human-readable text of that data.
pub fn check_linear(case: &LinearCase) -> Check {
    match case {
        LinearCase::Ean13(d) | LinearCase::Ean8(d) | LinearCase::UpcA(d) => {
            let (symbology, result, body) = match case {
                LinearCase::Ean13(_) => (Symbology::Ean13, ean_upc::ean13(d), 12),
                LinearCase::Ean8(_) => (Symbology::Ean8, ean_upc::ean8(d), 7),
                _ => (Symbology::UpcA, ean_upc::upca(d), 11),
            };
            let Ok(symbol) = result else {
                return Ok(());
            };
            let digits = decode_ean_upc(symbology, &symbol.modules)?;
            let text: String = digits.iter().map(|&x| char::from(b'0' + x)).collect();
            ensure!(
                text.starts_with(d.as_str()) && text.len() == body + 1,
                "{symbology:?} of {d:?} reads {text}"
            );
            check_hri(&symbol, &text)
        }
        LinearCase::UpcE(d) => {
            let Ok(symbol) = ean_upc::upce(d) else {
                return Ok(());
            };
            let digits = decode_ean_upc(Symbology::UpcE, &symbol.modules)?;
            let e: String = digits.iter().map(|&x| char::from(b'0' + x)).collect();
            // The UPC-A it stands for has the same check digit, and zero-suppresses to it.
            let a = ean_upc::upce_to_upca(&e).map_err(|err| format!("UPC-E {e}: {err}"))?;
            ensure!(
                ean_upc::upca_to_upce(&a).as_deref() == Ok(e.as_str()),
                "UPC-E {e} expands to {a}, which suppresses to {:?}",
                ean_upc::upca_to_upce(&a)
            );
            ensure!(a.ends_with(&e[7..]), "UPC-E {e}: UPC-A {a} check digit");
            // The digits given are the six, number system + six, all eight, or the UPC-A.
            let read_back = match d.len() {
                6 => e[1..7] == **d,
                7 | 8 => e.starts_with(d.as_str()),
                _ => a.starts_with(d.as_str()),
            };
            ensure!(read_back, "UPC-E of {d:?} reads {e} (UPC-A {a})");
            check_hri(&symbol, &e)
        }
        LinearCase::Itf14(d, bearer) => {
            let Ok(symbol) = itf::itf14(d, *bearer) else {
                return Ok(());
            };
            ensure!(
                symbol.modules.len() == 7 * (4 * 3 + 6) + 3 + 6,
                "ITF-14 width"
            );
            let digits = decode_itf14(&symbol.modules)?;
            let text: String = digits.iter().map(|&x| char::from(b'0' + x)).collect();
            ensure!(text.starts_with(d.as_str()), "ITF-14 of {d:?} reads {text}");
            ensure!(symbol.bearer == *bearer, "ITF-14 bearer");
            check_hri(&symbol, &text)
        }
        LinearCase::Code128(text) => {
            let Ok(symbol) = code128::code128(text) else {
                return Ok(());
            };
            let items: Vec<Code128Item> = text
                .chars()
                .map(|c| Code128Item::Byte(c as u32 as u8))
                .collect();
            check_code128(&symbol, &items)?;
            check_hri(&symbol, text)
        }
        LinearCase::Code128Items(items) => {
            let Ok(symbol) = code128::code128_items(items, String::new()) else {
                return Ok(());
            };
            check_code128(&symbol, items)
        }
        LinearCase::Gs1_128(es) => {
            let Ok(items) = code128::gs1_128_items(es) else {
                return Ok(());
            };
            let Ok(symbol) = code128::gs1_128(es) else {
                return Ok(());
            };
            check_code128(&symbol, &items)?;
            // FNC1 first, then the raw data with FNC1 for each GS: a scanner's ]C1 data.
            ensure!(
                items.first() == Some(&Code128Item::Fnc1),
                "GS1-128 without FNC1"
            );
            let scanned: String = items[1..]
                .iter()
                .map(|i| match i {
                    Code128Item::Byte(b) => char::from(*b),
                    Code128Item::Fnc1 => GS,
                })
                .collect();
            ensure!(
                scanned == es.to_raw(),
                "GS1-128 of {es:?} carries {scanned:?}"
            );
            if es.validate().is_ok() {
                let back = ElementString::parse_raw(&format!("]C1{scanned}"));
                ensure!(back.as_ref() == Ok(es), "GS1-128 of {es:?} reads {back:?}");
            }
            check_hri(&symbol, &es.to_bracketed())
        }
        LinearCase::Code39(text, check) => {
            let Ok(symbol) = code39::code39(text, *check) else {
                return Ok(());
            };
            let n = text.chars().count() + usize::from(*check);
            ensure!(
                symbol.modules.len() == 16 * (n + 2) - 1,
                "Code 39 of {n} characters has {} modules",
                symbol.modules.len()
            );
            let read = decode_code39(&symbol.modules)?;
            let data = if *check {
                let (data, c) = read.split_at(read.len() - 1);
                let sum: usize = data
                    .bytes()
                    .map(|b| CODE39_CHARS.iter().position(|&x| x == b).unwrap_or(99))
                    .sum();
                ensure!(
                    c.as_bytes()[0] == CODE39_CHARS[sum % 43],
                    "Code 39 check character of {read:?}"
                );
                data
            } else {
                &read
            };
            ensure!(data == text, "Code 39 of {text:?} reads {read:?}");
            check_hri(&symbol, &format!("*{read}*"))
        }
    }
}

/// Code 128: the codewords read back to `items`, and the modules are those codewords.
fn check_code128(symbol: &Linear, items: &[Code128Item]) -> Check {
    let cw = code128::codewords(items).map_err(|e| format!("symbol but no codewords: {e}"))?;
    let back = decode_code128_codewords(&cw)?;
    ensure!(back == items, "Code 128 of {items:?} reads {back:?}");
    check_code128_modules(symbol, &cw)
}

/// The human-readable text, its spans joined, is `text`.
fn check_hri(symbol: &Linear, text: &str) -> Check {
    let hri: String = symbol.hri.iter().map(|s| s.text.as_str()).collect();
    ensure!(
        hri == text,
        "{:?}: HRI {hri:?}, data {text:?}",
        symbol.symbology
    );
    ensure!(
        symbol.min_quiet_zone == symbol.symbology.min_quiet_zone(),
        "{:?}: quiet zone",
        symbol.symbology
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoders_read_known_symbols() {
        // (index) case
        let rows = [
            /* 0 */ LinearCase::Ean13("9501101020917".into()),
            /* 1 */ LinearCase::Ean8("9501101".into()),
            /* 2 */ LinearCase::UpcA("01234500006".into()),
            /* 3 */ LinearCase::UpcE("0123456".into()),
            /* 4 */ LinearCase::UpcE("012345000065".into()),
            /* 5 */ LinearCase::Itf14("1950110102091".into(), Bearer::Frame),
            /* 6 */ LinearCase::Code128("ABC-123 xyz\u{e9}".into()),
            /* 7 */ LinearCase::Code39("ABC-123".into(), true),
            /* 8 */
            LinearCase::Gs1_128(
                ElementString::parse_bracketed("(01)09501101020917(10)AB(17)270630").unwrap(),
            ),
        ];
        for (i, case) in rows.iter().enumerate() {
            assert_eq!(check_linear(case), Ok(()), "row {i}");
        }
    }

    #[test]
    fn a_flipped_module_is_caught() {
        // GIVEN good symbols WHEN one module is flipped THEN the decoder refuses them
        let ean = ean_upc::ean13("9501101020917").unwrap();
        let itf = itf::itf14("1950110102091", Bearer::None).unwrap();
        let c39 = code39::code39("AB", false).unwrap();
        for k in 0..95 {
            let mut m = ean.modules.clone();
            m[k] = !m[k];
            assert!(
                decode_ean_upc(Symbology::Ean13, &m).is_err(),
                "EAN-13 module {k}"
            );
        }
        for k in 0..itf.modules.len() {
            let mut m = itf.modules.clone();
            m[k] = !m[k];
            assert!(decode_itf14(&m).is_err(), "ITF-14 module {k}");
        }
        for k in 0..c39.modules.len() {
            let mut m = c39.modules.clone();
            m[k] = !m[k];
            assert_ne!(decode_code39(&m), Ok("AB".into()), "Code 39 module {k}");
        }
    }

    #[test]
    fn code128_codewords_decode_by_hand() {
        // Start B, "A", Code C, "12", check: 104 + 33·1 + 99·2 + 12·3 = 371 = 3·103 + 62
        let cw = [104, 33, 99, 12, 62];
        let items = decode_code128_codewords(&cw).unwrap();
        let bytes: Vec<Code128Item> = b"A12".iter().map(|&b| Code128Item::Byte(b)).collect();
        assert_eq!(items, bytes);
        assert!(decode_code128_codewords(&[104, 33, 99, 12, 63]).is_err());
    }
}
