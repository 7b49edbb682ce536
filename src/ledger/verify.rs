//! `ceu ledger verify`: sequence numbers, the hash chain and every signature of a ledger, read
//! in blocks and batch-verified in parallel, and its consistency with a checkpoint.

use super::checkpoint::{CheckpointStatus, check_checkpoint};
use super::entry::{Entry, GENESIS_PREV, hex64};
use super::error::{EntryError, LedgerError};
use crate::sign::{self, SignError, TrustSet};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::fs::File;
use std::io::BufRead;
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
    /// No bad line, and the ledger extends the checkpoint (if one was given).
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
    let mut chain = Chain::new();
    let mut block = Block {
        bytes: Vec::new(),
        ends: Vec::with_capacity(block_lines.min(BLOCK_LINES)),
        incomplete: false,
    };
    loop {
        block.read(&mut reader, block_lines).map_err(read_err)?;
        if block.ends.is_empty() {
            break;
        }
        for line in check_lines(&block.lines(), trust) {
            if let Some(entry) = chain.accept(line) {
                keep(entry);
            }
        }
    }
    if block.incomplete {
        chain.note(chain.hashes.len(), LineProblem::Incomplete);
    }
    let checkpoint = match checkpoint {
        None => None,
        Some(cp_path) => Some(check_checkpoint(cp_path, trust, &chain.hashes)?),
    };
    Ok(chain.into_report(checkpoint))
}

/// Up to `block_lines` lines of the ledger, read into one buffer.
struct Block {
    /// The lines' bytes, newlines removed, end to end.
    bytes: Vec<u8>,
    /// Where each line ends in `bytes`.
    ends: Vec<usize>,
    /// Whether the last line read had no newline (the end of a torn file).
    incomplete: bool,
}

impl Block {
    /// Replaces the block with the next `block_lines` lines (none at the end of the file).
    fn read(&mut self, reader: &mut impl BufRead, block_lines: usize) -> std::io::Result<()> {
        self.bytes.clear();
        self.ends.clear();
        while self.ends.len() < block_lines {
            let read = reader.read_until(b'\n', &mut self.bytes)?;
            if read == 0 {
                break;
            }
            if self.bytes.last() == Some(&b'\n') {
                self.bytes.pop();
            } else {
                self.incomplete = true;
            }
            self.ends.push(self.bytes.len());
        }
        Ok(())
    }

    fn lines(&self) -> Vec<&[u8]> {
        self.ends
            .iter()
            .enumerate()
            .map(|(i, &end)| &self.bytes[if i == 0 { 0 } else { self.ends[i - 1] }..end])
            .collect()
    }
}

/// Hashes, parses and batch-verifies `lines` in one parallel pass: each task parses a batch of
/// lines and batch-verifies their signatures (two passes left both cores idling in between).
/// Results are in line order.
fn check_lines(lines: &[&[u8]], trust: &TrustSet) -> impl Iterator<Item = LineChecked> {
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
    checked.into_iter().flatten()
}

/// The lines checked so far, in file order: their hashes and the first problem found.
struct Chain {
    /// Every line's SHA-256 (the chain, the checkpoint and the last hash need them).
    hashes: Vec<[u8; 32]>,
    first_bad: Option<(usize, LineProblem)>,
    /// No chain problem yet (sequence numbers and `prev` are checked up to the first).
    chain_ok: bool,
    /// No signature problem yet (signatures are checked up to the first bad one, even after
    /// a chain problem).
    signature_ok: bool,
    signers: BTreeSet<String>,
}

impl Chain {
    fn new() -> Chain {
        Chain {
            hashes: Vec::new(),
            first_bad: None,
            chain_ok: true,
            signature_ok: true,
            signers: BTreeSet::new(),
        }
    }

    /// Records a problem at `line` when it comes before the first one known.
    fn note(&mut self, line: usize, problem: LineProblem) {
        if self.first_bad.as_ref().is_none_or(|(l, _)| line < *l) {
            self.first_bad = Some((line, problem));
        }
    }

    /// Checks the next line's signature, sequence number and `prev`; returns its entry when it
    /// is well formed.
    fn accept(&mut self, line: LineChecked) -> Option<Entry> {
        self.hashes.push(line.hash);
        let line_no = self.hashes.len();
        if self.signature_ok {
            match line.signer {
                Ok(key_id) => {
                    self.signers.insert(key_id);
                }
                Err(SignError::Malformed(_)) => {} // reported by the chain check
                Err(error) => {
                    self.note(line_no, LineProblem::Signature(error.to_string()));
                    self.signature_ok = false;
                }
            }
        }
        if self.chain_ok
            && let Some(problem) = self.chain_problem(line_no, &line.entry)
        {
            self.note(line_no, problem);
            self.chain_ok = false;
        }
        line.entry.ok()
    }

    /// What is wrong with line `line_no`'s place in the chain, if anything.
    fn chain_problem(
        &self,
        line_no: usize,
        entry: &Result<Entry, EntryError>,
    ) -> Option<LineProblem> {
        match entry {
            Err(error) => Some(LineProblem::Malformed(error.clone())),
            Ok(entry) if entry.payload.seq != line_no as u64 => Some(LineProblem::WrongSeq {
                expected: line_no as u64,
                found: entry.payload.seq,
            }),
            Ok(entry) => {
                // The line before's hash, compared as hex bytes on the stack (hex-encoding
                // it into a String per line was ~1 % of `ledger verify`).
                let before = if line_no == 1 {
                    [0u8; 32]
                } else {
                    self.hashes[line_no - 2]
                };
                (entry.payload.prev.as_bytes() != hex64(&before)).then(|| {
                    LineProblem::BrokenChain {
                        expected: hex::encode(before),
                        found: entry.payload.prev.clone(),
                    }
                })
            }
        }
    }

    fn into_report(self, checkpoint: Option<CheckpointStatus>) -> VerifyReport {
        let last_hash = match self.hashes.last() {
            Some(hash) => hex::encode(hash),
            None => GENESIS_PREV.to_string(),
        };
        VerifyReport {
            lines: self.hashes.len(),
            first_bad: self.first_bad,
            checkpoint,
            signers: self.signers,
            last_hash,
        }
    }
}
