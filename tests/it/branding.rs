//! Provider branding (issue 21, part 3): a provider folder in the records root with a logo,
//! two signature images and a certificate template is used by `issue`, bound in the signed
//! record and re-rendered by `verify --offline`; a changed template is "page not compared";
//! templates that report no layout facts, do not preview on their own or clip are refused.

use crate::common::{Offering, edit_file, pdf_text, repo, seeded_key, text};
use crate::provider_fonts::{page_check, pdftotext, public_key, record_of};
use std::path::Path;
use std::process::Command;

fn fixture(name: &str) -> std::path::PathBuf {
    repo().join("tests/fixtures/provider").join(name)
}

/// Copies fixtures into `records/provider/` under the names given.
fn provide(offering: &Offering, files: &[(&str, &str)]) {
    let dir = offering.records().join("provider");
    std::fs::create_dir_all(&dir).unwrap();
    for (from, to) in files {
        std::fs::copy(fixture(from), dir.join(to)).unwrap();
    }
}

/// The second signatory, added to SER2's course record.
fn add_second_signatory(offering: &Offering) {
    offering.edit_course(|course| {
        course.replacen(
            "[[speaker]]",
            "[provider.second_signatory]\nname = \"Maren Castell\"\ntitle = \"Instructor\"\n\n[[speaker]]",
            1,
        )
    });
}

/// `pdfimages -list`: (width, height) of every image (soft masks left out).
fn images(pdf: &Path) -> Vec<(u32, u32)> {
    let out = Command::new("pdfimages")
        .arg("-list")
        .arg(pdf)
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .skip(2)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            (cols.get(2) == Some(&"image"))
                .then(|| (cols[3].parse().unwrap(), cols[4].parse().unwrap()))
        })
        .collect()
}

fn sha(path: &Path) -> String {
    ceu::sign::sha256_hex(&std::fs::read(path).unwrap())
}

