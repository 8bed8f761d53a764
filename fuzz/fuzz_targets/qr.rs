//! QR Code versions, structure and read-back: see `gs1_codes_fuzz::matrix::check_qr`.
#![no_main]
use gs1_codes_fuzz::matrix::check_qr;
use gs1_codes_fuzz::{assert_holds, text};
use libfuzzer_sys::fuzz_target;
use shared::symbol::qr::EcLevel;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    if let Some(s) = text(rest) {
        let level = [EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H][usize::from(first % 4)];
        assert_holds(check_qr(s, level));
    }
});
