//! A run's settings and what it reports.

use super::profile::Profile;
use chrono::{DateTime, Utc};
use std::path::PathBuf;

/// Certificates rendered, written and recorded per ledger append (one fsync per batch).
pub const BATCH: usize = 512;

/// Settings for one run.
#[derive(Debug)]
pub struct IssueOptions {
    /// Where the PDFs are written (created if missing).
    pub out_dir: PathBuf,
    /// The ledger file appended to (created if missing).
    pub ledger: PathBuf,
    /// Reissue certificates whose printed content changed or that were revoked.
    pub reissue: bool,
    /// The issue time printed and recorded (whole seconds).
    pub issued_at: DateTime<Utc>,
    /// Rendering threads.
    pub jobs: usize,
    /// Show a progress bar (only when standard error is a terminal).
    pub progress: bool,
    /// Where the time goes, phase by phase.
    pub profile: Profile,
}

/// One certificate written by this run.
#[derive(Debug, Clone)]
pub struct Issued {
    /// The attendee's roster id.
    pub attendee_id: String,
    /// `<cert id>-r<revision>`.
    pub full_cert_id: String,
    /// The PDF written.
    pub file: PathBuf,
    pub pdf_sha256: String,
    /// The revision this one replaces (reissues only).
    pub supersedes: Option<u32>,
}

/// What happened to everyone on the roster.
#[derive(Debug, Clone, Default)]
pub struct IssueSummary {
    /// How many certificates this run issued (each reported through `on_issued` as its batch
    /// is committed: at 100,000 attendees a list would cost tens of megabytes).
    pub issued: usize,
    /// How many certificates were already issued with the same content.
    pub unchanged: usize,
    /// Attendee id, full certificate id, the differences.
    pub changed: Vec<(String, String, Vec<String>)>,
    /// Attendee id, full certificate id: revoked, not reissued.
    pub revoked: Vec<(String, String)>,
    /// Attendee id, reason.
    pub not_completed: Vec<(String, String)>,
    /// Attendee id, what blocks them.
    pub blocked: Vec<(String, String)>,
}
