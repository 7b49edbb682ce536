//! The delivery list `issue` writes in the offering folder (`delivery.csv`): one row per
//! roster person saying what they get and where it is, so every certificate reaches its
//! holder and everyone else is told why not. It holds personal data (names, emails): it is
//! written readable by the owner only, and neither `verify` nor `publish` ever reads it (they
//! read PDFs and the ledger). Every cell is neutralised against formula prefixes, as every CSV
//! ceu writes ([`crate::input::text::csv_safe`]).

use crate::input::text::csv_safe;
use crate::ledger::LedgerIndex;
use crate::offering::Offering;
use crate::rules::{Report, Status};
use anyhow::Context as _;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The file name, in the offering folder (not among the certificates, whose folder holds
/// PDFs only; records/.gitignore keeps it out of the example's history).
pub const FILE: &str = "delivery.csv";

/// The header row.
pub const HEADER: [&str; 9] = [
    "attendee_id",
    "name",
    "email",
    "outcome",
    "reason",
    "certificate_file",
    "certificate_id",
    "verification_code",
    "notice_file",
];

/// Writes `<offering>/delivery.csv` from the evaluation and the ledger (the certificate each
/// person holds now: their latest revision, unless revoked), naming each PDF by its path in
/// `out_dir` relative to the offering folder when it lies inside it. `notices` maps an attendee id to
/// the notice written for them, if any. Returns the path. Errors: the ledger cannot be read,
/// or the file cannot be written.
pub fn write(
    out_dir: &Path,
    offering: &Offering,
    report: &Report,
    ledger: &Path,
    notices: &HashMap<String, PathBuf>,
) -> anyhow::Result<PathBuf> {
    let index = if ledger.is_file() {
        LedgerIndex::load(ledger)?
    } else {
        LedgerIndex::new(Vec::new())
    };
    let outcomes: HashMap<&str, &crate::rules::AttendeeOutcome> = report
        .attendees
        .iter()
        .map(|o| (o.attendee_id.as_str(), o))
        .collect();
    let mut csv = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    csv.write_record(HEADER).expect("write to memory");
    for attendee in &offering.roster.attendees {
        let id = attendee.id();
        let name = attendee.display_name();
        let (outcome, mut reason) = match outcomes.get(id) {
            Some(o) if !o.blocked_by.is_empty() => (
                "held-back",
                format!("held back by {}", o.blocked_by.join(", ")),
            ),
            Some(o) => (
                match o.status {
                    Status::Completed => "completed",
                    Status::Partial => "partial",
                    Status::NotCompleted => "not-completed",
                },
                o.reason.to_string(),
            ),
            None => ("not-evaluated", String::new()),
        };
        let mut certificate = [String::new(), String::new(), String::new()];
        if let Some(entry) = index.latest_for(offering.id(), id)
            && let Some(fields) = entry.body().issued()
        {
            if index.revocation(&fields.cert_id, fields.revision).is_some() {
                reason = format!("{reason}; certificate {} revoked", entry.full_cert_id());
            } else {
                let pdf = out_dir.join(&fields.pdf_file);
                let pdf = pdf.strip_prefix(&offering.dir).unwrap_or(&pdf);
                certificate = [
                    pdf.display().to_string(),
                    entry.full_cert_id(),
                    fields.verification_code.clone(),
                ];
            }
        }
        let notice = notices
            .get(id)
            .and_then(|p| p.file_name())
            .map(|n| format!("notices/{}", n.to_string_lossy()))
            .unwrap_or_default();
        let row = [
            id,
            &name,
            attendee.email(),
            outcome,
            &reason,
            &certificate[0],
            &certificate[1],
            &certificate[2],
            &notice,
        ]
        .map(csv_safe);
        csv.write_record(&row).expect("write to memory");
    }
    let bytes = csv.into_inner().expect("write to memory");
    let dir = &offering.dir;
    let path = dir.join(FILE);
    // NamedTempFile is created with mode 0600, which persisting keeps: personal data.
    let mut file = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("{}: cannot write", dir.display()))?;
    std::io::Write::write_all(&mut file, &bytes)
        .with_context(|| format!("{}: cannot write", path.display()))?;
    file.persist(&path)
        .with_context(|| format!("{}: cannot write", path.display()))?;
    Ok(path)
}
