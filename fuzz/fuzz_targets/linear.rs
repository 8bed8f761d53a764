//! 1D encoders (EAN-13, EAN-8, UPC-A, UPC-E, ITF-14, Code 128, GS1-128, Code 39): module
//! counts and read-back, see `gs1_codes_fuzz::linear::check_linear`.
#![no_main]
use arbitrary::Arbitrary;
use gs1_codes_fuzz::assert_holds;
use gs1_codes_fuzz::linear::{check_linear, LinearCase};
use gs1_codes_fuzz::message::MessageSpec;
use libfuzzer_sys::fuzz_target;
use shared::symbol::code128::Code128Item;
use shared::symbol::Bearer;

#[derive(Debug, Arbitrary)]
enum Input {
    Ean13(Vec<u8>),
    Ean8(Vec<u8>),
    UpcA(Vec<u8>),
    UpcE(Vec<u8>),
    Itf14(Vec<u8>, u8),
    Code128(String),
    /// `None` is FNC1.
    Code128Items(Vec<Option<u8>>),
    Gs1_128(MessageSpec),
    Code39(Vec<u8>, bool),
}

/// Digits of the bytes (a 255 becomes a letter, so non-digits are tried too), at most 16.
fn digits(b: &[u8]) -> String {
    b.iter()
        .take(16)
        .map(|&x| {
            if x == 255 {
                'A'
            } else {
                char::from(b'0' + x % 10)
            }
        })
        .collect()
}

fuzz_target!(|input: Input| {
    let case = match input {
        Input::Ean13(d) => LinearCase::Ean13(digits(&d)),
        Input::Ean8(d) => LinearCase::Ean8(digits(&d)),
        Input::UpcA(d) => LinearCase::UpcA(digits(&d)),
        Input::UpcE(d) => LinearCase::UpcE(digits(&d)),
        Input::Itf14(d, b) => LinearCase::Itf14(
            digits(&d),
            [Bearer::None, Bearer::Bars, Bearer::Frame][usize::from(b % 3)],
        ),
        Input::Code128(s) => LinearCase::Code128(s),
        Input::Code128Items(items) => LinearCase::Code128Items(
            items
                .into_iter()
                .map(|i| i.map_or(Code128Item::Fnc1, Code128Item::Byte))
                .collect(),
        ),
        Input::Gs1_128(m) => LinearCase::Gs1_128(m.build()),
        Input::Code39(bytes, check) => {
            // Mostly the Code 39 set, now and then a character outside it.
            const SET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%a";
            let text = bytes
                .iter()
                .map(|&b| char::from(SET[usize::from(b) % SET.len()]))
                .collect();
            LinearCase::Code39(text, check)
        }
    };
    assert_holds(check_linear(&case));
});
