//! Roster and sign-in sheet ingestion and identity matching, on fixture files
//! (tests/fixtures/roster, tests/fixtures/attendance). Offering: the SER2 course, Calgary,
//! America/Edmonton, 6–9 March 2025, instruction 09:00–10:30, 10:45–12:00, 13:00–14:45,
//! 15:00–17:00 each day (390 minutes a day).

use ceu::attendance::{self, FileAttendance, IngestContext, IngestError};
use ceu::findings::{Finding, Scope, Severity};
use ceu::matching::{self as identity, Aliases};
use ceu::roster::{self, AshaEligibility, Body, Roster, RosterError};
use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

fn zone() -> Tz {
    "America/Edmonton".parse().unwrap()
}

fn date(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, day).unwrap()
}

fn ser2_blocks() -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let at = |day: u32, h: u32, m: u32| {
        zone()
            .from_local_datetime(&date(day).and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap()))
            .unwrap()
            .with_timezone(&Utc)
    };
    let mut blocks = Vec::new();
    for day in 6..=9 {
        for (sh, sm, eh, em) in [
            (9, 0, 10, 30),
            (10, 45, 12, 0),
            (13, 0, 14, 45),
            (15, 0, 17, 0),
        ] {
            blocks.push((at(day, sh, sm), at(day, eh, em)));
        }
    }
    blocks
}

fn ser2() -> IngestContext {
    IngestContext {
        time_zone: zone(),
        file_zones: BTreeMap::new(),
        dates: (6..=9).map(date).collect(),
        blocks: ser2_blocks(),
    }
}

fn load_roster() -> Roster {
    roster::load(&fixture("roster/roster.csv"), Path::new("roster.csv"))
        .expect("fixture roster loads")
}

fn load(case: &str, ctx: &IngestContext) -> Vec<FileAttendance> {
    attendance::load_dir(
        &fixture(&format!("attendance/{case}")),
        Path::new("attendance"),
        ctx,
    )
    .expect("fixture attendance loads")
}

fn aliases(case: &str) -> Aliases {
    let path = fixture(&format!("attendance/{case}/aliases.csv"));
    identity::load_aliases(&path, Path::new("attendance/aliases.csv")).expect("aliases load")
}

/// Credited instructional minutes per attendee id.
fn minutes(
    files: &[FileAttendance],
    aliases: &Aliases,
) -> (BTreeMap<String, i64>, identity::Matched) {
    let matched = identity::match_attendance(&load_roster(), aliases, files, &ser2_blocks());
    let blocks = ser2_blocks();
    let per = matched
        .by_attendee
        .iter()
        .map(|(id, presences)| {
            (
                id.clone(),
                ceu::hours::credited_minutes(presences.iter().map(|p| (p.start, p.end)), &blocks),
            )
        })
        .collect();
    (per, matched)
}

/// (rule, line, column) of every finding, sorted.
fn rules(findings: &[Finding]) -> Vec<(String, Option<usize>, Option<usize>)> {
    let mut out: Vec<_> = findings
        .iter()
        .map(|f| {
            (
                f.rule.clone(),
                f.location.as_ref().and_then(|l| l.line),
                f.location.as_ref().and_then(|l| l.column),
            )
        })
        .collect();
    out.sort();
    out
}

fn r(rule: &str, line: usize, column: Option<usize>) -> (String, Option<usize>, Option<usize>) {
    (rule.to_string(), Some(line), column)
}

fn unusable_roster(name: &str) -> (String, String, String) {
    match roster::load(&fixture(&format!("roster/{name}")), Path::new(name)) {
        Err(RosterError::Unusable { path, message, fix }) => (path, message, fix),
        other => panic!("{name}: expected Unusable, got {other:?}"),
    }
}

// ---------------------------------------------------------------- roster

