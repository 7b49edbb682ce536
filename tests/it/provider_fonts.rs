//! Provider fonts (issue 19, part 4): names in scripts the bundled fonts do not cover are held
//! back with a fix naming the script and a font, and with Noto fonts from Debian's packages in
//! `<records root>/fonts/` they are issued, shaped (the conjuncts' glyphs are in the PDF), bound
//! in the signed record and re-rendered by offline verification.

use crate::common::{Offering, seeded_key, text};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) const DEVANAGARI: &str = "/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf";
pub(crate) const CJK: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

/// The Debian Noto fonts, or `None` (with a message) on a machine without them; in CI
/// (`$CI` set) they must be there (.ci/run installs them).
pub(crate) fn noto_fonts() -> Option<[PathBuf; 2]> {
    let fonts = [PathBuf::from(DEVANAGARI), PathBuf::from(CJK)];
    if fonts.iter().all(|f| f.is_file()) {
        return Some(fonts);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{DEVANAGARI} or {CJK} is missing in CI: .ci/run installs fonts-noto-core and fonts-noto-cjk"
    );
    eprintln!(
        "SKIPPED the provider-font checks: install the fonts with `sudo apt-get install fonts-noto-core fonts-noto-cjk` (as .ci/run does)"
    );
    None
}

/// SER2 with A001 named in Devanagari (with the conjuncts श्र and क्ष) and A002 in Chinese.
fn offering_with_names(first: &str, last: &str) -> Offering {
    let offering = Offering::ser2();
    offering.edit_roster(|roster| {
        roster
            .replacen("A001,Aiyana,Redcrow", &format!("A001,{first},{last}"), 1)
            .replacen("A002,Benoît,Lavoie", "A002,小明,王", 1)
    });
    offering
}

