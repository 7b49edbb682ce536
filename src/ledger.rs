//! The ledger: `records/ledger.jsonl`, append-only JSON Lines, and its signed checkpoint.
//!
//! Each line is a DSSE envelope (see [`crate::sign`]) of payload type [`ENTRY_TYPE`] whose
//! payload is the entry JSON: `{"seq":n,"prev":hex,"time":RFC3339,"type":…,…}`. `seq` counts
//! from 1; `prev` is the SHA-256 of the previous line's exact bytes without its newline (64
//! zeros for the first). Editing, deleting or reordering a line therefore breaks the chain or a
//! signature at that line, and [`verify`] names the first bad line.
//!
//! Cutting the tail leaves a valid chain, so after every append a signed checkpoint (count and
//! hash of the last line, like Certificate Transparency's signed tree head) is written beside
//! the ledger; anyone who kept an earlier checkpoint detects truncation or rollback because the
//! ledger must extend it. Appends hold an exclusive lock on `<ledger>.lock` and sync once per
//! batch (group commit).

use crate::sign::{self, KeyPair, SignError, TrustSet};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::{self, File, OpenOptions};
use std::io::{BufRead as _, Read as _, Seek as _, SeekFrom};
use std::path::{Path, PathBuf};

/// Payload type of a ledger line.
pub const ENTRY_TYPE: &str = "application/vnd.ceu.ledger-entry+json";
/// Payload type of a checkpoint.
pub const CHECKPOINT_TYPE: &str = "application/vnd.ceu.ledger-checkpoint+json";
/// `prev` of the first entry.
pub const GENESIS_PREV: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} line {line}: {message}")]
    BadLine {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error(
        "{path} ends with an incomplete line {line} (an interrupted write?) that its checkpoint does not account for; run `ceu ledger verify` and restore the ledger from a backup"
    )]
    TornTail { path: PathBuf, line: usize },
    #[error("checkpoint {path}: {message}")]
    BadCheckpoint { path: PathBuf, message: String },
    /// Writing a batch failed (a full disk, an I/O error); the batch was taken back out.
    #[error(
        "cannot append {lines} line(s) to the ledger {path}: {source}. The batch was taken back out, so the ledger is as it was before; free space (or fix the error) and run `ceu issue` again: it completes the batch without duplicates"
    )]
    AppendFailed {
        path: PathBuf,
        lines: usize,
        source: std::io::Error,
    },
    /// The ledger does not extend the checkpoint beside it: lines it had were cut or rewritten.
    #[error(
        "{path} does not extend its checkpoint {checkpoint}: {problem}. Lines that were recorded are missing or were changed; run `ceu ledger verify` and restore the ledger from a backup (ceu will not append to it, so the evidence stays as it is). If the ledger was moved on purpose, move its checkpoint with it"
    )]
    NotExtendingCheckpoint {
        path: PathBuf,
        checkpoint: PathBuf,
        problem: String,
    },
    #[error(transparent)]
    Sign(#[from] SignError),
}

/// Fields of an `issue` or `reissue` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueFields {
    /// Certificate id without the revision suffix.
    pub cert_id: String,
    pub revision: u32,
    pub offering_id: String,
    pub attendee_id: String,
    /// SHA-256 of the signed certificate-record envelope bytes embedded in the PDF.
    pub record_sha256: String,
    /// SHA-256 of the exact PDF bytes.
    pub pdf_sha256: String,
    /// The PDF's file name.
    pub pdf_file: String,
    pub verification_code: String,
    /// Reissue only: the revision this one replaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<u32>,
    /// SHA-256 of the printed content (everything but issuance details), so a re-run can tell
    /// an unchanged certificate from one whose record changed since issue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_sha256: Option<String>,
    /// Hashes of the inputs the decision was made from (name → hex SHA-256), if recorded.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub inputs: BTreeMap<String, String>,
}

/// Fields of a `report` entry (`ceu report`): the hashes of the files written and a keyed tag
/// per person reported, never a name (docs/verification.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFields {
    /// Which report: `asha` (the ASHA CE Registry participant file).
    pub report: String,
    pub offering_id: String,
    /// The course number the report was filed under (ASHA's, for `asha`).
    pub course_number: String,
    /// Participant rows in the file.
    pub rows: u32,
    /// File name → hex SHA-256 of its exact bytes.
    pub files: BTreeMap<String, String>,
    /// Per person, sorted: hex HMAC-SHA-256 (`KeyPair::derive_tag`) of the normalized email
    /// and ASHA account number.
    pub people: Vec<String>,
    /// The date the provider submitted it (YYYY-MM-DD), once recorded with `--submitted`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted: Option<String>,
}

/// Fields of a `revoke` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevokeFields {
    pub cert_id: String,
    pub revision: u32,
    pub reason: String,
}

/// What an entry records. Serialized with its `type` tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum EntryBody {
    Issue(IssueFields),
    Revoke(RevokeFields),
    Reissue(IssueFields),
    /// A report sent on after the class (`ceu report asha`): what was written, provably.
    Report(ReportFields),
}

impl EntryBody {
    /// Synthetic issue entry number `n` (`CERT{n:04}`, attendee `A{n}`, hashes derived from
    /// `n`), for tests and benchmarks that need many well-formed entries.
    #[doc(hidden)]
    pub fn synthetic_issue(n: u32) -> EntryBody {
        EntryBody::Issue(IssueFields {
            cert_id: format!("CERT{n:04}"),
            revision: 1,
            offering_id: "SER2".into(),
            attendee_id: format!("A{n}"),
            record_sha256: format!("{n:064x}"),
            pdf_sha256: format!("{:064x}", 1_000_000 + n),
            pdf_file: format!("CERT{n:04}-r1.pdf"),
            verification_code: format!("CODE{n}"),
            supersedes: None,
            content_sha256: None,
            inputs: Default::default(),
        })
    }

