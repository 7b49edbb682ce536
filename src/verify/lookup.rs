//! What a looked-up certificate attests: from the signed record in the PDF its ledger entry
//! names when that file is at hand, else the ledger's facts.

use super::checks::LedgerState;
use super::verdict::{Attests, Status};
use crate::certificate::{CertificateRecord, RECORD_PAYLOAD_TYPE};
use crate::ledger::Entry;
use crate::render::extract_attachment;
use crate::sign::{self, TrustSet};

/// What the certificate of `entry` attests: from the signed record inside the PDF the entry
/// names, in the offering's output folder (`<ledger folder>/<offering id>/certificates/`),
/// when that file is the issued one and its record opens with a trusted key; otherwise the
/// ledger's facts (which hold no names) and a note saying why.
pub(super) fn attests(
    entry: &Entry,
    state: &LedgerState,
    status: Status,
    trust: &TrustSet,
) -> Option<Attests> {
    let fields = entry.body().issued()?;
    let path = state
        .dir
        .join(&fields.offering_id)
        .join("certificates")
        .join(&fields.pdf_file);
    let from_ledger = |note: String| Attests {
        source: "ledger",
        offering: fields.offering_id.clone(),
        revision: fields.revision,
        issued_at: entry.payload.time.clone(),
        status,
        note: Some(note),
        ..Attests::default()
    };
    let pdf = match std::fs::read(&path) {
        Ok(pdf) => pdf,
        Err(_) => {
            return Some(from_ledger(format!(
                "the certificate's PDF is not at {}; the ledger holds no names, so who holds it and the credit are not shown (verify the PDF itself for those)",
                path.display()
            )));
        }
    };
    if crate::sign::sha256_hex(&pdf) != fields.pdf_sha256 {
        return Some(from_ledger(format!(
            "{} is not the file this ledger entry binds (its SHA-256 differs), so its contents are not shown",
            path.display()
        )));
    }
    let record = extract_attachment(&pdf)
        .and_then(|envelope| sign::open_envelope_as(&envelope, RECORD_PAYLOAD_TYPE, trust).ok())
        .and_then(|opened| serde_json::from_slice::<CertificateRecord>(&opened.payload).ok());
    let Some(record) = record else {
        return Some(from_ledger(format!(
            "the record inside {} does not open with a trusted key",
            path.display()
        )));
    };
    let certificate = &record.certificate;
    let mut holder = certificate.holder.name.clone();
    if !certificate.holder.credential.is_empty() {
        holder.push_str(", ");
        holder.push_str(&certificate.holder.credential);
    }
    Some(Attests {
        source: "record",
        holder: Some(holder),
        offering: certificate.offering.id.clone(),
        title: Some(certificate.offering.title.clone()),
        dates: Some(certificate.offering.dates.clone()),
        credit: certificate
            .credits
            .iter()
            .map(|block| {
                format!(
                    "{}: {}",
                    block.body,
                    block.lines.first().cloned().unwrap_or_default()
                )
            })
            .collect(),
        revision: certificate.revision,
        issued_at: record.issued_at.clone(),
        status,
        note: Some(format!("from the signed record in {}", path.display())),
    })
}
