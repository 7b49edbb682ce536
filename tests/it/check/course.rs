//! ASHA course definition and CEU arithmetic (ASHA-COURSE-*, ASHA-CEU-*) on copies of SER2.

use super::*;

#[test]
fn asha_course_1_provider_code_not_four_letters() {
    fires_and_quiet("ASHA-COURSE-1", "error", |o| {
        o.edit_course(|t| t.replacen("provider_code = \"AUCS\"", "provider_code = \"AUC1\"", 1))
    });
}

#[test]
fn asha_course_4_title_over_80_characters() {
    fires_and_quiet("ASHA-COURSE-4", "warning", |o| {
        o.edit_course(|t| {
            t.replacen(
                "title = \"SomatoEmotional Release 2 (SER2): Intention, Inner Physician and Dialogue\"",
                "title = \"SER2: SomatoEmotional Release 2: Intention, Inner Physician and Dialogue - Deepening Principles and Practice of Upledger CranioSacral Therapy\"",
                1,
            )
        })
    });
}

#[test]
fn asha_course_5_invalid_level() {
    fires_and_quiet("ASHA-COURSE-5", "error", |o| {
        o.edit_course(|t| t.replacen("level = \"Intermediate\"", "level = \"Expert\"", 1))
    });
}

#[test]
fn asha_course_6_invalid_content_area() {
    fires_and_quiet("ASHA-COURSE-6", "error", |o| {
        o.edit_course(|t| t.replacen("content_area = \"R\"", "content_area = \"X\"", 1))
    });
}

#[test]
fn asha_course_8_unmeasurable_outcome() {
    fires_and_quiet("ASHA-COURSE-8", "warning", |o| {
        o.edit_course(|t| {
            t.replacen(
                "\"Identify energy cysts by arcing",
                "\"Understand energy cysts by arcing",
                1,
            )
        })
    });
}

#[test]
fn asha_course_10_overlapping_agenda() {
    fires_and_quiet("ASHA-COURSE-10", "error", |o| {
        o.edit_course(|t| t.replacen("start = \"10:45\"", "start = \"10:40\"", 1))
    });
}

#[test]
fn asha_ceu_1_working_meal_without_presentation_minutes() {
    fires_and_quiet("ASHA-CEU-1", "error", |o| {
        o.edit_course(|t| t.replacen("kind = \"meal\"", "kind = \"working-meal\"", 1))
    });
}

#[test]
fn asha_ceu_2_contact_hours_disagree_with_ceus() {
    fires_and_quiet("ASHA-CEU-2", "error", |o| {
        o.edit_course(|t| {
            t.replacen(
                "contact_hours = \"26.0\"\npartial_credit",
                "contact_hours = \"25.0\"\npartial_credit",
                1,
            )
        })
    });
}

#[test]
fn asha_ceu_3_stated_ceus_the_agenda_cannot_support() {
    let json = fires_and_quiet("ASHA-CEU-3", "error", |o| {
        o.edit_course(|t| {
            t.replacen(
                "ceus = \"2.60\"\ncontact_hours = \"26.0\"",
                "ceus = \"3.00\"\ncontact_hours = \"30.0\"",
                1,
            )
        })
    });
    assert_eq!(json["summary"]["offering_errors"], 1);
}

#[test]
fn asha_ceu_4_not_a_multiple_of_005() {
    fires_and_quiet("ASHA-CEU-4", "error", |o| {
        o.edit_course(|t| {
            t.replacen(
                "ceus = \"2.60\"\ncontact_hours = \"26.0\"\n",
                "ceus = \"2.58\"\n",
                1,
            )
        })
    });
}

#[test]
fn asha_ceu_5_below_configured_minimum() {
    fires_and_quiet("ASHA-CEU-5", "warning", |o| {
        o.edit_course(|t| format!("{t}\n[rules]\nasha_minimum_ceus = \"3.00\"\n"))
    });
}

#[test]
fn asha_course_9_future_tense_description() {
    fires_and_quiet("ASHA-COURSE-9", "warning", |o| {
        o.edit_course(|t| {
            t.replacen(
                "Participants practised how",
                "Participants will learn how",
                1,
            )
        })
    });
}

#[test]
fn asha_course_14_excluded_practice_in_an_outcome() {
    fires_and_quiet("ASHA-COURSE-14", "warning", |o| {
        o.edit_course(|t| {
            t.replacen(
                "\"Identify energy cysts by arcing at the start of a session.\"",
                "\"Apply facilitated communication with nonspeaking clients.\"",
                1,
            )
        })
    });
    fires_and_quiet("ASHA-COURSE-14", "warning", |o| {
        o.edit_course(|t| {
            t.replacen(
                "title = \"SomatoEmotional",
                "title = \"AIT and SomatoEmotional",
                1,
            )
        })
    });
}

#[test]
fn asha_course_2_and_3_course_and_offering_number_forms() {
    fires_and_quiet("ASHA-COURSE-2", "warning", |o| {
        o.edit_course(|t| t.replacen("course_number = \"4102\"", "course_number = \"SER2\"", 1))
    });
    fires_and_quiet("ASHA-COURSE-3", "warning", |o| {
        o.edit_course(|t| t.replacen("offering_number = \"001\"", "offering_number = \"1\"", 1))
    });
    fires_and_quiet("ASHA-COURSE-3", "warning", |o| {
        o.edit_course(|t| t.replacen("offering_number = \"001\"", "offering_number = \"000\"", 1))
    });
}
