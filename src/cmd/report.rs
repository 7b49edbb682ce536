//! `ceu report asha`: the participant file for the ASHA CE Registry, as .xlsx and .csv, from
//! the same evaluation `check` and `issue` use ([`super::evaluate`]); the due date and the days
//! left. Exit 0 when the files were written (warnings allowed); 1 when a row was left out for
//! an error (ASHA-REPORT-2 names, ASHA-REPORT-4) or the offering has offering-level errors
//! (nothing written); 2 unusable input or a course without ASHA credit.

use crate::bodies::format_hundredths;
use crate::cli::{AshaArgs, ReportCommand};
use crate::exit::Exit;
use crate::findings::Severity;
use crate::output::visible;
use crate::report::asha::{self, AshaReport, Columns};
use anyhow::Context as _;
use std::path::{Path, PathBuf};

pub fn run(command: &ReportCommand) -> anyhow::Result<Exit> {
    match command {
        ReportCommand::Asha(args) => run_asha(args),
    }
}

fn run_asha(args: &AshaArgs) -> anyhow::Result<Exit> {
    let as_of = args.as_of.date();
    let mut offering = crate::offering::load(&args.offering)?;
    let super::Evaluation { report, .. } =
        super::evaluate(&mut offering, as_of, args.key.key.as_deref())?;
    if report.offering_blocked() {
        eprintln!(
            "Nothing written: {} offering-level error(s) must be fixed first (run `ceu check {}` for the full report).",
            report.summary.offering_errors,
            args.offering.display()
        );
        return Ok(Exit::Findings);
    }
    let Some(built) = asha::build(&offering, &report) else {
        anyhow::bail!(
            "{}: the course offers no ASHA credit ([credit.asha] in course.toml), so there is nothing to report to ASHA",
            args.offering.display()
        );
    };
    let root = crate::paths::root_of_offering(&args.offering)
        .with_context(|| format!("{}: cannot resolve the folder", args.offering.display()))?;
    let (columns, layout) = Columns::load(&root)?;
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| args.offering.join("reports"));
    let ledger_path = args
        .ledger
        .path()
        .map_or_else(|| crate::paths::ledger(&root), Path::to_path_buf);
    let loaded = crate::sign::load_signing_key(args.key.key.as_deref(), true)?;
    let files = write_files(&built, &columns, &out_dir)?;
    let recorded = record(&built, &files, &loaded.key, &ledger_path, args.submitted)?;

    for problem in &built.problems {
        let level = match problem.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        eprintln!(
            "{level}[{}] {}: {}",
            problem.rule,
            visible(&problem.attendee_id),
            problem.message
        );
    }
    print_summary(&built, &files, layout.as_deref(), as_of, &recorded);
    let dropped = built.problems.iter().any(|p| p.severity == Severity::Error);
    Ok(if dropped { Exit::Findings } else { Exit::Ok })
}

/// Writes `asha-<offering-id>.xlsx` and `.csv` into `dir`, each replaced whole (a reader never
/// sees half a file) and readable by the owner only: they hold personal data.
fn write_files(built: &AshaReport, columns: &Columns, dir: &Path) -> anyhow::Result<[PathBuf; 2]> {
    std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    let stem = format!("asha-{}", built.offering_id);
    let xlsx = built
        .xlsx(columns)
        .map_err(|e| anyhow::anyhow!("cannot write the .xlsx: {e}"))?;
    let csv = built.csv(columns);
    let mut written = Vec::new();
    for (extension, bytes) in [("xlsx", xlsx), ("csv", csv)] {
        let path = dir.join(format!("{stem}.{extension}"));
        // NamedTempFile is created with mode 0600; persisting keeps it.
        let mut file = tempfile::NamedTempFile::new_in(dir)
            .with_context(|| format!("{}: cannot write", dir.display()))?;
        std::io::Write::write_all(&mut file, &bytes)
            .with_context(|| format!("{}: cannot write", path.display()))?;
        file.persist(&path)
            .with_context(|| format!("{}: cannot write", path.display()))?;
        written.push(path);
    }
    let [xlsx, csv]: [PathBuf; 2] = written.try_into().expect("two files");
    Ok([xlsx, csv])
}

/// What the ledger holds for this report after the run.
struct Recorded {
    /// The entry appended by this run, or None when an identical one was there already.
    appended: Option<u64>,
    /// The submission date recorded in any report entry of this offering.
    submitted: Option<String>,
    ledger: PathBuf,
}

/// Each file's SHA-256 (by file name), and per person reported a keyed tag of the normalized
/// email and ASHA account number (sorted): what the `report` entry records, never a name.
fn file_hashes_and_people(
    built: &AshaReport,
    files: &[PathBuf; 2],
    key: &crate::sign::KeyPair,
) -> anyhow::Result<(std::collections::BTreeMap<String, String>, Vec<String>)> {
    let mut hashes = std::collections::BTreeMap::new();
    for file in files {
        let bytes =
            std::fs::read(file).with_context(|| format!("{}: cannot read", file.display()))?;
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        hashes.insert(name, crate::sign::sha256_hex(&bytes));
    }
    let mut people: Vec<String> = built
        .rows
        .iter()
        .map(|row| crate::rules::siblings::person_tag(key, &row.email, &row.asha_account))
        .collect();
    people.sort();
    Ok((hashes, people))
}

