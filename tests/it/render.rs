//! Renderer tests on real PDFs: determinism, hostile data printed literally on one page,
//! credit lines and accented names read back with poppler's `pdftotext`, the embedded record,
//! glyph coverage, template errors, and `qpdf --check`.
//!
//! These need poppler-utils (`pdftotext`, `pdfinfo`); CI installs it. `qpdf` is optional.

use std::path::Path;
use std::process::Command;
use std::sync::LazyLock;

use ceu::render::{
    CertificateData, CreditBlock, DEFAULT_TEMPLATE, Disclosure, RenderError, Renderer,
    extract_attachment,
};
use chrono::{DateTime, Utc};

/// One renderer for the whole test binary, as in a real run.
static RENDERER: LazyLock<Renderer> = LazyLock::new(|| {
    Renderer::new(DEFAULT_TEMPLATE.to_owned(), None).expect("default template compiles")
});

const RECORD: &[u8] =
    br#"{"payload":"eyJjZXJ0aWZpY2F0ZV9pZCI6IlNFUjIifQ==","signature":"c2ln","key_id":"k1"}"#;

fn issued() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2025-03-10T17:00:00Z")
        .expect("valid time")
        .to_utc()
}

fn render(data: &CertificateData) -> Vec<u8> {
    RENDERER
        .render(data, RECORD, &data.certificate_id, issued())
        .expect("renders")
}

/// Keeps a copy of `pdf` for eyeballing when `CEU_RENDER_DUMP` names a directory.
fn dump(name: &str, pdf: &[u8]) {
    if let Some(dir) = std::env::var_os("CEU_RENDER_DUMP") {
        std::fs::write(Path::new(&dir).join(format!("{name}.pdf")), pdf).expect("dump pdf");
    }
}

/// Runs a poppler tool on `pdf` written to a temporary file and returns its standard output.
fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    String::from_utf8(poppler_bytes(tool, args, pdf)).expect("utf-8 output")
}

/// [`poppler`], for tools whose output is binary (`pdftoppm`).
fn poppler_bytes(tool: &str, args: &[&str], pdf: &[u8]) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("certificate.pdf");
    std::fs::write(&path, pdf).expect("write pdf");
    let output = Command::new(tool)
        .args(args)
        .arg(&path)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{tool} must be installed (poppler-utils): {e}"));
    assert!(output.status.success(), "{tool} failed: {output:?}");
    output.stdout
}

