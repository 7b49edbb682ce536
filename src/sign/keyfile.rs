//! Key files: finding the signing key (`--key`, `$CEU_SIGNING_KEY`, the default), reading and
//! writing PKCS#8 PEM private keys with private permissions, publishing public keys and
//! document-signing certificates atomically, and the warning for a key inside git.

use super::keys::{
    CERTIFICATE_SUFFIX, KEY_ENV, KEY_ID_PREFIX, KeyPair, LOCAL_KEY_MARKER, PUBLIC_KEY_SUFFIX,
    PublicKey, SignError,
};
use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey as _, EncodePrivateKey as _};
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

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

/// Publishes `key` in `dir` unless a file for its key id is there already (whatever its
/// formatting: a provider may keep its own copy), as `issue` and `report` do before they sign.
/// Returns the public key's path. Errors: it cannot be written.
pub fn publish_public_key(dir: &Path, key: &PublicKey) -> Result<PathBuf, SignError> {
    let path = public_key_path(dir, key.key_id());
    if path.exists() {
        return Ok(path);
    }
    write_public_key(dir, key)
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
