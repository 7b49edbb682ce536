//! LMS assessment exports in `assessment/` (issue 19, part 3; docs/assessment.md): a Moodle,
//! Canvas or simple export decides whether each attendee completed the learning assessment,
//! which decides ASHA completion under the 2025 Standards (ASHA-COMPLETE-2). SER2 is moved to
//! September 2025 for that, with `assessment_required = true` and the roster's
//! `assessment_completed` cells left blank so that only the export speaks.

use crate::common::{Offering, attendee, finding_ids, repo, text};
use serde_json::Value;

const AS_OF: &str = "2025-09-20";

/// SER2 after 1 July 2025, requiring the assessment, the roster stating none.
fn september() -> Offering {
    let o = Offering::ser2();
    o.edit_course(|t| {
        t.replace("2025-03-0", "2025-09-0")
            .replace("assessment_required = false", "assessment_required = true")
    });
    o.edit_attendance(|t| t.replace("2025-03-0", "2025-09-0"));
    o.edit_roster(|t| t.replace(",yes\n", ",\n").replace(",no\n", ",\n"));
    o
}

/// Copies fixture `name` from tests/fixtures/assessment into the offering's assessment/.
fn add_export(o: &Offering, name: &str) {
    let folder = o.dir().join("assessment");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::copy(
        repo().join("tests/fixtures/assessment").join(name),
        folder.join(name),
    )
    .unwrap();
}

fn write_export(o: &Offering, name: &str, text: &str) {
    let folder = o.dir().join("assessment");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join(name), text).unwrap();
}

fn set_minimum(o: &Offering, percent: u8) {
    o.edit_course(|t| {
        t.replace(
            "assessment_required = true",
            &format!("assessment_required = true\nassessment_min_score_percent = {percent}"),
        )
    });
}

fn status(report: &Value, id: &str) -> String {
    attendee(report, id)["status"].as_str().unwrap().to_string()
}

fn reason(report: &Value, id: &str) -> String {
    attendee(report, id)["reason"].as_str().unwrap().to_string()
}

fn asha_amount(report: &Value, id: &str) -> Value {
    attendee(report, id)["credits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["body"] == "ASHA")
        .map(|c| c["amount"]["value"].clone())
        .unwrap_or(Value::Null)
}

/// The findings of `rule`, as (attendee, message, location).
fn findings_of(report: &Value, rule: &str) -> Vec<(Value, String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| {
            let at = &f["location"];
            (
                f["attendee"].clone(),
                format!("{} Fix: {}", f["message"].as_str().unwrap(), f["fix"]),
                format!("{}:{}", at["file"].as_str().unwrap_or(""), at["line"]),
            )
        })
        .collect()
}

