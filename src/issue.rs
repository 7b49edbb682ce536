//! Issuing: from a checked offering to signed certificates recorded in the ledger.
//!
//! Per completer: the printed fields (`certificate::certificate_data`), a signed certificate
//! record (DSSE envelope over the record's exact JSON bytes), a PDF rendered with the record
//! attached, written atomically (temporary file + rename), and a ledger entry binding the
//! record's hash to the PDF's hash. Work goes in batches: render on every core, write the
//! PDFs, flush the file system once, then append the batch to the ledger under its lock and
//! fsync once (group commit). A crash leaves at worst PDFs without ledger entries, which the
//! next run rewrites under the same ids (ids are derived from the signing key, so they are
//! stable), never a ledger entry without its PDF.

use crate::certificate::{self, CertificateRecord, InputHash, RECORD_PAYLOAD_TYPE};
use crate::findings::{Finding, Severity};
use crate::ledger::{self, EntryBody, IssueFields, LockedLedger};
use crate::offering::Offering;
use crate::render::{CertificateData, Renderer};
use crate::rules::{Report, Status};
use crate::sign::KeyPair;
use chrono::{DateTime, SecondsFormat, Utc};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Certificates rendered, written and recorded per ledger append (one fsync per batch).
pub const BATCH: usize = 512;

/// Why issuing stopped (exit 2): I/O, the ledger, or the renderer failed.
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Ledger(#[from] ledger::LedgerError),
    #[error("rendering the certificate of attendee {attendee}: {source}")]
    Render {
        attendee: String,
        source: crate::render::RenderError,
    },
    #[error("{0}")]
    Other(String),
    /// The disk filled while certificates were written (before their batch reached the ledger).
    #[error(
        "{path}: {source}. The ledger {ledger} is intact and holds every certificate committed before this batch; free space and run `ceu issue` again to complete the batch"
    )]
    DiskFull {
        path: String,
        ledger: String,
        source: std::io::Error,
    },
}

impl IssueError {
    /// Names the ledger in an I/O error caused by a full disk, so the user knows what state
    /// the run left behind and that re-running completes it.
    fn naming_ledger(self, ledger: &Path) -> IssueError {
        match self {
            IssueError::Io { path, source } if source.kind() == std::io::ErrorKind::StorageFull => {
                IssueError::DiskFull {
                    path,
                    ledger: ledger.display().to_string(),
                    source,
                }
            }
            other => other,
        }
    }
}

/// Settings for one run.
#[derive(Debug)]
pub struct IssueOptions {
    pub out_dir: PathBuf,
    pub ledger: PathBuf,
    pub reissue: bool,
    pub issued_at: DateTime<Utc>,
    /// Rendering threads.
    pub jobs: usize,
    /// Show a progress bar (only when standard error is a terminal).
    pub progress: bool,
    /// Where the time goes, phase by phase.
    pub profile: Profile,
}

/// One certificate written by this run.
#[derive(Debug, Clone)]
pub struct Issued {
    pub attendee_id: String,
    pub full_cert_id: String,
    pub file: PathBuf,
    pub pdf_sha256: String,
    /// The revision this one replaces (reissues only).
    pub supersedes: Option<u32>,
}

/// What happened to everyone on the roster.
#[derive(Debug, Clone, Default)]
pub struct IssueSummary {
    /// How many certificates this run issued (each reported through `on_issued` as its batch
    /// is committed: at 100,000 attendees a list would cost tens of megabytes).
    pub issued: usize,
    /// How many certificates were already issued with the same content.
    pub unchanged: usize,
    /// Attendee id, full certificate id, the differences.
    pub changed: Vec<(String, String, Vec<String>)>,
    /// Attendee id, full certificate id: revoked, not reissued.
    pub revoked: Vec<(String, String)>,
    /// Attendee id, reason.
    pub not_completed: Vec<(String, String)>,
    /// Attendee id, what blocks them.
    pub blocked: Vec<(String, String)>,
}