fn roles(record: &serde_json::Value) -> Vec<(String, String, String)> {
    record["assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["role"].as_str().unwrap().to_string(),
                a["file"].as_str().unwrap_or("").to_string(),
                a["sha256"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn provider_logo_and_two_signatures_are_drawn_bound_and_verify_offline() {
    let offering = Offering::ser2();
    provide(
        &offering,
        &[
            ("logo.png", "logo.png"),
            ("signature-1.png", "signature-1.png"),
            ("signature-2.png", "signature-2.png"),
        ],
    );
    add_second_signatory(&offering);
    // The provider's first signature stands in when course.toml names none.
    offering.edit_course(|c| c.replace("signature_image = \"signature.png\"\n", ""));
    let key = seeded_key(&offering, "branding");
    let output = offering.issue(&key, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));

    let pdf = offering.pdf_of("A001");
    let mut drawn = images(&pdf);
    drawn.sort_unstable();
    // The logo (120 x 60) and both signatures (480 x 130).
    assert_eq!(
        drawn,
        vec![(120, 60), (480, 130), (480, 130)],
        "{}",
        pdf.display()
    );
    let words = pdftotext(&pdf);
    assert!(
        words.contains("Maren Castell") && words.contains("Instructor"),
        "{words}"
    );
    assert!(words.contains("Dana Whitfield"), "{words}");

    let provider = offering.records().join("provider");
    let record = record_of(&pdf);
    assert_eq!(
        record["certificate"]["second_signatory"]["name"], "Maren Castell",
        "{record}"
    );
    let mut bound = roles(&record);
    bound.sort();
    let expected = |role: &str, file: &str| {
        (
            role.to_string(),
            format!("provider/{file}"),
            sha(&provider.join(file)),
        )
    };
    assert_eq!(
        bound,
        vec![
            expected("logo", "logo.png"),
            expected("signature-1", "signature-1.png"),
            expected("signature-2", "signature-2.png"),
        ]
    );

    // Offline verification finds the assets in the records root and re-renders the page.
    let public = public_key(&offering);
    let out = offering
        .ceu()
        .args(["verify", "--offline", "--trust", &public])
        .arg("records/SER2-2025-03-CAL/certificates")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("21 of 21 verified"), "{}", text(&out));
    assert!(!text(&out).contains("not compared"), "{}", text(&out));
    let page = page_check(&offering, &pdf.to_string_lossy(), &public);
    assert!(page.contains("identical"), "{page}");

    // A changed signature image: the page is not compared, and says which file changed.
    std::fs::copy(fixture("signature-1.png"), provider.join("signature-2.png")).unwrap();
    let page = page_check(&offering, &pdf.to_string_lossy(), &public);
    assert!(page.starts_with("not compared"), "{page}");
    assert!(
        page.contains("signature-2.png") && page.contains("changed since issue"),
        "{page}"
    );
}

#[test]
fn course_record_signatures_come_first_and_an_svg_logo_is_bound() {
    // Variant: SER2's own signature image (course.toml) for the first signatory, the second
    // signatory's own image too, and an SVG logo (vector: not an image XObject).
    let offering = Offering::ser2();
    provide(
        &offering,
        &[
            ("logo.svg", "logo.svg"),
            ("signature-1.png", "signature-1.png"),
        ],
    );
    add_second_signatory(&offering);
    offering.edit_course(|c| {
        c.replacen(
            "title = \"Instructor\"\n",
            "title = \"Instructor\"\nsignature_image = \"instructor.png\"\n",
            1,
        )
    });
    std::fs::copy(
        fixture("signature-2.png"),
        offering.dir().join("instructor.png"),
    )
    .unwrap();
    let key = seeded_key(&offering, "branding-svg");
    let output = offering.issue(&key, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let pdf = offering.pdf_of("A003");
    assert_eq!(images(&pdf), vec![(480, 130), (480, 130)]);
    let mut bound = roles(&record_of(&pdf));
    bound.sort();
    let dir = offering.dir();
    assert_eq!(
        bound,
        vec![
            (
                "logo".into(),
                "provider/logo.svg".into(),
                sha(&offering.records().join("provider/logo.svg"))
            ),
            (
                "signature-image".into(),
                "SER2-2025-03-CAL/signature.png".into(),
                sha(&dir.join("signature.png"))
            ),
            (
                "signature-image-2".into(),
                "SER2-2025-03-CAL/instructor.png".into(),
                sha(&dir.join("instructor.png"))
            ),
        ]
    );
    let page = page_check(&offering, &pdf.to_string_lossy(), &public_key(&offering));
    assert!(page.contains("identical"), "{page}");
}

#[test]
fn a_provider_template_is_used_and_a_changed_one_is_page_not_compared() {
    let offering = Offering::ser2();
    let template = offering.records().join("provider/certificate.typ");
    std::fs::create_dir_all(template.parent().unwrap()).unwrap();
    let source = std::fs::read_to_string(repo().join("templates/certificate.typ")).unwrap();
    let branded = source.replace("rgb(\"#1f3a5f\")", "rgb(\"#5f1f3a\")");
    assert_ne!(branded, source);
    std::fs::write(&template, &branded).unwrap();
    let key = seeded_key(&offering, "branding-template");
    let output = offering.issue(&key, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));

    let pdf = offering.pdf_of("A001");
    let record = record_of(&pdf);
    let template_sha = sha(&template);
    assert_eq!(record["template_sha256"], template_sha.as_str());
    assert!(
        roles(&record).contains(&(
            "template:certificate".into(),
            "provider/certificate.typ".into(),
            template_sha
        )),
        "{record}"
    );
    let public = public_key(&offering);
    let path = pdf.to_string_lossy().to_string();
    assert!(page_check(&offering, &path, &public).contains("identical"));

    // Any change to the template, even a comment: the page cannot be compared, and the
    // verdict is still OK (the PDF signature holds), with the reason.
    edit_file(&template, |t| format!("{t}\n// restyled after issue\n"));
    let page = page_check(&offering, &path, &public);
    assert!(page.starts_with("not compared"), "{page}");
    assert!(
        page.contains("provider/certificate.typ has SHA-256"),
        "{page}"
    );
    assert!(page.contains("changed since issue"), "{page}");
    assert!(page.contains("the PDF signature shows the file is the one the provider signed"));
    let out = offering
        .ceu()
        .args(["verify", "--offline", "--trust", &public, &path])
        .output()
        .unwrap();
    assert!(text(&out).contains("page: not compared"), "{}", text(&out));

    // Gone altogether: not compared either.
    std::fs::remove_file(&template).unwrap();
    let page = page_check(&offering, &path, &public);
    assert!(
        page.starts_with("not compared") && page.contains("certificate.typ"),
        "{page}"
    );
}

#[test]
fn provider_templates_that_ceu_cannot_check_are_refused() {
    let source = std::fs::read_to_string(repo().join("templates/certificate.typ")).unwrap();
    let no_facts = std::fs::read_to_string(fixture("no-layout-facts.typ")).unwrap();
    // Variants: no layout facts; reads ceu's data even in an editor (no preview); a holder
    // region too small for the sample name (clips); not UTF-8.
    let no_preview = source.replace(
        "#let data = if ceu-mode { json(\"/data.json\") } else { sample }",
        "#let data = json(\"/data.json\")",
    );
    let clipping = source.replace(
        "region(\"holder-name\", (\"holder.name\",), 44pt",
        "region(\"holder-name\", (\"holder.name\",), 4pt",
    );
    assert!(no_preview != source && clipping != source);
    let cases: [(&str, Vec<u8>, &str); 4] = [
        (
            "no layout facts",
            no_facts.into_bytes(),
            "does not report its layout facts",
        ),
        (
            "no preview",
            no_preview.into_bytes(),
            "does not preview on its own",
        ),
        (
            "clips",
            clipping.into_bytes(),
            "cannot show holder.name in full",
        ),
        ("latin-1", b"// caf\xe9\n".to_vec(), "not UTF-8"),
    ];
    for (what, template, says) in cases {
        let offering = Offering::ser2();
        let path = offering.records().join("provider/certificate.typ");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, template).unwrap();
        for command in ["check", "issue"] {
            let output = if command == "issue" {
                let key = seeded_key(&offering, "refused");
                offering.issue(&key, &[])
            } else {
                offering.run(&["check"])
            };
            let out = text(&output);
            assert_eq!(output.status.code(), Some(2), "{what} {command}: {out}");
            assert!(out.contains("provider/certificate.typ"), "{what}: {out}");
            assert!(out.contains(says), "{what}: {out}");
        }
        assert!(!offering.certificates().exists(), "{what}");
    }
}