#[test]
fn roster_reads_every_column() {
    let roster = load_roster();
    assert_eq!(roster.attendees.len(), 8);
    assert!(roster.findings.is_empty(), "{:?}", roster.findings);
    let ava = &roster.attendees[0];
    assert_eq!(ava.id(), "A01");
    assert_eq!(ava.display_name(), "Ava Martin");
    assert_eq!(ava.address().postal_code, "T2P 1A1");
    assert_eq!(ava.license_number(), "SLP-1234");
    assert_eq!(ava.asha_account(), "12345678");
    assert_eq!(ava.credit_requested, vec![Body::Asha]);
    assert!(ava.assessment_completed);
    assert_eq!(ava.line, 2);
    let by_id = |id: &str| roster.attendees.iter().find(|a| a.id() == id).unwrap();
    assert_eq!(by_id("A03").credit_requested, vec![Body::Aota, Body::Iacet]);
    assert_eq!(by_id("A05").credit_requested, vec![Body::Asha, Body::Iacet]);
    assert_eq!(by_id("A06").credit_requested, vec![Body::Asha, Body::Iacet]);
    // Eligibility derived from the profession.
    let eligibility: Vec<AshaEligibility> = roster
        .attendees
        .iter()
        .map(|a| a.asha_eligibility)
        .collect();
    use AshaEligibility::*;
    assert_eq!(
        eligibility,
        vec![
            LicensedSlpAud,
            NotEligible,
            NotEligible,
            NotEligible,
            ClinicalFellow,
            StudentSlpAud,
            NotEligible,
            LicensedSlpAud
        ]
    );
    let assessment: Vec<bool> = roster
        .attendees
        .iter()
        .map(|a| a.assessment_completed)
        .collect();
    assert_eq!(
        assessment,
        vec![true, false, true, true, true, true, false, false]
    );
}

#[test]
fn roster_from_excel_semicolon_windows_1252_with_other_spellings() {
    let roster = roster::load(
        &fixture("roster/excel_semicolon_1252.csv"),
        Path::new("r.csv"),
    )
    .unwrap();
    assert_eq!(roster.attendees.len(), 2, "trailing empty rows are skipped");
    let renee = &roster.attendees[0];
    assert_eq!(renee.display_name(), "Renée François");
    assert_eq!(renee.address().region, "QC");
    assert_eq!(renee.address().postal_code, "H2X 1Y4");
    assert_eq!(renee.license_number(), "123");
    assert_eq!(renee.credit_requested, vec![Body::Asha, Body::Ncbtmb]);
    assert!(!renee.assessment_completed);
    assert_eq!(renee.asha_eligibility, AshaEligibility::NotEligible);
    assert_eq!(roster.attendees[1].display_name(), "Jürgen Müller");
    assert_eq!(
        roster.attendees[1].asha_eligibility,
        AshaEligibility::Member,
        "explicit column wins"
    );
}

#[test]
fn roster_duplicate_email_is_one_finding_per_row() {
    let roster =
        roster::load(&fixture("roster/dup_email.csv"), Path::new("dup_email.csv")).unwrap();
    assert_eq!(
        rules(&roster.findings),
        vec![
            r("DATA-DUP-EMAIL", 2, Some(4)),
            r("DATA-DUP-EMAIL", 3, Some(4))
        ]
    );
    let first = &roster.findings[0];
    assert_eq!(first.severity, Severity::Error);
    assert_eq!(first.scope, Scope::Attendee);
    assert_eq!(first.attendee.as_deref(), Some("B01"));
    assert!(first.message.contains("line 3"), "{}", first.message);
    assert!(
        roster.findings[1].message.contains("line 2"),
        "{}",
        roster.findings[1].message
    );
}

#[test]
fn roster_duplicate_id_is_unusable() {
    let (path, message, _) = unusable_roster("dup_id.csv");
    assert_eq!(path, "dup_id.csv");
    assert!(
        message.contains("line 4") && message.contains("line 2") && message.contains("B01"),
        "{message}"
    );
}

#[test]
fn roster_missing_email_column_names_column_and_fix() {
    let (_, message, fix) = unusable_roster("missing_email.csv");
    assert!(message.contains("no email column"), "{message}");
    assert!(fix.contains("email"), "{fix}");
}