/// Where `issue`'s time goes, summed over every certificate and thread (`CEU_PROFILE=1`
/// prints it to standard error). Each phase is timed around the code that does it, so the
/// split holds for any thread count; batch phases (file-system flush, ledger append) are wall
/// time on the committing thread.
#[derive(Debug, Default)]
pub struct Profile {
    nanos: [std::sync::atomic::AtomicU64; Profile::PHASES.len()],
    certificates: std::sync::atomic::AtomicU64,
}

impl Profile {
    const PHASES: [&'static str; 11] = [
        "certificate data + signed record",
        "QR code + data JSON",
        "Typst compile (eval + layout)",
        "PDF export (fonts, compression)",
        "memoization evict",
        "SHA-256 of the PDF",
        "write PDF (temporary file + rename)",
        "ledger entry fields",
        "file-system flush (syncfs, per batch)",
        "ledger append + checkpoint (per batch)",
        "PDF signature (CMS + incremental update)",
    ];

    fn add(&self, phase: usize, elapsed: std::time::Duration) {
        let nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        self.nanos[phase].fetch_add(nanos, std::sync::atomic::Ordering::Relaxed);
    }

    /// The split as text: milliseconds per certificate and share of the total, per phase.
    pub fn report(&self) -> String {
        use std::sync::atomic::Ordering::Relaxed;
        let count = self.certificates.load(Relaxed).max(1) as f64;
        let values: Vec<f64> = self
            .nanos
            .iter()
            .map(|n| n.load(Relaxed) as f64 / 1e6 / count)
            .collect();
        let total: f64 = values.iter().sum();
        let mut out = format!(
            "per-certificate profile over {} certificate(s), ms per certificate:\n",
            count as u64
        );
        for (name, value) in Self::PHASES.iter().zip(&values) {
            out.push_str(&format!(
                "  {name:<40} {value:>8.3}  {:>5.1} %\n",
                100.0 * value / total.max(f64::MIN_POSITIVE)
            ));
        }
        out.push_str(&format!("  {:<40} {total:>8.3}\n", "total"));
        out
    }
}

/// Times `f` into `phase` of `profile`.
fn timed<T>(profile: &Profile, phase: usize, f: impl FnOnce() -> T) -> T {
    let start = std::time::Instant::now();
    let value = f();
    profile.add(phase, start.elapsed());
    value
}

/// A certificate to render in this run.
/// Small on purpose (32 bytes): the printed data, the certificate id and
/// the verification code are derived when the job is rendered, so 100,000 queued jobs hold
/// indexes, not 100,000 certificates or 200,000 strings.
struct Job {
    /// Index into the roster (and the report's attendees).
    index: u32,
    revision: u32,
    supersedes: Option<u32>,
    /// The certificate id from the ledger, for a reissue; a first issue derives it from the
    /// key (`certificate_id`).
    cert_id: Option<Box<str>>,
}

impl Job {
    /// A first issue for the attendee at `index`.
    fn first(index: usize) -> Job {
        Job::new(index, 1, None, None)
    }

    /// The next revision of the certificate `earlier` recorded in the ledger.
    fn reissue(index: usize, earlier: &IssueFields) -> Job {
        Job::new(
            index,
            earlier.revision + 1,
            Some(earlier.revision),
            Some(earlier.cert_id.as_str().into()),
        )
    }

    fn new(index: usize, revision: u32, supersedes: Option<u32>, cert_id: Option<Box<str>>) -> Job {
        Job {
            index: u32::try_from(index).expect("fewer than 4 billion attendees"),
            revision,
            supersedes,
            cert_id,
        }
    }

    fn index(&self) -> usize {
        self.index as usize
    }
}

/// Crockford base32 without padding: ids read aloud and typed without 0/O or 1/I confusion.
fn base32(bytes: &[u8], chars: usize) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut out = String::with_capacity(chars);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 && out.len() < chars {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
        buffer &= (1 << bits) - 1;
        if out.len() == chars {
            break;
        }
    }
    out
}

/// The certificate id for an offering and attendee: the offering id and eight characters
/// derived from the signing key, so it is stable across runs and reveals nothing about the
/// person to anyone without the key.
pub fn certificate_id(key: &KeyPair, offering_id: &str, attendee_id: &str) -> String {
    let tag = key.derive_tag(
        "ceu certificate id",
        &[offering_id.as_bytes(), attendee_id.as_bytes()],
    );
    format!("{offering_id}-{}", base32(&tag, 8))
}

