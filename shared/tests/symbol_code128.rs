//! Code 128 code-set choice: our encoder against an exhaustive search and against Zint.
//!
//! The exhaustive search below knows nothing of the encoder's moves: it only knows how a
//! reader interprets codewords (ISO/IEC 15417 code sets A/B/C, Shift, Code A/B/C, FNC1,
//! single FNC4), and tries every codeword at every step, breadth first. The first
//! sequence that reads back as the input is a shortest one.

use std::collections::{HashSet, VecDeque};

use proptest::prelude::*;
use shared::gs1::ElementString;
use shared::symbol::code128::{code128, codewords, gs1_128_items, Code128Item};

/// An element string of `(AI, value)` pairs, in the order given.
fn es(pairs: &[(&str, &str)]) -> ElementString {
    pairs.iter().copied().collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Set {
    A,
    B,
    C,
}

/// A reader's state between codewords.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Reader {
    set: Set,
    shift: bool,
    fnc4: bool,
}

/// What one codeword means to a reader.
enum Meaning {
    Data(Vec<Code128Item>),
    State(Reader),
}

/// Interprets codeword `v` (0..=102) in state `r`; `None` if it is not valid there.
fn read(r: Reader, v: u8) -> Option<Meaning> {
    let set = if r.shift {
        match r.set {
            Set::A => Set::B,
            Set::B => Set::A,
            Set::C => return None,
        }
    } else {
        r.set
    };
    let after = Reader {
        shift: false,
        fnc4: false,
        ..r
    };
    let byte = |b: u8| {
        let b = if r.fnc4 { b + 128 } else { b };
        Some(Meaning::Data(vec![Code128Item::Byte(b)]))
    };
    match (set, v) {
        (Set::C, 0..=99) if !r.fnc4 => Some(Meaning::Data(vec![
            Code128Item::Byte(b'0' + v / 10),
            Code128Item::Byte(b'0' + v % 10),
        ])),
        (Set::A, 0..=63) => byte(v + 32),
        (Set::A, 64..=95) => byte(v - 64),
        (Set::B, 0..=95) => byte(v + 32),
        // Function and switch codewords are not data: invalid after Shift or FNC4.
        _ if r.shift || r.fnc4 => None,
        (_, 102) => Some(Meaning::Data(vec![Code128Item::Fnc1])),
        (Set::A | Set::B, 98) => Some(Meaning::State(Reader { shift: true, ..r })),
        (Set::A, 101) | (Set::B, 100) => Some(Meaning::State(Reader { fnc4: true, ..r })),
        (Set::A | Set::B, 99) => Some(Meaning::State(Reader {
            set: Set::C,
            ..after
        })),
        (Set::A | Set::C, 100) => Some(Meaning::State(Reader {
            set: Set::B,
            ..after
        })),
        (Set::B | Set::C, 101) => Some(Meaning::State(Reader {
            set: Set::A,
            ..after
        })),
        _ => None,
    }
}

fn start(v: u8) -> Option<Set> {
    match v {
        103 => Some(Set::A),
        104 => Some(Set::B),
        105 => Some(Set::C),
        _ => None,
    }
}

/// The length (start + data + check) of a shortest encoding, by breadth-first search.
fn shortest(items: &[Code128Item]) -> usize {
    let mut seen = HashSet::new();
    let mut queue = VecDeque::new();
    for set in [Set::A, Set::B, Set::C] {
        let r = Reader {
            set,
            shift: false,
            fnc4: false,
        };
        queue.push_back((0usize, r, 1usize));
    }
    while let Some((pos, r, len)) = queue.pop_front() {
        if pos == items.len() && !r.shift && !r.fnc4 {
            return len + 1; // + check character
        }
        if !seen.insert((pos, r)) {
            continue;
        }
        for v in 0..=102 {
            match read(r, v) {
                Some(Meaning::Data(d)) if items[pos..].starts_with(&d) => {
                    let next = Reader {
                        shift: false,
                        fnc4: false,
                        ..r
                    };
                    queue.push_back((pos + d.len(), next, len + 1));
                }
                Some(Meaning::State(s)) => queue.push_back((pos, s, len + 1)),
                _ => {}
            }
        }
    }
    unreachable!("every Latin-1 input has an encoding")
}

