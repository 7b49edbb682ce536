//! Ed25519 keys and DSSE signed envelopes.
//!
//! Everything ceu signs (certificate records, ledger entries, checkpoints) is a sequence of
//! exact bytes wrapped in an in-toto DSSE v1 envelope:
//! `{"payloadType":T,"payload":base64(bytes),"signatures":[{"keyid":ID,"sig":base64(sig)}]}`.
//! The signature covers `PAE(T, payload)` =
//! `"DSSEv1 " + len(T) + " " + T + " " + len(payload) + " " + payload`, so a verifier never
//! re-serializes JSON: it decodes the payload bytes and checks the signature over them. An
//! auditor can rebuild the PAE with `printf` and check it with `openssl pkeyutl -rawin`.
//!
//! Keys: a key id is `ed25519:` + hex of the first 16 bytes of SHA-256 over the raw 32-byte
//! public key. The private key is a PKCS#8 PEM file created with mode 0600 and refused when
//! group or others have any permission on it; it never appears in output, errors or `Debug`.
//! Public keys are SPKI PEM files named `<hex id>.pub.pem`, usable by OpenSSL as they are.
//! Verification trusts only the keys in a [`TrustSet`], which holds exactly what the caller
//! names: a key lying next to a ledger is not trusted by being there.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The environment variable that names the signing key file.
pub const KEY_ENV: &str = "CEU_SIGNING_KEY";
/// The explanatory line that marks a key ceu created by itself on a fresh machine.
pub const LOCAL_KEY_MARKER: &str = "ceu-local-key: true";
/// File name suffix of a public key in a keys folder.
pub const PUBLIC_KEY_SUFFIX: &str = ".pub.pem";
/// File name suffix of a document-signing certificate in a keys folder (beside the public
/// key of the same id).
pub const CERTIFICATE_SUFFIX: &str = ".crt.pem";
/// The prefix of every key id.
pub const KEY_ID_PREFIX: &str = "ed25519:";

/// Envelopes per `verify_batch` call: large enough to amortize the multiscalar
/// multiplication, small enough that a bad signature costs little to locate.
pub(crate) const BATCH_CHUNK: usize = 1024;

/// Errors from keys and envelopes. None of them carries private key material.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} already exists; pass --force to replace it")]
    Exists { path: PathBuf },
    #[error(
        "{path} can be accessed by other users (mode {mode:03o}); a signing key must be private: run `chmod 600 {path}`"
    )]
    KeyTooOpen { path: PathBuf, mode: u32 },
    #[error("no signing key at {path} ({source_desc}); create one with `ceu keygen{flag}`")]
    NoKey {
        path: PathBuf,
        source_desc: &'static str,
        flag: String,
    },
    #[error("{path} is not an Ed25519 PKCS#8 PEM private key")]
    BadPrivateKey { path: PathBuf },
    #[error("{what} is not an Ed25519 SPKI PEM public key")]
    BadPublicKey { what: String },
    #[error(
        "cannot find the user's config directory for the default signing key; pass --key FILE or set {KEY_ENV}"
    )]
    NoConfigDir,
    #[error(
        "--trust {value}: not a public key file, nor the id of a key in {dir}{PUBLIC_KEY_SUFFIX}",
        dir = keys_dir.join("<id>").display()
    )]
    TrustNotFound { value: String, keys_dir: PathBuf },
    #[error("{path} holds key {actual}, not {expected} as its name says")]
    KeyIdMismatch {
        path: PathBuf,
        expected: String,
        actual: String,
    },
    #[error("malformed signed envelope: {0}")]
    Malformed(String),
    #[error("signed by key {key_ids}, which is not trusted")]
    UnknownKey { key_ids: String },
    #[error("the signature by key {key_id} does not match the signed bytes")]
    BadSignature { key_id: String },
    #[error("expected payload type {expected}, found {found}")]
    WrongPayloadType { expected: String, found: String },
}

/// The key id of a public key: `ed25519:` + hex(first 16 bytes of SHA-256(raw key)).
pub fn key_id(key: &VerifyingKey) -> String {
    let digest = Sha256::digest(key.as_bytes());
    format!("{KEY_ID_PREFIX}{}", hex::encode(&digest[..16]))
}

/// An Ed25519 signing key with its id. `Debug` shows the id only.
pub struct KeyPair {
    signing: SigningKey,
    key_id: String,
    local: bool,
}

impl fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyPair")
            .field("key_id", &self.key_id)
            .field("local", &self.local)
            .finish_non_exhaustive()
    }
}

impl KeyPair {
    /// A fresh key from the operating system's random source.
    pub fn generate() -> KeyPair {
        let signing = SigningKey::generate(&mut rand_core::OsRng);
        KeyPair::from_signing_key(signing, false)
    }

    fn from_signing_key(signing: SigningKey, local: bool) -> KeyPair {
        let key_id = key_id(&signing.verifying_key());
        KeyPair {
            signing,
            key_id,
            local,
        }
    }

    /// `ed25519:<32 hex digits>`.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// True when ceu created this key by itself on a machine that had none (see docs/keys.md).
    pub fn is_local(&self) -> bool {
        self.local
    }

