//! Layout facts: what a compiled certificate says about its own page.
//!
//! The template measures each region of fixed height after layout and reports, as `metadata`
//! labelled `<ceu-layout>`, whether what it holds fits (`(region, fields, fits, width,
//! line-size)`), plus one summary fact (`(layout: "ceu-layout/1", min-text, credits,
//! credits-continued, disclosures, disclosures-continued)`). They are read here the way
//! `typst query` reads metadata: from the compiled document's introspector, by label. A
//! template that reports no summary fact is refused: ceu cannot tell whether it clips.
//!
//! Independently of what the template says, the smallest font size of every laid-out glyph run
//! is taken from the page frames, so "nothing under 8 pt" is checked on the real layout.

use serde::Deserialize;
use typst::foundations::{Label, Selector};
use typst::introspection::{Introspector, MetadataElem};
use typst::layout::{Frame, FrameItem};
use typst::utils::PicoStr;
use typst_layout::PagedDocument;

use super::RenderError;

/// The label of every layout fact.
pub const LAYOUT_LABEL: &str = "ceu-layout";
/// The version tag of the summary fact this ceu reads.
pub const LAYOUT_VERSION: &str = "ceu-layout/1";
/// No text on a certificate may be set smaller than this, in points.
pub const MIN_TEXT_PT: f64 = 8.0;

/// One region of fixed height whose content does not fit (and is clipped).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Region {
    /// The template's name for the region, e.g. `holder-name`.
    pub region: String,
    /// The certificate-data fields it shows, e.g. `holder.name`, `offering.title`.
    #[serde(default)]
    pub fields: Vec<String>,
    /// Whether what it holds fits.
    pub fits: bool,
    /// Its width in points, when reported.
    #[serde(default)]
    pub width: Option<f64>,
    /// For a region that sets its fields on one line shrinking down to a floor: that floor in
    /// points. A value whose one-line width at this size is at most `width` fits for certain.
    #[serde(default, rename = "line-size")]
    pub line_size: Option<f64>,
}

impl Region {
    /// Whether the region shows the holder's own details (`holder.*`): an attendee's data,
    /// not the offering's.
    pub fn is_attendee(&self) -> bool {
        self.fields.iter().any(|f| f.starts_with("holder."))
    }

    /// Adds another fact about the same region.
    fn merge(&mut self, other: Region) {
        self.fits &= other.fits;
        for field in other.fields {
            if !self.fields.contains(&field) {
                self.fields.push(field);
            }
        }
        self.width = self.width.or(other.width);
        self.line_size = self.line_size.or(other.line_size);
    }

    /// The fields it shows, for messages (`holder.name`, or the region name when none).
    pub fn describe(&self) -> String {
        if self.fields.is_empty() {
            format!("the template's `{}` text", self.region)
        } else {
            self.fields.join(", ")
        }
    }
}

/// The summary fact.
#[derive(Debug, Clone, Deserialize)]
struct Summary {
    layout: String,
    #[serde(rename = "min-text")]
    min_text: f64,
    #[serde(default)]
    credits: usize,
    #[serde(default, rename = "credits-continued")]
    credits_continued: usize,
    #[serde(default)]
    disclosures: usize,
    #[serde(default, rename = "disclosures-continued")]
    disclosures_continued: usize,
    #[serde(default, rename = "credit-width")]
    credit_width: Option<f64>,
    #[serde(default, rename = "credit-line-size")]
    credit_line_size: Option<f64>,
}

/// What one compiled certificate reports about its layout.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Pages laid out (1, or more when credits or disclosures continue).
    pub pages: usize,
    /// The smallest size the template says it sets text at, in points.
    pub stated_min_text_pt: f64,
    /// The smallest size of any laid-out glyph run, in points (`f64::INFINITY` with no text).
    pub smallest_text_pt: f64,
    /// Every region the template reported, in document order.
    pub regions: Vec<Region>,
    /// Credit blocks (with the note on credit not awarded): in all, and continued on page 2.
    pub credits: usize,
    pub credits_continued: usize,
    /// Speaker disclosures: in all, and continued on page 2.
    pub disclosures: usize,
    pub disclosures_continued: usize,
    /// When the template sets each credit line on a line of its own: the credit column's
    /// width and the lines' size, in points.
    pub credit_line: Option<(f64, f64)>,
}

