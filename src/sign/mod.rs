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

mod batch;
mod digest;
mod envelope;
mod keyfile;
mod keys;
mod trust;

pub use batch::{verify_raw, verify_raw_batch};
pub use digest::{sha256, sha256_hex};
pub(crate) use envelope::BATCH_CHUNK;
pub use envelope::{
    Envelope, Opened, open_envelope, open_envelope_as, open_envelopes, pae, parse_envelope,
    sign_envelope, verify_parsed,
};
pub(crate) use keyfile::sync_dir;
pub use keyfile::{
    KeySource, LoadedKey, certificate_path, default_key_path, git_repository_warning,
    load_or_create_local, load_private_key, load_signing_key, public_key_path, publish_public_key,
    resolve_key_path, write_certificate, write_private_key, write_public_key,
};
pub use keys::{
    CERTIFICATE_SUFFIX, KEY_ENV, KEY_ID_PREFIX, KeyPair, LOCAL_KEY_MARKER, PUBLIC_KEY_SUFFIX,
    PublicKey, SignError, key_id,
};
pub use trust::TrustSet;
