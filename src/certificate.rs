//! What a certificate says and what is signed: the printed fields for one attendee
//! (`CertificateData`, rendered by `render`) and the signed certificate record that travels
//! inside the PDF.
//!
//! Each body words its own credit lines (compliance.md §1.7, §2 and §4), in its file under
//! `crate::bodies`: NCBTMB prints the approved title and hours as "CE hours" (never CEUs); AOTA
//! prints contact hours and AOTA CEUs with its statement; PT boards get the licence and
//! approval numbers; ASHA prints contact hours, not "ASHA CEUs" (ASHA-CERT-1). No line ever
//! says a bare "CEU" (GEN-3).

/// Kept here for callers that import it from `certificate`; it is worded by the bodies.
pub use crate::bodies::format_label;
use crate::bodies::{self, format_tenths};
use crate::course::Course;
/// Kept here for callers that import it from `certificate`; it is the offering's (an input's hash).
pub use crate::offering::InputHash;
use crate::render::{
    CertificateData, CreditBlock, Disclosure, Holder, OfferingInfo, ProviderInfo, Signatory,
};
use crate::roster::{Attendee, Body};
use crate::rules::{AttendeeOutcome, Status};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The payload type of a signed certificate record (DSSE `payloadType`).
pub const RECORD_PAYLOAD_TYPE: &str = "application/vnd.ceu.certificate-record+json";

/// The record schema this ceu writes, and the only one it reads.
///
/// The versioning rule, so that a certificate issued by one release verifies with the next:
/// within a schema, fields are only ever added, each with a serde default that says what
/// certificates without it meant; removing or renaming a field, or changing what one means,
/// is a new schema, and the verifier then keeps reading every schema ceu has issued.
pub const RECORD_SCHEMA: &str = "ceu-certificate-record/1";

/// The signed certificate record: the printed fields plus the provenance an auditor needs to
/// re-derive the decision (hashes only, no personal data beyond what is printed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateRecord {
    pub schema: String,
    pub certificate: CertificateData,
    /// RFC 3339 UTC issue time (also the PDF's creation date).
    pub issued_at: String,
    pub key_id: String,
    /// SHA-256 of the template source the PDF was rendered from.
    pub template_sha256: String,
    /// SHA-256 of each input the decision was made from (course record, roster, attendance).
    pub inputs: Vec<InputHash>,
    pub ceu_version: String,
    pub rules_version: String,
    /// The Typst version the page was rendered with (`major.minor.patch`). `None` in records
    /// issued before it was recorded (all rendered with the Typst then pinned, 0.15.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typst_version: Option<String>,
    /// SHA-256 and place of every file besides the data that the page was rendered from: a
    /// provider template, provider fonts, the logo, the signature images ([`AssetHash`],
    /// docs/provider-assets.md). `None` in records issued before assets were recorded: what
    /// they were rendered from beyond the template is then unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assets: Option<Vec<AssetHash>>,
    /// Lower-case hex SHA-256 of the provider's document-signing certificate (DER) whose PDF
    /// signature the file carries (see `cades`): the tie between the Ed25519 key that signs
    /// this record and the P-256 key that signs the PDF. `None` in records issued before ceu
    /// signed PDFs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdf_certificate_sha256: Option<String>,
}

/// One file a page was rendered from (docs/provider-assets.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetHash {
    /// What the file is on the page: `template:certificate` (a provider template; its hash is
    /// also `template_sha256`), `font:<file name>`, `logo`, `signature-1`, `signature-2`
    /// (the provider folder's), `signature-image`, `signature-image-2` (named in course.toml).
    pub role: String,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// Where the file lies, relative to the records root (`fonts/NotoSansDevanagari-Regular.ttf`,
    /// `provider/logo.png`, `SER2-2025-03-CAL/signature.png`), so offline verification can
    /// find it again. Added within record schema 1: absent in records signed before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

/// The assets `renderer` renders pages from, as a record names them (see
/// [`CertificateRecord::assets`]).
pub fn rendered_from(renderer: &crate::render::Renderer) -> Vec<AssetHash> {
    renderer
        .bound()
        .iter()
        .map(|bound| AssetHash {
            role: bound.role.clone(),
            sha256: bound.sha256.clone(),
            file: Some(bound.file.clone()).filter(|f| !f.is_empty()),
        })
        .collect()
}

/// The Typst version this ceu renders with (`major.minor.patch`), as records name it.
pub fn typst_version() -> &'static str {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    VERSION.get_or_init(|| {
        let v = typst::utils::version();
        format!("{}.{}.{}", v.major(), v.minor(), v.patch())
    })
}

