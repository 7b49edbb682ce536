//! `ceu report asha` on the SER2 example, run as the binary (issue 20): the rows of the .xlsx
//! (read back with calamine) and the .csv are exactly the eligible ASHA completers of `check`,
//! with the CEUs `check` awarded; the files are byte-reproducible; zero participants, missing
//! fields, the deadline and a provider's own column layout.

use crate::common::{self, Offering};
use calamine::{Data, Reader, Xlsx, open_workbook};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

const AS_OF: &str = "2025-04-01";

/// The report folder and the files of the SER2 offering.
fn files(offering: &Offering) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = offering.dir().join("reports");
    (
        dir.join("asha-SER2-2025-03-CAL.xlsx"),
        dir.join("asha-SER2-2025-03-CAL.csv"),
    )
}

fn report(offering: &Offering, extra: &[&str]) -> std::process::Output {
    offering
        .ceu()
        .args(["report", "asha", "records/SER2-2025-03-CAL"])
        .args(if extra.contains(&"--as-of") {
            &[][..]
        } else {
            &["--as-of", AS_OF][..]
        })
        .args(extra)
        .output()
        .unwrap()
}

/// Every cell of a sheet, as text (numbers with two decimals).
fn sheet(path: &Path, name: &str) -> Vec<Vec<String>> {
    let mut workbook: Xlsx<_> = open_workbook(path).unwrap();
    let range = workbook.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    Data::String(s) => s.clone(),
                    Data::Float(f) => format!("{f:.2}"),
                    Data::Int(i) => i.to_string(),
                    other => panic!("unexpected cell {other:?}"),
                })
                .collect()
        })
        .collect()
}

fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap();
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// (first name, last name, CEUs) of everyone `check` shows with ASHA credit and not blocked.
fn expected_from_check(offering: &Offering) -> BTreeSet<(String, String, String)> {
    let (_, check) = offering.check_json(AS_OF);
    let roster = std::fs::read_to_string(offering.dir().join("roster.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(roster.as_bytes());
    let names: std::collections::HashMap<String, (String, String)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), (r[1].to_string(), r[2].to_string()))
        })
        .collect();
    check["attendees"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["blocked_by"].as_array().unwrap().is_empty())
        .filter_map(|a| {
            let asha = a["credits"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["body"] == "ASHA")?;
            if asha["requested"] != Value::Bool(true) || asha["eligible"] != Value::Bool(true) {
                return None;
            }
            let value = asha["amount"]["value"].as_str()?;
            if value == "0.00" {
                return None;
            }
            let (first, last) = names[a["attendee_id"].as_str().unwrap()].clone();
            Some((first, last, value.to_string()))
        })
        .collect()
}

const HEADERS: [&str; 15] = [
    "Provider Code",
    "Course Number",
    "Offering Number",
    "Offering Start Date",
    "Offering End Date",
    "ASHA Account Number",
    "First Name",
    "Last Name",
    "Street Address",
    "City",
    "State/Province",
    "ZIP/Postal Code",
    "Country",
    "Email",
    "CEUs Earned",
];

/// (first, last, CEUs) of a sheet or CSV in the built-in layout, after the header row.
fn people(rows: &[Vec<String>]) -> BTreeSet<(String, String, String)> {
    rows[1..]
        .iter()
        .map(|r| (r[6].clone(), r[7].clone(), r[14].clone()))
        .collect()
}