    pub fn cert_id(&self) -> &str {
        match self {
            EntryBody::Issue(f) | EntryBody::Reissue(f) => &f.cert_id,
            EntryBody::Revoke(f) => &f.cert_id,
            EntryBody::Report(_) => "",
        }
    }

    pub fn revision(&self) -> u32 {
        match self {
            EntryBody::Issue(f) | EntryBody::Reissue(f) => f.revision,
            EntryBody::Revoke(f) => f.revision,
            EntryBody::Report(_) => 0,
        }
    }

    /// The issue fields of an issue or reissue entry.
    pub fn issued(&self) -> Option<&IssueFields> {
        match self {
            EntryBody::Issue(f) | EntryBody::Reissue(f) => Some(f),
            EntryBody::Revoke(_) | EntryBody::Report(_) => None,
        }
    }

    fn validate(&self) -> Result<(), String> {
        match self {
            EntryBody::Reissue(f) if f.supersedes.is_none() => {
                Err("a reissue entry needs `supersedes`".into())
            }
            EntryBody::Issue(f) if f.supersedes.is_some() => {
                Err("an issue entry cannot supersede".into())
            }
            _ => Ok(()),
        }
    }
}

/// The signed payload of one ledger line. On the wire it is one flat JSON object
/// (`seq`, `prev`, `type`, `time`, then the type's fields), read and written through
/// [`FlatPayload`] because `#[serde(flatten)]` made parsing the largest cost of `verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "FlatPayload", into = "FlatPayload")]
pub struct EntryPayload {
    pub seq: u64,
    pub prev: String,
    /// RFC 3339, UTC, whole seconds.
    pub time: String,
    pub body: EntryBody,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum EntryKind {
    Issue,
    Revoke,
    Reissue,
    Report,
}

/// The wire form of [`EntryPayload`].
#[derive(Serialize, Deserialize)]
struct FlatPayload {
    seq: u64,
    prev: String,
    #[serde(rename = "type")]
    kind: EntryKind,
    time: String,
    // Absent from `report` entries; every other type has them (a certificate's revision is
    // at least 1), so the lines of those types are byte-for-byte as before.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    cert_id: String,
    #[serde(default, skip_serializing_if = "is_zero")]
    revision: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    offering_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    attendee_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    record_sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pdf_sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pdf_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    verification_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    supersedes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    content_sha256: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    inputs: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    report: Option<ReportFlat>,
}

/// The `report` entry's fields on the wire, under one `report` key.
#[derive(Serialize, Deserialize)]
struct ReportFlat {
    kind: String,
    course_number: String,
    rows: u32,
    files: BTreeMap<String, String>,
    people: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    submitted: Option<String>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl From<EntryPayload> for FlatPayload {
    fn from(payload: EntryPayload) -> FlatPayload {
        let mut reported = None;
        let (kind, issued, revoked) = match payload.body {
            EntryBody::Issue(f) => (EntryKind::Issue, Some(f), None),
            EntryBody::Reissue(f) => (EntryKind::Reissue, Some(f), None),
            EntryBody::Revoke(f) => (EntryKind::Revoke, None, Some(f)),
            EntryBody::Report(f) => {
                reported = Some(f);
                (EntryKind::Report, None, None)
            }
        };
        let mut flat = FlatPayload {
            seq: payload.seq,
            prev: payload.prev,
            kind,
            time: payload.time,
            cert_id: String::new(),
            revision: 0,
            offering_id: None,
            attendee_id: None,
            record_sha256: None,
            pdf_sha256: None,
            pdf_file: None,
            verification_code: None,
            supersedes: None,
            reason: None,
            content_sha256: None,
            inputs: BTreeMap::new(),
            report: None,
        };
        if let Some(f) = reported {
            flat.offering_id = Some(f.offering_id);
            flat.report = Some(ReportFlat {
                kind: f.report,
                course_number: f.course_number,
                rows: f.rows,
                files: f.files,
                people: f.people,
                submitted: f.submitted,
            });
        }
        if let Some(f) = issued {
            flat.cert_id = f.cert_id;
            flat.revision = f.revision;
            flat.offering_id = Some(f.offering_id);
            flat.attendee_id = Some(f.attendee_id);
            flat.record_sha256 = Some(f.record_sha256);
            flat.pdf_sha256 = Some(f.pdf_sha256);
            flat.pdf_file = Some(f.pdf_file);
            flat.verification_code = Some(f.verification_code);
            flat.supersedes = f.supersedes;
            flat.content_sha256 = f.content_sha256;
            flat.inputs = f.inputs;
        }
        if let Some(f) = revoked {
            flat.cert_id = f.cert_id;
            flat.revision = f.revision;
            flat.reason = Some(f.reason);
        }
        flat
    }
}

impl TryFrom<FlatPayload> for EntryPayload {
    type Error = String;