/// The PDF's text with all whitespace collapsed to single spaces.
fn text_of(pdf: &[u8]) -> String {
    poppler("pdftotext", &["-enc", "UTF-8"], pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn page_count(pdf: &[u8]) -> usize {
    poppler("pdfinfo", &[], pdf)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo prints Pages:")
}

#[test]
fn renderer_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Renderer>();
}

#[test]
fn same_inputs_give_identical_bytes_across_calls_and_renderers() {
    let data = CertificateData::sample();
    let first = render(&data);
    let second = render(&data);
    assert_eq!(first, second, "two calls differ");
    let other = Renderer::new(DEFAULT_TEMPLATE.to_owned(), None).expect("second renderer");
    let third = other
        .render(&data, RECORD, &data.certificate_id, issued())
        .expect("renders");
    assert_eq!(first, third, "a second Renderer differs");
}

#[test]
fn different_ids_or_times_change_the_bytes() {
    let data = CertificateData::sample();
    let a = render(&data);
    let b = RENDERER
        .render(&data, RECORD, "another-id", issued())
        .expect("renders");
    let c = RENDERER
        .render(
            &data,
            RECORD,
            &data.certificate_id,
            issued() + chrono::TimeDelta::days(1),
        )
        .expect("renders");
    assert_ne!(a, b);
    assert_ne!(a, c);
}

#[test]
fn certificate_shows_every_required_field() {
    let mut data = CertificateData::sample();
    data.holder.license = "TX PT License 1234567".into();
    let text = text_of(&render(&data));
    for expected in [
        "Certificate of Completion",
        "José Müller-Øster",
        "MS, CCC-SLP",
        "TX PT License 1234567",
        "Sensory Regulation in Practice: A Four-Day Hands-On Workshop",
        "6–9 March 2025",
        "Calgary, Alberta, Canada",
        "Live, in person",
        "Intermediate",
        "26.0 instructional hours",
        "Dana Instructor",
        "Financial: Receives a fee for teaching this course.",
        "Nonfinancial: No nonfinancial relationship to disclose.",
        "Example Continuing Education Ltd.",
        "ce@example.org",
        "Alex Example",
        "Director of Education",
        "SER2-2025-03-CAL-7K3F9Q2M",
        "revision 1",
        "K7QF-3MZP",
        "Issued 10 March 2025",
        "It is not itself an award of credit by any accrediting body.",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
}

#[test]
fn credit_lines_read_back() {
    let mut data = CertificateData::sample();
    data.credits = vec![
        CreditBlock {
            body: "NCBTMB".into(),
            lines: vec![
                "NCBTMB Approved Provider #451603-11".into(),
                "28.0 CE hours".into(),
            ],
        },
        CreditBlock {
            body: "AOTA".into(),
            lines: vec![
                "26 contact hours, 2.6 AOTA CEUs (Intermediate)".into(),
                "AOTA Approved Provider #04210".into(),
            ],
        },
        CreditBlock {
            body: "Texas physical therapy".into(),
            lines: vec!["26 CCUs · Approval #2025-0142".into()],
        },
    ];
    let text = text_of(&render(&data));
    for line in data.credits.iter().flat_map(|c| &c.lines) {
        assert!(text.contains(line.as_str()), "missing {line:?} in {text}");
    }
}

#[test]
fn hostile_name_prints_literally_on_one_page() {
    let mut data = CertificateData::sample();
    let hostile = r#"#read("/etc/passwd") *b* $x$ \ ]"#;
    data.holder.name = hostile.into();
    data.offering.title = r#"#import "/data.json": * _t_ <label> @ref"#.into();
    let pdf = render(&data);
    dump("hostile", &pdf);
    let text = text_of(&pdf);
    assert!(text.contains(hostile), "hostile name not literal in {text}");
    assert!(
        text.contains(r#"#import "/data.json": * _t_ <label> @ref"#),
        "{text}"
    );
    assert!(!text.contains("root:"), "something read /etc/passwd");
    assert_eq!(page_count(&pdf), 1);
}

#[test]
fn huge_values_are_refused_or_continued_never_clipped() {
    // Regression: a 10,000-character name showed ~175 characters; a 10,000-character title
    // and 40 disclosures were cut silently. Now a value that cannot be shown is refused, and
    // credit blocks and disclosures continue on further pages.
    let mut data = CertificateData::sample();
    data.holder.name = "Maximiliana ".repeat(900); // ~10,000 characters
    let Err(err) = RENDERER.render(&data, RECORD, &data.certificate_id, issued()) else {
        panic!("the name cannot be shown");
    };
    assert!(
        matches!(&err, RenderError::Clipped(regions) if regions.iter().all(|r| r.is_attendee())),
        "{err:?}"
    );
    assert!(err.to_string().contains("holder.name"), "{err}");

    let mut data = CertificateData::sample();
    data.offering.title = "W".repeat(10_000);
    let Err(err) = RENDERER.render(&data, RECORD, &data.certificate_id, issued()) else {
        panic!("the title cannot be shown");
    };
    assert!(err.to_string().contains("offering.title"), "{err}");

    // A word no line can hold would overflow its column to the side.
    let mut data = CertificateData::sample();
    data.disclosures[0].financial = "Receives a fee from ".to_string() + &"X".repeat(300);
    let Err(err) = RENDERER.render(&data, RECORD, &data.certificate_id, issued()) else {
        panic!("the disclosure word cannot be shown");
    };
    assert!(err.to_string().contains("disclosures"), "{err}");

    let mut data = CertificateData::sample();
    data.holder.credential = "line one\nline two\r\nline three\ttabbed".into();
    data.offering.location = "שלום עולם مرحبا بالعالم".into();
    data.disclosures = (0..40)
        .map(|i| Disclosure {
            name: format!("Speaker {i}"),
            role: "Instructor".into(),
            financial: format!("Receives a fee from Example Org {i}. ").repeat(8),
            nonfinancial: format!("None, marker m{i}x."),
        })
        .collect();
    data.credits = (0..12)
        .map(|i| CreditBlock {
            body: format!("Body {i}"),
            lines: vec![format!("credit line of body {i}, marker c{i}x"); 3],
        })
        .collect();
    let pdf = render(&data);
    dump("huge", &pdf);
    assert!(page_count(&pdf) >= 2);
    let text = text_of(&pdf);
    for i in 0..40 {
        assert!(
            text.contains(&format!("marker m{i}x.")),
            "disclosure {i}: {text}"
        );
    }
    for i in 0..12 {
        assert!(
            text.contains(&format!("marker c{i}x")),
            "credit {i}: {text}"
        );
    }
    assert!(
        text.contains("line one line two line three tabbed"),
        "newline not collapsed: {text}"
    );
}

/// The words of each page with their boxes, from `pdftotext -bbox`: (page, text, yMin, yMax,
/// height).
fn words(pdf: &[u8]) -> Vec<(usize, String, f64, f64)> {
    let html = poppler("pdftotext", &["-bbox", "-enc", "UTF-8"], pdf);
    let mut page = 0;
    let mut out = Vec::new();
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page") {
            page += 1;
        }
        let Some(rest) = line.strip_prefix("<word ") else {
            continue;
        };
        let attr = |name: &str| -> f64 {
            let start = rest.find(&format!("{name}=\"")).expect("attribute") + name.len() + 2;
            rest[start..].split('"').next().unwrap().parse().unwrap()
        };
        let word = rest.split('>').nth(1).unwrap().split('<').next().unwrap();
        out.push((page, word.to_string(), attr("yMin"), attr("yMax")));
    }
    out
}

/// Regression: with six speakers the fifth disclosure was cut mid-line and the sixth was
/// invisible, though still in the text layer. Every disclosure word on page 1 must now sit
/// above the statement under the columns (where clipped text used to fall), and every
/// disclosure is somewhere in the PDF.
#[test]
fn the_sixth_disclosure_was_invisible_in_the_text_layer_now_all_are_visible() {
    for n in [1, 4, 6, 8, 12] {
        let mut data = CertificateData::sample();
        data.disclosures = (1..=n)
            .map(|i| Disclosure {
                name: format!("Speaker{i}"),
                role: "Instructor".into(),
                financial: format!(
                    "Speaker{i} receives a teaching fee from Example Org, finmark{i}."
                ),
                nonfinancial: format!(
                    "Speaker{i} has no relevant nonfinancial relationships, nonmark{i}."
                ),
            })
            .collect();
        let pdf = render(&data);
        dump(&format!("speakers-{n}"), &pdf);
        let words = words(&pdf);
        let statement_top = words
            .iter()
            .find(|(page, word, ..)| *page == 1 && word == "confirms")
            .map(|w| w.2)
            .expect("the statement is on page 1");
        for i in 1..=n {
            for marker in [format!("finmark{i}."), format!("nonmark{i}.")] {
                let found: Vec<_> = words.iter().filter(|w| w.1 == marker).collect();
                assert_eq!(found.len(), 1, "{marker} with {n} speakers");
                let (page, _, _, bottom) = found[0];
                if *page == 1 {
                    assert!(
                        *bottom <= statement_top,
                        "{marker} is below the columns ({bottom} > {statement_top}) with {n} speakers"
                    );
                }
            }
        }
        let layout = RENDERER.layout(&data).expect("lays out");
        assert!(layout.clipped().next().is_none(), "{layout:?}");
        assert_eq!(layout.disclosures, n);
        assert_eq!(page_count(&pdf), if layout.continues() { 2 } else { 1 });
    }
}

/// Nothing on the page is under 8 pt: the laid-out glyph runs of a full page (12 speakers,
/// several bodies, a credit note, long values that shrink) and, independently, poppler's word
/// boxes (whose height is at least the font size for these fonts).
#[test]
fn text_was_set_at_6_5_pt_now_nothing_is_under_8_pt() {
    let mut data = CertificateData::sample();
    data.disclosures = (1..=12)
        .map(|i| Disclosure {
            name: format!("Speaker {i}"),
            role: "Instructor".into(),
            financial: "Receives a teaching fee from Example Org.".into(),
            nonfinancial: "No relevant nonfinancial relationships.".into(),
        })
        .collect();
    data.credit_note = "Credit requested but not awarded. ASHA: not eligible (ASHA-ELIG-2).".into();
    data.provider.contact = "11211 Prosperity Farms Road, Palm Beach Gardens, FL 33410 · ce@example.org · +1 561 555 0100".into();
    data.offering.title = "A Title That Is Long Enough To Shrink Toward Its Floor Size ".repeat(3);
    let layout = RENDERER.layout(&data).expect("lays out");
    assert!(layout.smallest_text_pt >= 8.0, "{layout:?}");
    let pdf = render(&data);
    let smallest = words(&pdf)
        .iter()
        .map(|(_, _, top, bottom)| bottom - top)
        .fold(f64::INFINITY, f64::min);
    assert!(smallest >= 8.0, "a word box is {smallest} pt high");
}

#[test]
fn a_template_setting_text_under_8_pt_is_refused() {
    // Stated by the template ...
    let stated = DEFAULT_TEMPLATE.replace("#let min-size = 8pt", "#let min-size = 6.5pt");
    assert_ne!(stated, DEFAULT_TEMPLATE);
    let err = Renderer::new(stated, None).expect_err("6.5 pt");
    assert!(matches!(err, RenderError::TextTooSmall(_)), "{err:?}");
    // ... or only found in the laid-out page.
    let hidden = DEFAULT_TEMPLATE.replace("text(size: 9.5pt,", "text(size: 6pt,");
    assert_ne!(hidden, DEFAULT_TEMPLATE);
    let err = Renderer::new(hidden, None).expect_err("6 pt");
    assert!(
        matches!(err, RenderError::TextTooSmall(s) if (s - 6.0).abs() < 1e-9),
        "{err:?}"
    );
}

#[test]
fn a_template_that_does_not_report_layout_facts_is_refused() {
    let err = Renderer::new("#set text(size: 10pt)\nHello".to_owned(), None).expect_err("no facts");
    assert!(matches!(err, RenderError::NoLayoutFacts(_)), "{err:?}");
    assert!(err.to_string().contains("<ceu-layout>"), "{err}");
    // The old template (regions that clip without saying so) is refused the same way.
    let old = DEFAULT_TEMPLATE.replace("<ceu-layout>", "<other>");
    let err = Renderer::new(old, None).expect_err("no facts");
    assert!(matches!(err, RenderError::NoLayoutFacts(_)), "{err:?}");
}

#[test]
fn embedded_record_is_returned_byte_for_byte() {
    let data = CertificateData::sample();
    assert_eq!(extract_attachment(&render(&data)).as_deref(), Some(RECORD));

    // A larger, compressible record (stored Flate-compressed) and arbitrary bytes.
    let big = format!("{{\"payload\":\"{}\"}}", "QUJDRA==".repeat(400)).into_bytes();
    let pdf = RENDERER
        .render(&data, &big, "big", issued())
        .expect("renders");
    assert_eq!(extract_attachment(&pdf), Some(big));
    let binary: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
    let pdf = RENDERER
        .render(&data, &binary, "binary", issued())
        .expect("renders");
    assert_eq!(extract_attachment(&pdf), Some(binary));
}

#[test]
fn pdf_without_record_yields_none() {
    assert_eq!(extract_attachment(b"%PDF-1.7\n%%EOF\n"), None);
}

#[test]
fn pdf_structure_passes_qpdf_check() {
    let available = Command::new("qpdf").arg("--version").output().is_ok();
    if !available {
        eprintln!("qpdf not installed; structure check skipped");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("c.pdf");
    std::fs::write(&path, render(&CertificateData::sample())).expect("write");
    let out = Command::new("qpdf")
        .arg("--check")
        .arg(&path)
        .output()
        .expect("qpdf runs");
    assert!(out.status.success(), "qpdf --check: {out:?}");
}

#[test]
fn pdf_metadata_is_fixed_and_archival() {
    let info = poppler("pdfinfo", &[], &render(&CertificateData::sample()));
    assert!(info.contains("Pages:           1"), "{info}");
    assert!(
        info.contains("CreationDate:    Mon Mar 10 17:00:00 2025 UTC"),
        "{info}"
    );
    assert!(
        info.contains("Page size:       792 x 612 pts (letter)"),
        "{info}"
    );
    // The template sets these last (a rule at the top defeated Typst's layout cache, see
    // templates/certificate.typ); they must still reach the document.
    assert!(
        info.contains("Title:           Certificate of Completion SER2-2025-03-CAL-7K3F9Q2M"),
        "{info}"
    );
    assert!(
        info.contains("Author:          Example Continuing Education Ltd."),
        "{info}"
    );
    let pdf = render(&CertificateData::sample());
    let haystack = String::from_utf8_lossy(&pdf);
    assert!(
        haystack.contains("<pdfaid:part>3</pdfaid:part>"),
        "not PDF/A-3"
    );
}

#[test]
fn accented_latin_is_covered_and_renders() {
    let mut data = CertificateData::sample();
    data.holder.name = "José Müller-Øster, Zoë Ŝ".into();
    assert_eq!(RENDERER.missing_glyphs(&data), Vec::<char>::new());
    assert!(text_of(&render(&data)).contains("José Müller-Øster, Zoë Ŝ"));
}

#[test]
fn cjk_and_emoji_are_reported_missing() {
    let mut data = CertificateData::sample();
    data.holder.name = "王小明 😀".into();
    data.disclosures[0].name = "Ana 😀\u{FE0F}".into();
    assert_eq!(
        RENDERER.missing_glyphs(&data),
        vec!['王', '小', '明', '😀'],
        "each missing character once, joiners and selectors ignored"
    );
    assert!(
        RENDERER
            .missing_glyphs(&CertificateData::sample())
            .is_empty()
    );
}

#[test]
fn template_hash_is_sha256_of_the_source() {
    use sha2::Digest;
    let expected: [u8; 32] = sha2::Sha256::digest(DEFAULT_TEMPLATE.as_bytes()).into();
    assert_eq!(RENDERER.template_sha256(), expected);
}

#[test]
fn broken_template_reports_file_and_line() {
    let source = "#let x = 1\n#let y = (\n".to_owned();
    let err = Renderer::new(source, None).expect_err("must not compile");
    let message = err.to_string();
    assert!(matches!(err, RenderError::Template(_)), "{err:?}");
    assert!(message.contains("certificate.typ:"), "{message}");
}

#[test]
fn template_cannot_read_the_disk() {
    let source = "#read(\"/etc/hostname\")\n#read(\"../../etc/passwd\")".to_owned();
    let err = Renderer::new(source, None).expect_err("disk access refused");
    assert!(err.to_string().contains("certificate.typ:1:"), "{err}");
}

#[test]
fn more_than_one_page_is_refused() {
    // Facts reported, but a second page with nothing continued on it.
    let source = "#metadata((layout: \"ceu-layout/1\", min-text: 8)) <ceu-layout>\nfirst\n#pagebreak()\nsecond".to_owned();
    let err = Renderer::new(source, None).expect_err("two pages");
    assert!(matches!(err, RenderError::PageCount(2)), "{err:?}");
}

#[test]
fn template_never_prints_a_bare_unit_word() {
    let words: Vec<&str> = DEFAULT_TEMPLATE
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| *w == "CEU" || *w == "CEUs")
        .collect();
    // The only occurrences are inside the sample's "AOTA CEUs", never on their own.
    for (i, _) in DEFAULT_TEMPLATE.match_indices("CEU") {
        let before = &DEFAULT_TEMPLATE[..i];
        assert!(before.ends_with("AOTA "), "bare unit word at byte {i}");
    }
    assert!(words.len() <= 1, "{words:?}");
}

#[test]
fn signature_image_is_drawn() {
    let png = tiny_png();
    let renderer =
        Renderer::new(DEFAULT_TEMPLATE.to_owned(), Some(png)).expect("renders with signature");
    let data = CertificateData::sample();
    let with = renderer
        .render(&data, RECORD, &data.certificate_id, issued())
        .expect("renders");
    let without = render(&data);
    assert_ne!(with, without);
    assert_eq!(page_count(&with), 1);
    assert!(String::from_utf8_lossy(&with).contains("/Subtype/Image"));
}

/// A valid 2×1 RGBA PNG, built by hand (no image crate needed).
fn tiny_png() -> Vec<u8> {
    use std::io::Write;
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&u32::try_from(data.len()).expect("small").to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
    }
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend_from_slice(&2u32.to_be_bytes());
    header.extend_from_slice(&1u32.to_be_bytes());
    header.extend_from_slice(&[8, 6, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &header);
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&[0, 10, 20, 30, 255, 40, 50, 60, 128])
        .expect("in memory");
    chunk(&mut png, b"IDAT", &z.finish().expect("in memory"));
    chunk(&mut png, b"IEND", &[]);
    png
}

