//! The set of public keys a verifier trusts: exactly the keys the caller names (`--trust`
//! files or ids), never a key because it lies beside a ledger.

use super::keyfile::public_key_path;
use super::keys::{KEY_ID_PREFIX, PUBLIC_KEY_SUFFIX, PublicKey, SignError};
use ed25519_dalek::VerifyingKey;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The public keys a verifier trusts, by key id. Holds exactly what the caller put in.
#[derive(Debug, Clone, Default)]
pub struct TrustSet {
    keys: BTreeMap<String, VerifyingKey>,
}

impl TrustSet {
    /// An empty set: nothing is trusted.
    pub fn new() -> TrustSet {
        TrustSet::default()
    }

    /// Trusts `key` (by its key id).
    pub fn insert(&mut self, key: PublicKey) {
        self.keys.insert(key.key_id, key.key);
    }

    /// The set with `key` trusted too.
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

    /// The trusted key with this id (`ed25519:<32 hex digits>`).
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