fn glyph_findings(report: &Value) -> Vec<(String, String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "RENDER-GLYPHS")
        .map(|f| {
            (
                f["attendee"].as_str().unwrap_or("").to_string(),
                f["message"].as_str().unwrap().to_string(),
                f["fix"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn names_the_fonts_cannot_draw_are_held_back_with_a_fix_naming_script_and_font() {
    // Variants: Devanagari with conjuncts (letters drawn by a math font, but not shaped),
    // Chinese (no glyphs at all), Bengali, Japanese kana, Korean hangul.
    let cases = [
        (
            "श्रीनिवास",
            "क्षत्रिय",
            "Devanagari: Noto Sans Devanagari (NotoSansDevanagari-Regular.ttf from Debian's fonts-noto-core",
        ),
        (
            "প্রিয়া",
            "সেন",
            "Bengali: Noto Sans Bengali (NotoSansBengali-Regular.ttf from Debian's fonts-noto-core",
        ),
        (
            "さくら",
            "Sato",
            "Hiragana (Chinese, Japanese, Korean): Noto Sans CJK (NotoSansCJK-Regular.ttc from Debian's fonts-noto-cjk",
        ),
        (
            "민준",
            "Kim",
            "Hangul (Chinese, Japanese, Korean): Noto Sans CJK",
        ),
    ];
    for (first, last, font) in cases {
        let offering = offering_with_names(first, last);
        let (code, report) = offering.check_json("2025-03-20");
        assert_eq!(code, 1, "{first} {last}: {report}");
        let findings = glyph_findings(&report);
        let a001 = findings.iter().find(|f| f.0 == "A001");
        let (_, message, fix) = a001.unwrap_or_else(|| panic!("{first}: {findings:?}"));
        assert!(message.contains("A001"), "{message}");
        assert!(fix.contains(font), "{first}: {fix}");
        assert!(fix.contains("into records/fonts/ "), "{first}: {fix}");
        assert!(fix.contains("docs/provider-assets.md"), "{fix}");
        assert!(fix.contains("transliteration"), "{fix}");
        let a002 = findings.iter().find(|f| f.0 == "A002").unwrap();
        assert!(
            a002.2
                .contains("Han (Chinese, Japanese, Korean): Noto Sans CJK"),
            "{}",
            a002.2
        );
    }

    // And `issue` holds both back while issuing everyone else.
    let offering = offering_with_names("श्रीनिवास", "क्षत्रिय");
    let key = seeded_key(&offering, "provider-fonts-none");
    let output = offering.issue(&key, &[]);
    let out = text(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    for id in ["A001", "A002"] {
        assert!(
            out.lines()
                .any(|l| l.starts_with("BLOCKED by a finding") && l.contains(id)),
            "{id}: {out}"
        );
    }
    assert!(out.contains("Issued 19,"), "{out}");
}

#[test]
fn devanagari_and_chinese_names_are_issued_shaped_bound_and_verified_with_provider_fonts() {
    let Some(fonts) = noto_fonts() else {
        return;
    };
    let offering = offering_with_names("श्रीनिवास", "क्षत्रिय");
    let dir = offering.records().join("fonts");
    std::fs::create_dir_all(&dir).unwrap();
    for font in &fonts {
        std::fs::copy(font, dir.join(font.file_name().unwrap())).unwrap();
    }
    let (_, report) = offering.check_json("2025-03-20");
    assert!(glyph_findings(&report).is_empty(), "{report}");

    let key = seeded_key(&offering, "provider-fonts");
    let output = offering.issue(&key, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let devanagari = offering.pdf_of("A001");
    let chinese = offering.pdf_of("A002");

    // The text is there, in the provider fonts.
    let words = pdftotext(&devanagari);
    assert!(words.contains("श्रीनिवास क्षत्रिय"), "{words}");
    assert!(pdftotext(&chinese).contains("小明 王"));
    assert!(pdffonts(&devanagari).contains("NotoSansDevanagari-Regular"));
    assert!(pdffonts(&chinese).contains("NotoSansCJK"));

    // Shaped: the font's own conjunct glyphs (its GSUB ligatures for क्ष and श्र) are drawn.
    let original = std::fs::read(DEVANAGARI).unwrap();
    let subset = embedded_font(&devanagari, "NotoSansDevanagari-Regular");
    for (conjunct, letters) in [("क्ष", ['क', '्', 'ष']), ("श्र", ['श', '्', 'र'])]
    {
        let glyph = conjunct_glyph(&original, letters)
            .unwrap_or_else(|| panic!("no GSUB ligature for {conjunct} in {DEVANAGARI}"));
        assert!(
            subset_has_glyph(&subset, &original, glyph),
            "the conjunct {conjunct} (glyph {glyph:?}) is not drawn: the name is not shaped"
        );
    }
    // The check can fail: the letters on their own are not in the page's subset.
    let face = ttf_parser::Face::parse(&original, 0).unwrap();
    let ssa = face.glyph_index('ष').unwrap();
    assert!(!subset_has_glyph(&subset, &original, ssa), "ष drawn alone");

    // The record binds both font files by SHA-256 and place.
    let record = record_of(&devanagari);
    let assets = record["assets"].as_array().unwrap();
    for font in &fonts {
        let name = font.file_name().unwrap().to_string_lossy();
        let sha = ceu::sign::sha256_hex(&std::fs::read(font).unwrap());
        assert!(
            assets.iter().any(|a| a["role"] == format!("font:{name}")
                && a["sha256"] == sha
                && a["file"] == format!("fonts/{name}")),
            "{name}: {assets:?}"
        );
    }

    // Offline verification re-renders with the fonts; without them it cannot compare the
    // page and says which file it lacks, and the PDF signature still holds.
    let public = public_key(&offering);
    let path = devanagari.to_string_lossy().to_string();
    let page = page_check(&offering, &path, &public);
    assert!(page.contains("identical"), "{page}");
    std::fs::remove_file(dir.join("NotoSansCJK-Regular.ttc")).unwrap();
    let page = page_check(&offering, &path, &public);
    assert!(page.starts_with("not compared"), "{page}");
    assert!(page.contains("fonts/NotoSansCJK-Regular.ttc"), "{page}");
}

/// The glyph the font's GSUB ligatures make of `letters` (applied left to right, as
/// ligatures of any lookup: a half form then a conjunct, or one ligature), if any.
pub(crate) fn conjunct_glyph(font: &[u8], letters: [char; 3]) -> Option<ttf_parser::GlyphId> {
    use ttf_parser::gsub::SubstitutionSubtable;
    let face = ttf_parser::Face::parse(font, 0).unwrap();
    let gsub = face.tables().gsub?;
    let mut ligatures: Vec<(Vec<ttf_parser::GlyphId>, ttf_parser::GlyphId)> = Vec::new();
    for lookup in gsub.lookups {
        for subtable in lookup.subtables.into_iter::<SubstitutionSubtable>() {
            let SubstitutionSubtable::Ligature(table) = subtable else {
                continue;
            };
            for (index, first) in coverage_glyphs(&face, &table.coverage) {
                let Some(set) = table.ligature_sets.get(index) else {
                    continue;
                };
                for ligature in set {
                    let mut input = vec![first];
                    input.extend(ligature.components);
                    ligatures.push((input, ligature.glyph));
                }
            }
        }
    }
    let mut sequences = vec![
        letters
            .iter()
            .map(|&c| face.glyph_index(c))
            .collect::<Option<Vec<_>>>()?,
    ];
    // Reduce the sequence by any ligature matching its start until one glyph is left.
    for _ in 0..4 {
        let mut next = Vec::new();
        for sequence in &sequences {
            if sequence.len() == 1 {
                return Some(sequence[0]);
            }
            for (input, glyph) in &ligatures {
                if sequence.starts_with(input) {
                    let mut reduced = vec![*glyph];
                    reduced.extend(&sequence[input.len()..]);
                    next.push(reduced);
                }
            }
        }
        sequences = next;
    }
    sequences.iter().find(|s| s.len() == 1).map(|s| s[0])
}

/// The glyphs of a coverage table with their coverage index (for the Devanagari block and
/// the glyphs ligatures make: every glyph of the font is tried).
fn coverage_glyphs(
    face: &ttf_parser::Face<'_>,
    coverage: &ttf_parser::opentype_layout::Coverage<'_>,
) -> Vec<(u16, ttf_parser::GlyphId)> {
    (0..face.number_of_glyphs())
        .map(ttf_parser::GlyphId)
        .filter_map(|g| coverage.get(g).map(|i| (i, g)))
        .collect()
}

/// Whether the PDF's subset of the font holds `glyph` of the original font: a glyph with the
/// same outline box and advance (subsetting renumbers glyphs, and keeps only those drawn).
pub(crate) fn subset_has_glyph(subset: &[u8], original: &[u8], glyph: ttf_parser::GlyphId) -> bool {
    let original = ttf_parser::Face::parse(original, 0).unwrap();
    let subset = ttf_parser::Face::parse(subset, 0).unwrap();
    let wanted = (
        original.glyph_bounding_box(glyph),
        original.glyph_hor_advance(glyph),
    );
    assert!(wanted.0.is_some(), "glyph {glyph:?} has no outline");
    (1..subset.number_of_glyphs())
        .map(ttf_parser::GlyphId)
        .any(|g| (subset.glyph_bounding_box(g), subset.glyph_hor_advance(g)) == wanted)
}

/// The embedded font program (`/FontFile2`) of the font whose name contains `name`, via qpdf.
pub(crate) fn embedded_font(pdf: &Path, name: &str) -> Vec<u8> {
    let json = Command::new("qpdf")
        .args(["--json=2", "--json-key=qpdf"])
        .arg(pdf)
        .output()
        .expect("qpdf (Debian's qpdf package; .ci/run installs it)");
    let json: Value = serde_json::from_slice(&json.stdout).unwrap();
    let objects = json["qpdf"][1].as_object().unwrap();
    let file = objects
        .values()
        .filter_map(|o| o["value"].as_object())
        .find(|d| {
            d.get("/FontName")
                .and_then(Value::as_str)
                .is_some_and(|n| n.contains(name))
                && d.contains_key("/FontFile2")
        })
        .and_then(|d| d["/FontFile2"].as_str())
        .unwrap_or_else(|| panic!("no embedded {name} in {}", pdf.display()))
        .split(' ')
        .next()
        .unwrap()
        .to_string();
    let stream = Command::new("qpdf")
        .arg(format!("--show-object={file}"))
        .arg("--filtered-stream-data")
        .arg(pdf)
        .output()
        .unwrap();
    assert!(stream.status.success());
    stream.stdout
}

pub fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

pub(crate) fn pdffonts(pdf: &Path) -> String {
    let out = Command::new("pdffonts").arg(pdf).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// The signed certificate record inside a PDF (the DSSE payload), as JSON.
pub fn record_of(pdf: &Path) -> Value {
    use base64::Engine as _;
    let bytes = std::fs::read(pdf).unwrap();
    let envelope = ceu::render::extract_attachment(&bytes).unwrap();
    let envelope: Value = serde_json::from_slice(&envelope).unwrap();
    let payload = base64::engine::general_purpose::STANDARD
        .decode(envelope["payload"].as_str().unwrap())
        .unwrap();
    serde_json::from_slice(&payload).unwrap()
}

/// The public key `issue` published in `records/keys/`, relative to the root.
pub fn public_key(offering: &Offering) -> String {
    let name = std::fs::read_dir(offering.records().join("keys"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with(".pub.pem"))
        .unwrap();
    format!("records/keys/{name}")
}

/// `ceu verify --offline PDF`: it passes, and this is its `page` check's detail.
pub fn page_check(offering: &Offering, pdf: &str, public: &str) -> String {
    let output = offering
        .ceu()
        .args([
            "verify",
            "--offline",
            "--format",
            "json",
            "--trust",
            public,
            pdf,
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let checks = json["items"][0]["checks"].as_array().unwrap();
    let signature = checks
        .iter()
        .find(|c| c["check"] == "pdf-signature")
        .unwrap();
    assert_eq!(signature["ok"], true, "{signature}");
    let page = checks.iter().find(|c| c["check"] == "page").unwrap();
    assert_eq!(page["ok"], true, "{page}");
    page["detail"].as_str().unwrap().to_string()
}
