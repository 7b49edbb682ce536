//! `ceu keygen`: creates an Ed25519 signing key pair. The private key goes outside the
//! repository (the config directory by default) with mode 0600; the public key goes to
//! `records/keys/<hex id>.pub.pem` where verifiers find it. Only the key id and the paths are
//! printed, never the key. The key's PDF-signing certificate (derived from it, see `cades`) is
//! published beside the public key as `<hex id>.crt.pem`.

use crate::cli::KeygenArgs;
use crate::exit::Exit;
use crate::sign::{self, KeyPair, SignError};
use anyhow::Context as _;

pub fn run(args: &KeygenArgs) -> anyhow::Result<Exit> {
    let (key_path, source) = sign::resolve_key_path(args.key.as_deref())?;
    let key = KeyPair::generate();
    match sign::write_private_key(&key_path, &key, args.force) {
        Ok(()) => {}
        Err(SignError::Exists { path }) => anyhow::bail!(
            "a signing key already exists at {} ({}); pass --force to replace it (certificates \
             signed with the old key keep verifying only while its public key stays in records/keys)",
            path.display(),
            source.describe()
        ),
        Err(error) => return Err(error.into()),
    }
    let public_dir = args
        .public_dir
        .clone()
        .unwrap_or_else(|| crate::paths::keys(&crate::paths::root_from_current_dir()));
    let public_path = sign::write_public_key(&public_dir, &key.public_key())
        .with_context(|| format!("the private key was written to {}", key_path.display()))?;
    let (certificate_path, fingerprint) = crate::cades::publish_certificate(&key, &public_dir)
        .with_context(|| format!("the private key was written to {}", key_path.display()))?;
    crate::outln!("key id:      {}", key.key_id());
    crate::outln!(
        "private key: {} ({}, mode 0600)",
        key_path.display(),
        source.describe()
    );
    crate::outln!("public key:  {}", public_path.display());
    crate::outln!(
        "PDF signing certificate: {} (SHA-256 {})",
        certificate_path.display(),
        crate::cades::colon_fingerprint(&fingerprint)
    );
    if let Some(warning) = crate::sign::git_repository_warning(&key_path) {
        eprintln!("{warning}");
    }
    Ok(Exit::Ok)
}