/// What a reader makes of a codeword sequence (start .. check), checking the check value.
fn decode(cws: &[u8]) -> Vec<Code128Item> {
    let (&check, body) = cws.split_last().unwrap();
    let sum: u32 = body
        .iter()
        .enumerate()
        .map(|(k, &v)| k.max(1) as u32 * u32::from(v))
        .sum();
    assert_eq!(sum % 103, u32::from(check), "check character");
    let mut r = Reader {
        set: start(body[0]).expect("start character"),
        shift: false,
        fnc4: false,
    };
    let mut out = Vec::new();
    for &v in &body[1..] {
        match read(r, v).unwrap_or_else(|| panic!("codeword {v} invalid in {r:?}")) {
            Meaning::Data(d) => {
                out.extend(d);
                r.shift = false;
                r.fnc4 = false;
            }
            Meaning::State(s) => r = s,
        }
    }
    assert!(!r.shift && !r.fnc4, "dangling Shift/FNC4");
    out
}

fn bytes(s: &str) -> Vec<Code128Item> {
    s.bytes().map(Code128Item::Byte).collect()
}

/// Inputs where a greedy or rule-of-thumb encoder goes wrong, with Zint 2.11.1's length
/// (start + data + check codewords, from `zint -b 20 --dump`).
#[test]
fn tricky_inputs_are_as_short_as_exhaustive_search_and_match_zint() {
    // (input, Zint 2.11.1 codewords)
    let rows: &[(&str, usize)] = &[
        ("ABC-123 xyz", 13),          // 0: the sample
        ("12345678901234567890", 12), // 1: even digit run: all C
        ("1234567890123456789", 13),  // 2: odd digit run
        ("a\tb\x01c12345", 13),       // 3: lowercase with controls: Shift
        ("\x01\x02\x03abc", 9),       // 4: controls then lowercase
        ("12a", 5),                   // 5: short run before text
        ("1", 3),                     // 6
        ("12", 3),                    // 7
        ("123", 5),                   // 8
        ("1234", 4),                  // 9
        ("12345", 6),                 // 10: odd run: where the lone digit goes
        ("a1234b", 8),                // 11: 4 digits inside text
        ("a12345b", 9),               // 12: 5 digits inside text
        ("aaa\x01\x02aaa", 12),       // 13: two controls inside lowercase
        ("\x01a\x01a\x01a", 11),      // 14: alternating A-only/B-only
        ("0123456789a", 9),           // 15
        ("A1b2c3", 8),                // 16
        ("99a99", 7),                 // 17
        ("x123456789", 9),            // 18: odd run after text
    ];
    for (i, &(input, zint)) in rows.iter().enumerate() {
        let items = bytes(input);
        let ours = codewords(&items).unwrap();
        assert_eq!(decode(&ours), items, "row {i}: reads back");
        assert_eq!(ours.len(), shortest(&items), "row {i}: minimal");
        assert_eq!(ours.len(), zint, "row {i}: Zint");
    }
}

#[test]
fn an_odd_digit_run_before_fnc1_puts_the_lone_digit_first() {
    // GIVEN (01) fixed length, (10) variable, then (21): FNC1 separator between digits
    let items = gs1_128_items(&es(&[
        ("01", "09501101020917"),
        ("10", "123"),
        ("21", "45"),
    ]))
    .unwrap();
    let cws = codewords(&items).unwrap();
    assert_eq!(decode(&cws), items);
    assert_eq!(cws.len(), shortest(&items));
    // THEN the odd digit goes first, in set B, so that set C runs on through the FNC1
    // separator to the end: Start B, FNC1, "0", Code C, 10 pairs, FNC1, 21, 45, check.
    // (Starting in C would need Code B before "3" and Code C after the FNC1: one more.)
    assert_eq!(cws.len(), 18);
    assert_eq!(cws[..4], [104, 102, 16, 99]);
    assert_eq!(cws[14..17], [102, 21, 45]);
    assert_eq!(cws[1], 102, "FNC1 in first position");
}