#[test]
fn roster_bad_values_are_attendee_findings() {
    let roster = roster::load(
        &fixture("roster/bad_values.csv"),
        Path::new("bad_values.csv"),
    )
    .unwrap();
    assert_eq!(
        rules(&roster.findings),
        vec![
            r("DATA-CREDIT", 2, Some(6)),
            r("DATA-VALUE", 2, Some(7)),
            r("DATA-VALUE", 3, Some(8))
        ]
    );
    assert_eq!(roster.attendees[0].credit_requested, vec![Body::Asha]);
    assert_eq!(roster.attendees[2].asha_eligibility, AshaEligibility::Ccc);
    assert!(
        roster
            .findings
            .iter()
            .all(|f| f.scope == Scope::Attendee && f.attendee.is_some())
    );
}

#[test]
fn roster_unusable_files_say_what_to_do() {
    for (name, expected) in [
        ("empty.csv", "empty"),
        // Read as the workbooks they claim to be, which these few bytes are not.
        ("saved_as_xlsx.csv", "workbook but cannot be opened"),
        ("saved_as_xls.csv", "workbook but cannot be opened"),
    ] {
        let (path, message, fix) = unusable_roster(name);
        assert_eq!(path, name);
        assert!(message.contains(expected), "{name}: {message}");
        assert!(!fix.is_empty(), "{name}");
        if name.starts_with("saved_as") {
            assert!(fix.contains("File > Save As > CSV UTF-8"), "{fix}");
        }
    }
}

#[test]
fn a_header_only_roster_is_an_empty_roster_with_a_warning_not_unusable() {
    // Before class the roster is only a header: the course record can still be checked.
    let roster = roster::load(
        &fixture("roster/header_only.csv"),
        Path::new("header_only.csv"),
    )
    .expect("a header-only roster is usable");
    assert!(roster.attendees.is_empty());
    assert_eq!(
        rules(&roster.findings),
        vec![(String::from("DATA-ROSTER-EMPTY"), Some(1), None)]
    );
}

// ---------------------------------------------------------------- sign-in sheets

#[test]
fn signin_sheets_give_minutes_per_person() {
    let files = load("signin_basic", &ser2());
    assert_eq!(files.len(), 2);
    assert_eq!(
        files[0].display_path,
        Path::new("attendance/day1-2025-03-06.csv")
    );
    let (per, matched) = minutes(&files, &Aliases::default());
    // Ava: full day 1 (08:55-17:02) and full day 2 (9:00 AM-5:00 PM).
    assert_eq!(per["A01"], 780);
    // Ben: left at lunch and came back; email matched case-insensitively with spaces.
    assert_eq!(per["A02"], 155 + 225);
    assert_eq!(per["A03"], 390);
    // Emma: 8:50 AM-12:05 PM on day 2 (month-first date 3/7/2025).
    assert_eq!(per["A05"], 165);
    // Hiro's pre-printed row with no times is no presence and no finding.
    assert!(!per.contains_key("A08"));
    // Dev (name only, no alias) and the walk-in are unmatched, never matched by name.
    assert!(!per.contains_key("A04"));
    let unmatched: Vec<(String, i64)> = matched
        .unmatched
        .iter()
        .map(|u| (u.who.name.clone().unwrap_or_default(), u.minutes))
        .collect();
    assert_eq!(
        unmatched,
        vec![
            ("Dev Patel".to_string(), 300),
            ("Walk-in Visitor".to_string(), 105)
        ]
    );
    assert_eq!(
        rules(&matched.findings),
        vec![r("DATA-UNMATCHED", 6, None), r("DATA-UNMATCHED", 7, None)]
    );
    let dev = matched
        .findings
        .iter()
        .find(|f| f.message.contains("Dev Patel"))
        .unwrap();
    assert_eq!(dev.attendee, None);
    assert_eq!(dev.scope, Scope::Attendee);
    assert!(
        dev.message.contains("300 instructional minutes"),
        "{}",
        dev.message
    );
    assert!(
        dev.fix
            .contains("add `Dev Patel,<attendee id>` to aliases.csv"),
        "{}",
        dev.fix
    );
}