    pub fn public_key(&self) -> PublicKey {
        PublicKey {
            key: self.signing.verifying_key(),
            key_id: self.key_id.clone(),
        }
    }

    /// A keyed tag (HMAC-SHA-256 under a key derived from the private key) over `parts`,
    /// separated by `domain`: stable for this key, unguessable without it. Used for
    /// certificate ids and verification codes, which must not reveal who holds them.
    pub fn derive_tag(&self, domain: &str, parts: &[&[u8]]) -> [u8; 32] {
        use hmac::Mac;
        let secret = Sha256::new()
            .chain_update(b"ceu tag key v1\0")
            .chain_update(self.signing.to_bytes())
            .finalize();
        let mut mac = <hmac::Hmac<Sha256> as Mac>::new_from_slice(&secret)
            .expect("HMAC takes any key length");
        mac.update(domain.as_bytes());
        for part in parts {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        mac.finalize().into_bytes().into()
    }

    /// Signs raw bytes (no PAE); use [`sign_envelope`] for anything that is published.
    fn sign_raw(&self, message: &[u8]) -> Signature {
        self.signing.sign(message)
    }
}

/// An Ed25519 public key with its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    key: VerifyingKey,
    key_id: String,
}

impl PublicKey {
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The id without the `ed25519:` prefix: the public key file's stem.
    pub fn hex_id(&self) -> &str {
        &self.key_id[KEY_ID_PREFIX.len()..]
    }

    pub fn verifying_key(&self) -> &VerifyingKey {
        &self.key
    }

    /// SPKI PEM, as `openssl pkeyutl -pubin` reads it.
    pub fn to_pem(&self) -> String {
        self.key
            .to_public_key_pem(LineEnding::LF)
            .expect("an Ed25519 public key always encodes")
    }

    /// Parses an SPKI PEM public key; `what` names it in the error.
    pub fn from_pem(pem: &str, what: &str) -> Result<PublicKey, SignError> {
        let key =
            VerifyingKey::from_public_key_pem(pem.trim()).map_err(|_| SignError::BadPublicKey {
                what: what.to_string(),
            })?;
        // A checked once per key (issue 17, item 9): a trusted key is a canonical point of
        // prime order, so no signature can be accepted through a small-order component.
        if strict_point(key.as_bytes()).is_none() {
            return Err(SignError::BadPublicKey {
                what: format!(
                    "{what} (not a canonical Ed25519 point of prime order: a small-order or mixed-order key is refused)"
                ),
            });
        }
        Ok(PublicKey {
            key_id: key_id(&key),
            key,
        })
    }

    pub fn load(path: &Path) -> Result<PublicKey, SignError> {
        let pem = fs::read_to_string(path).map_err(|source| SignError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        PublicKey::from_pem(&pem, &path.display().to_string())
    }
}

/// Where a signing key path came from, so messages can say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySource {
    /// `--key FILE`.
    Flag,
    /// `$CEU_SIGNING_KEY`.
    Env,
    /// `<config dir>/ceu/signing-key.pem`.
    Default,
}

impl KeySource {
    pub fn describe(self) -> &'static str {
        match self {
            KeySource::Flag => "from --key",
            KeySource::Env => "from $CEU_SIGNING_KEY",
            KeySource::Default => "the default location",
        }
    }
}

/// `<config dir>/ceu/signing-key.pem`, outside any repository.
pub fn default_key_path() -> Result<PathBuf, SignError> {
    let dir = dirs::config_dir().ok_or(SignError::NoConfigDir)?;
    Ok(dir.join("ceu").join("signing-key.pem"))
}

/// `--key FILE` > `$CEU_SIGNING_KEY` (a file name) > the default in the config directory.
pub fn resolve_key_path(flag: Option<&Path>) -> Result<(PathBuf, KeySource), SignError> {
    if let Some(path) = flag {
        return Ok((path.to_path_buf(), KeySource::Flag));
    }
    if let Some(value) = std::env::var_os(KEY_ENV).filter(|v| !v.is_empty()) {
        return Ok((PathBuf::from(value), KeySource::Env));
    }
    Ok((default_key_path()?, KeySource::Default))
}

/// A signing key as a command found it.
#[derive(Debug)]
pub struct LoadedKey {
    pub key: KeyPair,
    pub path: PathBuf,
    pub source: KeySource,
    /// True when this call created a local key (fresh machine, default path only).
    pub created: bool,
}

impl LoadedKey {
    /// The warning a signing command must print when the key is a local key (see
    /// docs/keys.md); `None` for a key the user created with `ceu keygen`.
    pub fn local_key_warning(&self) -> Option<String> {
        let id = self.key.key_id();
        let path = self.path.display();
        if self.created {
            Some(format!(
                "warning: no signing key existed, so ceu created a LOCAL key {id} at {path}.\n\
                 warning: everything signed in this run is signed by a key made on this machine; \
                 auditors can verify it only with its public key (records/keys/).\n\
                 warning: for real certificates create the provider key with `ceu keygen --force` \
                 or pass --key FILE (see docs/keys.md)."
            ))
        } else if self.key.is_local() {
            Some(format!(
                "warning: signing with the LOCAL key {id} that ceu created at {path}; create the \
                 provider key with `ceu keygen --force` or pass --key FILE (see docs/keys.md)."
            ))
        } else {
            None
        }
    }
}

