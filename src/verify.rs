//! Verifying certificates: a PDF, a SHA-256 of a PDF, a certificate id, or the text of a
//! certificate's QR code, checked against keys the auditor names.
//!
//! With a ledger, a PDF is checked hash → ledger entry → the ledger's chain and signatures →
//! not revoked or superseded → the embedded signed record agrees with the entry. A file whose
//! hash is in no entry but whose embedded record is genuine is reported as such ("record
//! genuine; the file is not the issued bytes"): it was changed or re-saved after issue.
//!
//! Offline, a certificate rests on three checks: the PDF signature (PAdES, ECDSA P-256) is
//! valid and covers the whole file; the embedded record's Ed25519 envelope is signed by a
//! trusted key; and the record names the certificate that made the PDF signature (the tie
//! between the two keys, see `cades`). Re-rendering the record and comparing the result with
//! the file's first revision (the unsigned render) is an extra check, done only when this ceu
//! renders with exactly what the record names (template, Typst version, assets); otherwise
//! the result says `page: not compared (reason)`. A certificate issued before ceu signed PDFs
//! has only the re-render to show its page is unaltered: offline it verifies when that
//! comparison succeeds, else it fails with the fix "verify with --ledger". Revocation is not
//! checked offline, and the result says so.
//!
//! Looking up a certificate id or QR text also says what the certificate attests, from the
//! signed record in the PDF the ledger entry names (`<ledger folder>/<offering id>/
//! certificates/<file>`); without that file, the ledger's facts only (it holds no names).

use crate::cades::colon_fingerprint;
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
    if let Some((id, code)) = crate::publish::code::from_url(text) {
        return Ok(vec![Target::CertId { id, code }]);
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
    /// What the certificate attests (lookups by id, QR text or hash).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attests: Option<Attests>,
}

/// What a certificate attests, for a lookup: from the signed record inside the PDF the
/// ledger entry names when that file is at hand, else the ledger's facts and a note.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Attests {
    /// `record` (the signed record in the PDF) or `ledger` (the ledger entry only).
    pub source: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holder: Option<String>,
    pub offering: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dates: Option<String>,
    /// One line per body that awarded credit ("ASHA: 2.5 contact hours …").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub credit: Vec<String>,
    pub revision: u32,
    /// RFC 3339 issue time.
    pub issued_at: String,
    /// The certificate's status in the ledger (valid, revoked, superseded, …).
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
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
            attests: None,
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

    /// Passed checks that hold with a caveat (`page: not compared (…)`), for the report.
    pub fn caveats(&self) -> impl Iterator<Item = &Check> {
        self.checks
            .iter()
            .filter(|c| c.ok && c.detail.starts_with(NOT_COMPARED))
    }
}

/// How a passed `page` check that could not re-render begins.
const NOT_COMPARED: &str = "not compared";

/// A ledger, read, indexed and verified once for all items.
pub struct LedgerState {
    pub index: LedgerIndex,
    /// `None` when the chain, every signature (by trusted keys) and the checkpoint hold.
    pub problem: Option<String>,
    /// The folder holding the ledger (the records root): offering folders are beside it.
    pub dir: PathBuf,
}