#[test]
fn provider_folder_mistakes_are_refused_with_the_fix() {
    // A second signature without a second signatory: whose it is is unknown.
    let offering = Offering::ser2();
    provide(&offering, &[("signature-2.png", "signature-2.png")]);
    let output = offering.run(&["check"]);
    let out = text(&output);
    assert_eq!(output.status.code(), Some(2), "{out}");
    assert!(out.contains("records/provider/signature-2.png"), "{out}");
    assert!(out.contains("[provider.second_signatory]"), "{out}");
    add_second_signatory(&offering);
    assert_eq!(offering.check_human("2025-03-20").0, 0);

    // Two logos; a misspelled file name; a font file that is not a font.
    type Files<'a> = &'a [(&'a str, &'a str)];
    let cases: [(Files, &str, &str); 3] = [
        (
            &[("logo.png", "logo.png"), ("logo.svg", "logo.svg")],
            "provider/logo.svg",
            "Keep one logo",
        ),
        (
            &[("signature-1.png", "signature1.png")],
            "provider/signature1.png",
            "ceu does not know this file",
        ),
        (
            &[],
            "fonts/broken.ttf",
            "no font can be read from this file",
        ),
    ];
    for (files, names, says) in cases {
        let offering = Offering::ser2();
        provide(&offering, files);
        if files.is_empty() {
            let fonts = offering.records().join("fonts");
            std::fs::create_dir_all(&fonts).unwrap();
            std::fs::write(fonts.join("broken.ttf"), b"not a font").unwrap();
        }
        let output = offering.run(&["check"]);
        let out = text(&output);
        assert_eq!(output.status.code(), Some(2), "{names}: {out}");
        assert!(out.contains(names) && out.contains(says), "{names}: {out}");
    }
}

