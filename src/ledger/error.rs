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
    /// Line `line` (0: a new entry being appended) is not a well-formed entry.
    #[error("{path} line {line}: {problem}")]
    BadLine {
        path: PathBuf,
        line: usize,
        problem: EntryError,
    },
    /// The last complete line, read to continue the chain, is not a well-formed entry.
    #[error("{path} line 0: last line: {problem}")]
    BadLastLine { path: PathBuf, problem: EntryError },
    #[error(
        "{path} ends with an incomplete line {line} (an interrupted write?) that its checkpoint does not account for; run `ceu ledger verify` and restore the ledger from a backup"
    )]
    TornTail { path: PathBuf, line: usize },
    /// A checkpoint given to `ledger verify` is not a checkpoint.
    #[error("checkpoint {path}: {problem}")]
    BadCheckpoint {
        path: PathBuf,
        problem: CheckpointError,
    },
    /// The checkpoint beside the ledger, read before appending, is not a checkpoint.
    #[error(
        "checkpoint {path}: not a ceu checkpoint ({problem}); restore it from a backup, or move it away if the ledger itself is known to be good"
    )]
    NotACheckpoint {
        path: PathBuf,
        problem: CheckpointError,
    },
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
        problem: Divergence,
    },
    #[error(transparent)]
    Sign(#[from] SignError),
}

/// Why one ledger line is not a well-formed entry (its signature and place in the chain are
/// checked apart, by `verify`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    /// The line is not a DSSE envelope; the text says why (as [`SignError::Malformed`] does).
    #[error("{0}")]
    Envelope(String),
    /// The envelope carries something other than a ledger entry.
    #[error("payload type is {found}, not {expected}")]
    PayloadType {
        found: String,
        expected: &'static str,
    },
    /// The payload is not entry JSON; the text is serde_json's, with its line and column.
    #[error("entry payload: {0}")]
    Payload(String),
    /// An issue, reissue or revoke entry lacks a field its type requires.
    #[error("{kind} entry without `{field}`")]
    MissingField {
        kind: &'static str,
        field: &'static str,
    },
    /// A reissue must name the revision it replaces.
    #[error("a reissue entry needs `supersedes`")]
    ReissueWithoutSupersedes,
    /// Only a reissue replaces a revision.
    #[error("an issue entry cannot supersede")]
    IssueSupersedes,
}

/// Why a checkpoint file is not a checkpoint.
#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    /// Not a DSSE envelope.
    #[error("{0}")]
    Envelope(SignError),
    /// An envelope of another payload type.
    #[error("payload type is {found}, not {expected}")]
    PayloadType {
        found: String,
        expected: &'static str,
    },
    /// The payload is not checkpoint JSON (as `ledger verify` reports it).
    #[error("payload: {0}")]
    Payload(serde_json::Error),
    /// The payload is not checkpoint JSON (as appending reports it, inside "not a ceu
    /// checkpoint (…)").
    #[error("{0}")]
    Json(serde_json::Error),
}

/// How a ledger fails to extend the checkpoint beside it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Divergence {
    /// Fewer complete lines than the checkpoint counts: a cut tail or a rollback.
    #[error("the ledger has {lines} complete line(s), the checkpoint counts {count}")]
    Shorter { lines: u64, count: u64 },
    /// Line `line` (the checkpoint's count) hashes to something else: a rewrite.
    #[error("line {line} is not the line the checkpoint recorded")]
    Rewritten { line: u64 },
}
