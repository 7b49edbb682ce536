//! Offline verification of a PDF whose record's signature holds: the PDF signature (PAdES)
//! and its tie to the record, then the page re-rendered from the record when this ceu renders
//! with exactly what the record names.

use super::verdict::{NOT_COMPARED, Status, Verdict};
use crate::cades::colon_fingerprint;
use crate::certificate::{AssetHash, CertificateRecord};
use crate::ledger;
use crate::pades::{FoundError, FoundSignature};
use crate::provider::{Asset, PageAssets};
use crate::render::{DEFAULT_TEMPLATE, Renderer};
use chrono::DateTime;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Re-renders certificates for offline comparison (built once, only when needed).
pub struct Rerender {
    renderer: Renderer,
    template_sha256: String,
    typst_version: String,
    /// Renderers with provider assets, by records root and the record's assets (or why the
    /// page cannot be re-rendered with them), so each set of files is read and checked once.
    with_assets: Mutex<HashMap<String, Result<Arc<Renderer>, String>>>,
    /// The records root of the current folder (`paths::root_from_current_dir`).
    current_root: PathBuf,
    /// Folders given with `--assets`, canonical, searched before the others.
    asset_roots: Vec<PathBuf>,
}

/// Why a folder given with `--assets` cannot be searched for a certificate's assets.
#[derive(Debug, thiserror::Error)]
#[error("{}: {why}; give a records root, or the folder you copied the provider's fonts/ and provider/ folders into (docs/verification.md)", .dir.display())]
pub struct AssetsDirError {
    /// The folder as given.
    pub dir: PathBuf,
    /// What is wrong with it.
    pub why: String,
}

impl Rerender {
    /// The built-in template, no assets, this ceu's Typst. Records naming provider assets
    /// are re-rendered with the files of the records root they lie in (see [`roots_of`]).
    pub fn new() -> Result<Rerender, crate::render::RenderError> {
        let renderer = Renderer::new(DEFAULT_TEMPLATE.to_string(), None)?;
        let template_sha256 = hex::encode(renderer.template_sha256());
        Ok(Rerender {
            renderer,
            template_sha256,
            typst_version: crate::certificate::typst_version().to_string(),
            with_assets: Mutex::new(HashMap::new()),
            current_root: crate::paths::root_from_current_dir(),
            asset_roots: Vec::new(),
        })
    }

    /// Also looks for the assets records name in `dirs` (`ceu verify --offline --assets`),
    /// before the records root a PDF lies in and the current folder's: an auditor's copy of
    /// the provider's `fonts/` and `provider/` folders (each DIR is a records root, or a folder
    /// holding those two; the record names its files relative to such a folder, `fonts/x.ttf`).
    ///
    /// # Errors
    /// [`AssetsDirError`]: a DIR is not a folder, or holds neither `fonts/` nor `provider/`
    /// nor an offering folder (whose course record may name signature images in it).
    pub fn with_asset_roots(mut self, dirs: &[PathBuf]) -> Result<Rerender, AssetsDirError> {
        for dir in dirs {
            let error = |why: String| AssetsDirError {
                dir: dir.clone(),
                why,
            };
            let canonical =
                std::fs::canonicalize(dir).map_err(|e| error(format!("cannot be opened ({e})")))?;
            if !canonical.is_dir() {
                return Err(error("is not a folder".into()));
            }
            let holds = |name: &str| canonical.join(name).is_dir();
            // An offering folder (`<offering>/course.toml`) may hold the signature images
            // its course record names.
            let offerings = std::fs::read_dir(&canonical)
                .map_err(|e| error(format!("cannot be read ({e})")))?
                .filter_map(Result::ok)
                .any(|entry| entry.path().join("course.toml").is_file());
            if !holds(crate::provider::FONTS_DIR)
                && !holds(crate::provider::PROVIDER_DIR)
                && !offerings
            {
                return Err(error(format!(
                    "holds neither a {}/ nor a {}/ folder, nor an offering folder",
                    crate::provider::FONTS_DIR,
                    crate::provider::PROVIDER_DIR
                )));
            }
            if !self.asset_roots.contains(&canonical) {
                self.asset_roots.push(canonical);
            }
        }
        Ok(self)
    }

