//! DataMatrix encodation, sizes and read-back, of any bytes and FNC1s or of a GS1 message:
//! see `gs1_codes_fuzz::matrix::check_datamatrix` and `check_gs1_datamatrix`.
#![no_main]
use arbitrary::Arbitrary;
use gs1_codes_fuzz::assert_holds;
use gs1_codes_fuzz::matrix::{check_datamatrix, check_gs1_datamatrix};
use gs1_codes_fuzz::message::MessageSpec;
use libfuzzer_sys::fuzz_target;
use shared::symbol::datamatrix::{DataChar, DmShape};

#[derive(Debug, Arbitrary)]
enum Input {
    /// `None` is FNC1.
    Chars(Vec<Option<u8>>, bool),
    Gs1(MessageSpec, bool),
}

fn shape(rectangle: bool) -> DmShape {
    if rectangle {
        DmShape::Rectangle
    } else {
        DmShape::Square
    }
}

fuzz_target!(|input: Input| {
    match input {
        Input::Chars(chars, rect) => {
            let chars: Vec<DataChar> = chars
                .into_iter()
                .take(3200)
                .map(|c| c.map_or(DataChar::Fnc1, DataChar::Byte))
                .collect();
            assert_holds(check_datamatrix(&chars, shape(rect)));
        }
        Input::Gs1(m, rect) => assert_holds(check_gs1_datamatrix(&m.build(), shape(rect))),
    }
});
