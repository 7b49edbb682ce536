//! ASHA disclosure rules (ASHA-DISCLOSE-*) on copies of SER2 with one thing changed.

use super::*;

#[test]
fn asha_disclose_1_missing_disclosure_table() {
    let json = fires_and_quiet("ASHA-DISCLOSE-1", "error", |o| {
        o.edit_course(|t| {
            t.replacen(
                "[speaker.disclosure]\nfinancial = \"Maren Castell receives a teaching fee from Upledger Institute International for teaching this course.\"\nnonfinancial = \"Maren Castell has no relevant nonfinancial relationships to disclose.\"\ndate = 2025-01-15\n",
                "",
                1,
            )
        })
    });
    let finding = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "ASHA-DISCLOSE-1")
        .unwrap();
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("Maren Castell")
    );
    assert_eq!(finding["scope"], "offering");
}

/// The acceptance case: one speaker's nonfinancial line removed.
#[test]
fn asha_disclose_2_missing_nonfinancial_names_speaker_file_and_line() {
    let offering = Offering::ser2();
    offering.edit_course(|t| {
        t.replacen("nonfinancial = \"Maren Castell has no relevant nonfinancial relationships to disclose.\"\n", "", 1)
    });
    let (code, json) = offering.check_json("2025-03-20");
    assert_eq!(code, 1);
    let finding = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "ASHA-DISCLOSE-2")
        .expect("ASHA-DISCLOSE-2 finding");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("Maren Castell")
    );
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("nonfinancial")
    );
    assert!(
        finding["location"]["file"]
            .as_str()
            .unwrap()
            .ends_with("course.toml")
    );
    // The [speaker.disclosure] table of the first speaker starts on this line of course.toml.
    let line = finding["location"]["line"].as_u64().unwrap() as usize;
    let text = std::fs::read_to_string(offering.dir().join("course.toml")).unwrap();
    let shown = text.lines().nth(line - 1).unwrap();
    assert!(
        shown.contains("speaker.disclosure") || shown.contains("financial"),
        "line {line} is `{shown}`"
    );
    // And the human report says the same, with file:line.
    let (code, human) = offering.check_human("2025-03-20");
    assert_eq!(code, 1);
    assert!(human.contains(&format!("course.toml:{line}")), "{human}");
    assert!(human.contains("error[ASHA-DISCLOSE-2]"), "{human}");
}

#[test]
fn asha_disclose_3_and_4_flag_the_seed_statement_as_printed() {
    let json = fires_and_quiet("ASHA-DISCLOSE-3", "error", |o| {
        o.edit_course(|t| {
            t.replacen(
                "Maren Castell receives a teaching fee from Upledger Institute International for teaching this course.",
                "Teacher receives a fee for teaching this course.",
                1,
            )
            .replacen(
                "Maren Castell has no relevant nonfinancial relationships to disclose.",
                "Teacher has no nonfinancial relationship to disclose.",
                1,
            )
        })
    });
    let ids = finding_ids(&json);
    assert!(ids.iter().any(|(id, _)| id == "ASHA-DISCLOSE-4"), "{ids:?}");
}

#[test]
fn asha_disclose_4_generic_speaker_name() {
    fires_and_quiet("ASHA-DISCLOSE-4", "error", |o| {
        o.edit_course(|t| t.replacen("name = \"Maren Castell\"", "name = \"Teacher\"", 1))
    });
}

const MAREN_FINANCIAL: &str = "Maren Castell receives a teaching fee from Upledger Institute International for teaching this course.";

/// The rule ids that fire on SER2 with Maren Castell's financial statement (and, when given,
/// her recorded name) replaced.
fn ids_with_financial(statement: &str, name: Option<&str>) -> Vec<String> {
    let offering = Offering::ser2();
    offering.edit_course(|t| {
        let t = t.replacen(MAREN_FINANCIAL, statement, 1);
        match name {
            Some(name) => t.replacen("name = \"Maren Castell\"", &format!("name = \"{name}\""), 1),
            None => t,
        }
    });
    let (_, json) = offering.check_json("2025-03-20");
    finding_ids(&json).into_iter().map(|(id, _)| id).collect()
}

#[test]
fn asha_disclose_4_plural_collective_and_pronoun_wording_is_flagged() {
    for statement in [
        "Teachers receive a fee from Upledger Institute International.",
        "Speakers receive an honorarium from Upledger Institute International.",
        "The instructors are paid a teaching fee by Upledger Institute International.",
        "Faculty receive a fee from Upledger Institute International.",
        "They receive a fee from Upledger Institute International.",
        "She receives a teaching fee from Upledger Institute International.",
        "The author receives royalties from Upledger Institute International.",
        "The presenter is employed by Upledger Institute International.",
    ] {
        let ids = ids_with_financial(statement, None);
        assert!(
            ids.iter().any(|id| id == "ASHA-DISCLOSE-4"),
            "ASHA-DISCLOSE-4 did not fire on {statement:?}: {ids:?}"
        );
    }
}

#[test]
fn asha_disclose_4_stays_quiet_on_the_name_a_title_or_a_verb_first_statement() {
    for (statement, name) in [
        (
            "Receives a teaching fee from Upledger Institute International.",
            None,
        ),
        (
            "Maren Castell receives a teaching fee from Upledger Institute International.",
            None,
        ),
        (
            "Dr. Castell receives a teaching fee from Upledger Institute International.",
            None,
        ),
        (
            "Dr. Maren Castell receives a teaching fee from Upledger Institute International.",
            Some("Dr. Maren Castell"),
        ),
        (
            "Castell receives a teaching fee from Upledger Institute International; she also receives royalties from it.",
            None,
        ),
    ] {
        let ids = ids_with_financial(statement, name);
        assert!(
            !ids.iter().any(|id| id.starts_with("ASHA-DISCLOSE")),
            "a disclosure rule fired on {statement:?} ({name:?}): {ids:?}"
        );
    }
}

