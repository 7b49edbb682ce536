//! DSSE v1 envelopes: the pre-authentication encoding (PAE), signing exact payload bytes,
//! parsing an envelope, and opening one or many against a [`TrustSet`] (many at once through
//! batch verification, falling back to one by one to name a bad signature).

use super::batch::{batch_one_key, strict_point, verify_one};
use super::keys::{KeyPair, SignError};
use super::trust::TrustSet;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::{Signature, VerifyingKey};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::Digest as _;

/// Envelopes per `verify_batch` call: large enough to amortize the multiscalar
/// multiplication, small enough that a bad signature costs little to locate.
pub(crate) const BATCH_CHUNK: usize = 1024;

/// DSSE pre-authentication encoding: what the signature actually covers.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload_type.len() + payload.len() + 32);
    pae_parts(payload_type, payload, |part| out.extend_from_slice(part));
    out
}

/// The bytes of [`pae`], handed over in pieces (to hash them without copying the payload).
pub(super) fn pae_parts(payload_type: &str, payload: &[u8], mut put: impl FnMut(&[u8])) {
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
    /// The DSSE `payloadType`.
    pub payload_type: String,
    /// The payload bytes, base64-decoded.
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
    /// The DSSE `payloadType`.
    pub payload_type: String,
    /// The payload bytes the signature covers.
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
