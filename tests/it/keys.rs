//! Keys and envelopes: `ceu keygen`, key file permissions and resolution, local keys on a
//! fresh machine, DSSE sign/open, trust sets and batch verification.

use assert_cmd::Command;
use ceu::sign::{self, KeyPair, PublicKey, SignError, TrustSet};
use std::fs;
use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

/// `ceu` with a private config directory and no signing key in the environment.
fn ceu(home: &Path) -> Command {
    let mut cmd = Command::cargo_bin("ceu").unwrap();
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env_remove(sign::KEY_ENV);
    cmd.current_dir(home);
    cmd
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The base64 body of a PEM file, as one string.
fn pem_body(path: &Path) -> String {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("-----") && !l.contains(':') && !l.contains(' '))
        .collect()
}

#[test]
fn keygen_writes_a_private_0600_key_and_a_public_key_and_prints_neither_secret() {
    let home = tempfile::tempdir().unwrap();
    let key_path = home.path().join("secret").join("signing.pem");
    let output = ceu(home.path())
        .args(["keygen", "--key"])
        .arg(&key_path)
        .args(["--public-dir", "records/keys"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();

    assert_eq!(mode(&key_path), 0o600);
    let key = sign::load_private_key(&key_path).unwrap();
    assert!(!key.is_local());
    assert!(stdout.contains(key.key_id()), "{stdout}");
    let public_path = sign::public_key_path(&home.path().join("records/keys"), key.key_id());
    assert!(stdout.contains("records/keys"), "{stdout}");
    assert_eq!(PublicKey::load(&public_path).unwrap(), key.public_key());

    let secret = pem_body(&key_path);
    assert!(secret.len() > 40);
    for chunk in secret.as_bytes().chunks(16) {
        let chunk = std::str::from_utf8(chunk).unwrap();
        assert!(
            !stdout.contains(chunk) && !stderr.contains(chunk),
            "private key material printed"
        );
    }
    assert!(!format!("{key:?}").contains(&secret[..16]));
}

#[test]
fn keygen_refuses_to_overwrite_without_force() {
    let home = tempfile::tempdir().unwrap();
    let key_path = home.path().join("k.pem");
    ceu(home.path())
        .args(["keygen", "--key"])
        .arg(&key_path)
        .assert()
        .success();
    let first = fs::read(&key_path).unwrap();

    let output = ceu(home.path())
        .args(["keygen", "--key"])
        .arg(&key_path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--force"));
    assert_eq!(fs::read(&key_path).unwrap(), first);

    ceu(home.path())
        .args(["keygen", "--force", "--key"])
        .arg(&key_path)
        .assert()
        .success();
    assert_ne!(fs::read(&key_path).unwrap(), first);
    assert_eq!(mode(&key_path), 0o600);
}

#[test]
fn keygen_defaults_to_the_config_directory_and_honours_the_environment() {
    let home = tempfile::tempdir().unwrap();
    ceu(home.path()).arg("keygen").assert().success();
    let default = home.path().join("config/ceu/signing-key.pem");
    assert_eq!(mode(&default), 0o600);
    // The public key and its PDF-signing certificate (see docs/keys.md).
    let mut published: Vec<String> = home
        .path()
        .join("records/keys")
        .read_dir()
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    published.sort();
    assert_eq!(published.len(), 2, "{published:?}");
    assert!(published[0].ends_with(".crt.pem") && published[1].ends_with(".pub.pem"));

    let env_key = home.path().join("from-env.pem");
    ceu(home.path())
        .env(sign::KEY_ENV, &env_key)
        .arg("keygen")
        .assert()
        .success();
    assert!(env_key.is_file());
}

#[test]
fn a_key_readable_by_others_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.pem");
    sign::write_private_key(&path, &KeyPair::generate(), false).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    let error = sign::load_private_key(&path).unwrap_err();
    assert!(matches!(error, SignError::KeyTooOpen { .. }));
    let message = error.to_string();
    assert!(
        message.contains(&format!("chmod 600 {}", path.display())),
        "{message}"
    );
    // Group-readable only is refused too.
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    assert!(sign::load_private_key(&path).is_err());
    fs::set_permissions(&path, fs::Permissions::from_mode(0o400)).unwrap();
    assert!(sign::load_private_key(&path).is_ok());
}

#[test]
fn the_key_flag_wins_over_the_environment() {
    let home = tempfile::tempdir().unwrap();
    let flag = home.path().join("flag.pem");
    let env = home.path().join("env.pem");
    ceu(home.path())
        .env(sign::KEY_ENV, &env)
        .arg("keygen")
        .arg("--key")
        .arg(&flag)
        .assert()
        .success();
    assert!(flag.is_file());
    assert!(!env.exists());
    assert!(!home.path().join("config/ceu/signing-key.pem").exists());
}

#[test]
fn a_missing_key_named_by_flag_explains_keygen() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.pem");
    let error = sign::load_signing_key(Some(&missing), true).unwrap_err();
    let message = error.to_string();
    assert!(message.contains("ceu keygen --key"), "{message}");
    assert!(
        !missing.exists(),
        "never creates a key at a path the user named"
    );
}

#[test]
fn a_local_key_is_created_once_and_marked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config/ceu/signing-key.pem");
    let (key, created) = sign::load_or_create_local(&path).unwrap();
    assert!(created && key.is_local());
    assert_eq!(mode(&path), 0o600);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.starts_with(sign::LOCAL_KEY_MARKER), "{text}");

    let (again, created) = sign::load_or_create_local(&path).unwrap();
    assert!(!created && again.is_local());
    assert_eq!(again.key_id(), key.key_id());
}

