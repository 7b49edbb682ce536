//! Certificate rendering: certificate data in, one deterministic PDF out.
//!
//! Typst runs in-process through [`Renderer`], which builds everything expensive once per run
//! (fonts, the font book, the standard library, the parsed template) and shares it across
//! threads. Each certificate gets a lightweight `World` that serves fixed virtual files
//! (`/data.json`, `/certificate-record.json`, `/qr.svg`, and the provider's assets:
//! `/signature.png`, `/signature-2.png`, `/logo.png` or `/logo.svg`) and nothing else:
//! attendee values reach the template only as JSON data, never as markup, and no file on disk
//! can be read by a template. Fixed paths matter because Typst interns file ids process-wide
//! (at most 65,535), so a path per attendee would end a large batch.
//!
//! Output is deterministic: the bundled fonts plus the provider fonts of [`PageAssets`] (each
//! bound by SHA-256 in the record, docs/provider-assets.md), a fixed `today`, the PDF `/ID`
//! from the caller and the creation date from the issue time, so the same inputs give the
//! same bytes on any machine. The signed certificate record travels inside the PDF as the
//! PDF/A-3b attachment `certificate-record.json`; [`extract_attachment`] reads it back.
//!
//! Threads: render from plain OS threads ([`run_parallel`]), never from rayon jobs (see
//! there). Every eighth render ends with `comemo::evict`, so memory stays flat over any batch
//! size.

pub(crate) mod attachment;
mod data;
mod diagnostics;
mod layout;
mod parallel;
mod qr;
mod world;
pub(crate) use world::today;

use std::collections::BTreeSet;
use std::fmt;

use typst::diag::{Severity, SourceDiagnostic, Warned};
use typst::foundations::{Array, Bytes, Datetime, Dict, IntoValue, Smart};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

pub use attachment::{ATTACHMENT_NAME, extract_attachment};
use data::page_json;
pub use data::{
    ATTESTS_COMPLETED, CertificateData, CreditBlock, Disclosure, Holder, OfferingInfo,
    ProviderInfo, Signatory,
};
pub use diagnostics::{Diagnostic, Diagnostics};
pub use layout::{LAYOUT_LABEL, LAYOUT_VERSION, Layout, MIN_TEXT_PT, Region};
pub use parallel::run_parallel;
pub use qr::qr_svg;

pub use crate::provider::{Asset, Bound, PageAssets};

/// The default certificate template (`templates/certificate.typ`), compiled into the binary.
pub const DEFAULT_TEMPLATE: &str = include_str!("../../templates/certificate.typ");

/// Typst's caches are evicted after every `EVICT_EVERY`-th render (counted over all threads),
/// dropping what the last `EVICT_MAX_AGE` evictions did not use. What certificates of one
/// offering share (most of the page) stays cached; memory stays flat whatever the batch size.
/// Measured on 1,000 certificates, 2 threads: evicting after every render (age 2) cost 0.3 ms
/// a certificate; every 8th with age 1 is ~8 % faster for ~8 MB more memory. Every 16th or
/// 32nd gained nothing more and held up to 25 MB more.
const EVICT_EVERY: usize = 8;
const EVICT_MAX_AGE: usize = 1;