impl LedgerState {
    /// Reads and verifies the ledger, and that it extends `checkpoint` when one is given: a
    /// checkpoint it does not extend (a cut tail, rewritten history) or one not signed by a
    /// trusted key is a problem that fails every item.
    pub fn load(
        path: &Path,
        trust: &TrustSet,
        checkpoint: Option<&Path>,
    ) -> Result<LedgerState, ledger::LedgerError> {
        // One read: the entries verified are the entries indexed.
        let mut entries = Vec::new();
        let report = ledger::verify_with(path, trust, checkpoint, |mut entry| {
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
        let checkpoint_problem = match (&report.checkpoint, checkpoint) {
            (Some(ledger::CheckpointStatus::Truncated { count, lines }), Some(cp)) => {
                Some(format!(
                    "{} has {lines} lines but the checkpoint {} counts {count}: its tail was cut or rolled back",
                    path.display(),
                    cp.display()
                ))
            }
            (Some(ledger::CheckpointStatus::Rewritten { count }), Some(cp)) => Some(format!(
                "line {count} of {} is not the line the checkpoint {} recorded: history was rewritten",
                path.display(),
                cp.display()
            )),
            (Some(ledger::CheckpointStatus::Untrusted(why)), Some(cp)) => Some(format!(
                "the checkpoint {} is not signed by a trusted key: {why}",
                cp.display()
            )),
            _ => None,
        };
        let problem = report
            .first_bad
            .as_ref()
            .map(|(line, problem)| format!("{}: line {line}: {problem}", path.display()))
            .or(checkpoint_problem);
        Ok(LedgerState {
            index: LedgerIndex::new(entries),
            problem,
            dir: path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| PathBuf::from(".")),
        })
    }
}

/// Re-renders certificates for offline comparison (built once, only when needed).
pub struct Rerender {
    renderer: Renderer,
    template_sha256: String,
    typst_version: String,
}

impl Rerender {
    /// The built-in template, no assets, this ceu's Typst.
    pub fn new() -> Result<Rerender, crate::render::RenderError> {
        let renderer = Renderer::new(DEFAULT_TEMPLATE.to_string(), None)?;
        let template_sha256 = hex::encode(renderer.template_sha256());
        Ok(Rerender {
            renderer,
            template_sha256,
            typst_version: crate::certificate::typst_version().to_string(),
        })
    }

