//! Verifying one PDF: its hash against the ledger (or, offline, its signatures), its record,
//! and its status.

use super::checks::{LedgerState, agree_with_ledger, check_record, check_status};
use super::offline::{Rerender, verify_offline};
use super::verdict::{Check, Status, Verdict};
use crate::certificate::{CertificateRecord, RECORD_PAYLOAD_TYPE};
use crate::ledger;
use crate::render::extract_attachment;
use crate::sign::{self, TrustSet};
use std::io::Read;
use std::path::Path;

/// Verifies one PDF.
pub fn verify_pdf(
    path: &Path,
    trust: &TrustSet,
    ledger: Option<&LedgerState>,
    rerender: Option<&Rerender>,
) -> Verdict {
    if crate::fault::panics_in_verify(path) {
        panic!("CEU_FAULT=panic-in-verify: an injected panic");
    }
    let mut verdict = Verdict::new(path.display().to_string());
    PDF_BUFFER.with_borrow_mut(|pdf| {
        pdf.clear();
        let verdict = match std::fs::File::open(path).and_then(|mut file| file.read_to_end(pdf)) {
            Ok(_) => verify_pdf_bytes(verdict, path, pdf, trust, ledger, rerender),
            Err(e) => {
                verdict.fail("read", Status::Invalid, format!("cannot read: {e}"));
                verdict
            }
        };
        // Keep a certificate-sized buffer, not the largest file ever met.
        if pdf.capacity() > KEPT_BUFFER_BYTES {
            *pdf = Vec::new();
        }
        verdict
    })
}

/// Largest read buffer a verifying thread keeps between PDFs (certificates are ~35 KB).
const KEPT_BUFFER_BYTES: usize = 4 << 20;

thread_local! {
    /// One read buffer per verifying thread: a fresh `Vec` per PDF cost a malloc and ~9 page
    /// faults for every file.
    static PDF_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn verify_pdf_bytes(
    mut verdict: Verdict,
    path: &Path,
    pdf: &[u8],
    trust: &TrustSet,
    ledger: Option<&LedgerState>,
    rerender: Option<&Rerender>,
) -> Verdict {
    let pdf_sha256 = crate::sign::sha256_hex(pdf);
    match ledger {
        Some(state) => {
            let Some(entry) = state.index.by_pdf_sha256(&pdf_sha256) else {
                not_the_issued_bytes(&mut verdict, pdf, &pdf_sha256, trust, state);
                return verdict;
            };
            verdict.pass(
                "pdf-hash",
                format!("SHA-256 {pdf_sha256} matches ledger entry {}", entry.seq()),
            );
            check_status(&mut verdict, state, entry);
            let Some(fields) = entry.body().issued() else {
                return verdict;
            };
            if state.problem.is_none() {
                // The entry is signed by a trusted key and its chain holds, and it binds the
                // SHA-256 of these exact PDF bytes, embedded record included. Reading the
                // record back (find, inflate, parse: a third of the time per PDF) would prove
                // nothing more; the record is checked on its own below when the ledger fails.
                verdict.pass(
                    "record",
                    format!(
                        "the embedded record is part of the bytes the signed ledger entry binds (record SHA-256 {})",
                        fields.record_sha256
                    ),
                );
            } else if let Some((envelope, record)) = check_record(&mut verdict, pdf, trust) {
                // The ledger failed: verify the record on its own, and against the entry's
                // record hash, so the output says which checks still hold.
                if crate::sign::sha256_hex(&envelope) == fields.record_sha256 {
                    agree_with_ledger(&mut verdict, &record, fields);
                } else {
                    verdict.fail(
                        "record-matches-ledger",
                        Status::Invalid,
                        "the embedded record differs from the one the ledger entry binds",
                    );
                }
            }
        }
        None => {
            if let Some((envelope, record)) = check_record(&mut verdict, pdf, trust) {
                verify_offline(&mut verdict, path, pdf, &envelope, &record, rerender);
                verdict.checks.push(Check {
                    check: "revocation",
                    ok: true,
                    detail:
                        "NOT checked (offline): give --ledger to check revocation and supersession"
                            .into(),
                });
            }
        }
    }
    verdict
}

/// A PDF whose SHA-256 is in no ledger entry: if its embedded record is genuine and the
/// ledger knows that certificate, the file was changed or re-saved after issue.
fn not_the_issued_bytes(
    verdict: &mut Verdict,
    pdf: &[u8],
    pdf_sha256: &str,
    trust: &TrustSet,
    state: &LedgerState,
) {
    let genuine = extract_attachment(pdf).and_then(|envelope| {
        let opened = sign::open_envelope_as(&envelope, RECORD_PAYLOAD_TYPE, trust).ok()?;
        let record: CertificateRecord = serde_json::from_slice(&opened.payload).ok()?;
        Some((opened.key_id, record))
    });
    let known = genuine.as_ref().and_then(|(key_id, record)| {
        let full = ledger::full_cert_id(
            &record.certificate.certificate_id,
            record.certificate.revision,
        );
        let fields = state.index.certificate(&full)?.body().issued()?;
        Some((key_id, full, fields))
    });
    match known {
        Some((key_id, full, fields)) => {
            verdict.certificate_id = Some(full.clone());
            verdict.fail(
                "pdf-hash",
                Status::Invalid,
                format!(
                    "record genuine; the file is not the issued bytes: its embedded record of {full} is signed by trusted key {key_id}, but the file's SHA-256 {pdf_sha256} is not the {} the ledger binds (the file was changed or re-saved by another program after issue, e.g. a PDF editor or an upload portal); ask the holder for the original file",
                    fields.pdf_sha256
                ),
            );
        }
        None => verdict.fail(
            "pdf-hash",
            Status::Unknown,
            format!("SHA-256 {pdf_sha256} is in no ledger entry: the file was altered, or was not issued from this ledger"),
        ),
    }
}
