//! `ceu publish` and the verification page, in a real headless Chromium (Debian's package,
//! no browser download) against `python3 -m http.server` on 127.0.0.1; the QR payload and
//! printed URL when a verification site is configured; codes as people type them.

use crate::common::{self, Offering, seeded_key};
use base64::Engine as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const SEED: &str = "ceu test fixture: publish";
const UPDATED: &str = "2025-03-20T12:00:00Z";
/// A revocation reason whose words name a published code; the text itself is never published.
const REASON: &str = "issued in error: roster row 7 was mixed up";

fn issued(offering: &Offering, key: &str) {
    let output = offering.issue(key, &[]);
    assert!(output.status.success(), "{}", common::text(&output));
}

/// `ceu publish <dir> --key KEY --updated UPDATED <extra>`, from the temporary root.
fn publish(offering: &Offering, key: &str, dir: &str, extra: &[&str]) -> std::process::Output {
    offering
        .ceu()
        .args(["publish", dir, "--key", key, "--updated", UPDATED])
        .args(["--ledger", "records/ledger.jsonl"])
        .args(extra)
        .output()
        .unwrap()
}

fn published(offering: &Offering, key: &str, dir: &str, extra: &[&str]) {
    let output = publish(offering, key, dir, extra);
    assert!(output.status.success(), "{}", common::text(&output));
}

/// Issued certificates from the ledger: (full id, code, PDF path).
fn certificates(offering: &Offering) -> Vec<(String, String, PathBuf)> {
    ceu::ledger::read(&offering.ledger())
        .unwrap()
        .iter()
        .filter_map(|e| e.body().issued())
        .map(|f| {
            (
                ceu::ledger::full_cert_id(&f.cert_id, f.revision),
                f.verification_code.clone(),
                offering.certificates().join(&f.pdf_file),
            )
        })
        .collect()
}

/// The one public key in `records/keys/`, relative to the root.
fn public_key(offering: &Offering) -> String {
    let name = std::fs::read_dir(offering.records().join("keys"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with(".pub.pem"))
        .unwrap();
    format!("records/keys/{name}")
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The manifest payload of a site.
fn manifest(dir: &Path) -> serde_json::Value {
    let bytes = std::fs::read(dir.join("manifest.json")).unwrap();
    let envelope = ceu::sign::parse_envelope(&bytes).unwrap();
    serde_json::from_slice(&envelope.payload).unwrap()
}

/// The entry for `key` in shard set `set` (`pdf` or `id`), via the manifest.
fn shard_entry(dir: &Path, set: &str, key: &str) -> Option<serde_json::Value> {
    let m = manifest(dir);
    let listed = m["shards"][set][&key[..2]].as_str()?;
    let bytes = std::fs::read(dir.join(ceu::publish::shard_file(set, &key[..2], listed))).unwrap();
    assert_eq!(ceu::sign::sha256_hex(&bytes), listed);
    let shard: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    shard.get(key).cloned()
}

/// Debian's Chromium: `$CEU_CHROMIUM`, else `chromium` on the PATH, else None with a message
/// (in CI, with `$CI` set, a missing Chromium fails).
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CEU_CHROMIUM").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let found = Command::new("chromium")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some(PathBuf::from("chromium"));
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "Chromium is missing in CI (.ci/run installs Debian's chromium package)"
    );
    eprintln!("SKIPPED the browser checks: install Debian's chromium (.ci/run does)");
    None
}

