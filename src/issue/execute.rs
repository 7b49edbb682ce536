//! Carrying out a plan's jobs: each certificate's signed record, rendered and PAdES-signed
//! PDF, written atomically; then per batch one file-system flush and one ledger append under
//! the lock held since planning. A worker that panics becomes an internal error naming the
//! attendee, not a crash.

use super::error::IssueError;
use super::ids::{certificate_id, verification_code};
use super::options::{IssueOptions, IssueSummary, Issued};
use super::pipeline::pipeline;
use super::plan::Job;
use super::profile::timed;
use crate::certificate::{self, CertificateRecord, InputHash, RECORD_PAYLOAD_TYPE};
use crate::exit::InternalError;
use crate::ledger::{self, EntryBody, IssueFields, LockedLedger};
use crate::offering::Offering;
use crate::render::CertificateData;
use crate::render::Renderer;
use crate::roster::Attendee;
use crate::rules::Report;
use crate::sign::KeyPair;
use chrono::SecondsFormat;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// What every certificate of one run shares, computed once before rendering starts.
pub(super) struct Run<'a> {
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

impl<'a> Run<'a> {
    /// Creates the output folder and derives what every certificate shares. Errors: the
    /// folder cannot be created ([`IssueError::Io`]), no PDF-signing key can be derived.
    pub(super) fn new(
        offering: &'a Offering,
        report: &'a Report,
        key: &'a KeyPair,
        renderer: &'a Renderer,
        options: &'a IssueOptions,
    ) -> Result<Run<'a>, IssueError> {
        std::fs::create_dir_all(&options.out_dir).map_err(|source| IssueError::Io {
            path: options.out_dir.display().to_string(),
            source,
        })?;
        let inputs = offering.input_hashes();
        Ok(Run {
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
            issued_at: options.issued_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        })
    }
}

/// What rendering one job gave: a certificate written and ready for the ledger, or an attendee
/// held back because their certificate could not be rendered.
enum Rendered {
    Written(Box<(EntryBody, Issued)>),
    HeldBack { attendee: String, reason: String },
}

/// Renders, signs and writes `jobs` on `options.jobs` threads and records them in `ledger`
/// batch by batch, reporting each certificate to `on_issued` once its batch is durable, and
/// adding the issued count and the held-back attendees to `summary`. Then brings the
/// checkpoint up to date. On an error the batches before it stay committed.
pub(super) fn execute(
    run: &Run,
    jobs: &[Job],
    ledger: &mut LockedLedger,
    summary: &mut IssueSummary,
    mut on_issued: impl FnMut(&Issued) + Send,
) -> Result<(), IssueError> {
    let options = run.options;
    let progress = progress_bar(options.progress, jobs.len() as u64);
    remove_stale_temporaries(&options.out_dir);
    let rendered = AtomicUsize::new(0);
    let render = |job: &Job| render_one(run, job, &rendered);
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
        timed(profile, 9, || {
            ledger.append(bodies, run.key, &run.issued_at)
        })?;
        // Reported only once durable in the ledger; above the progress bar, if any.
        progress.suspend(|| issued.iter().for_each(&mut on_issued));
        summary.issued += issued.len();
        Ok(())
    };
    pipeline(jobs, options.jobs.max(1), &progress, render, commit)
        .map_err(|e| e.naming_ledger(&options.ledger))?;
    progress.finish_and_clear();
    ledger.bring_checkpoint_up_to_date(run.key, &run.issued_at)?;
    Ok(())
}

/// One job on a worker thread. One attendee's certificate that cannot be rendered holds back
/// that attendee only (issue 17, item 3); a panic is an internal error naming the attendee;
/// anything else (a full disk, an I/O error) stops the run.
fn render_one(run: &Run, job: &Job, rendered: &AtomicUsize) -> Result<Rendered, IssueError> {
    let outcome =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| render_and_write(run, job)));
    let attendee = || run.offering.roster.attendees[job.index()].id().to_string();
    let result = match outcome {
        Ok(Ok(written)) => Ok(Rendered::Written(Box::new(written))),
        Ok(Err(IssueError::Render { attendee, source })) => Ok(Rendered::HeldBack {
            attendee,
            reason: format!("the certificate could not be rendered: {source}"),
        }),
        Ok(Err(other)) => Err(other),
        Err(panic) => Err(IssueError::Internal {
            attendee: attendee(),
            source: InternalError::from_panic(panic.as_ref()),
        }),
    };
    // Each certificate allocates and frees a few megabytes inside Typst; glibc keeps the
    // freed pages, which added ~20 MB per 512 certificates at 100,000 attendees. Handing
    // them back every 128 certificates costs no measurable time (every 32 cost ~20 % CPU:
    // the pages are faulted in again). The first renders also fill Typst's caches and
    // both threads' heaps: trimming after the 16th, 32nd and 64th too took the start of a
    // 100,000-attendee run, its highest point, from ~142 to ~135 MB.
    let done = rendered.fetch_add(1, Ordering::Relaxed) + 1;
    if done.is_multiple_of(128) || ((16..128).contains(&done) && done.is_power_of_two()) {
        crate::memory::trim();
    }
    result
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

