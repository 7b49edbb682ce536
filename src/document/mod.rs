//! Documents other than certificates: notices to non-completers, the disclosure slide and
//! handout, the audit packet. One generic renderer, beside the certificate [`Renderer`]:
//! a Typst template, JSON data and optional attachments in, one deterministic PDF/A-3b out.
//!
//! What it shares with certificates (`crate::render`): the layout facts (`<ceu-layout>`
//! metadata with a `ceu-layout/1` summary, so "never clipped" and "nothing under 8 pt" are
//! checked the same way), the located Typst diagnostics, PDF/A-3b export with an explicit PDF
//! id and a fixed creation date. What differs: a document may run to any number of pages
//! (letters and packets flow on), the fonts are the caller's (`crate::provider::font_list`: the
//! bundled fonts, then the provider's `fonts/`), and an optional logo (PNG or SVG) is served
//! as `/logo.png`.
//!
//! The world a document compiles in serves fixed virtual files only: `/data.json` (the data,
//! never spliced into markup), `/attachments.json` (name, description and media type of each
//! attachment) and each attachment at `/<name>`, plus `/logo.png` when a logo was given.
//! Anything else is "access denied"; nothing on disk is read.
//!
//! [`Renderer`]: crate::render::Renderer

pub mod disclosure;
pub mod notice;
pub mod packet;
mod world;

use crate::render::{Diagnostics, Layout, MIN_TEXT_PT, Region, Renderer};
use typst::diag::Warned;
use typst::foundations::{Array, Bytes, Dict, IntoValue, Smart};
use typst::syntax::Source;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandards};

/// Why a document could not be rendered. `what` names the document ("notice", "disclosure
/// slide", ...) in every message.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// The template did not compile; the diagnostics name file, line and column.
    #[error("the {what} template failed to compile:\n{diagnostics}")]
    Template {
        what: &'static str,
        diagnostics: Diagnostics,
    },
    /// The template does not report its layout facts, so clipping cannot be ruled out.
    #[error(
        "the {what} template does not report its layout facts ({why}): it must report, as metadata labelled <ceu-layout>, one summary fact (layout: \"ceu-layout/1\", min-text: ...) and one (region, fields, fits) fact per region of fixed height, as the built-in templates do"
    )]
    NoLayoutFacts { what: &'static str, why: String },
    /// Something does not fit its place: printing it would cut part of it off.
    #[error("the {what} cannot show {} in full: it does not fit its place on the page", .regions.iter().map(Region::describe).collect::<Vec<_>>().join("; "))]
    Clipped {
        what: &'static str,
        regions: Vec<Region>,
    },
    /// Text set smaller than [`MIN_TEXT_PT`].
    #[error("the {what} sets text at {size:.2} pt; nothing may be smaller than 8 pt")]
    TextTooSmall { what: &'static str, size: f64 },
    /// PDF export failed (for example a PDF/A rule was broken).
    #[error("PDF export of the {what} failed:\n{diagnostics}")]
    Export {
        what: &'static str,
        diagnostics: Diagnostics,
    },
    /// The data could not be serialized.
    #[error("document data could not be serialized: {0}")]
    Data(#[from] serde_json::Error),
    /// The timestamp cannot be a PDF date, or Typst could not be set up.
    #[error("renderer setup failed: {0}")]
    Setup(String),
}

/// One file embedded in the PDF (a PDF/A-3b associated file).
#[derive(Debug, Clone)]
pub struct Attachment {
    /// File name inside the PDF (`check-report.json`): letters, digits, `.`, `-`, `_` only.
    pub name: String,
    /// What it is, shown by PDF readers.
    pub description: String,
    /// Media type (`application/json`).
    pub mime: String,
    /// The exact bytes.
    pub bytes: Vec<u8>,
}

/// A parsed document template with its fonts: build once, render many (`Send + Sync`).
pub struct DocumentRenderer {
    what: &'static str,
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: Source,
    logo: Option<Bytes>,
    standards: PdfStandards,
    /// False in preview mode: no virtual file is served, the template uses its sample data.
    serve_files: bool,
}

impl std::fmt::Debug for DocumentRenderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocumentRenderer")
            .field("what", &self.what)
            .field("fonts", &self.fonts.len())
            .field("logo", &self.logo.is_some())
            .finish_non_exhaustive()
    }
}

