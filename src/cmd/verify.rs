//! `ceu verify`: PDFs, folders, SHA-256 hashes, certificate ids or QR texts (or a list on
//! standard input). Exit 0 only when every item verifies; 1 otherwise; 2 unusable input.

use crate::cli::{ReportFormat, VerifyArgs};
use crate::exit::Exit;
use crate::sign::TrustSet;
use crate::verify::{self, LedgerState, Rerender, Target};
use anyhow::{Context as _, bail};
use std::io::{BufRead as _, Write as _};
use std::path::PathBuf;

/// Targets verified (on every core) and printed at a time in the human report.
const VERIFY_CHUNK: usize = 4096;

/// Where an auditor keeps keys they trust without naming them each time.
pub fn trusted_keys_dir() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("ceu").join("trusted-keys"))
}

pub fn run(args: &VerifyArgs) -> anyhow::Result<Exit> {
    let items = read_items(args)?;
    let mut targets = Vec::new();
    for item in &items {
        targets.extend(verify::targets(item).map_err(anyhow::Error::msg)?);
    }
    let ledger_path = ledger_path(args)?;
    let keys_dir = ledger_path
        .as_deref()
        .map(crate::ledger::keys_dir)
        .unwrap_or_else(|| crate::paths::keys(&crate::paths::root_from_current_dir()));
    let trust = trust(args, &keys_dir)?;
    let checkpoint = checkpoint(args, ledger_path.as_deref());
    let state = match &ledger_path {
        Some(path) => Some(LedgerState::load(path, &trust, checkpoint.as_deref())?),
        None => None,
    };
    let rerender = if state.is_none() && targets.iter().any(|t| matches!(t, Target::Pdf(_))) {
        Some(Rerender::new()?.with_asset_roots(&args.assets)?)
    } else {
        None
    };
    let verify =
        |targets: &[Target]| verify::verify_all(targets, &trust, state.as_ref(), rerender.as_ref());
    let certificates = provider_certificates(&trust, &keys_dir);
    let failed = match args.format.format {
        ReportFormat::Json => {
            // The document gives its counts before the items, so it is built whole.
            let verdicts = verify(&targets)?;
            let failed = verdicts.iter().filter(|v| !v.ok).count();
            let doc = serde_json::json!({
                "schema": "ceu-verify/1",
                "ledger": ledger_path.as_ref().map(|p| p.display().to_string()),
                "revocation_checked": state.is_some(),
                "trusted_keys": trust.key_ids().collect::<Vec<_>>(),
                "pdf_signing_certificates": certificates
                    .into_iter()
                    .map(|(key_id, path, sha256)| serde_json::json!({
                        "key_id": key_id,
                        "file": path.display().to_string(),
                        "sha256": sha256,
                    }))
                    .collect::<Vec<_>>(),
                "verified": verdicts.len() - failed,
                "failed": failed,
                "items": verdicts,
            });
            crate::dataln!("{}", serde_json::to_string_pretty(&doc)?);
            failed
        }
        ReportFormat::Human => human(&targets, verify, &certificates, state.is_some())?,
    };
    Ok(if failed == 0 {
        Exit::Ok
    } else {
        Exit::Findings
    })
}

/// The items named on the command line, and those on standard input when none (or `-`) is.
fn read_items(args: &VerifyArgs) -> anyhow::Result<Vec<String>> {
    let mut items: Vec<String> = args
        .items
        .iter()
        .filter(|i| i.as_str() != "-")
        .cloned()
        .collect();
    if args.items.is_empty() || args.items.iter().any(|i| i == "-") {
        for line in std::io::stdin().lock().lines() {
            let line = line.context("reading the list of items from standard input")?;
            if !line.trim().is_empty() {
                items.push(line.trim().to_string());
            }
        }
    }
    if items.is_empty() {
        bail!(
            "nothing to verify: name PDF files, folders, SHA-256 hashes or certificate ids (or pipe a list in)"
        );
    }
    Ok(items)
}

/// The ledger to check revocation against: `--ledger`, else the records root's; none with
/// `--offline`. Errors: both given, or no ledger found without `--offline`.
fn ledger_path(args: &VerifyArgs) -> anyhow::Result<Option<PathBuf>> {
    Ok(match (&args.ledger.ledger, args.offline) {
        (Some(_), true) => bail!("--offline and --ledger exclude each other: choose one"),
        (Some(path), false) => Some(path.clone()),
        (None, true) => None,
        (None, false) => {
            let default = crate::paths::ledger(&crate::paths::root_from_current_dir());
            if default.is_file() {
                Some(default)
            } else {
                bail!(
                    "no ledger: give --ledger FILE to check revocation, or --offline to verify from the files alone"
                )
            }
        }
    })
}

/// The keys trusted: `--trust`, else the auditor's trusted-keys folder. Errors: none at all.
fn trust(args: &VerifyArgs, keys_dir: &std::path::Path) -> anyhow::Result<TrustSet> {
    let mut trust = TrustSet::from_args(&args.trust, keys_dir)?;
    if trust.is_empty()
        && let Some(dir) = trusted_keys_dir()
    {
        trust = TrustSet::from_dir(&dir)?;
    }
    if trust.is_empty() {
        bail!(
            "no trusted key: name the issuer's public key with --trust FILE (or its key id), or put it in {}; a key lying next to a ledger is not trusted by itself",
            trusted_keys_dir()
                .map(|d| d.display().to_string())
                .unwrap_or_else(|| "the trusted-keys folder".into())
        );
    }
    Ok(trust)
}

