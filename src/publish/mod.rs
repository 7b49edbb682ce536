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

use crate::verification_code as code;

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

/// The holder facts sealed under the verification code.
#[derive(Debug, Serialize)]
pub struct HolderFacts {
    pub holder: String,
    pub title: String,
    pub offering: String,
    pub dates: String,
    pub hours: String,
    pub credit: Vec<String>,
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

/// Refuses a target folder inside the records folder or any certificates folder, and a
/// non-empty folder that `publish` did not create.
pub fn check_target(dir: &Path, records: &Path) -> Result<(), PublishError> {
    let absolute = resolved(dir);
    let records = resolved(records);
    if absolute.starts_with(&records) {
        return Err(PublishError::Refused(format!(
            "{} is inside the records folder {}: the site is public and the records are not; publish to a folder outside it",
            dir.display(),
            records.display()
        )));
    }
    if absolute
        .components()
        .any(|c| c.as_os_str() == "certificates")
    {
        return Err(PublishError::Refused(format!(
            "{} is inside a certificates folder; publish to a folder of its own",
            dir.display()
        )));
    }
    if dir.exists() {
        if !dir.is_dir() {
            return Err(PublishError::Refused(format!(
                "{} is not a folder",
                dir.display()
            )));
        }
        let empty = std::fs::read_dir(dir).map_err(io(dir))?.next().is_none();
        if !empty && !dir.join(MARKER).is_file() {
            return Err(PublishError::Refused(format!(
                "{} is not empty and was not written by ceu publish (it has no {MARKER}); name a new or empty folder",
                dir.display()
            )));
        }
    }
    Ok(())
}

/// `path` made absolute with every existing ancestor's symbolic links resolved.
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut rest = Vec::new();
    let mut base = absolute.as_path();
    loop {
        if let Ok(real) = base.canonicalize() {
            return rest.iter().rev().fold(real, |p, part| p.join(part));
        }
        match (base.parent(), base.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                base = parent;
            }
            _ => return absolute,
        }
    }
}

/// Reads the holder facts of an issued certificate from its PDF in the offering's output
/// folder (`<records>/<offering>/certificates/<file>`): only from the exact issued bytes, and
/// only from a record signed by a trusted key.
pub fn read_facts(records: &Path, fields: &IssueFields, trust: &TrustSet) -> Option<HolderFacts> {
    let path = records
        .join(&fields.offering_id)
        .join("certificates")
        .join(&fields.pdf_file);
    let pdf = std::fs::read(path).ok()?;
    if sign::sha256_hex(&pdf) != fields.pdf_sha256 {
        return None;
    }
    let envelope = crate::render::extract_attachment(&pdf)?;
    let opened = sign::open_envelope_as(&envelope, RECORD_PAYLOAD_TYPE, trust).ok()?;
    let record: CertificateRecord = serde_json::from_slice(&opened.payload).ok()?;
    let c = record.certificate;
    let mut holder = c.holder.name;
    if !c.holder.credential.is_empty() {
        holder.push_str(", ");
        holder.push_str(&c.holder.credential);
    }
    Some(HolderFacts {
        holder,
        title: c.offering.title,
        offering: c.offering.id,
        dates: c.offering.dates,
        hours: c.instructional_hours,
        credit: c
            .credits
            .iter()
            .map(|block| format!("{}: {}", block.body, block.lines.join("; ")))
            .collect(),
    })
}

/// Seals `facts` for `full_id` under `code`: base64 of nonce (12 bytes) ‖ AES-256-GCM
/// ciphertext and tag, the key PBKDF2-HMAC-SHA-256(code, SALT_PREFIX ‖ full id, iterations),
/// the full id as associated data. The nonce is a keyed hash of id and facts, so the same
/// ledger and key publish the same bytes (and each AES key seals one message anyway).
fn seal(key: &KeyPair, full_id: &str, code: &str, iterations: u32, plain: &[u8]) -> String {
    use ring::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
    let mut aes = [0u8; 32];
    ring::pbkdf2::derive(
        ring::pbkdf2::PBKDF2_HMAC_SHA256,
        std::num::NonZeroU32::new(iterations.max(1)).expect("at least one iteration"),
        format!("{SALT_PREFIX}{full_id}").as_bytes(),
        code::normalize(code).as_bytes(),
        &mut aes,
    );
    let tag = key.derive_tag(
        "ceu publish holder facts nonce",
        &[full_id.as_bytes(), plain],
    );
    let mut nonce = [0u8; 12];
    nonce.copy_from_slice(&tag[..12]);
    let sealing = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &aes).expect("a 32-byte key"));
    let mut sealed = plain.to_vec();
    sealing
        .seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(full_id.as_bytes()),
            &mut sealed,
        )
        .expect("AES-GCM seals any message this size");
    let mut out = nonce.to_vec();
    out.extend_from_slice(&sealed);
    base64::engine::general_purpose::STANDARD.encode(out)
}