/// `python3 -m http.server` on 127.0.0.1 and a free port, serving `root`; killed on drop.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(root: &Path) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("python3")
            .args([
                "-m",
                "http.server",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
            ])
            .arg("--directory")
            .arg(root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 runs");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "http.server did not start"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        Server { child, port }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the page says once its checks are done: (`data-verdict`, the verdict's text, the
/// page's visible text), read over the DevTools protocol by `tests/it/common/chromium_verdict.py`
/// (`--dump-dom` does not wait for WebCrypto's PBKDF2 and AES-GCM).
fn page(chromium: &Path, profile: &Path, url: &str) -> (String, String, String) {
    let output = Command::new("python3")
        .arg(common::repo().join("tests/it/common/chromium_verdict.py"))
        .arg(chromium)
        .arg(profile)
        .arg(url)
        .output()
        .unwrap();
    let result: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{url}: {e}\n{}", common::text(&output)));
    let field = |name: &str| result[name].as_str().unwrap_or_default().to_string();
    (field("verdict"), field("text"), field("body"))
}

#[test]
fn the_page_in_chromium_checks_pdfs_ids_and_the_manifest_signature() {
    let offering = Offering::ser2();
    let key = seeded_key(&offering, SEED);
    issued(&offering, &key);
    let certs = certificates(&offering);
    let (revoked_id, _, revoked_pdf) = certs[1].clone();
    let output = offering
        .ceu()
        .args(["revoke", &revoked_id, "--reason", REASON, "--key", &key])
        .args(["--ledger", "records/ledger.jsonl"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", common::text(&output));
    let www = offering.temp.path().join("www");
    published(
        &offering,
        &key,
        "www/verify",
        &["--holder-facts", "--kdf-iterations", "100000"],
    );

    // The site holds no roster name or email (the sealed facts are ciphertext).
    let roster = std::fs::read_to_string(offering.dir().join("roster.csv")).unwrap();
    let mut personal = Vec::new();
    for line in roster.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        personal.extend([cells[1], cells[2], cells[3]].map(str::to_string));
        personal.push(format!("{} {}", cells[1], cells[2]));
    }
    for file in files(&www.join("verify")) {
        let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned();
        for value in personal.iter().filter(|v| v.len() > 2) {
            assert!(
                !text.contains(value.as_str()),
                "{} contains {value}",
                file.display()
            );
        }
        assert!(
            !text.contains("roster row 7"),
            "the free-text reason is never published"
        );
    }

    let Some(chromium) = chromium() else {
        return;
    };
    let files_dir = www.join("files");
    std::fs::create_dir_all(&files_dir).unwrap();
    let (valid_id, valid_code, valid_pdf) = certs[0].clone();
    std::fs::copy(&valid_pdf, files_dir.join("genuine.pdf")).unwrap();
    std::fs::copy(&revoked_pdf, files_dir.join("revoked.pdf")).unwrap();
    let mut changed = std::fs::read(&valid_pdf).unwrap();
    let middle = changed.len() / 2;
    changed[middle] ^= 0x01;
    std::fs::write(files_dir.join("changed.pdf"), changed).unwrap();
    // A copy of the site whose manifest signature has one bit flipped.
    common::copy_dir(&www.join("verify"), &www.join("tampered"));
    let envelope_path = www.join("tampered/manifest.json");
    let mut envelope: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&envelope_path).unwrap()).unwrap();
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut sig = b64
        .decode(envelope["signatures"][0]["sig"].as_str().unwrap())
        .unwrap();
    sig[10] ^= 0x04;
    envelope["signatures"][0]["sig"] = b64.encode(sig).into();
    std::fs::write(&envelope_path, serde_json::to_vec(&envelope).unwrap()).unwrap();

    let server = Server::start(&www);
    let profile = tempfile::tempdir().unwrap();
    let at = |fragment: &str| server.url(&format!("verify/index.html#{fragment}"));
    let holder = {
        let envelope =
            ceu::render::extract_attachment(&std::fs::read(&valid_pdf).unwrap()).unwrap();
        let payload = ceu::sign::parse_envelope(&envelope).unwrap().payload;
        let record: ceu::certificate::CertificateRecord = serde_json::from_slice(&payload).unwrap();
        record.certificate.holder.name
    };

    let (verdict, text, _) = page(&chromium, profile.path(), &at("pdf=/files/genuine.pdf"));
    assert_eq!(verdict, "valid", "{text}");
    assert!(text.contains(&valid_id), "{text}");

    let (verdict, text, _) = page(&chromium, profile.path(), &at("pdf=/files/changed.pdf"));
    assert_eq!(verdict, "unknown", "{text}");

    let (verdict, text, _) = page(&chromium, profile.path(), &at("pdf=/files/revoked.pdf"));
    assert_eq!(verdict, "revoked", "{text}");
    assert!(text.contains("issued in error"), "{text}");
    assert!(text.contains(&revoked_id), "{text}");

    // The QR path: id and code (typed in lower case, without the hyphen) open the facts.
    let typed = valid_code.to_lowercase().replace('-', "");
    let (verdict, text, dom) = page(
        &chromium,
        profile.path(),
        &at(&format!("id={valid_id}&code={typed}")),
    );
    assert_eq!(verdict, "valid", "{text}");
    assert!(text.contains("code matches"), "{text}");
    assert!(dom.contains(&holder), "the holder facts are shown: {dom}");
    // A wrong code opens nothing.
    let wrong = if valid_code.starts_with('Z') {
        "Y"
    } else {
        "Z"
    };
    let (verdict, text, dom) = page(
        &chromium,
        profile.path(),
        &at(&format!("id={valid_id}&code={wrong}{}", &valid_code[1..])),
    );
    assert_eq!(verdict, "invalid", "{text}");
    assert!(!dom.contains(&holder));
    // The id typed in lower case, without its revision: the latest revision's status.
    let (base_id, _) = valid_id.rsplit_once("-r").unwrap();
    let (verdict, text, _) = page(
        &chromium,
        profile.path(),
        &at(&format!("id={}", base_id.to_lowercase())),
    );
    assert_eq!(verdict, "valid", "{text}");
    assert!(text.contains(&valid_id), "{text}");
    // The id alone: the status, and no facts.
    let (verdict, text, dom) = page(&chromium, profile.path(), &at(&format!("id={revoked_id}")));
    assert_eq!(verdict, "revoked", "{text}");
    assert!(!dom.contains(&holder));
    let (verdict, text, _) = page(
        &chromium,
        profile.path(),
        &at("id=SER2-2025-03-CAL-00000000"),
    );
    assert_eq!(verdict, "unknown", "{text}");

    let (verdict, text, _) = page(
        &chromium,
        profile.path(),
        &server.url("tampered/index.html#pdf=/files/genuine.pdf"),
    );
    assert_eq!(verdict, "error", "{text}");
    assert!(text.contains("does not verify"), "{text}");
}