#[test]
fn signin_row_problems_are_findings_with_line_and_column() {
    let files = load("signin_errors", &ser2());
    let (per, matched) = minutes(&files, &Aliases::default());
    assert_eq!(
        rules(&matched.findings),
        vec![
            r("DATA-AMBIGUOUS-TIME", 7, Some(5)),
            r("DATA-DATE", 4, Some(3)),
            r("DATA-DST", 11, Some(4)),
            r("DATA-DUPLICATE-ROW", 9, None),
            r("DATA-ORDER", 3, Some(5)),
            r("DATA-OVERLAP", 6, Some(4)),
            r("DATA-TIME", 2, Some(5)),
            r("DATA-TIME", 10, Some(5)),
        ]
    );
    let by_rule = |rule: &str| matched.findings.iter().find(|f| f.rule == rule).unwrap();
    assert_eq!(by_rule("DATA-TIME").attendee.as_deref(), Some("A01"));
    assert_eq!(by_rule("DATA-DUPLICATE-ROW").severity, Severity::Warning);
    assert_eq!(by_rule("DATA-OVERLAP").severity, Severity::Error);
    let ambiguous = by_rule("DATA-AMBIGUOUS-TIME");
    assert!(
        ambiguous.fix.contains("write 17:00 or 5:00 PM"),
        "{}",
        ambiguous.fix
    );
    assert!(
        ambiguous.message.contains("`5:00`"),
        "{}",
        ambiguous.message
    );
    assert!(by_rule("DATA-TIME").message.contains("`noon`"));
    assert!(by_rule("DATA-DATE").message.contains("10 March 2025"));
    // Overlapping double sign-in: merged, never summed (09:00-12:00 + 11:00-17:00).
    assert_eq!(per["A04"], 390);
    // Exact duplicate row counted once.
    assert_eq!(per["A06"], 390);
    // Rows with findings carry no presence.
    for id in ["A01", "A02", "A03", "A05", "A07", "A08"] {
        assert!(!per.contains_key(id), "{id}");
    }
}

#[test]
fn aliases_match_names_and_phones_never_bare_names() {
    let files = load("aliases", &ser2());
    let aliases = aliases("aliases");
    assert_eq!(
        aliases.to_attendee.get("dev patel").map(String::as_str),
        Some("A04")
    );
    assert_eq!(
        aliases.to_attendee.get("grace lee").map(String::as_str),
        Some("A07")
    );
    assert_eq!(
        aliases.to_attendee.get("4035550199").map(String::as_str),
        Some("A08")
    );
    let (per, matched) = minutes(&files, &aliases);
    assert_eq!(per["A04"], 390);
    assert_eq!(per["A07"], 165);
    assert_eq!(per["A08"], 225, "dial-in number through the alias list");
    assert_eq!(per["A05"], 90, "phone registered on the roster");
    assert_eq!(matched.unmatched.len(), 1);
    assert_eq!(matched.unmatched[0].who.name.as_deref(), Some("Ava M."));
    assert_eq!(matched.unmatched[0].minutes, 390);
    assert_eq!(
        rules(&matched.findings),
        vec![
            r("DATA-ALIAS-UNKNOWN", 5, None),
            r("DATA-UNMATCHED", 6, None)
        ]
    );
}

#[test]
fn missing_alias_file_is_empty_list() {
    let aliases = identity::load_aliases(
        &fixture("attendance/signin_basic/aliases.csv"),
        Path::new("aliases.csv"),
    )
    .unwrap();
    assert!(aliases.to_attendee.is_empty());
}

#[test]
fn missing_attendance_folder_is_io_error() {
    let result = attendance::load_dir(
        &fixture("attendance/no-such-folder"),
        Path::new("attendance"),
        &ser2(),
    );
    assert!(matches!(result, Err(IngestError::Io { .. })));
}

