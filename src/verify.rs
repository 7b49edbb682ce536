//! Verifying certificates: a PDF, a SHA-256 of a PDF, a certificate id, or the text of a
//! certificate's QR code, checked against keys the auditor names.
//!
//! With a ledger, a PDF is checked hash → ledger entry → the ledger's chain and signatures →
//! not revoked or superseded → the embedded signed record agrees with the entry. Offline, the
//! embedded record's signature is checked and the certificate is re-rendered from it and
//! compared byte for byte, so the visible page is shown to be exactly what was signed;
//! revocation is then not checked, and the result says so.

use crate::certificate::{CertificateRecord, RECORD_PAYLOAD_TYPE, RECORD_SCHEMA};
use crate::ledger::{self, Entry, LedgerIndex};
use crate::render::{DEFAULT_TEMPLATE, Renderer, extract_attachment};
use crate::sign::{self, TrustSet};
use chrono::DateTime;
use serde::Serialize;
use std::io::Read;
use std::path::{Path, PathBuf};

/// One thing to verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Pdf(PathBuf),
    /// SHA-256 of a PDF, lower-case hex.
    Hash(String),
    /// A certificate id, with or without `-rN`, and optionally the verification code (from a
    /// QR code `ceu:v1:<id>-r<n>:<code>`).
    CertId {
        id: String,
        code: Option<String>,
    },
}

/// Classifies a command-line item. Folders expand to the PDFs they hold.
pub fn targets(item: &str) -> Result<Vec<Target>, String> {
    let path = Path::new(item);
    if path.is_dir() {
        let mut pdfs: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| format!("{item}: {e}"))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("pdf")))
            .collect();
        pdfs.sort();
        if pdfs.is_empty() {
            return Err(format!("{item}: the folder holds no PDF files"));
        }
        return Ok(pdfs.into_iter().map(Target::Pdf).collect());
    }
    if path.is_file() {
        return Ok(vec![Target::Pdf(path.to_path_buf())]);
    }
    let text = item.trim();
    if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(vec![Target::Hash(text.to_ascii_lowercase())]);
    }
    if let Some(rest) = text.strip_prefix("ceu:v1:") {
        let (id, code) = rest
            .rsplit_once(':')
            .ok_or_else(|| format!("{item}: not a ceu QR code"))?;
        return Ok(vec![Target::CertId {
            id: id.to_string(),
            code: Some(code.to_string()),
        }]);
    }
    if text.ends_with(".pdf") || text.contains('/') {
        return Err(format!("{item}: no such file"));
    }
    Ok(vec![Target::CertId {
        id: text.to_string(),
        code: None,
    }])
}

/// One check on one item.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub check: &'static str,
    pub ok: bool,
    pub detail: String,
}

/// The verdict on one item.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub item: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate_id: Option<String>,
    /// valid, revoked, superseded, invalid, unknown
    pub status: &'static str,
    pub ok: bool,
    /// Whether revocation and supersession were checked (only with a ledger).
    pub revocation_checked: bool,
    pub checks: Vec<Check>,
}

impl Verdict {
    fn new(item: String) -> Verdict {
        Verdict {
            item,
            certificate_id: None,
            status: "valid",
            ok: true,
            revocation_checked: false,
            checks: Vec::new(),
        }
    }

    fn pass(&mut self, check: &'static str, detail: impl Into<String>) {
        self.checks.push(Check {
            check,
            ok: true,
            detail: detail.into(),
        });
    }

    fn fail(&mut self, check: &'static str, status: &'static str, detail: impl Into<String>) {
        self.checks.push(Check {
            check,
            ok: false,
            detail: detail.into(),
        });
        self.ok = false;
        if self.status == "valid" {
            self.status = status;
        }
    }

    /// The first failed check.
    pub fn first_failure(&self) -> Option<&Check> {
        self.checks.iter().find(|c| !c.ok)
    }
}

/// A ledger, read, indexed and verified once for all items.
pub struct LedgerState {
    pub index: LedgerIndex,
    /// `None` when the chain, every signature (by trusted keys) and the checkpoint hold.
    pub problem: Option<String>,
}