/// Finds and loads the signing key (`--key` > `$CEU_SIGNING_KEY` > default). When
/// `create_local` is set and the DEFAULT path holds no key, creates a local key there (see
/// [`load_or_create_local`]); a missing file named by `--key` or the environment is an error.
pub fn load_signing_key(flag: Option<&Path>, create_local: bool) -> Result<LoadedKey, SignError> {
    let (path, source) = resolve_key_path(flag)?;
    if create_local && source == KeySource::Default {
        let (key, created) = load_or_create_local(&path)?;
        return Ok(LoadedKey {
            key,
            path,
            source,
            created,
        });
    }
    if !path.exists() {
        let flag = match source {
            KeySource::Default => String::new(),
            _ => format!(" --key {}", path.display()),
        };
        return Err(SignError::NoKey {
            path,
            source_desc: source.describe(),
            flag,
        });
    }
    let key = load_private_key(&path)?;
    Ok(LoadedKey {
        key,
        path,
        source,
        created: false,
    })
}

/// Loads the key at `path`, or, when there is none, creates a key there marked as a local key
/// (an explanatory `ceu-local-key: true` line before the PEM block, which PEM readers ignore).
/// Returns the key and whether it was created. Only for the default path on a fresh machine:
/// the caller must tell the user loudly that certificates are signed by a local key.
pub fn load_or_create_local(path: &Path) -> Result<(KeyPair, bool), SignError> {
    if path.exists() {
        return Ok((load_private_key(path)?, false));
    }
    let mut key = KeyPair::generate();
    key.local = true;
    match write_private_key(path, &key, false) {
        Ok(()) => Ok((key, true)),
        // Another process created it first: use theirs.
        Err(SignError::Exists { .. }) => Ok((load_private_key(path)?, false)),
        Err(error) => Err(error),
    }
}

/// Writes the private key as PKCS#8 PEM, created with mode 0600 (never widened and narrowed
/// afterwards). Refuses to replace an existing file unless `force`. A key with
/// [`KeyPair::is_local`] set gets the local-key marker.
pub fn write_private_key(path: &Path, key: &KeyPair, force: bool) -> Result<(), SignError> {
    if !force && path.exists() {
        return Err(SignError::Exists {
            path: path.to_path_buf(),
        });
    }
    let dir = parent_dir(path);
    create_private_dir(dir).map_err(|source| SignError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    // PKCS#8 v1 (no embedded public key): OpenSSL 3.0 rejects the v2 form ed25519-dalek
    // writes by default, and providers should be able to use their key with standard tools.
    let v1 = ed25519_dalek::pkcs8::KeypairBytes {
        secret_key: key.signing.to_bytes(),
        public_key: None,
    };
    let pem = v1
        .to_pkcs8_pem(LineEnding::LF)
        .expect("an Ed25519 key always encodes as PKCS#8");
    let mut text = zeroize::Zeroizing::new(String::new());
    if key.local {
        text.push_str(LOCAL_KEY_MARKER);
        text.push_str(
            "\nThis signing key was created by ceu on a machine that had none. Certificates\n\
             signed with it verify only for auditors who trust its public key. Replace it with\n\
             `ceu keygen --force` (or point --key / CEU_SIGNING_KEY at your provider key).\n",
        );
    }
    text.push_str(&pem);
    let write_err = |source| SignError::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".ceu-key-");
    // The mode is given at creation, so the key is never readable by others, not even briefly.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600));
    let mut tmp = builder.tempfile_in(dir).map_err(write_err)?;
    tmp.write_all(text.as_bytes()).map_err(write_err)?;
    tmp.as_file().sync_all().map_err(write_err)?;
    if force {
        tmp.persist(path).map_err(|e| write_err(e.error))?;
    } else {
        // `persist_noclobber` links the file in place and fails if the name exists, so two
        // concurrent creators cannot overwrite each other's key.
        tmp.persist_noclobber(path).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                SignError::Exists {
                    path: path.to_path_buf(),
                }
            } else {
                write_err(e.error)
            }
        })?;
    }
    sync_dir(dir);
    Ok(())
}

/// Loads a PKCS#8 PEM private key, refusing it when group or others have any permission.
pub fn load_private_key(path: &Path) -> Result<KeyPair, SignError> {
    let read_err = |source| SignError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = fs::File::open(path).map_err(read_err)?;
    check_private_mode(path, &file)?;
    let mut text = zeroize::Zeroizing::new(String::new());
    std::io::Read::read_to_string(&mut &file, &mut text).map_err(read_err)?;
    let local = text.lines().any(|line| line.trim() == LOCAL_KEY_MARKER);
    // RFC 7468 allows explanatory text before the encapsulation boundary; the strict parser
    // does not, so it only sees the PEM block.
    let start = text
        .find("-----BEGIN")
        .ok_or_else(|| SignError::BadPrivateKey {
            path: path.to_path_buf(),
        })?;
    let signing = SigningKey::from_pkcs8_pem(text[start..].trim_end()).map_err(|_| {
        SignError::BadPrivateKey {
            path: path.to_path_buf(),
        }
    })?;
    Ok(KeyPair::from_signing_key(signing, local))
}

