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

mod checks;
mod lookup;
mod offline;
mod pdf;
mod verdict;

pub use checks::LedgerState;
pub use offline::Rerender;
pub use pdf::verify_pdf;
pub use verdict::{Attests, Check, Status, Verdict};

use crate::sign::TrustSet;
use checks::check_status;
use lookup::attests;
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
    if let Some((id, code)) = crate::verification_code::from_url(text) {
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
            Status::Unknown,
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
        if crate::verification_code::matches(&code, &fields.verification_code) {
            verdict.pass("verification-code", "the verification code matches");
        } else {
            verdict.fail(
                "verification-code",
                Status::Invalid,
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

/// A verification worker panicked: a bug in ceu, not a verdict on the item (exit 3).
#[derive(Debug, thiserror::Error)]
#[error("while verifying {item}")]
pub struct WorkerPanicked {
    /// The item being verified, as given.
    pub item: String,
    /// The panic.
    pub source: crate::exit::InternalError,
}

/// Verifies every target; PDFs in parallel on every core. Verdicts are in target order.
/// Errors: [`WorkerPanicked`] for the first item whose verification panicked.
pub fn verify_all(
    targets: &[Target],
    trust: &TrustSet,
    ledger: Option<&LedgerState>,
    rerender: Option<&Rerender>,
) -> Result<Vec<Verdict>, WorkerPanicked> {
    // Plain threads, not rayon: `--offline` re-renders, and rendering must not run on a
    // rayon worker (see `render::run_parallel`).
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let verdicts = crate::render::run_parallel(threads, targets.len(), |i| {
        let verify = || verify_one(&targets[i], trust, ledger, rerender);
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(verify)).map_err(|panic| {
            WorkerPanicked {
                item: match &targets[i] {
                    Target::Pdf(path) => path.display().to_string(),
                    Target::Hash(hash) => hash.clone(),
                    Target::CertId { id, .. } => id.clone(),
                },
                source: crate::exit::InternalError::from_panic(panic.as_ref()),
            }
        })
    });
    verdicts.into_iter().collect()
}

/// Verifies one target: a PDF (against the ledger, or offline), else a lookup in the ledger.
fn verify_one(
    target: &Target,
    trust: &TrustSet,
    ledger: Option<&LedgerState>,
    rerender: Option<&Rerender>,
) -> Verdict {
    match (target, ledger) {
        (Target::Pdf(path), _) => verify_pdf(path, trust, ledger, rerender),
        (_, Some(state)) => verify_lookup(target, state, trust),
        (Target::Hash(h), None) => {
            let mut v = Verdict::new(h.clone());
            v.fail(
                "ledger-lookup",
                Status::Unknown,
                "a hash can only be checked against a ledger: give --ledger FILE",
            );
            v
        }
        (Target::CertId { id, .. }, None) => {
            let mut v = Verdict::new(id.clone());
            v.fail(
                "ledger-lookup",
                Status::Unknown,
                "a certificate id can only be checked against a ledger: give --ledger FILE",
            );
            v
        }
    }
}