#[test]
fn asha_disclose_5_blanket_statements_are_flagged() {
    fires_and_quiet("ASHA-DISCLOSE-5", "error", |o| {
        o.edit_course(|t| t.replacen(MAREN_FINANCIAL, "The speakers have nothing to disclose.", 1))
    });
    for statement in [
        "No speakers have relevant relationships.",
        "All faculty: none.",
        "None of the presenters has a financial relationship to disclose.",
        "The planning committee has no conflicts of interest.",
        "Instructors have no relevant financial relationships.",
    ] {
        let ids = ids_with_financial(statement, None);
        assert!(
            ids.iter().any(|id| id == "ASHA-DISCLOSE-5"),
            "ASHA-DISCLOSE-5 did not fire on {statement:?}: {ids:?}"
        );
    }
    // A statement of the speaker's own absence of relationships is not blanket.
    let ids = ids_with_financial(
        "Maren Castell has no relevant financial relationships to disclose.",
        None,
    );
    assert!(!ids.iter().any(|id| id == "ASHA-DISCLOSE-5"), "{ids:?}");
}

#[test]
fn asha_disclose_8_disclosure_dated_after_the_start() {
    fires_and_quiet("ASHA-DISCLOSE-8", "error", |o| {
        o.edit_course(|t| t.replacen("date = 2025-01-15\n", "date = 2025-03-07\n", 1))
    });
}

/// Writes a sibling offering of SER2 beside it, starting on `start`, with `course_number`.
fn sibling_offering(o: &Offering, folder: &str, start: &str, course_number: &str) {
    let text = std::fs::read_to_string(o.dir().join("course.toml")).unwrap();
    let text = text
        .replacen(
            "start_date = 2025-03-06",
            &format!("start_date = {start}"),
            1,
        )
        .replacen("end_date = 2025-03-09", &format!("end_date = {start}"), 1)
        .replacen(
            "course_number = \"4102\"",
            &format!("course_number = \"{course_number}\""),
            1,
        );
    let dir = o.records().join(folder);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("course.toml"), text).unwrap();
}

#[test]
fn asha_disclose_8_disclosure_older_than_the_previous_offering_is_a_warning() {
    // Maren Castell's disclosure (2025-01-15) predates an offering of the same course on
    // 2025-02-01: not re-confirmed.
    fires_and_quiet("ASHA-DISCLOSE-8", "warning", |o| {
        sibling_offering(o, "SER2-2025-02-PBG", "2025-02-01", "4102")
    });
    // Quiet: the earlier offering is of another course, or was before the disclosure.
    for (start, number) in [("2025-02-01", "4103"), ("2024-09-05", "4102")] {
        let offering = Offering::ser2();
        sibling_offering(&offering, "SER2-EARLIER", start, number);
        let (code, json) = offering.check_json("2025-03-20");
        assert_eq!(code, 0);
        let ids = finding_ids(&json);
        assert!(
            !ids.iter().any(|(id, _)| id == "ASHA-DISCLOSE-8"),
            "{start} {number}: {ids:?}"
        );
    }
}

#[test]
fn asha_disclose_10_single_product_course_without_content_disclosure() {
    fires_and_quiet("ASHA-DISCLOSE-10", "error", |o| {
        o.edit_course(|t| {
            t.replacen(
                "content_area = \"R\"\n",
                "content_area = \"R\"\nsingle_product_focus = true\n",
                1,
            )
        })
    });
    let offering = Offering::ser2();
    offering.edit_course(|t| {
        t.replacen(
            "content_area = \"R\"\n",
            "content_area = \"R\"\nsingle_product_focus = true\ncontent_disclosure = \"This course focuses on the SomatoEmotional Release technique and includes limited information on other techniques.\"\n",
            1,
        )
    });
    let (code, _) = offering.check_json("2025-03-20");
    assert_eq!(
        code, 0,
        "a stated content disclosure satisfies ASHA-DISCLOSE-10"
    );
}

#[test]
fn asha_disclose_11_external_support_without_support_disclosure() {
    fires_and_quiet("ASHA-DISCLOSE-11", "error", |o| {
        o.edit_course(|t| t.replacen("content_area = \"R\"\n", "content_area = \"R\"\nsupport = [\"Acme Tables Inc. (in-kind: treatment tables)\"]\n", 1))
    });
    let offering = Offering::ser2();
    offering.edit_course(|t| {
        t.replacen(
            "content_area = \"R\"\n",
            "content_area = \"R\"\nsupport = [\"Acme Tables Inc.\"]\nsupport_disclosure = \"Acme Tables Inc. lent the treatment tables for this course.\"\n",
            1,
        )
    });
    let (code, _) = offering.check_json("2025-03-20");
    assert_eq!(
        code, 0,
        "a stated support disclosure satisfies ASHA-DISCLOSE-11"
    );
}

#[test]
fn asha_disclose_9_refused_disclosure() {
    fires_and_quiet("ASHA-DISCLOSE-9", "error", |o| {
        o.edit_course(|t| {
            t.replacen(
                "date = 2025-01-15\n",
                "date = 2025-01-15\nrefused = true\n",
                1,
            )
        })
    });
}