#[test]
fn ser2_rows_are_exactly_the_eligible_asha_completers() {
    let offering = Offering::ser2();
    let output = report(&offering, &[]);
    let text = common::text(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    let (xlsx, csv) = files(&offering);
    let cells = sheet(&xlsx, "Participants");
    assert_eq!(cells[0], HEADERS);
    let expected = expected_from_check(&offering);
    assert!(expected.len() >= 3, "{expected:?}");
    assert_eq!(people(&cells), expected);
    assert_eq!(cells.len() - 1, expected.len(), "one row per person");
    for row in &cells[1..] {
        assert_eq!(
            &row[..5],
            ["AUCS", "4102", "001", "2025-03-06", "2025-03-09"]
        );
    }
    let from_csv = csv_rows(&csv);
    assert_eq!(
        from_csv, cells,
        "the .csv holds the same cells as the .xlsx"
    );

    // The massage therapist who asked for ASHA credit is not eligible; the partial attendee
    // is reported with the partial CEUs (the course allows partial credit).
    let names: Vec<&str> = cells.iter().map(|r| r[7].as_str()).collect();
    assert!(!names.contains(&"Nowak"), "{names:?}");
    assert!(text.contains("not reported  A011"), "{text}");
    assert!(
        cells.iter().any(|r| r[7] == "O'Neill" && r[14] == "2.50"),
        "{cells:?}"
    );
    assert!(
        text.contains("Due in the ASHA CE Provider Portal by 2025-04-23: 22 day(s) left"),
        "{text}"
    );
    let summary = sheet(&xlsx, "Offering");
    assert!(summary.contains(&vec!["Report due".to_string(), "2025-04-23".to_string()]));
}

#[test]
fn the_files_are_byte_reproducible_and_private() {
    let offering = Offering::ser2();
    assert_eq!(report(&offering, &[]).status.code(), Some(0));
    let (xlsx, csv) = files(&offering);
    let first = (std::fs::read(&xlsx).unwrap(), std::fs::read(&csv).unwrap());
    let again = report(&offering, &["--out", "again", "--as-of", "2025-04-20"]);
    assert_eq!(again.status.code(), Some(0), "{}", common::text(&again));
    let dir = offering.temp.path().join("again");
    assert_eq!(
        std::fs::read(dir.join("asha-SER2-2025-03-CAL.xlsx")).unwrap(),
        first.0
    );
    assert_eq!(
        std::fs::read(dir.join("asha-SER2-2025-03-CAL.csv")).unwrap(),
        first.1
    );
    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(&xlsx).unwrap().permissions().mode();
    assert_eq!(mode & 0o077, 0, "personal data: owner only");
}

#[test]
fn zero_asha_participants_still_get_a_report_that_says_so() {
    let offering = Offering::ser2();
    offering.edit_roster(|t| t.replace(",ASHA,", ",,").replace("NCBTMB;ASHA", "NCBTMB"));
    let output = report(&offering, &[]);
    let text = common::text(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("No ASHA participants"), "{text}");
    let (xlsx, csv) = files(&offering);
    let cells = sheet(&xlsx, "Participants");
    assert_eq!(cells, vec![HEADERS.map(str::to_string).to_vec()]);
    assert_eq!(csv_rows(&csv).len(), 1);
    let summary = sheet(&xlsx, "Offering");
    let participants = summary.iter().find(|r| r[0] == "Participants").unwrap();
    assert!(
        participants[1].starts_with("0: no ASHA participants"),
        "{summary:?}"
    );
}

#[test]
fn a_missing_address_is_a_warning_and_a_missing_name_drops_the_row() {
    let offering = Offering::ser2();
    offering.edit_roster(|t| {
        t.replace("12 Elbow Dr SW", "")
            .replace("A002,Benoît,Lavoie", "A002,Benoît,")
            .replace("401 9 Ave SE", "=1+1 401 9 Ave SE")
    });
    let expected = expected_from_check(&offering);
    let output = report(&offering, &[]);
    let text = common::text(&output);
    assert_eq!(output.status.code(), Some(1), "a row was dropped: {text}");
    assert!(
        text.contains("warning[ASHA-REPORT-2] A001: mailing address incomplete (no street)"),
        "{text}"
    );
    assert!(
        text.contains("error[ASHA-REPORT-2] A002: no last name"),
        "{text}"
    );
    let (xlsx, csv) = files(&offering);
    let cells = sheet(&xlsx, "Participants");
    let redcrow = cells
        .iter()
        .find(|r| r[7] == "Redcrow")
        .expect("listed anyway");
    assert_eq!(redcrow[8], "");
    assert!(!cells.iter().any(|r| r[6] == "Benoît"));
    assert_eq!(people(&cells).len(), expected.len() - 1);
    // A formula prefix is neutralised in the CSV (the .xlsx holds it as text, never a formula).
    let csv_text = std::fs::read_to_string(&csv).unwrap();
    if cells.iter().any(|r| r[7] == "Martin") {
        assert!(csv_text.contains("'=1+1 401"), "{csv_text}");
    }
}

#[test]
fn past_the_deadline_says_how_late() {
    let offering = Offering::ser2();
    let output = report(&offering, &["--as-of", "2025-05-01"]);
    let text = common::text(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(
        text.contains("by 2025-04-23: 8 day(s) late as of 2025-05-01"),
        "{text}"
    );
}

#[test]
fn a_providers_column_layout_in_the_records_root_wins() {
    let offering = Offering::ser2();
    std::fs::write(
        offering.records().join("asha-report-columns.toml"),
        "version = 7\n[[column]]\nheader = \"Last\"\nsource = \"last_name\"\n[[column]]\nheader = \"CEU\"\nsource = \"ceus\"\n[[column]]\nheader = \"Phone\"\nsource = \"\"\n",
    )
    .unwrap();
    let output = report(&offering, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", common::text(&output));
    let (xlsx, csv) = files(&offering);
    let rows = csv_rows(&csv);
    assert_eq!(rows[0], ["Last", "CEU", "Phone"]);
    assert!(rows[1..].iter().all(|r| r[2].is_empty()));
    let summary = sheet(&xlsx, "Offering");
    assert!(summary.contains(&vec!["Column layout version".to_string(), "7".to_string()]));
}

#[test]
fn a_course_without_asha_credit_is_unusable_input() {
    let offering = Offering::ser2();
    offering.edit_course(|t| {
        let start = t.find("[credit.asha]").unwrap();
        let end = t[start..].find("[credit.ncbtmb]").unwrap() + start;
        format!("{}{}", &t[..start], &t[end..])
    });
    let output = report(&offering, &[]);
    // Removing ASHA credit may raise offering findings of its own; either way nothing is
    // written and the run does not pass.
    assert_ne!(output.status.code(), Some(0), "{}", common::text(&output));
    assert!(!files(&offering).0.exists());
}

#[test]
fn a_non_completer_who_asked_for_asha_credit_is_not_reported() {
    let offering = Offering::ser2();
    // Without partial credit, the attendee who missed part of the course did not complete.
    offering.edit_course(|t| t.replace("partial_credit = true", "partial_credit = false"));
    let output = report(&offering, &[]);
    let text = common::text(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("not reported  A007"), "{text}");
    let cells = sheet(&files(&offering).0, "Participants");
    assert!(!cells.iter().any(|r| r[7] == "O'Neill"), "{cells:?}");
    assert_eq!(people(&cells), expected_from_check(&offering));
}

#[test]
fn the_ledger_holds_one_signed_report_entry_and_a_rerun_adds_none() {
    let offering = Offering::ser2();
    let key = common::seeded_key(&offering, "report");
    let output = report(&offering, &["--key", &key]);
    let text = common::text(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("Recorded: report entry 1"), "{text}");
    let ledger = std::fs::read_to_string(offering.ledger()).unwrap();
    assert_eq!(ledger.lines().count(), 1);
    let entry = payload(ledger.lines().next().unwrap());
    assert_eq!(entry["type"], "report");
    assert_eq!(entry["offering_id"], "SER2-2025-03-CAL");
    assert_eq!(entry["report"]["kind"], "asha");
    assert_eq!(entry["report"]["course_number"], "4102");
    assert_eq!(entry["report"]["rows"], 7);
    assert_eq!(entry["report"]["people"].as_array().unwrap().len(), 7);
    let (xlsx, csv) = files(&offering);
    for file in [&xlsx, &csv] {
        let name = file.file_name().unwrap().to_str().unwrap();
        let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(
            std::fs::read(file).unwrap(),
        ));
        assert_eq!(entry["report"]["files"][name], sha.as_str());
    }
    let decoded = entry.to_string();
    for personal in ["Redcrow", "aiyana", "12345678", "Elbow"] {
        assert!(!decoded.contains(personal), "no personal data: {decoded}");
    }

    let again = report(&offering, &["--key", &key, "--as-of", "2025-04-10"]);
    assert!(
        common::text(&again).contains("nothing recorded"),
        "{}",
        common::text(&again)
    );
    assert_eq!(std::fs::read_to_string(offering.ledger()).unwrap(), ledger);

    let submitted = report(
        &offering,
        &[
            "--key",
            &key,
            "--as-of",
            "2025-05-01",
            "--submitted",
            "2025-04-20",
        ],
    );
    let text = common::text(&submitted);
    assert!(text.contains("Submitted to ASHA on 2025-04-20"), "{text}");
    assert!(
        !text.contains("day(s) late"),
        "no deadline once submitted: {text}"
    );
    let lines: Vec<String> = std::fs::read_to_string(offering.ledger())
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(payload(&lines[1])["report"]["submitted"], "2025-04-20");
    let later = report(&offering, &["--key", &key, "--as-of", "2025-06-01"]);
    assert!(common::text(&later).contains("Submitted to ASHA on 2025-04-20"));
    assert_eq!(
        std::fs::read_to_string(offering.ledger())
            .unwrap()
            .lines()
            .count(),
        2
    );

    let public = only_public_key(&offering.records().join("keys"));
    let verify = offering.ledger_verify(public.to_str().unwrap());
    assert_eq!(verify.status.code(), Some(0), "{}", common::text(&verify));
}

/// The decoded payload of one ledger line (a DSSE envelope).
fn payload(line: &str) -> Value {
    use base64::Engine as _;
    let envelope: Value = serde_json::from_str(line).unwrap();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(envelope["payload"].as_str().unwrap())
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

fn only_public_key(dir: &Path) -> std::path::PathBuf {
    let keys: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".pub.pem"))
        .collect();
    assert_eq!(keys.len(), 1, "{keys:?}");
    keys[0].clone()
}

/// The `recipe: report` block of docs/verification.md, exactly as written, run with bash and
/// jq on a ledger and files `report` wrote: it lists the entry and matches both files.
#[test]
fn the_standard_tools_recipe_finds_the_report_entry_and_its_files() {
    let jq = std::process::Command::new("jq").arg("--version").output();
    if !jq.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: jq is not installed");
        return;
    }
    let offering = Offering::ser2();
    let key = common::seeded_key(&offering, "report");
    assert_eq!(report(&offering, &["--key", &key]).status.code(), Some(0));
    let doc = std::fs::read_to_string(common::repo().join("docs/verification.md")).unwrap();
    let at = doc
        .find("<!-- recipe: report -->")
        .expect("the recipe block");
    let rest = &doc[at..];
    let start = rest.find("```sh\n").unwrap() + "```sh\n".len();
    let block = &rest[start..start + rest[start..].find("\n```").unwrap()];
    let output = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!("set -eu\n{block}"))
        .current_dir(offering.records())
        .env(
            "REPORT_FILES",
            "SER2-2025-03-CAL/reports/asha-SER2-2025-03-CAL.xlsx SER2-2025-03-CAL/reports/asha-SER2-2025-03-CAL.csv",
        )
        .output()
        .unwrap();
    let text = common::text(&output);
    assert!(output.status.success(), "{text}");
    assert!(text.contains("\"kind\":\"asha\",\"rows\":7"), "{text}");
    assert_eq!(
        text.matches("1 records asha-SER2-2025-03-CAL.csv asha-SER2-2025-03-CAL.xlsx")
            .count(),
        2,
        "{text}"
    );
}

