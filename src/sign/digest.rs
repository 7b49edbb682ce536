//! SHA-256 over whole files and lines (PDFs, ledger lines, inputs), through ring's assembly.

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(sha256(bytes))
}

/// SHA-256 of `bytes`, for the hashes over whole files (PDFs, ledger lines). ring's
/// assembly runs about twice as fast as the `sha2` crate's portable code on CPUs without the
/// SHA extensions (measured here: ~380 vs ~170 MB/s), and hashing PDFs is most of `ceu verify`.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    let mut out = [0u8; 32];
    out.copy_from_slice(digest.as_ref());
    out
}
