//! The registration roster (`roster.csv` beside `course.toml`): who registered, for which
//! bodies' credit, with the details each body needs on a certificate or in a report.
//!
//! Format: docs/attendance.md ("The roster").

use crate::findings::{Finding, Location};
use serde::Serialize;
use std::path::Path;

/// An accrediting body whose credit an attendee can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Body {
    #[serde(rename = "ASHA")]
    Asha,
    #[serde(rename = "NCBTMB")]
    Ncbtmb,
    #[serde(rename = "AOTA")]
    Aota,
    #[serde(rename = "IACET")]
    Iacet,
    /// A physical-therapy licensing board (state given by the attendee's licence state).
    #[serde(rename = "PT")]
    Pt,
}

impl Body {
    pub const ALL: [Body; 5] = [Body::Asha, Body::Ncbtmb, Body::Aota, Body::Iacet, Body::Pt];

    pub fn name(self) -> &'static str {
        match self {
            Body::Asha => "ASHA",
            Body::Ncbtmb => "NCBTMB",
            Body::Aota => "AOTA",
            Body::Iacet => "IACET",
            Body::Pt => "PT",
        }
    }

    /// Parses a body name as written in a roster's credit column (case-insensitive).
    pub fn parse(text: &str) -> Option<Body> {
        match text.trim().to_ascii_uppercase().as_str() {
            "ASHA" => Some(Body::Asha),
            "NCBTMB" => Some(Body::Ncbtmb),
            "AOTA" => Some(Body::Aota),
            "IACET" => Some(Body::Iacet),
            "PT" => Some(Body::Pt),
            _ => None,
        }
    }
}

/// ASHA's eligibility categories for earning ASHA CEUs (compliance.md §1.4, ASHA-ELIG-2 [S37]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AshaEligibility {
    Member,
    Ccc,
    LicensedSlpAud,
    CredentialedSlpAud,
    ClinicalFellow,
    StudentSlpAud,
    /// None of the above (e.g. a massage therapist, OT or PT with no SLP/AUD credential).
    NotEligible,
}

impl AshaEligibility {
    pub fn is_eligible(self) -> bool {
        self != AshaEligibility::NotEligible
    }
}

/// A mailing address as ASHA's reporting template wants it (ASHA-REPORT-2).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Address {
    pub street: String,
    pub city: String,
    /// State or province.
    pub region: String,
    pub postal_code: String,
    pub country: String,
}

/// One registered person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attendee {
    /// The provider's registration id: the key every other file refers to.
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    /// Email as registered (matching is case-insensitive).
    pub email: String,
    pub address: Address,
    /// Profession code as registered: SLP, AUD, SLPA, CF-SLP, STUDENT-SLP, STUDENT-AUD,
    /// LMT, OT, OTA, PT, PTA, or free text for anything else.
    pub profession: String,
    /// Credential letters to print after the name (e.g. "CCC-SLP", "LMT").
    pub credential: String,
    pub license_number: String,
    pub license_state: String,
    /// ASHA account number (optional; ASHA-REPORT-3).
    pub asha_account: String,
    /// Bodies whose credit the person asked for at registration (ASHA intent = ASHA listed).
    pub credit_requested: Vec<Body>,
    /// ASHA eligibility, from an explicit column or derived from the profession.
    pub asha_eligibility: AshaEligibility,
    /// Whether the person completed the learning assessment.
    pub assessment_completed: bool,
    /// Phone number, when registered (used to match dial-in attendance).
    pub phone: String,
    /// Where the person's row is.
    pub location: Location,
}

impl Attendee {
    /// "First Last", the form printed on a certificate.
    pub fn display_name(&self) -> String {
        format!("{} {}", self.first_name.trim(), self.last_name.trim())
            .trim()
            .to_string()
    }

    pub fn requested(&self, body: Body) -> bool {
        self.credit_requested.contains(&body)
    }
}

/// The whole roster, in file order, with the problems found while reading it.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    pub attendees: Vec<Attendee>,
    /// Row-level problems (duplicate emails, unreadable values): findings, not failures.
    pub findings: Vec<Finding>,
    /// SHA-256 of the exact file bytes (recorded in the certificate record).
    pub sha256: [u8; 32],
}

/// Why a roster file could not be used at all (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    #[error("{path}: cannot read the roster: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {message}. {fix}")]
    Unusable {
        path: String,
        message: String,
        fix: String,
    },
}

/// Reads `path` (see docs/attendance.md). `display` is the path to print in messages.
pub fn load(path: &Path, display: &Path) -> Result<Roster, RosterError> {
    let _ = (path, display);
    Err(RosterError::Unusable {
        path: display.display().to_string(),
        message: "roster reading is not built yet".into(),
        fix: String::new(),
    })
}