#[cfg(unix)]
fn check_private_mode(path: &Path, file: &fs::File) -> Result<(), SignError> {
    use std::os::unix::fs::PermissionsExt as _;
    let meta = file.metadata().map_err(|source| SignError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(SignError::KeyTooOpen {
            path: path.to_path_buf(),
            mode,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private_mode(_path: &Path, _file: &fs::File) -> Result<(), SignError> {
    Ok(())
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Makes a rename or new file in `dir` durable. Best effort: not every platform can open a
/// directory for syncing.
pub(crate) fn sync_dir(dir: &Path) {
    if let Ok(handle) = fs::File::open(dir) {
        let _ = handle.sync_all();
    }
}

/// `<dir>/<hex id>.pub.pem`.
pub fn public_key_path(dir: &Path, key_id: &str) -> PathBuf {
    let hex_id = key_id.strip_prefix(KEY_ID_PREFIX).unwrap_or(key_id);
    dir.join(format!("{hex_id}{PUBLIC_KEY_SUFFIX}"))
}

/// Writes `<dir>/<hex id>.pub.pem` (atomically) unless an identical file is there already.
/// Returns its path.
pub fn write_public_key(dir: &Path, key: &PublicKey) -> Result<PathBuf, SignError> {
    let path = public_key_path(dir, key.key_id());
    write_published(dir, path, &key.to_pem())
}

/// `<dir>/<hex id>.crt.pem`: the provider's document-signing certificate (see `cades`).
pub fn certificate_path(dir: &Path, key_id: &str) -> PathBuf {
    let hex_id = key_id.strip_prefix(KEY_ID_PREFIX).unwrap_or(key_id);
    dir.join(format!("{hex_id}{CERTIFICATE_SUFFIX}"))
}

/// Writes the document-signing certificate PEM of `key` to [`certificate_path`] (atomically)
/// unless an identical file is there already. Returns its path.
pub fn write_certificate(
    dir: &Path,
    key_id: &str,
    certificate_pem: &str,
) -> Result<PathBuf, SignError> {
    write_published(dir, certificate_path(dir, key_id), certificate_pem)
}

/// Writes a public file (key or certificate) atomically unless it already holds `text`.
fn write_published(dir: &Path, path: PathBuf, text: &str) -> Result<PathBuf, SignError> {
    if fs::read_to_string(&path).is_ok_and(|existing| existing == text) {
        return Ok(path);
    }
    let pem = text;
    let write_err = |source| SignError::Write {
        path: path.clone(),
        source,
    };
    fs::create_dir_all(dir).map_err(write_err)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".ceu-pub-");
    // Published: readable by everyone (temporary files default to 0600).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut tmp = builder.tempfile_in(dir).map_err(write_err)?;
    tmp.write_all(pem.as_bytes()).map_err(write_err)?;
    tmp.as_file().sync_all().map_err(write_err)?;
    tmp.persist(&path).map_err(|e| write_err(e.error))?;
    sync_dir(dir);
    Ok(path)
}

/// The warning for a private key that lies inside a git work tree (the nearest ancestor
/// folder holding `.git`), where a commit would publish it; `None` elsewhere. `keygen`, `issue`
/// and `revoke` print it.
pub fn git_repository_warning(private_key: &Path) -> Option<String> {
    let absolute = std::path::absolute(private_key).ok()?;
    let repo = absolute
        .ancestors()
        .skip(1)
        .find(|dir| dir.join(".git").exists())?;
    Some(format!(
        "warning: the private key is inside the git repository {}; keep it out of version control (move it and pass --key, or set CEU_SIGNING_KEY)",
        repo.display()
    ))
}

/// The public keys a verifier trusts, by key id. Holds exactly what the caller put in.
#[derive(Debug, Clone, Default)]
pub struct TrustSet {
    keys: BTreeMap<String, VerifyingKey>,
}

impl TrustSet {
    pub fn new() -> TrustSet {
        TrustSet::default()
    }

    pub fn insert(&mut self, key: PublicKey) {
        self.keys.insert(key.key_id, key.key);
    }

    pub fn with(mut self, key: PublicKey) -> TrustSet {
        self.insert(key);
        self
    }

    /// Builds the set from `--trust` values: each is a public key file, or a key id
    /// (`ed25519:<hex>` or just the hex) of a key in `keys_dir`.
    pub fn from_args(values: &[String], keys_dir: &Path) -> Result<TrustSet, SignError> {
        let mut set = TrustSet::new();
        for value in values {
            set.insert(resolve_trust(value, keys_dir)?);
        }
        Ok(set)
    }

    /// Every `*.pub.pem` in `dir` (none when the folder does not exist). This is NOT a trust
    /// decision by itself: a caller that uses it must say that it trusts whatever lies there.
    pub fn from_dir(dir: &Path) -> Result<TrustSet, SignError> {
        let mut set = TrustSet::new();
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(set),
            Err(source) => {
                return Err(SignError::Read {
                    path: dir.to_path_buf(),
                    source,
                });
            }
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.ends_with(PUBLIC_KEY_SUFFIX))
            })
            .collect();
        paths.sort();
        for path in paths {
            set.insert(load_named_public_key(&path)?);
        }
        Ok(set)
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn contains(&self, key_id: &str) -> bool {
        self.keys.contains_key(key_id)
    }

    pub fn key_ids(&self) -> impl Iterator<Item = &str> {
        self.keys.keys().map(String::as_str)
    }

    pub fn get(&self, key_id: &str) -> Option<&VerifyingKey> {
        self.keys.get(key_id)
    }
}

fn resolve_trust(value: &str, keys_dir: &Path) -> Result<PublicKey, SignError> {
    let as_path = Path::new(value);
    if as_path.is_file() {
        return PublicKey::load(as_path);
    }
    let hex_id = value
        .strip_prefix(KEY_ID_PREFIX)
        .unwrap_or(value)
        .to_ascii_lowercase();
    if hex_id.len() == 32 && hex_id.bytes().all(|b| b.is_ascii_hexdigit()) {
        let path = public_key_path(keys_dir, &hex_id);
        if path.is_file() {
            return load_named_public_key(&path);
        }
    }
    Err(SignError::TrustNotFound {
        value: value.to_string(),
        keys_dir: keys_dir.to_path_buf(),
    })
}

/// Loads `<hex id>.pub.pem` and checks that the key inside has that id.
fn load_named_public_key(path: &Path) -> Result<PublicKey, SignError> {
    let key = PublicKey::load(path)?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let expected_hex = name.strip_suffix(PUBLIC_KEY_SUFFIX).unwrap_or(name);
    if expected_hex != key.hex_id() {
        return Err(SignError::KeyIdMismatch {
            path: path.to_path_buf(),
            expected: format!("{KEY_ID_PREFIX}{expected_hex}"),
            actual: key.key_id.clone(),
        });
    }
    Ok(key)
}

/// DSSE pre-authentication encoding: what the signature actually covers.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload_type.len() + payload.len() + 32);
    pae_parts(payload_type, payload, |part| out.extend_from_slice(part));
    out
}

/// The bytes of [`pae`], handed over in pieces (to hash them without copying the payload).
fn pae_parts(payload_type: &str, payload: &[u8], mut put: impl FnMut(&[u8])) {
    put(b"DSSEv1 ");
    put(payload_type.len().to_string().as_bytes());
    put(b" ");
    put(payload_type.as_bytes());
    put(b" ");
    put(payload.len().to_string().as_bytes());
    put(b" ");
    put(payload);
}

#[derive(Serialize)]
struct EnvelopeOut<'a> {
    #[serde(rename = "payloadType")]
    payload_type: &'a str,
    payload: String,
    signatures: [SignatureOut<'a>; 1],
}

#[derive(Serialize)]
struct SignatureOut<'a> {
    keyid: &'a str,
    sig: String,
}

