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

mod checkpoint;
mod entry;
mod error;
mod index;
mod store;
mod verify;

pub use checkpoint::{
    CHECKPOINT_TYPE, CheckpointPayload, CheckpointStatus, check_checkpoint, checkpoint_path,
};
pub use entry::{
    ENTRY_TYPE, Entry, EntryBody, EntryPayload, GENESIS_PREV, IssueFields, NoticeFields,
    ReportFields, RevokeFields, full_cert_id, now_rfc3339, split_cert_ref,
};
pub use error::{CheckpointError, Divergence, EntryError, LedgerError};
pub use index::{LedgerIndex, read};
pub use store::{LockedLedger, append, append_at, keys_dir, lock_path};
pub use verify::{LineProblem, VerifyReport, verify, verify_in_blocks, verify_with};
