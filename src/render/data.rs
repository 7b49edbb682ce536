//! Everything printed on a certificate, as the data the template reads (`/data.json`), and
//! the JSON the page is rendered from.

use serde::{Deserialize, Serialize};

/// Everything printed on a certificate.
///
/// Serialized to JSON and served to the template as the fixed virtual file `/data.json`, so
/// attendee data reaches Typst only as data, never as markup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateData {
    /// Certificate id, e.g. `SER2-2025-03-CAL-7K3F9Q2M`.
    pub certificate_id: String,
    /// Revision of this certificate id (1 for the first issue).
    pub revision: u32,
    /// Short verification code, e.g. `K7QF-3MZP`.
    pub verification_code: String,
    /// The certificate's heading: "Certificate of Completion", or "Certificate of Partial
    /// Credit" for an attendee awarded partial credit (ASHA-PARTIAL-1).
    pub heading: String,
    /// The line under the holder's name: "has completed the continuing-education offering",
    /// or for partial credit "attended part of the continuing-education offering".
    /// Added within record schema 1: records signed before it carry no such field, and their
    /// certificates printed the completion wording.
    #[serde(default = "CertificateData::completion_wording")]
    pub attests: String,
    /// The person the certificate is issued to.
    pub holder: Holder,
    /// The offering that was completed.
    pub offering: OfferingInfo,
    /// Time the holder attended, in instructional hours as display text, e.g. `25.3`. The
    /// page labels it as time attended: it is never credit (credit is in `credits`, per body).
    pub instructional_hours: String,
    /// The offering's length in instructional hours as display text, e.g. `26.0`, printed
    /// beside the time attended. Added within record schema 1: empty in records signed
    /// before it, whose pages printed only the time attended.
    #[serde(default)]
    pub offering_hours: String,
    /// One disclosure per speaker or planner.
    pub disclosures: Vec<Disclosure>,
    /// The provider issuing the certificate.
    pub provider: ProviderInfo,
    /// The person signing for the provider.
    pub signatory: Signatory,
    /// A second person signing (usually the instructor), printed beside the first. Added
    /// within record schema 1: absent in records signed before it and when the course record
    /// names none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_signatory: Option<Signatory>,
    /// Per-body credit wording, already in each body's required form.
    pub credits: Vec<CreditBlock>,
    /// Why credit the holder requested is not on the certificate (one sentence per body,
    /// with the compliance.md rule id), or empty. Added within record schema 1: empty in
    /// records signed before it.
    #[serde(default)]
    pub credit_note: String,
    /// What the certificate does and does not mean.
    pub statement: String,
    /// Issue date as display text.
    pub issued_on: String,
    /// Text encoded in the QR code, e.g. `ceu:v1:<id>:<code>`.
    pub qr: String,
}

/// The certificate holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    /// Full name as printed.
    pub name: String,
    /// Professional credential, e.g. `MS, CCC-SLP` (may be empty).
    pub credential: String,
    /// Licence text, e.g. `TX PT License 1234567`; empty when none.
    pub license: String,
}

/// The offering as printed on the certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferingInfo {
    /// Offering id.
    pub id: String,
    /// Title, exactly as approved.
    pub title: String,
    /// Dates as display text, e.g. `6–9 March 2025`.
    pub dates: String,
    /// Location as display text.
    pub location: String,
    /// Delivery format, e.g. `Live, in person`.
    pub format: String,
    /// Instructional level (may be empty).
    pub level: String,
}

/// One speaker's or planner's disclosure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disclosure {
    /// Speaker name.
    pub name: String,
    /// Role, e.g. `Instructor` (may be empty).
    pub role: String,
    /// Financial relationships, in words ("none" said in words).
    pub financial: String,
    /// Nonfinancial relationships, in words.
    pub nonfinancial: String,
}

/// The issuing provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderInfo {
    /// Provider name.
    pub name: String,
    /// Contact details as display text.
    pub contact: String,
}

/// The person who signs for the provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signatory {
    /// Name.
    pub name: String,
    /// Title or role.
    pub title: String,
}

/// The credit wording for one accrediting body.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CreditBlock {
    /// Body heading, e.g. `NCBTMB`.
    pub body: String,
    /// Lines printed under the heading, each in the body's required form.
    pub lines: Vec<String>,
}