impl DocumentRenderer {
    /// A renderer for the document `what` (used in messages) from `template_source`, drawing
    /// text with `fonts` and, when given, the `logo` (bytes and format, `png` or `svg`: served
    /// as `/logo.png` whatever the format; the template sees `sys.inputs.logo == "1"` and the
    /// format as `sys.inputs.logo-format`). The template sees `sys.inputs.ceu == "1"`, and
    /// `sys.inputs.fonts`: the family names of the fonts of `fonts` after the bundled ones
    /// (the provider's, `crate::provider::font_families`), to list after its own font.
    ///
    /// # Errors
    /// [`DocumentError::Setup`] when Typst cannot be set up.
    pub fn new(
        what: &'static str,
        template_source: String,
        fonts: Vec<Font>,
        logo: Option<(Vec<u8>, &'static str)>,
    ) -> Result<DocumentRenderer, DocumentError> {
        DocumentRenderer::build(what, template_source, fonts, logo, true)
    }

    /// Compiles `template_source` as a stock Typst editor would (no `ceu` input, no virtual
    /// files: the template must fall back to its sample data) and exports it, checking its
    /// layout facts. Lets a designer, and the tests, check that a template previews alone.
    ///
    /// # Errors
    /// As [`DocumentRenderer::render`].
    pub fn preview(what: &'static str, template_source: String) -> Result<Vec<u8>, DocumentError> {
        let renderer = DocumentRenderer::build(
            what,
            template_source,
            crate::provider::font_list(&[]),
            None,
            false,
        )?;
        let epoch = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
        renderer.render(&serde_json::Value::Null, &[], "preview", epoch)
    }

    fn build(
        what: &'static str,
        template_source: String,
        fonts: Vec<Font>,
        logo: Option<(Vec<u8>, &'static str)>,
        ceu_mode: bool,
    ) -> Result<DocumentRenderer, DocumentError> {
        let book = FontBook::from_fonts(&fonts);
        let mut inputs = Dict::new();
        if ceu_mode {
            inputs.insert("ceu".into(), "1".into_value());
            if let Some((_, format)) = &logo {
                inputs.insert("logo".into(), "1".into_value());
                inputs.insert("logo-format".into(), (*format).into_value());
            }
            let bundled = crate::provider::bundled_font_count().min(fonts.len());
            let families: Array = crate::provider::font_families(&fonts[bundled..])
                .into_iter()
                .map(IntoValue::into_value)
                .collect();
            inputs.insert("fonts".into(), families.into_value());
        }
        let library = Library::builder().with_inputs(inputs).build();
        let main_id = world::main_id()?;
        Ok(DocumentRenderer {
            what,
            library: LazyHash::new(library),
            book: LazyHash::new(book),
            fonts,
            main: Source::new(main_id, template_source),
            logo: logo.map(|(bytes, _)| Bytes::new(bytes)),
            standards: crate::render::standards()
                .map_err(|e| DocumentError::Setup(e.to_string()))?,
            serve_files: ceu_mode,
        })
    }

    /// Renders one document: `data` serialized as `/data.json`, each attachment embedded by
    /// the template (it attaches what `/attachments.json` lists), `pdf_id` as the PDF `/ID`,
    /// `timestamp` as the creation date and the template's `today`. Same inputs, same bytes.
    ///
    /// The layout is checked first: a region reported as not fitting, text under 8 pt or a
    /// template reporting no layout facts is an error (any number of pages is fine).
    ///
    /// # Errors
    /// [`DocumentError`]: compile or export diagnostics located in the template, layout facts.
    pub fn render(
        &self,
        data: &impl serde::Serialize,
        attachments: &[Attachment],
        pdf_id: &str,
        timestamp: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<u8>, DocumentError> {
        let what = self.what;
        let pdf_time = crate::render::pdf_timestamp(timestamp)
            .map_err(|e| DocumentError::Setup(e.to_string()))?;
        let listing: Vec<serde_json::Value> = attachments
            .iter()
            .map(|a| {
                serde_json::json!({
                    "path": format!("/{}", a.name),
                    "description": a.description,
                    "mime": a.mime,
                })
            })
            .collect();
        let world = world::DocumentWorld {
            renderer: self,
            data: Bytes::new(serde_json::to_vec(data)?),
            listing: Bytes::new(serde_json::to_vec(&listing)?),
            attachments,
            now: timestamp,
        };
        let Warned { output, .. } = typst::compile::<PagedDocument>(&world);
        let document = output.map_err(|errors| DocumentError::Template {
            what,
            diagnostics: Renderer::diagnostics(&world, &errors),
        })?;
        let layout = Layout::of(&document).map_err(|e| DocumentError::NoLayoutFacts {
            what,
            why: e.to_string(),
        })?;
        self.check_layout(&layout)?;
        let options = PdfOptions {
            ident: Smart::Custom(pdf_id.to_owned()),
            timestamp: Some(pdf_time),
            standards: self.standards.clone(),
            ..PdfOptions::default()
        };
        let pdf = typst_pdf::pdf(&document, &options).map_err(|errors| DocumentError::Export {
            what,
            diagnostics: Renderer::diagnostics(&world, &errors),
        });
        typst::comemo::evict(2);
        pdf
    }

    /// Refuses a layout that cuts off or shrinks what it must show.
    fn check_layout(&self, layout: &Layout) -> Result<(), DocumentError> {
        let clipped: Vec<Region> = layout.clipped().cloned().collect();
        if !clipped.is_empty() {
            return Err(DocumentError::Clipped {
                what: self.what,
                regions: clipped,
            });
        }
        let smallest = layout.smallest_text_pt.min(layout.stated_min_text_pt);
        if smallest < MIN_TEXT_PT - 1e-6 {
            return Err(DocumentError::TextTooSmall {
                what: self.what,
                size: smallest,
            });
        }
        Ok(())
    }
}
