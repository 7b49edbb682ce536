//! The rule catalogue (`ceu::catalogue::all()`), docs/rules.md and the tests agree.
//!
//! What is checked, and its limits:
//! - **Documented.** Every catalogued id appears in docs/rules.md outside its "Not implemented
//!   yet" section. Only the id is looked for: that its row states the same severity and scope
//!   is not checked.
//! - **Implemented or marked.** Every id docs/rules.md names (a whole id such as
//!   `ASHA-DISCLOSE-5`) is catalogued, or named in its "Not implemented yet" section, whose
//!   bullets give the reason. A shorthand after a whole id (`-6`, `-2 to -6`) is not read.
//! - **Fires.** Every catalogued id that raises a finding or decides an outcome appears, as a
//!   string, in the source of a test under tests/it/ (in this file, only below the firing-tests
//!   marker). This is a convention, not a proof: a mention in a comment counts as much as an
//!   assertion that the id fires. The exceptions are [`NOT_YET_FIRED`], each with its reason;
//!   it must list exactly the ids missing, so it shrinks as tests are added.
//! - **Stays quiet.** SER2 as shipped (checked as of 2025-03-20) raises no finding under any
//!   catalogued id but those of [`FIRE_ON_SER2`]. That proves quiet on one good record, not on
//!   every good record. Outcome-only ids raise no finding; their quiet case is SER2's
//!   completers, who are awarded credit.
//! - **Where checked.** The first name of each comma-separated part of a rule's `checked_by`
//!   is a module under src/ that exists and, when it ends in a function, defines it. Names in
//!   parentheses are notes and are not checked.
//! - Design ids (how ceu is built: GEN-1, GEN-4, ASHA-CEU-6, IACET-CEU-1) raise nothing and
//!   are only held to the documentation checks.

use crate::common::{Offering, finding_ids, repo};
use ceu::catalogue::{self, Reach, Rule};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// Catalogued ids no test under tests/it/ makes fire yet, and why.
const NOT_YET_FIRED: &[(&str, &str)] = &[(
    "RENDER-TEMPLATE",
    "needs a certificate template that fails to lay out or sets text under 8 pt; the tests render only the bundled template",
)];

/// Ids that fire on SER2 as shipped, and why that is right.
const FIRE_ON_SER2: &[(&str, &str)] = &[(
    "ASHA-ELIG-2",
    "SER2's massage therapists requested ASHA credit they are not eligible for (an attendee warning); its speech-language pathologists are awarded ASHA credit, the quiet case",
)];

/// Where this file's own firing tests begin; the lists above are not counted as tests.
const MARKER: &str = concat!("// ---- firing", " tests ----");

fn docs() -> String {
    std::fs::read_to_string(repo().join("docs/rules.md")).unwrap()
}

/// docs/rules.md split at its "Not implemented yet" section: (the rest, that section).
fn docs_sections() -> (String, String) {
    let docs = docs();
    let start = docs
        .find("## Not implemented yet")
        .expect("docs/rules.md has a \"Not implemented yet\" section");
    let end = docs[start + 1..]
        .find("\n## ")
        .map_or(docs.len(), |i| start + 1 + i);
    (
        format!("{}{}", &docs[..start], &docs[end..]),
        docs[start..end].to_string(),
    )
}

/// The whole rule ids in `text`: `ASHA-COURSE-10`, `DATA-NO-ATTENDANCE` (not `ASHA-*`).
fn ids_in(text: &str) -> BTreeSet<String> {
    const PREFIXES: [&str; 9] = [
        "ASHA", "NCBTMB", "AOTA", "IACET", "PT", "GEN", "DATA", "RENDER", "RECORD",
    ];
    text.split(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'))
        .map(|token| token.trim_matches('-'))
        .filter(|token| {
            token.split_once('-').is_some_and(|(prefix, rest)| {
                PREFIXES.contains(&prefix) && !rest.is_empty() && !rest.starts_with('-')
            })
        })
        .map(str::to_string)
        .collect()
}

/// Whether `id` occurs in `text` as a whole id (`ASHA-COURSE-1` is not in `ASHA-COURSE-10`).
fn mentions(text: &str, id: &str) -> bool {
    text.match_indices(id).any(|(at, _)| {
        let after = text[at + id.len()..].chars().next();
        let before = text[..at].chars().next_back();
        !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
            && !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
    })
}

/// The source of every test under tests/it/, this file only from its firing tests on.
fn test_sources() -> String {
    fn read(dir: &Path, out: &mut String) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                read(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                if path.file_name().is_some_and(|n| n == "catalogue.rs") {
                    out.push_str(text.split_once(MARKER).map_or("", |(_, tests)| tests));
                } else {
                    out.push_str(&text);
                }
            }
        }
    }
    let mut out = String::new();
    read(&repo().join("tests/it"), &mut out);
    out
}