#[test]
fn gs1_sample_is_as_short_as_zint() {
    // Zint 2.11.1: `zint -b 16 -d "[01]09501101020917[17]270630[10]LOT1"` is 244 modules
    // = 21 codewords + 13-module stop.
    let items = gs1_128_items(&es(&[
        ("01", "09501101020917"),
        ("17", "270630"),
        ("10", "LOT1"),
    ]))
    .unwrap();
    let cws = codewords(&items).unwrap();
    assert_eq!(cws.len(), shortest(&items));
    assert_eq!(cws.len(), 21);
}

#[test]
fn latin1_uses_fnc4_and_reads_back() {
    let text = "Grüße 99 é";
    let items: Vec<Code128Item> = text.chars().map(|c| Code128Item::Byte(c as u8)).collect();
    let cws = codewords(&items).unwrap();
    assert_eq!(decode(&cws), items);
    assert_eq!(cws.len(), shortest(&items));
    assert!(code128(text).is_ok());
}

fn item() -> impl Strategy<Value = Code128Item> {
    prop_oneof![
        4 => (b'0'..=b'9').prop_map(Code128Item::Byte),
        2 => (b'a'..=b'c').prop_map(Code128Item::Byte),
        2 => (b'A'..=b'C').prop_map(Code128Item::Byte),
        2 => (0u8..3).prop_map(Code128Item::Byte),
        1 => Just(Code128Item::Byte(0x7f)),
        1 => Just(Code128Item::Byte(0xe9)),
        1 => Just(Code128Item::Byte(0x81)),
        1 => Just(Code128Item::Fnc1),
    ]
}

proptest! {
    #[test]
    fn random_inputs_are_minimal_and_read_back(items in prop::collection::vec(item(), 1..14)) {
        let cws = codewords(&items).unwrap();
        prop_assert_eq!(decode(&cws), items.clone());
        prop_assert_eq!(cws.len(), shortest(&items));
    }
}

/// GS1-128 element strings against exhaustive search and Zint 2.11.1
/// (`zint -b 16 --dump`, codewords = (modules - 13) / 11).
#[test]
fn gs1_element_strings_are_minimal_and_at_most_zint() {
    type Row = (&'static [(&'static str, &'static str)], usize, usize);
    // (element strings, Zint 2.11.1 codewords, ours)
    let rows: &[Row] = &[
        // 0: the sample
        (
            &[("01", "09501101020917"), ("17", "270630"), ("10", "LOT1")],
            21,
            21,
        ),
        // 1: odd digit run before an FNC1 separator: Zint starts in C and pays a switch back
        (
            &[("01", "09501101020917"), ("10", "123"), ("21", "45")],
            19,
            18,
        ),
        // 2: one-digit variable-length values
        (&[("10", "1"), ("21", "1")], 10, 10),
        // 3: letter then an odd digit run: the lone digit joins the letter in B
        (&[("10", "A1234567"), ("21", "1")], 16, 15),
    ];
    for (i, &(ais, zint, want)) in rows.iter().enumerate() {
        let items = gs1_128_items(&es(ais)).unwrap();
        let cws = codewords(&items).unwrap();
        assert_eq!(decode(&cws), items, "row {i}");
        assert_eq!(cws.len(), shortest(&items), "row {i}: minimal");
        assert_eq!(cws.len(), want, "row {i}");
        assert!(cws.len() <= zint, "row {i}: Zint");
    }
}
