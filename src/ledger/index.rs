//! Reading a ledger's lines (shape only) and lookups over its entries: by certificate id and
//! revision, by PDF hash, by person, and which revisions were revoked or superseded.

use super::entry::{Entry, EntryBody, split_cert_ref};
use super::error::LedgerError;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::Path;

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
    /// Indexes entries given in ledger order (later entries win where keys repeat).
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
                EntryBody::Report(_) | EntryBody::Notice(_) => {}
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

    /// Every entry, in ledger order.
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
            Entry::parse(line).map_err(|problem| LedgerError::BadLine {
                path: path.to_path_buf(),
                line: i + 1,
                problem,
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