impl CertificateRecord {
    /// The record of `certificate` as this version of ceu issues it (schema, ceu and rules
    /// versions filled in).
    pub fn new(
        certificate: CertificateData,
        issued_at: &str,
        key_id: &str,
        template_sha256: &str,
        inputs: Vec<InputHash>,
    ) -> CertificateRecord {
        CertificateRecord {
            schema: RECORD_SCHEMA.into(),
            certificate,
            issued_at: issued_at.to_string(),
            key_id: key_id.to_string(),
            template_sha256: template_sha256.to_string(),
            inputs,
            ceu_version: crate::VERSION.to_string(),
            rules_version: crate::rules::RULES_VERSION.to_string(),
            typst_version: Some(typst_version().to_string()),
            assets: Some(Vec::new()),
            pdf_certificate_sha256: None,
        }
    }
}

/// "6–9 March 2025", "28 February – 2 March 2025", "30 December 2025 – 2 January 2026".
pub fn date_range(start: NaiveDate, end: NaiveDate) -> String {
    let month = |d: NaiveDate| d.format("%B").to_string();
    if start == end {
        format!("{} {} {}", start.day(), month(start), start.year())
    } else if start.year() == end.year() && start.month() == end.month() {
        format!(
            "{}–{} {} {}",
            start.day(),
            end.day(),
            month(end),
            end.year()
        )
    } else if start.year() == end.year() {
        format!(
            "{} {} – {} {} {}",
            start.day(),
            month(start),
            end.day(),
            month(end),
            end.year()
        )
    } else {
        format!(
            "{} {} {} – {} {} {}",
            start.day(),
            month(start),
            start.year(),
            end.day(),
            month(end),
            end.year()
        )
    }
}

/// The credit blocks for the bodies that awarded credit, each worded by its body.
pub fn credit_blocks(
    course: &Course,
    attendee: &Attendee,
    outcome: &AttendeeOutcome,
) -> Vec<CreditBlock> {
    let mut blocks = Vec::new();
    for award in &outcome.credits {
        let Some(amount) = award.amount else {
            continue;
        };
        let body = bodies::of(award.body);
        let Some(lines) = body.credit_lines(course, attendee, amount) else {
            continue;
        };
        blocks.push(CreditBlock {
            body: body.heading().to_string(),
            lines,
        });
    }
    blocks
}

/// Which certificate an attendee receives; its title follows the bodies' rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateKind {
    /// Met the completion policy and holds credit from at least one body. When that includes
    /// NCBTMB credit, NCBTMB's 100 % attendance of a live course was met (NCBTMB-COMPLETE-1).
    Completion,
    /// NCBTMB credit for a course with a test (`[credit.ncbtmb] test = true`), test passed
    /// (NCBTMB-COMPLETE-1).
    Achievement,
    /// Partial credit (ASHA-PARTIAL-1).
    PartialCredit,
    /// Met the provider's completion policy but holds no credit from any body: the page says
    /// why in the credit note.
    Attendance,
}

impl CertificateKind {
    /// The kind of `outcome`'s certificate (for an attendee who receives one).
    pub fn of(course: &Course, outcome: &AttendeeOutcome) -> CertificateKind {
        let achievement = outcome
            .credits
            .iter()
            .any(|c| c.amount.is_some() && bodies::of(c.body).certifies_achievement(course));
        if !outcome.credits.iter().any(|c| c.amount.is_some()) {
            CertificateKind::Attendance
        } else if outcome.status == Status::Partial {
            CertificateKind::PartialCredit
        } else if achievement {
            CertificateKind::Achievement
        } else {
            CertificateKind::Completion
        }
    }

    /// The printed title.
    pub fn heading(self) -> &'static str {
        match self {
            CertificateKind::Completion => "Certificate of Completion",
            CertificateKind::Achievement => "Certificate of Achievement",
            CertificateKind::PartialCredit => "Certificate of Partial Credit",
            CertificateKind::Attendance => "Certificate of Attendance",
        }
    }

    /// The line under the holder's name.
    pub fn attests(self) -> &'static str {
        match self {
            CertificateKind::Completion => crate::render::ATTESTS_COMPLETED,
            CertificateKind::Achievement => {
                "has completed the continuing-education offering and passed its test"
            }
            CertificateKind::PartialCredit => "attended part of the continuing-education offering",
            CertificateKind::Attendance => "attended the continuing-education offering",
        }
    }
}

