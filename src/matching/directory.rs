//! The roster and the alias list as lookups: which roster attendee an attendance row's
//! identity names (attendee id, then email, then alias, then the roster's phone numbers).

use super::lists::{Aliases, alias_key};
use crate::attendance::Identity;
use crate::catalogue::ids;
use crate::findings::{Finding, Location, Severity};
use crate::input::text::{email_key, lowercase, normalize_name, phone_digits, phone_key, shorten};
use crate::roster::Roster;
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

/// Looks identities up in the roster and the alias list. Lookups only, so hash maps; ids and
/// emails (the roster's and each row's) are lower-cased without copying when they already are.
pub(super) struct Directory<'a> {
    ids: HashMap<Cow<'a, str>, &'a str>,
    emails: HashMap<Cow<'a, str>, &'a str>,
    phones: HashMap<String, &'a str>,
    aliases: &'a Aliases,
}

impl<'a> Directory<'a> {
    pub(super) fn new(roster: &'a Roster, aliases: &'a Aliases) -> Self {
        let mut directory = Directory {
            ids: HashMap::with_capacity(roster.attendees.len()),
            emails: HashMap::with_capacity(roster.attendees.len()),
            phones: HashMap::new(),
            aliases,
        };
        for attendee in &roster.attendees {
            let id = attendee.id();
            directory.ids.insert(lowercase(attendee.id().trim()), id);
            let email = email_key(attendee.email());
            if !email.is_empty() {
                directory.emails.entry(email).or_insert(id);
            }
            if let Some(digits) = phone_digits(attendee.phone().trim()) {
                directory
                    .phones
                    .entry(phone_key(&digits).to_string())
                    .or_insert(id);
            }
        }
        directory
    }

    pub(super) fn id(&self, text: &str) -> Option<&'a str> {
        self.ids.get(lowercase(text.trim()).as_ref()).copied()
    }

    pub(super) fn email(&self, text: &str) -> Option<&'a str> {
        self.emails.get(email_key(text).as_ref()).copied()
    }

    /// A row whose attendee id and email name two different roster attendees: matched by the
    /// id (ids are keys), and reported, since one of the two is a typo.
    pub(super) fn conflict(&self, who: &Identity, file: &Path, line: usize) -> Option<Finding> {
        let by_id = self.id(who.attendee_id.as_deref()?)?;
        let email = who.email.as_deref()?;
        let by_email = self.email(email)?;
        if by_email == by_id {
            return None;
        }
        Some(Finding::attendee(
            ids::DATA_IDENTITY_CONFLICT.as_str(),
            Severity::Error,
            Some(by_id.to_string()),
            format!(
                "{}: attendee id {by_id} and email <{}> belong to two different roster attendees ({by_id} and {by_email}); the row was counted for {by_id}",
                who.describe(),
                shorten(email, 80)
            ),
            Some(Location::line(file, line)),
            "correct the attendee id or the email so both name the same person",
        ))
    }

    /// attendee id, then email, then alias (name, the name before a Zoom "(...)", email or
    /// phone), then the roster's phone numbers.
    pub(super) fn find(&self, who: &Identity) -> Option<&'a str> {
        if let Some(id) = who.attendee_id.as_deref().and_then(|id| self.id(id)) {
            return Some(id);
        }
        if let Some(id) = who.email.as_deref().and_then(|email| self.email(email)) {
            return Some(id);
        }
        let mut keys = Vec::new();
        if let Some(name) = &who.name {
            keys.push(alias_key(name));
            if let Some((before, _)) = name.split_once(" (") {
                keys.push(alias_key(before));
            }
        }
        if let Some(email) = &who.email {
            keys.push(normalize_name(email));
        }
        if let Some(phone) = &who.phone {
            keys.push(alias_key(phone));
        }
        for key in &keys {
            if let Some(id) = self.aliases.to_attendee.get(key).and_then(|id| self.id(id)) {
                return Some(id);
            }
        }
        let digits = who.phone.as_deref().and_then(phone_digits)?;
        self.phones.get(phone_key(&digits)).copied()
    }
}
