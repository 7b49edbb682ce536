//! Who an attendance row says it is (attendee id, email, name, phone) and where a header keeps
//! those columns. Which roster attendee that is, is `matching`'s job.

use crate::input::spellings;
use crate::input::table::{Header, Row};
use crate::input::text::{
    email_key, looks_like_phone, lowercase, normalized_name, phone_digits, shorten,
};
use std::borrow::Cow;

/// Who an attendance row says it is. Any field may be missing, depending on the format.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Identity {
    pub attendee_id: Option<String>,
    pub email: Option<String>,
    /// Display name as written (never used for matching except through the alias list).
    pub name: Option<String>,
    pub phone: Option<String>,
}

impl Identity {
    /// True when the row says nothing about who it is.
    pub fn is_empty(&self) -> bool {
        self.attendee_id.is_none()
            && self.email.is_none()
            && self.name.is_none()
            && self.phone.is_none()
    }

    /// A key that is equal for rows naming the same identity (id, else email, else name, else
    /// phone), used to group rows within one file; not used to match the roster.
    pub fn key(&self) -> String {
        let (kind, text) = self.key_parts();
        format!("{}{text}", kind.prefix())
    }

    /// [`Identity::key`] in two parts, which are equal exactly when the keys are; the text is
    /// borrowed when it needs no normalizing, so grouping a long file allocates nothing per row.
    pub(crate) fn key_parts(&self) -> (KeyKind, Cow<'_, str>) {
        if let Some(id) = &self.attendee_id {
            (KeyKind::Id, lowercase(id.trim()))
        } else if let Some(email) = &self.email {
            (KeyKind::Email, email_key(email))
        } else if let Some(name) = &self.name {
            (KeyKind::Name, normalized_name(name))
        } else if let Some(phone) = &self.phone {
            let digits = phone_digits(phone).unwrap_or_default();
            (KeyKind::Phone, Cow::Owned(digits))
        } else {
            (KeyKind::Nobody, Cow::Borrowed(""))
        }
    }

    /// The line an alias list needs for this identity, `"<alias>",<attendee id>` with the
    /// alias shortened to 80 characters: its name, else email, phone or attendee id (the fix of
    /// a `DATA-UNMATCHED` finding).
    pub fn alias_line(&self) -> String {
        let alias = self
            .name
            .as_deref()
            .or(self.email.as_deref())
            .or(self.phone.as_deref())
            .or(self.attendee_id.as_deref())
            .unwrap_or_default();
        crate::input::text::csv_line(&[&shorten(alias, 80), "<attendee id>"])
    }

    /// How to show this identity in a message: `Jane Doe <jane@example.org> (id A17)`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(name) = &self.name {
            parts.push(format!("`{}`", shorten(name, 80)));
        }
        if let Some(email) = &self.email {
            parts.push(format!("<{}>", shorten(email, 80)));
        }
        if let Some(phone) = &self.phone
            && self.name.as_deref() != Some(phone.as_str())
        {
            parts.push(format!("phone {}", shorten(phone, 40)));
        }
        if let Some(id) = &self.attendee_id {
            parts.push(format!("(attendee id {})", shorten(id, 40)));
        }
        if parts.is_empty() {
            "a row with no name, email or id".to_string()
        } else {
            parts.join(" ")
        }
    }
}

/// Which field an [`Identity::key`] comes from (its prefix).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum KeyKind {
    Id,
    Email,
    Name,
    Phone,
    Nobody,
}

impl KeyKind {
    fn prefix(self) -> &'static str {
        match self {
            KeyKind::Id => "id:",
            KeyKind::Email => "email:",
            KeyKind::Name => "name:",
            KeyKind::Phone => "phone:",
            KeyKind::Nobody => "",
        }
    }
}

/// Where the identity columns of a header are.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct IdentityColumns {
    pub id: Option<usize>,
    pub name: Option<usize>,
    pub first: Option<usize>,
    pub last: Option<usize>,
    pub email: Option<usize>,
    pub phone: Option<usize>,
}

impl IdentityColumns {
    pub fn find(header: &Header) -> IdentityColumns {
        IdentityColumns {
            id: header.find(spellings::ID),
            name: header.find(spellings::NAME),
            first: header.find(spellings::FIRST),
            last: header.find(spellings::LAST),
            email: header.find(spellings::EMAIL),
            phone: header.find(spellings::PHONE),
        }
    }

    pub fn any(&self) -> bool {
        self.id.is_some()
            || self.name.is_some()
            || self.first.is_some()
            || self.last.is_some()
            || self.email.is_some()
    }

    /// The identity a row states. A name that is a phone number (a Zoom dial-in) is also the
    /// phone.
    pub fn read(&self, row: &Row) -> Identity {
        let some = |text: &str| (!text.is_empty()).then(|| text.to_string());
        let name = match self.name.map(|i| row.cell(i)).filter(|n| !n.is_empty()) {
            Some(name) => Some(name.to_string()),
            // "First Last", or whichever of the two is there (the cells are trimmed).
            None => match (row.get(self.first), row.get(self.last)) {
                ("", last) => some(last),
                (first, "") => some(first),
                (first, last) => Some([first, last].join(" ")),
            },
        };
        let mut phone = some(row.get(self.phone));
        if phone.is_none()
            && let Some(name) = &name
            && looks_like_phone(name)
        {
            phone = Some(name.clone());
        }
        Identity {
            attendee_id: some(row.get(self.id)),
            email: some(row.get(self.email)),
            name,
            phone,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(
        id: Option<&str>,
        email: Option<&str>,
        name: Option<&str>,
        phone: Option<&str>,
    ) -> Identity {
        Identity {
            attendee_id: id.map(String::from),
            email: email.map(String::from),
            name: name.map(String::from),
            phone: phone.map(String::from),
        }
    }

    #[test]
    fn key_parts_are_equal_exactly_when_keys_are() {
        let people = [
            who(Some(" A17 "), None, None, None),
            who(Some("a17"), Some("x@example.org"), None, None),
            who(None, Some("X@Example.org "), None, None),
            who(None, Some("x@example.org"), Some("Ana"), None),
            who(None, Some("ΣΊΣΥΦΟΣ@EXAMPLE.ORG"), None, None),
            who(None, Some("σίσυφος@example.org"), None, None),
            who(None, None, Some("Ana  Lee"), None),
            who(None, None, Some(" ana lee"), None),
            who(None, None, Some("ana\tlee"), None),
            who(None, None, Some("Zoë  Ŝ"), None),
            who(None, None, Some("zoë ŝ"), None),
            who(None, None, None, Some("+1 (403) 555-0199")),
            who(None, None, None, Some("14035550199")),
            who(None, None, None, Some("call me")),
            who(None, None, None, None),
            who(Some("email:x"), None, None, None),
        ];
        for a in &people {
            let (kind, text) = a.key_parts();
            assert_eq!(format!("{}{text}", kind.prefix()), a.key());
            for b in &people {
                assert_eq!(
                    a.key() == b.key(),
                    a.key_parts() == b.key_parts(),
                    "{a:?} {b:?}"
                );
            }
        }
    }
}
