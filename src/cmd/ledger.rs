//! `ceu ledger verify`: checks the ledger's sequence numbers, hash chain and every signature,
//! and that it extends a checkpoint (one the auditor kept, or the one beside the ledger).
//! Exit 0 when all holds, 1 naming the first bad line, 2 when a file cannot be used.

use crate::cli::LedgerVerifyArgs;
use crate::exit::Exit;
use crate::ledger::{self, CheckpointStatus, VerifyReport as LedgerReport};
use crate::sign::TrustSet;
use anyhow::Context as _;
use std::path::Path;

pub fn run_verify(args: &LedgerVerifyArgs) -> anyhow::Result<Exit> {
    let ledger_path = super::existing_ledger(args.ledger.path())?;
    let keys_dir = ledger::keys_dir(&ledger_path);
    let trust = if args.trust.is_empty() {
        let trust = TrustSet::from_dir(&keys_dir)?;
        if trust.is_empty() {
            anyhow::bail!(
                "no --trust given and no public keys in {}; pass --trust with the provider's public key file or key id",
                keys_dir.display()
            );
        }
        crate::note!(
            "note: no --trust given, so this trusts the {} key(s) found in {} ({}). A key lying \
             next to a ledger proves nothing by itself: pass --trust with a key or key id you \
             obtained from the provider.",
            trust.len(),
            keys_dir.display(),
            trust.key_ids().collect::<Vec<_>>().join(", ")
        );
        trust
    } else {
        TrustSet::from_args(&args.trust, &keys_dir)?
    };

    // Without --checkpoint, the checkpoint beside the ledger still catches a ledger restored
    // from an older copy; only a checkpoint kept elsewhere catches a rollback of both.
    let beside = ledger::checkpoint_path(&ledger_path);
    let (checkpoint, checkpoint_label) = match &args.checkpoint {
        Some(path) => (Some(path.clone()), "the checkpoint"),
        None if beside.is_file() => (Some(beside), "the checkpoint beside the ledger"),
        None => (None, ""),
    };
    let report = ledger::verify(&ledger_path, &trust, checkpoint.as_deref())
        .with_context(|| format!("cannot verify {}", ledger_path.display()))?;

    let checkpoint_file = checkpoint.as_ref().map(|p| p.display().to_string());
    let ok = report.first_bad.is_none()
        && report
            .checkpoint
            .as_ref()
            .is_none_or(|status| matches!(status, CheckpointStatus::Consistent { .. }));
    if args.format.json() {
        let doc = json(&ledger_path, &report, checkpoint_file.as_deref(), ok);
        crate::dataln!("{}", serde_json::to_string_pretty(&doc)?);
    } else {
        human(
            &ledger_path,
            &report,
            checkpoint_label,
            checkpoint_file.as_deref().unwrap_or_default(),
        );
    }
    if args.checkpoint.is_none() {
        crate::note!(
            "note: to detect a cut tail or rollback, keep a copy of {} elsewhere and pass it with --checkpoint later",
            ledger::checkpoint_path(&ledger_path).display()
        );
    }
    Ok(if ok { Exit::Ok } else { Exit::Findings })
}

/// The human report: one line for the chain, one for the checkpoint, the last hash.
fn human(ledger_path: &Path, report: &LedgerReport, checkpoint_label: &str, cp: &str) {
    let name = ledger_path.display();
    match &report.first_bad {
        None => crate::outln!(
            "{name}: {} entries; sequence, hash chain and every signature verified (signed by {})",
            report.lines,
            if report.signers.is_empty() {
                "nobody: the ledger is empty".to_string()
            } else {
                report
                    .signers
                    .iter()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        ),
        Some((line, problem)) => crate::outln!("{name}: line {line}: {problem}"),
    }
    if let Some(status) = &report.checkpoint {
        match status {
            CheckpointStatus::Consistent { count, key_id } => crate::outln!(
                "{checkpoint_label} {cp} ({count} entries, signed by {key_id}): the ledger extends it"
            ),
            CheckpointStatus::Untrusted(why) => {
                crate::outln!("{checkpoint_label} {cp}: not trusted: {why}");
            }
            CheckpointStatus::Truncated { count, lines } => {
                crate::outln!(
                    "{checkpoint_label} {cp} records {count} entries but the ledger has {lines}: \
                     its tail was cut or rolled back"
                );
            }
            CheckpointStatus::Rewritten { count } => {
                crate::outln!(
                    "{checkpoint_label} {cp}: line {count} does not hash to the checkpoint's last \
                     hash: the ledger was rewritten up to line {count}"
                );
            }
        }
    }
    crate::outln!("last hash: {}", report.last_hash);
}

/// The `ceu-ledger-verify/1` document (docs/json-output.md).
fn json(
    ledger_path: &Path,
    report: &LedgerReport,
    checkpoint_file: Option<&str>,
    ok: bool,
) -> serde_json::Value {
    let file = checkpoint_file;
    let checkpoint = report.checkpoint.as_ref().map(|status| match status {
        CheckpointStatus::Consistent { count, key_id } => serde_json::json!({
            "file": file, "status": "consistent", "entries": count, "key_id": key_id,
        }),
        CheckpointStatus::Untrusted(why) => serde_json::json!({
            "file": file, "status": "untrusted", "reason": why.to_string(),
        }),
        CheckpointStatus::Truncated { count, lines } => serde_json::json!({
            "file": file, "status": "truncated", "entries": count, "ledger_entries": lines,
        }),
        CheckpointStatus::Rewritten { count } => serde_json::json!({
            "file": file, "status": "rewritten", "entries": count,
        }),
    });
    serde_json::json!({
        "schema": "ceu-ledger-verify/1",
        "ledger": ledger_path.display().to_string(),
        "ok": ok,
        "entries": report.lines,
        "signers": report.signers,
        "first_bad": report.first_bad.as_ref().map(|(line, problem)| serde_json::json!({
            "line": line,
            "problem": problem.to_string(),
        })),
        "checkpoint": checkpoint,
        "last_hash": report.last_hash,
    })
}
