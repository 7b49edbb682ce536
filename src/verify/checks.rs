//! Checks every kind of item shares: the ledger read and verified once for all items, a
//! certificate's status in it (revoked, superseded), and the signed record embedded in a PDF.

use super::verdict::{Status, Verdict};
use crate::certificate::{CertificateRecord, RECORD_PAYLOAD_TYPE, RECORD_SCHEMA};
use crate::ledger::{self, Entry, LedgerIndex};
use crate::render::extract_attachment;
use crate::sign::{self, TrustSet};
use std::path::{Path, PathBuf};

/// A ledger, read, indexed and verified once for all items.
pub struct LedgerState {
    pub index: LedgerIndex,
    /// `None` when the chain, every signature (by trusted keys) and the checkpoint hold.
    pub problem: Option<String>,
    /// The folder holding the ledger (the records root): offering folders are beside it.
    pub dir: PathBuf,
}

impl LedgerState {
    /// Reads and verifies the ledger, and that it extends `checkpoint` when one is given: a
    /// checkpoint it does not extend (a cut tail, rewritten history) or one not signed by a
    /// trusted key is a problem that fails every item.
    pub fn load(
        path: &Path,
        trust: &TrustSet,
        checkpoint: Option<&Path>,
    ) -> Result<LedgerState, ledger::LedgerError> {
        // One read: the entries verified are the entries indexed.
        let mut entries = Vec::new();
        let report = ledger::verify_with(path, trust, checkpoint, |mut entry| {
            // Verifying never reads what a decision was made from; at 100,000 entries those
            // hashes were ~100 MB of the index.
            if let ledger::EntryBody::Issue(fields) | ledger::EntryBody::Reissue(fields) =
                &mut entry.payload.body
            {
                fields.inputs.clear();
                fields.content_sha256 = None;
            }
            entries.push(entry);
        })?;
        let checkpoint_problem = match (&report.checkpoint, checkpoint) {
            (Some(ledger::CheckpointStatus::Truncated { count, lines }), Some(cp)) => {
                Some(format!(
                    "{} has {lines} lines but the checkpoint {} counts {count}: its tail was cut or rolled back",
                    path.display(),
                    cp.display()
                ))
            }
            (Some(ledger::CheckpointStatus::Rewritten { count }), Some(cp)) => Some(format!(
                "line {count} of {} is not the line the checkpoint {} recorded: history was rewritten",
                path.display(),
                cp.display()
            )),
            (Some(ledger::CheckpointStatus::Untrusted(why)), Some(cp)) => Some(format!(
                "the checkpoint {} is not signed by a trusted key: {why}",
                cp.display()
            )),
            _ => None,
        };
        let problem = report
            .first_bad
            .as_ref()
            .map(|(line, problem)| format!("{}: line {line}: {problem}", path.display()))
            .or(checkpoint_problem);
        Ok(LedgerState {
            index: LedgerIndex::new(entries),
            problem,
            dir: path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| PathBuf::from(".")),
        })
    }
}

/// Status checks shared by every kind of item once its ledger entry is known.
pub(super) fn check_status(verdict: &mut Verdict, state: &LedgerState, entry: &Entry) {
    verdict.revocation_checked = true;
    let Some(fields) = entry.body().issued() else {
        return;
    };
    verdict.certificate_id = Some(ledger::full_cert_id(&fields.cert_id, fields.revision));
    match &state.problem {
        None => verdict.pass(
            "ledger",
            format!(
                "ledger chain and signatures verify; entry {} signed by {}",
                entry.seq(),
                entry.key_id
            ),
        ),
        Some(problem) => verdict.fail(
            "ledger",
            Status::Invalid,
            format!("the ledger does not verify: {problem}"),
        ),
    }
    if let Some(revoke) = state.index.revocation(&fields.cert_id, fields.revision) {
        let reason = match revoke.body() {
            ledger::EntryBody::Revoke(r) => r.reason.clone(),
            _ => String::new(),
        };
        verdict.fail(
            "not-revoked",
            Status::Revoked,
            format!(
                "revoked on {} (ledger entry {}): {reason}",
                revoke.payload.time,
                revoke.seq()
            ),
        );
    } else {
        verdict.pass("not-revoked", "no revocation in the ledger");
    }
    if let Some(newer) = state.index.superseded_by(&fields.cert_id, fields.revision) {
        verdict.fail(
            "not-superseded",
            Status::Superseded,
            format!(
                "superseded on {} by {} (ledger entry {})",
                newer.payload.time,
                newer.full_cert_id(),
                newer.seq()
            ),
        );
    } else {
        verdict.pass("not-superseded", "this is the current revision");
    }
}

/// Verifies the signed record embedded in a PDF; returns it when its signature verifies.
pub(super) fn check_record(
    verdict: &mut Verdict,
    pdf: &[u8],
    trust: &TrustSet,
) -> Option<(Vec<u8>, CertificateRecord)> {
    let Some(envelope) = extract_attachment(pdf) else {
        verdict.fail(
            "record",
            Status::Invalid,
            "the PDF carries no embedded certificate record (certificate-record.json)",
        );
        return None;
    };
    match sign::open_envelope_as(&envelope, RECORD_PAYLOAD_TYPE, trust) {
        Ok(opened) => match serde_json::from_slice::<CertificateRecord>(&opened.payload) {
            Ok(record) => {
                verdict.pass(
                    "record-signature",
                    format!("embedded record signed by trusted key {}", opened.key_id),
                );
                if record.schema != RECORD_SCHEMA {
                    verdict.fail(
                        "record",
                        Status::Invalid,
                        format!(
                            "the record is in schema {}, which this ceu ({}) does not read (it reads {RECORD_SCHEMA}): verify with a newer ceu",
                            record.schema,
                            crate::VERSION
                        ),
                    );
                    return None;
                }
                verdict.certificate_id = Some(ledger::full_cert_id(
                    &record.certificate.certificate_id,
                    record.certificate.revision,
                ));
                Some((envelope, record))
            }
            Err(e) => {
                verdict.fail(
                    "record",
                    Status::Invalid,
                    format!("the signed record is not a certificate record: {e}"),
                );
                None
            }
        },
        Err(e) => {
            verdict.fail("record-signature", Status::Invalid, e.to_string());
            None
        }
    }
}

/// The printed id, revision and code of a record bound by its hash agree with the entry.
pub(super) fn agree_with_ledger(
    verdict: &mut Verdict,
    record: &CertificateRecord,
    fields: &ledger::IssueFields,
) {
    if record.certificate.certificate_id == fields.cert_id
        && record.certificate.revision == fields.revision
        && record.certificate.verification_code == fields.verification_code
    {
        verdict.pass(
            "record-matches-ledger",
            "the embedded record is the one the ledger entry binds",
        );
    } else {
        verdict.fail(
            "record-matches-ledger",
            Status::Invalid,
            "the embedded record differs from the one the ledger entry binds",
        );
    }
}
