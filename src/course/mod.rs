//! The offering record, `records/<offering>/course.toml`: identity, provider, speakers and
//! planners with their disclosures, the agenda, credit per accrediting body and the completion
//! policy. Schema: docs/course-record.md.
//!
//! Every table denies unknown keys, so a typo (`nonfinancal = …`) is an error naming the key,
//! the file and the line rather than a disclosure silently missing.

mod values;

pub use values::Decimal;
use values::{date_field, opt_date_field, time_field};

use crate::findings::Location;
use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer};
use serde_spanned::Spanned;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Why a course record could not be used at all (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum CourseError {
    #[error("{path}: cannot read the course record: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    /// `excerpt` is the offending line with a caret under the value ([`crate::excerpt`]), or
    /// empty.
    #[error("{location}: {message}{excerpt}")]
    Invalid {
        location: Location,
        message: String,
        excerpt: String,
    },
}

/// The whole course record.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Course {
    pub offering: OfferingInfo,
    pub provider: Provider,
    #[serde(default, rename = "speaker")]
    pub speakers: Vec<Spanned<Speaker>>,
    #[serde(default)]
    pub agenda: Vec<Spanned<AgendaBlock>>,
    #[serde(default)]
    pub credit: Credit,
    pub completion: Spanned<Completion>,
    #[serde(default)]
    pub attendance: AttendanceSettings,
    /// Documented ASHA partial-credit exceptions (emergencies) granted by the provider.
    #[serde(default, rename = "exception")]
    pub exceptions: Vec<Spanned<Exception>>,
    #[serde(default)]
    pub rules: RuleSettings,
    /// `[inputs]`: how input files are read (docs/course-record.md, "Input encodings").
    #[serde(default)]
    pub inputs: InputSettings,
}

/// `[inputs]` settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputSettings {
    /// `[inputs.encoding]`: the encoding of a text input, keyed by its path in the offering
    /// folder (`"roster.csv"`, `"attendance/day1.csv"`), as a WHATWG label encoding_rs knows
    /// (`"windows-1250"`, `"ISO-8859-2"`, `"macintosh"`). Checked when the record is read.
    #[serde(default)]
    pub encoding: BTreeMap<String, Spanned<String>>,
}

impl InputSettings {
    /// The declared encoding of the input at `key` (a path in the offering folder).
    pub fn encoding_of(&self, key: &str) -> Option<&'static encoding_rs::Encoding> {
        let label = self.encoding.get(key)?;
        encoding_rs::Encoding::for_label_no_replacement(label.get_ref().trim().as_bytes())
    }
}

/// Offering identity.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfferingInfo {
    /// Stable offering id, e.g. "SER2-2025-03-CAL" (part of every certificate id).
    pub id: Spanned<String>,
    pub title: Spanned<String>,
    #[serde(default)]
    pub description: String,
    pub location: String,
    /// IANA time zone of the venue (times without a zone are read in it).
    pub time_zone: Spanned<String>,
    /// Delivery format: live, live-online, recorded, home-study.
    pub format: Spanned<String>,
    /// Instructional level: Introductory, Intermediate, Advanced or Various.
    pub level: Spanned<String>,
    /// ASHA content area: B, P or R.
    #[serde(default)]
    pub content_area: Option<Spanned<String>>,
    #[serde(default)]
    pub learning_outcomes: Option<Spanned<Vec<String>>>,
    /// The course focuses on one product or service, or a narrow set of them
    /// (ASHA-DISCLOSE-10).
    #[serde(default)]
    pub single_product_focus: Option<Spanned<bool>>,
    /// The statement learners see before enrolling that the course gives limited or no
    /// information on similar products or services (ASHA-DISCLOSE-10).
    #[serde(default)]
    pub content_disclosure: Option<String>,
    /// Who gives the course external financial or in-kind support (ASHA-DISCLOSE-11).
    #[serde(default)]
    pub support: Option<Spanned<Vec<String>>>,
    /// The statement that discloses that support to learners (ASHA-DISCLOSE-11).
    #[serde(default)]
    pub support_disclosure: Option<String>,
    #[serde(deserialize_with = "date_field")]
    pub start_date: NaiveDate,
    #[serde(deserialize_with = "date_field")]
    pub end_date: NaiveDate,
}