#[test]
fn csv_safe_neutralizes_formula_prefixes() {
    assert_eq!(
        attendance::csv_safe("=HYPERLINK(\"x\")"),
        "'=HYPERLINK(\"x\")"
    );
    assert_eq!(attendance::csv_safe("+1 403"), "'+1 403");
    assert_eq!(attendance::csv_safe("-2"), "'-2");
    assert_eq!(attendance::csv_safe("@SUM(A1)"), "'@SUM(A1)");
    assert_eq!(attendance::csv_safe("\tx"), "'\tx");
    assert_eq!(attendance::csv_safe("Ava Martin"), "Ava Martin");
    assert_eq!(attendance::csv_safe(""), "");
}

// ---------------------------------------------------------------- exports: Zoom, Teams, scanners

fn ctx_with_zone(file: &str, zone: &str) -> IngestContext {
    let mut ctx = ser2();
    ctx.file_zones
        .insert(file.to_string(), zone.parse().unwrap());
    ctx
}

fn ids(findings: &[Finding]) -> Vec<&str> {
    let mut ids: Vec<&str> = findings.iter().map(|f| f.rule.as_str()).collect();
    ids.sort();
    ids
}

#[test]
fn zoom_meeting_with_summary_block_merges_rejoins_and_ignores_duration() {
    let files = load("zoom_meeting", &ser2());
    assert_eq!(files[0].format, attendance::SourceFormat::ZoomMeeting);
    assert_eq!(files[0].encoding, "UTF-8 with BOM");
    let (per, matched) = minutes(&files, &Aliases::default());
    // Two sessions plus a second device overlapping the afternoon: merged, not summed.
    assert_eq!(per["A01"], 390);
    // Duration column says 999; Join/Leave say 09:00-11:00.
    assert_eq!(per["A03"], 105);
    // A dial-in shows the phone number as the name: matched to the roster's phone.
    assert_eq!(per["A08"], 390);
    assert_eq!(matched.unmatched.len(), 1);
    assert_eq!(matched.unmatched[0].who.name.as_deref(), Some("Ben O"));
    assert_eq!(matched.unmatched[0].minutes, 90);
    assert_eq!(rules(&matched.findings), vec![r("DATA-UNMATCHED", 8, None)]);
    assert!(files[0].presences.iter().all(|p| p.line > 1));
}

#[test]
fn zoom_report_in_host_zone_reads_right_when_declared() {
    let files = load(
        "zoom_toronto",
        &ctx_with_zone("zoom-toronto.csv", "America/Toronto"),
    );
    let (per, matched) = minutes(&files, &Aliases::default());
    assert_eq!(per["A04"], 390);
    assert_eq!(per["A05"], 165);
    assert!(matched.findings.is_empty(), "{:?}", matched.findings);
}

#[test]
fn zoom_report_in_another_zone_undeclared_is_zone_shift_finding() {
    let files = load("zoom_toronto", &ser2());
    assert_eq!(files[0].findings.len(), 1);
    let finding = &files[0].findings[0];
    assert_eq!(finding.rule, "DATA-ZONE-SHIFT");
    assert_eq!(finding.scope, Scope::Offering);
    assert_eq!(finding.severity, Severity::Error);
    assert!(
        finding.message.contains("2 hours later"),
        "{}",
        finding.message
    );
    assert!(
        finding
            .fix
            .contains("[attendance.files.\"zoom-toronto.csv\"] time_zone"),
        "{}",
        finding.fix
    );
    let (_, matched) = minutes(&files, &Aliases::default());
    assert_eq!(
        ids(&matched.findings),
        vec!["DATA-ZONE-SHIFT"],
        "passed on by match_attendance"
    );
}