    fn try_from(flat: FlatPayload) -> Result<EntryPayload, String> {
        let kind = flat.kind;
        let name = match kind {
            EntryKind::Issue => "issue",
            EntryKind::Revoke => "revoke",
            EntryKind::Reissue => "reissue",
            EntryKind::Report => "report",
        };
        let need = |value: Option<String>, field: &str| {
            value.ok_or_else(|| format!("{name} entry without `{field}`"))
        };
        if kind != EntryKind::Report && (flat.cert_id.is_empty() || flat.revision == 0) {
            return Err(format!("{name} entry without `cert_id` or `revision`"));
        }
        let body = match kind {
            EntryKind::Report => {
                let report = flat
                    .report
                    .ok_or_else(|| "report entry without `report`".to_string())?;
                EntryBody::Report(ReportFields {
                    report: report.kind,
                    offering_id: need(flat.offering_id, "offering_id")?,
                    course_number: report.course_number,
                    rows: report.rows,
                    files: report.files,
                    people: report.people,
                    submitted: report.submitted,
                })
            }
            EntryKind::Revoke => EntryBody::Revoke(RevokeFields {
                cert_id: flat.cert_id,
                revision: flat.revision,
                reason: need(flat.reason, "reason")?,
            }),
            EntryKind::Issue | EntryKind::Reissue => {
                let fields = IssueFields {
                    cert_id: flat.cert_id,
                    revision: flat.revision,
                    offering_id: need(flat.offering_id, "offering_id")?,
                    attendee_id: need(flat.attendee_id, "attendee_id")?,
                    record_sha256: need(flat.record_sha256, "record_sha256")?,
                    pdf_sha256: need(flat.pdf_sha256, "pdf_sha256")?,
                    pdf_file: need(flat.pdf_file, "pdf_file")?,
                    verification_code: need(flat.verification_code, "verification_code")?,
                    supersedes: flat.supersedes,
                    content_sha256: flat.content_sha256,
                    inputs: flat.inputs,
                };
                if kind == EntryKind::Issue {
                    EntryBody::Issue(fields)
                } else {
                    EntryBody::Reissue(fields)
                }
            }
        };
        body.validate()?;
        Ok(EntryPayload {
            seq: flat.seq,
            prev: flat.prev,
            time: flat.time,
            body,
        })
    }
}

/// One ledger line, parsed. (The line's bytes are not kept: at 100,000 entries they were
/// 165 MB that nothing read again.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub payload: EntryPayload,
    /// Hex SHA-256 of the line's exact bytes (without its newline): the next line's `prev`.
    pub hash: String,
    /// The key id named by the line's first signature (not verified by [`read`]).
    pub key_id: String,
}

impl Entry {
    pub fn seq(&self) -> u64 {
        self.payload.seq
    }

    pub fn body(&self) -> &EntryBody {
        &self.payload.body
    }

    /// `<cert_id>-r<revision>`.
    pub fn full_cert_id(&self) -> String {
        full_cert_id(self.body().cert_id(), self.body().revision())
    }

    fn parse(raw: &[u8]) -> Result<Entry, String> {
        let envelope = sign::parse_envelope(raw).map_err(|e| e.to_string())?;
        Entry::from_envelope(&envelope, sign::sha256(raw))
    }

    /// The entry an envelope carries (shape only; `hash` is the SHA-256 of its line).
    fn from_envelope(envelope: &sign::Envelope, hash: [u8; 32]) -> Result<Entry, String> {
        let payload = check_payload(envelope)?;
        let key_id = envelope
            .signatures
            .first()
            .map(|(id, _)| id.clone())
            .unwrap_or_default();
        Ok(Entry {
            payload,
            hash: String::from_utf8(hex64(&hash).to_vec()).expect("hex is ASCII"),
            key_id,
        })
    }
}

/// `<cert_id>-r<revision>`.
pub fn full_cert_id(cert_id: &str, revision: u32) -> String {
    format!("{cert_id}-r{revision}")
}

/// Splits `ID-rN` into `(ID, Some(N))`; anything else is `(text, None)`.
pub fn split_cert_ref(text: &str) -> (&str, Option<u32>) {
    if let Some((base, rev)) = text.rsplit_once("-r")
        && !base.is_empty()
        && !rev.is_empty()
        && rev.bytes().all(|b| b.is_ascii_digit())
        && let Ok(revision) = rev.parse()
    {
        return (base, Some(revision));
    }
    (text, None)
}

/// The signed checkpoint's payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckpointPayload {
    /// Always `"ceu"`.
    pub ledger: String,
    /// Number of lines the ledger had.
    pub count: u64,
    /// Hex SHA-256 of line `count` (64 zeros when `count` is 0).
    pub last_hash: String,
    pub time: String,
}

/// `<dir>/<stem>.checkpoint.json` for `<dir>/<stem>.jsonl`.
pub fn checkpoint_path(ledger: &Path) -> PathBuf {
    let stem = ledger
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("ledger");
    ledger.with_file_name(format!("{stem}.checkpoint.json"))
}

/// `<ledger>.lock`, the file appenders lock.
pub fn lock_path(ledger: &Path) -> PathBuf {
    let name = ledger
        .file_name()
        .and_then(|s| s.to_str())
        .unwrap_or("ledger.jsonl");
    ledger.with_file_name(format!("{name}.lock"))
}

/// The folder of public keys beside a ledger: `<ledger dir>/keys`.
pub fn keys_dir(ledger: &Path) -> PathBuf {
    match ledger.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.join("keys"),
        _ => PathBuf::from("keys"),
    }
}

/// Now, as ledger entries record it: RFC 3339, UTC, whole seconds.
pub fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Appends signed entries in one batch (see [`LockedLedger::append`]); time is now.
pub fn append(
    path: &Path,
    bodies: Vec<EntryBody>,
    key: &KeyPair,
) -> Result<Vec<Entry>, LedgerError> {
    LockedLedger::open(path)?.append(bodies, key, &now_rfc3339())
}

/// Like [`append`], with the given entry time (RFC 3339).
pub fn append_at(
    path: &Path,
    bodies: Vec<EntryBody>,
    key: &KeyPair,
    time: &str,
) -> Result<Vec<Entry>, LedgerError> {
    LockedLedger::open(path)?.append(bodies, key, time)
}

