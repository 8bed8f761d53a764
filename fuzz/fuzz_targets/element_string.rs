//! Element string parsing and validation, bracketed and raw (FNC1/GS): see
//! `gs1_codes_fuzz::gs1::check_parse_text`.
#![no_main]
use gs1_codes_fuzz::{assert_holds, gs1, text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(s) = text(data) {
        assert_holds(gs1::check_parse_text(s));
    }
});