/// Opens what [`seal`] sealed (for `ceu` itself and tests; the page does the same in
/// WebCrypto). `None` when the code is wrong or the blob was altered.
pub fn open_sealed(full_id: &str, code: &str, iterations: u32, sealed: &str) -> Option<Vec<u8>> {
    use ring::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
    let blob = base64::engine::general_purpose::STANDARD
        .decode(sealed)
        .ok()?;
    if blob.len() < 12 + 16 {
        return None;
    }
    let mut aes = [0u8; 32];
    ring::pbkdf2::derive(
        ring::pbkdf2::PBKDF2_HMAC_SHA256,
        std::num::NonZeroU32::new(iterations.max(1))?,
        format!("{SALT_PREFIX}{full_id}").as_bytes(),
        code::normalize(code).as_bytes(),
        &mut aes,
    );
    let opening = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &aes).ok()?);
    let nonce = Nonce::try_assume_unique_for_key(&blob[..12]).ok()?;
    let mut data = blob[12..].to_vec();
    let plain = opening
        .open_in_place(nonce, Aad::from(full_id.as_bytes()), &mut data)
        .ok()?;
    Some(plain.to_vec())
}

/// The sealed facts of the site already in `dir`, by full certificate id, when its manifest is
/// signed by `key` and sealed with `iterations`: a revision's facts never change (its record
/// is signed), so a re-run seals only what is new.
fn previous_sealed(dir: &Path, key: &KeyPair, iterations: u32) -> HashMap<String, String> {
    let mut found = HashMap::new();
    let Ok(bytes) = std::fs::read(dir.join("manifest.json")) else {
        return found;
    };
    let trust = TrustSet::new().with(key.public_key());
    let Ok(opened) = sign::open_envelope_as(&bytes, MANIFEST_TYPE, &trust) else {
        return found;
    };
    let Ok(manifest) = serde_json::from_slice::<Manifest>(&opened.payload) else {
        return found;
    };
    if manifest
        .holder_facts
        .as_ref()
        .is_none_or(|kdf| kdf.iterations != iterations || kdf.salt_prefix != SALT_PREFIX)
    {
        return found;
    }
    for (prefix, sha256) in manifest.shards.get("id").into_iter().flatten() {
        let Ok(bytes) = std::fs::read(dir.join(shard_file("id", prefix, sha256))) else {
            continue;
        };
        if sign::sha256_hex(&bytes) != *sha256 {
            continue;
        }
        let Ok(records) = serde_json::from_slice::<BTreeMap<String, IdRecord>>(&bytes) else {
            continue;
        };
        // Keyed by the hash of the id; the caller looks up by (hash, revision).
        for (hash, record) in records {
            for (revision, entry) in record.revisions {
                if let Some(sealed) = entry.sealed {
                    found.insert(format!("{hash}/{revision}"), sealed);
                }
            }
        }
    }
    found
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

/// The holder facts of each issued revision, sealed under its verification code
/// (`--holder-facts`), reusing what the previous run sealed; `None` for each without facts
/// (and for all when holder facts are not published).
fn seal_all(
    dir: &Path,
    records: &Path,
    issued: &[&IssueFields],
    key: &KeyPair,
    trust: &TrustSet,
    options: &Options,
    summary: &mut Summary,
) -> Vec<Option<String>> {
    let previous = match options.holder_facts {
        Some(iterations) => previous_sealed(dir, key, iterations),
        _ => HashMap::new(),
    };
    // Seal what is new, in parallel (PBKDF2 is the cost).
    match options.holder_facts {
        None => vec![None; issued.len()],
        Some(iterations) => issued
            .par_iter()
            .map(|fields| {
                let cached = format!(
                    "{}/{}",
                    sign::sha256_hex(fields.cert_id.as_bytes()),
                    fields.revision
                );
                if let Some(sealed) = previous.get(&cached) {
                    return Some((sealed.clone(), false));
                }
                let facts = read_facts(records, fields, trust)?;
                let full = crate::ledger::full_cert_id(&fields.cert_id, fields.revision);
                let plain = serde_json::to_vec(&facts).expect("facts serialize");
                Some((
                    seal(key, &full, &fields.verification_code, iterations, &plain),
                    true,
                ))
            })
            .collect::<Vec<_>>()
            .into_iter()
            .zip(issued)
            .map(|(result, fields)| match result {
                Some((sealed, fresh)) => {
                    if fresh {
                        summary.sealed += 1;
                    } else {
                        summary.reused += 1;
                    }
                    Some(sealed)
                }
                None => {
                    summary.without_facts.push(crate::ledger::full_cert_id(
                        &fields.cert_id,
                        fields.revision,
                    ));
                    None
                }
            })
            .collect(),
    }
}

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

/// Writes the files: the marker, new shards, the page and the manifest (each replaced by a
/// rename), then removes shards the new manifest no longer lists.
fn write_site(
    dir: &Path,
    shards: &BTreeMap<String, Vec<u8>>,
    page: &[u8],
    manifest: &[u8],
    summary: &mut Summary,
) -> Result<(), PublishError> {
    for set in SHARD_SETS {
        let folder = dir.join(set);
        std::fs::create_dir_all(&folder).map_err(io(&folder))?;
    }
    for (name, bytes) in shards {
        let path = dir.join(name);
        // Named by content: an existing file of that name holds these bytes already.
        if std::fs::metadata(&path).map(|m| m.len()).ok() != Some(bytes.len() as u64) {
            replace(&path, bytes)?;
        }
        summary.files += 1;
        summary.bytes += bytes.len() as u64;
    }
    for (name, bytes) in [("index.html", page), ("manifest.json", manifest)] {
        replace(&dir.join(name), bytes)?;
        summary.files += 1;
        summary.bytes += bytes.len() as u64;
    }
    let listed: BTreeSet<PathBuf> = shards.keys().map(|name| dir.join(name)).collect();
    for set in SHARD_SETS {
        let folder = dir.join(set);
        for entry in std::fs::read_dir(&folder).map_err(io(&folder))? {
            let path = entry.map_err(io(&folder))?.path();
            if !listed.contains(&path) && path.extension().is_some_and(|x| x == "json") {
                std::fs::remove_file(&path).map_err(io(&path))?;
            }
        }
    }
    Ok(())
}

/// Creates the folder and its marker when new, and holds an exclusive lock on the marker
/// until dropped (a second `publish` of the same folder waits).
fn lock_site(dir: &Path) -> Result<std::fs::File, PublishError> {
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let marker = dir.join(MARKER);
    let file = std::fs::OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(&marker)
        .map_err(io(&marker))?;
    file.lock().map_err(io(&marker))?;
    if file.metadata().map_err(io(&marker))?.len() == 0 {
        use std::io::Write;
        (&file)
            .write_all(
                b"This folder is written by `ceu publish`, which rewrites it on every run.\n",
            )
            .map_err(io(&marker))?;
    }
    Ok(file)
}

/// Writes a file through a temporary file in the same folder and a rename, so a web server
/// never serves half of it.
fn replace(path: &Path, bytes: &[u8]) -> Result<(), PublishError> {
    use std::io::Write;
    let folder = path.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".ceu-publish-")
        .tempfile_in(folder)
        .map_err(io(folder))?;
    temp.write_all(bytes).map_err(io(path))?;
    // Readable by the web server, like any published file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(temp.path(), std::fs::Permissions::from_mode(0o644))
            .map_err(io(path))?;
    }
    temp.persist(path).map_err(|e| PublishError::Io {
        path: path.to_path_buf(),
        source: e.error,
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
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
