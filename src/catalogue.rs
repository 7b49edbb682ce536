//! The rule catalogue: every rule id ceu raises a finding under or quotes in an attendee's
//! outcome, declared once, with its severity, what it blocks, its source (compliance.md section
//! and sources, as docs/rules.md gives them), where it is checked, and the ASHA rule sets it
//! applies under.
//!
//! Code names a rule by its typed id (`ids::ASHA_DISCLOSE_4`), never by a bare string, so a
//! misspelt id does not compile and [`all`] is the whole list (tests/it/catalogue.rs holds it
//! against docs/rules.md and the tests).
//!
//! ASHA rules are versioned by the offering's end date (GEN-4): offerings ending before
//! 2025-07-01 follow the 2018 CEB Requirements, later ones the 2025 Standards ([`AshaRuleSet`]);
//! the rules whose checks differ say so in [`Rule::rule_sets`].

use crate::findings::Severity;
use chrono::NaiveDate;
use serde::Serialize;
use std::fmt;

/// The version of the rule catalogue, recorded in every certificate record.
pub const RULES_VERSION: &str = "2026.11-1";

/// The date the ASHA 2025 Standards took effect (compliance.md, versioning caveat; [S16][S17]).
pub fn asha_2025_effective() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).expect("valid date")
}

/// Which ASHA rule set applies to an offering (GEN-4), serialized as `asha-2018` / `asha-2025`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AshaRuleSet {
    /// CEB Requirements (2018 manual): offerings ending before 2025-07-01.
    #[serde(rename = "asha-2018")]
    Asha2018,
    /// Standards for ASHA CE Providers: offerings ending on or after 2025-07-01.
    #[serde(rename = "asha-2025")]
    Asha2025,
}

impl AshaRuleSet {
    /// The rule set for an offering that ends on `end` (the offering's `end_date`).
    pub fn for_end_date(end: NaiveDate) -> Self {
        if end < asha_2025_effective() {
            AshaRuleSet::Asha2018
        } else {
            AshaRuleSet::Asha2025
        }
    }
}

/// A rule id as reports print it (`ASHA-DISCLOSE-4`). Only the catalogue makes them, so every
/// id in the code is one of [`ids`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RuleId(&'static str);

impl RuleId {
    /// The id as printed, e.g. `"ASHA-DISCLOSE-4"`.
    pub const fn as_str(self) -> &'static str {
        self.0
    }
}

impl AsRef<str> for RuleId {
    fn as_ref(&self) -> &str {
        self.0
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl PartialEq<RuleId> for str {
    fn eq(&self, other: &RuleId) -> bool {
        self == other.0
    }
}

impl PartialEq<RuleId> for String {
    fn eq(&self, other: &RuleId) -> bool {
        self == other.0
    }
}

/// What a rule's findings hold back, or how it acts without a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// An offering-scoped finding: an error blocks everyone.
    Offering,
    /// An attendee-scoped finding: an error blocks that attendee (or, for a row that matches
    /// nobody, no named person, but `check` exits 1).
    Attendee,
    /// No finding of its own: the rule decides an attendee's completion or credit, and its id
    /// is quoted in the outcome's `reason`. When an attendee who still receives a certificate
    /// is denied credit they requested, `page::credit_findings` repeats the id quoted in the
    /// reason as an attendee-scoped warning (listed as `Attendee` for the usual ones).
    Outcome,
    /// No finding: the rule is how ceu is built (integer arithmetic, one agenda, how the
    /// schedule is derived).
    Design,
}

/// Under which ASHA rule sets a rule is checked, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleSets {
    /// The same under both.
    Both,
    /// Only under the 2025 Standards (offerings ending on or after 2025-07-01).
    Asha2025Only,
    /// Under both, differently: the text says how.
    Differ(&'static str),
}

/// One rule of the catalogue.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub id: RuleId,
    /// The severities its findings take (empty when it raises none).
    pub severities: &'static [Severity],
    /// What it holds back, or how it acts without a finding.
    pub reach: &'static [Reach],
    /// compliance.md section and sources with their status, as docs/rules.md gives them;
    /// "ceu's own" for ids that are not compliance.md's.
    pub source: &'static str,
    /// The module (and function) that raises or decides it.
    pub checked_by: &'static str,
    pub rule_sets: RuleSets,
}

