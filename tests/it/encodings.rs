//! 8-bit inputs that are not Windows-1252 (issue 19, part 2): undeclared, they are still read
//! as Windows-1252 but `DATA-ENCODING` names the likelier encoding and the fix; declared in
//! course.toml (`[inputs.encoding]`), they read right and raise nothing; a plain Windows-1252
//! file raises no false alarm.

use crate::common::{self, Offering};
use encoding_rs::Encoding;
use serde_json::Value;

/// Central-European names put into the SER2 roster (attendee id, old name, new name).
const NAMES: [(&str, &str, &str); 4] = [
    ("A005", "Erik,Sørensen", "Tomáš,Dvořák"),
    ("A011", "Katarzyna,Nowak", "Łucja,Wójcik-Żuławska"),
    ("A014", "Nadia,Petrova", "Zsófia,Kőrösi"),
    ("A020", "Tuija,Korhonen", "Šárka,Novotná"),
];

/// `text` in `encoding`, every character representable.
fn encoded(text: &str, encoding: &'static Encoding) -> Vec<u8> {
    let (bytes, used, unmappable) = encoding.encode(text);
    assert_eq!(used, encoding);
    assert!(!unmappable, "{} cannot hold the text", encoding.name());
    bytes.into_owned()
}

/// The SER2 offering with the Central-European names, its roster written in `encoding`.
fn central_european(encoding: &'static Encoding) -> Offering {
    let offering = Offering::ser2();
    let path = offering.dir().join("roster.csv");
    let mut text = std::fs::read_to_string(&path).unwrap();
    for (_, old, new) in NAMES {
        text = text.replacen(old, new, 1);
    }
    // Benoît and Chloé stay: î and é are in both Central-European encodings.
    std::fs::write(&path, encoded(&text, encoding)).unwrap();
    offering
}

fn declare(offering: &Offering, key: &str, label: &str) {
    offering.edit_course(|t| format!("{t}\n[inputs.encoding]\n\"{key}\" = \"{label}\"\n"));
}

fn encoding_findings(report: &Value) -> Vec<&Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "DATA-ENCODING")
        .collect()
}

fn name(report: &Value, id: &str) -> String {
    common::attendee(report, id)["name"]
        .as_str()
        .unwrap()
        .to_string()
}

fn assert_names_read_right(report: &Value) {
    for (id, _, new) in NAMES {
        assert_eq!(name(report, id), new.replace(',', " "), "{id}");
    }
    assert_eq!(name(report, "A002"), "Benoît Lavoie");
}

#[test]
fn a_latin_2_roster_warns_naming_the_likelier_encoding_and_declaring_it_reads_right() {
    for encoding in [encoding_rs::ISO_8859_2, encoding_rs::WINDOWS_1250] {
        let offering = central_european(encoding);
        let (_, report) = offering.check_json("2025-03-20");
        let warnings = encoding_findings(&report);
        assert_eq!(warnings.len(), 1, "{}: {report:#}", encoding.name());
        let warning = warnings[0];
        assert_eq!(warning["severity"], "warning");
        assert_eq!(warning["scope"], "offering");
        assert_eq!(
            warning["location"]["file"],
            "records/SER2-2025-03-CAL/roster.csv"
        );
        let message = warning["message"].as_str().unwrap();
        // chardetng names a Central-European encoding; the file is read as Windows-1252.
        let likelier = ["windows-1250", "ISO-8859-2"]
            .into_iter()
            .find(|label| message.contains(&format!("look like {label}")))
            .unwrap_or_else(|| panic!("{message}"));
        assert!(message.contains("read as Windows-1252"), "{message}");
        assert_ne!(name(&report, "A005"), "Tomáš Dvořák");
        // The fix, followed to the letter, reads every name right and silences the warning.
        let fix = warning["fix"].as_str().unwrap();
        let declaration = format!("\"roster.csv\" = \"{likelier}\"");
        assert!(fix.contains(&declaration), "{fix}");
        assert!(fix.contains("[inputs.encoding]"), "{fix}");
        declare(&offering, "roster.csv", likelier);
        let (_, report) = offering.check_json("2025-03-20");
        assert!(encoding_findings(&report).is_empty(), "{report:#}");
        assert_names_read_right(&report);
    }
}

#[test]
fn the_declared_encoding_is_used_whatever_label_spells_it() {
    for label in ["ISO-8859-2", "latin2", "iso_8859-2"] {
        let offering = central_european(encoding_rs::ISO_8859_2);
        declare(&offering, "roster.csv", label);
        let (_, report) = offering.check_json("2025-03-20");
        assert!(encoding_findings(&report).is_empty(), "{label}");
        assert_names_read_right(&report);
    }
}

