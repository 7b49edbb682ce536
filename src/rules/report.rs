//! The report of `check`: each attendee's outcome and awards, the findings and the summary,
//! serialized as stable JSON (docs/check-json.md). The rules that fill it are in the sibling
//! modules; this file only holds the model and keeps it consistent ([`Report::with_findings`]).

use super::AshaRuleSet;
use crate::findings::{Finding, Location, Scope};
use crate::roster::Body;
use chrono::NaiveDate;
use compact_str::CompactString;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

pub use crate::bodies::Amount;

/// How an attendee came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Met the completion policy: a certificate is issued.
    Completed,
    /// Did not complete, but was awarded partial credit by at least one body: a certificate
    /// showing that credit is issued.
    Partial,
    /// Not a completer (the reason says why): no certificate.
    NotCompleted,
}

/// One body's decision for one attendee (JSON: an entry of the attendee's `credits`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Award {
    /// The body (`"ASHA"`, `"NCBTMB"`, `"AOTA"`, `"IACET"`, `"PT"`).
    pub body: Body,
    /// The attendee asked for this body's credit (roster `credit` column; ASHA-ELIG-1).
    pub requested: bool,
    /// The course offers it (a `[credit.<body>]` table; GEN-2).
    pub offered: bool,
    /// The attendee may earn it at all (false only for ASHA-ELIG-2).
    pub eligible: bool,
    /// The credit awarded, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
    /// Why (with the rule id when credit is withheld).
    pub reason: CompactString,
}

/// One attendee's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttendeeOutcome {
    /// The roster's attendee id.
    pub attendee_id: CompactString,
    /// The name as printed.
    pub name: CompactString,
    /// The roster's profession, as written there.
    pub profession: CompactString,
    /// Attended instructional minutes (union of presence intervals within instruction).
    pub attended_minutes: i64,
    /// The course's instructional minutes.
    pub instructional_minutes: i64,
    /// Completed, partial or not completed.
    pub status: Status,
    /// Why the attendee is not a completer (or "met the completion policy").
    pub reason: CompactString,
    /// Rule ids of attendee-level error findings that block this attendee's certificate.
    pub blocked_by: Vec<String>,
    /// One entry per body the course offers or the attendee requested.
    pub credits: Vec<Award>,
    /// Whether more attended minutes would change this outcome (status or the credit of a
    /// body the attendee requested): such an attendee is held back while attendance rows that
    /// may be theirs are unresolved ([`Report::unresolved_rows`]). Not part of the JSON.
    #[serde(skip)]
    pub below_maximum: bool,
}

impl AttendeeOutcome {
    /// Whether a certificate would be issued (a completer or partial, and not blocked).
    pub fn issuable(&self) -> bool {
        self.status != Status::NotCompleted && self.blocked_by.is_empty()
    }
}

/// Course-level credit the agenda supports, per body: ceilings for what the record may
/// declare (ASHA-CEU-3, NCBTMB-CE-1, AOTA-CEU-1, IACET-CEU-2), printed as each body prints.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CourseCredit {
    /// Core instructional minutes (instruction, working-meal presentations).
    pub instructional_minutes: i64,
    /// ASHA CEUs, two decimals ("2.60").
    pub asha_ceus: String,
    /// NCBTMB CE hours, in half hours ("28.0").
    pub ncbtmb_ce_hours: String,
    /// AOTA contact hours, one decimal ("26.0").
    pub aota_contact_hours: String,
    /// IACET CEUs, one decimal ("2.6"), over instruction plus assessment (IACET-CEU-1).
    pub iacet_ceus: String,
}

/// An unmatched attendance identity, for the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnmatchedName {
    /// Who the rows say they are, as far as they say it.
    pub name: Option<String>,
    pub email: Option<String>,
    pub attendee_id: Option<String>,
    pub phone: Option<String>,
    /// Their instructional minutes, credited to no one.
    pub minutes: i64,
    /// Where the rows are (`file:line`).
    pub locations: Vec<String>,
}

/// Attendance of someone who is not an attendee (a host, organizer, speaker, or a person in
/// not-attendees.csv), for the report; blocks nothing (docs/check-json.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotAttendeeName {
    /// Who the rows say they are, their minutes (credited to no one) and where they are.
    #[serde(flatten)]
    pub rows: UnmatchedName,
    /// Why the rows are not an attendee's (`marked organizer in the export`, ...).
    pub reason: String,
}

impl UnmatchedName {
    pub(super) fn new(
        who: &crate::attendance::Identity,
        minutes: i64,
        locations: &[Location],
    ) -> Self {
        UnmatchedName {
            name: who.name.clone(),
            email: who.email.clone(),
            attendee_id: who.attendee_id.clone(),
            phone: who.phone.clone(),
            minutes,
            locations: locations.iter().map(ToString::to_string).collect(),
        }
    }
}

