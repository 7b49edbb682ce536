//! The PDF signature on every certificate (issue 13), through the real binary and the
//! standard tools an auditor has: `pdfsig` (poppler-utils), `qpdf`, `openssl`, and pyHanko
//! (found through `CEU_PYHANKO`, which `.ci/run` sets; when it is unset and `pyhanko` is not on
//! the PATH, the pyHanko part is skipped with a message, so CI must set it).
//!
//! Keys come from fixed seeds in this file; no private key is committed.

use crate::common::{self};
use crate::common::{Offering, seeded_key};
use std::path::{Path, PathBuf};
use std::process::Command;

const ALTERED: &str = "record genuine; the file is not the issued bytes";

/// The one file in `records/keys/` ending in `suffix`, relative to the root.
fn published(offering: &Offering, suffix: &str) -> String {
    let mut found: Vec<String> = std::fs::read_dir(offering.records().join("keys"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(suffix))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    format!("records/keys/{}", found.remove(0))
}

fn issued(offering: &Offering, key: &str, extra: &[&str]) {
    let output = offering.issue(key, extra);
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn pdfs(dir: &Path) -> Vec<PathBuf> {
    let mut pdfs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    pdfs.sort();
    pdfs
}

/// `pdfsig FILE`, stdout and stderr (its exit code is no verdict).
fn pdfsig(pdf: &Path) -> String {
    let output = Command::new("pdfsig")
        .arg(pdf)
        .output()
        .expect("pdfsig (poppler-utils) is installed");
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn verify(offering: &Offering, args: &[&str]) -> (i32, String) {
    let output = offering.ceu().arg("verify").args(args).output().unwrap();
    (
        output.status.code().unwrap(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

/// `ceu verify <the offering's certificates> --ledger records/ledger.jsonl --trust PUBLIC`.
fn verify_certificates_with_ledger(offering: &Offering, public: &str) -> (i32, String) {
    verify(
        offering,
        &[
            "records/SER2-2025-03-CAL/certificates",
            "--ledger",
            "records/ledger.jsonl",
            "--trust",
            public,
        ],
    )
}

/// A signed SER2 offering: (offering, key path, public key path, certificate path).
fn signed_ser2() -> (Offering, String, String, String) {
    let offering = Offering::ser2();
    let key = seeded_key(&offering, "pdf signature tests");
    issued(&offering, &key, &[]);
    let public = published(&offering, ".pub.pem");
    let certificate = published(&offering, ".crt.pem");
    (offering, key, public, certificate)
}

#[test]
fn every_issued_ser2_certificate_is_signed_and_pdfsig_qpdf_pyhanko_and_ceu_accept_it() {
    let (offering, _, public, certificate) = signed_ser2();
    let pdfs = pdfs(&offering.certificates());
    assert_eq!(pdfs.len(), 21);
    for pdf in &pdfs {
        let report = pdfsig(pdf);
        assert!(
            report.contains("Signature Validation: Signature is Valid."),
            "{}: {report}",
            pdf.display()
        );
        assert!(report.contains("Total document signed"), "{report}");
        assert!(report.contains("ETSI.CAdES.detached"), "{report}");
        let check = Command::new("qpdf")
            .arg("--check")
            .arg(pdf)
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "{}",
            String::from_utf8_lossy(&check.stdout)
        );
        // The PDF/A-3 rules the update keeps, read from the bytes.
        let bytes = std::fs::read(pdf).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.starts_with("%PDF-1.7"));
        assert_eq!(text.matches("/Type/Sig").count(), 1, "one signature");
        assert!(
            text.contains("/F 132/Rect[0 0 0 0]"),
            "printable, invisible widget"
        );
        assert!(!text.contains("/Version") && !text.contains("/ISO_"));
        assert_eq!(text.matches("%%EOF").count(), 2, "one incremental update");
        // Both trailers carry the same /ID array.
        let ids: Vec<&str> = text
            .match_indices("/ID")
            .map(|(at, _)| {
                let rest = text[at + 3..].trim_start();
                &rest[..=rest.find(']').unwrap()]
            })
            .collect();
        assert!(ids.len() == 2 && ids[0] == ids[1], "{ids:?}");
    }

    if let Some(pyhanko) = common::pyhanko() {
        for pdf in pdfs.iter().take(2) {
            let output = Command::new(&pyhanko)
                .args(["sign", "validate", "--no-revocation-check", "--trust"])
                .arg(offering.temp.path().join(&certificate))
                .arg("--trust-replace")
                .arg(pdf)
                .output()
                .unwrap();
            let out = String::from_utf8_lossy(&output.stdout);
            assert!(
                output.status.success() && out.contains(":INTACT:TRUSTED,UNTOUCHED"),
                "{out}{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }

    // ceu accepts them with the ledger and offline, and prints the certificate's fingerprint
    // as OpenSSL computes it.
    let openssl = Command::new("openssl")
        .args(["x509", "-noout", "-fingerprint", "-sha256", "-in"])
        .arg(offering.temp.path().join(&certificate))
        .output()
        .unwrap();
    let openssl = String::from_utf8_lossy(&openssl.stdout);
    let fingerprint = openssl.trim().rsplit('=').next().unwrap().to_string();
    assert_eq!(fingerprint.len(), 95, "{openssl}");
    let dir = "records/SER2-2025-03-CAL/certificates";
    let (code, out) = verify_certificates_with_ledger(&offering, &public);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("21 of 21 verified"), "{out}");
    assert!(out.contains(&fingerprint), "{out}");
    let (code, out) = verify(&offering, &[dir, "--offline", "--trust", &public]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("21 of 21 verified"), "{out}");
    assert!(out.contains(&fingerprint), "{out}");
}

/// Variants: a digit of the signing time `/M`, a letter of the PDF's `/Producer` in the
/// first revision, a byte of the record's compressed stream, and a byte of the signature's
/// zero padding (outside the signed range: pdfsig still says valid, ceu does not).
#[test]
fn one_changed_byte_gives_digest_mismatch_and_fails_ceu_verify() {
    let (offering, _, public, _) = signed_ser2();
    let original = pdfs(&offering.certificates()).remove(0);
    let bytes = std::fs::read(&original).unwrap();
    let find = |needle: &[u8]| {
        bytes
            .windows(needle.len())
            .position(|w| w == needle)
            .unwrap_or_else(|| panic!("{} not in the PDF", String::from_utf8_lossy(needle)))
    };
    let record_stream = {
        let at = find(b"/Type/EmbeddedFile");
        at + bytes[at..].windows(6).position(|w| w == b"stream").unwrap() + 40
    };
    // Near the end of the bytes reserved for the CMS.
    let padding = find(b"/Contents<") + b"/Contents<".len() + 2 * ceu::pades::CONTENTS_BYTES - 10;
    assert_eq!(bytes[padding], b'0');
    let variants = [
        ("signing time", find(b"/M(D:2025") + 8, true),
        ("producer", find(b"Typst") + 1, true),
        ("record stream", record_stream, true),
        ("signature padding", padding, false),
    ];
    for (what, at, in_range) in variants {
        let mut changed = bytes.clone();
        changed[at] ^= if what == "signature padding" { 1 } else { 0x20 };
        assert_ne!(changed, bytes);
        let path = offering
            .temp
            .path()
            .join(format!("changed-{}.pdf", what.replace(' ', "-")));
        std::fs::write(&path, &changed).unwrap();
        let report = pdfsig(&path);
        if in_range {
            assert!(report.contains("Digest Mismatch."), "{what}: {report}");
        }
        let name = path.file_name().unwrap().to_str().unwrap();
        let (code, out) = verify(
            &offering,
            &[name, "--ledger", "records/ledger.jsonl", "--trust", &public],
        );
        assert_eq!(code, 1, "{what}: {out}");
        let (code, out) = verify(&offering, &[name, "--offline", "--trust", &public]);
        assert_eq!(code, 1, "{what}: {out}");
        assert!(out.contains("FAIL"), "{what}: {out}");
    }
}

#[test]
fn issuing_twice_with_the_same_issued_at_gives_identical_signed_files() {
    let first = Offering::ser2();
    let second = Offering::ser2();
    let key = seeded_key(&first, "determinism");
    assert_eq!(seeded_key(&second, "determinism"), key);
    issued(&first, &key, &[]);
    issued(&second, &key, &[]);
    let a = pdfs(&first.certificates());
    let b = pdfs(&second.certificates());
    assert_eq!(a.len(), 21);
    for (a, b) in a.iter().zip(&b) {
        assert_eq!(a.file_name(), b.file_name());
        assert!(
            std::fs::read(a).unwrap() == std::fs::read(b).unwrap(),
            "{} differs between two runs",
            a.display()
        );
    }
    // Another issue time: another signing time, other bytes.
    let third = Offering::ser2();
    seeded_key(&third, "determinism");
    let output = third
        .ceu()
        .args([
            "issue",
            "--key",
            &key,
            "--issued-at",
            "2025-03-11T08:00:00Z",
        ])
        .args(["--as-of", "2025-03-20", "records/SER2-2025-03-CAL"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let c = pdfs(&third.certificates());
    let text = String::from_utf8_lossy(&std::fs::read(&c[0]).unwrap()).into_owned();
    assert!(text.contains("/M(D:20250311080000Z)"));
    assert_ne!(std::fs::read(&c[0]).unwrap(), std::fs::read(&a[0]).unwrap());
}

/// Variants of "another program re-saved the file": a plain `qpdf` rewrite, one with object
/// streams (the record is then only found by a real PDF parser), and a linearized one.
#[test]
fn a_resaved_certificate_is_reported_as_genuine_record_but_not_the_issued_bytes() {
    let (offering, _, public, _) = signed_ser2();
    let original = pdfs(&offering.certificates()).remove(0);
    for (name, flags) in [
        ("resaved.pdf", &[][..]),
        ("object-streams.pdf", &["--object-streams=generate"][..]),
        ("linearized.pdf", &["--linearize"][..]),
    ] {
        let target = offering.temp.path().join(name);
        let status = Command::new("qpdf")
            .args(flags)
            .arg(&original)
            .arg(&target)
            .status()
            .unwrap();
        assert!(
            status.code().is_some_and(|c| c == 0 || c == 3),
            "qpdf {name}"
        );
        assert_ne!(
            std::fs::read(&target).unwrap(),
            std::fs::read(&original).unwrap()
        );
        for mode in [
            &["--ledger", "records/ledger.jsonl"][..],
            &["--offline"][..],
        ] {
            let mut args = vec![name, "--trust", public.as_str()];
            args.extend_from_slice(mode);
            let (code, out) = verify(&offering, &args);
            assert_eq!(code, 1, "{name} {mode:?}: {out}");
            assert!(out.contains(ALTERED), "{name} {mode:?}: {out}");
            assert!(!out.contains("no embedded certificate record"), "{out}");
        }
    }
}

/// Variants: the signature stripped by cutting the file back to its first revision, and a
/// later incremental update appended by another program.
#[test]
fn a_stripped_or_extended_signed_file_is_not_the_issued_bytes() {
    let (offering, _, public, _) = signed_ser2();
    let original = pdfs(&offering.certificates()).remove(0);
    let bytes = std::fs::read(&original).unwrap();
    let first_eof = bytes.windows(5).position(|w| w == b"%%EOF").unwrap() + 5;
    let mut extended = bytes.clone();
    extended.extend_from_slice(b"\n% an annotation tool was here\n");
    for (name, content) in [
        ("stripped.pdf", bytes[..first_eof].to_vec()),
        ("extended.pdf", extended),
    ] {
        std::fs::write(offering.temp.path().join(name), content).unwrap();
        let (code, out) = verify(&offering, &[name, "--offline", "--trust", &public]);
        assert_eq!(code, 1, "{name}: {out}");
        assert!(out.contains(ALTERED), "{name}: {out}");
        let (code, out) = verify(
            &offering,
            &[name, "--ledger", "records/ledger.jsonl", "--trust", &public],
        );
        assert_eq!(code, 1, "{name}: {out}");
        assert!(out.contains(ALTERED), "{name}: {out}");
    }
}

/// Regression (bench/pdf-mutations): the signature's `/Contents` is the one range the PDF
/// signature cannot cover, and hex reads the same bytes in either case, so flipping the case
/// of one hex letter there changed the file while `verify --offline` still said valid.
#[test]
fn a_certificate_whose_signature_hex_was_upper_cased_does_not_verify_offline() {
    let (offering, _, public, _) = signed_ser2();
    let original = pdfs(&offering.certificates()).remove(0);
    let mut bytes = std::fs::read(&original).unwrap();
    let contents = bytes
        .windows(11)
        .rposition(|w| w == b"/Contents<3")
        .unwrap()
        + 10;
    let letter = contents
        + bytes[contents..]
            .iter()
            .position(u8::is_ascii_lowercase)
            .unwrap();
    assert!(
        bytes[letter].is_ascii_hexdigit(),
        "{}",
        bytes[letter] as char
    );
    bytes[letter] = bytes[letter].to_ascii_uppercase();
    std::fs::write(offering.temp.path().join("respelt.pdf"), bytes).unwrap();
    let (code, out) = verify(&offering, &["respelt.pdf", "--offline", "--trust", &public]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(ALTERED), "{out}");
    assert!(out.contains("lower-case hex"), "{out}");
}

/// Regression: a SER2 copy with a signature image failed `verify --offline` ("visible-matches-
/// record … may have been altered"), because the re-render had no image.
#[test]
fn ser2_with_a_signature_image_verifies_offline() {
    // SER2 names its own signature image; here it is replaced by another PNG. The record
    // names the file and its SHA-256, so offline verification finds it beside the offering
    // and re-renders the page (docs/provider-assets.md).
    let offering = Offering::ser2();
    std::fs::copy(
        common::repo().join("tests/fixtures/signature.png"),
        offering.dir().join("signature.png"),
    )
    .unwrap();
    let key = seeded_key(&offering, "signature image");
    issued(&offering, &key, &[]);
    let public = published(&offering, ".pub.pem");
    let (code, out) = verify(
        &offering,
        &[
            "records/SER2-2025-03-CAL/certificates",
            "--offline",
            "--trust",
            &public,
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("21 of 21 verified"), "{out}");
    assert!(!out.contains("not compared"), "{out}");
    // Without the image the page cannot be re-rendered: not compared, with the file named.
    std::fs::remove_file(offering.dir().join("signature.png")).unwrap();
    let (code, out) = verify(
        &offering,
        &[
            "records/SER2-2025-03-CAL/certificates",
            "--offline",
            "--trust",
            &public,
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("page: not compared (the page was rendered with SER2-2025-03-CAL/signature.png (signature-image)"),
        "{out}"
    );
    let (code, out) = verify_certificates_with_ledger(&offering, &public);
    assert_eq!(code, 0, "{out}");
}

/// A certificate whose record names another Typst version (as one issued by an older or
/// newer ceu would) verifies offline, with the page not compared and the reason said. Built
/// with the library the way `issue` builds one, then verified through the binary.
#[test]
fn a_record_naming_another_typst_version_verifies_offline_with_the_caveat() {
    let (offering, key_path, public, _) = signed_ser2();
    let key = ceu::sign::load_private_key(&offering.temp.path().join(key_path)).unwrap();
    let mut record = first_record(&offering);
    assert_eq!(
        record.typst_version.as_deref(),
        Some(ceu::certificate::typst_version())
    );
    for version in ["0.14.2", "0.16.0"] {
        record.typst_version = Some(version.into());
        let name = format!("typst-{version}.pdf");
        let signer = ceu::cades::DocumentSigner::derive(&key).unwrap();
        std::fs::write(
            offering.temp.path().join(&name),
            issue_with_library(&record, &key, &signer),
        )
        .unwrap();
        let (code, out) = verify(&offering, &[&name, "--offline", "--trust", &public]);
        assert_eq!(code, 0, "{out}");
        assert!(
            out.contains(&format!(
                "page: not compared (the page was rendered with Typst {version}"
            )),
            "{out}"
        );
    }
}

/// The tie between the two keys: a genuine record (signed by the trusted Ed25519 key) in a
/// PDF signed by another document-signing certificate fails offline, because the record
/// names the provider's certificate.
#[test]
fn a_genuine_record_in_a_pdf_signed_by_another_certificate_fails_offline() {
    let (offering, key_path, public, _) = signed_ser2();
    let key = ceu::sign::load_private_key(&offering.temp.path().join(key_path)).unwrap();
    let record = first_record(&offering);
    let stranger = ceu::sign::KeyPair::generate();
    let other = ceu::cades::DocumentSigner::derive(&stranger).unwrap();
    let pdf = issue_with_library(&record, &key, &other);
    std::fs::write(offering.temp.path().join("other-signer.pdf"), &pdf).unwrap();
    assert!(pdfsig(&offering.temp.path().join("other-signer.pdf")).contains("Signature is Valid."));
    let (code, out) = verify(
        &offering,
        &["other-signer.pdf", "--offline", "--trust", &public],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(ALTERED), "{out}");
    assert!(
        out.contains("which the signed record does not name"),
        "{out}"
    );
}

/// The signed record of the first certificate of `offering`.
fn first_record(offering: &Offering) -> ceu::certificate::CertificateRecord {
    let original = std::fs::read(pdfs(&offering.certificates()).remove(0)).unwrap();
    let envelope = ceu::render::extract_attachment(&original).unwrap();
    let payload = ceu::sign::parse_envelope(&envelope).unwrap().payload;
    serde_json::from_slice(&payload).unwrap()
}

/// A certificate made with the library as `issue` makes one: `record` signed by `key`,
/// rendered with the built-in template, the PDF signed by `signer`.
fn issue_with_library(
    record: &ceu::certificate::CertificateRecord,
    key: &ceu::sign::KeyPair,
    signer: &ceu::cades::DocumentSigner,
) -> Vec<u8> {
    let payload = serde_json::to_vec(record).unwrap();
    let envelope = ceu::sign::sign_envelope(key, ceu::certificate::RECORD_PAYLOAD_TYPE, &payload);
    let renderer =
        ceu::render::Renderer::new(ceu::render::DEFAULT_TEMPLATE.to_string(), None).unwrap();
    let at = chrono::DateTime::parse_from_rfc3339(&record.issued_at)
        .unwrap()
        .to_utc();
    let full = format!(
        "{}-r{}",
        record.certificate.certificate_id, record.certificate.revision
    );
    let pdf = renderer
        .render(&record.certificate, &envelope, &full, at)
        .unwrap();
    ceu::pades::sign_pdf(&pdf, signer, at).unwrap()
}

/// The seed of the key that issued `tests/fixtures/legacy-unsigned` (with ceu before PDF
/// signatures, `--issued-at 2025-03-09T23:00:00Z`, three attendees of SER2).
const LEGACY_SEED: &str = "ceu test fixture: legacy-unsigned";

/// A SER2 copy holding the legacy fixture's ledger, keys and three unsigned certificates.
fn with_legacy_fixture() -> (Offering, String) {
    let offering = Offering::ser2();
    common::copy_dir(
        &common::repo().join("tests/fixtures/legacy-unsigned/records"),
        &offering.records(),
    );
    let public = published(&offering, ".pub.pem");
    (offering, public)
}

#[test]
fn certificates_issued_before_pdf_signatures_verify_with_the_ledger_and_offline_only_by_rerender() {
    let (offering, public) = with_legacy_fixture();
    let dir = "records/SER2-2025-03-CAL/certificates";
    let legacy = pdfs(&offering.certificates());
    assert_eq!(legacy.len(), 3);
    for pdf in &legacy {
        assert!(pdfsig(pdf).contains("does not contain any signatures"));
    }
    let (code, out) = verify_certificates_with_ledger(&offering, &public);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("3 of 3 verified"), "{out}");

    // Offline the page must re-render byte for byte: true while the bundled template is the
    // one these were issued with; after a template change, exit 1 with the fix.
    let envelope = ceu::render::extract_attachment(&std::fs::read(&legacy[0]).unwrap()).unwrap();
    let payload = ceu::sign::parse_envelope(&envelope).unwrap().payload;
    let record: ceu::certificate::CertificateRecord = serde_json::from_slice(&payload).unwrap();
    assert_eq!(record.typst_version, None, "a record from before the field");
    assert_eq!(record.pdf_certificate_sha256, None);
    let bundled = ceu::sign::sha256_hex(ceu::render::DEFAULT_TEMPLATE.as_bytes());
    let (code, out) = verify(&offering, &[dir, "--offline", "--trust", &public]);
    if record.template_sha256 == bundled {
        assert_eq!(code, 0, "{out}");
        assert!(out.contains("3 of 3 verified"), "{out}");
    } else {
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("issued before ceu signed PDFs"), "{out}");
        assert!(out.contains("verify with --ledger"), "{out}");
    }
    // Either way, a legacy file that was changed fails offline with the same fix.
    let mut changed = std::fs::read(&legacy[0]).unwrap();
    let at = changed.windows(5).position(|w| w == b"Typst").unwrap();
    changed[at + 1] ^= 0x20;
    std::fs::write(offering.temp.path().join("changed.pdf"), changed).unwrap();
    let (code, out) = verify(&offering, &["changed.pdf", "--offline", "--trust", &public]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("verify with --ledger"), "{out}");
}

#[test]
fn a_ledger_holding_older_unsigned_and_new_signed_entries_verifies() {
    let (offering, public) = with_legacy_fixture();
    let key = seeded_key(&offering, LEGACY_SEED);
    issued(&offering, &key, &[]);
    let all = pdfs(&offering.certificates());
    assert_eq!(all.len(), 21);
    let signed = all
        .iter()
        .filter(|p| pdfsig(p).contains("Signature is Valid."))
        .count();
    assert_eq!(
        signed, 18,
        "the three legacy certificates are unchanged, not reissued"
    );
    let (code, out) = verify_certificates_with_ledger(&offering, &public);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("21 of 21 verified"), "{out}");
    let output = offering.ledger_verify(&public);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

/// Issue 12 item 7 (regression: `verify` by id or QR text answered only "valid"). Variants:
/// the id with and without `-rN` and the QR text, with the PDF in the offering's output
/// folder; the PDF moved away; another file in its place; a wrong verification code. (A hash
/// lookup, a bulk check of files at hand, prints only the verdict.)
#[test]
fn verify_by_id_or_qr_text_prints_what_the_certificate_attests() {
    let (offering, _, public, _) = signed_ser2();
    let entries = ceu::ledger::read(&offering.ledger()).unwrap();
    let fields = |attendee: &str| {
        entries
            .iter()
            .filter_map(|e| e.body().issued())
            .find(|f| f.attendee_id == attendee)
            .unwrap()
            .clone()
    };
    let a001 = fields("A001");
    let id = format!("{}-r{}", a001.cert_id, a001.revision);
    let qr = format!("ceu:v1:{id}:{}", a001.verification_code);
    let ledger = [
        "--ledger",
        "records/ledger.jsonl",
        "--trust",
        public.as_str(),
    ];
    for item in [id.as_str(), a001.cert_id.as_str(), qr.as_str()] {
        let mut args = vec![item];
        args.extend_from_slice(&ledger);
        let (code, out) = verify(&offering, &args);
        assert_eq!(code, 0, "{item}: {out}");
        assert!(
            out.contains("holder:    Aiyana Redcrow, CCC-SLP"),
            "{item}: {out}"
        );
        assert!(out.contains("offering:  SER2-2025-03-CAL \""), "{out}");
        assert!(out.contains("credit:    ASHA: "), "{out}");
        assert!(
            out.contains("issued:    2025-03-10T12:00:00Z (revision 1); status valid"),
            "{out}"
        );
    }

    // Another attendee's PDF in its place: not shown, said why.
    let certificates = offering.certificates();
    let a002 = fields("A002");
    std::fs::copy(
        certificates.join(&a002.pdf_file),
        certificates.join(&a001.pdf_file),
    )
    .unwrap();
    let mut args = vec![id.as_str()];
    args.extend_from_slice(&ledger);
    let (code, out) = verify(&offering, &args);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("is not the file this ledger entry binds"),
        "{out}"
    );
    assert!(!out.contains("holder:"), "{out}");

    // The PDFs moved away: the ledger's facts and a note, no names.
    std::fs::rename(&certificates, offering.temp.path().join("elsewhere")).unwrap();
    let (code, out) = verify(&offering, &args);
    assert_eq!(code, 0, "{out}");
    assert!(
        !out.contains("holder:") && !out.contains("Redcrow"),
        "{out}"
    );
    assert!(out.contains("offering:  SER2-2025-03-CAL\n"), "{out}");
    assert!(
        out.contains("issued:    2025-03-10T12:00:00Z (revision 1); status valid"),
        "{out}"
    );
    assert!(
        out.contains("note:      the certificate's PDF is not at"),
        "{out}"
    );

    // A wrong code: FAIL, and nothing attested.
    let wrong = format!("ceu:v1:{id}:AAAA-AAAA");
    let mut args = vec![wrong.as_str()];
    args.extend_from_slice(&ledger);
    let (code, out) = verify(&offering, &args);
    assert_eq!(code, 1, "{out}");
    assert!(!out.contains("issued:"), "{out}");
}

/// `keygen` publishes the PDF-signing certificate beside the public key and prints the
/// fingerprint a PDF reader shows (OpenSSL's); `issue` with that key finds it unchanged.
#[test]
fn keygen_publishes_the_pdf_signing_certificate_and_prints_its_fingerprint() {
    let offering = Offering::ser2();
    let output = offering
        .ceu()
        .args([
            "keygen",
            "--key",
            "secret/key.pem",
            "--public-dir",
            "records/keys",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let certificate = published(&offering, ".crt.pem");
    let path = offering.temp.path().join(&certificate);
    let before = std::fs::read(&path).unwrap();
    let openssl = Command::new("openssl")
        .args([
            "x509",
            "-noout",
            "-fingerprint",
            "-sha256",
            "-subject",
            "-startdate",
            "-in",
        ])
        .arg(&path)
        .output()
        .unwrap();
    let openssl = String::from_utf8_lossy(&openssl.stdout).into_owned();
    let fingerprint = openssl.lines().next().unwrap().rsplit('=').next().unwrap();
    assert!(
        stdout.contains(&format!(
            "PDF signing certificate: {certificate} (SHA-256 {fingerprint})"
        )),
        "{stdout}{openssl}"
    );
    assert!(
        openssl.contains("CN = ceu document signing key ed25519:"),
        "{openssl}"
    );
    assert!(
        openssl.contains("notBefore=Jan  1 00:00:00 2000 GMT"),
        "{openssl}"
    );
    assert!(!stdout.contains("PRIVATE"), "{stdout}");
    issued(&offering, "secret/key.pem", &[]);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}