/// Renders since the process started, for [`EVICT_EVERY`].
static RENDERS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Why a certificate could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The template did not compile; the diagnostics name file, line and column.
    #[error("the certificate template failed to compile:\n{0}")]
    Template(Diagnostics),
    /// The template compiled but produced more than one page with nothing continued.
    #[error(
        "the certificate template produced {0} pages but reports nothing continued on a second page; a certificate is one page plus continuations"
    )]
    PageCount(usize),
    /// The template does not report the layout facts (see [`Layout`]), so ceu cannot tell
    /// whether it clips what the record holds.
    #[error(
        "the certificate template does not report its layout facts ({0}): it must report, as metadata labelled <ceu-layout>, one summary fact (layout: \"ceu-layout/1\", min-text: ...) and one (region, fields, fits) fact per region of fixed height, as templates/certificate.typ does"
    )]
    NoLayoutFacts(String),
    /// A provider template that does not preview on its own with its sample data, as a stock
    /// Typst editor opens it (no `ceu` input, no virtual files).
    #[error(
        "the template does not preview on its own with its sample data (as a stock Typst editor opens it, without ceu's inputs and files; start from a copy of templates/certificate.typ): {0}"
    )]
    NoPreview(Box<RenderError>),
    /// Something the record holds does not fit on the page: printing it would drop part of it.
    #[error("the certificate cannot show {} in full: it does not fit its place on the page", .0.iter().map(Region::describe).collect::<Vec<_>>().join("; "))]
    Clipped(Vec<Region>),
    /// Text set smaller than [`MIN_TEXT_PT`].
    #[error("the certificate sets text at {0:.2} pt; nothing on the page may be smaller than 8 pt")]
    TextTooSmall(f64),
    /// PDF export failed (for example a PDF/A rule was broken).
    #[error("PDF export failed:\n{0}")]
    Export(Diagnostics),
    /// The certificate data could not be serialized.
    #[error("certificate data could not be serialized: {0}")]
    Data(#[from] serde_json::Error),
    /// The QR text does not fit in a QR code.
    #[error("QR code text cannot be encoded: {0}")]
    Qr(String),
    /// The issue time cannot be represented as a PDF date.
    #[error("timestamp {0} cannot be used as a PDF creation date")]
    Timestamp(chrono::DateTime<chrono::Utc>),
    /// `render` was called on a rayon worker thread (see [`run_parallel`]).
    #[error(
        "render must not run on a rayon worker thread: Typst's own rayon work would run other \
         certificates nested on this thread's stack; use render::run_parallel"
    )]
    RayonWorker,
    /// Internal setup failed (virtual paths, PDF standards).
    #[error("renderer setup failed: {0}")]
    Setup(String),
}

/// Time spent in each phase of one render, for the benchmark's per-phase split.
#[derive(Debug, Clone, Copy, Default)]
pub struct PhaseTimes {
    /// QR code generation and data serialization.
    pub prepare: std::time::Duration,
    /// `typst::compile` (evaluation and layout).
    pub compile: std::time::Duration,
    /// `typst_pdf::pdf` (export).
    pub export: std::time::Duration,
    /// Memoization eviction.
    pub evict: std::time::Duration,
}

/// The shared, build-once half of rendering: fonts, library, parsed template.
///
/// `Send + Sync`; build one per run and share it by reference across threads.
pub struct Renderer {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: Source,
    main_bytes: Bytes,
    ids: world::Paths,
    /// The first and second signatory's signature images (PNG).
    signatures: [Option<Bytes>; 2],
    /// The logo and its virtual path (`/logo.png` or `/logo.svg`).
    logo: Option<(Bytes, FileId)>,
    template_sha256: [u8; 32],
    /// Every asset besides the data, as the signed record names it.
    bound: Vec<Bound>,
    standards: PdfStandards,
    /// Sorted code points any bundled font can draw.
    coverage: Vec<u32>,
    /// False in preview mode: the world then serves no virtual file at all.
    serve_files: bool,
    /// Widest advances per character, for [`Renderer::fits_on_one_line`].
    advances: layout::Advances,
    /// The layout of the sample certificate, compiled when the renderer was built.
    sample_layout: Option<Layout>,
}

impl fmt::Debug for Renderer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Renderer")
            .field("fonts", &self.fonts.len())
            .field(
                "signatures",
                &self.signatures.each_ref().map(Option::is_some),
            )
            .field("logo", &self.logo.is_some())
            .finish_non_exhaustive()
    }
}

impl Renderer {
    /// Loads the bundled fonts, builds the library and parses `template_source`, with the
    /// first signatory's signature image (PNG bytes, role `signature-image`) if any.
    ///
    /// The template is compiled once with [`CertificateData::sample`] so a broken template is
    /// reported here, with Typst's diagnostics, rather than on the first certificate.
    pub fn new(
        template_source: String,
        signature_png: Option<Vec<u8>>,
    ) -> Result<Renderer, RenderError> {
        let assets = PageAssets {
            signatures: [
                signature_png.map(|png| Asset::new("signature-image", "", png)),
                None,
            ],
            ..PageAssets::default()
        };
        Renderer::checked(template_source, &assets)
    }

