//! Holder facts (`--holder-facts`): read from the signed record inside each issued PDF, sealed
//! with AES-256-GCM under a key derived (PBKDF2-HMAC-SHA-256) from the printed verification
//! code, reused from the previous run when unchanged.

use super::*;

/// The holder facts sealed under the verification code.
#[derive(Debug, Serialize)]
pub struct HolderFacts {
    pub holder: String,
    pub title: String,
    pub offering: String,
    pub dates: String,
    pub hours: String,
    pub credit: Vec<String>,
}

/// Reads the holder facts of an issued certificate from its PDF in the offering's output
/// folder (`<records>/<offering>/certificates/<file>`): only from the exact issued bytes, and
/// only from a record signed by a trusted key.
pub fn read_facts(records: &Path, fields: &IssueFields, trust: &TrustSet) -> Option<HolderFacts> {
    let path = records
        .join(&fields.offering_id)
        .join("certificates")
        .join(&fields.pdf_file);
    let pdf = std::fs::read(path).ok()?;
    if sign::sha256_hex(&pdf) != fields.pdf_sha256 {
        return None;
    }
    let envelope = crate::render::extract_attachment(&pdf)?;
    let opened = sign::open_envelope_as(&envelope, RECORD_PAYLOAD_TYPE, trust).ok()?;
    let record: CertificateRecord = serde_json::from_slice(&opened.payload).ok()?;
    let c = record.certificate;
    let mut holder = c.holder.name;
    if !c.holder.credential.is_empty() {
        holder.push_str(", ");
        holder.push_str(&c.holder.credential);
    }
    Some(HolderFacts {
        holder,
        title: c.offering.title,
        offering: c.offering.id,
        dates: c.offering.dates,
        hours: c.instructional_hours,
        credit: c
            .credits
            .iter()
            .map(|block| format!("{}: {}", block.body, block.lines.join("; ")))
            .collect(),
    })
}

/// Seals `facts` for `full_id` under `code`: base64 of nonce (12 bytes) ‖ AES-256-GCM
/// ciphertext and tag, the key PBKDF2-HMAC-SHA-256(code, SALT_PREFIX ‖ full id, iterations),
/// the full id as associated data. The nonce is a keyed hash of id and facts, so the same
/// ledger and key publish the same bytes (and each AES key seals one message anyway).
pub(super) fn seal(
    key: &KeyPair,
    full_id: &str,
    code: &str,
    iterations: u32,
    plain: &[u8],
) -> String {
    use ring::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
    let mut aes = [0u8; 32];
    ring::pbkdf2::derive(
        ring::pbkdf2::PBKDF2_HMAC_SHA256,
        std::num::NonZeroU32::new(iterations.max(1)).expect("at least one iteration"),
        format!("{SALT_PREFIX}{full_id}").as_bytes(),
        code::normalize(code).as_bytes(),
        &mut aes,
    );
    let tag = key.derive_tag(
        "ceu publish holder facts nonce",
        &[full_id.as_bytes(), plain],
    );
    let mut nonce = [0u8; 12];
    nonce.copy_from_slice(&tag[..12]);
    let sealing = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &aes).expect("a 32-byte key"));
    let mut sealed = plain.to_vec();
    sealing
        .seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(full_id.as_bytes()),
            &mut sealed,
        )
        .expect("AES-GCM seals any message this size");
    let mut out = nonce.to_vec();
    out.extend_from_slice(&sealed);
    base64::engine::general_purpose::STANDARD.encode(out)
}

/// Opens what [`seal`] sealed (for `ceu` itself and tests; the page does the same in
/// WebCrypto). `None` when the code is wrong or the blob was altered.
pub fn open_sealed(full_id: &str, code: &str, iterations: u32, sealed: &str) -> Option<Vec<u8>> {
    use ring::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
    let blob = base64::engine::general_purpose::STANDARD
        .decode(sealed)
        .ok()?;
    if blob.len() < 12 + 16 {
        return None;
    }
    let mut aes = [0u8; 32];
    ring::pbkdf2::derive(
        ring::pbkdf2::PBKDF2_HMAC_SHA256,
        std::num::NonZeroU32::new(iterations.max(1))?,
        format!("{SALT_PREFIX}{full_id}").as_bytes(),
        code::normalize(code).as_bytes(),
        &mut aes,
    );
    let opening = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &aes).ok()?);
    let nonce = Nonce::try_assume_unique_for_key(&blob[..12]).ok()?;
    let mut data = blob[12..].to_vec();
    let plain = opening
        .open_in_place(nonce, Aad::from(full_id.as_bytes()), &mut data)
        .ok()?;
    Some(plain.to_vec())
}