#[test]
fn template_previews_on_its_own_with_sample_data() {
    // As in a stock Typst editor: no ceu input, no virtual files.
    let pdf = Renderer::preview(DEFAULT_TEMPLATE.to_owned()).expect("previews standalone");
    assert_eq!(page_count(&pdf), 1);
    let text = text_of(&pdf);
    assert!(text.contains("José Müller-Øster"), "{text}");
    assert!(
        text.contains("QR code"),
        "placeholder instead of /qr.svg: {text}"
    );
    assert_eq!(extract_attachment(&pdf), None, "attaches only under ceu");
}

#[test]
fn rendering_uncovered_characters_fails_instead_of_printing_boxes() {
    // The lead refuses such attendees up front (missing_glyphs); PDF/A export is the backstop.
    let mut data = CertificateData::sample();
    data.holder.name = "王小明".into();
    let err = RENDERER
        .render(&data, RECORD, &data.certificate_id, issued())
        .expect_err("no font draws these");
    assert!(matches!(err, RenderError::Export(_)), "{err:?}");
}

#[test]
fn overlong_qr_text_is_an_error() {
    let mut data = CertificateData::sample();
    data.qr = "x".repeat(5_000);
    let err = RENDERER
        .render(&data, RECORD, &data.certificate_id, issued())
        .expect_err("too long for a QR code");
    assert!(matches!(err, RenderError::Qr(_)), "{err:?}");
}

