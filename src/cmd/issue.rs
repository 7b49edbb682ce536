//! `ceu issue`: the same evaluation as `check` (every finding is printed first), then render,
//! sign and record a certificate for exactly the attendees `check` shows as issuable.
//! Exit 0 when everything that could be issued was and nothing is in error; 1 when the
//! offering has offering-level errors or an empty roster (nothing issued), or any error finding
//! remains (those it holds back were not issued); 2 unusable input, or a folder `issue` refuses
//! to write into (a stray ledger, certificates the ledger does not record).

use crate::cli::IssueArgs;
use crate::exit::Exit;
use crate::issue::{self, IssueOptions, IssueSummary};
use crate::offering::Offering;
use crate::output::visible;
use crate::rules::Report;
use crate::sign::KeyPair;
use crate::{ledger, paths, sign};
use anyhow::{Context as _, bail};
use chrono::{SubsecRound, Utc};
use std::collections::HashSet;
use std::path::Path;

pub fn run(args: &IssueArgs) -> anyhow::Result<Exit> {
    let mut offering = crate::offering::load(&args.offering)?;
    let super::Evaluation {
        report,
        renderer,
        provider,
    } = super::evaluate(&mut offering, args.as_of.date(), args.key.key.as_deref())?;
    let json = args.format.json();
    if !json && !crate::output::quiet() {
        let mut findings = String::new();
        super::check::findings_list(&mut findings, &report, &offering.record);
        eprint!("{findings}");
    }

    if let Some(why) = nothing_to_issue(args, &offering, &report) {
        if json {
            let doc = serde_json::json!({
                "schema": "ceu-issue/1",
                "offering_id": report.offering_id,
                "nothing_issued": why,
                "findings": report.findings,
            });
            crate::dataln!("{}", serde_json::to_string_pretty(&doc)?);
        } else {
            eprintln!("{why}");
        }
        return Ok(Exit::Findings);
    }

    let prepared = prepare(args, &offering)?;
    let options = options(args, &prepared.out_dir, &prepared.ledger_path);
    let mut issued = Vec::new();
    let summary = issue::issue(
        &offering,
        &report,
        &prepared.loaded.key,
        &renderer,
        &options,
        |item| issued.extend(issued_item(item, json)),
    )?;
    // ASHA-COMPLETE-4: a written notice to everyone who asked for credit and will not get it.
    let notices = write_notices(&offering, &report, &provider, &prepared, options.issued_at)?;
    let notice_files = notices
        .iter()
        .filter(|n| n.exists())
        .map(|n| (n.attendee_id.clone(), n.file.clone()))
        .collect();
    // Issue 20: who gets what, for handing the certificates out (personal data, mode 0600).
    crate::delivery::write(
        &prepared.out_dir,
        &offering,
        &report,
        &prepared.ledger_path,
        &notice_files,
    )?;
    if std::env::var_os("CEU_PROFILE").is_some_and(|v| v != "0") {
        eprint!("{}", options.profile.report());
    }
    if json {
        let mut doc = json_document(&report, &summary, issued, &prepared);
        add_notices(&mut doc, &offering, &notices);
        crate::dataln!("{}", serde_json::to_string_pretty(&doc)?);
    } else {
        print_notices(&offering, &notices);
        print_summary(&summary, &prepared);
    }
    let unwritten = notices.iter().any(|n| !n.exists());
    Ok(
        if summary.blocked.is_empty() && !report.has_errors() && !unwritten {
            Exit::Ok
        } else {
            Exit::Findings
        },
    )
}

/// Renders, writes and records the notices to non-completers (`issue::write_notices`) with
/// the provider's notice template, fonts and logo, or the built-in ones.
fn write_notices(
    offering: &Offering,
    report: &Report,
    provider: &super::Provider,
    prepared: &Prepared,
    issued_at: chrono::DateTime<Utc>,
) -> anyhow::Result<Vec<issue::NoticeWritten>> {
    let renderer =
        provider.document_renderer("notice", "notice", crate::document::notice::TEMPLATE)?;
    Ok(issue::write_notices(
        offering,
        report,
        &prepared.loaded.key,
        &prepared.ledger_path,
        &renderer,
        issued_at,
    )?)
}

/// One line per notice: written by this run, or unchanged since an earlier one.
fn print_notices(offering: &Offering, notices: &[issue::NoticeWritten]) {
    for notice in notices {
        let shown = notice
            .file
            .strip_prefix(&offering.dir)
            .unwrap_or(&notice.file);
        let (what, detail) = match &notice.state {
            issue::NoticeState::Written => ("notice written", shown.display().to_string()),
            issue::NoticeState::Unchanged => ("notice unchanged", shown.display().to_string()),
            issue::NoticeState::NotRendered(why) => ("notice NOT written", why.clone()),
        };
        crate::outln!(
            "{what:<26} {:<8} {}",
            visible(&notice.attendee_id),
            visible(&detail)
        );
    }
}