/// Declares each rule once: its constant in [`ids`] and its entry in [`all`].
macro_rules! catalogue {
    ($(
        $(#[$doc:meta])*
        $name:ident = $id:literal {
            severity: [$($severity:ident),*],
            reach: [$($reach:ident),*],
            source: $source:literal,
            checked_by: $checked_by:literal
            $(, rule_sets: $rule_sets:expr)? $(,)?
        }
    )*) => {
        /// Every rule id, as a typed constant: `use crate::catalogue::ids::*;`.
        pub mod ids {
            use super::RuleId;
            $( $(#[$doc])* pub const $name: RuleId = RuleId($id); )*
        }

        const RULES: &[Rule] = &[$(
            Rule {
                id: ids::$name,
                severities: &[$(Severity::$severity),*],
                reach: &[$(Reach::$reach),*],
                source: $source,
                checked_by: $checked_by,
                rule_sets: catalogue!(@rule_sets $($rule_sets)?),
            },
        )*];
    };
    (@rule_sets) => { RuleSets::Both };
    (@rule_sets $rule_sets:expr) => { $rule_sets };
}

catalogue! {
    /// Every speaker and planner has a disclosure on record.
    ASHA_DISCLOSE_1 = "ASHA-DISCLOSE-1" {
        severity: [Error], reach: [Offering],
        source: "compliance.md §3.1; [S1][S2] confirmed",
        checked_by: "rules::disclosure::check",
    }
    /// Both a financial and a nonfinancial statement, in words.
    ASHA_DISCLOSE_2 = "ASHA-DISCLOSE-2" {
        severity: [Error, Warning], reach: [Offering],
        source: "compliance.md §3.1; [S1][S8] confirmed",
        checked_by: "rules::disclosure::check",
    }
    /// A disclosed relationship names the organization and the kind of relationship.
    ASHA_DISCLOSE_3 = "ASHA-DISCLOSE-3" {
        severity: [Error], reach: [Offering],
        source: "compliance.md §3.1; [S1][S8] confirmed",
        checked_by: "rules::disclosure::check",
    }
    /// The person is named, not "Teacher".
    ASHA_DISCLOSE_4 = "ASHA-DISCLOSE-4" {
        severity: [Error], reach: [Offering],
        source: "compliance.md §3.1; [S1][S8] confirmed; the SER2 finding inferred",
        checked_by: "rules::disclosure::check",
    }
    /// Each speaker's own statement: no blanket statement covering several people.
    ASHA_DISCLOSE_5 = "ASHA-DISCLOSE-5" {
        severity: [Error], reach: [Offering],
        source: "compliance.md §3.1; [S8] confirmed",
        checked_by: "rules::disclosure::check",
    }
    /// Disclosures collected before delivery and re-confirmed for each offering.
    ASHA_DISCLOSE_8 = "ASHA-DISCLOSE-8" {
        severity: [Error, Warning], reach: [Offering],
        source: "compliance.md §3.1; [S2][S5] confirmed",
        checked_by: "rules::reconfirm::check",
    }
    /// A single-product course states that it gives limited or no information on alternatives.
    ASHA_DISCLOSE_10 = "ASHA-DISCLOSE-10" {
        severity: [Error], reach: [Offering],
        source: "compliance.md §3.1; [S4][S13] confirmed",
        checked_by: "rules::support::check",
    }
    /// External financial or in-kind support is disclosed to learners.
    ASHA_DISCLOSE_11 = "ASHA-DISCLOSE-11" {
        severity: [Error], reach: [Offering],
        source: "compliance.md §3.1; [S4] confirmed",
        checked_by: "rules::support::check",
    }
    /// A speaker who refused to disclose takes no part.
    ASHA_DISCLOSE_9 = "ASHA-DISCLOSE-9" {
        severity: [Error], reach: [Offering],
        source: "compliance.md §3.1; [S2] confirmed",
        checked_by: "rules::disclosure::check",
    }
    /// Never a bare "CEU": the unit names its body.
    GEN_3 = "GEN-3" {
        severity: [Error], reach: [Offering],
        source: "compliance.md §3.7; [S10][S51] confirmed",
        checked_by: "rules::wording::lint",
    }
    /// NCBTMB credit is in CE hours, never CEUs.
    NCBTMB_CE_4 = "NCBTMB-CE-4" {
        severity: [Error], reach: [Offering],
        source: "compliance.md §3.6; [S51] confirmed",
        checked_by: "rules::wording::lint",
    }
    /// The AOTA credit shows contact hours and AOTA CEUs.
    AOTA_CEU_2 = "AOTA-CEU-2" {
        severity: [Error], reach: [Offering],
        source: "compliance.md §3.6; [S65] secondary",
        checked_by: "rules::wording::lint",
    }
    /// The certificate does not mention "ASHA CEUs" or "ASHA Continuing Education".
    ASHA_CERT_1 = "ASHA-CERT-1" {
        severity: [Warning], reach: [Offering],
        source: "compliance.md §3.5; [S41] confirmed",
        checked_by: "rules::wording::lint",
    }
    /// The certificate says what receiving it does (not) mean.
    ASHA_CERT_2 = "ASHA-CERT-2" {
        severity: [Warning], reach: [Offering],
        source: "compliance.md §3.5; [S33] partially confirmed (wording UNCONFIRMED)",
        checked_by: "rules::wording::lint",
    }
    /// The AOTA approved-provider statement and "AOTA does not endorse" disclaimer.
    AOTA_CERT_1 = "AOTA-CERT-1" {
        severity: [Warning], reach: [Offering],
        source: "compliance.md §3.6; [S66][S40] secondary",
        checked_by: "rules::wording::lint",
    }
    /// The IACET approved AP statement is printed.
    IACET_CERT_1 = "IACET-CERT-1" {
        severity: [Warning], reach: [Offering],
        source: "compliance.md §3.6; [S49] confirmed",
        checked_by: "rules::wording::lint",
    }
    /// The registered description is in the past tense.
    ASHA_COURSE_9 = "ASHA-COURSE-9" {
        severity: [Warning], reach: [Offering],
        source: "compliance.md §3.2; [S22] confirmed (heuristic inferred)",
        checked_by: "rules::content::check",
    }
    /// No content promotes AIT, facilitated communication or the rapid prompting method.
    ASHA_COURSE_14 = "ASHA-COURSE-14" {
        severity: [Warning], reach: [Offering],
        source: "compliance.md §3.2; [S20] confirmed",
        checked_by: "rules::content::check",
    }
    /// The NCBTMB course was approved before the offering.
    NCBTMB_COURSE_1 = "NCBTMB-COURSE-1" {
        severity: [Error], reach: [Offering],
        source: "compliance.md §3.6; [S54][S55] confirmed",
        checked_by: "rules::approvals::check",
    }
    /// NCBTMB Approved Provider status is current through the offering.
    NCBTMB_PROVIDER_1 = "NCBTMB-PROVIDER-1" {
        severity: [Error], reach: [Offering],
        source: "compliance.md §3.6; [S55] confirmed",
        checked_by: "rules::approvals::check",
    }
    /// NCBTMB Approved Provider number format.
    NCBTMB_PROVIDER_2 = "NCBTMB-PROVIDER-2" {
        severity: [Warning], reach: [Offering],
        source: "compliance.md §3.6; [S58][S59] UNCONFIRMED",
        checked_by: "rules::approvals::check",
    }
    /// AOTA provider recognition is current through the offering.
    AOTA_PROVIDER_1 = "AOTA-PROVIDER-1" {
        severity: [Warning], reach: [Offering],
        source: "compliance.md §3.6; [S63][S64] confirmed",
        checked_by: "rules::approvals::check",
    }
    /// An AOTA activity states its outcomes and completion requirements.
    AOTA_COURSE_2 = "AOTA-COURSE-2" {
        severity: [Error], reach: [Offering],
        source: "compliance.md §3.6; [S67] confirmed",
        checked_by: "rules::boards::check",
    }
    /// A Texas PT's certificate carries the board's fields.
    PT_TX_1 = "PT-TX-1" {
        severity: [Error], reach: [Attendee],
        source: "compliance.md §3.6; [S68] confirmed",
        checked_by: "rules::boards::check",
    }
    /// An Iowa PT's certificate carries the board's fields.
    PT_IA_1 = "PT-IA-1" {
        severity: [Warning], reach: [Attendee],
        source: "compliance.md §3.6; [S69] confirmed",
        checked_by: "rules::boards::check",
    }
    /// An ASHA account number, when given, is 8 digits.
    ASHA_REPORT_3 = "ASHA-REPORT-3" {
        severity: [Warning], reach: [Attendee],
        source: "compliance.md §3.5; [S34]; format UNCONFIRMED",
        checked_by: "rules::participants::check (check), report::asha::build (the file)",
    }
    /// ASHA records kept long enough.
    ASHA_RECORD_1 = "ASHA-RECORD-1" {
        severity: [Warning], reach: [Offering],
        source: "compliance.md §3.5; [S11][S12][S21b] confirmed, conflicting",
        checked_by: "rules::retention::check",
    }
    /// NCBTMB certificates and student information kept at least 5 years.
    NCBTMB_RECORD_1 = "NCBTMB-RECORD-1" {
        severity: [Warning], reach: [Offering],
        source: "compliance.md §3.6; [S56] confirmed",
        checked_by: "rules::retention::check",
    }
    /// IACET learner records kept 7 years.
    IACET_RECORD_1 = "IACET-RECORD-1" {
        severity: [Warning], reach: [Offering],
        source: "compliance.md §3.6; [S47][S48] secondary",
        checked_by: "rules::retention::check",
    }
    /// Every offering of a course is identical (title, description, outcomes, agenda, CEUs,
    /// assessment).
    ASHA_COURSE_11 = "ASHA-COURSE-11" {
        severity: [Error], reach: [Offering],
        source: "compliance.md §3.2; [S27] confirmed",
        checked_by: "rules::across::check",
    }
    /// Offerings fall within the course's 5-year registration window.
    ASHA_COURSE_13 = "ASHA-COURSE-13" {
        severity: [Error], reach: [Offering],
        source: "compliance.md §3.2; [S20] confirmed",
        checked_by: "rules::across::check",
    }
    /// A subject code is assigned.
    ASHA_COURSE_7 = "ASHA-COURSE-7" {
        severity: [Warning], reach: [Offering],
        source: "compliance.md §3.2; [S22]; value list UNCONFIRMED",
        checked_by: "rules::course::check",
    }
    /// An instructor is reported for a course only the first time they teach it.
    ASHA_ELIG_3 = "ASHA-ELIG-3" {
        severity: [Warning], reach: [Outcome, Attendee],
        source: "compliance.md §3.4; [S34] confirmed",
        checked_by: "rules::repeats::withhold; page::credit_findings (the warning)",
    }
    /// A person is reported for a course once, unless the course allows repeats.
    ASHA_ELIG_4 = "ASHA-ELIG-4" {
        severity: [Warning], reach: [Outcome, Attendee],
        source: "compliance.md §3.4; [S34] confirmed",
        checked_by: "rules::repeats::withhold; page::credit_findings (the warning)",
    }
    /// The participant report's required fields: names (else left out), address and email.
    ASHA_REPORT_2 = "ASHA-REPORT-2" {
        severity: [Warning], reach: [Attendee],
        source: "compliance.md §3.5; [S34][S38] confirmed",
        checked_by: "rules::participants::check (check), report::asha::build (the file)",
    }
    /// Every offering is reported or closed, zero-participant offerings included.
    ASHA_REPORT_5 = "ASHA-REPORT-5" {
        severity: [Warning], reach: [Offering],
        source: "compliance.md §3.5; [S34][S38] confirmed",
        checked_by: "rules::reporting::check",
    }
    /// Each reported CEU is at most the course's and a multiple of 0.05.
    ASHA_REPORT_4 = "ASHA-REPORT-4" {
        severity: [Warning], reach: [Attendee],
        source: "compliance.md §3.5; [S14][S19] confirmed",
        checked_by: "rules::participants::check (check), report::asha::build (the file)",
    }
    /// The ASHA provider code is four capital letters.
    ASHA_COURSE_1 = "ASHA-COURSE-1" {
        severity: [Error], reach: [Offering],
        source: "compliance.md §3.2; [S24][S25] confirmed",
        checked_by: "rules::course::check",
    }
    /// The ASHA course number is four digits.
    ASHA_COURSE_2 = "ASHA-COURSE-2" {
        severity: [Warning], reach: [Offering],
        source: "compliance.md §3.2; [S24][S26] confirmed (legacy form)",
        checked_by: "rules::course::check",
    }
    /// ASHA offering numbers run 001, 002, …
    ASHA_COURSE_3 = "ASHA-COURSE-3" {
        severity: [Warning], reach: [Offering],
        source: "compliance.md §3.2; [S27] confirmed; combined ID format UNCONFIRMED",
        checked_by: "rules::course::check",
    }
    /// The title is at most 80 characters.
    ASHA_COURSE_4 = "ASHA-COURSE-4" {
        severity: [Warning], reach: [Offering],
        source: "compliance.md §3.2; [S26][S24] confirmed",
        checked_by: "rules::course::check",
    }
    /// The instructional level is one ASHA knows.
    ASHA_COURSE_5 = "ASHA-COURSE-5" {
        severity: [Error], reach: [Offering],
        source: "compliance.md §3.2; [S22] confirmed",
        checked_by: "rules::course::check",
    }
    /// The content area is B, P or R.
    ASHA_COURSE_6 = "ASHA-COURSE-6" {
        severity: [Error], reach: [Offering],
        source: "compliance.md §3.2; [S22] confirmed",
        checked_by: "rules::course::check",
    }
    /// Learning outcomes exist and use measurable verbs.
    ASHA_COURSE_8 = "ASHA-COURSE-8" {
        severity: [Warning], reach: [Offering],
        source: "compliance.md §3.2; [S28][S29] confirmed",
        checked_by: "rules::course::check",
    }
    /// The agenda exists, is in time order and every time exists in the offering's zone.
    ASHA_COURSE_10 = "ASHA-COURSE-10" {
        severity: [Error], reach: [Offering],
        source: "compliance.md §3.2; [S11][S27]; \"time-ordered\" wording UNCONFIRMED",
        checked_by: "rules::agenda::check",
    }
    /// Only instructional minutes count.
    ASHA_CEU_1 = "ASHA-CEU-1" {
        severity: [Error], reach: [Offering],
        source: "compliance.md §3.3; [S14][S20] confirmed; assessment counting UNCONFIRMED",
        checked_by: "rules::agenda::check (working meals), rules::credit::check (no instruction)",
    }
    /// Contact hours are ten times the CEUs.
    ASHA_CEU_2 = "ASHA-CEU-2" {
        severity: [Error], reach: [Offering],
        source: "compliance.md §3.3; [S14][S18] confirmed; round-down for providers inferred",
        checked_by: "bodies::asha (Asha::check_credit)",
    }
    /// The registered CEUs do not exceed what the agenda supports.
    ASHA_CEU_3 = "ASHA-CEU-3" {
        severity: [Error, Warning], reach: [Offering],
        source: "compliance.md §3.3; inferred from [S14]",
        checked_by: "bodies::asha (Asha::check_credit)",
    }
    /// The registered CEUs are a multiple of 0.05.
    ASHA_CEU_4 = "ASHA-CEU-4" {
        severity: [Error], reach: [Offering],
        source: "compliance.md §3.3; [S14][S19][S18] confirmed",
        checked_by: "bodies::asha (Asha::check_credit)",
    }
    /// The agenda supports at least the configured minimum.
    ASHA_CEU_5 = "ASHA-CEU-5" {
        severity: [Warning], reach: [Offering],
        source: "compliance.md §3.3; UNCONFIRMED",
        checked_by: "bodies::asha (Asha::check_credit)",
    }
    /// No floating point in credit arithmetic.
    ASHA_CEU_6 = "ASHA-CEU-6" {
        severity: [], reach: [Design],
        source: "compliance.md §3.3; inferred",
        checked_by: "hours and bodies (integer arithmetic throughout)",
    }
    /// The completion requirements are stated.
    ASHA_COMPLETE_1 = "ASHA-COMPLETE-1" {
        severity: [Error], reach: [Offering],
        source: "compliance.md §3.4; [S33] confirmed",
        checked_by: "rules::completion::check",
    }
    /// A learning assessment is part of completion (2025 Standards).
    ASHA_COMPLETE_2 = "ASHA-COMPLETE-2" {
        severity: [Error], reach: [Offering, Outcome],
        source: "compliance.md §3.4; [S16] confirmed",
        checked_by: "rules::completion::check (offering), rules::outcome and bodies::asha (attendees)",
        rule_sets: RuleSets::Differ("the offering error and the withheld ASHA credit only under asha-2025; an attendee without a required assessment does not complete under both"),
    }
    /// The attendance policy is usable, and decides completion.
    ASHA_COMPLETE_3 = "ASHA-COMPLETE-3" {
        severity: [Error], reach: [Offering, Outcome],
        source: "compliance.md §3.4; inferred from [S19]",
        checked_by: "rules::completion::check (offering), rules::outcome (attendees)",
    }
    /// Partial credit only when registered for it or by documented exception.
    ASHA_PARTIAL_1 = "ASHA-PARTIAL-1" {
        severity: [Error], reach: [Offering, Outcome],
        source: "compliance.md §3.4; [S19][S35] confirmed",
        checked_by: "rules::data::check (exception not on the roster), bodies::asha (attendees)",
    }
    /// Partial credit is the attended minutes in half-hour steps.
    ASHA_PARTIAL_2 = "ASHA-PARTIAL-2" {
        severity: [], reach: [Outcome],
        source: "compliance.md §3.4; inferred [S14][S18]",
        checked_by: "bodies::asha (Asha::award)",
    }
    /// ASHA credit only for attendees who stated their intent.
    ASHA_ELIG_1 = "ASHA-ELIG-1" {
        severity: [], reach: [Outcome],
        source: "compliance.md §3.4; [S33] confirmed",
        checked_by: "bodies::asha (Asha::not_requested)",
    }
    /// ASHA credit only for eligible professions.
    ASHA_ELIG_2 = "ASHA-ELIG-2" {
        severity: [Warning], reach: [Outcome, Attendee],
        source: "compliance.md §3.4; [S37] confirmed (2011 rule)",
        checked_by: "bodies::asha (Asha::award); page::credit_findings (the warning)",
    }
    /// The participant report's due date.
    ASHA_REPORT_1 = "ASHA-REPORT-1" {
        severity: [Warning], reach: [Offering],
        source: "compliance.md §3.5; [S34][S38][S31] confirmed",
        checked_by: "rules::reporting::check",
        rule_sets: RuleSets::Differ("under asha-2018 a weekend due date moves back to the Friday; under asha-2025 it does not move"),
    }
    /// Approved hours do not exceed what the agenda supports.
    NCBTMB_CE_1 = "NCBTMB-CE-1" {
        severity: [Error], reach: [Offering],
        source: "compliance.md §3.6; [S51][S52] confirmed",
        checked_by: "bodies::ncbtmb (Ncbtmb::check_credit)",
    }
    /// Approved hours are whole or half hours.
    NCBTMB_CE_2 = "NCBTMB-CE-2" {
        severity: [Error], reach: [Offering],
        source: "compliance.md §3.6; [S52] confirmed; rounding direction UNCONFIRMED (assumed down)",
        checked_by: "bodies::ncbtmb (Ncbtmb::check_credit)",
    }
    /// Approved hours and title are present, and completers get the approved hours.
    NCBTMB_CE_3 = "NCBTMB-CE-3" {
        severity: [Error], reach: [Offering, Outcome],
        source: "compliance.md §3.6; [S51] confirmed",
        checked_by: "bodies::ncbtmb (Ncbtmb::check_credit and Ncbtmb::award)",
    }
    /// 100% attendance of a live course; a course with a test gives a Certificate of Achievement.
    NCBTMB_COMPLETE_1 = "NCBTMB-COMPLETE-1" {
        severity: [Warning], reach: [Outcome, Attendee],
        source: "compliance.md §3.6; [S53] confirmed",
        checked_by: "bodies::ncbtmb (Ncbtmb::award); page::credit_findings (the warning)",
    }
    /// An AOTA activity has its approval id.
    AOTA_COURSE_1 = "AOTA-COURSE-1" {
        severity: [Error], reach: [Offering],
        source: "compliance.md §3.6; [S61][S62] confirmed",
        checked_by: "bodies::aota (Aota::check_credit), rules::approvals::check (approved before the start)",
    }
    /// AOTA contact hours do not exceed what the agenda supports.
    AOTA_CEU_1 = "AOTA-CEU-1" {
        severity: [Error], reach: [Offering, Outcome],
        source: "compliance.md §3.6; [S60] confirmed",
        checked_by: "bodies::aota (Aota::check_credit and Aota::award)",
    }
    /// IACET minutes include assessment and evaluation.
    IACET_CEU_1 = "IACET-CEU-1" {
        severity: [], reach: [Design],
        source: "compliance.md §3.6; [S43][S44] secondary",
        checked_by: "offering::schedule",
    }
    /// IACET CEUs in tenths, at most what the agenda supports, at least 0.1.
    IACET_CEU_2 = "IACET-CEU-2" {
        severity: [Error], reach: [Offering, Outcome],
        source: "compliance.md §3.6; [S45] confirmed",
        checked_by: "bodies::iacet (Iacet::check_credit and Iacet::award)",
    }
    /// PT contact hours at the board's hour length.
    PT_AL_1 = "PT-AL-1" {
        severity: [Error], reach: [Offering, Outcome],
        source: "compliance.md §3.6; [S70] confirmed",
        checked_by: "bodies::pt (Pt::check_credit and Pt::award)",
    }
    /// Each body's credit by its own function, from one agenda.
    GEN_1 = "GEN-1" {
        severity: [], reach: [Design],
        source: "compliance.md §3.7; [S14][S45][S52]",
        checked_by: "bodies (one file per body)",
    }
    /// Credit only if the course offers it and the attendee requested it.
    GEN_2 = "GEN-2" {
        severity: [Warning], reach: [Outcome, Attendee],
        source: "compliance.md §3.7; [S37][S54][S61] inferred",
        checked_by: "rules::outcome (awards); page::credit_findings (the warning)",
    }
    /// ASHA rules are selected by the offering's end date.
    GEN_4 = "GEN-4" {
        severity: [], reach: [Design],
        source: "compliance.md §3.7; [S16][S17]",
        checked_by: "catalogue::AshaRuleSet::for_end_date",
    }
    /// Two roster rows share an email.
    DATA_DUP_EMAIL = "DATA-DUP-EMAIL" {
        severity: [Error], reach: [Attendee],
        source: "ceu's own (docs/attendance.md)",
        checked_by: "roster (ingestion)",
    }
    /// A roster credit column names an unknown body.
    DATA_CREDIT = "DATA-CREDIT" {
        severity: [Error], reach: [Attendee],
        source: "ceu's own (docs/attendance.md)",
        checked_by: "roster (ingestion)",
    }
    /// A roster value is not understood.
    DATA_VALUE = "DATA-VALUE" {
        severity: [Error], reach: [Attendee],
        source: "ceu's own (docs/attendance.md)",
        checked_by: "roster (ingestion)",
    }
    /// A roster cell holds an invisible control character.
    DATA_CONTROL_CHARACTER = "DATA-CONTROL-CHARACTER" {
        severity: [Error], reach: [Attendee],
        source: "ceu's own (docs/attendance.md)",
        checked_by: "roster (ingestion)",
    }
    /// The roster has no attendees yet.
    DATA_ROSTER_EMPTY = "DATA-ROSTER-EMPTY" {
        severity: [Warning], reach: [Offering],
        source: "ceu's own",
        checked_by: "roster (ingestion)",
    }
    /// A time that cannot be read, or a missing sign-in/sign-out.
    DATA_TIME = "DATA-TIME" {
        severity: [Error], reach: [Attendee],
        source: "ceu's own (docs/attendance.md)",
        checked_by: "attendance (ingestion)",
    }
    /// A 12-hour time without AM/PM that reads both ways.
    DATA_AMBIGUOUS_TIME = "DATA-AMBIGUOUS-TIME" {
        severity: [Error], reach: [Attendee],
        source: "ceu's own (docs/attendance.md)",
        checked_by: "attendance::signin (ingestion)",
    }
    /// A date that cannot be read or is not an offering date.
    DATA_DATE = "DATA-DATE" {
        severity: [Error], reach: [Attendee],
        source: "ceu's own (docs/attendance.md)",
        checked_by: "attendance (ingestion)",
    }
    /// Sign-out not after sign-in.
    DATA_ORDER = "DATA-ORDER" {
        severity: [Error], reach: [Attendee],
        source: "ceu's own (docs/attendance.md)",
        checked_by: "attendance (ingestion)",
    }
    /// Two sign-ins of one person in one sheet overlap.
    DATA_OVERLAP = "DATA-OVERLAP" {
        severity: [Error], reach: [Attendee],
        source: "ceu's own (docs/attendance.md)",
        checked_by: "attendance::signin (ingestion)",
    }
    /// A row repeats an earlier row exactly.
    DATA_DUPLICATE_ROW = "DATA-DUPLICATE-ROW" {
        severity: [Warning], reach: [Attendee],
        source: "ceu's own (docs/attendance.md)",
        checked_by: "attendance (ingestion)",
    }
    /// A local time in a daylight-saving gap or fold.
    DATA_DST = "DATA-DST" {
        severity: [Error], reach: [Attendee],
        source: "ceu's own (docs/attendance.md)",
        checked_by: "attendance (ingestion)",
    }
    /// A row with times but no name, email or id.
    DATA_IDENTITY = "DATA-IDENTITY" {
        severity: [Error], reach: [Attendee],
        source: "ceu's own (docs/attendance.md)",
        checked_by: "attendance::signin, attendance::zoom, attendance::teams, attendance::scanner (ingestion)",
    }
    /// A scanner event that is neither in nor out.
    DATA_EVENT = "DATA-EVENT" {
        severity: [Error], reach: [Attendee],
        source: "ceu's own (docs/attendance.md)",
        checked_by: "attendance::scanner (ingestion)",
    }
    /// A scanner check-out without check-in, or a check-in never closed.
    DATA_UNPAIRED = "DATA-UNPAIRED" {
        severity: [Error, Warning], reach: [Attendee],
        source: "ceu's own (docs/attendance.md)",
        checked_by: "attendance::scanner (ingestion)",
    }
    /// A row's attendee id and email belong to two different attendees.
    DATA_IDENTITY_CONFLICT = "DATA-IDENTITY-CONFLICT" {
        severity: [Error], reach: [Attendee],
        source: "ceu's own (docs/attendance.md)",
        checked_by: "attendance::identity (matching)",
    }
    /// Attendance rows that match nobody on the roster; while they carry minutes they hold
    /// back every attendee whose outcome more minutes would change.
    DATA_UNMATCHED = "DATA-UNMATCHED" {
        severity: [Error], reach: [Attendee],
        source: "ceu's own (docs/attendance.md)",
        checked_by: "attendance::identity (matching); rules::data::unresolved_rows (holding back); assessment::decide (assessment rows)",
    }
    /// An alias points to an id not on the roster.
    DATA_ALIAS_UNKNOWN = "DATA-ALIAS-UNKNOWN" {
        severity: [Error], reach: [Attendee],
        source: "ceu's own (docs/attendance.md)",
        checked_by: "attendance::identity (matching)",
    }
    /// A roster attendee is listed as not an attendee.
    DATA_NOT_ATTENDEE = "DATA-NOT-ATTENDEE" {
        severity: [Warning], reach: [Attendee],
        source: "ceu's own (docs/attendance.md)",
        checked_by: "attendance::identity (matching)",
    }
    /// The roster's assessment_completed and the LMS assessment export disagree.
    DATA_ASSESSMENT_CONFLICT = "DATA-ASSESSMENT-CONFLICT" {
        severity: [Error], reach: [Attendee],
        source: "ceu's own (docs/assessment.md)",
        checked_by: "assessment::decide (loading)",
    }
    /// A file sits a whole number of hours off the agenda.
    DATA_ZONE_SHIFT = "DATA-ZONE-SHIFT" {
        severity: [Error], reach: [Offering],
        source: "ceu's own (docs/attendance.md)",
        checked_by: "attendance (ingestion)",
    }
    /// A file's zones disagree.
    DATA_ZONE_CONFLICT = "DATA-ZONE-CONFLICT" {
        severity: [Error], reach: [Offering],
        source: "ceu's own (docs/attendance.md)",
        checked_by: "attendance (ingestion)",
    }
    /// An undeclared 8-bit input looks like another encoding than the Windows-1252 it was
    /// read as.
    DATA_ENCODING = "DATA-ENCODING" {
        severity: [Warning], reach: [Offering],
        source: "ceu's own (docs/attendance.md)",
        checked_by: "roster and attendance (ingestion)",
    }
    /// The offering has no attendance files.
    DATA_NO_ATTENDANCE = "DATA-NO-ATTENDANCE" {
        severity: [Warning], reach: [Offering],
        source: "ceu's own",
        checked_by: "rules::data::check",
    }
    /// A value in course.toml is still the `ceu init` template's placeholder.
    RECORD_PLACEHOLDER = "RECORD-PLACEHOLDER" {
        severity: [Error], reach: [Offering],
        source: "ceu's own",
        checked_by: "rules::placeholders::check",
    }
    /// Printed details hold characters no bundled font can draw or shape (an error on a
    /// certificate, a warning on a notice to a non-completer).
    RENDER_GLYPHS = "RENDER-GLYPHS" {
        severity: [Error, Warning], reach: [Attendee],
        source: "ceu's own",
        checked_by: "issue::glyphs::glyph_findings (with scripts::ShapingCheck)",
    }
    /// A value does not fit its place on the page.
    RENDER_CLIPPED = "RENDER-CLIPPED" {
        severity: [Error], reach: [Attendee, Offering],
        source: "ceu's own",
        checked_by: "page::layout_findings",
    }
    /// The template cannot lay out a certificate, or sets text under 8 pt.
    RENDER_TEMPLATE = "RENDER-TEMPLATE" {
        severity: [Error], reach: [Attendee, Offering],
        source: "ceu's own",
        checked_by: "page::layout_findings",
    }
}

/// Every rule of the catalogue, in the order of docs/rules.md.
pub fn all() -> &'static [Rule] {
    RULES
}

/// The catalogued id spelt `text` (`"ASHA-ELIG-2"`), if there is one.
pub fn id(text: &str) -> Option<RuleId> {
    RULES.iter().map(|rule| rule.id).find(|id| id.0 == text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_id_is_declared_once() {
        let mut seen = std::collections::HashSet::new();
        for rule in all() {
            assert!(seen.insert(rule.id), "{} twice", rule.id);
        }
        assert_eq!(id("ASHA-ELIG-2"), Some(ids::ASHA_ELIG_2));
        assert_eq!(id("ASHA-ELIG-9"), None);
    }

    #[test]
    fn rule_set_switches_on_2025_07_01() {
        assert_eq!(
            AshaRuleSet::for_end_date(NaiveDate::from_ymd_opt(2025, 6, 30).unwrap()),
            AshaRuleSet::Asha2018
        );
        assert_eq!(
            AshaRuleSet::for_end_date(NaiveDate::from_ymd_opt(2025, 7, 1).unwrap()),
            AshaRuleSet::Asha2025
        );
    }
}