/// Rasterizes page 1 of `pdf` in grey at `dpi` with poppler's `pdftoppm`: (width, height, pixels).
fn grey_page(pdf: &[u8], dpi: u32) -> (usize, usize, Vec<u8>) {
    let dpi = dpi.to_string();
    let pgm = poppler_bytes(
        "pdftoppm",
        &["-gray", "-r", &dpi, "-f", "1", "-l", "1"],
        pdf,
    );
    // Binary PGM: "P5", width, height, maximum value, one whitespace byte, then the pixels.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&pgm[start..at]).into_owned());
    }
    assert_eq!((fields[0].as_str(), fields[3].as_str()), ("P5", "255"));
    let (width, height) = (
        fields[1].parse().expect("width"),
        fields[2].parse().expect("height"),
    );
    let pixels = pgm[at + 1..].to_vec();
    assert_eq!(pixels.len(), width * height);
    (width, height, pixels)
}

/// What a phone camera does with the printed page: find the QR code and read it.
#[test]
fn printed_qr_code_scans_to_the_certificate_id_and_code() {
    for (i, name) in ["Ana Li", "José Müller-Øster"].into_iter().enumerate() {
        let mut data = CertificateData::sample();
        data.holder.name = name.to_owned();
        data.certificate_id = format!("SER2-2025-03-CAL-{i}K3F9Q2M");
        data.qr = format!("ceu:v1:{}:{}", data.certificate_id, data.verification_code);
        let pdf = render(&data);
        let (width, height, pixels) = grey_page(&pdf, 150);
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
            pixels[y * width + x]
        });
        let texts: Vec<String> = image
            .detect_grids()
            .into_iter()
            .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
            .collect();
        assert_eq!(texts, [data.qr.clone()], "{name}");
    }
}