/// The provider and who signs for it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    pub name: String,
    /// Address or email printed on certificates.
    #[serde(default)]
    pub contact: String,
    /// The provider's verification site (`ceu publish`): when set, QR codes open it and
    /// certificates print its short address.
    #[serde(default, deserialize_with = "verify_url_field")]
    pub verify_url: Option<String>,
    pub signatory: Signatory,
    /// A second signatory (usually the instructor; NCBTMB asks organizations for both the
    /// administrator's and the instructor's signature, compliance.md §4), printed beside the
    /// first. Signs with its `signature_image` or `provider/signature-2.png`
    /// (docs/provider-assets.md).
    #[serde(default)]
    pub second_signatory: Option<Signatory>,
}

/// `verify_url`: an https address without fragment or query (`crate::verification_code`).
fn verify_url_field<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    let url = String::deserialize(deserializer)?;
    crate::verification_code::check_verify_url(&url).map_err(serde::de::Error::custom)?;
    Ok(Some(url))
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signatory {
    pub name: String,
    #[serde(default)]
    pub title: String,
    /// Optional PNG of the signature, relative to the offering folder.
    #[serde(default)]
    pub signature_image: Option<PathBuf>,
}

/// A speaker or planner (`[[speaker]]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Speaker {
    pub name: String,
    /// instructor, planner, or both ("instructor, planner").
    pub role: String,
    /// The speaker's email (optional). Attendance rows with it that match nobody on the roster
    /// are the speaker's own, not an attendee's: they are listed as not-attendees and block
    /// nothing (docs/attendance.md, "Hosts, organizers and speakers").
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub disclosure: Option<Spanned<Disclosure>>,
}

impl Speaker {
    pub fn is_instructor(&self) -> bool {
        self.role.to_ascii_lowercase().contains("instructor")
            || self.role.to_ascii_lowercase().contains("speaker")
    }
}

/// `[speaker.disclosure]`: both statements are required; an explicit "no relationship"
/// statement is a string too.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disclosure {
    #[serde(default)]
    pub financial: Option<String>,
    #[serde(default)]
    pub nonfinancial: Option<String>,
    /// When the disclosure was collected.
    #[serde(default, deserialize_with = "opt_date_field")]
    pub date: Option<NaiveDate>,
    /// The person refused to disclose (ASHA-DISCLOSE-9: they may not teach or plan).
    #[serde(default)]
    pub refused: bool,
}

/// What kind of agenda block this is (compliance.md §3 "course definition").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlockKind {
    Instruction,
    Break,
    Meal,
    /// A meal with a germane presentation: only `presentation_minutes` count.
    WorkingMeal,
    Assessment,
    Evaluation,
    Social,
    Business,
}

impl BlockKind {
    pub fn name(self) -> &'static str {
        match self {
            BlockKind::Instruction => "instruction",
            BlockKind::Break => "break",
            BlockKind::Meal => "meal",
            BlockKind::WorkingMeal => "working-meal",
            BlockKind::Assessment => "assessment",
            BlockKind::Evaluation => "evaluation",
            BlockKind::Social => "social",
            BlockKind::Business => "business",
        }
    }
}

/// One `[[agenda]]` block, in the offering's time zone.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgendaBlock {
    #[serde(deserialize_with = "date_field")]
    pub date: NaiveDate,
    #[serde(deserialize_with = "time_field")]
    pub start: NaiveTime,
    #[serde(deserialize_with = "time_field")]
    pub end: NaiveTime,
    pub kind: BlockKind,
    #[serde(default)]
    pub title: String,
    /// Working meals: minutes of germane presentation within the meal.
    #[serde(default)]
    pub presentation_minutes: Option<i64>,
}

impl AgendaBlock {
    pub fn minutes(&self) -> i64 {
        (self.end - self.start).num_minutes()
    }
}