#[derive(Deserialize)]
struct EnvelopeIn<'a> {
    #[serde(rename = "payloadType", borrow)]
    payload_type: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    payload: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    signatures: Vec<SignatureIn<'a>>,
}

#[derive(Deserialize)]
struct SignatureIn<'a> {
    #[serde(default, borrow)]
    keyid: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    sig: std::borrow::Cow<'a, str>,
}

/// Signs `payload` and returns the exact envelope bytes: one line of JSON, no trailing newline.
pub fn sign_envelope(key: &KeyPair, payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let signature = key.sign_raw(&pae(payload_type, payload));
    let envelope = EnvelopeOut {
        payload_type,
        payload: BASE64.encode(payload),
        signatures: [SignatureOut {
            keyid: &key.key_id,
            sig: BASE64.encode(signature.to_bytes()),
        }],
    };
    serde_json::to_vec(&envelope).expect("an envelope always serializes")
}

/// An envelope's decoded parts, before any signature check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    pub payload_type: String,
    pub payload: Vec<u8>,
    /// `(key id, signature)` pairs in envelope order.
    pub signatures: Vec<(String, Signature)>,
}

/// Parses an envelope without checking anything but its shape. Use [`open_envelope`] to trust
/// its contents.
pub fn parse_envelope(bytes: &[u8]) -> Result<Envelope, SignError> {
    let raw: EnvelopeIn<'_> =
        serde_json::from_slice(bytes).map_err(|e| SignError::Malformed(e.to_string()))?;
    let payload = BASE64
        .decode(raw.payload.as_bytes())
        .map_err(|e| SignError::Malformed(format!("payload is not base64: {e}")))?;
    if raw.signatures.is_empty() {
        return Err(SignError::Malformed("no signatures".to_string()));
    }
    let mut signatures = Vec::with_capacity(raw.signatures.len());
    for sig in raw.signatures {
        let bytes = BASE64
            .decode(sig.sig.as_bytes())
            .map_err(|e| SignError::Malformed(format!("signature is not base64: {e}")))?;
        let bytes: [u8; 64] = bytes
            .try_into()
            .map_err(|_| SignError::Malformed("an Ed25519 signature is 64 bytes".to_string()))?;
        signatures.push((sig.keyid.into_owned(), Signature::from_bytes(&bytes)));
    }
    Ok(Envelope {
        payload_type: raw.payload_type.into_owned(),
        payload,
        signatures,
    })
}