    /// A renderer drawing with `assets` (docs/provider-assets.md): the provider's template
    /// when it has one (else [`DEFAULT_TEMPLATE`]), the provider fonts after the bundled
    /// ones, the logo and the signatures. Checked like [`Renderer::new`]: a provider template
    /// that does not compile, reports no layout facts or clips the sample is refused here.
    ///
    /// A provider template must also preview on its own, as in a stock Typst editor (see
    /// [`Renderer::preview`]): [`RenderError::NoPreview`] otherwise.
    pub fn with_assets(assets: &PageAssets) -> Result<Renderer, RenderError> {
        let Some(template) = &assets.template else {
            return Renderer::checked(DEFAULT_TEMPLATE.to_string(), assets);
        };
        let source = String::from_utf8_lossy(&template.bytes).into_owned();
        let renderer = Renderer::checked(source.clone(), assets)?;
        Renderer::preview(source).map_err(|e| RenderError::NoPreview(Box::new(e)))?;
        Ok(renderer)
    }

    fn checked(template_source: String, assets: &PageAssets) -> Result<Renderer, RenderError> {
        let mut renderer = Renderer::build(template_source, assets, true)?;
        let epoch = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
        renderer.render(&CertificateData::sample(), b"{}", "template-check", epoch)?;
        renderer.sample_layout = Some(renderer.layout(&CertificateData::sample())?);
        Ok(renderer)
    }

    /// Compiles `template_source` as a stock Typst editor would: no `ceu` input and no
    /// virtual files, so the template must fall back to its built-in sample data. Lets a
    /// designer (and the tests) check that a template previews on its own.
    pub fn preview(template_source: String) -> Result<Vec<u8>, RenderError> {
        let renderer = Renderer::build(template_source, &PageAssets::default(), false)?;
        let epoch = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
        renderer.render(&CertificateData::sample(), b"", "preview", epoch)
    }

    fn build(
        template_source: String,
        assets: &PageAssets,
        ceu_mode: bool,
    ) -> Result<Renderer, RenderError> {
        let template_sha256 = crate::sign::sha256(template_source.as_bytes());
        let bundled = crate::provider::bundled_font_count();
        let fonts = crate::provider::font_list(&assets.fonts);
        let book = FontBook::from_fonts(&fonts);
        let coverage: BTreeSet<u32> = (0..fonts.len())
            .filter_map(|i| book.info(i))
            .flat_map(|info| info.coverage.iter())
            .collect();

        let ids = world::Paths::new()?;
        let logo = assets.logo.as_ref().map(|logo| {
            let id = if logo.image_format() == "svg" {
                ids.logo_svg
            } else {
                ids.logo_png
            };
            (logo.bytes.clone(), id)
        });
        // Inputs are constant for the whole run: one Library serves every certificate.
        let inputs = if ceu_mode {
            library_inputs(assets, &fonts[bundled..], logo.as_ref().map(|(_, id)| *id))
        } else {
            Dict::new()
        };
        let library = Library::builder().with_inputs(inputs).build();
        let main_bytes = Bytes::from_string(template_source.clone());
        let main = Source::new(ids.main, template_source);

        Ok(Renderer {
            library: LazyHash::new(library),
            book: LazyHash::new(book),
            fonts: fonts.clone(),
            main,
            main_bytes,
            ids,
            signatures: assets
                .signatures
                .each_ref()
                .map(|s| s.as_ref().map(|a| a.bytes.clone())),
            logo,
            template_sha256,
            bound: assets.bound(),
            standards: standards()?,
            coverage: coverage.into_iter().collect(),
            serve_files: ceu_mode,
            advances: layout::Advances::new(&fonts),
            sample_layout: None,
        })
    }

    /// SHA-256 of the template source bytes.
    pub fn template_sha256(&self) -> [u8; 32] {
        self.template_sha256
    }

    /// Every file besides the data the pages are drawn from, as the signed record names it
    /// (provider template, fonts, logo, signatures). With the template hash it pins
    /// everything that decides the PDF's bytes.
    pub fn bound(&self) -> &[Bound] {
        &self.bound
    }

    /// The fonts (bundled, then the provider's), in the order the font book lists them (for
    /// checks of what they can shape: `crate::scripts`).
    pub fn fonts(&self) -> &[Font] {
        &self.fonts
    }