#[test]
fn key_id_is_a_hash_of_the_public_key() {
    let key = KeyPair::generate();
    let id = key.key_id();
    assert!(id.starts_with("ed25519:"));
    assert_eq!(id.len(), "ed25519:".len() + 32);
    let raw = key.public_key().verifying_key().to_bytes();
    assert_eq!(&id[8..], &sign::sha256_hex(&raw)[..32]);
}

#[test]
fn envelope_round_trip_and_distinct_errors() {
    let key = KeyPair::generate();
    let trust = TrustSet::new().with(key.public_key());
    let bytes = sign::sign_envelope(&key, "text/plain", b"hello \xff bytes");
    assert!(!bytes.contains(&b'\n'));
    let text = std::str::from_utf8(&bytes).unwrap();
    assert!(
        text.starts_with(r#"{"payloadType":"text/plain","payload":""#),
        "{text}"
    );

    let opened = sign::open_envelope(&bytes, &trust).unwrap();
    assert_eq!(opened.payload, b"hello \xff bytes");
    assert_eq!(opened.payload_type, "text/plain");
    assert_eq!(opened.key_id, key.key_id());

    let stranger = TrustSet::new().with(KeyPair::generate().public_key());
    assert!(matches!(
        sign::open_envelope(&bytes, &stranger),
        Err(SignError::UnknownKey { .. })
    ));

    // Change the payload type: the PAE changes, so the signature no longer matches.
    let retyped = text.replace("text/plain", "text/html");
    assert!(matches!(
        sign::open_envelope(retyped.as_bytes(), &trust),
        Err(SignError::BadSignature { .. })
    ));

    assert!(matches!(
        sign::open_envelope(b"{\"payload\":1}", &trust),
        Err(SignError::Malformed(_))
    ));
    assert!(matches!(
        sign::open_envelope_as(&bytes, "application/json", &trust),
        Err(SignError::WrongPayloadType { .. })
    ));
}

#[test]
fn pae_matches_the_dsse_spec() {
    assert_eq!(
        sign::pae("http://example.com/HelloWorld", b"hello world"),
        b"DSSEv1 29 http://example.com/HelloWorld 11 hello world".to_vec()
    );
}

#[test]
fn batch_opening_reports_each_envelope_in_order() {
    let key = KeyPair::generate();
    let trust = TrustSet::new().with(key.public_key());
    let mut envelopes: Vec<Vec<u8>> = (0..1000)
        .map(|i| sign::sign_envelope(&key, "t", format!("payload {i}").as_bytes()))
        .collect();
    envelopes[700] = sign::sign_envelope(&KeyPair::generate(), "t", b"stranger");
    let text = String::from_utf8(envelopes[300].clone())
        .unwrap()
        .replace("\"t\"", "\"u\"");
    envelopes[300] = text.into_bytes();
    envelopes[5] = b"garbage".to_vec();

    let results = sign::open_envelopes(&envelopes, &trust);
    assert_eq!(results.len(), 1000);
    for (i, result) in results.iter().enumerate() {
        match i {
            5 => assert!(matches!(result, Err(SignError::Malformed(_)))),
            300 => assert!(matches!(result, Err(SignError::BadSignature { .. }))),
            700 => assert!(matches!(result, Err(SignError::UnknownKey { .. }))),
            _ => assert_eq!(
                result.as_ref().unwrap().payload,
                format!("payload {i}").as_bytes()
            ),
        }
    }
}

#[test]
fn trust_from_a_file_or_a_key_id_in_the_keys_folder() {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    let key = KeyPair::generate();
    let public_path = sign::write_public_key(&keys, &key.public_key()).unwrap();

    let by_file = TrustSet::from_args(&[public_path.display().to_string()], &keys).unwrap();
    assert!(by_file.contains(key.key_id()));
    let by_id = TrustSet::from_args(&[key.key_id().to_string()], &keys).unwrap();
    assert!(by_id.contains(key.key_id()));
    let by_hex = TrustSet::from_args(&[key.public_key().hex_id().to_uppercase()], &keys).unwrap();
    assert!(by_hex.contains(key.key_id()));

    let unknown = TrustSet::from_args(&["ed25519:00000000000000000000000000000000".into()], &keys);
    assert!(matches!(unknown, Err(SignError::TrustNotFound { .. })));

    // A key file whose name claims another id is refused, not silently trusted.
    let other = KeyPair::generate();
    let lying = sign::public_key_path(&keys, other.key_id());
    fs::copy(&public_path, &lying).unwrap();
    assert!(matches!(
        TrustSet::from_args(&[other.key_id().to_string()], &keys),
        Err(SignError::KeyIdMismatch { .. })
    ));
}

#[test]
fn a_local_key_always_comes_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("signing-key.pem");
    let (key, created) = sign::load_or_create_local(&path).unwrap();
    let loaded = sign::LoadedKey {
        key,
        path: path.clone(),
        source: sign::KeySource::Default,
        created,
    };
    let warning = loaded.local_key_warning().unwrap();
    assert!(
        warning.contains("LOCAL key") && warning.contains(loaded.key.key_id()),
        "{warning}"
    );

    let again = sign::load_signing_key(Some(&path), false).unwrap();
    assert!(
        again
            .local_key_warning()
            .unwrap()
            .contains("ceu keygen --force")
    );

    let provider = dir.path().join("provider.pem");
    sign::write_private_key(&provider, &KeyPair::generate(), false).unwrap();
    assert!(
        sign::load_signing_key(Some(&provider), false)
            .unwrap()
            .local_key_warning()
            .is_none()
    );
}

#[test]
fn openssl_reads_the_private_key_and_derives_the_published_public_key() {
    if Command::new("openssl").arg("version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "openssl is missing in CI");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for local in [false, true] {
        let path = dir.path().join(format!("key-{local}.pem"));
        let key = if local {
            sign::load_or_create_local(&path).unwrap().0
        } else {
            let key = KeyPair::generate();
            sign::write_private_key(&path, &key, false).unwrap();
            key
        };
        let output = std::process::Command::new("openssl")
            .args(["pkey", "-pubout", "-in"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(
            String::from_utf8(output.stdout).unwrap(),
            key.public_key().to_pem()
        );
    }
}