    /// Re-renders the record's page when this renderer has exactly what the record names;
    /// otherwise says why not.
    fn compare(&self, record: &CertificateRecord, envelope: &[u8], expected: &[u8]) -> Page {
        if record.template_sha256 != self.template_sha256 {
            return Page::NotCompared(format!(
                "the page was rendered with template {}, which this ceu does not bundle",
                record.template_sha256
            ));
        }
        if let Some(version) = &record.typst_version
            && *version != self.typst_version
        {
            return Page::NotCompared(format!(
                "the page was rendered with Typst {version}; this ceu renders with Typst {}",
                self.typst_version
            ));
        }
        if let Some(assets) = record.assets.as_ref().filter(|a| !a.is_empty()) {
            let roles: Vec<&str> = assets.iter().map(|a| a.role.as_str()).collect();
            return Page::NotCompared(format!(
                "the page was rendered with {} that verification does not have",
                roles.join(", ")
            ));
        }
        let full = ledger::full_cert_id(
            &record.certificate.certificate_id,
            record.certificate.revision,
        );
        let again = DateTime::parse_from_rfc3339(&record.issued_at)
            .ok()
            .and_then(|at| {
                self.renderer
                    .render(&record.certificate, envelope, &full, at.to_utc())
                    .ok()
            });
        // The signature's update starts on a new line: a render that ends without one is
        // followed by the newline the update added.
        let same = |again: &[u8]| {
            again == expected
                || (expected.len() == again.len() + 1
                    && expected.starts_with(again)
                    && expected.ends_with(b"\n"))
        };
        match again {
            Some(again) if same(&again) => Page::Same,
            _ => Page::Different,
        }
    }
}

/// The outcome of re-rendering a record and comparing it with the file.
enum Page {
    Same,
    Different,
    NotCompared(String),
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
                not_the_issued_bytes(&mut verdict, pdf, &pdf_sha256, trust, state);
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
                verify_offline(&mut verdict, pdf, &envelope, &record, rerender);
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

/// A PDF whose SHA-256 is in no ledger entry: if its embedded record is genuine and the
/// ledger knows that certificate, the file was changed or re-saved after issue.
fn not_the_issued_bytes(
    verdict: &mut Verdict,
    pdf: &[u8],
    pdf_sha256: &str,
    trust: &TrustSet,
    state: &LedgerState,
) {
    let genuine = extract_attachment(pdf).and_then(|envelope| {
        let opened = sign::open_envelope_as(&envelope, RECORD_PAYLOAD_TYPE, trust).ok()?;
        let record: CertificateRecord = serde_json::from_slice(&opened.payload).ok()?;
        Some((opened.key_id, record))
    });
    let known = genuine.as_ref().and_then(|(key_id, record)| {
        let full = ledger::full_cert_id(
            &record.certificate.certificate_id,
            record.certificate.revision,
        );
        let fields = state.index.certificate(&full)?.body().issued()?;
        Some((key_id, full, fields))
    });
    match known {
        Some((key_id, full, fields)) => {
            verdict.certificate_id = Some(full.clone());
            verdict.fail(
                "pdf-hash",
                "invalid",
                format!(
                    "record genuine; the file is not the issued bytes: its embedded record of {full} is signed by trusted key {key_id}, but the file's SHA-256 {pdf_sha256} is not the {} the ledger binds (the file was changed or re-saved by another program after issue, e.g. a PDF editor or an upload portal); ask the holder for the original file",
                    fields.pdf_sha256
                ),
            );
        }
        None => verdict.fail(
            "pdf-hash",
            "unknown",
            format!("SHA-256 {pdf_sha256} is in no ledger entry: the file was altered, or was not issued from this ledger"),
        ),
    }
}

/// The offline checks once the record's signature holds: the PDF signature and its tie to
/// the record, then the page (see the module documentation).
fn verify_offline(
    verdict: &mut Verdict,
    pdf: &[u8],
    envelope: &[u8],
    record: &CertificateRecord,
    rerender: Option<&Rerender>,
) {
    const ALTERED: &str = "record genuine; the file is not the issued bytes";
    let compare = |expected: &[u8]| match rerender {
        Some(rerender) => rerender.compare(record, envelope, expected),
        None => Page::NotCompared("this verification does not re-render".into()),
    };
    let Some(found) = crate::pades::find_signature(pdf) else {
        if record.pdf_certificate_sha256.is_some() {
            verdict.fail(
                "pdf-signature",
                "invalid",
                format!("{ALTERED}: the record says the PDF was signed, and the file carries no PDF signature (re-saved by another program?)"),
            );
            return;
        }
        // Issued before ceu signed PDFs: only the re-render can show the page is unaltered.
        const BEFORE: &str = "this certificate was issued before ceu signed PDFs";
        match compare(pdf) {
            Page::Same => verdict.pass(
                "page",
                format!("{BEFORE}; re-rendered from the signed record: byte-identical, so the visible certificate is exactly what was signed"),
            ),
            Page::Different => verdict.fail(
                "page",
                "invalid",
                format!("{BEFORE}, and re-rendering its signed record gives different bytes, so the file alone cannot show that its page is unaltered: verify with --ledger"),
            ),
            Page::NotCompared(reason) => verdict.fail(
                "page",
                "invalid",
                format!("{BEFORE}, and its page cannot be re-rendered here ({reason}), so the file alone cannot show that it is unaltered: verify with --ledger"),
            ),
        }
        return;
    };
    let found = match found {
        Ok(found) => found,
        Err(e) => {
            verdict.fail("pdf-signature", "invalid", format!("{ALTERED}: {e}"));
            return;
        }
    };
    let verified = match crate::pades::verify(&found) {
        Ok(verified) => verified,
        Err(e) => {
            verdict.fail("pdf-signature", "invalid", format!("{ALTERED}: {e}"));
            return;
        }
    };
    if record.pdf_certificate_sha256.as_deref() != Some(verified.certificate_sha256.as_str()) {
        verdict.fail(
            "pdf-signature",
            "invalid",
            format!(
                "{ALTERED}: the PDF is signed by certificate SHA-256 {}, which the signed record does not name",
                colon_fingerprint(&verified.certificate_sha256)
            ),
        );
        return;
    }
    verdict.pass(
        "pdf-signature",
        format!(
            "valid PDF signature over the whole file (signed {}) by the provider certificate \"{}\" SHA-256 {}, which the signed record names",
            found.signed_at.as_deref().unwrap_or("-"),
            verified.subject,
            colon_fingerprint(&verified.certificate_sha256)
        ),
    );
    let Some(unsigned) = found.unsigned_len.and_then(|len| pdf.get(..len)) else {
        verdict.pass(
            "page",
            format!("{NOT_COMPARED} (the file has no revision before its signature)"),
        );
        return;
    };
    match compare(unsigned) {
        Page::Same => verdict.pass(
            "page",
            "re-rendered from the signed record: identical to the signed file's first revision",
        ),
        Page::Different => verdict.fail(
            "page",
            "invalid",
            "re-rendering the signed record with exactly what it names gives different bytes than the signed file's first revision",
        ),
        Page::NotCompared(reason) => verdict.pass(
            "page",
            format!("{NOT_COMPARED} ({reason}); the PDF signature shows the file is the one the provider signed"),
        ),
    }
}

/// Verifies a hash or certificate id against the ledger.
pub fn verify_lookup(target: &Target, state: &LedgerState, trust: &TrustSet) -> Verdict {
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
        if crate::publish::code::matches(&code, &fields.verification_code) {
            verdict.pass("verification-code", "the verification code matches");
        } else {
            verdict.fail(
                "verification-code",
                "invalid",
                "the verification code does not match this certificate",
            );
        }
    }
    // By id or QR text (not by hash: a list of hashes is a bulk check of files at hand).
    if matches!(target, Target::CertId { .. })
        && verdict
            .checks
            .iter()
            .all(|c| c.ok || c.check != "verification-code")
    {
        verdict.attests = attests(entry, state, verdict.status, trust);
    }
    verdict
}

/// What the certificate of `entry` attests: from the signed record inside the PDF the entry
/// names, in the offering's output folder (`<ledger folder>/<offering id>/certificates/`),
/// when that file is the issued one and its record opens with a trusted key; otherwise the
/// ledger's facts (which hold no names) and a note saying why.
fn attests(
    entry: &Entry,
    state: &LedgerState,
    status: &'static str,
    trust: &TrustSet,
) -> Option<Attests> {
    let fields = entry.body().issued()?;
    let path = state
        .dir
        .join(&fields.offering_id)
        .join("certificates")
        .join(&fields.pdf_file);
    let from_ledger = |note: String| Attests {
        source: "ledger",
        offering: fields.offering_id.clone(),
        revision: fields.revision,
        issued_at: entry.payload.time.clone(),
        status,
        note: Some(note),
        ..Attests::default()
    };
    let pdf = match std::fs::read(&path) {
        Ok(pdf) => pdf,
        Err(_) => {
            return Some(from_ledger(format!(
                "the certificate's PDF is not at {}; the ledger holds no names, so who holds it and the credit are not shown (verify the PDF itself for those)",
                path.display()
            )));
        }
    };
    if crate::sign::sha256_hex(&pdf) != fields.pdf_sha256 {
        return Some(from_ledger(format!(
            "{} is not the file this ledger entry binds (its SHA-256 differs), so its contents are not shown",
            path.display()
        )));
    }
    let record = extract_attachment(&pdf)
        .and_then(|envelope| sign::open_envelope_as(&envelope, RECORD_PAYLOAD_TYPE, trust).ok())
        .and_then(|opened| serde_json::from_slice::<CertificateRecord>(&opened.payload).ok());
    let Some(record) = record else {
        return Some(from_ledger(format!(
            "the record inside {} does not open with a trusted key",
            path.display()
        )));
    };
    let certificate = &record.certificate;
    let mut holder = certificate.holder.name.clone();
    if !certificate.holder.credential.is_empty() {
        holder.push_str(", ");
        holder.push_str(&certificate.holder.credential);
    }
    Some(Attests {
        source: "record",
        holder: Some(holder),
        offering: certificate.offering.id.clone(),
        title: Some(certificate.offering.title.clone()),
        dates: Some(certificate.offering.dates.clone()),
        credit: certificate
            .credits
            .iter()
            .map(|block| {
                format!(
                    "{}: {}",
                    block.body,
                    block.lines.first().cloned().unwrap_or_default()
                )
            })
            .collect(),
        revision: certificate.revision,
        issued_at: record.issued_at.clone(),
        status,
        note: Some(format!("from the signed record in {}", path.display())),
    })
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
            (_, Some(state)) => verify_lookup(target, state, trust),
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