#[test]
fn zoom_webinar_reads_attendee_section_only() {
    let files = load("zoom_webinar", &ser2());
    assert_eq!(files[0].format, attendance::SourceFormat::ZoomWebinar);
    let (per, matched) = minutes(&files, &Aliases::default());
    assert_eq!(per["A07"], 390);
    assert_eq!(per["A06"], 225);
    assert!(!per.contains_key("A08"), "Attended = No is no presence");
    assert!(
        matched.findings.is_empty(),
        "host and panelists are not attendees: {:?}",
        matched.findings
    );
}

#[test]
fn teams_utf16_uses_per_join_activities() {
    let files = load("teams", &ser2());
    assert_eq!(files[0].format, attendance::SourceFormat::Teams);
    assert_eq!(files[0].encoding, "UTF-16LE");
    let (per, matched) = minutes(&files, &Aliases::default());
    assert_eq!(per["A01"], 390);
    // First join to last leave would say 390; the activity rows show he left 10:30-14:00.
    assert_eq!(per["A02"], 90 + 45 + 120);
    assert!(matched.findings.is_empty(), "{:?}", matched.findings);
    let lines: Vec<usize> = files[0].presences.iter().map(|p| p.line).collect();
    assert_eq!(lines, vec![16, 17, 18]);
}

#[test]
fn teams_participants_only_utf16be_day_first() {
    let files = load("teams_participants", &ser2());
    assert_eq!(files[0].encoding, "UTF-16BE");
    let (per, matched) = minutes(&files, &Aliases::default());
    assert_eq!(
        per["A02"], 390,
        "matched through the UPN when Email is empty"
    );
    assert!(matched.findings.is_empty(), "{:?}", matched.findings);
}

#[test]
fn scanner_log_pairs_check_ins_and_reports_unpaired() {
    let files = load("scanner", &ser2());
    assert_eq!(files[0].format, attendance::SourceFormat::Scanner);
    let (per, matched) = minutes(&files, &Aliases::default());
    assert_eq!(per["A01"], 390, "Z and -07:00 offsets");
    assert_eq!(per["A02"], 90, "a repeated check-in keeps the first");
    assert_eq!(per["A05"], 165, "local timestamps in the offering zone");
    assert!(!per.contains_key("A03") && !per.contains_key("A04") && !per.contains_key("A06"));
    assert_eq!(
        rules(&matched.findings),
        vec![
            r("DATA-EVENT", 13, Some(4)),
            r("DATA-UNPAIRED", 7, Some(3)),
            r("DATA-UNPAIRED", 9, Some(3)),
            r("DATA-UNPAIRED", 10, Some(3))
        ]
    );
    let repeat = matched
        .findings
        .iter()
        .find(|f| f.location.as_ref().and_then(|l| l.line) == Some(7))
        .unwrap();
    assert_eq!(repeat.severity, Severity::Warning);
    assert_eq!(repeat.attendee.as_deref(), Some("A02"));
}

/// Regression: the daylight-saving change on Sunday 9 March 2025 (SER2's last day) must shift
/// nobody by an hour: UTC rows on 8 March (UTC-7) and 9 March (UTC-6) both land on 09:00-17:00.
#[test]
fn dst_change_on_9_march_shifts_nobody() {
    let files = load("dst", &ctx_with_zone("zoom-utc.csv", "UTC"));
    let (per, matched) = minutes(&files, &Aliases::default());
    assert_eq!(per["A01"], 780);
    assert_eq!(per["A02"], 780);
    assert!(matched.findings.is_empty(), "{:?}", matched.findings);
}

#[test]
fn excel_dialects_and_encodings_read_alike() {
    let files = load("encodings", &ser2());
    let encodings: Vec<&str> = files.iter().map(|f| f.encoding).collect();
    assert_eq!(
        encodings,
        vec![
            "UTF-8 with BOM",
            "UTF-16LE",
            "UTF-16BE",
            "Windows-1252",
            "UTF-8"
        ]
    );
    let (per, matched) = minutes(&files, &Aliases::default());
    assert!(matched.findings.is_empty(), "{:?}", matched.findings);
    for id in ["A01", "A02", "A03", "A04"] {
        assert_eq!(per[id], 390, "{id}");
    }
    assert_eq!(
        per["A05"],
        165 + 165,
        "12-hour times with AM/PM, trailing empty rows and columns"
    );
    assert_eq!(
        files[3].presences[0].who.name.as_deref(),
        Some("Dév Pâtel Ærø"),
        "accents decoded from Windows-1252"
    );
}

