//! Provider fonts in documents (issue 19 part 4, issue 21): with Noto fonts from Debian's
//! packages in `<records root>/fonts/`, notices and the disclosure slide and handout draw and
//! shape names in Devanagari and Chinese as certificates do; without them, `check` warns in
//! advance (`RENDER-GLYPHS`, attendee-level warning) about the notice `issue` will not write,
//! and certificates are not held back.

use crate::common::{Offering, repo, seeded_key, text};
use crate::provider_fonts::{
    CJK, DEVANAGARI, conjunct_glyph, embedded_font, noto_fonts, pdffonts, pdftotext,
    subset_has_glyph,
};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// SER2 with A012 (an NCBTMB non-completer, who gets a notice) renamed `first last`.
fn non_completer_named(first: &str, last: &str) -> Offering {
    let offering = Offering::ser2();
    offering.edit_roster(|roster| {
        roster.replacen("A012,Liam,Fitzgerald", &format!("A012,{first},{last}"), 1)
    });
    offering
}

fn copy_fonts(offering: &Offering, fonts: &[PathBuf]) {
    let dir = offering.records().join("fonts");
    std::fs::create_dir_all(&dir).unwrap();
    for font in fonts {
        std::fs::copy(font, dir.join(font.file_name().unwrap())).unwrap();
    }
}

/// The `RENDER-GLYPHS` findings as (attendee, severity, message, fix).
fn glyph_findings(report: &Value) -> Vec<(String, String, String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "RENDER-GLYPHS")
        .map(|f| {
            let field = |k: &str| f[k].as_str().unwrap_or("").to_string();
            (
                field("attendee"),
                field("severity"),
                field("message"),
                field("fix"),
            )
        })
        .collect()
}

fn notice(offering: &Offering, id: &str) -> PathBuf {
    offering
        .dir()
        .join("notices")
        .join(format!("notice-{id}.pdf"))
}

/// Asserts the Devanagari conjuncts क्ष and श्र are drawn in `pdf` with the font's own
/// conjunct glyphs (shaped), and ष alone is not.
fn assert_conjuncts_shaped(pdf: &Path) {
    let original = std::fs::read(DEVANAGARI).unwrap();
    let subset = embedded_font(pdf, "NotoSansDevanagari-Regular");
    for (conjunct, letters) in [("क्ष", ['क', '्', 'ष']), ("श्र", ['श', '्', 'र'])]
    {
        let glyph = conjunct_glyph(&original, letters).unwrap();
        assert!(
            subset_has_glyph(&subset, &original, glyph),
            "{}: the conjunct {conjunct} is not drawn: the name is not shaped",
            pdf.display()
        );
    }
    let face = ttf_parser::Face::parse(&original, 0).unwrap();
    let ssa = face.glyph_index('ष').unwrap();
    assert!(!subset_has_glyph(&subset, &original, ssa), "ष drawn alone");
}