#[test]
fn a_windows_1252_roster_raises_no_warning() {
    // The SER2 roster (é, î, ø) and a Western-European variant (ß, ñ, ü, æ), saved as
    // Excel's plain CSV does on Windows: read right, no false alarm.
    let utf8 = Offering::ser2().check_json("2025-03-20").1;
    for edit in [
        None,
        Some(("Erik,Sørensen", "Jürgen,Großmann-Æbeltoft Muñoz")),
    ] {
        let offering = Offering::ser2();
        let path = offering.dir().join("roster.csv");
        let mut text = std::fs::read_to_string(&path).unwrap();
        if let Some((old, new)) = edit {
            text = text.replacen(old, new, 1);
        }
        std::fs::write(&path, encoded(&text, encoding_rs::WINDOWS_1252)).unwrap();
        let (_, report) = offering.check_json("2025-03-20");
        assert!(encoding_findings(&report).is_empty(), "{report:#}");
        assert_eq!(name(&report, "A002"), "Benoît Lavoie");
        if edit.is_none() {
            assert_eq!(report, utf8);
        } else {
            assert_eq!(name(&report, "A005"), "Jürgen Großmann-Æbeltoft Muñoz");
        }
    }
}

#[test]
fn a_latin_2_attendance_file_warns_under_its_own_key() {
    let offering = Offering::ser2();
    let path = offering.dir().join("attendance/day1-2025-03-06.csv");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replacen("Aiyana,Redcrow,", "Přemysl,Šťastný-Ďurčík,", 1)
        // Windows-1250 has no ø; the row is matched by its email anyway.
        .replacen("Erik,Sørensen,", "Erik,Sorensen,", 1);
    std::fs::write(&path, encoded(&text, encoding_rs::WINDOWS_1250)).unwrap();
    let (_, report) = offering.check_json("2025-03-20");
    let warnings = encoding_findings(&report);
    assert_eq!(warnings.len(), 1, "{report:#}");
    assert_eq!(
        warnings[0]["location"]["file"],
        "records/SER2-2025-03-CAL/attendance/day1-2025-03-06.csv"
    );
    let fix = warnings[0]["fix"].as_str().unwrap();
    assert!(
        fix.contains("\"attendance/day1-2025-03-06.csv\" = \""),
        "{fix}"
    );
    // Matched by email either way: the attendance is the CSV twin's.
    let utf8 = Offering::ser2().check_json("2025-03-20").1;
    assert_eq!(report["attendees"], utf8["attendees"]);
    declare(&offering, "attendance/day1-2025-03-06.csv", "windows-1250");
    let (_, report) = offering.check_json("2025-03-20");
    assert!(encoding_findings(&report).is_empty(), "{report:#}");
}