#[test]
fn republishing_after_a_revocation_updates_the_shards_and_manifest() {
    let offering = Offering::ser2();
    let key = seeded_key(&offering, SEED);
    issued(&offering, &key);
    published(&offering, &key, "site", &[]);
    let site = offering.temp.path().join("site");
    let before = files(&site);
    let certs = certificates(&offering);
    let (id, code, pdf) = certs[2].clone();
    let pdf_sha = ceu::sign::sha256_hex(&std::fs::read(&pdf).unwrap());
    assert_eq!(
        shard_entry(&site, "pdf", &pdf_sha).unwrap()["status"],
        "valid"
    );
    assert!(site.join(".ceu-publish").is_file());
    let manifest_before = manifest(&site);
    assert_eq!(manifest_before["updated"], UPDATED);
    assert!(manifest_before.get("holder_facts").is_none());

    // Same ledger, same time: the same bytes in a second folder.
    published(&offering, &key, "again", &[]);
    let again = offering.temp.path().join("again");
    for file in &before {
        let relative = file.strip_prefix(&site).unwrap();
        assert_eq!(
            std::fs::read(file).unwrap(),
            std::fs::read(again.join(relative)).unwrap(),
            "{} differs between two runs",
            relative.display()
        );
    }

    let output = offering
        .ceu()
        .args([
            "revoke",
            &id,
            "--reason",
            "duplicate certificate",
            "--key",
            &key,
        ])
        .args(["--ledger", "records/ledger.jsonl"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", common::text(&output));
    published(&offering, &key, "site", &[]);
    let entry = shard_entry(&site, "pdf", &pdf_sha).unwrap();
    assert_eq!(entry["status"], "revoked");
    assert_eq!(entry["reason"], "duplicate");
    assert_eq!(entry["id"], id.as_str());
    let base = id.rsplit_once("-r").unwrap().0;
    let by_id = shard_entry(&site, "id", &ceu::sign::sha256_hex(base.as_bytes())).unwrap();
    assert_eq!(by_id["revisions"]["1"]["status"], "revoked");
    assert_ne!(manifest(&site)["ledger"], manifest_before["ledger"]);
    // The shard the revocation replaced is gone; the others are kept as they were.
    let after = files(&site);
    assert_eq!(after.len(), before.len());
    assert!(after.iter().filter(|f| !before.contains(f)).count() == 2);

    // A corrected name, reissued: r1 is superseded by r2, which is valid.
    let old_pdf = offering.pdf_of("A002");
    let old_sha = ceu::sign::sha256_hex(&std::fs::read(&old_pdf).unwrap());
    offering.edit_roster(|t| t.replacen("A002,Benoît,Lavoie", "A002,Benoît,Lavoie-Tremblay", 1));
    let reissued = offering.issue(&key, &["--reissue"]);
    assert!(reissued.status.success(), "{}", common::text(&reissued));
    let new_pdf = offering.pdf_of("A002");
    published(&offering, &key, "site", &[]);
    let old_entry = shard_entry(&site, "pdf", &old_sha).unwrap();
    assert_eq!(old_entry["status"], "superseded");
    let old_id = old_entry["id"].as_str().unwrap().to_string();
    let new_id = old_id.replace("-r1", "-r2");
    assert_eq!(old_entry["superseded_by"], new_id.as_str());
    let new_sha = ceu::sign::sha256_hex(&std::fs::read(&new_pdf).unwrap());
    assert_eq!(
        shard_entry(&site, "pdf", &new_sha).unwrap()["status"],
        "valid"
    );
    let base = old_id.trim_end_matches("-r1");
    let by_id = shard_entry(&site, "id", &ceu::sign::sha256_hex(base.as_bytes())).unwrap();
    assert_eq!(by_id["latest"], 2);

    // Holder facts: sealed once, kept by the next run.
    let args = ["--holder-facts", "--kdf-iterations", "100000"];
    let first = publish(&offering, &key, "site", &args);
    assert!(
        common::text(&first).contains(" sealed now, 0 kept"),
        "{}",
        common::text(&first)
    );
    let second = publish(&offering, &key, "site", &args);
    assert!(
        common::text(&second).contains(": 0 sealed now,"),
        "{}",
        common::text(&second)
    );
    let by_id = shard_entry(&site, "id", &ceu::sign::sha256_hex(base.as_bytes())).unwrap();
    let sealed = by_id["revisions"]["2"]["sealed"].as_str().unwrap();
    let entries = ceu::ledger::read(&offering.ledger()).unwrap();
    let new_code = entries
        .iter()
        .filter_map(|e| e.body().issued())
        .find(|f| ceu::ledger::full_cert_id(&f.cert_id, f.revision) == new_id)
        .unwrap()
        .verification_code
        .clone();
    let facts =
        ceu::publish::open_sealed(&new_id, &new_code.to_lowercase(), 100_000, sealed).unwrap();
    let facts: serde_json::Value = serde_json::from_slice(&facts).unwrap();
    assert_eq!(
        facts["holder"].as_str().unwrap().split(',').next(),
        Some("Benoît Lavoie-Tremblay")
    );
    assert!(ceu::publish::open_sealed(&new_id, "AAAA-AAAA", 100_000, sealed).is_none());

    // `ceu verify` takes the page's URL, and codes as people type them.
    let verify_url = |id: &str, typed: &str| {
        let url = format!("https://ce.example.org/verify/#id={id}&code={typed}");
        let output = offering
            .ceu()
            .args(["verify", &url, "--ledger", "records/ledger.jsonl"])
            .args(["--trust", &public_key(&offering)])
            .output()
            .unwrap();
        (output.status.code(), common::text(&output))
    };
    for typed in [
        new_code.clone(),
        new_code.to_lowercase(),
        new_code.replace('-', ""),
        new_code.replace('0', "O").replace('1', "l").to_lowercase(),
    ] {
        let (exit, out) = verify_url(&new_id, &typed);
        assert_eq!(exit, Some(0), "{typed}: {out}");
    }
    let (exit, out) = verify_url(&new_id, "AAAA-AAAA");
    assert_eq!(exit, Some(1), "{out}");
    assert!(out.contains("does not match"), "{out}");
    let (exit, out) = verify_url(&id, &code);
    assert_eq!(exit, Some(1), "{out}");
    assert!(out.contains("revoked"), "{out}");
}

#[test]
fn publish_refuses_the_records_folder_and_folders_it_did_not_write() {
    let offering = Offering::ser2();
    let key = seeded_key(&offering, SEED);
    issued(&offering, &key);
    for dir in ["records/site", "records/SER2-2025-03-CAL/certificates/site"] {
        let output = publish(&offering, &key, dir, &[]);
        assert_eq!(output.status.code(), Some(2), "{}", common::text(&output));
        assert!(!offering.temp.path().join(dir).exists());
    }
    std::fs::create_dir_all(offering.temp.path().join("mine")).unwrap();
    std::fs::write(offering.temp.path().join("mine/notes.txt"), "keep").unwrap();
    let output = publish(&offering, &key, "mine", &[]);
    assert_eq!(output.status.code(), Some(2), "{}", common::text(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("not written by ceu publish"),
        "{}",
        common::text(&output)
    );
    assert_eq!(
        std::fs::read_dir(offering.temp.path().join("mine"))
            .unwrap()
            .count(),
        1
    );
    let output = publish(
        &offering,
        &key,
        "weak",
        &["--holder-facts", "--kdf-iterations", "1000"],
    );
    assert_eq!(output.status.code(), Some(2), "{}", common::text(&output));
}

/// SHA-256 of the SER2 example's PDFs issued with the seeded key at the fixed time, before
/// verification sites existed: without `verify_url` they must not change.
const SER2_PDF_SHA256: &str = include_str!("../fixtures/publish/ser2-pdf-sha256.txt");

#[test]
fn without_a_verify_url_the_ser2_certificates_are_byte_identical() {
    let offering = Offering::ser2();
    let key = seeded_key(&offering, SEED);
    issued(&offering, &key);
    let mut lines: Vec<String> = std::fs::read_dir(offering.certificates())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .map(|p| {
            format!(
                "{}  {}",
                ceu::sign::sha256_hex(&std::fs::read(&p).unwrap()),
                p.file_name().unwrap().to_string_lossy()
            )
        })
        .collect();
    lines.sort();
    let expected: Vec<&str> = SER2_PDF_SHA256.lines().collect();
    assert_eq!(lines, expected);
}

#[test]
fn with_a_verify_url_the_qr_code_opens_the_page_and_the_url_is_printed() {
    let offering = Offering::ser2();
    offering.edit_course(|course| {
        course.replacen(
            "[provider]\n",
            "[provider]\nverify_url = \"https://ce.example.org/verify/\"\n",
            1,
        )
    });
    let key = seeded_key(&offering, SEED);
    issued(&offering, &key);
    let (id, code, pdf) = certificates(&offering).remove(0);
    let envelope = ceu::render::extract_attachment(&std::fs::read(&pdf).unwrap()).unwrap();
    let payload = ceu::sign::parse_envelope(&envelope).unwrap().payload;
    let record: ceu::certificate::CertificateRecord = serde_json::from_slice(&payload).unwrap();
    assert_eq!(
        record.certificate.qr,
        format!("https://ce.example.org/verify/#id={id}&code={code}")
    );
    assert!(
        record
            .certificate
            .provider
            .contact
            .ends_with("Verify at ce.example.org/verify"),
        "{}",
        record.certificate.provider.contact
    );
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
    if let Ok(text) = text {
        assert!(text.contains("ce.example.org/verify"), "{text}");
    }
    let output = offering
        .ceu()
        .args(["verify", &record.certificate.qr])
        .args(["--ledger", "records/ledger.jsonl"])
        .args(["--trust", &public_key(&offering)])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", common::text(&output));

    // A URL that is not https is refused with the key's name.
    offering.edit_course(|course| {
        course.replace(
            "https://ce.example.org/verify/",
            "http://ce.example.org/verify/",
        )
    });
    let output = offering.run(&["check"]);
    assert_eq!(output.status.code(), Some(2), "{}", common::text(&output));
    assert!(
        common::text(&output).contains("verify_url"),
        "{}",
        common::text(&output)
    );
}

/// Site size and publish time for a synthetic ledger of `CEU_PUBLISH_N` certificates (default
/// 10,000; 1 % revoked), printed for docs/benchmarks.md. Run on purpose:
/// `CEU_PUBLISH_N=100000 cargo test --test publish synthetic -- --ignored --nocapture`.
#[test]
#[ignore]
fn synthetic_ledger_site_size() {
    use std::io::Write as _;
    let n: u32 = std::env::var("CEU_PUBLISH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let temp = tempfile::tempdir().unwrap();
    let records = temp.path().join("records");
    std::fs::create_dir_all(&records).unwrap();
    let key = ceu::sign::KeyPair::generate();
    let key_path = temp.path().join("key.pem");
    ceu::sign::write_private_key(&key_path, &key, false).unwrap();
    let ledger = records.join("ledger.jsonl");
    let cert = |i: u32| format!("SYN-2025-{:08X}", i.wrapping_mul(2_654_435_761));
    let bodies: Vec<ceu::ledger::EntryBody> = (0..n)
        .map(|i| {
            ceu::ledger::EntryBody::Issue(ceu::ledger::IssueFields {
                cert_id: cert(i),
                revision: 1,
                offering_id: "SYN-2025".into(),
                attendee_id: format!("A{i}"),
                record_sha256: ceu::sign::sha256_hex(format!("record {i}").as_bytes()),
                pdf_sha256: ceu::sign::sha256_hex(format!("pdf {i}").as_bytes()),
                pdf_file: format!("{}-r1.pdf", cert(i)),
                verification_code: "ABCD-EFGH".into(),
                supersedes: None,
                content_sha256: None,
                inputs: Default::default(),
            })
        })
        .chain((0..n / 100).map(|i| {
            ceu::ledger::EntryBody::Revoke(ceu::ledger::RevokeFields {
                cert_id: cert(i * 100),
                revision: 1,
                reason: "issued in error".into(),
            })
        }))
        .collect();
    ceu::ledger::append_at(&ledger, bodies, &key, "2025-03-10T12:00:00Z").unwrap();
    let started = std::time::Instant::now();
    let output = Command::new(assert_cmd::cargo::cargo_bin("ceu"))
        .current_dir(temp.path())
        .args([
            "publish",
            "site",
            "--key",
            "key.pem",
            "--ledger",
            "records/ledger.jsonl",
        ])
        .args(["--updated", UPDATED])
        .output()
        .unwrap();
    let seconds = started.elapsed().as_secs_f64();
    assert!(output.status.success(), "{}", common::text(&output));
    let site = temp.path().join("site");
    let gzipped = |bytes: &[u8]| {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap().len()
    };
    let all = files(&site);
    let total: u64 = all.iter().map(|f| f.metadata().unwrap().len()).sum();
    let largest = |set: &str| {
        all.iter()
            .filter(|f| f.parent().unwrap().ends_with(set))
            .map(|f| {
                let bytes = std::fs::read(f).unwrap();
                (bytes.len(), gzipped(&bytes))
            })
            .max()
            .unwrap()
    };
    let manifest = std::fs::read(site.join("manifest.json")).unwrap();
    println!(
        "{n} certificates: {} files, {total} bytes; publish {seconds:.2} s; largest pdf shard {:?} bytes (raw, gzip), largest id shard {:?}, manifest {} bytes ({} gzip), page {} bytes",
        all.len(),
        largest("pdf"),
        largest("id"),
        manifest.len(),
        gzipped(&manifest),
        std::fs::metadata(site.join("index.html")).unwrap().len()
    );
}

/// The `<!-- recipe: NAME -->` ```sh blocks of docs/verification.md, in the order named.
fn recipe(names: &[&str]) -> String {
    let doc = std::fs::read_to_string(common::repo().join("docs/verification.md")).unwrap();
    let mut script = String::from("set -u\n");
    for name in names {
        let marker = format!("<!-- recipe: {name} -->");
        let rest = &doc[doc
            .find(&marker)
            .unwrap_or_else(|| panic!("no recipe {name}"))..];
        let start = rest.find("```sh\n").unwrap() + "```sh\n".len();
        let end = start + rest[start..].find("\n```").unwrap();
        script.push_str(&rest[start..end]);
        script.push('\n');
    }
    script
}

#[test]
fn an_auditor_checks_the_site_with_standard_tools() {
    let tools = ["bash", "jq", "openssl", "sha256sum"];
    if !tools
        .iter()
        .all(|t| Command::new(t).arg("--version").output().is_ok())
    {
        assert!(
            std::env::var_os("CI").is_none(),
            "{tools:?} are missing in CI"
        );
        eprintln!("SKIPPED: the recipe needs {tools:?}");
        return;
    }
    let offering = Offering::ser2();
    let key = seeded_key(&offering, SEED);
    issued(&offering, &key);
    published(&offering, &key, "site", &[]);
    let site = offering.temp.path().join("site");
    std::fs::copy(
        offering.temp.path().join(public_key(&offering)),
        site.join("provider.pub.pem"),
    )
    .unwrap();
    let script = recipe(&["keyid", "envelope", "site"]);
    let run = |dir: &Path| {
        let output = Command::new("bash")
            .arg("-c")
            .arg(&script)
            .current_dir(dir)
            .output()
            .unwrap();
        common::text(&output)
    };
    let out = run(&site);
    assert!(out.contains("Signature Verified Successfully"), "{out}");
    assert!(
        out.contains("every shard is the one the signed manifest lists"),
        "{out}"
    );

    // One changed shard fails the check.
    let shard = files(&site.join("pdf")).remove(0);
    let mut bytes = std::fs::read(&shard).unwrap();
    let last = bytes.len() - 2;
    bytes[last] ^= 0x01;
    std::fs::write(&shard, bytes).unwrap();
    let out = run(&site);
    assert!(
        !out.contains("every shard is the one the signed manifest lists"),
        "{out}"
    );
    assert!(out.contains("FAILED"), "{out}");
}
