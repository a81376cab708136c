#![no_main]
//! `cargo +nightly fuzz run frame_list`: see ../targets.rs.

// Each binary uses one of the shared bodies.
#[allow(dead_code)]
#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::frame_list(data));
