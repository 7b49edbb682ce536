//! Fuzzes the course record loader (`course::load`: UTF-8, TOML, every key's type and value,
//! the time zone, dates and times) on arbitrary bytes. Any panic, hang or out-of-memory is a
//! bug: a bad course.toml must become an error naming the file and line.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = common::scratch("course.toml", data);
    let _ = ceu::course::load(&path, &path);
});
