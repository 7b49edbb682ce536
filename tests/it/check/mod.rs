//! `ceu check` and `ceu hours` on real offering folders: the SER2 worked example, and copies
//! of it with one thing changed, so every implemented rule is seen to fire and to stay quiet.
//!
//! One module per rule family: `disclosure`, `course` (definition and CEU arithmetic),
//! `completion` (completion, eligibility, reporting), `bodies` (NCBTMB, AOTA, PT, retention) and
//! `inputs` (files and the commands around `check`); the shared helpers are here.

mod bodies;
mod completion;
mod course;
mod disclosure;
mod inputs;

use crate::common::{Offering, attendee, finding_ids};
use serde_json::Value;

/// SER2 as shipped, judged before its ASHA deadline.
fn baseline() -> Value {
    let offering = Offering::ser2();
    let (code, json) = offering.check_json("2025-03-20");
    assert_eq!(code, 0, "SER2 must pass check: {json:#}");
    json
}

fn award<'a>(report: &'a Value, id: &str, body: &str) -> &'a Value {
    attendee(report, id)["credits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["body"] == body)
        .unwrap_or_else(|| panic!("{id} has no {body} entry"))
}

fn amount(report: &Value, id: &str, body: &str) -> Option<String> {
    award(report, id, body)["amount"]["value"]
        .as_str()
        .map(str::to_string)
}

/// Asserts that `rule` fires after `edit` with `severity`, and does not fire on SER2 as shipped.
fn fires_and_quiet(rule: &str, severity: &str, edit: impl FnOnce(&Offering)) -> Value {
    let quiet = baseline();
    assert!(
        !finding_ids(&quiet).iter().any(|(id, _)| id == rule),
        "{rule} fired on the unchanged SER2 record: {:#}",
        quiet["findings"]
    );
    let offering = Offering::ser2();
    edit(&offering);
    let (code, json) = offering.check_json("2025-03-20");
    let found = finding_ids(&json);
    assert!(
        found.iter().any(|(id, sev)| id == rule && sev == severity),
        "{rule} ({severity}) did not fire: {:#}",
        json["findings"]
    );
    assert_eq!(
        code,
        if severity == "error" { 1 } else { 0 },
        "exit code for {rule}"
    );
    json
}

#[test]
fn ser2_passes_check_with_the_expected_totals() {
    let report = baseline();
    assert_eq!(report["course_credit"]["instructional_minutes"], 1560);
    assert_eq!(report["course_credit"]["asha_ceus"], "2.60");
    assert_eq!(report["asha_rule_set"], "asha-2018");
    assert_eq!(report["asha_report_due"], "2025-04-23");
    assert_eq!(report["summary"]["attendees"], 24);
    assert_eq!(report["summary"]["errors"], 0);
}
