//! `ceu publish`: a static verification site that anyone can open, with no personal data.
//!
//! The site is plain files for any web host: `index.html` (the page, with the provider's
//! Ed25519 public key pinned in it), `manifest.json` (a DSSE envelope signed by that key, with
//! its `updated` time and the SHA-256 of every shard) and shards: `pdf/<xx>.<hash>.json`
//! keyed by the SHA-256 of each issued PDF, `id/<xx>.<hash>.json` keyed by the SHA-256 of each
//! certificate id, where `<xx>` is the first two hex digits of the key. A shard holds each
//! certificate's status (valid; revoked, with date and a reason *code*; superseded, by which
//! id). Signing the manifest covers the shards; shard files are named by their own hash, so a
//! page that loaded the previous manifest during an update still finds the shards it lists.
//!
//! No names, no emails, no free-text revocation reasons. With `--holder-facts`, each revision
//! also carries its holder facts (name, course, dates, hours, credit) sealed with AES-256-GCM
//! under a key derived by PBKDF2-HMAC-SHA-256 from the printed verification code, salted with
//! the certificate id: readable only with the code (see docs/verification.md for the work
//! factor).

mod facts;
mod site;

use crate::verification_code as code;
use facts::seal_all;
pub use facts::{HolderFacts, open_sealed, read_facts};
pub use site::check_target;
use site::{lock_site, write_site};

use crate::certificate::{CertificateRecord, RECORD_PAYLOAD_TYPE};
use crate::ledger::{EntryBody, IssueFields, LedgerIndex};
use crate::sign::{self, KeyPair, TrustSet};
use base64::Engine as _;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// The manifest envelope's payload type.
pub const MANIFEST_TYPE: &str = "application/vnd.ceu.site-manifest+json";
/// The site format, in the manifest's `site` field and checked by the page.
pub const SITE_FORMAT: &str = "ceu-verify/1";
/// The file that marks a folder as written by `ceu publish` (and so safe to rewrite).
pub const MARKER: &str = ".ceu-publish";
/// PBKDF2 iterations for sealed holder facts unless told otherwise (OWASP's 2023 figure for
/// PBKDF2-HMAC-SHA-256).
pub const DEFAULT_KDF_ITERATIONS: u32 = 600_000;
/// The fewest iterations `publish` accepts.
pub const MIN_KDF_ITERATIONS: u32 = 100_000;
/// Prefix of the PBKDF2 salt; the full certificate id (`<id>-r<n>`) follows it.
pub const SALT_PREFIX: &str = "ceu-verify/1 holder facts ";

const PAGE_HTML: &str = include_str!("page.html");
const PAGE_JS: &str = include_str!("page.js");
const SHARD_SETS: [&str; 2] = ["pdf", "id"];

/// Why a site could not be published (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("{0}")]
    Refused(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> PublishError + '_ {
    move |source| PublishError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What to publish.
pub struct Options {
    /// RFC 3339 time written as the manifest's `updated`.
    pub updated: String,
    /// PBKDF2 iterations when holder facts are published; `None`: no holder facts.
    pub holder_facts: Option<u32>,
    /// The page's title.
    pub title: String,
}

/// What a run wrote, for the report.
#[derive(Debug, Default)]
pub struct Summary {
    pub certificates: usize,
    pub files: usize,
    pub bytes: u64,
    /// Revisions whose holder facts were sealed in this run.
    pub sealed: usize,
    /// Revisions whose sealed facts were taken over from the previous run.
    pub reused: usize,
    /// Certificates whose facts could not be read (their PDF missing or not the issued one).
    pub without_facts: Vec<String>,
}

/// A certificate revision's status as published.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct Status {
    status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    revoked_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    superseded_by: Option<String>,
}

/// An entry of a `pdf/` shard.
#[derive(Serialize)]
struct PdfEntry<'a> {
    id: String,
    #[serde(flatten)]
    status: &'a Status,
}

/// One revision in an `id/` shard.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Revision {
    #[serde(flatten)]
    status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sealed: Option<String>,
}

/// An entry of an `id/` shard: one certificate id, every revision.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct IdRecord {
    latest: u32,
    revisions: BTreeMap<u32, Revision>,
}

/// A shard's file, from its set, prefix and SHA-256 (the manifest lists only the hash: at
/// 512 shards, file names would be a third of the manifest).
pub fn shard_file(set: &str, prefix: &str, sha256: &str) -> String {
    format!("{set}/{prefix}.{}.json", &sha256[..16.min(sha256.len())])
}

#[derive(Debug, Serialize, Deserialize)]
struct Kdf {
    kdf: String,
    iterations: u32,
    salt_prefix: String,
    cipher: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct LedgerHead {
    entries: usize,
    last_hash: String,
}

/// The signed manifest's payload.
#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    site: String,
    key_id: String,
    updated: String,
    certificates: usize,
    ledger: LedgerHead,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    holder_facts: Option<Kdf>,
    /// Set (`pdf`, `id`) → prefix → SHA-256 of the shard.
    shards: BTreeMap<String, BTreeMap<String, String>>,
}

