//! The bit-parallel QR mask penalty against the rules as written: see
//! `gs1_codes_fuzz::matrix::check_penalty`. The first byte picks the version (its width,
//! 21 to 177 modules), the rest are the modules, bit by bit, repeated to fill the grid.
#![no_main]
use gs1_codes_fuzz::assert_holds;
use gs1_codes_fuzz::matrix::check_penalty;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let n = 17 + 4 * (usize::from(first) % 40 + 1);
    let dark: Vec<bool> = if rest.is_empty() {
        vec![false; n * n]
    } else {
        (0..n * n)
            .map(|i| rest[i / 8 % rest.len()] >> (i % 8) & 1 == 1)
            .collect()
    };
    assert_holds(check_penalty(&dark, n));
});