/// The ledger held under its exclusive lock (`<ledger>.lock`) until dropped. Hold it across
/// "read, decide, append" so that two runs cannot both append the same certificate: e.g.
/// `let mut ledger = LockedLedger::open(p)?; let index = ledger.index()?; …; ledger.append(…)`.
#[derive(Debug)]
pub struct LockedLedger {
    path: PathBuf,
    dir: PathBuf,
    file: File,
    last_seq: u64,
    last_hash: String,
    /// Lines the checkpoint beside the ledger counted when it was opened (`None`: no checkpoint).
    checkpointed: Option<u64>,
    _lock: File,
}

impl LockedLedger {
    /// Creates the folder and ledger if needed, takes the lock (waiting for other writers,
    /// and saying so once), removes checkpoint temporaries a killed run left, and checks that
    /// the ledger extends the checkpoint beside it (else [`LedgerError::NotExtendingCheckpoint`]
    /// or, for a torn line the checkpoint counts, [`LedgerError::TornTail`]). A trailing
    /// incomplete line beyond the checkpoint (an append interrupted by a crash or a full disk)
    /// is cut off, and a warning on standard error says so.
    pub fn open(path: &Path) -> Result<LockedLedger, LedgerError> {
        let write_err = |source| LedgerError::Write {
            path: path.to_path_buf(),
            source,
        };
        let dir = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&dir).map_err(write_err)?;
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(lock_path(path))
            .map_err(write_err)?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                eprintln!(
                    "waiting for the ledger lock held by another ceu run ({})…",
                    lock_path(path).display()
                );
                lock.lock().map_err(write_err)?;
            }
            Err(fs::TryLockError::Error(e)) => return Err(write_err(e)),
        }
        remove_checkpoint_temporaries(&dir);
        let mut file = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(path)
            .map_err(write_err)?;
        let tail = read_tail(path, &mut file)?;
        let checkpoint = read_checkpoint_beside(path)?;
        check_extends_checkpoint(path, &tail, checkpoint.as_ref())?;
        if tail.committed_end != tail.len {
            file.set_len(tail.committed_end)
                .and_then(|()| file.sync_all())
                .map_err(write_err)?;
            eprintln!(
                "warning: {}: removed an incomplete line {} ({} bytes) that an interrupted run wrote after the last checkpoint; the {} complete line(s) before it are kept",
                path.display(),
                tail.last_seq + 1,
                tail.len - tail.committed_end,
                tail.last_seq
            );
        }
        Ok(LockedLedger {
            path: path.to_path_buf(),
            dir,
            file,
            last_seq: tail.last_seq,
            last_hash: tail.last_hash,
            checkpointed: checkpoint.map(|cp| cp.count),
            _lock: lock,
        })
    }

    /// Writes the checkpoint when it is missing or behind the ledger (a run killed between
    /// its append and its checkpoint); does nothing when it is current. Returns whether it
    /// wrote one.
    pub fn bring_checkpoint_up_to_date(
        &mut self,
        key: &KeyPair,
        time: &str,
    ) -> Result<bool, LedgerError> {
        if self.last_seq == 0 || self.checkpointed == Some(self.last_seq) {
            return Ok(false);
        }
        write_checkpoint(&self.path, key, self.last_seq, &self.last_hash, time)?;
        self.checkpointed = Some(self.last_seq);
        Ok(true)
    }

    /// Number of lines (the last seq).
    pub fn len(&self) -> u64 {
        self.last_seq
    }

    pub fn is_empty(&self) -> bool {
        self.last_seq == 0
    }

    /// Reads and indexes the whole ledger as it is under the lock.
    pub fn index(&self) -> Result<LedgerIndex, LedgerError> {
        LedgerIndex::load(&self.path)
    }

    /// Signs and writes `bodies` as consecutive lines, syncs once (group commit), then
    /// replaces the checkpoint atomically (temp file, rename, directory sync). Returns the new
    /// entries. An empty batch still refreshes the checkpoint.
    pub fn append(
        &mut self,
        bodies: Vec<EntryBody>,
        key: &KeyPair,
        time: &str,
    ) -> Result<Vec<Entry>, LedgerError> {
        let path = self.path.clone();
        for body in &bodies {
            body.validate().map_err(|message| LedgerError::BadLine {
                path: path.clone(),
                line: 0,
                message,
            })?;
        }
        let write_err = |source| LedgerError::Write {
            path: path.clone(),
            source,
        };
        let was_empty = self.last_seq == 0;
        let mut buffer = Vec::with_capacity(bodies.len() * 700);
        let mut entries = Vec::with_capacity(bodies.len());
        let (mut last_seq, mut last_hash) = (self.last_seq, self.last_hash.clone());
        for body in bodies {
            let payload = EntryPayload {
                seq: last_seq + 1,
                prev: last_hash.clone(),
                time: time.to_string(),
                body,
            };
            let json = serde_json::to_vec(&payload).expect("an entry always serializes");
            let raw = sign::sign_envelope(key, ENTRY_TYPE, &json);
            let hash = sign::sha256_hex(&raw);
            buffer.extend_from_slice(&raw);
            buffer.push(b'\n');
            last_seq = payload.seq;
            last_hash = hash.clone();
            entries.push(Entry {
                payload,
                hash,
                key_id: key.key_id().to_string(),
            });
        }
        let committed_len = self.file.metadata().map_err(write_err)?.len();
        if let Err(error) =
            crate::fault::write_all(&mut self.file, &buffer).and_then(|()| self.file.sync_all())
        {
            // A full disk (or any failed write) must not leave a torn line that blocks every
            // later run: give the batch back. Shrinking needs no free space. If even that
            // fails, the next `open` removes the torn line, which lies beyond the checkpoint.
            let _ = self
                .file
                .set_len(committed_len)
                .and_then(|()| self.file.sync_all());
            return Err(LedgerError::AppendFailed {
                path: path.clone(),
                lines: entries.len(),
                source: error,
            });
        }
        if was_empty {
            // A new ledger file's directory entry must be durable too.
            sign::sync_dir(&self.dir);
        }
        self.last_seq = last_seq;
        self.last_hash = last_hash;
        write_checkpoint(&path, key, self.last_seq, &self.last_hash, time)?;
        self.checkpointed = Some(self.last_seq);
        Ok(entries)
    }
}