/// Credit per accrediting body; a body is offered when its table is present.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credit {
    pub asha: Option<Spanned<AshaCredit>>,
    pub ncbtmb: Option<Spanned<NcbtmbCredit>>,
    pub aota: Option<Spanned<AotaCredit>>,
    pub iacet: Option<Spanned<IacetCredit>>,
    pub pt: Option<Spanned<PtCredit>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AshaCredit {
    /// Four-letter ASHA provider code (ASHA-COURSE-1).
    pub provider_code: Spanned<String>,
    #[serde(default)]
    pub course_number: String,
    #[serde(default)]
    pub offering_number: String,
    /// ASHA CEUs the course was registered for, e.g. "2.60".
    pub ceus: Spanned<Decimal>,
    /// Contact hours as registered, when stated (must equal CEUs x 10; ASHA-CEU-2).
    #[serde(default)]
    pub contact_hours: Option<Spanned<Decimal>>,
    /// Registered as available for partial credit (ASHA-PARTIAL-1).
    #[serde(default)]
    pub partial_credit: bool,
    /// ASHA subject code (ASHA-COURSE-7; the code list is UNCONFIRMED, so any non-blank
    /// value is accepted).
    #[serde(default)]
    pub subject_code: String,
    /// The course was registered with ASHA as one a person may repeat for credit. Default
    /// false: a person already reported for the course in another offering is not reported
    /// again (ASHA-ELIG-4).
    #[serde(default)]
    pub repeats_allowed: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NcbtmbCredit {
    pub provider_number: String,
    /// The course title exactly as in the NCBTMB directory (NCBTMB-CE-3).
    pub approved_title: Option<String>,
    /// CE hours the course was approved for (printed on every certificate).
    pub approved_hours: Option<Spanned<Decimal>>,
    #[serde(default)]
    pub approval_number: String,
    /// The course gives a test: NCBTMB credit then needs it passed (the roster's
    /// `assessment_completed`), and the certificate is a "Certificate of Achievement" rather
    /// than "of Completion" (NCBTMB-COMPLETE-1). Distinct from `[completion]
    /// assessment_required`, which is the provider's completion policy (ASHA-COMPLETE-2).
    #[serde(default)]
    pub test: bool,
    /// When NCBTMB approved the course (NCBTMB-COURSE-1: on or before the start).
    #[serde(default, deserialize_with = "opt_date_field")]
    pub course_approved_on: Option<NaiveDate>,
    /// The last day of the provider's Approved Provider term (NCBTMB-PROVIDER-1).
    #[serde(default, deserialize_with = "opt_date_field")]
    pub ap_valid_until: Option<NaiveDate>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AotaCredit {
    pub provider_number: String,
    /// AOTA APP approval id of this activity (AOTA-COURSE-1).
    #[serde(default)]
    pub approval_id: Option<String>,
    /// Contact hours approved (AOTA CEUs = contact hours / 10).
    pub contact_hours: Spanned<Decimal>,
    /// Approved-provider statement printed on certificates (AOTA-CERT-1).
    #[serde(default)]
    pub statement: String,
    /// When AOTA approved the activity (AOTA-COURSE-1: on or before the start).
    #[serde(default, deserialize_with = "opt_date_field")]
    pub approved_on: Option<NaiveDate>,
    /// The last day of the provider's AOTA recognition (AOTA-PROVIDER-1).
    #[serde(default, deserialize_with = "opt_date_field")]
    pub valid_until: Option<NaiveDate>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IacetCredit {
    pub provider_number: String,
    /// IACET CEUs approved, e.g. "2.6".
    pub ceus: Spanned<Decimal>,
    /// The official AP statement (IACET-CERT-1).
    #[serde(default)]
    pub statement: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PtCredit {
    /// Board course approval number, printed on certificates.
    pub approval_number: String,
    /// Contact hours approved.
    pub contact_hours: Spanned<Decimal>,
    /// Minutes per contact hour (60; Alabama counts 50: PT-AL-1).
    #[serde(default = "sixty")]
    pub minutes_per_hour: i64,
}

fn sixty() -> i64 {
    60
}

/// How attendance decides completion.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Completion {
    /// The satisfactory-completion requirements as told to learners (ASHA-COMPLETE-1).
    #[serde(default)]
    pub requirements: String,
    /// "full" (every instructional minute, less grace) or "minimum" (a share).
    #[serde(default = "full")]
    pub attendance: String,
    /// For "minimum": the share of instructional minutes required, in percent.
    #[serde(default)]
    pub minimum_percent: Option<i64>,
    /// Minutes an attendee may miss and still count as attending in full.
    #[serde(default)]
    pub grace_minutes: i64,
    /// A learning assessment must be completed (required by ASHA from 2025-07-01).
    #[serde(default)]
    pub assessment_required: bool,
    /// The lowest score, in percent of the maximum (0-100), at which an attempt in an LMS
    /// export in `assessment/` counts as completing the assessment; none means any submitted
    /// attempt counts, graded or not (ASHA-COMPLETE-2; docs/assessment.md).
    #[serde(default)]
    pub assessment_min_score_percent: Option<u8>,
}

fn full() -> String {
    "full".into()
}

/// `[attendance]` settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttendanceSettings {
    /// Per-file settings keyed by file name in `attendance/`, e.g. a Zoom report written in the
    /// host account's time zone.
    #[serde(default)]
    pub files: BTreeMap<String, FileSettings>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSettings {
    pub time_zone: String,
}

/// An ASHA partial-credit exception for one attendee (emergency; ASHA-PARTIAL-1).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    pub attendee: String,
    pub reason: String,
    pub approved_by: String,
}

/// Settings for rules whose thresholds are UNCONFIRMED in compliance.md.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSettings {
    /// ASHA minimum course length in CEUs (ASHA-CEU-5; UNCONFIRMED, default 0.10).
    #[serde(default = "asha_minimum")]
    pub asha_minimum_ceus: Decimal,
    /// Whether ASHA counts assessment blocks as instruction (UNCONFIRMED; default no).
    #[serde(default)]
    pub asha_counts_assessment: bool,
    /// Days after the end date by which ASHA must have the participants (ASHA-REPORT-1).
    #[serde(default = "forty_five")]
    pub asha_report_days: i64,
    /// Years the provider keeps the offering's records and certificates (ASHA-RECORD-1,
    /// NCBTMB-RECORD-1, IACET-RECORD-1; default 7).
    #[serde(default = "seven")]
    pub retention_years: i64,
    /// The ASHA subject codes the provider uses (ASHA-COURSE-7). ASHA's list is UNCONFIRMED,
    /// so by default (empty) any non-blank `subject_code` is accepted.
    #[serde(default)]
    pub asha_subject_codes: Vec<String>,
}

fn seven() -> i64 {
    7
}

impl Default for RuleSettings {
    fn default() -> Self {
        RuleSettings {
            asha_minimum_ceus: asha_minimum(),
            asha_counts_assessment: false,
            asha_report_days: forty_five(),
            retention_years: seven(),
            asha_subject_codes: Vec::new(),
        }
    }
}

fn asha_minimum() -> Decimal {
    Decimal {
        hundredths: 10,
        text: "0.10".into(),
    }
}

fn forty_five() -> i64 {
    45
}

/// The 1-based line of byte offset `offset` in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// A loaded course record together with its source, so findings can point at lines.
#[derive(Debug, Clone)]
pub struct CourseRecord {
    pub course: Course,
    pub time_zone: Tz,
    /// The text as read (for line lookups).
    pub source: String,
    /// Path shown in messages.
    pub display_path: PathBuf,
    /// SHA-256 of the exact file bytes.
    pub sha256: [u8; 32],
}

impl CourseRecord {
    /// Location of a spanned value.
    pub fn at<T>(&self, spanned: &Spanned<T>) -> Location {
        Location::line(
            &self.display_path,
            line_of(&self.source, spanned.span().start),
        )
    }

    /// Location of the file itself.
    pub fn file(&self) -> Location {
        Location::file(&self.display_path)
    }
}

/// Reads and parses `path`. Unknown keys, wrong types and bad values are errors naming the
/// key, file and line; problems of substance are left to `rules`.
pub fn load(path: &Path, display: &Path) -> Result<CourseRecord, CourseError> {
    let bytes = std::fs::read(path).map_err(|source| CourseError::Io {
        path: display.display().to_string(),
        source,
    })?;
    let sha256 = crate::sign::sha256(&bytes);
    let source = String::from_utf8(bytes).map_err(|error| CourseError::Invalid {
        location: Location::line(
            display,
            1 + error.as_bytes()[..error.utf8_error().valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count(),
        ),
        message: "the course record is not UTF-8 text: save it as UTF-8".into(),
        excerpt: String::new(),
    })?;
    let course: Course = toml::from_str(&source).map_err(|error| {
        let line = error
            .span()
            .map(|span| line_of(&source, span.start))
            .unwrap_or(1);
        let column = error
            .span()
            .map(|span| {
                let start = span.start.min(source.len());
                let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
                source[line_start..start].chars().count() + 1
            })
            .unwrap_or(1);
        CourseError::Invalid {
            location: Location::line(display, line).with_column(column),
            message: explain_toml_error(error.message()),
            excerpt: error
                .span()
                .map(|span| crate::excerpt::excerpt(&source, span))
                .unwrap_or_default(),
        }
    })?;
    // The template's placeholder is reported by RECORD-PLACEHOLDER (with every other one)
    // rather than stopping the check; times are read as UTC until it is replaced.
    let zone_text = course.offering.time_zone.get_ref();
    let time_zone: Tz = if crate::placeholders::is_placeholder(zone_text) {
        Ok(chrono_tz::UTC)
    } else {
        zone_text.parse()
    }
    .map_err(|_| CourseError::Invalid {
        location: Location::line(display, line_of(&source, course.offering.time_zone.span().start)),
        message: format!(
            "`{}` is not an IANA time zone: write one such as \"America/Edmonton\" or \"America/New_York\"",
            course.offering.time_zone.get_ref()
        ),
        excerpt: crate::excerpt::excerpt(&source, course.offering.time_zone.span()),
    })?;
    check_encodings(&course.inputs, &source, display)?;
    for (name, settings) in &course.attendance.files {
        if settings.time_zone.parse::<Tz>().is_err() {
            return Err(CourseError::Invalid {
                location: Location::file(display),
                message: format!(
                    "[attendance.files.\"{name}\"] time_zone `{}` is not an IANA time zone (e.g. \"America/New_York\")",
                    settings.time_zone
                ),
                excerpt: String::new(),
            });
        }
    }
    Ok(CourseRecord {
        course,
        time_zone,
        source,
        display_path: display.to_path_buf(),
        sha256,
    })
}

/// Errors: an `[inputs.encoding]` label that names no encoding, at its line.
fn check_encodings(
    inputs: &InputSettings,
    source: &str,
    display: &Path,
) -> Result<(), CourseError> {
    for (key, label) in &inputs.encoding {
        if inputs.encoding_of(key).is_none() {
            return Err(CourseError::Invalid {
                location: Location::line(display, line_of(source, label.span().start)),
                message: format!(
                    "[inputs.encoding] \"{key}\" = \"{}\" is not an encoding label: write one such as \"windows-1250\" (Central European), \"ISO-8859-2\", \"windows-1252\" or \"macintosh\" (docs/course-record.md, \"Input encodings\")",
                    label.get_ref()
                ),
                excerpt: crate::excerpt::excerpt(source, label.span()),
            });
        }
    }
    Ok(())
}

/// Rewords serde's messages for administrators ("unknown field" -> "unknown key").
fn explain_toml_error(message: &str) -> String {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("unknown field ") {
        return format!(
            "unknown key {rest}; check the spelling (docs/course-record.md lists every key)"
        );
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("missing key {rest}: add it (docs/course-record.md)");
    }
    message.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact_hundredths() {
        assert_eq!(Decimal::parse("2.60").unwrap().hundredths, 260);
        assert_eq!(Decimal::parse("2.6").unwrap().hundredths, 260);
        assert_eq!(Decimal::parse("31").unwrap().hundredths, 3100);
        assert_eq!(Decimal::parse("0.05").unwrap().hundredths, 5);
        assert!(Decimal::parse("2.605").is_none());
        assert!(Decimal::parse("-1").is_none());
        assert!(Decimal::parse("two").is_none());
    }
}