/// Appends a signed `report` entry (docs/verification.md) unless the latest one for this
/// offering records the same files, rows and people (and the same submission, if given): a
/// rerun with unchanged inputs appends nothing.
fn record(
    built: &AshaReport,
    files: &[PathBuf; 2],
    key: &crate::sign::KeyPair,
    ledger_path: &Path,
    submitted: Option<chrono::NaiveDate>,
) -> anyhow::Result<Recorded> {
    use crate::ledger::{EntryBody, LockedLedger, ReportFields};
    let (hashes, people) = file_hashes_and_people(built, files, key)?;
    let fields = ReportFields {
        report: "asha".into(),
        offering_id: built.offering_id.clone(),
        course_number: built.course_number.clone(),
        rows: u32::try_from(built.rows.len()).unwrap_or(u32::MAX),
        files: hashes,
        people,
        submitted: submitted.map(|d| d.to_string()),
    };
    if let Some(dir) = ledger_path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("{}: cannot create", dir.display()))?;
    }
    let keys_dir = crate::ledger::keys_dir(ledger_path);
    crate::sign::publish_public_key(&keys_dir, &key.public_key())?;
    let mut ledger = LockedLedger::open(ledger_path)?;
    let index = ledger.index()?;
    let earlier: Vec<&ReportFields> = index
        .entries()
        .iter()
        .filter_map(|e| match e.body() {
            EntryBody::Report(f) if f.report == "asha" && f.offering_id == built.offering_id => {
                Some(f)
            }
            _ => None,
        })
        .collect();
    let same_content = |f: &ReportFields| {
        f.files == fields.files
            && f.rows == fields.rows
            && f.people == fields.people
            && f.course_number == fields.course_number
    };
    let unchanged = earlier.last().is_some_and(|last| {
        same_content(last) && (fields.submitted.is_none() || last.submitted == fields.submitted)
    });
    let mut was_submitted = earlier.iter().rev().find_map(|f| f.submitted.clone());
    let appended = if unchanged {
        None
    } else {
        if fields.submitted.is_some() {
            was_submitted.clone_from(&fields.submitted);
        }
        let entries = ledger.append(
            vec![EntryBody::Report(fields)],
            key,
            &crate::ledger::now_rfc3339(),
        )?;
        entries.first().map(|e| e.seq())
    };
    Ok(Recorded {
        appended,
        submitted: was_submitted,
        ledger: ledger_path.to_path_buf(),
    })
}

fn print_summary(
    built: &AshaReport,
    files: &[PathBuf; 2],
    layout: Option<&Path>,
    as_of: chrono::NaiveDate,
    recorded: &Recorded,
) {
    crate::outln!(
        "ASHA participant report for {}: provider {}, course {}, offering {}, {} to {}",
        built.offering_id,
        visible(&built.provider_code),
        visible(&built.course_number),
        visible(&built.offering_number),
        built.start_date,
        built.end_date
    );
    for row in &built.rows {
        crate::outln!(
            "  reported      {:<8} {} {}  {} CEUs",
            visible(&row.attendee_id),
            visible(&row.first_name),
            visible(&row.last_name),
            format_hundredths(row.ceu_hundredths)
        );
    }
    for person in &built.excluded {
        crate::outln!(
            "  not reported  {:<8} {}: {}",
            visible(&person.attendee_id),
            visible(&person.name),
            visible(&person.reason)
        );
    }
    if built.rows.is_empty() {
        crate::outln!(
            "No ASHA participants: report this offering to ASHA with zero participants (ASHA-REPORT-5); an unreported offering is closed 30 days after its due date."
        );
    } else {
        crate::outln!(
            "{} participant(s), {} CEUs in total.",
            built.rows.len(),
            format_hundredths(built.total_hundredths())
        );
    }
    if let Some(date) = &recorded.submitted {
        crate::outln!("Submitted to ASHA on {date} (recorded in the ledger).");
    } else if let Some(due) = built.due {
        let left = (due - as_of).num_days();
        if left >= 0 {
            crate::outln!(
                "Due in the ASHA CE Provider Portal by {due}: {left} day(s) left as of {as_of}."
            );
        } else {
            crate::outln!(
                "Due in the ASHA CE Provider Portal by {due}: {} day(s) late as of {as_of}; submit it now.",
                -left
            );
        }
    }
    match layout {
        Some(path) => crate::outln!("Columns: {}", path.display()),
        None => crate::outln!(
            "Columns: the built-in layout (ASHA's current template is unconfirmed: docs/reporting.md)"
        ),
    }
    for file in files {
        crate::outln!("Wrote {}", file.display());
    }
    match recorded.appended {
        Some(seq) => crate::outln!(
            "Recorded: report entry {seq} in {}",
            recorded.ledger.display()
        ),
        None => crate::outln!(
            "Unchanged since the last report entry in {}: nothing recorded",
            recorded.ledger.display()
        ),
    }
}
