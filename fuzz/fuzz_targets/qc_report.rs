#![no_main]
//! `cargo +nightly fuzz run qc_report`: see ../targets.rs.

// Each binary uses one of the shared bodies.
#[allow(dead_code)]
#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::qc_report(data));