/// What [`read_tail`] found at the end of the ledger.
struct Tail {
    /// File length in bytes.
    len: u64,
    /// Byte offset just past the last complete line's newline.
    committed_end: u64,
    last_seq: u64,
    last_hash: String,
}

/// Reads the last complete line: its seq and hash (0 and 64 zeros when empty), and where the
/// complete lines end (before a trailing incomplete line, if any).
fn read_tail(path: &Path, file: &mut File) -> Result<Tail, LedgerError> {
    let read_err = |source| LedgerError::Read {
        path: path.to_path_buf(),
        source,
    };
    let len = file.metadata().map_err(read_err)?.len();
    let empty = |committed_end| Tail {
        len,
        committed_end,
        last_seq: 0,
        last_hash: GENESIS_PREV.to_string(),
    };
    if len == 0 {
        return Ok(empty(0));
    }
    // Read backwards until the buffer holds the last complete line and the newline before it.
    let mut start = len;
    let mut tail = Vec::new();
    loop {
        let new_start = start.saturating_sub(64 * 1024);
        let mut chunk = vec![0u8; (start - new_start) as usize];
        file.seek(SeekFrom::Start(new_start)).map_err(read_err)?;
        file.read_exact(&mut chunk).map_err(read_err)?;
        chunk.extend_from_slice(&tail);
        tail = chunk;
        start = new_start;
        let body_end = match tail.iter().rposition(|&b| b == b'\n') {
            Some(i) => i,
            None if start == 0 => return Ok(empty(0)),
            None => continue,
        };
        let line_start = match tail[..body_end].iter().rposition(|&b| b == b'\n') {
            Some(i) => i + 1,
            None if start == 0 => 0,
            None => continue,
        };
        let line = &tail[line_start..body_end];
        let entry = Entry::parse(line).map_err(|message| LedgerError::BadLine {
            path: path.to_path_buf(),
            line: 0,
            message: format!("last line: {message}"),
        })?;
        return Ok(Tail {
            len,
            committed_end: start + body_end as u64 + 1,
            last_seq: entry.seq(),
            last_hash: entry.hash,
        });
    }
}

/// The checkpoint beside the ledger, if there is one.
fn read_checkpoint_beside(ledger: &Path) -> Result<Option<CheckpointPayload>, LedgerError> {
    let path = checkpoint_path(ledger);
    let bytes = match fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(LedgerError::Read { path, source }),
    };
    let payload = sign::parse_envelope(&bytes)
        .map_err(|e| e.to_string())
        .and_then(|envelope| {
            serde_json::from_slice::<CheckpointPayload>(&envelope.payload)
                .map_err(|e| e.to_string())
        });
    match payload {
        Ok(payload) => Ok(Some(payload)),
        Err(message) => Err(LedgerError::BadCheckpoint {
            path,
            message: format!(
                "not a ceu checkpoint ({message}); restore it from a backup, or move it away if the ledger itself is known to be good"
            ),
        }),
    }
}

/// Refuses a ledger that does not extend the checkpoint beside it: fewer lines than it counts
/// (a cut tail, or a torn line it counts) or a different line where it ends (a rewrite).
fn check_extends_checkpoint(
    path: &Path,
    tail: &Tail,
    checkpoint: Option<&CheckpointPayload>,
) -> Result<(), LedgerError> {
    let Some(cp) = checkpoint else {
        return Ok(());
    };
    let refuse = |problem: String| LedgerError::NotExtendingCheckpoint {
        path: path.to_path_buf(),
        checkpoint: checkpoint_path(path),
        problem,
    };
    if cp.count > tail.last_seq {
        if tail.committed_end != tail.len {
            return Err(LedgerError::TornTail {
                path: path.to_path_buf(),
                line: tail.last_seq as usize + 1,
            });
        }
        return Err(refuse(format!(
            "the ledger has {} complete line(s), the checkpoint counts {}",
            tail.last_seq, cp.count
        )));
    }
    let hash_at_count = if cp.count == tail.last_seq {
        tail.last_hash.clone()
    } else {
        line_hash(path, cp.count)?
    };
    if hash_at_count != cp.last_hash {
        return Err(refuse(format!(
            "line {} is not the line the checkpoint recorded",
            cp.count
        )));
    }
    Ok(())
}

/// Hex SHA-256 of line `seq` (without its newline); 64 zeros for line 0.
fn line_hash(path: &Path, seq: u64) -> Result<String, LedgerError> {
    if seq == 0 {
        return Ok(GENESIS_PREV.to_string());
    }
    let read_err = |source| LedgerError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut reader = std::io::BufReader::new(File::open(path).map_err(read_err)?);
    let mut line = Vec::new();
    for _ in 0..seq {
        line.clear();
        reader.read_until(b'\n', &mut line).map_err(read_err)?;
    }
    if line.last() == Some(&b'\n') {
        line.pop();
    }
    Ok(sign::sha256_hex(&line))
}

