//! The delivery list `issue` writes beside the certificates (`delivery.csv`): one row per
//! roster person saying what they get and where it is, so every certificate reaches its
//! holder and everyone else is told why not. It holds personal data (names, emails): it is
//! written readable by the owner only, and neither `verify` nor `publish` ever reads it (they
//! read PDFs and the ledger). Every cell is neutralised against formula prefixes, as every CSV
//! ceu writes ([`crate::attendance::csv_safe`]).

use crate::attendance::csv_safe;
use crate::ledger::LedgerIndex;
use crate::offering::Offering;
use crate::rules::{Report, Status};
use anyhow::Context as _;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The file name, in the output folder.
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

/// Writes `<out_dir>/delivery.csv` from the evaluation and the ledger (the certificate each
/// person holds now: their latest revision, unless revoked). `notices` maps an attendee id to
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
        let name = format!("{} {}", attendee.first_name(), attendee.last_name());
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
                certificate = [
                    fields.pdf_file.clone(),
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
    let path = out_dir.join(FILE);
    std::fs::create_dir_all(out_dir)
        .with_context(|| format!("{}: cannot create", out_dir.display()))?;
    // NamedTempFile is created with mode 0600, which persisting keeps: personal data.
    let mut file = tempfile::NamedTempFile::new_in(out_dir)
        .with_context(|| format!("{}: cannot write", out_dir.display()))?;
    std::io::Write::write_all(&mut file, &bytes)
        .with_context(|| format!("{}: cannot write", path.display()))?;
    file.persist(&path)
        .with_context(|| format!("{}: cannot write", path.display()))?;
    Ok(path)
}