/// The short verification code printed on (and QR-encoded in) a certificate revision.
pub fn verification_code(key: &KeyPair, cert_id: &str, revision: u32) -> String {
    let tag = key.derive_tag(
        "ceu verification code",
        &[cert_id.as_bytes(), &revision.to_be_bytes()],
    );
    let code = base32(&tag, 8);
    format!("{}-{}", &code[..4], &code[4..])
}

/// `RENDER-GLYPHS` findings: attendees whose printed details hold characters that no bundled
/// font can draw. Refused one by one rather than printed as empty boxes; `check` reports them
/// too, so they can be fixed before issuing.
pub fn glyph_findings(offering: &Offering, report: &Report, renderer: &Renderer) -> Vec<Finding> {
    let course = &offering.record.course;
    let placeholder_time = DateTime::<Utc>::UNIX_EPOCH;
    let mut shaping = crate::scripts::ShapingCheck::new(renderer.fonts());
    offering
        .roster
        .attendees
        .iter()
        .zip(&report.attendees)
        .filter(|(_, outcome)| outcome.status != Status::NotCompleted)
        .filter_map(|(attendee, outcome)| {
            let data = certificate::certificate_data(course, attendee, outcome, "ID", 1, "CODE", placeholder_time);
            let missing = renderer.missing_glyphs(&data);
            if missing.is_empty() {
                return unshaped_script_finding(offering, attendee, &mut shaping, &data);
            }
            let shown: String = missing.iter().take(12).collect();
            let codes: Vec<String> = missing.iter().take(12).map(|c| format!("U+{:04X}", u32::from(*c))).collect();
            Some(Finding::attendee(
                "RENDER-GLYPHS",
                Severity::Error,
                Some(attendee.id().to_string()),
                format!(
                    "the certificate of {} cannot be printed: the bundled fonts have no glyphs for \"{shown}\" ({})",
                    attendee.id(),
                    codes.join(" ")
                ),
                Some(offering.roster.location(attendee)),
                "write the name as it should appear in Latin script in the roster (e.g. a transliteration), or bundle a font that covers these characters",
            ))
        })
        .collect()
}

/// `RENDER-GLYPHS` for an attendee whose printed details hold a complex script (Devanagari,
/// Bengali, Arabic, ...) that the fonts covering its letters cannot shape: they would print,
/// but broken (`प्र` as separate letters, no reph). `None` when every script can be shaped.
fn unshaped_script_finding(
    offering: &Offering,
    attendee: &crate::roster::Attendee,
    shaping: &mut crate::scripts::ShapingCheck,
    data: &CertificateData,
) -> Option<Finding> {
    let unshaped = shaping.unshaped(data.printed_strings());
    if unshaped.is_empty() {
        return None;
    }
    let scripts: Vec<String> = unshaped
        .iter()
        .map(|u| {
            format!(
                "{} (\"{}\", U+{:04X})",
                u.script.full_name(),
                u.example,
                u32::from(u.example)
            )
        })
        .collect();
    Some(Finding::attendee(
        "RENDER-GLYPHS",
        Severity::Error,
        Some(attendee.id().to_string()),
        format!(
            "the certificate of {} cannot be printed correctly: the bundled fonts have the letters of {} but not the script's shaping rules (no GSUB entry for it), so joined letters would print broken",
            attendee.id(),
            scripts.join(", ")
        ),
        Some(offering.roster.location(attendee)),
        "write the name as it should appear in Latin script in the roster (e.g. a transliteration), or bundle a font that supports this script",
    ))
}

/// Reads the printed fields of an earlier PDF (its embedded record), to show differences.
fn earlier_data(path: &Path) -> Option<CertificateData> {
    let pdf = std::fs::read(path).ok()?;
    let envelope = crate::render::extract_attachment(&pdf)?;
    let parsed = crate::sign::parse_envelope(&envelope).ok()?;
    let record: CertificateRecord = serde_json::from_slice(&parsed.payload).ok()?;
    Some(record.certificate)
}

