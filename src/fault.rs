//! Fault injection for the reliability tests, from the `CEU_FAULT` environment variable.
//!
//! Each fault stands for something an operator's bad day brings, at a point the tests cannot
//! otherwise reach on purpose (docs/reliability.md lists the tests and campaigns):
//! - `abort-after-pdf:N` aborts right after the N-th certificate of a run is written, before
//!   its batch reaches the ledger (a power cut or SIGKILL);
//! - `enospc-after-bytes:N` makes every write of ceu's own files (PDFs, ledger lines,
//!   checkpoint) fail with "no space left on device" once N bytes have been written by the
//!   process, after writing what still fits (a full disk);
//! - `abort-in-checkpoint` aborts after the new checkpoint's temporary file is written and
//!   before it replaces the checkpoint (SIGKILL during the checkpoint's fsync);
//! - `render-fail:ID` makes rendering attendee ID's certificate fail, as a template or Typst
//!   failure that `check` could not foresee would;
//! - `panic-in-render:ID` panics while attendee ID's certificate is rendered, as a bug in ceu
//!   or in a library it calls would (reported as an internal error, exit 3);
//! - `panic-in-verify:NAME` panics while `ceu verify` checks the PDF whose file name is NAME.
//!
//! Unset (the normal case) costs one environment lookup per process.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};

/// `CEU_FAULT`, read once: it is consulted for every write and every certificate.
fn setting() -> Option<&'static str> {
    static SETTING: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    SETTING
        .get_or_init(|| std::env::var("CEU_FAULT").ok())
        .as_deref()
}

/// N of `abort-after-pdf:N`, if set.
pub fn abort_after_pdf() -> Option<usize> {
    setting()?.strip_prefix("abort-after-pdf:")?.parse().ok()
}

/// Aborts the process here when `CEU_FAULT=abort-in-checkpoint`.
pub fn abort_in_checkpoint() {
    if setting() == Some("abort-in-checkpoint") {
        std::process::abort();
    }
}

/// Whether `CEU_FAULT=render-fail:ID` names this attendee.
pub fn render_fails_for(attendee_id: &str) -> bool {
    setting().is_some_and(|f| f.strip_prefix("render-fail:") == Some(attendee_id))
}

/// Whether `CEU_FAULT=panic-in-render:ID` names this attendee.
pub fn panics_in_render(attendee_id: &str) -> bool {
    setting().is_some_and(|f| f.strip_prefix("panic-in-render:") == Some(attendee_id))
}

/// Whether `CEU_FAULT=panic-in-verify:NAME` names this PDF's file name.
pub fn panics_in_verify(pdf: &std::path::Path) -> bool {
    setting().is_some_and(|f| {
        f.strip_prefix("panic-in-verify:")
            .is_some_and(|name| pdf.file_name().is_some_and(|n| n == name))
    })
}

/// `write_all`, except that with `CEU_FAULT=enospc-after-bytes:N` it writes what fits under
/// the process-wide budget of N bytes and then fails as a full disk does (`ENOSPC`).
pub fn write_all(out: &mut impl Write, bytes: &[u8]) -> std::io::Result<()> {
    static WRITTEN: AtomicU64 = AtomicU64::new(0);
    let budget = setting().and_then(|f| f.strip_prefix("enospc-after-bytes:")?.parse::<u64>().ok());
    let Some(budget) = budget else {
        return out.write_all(bytes);
    };
    let before = WRITTEN.fetch_add(bytes.len() as u64, Ordering::SeqCst);
    let room = budget.saturating_sub(before).min(bytes.len() as u64) as usize;
    out.write_all(&bytes[..room])?;
    if room < bytes.len() {
        out.flush()?;
        return Err(std::io::Error::from_raw_os_error(libc::ENOSPC));
    }
    Ok(())
}
