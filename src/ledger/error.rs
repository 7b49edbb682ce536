//! The ledger's error type: what can go wrong reading, appending to or checking a ledger and
//! its checkpoint. Every variant names the file; line numbers are 1-based.

use crate::sign::SignError;
use std::path::PathBuf;

/// Why a ledger or its checkpoint could not be read, appended to or trusted.
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
