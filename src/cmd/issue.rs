//! `ceu issue`: check, then render, sign and record a certificate for every completer.
//! Exit 0 when everything that could be issued was; 1 when the offering has offering-level
//! errors (nothing issued) or any attendee was held back by a finding; 2 unusable input.

use crate::cli::IssueArgs;
use crate::exit::Exit;
use crate::findings::Scope;
use crate::issue::{self, IssueOptions};
use crate::render::{DEFAULT_TEMPLATE, Renderer};
use crate::{ledger, rules, sign};
use anyhow::Context as _;
use chrono::{SubsecRound, Utc};
use std::path::{Path, PathBuf};

/// `records/ledger.jsonl` for an offering at `records/<offering>`.
pub fn default_ledger(offering: &Path) -> PathBuf {
    offering
        .parent()
        .map(|p| p.join("ledger.jsonl"))
        .unwrap_or_else(|| PathBuf::from("ledger.jsonl"))
}

pub fn run(args: &IssueArgs) -> anyhow::Result<Exit> {
    let mut offering = crate::offering::load(&args.offering)?;
    let as_of = args
        .as_of
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let signature =
        match &offering.record.course.provider.signatory.signature_image {
            Some(relative) => {
                let path = args.offering.join(relative);
                Some(std::fs::read(&path).with_context(|| {
                    format!("{}: cannot read the signature image", path.display())
                })?)
            }
            None => None,
        };
    let report = rules::evaluate(&offering, as_of);
    offering.release_attendance();
    // Built after the attendance intervals are freed, so that its fonts and caches (~25 MB)
    // do not sit on top of them while the rules run.
    let renderer = Renderer::new(DEFAULT_TEMPLATE.to_string(), signature)?;
    let glyphs = issue::glyph_findings(&offering, &report, &renderer);
    let report = report.with_findings(glyphs);

    if report.offering_blocked() {
        let mut out = String::new();
        for finding in report
            .findings
            .iter()
            .filter(|f| f.is_error() && f.scope == Scope::Offering)
        {
            crate::cmd::check::format_finding(&mut out, finding);
        }
        eprint!("{out}");
        eprintln!(
            "Nothing issued: {} offering-level error(s) must be fixed first (run `ceu check {}` for the full report).",
            report.summary.offering_errors,
            args.offering.display()
        );
        return Ok(Exit::Findings);
    }

    let ledger_path = args
        .ledger
        .clone()
        .unwrap_or_else(|| default_ledger(&args.offering));
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| args.offering.join("certificates"));
    let loaded = sign::load_signing_key(args.key.key.as_deref(), true)?;
    if let Some(warning) = loaded.local_key_warning() {
        eprintln!("{warning}");
    }
    let keys_dir = ledger::keys_dir(&ledger_path);
    let public = loaded.key.public_key();
    let public_path = sign::public_key_path(&keys_dir, public.key_id());
    if !public_path.exists() {
        sign::write_public_key(&keys_dir, &public)?;
    }
    let (certificate_path, _) = crate::cades::publish_certificate(&loaded.key, &keys_dir)?;

    let options = IssueOptions {
        out_dir: out_dir.clone(),
        ledger: ledger_path.clone(),
        reissue: args.reissue,
        issued_at: args
            .issued_at
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(Utc::now)
            .trunc_subsecs(0),
        jobs: args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
        progress: true,
        profile: issue::Profile::default(),
    };
    let summary = issue::issue(
        &offering,
        &report,
        &loaded.key,
        &renderer,
        &options,
        |item| {
            let what = match item.supersedes {
                Some(old) => format!("reissued (supersedes r{old})"),
                None => "issued".into(),
            };
            println!(
                "{what:<26} {:<8} {}  {}",
                item.attendee_id,
                item.full_cert_id,
                item.file.display()
            );
        },
    )?;

    for (attendee, reason) in &summary.not_completed {
        println!("{:<26} {attendee:<8} {reason}", "not completed");
    }
    for (attendee, cert, differences) in &summary.changed {
        println!(
            "{:<26} {attendee:<8} {cert}: the record changed since issue:",
            "changed, NOT reissued"
        );
        for difference in differences {
            println!("{:<37}{difference}", "");
        }
    }
    for (attendee, cert) in &summary.revoked {
        println!(
            "{:<26} {attendee:<8} {cert} is revoked; --reissue issues a new revision",
            "revoked, not reissued"
        );
    }
    for (attendee, why) in &summary.blocked {
        println!("{:<26} {attendee:<8} {why}", "BLOCKED by a finding");
    }
    if std::env::var_os("CEU_PROFILE").is_some_and(|v| v != "0") {
        eprint!("{}", options.profile.report());
    }
    println!(
        "\nIssued {}, unchanged {}, changed but not reissued {}, revoked {}, not completed {}, blocked by a finding {}.",
        summary.issued,
        summary.unchanged,
        summary.changed.len(),
        summary.revoked.len(),
        summary.not_completed.len(),
        summary.blocked.len()
    );
    if summary.issued > 0 {
        println!(
            "Certificates: {}   Ledger: {}",
            out_dir.display(),
            ledger_path.display()
        );
        println!(
            "Verify them: ceu verify {} --ledger {} --trust {}",
            out_dir.display(),
            ledger_path.display(),
            public_path.display()
        );
        println!(
            "PDF readers: the certificates are signed by {} (see docs/verification.md)",
            certificate_path.display()
        );
    }
    if !summary.changed.is_empty() {
        println!("To replace the changed certificates, run again with --reissue.");
    }
    Ok(if summary.blocked.is_empty() {
        Exit::Ok
    } else {
        Exit::Findings
    })
}