#[test]
fn moodle_export_decides_asha_completion_after_july_2025() {
    let o = september();
    add_export(&o, "moodle-quiz.csv");
    let (_, report) = o.check_json(AS_OF);
    assert_eq!(report["asha_rule_set"], "asha-2025");
    // Finished: completes, with full ASHA credit.
    assert_eq!(
        status(&report, "A001"),
        "completed",
        "{}",
        reason(&report, "A001")
    );
    assert_eq!(asha_amount(&report, "A001"), "2.60");
    // In progress and never submitted: not completed, the reason names the file and line.
    for (id, line, state) in [("A002", 3, "In progress"), ("A005", 7, "Never submitted")] {
        assert_eq!(status(&report, id), "not-completed");
        let why = reason(&report, id);
        assert!(
            why.contains(&format!("assessment/moodle-quiz.csv line {line}"))
                && why.contains(state)
                && why.contains("ASHA-COMPLETE-2"),
            "{id}: {why}"
        );
        assert_eq!(asha_amount(&report, id), Value::Null);
        let asha = attendee(&report, id)["credits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["body"] == "ASHA")
            .unwrap()["reason"]
            .clone();
        assert!(asha.as_str().unwrap().contains(state), "{id}: {asha}");
    }
    // No minimum: any finished attempt counts, whatever the grade.
    assert_eq!(status(&report, "A004"), "completed");
    // A roster attendee with no row at all.
    assert!(reason(&report, "A006").contains("no attempt in assessment/"));
    // The summary row and every named row matched: nothing unmatched.
    assert!(findings_of(&report, "DATA-UNMATCHED").is_empty());
}

#[test]
fn minimum_score_and_best_attempt() {
    let o = september();
    set_minimum(&o, 70);
    add_export(&o, "moodle-quiz.csv");
    let (_, report) = o.check_json(AS_OF);
    // A003: 5.00 then 9.50 of 10: the best attempt counts.
    assert_eq!(
        status(&report, "A003"),
        "completed",
        "{}",
        reason(&report, "A003")
    );
    // A004: 6.50 of 10 is below 70 %.
    assert_eq!(status(&report, "A004"), "not-completed");
    let why = reason(&report, "A004");
    assert!(
        why.contains("line 6") && why.contains("65%") && why.contains("minimum of 70%"),
        "{why}"
    );
    // Exactly at the minimum passes (A001 has 8.00 of 10).
    let o = september();
    set_minimum(&o, 80);
    add_export(&o, "moodle-quiz.csv");
    let (_, report) = o.check_json(AS_OF);
    assert_eq!(status(&report, "A001"), "completed");
    assert_eq!(status(&report, "A003"), "completed"); // 95 %
    assert_eq!(status(&report, "A004"), "not-completed");
}

#[test]
fn moodle_4_semicolons_decimal_commas_and_ungraded_attempts() {
    let o = september();
    add_export(&o, "moodle4-quiz-semicolon.csv");
    let (_, report) = o.check_json(AS_OF);
    // Email matched case-insensitively; 16,00 of 20,00.
    assert_eq!(status(&report, "A001"), "completed");
    // Finished but not graded yet: completes (the assessment need not be graded) ...
    assert_eq!(status(&report, "A002"), "completed");
    // ... overdue is not submitted.
    assert!(
        reason(&report, "A003").contains("Overdue"),
        "{}",
        reason(&report, "A003")
    );
    // With a minimum, an ungraded attempt cannot show it was met.
    let o = september();
    set_minimum(&o, 70);
    add_export(&o, "moodle4-quiz-semicolon.csv");
    let (_, report) = o.check_json(AS_OF);
    assert_eq!(status(&report, "A001"), "completed"); // 80 %
    assert_eq!(status(&report, "A002"), "not-completed");
    assert!(
        reason(&report, "A002").contains("no score"),
        "{}",
        reason(&report, "A002")
    );
}

#[test]
fn canvas_student_analysis_export() {
    let o = september();
    set_minimum(&o, 60);
    add_export(&o, "canvas-student-analysis.csv");
    let (_, report) = o.check_json(AS_OF);
    assert_eq!(status(&report, "A001"), "completed");
    // Not submitted.
    assert_eq!(status(&report, "A002"), "not-completed");
    assert!(reason(&report, "A002").contains("not submitted"));
    // Second attempt 2.0 of 2 points beats the first 0.0.
    assert_eq!(status(&report, "A003"), "completed");
    // 1.0 of 2 points (the questions' points in the header) is 50 %, below 60 %; the SIS id
    // `a004` matched A004 regardless of case.
    assert_eq!(status(&report, "A004"), "not-completed");
    assert!(
        reason(&report, "A004").contains("50%"),
        "{}",
        reason(&report, "A004")
    );
    // Canvas's own user id (8801...) is never taken for an attendee id; the Test Student
    // matches nobody and is reported with its file and line.
    let unmatched = findings_of(&report, "DATA-UNMATCHED");
    assert_eq!(unmatched.len(), 1, "{unmatched:?}");
    assert!(unmatched[0].1.contains("Test Student"), "{unmatched:?}");
    assert!(
        unmatched[0]
            .2
            .ends_with("assessment/canvas-student-analysis.csv:7"),
        "{unmatched:?}"
    );
}

#[test]
fn simple_table_by_email_and_asha_account() {
    let o = september();
    add_export(&o, "simple.csv");
    let (_, report) = o.check_json(AS_OF);
    assert_eq!(status(&report, "A001"), "completed");
    // Matched by the ASHA account number, written with hyphens.
    assert_eq!(status(&report, "A002"), "not-completed");
    assert!(reason(&report, "A002").contains("assessment/simple.csv line 3"));
    assert_eq!(status(&report, "A003"), "completed");
    // A value that is not yes or no: a DATA-VALUE for that attendee, with the cell.
    let value = findings_of(&report, "DATA-VALUE");
    assert_eq!(value.len(), 1, "{value:?}");
    assert_eq!(value[0].0, "A004");
    assert!(value[0].1.contains("maybe"), "{value:?}");
    assert!(value[0].2.ends_with("assessment/simple.csv:5"), "{value:?}");
    // With a minimum, `yes` without a score is not enough; 17/20 is 85 %.
    let o = september();
    set_minimum(&o, 80);
    add_export(&o, "simple.csv");
    let (_, report) = o.check_json(AS_OF);
    assert_eq!(status(&report, "A001"), "not-completed");
    assert_eq!(status(&report, "A003"), "completed");
}

#[test]
fn simple_table_by_attendee_id_with_score_only() {
    let o = september();
    set_minimum(&o, 75);
    write_export(
        &o,
        "quiz.tsv",
        "attendee_id\tscore\nA001\t75\nA002\t74.9\nA003\t\nA099\t100\nA002\t90\nA002\t60\n",
    );
    let (_, report) = o.check_json(AS_OF);
    assert_eq!(status(&report, "A001"), "completed");
    // A002's best attempt (90, line 6) counts, not the first (74.9) or the last (60).
    assert_eq!(status(&report, "A002"), "completed");
    // A blank score is no attempt submitted.
    assert_eq!(status(&report, "A003"), "not-completed");
    let unmatched = findings_of(&report, "DATA-UNMATCHED");
    assert_eq!(unmatched.len(), 1, "{unmatched:?}");
    assert!(unmatched[0].1.contains("A099") && unmatched[0].1.contains("aliases.csv"));
    let o = september();
    set_minimum(&o, 75);
    write_export(&o, "quiz.tsv", "attendee_id\tscore\nA002\t74.9\n");
    let (_, low) = o.check_json(AS_OF);
    assert_eq!(status(&low, "A002"), "not-completed");
    assert!(
        reason(&low, "A002").contains("74.9%"),
        "{}",
        reason(&low, "A002")
    );
}

#[test]
fn roster_and_export_that_disagree_raise_a_conflict() {
    let o = september();
    // The roster says A001 and A005 completed and A004 did not; the export agrees about A001
    // (finished) and disagrees about A004 (finished) and A005 (never submitted).
    o.edit_roster(|t| {
        t.replacen("ASHA,\n", "ASHA,yes\n", 1)
            .replace("45678901,ASHA,\n", "45678901,ASHA,no\n")
            .replace("CF,,AB,,ASHA,\n", "CF,,AB,,ASHA,yes\n")
    });
    add_export(&o, "moodle-quiz.csv");
    let (code, report) = o.check_json(AS_OF);
    assert_eq!(code, 1);
    let conflicts = findings_of(&report, "DATA-ASSESSMENT-CONFLICT");
    let who: Vec<&Value> = conflicts.iter().map(|c| &c.0).collect();
    assert_eq!(who, ["A004", "A005"], "{conflicts:#?}");
    let (_, message, at) = &conflicts[1];
    assert!(
        message.contains("roster.csv line 6")
            && message.contains("assessment/moodle-quiz.csv line 7")
            && message.contains("Never submitted")
            && message.contains("leave it blank"),
        "{message}"
    );
    assert!(at.ends_with("assessment/moodle-quiz.csv:7"), "{at}");
    // An attendee-level error: held back, the others are not.
    assert!(
        attendee(&report, "A005")["blocked_by"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "DATA-ASSESSMENT-CONFLICT")
    );
    assert!(
        attendee(&report, "A003")["blocked_by"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // A roster that agrees (A001 yes, finished) or is blank raises nothing.
    assert!(!who.contains(&&Value::from("A001")));
}

#[test]
fn offering_before_july_2025_is_unaffected() {
    let plain = Offering::ser2();
    let (code, before) = plain.check_json("2025-03-20");
    let o = Offering::ser2();
    // Everyone "In progress": were it read, every ASHA attendee would lose completion.
    let everyone_in_progress =
        std::fs::read_to_string(repo().join("tests/fixtures/assessment/moodle-quiz.csv"))
            .unwrap()
            .replace("Finished", "In progress");
    write_export(&o, "moodle-quiz.csv", &everyone_in_progress);
    write_export(&o, "notes.csv", "not an export at all\n");
    let (code_with, after) = o.check_json("2025-03-20");
    assert_eq!(after["asha_rule_set"], "asha-2018");
    assert_eq!(
        (code, &before["attendees"]),
        (code_with, &after["attendees"])
    );
    assert_eq!(finding_ids(&before), finding_ids(&after));
}

#[test]
fn a_record_requiring_the_assessment_uses_the_export_before_july_2025_too() {
    let o = Offering::ser2();
    o.edit_course(|t| t.replace("assessment_required = false", "assessment_required = true"));
    o.edit_roster(|t| t.replace(",yes\n", ",\n").replace(",no\n", ",\n"));
    add_export(&o, "moodle-quiz.csv");
    let (_, report) = o.check_json("2025-03-20");
    assert_eq!(report["asha_rule_set"], "asha-2018");
    assert_eq!(status(&report, "A001"), "completed");
    assert!(reason(&report, "A002").contains("In progress"));
}

#[test]
fn an_export_ceu_cannot_read_is_refused_with_the_fix() {
    let o = september();
    write_export(&o, "quiz.csv", "Learner,Result code\nA001,P\n");
    let output = o.run(&["check", "--as-of", AS_OF]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("assessment/quiz.csv")
            && stderr.contains("Learner, Result code")
            && stderr.contains("docs/assessment.md"),
        "{stderr}"
    );
}

#[test]
fn withheld_asha_credit_points_at_the_export() {
    // Under the 2025 Standards without `assessment_required` (itself an offering error), an
    // attendee completes by attendance but the export still withholds ASHA credit; the
    // warning's fix sends the administrator to the LMS, not to the roster.
    let o = september();
    o.edit_course(|t| t.replace("assessment_required = true", "assessment_required = false"));
    add_export(&o, "moodle-quiz.csv");
    let (_, report) = o.check_json(AS_OF);
    assert_eq!(status(&report, "A002"), "completed");
    assert_eq!(asha_amount(&report, "A002"), Value::Null);
    assert_eq!(asha_amount(&report, "A001"), "2.60");
    let warning = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "ASHA-COMPLETE-2" && f["attendee"] == "A002")
        .unwrap_or_else(|| panic!("{:#}", report["findings"]));
    assert!(
        warning["message"].as_str().unwrap().contains("In progress")
            && warning["fix"]
                .as_str()
                .unwrap()
                .contains("export the results again"),
        "{warning:#}"
    );
}

#[test]
fn exports_are_inputs_of_the_certificate_record() {
    let o = september();
    add_export(&o, "moodle-quiz.csv");
    add_export(&o, "simple.csv");
    let offering = ceu::offering::load(&o.dir()).unwrap();
    let hashes = offering.input_hashes();
    let named: Vec<&str> = hashes.iter().map(|h| h.file.as_str()).collect();
    assert_eq!(
        named[named.len() - 2..],
        ["assessment/moodle-quiz.csv", "assessment/simple.csv"]
    );
    let bytes = std::fs::read(o.dir().join("assessment/simple.csv")).unwrap();
    assert_eq!(hashes.last().unwrap().sha256, ceu::sign::sha256_hex(&bytes));
    // Before July 2025 the folder is not used, so it is not an input either.
    let o = Offering::ser2();
    add_export(&o, "moodle-quiz.csv");
    let offering = ceu::offering::load(&o.dir()).unwrap();
    assert!(
        offering
            .input_hashes()
            .iter()
            .all(|h| !h.file.starts_with("assessment/"))
    );
}

#[test]
fn utf16_export_with_bom_reads_like_its_utf8_twin() {
    let utf8 =
        std::fs::read_to_string(repo().join("tests/fixtures/assessment/moodle-quiz.csv")).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(utf8.encode_utf16().flat_map(u16::to_le_bytes));
    let o = september();
    let folder = o.dir().join("assessment");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("moodle-quiz.csv"), utf16).unwrap();
    let (_, from_utf16) = o.check_json(AS_OF);
    let o = september();
    add_export(&o, "moodle-quiz.csv");
    let (_, from_utf8) = o.check_json(AS_OF);
    assert_eq!(from_utf16["attendees"], from_utf8["attendees"]);
    assert_eq!(status(&from_utf16, "A002"), "not-completed");
}

#[test]
fn canvas_gradebook_with_points_possible() {
    let o = september();
    set_minimum(&o, 70);
    add_export(&o, "canvas-gradebook.csv");
    let (_, report) = o.check_json(AS_OF);
    // 9 of 10 points possible; matched by the SIS user id.
    assert_eq!(
        status(&report, "A001"),
        "completed",
        "{}",
        reason(&report, "A001")
    );
    // No grade: not completed; matched by the SIS login (an email), the SIS id being blank.
    assert_eq!(status(&report, "A002"), "not-completed");
    assert!(
        reason(&report, "A002").contains("no grade"),
        "{}",
        reason(&report, "A002")
    );
    // 6.5 of 10 is below 70 %.
    assert!(
        reason(&report, "A003").contains("65%"),
        "{}",
        reason(&report, "A003")
    );
    // Excused is not a grade.
    assert!(
        reason(&report, "A004").contains("`EX`"),
        "{}",
        reason(&report, "A004")
    );
    // The `Points Possible` row is not a person; the Test Student is, and matches nobody.
    let unmatched = findings_of(&report, "DATA-UNMATCHED");
    assert_eq!(unmatched.len(), 1, "{unmatched:?}");
    assert!(
        unmatched[0].2.ends_with("canvas-gradebook.csv:7"),
        "{unmatched:?}"
    );
}

#[test]
fn moodle_gradebook_percentage_column() {
    let o = september();
    set_minimum(&o, 70);
    add_export(&o, "moodle-gradebook.csv");
    let (_, report) = o.check_json(AS_OF);
    assert_eq!(status(&report, "A001"), "completed");
    assert!(
        reason(&report, "A002").contains("no grade"),
        "{}",
        reason(&report, "A002")
    );
    // `65,00 %`, matched by the ID number.
    assert!(
        reason(&report, "A003").contains("65%"),
        "{}",
        reason(&report, "A003")
    );
    assert!(findings_of(&report, "DATA-UNMATCHED").is_empty());
}

#[test]
fn a_gradebook_with_several_graded_columns_is_refused() {
    let o = september();
    let two_items =
        std::fs::read_to_string(repo().join("tests/fixtures/assessment/canvas-gradebook.csv"))
            .unwrap()
            .replace(
                "Post-course learning check (40771),",
                "Post-course learning check (40771),Day 1 reflection (40772),",
            )
            .replace("SER2 Calgary,", "SER2 Calgary,1,")
            .replace("    Points Possible,,,,,", "    Points Possible,,,,,1,");
    write_export(&o, "grades.csv", &two_items);
    let output = o.run(&["check", "--as-of", AS_OF]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("assessment/grades.csv: line 1")
            && stderr.contains("Post-course learning check (40771), Day 1 reflection (40772)")
            && stderr.contains("Export only the assessment's column"),
        "{stderr}"
    );
}

#[test]
fn human_report_names_the_assessment_row() {
    let o = september();
    write_export(&o, "quiz.csv", "Email,Completed\nnobody@example.org,yes\n");
    let (code, human) = o.check_human(AS_OF);
    assert_eq!(code, 1, "{human}");
    assert!(
        human.contains(
            "error[DATA-UNMATCHED] (assessment row) records/SER2-2025-03-CAL/assessment/quiz.csv:2"
        ),
        "{human}"
    );
}

/// `csv` as an .xlsx workbook whose sheet `sheet` holds the table from A1 (so its rows are
/// the CSV's lines), after a first sheet `Notes` whose free text is no header (the sheet is
/// chosen by content). Cells that are numbers (`8.00`) become number cells, as Moodle's
/// "Download as Excel" writes grades; `-` and words stay text.
fn xlsx_of(csv: &str, sheet: &str) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let notes = workbook.add_worksheet().set_name("Notes").unwrap();
    notes
        .write_string(0, 0, "Quiz: SER2 learning check")
        .unwrap();
    notes.write_string(2, 1, "downloaded from Moodle").unwrap();
    let worksheet = workbook.add_worksheet().set_name(sheet).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv.as_bytes());
    for (r, record) in reader.records().enumerate() {
        let r = u32::try_from(r).unwrap();
        for (c, cell) in record.unwrap().iter().enumerate() {
            let c = u16::try_from(c).unwrap();
            match cell.parse::<f64>() {
                Ok(number) => worksheet.write_number(r, c, number).unwrap(),
                Err(_) if cell.is_empty() => worksheet,
                Err(_) => worksheet.write_string(r, c, cell).unwrap(),
            };
        }
    }
    workbook.save_to_buffer().unwrap()
}

