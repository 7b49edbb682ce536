//! Notices to attendees who asked for a body's credit and will not get it (ASHA-COMPLETE-4):
//! rendered with the document renderer into `<offering>/notices/`, one PDF each, and recorded
//! in the ledger as `notice` entries (offering, attendee, file, PDF hash, content hash).
//!
//! A rerun is idempotent like certificates: a notice whose content (everything but its date)
//! is what the ledger's latest notice for that attendee recorded, with its file still there,
//! is left as it is; nothing is rendered or appended for it.

use super::error::IssueError;
use crate::document::DocumentRenderer;
use crate::document::notice;
use crate::ledger::{EntryBody, LedgerIndex, LockedLedger, NoticeFields};
use crate::offering::Offering;
use crate::rules::Report;
use crate::sign::KeyPair;
use chrono::{DateTime, SecondsFormat, Utc};
use std::path::{Path, PathBuf};

/// One attendee's notice after a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeWritten {
    /// The attendee's roster id.
    pub attendee_id: String,
    /// The notice's path (in `<offering>/notices/`).
    pub file: PathBuf,
    /// What this run did with it.
    pub state: NoticeState,
}

/// What a run did with one attendee's notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeState {
    /// Rendered, written and recorded by this run.
    Written,
    /// The ledger already records a notice saying the same, and its file is there.
    Unchanged,
    /// It could not be rendered (the reason names the template's problem, e.g. a character no
    /// font can print); nothing was written or recorded for this attendee.
    NotRendered(String),
}

impl NoticeWritten {
    /// Whether the notice exists after the run (written now or earlier).
    pub fn exists(&self) -> bool {
        !matches!(self.state, NoticeState::NotRendered(_))
    }
}

/// Writes and records the notices the evaluation calls for (none when the offering has
/// offering-level errors or unresolved unmatched attendance), dated `issued_at` in the
/// offering's time zone. Returns one item per attendee who has a notice, in roster order.
///
/// A notice that cannot be rendered (a character no font prints, or a script the fonts cannot
/// shape: the `RENDER-GLYPHS` warning `check` gives) is reported in its item
/// ([`NoticeState::NotRendered`]) and holds back no other.
///
/// # Errors
/// The ledger cannot be read or appended to, a notice cannot be written.
pub fn write_notices(
    offering: &Offering,
    report: &Report,
    key: &KeyPair,
    ledger_path: &Path,
    renderer: &DocumentRenderer,
    issued_at: DateTime<Utc>,
) -> Result<Vec<NoticeWritten>, IssueError> {
    if !notice::offering_allows_notices(report) {
        return Ok(Vec::new());
    }
    let course = &offering.record.course;
    let written_on = crate::certificate::issued_on(issued_at, course.offering.time_zone.get_ref());
    let dir = offering.dir.join(notice::FOLDER);
    let mut ledger = LockedLedger::open(ledger_path)?;
    let index = ledger.index()?;
    let mut bodies = Vec::new();
    let mut notices = Vec::new();
    for (attendee, outcome) in offering.roster.attendees.iter().zip(&report.attendees) {
        if !notice::needs_notice(outcome) {
            continue;
        }
        let data = notice::notice_data(course, attendee, outcome, &written_on);
        let content = notice::content_sha256(&data);
        let file_name = notice::file_name(attendee.id());
        let path = dir.join(&file_name);
        let unchanged = latest_notice(&index, offering.id(), attendee.id())
            .is_some_and(|f| f.content_sha256 == content && dir.join(&f.pdf_file).is_file());
        let state = if let Some(why) = unprintable(report, attendee.id()) {
            NoticeState::NotRendered(why)
        } else if unchanged {
            NoticeState::Unchanged
        } else {
            let id = format!("notice-{}-{}", offering.id(), attendee.id());
            match renderer.render(&data, &[], &id, issued_at) {
                Ok(pdf) => {
                    write(&dir, &path, &pdf)?;
                    bodies.push(EntryBody::Notice(NoticeFields {
                        offering_id: offering.id().to_string(),
                        attendee_id: attendee.id().to_string(),
                        pdf_file: file_name,
                        pdf_sha256: crate::sign::sha256_hex(&pdf),
                        content_sha256: content,
                    }));
                    NoticeState::Written
                }
                Err(e) => NoticeState::NotRendered(e.to_string()),
            }
        };
        notices.push(NoticeWritten {
            attendee_id: attendee.id().to_string(),
            file: path,
            state,
        });
    }
    if !bodies.is_empty() {
        let time = issued_at.to_rfc3339_opts(SecondsFormat::Secs, true);
        ledger.append(bodies, key, &time)?;
    }
    Ok(notices)
}

/// The `RENDER-GLYPHS` warning on this attendee's notice (`issue::glyphs`: the fonts cannot
/// draw or shape their name), as "message; fix": such a notice is not written, as `check`
/// warned, rather than printed with boxes or broken letters.
fn unprintable(report: &Report, attendee_id: &str) -> Option<String> {
    report
        .findings
        .iter()
        .find(|f| {
            f.rule == crate::catalogue::ids::RENDER_GLYPHS.as_str()
                && !f.is_error()
                && f.attendee.as_deref() == Some(attendee_id)
        })
        .map(|f| format!("{}; {}", f.message, f.fix))
}

/// The fields of the latest `notice` entry for this attendee of this offering.
fn latest_notice<'a>(
    index: &'a LedgerIndex,
    offering_id: &str,
    attendee_id: &str,
) -> Option<&'a NoticeFields> {
    index.entries().iter().rev().find_map(|e| match e.body() {
        EntryBody::Notice(f) if f.offering_id == offering_id && f.attendee_id == attendee_id => {
            Some(f)
        }
        _ => None,
    })
}

/// Writes `bytes` to `path` atomically (temporary file and rename), readable by the owner
/// only: a notice names a person and their outcome.
fn write(dir: &Path, path: &Path, bytes: &[u8]) -> Result<(), IssueError> {
    let io = |source| IssueError::Io {
        path: path.display().to_string(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".ceu-")
        .suffix(".pdf.tmp")
        .tempfile_in(dir)
        .map_err(io)?;
    std::io::Write::write_all(&mut temp, bytes).map_err(io)?;
    temp.as_file().sync_all().map_err(io)?;
    temp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}