#[test]
fn a_mac_roman_roster_reads_right_when_declared() {
    let offering = Offering::ser2();
    let path = offering.dir().join("roster.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, encoded(&text, encoding_rs::MACINTOSH)).unwrap();
    let (_, undeclared) = offering.check_json("2025-03-20");
    // Read as Windows-1252, the Mac bytes are other letters. chardetng does not know Mac
    // Roman, so it warns under another name; the fix still points to "macintosh".
    assert_ne!(name(&undeclared, "A002"), "Benoît Lavoie");
    let warnings = encoding_findings(&undeclared);
    assert_eq!(warnings.len(), 1, "{undeclared:#}");
    let fix = warnings[0]["fix"].as_str().unwrap();
    assert!(fix.contains("\"macintosh\""), "{fix}");
    declare(&offering, "roster.csv", "macintosh");
    let (_, report) = offering.check_json("2025-03-20");
    assert!(encoding_findings(&report).is_empty(), "{report:#}");
    assert_eq!(name(&report, "A002"), "Benoît Lavoie");
    assert_eq!(name(&report, "A005"), "Erik Sørensen");
}

#[test]
fn an_unknown_label_is_an_error_naming_the_course_toml_line() {
    let offering = Offering::ser2();
    let lines = std::fs::read_to_string(offering.dir().join("course.toml"))
        .unwrap()
        .lines()
        .count();
    declare(&offering, "roster.csv", "latin-2");
    let output = offering.run(&["check"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The appended `[inputs.encoding]` line follows a blank line and the table header.
    let at = format!("course.toml:{}", lines + 3);
    assert!(stderr.contains(&at), "{at}: {stderr}");
    assert!(
        stderr.contains("`latin-2`") || stderr.contains("\"latin-2\""),
        "{stderr}"
    );
}

#[test]
fn a_declared_file_that_is_not_there_is_an_error_naming_the_line() {
    let offering = Offering::ser2();
    let lines = std::fs::read_to_string(offering.dir().join("course.toml"))
        .unwrap()
        .lines()
        .count();
    declare(&offering, "roster.cvs", "windows-1250");
    let output = offering.run(&["check"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let at = format!("course.toml:{}", lines + 3);
    assert!(stderr.contains(&at), "{at}: {stderr}");
    assert!(
        stderr.contains("\"roster.cvs\", which is not a file"),
        "{stderr}"
    );
}

/// Czech and Polish names the administrator typed into a list file, saved by Excel on a
/// Central-European Windows (Windows-1250); the first one is a sign-in row's name.
const LIST_NAMES: [&str; 4] = [
    "Přemysl Dvořák",
    "Šárka Nováková-Řeháková",
    "Łucja Żuławska",
    "Zsófia Kőrösi",
];

/// SER2 with a day-1 sign-in row written only as `Přemysl Dvořák` (no email): it matches
/// nobody unless a list file names him.
fn with_unlisted_guest() -> Offering {
    let offering = Offering::ser2();
    offering.append_attendance(
        "day1-2025-03-06.csv",
        "Přemysl,Dvořák,,2025-03-06,09:00,12:00\n",
    );
    offering
}

/// The `DATA-UNMATCHED` findings about `Přemysl Dvořák`'s row, read right or garbled.
fn guest_unmatched(report: &Value) -> usize {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "DATA-UNMATCHED")
        .filter(|f| f["message"].as_str().unwrap().contains("Dvo"))
        .count()
}

#[test]
fn a_windows_1250_alias_list_warns_and_matches_when_declared() {
    let mut aliases = String::from("alias,attendee_id\n");
    for (name, id) in LIST_NAMES.iter().zip(["A021", "A022", "A023", "A024"]) {
        aliases.push_str(&format!("{name},{id}\n"));
    }
    let bytes = encoded(&aliases, encoding_rs::WINDOWS_1250);
    // Beside the roster and in attendance/: each under its own key.
    for key in ["aliases.csv", "attendance/aliases.csv"] {
        let offering = with_unlisted_guest();
        std::fs::write(offering.dir().join(key), &bytes).unwrap();
        let (_, report) = offering.check_json("2025-03-20");
        let warnings = encoding_findings(&report);
        assert_eq!(warnings.len(), 1, "{key}: {report:#}");
        assert_eq!(
            warnings[0]["location"]["file"],
            format!("records/SER2-2025-03-CAL/{key}")
        );
        let message = warnings[0]["message"].as_str().unwrap();
        assert!(message.contains("look like windows-1250"), "{message}");
        let fix = warnings[0]["fix"].as_str().unwrap();
        assert!(
            fix.contains(&format!("\"{key}\" = \"windows-1250\"")),
            "{fix}"
        );
        // Read as Windows-1252 the alias is `Pøemysl Dvoøák`, so his row matches nobody.
        assert_eq!(guest_unmatched(&report), 1, "{key}: {report:#}");
        declare(&offering, key, "windows-1250");
        let (_, report) = offering.check_json("2025-03-20");
        assert!(encoding_findings(&report).is_empty(), "{report:#}");
        assert_eq!(guest_unmatched(&report), 0, "{key}: {report:#}");
    }
    // Saved as UTF-8, the same list needs no declaration.
    let offering = with_unlisted_guest();
    std::fs::write(offering.dir().join("aliases.csv"), &aliases).unwrap();
    let (_, report) = offering.check_json("2025-03-20");
    assert!(encoding_findings(&report).is_empty(), "{report:#}");
    assert_eq!(guest_unmatched(&report), 0, "{report:#}");
}

#[test]
fn a_latin_2_not_attendee_list_warns_and_matches_when_declared() {
    let mut list = String::from("name,reason\n");
    for name in LIST_NAMES {
        list.push_str(&format!("{name},host\n"));
    }
    let offering = with_unlisted_guest();
    std::fs::write(
        offering.dir().join("not-attendees.csv"),
        encoded(&list, encoding_rs::ISO_8859_2),
    )
    .unwrap();
    let (_, report) = offering.check_json("2025-03-20");
    let warnings = encoding_findings(&report);
    assert_eq!(warnings.len(), 1, "{report:#}");
    let message = warnings[0]["message"].as_str().unwrap();
    let likelier = ["ISO-8859-2", "windows-1250"]
        .into_iter()
        .find(|label| message.contains(&format!("look like {label}")))
        .unwrap_or_else(|| panic!("{message}"));
    assert_eq!(guest_unmatched(&report), 1, "{report:#}");
    declare(&offering, "not-attendees.csv", likelier);
    let (_, report) = offering.check_json("2025-03-20");
    assert!(encoding_findings(&report).is_empty(), "{report:#}");
    assert_eq!(guest_unmatched(&report), 0, "{report:#}");
}