    /// Re-renders the record's page when this renderer has exactly what the record names;
    /// otherwise says why not.
    fn compare(
        &self,
        record: &CertificateRecord,
        pdf_path: &Path,
        envelope: &[u8],
        expected: &[u8],
    ) -> Page {
        if let Some(version) = &record.typst_version
            && *version != self.typst_version
        {
            return Page::NotCompared(format!(
                "the page was rendered with Typst {version}; this ceu renders with Typst {}",
                self.typst_version
            ));
        }
        let with_assets;
        let renderer = match record.assets.as_deref() {
            Some([]) | None if record.template_sha256 == self.template_sha256 => &self.renderer,
            None => {
                return Page::NotCompared(format!(
                    "the page was rendered with template {}, which this ceu does not bundle",
                    record.template_sha256
                ));
            }
            Some(assets) => match self.renderer_for(record, assets, pdf_path) {
                Ok(renderer) => {
                    with_assets = renderer;
                    &*with_assets
                }
                Err(reason) => return Page::NotCompared(reason),
            },
        };
        let full = ledger::full_cert_id(
            &record.certificate.certificate_id,
            record.certificate.revision,
        );
        let again = DateTime::parse_from_rfc3339(&record.issued_at)
            .ok()
            .and_then(|at| {
                renderer
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

    /// A renderer with exactly the assets the record names, read from the first records root
    /// (see [`roots_of`]) that holds them all with the recorded SHA-256; otherwise why not
    /// (what the first root lacks or holds changed).
    fn renderer_for(
        &self,
        record: &CertificateRecord,
        assets: &[AssetHash],
        pdf_path: &Path,
    ) -> Result<Arc<Renderer>, String> {
        let template_named = assets
            .iter()
            .any(|a| a.role.starts_with("template:") && a.sha256 == record.template_sha256);
        if record.template_sha256 != self.template_sha256 && !template_named {
            return Err(format!(
                "the page was rendered with template {}, which this ceu does not bundle",
                record.template_sha256
            ));
        }
        if let Some(unplaced) = assets.iter().find(|a| a.file.is_none()) {
            return Err(format!(
                "the page was rendered with a {} (SHA-256 {}) whose file the record does not name",
                unplaced.role, unplaced.sha256
            ));
        }
        let mut first_reason = None;
        for root in roots_of(pdf_path, &self.asset_roots, &self.current_root) {
            let key = format!(
                "{}\n{}",
                root.display(),
                assets
                    .iter()
                    .map(|a| format!("{} {}", a.role, a.sha256))
                    .collect::<Vec<_>>()
                    .join("\n")
            );
            let mut cache = self.with_assets.lock().unwrap_or_else(|e| e.into_inner());
            let found = cache
                .entry(key)
                .or_insert_with(|| page_assets(&root, assets).and_then(build));
            match found {
                Ok(renderer) => return Ok(Arc::clone(renderer)),
                Err(reason) => {
                    first_reason.get_or_insert_with(|| reason.clone());
                }
            }
        }
        Err(first_reason.unwrap_or_else(|| "no records root to find its assets in".into()))
    }
}

/// Where the assets of the certificate at `pdf_path` are looked for: the `--assets` folders
/// (`asset_roots`, canonical), the records root it lies in
/// (`<root>/<offering>/certificates/<file>.pdf`), then the current folder's.
fn roots_of(pdf_path: &Path, asset_roots: &[PathBuf], current_root: &Path) -> Vec<PathBuf> {
    let mut roots = asset_roots.to_vec();
    if let Some(root) = std::fs::canonicalize(pdf_path)
        .ok()
        .and_then(|p| p.ancestors().nth(3).map(Path::to_path_buf))
        && !roots.contains(&root)
    {
        roots.push(root);
    }
    if let Ok(current) = std::fs::canonicalize(current_root)
        && !roots.contains(&current)
    {
        roots.push(current);
    }
    roots
}

/// The record's assets read from `root`, each checked against its recorded SHA-256.
fn page_assets(root: &Path, assets: &[AssetHash]) -> Result<PageAssets, String> {
    let mut page = PageAssets::default();
    for recorded in assets {
        let file = recorded.file.as_deref().unwrap_or_default();
        let inside = Path::new(file)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !inside {
            return Err(format!(
                "the record names {file} for its {}, which is not a place inside a records root",
                recorded.role
            ));
        }
        let path = root.join(file);
        let bytes = std::fs::read(&path).map_err(|e| {
            format!(
                "the page was rendered with {file} ({}), which cannot be read at {}: {e}",
                recorded.role,
                path.display()
            )
        })?;
        let asset = Asset::new(recorded.role.clone(), file, bytes);
        if asset.sha256_hex() != recorded.sha256 {
            return Err(format!(
                "{} has SHA-256 {}, but the page was rendered with SHA-256 {} (the {} changed since issue)",
                path.display(),
                asset.sha256_hex(),
                recorded.sha256,
                recorded.role
            ));
        }
        match recorded.role.as_str() {
            role if role.starts_with("template:") => page.template = Some(asset),
            role if role.starts_with("font:") => page.fonts.push(asset),
            "logo" => page.logo = Some(asset),
            "signature-image" | "signature-1" => page.signatures[0] = Some(asset),
            "signature-image-2" | "signature-2" => page.signatures[1] = Some(asset),
            other => {
                return Err(format!(
                    "the page was rendered with a {other}, which this ceu does not know"
                ));
            }
        }
    }
    Ok(page)
}

/// A renderer for `assets`, or why the page cannot be re-rendered with them.
fn build(assets: PageAssets) -> Result<Arc<Renderer>, String> {
    Renderer::with_assets(&assets)
        .map(Arc::new)
        .map_err(|e| format!("its assets cannot be rendered with here: {e}"))
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
    pdf_path: &Path,
    pdf: &[u8],
    envelope: &[u8],
    record: &CertificateRecord,
    rerender: Option<&Rerender>,
) {
    let compare = |expected: &[u8]| match rerender {
        Some(rerender) => rerender.compare(record, pdf_path, envelope, expected),
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
