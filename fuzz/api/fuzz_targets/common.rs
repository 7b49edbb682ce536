//! What every target shares: a scratch file per process (ceu's readers take paths), and the
//! trusted key and real ledger the seed script writes (`CEU_FUZZ_SEED`, default `seed/`).
// Each target includes this file and uses part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Writes `data` to this process's scratch file named `name` and returns its path. On tmpfs
/// when there is one: every execution writes it.
pub fn scratch(name: &str, data: &[u8]) -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    let dir = DIR.get_or_init(|| {
        let base = Path::new("/dev/shm");
        let base = if base.is_dir() { base.to_path_buf() } else { std::env::temp_dir() };
        let dir = base.join(format!("ceu-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch folder");
        dir
    });
    let path = dir.join(name);
    std::fs::write(&path, data).expect("scratch file");
    path
}

/// The folder `fuzz/seed-corpora` fills: `trusted/` (the public key of the issue that made the
/// seeds) and `records/ledger.jsonl` (+ checkpoint). Missing: targets run with no trusted key.
pub fn seed_dir() -> PathBuf {
    std::env::var_os("CEU_FUZZ_SEED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("seed"))
}

/// The keys trusted by every verification: the seed issue's public key, so a mutated real
/// certificate gets past its record signature to the PDF-signature checks.
pub fn trust() -> &'static ceu::sign::TrustSet {
    static TRUST: OnceLock<ceu::sign::TrustSet> = OnceLock::new();
    TRUST.get_or_init(|| {
        ceu::sign::TrustSet::from_dir(&seed_dir().join("trusted")).unwrap_or_else(|_| ceu::sign::TrustSet::new())
    })
}
