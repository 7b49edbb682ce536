//! Rosters and sign-in sheets kept as workbooks (.xlsx, .ods) are read directly (issue 19,
//! part 1): the same `check` and `hours` results as their CSV twins, dates and times as the
//! workbook stores them (1900 and 1904 date systems, fractions rounded to the second), the
//! sheet chosen by content, findings and errors naming file, sheet and cell.

use crate::common::{self, Offering};
use rust_xlsxwriter::{Format, Workbook};
use serde_json::Value;
use std::io::{Read, Write};
use std::path::Path;

/// How the test writes a CSV cell into a workbook.
#[derive(Clone, Copy)]
struct Typing {
    /// Dates and times as date/time cells (serial numbers), digits as numbers; else all text.
    typed: bool,
    /// Serial numbers in the 1904 date system (days counted from 1904-01-01).
    system_1904: bool,
    /// The workbook says it uses the 1904 date system (as it must when its serials do).
    mark_1904: bool,
    /// Seconds added to every time-of-day (a tiny negative amount gives `08:59:59.9999`).
    nudge_seconds: f64,
    /// Where the table's first cell goes (0-based row, column); a title goes in A1 when the
    /// table does not start there.
    origin: (u32, u16),
}

const TYPED: Typing = Typing {
    typed: true,
    system_1904: false,
    mark_1904: false,
    nudge_seconds: 0.0,
    origin: (0, 0),
};

/// The Excel serial day number of `date` (`YYYY-MM-DD`) in the 1900 or 1904 system.
fn serial_day(date: &str, system_1904: bool) -> f64 {
    let date = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
    let epoch = if system_1904 {
        chrono::NaiveDate::from_ymd_opt(1904, 1, 1).unwrap()
    } else {
        chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()
    };
    (date - epoch).num_days() as f64
}

/// `csv` written as the workbook sheet `sheet`, after a first sheet `Notes` whose free text is
/// no header (so the sheet must be chosen by its content).
fn xlsx_of(csv: &str, sheet: &str, typing: Typing) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let notes = workbook.add_worksheet().set_name("Notes").unwrap();
    notes
        .write_string(0, 0, "Exported from the registration system")
        .unwrap();
    notes.write_string(2, 1, "do not edit").unwrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let time = Format::new().set_num_format("hh:mm");
    let worksheet = workbook.add_worksheet().set_name(sheet).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.as_bytes());
    if typing.origin != (0, 0) {
        worksheet
            .write_string(0, 0, "SER2 Calgary - sign-in sheet")
            .unwrap();
    }
    for (r, record) in reader.records().enumerate() {
        let r = u32::try_from(r).unwrap() + typing.origin.0;
        for (c, cell) in record.unwrap().iter().enumerate() {
            let c = u16::try_from(c).unwrap() + typing.origin.1;
            let is_date = cell.len() == 10 && cell.as_bytes()[4] == b'-';
            let is_time = cell.len() == 5 && cell.as_bytes()[2] == b':';
            let digits = !cell.is_empty()
                && !cell.starts_with('0')
                && cell.bytes().all(|b| b.is_ascii_digit());
            if typing.typed && is_date {
                let serial = serial_day(cell, typing.system_1904);
                worksheet
                    .write_number_with_format(r, c, serial, &date)
                    .unwrap();
            } else if typing.typed && is_time {
                let (h, m) = cell.split_once(':').unwrap();
                let seconds = h.parse::<f64>().unwrap() * 3600.0
                    + m.parse::<f64>().unwrap() * 60.0
                    + typing.nudge_seconds;
                worksheet
                    .write_number_with_format(r, c, seconds / 86_400.0, &time)
                    .unwrap();
            } else if typing.typed && digits && cell.len() < 15 {
                worksheet
                    .write_number(r, c, cell.parse::<f64>().unwrap())
                    .unwrap();
            } else if !cell.is_empty() {
                worksheet.write_string(r, c, cell).unwrap();
            }
        }
    }
    let bytes = workbook.save_to_buffer().unwrap();
    if typing.mark_1904 {
        to_1904(&bytes)
    } else {
        bytes
    }
}