#[test]
fn ambiguous_dates_and_times_are_never_guessed() {
    let mut ctx = ser2();
    ctx.dates = vec![date(6), NaiveDate::from_ymd_opt(2025, 6, 3).unwrap()];
    let files = load("ambiguous", &ctx);
    let (per, matched) = minutes(&files, &Aliases::default());
    assert_eq!(
        rules(&matched.findings),
        vec![
            r("DATA-AMBIGUOUS-TIME", 3, Some(5)),
            r("DATA-DATE", 2, Some(3))
        ]
    );
    let date_finding = matched
        .findings
        .iter()
        .find(|f| f.rule == "DATA-DATE")
        .unwrap();
    assert!(
        date_finding.message.contains("6 March 2025")
            && date_finding.message.contains("3 June 2025"),
        "{}",
        date_finding.message
    );
    assert!(
        date_finding.fix.contains("2025-03-06"),
        "{}",
        date_finding.fix
    );
    let time_finding = matched
        .findings
        .iter()
        .find(|f| f.rule == "DATA-AMBIGUOUS-TIME")
        .unwrap();
    assert!(
        time_finding.fix.contains("write 17:00 or 5:00 PM"),
        "{}",
        time_finding.fix
    );
    assert_eq!(per.keys().collect::<Vec<_>>(), vec!["A03"]);
}

fn unusable_attendance(name: &str) -> (String, String, String) {
    let bytes = std::fs::read(fixture(&format!("attendance/unusable/{name}"))).unwrap();
    match attendance::load_file(&bytes, name, Path::new(name), &ser2()) {
        Err(IngestError::Unusable { path, message, fix }) => (path, message, fix),
        other => panic!("{name}: expected Unusable, got {other:?}"),
    }
}

#[test]
fn unusable_attendance_files_name_the_file_and_the_fix() {
    for (name, expected, fix_has) in [
        ("empty.csv", "empty", "export"),
        ("blank-lines.csv", "empty", "export"),
        ("header-only.csv", "no attendance rows", "add one row"),
        ("no-identity.csv", "no column says who", "Name"),
        ("no-date.csv", "no Date column", "Date"),
        (
            "unknown-header.csv",
            "no attendance header row found (line 1 reads `Who, When, Where`)",
            "Sign In",
        ),
        ("zoom-header-only.csv", "no participant rows", "export"),
        (
            "workbook.csv",
            "workbook but cannot be opened",
            "File > Save As > CSV UTF-8",
        ),
    ] {
        let (path, message, fix) = unusable_attendance(name);
        assert_eq!(path, name);
        assert!(message.contains(expected), "{name}: {message}");
        assert!(
            fix.to_lowercase().contains(&fix_has.to_lowercase()),
            "{name}: {fix}"
        );
    }
}

#[test]
fn unusable_file_in_folder_fails_the_folder() {
    let result = attendance::load_dir(
        &fixture("attendance/unusable"),
        Path::new("attendance"),
        &ser2(),
    );
    match result {
        Err(IngestError::Unusable { path, .. }) => assert_eq!(path, "attendance/blank-lines.csv"),
        other => panic!("expected Unusable, got {other:?}"),
    }
}

