//! Digital Link parsing, formatting, canonical form and building: see
//! `gs1_codes_fuzz::gs1::check_uri`.
#![no_main]
use gs1_codes_fuzz::{assert_holds, gs1, text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(s) = text(data) {
        assert_holds(gs1::check_uri(s));
    }
});