/// Why a body's credit the attendee requested is not awarded, in printable words: the
/// outcome's reason without code formatting, and without the words "ASHA CEUs", which a
/// certificate must not print (ASHA-CERT-1).
pub fn withheld_reason(award: &crate::rules::Award) -> String {
    award
        .reason
        .replace('`', "")
        .replace("ASHA CEUs", "ASHA credit")
}

/// The printed note on requested credit that is not awarded, one sentence per body (empty
/// when every requested body awarded credit). An attendee with no credit at all is told so
/// first, since their certificate is one of attendance.
pub fn credit_note(outcome: &AttendeeOutcome) -> String {
    let withheld: Vec<String> = outcome
        .credits
        .iter()
        .filter(|c| c.requested && c.amount.is_none())
        .map(|c| format!("{}: {}.", c.body.name(), withheld_reason(c)))
        .collect();
    let credited = outcome.credits.iter().any(|c| c.amount.is_some());
    match (credited, withheld.is_empty()) {
        (true, true) => String::new(),
        (true, false) => format!("Credit requested but not awarded. {}", withheld.join(" ")),
        (false, true) => {
            "No accrediting-body credit was requested: this certificate records attendance only."
                .into()
        }
        (false, false) => format!(
            "No continuing-education credit is awarded on this certificate. {}",
            withheld.join(" ")
        ),
    }
}

/// Everything printed on one attendee's certificate.
#[allow(clippy::too_many_arguments)]
pub fn certificate_data(
    course: &Course,
    attendee: &Attendee,
    outcome: &AttendeeOutcome,
    certificate_id: &str,
    revision: u32,
    verification_code: &str,
    issued_at: DateTime<Utc>,
) -> CertificateData {
    let offering = &course.offering;
    let kind = CertificateKind::of(course, outcome);
    CertificateData {
        certificate_id: certificate_id.to_string(),
        revision,
        verification_code: verification_code.to_string(),
        heading: kind.heading().to_string(),
        attests: kind.attests().to_string(),
        holder: holder(attendee),
        offering: OfferingInfo {
            id: offering.id.get_ref().clone(),
            title: offering.title.get_ref().clone(),
            dates: date_range(offering.start_date, offering.end_date),
            location: offering.location.clone(),
            format: format_label(offering.format.get_ref()),
            level: offering.level.get_ref().clone(),
        },
        instructional_hours: format_tenths(outcome.attended_minutes / 6),
        offering_hours: format_tenths(outcome.instructional_minutes / 6),
        disclosures: disclosures(course),
        provider: ProviderInfo {
            name: course.provider.name.clone(),
            contact: contact_line(&course.provider),
        },
        signatory: Signatory {
            name: course.provider.signatory.name.clone(),
            title: course.provider.signatory.title.clone(),
        },
        second_signatory: course
            .provider
            .second_signatory
            .as_ref()
            .map(|s| Signatory {
                name: s.name.clone(),
                title: s.title.clone(),
            }),
        credits: credit_blocks(course, attendee, outcome),
        credit_note: credit_note(outcome),
        statement: statement(outcome),
        issued_on: issued_on(issued_at, offering.time_zone.get_ref()),
        qr: crate::verification_code::qr_payload(
            course.provider.verify_url.as_deref(),
            certificate_id,
            revision,
            verification_code,
        ),
    }
}

/// The provider's contact line, ending with the verification site's short address when one is
/// configured (`[provider] verify_url`).
fn contact_line(provider: &crate::course::Provider) -> String {
    match &provider.verify_url {
        None => provider.contact.clone(),
        Some(url) => [
            provider.contact.as_str(),
            &format!("Verify at {}", crate::verification_code::short_url(url)),
        ]
        .iter()
        .filter(|part| !part.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" · "),
    }
}

/// The holder as printed: name, credential, and licence ("state number") when there is one.
fn holder(attendee: &Attendee) -> Holder {
    Holder {
        name: attendee.display_name(),
        credential: attendee.credential().trim().to_string(),
        license: if attendee.license_number().trim().is_empty() {
            String::new()
        } else {
            format!(
                "{} {}",
                attendee.license_state().trim(),
                attendee.license_number().trim()
            )
            .trim()
            .to_string()
        },
    }
}

