//! Matching attendance rows to roster attendees: attendee id, then email (case-insensitive),
//! then the administrator's alias list (display name or phone -> attendee id), then the phone
//! number registered on the roster. Never by the spelling of a name alone.
//!
//! This layer sits above both `roster` and `attendance` (which read their files through
//! `input` and know nothing of each other): it takes an offering's roster, its list files
//! (`lists`) and each attendance file as it is read, and hands over every attendee's presence
//! intervals, the rows that matched nobody and the rows of people who are not attendees.

mod directory;
mod lists;

pub use lists::{
    Aliases, ListEncoding, NotAttendees, alias_key, load_aliases, load_aliases_declared,
};

use crate::attendance::{FileAttendance, Identity, Presence, Role};
use crate::catalogue::ids;
use crate::findings::{Finding, Location, Severity};
use crate::hours;
use crate::input::text::shorten;
use crate::roster::Roster;
use chrono::{DateTime, Utc};
use directory::Directory;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Attendance rows of someone who is not an attendee (a host, organizer, speaker, or a person
/// in not-attendees.csv), grouped by who they say they are. They block nothing.
#[derive(Debug, Clone)]
pub struct NotAttendee {
    pub who: Identity,
    /// Why they are not an attendee: `marked organizer in the export`, `speaker ...`,
    /// `listed in not-attendees.csv (line 2): ...`.
    pub reason: String,
    /// Instructional minutes of these rows (never credited to anyone).
    pub minutes: i64,
    pub locations: Vec<Location>,
}

/// Attendance rows that matched nobody, grouped by who they say they are.
#[derive(Debug, Clone)]
pub struct Unmatched {
    pub who: Identity,
    /// Instructional minutes these rows would carry if matched.
    pub minutes: i64,
    pub locations: Vec<Location>,
}

/// One interval during which a matched attendee was present (from one attendance row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attended {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// The result of matching all attendance files against the roster.
#[derive(Debug, Clone, Default)]
pub struct Matched {
    /// Attendee id -> that person's presence intervals from every file.
    pub by_attendee: BTreeMap<String, Vec<Attended>>,
    pub unmatched: Vec<Unmatched>,
    /// Rows of hosts, organizers, speakers and people in not-attendees.csv that match nobody
    /// on the roster: reported, blocking nothing.
    pub not_attendees: Vec<NotAttendee>,
    /// Unmatched-row findings plus every file's row findings, with `attendee` filled in.
    pub findings: Vec<Finding>,
}

/// Matches every presence to a roster attendee. `blocks` are the instruction blocks (UTC),
/// used to tell how many minutes an unmatched name would carry.
pub fn match_attendance(
    roster: &Roster,
    aliases: &Aliases,
    files: &[FileAttendance],
    blocks: &[(DateTime<Utc>, DateTime<Utc>)],
) -> Matched {
    let mut matcher = Matcher::new(roster, aliases);
    for file in files {
        matcher.add_rows(file, file.presences.clone(), file.row_findings.clone());
    }
    matcher.finish(blocks)
}

/// A row that matched nobody, kept (with its file and line) for the `DATA-UNMATCHED` finding.
struct UnmatchedRow {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    source: Location,
}

/// [`match_attendance`] one file at a time: [`Matcher::add`] moves a file's presences to their
/// attendees as soon as the file is read, so a long offering never holds every file's rows
/// (each with its identity and source) at once.
pub struct Matcher<'a> {
    directory: Directory<'a>,
    findings: Vec<Finding>,
    /// Keyed by the roster's own id strings while matching; ordered once in `finish`.
    by_attendee: HashMap<&'a str, Vec<Attended>>,
    /// Unmatched rows (start, end, where), grouped by the identity key, in first-seen order.
    unmatched: Vec<(Identity, Vec<UnmatchedRow>)>,
    unmatched_index: HashMap<String, usize>,
    /// The not-attendee list, when the offering has one (see [`Matcher::with_not_attendees`]).
    not_attendee_list: Option<&'a NotAttendees>,
    /// Rows of not-attendees, grouped by (identity key, reason), in first-seen order.
    not_attendees: Vec<(Identity, String, Vec<UnmatchedRow>)>,
    not_attendees_index: HashMap<(String, String), usize>,
}