impl LedgerState {
    pub fn load(path: &Path, trust: &TrustSet) -> Result<LedgerState, ledger::LedgerError> {
        // One read: the entries verified are the entries indexed.
        let mut entries = Vec::new();
        let report = ledger::verify_with(path, trust, None, |mut entry| {
            // Verifying never reads what a decision was made from; at 100,000 entries those
            // hashes were ~100 MB of the index.
            if let ledger::EntryBody::Issue(fields) | ledger::EntryBody::Reissue(fields) =
                &mut entry.payload.body
            {
                fields.inputs.clear();
                fields.content_sha256 = None;
            }
            entries.push(entry);
        })?;
        let problem = report
            .first_bad
            .as_ref()
            .map(|(line, problem)| format!("{}: line {line}: {problem}", path.display()));
        Ok(LedgerState {
            index: LedgerIndex::new(entries),
            problem,
        })
    }
}

/// Re-renders certificates for offline comparison (built once, only when needed).
pub struct Rerender {
    renderer: Renderer,
    template_sha256: String,
}

impl Rerender {
    pub fn new() -> Result<Rerender, crate::render::RenderError> {
        let renderer = Renderer::new(DEFAULT_TEMPLATE.to_string(), None)?;
        let template_sha256 = hex::encode(renderer.template_sha256());
        Ok(Rerender {
            renderer,
            template_sha256,
        })
    }
}

/// Status checks shared by every kind of item once its ledger entry is known.
fn check_status(verdict: &mut Verdict, state: &LedgerState, entry: &Entry) {
    verdict.revocation_checked = true;
    let Some(fields) = entry.body().issued() else {
        return;
    };
    verdict.certificate_id = Some(ledger::full_cert_id(&fields.cert_id, fields.revision));
    match &state.problem {
        None => verdict.pass(
            "ledger",
            format!(
                "ledger chain and signatures verify; entry {} signed by {}",
                entry.seq(),
                entry.key_id
            ),
        ),
        Some(problem) => verdict.fail(
            "ledger",
            "invalid",
            format!("the ledger does not verify: {problem}"),
        ),
    }
    if let Some(revoke) = state.index.revocation(&fields.cert_id, fields.revision) {
        let reason = match revoke.body() {
            ledger::EntryBody::Revoke(r) => r.reason.clone(),
            _ => String::new(),
        };
        verdict.fail(
            "not-revoked",
            "revoked",
            format!(
                "revoked on {} (ledger entry {}): {reason}",
                revoke.payload.time,
                revoke.seq()
            ),
        );
    } else {
        verdict.pass("not-revoked", "no revocation in the ledger");
    }
    if let Some(newer) = state.index.superseded_by(&fields.cert_id, fields.revision) {
        verdict.fail(
            "not-superseded",
            "superseded",
            format!(
                "superseded on {} by {} (ledger entry {})",
                newer.payload.time,
                newer.full_cert_id(),
                newer.seq()
            ),
        );
    } else {
        verdict.pass("not-superseded", "this is the current revision");
    }
}

/// Verifies the signed record embedded in a PDF; returns it when its signature verifies.
fn check_record(
    verdict: &mut Verdict,
    pdf: &[u8],
    trust: &TrustSet,
) -> Option<(Vec<u8>, CertificateRecord)> {
    let Some(envelope) = extract_attachment(pdf) else {
        verdict.fail(
            "record",
            "invalid",
            "the PDF carries no embedded certificate record (certificate-record.json)",
        );
        return None;
    };
    match sign::open_envelope_as(&envelope, RECORD_PAYLOAD_TYPE, trust) {
        Ok(opened) => match serde_json::from_slice::<CertificateRecord>(&opened.payload) {
            Ok(record) => {
                verdict.pass(
                    "record-signature",
                    format!("embedded record signed by trusted key {}", opened.key_id),
                );
                if record.schema != RECORD_SCHEMA {
                    verdict.fail(
                        "record",
                        "invalid",
                        format!(
                            "the record is in schema {}, which this ceu ({}) does not read (it reads {RECORD_SCHEMA}): verify with a newer ceu",
                            record.schema,
                            crate::VERSION
                        ),
                    );
                    return None;
                }
                verdict.certificate_id = Some(ledger::full_cert_id(
                    &record.certificate.certificate_id,
                    record.certificate.revision,
                ));
                Some((envelope, record))
            }
            Err(e) => {
                verdict.fail(
                    "record",
                    "invalid",
                    format!("the signed record is not a certificate record: {e}"),
                );
                None
            }
        },
        Err(e) => {
            verdict.fail("record-signature", "invalid", e.to_string());
            None
        }
    }
}