#[test]
fn a_notice_to_a_devanagari_name_is_shaped_with_the_provider_fonts() {
    let Some(fonts) = noto_fonts() else {
        return;
    };
    let offering = non_completer_named("श्रीनिवास", "क्षत्रिय");
    copy_fonts(&offering, &fonts);
    let (_, report) = offering.check_json("2025-03-20");
    assert!(glyph_findings(&report).is_empty(), "{report}");
    let key = seeded_key(&offering, "document-fonts");
    let output = offering.issue(&key, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let pdf = notice(&offering, "A012");
    let words = pdftotext(&pdf);
    assert!(words.contains("श्रीनिवास क्षत्रिय"), "{words}");
    assert!(pdffonts(&pdf).contains("NotoSansDevanagari-Regular"));
    assert_conjuncts_shaped(&pdf);
    // The other notices stay in the template's own font only.
    assert!(!pdffonts(&notice(&offering, "A015")).contains("Noto"));
}

#[test]
fn a_chinese_non_completer_gets_a_notice_and_a_packet_line_with_the_cjk_font() {
    if noto_fonts().is_none() {
        return;
    }
    // Variant: the CJK font alone (a .ttc collection) in fonts/, a name in Han script.
    let offering = non_completer_named("小明", "王");
    copy_fonts(&offering, &[PathBuf::from(CJK)]);
    let key = seeded_key(&offering, "document-fonts-cjk");
    let output = offering.issue(&key, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let pdf = notice(&offering, "A012");
    assert!(pdftotext(&pdf).contains("小明 王"));
    assert!(pdffonts(&pdf).contains("NotoSansCJK"));
    // The audit packet lists every attendee: the name is drawn there too.
    let run = offering.run(&["packet", "--as-of", "2025-04-01"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let packet = offering.dir().join("packet.pdf");
    assert!(
        pdftotext(&packet).contains("小明 王"),
        "{}",
        pdftotext(&packet)
    );
    assert!(pdffonts(&packet).contains("NotoSansCJK"));
}

#[test]
fn a_speaker_with_a_chinese_name_appears_on_the_disclosure_slide_and_handout() {
    let Some(fonts) = noto_fonts() else {
        return;
    };
    let offering = Offering::ser2();
    offering.edit_course(|t| t.replace("Maren Castell", "王小明"));
    // Without the font the documents cannot draw the name: refused, not printed with boxes.
    let refused = offering.run(&["disclosure"]);
    assert_ne!(refused.status.code(), Some(0), "{}", text(&refused));
    copy_fonts(&offering, &fonts);
    let run = offering.run(&["disclosure"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    for file in ["disclosure-slide.pdf", "disclosure-handout.pdf"] {
        let pdf = offering.dir().join(file);
        let words = pdftotext(&pdf);
        assert!(words.contains("王小明"), "{file}: {words}");
        assert!(words.contains("Tobias Reinholt"), "{file}: {words}");
        assert!(pdffonts(&pdf).contains("NotoSansCJK"), "{file}");
    }
}

#[test]
fn without_the_fonts_check_warns_about_the_notice_and_issue_still_issues() {
    // Variants: Devanagari (letters in a bundled math font, no shaping rules), Chinese (no
    // glyphs at all), Bengali; each on a non-completer who asked for credit.
    let cases = [
        ("श्रीनिवास", "क्षत्रिय", "Devanagari: Noto Sans Devanagari"),
        (
            "小明",
            "王",
            "Han (Chinese, Japanese, Korean): Noto Sans CJK",
        ),
        ("প্রিয়া", "সেন", "Bengali: Noto Sans Bengali"),
    ];
    for (first, last, font) in cases {
        let offering = non_completer_named(first, last);
        let (code, report) = offering.check_json("2025-03-20");
        assert_eq!(code, 0, "{first}: a notice never blocks: {report}");
        let findings = glyph_findings(&report);
        assert_eq!(findings.len(), 1, "{first}: {findings:?}");
        let (attendee, severity, message, fix) = &findings[0];
        assert_eq!(attendee, "A012");
        assert_eq!(severity, "warning");
        assert!(message.contains("notice to A012"), "{message}");
        assert!(fix.contains(font), "{first}: {fix}");
        assert!(fix.contains("into records/fonts/ "), "{fix}");
        assert!(fix.contains("transliteration"), "{fix}");
    }

    // `issue` issues every certificate and writes no notice to A012 (exit 1: a notice is
    // missing), naming the fix.
    let offering = non_completer_named("श्रीनिवास", "क्षत्रिय");
    let key = seeded_key(&offering, "document-fonts-none");
    let output = offering.issue(&key, &[]);
    let out = text(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(out.contains("Issued 21,"), "{out}");
    assert!(!notice(&offering, "A012").exists(), "{out}");
    assert!(notice(&offering, "A015").exists(), "{out}");
    assert!(
        out.lines()
            .any(|l| l.contains("notice NOT written") && l.contains("A012")),
        "{out}"
    );
    assert!(out.contains("Noto Sans Devanagari"), "{out}");

    // A Devanagari name on a completer is the certificate's error, not a notice warning.
    let offering = Offering::ser2();
    offering.edit_roster(|r| r.replacen("A012,Liam,Fitzgerald", "A012,Liam,क्षत्रिय", 1));
    offering.edit_roster(|r| r.replacen("A001,Aiyana,Redcrow", "A001,Aiyana,क्षत्रिय", 1));
    let (_, report) = offering.check_json("2025-03-20");
    let findings = glyph_findings(&report);
    let severities: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f.0.as_str(), f.1.as_str()))
        .collect();
    assert_eq!(
        severities,
        [("A001", "error"), ("A012", "warning")],
        "{findings:?}"
    );
}

/// A built-in document template that also prints the font families it was given
/// (`sys.inputs.fonts`), as a provider's own template may.
fn printing_its_fonts(template: &str) -> String {
    let source = std::fs::read_to_string(repo().join("templates").join(template)).unwrap();
    format!(
        "{source}\n#place(bottom + left, text(size: 9pt)[Fonts: #{{ let f = sys.inputs.at(\"fonts\", default: ()); if f.len() == 0 {{ \"none\" }} else {{ f.join(\" | \") }} }}.])\n"
    )
}

#[test]
fn every_document_template_is_given_the_provider_font_families_in_file_order() {
    let Some(fonts) = noto_fonts() else {
        return;
    };
    let offering = Offering::ser2();
    let provider = offering.records().join("provider");
    std::fs::create_dir_all(&provider).unwrap();
    for template in [
        "notice.typ",
        "disclosure-slide.typ",
        "disclosure-handout.typ",
    ] {
        std::fs::write(provider.join(template), printing_its_fonts(template)).unwrap();
    }
    let documents = |offering: &Offering| {
        let run = offering.run(&["disclosure"]);
        assert_eq!(run.status.code(), Some(0), "{}", text(&run));
        [
            notice(offering, "A012"),
            offering.dir().join("disclosure-slide.pdf"),
            offering.dir().join("disclosure-handout.pdf"),
        ]
    };
    // No fonts/ folder: an empty list.
    let key = seeded_key(&offering, "document-fonts-families");
    assert_eq!(offering.issue(&key, &[]).status.code(), Some(0));
    for pdf in documents(&offering) {
        let words = pdftotext(&pdf)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(words.contains("Fonts: none."), "{}: {words}", pdf.display());
    }
    // Both Noto fonts: each family once, in file-name order (the CJK collection's five
    // families, then Devanagari).
    copy_fonts(&offering, &fonts);
    std::fs::remove_dir_all(offering.dir().join("notices")).unwrap();
    let output = offering.issue(&key, &["--reissue"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    for pdf in documents(&offering) {
        let words = pdftotext(&pdf)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let cjk = words.find("Fonts: Noto Sans CJK JP | Noto Sans CJK KR");
        let devanagari = words.find("| Noto Sans Devanagari.");
        assert!(
            cjk.is_some() && devanagari.is_some() && cjk < devanagari,
            "{}: {words}",
            pdf.display()
        );
        assert_eq!(words.matches("Noto Sans Devanagari").count(), 1, "{words}");
    }
}