/// The .xlsx `bytes` with `xl/workbook.xml` saying the 1904 date system (rust_xlsxwriter
/// writes only the 1900 one; Excel for Mac wrote 1904 by default until 2011).
fn to_1904(bytes: &[u8]) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        let mut data = Vec::new();
        file.read_to_end(&mut data).unwrap();
        if name == "xl/workbook.xml" {
            let text = String::from_utf8(data).unwrap();
            let patched = if text.contains("<workbookPr ") {
                text.replacen("<workbookPr ", "<workbookPr date1904=\"1\" ", 1)
            } else {
                text.replacen("<bookViews>", "<workbookPr date1904=\"1\"/><bookViews>", 1)
            };
            assert!(patched.contains("date1904"), "{patched}");
            data = patched.into_bytes();
        }
        out.start_file(name, options).unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// Replaces `dir/<name>.csv` by `dir/<name>.xlsx`, written as `typing` says.
fn to_workbook(dir: &Path, name: &str, sheet: &str, typing: Typing) {
    let csv_path = dir.join(format!("{name}.csv"));
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    std::fs::write(
        dir.join(format!("{name}.xlsx")),
        xlsx_of(&csv, sheet, typing),
    )
    .unwrap();
    std::fs::remove_file(csv_path).unwrap();
}

/// The SER2 attendance file names, without `.csv`.
fn days() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(Offering::ser2().dir().join("attendance"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().replace(".csv", ""))
        .collect();
    names.sort();
    names
}