#[test]
fn hostile_names_are_carried_unchanged() {
    let files = load("hostile", &ser2());
    let names: Vec<&str> = files[0]
        .presences
        .iter()
        .filter_map(|p| p.who.name.as_deref())
        .collect();
    assert_eq!(names.len(), 8);
    assert_eq!(names[0], "#read(\"/etc/passwd\")");
    assert_eq!(names[1], "=HYPERLINK(\"http://evil.example\",\"click\")");
    assert_eq!(names[4], "Line one\nLine two");
    assert_eq!(names[5], "مريم الحسيني");
    assert_eq!(names[6], "Zoë 🎉 Ünïcødé");
    assert_eq!(names[7].len(), 10_000);
    // The embedded newline makes the next record start one physical line later.
    let lines: Vec<usize> = files[0].presences.iter().map(|p| p.line).collect();
    assert_eq!(lines, vec![2, 3, 4, 5, 6, 8, 9, 10]);
    let (_, matched) = minutes(&files, &Aliases::default());
    assert_eq!(matched.unmatched.len(), 8);
    assert!(matched.unmatched.iter().all(|u| u.minutes == 90));
    assert_eq!(
        matched.unmatched[7].who.name.as_ref().map(String::len),
        Some(10_000),
        "data is not cut"
    );
    assert!(
        matched.findings.iter().all(|f| f.message.len() < 1_000),
        "messages are cut, data is not"
    );
}

#[test]
fn mixed_folder_of_sheets_zoom_and_teams_gives_minutes_per_person() {
    let files = load("mixed", &ser2());
    let formats: Vec<attendance::SourceFormat> = files.iter().map(|f| f.format).collect();
    use attendance::SourceFormat::*;
    assert_eq!(formats, vec![SignInSheet, Teams, ZoomMeeting]);
    let (per, matched) = minutes(&files, &aliases("mixed"));
    assert_eq!(per["A01"], 390 * 3);
    assert_eq!(
        per["A02"],
        380 + 90 + 255,
        "sheet, Zoom guest through the alias list, Teams"
    );
    assert_eq!(per["A03"], 390 + 105);
    assert_eq!(
        per["A04"], 300,
        "name-only sheet row through the alias list"
    );
    assert_eq!(per["A08"], 390);
    assert_eq!(
        ids(&matched.findings),
        vec!["DATA-UNMATCHED"],
        "only the walk-in"
    );
}

#[test]
fn teams_old_join_leave_log_pairs_events() {
    let files = load("teams_old_log", &ser2());
    assert_eq!(files[0].format, attendance::SourceFormat::Teams);
    let (per, matched) = minutes(&files, &aliases("teams_old_log"));
    assert_eq!(per["A02"], 165 + 225);
    assert!(
        !per.contains_key("A01"),
        "joined and never left: no time invented"
    );
    assert_eq!(
        rules(&matched.findings),
        vec![r("DATA-UNPAIRED", 6, Some(3))]
    );
    assert_eq!(matched.findings[0].attendee.as_deref(), Some("A01"));
}

#[test]
fn sheet_with_title_rows_and_excel_sep_hint() {
    let files = load("signin_title", &ser2());
    let (per, matched) = minutes(&files, &Aliases::default());
    assert_eq!(per["A01"], 165);
    assert_eq!(per["A02"], 165, "the attendee id decides");
    assert_eq!(
        rules(&matched.findings),
        vec![r("DATA-IDENTITY-CONFLICT", 6, None)]
    );
    assert_eq!(matched.findings[0].attendee.as_deref(), Some("A02"));
}

#[test]
fn scanner_with_separate_date_and_time_columns() {
    let files = load("scanner_date_time", &ser2());
    assert_eq!(files[0].format, attendance::SourceFormat::Scanner);
    let (per, matched) = minutes(&files, &Aliases::default());
    assert_eq!(per["A07"], 165 + 195);
    assert_eq!(
        rules(&matched.findings),
        vec![r("DATA-DATE", 6, Some(4))],
        "31 February cannot be read"
    );
}

/// A whole class that arrives two hours late but leaves on time is late, not mis-zoned: only
/// arrivals and departures shifted alike suggest a zone mistake.
#[test]
fn late_arrivals_alone_are_not_a_zone_shift() {
    let files = load("late_class", &ser2());
    assert!(files[0].findings.is_empty(), "{:?}", files[0].findings);
    let (per, _) = minutes(&files, &Aliases::default());
    assert_eq!(per["A01"], 60 + 105 + 120);
}
