//! The accrediting bodies, one file each: what one body means (its credit arithmetic in
//! integer units, who is eligible and who completes for it, its offering-level rules, and the
//! wording of its credit lines on a certificate) lives in that body's file, behind
//! [`AccreditingBody`].
//!
//! The roster's [`Body`] enum stays the key (it is what the roster's credit column and the JSON
//! name); [`of`] finds a body's implementation, and [`ALL`] lists them in the order reports and
//! certificates show them. A new board is one new file plus one line in each.
//!
//! All arithmetic is on integers (ASHA-CEU-6); each body's amounts are counts of its smallest
//! step ([`Amount`]).

mod aota;
mod asha;
mod iacet;
mod ncbtmb;
mod pt;

pub use aota::contact_tenths as aota_contact_tenths;
pub use asha::ceu_hundredths as asha_ceu_hundredths;
pub use iacet::ceu_tenths as iacet_ceu_tenths;
pub use ncbtmb::ce_half_hours as ncbtmb_ce_half_hours;
pub use pt::contact_tenths as pt_contact_tenths;

use crate::catalogue::AshaRuleSet;
use crate::course::Course;
use crate::findings::Finding;
use crate::offering::{Offering, Schedule};
use crate::roster::{Attendee, Body};
use compact_str::{CompactString, format_compact};
use serde::Serialize;

/// What one accrediting body means to ceu. Implementations are unit structs, one per file.
pub trait AccreditingBody: Sync {
    /// What the body is called and how its amounts print.
    fn profile(&self) -> &'static Profile;

    /// The roster key of this body.
    fn body(&self) -> Body {
        self.profile().body
    }

    /// The heading of this body's credit block on a certificate ("ASHA", "Physical therapy").
    fn heading(&self) -> &'static str {
        self.profile().heading
    }

    /// `units` (a count of this body's smallest step) as printed, e.g. "2.60".
    fn value(&self, units: i64) -> String {
        self.profile().step.format(units)
    }

    /// The unit as printed after [`AccreditingBody::value`], e.g. "ASHA CEUs", "CE hours".
    fn unit(&self) -> &'static str {
        self.profile().unit
    }

    /// Whether the course record offers this body's credit (a `[credit.<body>]` table).
    fn offered(&self, course: &Course) -> bool;

    /// The most credit, in this body's units, that `schedule` supports for `course`.
    fn supported_units(&self, course: &Course, schedule: &Schedule) -> i64;

    /// Offering-level findings on the declared credit (approval fields present, amounts in the
    /// body's steps and within what the agenda supports). Nothing when the course does not
    /// offer the body's credit.
    fn check_credit(&self, offering: &Offering, findings: &mut Vec<Finding>);

    /// Why an attendee who did not request this body's credit has none (GEN-2; ASHA-ELIG-1).
    fn not_requested(&self) -> CompactString {
        format_compact!("did not request {} credit", self.body().name())
    }

    /// The credit for an attendee who requested it, the course offering it: eligibility, the
    /// body's own completion requirement and its amount. `None` only if the course does not
    /// offer the credit after all (the attendee then gets no entry).
    fn award(&self, case: &Case) -> Option<Grant>;

    /// Whether credit from this body makes a completer's certificate a "Certificate of
    /// Achievement" (NCBTMB, for a course with a test: NCBTMB-COMPLETE-1).
    fn certifies_achievement(&self, _course: &Course) -> bool {
        false
    }

    /// The lines of this body's credit block on a certificate for `amount`; `None` if the
    /// course does not offer the credit.
    fn credit_lines(
        &self,
        course: &Course,
        attendee: &Attendee,
        amount: Amount,
    ) -> Option<Vec<String>>;
}

/// What a body is called and the step its amounts are counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profile {
    /// The roster key.
    pub body: Body,
    /// The heading of its credit block on a certificate.
    pub heading: &'static str,
    /// The unit its amounts print with ("ASHA CEUs", "CE hours", "contact hours").
    pub unit: &'static str,
    /// Its smallest step: what one unit of an [`Amount`] is.
    pub step: Step,
}