/// A verified envelope's contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub payload_type: String,
    pub payload: Vec<u8>,
    /// The trusted key whose signature verified.
    pub key_id: String,
}

impl Envelope {
    /// The first signature by a trusted key, or why there is none.
    fn trusted_signature<'t>(
        &self,
        trust: &'t TrustSet,
    ) -> Result<(&str, &Signature, &'t VerifyingKey), SignError> {
        self.signatures
            .iter()
            .find_map(|(id, sig)| trust.get(id).map(|key| (id.as_str(), sig, key)))
            .ok_or_else(|| self.unknown_key())
    }

    fn unknown_key(&self) -> SignError {
        let ids: Vec<&str> = self.signatures.iter().map(|(id, _)| id.as_str()).collect();
        SignError::UnknownKey {
            key_ids: ids.join(", "),
        }
    }

    /// Verifies against the trusted keys. Signatures by keys outside `trust` are ignored; the
    /// envelope opens when one trusted key's signature verifies.
    pub fn verify(self, trust: &TrustSet) -> Result<Opened, SignError> {
        let message = pae(&self.payload_type, &self.payload);
        let mut last_error = None;
        for (id, sig) in &self.signatures {
            let Some(key) = trust.get(id) else { continue };
            if verify_one(key, &message, sig) {
                let key_id = id.clone();
                return Ok(Opened {
                    payload_type: self.payload_type,
                    payload: self.payload,
                    key_id,
                });
            }
            last_error = Some(SignError::BadSignature { key_id: id.clone() });
        }
        match last_error {
            Some(error) => Err(error),
            None => Err(self.unknown_key()),
        }
    }
}

/// Parses and verifies an envelope against trusted keys only. Errors: [`SignError::Malformed`],
/// [`SignError::UnknownKey`] (no signature by a trusted key), [`SignError::BadSignature`].
pub fn open_envelope(bytes: &[u8], trust: &TrustSet) -> Result<Opened, SignError> {
    parse_envelope(bytes)?.verify(trust)
}

/// Like [`open_envelope`], and also requires the payload type.
pub fn open_envelope_as(
    bytes: &[u8],
    payload_type: &str,
    trust: &TrustSet,
) -> Result<Opened, SignError> {
    let opened = open_envelope(bytes, trust)?;
    if opened.payload_type != payload_type {
        return Err(SignError::WrongPayloadType {
            expected: payload_type.to_string(),
            found: opened.payload_type,
        });
    }
    Ok(opened)
}

/// Opens many envelopes at once: parsing on every core, signatures checked with Ed25519 batch
/// verification in chunks; a chunk that fails is re-checked one by one to say which failed.
/// Results are in input order.
pub fn open_envelopes<B: AsRef<[u8]> + Sync>(
    envelopes: &[B],
    trust: &TrustSet,
) -> Vec<Result<Opened, SignError>> {
    let parsed: Vec<Result<Envelope, SignError>> = envelopes
        .par_iter()
        .map(|bytes| parse_envelope(bytes.as_ref()))
        .collect();
    verify_parsed(parsed, trust)
}

/// Batch-verifies already parsed envelopes (see [`open_envelopes`]).
pub fn verify_parsed(
    parsed: Vec<Result<Envelope, SignError>>,
    trust: &TrustSet,
) -> Vec<Result<Opened, SignError>> {
    let mut parsed = parsed;
    let chunks: Vec<Vec<Result<Opened, SignError>>> = parsed
        .par_chunks_mut(BATCH_CHUNK)
        .map(|chunk| verify_chunk(chunk, trust))
        .collect();
    chunks.into_iter().flatten().collect()
}