fn write_export_bytes(o: &Offering, name: &str, bytes: &[u8]) {
    let folder = o.dir().join("assessment");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join(name), bytes).unwrap();
}

/// `csv` as an OpenDocument spreadsheet (what Moodle's "Download as ODS" gives), laid out as
/// [`xlsx_of`] lays it out: a `Notes` sheet, then `sheet` with numbers as float cells.
fn ods_of(csv: &str, sheet: &str) -> Vec<u8> {
    use std::io::Write;
    let escape = |t: &str| {
        t.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let cell = |t: &str| match t.parse::<f64>() {
        _ if t.is_empty() => "<table:table-cell/>".to_string(),
        Ok(n) => format!(
            r#"<table:table-cell office:value-type="float" office:value="{n}"><text:p>{t}</text:p></table:table-cell>"#
        ),
        Err(_) => format!(
            r#"<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>"#,
            escape(t)
        ),
    };
    let table = |name: &str, rows: Vec<Vec<String>>| {
        let rows: String = rows
            .iter()
            .map(|r| {
                format!(
                    "<table:table-row>{}</table:table-row>",
                    r.iter().map(|c| cell(c)).collect::<String>()
                )
            })
            .collect();
        format!(
            r#"<table:table table:name="{}">{rows}</table:table>"#,
            escape(name)
        )
    };
    let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let notes = vec![vec!["Quiz: SER2 learning check".to_string()]];
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>{}{}</office:spreadsheet></office:body></office:document-content>"#,
        table("Notes", notes),
        table(sheet, rows)
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default();
    for (name, data, options) in [
        (
            "mimetype",
            "application/vnd.oasis.opendocument.spreadsheet",
            stored,
        ),
        ("META-INF/manifest.xml", manifest, deflated),
        ("content.xml", content.as_str(), deflated),
    ] {
        zip.start_file(name, options).unwrap();
        zip.write_all(data.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// The attendees of a report, with each reason's place in the workbook `name` written as the
/// CSV twin's reason writes it, and grades without trailing zeros (the CSV's `8.00` is the
/// number cell 8 in a workbook, and reasons quote a score as the file holds it).
fn attendees_compared(report: &Value, name: &str) -> String {
    report["attendees"]
        .to_string()
        .replace(
            &format!("{name}:'Quiz results', row "),
            "moodle-quiz.csv line ",
        )
        .replace(".00", "")
        .replace(".50", ".5")
}

#[test]
fn moodle_export_as_xlsx_or_ods_decides_like_its_csv_twin() {
    let csv =
        std::fs::read_to_string(repo().join("tests/fixtures/assessment/moodle-quiz.csv")).unwrap();
    let workbooks = [
        ("moodle-quiz.xlsx", xlsx_of(&csv, "Quiz results")),
        ("moodle-quiz.ods", ods_of(&csv, "Quiz results")),
    ];
    // Without a minimum any finished attempt counts; with 70 % the grades (number cells in
    // the workbook) decide, and A003's best attempt is her second.
    for minimum in [None, Some(70)] {
        let from_csv = september();
        if let Some(percent) = minimum {
            set_minimum(&from_csv, percent);
        }
        add_export(&from_csv, "moodle-quiz.csv");
        let (csv_code, csv_report) = from_csv.check_json(AS_OF);
        for (name, bytes) in &workbooks {
            let from_workbook = september();
            if let Some(percent) = minimum {
                set_minimum(&from_workbook, percent);
            }
            write_export_bytes(&from_workbook, name, bytes);
            let (code, report) = from_workbook.check_json(AS_OF);
            assert_eq!(code, csv_code, "{name}");
            assert_eq!(report["asha_rule_set"], "asha-2025");
            assert_eq!(
                attendees_compared(&report, name),
                attendees_compared(&csv_report, "moodle-quiz.csv"),
                "{name}, minimum {minimum:?}"
            );
            // The reason names the sheet and row.
            let why = reason(&report, "A002");
            let place = format!("assessment/{name}:'Quiz results', row 3: state `In progress`");
            assert!(why.contains(&place), "{why}");
            assert_eq!(status(&report, "A001"), "completed");
            if minimum.is_some() {
                assert_eq!(status(&report, "A003"), "completed");
                assert!(reason(&report, "A004").contains("65%"));
            }
        }
    }
}

#[test]
fn workbook_export_findings_name_sheet_and_cell() {
    let o = september();
    let table = "Email,Completed\naiyana.redcrow@example.org,yes\nnobody@example.org,yes\ndeepa.raman@example.com,maybe\n";
    write_export_bytes(&o, "results.xlsx", &xlsx_of(table, "Results"));
    let (_, report) = o.check_json(AS_OF);
    assert_eq!(status(&report, "A001"), "completed");
    let cell = |rule: &str| {
        let f = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == rule)
            .unwrap_or_else(|| panic!("no {rule}: {:#}", report["findings"]))
            .clone();
        let at = &f["location"];
        (
            at["file"].clone(),
            at["sheet"].clone(),
            at["line"].clone(),
            at["column"].clone(),
        )
    };
    let file = "records/SER2-2025-03-CAL/assessment/results.xlsx";
    assert_eq!(
        cell("DATA-UNMATCHED"),
        (file.into(), "Results".into(), 3.into(), Value::Null)
    );
    assert_eq!(
        cell("DATA-VALUE"),
        (file.into(), "Results".into(), 4.into(), 2.into())
    );
    let (_, human) = o.check_human(AS_OF);
    assert!(
        human.contains("assessment/results.xlsx:Results!B4"),
        "{human}"
    );
    assert!(
        human.contains("assessment/results.xlsx:Results, row 3"),
        "{human}"
    );
}

#[test]
fn a_workbook_with_no_export_in_any_sheet_is_refused_naming_the_sheet() {
    let o = september();
    write_export_bytes(
        &o,
        "notes.xlsx",
        &xlsx_of("Attendee,Comment\nA001,great\n", "Comments"),
    );
    let output = o.run(&["check", "--as-of", AS_OF]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("assessment/notes.xlsx:Notes, row 1")
            && stderr.contains("no header row ceu knows as an assessment export"),
        "{stderr}"
    );
}

/// Central-European names under which three attendees took the LMS quiz: a simple assessment
/// table names them only so, and the alias list (UTF-8) ties each name to the attendee.
const CZECH: [(&str, &str); 3] = [
    ("A001", "Tomáš,Dvořák"),
    ("A003", "Łucja,Wójcik-Żuławska"),
    ("A004", "Zsófia,Kőrösi"),
];

#[test]
fn a_latin_2_assessment_table_warns_and_reads_right_when_declared() {
    let mut table = String::from("First name,Last name,Completed\n");
    let mut aliases = String::from("alias,attendee_id\n");
    for (id, name) in CZECH {
        table.push_str(&format!("{name},yes\n"));
        aliases.push_str(&format!("{},{id}\n", name.replace(',', " ")));
    }
    let (latin2, _, unmappable) = encoding_rs::ISO_8859_2.encode(&table);
    assert!(!unmappable);
    for declared in [None, Some("ISO-8859-2"), Some("latin2")] {
        let o = september();
        std::fs::write(o.dir().join("aliases.csv"), &aliases).unwrap();
        write_export_bytes(&o, "learning-check.csv", &latin2);
        if let Some(label) = declared {
            o.edit_course(|t| {
                format!("{t}\n[inputs.encoding]\n\"assessment/learning-check.csv\" = \"{label}\"\n")
            });
        }
        let (_, report) = o.check_json(AS_OF);
        let warnings = findings_of(&report, "DATA-ENCODING");
        let unmatched = findings_of(&report, "DATA-UNMATCHED");
        match declared {
            None => {
                // Read as Windows-1252 the names are garbled and match nobody.
                assert_eq!(warnings.len(), 1, "{warnings:?}");
                let (_, message, at) = &warnings[0];
                assert!(
                    at.ends_with("assessment/learning-check.csv:null")
                        && (message.contains("ISO-8859-2") || message.contains("windows-1250"))
                        && message.contains("\\\"assessment/learning-check.csv\\\" = "),
                    "{message} at {at}"
                );
                assert_eq!(unmatched.len(), 3, "{unmatched:?}");
                assert!(unmatched[0].1.contains("`Tomá¹ Dvoøák`"), "{unmatched:?}");
                for (id, _) in CZECH {
                    assert!(reason(&report, id).contains("no attempt in assessment/"));
                }
            }
            Some(_) => {
                assert!(warnings.is_empty(), "{warnings:?}");
                assert!(unmatched.is_empty(), "{unmatched:?}");
                for (id, _) in CZECH {
                    assert_eq!(status(&report, id), "completed", "{}", reason(&report, id));
                }
            }
        }
    }
}

/// SER2 with an NCBTMB test whose result comes from `assessment/` (the roster states none).
fn ncbtmb_with_test() -> Offering {
    let o = Offering::ser2();
    o.edit_course(|t| {
        t.replacen(
            "approved_hours = \"28.0\"",
            "approved_hours = \"28.0\"\ntest = true",
            1,
        )
    });
    o.edit_roster(|t| t.replace(",NCBTMB,no\n", ",NCBTMB,\n"));
    o
}

/// The NCBTMB-COMPLETE-1 finding of `id`: (message, fix).
fn ncbtmb_finding(report: &Value, id: &str) -> (String, String) {
    let f = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "NCBTMB-COMPLETE-1" && f["attendee"] == id)
        .unwrap_or_else(|| panic!("no NCBTMB-COMPLETE-1 for {id}: {:#}", report["findings"]));
    (
        f["message"].as_str().unwrap().to_string(),
        f["fix"].as_str().unwrap().to_string(),
    )
}

#[test]
fn ncbtmb_test_not_passed_names_the_export_row() {
    let table = "attendee_id,completed\nA010,yes\nA009,no\n";
    for (name, bytes, place) in [
        (
            "test.csv",
            table.as_bytes().to_vec(),
            "assessment/test.csv line 3",
        ),
        (
            "test.xlsx",
            xlsx_of(table, "Test"),
            "assessment/test.xlsx:Test, row 3",
        ),
    ] {
        let o = ncbtmb_with_test();
        write_export_bytes(&o, name, &bytes);
        let (_, report) = o.check_json("2025-03-20");
        let (message, fix) = ncbtmb_finding(&report, "A009");
        assert!(
            message.contains(&format!("test was not passed ({place}: completed no);")),
            "{message}"
        );
        assert!(fix.contains("LMS") && !fix.contains("roster.csv"), "{fix}");
        // A010 passed by the export: no finding.
        assert!(
            !report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["rule"] == "NCBTMB-COMPLETE-1" && f["attendee"] == "A010"),
            "{report:#}"
        );
    }
    // An attendee with no row in the export: the reason says so.
    let o = ncbtmb_with_test();
    write_export(&o, "test.csv", "attendee_id,completed\nA010,yes\n");
    let (_, report) = o.check_json("2025-03-20");
    let (message, _) = ncbtmb_finding(&report, "A009");
    assert!(message.contains("(no attempt in assessment/)"), "{message}");
    // Without an export the roster decides, and the fix still points at it.
    let o = Offering::ser2();
    o.edit_course(|t| {
        t.replacen(
            "approved_hours = \"28.0\"",
            "approved_hours = \"28.0\"\ntest = true",
            1,
        )
    });
    let (_, report) = o.check_json("2025-03-20");
    let (message, fix) = ncbtmb_finding(&report, "A009");
    assert!(message.contains("test was not passed;"), "{message}");
    assert!(fix.contains("roster.csv"), "{fix}");
}