/// Every speaker's disclosure as printed (empty statements when none is on record: `check`
/// has already refused such an offering, ASHA-DISCLOSE-1, -2).
fn disclosures(course: &Course) -> Vec<Disclosure> {
    course
        .speakers
        .iter()
        .map(|s| {
            let s = s.get_ref();
            let disclosure = s.disclosure.as_ref().map(|d| d.get_ref());
            Disclosure {
                name: s.name.clone(),
                role: s.role.clone(),
                financial: disclosure
                    .and_then(|d| d.financial.clone())
                    .unwrap_or_default(),
                nonfinancial: disclosure
                    .and_then(|d| d.nonfinancial.clone())
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// What the certificate attests, for a completer or for partial credit; with ASHA credit it
/// adds that the ASHA transcript, not the certificate, confirms it.
pub fn statement(outcome: &AttendeeOutcome) -> String {
    let has_asha = outcome
        .credits
        .iter()
        .any(|c| c.body == Body::Asha && c.amount.is_some());
    let partial = outcome.status == Status::Partial;
    let mut statement = String::from(if partial {
        "This certificate records that the holder attended the instructional time shown, which is part of this activity, and is awarded partial credit for it. It does not state that any accrediting body endorses the holder, the provider or the content."
    } else {
        "This certificate records that the holder attended the instructional time shown and met the provider's completion requirements for this activity. It does not state that any accrediting body endorses the holder, the provider or the content."
    });
    if has_asha {
        statement.push_str(" ASHA credit is confirmed by the holder's ASHA CE Registry transcript, not by this certificate.");
    }
    statement
}

/// The issue date as printed: the calendar day the instant falls on in the offering's time zone
/// (`time_zone`, an IANA name), e.g. `9 March 2025` for 2025-03-10T00:30Z in America/Edmonton.
/// People read dates in the offering's zone; the signed record and the ledger keep the UTC
/// instant itself. An unknown zone (course.toml is checked on load) falls back to UTC.
pub fn issued_on(issued_at: DateTime<Utc>, time_zone: &str) -> String {
    let date = match time_zone.parse::<chrono_tz::Tz>() {
        Ok(zone) => issued_at.with_timezone(&zone).date_naive(),
        Err(_) => issued_at.date_naive(),
    };
    format!("{} {} {}", date.day(), date.format("%B"), date.year())
}

/// The part of a certificate that decides whether it changed since it was issued: everything
/// printed except issuance details (revision, issue date, QR text, verification code).
pub fn content_fingerprint(data: &CertificateData) -> [u8; 32] {
    crate::sign::sha256(&serde_json::to_vec(&content_only(data)).unwrap_or_default())
}

/// The printed fields with the issuance details blanked: one definition for what counts as
/// content, used by both [`content_fingerprint`] and [`differences`].
fn content_only(data: &CertificateData) -> CertificateData {
    CertificateData {
        revision: 0,
        issued_on: String::new(),
        qr: String::new(),
        verification_code: String::new(),
        ..data.clone()
    }
}

/// Field-by-field differences in content between two printed certificates, for `issue` to
/// report.
pub fn differences(old: &CertificateData, new: &CertificateData) -> Vec<String> {
    let old = serde_json::to_value(content_only(old)).unwrap_or_default();
    let new = serde_json::to_value(content_only(new)).unwrap_or_default();
    let mut out = Vec::new();
    diff_values("", &old, &new, &mut out);
    out
}

fn diff_values(
    path: &str,
    old: &serde_json::Value,
    new: &serde_json::Value,
    out: &mut Vec<String>,
) {
    use serde_json::Value;
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in b {
                let sub = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                diff_values(&sub, a.get(key).unwrap_or(&Value::Null), value, out);
            }
        }
        _ if old != new => out.push(format!("{path}: {old} -> {new}")),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_ranges_read_naturally() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(date_range(d(2025, 3, 6), d(2025, 3, 9)), "6–9 March 2025");
        assert_eq!(
            date_range(d(2025, 2, 28), d(2025, 3, 2)),
            "28 February – 2 March 2025"
        );
        assert_eq!(date_range(d(2025, 3, 6), d(2025, 3, 6)), "6 March 2025");
    }

    /// Regression: records signed before `attests` became data (schema 1, earlier this week)
    /// failed to parse ("missing field `attests`"), so their certificates no longer verified.
    #[test]
    fn a_schema_1_record_without_attests_still_reads() {
        let record = CertificateRecord::new(
            crate::render::CertificateData::sample(),
            "2025-03-10T12:00:00Z",
            "ed25519:00",
            "00",
            Vec::new(),
        );
        let mut json = serde_json::to_value(&record).unwrap();
        json["certificate"]
            .as_object_mut()
            .unwrap()
            .remove("attests")
            .expect("the record has the field today");
        let old: CertificateRecord = serde_json::from_value(json).unwrap();
        assert_eq!(old.schema, RECORD_SCHEMA);
        assert_eq!(
            old.certificate.attests,
            "has completed the continuing-education offering"
        );
    }
}