/// Adds the notices to the `ceu-issue/1` document: a `notices` list, and `notice_file` (the
/// path in the offering folder, as delivery.csv gives it) on each result row of an attendee
/// who has one.
fn add_notices(doc: &mut serde_json::Value, offering: &Offering, notices: &[issue::NoticeWritten]) {
    let relative = |n: &issue::NoticeWritten| {
        n.file
            .strip_prefix(&offering.dir)
            .unwrap_or(&n.file)
            .display()
            .to_string()
    };
    if let Some(rows) = doc["results"].as_array_mut() {
        for row in rows {
            let id = row["attendee_id"].as_str().unwrap_or_default().to_string();
            if let Some(n) = notices.iter().find(|n| n.attendee_id == id && n.exists()) {
                row["notice_file"] = relative(n).into();
            }
        }
    }
    doc["notices"] = notices
        .iter()
        .map(|n| {
            let (state, problem) = match &n.state {
                issue::NoticeState::Written => ("written", None),
                issue::NoticeState::Unchanged => ("unchanged", None),
                issue::NoticeState::NotRendered(why) => ("not-rendered", Some(why)),
            };
            serde_json::json!({
                "attendee_id": n.attendee_id,
                "file": n.exists().then(|| relative(n)),
                "state": state,
                "problem": problem,
            })
        })
        .collect();
}

/// The folders, the key and the published key files a run needs, after the refusals that
/// keep it from writing where it must not.
struct Prepared {
    ledger_path: std::path::PathBuf,
    out_dir: std::path::PathBuf,
    loaded: sign::LoadedKey,
    public_path: std::path::PathBuf,
    certificate_path: std::path::PathBuf,
}

/// Resolves the ledger and output folder, refuses stray ledgers and unrecorded certificates,
/// loads the signing key (warning of a local key or one inside git) and publishes its public
/// key and PDF-signing certificate beside the ledger.
fn prepare(args: &IssueArgs, offering: &Offering) -> anyhow::Result<Prepared> {
    let root = paths::root_of_offering(&args.offering)
        .with_context(|| format!("{}: cannot resolve the folder", args.offering.display()))?;
    let ledger_path = args
        .ledger
        .path()
        .map_or_else(|| paths::ledger(&root), Path::to_path_buf);
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| paths::certificates(&args.offering));
    refuse_stray_ledgers(&args.offering, &out_dir, &ledger_path)?;
    let loaded = sign::load_signing_key(args.key.key.as_deref(), true)?;
    if let Some(warning) = loaded.local_key_warning() {
        crate::note!("{warning}");
    }
    if let Some(warning) = sign::git_repository_warning(&loaded.path) {
        eprintln!("{warning}");
    }
    refuse_unrecorded_certificates(
        &out_dir,
        &ledger_path,
        args.new_ledger,
        &loaded.key,
        offering,
    )?;
    let keys_dir = ledger::keys_dir(&ledger_path);
    let public_path = sign::publish_public_key(&keys_dir, &loaded.key.public_key())?;
    let (certificate_path, _) = crate::cades::publish_certificate(&loaded.key, &keys_dir)?;

    Ok(Prepared {
        ledger_path,
        out_dir,
        loaded,
        public_path,
        certificate_path,
    })
}

/// The run's options: folders, `--reissue`, the issue time (now unless `--issued-at`, whole
/// seconds), threads (all cores unless `--jobs`), a progress bar only for a human report.
fn options(args: &IssueArgs, out_dir: &Path, ledger_path: &Path) -> IssueOptions {
    IssueOptions {
        out_dir: out_dir.to_path_buf(),
        ledger: ledger_path.to_path_buf(),
        reissue: args.reissue,
        issued_at: args
            .issued_at
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(Utc::now)
            .trunc_subsecs(0),
        jobs: args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
        progress: !args.format.json() && !crate::output::quiet(),
        profile: issue::Profile::default(),
    }
}

/// One issued certificate: printed as it is recorded (human report), or its JSON result.
fn issued_item(item: &issue::Issued, json: bool) -> Option<serde_json::Value> {
    if !json {
        let what = match item.supersedes {
            Some(old) => format!("reissued (supersedes r{old})"),
            None => "issued".into(),
        };
        crate::outln!(
            "{what:<26} {:<8} {}  {}",
            visible(&item.attendee_id),
            item.full_cert_id,
            item.file.display()
        );
        return None;
    }
    Some(serde_json::json!({
        "attendee_id": item.attendee_id,
        "outcome": if item.supersedes.is_some() { "reissued" } else { "issued" },
        "certificate_id": item.full_cert_id,
        "file": item.file.display().to_string(),
        "supersedes_revision": item.supersedes,
    }))
}

