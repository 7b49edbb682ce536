//! Offline verification of a PDF whose record's signature holds: the PDF signature (PAdES)
//! and its tie to the record, then the page re-rendered from the record when this ceu renders
//! with exactly what the record names.

use super::verdict::{NOT_COMPARED, Status, Verdict};
use crate::cades::colon_fingerprint;
use crate::certificate::CertificateRecord;
use crate::ledger;
use crate::pades::{FoundError, FoundSignature};
use crate::render::{DEFAULT_TEMPLATE, Renderer};
use chrono::DateTime;

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

/// How an offline failure of the PDF signature begins: the record itself verified.
const ALTERED: &str = "record genuine; the file is not the issued bytes";

/// The offline checks once the record's signature holds: the PDF signature and its tie to
/// the record, then the page (see the module documentation).
pub(super) fn verify_offline(
    verdict: &mut Verdict,
    pdf: &[u8],
    envelope: &[u8],
    record: &CertificateRecord,
    rerender: Option<&Rerender>,
) {
    let compare = |expected: &[u8]| match rerender {
        Some(rerender) => rerender.compare(record, envelope, expected),
        None => Page::NotCompared("this verification does not re-render".into()),
    };
    let Some(found) = crate::pades::find_signature(pdf) else {
        if record.pdf_certificate_sha256.is_some() {
            verdict.fail(
                "pdf-signature",
                Status::Invalid,
                format!("{ALTERED}: the record says the PDF was signed, and the file carries no PDF signature (re-saved by another program?)"),
            );
        } else {
            check_page_of_unsigned(verdict, compare(pdf));
        }
        return;
    };
    let Some(found) = check_pdf_signature(verdict, found, record) else {
        return;
    };
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
            Status::Invalid,
            "re-rendering the signed record with exactly what it names gives different bytes than the signed file's first revision",
        ),
        Page::NotCompared(reason) => verdict.pass(
            "page",
            format!("{NOT_COMPARED} ({reason}); the PDF signature shows the file is the one the provider signed"),
        ),
    }
}

/// The page of a certificate issued before ceu signed PDFs: only the re-render (`page`) can
/// show it is unaltered.
fn check_page_of_unsigned(verdict: &mut Verdict, page: Page) {
    const BEFORE: &str = "this certificate was issued before ceu signed PDFs";
    match page {
        Page::Same => verdict.pass(
            "page",
            format!("{BEFORE}; re-rendered from the signed record: byte-identical, so the visible certificate is exactly what was signed"),
        ),
        Page::Different => verdict.fail(
            "page",
            Status::Invalid,
            format!("{BEFORE}, and re-rendering its signed record gives different bytes, so the file alone cannot show that its page is unaltered: verify with --ledger"),
        ),
        Page::NotCompared(reason) => verdict.fail(
            "page",
            Status::Invalid,
            format!("{BEFORE}, and its page cannot be re-rendered here ({reason}), so the file alone cannot show that it is unaltered: verify with --ledger"),
        ),
    }
}

/// The PDF signature found in the file: it verifies, covers the whole file, and was made by
/// the certificate the signed record names. Returns the signature when all of that holds
/// (after a `pdf-signature` pass); otherwise records the failure and returns `None`.
fn check_pdf_signature(
    verdict: &mut Verdict,
    found: Result<FoundSignature, FoundError>,
    record: &CertificateRecord,
) -> Option<FoundSignature> {
    let found = match found {
        Ok(found) => found,
        Err(e) => {
            verdict.fail("pdf-signature", Status::Invalid, format!("{ALTERED}: {e}"));
            return None;
        }
    };
    let verified = match crate::pades::verify(&found) {
        Ok(verified) => verified,
        Err(e) => {
            verdict.fail("pdf-signature", Status::Invalid, format!("{ALTERED}: {e}"));
            return None;
        }
    };
    if record.pdf_certificate_sha256.as_deref() != Some(verified.certificate_sha256.as_str()) {
        verdict.fail(
            "pdf-signature",
            Status::Invalid,
            format!(
                "{ALTERED}: the PDF is signed by certificate SHA-256 {}, which the signed record does not name",
                colon_fingerprint(&verified.certificate_sha256)
            ),
        );
        return None;
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
    Some(found)
}