    /// Characters of `data` that no bundled font can draw (empty = renderable).
    ///
    /// Whitespace, control and default-ignorable characters (joiners, variation selectors,
    /// bidi marks) are skipped: they need no glyph. Each missing character is listed once, in
    /// order of first appearance.
    pub fn missing_glyphs(&self, data: &CertificateData) -> Vec<char> {
        self.missing_chars(data.printed_strings())
    }

    /// Characters of `strings` that no font of this renderer (bundled, then provider) can
    /// draw, as [`Renderer::missing_glyphs`] judges them: for any document drawn with the same
    /// fonts (a notice, `crate::document`).
    pub fn missing_chars<'s>(&self, strings: impl IntoIterator<Item = &'s str>) -> Vec<char> {
        // Most printed text (the disclosures, the statement) is ASCII. When the fonts draw
        // every printable ASCII character, ASCII text needs no lookup at all: `check` runs this
        // for every attendee, and a binary search per character was most of its time.
        let first = self.coverage.partition_point(|&c| c < 0x21);
        let ascii_covered = self.coverage.get(first) == Some(&0x21)
            && self.coverage.get(first + (0x7E - 0x21)) == Some(&0x7E);
        let mut missing = Vec::new();
        for s in strings {
            if ascii_covered && s.is_ascii() {
                continue;
            }
            for c in s.chars() {
                if (ascii_covered && c.is_ascii())
                    || c.is_whitespace()
                    || c.is_control()
                    || is_default_ignorable(c)
                {
                    continue;
                }
                if self.coverage.binary_search(&u32::from(c)).is_err() && !missing.contains(&c) {
                    missing.push(c);
                }
            }
        }
        missing
    }

    /// Renders one certificate.
    ///
    /// `attachment` is the signed certificate record (exact bytes), embedded as the PDF
    /// attachment `certificate-record.json`. `pdf_id` becomes the PDF `/ID`, `timestamp` the
    /// PDF creation date and the template's `today`. Same inputs give identical bytes.
    ///
    /// Call it from plain threads ([`run_parallel`]); on a rayon worker it returns
    /// [`RenderError::RayonWorker`].
    pub fn render(
        &self,
        data: &CertificateData,
        attachment: &[u8],
        pdf_id: &str,
        timestamp: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<u8>, RenderError> {
        self.render_timed(data, attachment, pdf_id, timestamp)
            .map(|(pdf, _)| pdf)
    }

    /// [`Renderer::render`], also returning the time spent in each phase.
    pub fn render_timed(
        &self,
        data: &CertificateData,
        attachment: &[u8],
        pdf_id: &str,
        timestamp: chrono::DateTime<chrono::Utc>,
    ) -> Result<(Vec<u8>, PhaseTimes), RenderError> {
        use std::time::Instant;
        if rayon::current_thread_index().is_some() {
            return Err(RenderError::RayonWorker);
        }
        let mut times = PhaseTimes::default();

        let start = Instant::now();
        let data_json = page_json(data)?;
        let qr = qr_svg(&data.qr)?;
        let pdf_time = pdf_timestamp(timestamp)?;
        let world = world::CertificateWorld::new(
            self,
            Bytes::new(data_json),
            Bytes::new(attachment.to_vec()),
            Bytes::new(qr.into_bytes()),
            timestamp,
        );
        times.prepare = start.elapsed();

        let start = Instant::now();
        let Warned { output, .. } = typst::compile::<PagedDocument>(&world);
        let document =
            output.map_err(|errors| RenderError::Template(Self::diagnostics(&world, &errors)));
        times.compile = start.elapsed();

        let result = document.and_then(|document| {
            Self::check_layout(&Layout::of(&document)?)?;
            let start = Instant::now();
            let options = PdfOptions {
                ident: Smart::Custom(pdf_id.to_owned()),
                timestamp: Some(pdf_time),
                standards: self.standards.clone(),
                ..PdfOptions::default()
            };
            let pdf = typst_pdf::pdf(&document, &options)
                .map_err(|errors| RenderError::Export(Self::diagnostics(&world, &errors)));
            times.export = start.elapsed();
            pdf
        });

        // Counted even on failure, so a batch of bad certificates cannot grow memory.
        let start = Instant::now();
        let done = RENDERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if done.is_multiple_of(EVICT_EVERY) {
            typst::comemo::evict(EVICT_MAX_AGE);
        }
        times.evict = start.elapsed();
        result.map(|pdf| (pdf, times))
    }

    /// Refuses a layout that drops or shrinks what it must show: a region that does not fit,
    /// text under [`MIN_TEXT_PT`], or extra pages with nothing continued on them.
    fn check_layout(layout: &Layout) -> Result<(), RenderError> {
        let clipped: Vec<Region> = layout.clipped().cloned().collect();
        if !clipped.is_empty() {
            return Err(RenderError::Clipped(clipped));
        }
        let smallest = layout.smallest_text_pt.min(layout.stated_min_text_pt);
        if smallest < MIN_TEXT_PT - 1e-6 {
            return Err(RenderError::TextTooSmall(smallest));
        }
        if layout.pages > 1 && !layout.continues() {
            return Err(RenderError::PageCount(layout.pages));
        }
        Ok(())
    }

    /// Compiles one certificate (no PDF) and returns its layout facts, whatever they say:
    /// `check` turns regions that do not fit into findings. Same thread rules as `render`.
    ///
    /// # Errors
    /// A template that fails to compile or reports no layout facts.
    pub fn layout(&self, data: &CertificateData) -> Result<Layout, RenderError> {
        if rayon::current_thread_index().is_some() {
            return Err(RenderError::RayonWorker);
        }
        let data_json = page_json(data)?;
        let qr = qr_svg(&data.qr)?;
        let world = world::CertificateWorld::new(
            self,
            Bytes::new(data_json),
            Bytes::new(Vec::new()),
            Bytes::new(qr.into_bytes()),
            chrono::DateTime::<chrono::Utc>::UNIX_EPOCH,
        );
        let Warned { output, .. } = typst::compile::<PagedDocument>(&world);
        let layout = output
            .map_err(|errors| RenderError::Template(Self::diagnostics(&world, &errors)))
            .and_then(|document| Layout::of(&document));
        let done = RENDERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if done.is_multiple_of(EVICT_EVERY) {
            typst::comemo::evict(EVICT_MAX_AGE);
        }
        layout
    }

    /// The page `data` lays out the same as, with what certainly fits replaced by a stand-in,
    /// so `check` compiles one page per distinct shape rather than one per attendee.
    ///
    /// The holder's details are blanked when every region showing them (`holder.*` fields)
    /// reports a one-line floor size (`line-size`) and width, and the widest-advance bound of
    /// their text at that size (with room for separators) is within the width: such a value
    /// sits on one line in a fixed-height region and moves nothing else. A credit line is
    /// replaced by "-" when the template reports its credit lines' size and column width and
    /// the line's bound is within it: it then takes exactly one line, as "-" does. Anything
    /// else, and everything when the template reports none of this, is laid out as is.
    pub fn page_shape(&self, data: &CertificateData) -> CertificateData {
        let mut shape = data.clone();
        let Some(sample) = &self.sample_layout else {
            return shape;
        };
        if self.holder_certainly_fits(sample, data) {
            shape.holder.name.clear();
            shape.holder.credential.clear();
            shape.holder.license.clear();
        }
        if let Some((width, size)) = sample.credit_line {
            for line in shape.credits.iter_mut().flat_map(|c| c.lines.iter_mut()) {
                if self.advances.bound(line, size).is_some_and(|w| w <= width) {
                    "-".clone_into(line);
                }
            }
        }
        shape
    }

    /// Whether the holder's details of `data` certainly fit (see [`Renderer::page_shape`]).
    fn holder_certainly_fits(&self, sample: &Layout, data: &CertificateData) -> bool {
        sample
            .regions
            .iter()
            .filter(|r| r.is_attendee())
            .all(|region| {
                let (Some(width), Some(size)) = (region.width, region.line_size) else {
                    return false;
                };
                let mut em_slack = 0.0;
                let mut total = 0.0;
                for field in &region.fields {
                    let text = match field.as_str() {
                        "holder.name" => &data.holder.name,
                        "holder.credential" => &data.holder.credential,
                        "holder.license" => &data.holder.license,
                        _ => return false,
                    };
                    let Some(line) = self.advances.bound(text, size) else {
                        return false;
                    };
                    total += line;
                    em_slack += 4.0 * size;
                }
                total + em_slack <= width
            })
    }

    /// Locates Typst diagnostics in the template for error messages (also used by
    /// `crate::document`).
    pub(crate) fn diagnostics(world: &dyn World, errors: &[SourceDiagnostic]) -> Diagnostics {
        Diagnostics(
            errors
                .iter()
                .map(|d| {
                    let (mut file, mut line, mut column) = (String::new(), 0, 0);
                    if let Some(id) = d.span.id()
                        && let Ok(source) = world.source(id)
                    {
                        file = id.vpath().get_without_slash().to_owned();
                        if let Some(range) = world.range(d.span)
                            && let Some((l, c)) = source.lines().byte_to_line_column(range.start)
                        {
                            (line, column) = (l + 1, c + 1);
                        }
                    }
                    Diagnostic {
                        file,
                        line,
                        column,
                        is_error: d.severity == Severity::Error,
                        message: d.message.to_string(),
                        hints: d.hints.iter().map(|h| h.v.to_string()).collect(),
                    }
                })
                .collect(),
        )
    }
}