/// One certificate: its signed record, the rendered and signed PDF written to the output
/// folder, and the ledger entry that binds them.
fn render_and_write(run: &Run, job: &Job) -> Result<(EntryBody, Issued), IssueError> {
    let options = run.options;
    let profile = &options.profile;
    let attendee = &run.offering.roster.attendees[job.index()];
    let started = std::time::Instant::now();
    let data = &certificate_data(run, job, attendee);
    let full = ledger::full_cert_id(&data.certificate_id, data.revision);
    let envelope = signed_record(run, data)?;
    profile.add(0, started.elapsed());
    let pdf = render_signed_pdf(run, attendee, data, &envelope, &full)?;
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
        offering_id: run.offering.id().to_string(),
        attendee_id: attendee.id().to_string(),
        record_sha256: crate::sign::sha256_hex(&envelope),
        pdf_sha256: pdf_sha256.clone(),
        pdf_file: file_name,
        verification_code: data.verification_code.clone(),
        supersedes: job.supersedes(),
        inputs: run.ledger_inputs.clone(),
        content_sha256: Some(hex::encode(certificate::content_fingerprint(data))),
    };
    profile.add(7, started.elapsed());
    profile.count_certificate();
    let body = match job.supersedes() {
        Some(_) => EntryBody::Reissue(fields),
        None => EntryBody::Issue(fields),
    };
    let issued = Issued {
        attendee_id: attendee.id().to_string(),
        full_cert_id: full,
        file: path,
        pdf_sha256,
        supersedes: job.supersedes(),
    };
    Ok((body, issued))
}

/// The printed fields of a job's certificate, with its id (from the ledger for a reissue,
/// else derived from the key) and verification code.
fn certificate_data(run: &Run, job: &Job, attendee: &Attendee) -> CertificateData {
    let cert_id = match job.cert_id() {
        Some(id) => id.to_string(),
        None => certificate_id(run.key, run.offering.id(), attendee.id()),
    };
    let code = verification_code(run.key, &cert_id, job.revision());
    certificate::certificate_data(
        &run.offering.record.course,
        attendee,
        &run.report.attendees[job.index()],
        &cert_id,
        job.revision(),
        &code,
        run.options.issued_at,
    )
}

/// The signed certificate record (DSSE envelope bytes) embedded in the PDF.
fn signed_record(run: &Run, data: &CertificateData) -> Result<Vec<u8>, IssueError> {
    let record = CertificateRecord {
        assets: Some(run.assets.clone()),
        pdf_certificate_sha256: Some(run.signer.certificate_sha256().to_string()),
        ..CertificateRecord::new(
            data.clone(),
            &run.issued_at,
            run.key.key_id(),
            &run.template_sha256,
            run.inputs.clone(),
        )
    };
    let payload = serde_json::to_vec(&record).map_err(|e| IssueError::Other(e.to_string()))?;
    Ok(crate::sign::sign_envelope(
        run.key,
        RECORD_PAYLOAD_TYPE,
        &payload,
    ))
}

/// The rendered page with the record attached, then PAdES-signed. Errors:
/// [`IssueError::Render`] (this attendee is held back), [`IssueError::Other`] (signing).
fn render_signed_pdf(
    run: &Run,
    attendee: &Attendee,
    data: &CertificateData,
    envelope: &[u8],
    full: &str,
) -> Result<Vec<u8>, IssueError> {
    let options = run.options;
    let profile = &options.profile;
    if crate::fault::panics_in_render(attendee.id()) {
        panic!("CEU_FAULT=panic-in-render: an injected panic");
    }
    let rendered = if crate::fault::render_fails_for(attendee.id()) {
        Err(crate::render::RenderError::Qr(
            "CEU_FAULT=render-fail: an injected failure".into(),
        ))
    } else {
        run.renderer
            .render_timed(data, envelope, full, options.issued_at)
    };
    let (pdf, times) = rendered.map_err(|source| IssueError::Render {
        attendee: attendee.id().to_string(),
        source,
    })?;
    profile.add_render(&times);
    // The unsigned render stays an exact prefix of the signed file (see `pades`).
    timed(profile, 10, || {
        crate::pades::sign_pdf(&pdf, &run.signer, options.issued_at)
    })
    .map_err(|e| {
        IssueError::Other(format!(
            "signing the PDF of attendee {}: {e}",
            attendee.id()
        ))
    })
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