/// Issues every issuable attendee of a checked offering. The caller has refused offerings
/// with offering-level errors.
pub fn issue(
    offering: &Offering,
    report: &Report,
    key: &KeyPair,
    renderer: &Renderer,
    options: &IssueOptions,
    mut on_issued: impl FnMut(&Issued) + Send,
) -> Result<IssueSummary, IssueError> {
    let course = &offering.record.course;
    let offering_id = offering.id().to_string();
    // Held from the first read to the last append, so two runs on the same ledger cannot
    // both decide to issue the same certificate.
    let mut ledger = LockedLedger::open(&options.ledger)?;
    let ledger_index = ledger.index()?;
    let mut summary = IssueSummary::default();
    let mut jobs = Vec::new();
    let blocking: BTreeMap<&str, Vec<&crate::findings::Finding>> = report
        .findings
        .iter()
        .filter(|f| f.is_error())
        .filter_map(|f| Some((f.attendee.as_deref()?, f)))
        .fold(BTreeMap::new(), |mut map, (id, f)| {
            map.entry(id).or_insert_with(Vec::new).push(f);
            map
        });

    for (index, (attendee, outcome)) in offering
        .roster
        .attendees
        .iter()
        .zip(&report.attendees)
        .enumerate()
    {
        if !outcome.blocked_by.is_empty() {
            let mut details: Vec<String> = blocking
                .get(attendee.id())
                .into_iter()
                .flatten()
                .map(|f| match &f.location {
                    Some(at) => format!("{} at {at}: {}", f.rule, f.message),
                    None => format!("{}: {}", f.rule, f.message),
                })
                .collect();
            if outcome.below_maximum && !report.unresolved_rows.is_empty() {
                details.push(format!(
                    "{}: attendance rows that match nobody on the roster may carry minutes that change this attendee's credit (see the findings above)",
                    report.unresolved_rows.join(", ")
                ));
            }
            summary
                .blocked
                .push((attendee.id().to_string(), details.join("; ")));
            continue;
        }
        if outcome.status == Status::NotCompleted {
            summary
                .not_completed
                .push((attendee.id().to_string(), outcome.reason.to_string()));
            continue;
        }
        let existing = ledger_index
            .latest_for(&offering_id, attendee.id())
            .and_then(|e| e.body().issued().cloned());
        let Some(fields) = existing else {
            jobs.push(Job::first(index));
            continue;
        };
        let data = certificate::certificate_data(
            course,
            attendee,
            outcome,
            &fields.cert_id,
            fields.revision,
            &fields.verification_code,
            options.issued_at,
        );
        let full = ledger::full_cert_id(&fields.cert_id, fields.revision);
        let fingerprint = hex::encode(certificate::content_fingerprint(&data));
        let revoked = ledger_index
            .revocation(&fields.cert_id, fields.revision)
            .is_some();
        let same = fields.content_sha256.as_deref() == Some(fingerprint.as_str());
        if same && !revoked {
            summary.unchanged += 1;
            continue;
        }
        if !options.reissue {
            if revoked {
                summary.revoked.push((attendee.id().to_string(), full));
            } else {
                let differences = earlier_data(&options.out_dir.join(&fields.pdf_file))
                    .map(|old| certificate::differences(&old, &data))
                    .unwrap_or_else(|| {
                        vec![format!(
                            "(the earlier PDF {} is not in the output folder to compare)",
                            fields.pdf_file
                        )]
                    });
                summary
                    .changed
                    .push((attendee.id().to_string(), full, differences));
            }
            continue;
        }
        jobs.push(Job::reissue(index, &fields));
    }

    if jobs.is_empty() {
        // Nothing new, but a run killed between its append and its checkpoint left the
        // checkpoint behind: bring it up to date now (issue 17, item 2).
        ledger.bring_checkpoint_up_to_date(key, &crate::ledger::now_rfc3339())?;
        return Ok(summary);
    }
    std::fs::create_dir_all(&options.out_dir).map_err(|source| IssueError::Io {
        path: options.out_dir.display().to_string(),
        source,
    })?;

    let issued_at = options.issued_at.to_rfc3339_opts(SecondsFormat::Secs, true);
    let inputs = offering.input_hashes();
    let run = Run {
        offering,
        report,
        key,
        renderer,
        options,
        ledger_inputs: inputs
            .iter()
            .map(|i| (i.file.clone(), i.sha256.clone()))
            .collect(),
        inputs,
        template_sha256: hex::encode(renderer.template_sha256()),
        assets: certificate::rendered_from(renderer),
        signer: crate::cades::DocumentSigner::derive(key)
            .map_err(|e| IssueError::Other(e.to_string()))?,
        issued_at: issued_at.clone(),
    };
    let progress = progress_bar(options.progress, jobs.len() as u64);
    remove_stale_temporaries(&options.out_dir);
    let rendered = std::sync::atomic::AtomicUsize::new(0);
    let render = |job: &Job| {
        // One attendee's certificate that cannot be rendered holds back that attendee only
        // (issue 17, item 3); anything else (a full disk, an I/O error) stops the run.
        let result = match render_and_write(&run, job) {
            Ok(written) => Ok(Rendered::Written(Box::new(written))),
            Err(IssueError::Render { attendee, source }) => Ok(Rendered::HeldBack {
                attendee,
                reason: format!("the certificate could not be rendered: {source}"),
            }),
            Err(other) => Err(other),
        };
        // Each certificate allocates and frees a few megabytes inside Typst; glibc keeps the
        // freed pages, which added ~20 MB per 512 certificates at 100,000 attendees. Handing
        // them back every 128 certificates costs no measurable time (every 32 cost ~20 % CPU:
        // the pages are faulted in again). The first renders also fill Typst's caches and
        // both threads' heaps: trimming after the 16th, 32nd and 64th too took the start of a
        // 100,000-attendee run, its highest point, from ~142 to ~135 MB.
        let done = rendered.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if done.is_multiple_of(128) || ((16..128).contains(&done) && done.is_power_of_two()) {
            crate::memory::trim();
        }
        result
    };
    let commit = |finished: Vec<Rendered>| -> Result<(), IssueError> {
        let mut bodies = Vec::with_capacity(finished.len());
        let mut issued = Vec::with_capacity(finished.len());
        for item in finished {
            match item {
                Rendered::Written(written) => {
                    let (body, one) = *written;
                    bodies.push(body);
                    issued.push(one);
                }
                Rendered::HeldBack { attendee, reason } => summary.blocked.push((attendee, reason)),
            }
        }
        let profile = &options.profile;
        timed(profile, 8, || sync_filesystem(&options.out_dir))?;
        timed(profile, 9, || ledger.append(bodies, key, &issued_at))?;
        // Reported only once durable in the ledger; above the progress bar, if any.
        progress.suspend(|| issued.iter().for_each(&mut on_issued));
        summary.issued += issued.len();
        Ok(())
    };
    pipeline(&jobs, options.jobs.max(1), &progress, render, commit)
        .map_err(|e| e.naming_ledger(&options.ledger))?;
    progress.finish_and_clear();
    ledger.bring_checkpoint_up_to_date(key, &issued_at)?;
    Ok(summary)
}

