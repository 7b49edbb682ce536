//! `ceu publish DIR`: writes (or updates) the static verification site from the ledger
//! (see `crate::publish` and docs/verification.md). The ledger must verify first: a site is
//! never published from a ledger whose chain, signatures or checkpoint do not hold.

use crate::cli::PublishArgs;
use crate::exit::Exit;
use crate::ledger;
use crate::publish::{self, MIN_KDF_ITERATIONS, Options};
use crate::sign::{self, TrustSet};
use crate::verify::LedgerState;
use anyhow::bail;
use std::path::PathBuf;

/// `--updated`: RFC 3339 as given (normalized to UTC), or a date as its midnight UTC.
fn updated_time(value: Option<&str>) -> anyhow::Result<String> {
    let Some(value) = value else {
        return Ok(ledger::now_rfc3339());
    };
    if let Ok(at) = chrono::DateTime::parse_from_rfc3339(value) {
        return Ok(at
            .to_utc()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    }
    if let Ok(date) = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        return Ok(format!("{date}T00:00:00Z"));
    }
    bail!(
        "--updated {value:?}: expected an RFC 3339 time (2025-03-20T12:00:00Z) or a date (2025-03-20)"
    )
}

pub fn run(args: &PublishArgs) -> anyhow::Result<Exit> {
    let started = std::time::Instant::now();
    let ledger_path = super::existing_ledger(args.ledger.path())?;
    let records = ledger_path
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    publish::check_target(&args.dir, &records)?;
    if args.holder_facts && args.kdf_iterations < MIN_KDF_ITERATIONS {
        bail!(
            "--kdf-iterations {} is too few: at least {MIN_KDF_ITERATIONS} (the verification code is short, the work factor is what protects the holder facts)",
            args.kdf_iterations
        );
    }
    let updated = updated_time(args.updated.as_deref())?;
    let loaded = sign::load_signing_key(args.key.key.as_deref(), false)?;
    if let Some(warning) = loaded.local_key_warning() {
        eprintln!("{warning}");
    }
    // The ledger is checked with the keys published beside it and the signing key: the
    // provider's own ledger, before its statuses go public.
    let mut trust = TrustSet::from_dir(&ledger::keys_dir(&ledger_path))?;
    trust.insert(loaded.key.public_key());
    let checkpoint = ledger::checkpoint_path(&ledger_path);
    let state = LedgerState::load(
        &ledger_path,
        &trust,
        checkpoint.is_file().then_some(checkpoint.as_path()),
    )?;
    if let Some(problem) = &state.problem {
        bail!("not publishing: the ledger does not verify: {problem}");
    }
    let options = Options {
        updated,
        holder_facts: args.holder_facts.then_some(args.kdf_iterations),
        title: args.title.clone(),
    };
    let summary = publish::publish(
        &args.dir,
        &records,
        &state.index,
        &loaded.key,
        &trust,
        &options,
    )?;
    crate::outln!(
        "published {} certificates to {}: {} files, {} bytes, manifest signed by {} (updated {})",
        summary.certificates,
        args.dir.display(),
        summary.files,
        summary.bytes,
        loaded.key.key_id(),
        options.updated
    );
    if args.holder_facts {
        crate::outln!(
            "holder facts: {} sealed now, {} kept from the previous run, PBKDF2-HMAC-SHA-256 with {} iterations",
            summary.sealed,
            summary.reused,
            args.kdf_iterations
        );
        if !summary.without_facts.is_empty() {
            eprintln!(
                "warning: no holder facts for {} certificates (their PDF is not in <records>/<offering>/certificates/ or is not the issued file): {}",
                summary.without_facts.len(),
                summary
                    .without_facts
                    .iter()
                    .take(5)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    eprintln!("took {:.2} s", started.elapsed().as_secs_f64());
    Ok(Exit::Ok)
}