/// `issue` writes `<offering>/delivery.csv`: one row per roster person, the certificate each
/// completer holds (file, id, verification code, as in the ledger), why the others get none;
/// owner-only; `verify` on the folder still reads only the PDFs.
#[test]
fn issue_writes_the_delivery_list() {
    let offering = Offering::ser2();
    let key = common::seeded_key(&offering, "delivery");
    let output = offering.issue(&key, &[]);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        common::text(&output)
    );
    let path = offering.dir().join("delivery.csv");
    use std::os::unix::fs::PermissionsExt as _;
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o077,
        0,
        "personal data: owner only"
    );
    let rows = csv_rows(&path);
    assert_eq!(
        rows[0],
        [
            "attendee_id",
            "name",
            "email",
            "outcome",
            "reason",
            "certificate_file",
            "certificate_id",
            "verification_code",
            "notice_file"
        ]
    );
    let roster = std::fs::read_to_string(offering.dir().join("roster.csv")).unwrap();
    assert_eq!(
        rows.len(),
        roster.lines().count(),
        "one row per roster person"
    );
    let ledger = std::fs::read_to_string(offering.ledger()).unwrap();
    let (_, check) = offering.check_json(common::ISSUE_TIMES[3]);
    for row in &rows[1..] {
        let outcome = common::attendee(&check, &row[0]);
        let issued = outcome["status"] != "not-completed"
            && outcome["blocked_by"].as_array().unwrap().is_empty();
        assert_eq!(!row[5].is_empty(), issued, "{row:?}");
        if issued {
            assert!(row[5].starts_with("certificates/"), "{row:?}");
            assert!(offering.dir().join(&row[5]).is_file(), "{row:?}");
            assert!(ledger.lines().count() >= 1);
            assert!(row[6].starts_with("SER2-2025-03-CAL-"), "{row:?}");
            assert!(!row[7].is_empty());
        } else {
            assert!(!row[4].is_empty(), "a reason for {row:?}");
        }
    }
    let a001 = rows.iter().find(|r| r[0] == "A001").unwrap();
    assert_eq!(a001[1], "Aiyana Redcrow");
    assert_eq!(a001[2], "aiyana.redcrow@example.org");
    assert_eq!(a001[3], "completed");
}