/// The smallest step of a body's credit, and how a count of steps prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Hundredths ("2.60" from 260): ASHA CEUs.
    Hundredths,
    /// Tenths ("2.6" from 26): AOTA and PT contact hours, IACET CEUs.
    Tenths,
    /// Half hours ("28.5" from 57): NCBTMB CE hours.
    HalfHours,
}

impl Step {
    /// `units` steps as printed.
    pub fn format(self, units: i64) -> String {
        match self {
            Step::Hundredths => format_hundredths(units),
            Step::Tenths => format_tenths(units),
            Step::HalfHours => format_half_hours(units),
        }
    }
}

/// Every body, in the order reports and certificates list them (the order of [`Body::ALL`]).
pub static ALL: [&dyn AccreditingBody; 5] = [
    &asha::Asha,
    &ncbtmb::Ncbtmb,
    &aota::Aota,
    &iacet::Iacet,
    &pt::Pt,
];

/// The implementation of `body`.
pub fn of(body: Body) -> &'static dyn AccreditingBody {
    match body {
        Body::Asha => &asha::Asha,
        Body::Ncbtmb => &ncbtmb::Ncbtmb,
        Body::Aota => &aota::Aota,
        Body::Iacet => &iacet::Iacet,
        Body::Pt => &pt::Pt,
    }
}

/// One attendee's case, as every body's [`AccreditingBody::award`] sees it: attended minutes
/// and what the provider's completion policy decided.
#[derive(Debug, Clone, Copy)]
pub struct Case<'a> {
    pub course: &'a Course,
    pub attendee: &'a Attendee,
    pub rule_set: AshaRuleSet,
    /// Attended core minutes (instruction; completion, ASHA, NCBTMB, AOTA, PT).
    pub attended: i64,
    /// Attended minutes of instruction plus assessment and evaluation (IACET-CEU-1).
    pub attended_iacet: i64,
    /// The course's core minutes.
    pub total: i64,
    /// Attended at least the minutes the completion policy requires (ASHA-COMPLETE-3).
    pub attended_enough: bool,
    /// Met the whole completion policy (attendance and any required assessment).
    pub completed: bool,
    /// Why the attendee is or is not a completer, as the outcome says it.
    pub reason: &'a CompactString,
    /// Why the attendee has not completed the learning assessment (ASHA-COMPLETE-2), naming
    /// the LMS export's row where there is one; empty when they have.
    pub assessment_reason: &'a CompactString,
    /// The deciding row of the LMS export in `assessment/` when the attendee has not
    /// completed the assessment and exports decided it (``assessment/quiz.csv line 4: state
    /// `In progress` ``, or that the exports hold no attempt of theirs); `None` otherwise.
    pub assessment_row: Option<&'a str>,
    /// The course has an `[[exception]]` for this attendee (ASHA-PARTIAL-1).
    pub exception: bool,
}

/// One body's decision for one attendee who requested its credit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// Whether the attendee may earn this body's credit at all (ASHA-ELIG-2).
    pub eligible: bool,
    /// The credit awarded, if any.
    pub amount: Option<Amount>,
    /// Why (with the rule id when credit is withheld).
    pub reason: CompactString,
}

impl Grant {
    /// Credit of `units` of `body`, for `reason`.
    fn credit(body: Body, units: i64, reason: CompactString) -> Grant {
        Grant {
            eligible: true,
            amount: Some(Amount { body, units }),
            reason,
        }
    }

    /// No credit, for `reason`.
    fn none(reason: CompactString) -> Grant {
        Grant {
            eligible: true,
            amount: None,
            reason,
        }
    }
}

/// An amount of credit from one body: the integer count of the body's smallest step
/// (hundredths of an ASHA CEU, half NCBTMB hours, tenths of AOTA/PT contact hours and of IACET
/// CEUs). The printed number and unit follow from the body, so they are computed when asked
/// for rather than stored twice per award (at 100,000 attendees that was ~15 MB).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amount {
    pub body: Body,
    /// Integer amount in the body's smallest step.
    pub units: i64,
}

impl Amount {
    /// The number as printed, e.g. "2.60".
    pub fn value(&self) -> String {
        of(self.body).value(self.units)
    }

