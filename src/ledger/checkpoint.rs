//! The signed checkpoint beside a ledger (count and hash of the last line, like Certificate
//! Transparency's signed tree head): writing it atomically, reading it back, and checking a
//! ledger against one an auditor kept.

use super::entry::GENESIS_PREV;
use super::error::{CheckpointError, LedgerError};
use crate::sign::{self, KeyPair, TrustSet};
use serde::{Deserialize, Serialize};
use std::fs;
use std::path::{Path, PathBuf};

/// Payload type of a checkpoint.
pub const CHECKPOINT_TYPE: &str = "application/vnd.ceu.ledger-checkpoint+json";

/// The signed checkpoint's payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckpointPayload {
    /// Always `"ceu"`.
    pub ledger: String,
    /// Number of lines the ledger had.
    pub count: u64,
    /// Hex SHA-256 of line `count` (64 zeros when `count` is 0).
    pub last_hash: String,
    /// When it was written: RFC 3339, UTC, whole seconds.
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

/// The checkpoint beside the ledger, if there is one.
pub(super) fn read_checkpoint_beside(
    ledger: &Path,
) -> Result<Option<CheckpointPayload>, LedgerError> {
    let path = checkpoint_path(ledger);
    let bytes = match fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(LedgerError::Read { path, source }),
    };
    let payload = sign::parse_envelope(&bytes)
        .map_err(CheckpointError::Envelope)
        .and_then(|envelope| {
            serde_json::from_slice::<CheckpointPayload>(&envelope.payload)
                .map_err(CheckpointError::Json)
        });
    match payload {
        Ok(payload) => Ok(Some(payload)),
        Err(problem) => Err(LedgerError::NotACheckpoint { path, problem }),
    }
}

/// Removes `.ceu-checkpoint-*` temporaries that a run killed while writing its checkpoint left
/// behind. The caller holds the ledger lock, so no other run is writing one now.
pub(super) fn remove_checkpoint_temporaries(dir: &Path) {
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

pub(super) fn write_checkpoint(
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

/// Reads and checks a checkpoint file against the ledger's lines.
pub fn check_checkpoint(
    path: &Path,
    trust: &TrustSet,
    hashes: &[[u8; 32]],
) -> Result<CheckpointStatus, LedgerError> {
    let bad = |problem| LedgerError::BadCheckpoint {
        path: path.to_path_buf(),
        problem,
    };
    let bytes = fs::read(path).map_err(|source| LedgerError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let envelope = sign::parse_envelope(&bytes).map_err(|e| bad(CheckpointError::Envelope(e)))?;
    if envelope.payload_type != CHECKPOINT_TYPE {
        return Err(bad(CheckpointError::PayloadType {
            found: envelope.payload_type,
            expected: CHECKPOINT_TYPE,
        }));
    }
    let payload: CheckpointPayload =
        serde_json::from_slice(&envelope.payload).map_err(|e| bad(CheckpointError::Payload(e)))?;
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
