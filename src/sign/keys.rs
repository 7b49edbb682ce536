//! Ed25519 key pairs and public keys, their ids, the file-name conventions of a keys folder,
//! and the error type of key and envelope handling.

use super::batch::strict_point;
use ed25519_dalek::pkcs8::DecodePublicKey as _;
use ed25519_dalek::pkcs8::EncodePublicKey as _;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};
use std::fmt;
use std::fs;
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
    pub(super) signing: SigningKey,
    pub(super) key_id: String,
    pub(super) local: bool,
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

    pub(super) fn from_signing_key(signing: SigningKey, local: bool) -> KeyPair {
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

    /// Signs raw bytes (no PAE); use [`super::sign_envelope`] for anything that is published.
    pub(super) fn sign_raw(&self, message: &[u8]) -> Signature {
        self.signing.sign(message)
    }
}

/// An Ed25519 public key with its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    pub(super) key: VerifyingKey,
    pub(super) key_id: String,
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
