//! `ceu revoke`: appends a signed revoke entry for a certificate that is in the ledger and not
//! yet revoked (its latest revision unless `-rN` names one).

use crate::cli::RevokeArgs;
use crate::exit::Exit;
use crate::ledger::{self, EntryBody, LockedLedger, RevokeFields};
use crate::sign;

pub fn run(args: &RevokeArgs) -> anyhow::Result<Exit> {
    let ledger_path = super::existing_ledger(args.ledger.path())?;
    let reason = args.reason.trim();
    if reason.is_empty() {
        anyhow::bail!("--reason is empty; say why the certificate is revoked");
    }
    let loaded = sign::load_signing_key(args.key.key.as_deref(), false)?;
    if let Some(warning) = loaded.local_key_warning() {
        crate::note!("{warning}");
    }
    if let Some(warning) = sign::git_repository_warning(&loaded.path) {
        eprintln!("{warning}");
    }
    // Decide and append under one lock, so two revokes of one certificate cannot both land.
    let mut ledger = LockedLedger::open(&ledger_path)?;
    let index = ledger.index()?;
    let Some(entry) = index.certificate(&args.cert_id) else {
        anyhow::bail!(
            "no certificate {} in {} (give the id printed on the certificate, optionally with -rN)",
            args.cert_id,
            ledger_path.display()
        );
    };
    let cert_id = entry.body().cert_id().to_string();
    let revision = entry.body().revision();
    let full_id = entry.full_cert_id();
    if let Some(revoked) = index.revocation(&cert_id, revision) {
        let why = match revoked.body() {
            EntryBody::Revoke(fields) => fields.reason.clone(),
            _ => String::new(),
        };
        anyhow::bail!(
            "{full_id} is already revoked (ledger line {}, {}): {why}",
            revoked.seq(),
            revoked.payload.time
        );
    }
    sign::write_public_key(&ledger::keys_dir(&ledger_path), &loaded.key.public_key())?;
    let body = EntryBody::Revoke(RevokeFields {
        cert_id: cert_id.clone(),
        revision,
        reason: reason.to_string(),
    });
    let appended = ledger.append(vec![body], &loaded.key, &ledger::now_rfc3339())?;
    drop(ledger);
    let mut notes = Vec::new();
    if let Some(newer) = index.superseded_by(&cert_id, revision) {
        notes.push(format!(
            "{full_id} was already superseded by {}",
            newer.full_cert_id()
        ));
    } else if index
        .latest_revision(&cert_id)
        .is_some_and(|latest| latest > revision)
    {
        notes.push(format!(
            "a later revision of {cert_id} exists and is not revoked"
        ));
    }
    if args.format.json() {
        let doc = serde_json::json!({
            "schema": "ceu-revoke/1",
            "ledger": ledger_path.display().to_string(),
            "certificate_id": full_id,
            "ledger_line": appended[0].seq(),
            "key_id": loaded.key.key_id(),
            "reason": reason,
            "time": appended[0].payload.time,
            "notes": notes,
        });
        crate::dataln!("{}", serde_json::to_string_pretty(&doc)?);
    } else {
        crate::outln!(
            "revoked {full_id}: ledger line {}, signed by {}; reason: {reason}",
            appended[0].seq(),
            loaded.key.key_id()
        );
        for note in &notes {
            crate::outln!("note: {note}");
        }
    }
    Ok(Exit::Ok)
}