/// Removes `.ceu-checkpoint-*` temporaries that a run killed while writing its checkpoint left
/// behind. The caller holds the ledger lock, so no other run is writing one now.
fn remove_checkpoint_temporaries(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with(CHECKPOINT_TEMP_PREFIX)
        {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Name prefix of the temporary file a checkpoint is written to before its rename.
const CHECKPOINT_TEMP_PREFIX: &str = ".ceu-checkpoint-";

fn write_checkpoint(
    ledger: &Path,
    key: &KeyPair,
    count: u64,
    last_hash: &str,
    time: &str,
) -> Result<(), LedgerError> {
    let path = checkpoint_path(ledger);
    let payload = CheckpointPayload {
        ledger: "ceu".to_string(),
        count,
        last_hash: last_hash.to_string(),
        time: time.to_string(),
    };
    let json = serde_json::to_vec(&payload).expect("a checkpoint always serializes");
    let mut bytes = sign::sign_envelope(key, CHECKPOINT_TYPE, &json);
    bytes.push(b'\n');
    let write_err = |source| LedgerError::Write {
        path: path.clone(),
        source,
    };
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(CHECKPOINT_TEMP_PREFIX);
    // Published and kept by auditors: readable by everyone, like a public key.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut tmp = builder.tempfile_in(&dir).map_err(write_err)?;
    crate::fault::write_all(tmp.as_file_mut(), &bytes).map_err(write_err)?;
    tmp.as_file().sync_all().map_err(write_err)?;
    crate::fault::abort_in_checkpoint();
    tmp.persist(&path).map_err(|e| write_err(e.error))?;
    sign::sync_dir(&dir);
    Ok(())
}

/// Reads every line (shape only: signatures and chain are [`verify`]'s job). A missing file is
/// an empty ledger.
pub fn read(path: &Path) -> Result<Vec<Entry>, LedgerError> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(LedgerError::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let lines = split_lines(&bytes);
    lines
        .par_iter()
        .enumerate()
        .map(|(i, line)| {
            Entry::parse(line).map_err(|message| LedgerError::BadLine {
                path: path.to_path_buf(),
                line: i + 1,
                message,
            })
        })
        .collect()
}

/// Lines without their newlines; a final line without a newline is included.
fn split_lines(bytes: &[u8]) -> Vec<&[u8]> {
    let mut lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    if lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

/// Lookups over a ledger's entries.
#[derive(Debug, Default)]
pub struct LedgerIndex {
    entries: Vec<Entry>,
    /// (cert_id, revision) → index of its issue/reissue entry.
    issued: HashMap<(String, u32), usize>,
    /// cert_id → latest issued revision.
    latest_revision: HashMap<String, u32>,
    by_pdf: HashMap<String, usize>,
    /// (offering_id, attendee_id) → index of the latest issue/reissue entry.
    by_person: HashMap<(String, String), usize>,
    /// (cert_id, revision) → index of its revoke entry.
    revoked: HashMap<(String, u32), usize>,
    /// (cert_id, revision) → index of the reissue entry that superseded it.
    superseded_by: HashMap<(String, u32), usize>,
}

impl LedgerIndex {
    pub fn new(entries: Vec<Entry>) -> LedgerIndex {
        let mut index = LedgerIndex::default();
        for (i, entry) in entries.iter().enumerate() {
            match entry.body() {
                EntryBody::Issue(f) | EntryBody::Reissue(f) => {
                    let key = (f.cert_id.clone(), f.revision);
                    index.issued.insert(key, i);
                    let latest = index
                        .latest_revision
                        .entry(f.cert_id.clone())
                        .or_insert(f.revision);
                    *latest = (*latest).max(f.revision);
                    index.by_pdf.insert(f.pdf_sha256.clone(), i);
                    index
                        .by_person
                        .insert((f.offering_id.clone(), f.attendee_id.clone()), i);
                    if let Some(old) = f.supersedes {
                        index.superseded_by.insert((f.cert_id.clone(), old), i);
                    }
                }
                EntryBody::Report(_) => {}
                EntryBody::Revoke(f) => {
                    index
                        .revoked
                        .entry((f.cert_id.clone(), f.revision))
                        .or_insert(i);
                }
            }
        }
        index.entries = entries;
        index
    }

    /// Reads the ledger and indexes it.
    pub fn load(path: &Path) -> Result<LedgerIndex, LedgerError> {
        Ok(LedgerIndex::new(read(path)?))
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The issue/reissue entry for `ID-rN`, or for `ID`'s latest revision. An exact id match
    /// is preferred, so an id that itself ends in `-r<digits>` still resolves.
    pub fn certificate(&self, cert_ref: &str) -> Option<&Entry> {
        if let Some(rev) = self.latest_revision.get(cert_ref) {
            return self
                .issued
                .get(&(cert_ref.to_string(), *rev))
                .map(|&i| &self.entries[i]);
        }
        let (base, revision) = split_cert_ref(cert_ref);
        let revision = revision?;
        self.issued
            .get(&(base.to_string(), revision))
            .map(|&i| &self.entries[i])
    }

    /// The latest issued revision of a certificate id (without suffix).
    pub fn latest_revision(&self, cert_id: &str) -> Option<u32> {
        self.latest_revision.get(cert_id).copied()
    }

    /// The issue/reissue entry whose PDF has this SHA-256 (hex, any case).
    pub fn by_pdf_sha256(&self, sha256: &str) -> Option<&Entry> {
        self.by_pdf
            .get(&sha256.to_ascii_lowercase())
            .map(|&i| &self.entries[i])
    }

    /// The latest issue/reissue entry for a person in an offering.
    pub fn latest_for(&self, offering_id: &str, attendee_id: &str) -> Option<&Entry> {
        self.by_person
            .get(&(offering_id.to_string(), attendee_id.to_string()))
            .map(|&i| &self.entries[i])
    }

    /// The revoke entry of a certificate revision, if any.
    pub fn revocation(&self, cert_id: &str, revision: u32) -> Option<&Entry> {
        self.revoked
            .get(&(cert_id.to_string(), revision))
            .map(|&i| &self.entries[i])
    }

    /// The reissue entry that replaced a certificate revision, if any.
    pub fn superseded_by(&self, cert_id: &str, revision: u32) -> Option<&Entry> {
        self.superseded_by
            .get(&(cert_id.to_string(), revision))
            .map(|&i| &self.entries[i])
    }

    /// Every revoked `(cert_id, revision)`.
    pub fn revoked(&self) -> BTreeSet<(String, u32)> {
        self.revoked.keys().cloned().collect()
    }
}

/// What is wrong with a ledger line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineProblem {
    Malformed(String),
    /// Last line lacks its newline: an interrupted write, or an edit.
    Incomplete,
    WrongSeq {
        expected: u64,
        found: u64,
    },
    BrokenChain {
        expected: String,
        found: String,
    },
    Signature(String),
}

impl std::fmt::Display for LineProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LineProblem::Malformed(m) => write!(f, "malformed entry: {m}"),
            LineProblem::Incomplete => {
                write!(f, "incomplete line (no newline at the end of the file)")
            }
            LineProblem::WrongSeq { expected, found } => {
                write!(
                    f,
                    "sequence number {found}, expected {expected} (a line was deleted, inserted or moved)"
                )
            }
            LineProblem::BrokenChain { expected, found } => write!(
                f,
                "prev is {found} but the line before hashes to {expected} (the line before was edited, or lines were reordered)"
            ),
            LineProblem::Signature(m) => write!(f, "signature: {m}"),
        }
    }
}