/// Why nothing can be issued at all, with what to do: offering-level errors, or no attendees.
fn nothing_to_issue(args: &IssueArgs, offering: &Offering, report: &Report) -> Option<String> {
    if report.offering_blocked() {
        return Some(format!(
            "Nothing issued: {} offering-level error(s) must be fixed first (run `ceu check {}` for the full report).",
            report.summary.offering_errors,
            args.offering.display()
        ));
    }
    if report.attendees.is_empty() {
        return Some(format!(
            "Nothing issued: {} has no attendees yet. Paste the registration export under its header row, put the attendance in {}, then run `ceu check {}`.",
            offering.roster.path.display(),
            args.offering.join("attendance").display(),
            args.offering.display()
        ));
    }
    None
}

/// The human summary after the issued lines: who was not issued and why, the counts, where
/// the files are and how to verify them.
fn print_summary(summary: &IssueSummary, written: &Prepared) {
    for (attendee, reason) in &summary.not_completed {
        crate::outln!(
            "{:<26} {:<8} {}",
            "not completed",
            visible(attendee),
            visible(reason)
        );
    }
    for (attendee, cert, differences) in &summary.changed {
        crate::outln!(
            "{:<26} {:<8} {cert}: the record changed since issue:",
            "changed, NOT reissued",
            visible(attendee)
        );
        for difference in differences {
            crate::outln!("{:<37}{}", "", visible(difference));
        }
    }
    for (attendee, cert) in &summary.revoked {
        crate::outln!(
            "{:<26} {:<8} {cert} is revoked; --reissue issues a new revision",
            "revoked, not reissued",
            visible(attendee)
        );
    }
    for (attendee, why) in &summary.blocked {
        crate::outln!(
            "{:<26} {:<8} {}",
            "BLOCKED by a finding",
            visible(attendee),
            visible(why)
        );
    }
    crate::outln!(
        "\nIssued {}, unchanged {}, changed but not reissued {}, revoked {}, not completed {}, blocked by a finding {}.",
        summary.issued,
        summary.unchanged,
        summary.changed.len(),
        summary.revoked.len(),
        summary.not_completed.len(),
        summary.blocked.len()
    );
    if summary.issued > 0 {
        crate::outln!(
            "Certificates: {}   Ledger: {}",
            written.out_dir.display(),
            written.ledger_path.display()
        );
        crate::outln!(
            "Verify them: ceu verify {} --ledger {} --trust {}",
            written.out_dir.display(),
            written.ledger_path.display(),
            written.public_path.display()
        );
        crate::outln!(
            "PDF readers: the certificates are signed by {} (see docs/verification.md)",
            written.certificate_path.display()
        );
    }
    if !summary.changed.is_empty() {
        crate::outln!("To replace the changed certificates, run again with --reissue.");
    }
}

/// The `ceu-issue/1` document (docs/json-output.md): every finding, one result per attendee
/// the run decided about, the counts and the files.
fn json_document(
    report: &Report,
    summary: &IssueSummary,
    mut results: Vec<serde_json::Value>,
    written: &Prepared,
) -> serde_json::Value {
    let row = |attendee: &str, outcome: &str, cert: Option<&str>, reason: Option<&str>| {
        serde_json::json!({
            "attendee_id": attendee,
            "outcome": outcome,
            "certificate_id": cert,
            "reason": reason,
        })
    };
    for (attendee, reason) in &summary.not_completed {
        results.push(row(attendee, "not-completed", None, Some(reason)));
    }
    for (attendee, cert, differences) in &summary.changed {
        let mut value = row(attendee, "changed-not-reissued", Some(cert), None);
        value["differences"] = serde_json::json!(differences);
        results.push(value);
    }
    for (attendee, cert) in &summary.revoked {
        results.push(row(attendee, "revoked-not-reissued", Some(cert), None));
    }
    for (attendee, why) in &summary.blocked {
        results.push(row(attendee, "blocked", None, Some(why)));
    }
    serde_json::json!({
        "schema": "ceu-issue/1",
        "offering_id": report.offering_id,
        "findings": report.findings,
        "results": results,
        "summary": {
            "issued": summary.issued,
            "unchanged": summary.unchanged,
            "changed_not_reissued": summary.changed.len(),
            "revoked_not_reissued": summary.revoked.len(),
            "not_completed": summary.not_completed.len(),
            "blocked": summary.blocked.len(),
        },
        "certificates": written.out_dir.display().to_string(),
        "ledger": written.ledger_path.display().to_string(),
        "public_key": written.public_path.display().to_string(),
        "pdf_signing_certificate": written.certificate_path.display().to_string(),
    })
}

