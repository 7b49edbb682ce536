//! Why issuing stopped.

use crate::exit::InternalError;
use crate::ledger;
use std::path::Path;

/// Why issuing stopped: I/O, the ledger, or the renderer failed (exit 2), or a bug (exit 3).
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Ledger(#[from] ledger::LedgerError),
    #[error("rendering the certificate of attendee {attendee}: {source}")]
    Render {
        attendee: String,
        source: crate::render::RenderError,
    },
    #[error("{0}")]
    Other(String),
    /// A worker thread panicked while processing an attendee: a bug in ceu (exit 3).
    #[error("while issuing the certificate of attendee {attendee}")]
    Internal {
        attendee: String,
        source: InternalError,
    },
    /// The disk filled while certificates were written (before their batch reached the ledger).
    #[error(
        "{path}: {source}. The ledger {ledger} is intact and holds every certificate committed before this batch; free space and run `ceu issue` again to complete the batch"
    )]
    DiskFull {
        path: String,
        ledger: String,
        source: std::io::Error,
    },
}

impl IssueError {
    /// Names the ledger in an I/O error caused by a full disk, so the user knows what state
    /// the run left behind and that re-running completes it.
    pub(super) fn naming_ledger(self, ledger: &Path) -> IssueError {
        match self {
            IssueError::Io { path, source } if source.kind() == std::io::ErrorKind::StorageFull => {
                IssueError::DiskFull {
                    path,
                    ledger: ledger.display().to_string(),
                    source,
                }
            }
            other => other,
        }
    }
}