fn raises_or_decides(rule: &Rule) -> bool {
    rule.reach != [Reach::Design]
}

#[test]
fn every_catalogued_id_is_documented() {
    let (documented, _) = docs_sections();
    let missing: Vec<_> = catalogue::all()
        .iter()
        .map(|rule| rule.id.as_str())
        .filter(|id| !mentions(&documented, id))
        .collect();
    assert!(
        missing.is_empty(),
        "catalogued but not in docs/rules.md: {missing:?}"
    );
}

#[test]
fn every_documented_id_is_catalogued_or_marked_not_implemented() {
    let (documented, not_implemented) = docs_sections();
    let catalogued: BTreeSet<&str> = catalogue::all().iter().map(|r| r.id.as_str()).collect();
    let unexplained: Vec<String> = ids_in(&documented)
        .into_iter()
        .chain(ids_in(&not_implemented))
        .filter(|id| !catalogued.contains(id.as_str()) && !mentions(&not_implemented, id))
        .collect();
    assert!(
        unexplained.is_empty(),
        "named in docs/rules.md, neither implemented nor under \"Not implemented yet\": {unexplained:?}"
    );
    let claimed_missing: Vec<&str> = catalogued
        .iter()
        .copied()
        .filter(|id| ids_in(&not_implemented).contains(*id) && !mentions(&documented, id))
        .collect();
    assert!(
        claimed_missing.is_empty(),
        "implemented, but docs/rules.md lists them only as not implemented: {claimed_missing:?}"
    );
}

#[test]
fn every_id_that_raises_or_decides_appears_in_a_test() {
    let sources = test_sources();
    let missing: BTreeSet<&str> = catalogue::all()
        .iter()
        .filter(|rule| raises_or_decides(rule))
        .map(|rule| rule.id.as_str())
        .filter(|id| !mentions(&sources, id))
        .collect();
    let known: BTreeSet<&str> = NOT_YET_FIRED.iter().map(|(id, _)| *id).collect();
    assert_eq!(
        missing, known,
        "ids without a test, against NOT_YET_FIRED (add a test, or remove the id from the list once it has one)"
    );
}

