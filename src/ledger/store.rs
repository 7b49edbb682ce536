//! The ledger file itself: appending signed lines under an exclusive lock with one sync per
//! batch, taking a failed batch back out, cutting a torn tail an interrupted run left beyond
//! the checkpoint.

use super::checkpoint::{
    CheckpointPayload, checkpoint_path, read_checkpoint_beside, remove_checkpoint_temporaries,
    write_checkpoint,
};
use super::entry::{ENTRY_TYPE, Entry, EntryBody, EntryPayload, GENESIS_PREV, now_rfc3339};
use super::error::{Divergence, LedgerError};
use super::index::LedgerIndex;
use crate::sign::{self, KeyPair};
use std::fs::{self, File, OpenOptions};
use std::io::{BufRead as _, Read as _, Seek as _, SeekFrom};
use std::path::{Path, PathBuf};

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

    /// Whether the ledger has no line yet.
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
            body.validate().map_err(|problem| LedgerError::BadLine {
                path: path.clone(),
                line: 0,
                problem,
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
        let entry = Entry::parse(line).map_err(|problem| LedgerError::BadLastLine {
            path: path.to_path_buf(),
            problem,
        })?;
        return Ok(Tail {
            len,
            committed_end: start + body_end as u64 + 1,
            last_seq: entry.seq(),
            last_hash: entry.hash,
        });
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
    let refuse = |problem| LedgerError::NotExtendingCheckpoint {
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
        return Err(refuse(Divergence::Shorter {
            lines: tail.last_seq,
            count: cp.count,
        }));
    }
    let hash_at_count = if cp.count == tail.last_seq {
        tail.last_hash.clone()
    } else {
        line_hash(path, cp.count)?
    };
    if hash_at_count != cp.last_hash {
        return Err(refuse(Divergence::Rewritten { line: cp.count }));
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
