//! `api/course` linked from the shim: `course::load` on arbitrary bytes.
#![no_main]

#[path = "../../api/fuzz_targets/common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = common::scratch("course.toml", data);
    let _ = ceu::course::load(&path, &path);
});