/// What rendering one job gave: a certificate written and ready for the ledger, or an attendee
/// held back because their certificate could not be rendered.
enum Rendered {
    Written(Box<(EntryBody, Issued)>),
    HeldBack { attendee: String, reason: String },
}

/// Renders `jobs` on `threads` plain threads (not a rayon pool: see `render::run_parallel`)
/// and hands the finished ones to `commit` in job order, up to [`BATCH`] at a time, while the
/// rendering goes on: the thread that completes a run of [`BATCH`] consecutive jobs commits it
/// (one file-system flush and one ledger append for the group) and the other threads keep
/// rendering, so no core waits at a batch boundary. What is committed, and in which order,
/// does not depend on the thread count or timing.
///
/// On the first error no new job starts; the jobs before it are committed, then the error is
/// returned. Certificates written after it are not in the ledger and are redone by a re-run.
fn pipeline<T, R, C>(
    jobs: &[Job],
    threads: usize,
    progress: &indicatif::ProgressBar,
    render: R,
    commit: C,
) -> Result<(), IssueError>
where
    T: Send,
    R: Fn(&Job) -> Result<T, IssueError> + Sync,
    C: FnMut(Vec<T>) -> Result<(), IssueError> + Send,
{
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    struct Finished<T> {
        /// Written but not yet committed, by job index.
        done: BTreeMap<usize, T>,
        /// The first job index not yet committed.
        next: usize,
        /// The first failing job and its error.
        error: Option<(usize, IssueError)>,
    }
    let finished = Mutex::new(Finished::<T> {
        done: BTreeMap::new(),
        next: 0,
        error: None,
    });
    let committer = Mutex::new(commit);
    let next_job = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let fault = crate::fault::abort_after_pdf();
    let written_count = AtomicUsize::new(0);

    // Commits runs of consecutive finished jobs: full batches, or whatever is ready when
    // `all` (the end). Only one thread commits at a time; the others keep rendering.
    let try_commit = |all: bool| {
        let Ok(mut commit) = (if all {
            committer.lock().map_err(|_| ())
        } else {
            committer.try_lock().map_err(|_| ())
        }) else {
            return;
        };
        loop {
            let batch: Vec<T> = {
                let Ok(mut state) = finished.lock() else {
                    return;
                };
                let limit = state.error.as_ref().map_or(jobs.len(), |(at, _)| *at);
                let mut end = state.next;
                while end < limit && end - state.next < BATCH && state.done.contains_key(&end) {
                    end += 1;
                }
                let ready = end - state.next;
                if ready == 0 || (!all && ready < BATCH) {
                    return;
                }
                let from = state.next;
                state.next = end;
                (from..end).filter_map(|i| state.done.remove(&i)).collect()
            };
            if let Err(error) = commit(batch) {
                stop.store(true, Ordering::SeqCst);
                if let Ok(mut state) = finished.lock() {
                    let at = state.next;
                    state.error.get_or_insert((at, error));
                }
                return;
            }
        }
    };

    let work = || {
        while !stop.load(Ordering::SeqCst) {
            let index = next_job.fetch_add(1, Ordering::SeqCst);
            if index >= jobs.len() {
                break;
            }
            let result = render(&jobs[index]);
            progress.inc(1);
            if let Some(limit) = fault
                && written_count.fetch_add(1, Ordering::SeqCst) + 1 == limit
            {
                // A crash, not an error: no destructor, no ledger append, no cleanup.
                std::process::abort();
            }
            if let Ok(mut state) = finished.lock() {
                match result {
                    Ok(written) => {
                        state.done.insert(index, written);
                    }
                    Err(error) => {
                        stop.store(true, Ordering::SeqCst);
                        if state.error.as_ref().is_none_or(|(at, _)| index < *at) {
                            state.error = Some((index, error));
                        }
                    }
                }
            }
            try_commit(false);
        }
    };
    crate::render::run_parallel(threads, threads, |_| work());
    try_commit(true);

    let state = finished
        .into_inner()
        .map_err(|_| IssueError::Other("a rendering thread panicked".into()))?;
    match state.error {
        Some((_, error)) => Err(error),
        None => Ok(()),
    }
}