    /// The unit as printed, e.g. "ASHA CEUs", "CE hours", "contact hours".
    pub fn unit(&self) -> &'static str {
        of(self.body).unit()
    }
}

/// Serialized as `{"value": "2.60", "unit": "ASHA CEUs", "units": 260}`, as before the
/// printed forms were computed instead of stored.
impl Serialize for Amount {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("Amount", 3)?;
        out.serialize_field("value", &self.value())?;
        out.serialize_field("unit", self.unit())?;
        out.serialize_field("units", &self.units)?;
        out.end()
    }
}

/// "2.60" from 260 (hundredths).
pub fn format_hundredths(value: i64) -> String {
    format!("{}.{:02}", value / 100, value % 100)
}

/// "2.6" from 26 (tenths).
pub fn format_tenths(value: i64) -> String {
    format!("{}.{}", value / 10, value % 10)
}

/// "28.0" / "28.5" from a count of half hours.
pub fn format_half_hours(value: i64) -> String {
    format!("{}.{}", value / 2, if value % 2 == 1 { 5 } else { 0 })
}

/// The delivery format as printed (NCBTMB wants live / home study / webinar), from the
/// record's `format` ("live", "webinar", "on-demand", ...); an unknown format prints as given.
pub fn format_label(format: &str) -> String {
    match format.trim().to_ascii_lowercase().as_str() {
        "live" | "in-person" | "live-in-person" => "Live, in person".into(),
        "live-online" | "webinar" | "online-live" => "Live online (webinar)".into(),
        "recorded" | "on-demand" => "Recorded (home study)".into(),
        "home-study" => "Home study".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registration_follows_the_roster_key() {
        for (body, registered) in Body::ALL.into_iter().zip(ALL) {
            assert_eq!(registered.body(), body);
            assert_eq!(of(body).body(), body);
        }
    }

    #[test]
    fn an_amount_prints_in_its_bodys_step_and_serializes_as_value_unit_units() {
        let print = |body, units| {
            let a = Amount { body, units };
            (a.value(), a.unit())
        };
        assert_eq!(print(Body::Asha, 260), ("2.60".into(), "ASHA CEUs"));
        assert_eq!(print(Body::Ncbtmb, 51), ("25.5".into(), "CE hours"));
        assert_eq!(print(Body::Aota, 260), ("26.0".into(), "contact hours"));
        assert_eq!(print(Body::Iacet, 26), ("2.6".into(), "IACET CEUs"));
        assert_eq!(print(Body::Pt, 5), ("0.5".into(), "contact hours"));
        let json = serde_json::to_string(&Amount {
            body: Body::Asha,
            units: 5,
        })
        .unwrap();
        assert_eq!(json, r#"{"value":"0.05","unit":"ASHA CEUs","units":5}"#);
    }

    #[test]
    fn ser2_arithmetic_matches_compliance_worked_example() {
        // compliance.md §5: 1,560 minutes -> 2.60 ASHA CEUs; 1,365 -> 2.25.
        assert_eq!(asha_ceu_hundredths(1560), 260);
        assert_eq!(asha_ceu_hundredths(1365), 225);
        assert_eq!(asha_ceu_hundredths(29), 0);
        // NCBTMB is not minutes / 50: 390 instruction + 30 short-break minutes = 7 h a day.
        assert_eq!(ncbtmb_ce_half_hours(390, 30), 14);
        assert_eq!(ncbtmb_ce_half_hours(1560, 120), 56);
        // Breaks count only up to 10 per 50 instruction minutes.
        assert_eq!(ncbtmb_ce_half_hours(50, 60), 2);
        assert_eq!(aota_contact_tenths(1560), 260);
        assert_eq!(iacet_ceu_tenths(1560), 26);
        assert_eq!(iacet_ceu_tenths(30), 1);
        assert_eq!(iacet_ceu_tenths(29), 0);
        assert_eq!(iacet_ceu_tenths(89), 1);
        assert_eq!(iacet_ceu_tenths(90), 2);
        assert_eq!(pt_contact_tenths(1560, 50), 312);
        assert_eq!(format_hundredths(260), "2.60");
        assert_eq!(format_tenths(26), "2.6");
        assert_eq!(format_half_hours(57), "28.5");
    }
}