/// The line under a completer's name (`CertificateData::attests`); also what every
/// certificate said there before the line was data.
pub const ATTESTS_COMPLETED: &str = "has completed the continuing-education offering";

impl CertificateData {
    /// The serde default of `attests`, for records signed before the field existed.
    fn completion_wording() -> String {
        ATTESTS_COMPLETED.into()
    }

    /// Every string printed on the certificate, for glyph checks and lints.
    pub fn printed_strings(&self) -> Vec<&str> {
        let mut out = vec![
            self.certificate_id.as_str(),
            &self.verification_code,
            &self.heading,
            &self.attests,
            &self.holder.name,
            &self.holder.credential,
            &self.holder.license,
            &self.offering.id,
            &self.offering.title,
            &self.offering.dates,
            &self.offering.location,
            &self.offering.format,
            &self.offering.level,
            &self.instructional_hours,
            &self.offering_hours,
            &self.credit_note,
            &self.provider.name,
            &self.provider.contact,
            &self.signatory.name,
            &self.signatory.title,
            &self.statement,
            &self.issued_on,
        ];
        if let Some(second) = &self.second_signatory {
            out.extend([second.name.as_str(), &second.title]);
        }
        for d in &self.disclosures {
            out.extend([d.name.as_str(), &d.role, &d.financial, &d.nonfinancial]);
        }
        for c in &self.credits {
            out.push(&c.body);
            out.extend(c.lines.iter().map(String::as_str));
        }
        out
    }

    /// Illustrative data (the SER2 workshop), used by the benchmark, tests and previews.
    pub fn sample() -> CertificateData {
        CertificateData {
            certificate_id: "SER2-2025-03-CAL-7K3F9Q2M".into(),
            revision: 1,
            verification_code: "K7QF-3MZP".into(),
            heading: "Certificate of Completion".into(),
            attests: ATTESTS_COMPLETED.into(),
            holder: Holder {
                name: "José Müller-Øster".into(),
                credential: "MS, CCC-SLP".into(),
                license: String::new(),
            },
            offering: OfferingInfo {
                id: "SER2-2025-03-CAL".into(),
                title: "Sensory Regulation in Practice: A Four-Day Hands-On Workshop".into(),
                dates: "6–9 March 2025".into(),
                location: "Calgary, Alberta, Canada".into(),
                format: "Live, in person".into(),
                level: "Intermediate".into(),
            },
            instructional_hours: "26.0".into(),
            offering_hours: "26.0".into(),
            disclosures: vec![Disclosure {
                name: "Dana Instructor".into(),
                role: "Instructor".into(),
                financial: "Receives a fee for teaching this course.".into(),
                nonfinancial: "No nonfinancial relationship to disclose.".into(),
            }],
            provider: ProviderInfo {
                name: "Example Continuing Education Ltd.".into(),
                contact: "ce@example.org".into(),
            },
            signatory: Signatory {
                name: "Alex Example".into(),
                title: "Director of Education".into(),
            },
            second_signatory: None,
            credits: vec![
                CreditBlock {
                    body: "NCBTMB".into(),
                    lines: vec![
                        "NCBTMB Approved Provider #451603-11".into(),
                        "28.0 CE hours".into(),
                    ],
                },
                CreditBlock {
                    body: "AOTA".into(),
                    lines: vec!["26 contact hours, 2.6 AOTA CEUs (Intermediate)".into()],
                },
            ],
            credit_note: String::new(),
            statement: "This certificate confirms completion of the instructional hours shown. \
                        It is not itself an award of credit by any accrediting body."
                .into(),
            issued_on: "10 March 2025".into(),
            qr: "ceu:v1:SER2-2025-03-CAL-7K3F9Q2M:K7QF-3MZP".into(),
        }
    }
}

/// The certificate data as the template reads it: JSON, with bidirectional formatting
/// characters (U+202E and kin) left out, so that a name holding one is printed in order instead
/// of reversing what follows it (issue 17, item 6). The signed record keeps the exact text.
pub(super) fn page_json(data: &CertificateData) -> Result<Vec<u8>, serde_json::Error> {
    let json = serde_json::to_string(data)?;
    Ok(match crate::output::without_bidi_controls(&json) {
        std::borrow::Cow::Borrowed(_) => json.into_bytes(),
        std::borrow::Cow::Owned(kept) => kept.into_bytes(),
    })
}
