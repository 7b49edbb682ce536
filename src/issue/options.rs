//! A run's settings and what it reports.

use super::profile::Profile;
use chrono::{DateTime, Utc};
use std::path::PathBuf;

/// Certificates rendered, written and recorded per ledger append (one fsync per batch).
pub const BATCH: usize = 512;

/// Settings for one run.
#[derive(Debug)]
pub struct IssueOptions {
    pub out_dir: PathBuf,
    pub ledger: PathBuf,
    pub reissue: bool,
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
    pub attendee_id: String,
    pub full_cert_id: String,
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