/// The sealed facts of the site already in `dir`, by full certificate id, when its manifest is
/// signed by `key` and sealed with `iterations`: a revision's facts never change (its record
/// is signed), so a re-run seals only what is new.
pub(super) fn previous_sealed(
    dir: &Path,
    key: &KeyPair,
    iterations: u32,
) -> HashMap<String, String> {
    let mut found = HashMap::new();
    let Ok(bytes) = std::fs::read(dir.join("manifest.json")) else {
        return found;
    };
    let trust = TrustSet::new().with(key.public_key());
    let Ok(opened) = sign::open_envelope_as(&bytes, MANIFEST_TYPE, &trust) else {
        return found;
    };
    let Ok(manifest) = serde_json::from_slice::<Manifest>(&opened.payload) else {
        return found;
    };
    if manifest
        .holder_facts
        .as_ref()
        .is_none_or(|kdf| kdf.iterations != iterations || kdf.salt_prefix != SALT_PREFIX)
    {
        return found;
    }
    for (prefix, sha256) in manifest.shards.get("id").into_iter().flatten() {
        let Ok(bytes) = std::fs::read(dir.join(shard_file("id", prefix, sha256))) else {
            continue;
        };
        if sign::sha256_hex(&bytes) != *sha256 {
            continue;
        }
        let Ok(records) = serde_json::from_slice::<BTreeMap<String, IdRecord>>(&bytes) else {
            continue;
        };
        // Keyed by the hash of the id; the caller looks up by (hash, revision).
        for (hash, record) in records {
            for (revision, entry) in record.revisions {
                if let Some(sealed) = entry.sealed {
                    found.insert(format!("{hash}/{revision}"), sealed);
                }
            }
        }
    }
    found
}

/// The holder facts of each issued revision, sealed under its verification code
/// (`--holder-facts`), reusing what the previous run sealed; `None` for each without facts
/// (and for all when holder facts are not published).
pub(super) fn seal_all(
    dir: &Path,
    records: &Path,
    issued: &[&IssueFields],
    key: &KeyPair,
    trust: &TrustSet,
    options: &Options,
    summary: &mut Summary,
) -> Vec<Option<String>> {
    let previous = match options.holder_facts {
        Some(iterations) => previous_sealed(dir, key, iterations),
        _ => HashMap::new(),
    };
    // Seal what is new, in parallel (PBKDF2 is the cost).
    match options.holder_facts {
        None => vec![None; issued.len()],
        Some(iterations) => issued
            .par_iter()
            .map(|fields| {
                let cached = format!(
                    "{}/{}",
                    sign::sha256_hex(fields.cert_id.as_bytes()),
                    fields.revision
                );
                if let Some(sealed) = previous.get(&cached) {
                    return Some((sealed.clone(), false));
                }
                let facts = read_facts(records, fields, trust)?;
                let full = crate::ledger::full_cert_id(&fields.cert_id, fields.revision);
                let plain = serde_json::to_vec(&facts).expect("facts serialize");
                Some((
                    seal(key, &full, &fields.verification_code, iterations, &plain),
                    true,
                ))
            })
            .collect::<Vec<_>>()
            .into_iter()
            .zip(issued)
            .map(|(result, fields)| match result {
                Some((sealed, fresh)) => {
                    if fresh {
                        summary.sealed += 1;
                    } else {
                        summary.reused += 1;
                    }
                    Some(sealed)
                }
                None => {
                    summary.without_facts.push(crate::ledger::full_cert_id(
                        &fields.cert_id,
                        fields.revision,
                    ));
                    None
                }
            })
            .collect(),
    }
}
