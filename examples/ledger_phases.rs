//! Where `ceu ledger verify`'s time goes, per entry, on one thread (a profiling aid for the
//! issue 5 benchmark; `bench/run` measures the command itself). Builds a ledger of N synthetic
//! entries in a temporary folder and times each phase of verification separately.
//!
//! Usage: `cargo run --release --example ledger_phases -- [N=20000]`

use ceu::ledger::{self, EntryBody};
use ceu::sign::KeyPair;
use std::fs;
use std::time::Instant;

fn issue(n: u32) -> EntryBody {
    EntryBody::synthetic_issue(n)
}

struct Fixture {
    ledger: std::path::PathBuf,
    key: KeyPair,
}

fn main() -> anyhow::Result<()> {
    let n: u32 = std::env::args()
        .nth(1)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(20_000);
    let dir = tempfile::tempdir()?;
    let f = Fixture {
        ledger: dir.path().join("ledger.jsonl"),
        key: KeyPair::generate(),
    };
    ledger::append(&f.ledger, (1..=n).map(issue).collect(), &f.key).unwrap();
    let bytes = fs::read(&f.ledger).unwrap();
    let lines: Vec<&[u8]> = bytes
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let per = |t: Instant| t.elapsed().as_secs_f64() * 1e6 / n as f64;

    let t = Instant::now();
    let hashes: Vec<String> = lines.iter().map(|l| ceu::sign::sha256_hex(l)).collect();
    let sha = per(t);
    let t = Instant::now();
    let envelopes: Vec<_> = lines
        .iter()
        .map(|l| ceu::sign::parse_envelope(l).unwrap())
        .collect();
    let parse = per(t);
    let t = Instant::now();
    let payloads: Vec<ledger::EntryPayload> = envelopes
        .iter()
        .map(|e| serde_json::from_slice(&e.payload).unwrap())
        .collect();
    let payload = per(t);
    let t = Instant::now();
    let pae: Vec<Vec<u8>> = envelopes
        .iter()
        .map(|e| ceu::sign::pae(&e.payload_type, &e.payload))
        .collect();
    let pae_time = per(t);
    let vk = *f.key.public_key().verifying_key();
    let t = Instant::now();
    for (m, e) in pae.iter().zip(&envelopes).take(2000) {
        vk.verify_strict(m, &e.signatures[0].1).unwrap();
    }
    let single = t.elapsed().as_secs_f64() * 1e6 / 2000.0;
    let mut batch = String::new();
    for size in [64, 256, 1024, 4096] {
        let t = Instant::now();
        for (ms, es) in pae.chunks(size).zip(envelopes.chunks(size)) {
            let refs: Vec<&[u8]> = ms.iter().map(Vec::as_slice).collect();
            let sigs: Vec<_> = es.iter().map(|e| e.signatures[0].1).collect();
            let keys = vec![vk; sigs.len()];
            ed25519_dalek::verify_batch(&refs, &sigs, &keys).unwrap();
        }
        batch.push_str(&format!(" {size}: {:.2}", per(t)));
    }
    assert_eq!(hashes.len(), payloads.len());
    println!(
        "µs/entry, one thread: sha256 {sha:.2}, envelope parse {parse:.2}, payload parse {payload:.2}, pae {pae_time:.2}, verify_strict {single:.2}, verify_batch by chunk size{batch}"
    );
    Ok(())
}
