//! The GS1 parsers never panic: any input gives `Ok` or `Err`, never a crash. They read
//! data straight from requests and scanners, so a panic would be a 500 (or a dead
//! Lambda) for one bad string. Inputs: a table of edge cases, arbitrary strings, and
//! strings built from the pieces these formats are made of ("/01/", digits, "?", "&",
//! "=", "%", brackets, FNC1 ...), which reach far deeper than random text.

use proptest::prelude::*;
use shared::gs1::digital_link::ParseOptions;
use shared::gs1::scan::understand;
use shared::gs1::{DigitalLink, ElementString};

/// Runs every parser on `s`, and the writers and validation on whatever parses.
fn parse_everything(s: &str) {
    for parsed in [
        ElementString::parse_raw(s),
        ElementString::parse_bracketed(s),
    ]
    .into_iter()
    .flatten()
    {
        let _ = parsed.validate();
        let _ = (parsed.to_raw(), parsed.to_bracketed(), parsed.hri());
        let _ = DigitalLink::from_element_string(&parsed, None);
    }
    for opts in [
        ParseOptions::default(),
        ParseOptions {
            permit_zero_suppressed_gtin: true,
        },
    ] {
        if let Ok(dl) = DigitalLink::parse_with(s, opts) {
            let _ = (dl.to_string(), dl.to_element_string());
        }
    }
    let _ = DigitalLink::parse(s);
    let scan = understand(s);
    let _ = (scan.status(|_| true), scan.error_message());
    let _ = scan.contradicts(Some(s), Some(&[(s.to_owned(), s.to_owned())]));
}

#[test]
fn edge_cases_do_not_panic() {
    let rows: &[&str] = &[
        /* 0 */ "",
        /* 1 */ "(",
        /* 2 */ ")",
        /* 3 */ "()",
        /* 4 */ "(01",
        /* 5 */ "(01)",
        /* 6 */ "\\(",
        /* 7 */ "(10)\\",
        /* 8 */ "(10)A\\(",
        /* 9 */ "]C1",
        /* 10 */ "]C1\x1d",
        /* 11 */ "]d2^",
        /* 12 */ "^",
        /* 13 */ "\x1d\x1d",
        /* 14 */ "01é",
        /* 15 */ "0109501101020917é",
        /* 16 */ "(01)é",
        /* 17 */ "é(01)09501101020917",
        /* 18 */ "10ABC\x1d",
        /* 19 */ "http://",
        /* 20 */ "https:///",
        /* 21 */ "https://a/01/",
        /* 22 */ "https://a/01/%",
        /* 23 */ "https://a/01/%0",
        /* 24 */ "https://a/01/%00",
        /* 25 */ "https://a/01/%C3",
        /* 26 */ "https://a/01/09501101020917?",
        /* 27 */ "https://a/01/09501101020917?=&&=%",
        /* 28 */ "https://a/01/09501101020917?17=%",
        /* 29 */ "https://a/01/09501101020917#?10=1",
        /* 30 */ "HTTPS://a/01/09501101020917/10/%2F?01=9501101020917",
        /* 31 */ "https://a//01//09501101020917",
        /* 32 */ "https://a/8003/",
        /* 33 */ "https://a/00/",
        /* 34 */ "]",
        /* 35 */ "]é",
        /* 36 */ "]Eé",
        /* 37 */ "]E0é",
        /* 38 */ "]E3",
        /* 39 */ "]E09501101020917|",
        /* 40 */ "]E09501101020917]E1",
        /* 41 */ "]E496385074|]e0",
        /* 42 */ "0é234565",
        /* 43 */ "\r\n",
    ];
    for s in rows {
        parse_everything(s);
    }
}

/// The pieces Digital Links and element strings are made of.
const PIECES: &[&str] = &[
    "/",
    "/01/",
    "01",
    "10",
    "21",
    "17",
    "22",
    "235",
    "253",
    "255",
    "414",
    "8003",
    "8030",
    "3103",
    "99",
    "09501101020917",
    "9501101020917",
    "0",
    "9",
    "123",
    "A",
    "é",
    "?",
    "&",
    "=",
    "%",
    "%2F",
    "%00",
    "%C3",
    "%zz",
    "+",
    "#",
    "(",
    ")",
    "\\(",
    "\\",
    "\x1d",
    "^",
    "]C1",
    "]d2",
    "]Q3",
    "]Q1",
    "]E0",
    "]E1",
    "]E3",
    "]E4",
    "]I1",
    "]e0",
    "|",
    "01234565",
    "\r\n",
    "https://",
    "http://",
    "HTTPS://",
    "example.com",
    "id.gs1.org",
    ":",
    "@",
];

fn pieces(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(PIECES), 0..=max).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_strings_do_not_panic(s in any::<String>()) {
        parse_everything(&s);
    }

    #[test]
    fn printable_ascii_does_not_panic(s in "[ -~\x1d]{0,64}") {
        parse_everything(&s);
    }

    #[test]
    fn strings_of_plausible_pieces_do_not_panic(s in pieces(16)) {
        parse_everything(&s);
    }

    #[test]
    fn digital_links_of_plausible_pieces_do_not_panic(path in pieces(12), query in pieces(8)) {
        parse_everything(&format!("https://id.gs1.org/01/09501101020917{path}"));
        parse_everything(&format!("https://example.com{path}?{query}"));
        parse_everything(&format!("https://example.com/01/{path}"));
    }

    #[test]
    fn element_strings_of_plausible_pieces_do_not_panic(body in pieces(12)) {
        parse_everything(&format!("({body}"));
        parse_everything(&format!("(01){body}"));
        parse_everything(&format!("]C101{body}"));
        parse_everything(&format!("\x1d{body}"));
    }
}