fn verify_chunk(
    chunk: &mut [Result<Envelope, SignError>],
    trust: &TrustSet,
) -> Vec<Result<Opened, SignError>> {
    // Batch only the envelopes that parsed and name a trusted key; the rest fail on their own.
    let mut batch: Vec<(&Envelope, &Signature, &VerifyingKey)> = Vec::with_capacity(chunk.len());
    let mut all_candidates = true;
    for item in chunk.iter() {
        match item {
            Ok(envelope) => match envelope.trusted_signature(trust) {
                Ok((_, sig, key)) => batch.push((envelope, sig, key)),
                Err(_) => all_candidates = false,
            },
            Err(_) => all_candidates = false,
        }
    }
    let one_key = batch
        .first()
        .map(|&(_, _, key)| key)
        .filter(|&key| batch.iter().all(|&(_, _, k)| k == key));
    let batch_ok = all_candidates
        && !batch.is_empty()
        && match one_key {
            Some(key) => verify_batch_one_key(key, &batch),
            None => {
                let messages: Vec<Vec<u8>> = batch
                    .iter()
                    .map(|(envelope, _, _)| pae(&envelope.payload_type, &envelope.payload))
                    .collect();
                let message_refs: Vec<&[u8]> = messages.iter().map(Vec::as_slice).collect();
                let signatures: Vec<Signature> = batch.iter().map(|(_, sig, _)| **sig).collect();
                let keys: Vec<VerifyingKey> = batch.iter().map(|(_, _, key)| **key).collect();
                // Trusted keys passed `strict_point` when loaded; R must too (see
                // `batch_one_key`).
                signatures
                    .iter()
                    .all(|sig| strict_point(sig.r_bytes()).is_some())
                    && ed25519_dalek::verify_batch(&message_refs, &signatures, &keys).is_ok()
            }
        };
    chunk
        .iter_mut()
        .map(|item| {
            let taken = std::mem::replace(item, Err(SignError::Malformed(String::new())));
            match taken {
                Err(error) => Err(error),
                Ok(envelope) if batch_ok => {
                    let (key_id, _, _) = envelope.trusted_signature(trust).expect("batched");
                    let key_id = key_id.to_string();
                    Ok(Opened {
                        payload_type: envelope.payload_type,
                        payload: envelope.payload,
                        key_id,
                    })
                }
                Ok(envelope) => envelope.verify(trust),
            }
        })
        .collect()
}

/// The one rule by which ceu accepts an Ed25519 signature, on every path (single, batch,
/// ledger, record, checkpoint), and never more than OpenSSL 3 or WebCrypto accept (issue 17,
/// item 9; test vectors and verdicts in docs/verification.md):
/// - `A` and `R` are canonical encodings (`y < p`, re-encoding gives the same bytes) of
///   points of prime order: small-order and mixed-order points are refused (`A` once, when a
///   key is trusted; `R` for every signature);
/// - `s` is canonical (`s < l`);
/// - the cofactorless equation `[s]B = R + [k]A`, `k = SHA-512(R ‖ A ‖ M)` holds.
///
/// With every point of prime order, the cofactorless and cofactored equations agree, and so do
/// single and randomized batch verification: the batch is only a faster way to reach the same
/// verdict.
///
/// `key` must already have passed [`strict_point`] (every [`PublicKey`] read from a file has).
pub(crate) fn verify_one(key: &VerifyingKey, message: &[u8], signature: &Signature) -> bool {
    strict_point(signature.r_bytes()).is_some() && key.verify_strict(message, signature).is_ok()
}

/// The point a 32-byte encoding names, when the encoding is canonical and the point has prime
/// order (not of small order, no torsion component); `None` otherwise.
fn strict_point(bytes: &[u8; 32]) -> Option<curve25519_dalek::edwards::EdwardsPoint> {
    use curve25519_dalek::edwards::CompressedEdwardsY;
    let point = CompressedEdwardsY(*bytes).decompress()?;
    (point.compress().as_bytes() == bytes && !point.is_small_order() && point.is_torsion_free())
        .then_some(point)
}

/// [`verify_one`] on raw bytes (a 32-byte public key, a 64-byte signature), for test vectors
/// and other tools.
pub fn verify_raw(public_key: &[u8; 32], message: &[u8], signature: &[u8; 64]) -> bool {
    let Ok(key) = VerifyingKey::from_bytes(public_key) else {
        return false;
    };
    strict_point(public_key).is_some()
        && verify_one(&key, message, &Signature::from_bytes(signature))
}

/// The batch path on raw bytes: `true` only when every signature verifies by one key. Accepts
/// exactly what [`verify_raw`] accepts for each (with overwhelming probability).
pub fn verify_raw_batch(public_key: &[u8; 32], items: &[(&[u8], [u8; 64])]) -> bool {
    let Ok(key) = VerifyingKey::from_bytes(public_key) else {
        return false;
    };
    let signatures: Vec<Signature> = items
        .iter()
        .map(|(_, s)| Signature::from_bytes(s))
        .collect();
    batch_one_key(&key, &signatures, |i, hash| hash.update(items[i].0))
}

/// Batch verification of signatures that one key made (a ledger is normally signed by one
/// provider key), over envelopes: see [`batch_one_key`].
fn verify_batch_one_key(
    key: &VerifyingKey,
    batch: &[(&Envelope, &Signature, &VerifyingKey)],
) -> bool {
    let signatures: Vec<Signature> = batch.iter().map(|(_, sig, _)| **sig).collect();
    batch_one_key(key, &signatures, |i, hash| {
        let envelope = batch[i].0;
        pae_parts(&envelope.payload_type, &envelope.payload, |part| {
            hash.update(part)
        })
    })
}

