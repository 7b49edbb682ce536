//! `ceu ledger verify`: sequence numbers, the hash chain and every signature of a ledger, read
//! in blocks and batch-verified in parallel, and its consistency with a checkpoint.

use super::checkpoint::{CheckpointStatus, check_checkpoint};
use super::entry::{Entry, GENESIS_PREV, hex64};
use super::error::{EntryError, LedgerError};
use crate::sign::{self, SignError, TrustSet};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::fs::File;
use std::io::BufRead as _;
use std::path::Path;

/// What is wrong with a ledger line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineProblem {
    /// Not a well-formed entry.
    Malformed(EntryError),
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

/// One line as [`verify_with`] checked it.
struct LineChecked {
    hash: [u8; 32],
    entry: Result<Entry, EntryError>,
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
                            Err(e) => ((hash, Err(EntryError::Envelope(e.to_string()))), Err(e)),
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