fn progress_bar(enabled: bool, total: u64) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !enabled || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:40} {pos}/{len} certificates  {per_sec}  eta {eta}",
    ) {
        bar.set_style(style);
    }
    bar
}

/// What every certificate of one run shares, computed once before rendering starts.
struct Run<'a> {
    offering: &'a Offering,
    report: &'a Report,
    key: &'a KeyPair,
    renderer: &'a Renderer,
    options: &'a IssueOptions,
    /// Input hashes as the signed record lists them, and as the ledger entry maps them.
    inputs: Vec<InputHash>,
    ledger_inputs: BTreeMap<String, String>,
    template_sha256: String,
    /// The files besides the template the pages are rendered from (the signature image).
    assets: Vec<certificate::AssetHash>,
    /// The PDF-signing key and certificate derived from `key`.
    signer: crate::cades::DocumentSigner,
    /// `options.issued_at` as RFC 3339, whole seconds.
    issued_at: String,
}

fn render_and_write(run: &Run, job: &Job) -> Result<(EntryBody, Issued), IssueError> {
    let Run {
        offering,
        report,
        key,
        renderer,
        options,
        ..
    } = *run;
    let profile = &options.profile;
    let attendee = &offering.roster.attendees[job.index()];
    let started = std::time::Instant::now();
    let cert_id = match &job.cert_id {
        Some(id) => id.to_string(),
        None => certificate_id(key, offering.id(), attendee.id()),
    };
    let code = verification_code(key, &cert_id, job.revision);
    let data = &certificate::certificate_data(
        &offering.record.course,
        attendee,
        &report.attendees[job.index()],
        &cert_id,
        job.revision,
        &code,
        options.issued_at,
    );
    let full = ledger::full_cert_id(&data.certificate_id, data.revision);
    let record = CertificateRecord {
        assets: Some(run.assets.clone()),
        pdf_certificate_sha256: Some(run.signer.certificate_sha256().to_string()),
        ..CertificateRecord::new(
            data.clone(),
            &run.issued_at,
            key.key_id(),
            &run.template_sha256,
            run.inputs.clone(),
        )
    };
    let payload = serde_json::to_vec(&record).map_err(|e| IssueError::Other(e.to_string()))?;
    let envelope = crate::sign::sign_envelope(key, RECORD_PAYLOAD_TYPE, &payload);
    profile.add(0, started.elapsed());
    let rendered = if crate::fault::render_fails_for(attendee.id()) {
        Err(crate::render::RenderError::Qr(
            "CEU_FAULT=render-fail: an injected failure".into(),
        ))
    } else {
        renderer.render_timed(data, &envelope, &full, options.issued_at)
    };
    let (pdf, times) = rendered.map_err(|source| IssueError::Render {
        attendee: attendee.id().to_string(),
        source,
    })?;
    profile.add(1, times.prepare);
    profile.add(2, times.compile);
    profile.add(3, times.export);
    profile.add(4, times.evict);
    // The unsigned render stays an exact prefix of the signed file (see `pades`).
    let pdf = timed(profile, 10, || {
        crate::pades::sign_pdf(&pdf, &run.signer, options.issued_at)
    })
    .map_err(|e| {
        IssueError::Other(format!(
            "signing the PDF of attendee {}: {e}",
            attendee.id()
        ))
    })?;
    let pdf_sha256 = timed(profile, 5, || crate::sign::sha256_hex(&pdf));
    let file_name = format!("{full}.pdf");
    let path = options.out_dir.join(&file_name);
    timed(profile, 6, || {
        write_atomically(&options.out_dir, &path, &pdf)
    })?;
    let started = std::time::Instant::now();
    let fields = IssueFields {
        cert_id: data.certificate_id.clone(),
        revision: data.revision,
        offering_id: offering.id().to_string(),
        attendee_id: attendee.id().to_string(),
        record_sha256: crate::sign::sha256_hex(&envelope),
        pdf_sha256: pdf_sha256.clone(),
        pdf_file: file_name,
        verification_code: data.verification_code.clone(),
        supersedes: job.supersedes,
        inputs: run.ledger_inputs.clone(),
        content_sha256: Some(hex::encode(certificate::content_fingerprint(data))),
    };
    profile.add(7, started.elapsed());
    profile
        .certificates
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let body = if job.supersedes.is_some() {
        EntryBody::Reissue(fields)
    } else {
        EntryBody::Issue(fields)
    };
    Ok((
        body,
        Issued {
            attendee_id: attendee.id().to_string(),
            full_cert_id: full,
            file: path,
            pdf_sha256,
            supersedes: job.supersedes,
        },
    ))
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a
/// reader (or a crash) never sees a half-written PDF. Durability comes from one file-system
/// flush per batch (`sync_filesystem`), not an fsync per file.
fn write_atomically(dir: &Path, path: &Path, bytes: &[u8]) -> Result<(), IssueError> {
    let io = |source| IssueError::Io {
        path: path.display().to_string(),
        source,
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".ceu-")
        .suffix(".pdf.tmp")
        // Temporary files default to 0600; a certificate is an ordinary document.
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644))
        .tempfile_in(dir)
        .map_err(io)?;
    crate::fault::write_all(&mut temp, bytes).map_err(io)?;

    temp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// Removes temporary files (`.ceu-*.pdf.tmp`) that a run killed while writing left behind.