/// The printed id, revision and code of a record bound by its hash agree with the entry.
fn agree_with_ledger(
    verdict: &mut Verdict,
    record: &CertificateRecord,
    fields: &ledger::IssueFields,
) {
    if record.certificate.certificate_id == fields.cert_id
        && record.certificate.revision == fields.revision
        && record.certificate.verification_code == fields.verification_code
    {
        verdict.pass(
            "record-matches-ledger",
            "the embedded record is the one the ledger entry binds",
        );
    } else {
        verdict.fail(
            "record-matches-ledger",
            "invalid",
            "the embedded record differs from the one the ledger entry binds",
        );
    }
}

/// Verifies one PDF.
pub fn verify_pdf(
    path: &Path,
    trust: &TrustSet,
    ledger: Option<&LedgerState>,
    rerender: Option<&Rerender>,
) -> Verdict {
    let mut verdict = Verdict::new(path.display().to_string());
    PDF_BUFFER.with_borrow_mut(|pdf| {
        pdf.clear();
        let verdict = match std::fs::File::open(path).and_then(|mut file| file.read_to_end(pdf)) {
            Ok(_) => verify_pdf_bytes(verdict, pdf, trust, ledger, rerender),
            Err(e) => {
                verdict.fail("read", "invalid", format!("cannot read: {e}"));
                verdict
            }
        };
        // Keep a certificate-sized buffer, not the largest file ever met.
        if pdf.capacity() > KEPT_BUFFER_BYTES {
            *pdf = Vec::new();
        }
        verdict
    })
}

/// Largest read buffer a verifying thread keeps between PDFs (certificates are ~35 KB).
const KEPT_BUFFER_BYTES: usize = 4 << 20;

