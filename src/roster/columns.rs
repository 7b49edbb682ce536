//! Where a roster keeps each field: the header spellings accepted for every column, and the
//! columns of one roster found once (the attendee id, a name and the email are required).

use crate::findings::Location;
use crate::input::InputError;
use crate::input::table::Header;
use std::path::Path;

/// Accepted header spellings (normalized: lower case, no spaces, underscores or hyphens).
mod spellings {
    pub use crate::input::spellings::{EMAIL, FIRST, ID, LAST, NAME, PHONE};
    pub const STREET: &[&str] = &[
        "street",
        "streetaddress",
        "address",
        "address1",
        "addressline1",
        "mailingaddress",
    ];
    pub const CITY: &[&str] = &["city", "town"];
    pub const REGION: &[&str] = &[
        "region",
        "state",
        "province",
        "state/province",
        "province/state",
        "stateprovince",
        "state/region",
    ];
    pub const POSTAL: &[&str] = &[
        "postalcode",
        "zip",
        "zipcode",
        "postcode",
        "zip/postalcode",
        "postalcode/zip",
        "postal",
        "zip/postal",
    ];
    pub const COUNTRY: &[&str] = &["country"];
    pub const PROFESSION: &[&str] = &["profession", "occupation", "discipline"];
    pub const CREDENTIAL: &[&str] = &["credential", "credentials", "designation"];
    pub const LICENSE_NUMBER: &[&str] = &[
        "licensenumber",
        "licencenumber",
        "license",
        "licence",
        "license#",
        "licence#",
        "licenseno",
        "licenceno",
        "licenseno.",
        "licenceno.",
    ];
    pub const LICENSE_STATE: &[&str] = &[
        "licensestate",
        "licencestate",
        "licenseprovince",
        "licenceprovince",
        "licensestate/province",
        "licencestate/province",
        "licensingstate",
        "licensejurisdiction",
        "licencejurisdiction",
    ];
    pub const ASHA_ACCOUNT: &[&str] = &[
        "ashaaccount",
        "ashaaccountnumber",
        "ashanumber",
        "ashaid",
        "ashaaccount#",
        "ashaaccountno",
    ];
    pub const CREDIT: &[&str] = &[
        "credit",
        "credits",
        "creditrequested",
        "creditsrequested",
        "bodies",
        "creditfor",
    ];
    pub const ASSESSMENT: &[&str] = &[
        "assessmentcompleted",
        "assessment",
        "assessmentdone",
        "quizcompleted",
        "assessmentcomplete",
    ];
    pub const ELIGIBILITY: &[&str] = &["ashaeligibility", "eligibility"];
}

const ROSTER_HELP: &str = "the roster needs a header row with attendee_id, first_name, last_name and email (see docs/attendance.md, \"The roster\")";

/// Where a roster keeps each field (0-based column indices).
pub(super) struct RosterColumns {
    pub(super) id: usize,
    pub(super) first: Option<usize>,
    pub(super) last: Option<usize>,
    /// A whole name in one column, used when there is neither a first nor a last name column.
    pub(super) name: Option<usize>,
    pub(super) email: usize,
    pub(super) phone: Option<usize>,
    pub(super) street: Option<usize>,
    pub(super) city: Option<usize>,
    pub(super) region: Option<usize>,
    pub(super) postal: Option<usize>,
    pub(super) country: Option<usize>,
    pub(super) profession: Option<usize>,
    pub(super) credential: Option<usize>,
    pub(super) license_number: Option<usize>,
    pub(super) license_state: Option<usize>,
    pub(super) asha_account: Option<usize>,
    pub(super) credit: Option<usize>,
    pub(super) assessment: Option<usize>,
    pub(super) eligibility: Option<usize>,
}

impl RosterColumns {
    /// The roster's columns. Errors: no attendee id, name or email column.
    pub(super) fn find(header: &Header, display: &Path) -> Result<RosterColumns, InputError> {
        let missing = |what: &str, fix: &str| {
            InputError::unusable(
                &Location::line(display, header.line),
                format!(
                    "no {what} column{} (found `{}`)",
                    if what == "name" { "s" } else { "" },
                    header.as_written()
                ),
                &format!("{fix}; {ROSTER_HELP}"),
            )
        };
        let column = |spellings: &[&str]| header.find(spellings);
        let Some(id) = column(spellings::ID) else {
            return Err(missing(
                "attendee_id",
                "add an attendee_id column with each person's registration id",
            ));
        };
        let (first, last, name) = (
            column(spellings::FIRST),
            column(spellings::LAST),
            column(spellings::NAME),
        );
        if first.is_none() && last.is_none() && name.is_none() {
            return Err(missing("name", "add first_name and last_name columns"));
        }
        let Some(email) = column(spellings::EMAIL) else {
            return Err(missing("email", "add an email column (Email or E-mail)"));
        };
        Ok(RosterColumns {
            id,
            first,
            last,
            name,
            email,
            phone: column(spellings::PHONE),
            street: column(spellings::STREET),
            city: column(spellings::CITY),
            region: column(spellings::REGION),
            postal: column(spellings::POSTAL),
            country: column(spellings::COUNTRY),
            profession: column(spellings::PROFESSION),
            credential: column(spellings::CREDENTIAL),
            license_number: column(spellings::LICENSE_NUMBER),
            license_state: column(spellings::LICENSE_STATE),
            asha_account: column(spellings::ASHA_ACCOUNT),
            credit: column(spellings::CREDIT),
            assessment: column(spellings::ASSESSMENT),
            eligibility: column(spellings::ELIGIBILITY),
        })
    }
}
