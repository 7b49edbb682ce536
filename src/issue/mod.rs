//! Issuing: from a checked offering to signed certificates recorded in the ledger.
//!
//! Per completer: the printed fields (`certificate::certificate_data`), a signed certificate
//! record (DSSE envelope over the record's exact JSON bytes), a PDF rendered with the record
//! attached, written atomically (temporary file + rename), and a ledger entry binding the
//! record's hash to the PDF's hash. Work goes in batches: render on every core, write the
//! PDFs, flush the file system once, then append the batch to the ledger under its lock and
//! fsync once (group commit). A crash leaves at worst PDFs without ledger entries, which the
//! next run rewrites under the same ids (ids are derived from the signing key, so they are
//! stable), never a ledger entry without its PDF.
//!
//! [`plan`] decides who gets what from the evaluation and the ledger index (no I/O);
//! `execute` carries the plan out.

mod error;
mod execute;
mod glyphs;
mod ids;
mod notices;
mod options;
mod pipeline;
mod plan;
mod profile;

pub use error::IssueError;
pub use glyphs::glyph_findings;
pub use ids::{certificate_id, verification_code};
pub use notices::{NoticeState, NoticeWritten, write_notices};
pub use options::{BATCH, IssueOptions, IssueSummary, Issued};
pub use plan::{Changed, Job, Plan, plan};
pub use profile::Profile;

use crate::certificate::{self, CertificateRecord};
use crate::ledger::LockedLedger;
use crate::offering::Offering;
use crate::render::CertificateData;
use crate::render::Renderer;
use crate::rules::Report;
use crate::sign::KeyPair;
use std::path::Path;

/// Issues every issuable attendee of a checked offering. The caller has refused offerings
/// with offering-level errors. `on_issued` hears of each certificate once it is durable in the
/// ledger. Errors: [`IssueError`] (the ledger, I/O, PDF signing: exit 2; a panicking worker:
/// exit 3); batches committed before an error stay committed.
pub fn issue(
    offering: &Offering,
    report: &Report,
    key: &KeyPair,
    renderer: &Renderer,
    options: &IssueOptions,
    on_issued: impl FnMut(&Issued) + Send,
) -> Result<IssueSummary, IssueError> {
    // Held from the first read to the last append, so two runs on the same ledger cannot
    // both decide to issue the same certificate.
    let mut ledger = LockedLedger::open(&options.ledger)?;
    let plan = plan(
        offering,
        report,
        &ledger.index()?,
        options.issued_at,
        options.reissue,
    );
    let mut summary = IssueSummary {
        issued: 0,
        unchanged: plan.unchanged,
        changed: plan
            .changed
            .into_iter()
            .map(|c| describe_change(&options.out_dir, c))
            .collect(),
        revoked: plan.revoked,
        not_completed: plan.not_completed,
        blocked: plan.blocked,
    };
    if plan.jobs.is_empty() {
        // Nothing new, but a run killed between its append and its checkpoint left the
        // checkpoint behind: bring it up to date now (issue 17, item 2).
        ledger.bring_checkpoint_up_to_date(key, &crate::ledger::now_rfc3339())?;
        return Ok(summary);
    }
    let run = execute::Run::new(offering, report, key, renderer, options)?;
    execute::execute(&run, &plan.jobs, &mut ledger, &mut summary, on_issued)?;
    Ok(summary)
}

/// A changed certificate as the summary lists it: attendee id, full certificate id, and how
/// the printed fields differ from the earlier PDF in the output folder (or that it is not
/// there to compare).
fn describe_change(out_dir: &Path, changed: Changed) -> (String, String, Vec<String>) {
    let differences = earlier_data(&out_dir.join(&changed.earlier_pdf))
        .map(|old| certificate::differences(&old, &changed.data))
        .unwrap_or_else(|| {
            vec![format!(
                "(the earlier PDF {} is not in the output folder to compare)",
                changed.earlier_pdf
            )]
        });
    (changed.attendee_id, changed.full_cert_id, differences)
}

/// Reads the printed fields of an earlier PDF (its embedded record), to show differences.
fn earlier_data(path: &Path) -> Option<CertificateData> {
    let pdf = std::fs::read(path).ok()?;
    let envelope = crate::render::extract_attachment(&pdf)?;
    let parsed = crate::sign::parse_envelope(&envelope).ok()?;
    let record: CertificateRecord = serde_json::from_slice(&parsed.payload).ok()?;
    Some(record.certificate)
}