impl<'a> Matcher<'a> {
    pub fn new(roster: &'a Roster, aliases: &'a Aliases) -> Self {
        let directory = Directory::new(roster, aliases);
        let mut findings = Vec::new();
        for (alias, id) in &aliases.to_attendee {
            if directory.id(id).is_none() {
                findings.push(Finding::attendee(
                    ids::DATA_ALIAS_UNKNOWN.as_str(),
                    Severity::Error,
                    None,
                    format!(
                        "alias `{}` points to attendee id `{}`, which is not on the roster",
                        shorten(alias, 60),
                        shorten(id, 40)
                    ),
                    aliases.locations.get(alias).cloned(),
                    "correct the attendee id (it must be one of the roster's attendee_id values)",
                ));
            }
        }
        Matcher {
            directory,
            findings,
            by_attendee: HashMap::with_capacity(roster.attendees.len()),
            unmatched: Vec::new(),
            unmatched_index: HashMap::new(),
            not_attendee_list: None,
            not_attendees: Vec::new(),
            not_attendees_index: HashMap::new(),
        }
    }

    /// Sends the rows of the people in `list` that match nobody on the roster to the
    /// not-attendees instead of the unmatched.
    ///
    /// A listed email that is a roster attendee's is a `DATA-NOT-ATTENDEE` warning: the roster
    /// comes first, so that person's rows are still credited, which may not be what the list
    /// meant.
    pub fn with_not_attendees(mut self, list: &'a NotAttendees) -> Self {
        self.not_attendee_list = Some(list);
        let mut registered: Vec<(usize, &str, &'a str)> = list
            .by_email
            .iter()
            .filter_map(|(email, &index)| {
                Some((index, email.as_str(), self.directory.email(email)?))
            })
            .collect();
        registered.sort_unstable();
        for (index, email, id) in registered {
            self.findings.push(Finding::attendee(
                ids::DATA_NOT_ATTENDEE.as_str(),
                Severity::Warning,
                Some(id.to_string()),
                format!(
                    "<{}> is registered on the roster as {id} but is {}; rows that match the roster are credited to {id}",
                    shorten(email, 80),
                    list.reasons[index]
                ),
                list.locations[index].clone(),
                "if they are not an attendee, remove them from the roster; if they are, remove them from not-attendees.csv (or remove the [[speaker]] email)",
            ));
        }
        self
    }

    /// Why an unmatched presence is not an attendee's, if it is not: the list first (the
    /// administrator's word), then the role the export gives the row.
    fn not_attendee_reason(&self, who: &Identity, role: Option<Role>) -> Option<String> {
        if let Some(reason) = self.not_attendee_list.and_then(|list| list.reason(who)) {
            return Some(reason.to_string());
        }
        role.map(|role| format!("marked {} in the export", role.name()))
    }

    /// Matches one file, taking its presences and row findings (the file keeps its
    /// file-level findings and hash).
    pub fn add(&mut self, file: &mut FileAttendance) {
        let presences = std::mem::take(&mut file.presences);
        let row_findings = std::mem::take(&mut file.row_findings);
        self.add_rows(file, presences, row_findings);
    }

    /// Matches `presences` and attributes `row_findings`, read from `file` (which supplies
    /// the file's own findings).
    fn add_rows(
        &mut self,
        file: &FileAttendance,
        presences: Vec<Presence>,
        row_findings: Vec<(Identity, Finding)>,
    ) {
        let directory = &self.directory;
        self.findings.extend(file.findings.iter().cloned());
        // Looked for before the presences move to their attendees.
        let conflicts: Vec<Finding> = presences
            .iter()
            .filter_map(|presence| {
                let mut finding =
                    directory.conflict(&presence.who, &file.display_path, presence.line)?;
                if let Some(location) = &mut finding.location {
                    location.sheet = file.sheet.as_deref().map(Box::from);
                }
                Some(finding)
            })
            .collect();
        // Identities whose rows turn out to be a not-attendee's: their row findings (a host's
        // odd leave time, say) concern nobody who needs a certificate and are dropped.
        let mut not_attendee_keys: HashSet<String> = HashSet::new();
        for presence in presences {
            if let Some(id) = directory.find(&presence.who) {
                self.by_attendee.entry(id).or_default().push(Attended {
                    start: presence.start,
                    end: presence.end,
                });
                continue;
            }
            let key = presence.who.key();
            let row = UnmatchedRow {
                start: presence.start,
                end: presence.end,
                source: file.location(presence.line),
            };
            if let Some(reason) = self.not_attendee_reason(&presence.who, presence.role) {
                not_attendee_keys.insert(key.clone());
                let group = (key, reason);
                match self.not_attendees_index.get(&group) {
                    Some(&i) => self.not_attendees[i].2.push(row),
                    None => {
                        self.not_attendees_index
                            .insert(group.clone(), self.not_attendees.len());
                        self.not_attendees.push((presence.who, group.1, vec![row]));
                    }
                }
                continue;
            }
            match self.unmatched_index.get(&key) {
                Some(&i) => self.unmatched[i].1.push(row),
                None => {
                    self.unmatched_index.insert(key, self.unmatched.len());
                    self.unmatched.push((presence.who, vec![row]));
                }
            }
        }
        self.findings.extend(conflicts);
        for (who, mut finding) in row_findings {
            finding.attendee = directory.find(&who).map(str::to_string);
            if finding.attendee.is_none()
                && (not_attendee_keys.contains(&who.key())
                    || self
                        .not_attendee_list
                        .is_some_and(|list| list.reason(&who).is_some()))
            {
                continue;
            }
            self.findings.push(finding);
        }
    }

    /// Reports the unmatched names (`blocks` as for [`match_attendance`]) and hands over the
    /// result.
    pub fn finish(self, blocks: &[(DateTime<Utc>, DateTime<Utc>)]) -> Matched {
        let mut matched = Matched {
            findings: self.findings,
            ..Matched::default()
        };
        let mut by_attendee: Vec<(&str, Vec<Attended>)> = self.by_attendee.into_iter().collect();
        by_attendee.sort_unstable_by_key(|(id, _)| *id);
        matched.by_attendee = by_attendee
            .into_iter()
            .map(|(id, intervals)| (id.to_string(), intervals))
            .collect();
        let blocks = hours::union(blocks.to_vec());
        for (who, reason, rows) in self.not_attendees {
            let minutes = hours::credited_minutes(rows.iter().map(|p| (p.start, p.end)), &blocks);
            matched.not_attendees.push(NotAttendee {
                who,
                reason,
                minutes,
                locations: rows.into_iter().map(|p| p.source).collect(),
            });
        }
        for (who, presences) in self.unmatched {
            let minutes =
                hours::credited_minutes(presences.iter().map(|p| (p.start, p.end)), &blocks);
            let locations: Vec<Location> = presences.into_iter().map(|p| p.source).collect();
            let message = format!(
                "{} matches nobody on the roster (no matching attendee id, email or alias); these rows would carry {minutes} instructional minutes: {}",
                who.describe(),
                crate::findings::list_places(&locations)
            );
            let fix = format!(
                "add `{}` to aliases.csv (or correct the email or attendee id in the attendance file); if this is not an attendee (a host, staff, an observer), list them in not-attendees.csv beside course.toml",
                who.alias_line()
            );
            matched.findings.push(Finding::attendee(
                ids::DATA_UNMATCHED.as_str(),
                Severity::Error,
                None,
                message,
                locations.first().cloned(),
                fix,
            ));
            matched.unmatched.push(Unmatched {
                who,
                minutes,
                locations,
            });
        }
        matched
    }
}

/// The roster and the alias list as a lookup for inputs other than attendance (the LMS
/// assessment exports): the same order as for attendance rows (attendee id, email, alias,
/// the roster's phone numbers), and the same id-versus-email conflict.
pub struct Lookup<'a> {
    directory: Directory<'a>,
}

impl<'a> Lookup<'a> {
    pub fn new(roster: &'a Roster, aliases: &'a Aliases) -> Self {
        Lookup {
            directory: Directory::new(roster, aliases),
        }
    }

    /// The roster attendee id `who` names, if any.
    pub fn find(&self, who: &Identity) -> Option<&'a str> {
        self.directory.find(who)
    }

    /// A `DATA-IDENTITY-CONFLICT` when `who`'s attendee id and email name two different
    /// roster attendees (the row is counted for the id), at `file` line `line`.
    pub fn conflict(&self, who: &Identity, file: &std::path::Path, line: usize) -> Option<Finding> {
        self.directory.conflict(who, file, line)
    }
}
