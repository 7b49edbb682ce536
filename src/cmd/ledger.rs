//! `ceu ledger verify`: checks the ledger's sequence numbers, hash chain and every signature,
//! and that it extends a checkpoint (one the auditor kept, or the one beside the ledger).
//! Exit 0 when all holds, 1 naming the first bad line, 2 when a file cannot be used.

use crate::cli::LedgerVerifyArgs;
use crate::exit::Exit;
use crate::ledger::{self, CheckpointStatus};
use crate::sign::TrustSet;
use anyhow::Context as _;

pub fn run_verify(args: &LedgerVerifyArgs) -> anyhow::Result<Exit> {
    let ledger_path = super::existing_ledger(args.ledger.as_deref())?;
    let keys_dir = ledger::keys_dir(&ledger_path);
    let trust = if args.trust.is_empty() {
        let trust = TrustSet::from_dir(&keys_dir)?;
        if trust.is_empty() {
            anyhow::bail!(
                "no --trust given and no public keys in {}; pass --trust with the provider's public key file or key id",
                keys_dir.display()
            );
        }
        eprintln!(
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

    let name = ledger_path.display();
    let mut ok = true;
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
        Some((line, problem)) => {
            ok = false;
            crate::outln!("{name}: line {line}: {problem}");
        }
    }
    if let Some(status) = &report.checkpoint {
        let cp = checkpoint
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        match status {
            CheckpointStatus::Consistent { count, key_id } => crate::outln!(
                "{checkpoint_label} {cp} ({count} entries, signed by {key_id}): the ledger extends it"
            ),
            CheckpointStatus::Untrusted(why) => {
                ok = false;
                crate::outln!("{checkpoint_label} {cp}: not trusted: {why}");
            }
            CheckpointStatus::Truncated { count, lines } => {
                ok = false;
                crate::outln!(
                    "{checkpoint_label} {cp} records {count} entries but the ledger has {lines}: \
                     its tail was cut or rolled back"
                );
            }
            CheckpointStatus::Rewritten { count } => {
                ok = false;
                crate::outln!(
                    "{checkpoint_label} {cp}: line {count} does not hash to the checkpoint's last \
                     hash: the ledger was rewritten up to line {count}"
                );
            }
        }
    }
    crate::outln!("last hash: {}", report.last_hash);
    if args.checkpoint.is_none() {
        eprintln!(
            "note: to detect a cut tail or rollback, keep a copy of {} elsewhere and pass it with --checkpoint later",
            ledger::checkpoint_path(&ledger_path).display()
        );
    }
    Ok(if ok { Exit::Ok } else { Exit::Findings })
}