/// The published reason code for a revocation's free-text reason: the text itself may name
/// people and is never published. A reason that is a code is taken as it is; otherwise the
/// first rule whose words it contains decides.
pub fn reason_code(reason: &str) -> &'static str {
    const CODES: [&str; 7] = [
        "issued-in-error",
        "requirements-not-met",
        "misconduct",
        "duplicate",
        "replaced",
        "withdrawn",
        "key-compromise",
    ];
    let text = reason.trim().to_lowercase();
    if let Some(code) = CODES.iter().find(|c| **c == text) {
        return code;
    }
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    if has(&["compromise", "leaked key", "stolen key"]) {
        "key-compromise"
    } else if has(&["duplicate"]) {
        "duplicate"
    } else if has(&["in error", "mistake", "wrong", "erroneous"]) {
        "issued-in-error"
    } else if has(&[
        "attendance",
        "not complete",
        "incomplete",
        "requirement",
        "not met",
    ]) {
        "requirements-not-met"
    } else if has(&["misconduct", "fraud", "cheat", "dishonest"]) {
        "misconduct"
    } else if has(&["replace", "correct", "reissue"]) {
        "replaced"
    } else if has(&["withdraw"]) {
        "withdrawn"
    } else {
        "unspecified"
    }
}

/// The status of a certificate revision in the ledger.
fn status_of(index: &LedgerIndex, fields: &IssueFields) -> Status {
    let revoked = index.revocation(&fields.cert_id, fields.revision);
    let newer = index.superseded_by(&fields.cert_id, fields.revision);
    let superseded_by = newer.map(|e| e.full_cert_id());
    match revoked {
        Some(entry) => {
            let reason = match entry.body() {
                EntryBody::Revoke(r) => reason_code(&r.reason),
                _ => "unspecified",
            };
            Status {
                status: "revoked".into(),
                revoked_on: Some(entry.payload.time.chars().take(10).collect()),
                reason: Some(reason.into()),
                superseded_by,
            }
        }
        None => Status {
            status: if superseded_by.is_some() {
                "superseded"
            } else {
                "valid"
            }
            .into(),
            revoked_on: None,
            reason: None,
            superseded_by,
        },
    }
}

/// Builds the site from a verified ledger index and writes it to `dir` (see the module
/// documentation). `records` is the folder holding the ledger and the offering folders;
/// `trust` opens the certificate records when holder facts are published.
pub fn publish(
    dir: &Path,
    records: &Path,
    index: &LedgerIndex,
    key: &KeyPair,
    trust: &TrustSet,
    options: &Options,
) -> Result<Summary, PublishError> {
    check_target(dir, records)?;
    // One run at a time per folder: a run's shards, manifest and clean-up stay together.
    let _lock = lock_site(dir)?;
    let mut summary = Summary::default();
    let issued: Vec<&IssueFields> = index
        .entries()
        .iter()
        .filter_map(|e| e.body().issued())
        .collect();
    summary.certificates = issued.len();

    let sealed = seal_all(dir, records, &issued, key, trust, options, &mut summary);
    let (files, shards) = shard_files(index, &issued, sealed);

    let manifest = Manifest {
        site: SITE_FORMAT.into(),
        key_id: key.key_id().to_string(),
        updated: options.updated.clone(),
        certificates: issued.len(),
        ledger: LedgerHead {
            entries: index.entries().len(),
            last_hash: index.entries().last().map_or_else(
                || crate::ledger::GENESIS_PREV.to_string(),
                |e| e.hash.clone(),
            ),
        },
        holder_facts: options.holder_facts.map(|iterations| Kdf {
            kdf: "PBKDF2-HMAC-SHA-256".into(),
            iterations,
            salt_prefix: SALT_PREFIX.into(),
            cipher: "AES-256-GCM".into(),
        }),
        shards,
    };
    let payload = serde_json::to_vec(&manifest).expect("manifest serializes");
    let mut envelope = sign::sign_envelope(key, MANIFEST_TYPE, &payload);
    envelope.push(b'\n');
    let page = page_html(key, &options.title);

    write_site(dir, &files, page.as_bytes(), &envelope, &mut summary)?;
    Ok(summary)
}

/// Shard files by name (`pdf/<xx>.<sha256>.json`), with their bytes.
type ShardFiles = BTreeMap<String, Vec<u8>>;

/// Per shard set (`pdf`, `id`), each prefix's shard SHA-256 (hex), as the manifest lists them.
type ShardHashes = BTreeMap<String, BTreeMap<String, String>>;

