//! Layout and every renderer with arbitrary options: see
//! `gs1_codes_fuzz::render::check_render`.
#![no_main]
use gs1_codes_fuzz::assert_holds;
use gs1_codes_fuzz::render::{check_render, RenderCase};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|case: RenderCase| {
    assert_holds(check_render(&case));
});