/// The whole result of `check`: stable JSON (docs/check-json.md).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// `"ceu-check/1"`.
    pub schema: &'static str,
    pub offering_id: String,
    pub title: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// The day deadlines are judged on (`--as-of`, default today).
    pub as_of: NaiveDate,
    /// The ASHA rule set the end date selects (GEN-4).
    pub asha_rule_set: AshaRuleSet,
    /// The ASHA reporting deadline, when ASHA credit is offered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asha_report_due: Option<NaiveDate>,
    pub course_credit: CourseCredit,
    /// Every finding, offering-scoped first, then by severity, file and line.
    pub findings: Vec<Finding>,
    /// One outcome per roster attendee, in roster order.
    pub attendees: Vec<AttendeeOutcome>,
    /// Attendance that matches nobody on the roster.
    pub unmatched: Vec<UnmatchedName>,
    /// Attendance of people who are not attendees (hosts, speakers, not-attendees.csv).
    pub not_attendees: Vec<NotAttendeeName>,
    pub summary: Summary,
    /// Rule ids of unresolved attendance rows that may belong to anyone on the roster
    /// (`rules::data::unresolved_rows`): each holds back every attendee whose outcome more minutes would
    /// change (`below_maximum`). Not part of the JSON; it shows in `blocked_by`.
    #[serde(skip)]
    pub unresolved_rows: Vec<String>,
}

/// Counts over the findings and the outcomes (JSON `summary`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Error findings (any scope).
    pub errors: usize,
    /// Warning findings.
    pub warnings: usize,
    /// Offering-scoped error findings: any blocks everyone.
    pub offering_errors: usize,
    /// Roster attendees, then how many came out completed, partial and not completed.
    pub attendees: usize,
    pub completed: usize,
    pub partial: usize,
    pub not_completed: usize,
    /// Attendees held back by an attendee-scoped error (a non-empty `blocked_by`).
    pub blocked: usize,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(Finding::is_error)
    }

    /// Whether issuing is blocked for everyone.
    pub fn offering_blocked(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.is_error() && f.scope == Scope::Offering)
    }
}

impl Report {
    /// Adds findings (for example `RENDER-GLYPHS` from the renderer), then re-derives who is
    /// blocked, the order and the summary, so every caller sees one consistent report.
    pub fn with_findings(mut self, extra: Vec<Finding>) -> Report {
        self.findings.extend(extra);
        // Offering findings first, then by severity, file and line: a stable order for diffs.
        self.findings.sort_by(|a, b| {
            (a.scope, a.severity, &a.location, &a.rule).cmp(&(
                b.scope,
                b.severity,
                &b.location,
                &b.rule,
            ))
        });
        // Attendee id -> the rule ids of the attendee-level errors that hold them back, in one
        // pass over the findings (not one pass per attendee).
        let mut blocking: HashMap<&str, Vec<&str>> = HashMap::new();
        for finding in &self.findings {
            if finding.is_error()
                && finding.scope == Scope::Attendee
                && let Some(id) = finding.attendee.as_deref()
            {
                blocking.entry(id).or_default().push(&finding.rule);
            }
        }
        for attendee in &mut self.attendees {
            let mut ids: Vec<String> = blocking
                .get(attendee.attendee_id.as_str())
                .map(|rules| rules.iter().map(|rule| rule.to_string()).collect())
                .unwrap_or_default();
            if attendee.below_maximum {
                ids.extend(self.unresolved_rows.iter().cloned());
            }
            ids.sort();
            ids.dedup();
            attendee.blocked_by = ids;
        }
        let findings = &self.findings;
        let attendees = &self.attendees;
        let count = |status: Status| attendees.iter().filter(|a| a.status == status).count();
        self.summary = Summary {
            errors: findings.iter().filter(|f| f.is_error()).count(),
            warnings: findings.iter().filter(|f| !f.is_error()).count(),
            offering_errors: findings
                .iter()
                .filter(|f| f.is_error() && f.scope == Scope::Offering)
                .count(),
            attendees: attendees.len(),
            completed: count(Status::Completed),
            partial: count(Status::Partial),
            not_completed: count(Status::NotCompleted),
            blocked: attendees
                .iter()
                .filter(|a| !a.blocked_by.is_empty())
                .count(),
        };
        self
    }
}

/// Counts of findings per rule id, for summaries.
pub fn rule_counts(findings: &[Finding]) -> BTreeMap<&str, usize> {
    let mut counts = BTreeMap::new();
    for finding in findings {
        *counts.entry(finding.rule.as_str()).or_insert(0) += 1;
    }
    counts
}