#[test]
fn ser2_signs_with_its_fictional_signature_and_verifies_offline() {
    let offering = Offering::ser2();
    let key = seeded_key(&offering, "ser2-signature");
    let output = offering.issue(&key, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let pdf = offering.pdf_of("A001");
    assert_eq!(images(&pdf), vec![(480, 130)]);
    assert_eq!(
        roles(&record_of(&pdf)),
        vec![(
            "signature-image".into(),
            "SER2-2025-03-CAL/signature.png".into(),
            sha(&repo().join("records/SER2-2025-03-CAL/signature.png"))
        )]
    );
    let public = public_key(&offering);
    let out = offering
        .ceu()
        .args(["verify", "--offline", "--trust", &public])
        .arg("records/SER2-2025-03-CAL/certificates")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("21 of 21 verified"), "{}", text(&out));
    assert!(!text(&out).contains("not compared"), "{}", text(&out));
}

#[test]
fn a_second_signatory_that_does_not_fit_is_an_offering_error_naming_its_key() {
    // Variant of the clipping check on the new region: a title that wraps past the footer's
    // height once a signature image sits above it.
    let offering = Offering::ser2();
    provide(&offering, &[("signature-2.png", "signature-2.png")]);
    add_second_signatory(&offering);
    let long = "Instructor and Senior Curriculum Lead for the SomatoEmotional Release Programme in Western Canada and the Pacific Northwest, Certified Teaching Faculty";
    offering
        .edit_course(|c| c.replacen("title = \"Instructor\"", &format!("title = \"{long}\""), 1));
    let (code, report) = offering.check_json("2025-03-20");
    assert_eq!(code, 1, "{report}");
    let clipped: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "RENDER-CLIPPED")
        .collect();
    assert_eq!(clipped.len(), 1, "{report}");
    let message = clipped[0]["message"].as_str().unwrap();
    assert!(
        message.contains("[provider.second_signatory] name, [provider.second_signatory] title"),
        "{message}"
    );
    assert_eq!(clipped[0]["scope"], "offering");
    // Shortened, it fits.
    offering.edit_course(|c| c.replace(long, "Instructor"));
    assert_eq!(offering.check_json("2025-03-20").0, 0);
}

/// A built-in document template with a line of the provider's own added on its first page.
fn restyled(template: &str, marker: &str) -> String {
    let source = std::fs::read_to_string(repo().join("templates").join(template)).unwrap();
    format!("{source}\n#place(bottom + left, text(size: 9pt)[{marker}])\n")
}