/// Refuses (exit 2) when the offering folder or the output folder holds a ledger or a
/// checkpoint of its own: a run from inside the folder put it there, and issuing now would
/// start a second ledger recording the same certificate ids.
fn refuse_stray_ledgers(offering: &Path, out_dir: &Path, ledger_path: &Path) -> anyhow::Result<()> {
    let stray_names = [
        paths::LEDGER.to_string(),
        ledger::checkpoint_path(Path::new(paths::LEDGER))
            .display()
            .to_string(),
    ];
    for dir in [offering, out_dir] {
        for name in &stray_names {
            let stray = dir.join(name);
            if stray.is_file() {
                bail!(
                    "{}: a ledger file inside {}. The ledger belongs in the records folder ({}), beside the offering folders; an earlier run from inside the folder may have put it here. If {} does not exist, move {}'s ledger.jsonl, ledger.checkpoint.json and keys/ there; if it does, keep both ledgers and reconcile them by hand (they may record the same certificates). Nothing was issued.",
                    stray.display(),
                    dir.display(),
                    ledger_path.display(),
                    ledger_path.display(),
                    dir.display()
                );
            }
        }
    }
    Ok(())
}

/// Refuses (exit 2) to write into an output folder that holds certificates the ledger does not
/// record, rather than overwrite them and record them a second time: when the ledger is missing
/// (moved away) unless `new_ledger` starts one on purpose, and when PDFs are there that neither
/// the ledger records nor an interrupted run of this key left behind (those carry the
/// certificate ids this key derives for the roster, and are rewritten).
fn refuse_unrecorded_certificates(
    out_dir: &Path,
    ledger_path: &Path,
    new_ledger: bool,
    key: &KeyPair,
    offering: &Offering,
) -> anyhow::Result<()> {
    let has_entries = std::fs::metadata(ledger_path).is_ok_and(|m| m.len() > 0);
    if new_ledger && has_entries {
        bail!(
            "--new-ledger: {} already holds entries; run again without --new-ledger to issue into it",
            ledger_path.display()
        );
    }
    let pdfs: Vec<String> = match std::fs::read_dir(out_dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".pdf"))
            .collect(),
        Err(_) => return Ok(()),
    };
    if pdfs.is_empty() {
        return Ok(());
    }
    if !ledger_path.exists() {
        if new_ledger {
            crate::note!(
                "note: --new-ledger: starting {} although {} holds {} certificate(s) no ledger here records",
                ledger_path.display(),
                out_dir.display(),
                pdfs.len()
            );
            return Ok(());
        }
        bail!(
            "{} holds {} certificate(s), but there is no ledger at {}: was it moved or deleted? Put it back (with ledger.checkpoint.json), or give --ledger FILE where it is now. Issuing now would start a new ledger and overwrite those PDFs; to do that on purpose, run again with --new-ledger.",
            out_dir.display(),
            pdfs.len(),
            ledger_path.display()
        );
    }
    let recorded: HashSet<String> = ledger::read(ledger_path)?
        .iter()
        .filter_map(|e| e.body().issued().map(|f| f.pdf_file.clone()))
        .collect();
    let mut unrecorded: Vec<&String> = pdfs.iter().filter(|p| !recorded.contains(*p)).collect();
    if unrecorded.is_empty() {
        return Ok(());
    }
    let ours: HashSet<String> = offering
        .roster
        .attendees
        .iter()
        .map(|a| issue::certificate_id(key, offering.id(), a.id()))
        .collect();
    unrecorded.retain(|name| {
        let cert_id = name
            .strip_suffix(".pdf")
            .and_then(|stem| stem.rsplit_once("-r"))
            .map(|(id, _)| id);
        !cert_id.is_some_and(|id| ours.contains(id))
    });
    if unrecorded.is_empty() {
        return Ok(());
    }
    unrecorded.sort();
    let shown: Vec<&str> = unrecorded.iter().take(3).map(|s| s.as_str()).collect();
    bail!(
        "{} holds {} certificate(s) that the ledger {} does not record ({}{}): they were issued with another ledger or key. Move them out of that folder, give --out DIR for this run's certificates, or --ledger FILE for the ledger that records them. Nothing was issued.",
        out_dir.display(),
        unrecorded.len(),
        ledger_path.display(),
        shown.join(", "),
        if unrecorded.len() > 3 { ", …" } else { "" }
    )
}