#[test]
fn ser2_as_shipped_raises_only_the_findings_it_should() {
    let offering = Offering::ser2();
    let (_, report) = offering.check_json("2025-03-20");
    let fired: BTreeSet<String> = finding_ids(&report).into_iter().map(|(id, _)| id).collect();
    let expected: BTreeSet<String> = FIRE_ON_SER2.iter().map(|(id, _)| id.to_string()).collect();
    assert_eq!(fired, expected, "{:#}", report["findings"]);
    for id in &fired {
        assert!(catalogue::id(id).is_some(), "{id} is not catalogued");
    }
    // The quiet case of ASHA-ELIG-2: an eligible attendee is awarded ASHA credit.
    let awarded_asha = report["attendees"].as_array().unwrap().iter().any(|a| {
        a["credits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["body"] == "ASHA" && c["amount"].is_object() && c["eligible"] == true)
    });
    assert!(awarded_asha, "no SER2 attendee is awarded ASHA credit");
}

/// The source file of a module path (`rules::disclosure` -> src/rules/disclosure.rs), if any.
fn module_file(path: &[&str]) -> Option<std::path::PathBuf> {
    let base = repo().join("src").join(path.join("/"));
    [base.with_extension("rs"), base.join("mod.rs")]
        .into_iter()
        .find(|file| file.is_file())
}

#[test]
fn every_rule_names_a_module_and_function_that_exist() {
    // `checked_by` is a list of "module::path::function (note)" separated by commas or
    // semicolons; the first word of each names where the rule is checked.
    let mut wrong = Vec::new();
    for rule in catalogue::all() {
        for part in rule.checked_by.split([',', ';']) {
            let Some(name) = part.split_whitespace().next() else {
                continue;
            };
            let segments: Vec<&str> = name.split("::").collect();
            let found = (1..=segments.len())
                .rev()
                .find_map(|n| module_file(&segments[..n]).map(|file| (file, &segments[n..])));
            let ok = found.is_some_and(|(file, rest)| {
                rest.last().is_none_or(|function| {
                    std::fs::read_to_string(file)
                        .unwrap()
                        .contains(&format!("fn {function}("))
                })
            });
            if !ok {
                wrong.push(format!("{}: {name}", rule.id));
            }
        }
    }
    assert!(wrong.is_empty(), "checked_by names nothing: {wrong:?}");
}

#[test]
fn the_ids_are_typed_and_found_by_their_spelling() {
    use catalogue::ids;
    assert_eq!(ids::ASHA_DISCLOSE_4.as_str(), "ASHA-DISCLOSE-4");
    assert_eq!(catalogue::id("PT-AL-1"), Some(ids::PT_AL_1));
    assert_eq!(catalogue::id("ASHA-PROMO-1"), None);
    let rule = catalogue::all()
        .iter()
        .find(|r| r.id == ids::ASHA_REPORT_1)
        .unwrap();
    assert!(matches!(rule.rule_sets, catalogue::RuleSets::Differ(_)));
}

// ---- firing tests ----
// Rules no other test made fire, each on a copy of SER2 with one thing changed.

/// Asserts that `rule` fires with `severity` after `edit`.
fn fires(rule: &str, severity: &str, edit: impl FnOnce(&Offering)) -> Value {
    let offering = Offering::ser2();
    edit(&offering);
    let (_, report) = offering.check_json("2025-03-20");
    assert!(
        finding_ids(&report)
            .iter()
            .any(|(id, found)| id == rule && found == severity),
        "{rule} ({severity}) did not fire: {:#}",
        report["findings"]
    );
    report
}

#[test]
fn aota_ceu_1_contact_hours_above_what_the_agenda_supports() {
    fires("AOTA-CEU-1", "error", |o| {
        o.edit_course(|t| {
            t.replacen(
                "approval_id = \"AOTA-APP-2025-0412\"\ncontact_hours = \"26.0\"",
                "approval_id = \"AOTA-APP-2025-0412\"\ncontact_hours = \"30.0\"",
                1,
            )
        })
    });
}

#[test]
fn ncbtmb_ce_2_approved_hours_not_in_half_hours() {
    fires("NCBTMB-CE-2", "error", |o| {
        o.edit_course(|t| t.replacen("approved_hours = \"28.0\"", "approved_hours = \"27.3\"", 1))
    });
}

#[test]
fn pt_al_1_contact_hours_above_what_the_agenda_supports_at_50_minutes() {
    fires("PT-AL-1", "error", |o| {
        o.edit_course(|t| {
            t.replacen(
                "approval_number = \"TX-CCU-2025-11873\"\ncontact_hours = \"26.0\"",
                "approval_number = \"TX-CCU-2025-11873\"\ncontact_hours = \"32.0\"\nminutes_per_hour = 50",
                1,
            )
        })
    });
}

#[test]
fn iacet_ceu_2_ceus_above_what_the_agenda_supports() {
    fires("IACET-CEU-2", "error", |o| {
        o.edit_course(|t| {
            t.replacen(
                "[completion]",
                "[credit.iacet]\nprovider_number = \"1234\"\nceus = \"3.0\"\n\n[completion]",
                1,
            )
        })
    });
}

#[test]
fn data_no_attendance_without_attendance_files() {
    let report = fires("DATA-NO-ATTENDANCE", "warning", |o| {
        std::fs::remove_dir_all(o.dir().join("attendance")).unwrap();
    });
    assert_eq!(report["summary"]["completed"], 0);
}

#[test]
fn data_identity_a_signed_in_row_without_name_email_or_id() {
    fires("DATA-IDENTITY", "error", |o| {
        o.append_attendance("day1-2025-03-06.csv", ",,,2025-03-06,09:00,12:00\n")
    });
}