/// The checkpoint the ledger must extend. A ledger whose tail was cut still has a valid
/// chain: only a checkpoint shows it (issue 17, item 4). The one beside the ledger by default,
/// or one the auditor kept; without either, a note.
fn checkpoint(args: &VerifyArgs, ledger_path: Option<&std::path::Path>) -> Option<PathBuf> {
    match (ledger_path, &args.checkpoint) {
        (_, Some(kept)) => Some(kept.clone()),
        (Some(path), None) => {
            let beside = crate::ledger::checkpoint_path(path);
            if beside.is_file() {
                Some(beside)
            } else {
                crate::note!(
                    "note: no checkpoint beside {} ({}): a cut tail of the ledger cannot be detected; give --checkpoint FILE if you kept one",
                    path.display(),
                    beside.display()
                );
                None
            }
        }
        (None, None) => None,
    }
}

/// The human report, verified and printed a chunk at a time, in order (holding every verdict
/// until the end took ~300 MB at 100,000 PDFs). Returns how many items failed.
fn human(
    targets: &[Target],
    verify: impl Fn(&[Target]) -> Result<Vec<verify::Verdict>, verify::WorkerPanicked>,
    certificates: &[(String, PathBuf, String)],
    revocation_checked: bool,
) -> anyhow::Result<usize> {
    let human: Box<dyn std::io::Write> = if crate::output::quiet() {
        Box::new(std::io::sink())
    } else {
        Box::new(crate::output::Stdout)
    };
    let mut out = std::io::BufWriter::new(human);
    let mut failed = 0;
    for chunk in targets.chunks(VERIFY_CHUNK) {
        for verdict in verify(chunk)? {
            failed += usize::from(!verdict.ok);
            write_verdict(&mut out, &verdict)?;
        }
        out.flush()?;
    }
    // Printed when PDFs were verified: their signatures show this fingerprint.
    let pdfs = targets.iter().any(|t| matches!(t, Target::Pdf(_)));
    for (key_id, path, fingerprint) in certificates.iter().filter(|_| pdfs) {
        writeln!(
            out,
            "PDF signing certificate of {key_id}: SHA-256 {} ({}); a PDF reader shows this fingerprint for a genuine certificate's signature",
            crate::cades::colon_fingerprint(fingerprint),
            path.display()
        )?;
    }
    writeln!(
        out,
        "\n{} of {} verified{}.",
        targets.len() - failed,
        targets.len(),
        if revocation_checked {
            ""
        } else {
            "; revocation NOT checked (offline: give --ledger to check it)"
        }
    )?;
    out.flush()?;
    Ok(failed)
}

/// One verdict: OK with its caveats, or FAIL with the first failed check; then what a
/// looked-up certificate attests.
fn write_verdict(out: &mut impl std::io::Write, verdict: &verify::Verdict) -> std::io::Result<()> {
    let id = verdict.certificate_id.as_deref().unwrap_or("-");
    if verdict.ok {
        writeln!(out, "OK    {}  {id}  {}", verdict.item, verdict.status)?;
        for caveat in verdict.caveats() {
            writeln!(out, "      {}: {}", caveat.check, caveat.detail)?;
        }
    } else {
        let failure = verdict.first_failure();
        writeln!(
            out,
            "FAIL  {}  {id}  {}: {} check failed: {}",
            verdict.item,
            verdict.status,
            failure.map_or("", |c| c.check),
            failure.map_or("", |c| c.detail.as_str())
        )?;
    }
    if let Some(attests) = &verdict.attests {
        write_attests(out, attests)?;
    }
    Ok(())
}

/// The lines saying what a looked-up certificate attests.
fn write_attests(out: &mut impl std::io::Write, attests: &verify::Attests) -> std::io::Result<()> {
    if let Some(holder) = &attests.holder {
        writeln!(out, "      holder:    {holder}")?;
    }
    let title = attests
        .title
        .as_ref()
        .map(|t| format!(" \"{t}\""))
        .unwrap_or_default();
    let dates = attests
        .dates
        .as_ref()
        .map(|d| format!(", {d}"))
        .unwrap_or_default();
    writeln!(out, "      offering:  {}{title}{dates}", attests.offering)?;
    for line in &attests.credit {
        writeln!(out, "      credit:    {line}")?;
    }
    writeln!(
        out,
        "      issued:    {} (revision {}); status {}",
        attests.issued_at, attests.revision, attests.status
    )?;
    if let Some(note) = &attests.note {
        writeln!(out, "      note:      {note}")?;
    }
    Ok(())
}

/// For each trusted key whose document-signing certificate lies in `keys_dir`
/// (`<hex id>.crt.pem`): the key id, the file and the certificate's SHA-256 (hex).
fn provider_certificates(
    trust: &TrustSet,
    keys_dir: &std::path::Path,
) -> Vec<(String, PathBuf, String)> {
    trust
        .key_ids()
        .filter_map(|key_id| {
            let path = crate::sign::certificate_path(keys_dir, key_id);
            let pem = std::fs::read_to_string(&path).ok()?;
            let (_, der) = der::pem::decode_vec(pem.as_bytes()).ok()?;
            Some((key_id.to_string(), path, crate::sign::sha256_hex(&der)))
        })
        .collect()
}