/// The template's `sys.inputs` in ceu mode: `ceu`, `signature` and `signature-2` (`"1"` when
/// that image is served at `/signature.png`, `/signature-2.png`), `logo` (its virtual path,
/// `/logo.png` or `/logo.svg`) and `fonts` (the provider fonts' family names, in order, for
/// the template's font list).
fn library_inputs(assets: &PageAssets, provider_fonts: &[Font], logo: Option<FileId>) -> Dict {
    let mut inputs = Dict::new();
    inputs.insert("ceu".into(), "1".into_value());
    for (slot, name) in ["signature", "signature-2"].into_iter().enumerate() {
        if assets.signatures[slot].is_some() {
            inputs.insert(name.into(), "1".into_value());
        }
    }
    if let Some(id) = logo {
        let path = id.vpath().get_with_slash().to_owned();
        inputs.insert("logo".into(), path.into_value());
    }
    let families: Array = crate::provider::font_families(provider_fonts)
        .into_iter()
        .map(IntoValue::into_value)
        .collect();
    inputs.insert("fonts".into(), families.into_value());
    inputs
}

/// PDF/A-3b: archival, and the PDF/A level that allows the attached record.
pub(crate) fn standards() -> Result<PdfStandards, RenderError> {
    PdfStandards::new(&[PdfStandard::A_3b]).map_err(|e| RenderError::Setup(e.message().to_string()))
}

