//! `ceu verify --offline --assets DIR` (issue 21, part 3; issue 19, part 4): an auditor who
//! holds certificates moved away from the records root, and a copy of the provider's `fonts/`
//! and `provider/` folders (or of the whole records root), re-renders their pages with it.
//! Without `--assets` such a page is "not compared"; a changed copy is "not compared" too,
//! naming the file; a DIR that is no such folder is refused (exit 2) with the fix.

use crate::common::{Offering, copy_dir, repo, seeded_key, text};
use crate::provider_fonts::public_key;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// SER2 issued with the provider logo in `records/provider/`; with `own_signature` false the
/// course record names no signature image, so `fonts/` and `provider/` hold every asset.
fn issued_with_logo(own_signature: bool) -> Offering {
    let offering = Offering::ser2();
    let provider = offering.records().join("provider");
    std::fs::create_dir_all(&provider).unwrap();
    std::fs::copy(
        repo().join("tests/fixtures/provider/logo.png"),
        provider.join("logo.png"),
    )
    .unwrap();
    if !own_signature {
        offering.edit_course(|t| t.replace("signature_image = \"signature.png\"\n", ""));
    }
    let key = seeded_key(&offering, "verify-assets");
    let output = offering.issue(&key, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    offering
}

/// The certificate of A001 and the public key, copied alone into a fresh folder (the
/// auditor's), as `cert.pdf` and `key.pub.pem`.
fn moved_alone(offering: &Offering) -> tempfile::TempDir {
    let auditor = tempfile::tempdir().unwrap();
    std::fs::copy(offering.pdf_of("A001"), auditor.path().join("cert.pdf")).unwrap();
    std::fs::copy(
        offering.temp.path().join(public_key(offering)),
        auditor.path().join("key.pub.pem"),
    )
    .unwrap();
    auditor
}

/// `ceu verify --offline` of `cert.pdf`, run in the auditor's folder: (exit code, output).
fn verify_in(offering: &Offering, auditor: &Path, extra: &[&str]) -> (i32, String, Value) {
    let output = offering
        .ceu()
        .current_dir(auditor)
        .args([
            "verify",
            "--offline",
            "--trust",
            "key.pub.pem",
            "--format",
            "json",
        ])
        .args(extra)
        .arg("cert.pdf")
        .output()
        .unwrap();
    let json = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    (output.status.code().unwrap(), text(&output), json)
}

/// The `page` check's detail; the certificate verifies either way.
fn page_detail(json: &Value) -> String {
    let checks = json["items"][0]["checks"].as_array().unwrap();
    let page = checks.iter().find(|c| c["check"] == "page").unwrap();
    assert_eq!(page["ok"], true, "{page}");
    assert_eq!(json["items"][0]["ok"], true, "{json}");
    page["detail"].as_str().unwrap().to_string()
}

#[test]
fn a_moved_certificate_is_compared_with_the_auditors_copy_of_the_provider_folders() {
    let offering = issued_with_logo(false);
    let auditor = moved_alone(&offering);

    // Alone, its logo is nowhere to be found: verified, page not compared.
    let (code, out, json) = verify_in(&offering, auditor.path(), &[]);
    assert_eq!(code, 0, "{out}");
    let page = page_detail(&json);
    assert!(page.starts_with("not compared"), "{page}");
    assert!(page.contains("provider/logo.png"), "{page}");

    // A copy of fonts/ and provider/ in a folder of the auditor's choosing (a relative path).
    let copy = auditor.path().join("assets copy");
    copy_dir(&offering.records().join("provider"), &copy.join("provider"));
    let (code, out, json) = verify_in(&offering, auditor.path(), &["--assets", "assets copy"]);
    assert_eq!(code, 0, "{out}");
    assert!(page_detail(&json).contains("identical"), "{json}");

    // A changed logo in the copy: not compared, naming the file and both hashes.
    std::fs::copy(
        repo().join("tests/fixtures/provider/signature-1.png"),
        copy.join("provider/logo.png"),
    )
    .unwrap();
    let (code, out, json) = verify_in(&offering, auditor.path(), &["--assets", "assets copy"]);
    assert_eq!(code, 0, "{out}");
    let page = page_detail(&json);
    assert!(page.starts_with("not compared"), "{page}");
    assert!(page.contains("logo.png has SHA-256"), "{page}");

    // The first folder that holds every asset unchanged is used (the changed copy, then the
    // records root).
    let root = offering.records().to_string_lossy().to_string();
    let (code, out, json) = verify_in(
        &offering,
        auditor.path(),
        &["--assets", "assets copy", "--assets", &root],
    );
    assert_eq!(code, 0, "{out}");
    assert!(page_detail(&json).contains("identical"), "{json}");
}

#[test]
fn a_records_root_copy_also_serves_the_offerings_own_signature_image() {
    // SER2's course record names its own signature image (SER2-2025-03-CAL/signature.png):
    // fonts/ and provider/ alone are not enough, a copy of the records root is.
    let offering = issued_with_logo(true);
    let auditor = moved_alone(&offering);
    let only_provider: PathBuf = auditor.path().join("only-provider");
    copy_dir(
        &offering.records().join("provider"),
        &only_provider.join("provider"),
    );
    let (code, out, json) = verify_in(&offering, auditor.path(), &["--assets", "only-provider"]);
    assert_eq!(code, 0, "{out}");
    let page = page_detail(&json);
    assert!(page.starts_with("not compared"), "{page}");
    assert!(page.contains("SER2-2025-03-CAL/signature.png"), "{page}");

    let root_copy = auditor.path().join("records");
    copy_dir(&offering.records(), &root_copy);
    let (code, out, json) = verify_in(&offering, auditor.path(), &["--assets", "records"]);
    assert_eq!(code, 0, "{out}");
    assert!(page_detail(&json).contains("identical"), "{json}");
}

#[test]
fn stock_ser2_moved_alone_is_compared_with_a_copy_of_its_offering_folder() {
    // Variant: no provider folder at all, only the offering's own signature image; the
    // auditor's copy holds the offering folder (course.toml and signature.png) and nothing else.
    let offering = Offering::ser2();
    let key = seeded_key(&offering, "verify-assets-stock");
    let output = offering.issue(&key, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let auditor = moved_alone(&offering);
    let (code, out, json) = verify_in(&offering, auditor.path(), &[]);
    assert_eq!(code, 0, "{out}");
    assert!(page_detail(&json).starts_with("not compared"), "{json}");
    let copy = auditor.path().join("copy/SER2-2025-03-CAL");
    std::fs::create_dir_all(&copy).unwrap();
    for file in ["course.toml", "signature.png"] {
        std::fs::copy(offering.dir().join(file), copy.join(file)).unwrap();
    }
    let (code, out, json) = verify_in(&offering, auditor.path(), &["--assets", "copy"]);
    assert_eq!(code, 0, "{out}");
    assert!(page_detail(&json).contains("identical"), "{json}");
}

#[test]
fn an_assets_folder_that_is_not_one_is_refused_with_the_fix() {
    let offering = issued_with_logo(false);
    let auditor = moved_alone(&offering);
    std::fs::create_dir_all(auditor.path().join("empty")).unwrap();
    for (dir, why) in [
        ("missing", "cannot be opened"),
        ("cert.pdf", "is not a folder"),
        (
            "empty",
            "holds neither a fonts/ nor a provider/ folder, nor an offering folder",
        ),
    ] {
        let (code, out, _) = verify_in(&offering, auditor.path(), &["--assets", dir]);
        assert_eq!(code, 2, "{dir}: {out}");
        assert!(out.contains(&format!("{dir}: {why}")), "{dir}: {out}");
        assert!(out.contains("give a records root"), "{out}");
    }
    // Only offline verification re-renders pages.
    let output = offering
        .ceu()
        .current_dir(auditor.path())
        .args(["verify", "--assets", ".", "cert.pdf"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(text(&output).contains("--offline"), "{}", text(&output));
}