/// How the ledger relates to a checkpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckpointStatus {
    /// The ledger extends the checkpoint.
    Consistent { count: u64, key_id: String },
    /// The checkpoint's signature does not verify against the trusted keys.
    Untrusted(String),
    /// The checkpoint counts more lines than the ledger has: truncated or rolled back.
    Truncated { count: u64, lines: usize },
    /// Line `count` does not hash to the checkpoint's `last_hash`: history was rewritten.
    Rewritten { count: u64 },
}

/// The outcome of [`verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// Number of lines read.
    pub lines: usize,
    /// The first bad line (1-based) and what is wrong with it.
    pub first_bad: Option<(usize, LineProblem)>,
    /// Set when a checkpoint was given.
    pub checkpoint: Option<CheckpointStatus>,
    /// Key ids that signed verified lines.
    pub signers: BTreeSet<String>,
    /// Hash of the last line (64 zeros when empty).
    pub last_hash: String,
}

impl VerifyReport {
    pub fn is_ok(&self) -> bool {
        self.first_bad.is_none()
            && matches!(
                self.checkpoint,
                None | Some(CheckpointStatus::Consistent { .. })
            )
    }
}

/// Lower-case hex of a SHA-256, on the stack (it is needed once or twice per ledger line).
fn hex64(hash: &[u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    hex::encode_to_slice(hash, &mut out).expect("64 bytes hold 32 in hex");
    out
}

/// One line as [`verify_with`] checked it.
struct LineChecked {
    hash: [u8; 32],
    entry: Result<Entry, String>,
    /// The key id whose signature verified.
    signer: Result<String, SignError>,
}

/// Lines read, verified and let go at a time: a 100,000-entry ledger is 165 MB, and its decoded
/// envelopes as much again, so it is verified in blocks (each in parallel) rather than whole.
const BLOCK_LINES: usize = 16384;

/// Verifies sequence numbers, the hash chain, every signature against `trust` (batch
/// verification on every core) and, if given, consistency with a checkpoint. `Err` only when
/// a file cannot be read or the checkpoint is not a checkpoint at all.
pub fn verify(
    path: &Path,
    trust: &TrustSet,
    checkpoint: Option<&Path>,
) -> Result<VerifyReport, LedgerError> {
    verify_with(path, trust, checkpoint, |_| {})
}

/// [`verify`], handing every well-formed entry to `keep` in file order, so a ledger can be
/// verified and indexed in one read.
pub fn verify_with(
    path: &Path,
    trust: &TrustSet,
    checkpoint: Option<&Path>,
    keep: impl FnMut(Entry),
) -> Result<VerifyReport, LedgerError> {
    verify_in_blocks(path, trust, checkpoint, BLOCK_LINES, keep)
}

/// [`verify_with`] reading `block_lines` lines at a time (tests show the report does not
/// depend on where the blocks fall).
#[doc(hidden)]
pub fn verify_in_blocks(
    path: &Path,
    trust: &TrustSet,
    checkpoint: Option<&Path>,
    block_lines: usize,
    mut keep: impl FnMut(Entry),
) -> Result<VerifyReport, LedgerError> {
    let block_lines = block_lines.max(1);
    let read_err = |source| LedgerError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut reader =
        std::io::BufReader::with_capacity(1 << 20, File::open(path).map_err(read_err)?);
    // Every line's SHA-256 (the chain, the checkpoint and the last hash need them).
    let mut hashes: Vec<[u8; 32]> = Vec::new();
    let mut first_bad: Option<(usize, LineProblem)> = None;
    let note = |line: usize, problem: LineProblem, first_bad: &mut Option<(usize, LineProblem)>| {
        if first_bad.as_ref().is_none_or(|(l, _)| line < *l) {
            *first_bad = Some((line, problem));
        }
    };
    let mut chain_ok = true;
    let mut signature_ok = true;
    let mut signers = BTreeSet::new();
    let mut block: Vec<u8> = Vec::new();
    let mut ends: Vec<usize> = Vec::with_capacity(block_lines.min(BLOCK_LINES));
    let mut incomplete = false;
    loop {
        block.clear();
        ends.clear();
        while ends.len() < block_lines {
            let read = reader.read_until(b'\n', &mut block).map_err(read_err)?;
            if read == 0 {
                break;
            }
            if block.last() == Some(&b'\n') {
                block.pop();
            } else {
                incomplete = true;
            }
            ends.push(block.len());
        }
        if ends.is_empty() {
            break;
        }
        let lines: Vec<&[u8]> = ends
            .iter()
            .enumerate()
            .map(|(i, &end)| &block[if i == 0 { 0 } else { ends[i - 1] }..end])
            .collect();
        // One parallel pass per block: each task parses a batch of lines and batch-verifies
        // their signatures (two passes left both cores idling in between).
        let checked: Vec<Vec<LineChecked>> = lines
            .par_chunks(sign::BATCH_CHUNK)
            .map(|batch| {
                let (parsed, envelopes): (Vec<_>, Vec<_>) = batch
                    .iter()
                    .map(|line| {
                        let hash = sign::sha256(line);
                        match sign::parse_envelope(line) {
                            Err(e) => ((hash, Err(e.to_string())), Err(e)),
                            Ok(envelope) => {
                                let entry = Entry::from_envelope(&envelope, hash);
                                ((hash, entry), Ok(envelope))
                            }
                        }
                    })
                    .unzip();
                parsed
                    .into_iter()
                    .zip(sign::verify_parsed(envelopes, trust))
                    .map(|((hash, entry), signature)| LineChecked {
                        hash,
                        entry,
                        signer: signature.map(|opened| opened.key_id),
                    })
                    .collect()
            })
            .collect();
        for line in checked.into_iter().flatten() {
            hashes.push(line.hash);
            let line_no = hashes.len();
            // Signatures are checked up to the first bad one, even after a chain problem.
            if signature_ok {
                match line.signer {
                    Ok(key_id) => {
                        signers.insert(key_id);
                    }
                    Err(SignError::Malformed(_)) => {} // reported by the chain check
                    Err(error) => {
                        let problem = LineProblem::Signature(error.to_string());
                        note(line_no, problem, &mut first_bad);
                        signature_ok = false;
                    }
                }
            }
            if chain_ok {
                let problem = match &line.entry {
                    Err(message) => Some(LineProblem::Malformed(message.clone())),
                    Ok(entry) if entry.payload.seq != line_no as u64 => {
                        Some(LineProblem::WrongSeq {
                            expected: line_no as u64,
                            found: entry.payload.seq,
                        })
                    }
                    Ok(entry) => {
                        // The line before's hash, compared as hex bytes on the stack (hex-encoding
                        // it into a String per line was ~1 % of `ledger verify`).
                        let before = if line_no == 1 {
                            [0u8; 32]
                        } else {
                            hashes[line_no - 2]
                        };
                        let expected = hex64(&before);
                        (entry.payload.prev.as_bytes() != expected).then(|| {
                            LineProblem::BrokenChain {
                                expected: hex::encode(before),
                                found: entry.payload.prev.clone(),
                            }
                        })
                    }
                };
                if let Some(problem) = problem {
                    note(line_no, problem, &mut first_bad);
                    chain_ok = false;
                }
            }
            if let Ok(entry) = line.entry {
                keep(entry);
            }
        }
    }
    if incomplete {
        note(hashes.len(), LineProblem::Incomplete, &mut first_bad);
    }
    let last_hash = match hashes.last() {
        Some(hash) => hex::encode(hash),
        None => GENESIS_PREV.to_string(),
    };
    let checkpoint = match checkpoint {
        None => None,
        Some(cp_path) => Some(check_checkpoint(cp_path, trust, &hashes)?),
    };
    Ok(VerifyReport {
        lines: hashes.len(),
        first_bad,
        checkpoint,
        signers,
        last_hash,
    })
}

fn check_payload(envelope: &sign::Envelope) -> Result<EntryPayload, String> {
    if envelope.payload_type != ENTRY_TYPE {
        return Err(format!(
            "payload type is {}, not {ENTRY_TYPE}",
            envelope.payload_type
        ));
    }
    let payload: EntryPayload =
        serde_json::from_slice(&envelope.payload).map_err(|e| format!("entry payload: {e}"))?;
    payload.body.validate()?;
    Ok(payload)
}

/// Reads and checks a checkpoint file against the ledger's lines.
pub fn check_checkpoint(
    path: &Path,
    trust: &TrustSet,
    hashes: &[[u8; 32]],
) -> Result<CheckpointStatus, LedgerError> {
    let bad = |message: String| LedgerError::BadCheckpoint {
        path: path.to_path_buf(),
        message,
    };
    let bytes = fs::read(path).map_err(|source| LedgerError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let envelope = sign::parse_envelope(&bytes).map_err(|e| bad(e.to_string()))?;
    if envelope.payload_type != CHECKPOINT_TYPE {
        return Err(bad(format!(
            "payload type is {}, not {CHECKPOINT_TYPE}",
            envelope.payload_type
        )));
    }
    let payload: CheckpointPayload =
        serde_json::from_slice(&envelope.payload).map_err(|e| bad(format!("payload: {e}")))?;
    let key_id = match envelope.verify(trust) {
        Ok(opened) => opened.key_id,
        Err(error) => return Ok(CheckpointStatus::Untrusted(error.to_string())),
    };
    let count = payload.count;
    if count as usize > hashes.len() {
        return Ok(CheckpointStatus::Truncated {
            count,
            lines: hashes.len(),
        });
    }
    let actual = match count {
        0 => GENESIS_PREV.to_string(),
        n => hex::encode(hashes[n as usize - 1]),
    };
    if actual != payload.last_hash {
        return Ok(CheckpointStatus::Rewritten { count });
    }
    Ok(CheckpointStatus::Consistent { count, key_id })
}