#[test]
fn run_parallel_keeps_order_and_renders_concurrently() {
    let data = CertificateData::sample();
    let pdfs = ceu::render::run_parallel(2, 6, |i| {
        RENDERER
            .render(&data, RECORD, &format!("id-{i}"), issued())
            .expect("renders")
    });
    assert_eq!(pdfs.len(), 6);
    for (i, pdf) in pdfs.iter().enumerate() {
        let again = RENDERER
            .render(&data, RECORD, &format!("id-{i}"), issued())
            .expect("renders");
        assert_eq!(pdf, &again, "result {i} out of order or not deterministic");
    }
}

#[test]
fn render_on_a_rayon_worker_is_refused_not_a_stack_overflow() {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("pool");
    let data = CertificateData::sample();
    // Built here, not on the worker: run alone (as cargo-nextest runs every test, in its own
    // process) the shared renderer was first built inside the pool, where `Renderer::new`
    // itself refuses, so the test failed on the constructor instead of checking `render`.
    let renderer = &*RENDERER;
    let result = pool.install(|| renderer.render(&data, RECORD, "x", issued()));
    assert!(
        matches!(result, Err(RenderError::RayonWorker)),
        "{result:?}"
    );
}

/// A record in a schema this ceu does not know (say, from a newer release) is not read as if
/// it were schema 1: `ceu verify --offline` says which schema it found and to update.
#[test]
fn verify_refuses_a_record_schema_it_does_not_read() {
    use ceu::certificate::{CertificateRecord, RECORD_PAYLOAD_TYPE};
    use ceu::sign::{KeyPair, sign_envelope};

    let key = KeyPair::generate();
    let data = CertificateData::sample();
    let mut record = CertificateRecord::new(
        data.clone(),
        "2025-03-10T17:00:00Z",
        key.key_id(),
        &hex::encode(RENDERER.template_sha256()),
        Vec::new(),
    );
    record.schema = "ceu-certificate-record/2".into();
    let envelope = sign_envelope(
        &key,
        RECORD_PAYLOAD_TYPE,
        &serde_json::to_vec(&record).unwrap(),
    );
    let pdf = RENDERER
        .render(&data, &envelope, &data.certificate_id, issued())
        .expect("renders");
    let dir = tempfile::tempdir().unwrap();
    let pdf_path = dir.path().join("future.pdf");
    std::fs::write(&pdf_path, &pdf).unwrap();
    let public = dir.path().join("key.pub.pem");
    std::fs::write(&public, key.public_key().to_pem()).unwrap();

    let output = assert_cmd::Command::cargo_bin("ceu")
        .unwrap()
        .args(["verify", "--offline", "--trust"])
        .arg(&public)
        .arg(&pdf_path)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("schema ceu-certificate-record/2") && text.contains("newer ceu"),
        "{text}"
    );
}