impl Layout {
    /// Reads the facts of a compiled document.
    ///
    /// # Errors
    /// [`RenderError::NoLayoutFacts`] when the summary fact is missing, not unique, of another
    /// version, or a fact cannot be read.
    pub(crate) fn of(document: &PagedDocument) -> Result<Layout, RenderError> {
        let label = Label::new(PicoStr::intern(LAYOUT_LABEL))
            .ok_or_else(|| RenderError::Setup("layout label".into()))?;
        let facts = document.introspector().query(&Selector::Label(label));
        let mut summary: Option<Summary> = None;
        let mut regions = Vec::new();
        for fact in facts.iter() {
            let Some(metadata) = fact.to_packed::<MetadataElem>() else {
                continue;
            };
            let json = serde_json::to_value(&metadata.value)
                .map_err(|e| RenderError::NoLayoutFacts(format!("a fact is not data: {e}")))?;
            if json.get("layout").is_some() {
                if summary.is_some() {
                    return Err(RenderError::NoLayoutFacts(
                        "the summary fact `(layout: ...)` is reported more than once".into(),
                    ));
                }
                summary = Some(serde_json::from_value(json).map_err(|e| {
                    RenderError::NoLayoutFacts(format!("the summary fact cannot be read: {e}"))
                })?);
            } else {
                let fact: Region = serde_json::from_value(json).map_err(|e| {
                    RenderError::NoLayoutFacts(format!("a region fact cannot be read: {e}"))
                })?;
                // Several facts about one region (its height, a word too wide for a line)
                // make one: it fits when every fact says so.
                match regions
                    .iter_mut()
                    .find(|r: &&mut Region| r.region == fact.region)
                {
                    Some(region) => region.merge(fact),
                    None => regions.push(fact),
                }
            }
        }
        let summary = summary.ok_or_else(|| {
            RenderError::NoLayoutFacts("no summary fact `(layout: \"ceu-layout/1\", ...)`".into())
        })?;
        if summary.layout != LAYOUT_VERSION {
            return Err(RenderError::NoLayoutFacts(format!(
                "the summary fact is `{}`; this ceu reads `{LAYOUT_VERSION}`",
                summary.layout
            )));
        }
        let smallest_text_pt = document
            .pages()
            .iter()
            .map(|page| smallest_text(&page.frame))
            .fold(f64::INFINITY, f64::min);
        Ok(Layout {
            pages: document.pages().len(),
            stated_min_text_pt: summary.min_text,
            smallest_text_pt,
            regions,
            credits: summary.credits,
            credits_continued: summary.credits_continued,
            disclosures: summary.disclosures,
            disclosures_continued: summary.disclosures_continued,
            credit_line: summary.credit_width.zip(summary.credit_line_size),
        })
    }

    /// The regions whose content does not fit.
    pub fn clipped(&self) -> impl Iterator<Item = &Region> {
        self.regions.iter().filter(|r| !r.fits)
    }

    /// Whether anything continues on a second page.
    pub fn continues(&self) -> bool {
        self.credits_continued + self.disclosures_continued > 0
    }
}

/// The smallest font size of any glyph run in `frame` and its groups, in points.
fn smallest_text(frame: &Frame) -> f64 {
    frame
        .items()
        .map(|(_, item)| match item {
            FrameItem::Text(text) if !text.glyphs.is_empty() => text.size.to_pt(),
            FrameItem::Group(group) => smallest_text(&group.frame),
            _ => f64::INFINITY,
        })
        .fold(f64::INFINITY, f64::min)
}

/// The widest advance any bundled font gives each character, in em: an upper bound on how
/// wide a value set on one line can be, so `check` can skip laying out a certificate whose
/// holder line certainly fits (the decision for every value near the limit still comes from
/// a real layout). Covers U+0000 to U+052F (Latin, Greek, Cyrillic); a value with any other
/// character is always laid out.
#[derive(Debug, Clone)]
pub(super) struct Advances {
    /// `widest[c]`: the widest advance of character `c` in any font, in em; `None` when no
    /// font has it.
    widest: Vec<Option<f64>>,
}

/// Characters below this have a precomputed widest advance.
const ADVANCE_TABLE: u32 = 0x530;

/// Kerning and shaping can widen a run a little beyond the sum of its advances; this margin
/// (in em, plus a share of the width) keeps the bound an upper bound.
const SLACK_EM: f64 = 2.0;
const SLACK_SHARE: f64 = 0.1;

impl Advances {
    pub(super) fn new(fonts: &[typst::text::Font]) -> Advances {
        let faces: Vec<ttf_parser::Face<'_>> = fonts
            .iter()
            .filter_map(|font| ttf_parser::Face::parse(font.data(), font.index()).ok())
            .collect();
        let widest = (0..ADVANCE_TABLE)
            .map(|code| {
                let c = char::from_u32(code)?;
                faces
                    .iter()
                    .filter_map(|face| {
                        let glyph = face.glyph_index(c)?;
                        let advance = f64::from(face.glyph_hor_advance(glyph)?);
                        Some(advance / f64::from(face.units_per_em()))
                    })
                    .reduce(f64::max)
            })
            .collect();
        Advances { widest }
    }

    /// An upper bound on the width of `text` set on one line at `size_pt`, in points; `None`
    /// when a character is outside the table or in no font.
    pub(super) fn bound(&self, text: &str, size_pt: f64) -> Option<f64> {
        let mut em = 0.0;
        for c in text.chars() {
            em += (*self.widest.get(usize::try_from(u32::from(c)).ok()?)?)?;
        }
        Some((em * (1.0 + SLACK_SHARE) + SLACK_EM) * size_pt)
    }
}