/// The shard files (`name -> bytes`, each named by its content) and, per shard set, each
/// prefix's SHA-256 for the manifest: the PDF shards keyed by the PDF's SHA-256, the id shards
/// keyed by the SHA-256 of the certificate id with every revision's status and sealed facts.
fn shard_files(
    index: &LedgerIndex,
    issued: &[&IssueFields],
    sealed: Vec<Option<String>>,
) -> (ShardFiles, ShardHashes) {
    let mut pdf_shards: BTreeMap<String, BTreeMap<String, serde_json::Value>> = BTreeMap::new();
    let mut id_shards: BTreeMap<String, BTreeMap<String, IdRecord>> = BTreeMap::new();
    for (fields, sealed) in issued.iter().zip(sealed) {
        let status = status_of(index, fields);
        let full = crate::ledger::full_cert_id(&fields.cert_id, fields.revision);
        let entry = serde_json::to_value(PdfEntry {
            id: full,
            status: &status,
        })
        .expect("entries serialize");
        pdf_shards
            .entry(fields.pdf_sha256[..2].to_string())
            .or_default()
            .insert(fields.pdf_sha256.clone(), entry);
        let id_hash = sign::sha256_hex(fields.cert_id.as_bytes());
        let record = id_shards
            .entry(id_hash[..2].to_string())
            .or_default()
            .entry(id_hash)
            .or_insert_with(|| IdRecord {
                latest: fields.revision,
                revisions: BTreeMap::new(),
            });
        record.latest = record.latest.max(fields.revision);
        record
            .revisions
            .insert(fields.revision, Revision { status, sealed });
    }

    // Serialize every shard; name each by its content.
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut shards: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut add_shard = |set: &str, prefix: &str, bytes: Vec<u8>| {
        let sha256 = sign::sha256_hex(&bytes);
        files.insert(shard_file(set, prefix, &sha256), bytes);
        shards
            .entry(set.to_string())
            .or_default()
            .insert(prefix.to_string(), sha256);
    };
    for (prefix, entries) in &pdf_shards {
        add_shard("pdf", prefix, serde_json::to_vec(entries).expect("shard"));
    }
    for (prefix, entries) in &id_shards {
        add_shard("id", prefix, serde_json::to_vec(entries).expect("shard"));
    }
    for set in SHARD_SETS {
        shards.entry(set.to_string()).or_default();
    }
    (files, shards)
}

/// The page with the key pinned, the title set, and a Content-Security-Policy that allows
/// exactly its own inline script (by hash).
pub fn page_html(key: &KeyPair, title: &str) -> String {
    let script_hash =
        base64::engine::general_purpose::STANDARD.encode(sign::sha256(PAGE_JS.as_bytes()));
    let public = key.public_key();
    let config = serde_json::json!({
        "public_key": base64::engine::general_purpose::STANDARD.encode(public.verifying_key().to_bytes()),
        "key_id": public.key_id(),
    })
    .to_string()
    .replace('<', "\\u003c");
    let title = title
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    PAGE_HTML
        .replace("{{SCRIPT_HASH}}", &format!("sha256-{script_hash}"))
        .replace("{{KEY_ID}}", public.key_id())
        .replace("{{CONFIG}}", &config)
        .replace("{{SCRIPT}}", PAGE_JS)
        .replace("{{TITLE}}", &title)
}

#[cfg(test)]
mod tests {
    use super::facts::seal;
    use super::*;

    #[test]
    fn reasons_become_codes_and_never_text() {
        assert_eq!(reason_code("issued in error"), "issued-in-error");
        assert_eq!(reason_code("Duplicate of SER2-…"), "duplicate");
        assert_eq!(
            reason_code("attendance requirement not met"),
            "requirements-not-met"
        );
        assert_eq!(reason_code("Jane Doe asked"), "unspecified");
        assert_eq!(reason_code("withdrawn"), "withdrawn");
    }

    #[test]
    fn sealed_facts_open_only_with_the_code() {
        let key = KeyPair::generate();
        let sealed = seal(&key, "X-1-r1", "K7QF-3MZP", 1000, b"{\"holder\":\"A\"}");
        assert_eq!(
            open_sealed("X-1-r1", "k7qf3mzp", 1000, &sealed).as_deref(),
            Some(&b"{\"holder\":\"A\"}"[..])
        );
        assert_eq!(open_sealed("X-1-r1", "K7QF-3MZQ", 1000, &sealed), None);
        assert_eq!(open_sealed("X-1-r2", "K7QF-3MZP", 1000, &sealed), None);
        assert_eq!(
            sealed,
            seal(&key, "X-1-r1", "K7QF-3MZP", 1000, b"{\"holder\":\"A\"}"),
            "the same inputs seal to the same bytes"
        );
    }

    #[test]
    fn the_page_pins_the_key_and_allows_only_its_own_script() {
        let key = KeyPair::generate();
        let page = page_html(&key, "Verify <ours>");
        assert!(page.contains(key.key_id()));
        assert!(page.contains("Verify &lt;ours&gt;"));
        assert!(!page.contains("{{"), "every placeholder is filled");
        let hash =
            base64::engine::general_purpose::STANDARD.encode(sign::sha256(PAGE_JS.as_bytes()));
        assert!(page.contains(&format!("'sha256-{hash}'")));
    }
}
