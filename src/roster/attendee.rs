//! One registered person as the roster holds them: fifteen text fields in one allocation, the
//! bodies whose credit they asked for, their ASHA eligibility and whether they completed the
//! assessment.

use super::{AshaEligibility, Body};
use serde::Serialize;

/// A mailing address as ASHA's reporting template wants it (ASHA-REPORT-2), borrowed from
/// the attendee it belongs to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Address<'a> {
    pub street: &'a str,
    pub city: &'a str,
    /// State or province.
    pub region: &'a str,
    pub postal_code: &'a str,
    pub country: &'a str,
}

/// The text fields of an [`Attendee`], in the order they are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(usize)]
pub enum Field {
    /// The provider's registration id: the key every other file refers to.
    Id,
    FirstName,
    LastName,
    /// Email as registered (matching is case-insensitive).
    Email,
    /// Phone number, when registered (used to match dial-in attendance).
    Phone,
    Street,
    City,
    Region,
    PostalCode,
    Country,
    /// Profession code as registered: SLP, AUD, SLPA, CF-SLP, STUDENT-SLP, STUDENT-AUD, LMT,
    /// OT, OTA, PT, PTA, or free text for anything else.
    Profession,
    /// Credential letters to print after the name (e.g. "CCC-SLP", "LMT").
    Credential,
    LicenseNumber,
    LicenseState,
    /// ASHA account number (optional; ASHA-REPORT-3).
    AshaAccount,
}

impl Field {
    /// Every field, in storage order.
    pub const ALL: [Field; 15] = [
        Field::Id,
        Field::FirstName,
        Field::LastName,
        Field::Email,
        Field::Phone,
        Field::Street,
        Field::City,
        Field::Region,
        Field::PostalCode,
        Field::Country,
        Field::Profession,
        Field::Credential,
        Field::LicenseNumber,
        Field::LicenseState,
        Field::AshaAccount,
    ];
    const COUNT: usize = Field::ALL.len();
}

// `Field::ALL` lists the variants in their discriminant order (`Attendee::get` relies on it).
const _: () = {
    let mut i = 0;
    while i < Field::COUNT {
        assert!(Field::ALL[i] as usize == i);
        i += 1;
    }
};

/// One registered person. All of the person's text lives in one allocation (`text`, the
/// fields one after another, `ends` marking where each stops): at 100,000 people this is
/// about 260 bytes a person where fifteen inline strings took 450 and then some.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendee {
    text: Box<str>,
    ends: [u32; Field::COUNT],
    /// Bodies whose credit the person asked for at registration (ASHA intent = ASHA listed).
    pub credit_requested: Vec<Body>,
    /// ASHA eligibility, from an explicit column or derived from the profession.
    pub asha_eligibility: AshaEligibility,
    /// Whether the person completed the learning assessment.
    pub assessment_completed: bool,
    /// Whether the roster states the assessment at all (a non-blank `assessment_completed`
    /// cell): only a stated value can disagree with an LMS export (DATA-ASSESSMENT-CONFLICT).
    pub assessment_stated: bool,
    /// The person's line in the roster file (`Roster::location` gives the full location: a
    /// line number here, not 100,000 copies of the roster's path).
    pub line: usize,
}

impl Attendee {
    /// A person with the given text fields (`fields[f as usize]` is field `f`) and nothing
    /// requested yet.
    pub fn new(fields: [&str; Field::COUNT], line: usize) -> Attendee {
        let mut text = String::with_capacity(fields.iter().map(|f| f.len()).sum());
        let mut ends = [0u32; Field::COUNT];
        for (end, field) in ends.iter_mut().zip(fields) {
            text.push_str(field);
            // A roster row is read from a file far below 4 GiB; saturate rather than wrap.
            *end = u32::try_from(text.len()).unwrap_or(u32::MAX);
        }
        Attendee {
            text: text.into_boxed_str(),
            ends,
            credit_requested: Vec::new(),
            asha_eligibility: AshaEligibility::NotEligible,
            assessment_completed: false,
            assessment_stated: false,
            line,
        }
    }

    /// One text field, as registered.
    pub fn get(&self, field: Field) -> &str {
        let i = field as usize;
        let at = |i: usize| (self.ends[i] as usize).min(self.text.len());
        let start = if i == 0 { 0 } else { at(i - 1) };
        self.text.get(start..at(i)).unwrap_or("")
    }

    /// The provider's registration id.
    pub fn id(&self) -> &str {
        self.get(Field::Id)
    }

    pub fn first_name(&self) -> &str {
        self.get(Field::FirstName)
    }

    pub fn last_name(&self) -> &str {
        self.get(Field::LastName)
    }

    pub fn email(&self) -> &str {
        self.get(Field::Email)
    }

    pub fn phone(&self) -> &str {
        self.get(Field::Phone)
    }

    pub fn profession(&self) -> &str {
        self.get(Field::Profession)
    }

    pub fn credential(&self) -> &str {
        self.get(Field::Credential)
    }

    pub fn license_number(&self) -> &str {
        self.get(Field::LicenseNumber)
    }

    pub fn license_state(&self) -> &str {
        self.get(Field::LicenseState)
    }

    pub fn asha_account(&self) -> &str {
        self.get(Field::AshaAccount)
    }

    pub fn address(&self) -> Address<'_> {
        Address {
            street: self.get(Field::Street),
            city: self.get(Field::City),
            region: self.get(Field::Region),
            postal_code: self.get(Field::PostalCode),
            country: self.get(Field::Country),
        }
    }

    /// "First Last", the form printed on a certificate.
    pub fn display_name(&self) -> String {
        format!("{} {}", self.first_name().trim(), self.last_name().trim())
            .trim()
            .to_string()
    }

    pub fn requested(&self, body: Body) -> bool {
        self.credit_requested.contains(&body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_reads_back_as_stored_including_empty_and_non_ascii_ones() {
        let fields = [
            "A-17",
            "Renée",
            "",
            "renee@example.org",
            "",
            "12 rue Saint-Denis",
            "Montréal",
            "QC",
            "H2X 1Y4",
            "Canada",
            "SLP",
            "CCC-SLP, S-LP(C)",
            "",
            "QC",
            "12345678",
        ];
        let a = Attendee::new(fields, 7);
        for (field, expected) in Field::ALL.into_iter().zip(fields) {
            assert_eq!(a.get(field), expected, "{field:?}");
        }
        assert_eq!(a.display_name(), "Renée");
        assert_eq!(a.address().city, "Montréal");
        assert_eq!(a.line, 7);
    }
}