/// A `report` entry round-trips; an issue or revoke line without `cert_id` or `revision` (now
/// optional on the wire for report entries only) is still refused.
#[test]
fn report_entries_round_trip_and_certificate_entries_still_need_their_ids() {
    use ceu::ledger::{EntryBody, EntryPayload, ReportFields};
    let payload = EntryPayload {
        seq: 1,
        prev: "0".repeat(64),
        time: "2025-04-20T10:00:00Z".into(),
        body: EntryBody::Report(ReportFields {
            report: "asha".into(),
            offering_id: "SER2-2025-03-CAL".into(),
            course_number: "4102".into(),
            rows: 0,
            files: Default::default(),
            people: Vec::new(),
            submitted: Some("2025-04-20".into()),
        }),
    };
    let json = serde_json::to_string(&payload).unwrap();
    assert!(
        !json.contains("cert_id") && !json.contains("revision"),
        "{json}"
    );
    assert_eq!(
        serde_json::from_str::<EntryPayload>(&json).unwrap(),
        payload
    );
    let prev = "0".repeat(64);
    let revoke = format!(
        r#"{{"seq":1,"prev":"{prev}","type":"revoke","time":"2025-04-20T10:00:00Z","reason":"x"}}"#
    );
    assert!(serde_json::from_str::<EntryPayload>(&revoke).is_err());
}