#[test]
fn provider_templates_and_logo_are_used_by_the_disclosure_slide_handout_and_packet() {
    // The documents besides the certificate (issue 21, part 3): each takes the provider's own
    // template when `provider/<document>.typ` exists, the logo always, the built-in template
    // otherwise (the handout here, as the control).
    let offering = Offering::ser2();
    provide(&offering, &[("logo.png", "logo.png")]);
    let provider = offering.records().join("provider");
    for (file, marker) in [
        ("disclosure-slide.typ", "Northwind slide styling"),
        ("packet.typ", "Northwind packet styling"),
    ] {
        std::fs::write(provider.join(file), restyled(file, marker)).unwrap();
    }
    let run = offering.run(&["disclosure"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let slide = offering.dir().join("disclosure-slide.pdf");
    let handout = offering.dir().join("disclosure-handout.pdf");
    assert!(pdf_text(&slide).contains("Northwind slide styling"));
    assert!(!pdf_text(&handout).contains("Northwind"));
    for pdf in [&slide, &handout] {
        assert!(
            images(pdf).contains(&(120, 60)),
            "{}: the 120x60 logo is drawn: {:?}",
            pdf.display(),
            images(pdf)
        );
    }
    let run = offering.run(&["packet", "--as-of", "2025-03-20"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    assert!(pdf_text(&offering.dir().join("packet.pdf")).contains("Northwind packet styling"));

    // A provider template that does not compile is refused naming the provider's file.
    std::fs::write(provider.join("disclosure-handout.typ"), "#let x = (\n").unwrap();
    let run = offering.run(&["disclosure"]);
    assert_eq!(run.status.code(), Some(2), "{}", text(&run));
    assert!(
        text(&run).contains("provider/disclosure-handout.typ"),
        "{}",
        text(&run)
    );
}

#[test]
fn a_provider_notice_template_is_used_for_the_notices_issue_writes() {
    let offering = Offering::ser2();
    let key = seeded_key(&offering, "branding-notice");
    let provider = offering.records().join("provider");
    std::fs::create_dir_all(&provider).unwrap();
    std::fs::write(
        provider.join("notice.typ"),
        restyled("notice.typ", "Northwind notice styling"),
    )
    .unwrap();
    let run = offering.issue(&key, &[]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let notices: Vec<_> = std::fs::read_dir(offering.dir().join("notices"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(!notices.is_empty());
    for notice in notices {
        assert!(
            pdf_text(&notice).contains("Northwind notice styling"),
            "{}",
            notice.display()
        );
    }
}

#[test]
fn the_init_course_record_shows_signature_images_and_a_second_signatory_that_work_uncommented() {
    let offering = Offering::ser2();
    let init = offering
        .ceu()
        .args(["init", "records/NEW-2025-01-TOWN"])
        .output()
        .unwrap();
    assert_eq!(init.status.code(), Some(0), "{}", text(&init));
    let dir = offering.records().join("NEW-2025-01-TOWN");
    let course = std::fs::read_to_string(dir.join("course.toml")).unwrap();
    for line in [
        "# signature_image = \"signature.png\"",
        "# [provider.second_signatory]",
        "# signature_image = \"instructor-signature.png\"",
    ] {
        assert!(course.contains(line), "{line}\n{course}");
    }
    // Commented, a fresh folder without images is checked as before (placeholders: exit 1).
    let check = || {
        offering
            .ceu()
            .args(["check", "--format", "json", "--as-of", "2025-01-02"])
            .arg("records/NEW-2025-01-TOWN")
            .output()
            .unwrap()
    };
    let output = check();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    // Uncommented as the comment says (remove "# "), with both images in the folder, the
    // record still reads; only its placeholders are reported, and the second signatory's
    // `name = "..."` is one of them. A missing image would be refused (exit 2).
    let uncommented = course
        .replace("# signature_image", "signature_image")
        .replace(
            "# [provider.second_signatory]",
            "[provider.second_signatory]",
        )
        .replace("# name = \"...\"", "name = \"...\"")
        .replace("# title = \"Instructor\"", "title = \"Instructor\"");
    std::fs::write(dir.join("course.toml"), &uncommented).unwrap();
    let output = check();
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(text(&output).contains("signature.png"), "{}", text(&output));
    std::fs::copy(fixture("signature-1.png"), dir.join("signature.png")).unwrap();
    std::fs::copy(
        fixture("signature-2.png"),
        dir.join("instructor-signature.png"),
    )
    .unwrap();
    let output = check();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let line = uncommented
        .lines()
        .position(|l| l == "[provider.second_signatory]")
        .unwrap() as u64
        + 2;
    assert!(
        report["findings"].as_array().unwrap().iter().any(|f| {
            f["rule"] == "RECORD-PLACEHOLDER" && f["location"]["line"].as_u64() == Some(line)
        }),
        "the second signatory's name (line {line}) is a placeholder: {report}"
    );
}
