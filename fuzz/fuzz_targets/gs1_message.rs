//! Valid messages built from the AI table read back from every written form and through
//! their Digital Link: see `gs1_codes_fuzz::gs1::check_message`.
#![no_main]
use gs1_codes_fuzz::message::MessageSpec;
use gs1_codes_fuzz::{assert_holds, gs1};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|spec: MessageSpec| {
    assert_holds(gs1::check_message(&spec.build()));
});
