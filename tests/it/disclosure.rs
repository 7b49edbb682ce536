//! `ceu disclosure` (issue 21, part 1; ASHA-DISCLOSE-7): the speakers' disclosure slide deck
//! and handout from course.toml alone, never clipped, refused while a disclosure has an error.
//! Read back with pdftotext and pdfinfo.

use crate::common::{Offering, pdf_pages, pdf_text, text};

/// `count` more speakers appended to course.toml, each with statements of their own; the
/// financial one `words` words longer than needed.
fn speakers(count: usize, words: usize) -> String {
    let names = [
        "Ada Quist",
        "Bram Oduya",
        "Cleo Varga",
        "Dmitri Sol",
        "Esme Tran",
        "Femi Adeyemi",
        "Gita Rao",
        "Hugo Lind",
        "Ines Barros",
        "Jonas Weil",
        "Kiri Tane",
        "Lena Moss",
    ];
    let padding = " for teaching this course".repeat(words / 4);
    (0..count)
        .map(|i| {
            let name = names[i];
            format!(
                "\n[[speaker]]\nname = \"{name}\"\nrole = \"instructor\"\n\n[speaker.disclosure]\nfinancial = \"{name} receives a teaching fee from Upledger Institute International{padding}.\"\nnonfinancial = \"{name} has no relevant nonfinancial relationships to disclose.\"\ndate = 2025-01-15\n"
            )
        })
        .collect()
}

/// Only course.toml: the disclosure materials come before any roster or attendance exists.
fn record_only() -> Offering {
    let offering = Offering::ser2();
    for name in ["roster.csv", "attendance"] {
        let path = offering.dir().join(name);
        if path.is_dir() {
            std::fs::remove_dir_all(&path).unwrap();
        } else {
            std::fs::remove_file(&path).unwrap();
        }
    }
    offering
}

#[test]
fn ser2_before_any_attendance_gets_a_slide_and_a_handout() {
    let offering = record_only();
    let run = offering.run(&["disclosure"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let slide = offering.dir().join("disclosure-slide.pdf");
    let handout = offering.dir().join("disclosure-handout.pdf");
    for path in [&slide, &handout] {
        let shown = pdf_text(path);
        for expected in [
            "Maren Castell",
            "Maren Castell receives a teaching fee from Upledger Institute International for teaching this course.",
            "Maren Castell has no relevant nonfinancial relationships to disclose.",
            "Tobias Reinholt",
            "Tobias Reinholt receives a salary from Upledger Institute International as curriculum director.",
            "Tobias Reinholt has no relevant nonfinancial relationships to disclose.",
        ] {
            assert!(
                shown.contains(expected),
                "{}: {expected}\n{shown}",
                path.display()
            );
        }
    }
    assert_eq!(pdf_pages(&slide), 1);
    let info = std::process::Command::new("pdfinfo")
        .arg(&slide)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&info.stdout).contains("959.976 x 540 pts"),
        "16:9"
    );
    let info = std::process::Command::new("pdfinfo")
        .arg(&handout)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&info.stdout).contains("(letter)"));
    // The same record gives the same bytes.
    let first = std::fs::read(&slide).unwrap();
    let again = offering.run(&["disclosure"]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    assert_eq!(std::fs::read(&slide).unwrap(), first);
}

#[test]
fn nine_speakers_take_more_than_one_slide_and_nothing_is_cut() {
    let offering = record_only();
    offering.edit_course(|t| format!("{t}{}", speakers(7, 40)));
    let out = offering.records().join("class");
    let run = offering
        .ceu()
        .args(["disclosure", "records/SER2-2025-03-CAL", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let slide = out.join("disclosure-slide.pdf");
    assert!(pdf_pages(&slide) > 1, "{} slides", pdf_pages(&slide));
    let names = [
        "Maren Castell",
        "Tobias Reinholt",
        "Ada Quist",
        "Bram Oduya",
        "Cleo Varga",
        "Dmitri Sol",
        "Esme Tran",
        "Femi Adeyemi",
        "Gita Rao",
    ];
    for path in [slide, out.join("disclosure-handout.pdf")] {
        let shown = pdf_text(&path);
        for name in names {
            assert!(shown.contains(name), "{}: {name}", path.display());
            assert!(
                shown.contains(&format!(
                    "{name} has no relevant nonfinancial relationships to disclose."
                )),
                "{}: {name}'s nonfinancial statement",
                path.display()
            );
            let financial = if name == "Tobias Reinholt" {
                format!("{name} receives a salary from Upledger Institute International")
            } else {
                format!("{name} receives a teaching fee from Upledger Institute International")
            };
            assert!(
                shown.contains(&financial),
                "{}: {name}'s financial",
                path.display()
            );
        }
        // Every padded statement ends in full: none is cut at the slide's edge.
        assert_eq!(
            shown.matches("for teaching this course.").count(),
            8,
            "{}",
            path.display()
        );
    }
    assert!(!offering.dir().join("disclosure-slide.pdf").exists());
}

#[test]
fn a_statement_too_long_for_a_whole_slide_is_refused_not_cut() {
    let offering = record_only();
    offering.edit_course(|t| format!("{t}{}", speakers(1, 900)));
    let run = offering.run(&["disclosure"]);
    assert_eq!(run.status.code(), Some(2), "{}", text(&run));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("disclosure slide cannot show"), "{stderr}");
    assert!(!offering.dir().join("disclosure-slide.pdf").exists());
}

#[test]
fn a_disclosure_error_is_listed_with_its_fix_and_nothing_is_written() {
    // A blanket statement (ASHA-DISCLOSE-5) and a speaker named by role (ASHA-DISCLOSE-4).
    let offering = record_only();
    offering.edit_course(|t| {
        t.replace(
            "Tobias Reinholt has no relevant nonfinancial relationships to disclose.",
            "The speakers have nothing to disclose.",
        )
        .replace("name = \"Maren Castell\"", "name = \"Teacher\"")
    });
    let run = offering.run(&["disclosure"]);
    assert_eq!(run.status.code(), Some(1), "{}", text(&run));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("ASHA-DISCLOSE-5"), "{stderr}");
    assert!(stderr.contains("ASHA-DISCLOSE-4"), "{stderr}");
    assert!(stderr.contains("fix:"), "{stderr}");
    assert!(stderr.contains("course.toml:"), "{stderr}");
    assert!(stderr.contains("Nothing written"), "{stderr}");
    assert!(!offering.dir().join("disclosure-slide.pdf").exists());
    assert!(!offering.dir().join("disclosure-handout.pdf").exists());

    // A speaker with no disclosure at all (ASHA-DISCLOSE-1).
    let offering = record_only();
    offering.edit_course(|t| {
        format!("{t}\n[[speaker]]\nname = \"Quinn Absent\"\nrole = \"planner\"\n")
    });
    let run = offering.run(&["disclosure"]);
    assert_eq!(run.status.code(), Some(1), "{}", text(&run));
    assert!(String::from_utf8_lossy(&run.stderr).contains("ASHA-DISCLOSE-1"));
}

#[test]
fn the_disclosure_templates_preview_alone() {
    use ceu::document::{DocumentRenderer, disclosure};
    for (what, template) in [
        ("disclosure slide", disclosure::SLIDE_TEMPLATE),
        ("disclosure handout", disclosure::HANDOUT_TEMPLATE),
    ] {
        let pdf = DocumentRenderer::preview(what, template.to_string()).unwrap();
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("preview.pdf");
        std::fs::write(&path, &pdf).unwrap();
        assert!(pdf_text(&path).contains("Dana Instructor"), "{what}");
    }
}
