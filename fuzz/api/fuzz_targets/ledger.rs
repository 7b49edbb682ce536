//! Fuzzes the ledger readers on arbitrary bytes: `ledger::read` (shape), `ledger::verify`
//! (sequence, chain, signatures), the index `verify` builds (`LedgerState::load`), and the
//! same bytes as the checkpoint of the seed ledger. Any panic, hang or out-of-memory is a bug:
//! a bad ledger must become an error or a reported problem.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = common::scratch("ledger.jsonl", data);
    let trust = common::trust();
    let _ = ceu::ledger::read(&path);
    let _ = ceu::ledger::verify(&path, trust, None);
    let _ = ceu::verify::LedgerState::load(&path, trust, None);
    let seed = common::seed_dir().join("records/ledger.jsonl");
    if seed.is_file() {
        let checkpoint = common::scratch("ledger.checkpoint.json", data);
        let _ = ceu::ledger::verify(&seed, trust, Some(&checkpoint));
    }
});
