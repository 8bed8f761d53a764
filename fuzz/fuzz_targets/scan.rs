//! Raw scans as scanners send them (`]d2...`, `]C1...`, `]Q1https://...`, bare digits):
//! see `gs1_codes_fuzz::gs1::check_scan`. The first byte picks the symbology identifier,
//! so every branch of the reader is one byte away.
#![no_main]
use gs1_codes_fuzz::{assert_holds, gs1, text};
use libfuzzer_sys::fuzz_target;

/// Identifiers GS1 symbols send, some we do not read, and none.
const IDS: &[&str] = &[
    "", "]C1", "]e0", "]d2", "]Q3", "]J1", "]E0", "]E4", "]E3", "]E1", "]E2", "]I0", "]I1", "]d1",
    "]Q1", "]J0", "]C0", "]X0", "]", "]d",
];

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    if let Some(body) = text(rest) {
        let mut raw = format!("{}{body}", IDS[usize::from(first) % IDS.len()]);
        if first >= 128 {
            raw.push_str("\r\n"); // a keyboard-wedge suffix
        }
        assert_holds(gs1::check_scan(&raw));
    }
});