thread_local! {
    /// One read buffer per verifying thread: a fresh `Vec` per PDF cost a malloc and ~9 page
    /// faults for every file.
    static PDF_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn verify_pdf_bytes(
    mut verdict: Verdict,
    pdf: &[u8],
    trust: &TrustSet,
    ledger: Option<&LedgerState>,
    rerender: Option<&Rerender>,
) -> Verdict {
    let pdf_sha256 = crate::sign::sha256_hex(pdf);
    match ledger {
        Some(state) => {
            let Some(entry) = state.index.by_pdf_sha256(&pdf_sha256) else {
                verdict.fail(
                    "pdf-hash",
                    "unknown",
                    format!("SHA-256 {pdf_sha256} is in no ledger entry: the file was altered, or was not issued from this ledger"),
                );
                return verdict;
            };
            verdict.pass(
                "pdf-hash",
                format!("SHA-256 {pdf_sha256} matches ledger entry {}", entry.seq()),
            );
            check_status(&mut verdict, state, entry);
            let Some(fields) = entry.body().issued() else {
                return verdict;
            };
            if state.problem.is_none() {
                // The entry is signed by a trusted key and its chain holds, and it binds the
                // SHA-256 of these exact PDF bytes, embedded record included. Reading the
                // record back (find, inflate, parse: a third of the time per PDF) would prove
                // nothing more; the record is checked on its own below when the ledger fails.
                verdict.pass(
                    "record",
                    format!(
                        "the embedded record is part of the bytes the signed ledger entry binds (record SHA-256 {})",
                        fields.record_sha256
                    ),
                );
            } else if let Some((envelope, record)) = check_record(&mut verdict, pdf, trust) {
                // The ledger failed: verify the record on its own, and against the entry's
                // record hash, so the output says which checks still hold.
                if crate::sign::sha256_hex(&envelope) == fields.record_sha256 {
                    agree_with_ledger(&mut verdict, &record, fields);
                } else {
                    verdict.fail(
                        "record-matches-ledger",
                        "invalid",
                        "the embedded record differs from the one the ledger entry binds",
                    );
                }
            }
        }
        None => {
            if let Some((envelope, record)) = check_record(&mut verdict, pdf, trust) {
                match rerender {
                    Some(rerender) if rerender.template_sha256 == record.template_sha256 => {
                        let issued_at = DateTime::parse_from_rfc3339(&record.issued_at).map(|t| t.to_utc());
                        let full = ledger::full_cert_id(&record.certificate.certificate_id, record.certificate.revision);
                        match issued_at.ok().and_then(|at| rerender.renderer.render(&record.certificate, &envelope, &full, at).ok()) {
                            Some(again) if again == pdf => verdict.pass(
                                "visible-matches-record",
                                "re-rendered from the signed record: byte-identical, so the visible certificate is exactly what was signed",
                            ),
                            _ => verdict.fail(
                                "visible-matches-record",
                                "invalid",
                                "re-rendering the signed record gives different bytes: the visible certificate may have been altered",
                            ),
                        }
                    }
                    _ => verdict.pass(
                        "visible-matches-record",
                        format!(
                            "not compared: the record was rendered with template {}, which this ceu does not bundle",
                            record.template_sha256
                        ),
                    ),
                }
                verdict.checks.push(Check {
                    check: "revocation",
                    ok: true,
                    detail:
                        "NOT checked (offline): give --ledger to check revocation and supersession"
                            .into(),
                });
            }
        }
    }
    verdict
}

/// Verifies a hash or certificate id against the ledger.
pub fn verify_lookup(target: &Target, state: &LedgerState) -> Verdict {
    let (item, entry, code) = match target {
        Target::Hash(hash) => (hash.clone(), state.index.by_pdf_sha256(hash), None),
        Target::CertId { id, code } => (id.clone(), state.index.certificate(id), code.clone()),
        Target::Pdf(path) => (path.display().to_string(), None, None),
    };
    let mut verdict = Verdict::new(item.clone());
    let Some(entry) = entry else {
        verdict.fail(
            "ledger-lookup",
            "unknown",
            format!("{item} is not in the ledger"),
        );
        return verdict;
    };
    verdict.pass(
        "ledger-lookup",
        format!("found in ledger entry {}", entry.seq()),
    );
    check_status(&mut verdict, state, entry);
    if let (Some(code), Some(fields)) = (code, entry.body().issued()) {
        if code == fields.verification_code {
            verdict.pass("verification-code", "the verification code matches");
        } else {
            verdict.fail(
                "verification-code",
                "invalid",
                "the verification code does not match this certificate",
            );
        }
    }
    verdict
}

/// Verifies every target; PDFs in parallel on every core.
pub fn verify_all(
    targets: &[Target],
    trust: &TrustSet,
    ledger: Option<&LedgerState>,
    rerender: Option<&Rerender>,
) -> Vec<Verdict> {
    // Plain threads, not rayon: `--offline` re-renders, and rendering must not run on a
    // rayon worker (see `render::run_parallel`).
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    crate::render::run_parallel(threads, targets.len(), |i| {
        let target = &targets[i];
        match (target, ledger) {
            (Target::Pdf(path), _) => verify_pdf(path, trust, ledger, rerender),
            (_, Some(state)) => verify_lookup(target, state),
            (Target::Hash(h), None) => {
                let mut v = Verdict::new(h.clone());
                v.fail(
                    "ledger-lookup",
                    "unknown",
                    "a hash can only be checked against a ledger: give --ledger FILE",
                );
                v
            }
            (Target::CertId { id, .. }, None) => {
                let mut v = Verdict::new(id.clone());
                v.fail(
                    "ledger-lookup",
                    "unknown",
                    "a certificate id can only be checked against a ledger: give --ledger FILE",
                );
                v
            }
        }
    })
}