/// The randomized batch check `(-Σ zᵢsᵢ)·B + Σ zᵢ·Rᵢ + (Σ zᵢkᵢ)·A = 0` with random 128-bit `zᵢ`
/// and `kᵢ = SHA-512(Rᵢ ‖ A ‖ Mᵢ)` (`message(i, hash)` feeds Mᵢ). With one key the `A` terms
/// sum into one scalar: n + 2 points in the multiscalar multiplication instead of 2n + 1.
/// Every `A` and `Rᵢ` must pass [`strict_point`] first — without that, a torsion component of
/// `Rᵢ` vanishes for the `zᵢ` that are multiples of its order (half of them for order 2), and
/// the batch would accept on some runs what single verification refuses. `false` means "not
/// all verify" (the caller then verifies one by one to name the bad signature).
#[allow(non_snake_case)] // B, A, R as in the Ed25519 papers.
fn batch_one_key(
    key: &VerifyingKey,
    signatures: &[Signature],
    message: impl Fn(usize, &mut sha2::Sha512),
) -> bool {
    use curve25519_dalek::constants::ED25519_BASEPOINT_POINT;
    use curve25519_dalek::edwards::EdwardsPoint;
    use curve25519_dalek::scalar::Scalar;
    use curve25519_dalek::traits::{IsIdentity as _, VartimeMultiscalarMul as _};
    use rand_core::RngCore as _;

    let Some(A) = strict_point(key.as_bytes()) else {
        return false;
    };
    let mut random = vec![0u8; 16 * signatures.len()];
    if rand_core::OsRng.try_fill_bytes(&mut random).is_err() {
        return false;
    }
    let mut scalars = Vec::with_capacity(signatures.len() + 2);
    let mut points = Vec::with_capacity(signatures.len() + 2);
    let (mut b_coefficient, mut a_coefficient) = (Scalar::ZERO, Scalar::ZERO);
    for (i, (signature, z)) in signatures.iter().zip(random.chunks_exact(16)).enumerate() {
        let Some(s) = Option::<Scalar>::from(Scalar::from_canonical_bytes(*signature.s_bytes()))
        else {
            return false;
        };
        let Some(R) = strict_point(signature.r_bytes()) else {
            return false;
        };
        let mut hram = sha2::Sha512::new();
        hram.update(signature.r_bytes());
        hram.update(key.as_bytes());
        message(i, &mut hram);
        let k = Scalar::from_hash(hram);
        let mut z_bytes = [0u8; 32];
        z_bytes[..16].copy_from_slice(z);
        let z = Scalar::from_bytes_mod_order(z_bytes);
        b_coefficient += z * s;
        a_coefficient += z * k;
        scalars.push(z);
        points.push(R);
    }
    scalars.push(-b_coefficient);
    points.push(ED25519_BASEPOINT_POINT);
    scalars.push(a_coefficient);
    points.push(A);
    EdwardsPoint::vartime_multiscalar_mul(scalars, points).is_identity()
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(sha256(bytes))
}

/// SHA-256 of `bytes`, for the hashes over whole files (PDFs, ledger lines). ring's
/// assembly runs about twice as fast as the `sha2` crate's portable code on CPUs without the
/// SHA extensions (measured here: ~380 vs ~170 MB/s), and hashing PDFs is most of `ceu verify`.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    let mut out = [0u8; 32];
    out.copy_from_slice(digest.as_ref());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelopes(key: &KeyPair, n: usize) -> Vec<Envelope> {
        (0..n)
            .map(|i| {
                let payload = format!("{{\"seq\":{i},\"text\":\"{}\"}}", "x".repeat(i % 7));
                parse_envelope(&sign_envelope(key, "application/test", payload.as_bytes())).unwrap()
            })
            .collect()
    }

    fn one_key_batch(envelopes: &[Envelope], trust: &TrustSet) -> bool {
        let batch: Vec<(&Envelope, &Signature, &VerifyingKey)> = envelopes
            .iter()
            .map(|e| {
                let (_, sig, key) = e.trusted_signature(trust).unwrap();
                (e, sig, key)
            })
            .collect();
        verify_batch_one_key(batch[0].2, &batch)
    }

    /// The one-key batch accepts exactly what one-by-one verification accepts: every
    /// signature good, or any single signature or message altered.
    #[test]
    fn one_key_batch_agrees_with_verifying_one_by_one() {
        let key = KeyPair::generate();
        let trust = TrustSet::new().with(key.public_key());
        let good = envelopes(&key, 40);
        assert!(one_key_batch(&good, &trust));
        assert!(good.iter().all(|e| e.clone().verify(&trust).is_ok()));

        for victim in [0, 17, 39] {
            let mut altered = good.clone();
            altered[victim].payload[2] ^= 1;
            assert!(altered[victim].clone().verify(&trust).is_err());
            assert!(!one_key_batch(&altered, &trust), "payload {victim}");

            let mut altered = good.clone();
            let (_, signature) = &mut altered[victim].signatures[0];
            let mut bytes = signature.to_bytes();
            bytes[40] ^= 1; // in s
            *signature = Signature::from_bytes(&bytes);
            assert!(altered[victim].clone().verify(&trust).is_err());
            assert!(!one_key_batch(&altered, &trust), "signature {victim}");
        }

        // Two good signatures swapped between their messages.
        let mut swapped = good.clone();
        let first = swapped[3].signatures[0].1;
        swapped[3].signatures[0].1 = swapped[4].signatures[0].1;
        swapped[4].signatures[0].1 = first;
        assert!(!one_key_batch(&swapped, &trust));
    }
}
