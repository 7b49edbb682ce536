//! `api/ledger` without `verify.rs`: `ledger::read`, `ledger::verify`, and the same bytes as
//! the seed ledger's checkpoint.
#![no_main]

#[path = "../../api/fuzz_targets/common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = common::scratch("ledger.jsonl", data);
    let trust = common::trust();
    let _ = ceu::ledger::read(&path);
    let _ = ceu::ledger::verify(&path, trust, None);
    let seed = common::seed_dir().join("records/ledger.jsonl");
    if seed.is_file() {
        let checkpoint = common::scratch("ledger.checkpoint.json", data);
        let _ = ceu::ledger::verify(&seed, trust, Some(&checkpoint));
    }
});
