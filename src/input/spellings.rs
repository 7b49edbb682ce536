//! The one table of header spellings for who a row is about (attendee id, name, email, phone),
//! shared by the roster and every attendance format, so a column the roster accepts is
//! accepted in attendance files and the other way round.
//!
//! Spellings are normalized as [`super::table::normalize_header`] leaves them (lower case,
//! no spaces, underscores or hyphens) and listed explicitly: registration and meeting systems
//! prefix their columns with `attendee`, `participant`, `registrant` or `user`, and each of
//! those forms is written out here. There is deliberately no generic prefix stripping: it would
//! turn the header of Zoom's meeting summary (`Meeting ID, Topic, Start Time, End Time, User
//! Email, ...`) into an attendance header. Formats: docs/attendance.md.

/// The attendee id (the roster's key), or a badge number in a scanner log.
pub const ID: &[&str] = &[
    "attendeeid",
    "id",
    "registrationid",
    "regid",
    "registrantid",
    "attendee#",
    "attendeeno",
    "attendeenumber",
    "participantid",
    "userid",
    "badgeid",
    "badge",
    "badgenumber",
    "badge#",
];

/// A whole name in one column.
pub const NAME: &[&str] = &[
    "name",
    "fullname",
    "attendeename",
    "attendeefullname",
    "participantname",
    "participantfullname",
    "registrantname",
    "registrantfullname",
    "username",
    "userfullname",
    "name(originalname)",
    "username(originalname)",
    "displayname",
    "participant",
    "attendee",
    "registrant",
];

/// The first (given) name, when the name is split over two columns.
pub const FIRST: &[&str] = &[
    "firstname",
    "first",
    "givenname",
    "forename",
    "attendeefirstname",
    "participantfirstname",
    "registrantfirstname",
    "userfirstname",
];

/// The last (family) name, when the name is split over two columns.
pub const LAST: &[&str] = &[
    "lastname",
    "last",
    "surname",
    "familyname",
    "attendeelastname",
    "participantlastname",
    "registrantlastname",
    "userlastname",
];

/// The email address.
pub const EMAIL: &[&str] = &[
    "email",
    "emailaddress",
    "mail",
    "useremail",
    "useremailaddress",
    "attendeeemail",
    "attendeeemailaddress",
    "participantemail",
    "participantemailaddress",
    "registrantemail",
    "registrantemailaddress",
];

/// The phone number (matches dial-ins).
pub const PHONE: &[&str] = &[
    "phone",
    "phonenumber",
    "telephone",
    "mobile",
    "cell",
    "tel",
    "attendeephone",
    "participantphone",
    "registrantphone",
    "userphone",
];

/// How the identity columns are named in messages about a header that has none.
pub const WHO_HELP: &str = "Attendee ID, Badge, Name (or First Name and Last Name), Email or Phone, also with an Attendee, Participant, Registrant or User prefix (Attendee Email, Participant Name, ...)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_spelling_is_listed_twice_across_the_table() {
        let mut all: Vec<&str> = [ID, NAME, FIRST, LAST, EMAIL, PHONE].concat();
        let count = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), count);
    }
}