/// The PDF creation date from the issue time (UTC).
pub(crate) fn pdf_timestamp(t: chrono::DateTime<chrono::Utc>) -> Result<Timestamp, RenderError> {
    use chrono::{Datelike, Timelike};
    let datetime = Datetime::from_ymd_hms(
        t.year(),
        u8::try_from(t.month()).map_err(|_| RenderError::Timestamp(t))?,
        u8::try_from(t.day()).map_err(|_| RenderError::Timestamp(t))?,
        u8::try_from(t.hour()).map_err(|_| RenderError::Timestamp(t))?,
        u8::try_from(t.minute()).map_err(|_| RenderError::Timestamp(t))?,
        u8::try_from(t.second()).map_err(|_| RenderError::Timestamp(t))?,
    )
    .ok_or(RenderError::Timestamp(t))?;
    Ok(Timestamp::new_utc(datetime))
}

/// Unicode default-ignorable code points that fonts are not expected to draw.
fn is_default_ignorable(c: char) -> bool {
    matches!(
        u32::from(c),
        0x00AD
            | 0x034F
            | 0x061C
            | 0x115F..=0x1160
            | 0x17B4..=0x17B5
            | 0x180B..=0x180F
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x206F
            | 0x3164
            | 0xFE00..=0xFE0F
            | 0xFEFF
            | 0xFFA0
            | 0xFFF0..=0xFFF8
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0000..=0xE0FFF
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_ignorables_are_skipped() {
        assert!(is_default_ignorable('\u{200D}'));
        assert!(is_default_ignorable('\u{FE0F}'));
        assert!(!is_default_ignorable('a'));
    }

    #[test]
    fn printed_strings_cover_every_field() {
        let data = CertificateData::sample();
        let strings = data.printed_strings();
        assert!(strings.contains(&"28.0 CE hours"));
        assert!(strings.contains(&"José Müller-Øster"));
        assert!(strings.contains(&"Dana Instructor"));
    }
}