/// The caller holds the ledger lock, so no other run is writing them now.
fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(".ceu-") && name.ends_with(".pdf.tmp") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Flushes the file system holding `dir` (every PDF of the batch and the renames) in one call.
fn sync_filesystem(dir: &Path) -> Result<(), IssueError> {
    let io = |source| IssueError::Io {
        path: dir.display().to_string(),
        source,
    };
    let handle = std::fs::File::open(dir).map_err(io)?;
    rustix::fs::syncfs(&handle).map_err(|e| io(e.into()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(index: usize) -> Job {
        Job::first(index)
    }

    fn written(index: usize) -> (EntryBody, Issued) {
        let fields = IssueFields {
            cert_id: format!("C{index}"),
            revision: 1,
            offering_id: "O".into(),
            attendee_id: format!("A{index}"),
            record_sha256: String::new(),
            pdf_sha256: String::new(),
            pdf_file: String::new(),
            verification_code: String::new(),
            supersedes: None,
            inputs: Default::default(),
            content_sha256: None,
        };
        let issued = Issued {
            attendee_id: fields.attendee_id.clone(),
            full_cert_id: fields.cert_id.clone(),
            file: PathBuf::new(),
            pdf_sha256: String::new(),
            supersedes: None,
        };
        (EntryBody::Issue(fields), issued)
    }

    /// Runs the pipeline over `count` jobs on 3 threads (uneven render times), failing at
    /// `fail_at`; returns the committed attendee ids in commit order, the batch sizes and the
    /// result.
    fn run_pipeline(
        count: usize,
        fail_at: Option<usize>,
    ) -> (Vec<String>, Vec<usize>, Result<(), IssueError>) {
        let jobs: Vec<Job> = (0..count).map(job).collect();
        let mut committed = Vec::new();
        let mut sizes = Vec::new();
        let result = pipeline(
            &jobs,
            3,
            &indicatif::ProgressBar::hidden(),
            |job| {
                if job.index() % 97 == 0 {
                    std::thread::sleep(std::time::Duration::from_millis(2));
                }
                if Some(job.index()) == fail_at {
                    return Err(IssueError::Other(format!("job {} failed", job.index())));
                }
                Ok(written(job.index()))
            },
            |batch| {
                sizes.push(batch.len());
                committed.extend(batch.into_iter().map(|(_, issued)| issued.attendee_id));
                Ok(())
            },
        );
        (committed, sizes, result)
    }

    #[test]
    fn pipeline_commits_every_job_in_order_in_groups_of_at_most_a_batch() {
        let (committed, sizes, result) = run_pipeline(1300, None);
        assert!(result.is_ok());
        let expected: Vec<String> = (0..1300).map(|i| format!("A{i}")).collect();
        assert_eq!(committed, expected);
        assert!(sizes.iter().all(|&n| n > 0 && n <= BATCH), "{sizes:?}");
        assert_eq!(sizes[..2], [BATCH, BATCH]);
    }

    #[test]
    fn pipeline_commits_what_precedes_a_failure_and_returns_the_error() {
        let (committed, _, result) = run_pipeline(1300, Some(700));
        let expected: Vec<String> = (0..700).map(|i| format!("A{i}")).collect();
        assert_eq!(committed, expected);
        assert!(matches!(result, Err(IssueError::Other(m)) if m == "job 700 failed"));
    }

    #[test]
    fn base32_is_crockford() {
        assert_eq!(base32(&[0, 0, 0, 0, 0], 8), "00000000");
        assert_eq!(base32(&[0xff; 5], 8), "ZZZZZZZZ");
        assert_eq!(base32(&[0x84, 0x21, 0x08, 0x42, 0x10], 8), "GGGGGGGG");
    }
}