/// `value` with workbook file names read as their CSV twins' and the sheets dropped, so a
/// workbook run compares equal to a CSV run.
fn as_csv(value: &Value) -> Value {
    match value {
        Value::String(s) => Value::String(s.replace(".xlsx", ".csv").replace(".ods", ".csv")),
        Value::Array(items) => Value::Array(items.iter().map(as_csv).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| k.as_str() != "sheet")
                .map(|(k, v)| (k.clone(), as_csv(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// (check JSON, hours JSON) of `offering`, each with its exit code.
fn results(offering: &Offering) -> (i32, Value, Value) {
    let (code, check) = offering.check_json("2025-03-20");
    let output = offering.run(&["hours", "--format", "json"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let hours = serde_json::from_slice(&output.stdout).unwrap();
    (code, check, hours)
}

fn assert_same_as_csv(offering: &Offering) {
    let (code, check, hours) = results(offering);
    let (csv_code, csv_check, csv_hours) = results(&Offering::ser2());
    assert_eq!(code, csv_code);
    assert_eq!(as_csv(&check), csv_check);
    assert_eq!(as_csv(&hours), csv_hours);
}

fn findings_of<'a>(report: &'a Value, rule: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

#[test]
fn xlsx_roster_and_sign_in_sheets_give_the_same_check_and_hours_as_csv() {
    let offering = Offering::ser2();
    let dir = offering.dir();
    to_workbook(&dir, "roster", "Registrations", TYPED);
    for day in days() {
        to_workbook(&dir.join("attendance"), &day, "Sheet1", TYPED);
    }
    assert_same_as_csv(&offering);
    // The roster finding points into the sheet the roster was read from, by row.
    let (_, check, _) = results(&offering);
    let elig = findings_of(&check, "ASHA-ELIG-2");
    assert_eq!(
        elig[0]["location"]["file"],
        "records/SER2-2025-03-CAL/roster.xlsx"
    );
    assert_eq!(elig[0]["location"]["sheet"], "Registrations");
    let (_, human) = offering.check_human("2025-03-20");
    assert!(
        human.contains("roster.xlsx:Registrations, row 12"),
        "{human}"
    );
}

#[test]
fn workbooks_of_text_cells_read_like_csv() {
    // Everything typed as text (dates, times, ids): read exactly like the CSV text.
    let text = Typing {
        typed: false,
        ..TYPED
    };
    let offering = Offering::ser2();
    let dir = offering.dir();
    to_workbook(&dir, "roster", "Sheet1", text);
    to_workbook(&dir.join("attendance"), &days()[0], "Sign in", text);
    assert_same_as_csv(&offering);
}

#[test]
fn dates_in_the_1904_system_read_as_the_same_days() {
    let system_1904 = Typing {
        system_1904: true,
        mark_1904: true,
        ..TYPED
    };
    let offering = Offering::ser2();
    let dir = offering.dir();
    for day in days() {
        to_workbook(&dir.join("attendance"), &day, "Sheet1", system_1904);
    }
    assert_same_as_csv(&offering);
}

#[test]
fn the_1904_flag_is_what_makes_1904_serials_read_right() {
    // The control for the test above: the same serials in a workbook that does not say 1904
    // are days four years earlier, on which nobody attended.
    let unmarked = Typing {
        system_1904: true,
        ..TYPED
    };
    let offering = Offering::ser2();
    let dir = offering.dir();
    for day in days() {
        to_workbook(&dir.join("attendance"), &day, "Sheet1", unmarked);
    }
    let (_, check, _) = results(&offering);
    let (_, csv_check, _) = results(&Offering::ser2());
    assert_ne!(as_csv(&check), csv_check);
    let a001 = common::attendee(&check, "A001");
    assert_eq!(a001["attended_minutes"], 0, "{a001:#}");
}

#[test]
fn time_fractions_round_to_the_nearest_second() {
    // 08:59:59.9999 is 09:00, 17:02:00.4 is 17:02: the whole-second times of the CSV twin.
    for nudge_seconds in [-0.0001, 0.4, -0.4] {
        let offering = Offering::ser2();
        let dir = offering.dir();
        for day in days() {
            let typing = Typing {
                nudge_seconds,
                ..TYPED
            };
            to_workbook(&dir.join("attendance"), &day, "Sheet1", typing);
        }
        assert_same_as_csv(&offering);
    }
}

#[test]
fn ods_sign_in_sheet_gives_the_same_results_as_its_csv_twin() {
    // Built by tests/fixtures/workbooks/make_ods.py: a "Notes" sheet, then the sheet with date
    // and time cells, one sign-out stored as 17:01:59.9999.
    let offering = Offering::ser2();
    let attendance = offering.dir().join("attendance");
    std::fs::remove_file(attendance.join("day1-2025-03-06.csv")).unwrap();
    std::fs::copy(
        common::repo().join("tests/fixtures/workbooks/day1-2025-03-06.ods"),
        attendance.join("day1-2025-03-06.ods"),
    )
    .unwrap();
    assert_same_as_csv(&offering);
}

#[test]
fn a_roster_as_csv_and_as_xlsx_is_refused_naming_both() {
    let offering = Offering::ser2();
    let dir = offering.dir();
    let csv = std::fs::read_to_string(dir.join("roster.csv")).unwrap();
    std::fs::write(dir.join("roster.xlsx"), xlsx_of(&csv, "Sheet1", TYPED)).unwrap();
    let output = offering.run(&["check"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("roster.csv and records/SER2-2025-03-CAL/roster.xlsx: two rosters"),
        "{stderr}"
    );
}

#[test]
fn an_attendance_file_as_csv_and_as_xlsx_is_refused_naming_both() {
    let offering = Offering::ser2();
    let attendance = offering.dir().join("attendance");
    let csv = std::fs::read_to_string(attendance.join("day2-2025-03-07.csv")).unwrap();
    std::fs::write(
        attendance.join("day2-2025-03-07.xlsx"),
        xlsx_of(&csv, "Sheet1", TYPED),
    )
    .unwrap();
    let output = offering.run(&["check"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("day2-2025-03-07.csv"), "{stderr}");
    assert!(stderr.contains("day2-2025-03-07.xlsx"), "{stderr}");
}

#[test]
fn a_bad_cell_is_reported_by_file_sheet_and_cell() {
    let offering = Offering::ser2();
    let dir = offering.dir();
    // Row 3 of the sheet (A002): the sign-out is not a time.
    let day1 = dir.join("attendance/day1-2025-03-06.csv");
    common::edit_file(&day1, |t| {
        t.replacen(
            "2025-03-06,08:52,17:10",
            "2025-03-06,08:52,ten past five",
            1,
        )
    });
    to_workbook(&dir.join("attendance"), "day1-2025-03-06", "Day 1", TYPED);
    let (_, check) = offering.check_json("2025-03-20");
    let bad = findings_of(&check, "DATA-TIME");
    assert_eq!(bad.len(), 1, "{check:#}");
    let location = &bad[0]["location"];
    assert_eq!(
        location["file"],
        "records/SER2-2025-03-CAL/attendance/day1-2025-03-06.xlsx"
    );
    assert_eq!(location["sheet"], "Day 1");
    assert_eq!(
        (&location["line"], &location["column"]),
        (&3.into(), &6.into())
    );
    let (_, human) = offering.check_human("2025-03-20");
    assert!(human.contains("day1-2025-03-06.xlsx:'Day 1'!F3"), "{human}");

    // The same sheet under a title row, its table starting at B3: the cell moves with it.
    let offering = Offering::ser2();
    let dir = offering.dir();
    let day1 = dir.join("attendance/day1-2025-03-06.csv");
    common::edit_file(&day1, |t| {
        t.replacen(
            "2025-03-06,08:52,17:10",
            "2025-03-06,08:52,ten past five",
            1,
        )
    });
    let below_a_title = Typing {
        origin: (2, 1),
        ..TYPED
    };
    to_workbook(
        &dir.join("attendance"),
        "day1-2025-03-06",
        "Day1",
        below_a_title,
    );
    let (_, human) = offering.check_human("2025-03-20");
    assert!(human.contains("day1-2025-03-06.xlsx:Day1!G5"), "{human}");
    // Apart from the bad cell, the sheet reads as its CSV twin does.
    assert_eq!(
        common::attendee(&offering.check_json("2025-03-20").1, "A001")["attended_minutes"],
        1560
    );
}

#[test]
fn an_unusable_roster_cell_is_an_error_naming_the_cell() {
    let offering = Offering::ser2();
    let dir = offering.dir();
    // A002's attendee id becomes A001's: the roster cannot be used (exit 2).
    common::edit_file(&dir.join("roster.csv"), |t| t.replacen("A002,", "A001,", 1));
    to_workbook(&dir, "roster", "Registrations", TYPED);
    let output = offering.run(&["check"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("roster.xlsx:Registrations, row 3: attendee_id `A001` is also used"),
        "{stderr}"
    );
}

#[test]
fn a_workbook_without_a_roster_header_says_so_for_its_sheet() {
    let offering = Offering::ser2();
    let dir = offering.dir();
    std::fs::remove_file(dir.join("roster.csv")).unwrap();
    std::fs::write(
        dir.join("roster.xlsx"),
        xlsx_of("Who,When\nAna,today\n", "Sheet1", TYPED),
    )
    .unwrap();
    let output = offering.run(&["check"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The first sheet with anything in it is the one reported.
    assert!(stderr.contains("roster.xlsx:Notes, row 1: no "), "{stderr}");
}

#[test]
fn a_workbook_saved_under_a_csv_name_is_read_as_the_workbook_it_is() {
    let offering = Offering::ser2();
    let dir = offering.dir();
    let csv = std::fs::read_to_string(dir.join("roster.csv")).unwrap();
    std::fs::write(dir.join("roster.csv"), xlsx_of(&csv, "Sheet1", TYPED)).unwrap();
    assert_same_as_csv(&offering);
}

#[test]
fn workbooks_are_hashed_as_inputs_of_the_certificates() {
    let offering = Offering::ser2();
    let dir = offering.dir();
    to_workbook(&dir, "roster", "Registrations", TYPED);
    let attendance = dir.join("attendance");
    std::fs::remove_file(attendance.join("day1-2025-03-06.csv")).unwrap();
    std::fs::copy(
        common::repo().join("tests/fixtures/workbooks/day1-2025-03-06.ods"),
        attendance.join("day1-2025-03-06.ods"),
    )
    .unwrap();
    let key = common::seeded_key(&offering, "workbooks");
    let output = offering.issue(&key, &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let sha = |path: &Path| {
        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(
            std::fs::read(path).unwrap(),
        ))
    };
    let entries = ceu::ledger::read(&offering.ledger()).unwrap();
    let issued = entries
        .iter()
        .find_map(|e| e.body().issued())
        .expect("a certificate was issued");
    let inputs = &issued.inputs;
    assert_eq!(inputs["roster.xlsx"], sha(&dir.join("roster.xlsx")));
    assert_eq!(
        inputs["attendance/day1-2025-03-06.ods"],
        sha(&attendance.join("day1-2025-03-06.ods"))
    );
    assert_eq!(
        inputs["attendance/day2-2025-03-07.csv"],
        sha(&attendance.join("day2-2025-03-07.csv"))
    );
    assert!(!inputs.contains_key("roster.csv"), "{inputs:?}");
}

#[test]
fn old_style_xls_roster_and_sign_in_sheet_give_the_same_results_as_csv() {
    // Built by tests/fixtures/workbooks/make_xls.py (BIFF8, as Excel 97-2003 saved them): a
    // "Notes" sheet first, digits as number cells, dates and times as date and time cells.
    let offering = Offering::ser2();
    let dir = offering.dir();
    let fixtures = common::repo().join("tests/fixtures/workbooks");
    std::fs::remove_file(dir.join("roster.csv")).unwrap();
    std::fs::copy(fixtures.join("roster.xls"), dir.join("roster.xls")).unwrap();
    let attendance = dir.join("attendance");
    std::fs::remove_file(attendance.join("day3-2025-03-08.csv")).unwrap();
    std::fs::copy(
        fixtures.join("day3-2025-03-08.xls"),
        attendance.join("day3-2025-03-08.xls"),
    )
    .unwrap();
    let as_xls = |value: &Value| -> Value {
        serde_json::from_str(&value.to_string().replace(".xls\"", ".csv\"")).unwrap()
    };
    let (code, check, hours) = results(&offering);
    let (csv_code, csv_check, csv_hours) = results(&Offering::ser2());
    assert_eq!(code, csv_code);
    assert_eq!(as_xls(&as_csv(&check)), csv_check);
    assert_eq!(as_xls(&as_csv(&hours)), csv_hours);
}

/// The alias list and not-attendees.csv stay CSV (short lists typed for ceu, and their names
/// are fixed): a workbook saved under either name is refused naming the file and how to save
/// it, rather than read as garbage bytes.
#[test]
fn an_alias_or_not_attendee_list_saved_as_a_workbook_is_refused_with_the_fix() {
    for (key, csv) in [
        ("aliases.csv", "alias,attendee_id\nBen O,A002\n"),
        ("attendance/aliases.csv", "alias,attendee_id\nBen O,A002\n"),
        (
            "not-attendees.csv",
            "name,reason\nSam Volunteer,room monitor\n",
        ),
    ] {
        let offering = Offering::ser2();
        let path = offering.dir().join(key);
        std::fs::write(&path, xlsx_of(csv, "Sheet1", TYPED)).unwrap();
        let output = offering.run(&["check", "--as-of", "2025-03-20"]);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{key}: {}",
            common::text(&output)
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(&format!("records/SER2-2025-03-CAL/{key}"))
                && stderr.contains("Excel")
                && stderr.contains("CSV"),
            "{key}: {stderr}"
        );
    }
}
