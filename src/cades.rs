//! The provider's document-signing key and certificate, and the CMS signature inside a PDF
//! (CAdES detached, as PAdES baseline B-B uses it).
//!
//! Why a second key: PDF readers and standard verifiers (poppler's `pdfsig`, pyHanko,
//! OpenSSL, Acrobat) check ECDSA P-256 signatures but not Ed25519 ones (measured facts in
//! SIGNATURES-NOTES.md), so the PDF signature uses P-256 while the Ed25519 key keeps signing
//! the embedded record, the ledger and checkpoints.
//!
//! The P-256 key is not a second secret to manage: it is derived from the Ed25519 signing key
//! (HMAC-SHA-256 under the key, domain `ceu pdf signing key p256`; see
//! [`crate::sign::KeyPair::derive_tag`]), so the one 0600 key file named by `--key` /
//! `CEU_SIGNING_KEY` holds both, every existing key gains a PDF key, and the same key file
//! always yields the same certificate. The certificate is self-signed and deterministic too
//! (RFC 6979 ECDSA): subject `CN=ceu document signing key <Ed25519 key id>`, serial from the
//! key, valid from 2000-01-01 (before any issue time it can sign) to 9999-12-31 (RFC 5280's
//! "no well-defined expiration"), key usage digitalSignature + nonRepudiation.
//!
//! The tie between the two keys for a verifier: the signed record (Ed25519) names the SHA-256
//! of this certificate (`pdf_certificate_sha256`), so a PDF signature by that certificate is
//! the provider's whenever the record's key is trusted.
//!
//! CMS content (ETSI EN 319 142-1 B-B, ISO 32000-2 `ETSI.CAdES.detached`): one SignerInfo,
//! issuer-and-serial signer id, SHA-256, ecdsa-with-SHA256, signed attributes contentType,
//! messageDigest and ESS signingCertificateV2 (RFC 5035), no signingTime (the time is the
//! signature dictionary's `/M`), the signer's certificate embedded.

use crate::sign::KeyPair;
use cms::builder::{SignedDataBuilder, SignerInfoBuilder};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::ContentInfo;
use cms::signed_data::{EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo};
use der::asn1::{OctetString, SetOfVec};
use der::{Decode, Encode};
use p256::ecdsa::{DerSignature, SigningKey, VerifyingKey};
use spki::AlgorithmIdentifierOwned;
use std::str::FromStr;
use std::time::Duration;
use x509_cert::Certificate;
use x509_cert::attr::Attribute;
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

const ID_DATA: der::oid::ObjectIdentifier = const_oid::db::rfc5911::ID_DATA;
const ID_SIGNED_DATA: der::oid::ObjectIdentifier = const_oid::db::rfc5911::ID_SIGNED_DATA;
const ID_SHA_256: der::oid::ObjectIdentifier = const_oid::db::rfc5912::ID_SHA_256;
const ID_CONTENT_TYPE: der::oid::ObjectIdentifier = const_oid::db::rfc5911::ID_CONTENT_TYPE;
const ID_MESSAGE_DIGEST: der::oid::ObjectIdentifier = const_oid::db::rfc5911::ID_MESSAGE_DIGEST;
/// id-aa-signingCertificateV2 (RFC 5035).
const ID_SIGNING_CERTIFICATE_V2: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
/// ecdsa-with-SHA256 (RFC 5758).
const ECDSA_WITH_SHA256: der::oid::ObjectIdentifier = const_oid::db::rfc5912::ECDSA_WITH_SHA_256;

/// Seconds from 1970 to 2000-01-01T00:00:00Z: the certificate's notBefore.
const NOT_BEFORE_UNIX: u64 = 946_684_800;
/// Seconds from 1970 to 9999-12-31T23:59:59Z: the certificate's notAfter (RFC 5280 §4.1.2.5).
const NOT_AFTER_UNIX: u64 = 253_402_300_799;

/// Errors building or checking a PDF signature's CMS. None carries key material.
#[derive(Debug, thiserror::Error)]
pub enum CadesError {
    #[error("building the document-signing certificate: {0}")]
    Certificate(String),
    #[error("building the CMS signature: {0}")]
    Build(String),
    #[error("the PDF signature is malformed: {0}")]
    Malformed(String),
    #[error("the PDF signature does not match the signed bytes: {0}")]
    Mismatch(String),
}

/// ESS `SigningCertificateV2` (RFC 5035 §3): the signed reference to the signer's certificate
/// that PAdES requires. Only the certificate hash is written; the hash algorithm is the
/// default, SHA-256, and so is omitted.
#[derive(Clone, Debug, Eq, PartialEq, der::Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
}

/// ESS `ESSCertIDv2` with the default hash algorithm (SHA-256) and no issuerSerial.
#[derive(Clone, Debug, Eq, PartialEq, der::Sequence)]
struct EssCertIdV2 {
    cert_hash: OctetString,
}

/// The provider's PDF-signing key and self-signed certificate, derived from its Ed25519 key.
pub struct DocumentSigner {
    key: SigningKey,
    certificate: Certificate,
    certificate_der: Vec<u8>,
    /// SHA-256 of `certificate_der`, computed once: every signature names it (ESS
    /// signingCertificateV2) and every record carries its hex.
    certificate_digest: [u8; 32],
    certificate_sha256: String,
}

impl std::fmt::Debug for DocumentSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocumentSigner")
            .field("certificate_sha256", &self.certificate_sha256())
            .finish_non_exhaustive()
    }
}

impl DocumentSigner {
    /// Derives the P-256 key from `key` and builds its certificate. Same key, same bytes.
    pub fn derive(key: &KeyPair) -> Result<DocumentSigner, CadesError> {
        let signing = derive_p256(key);
        let certificate = self_signed_certificate(&signing, key.key_id())?;
        let certificate_der = certificate
            .to_der()
            .map_err(|e| CadesError::Certificate(e.to_string()))?;
        let certificate_digest = crate::sign::sha256(&certificate_der);
        Ok(DocumentSigner {
            key: signing,
            certificate,
            certificate_der,
            certificate_digest,
            certificate_sha256: hex::encode(certificate_digest),
        })
    }

    /// The certificate, DER.
    pub fn certificate_der(&self) -> &[u8] {
        &self.certificate_der
    }

    /// The certificate as PEM (`-----BEGIN CERTIFICATE-----`), as `pdfsig`, pyHanko and
    /// OpenSSL read it.
    pub fn certificate_pem(&self) -> String {
        use der::EncodePem as _;
        self.certificate
            .to_pem(der::pem::LineEnding::LF)
            .expect("a certificate always encodes")
    }

    /// Lower-case hex SHA-256 of the certificate's DER: the fingerprint readers show.
    pub fn certificate_sha256(&self) -> &str {
        &self.certificate_sha256
    }

    /// The DER CMS `ContentInfo` (SignedData) over a detached content whose SHA-256 is
    /// `digest` (the PDF's byte ranges).
    pub fn sign_digest(&self, digest: &[u8; 32]) -> Result<Vec<u8>, CadesError> {
        let build = |e: &dyn std::fmt::Display| CadesError::Build(e.to_string());
        let encap = EncapsulatedContentInfo {
            econtent_type: ID_DATA,
            econtent: None,
        };
        let tbs = &self.certificate.tbs_certificate;
        let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: tbs.issuer.clone(),
            serial_number: tbs.serial_number.clone(),
        });
        let sha256 = AlgorithmIdentifierOwned {
            oid: ID_SHA_256,
            parameters: None,
        };
        let mut signer_info =
            SignerInfoBuilder::new(&self.key, sid, sha256.clone(), &encap, Some(&digest[..]))
                .map_err(|e| build(&e))?;
        signer_info
            .add_signed_attribute(signing_certificate_v2(&self.certificate_digest)?)
            .map_err(|e| build(&e))?;
        let mut signed_data = SignedDataBuilder::new(&encap);
        let content_info = signed_data
            .add_digest_algorithm(sha256)
            .map_err(|e| build(&e))?
            .add_certificate(CertificateChoices::Certificate(self.certificate.clone()))
            .map_err(|e| build(&e))?
            .add_signer_info::<SigningKey, DerSignature>(signer_info)
            .map_err(|e| build(&e))?
            .build()
            .map_err(|e| build(&e))?;
        content_info.to_der().map_err(|e| build(&e))
    }
}

/// The P-256 secret scalar: HMAC-SHA-256 of the Ed25519 key over a fixed domain and a
/// counter, the first output that is a valid scalar (all but ~2^-32 of outputs are).
fn derive_p256(key: &KeyPair) -> SigningKey {
    (0u32..)
        .find_map(|counter| {
            let bytes = key.derive_tag("ceu pdf signing key p256", &[&counter.to_be_bytes()]);
            SigningKey::from_bytes(&bytes.into()).ok()
        })
        .expect("some counter gives a valid scalar")
}

fn self_signed_certificate(signing: &SigningKey, key_id: &str) -> Result<Certificate, CadesError> {
    let err = |e: &dyn std::fmt::Display| CadesError::Certificate(e.to_string());
    let subject =
        Name::from_str(&format!("CN=ceu document signing key {key_id}")).map_err(|e| err(&e))?;
    // 16 bytes of the public key's hash, top bit cleared so the serial is positive.
    let public_sec1 = signing.verifying_key().to_encoded_point(true);
    let mut serial = crate::sign::sha256(public_sec1.as_bytes());
    serial[0] &= 0x7f;
    let serial = SerialNumber::new(&serial[..16]).map_err(|e| err(&e))?;
    let validity = Validity {
        not_before: Time::UtcTime(
            der::asn1::UtcTime::from_unix_duration(Duration::from_secs(NOT_BEFORE_UNIX))
                .map_err(|e| err(&e))?,
        ),
        not_after: Time::GeneralTime(
            der::asn1::GeneralizedTime::from_unix_duration(Duration::from_secs(NOT_AFTER_UNIX))
                .map_err(|e| err(&e))?,
        ),
    };
    let spki =
        spki::SubjectPublicKeyInfoOwned::from_key(*signing.verifying_key()).map_err(|e| err(&e))?;
    let profile = Profile::Leaf {
        issuer: subject.clone(),
        enable_key_agreement: false,
        enable_key_encipherment: false,
    };
    let builder = CertificateBuilder::new(profile, serial, validity, subject, spki, signing)
        .map_err(|e| err(&e))?;
    builder.build::<DerSignature>().map_err(|e| err(&e))
}

/// The signed attribute `signingCertificateV2` naming the certificate `der` by its SHA-256.
/// The ESS signingCertificateV2 attribute naming the certificate whose DER has SHA-256
/// `certificate_digest` (the hash algorithm defaults to SHA-256).
fn signing_certificate_v2(certificate_digest: &[u8; 32]) -> Result<Attribute, CadesError> {
    let err = |e: der::Error| CadesError::Build(e.to_string());
    let value = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            cert_hash: OctetString::new(certificate_digest.to_vec()).map_err(err)?,
        }],
    };
    let any = der::Any::encode_from(&value).map_err(err)?;
    Ok(Attribute {
        oid: ID_SIGNING_CERTIFICATE_V2,
        values: SetOfVec::try_from(vec![any]).map_err(err)?,
    })
}

/// What a valid PDF signature says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedSignature {
    /// Lower-case hex SHA-256 of the signer's certificate (DER).
    pub certificate_sha256: String,
    /// The signer certificate's subject, as text.
    pub subject: String,
}

/// Checks a DER CMS signature (`cms`, trailing zero padding allowed) over a detached content
/// whose SHA-256 is `digest`: exactly one signer, whose certificate is embedded and named by
/// issuer and serial; SHA-256 and ECDSA P-256; the messageDigest attribute equals `digest`;
/// signingCertificateV2, when present, names the embedded certificate; the signature over
/// the signed attributes verifies with the certificate's key.
///
/// Errors: [`CadesError::Malformed`] (not such a CMS), [`CadesError::Mismatch`] (the content
/// or the signature does not match).
pub fn verify_cms(cms: &[u8], digest: &[u8; 32]) -> Result<VerifiedSignature, CadesError> {
    let bad = |what: &str| CadesError::Malformed(what.to_string());
    let signed_data = decode_signed_data(cms)?;
    let [signer] = signed_data.signer_infos.0.as_slice() else {
        return Err(bad("it must have exactly one signer"));
    };
    let certificate = signer_certificate(&signed_data, signer)?;
    if signer.digest_alg.oid != ID_SHA_256 || signer.signature_algorithm.oid != ECDSA_WITH_SHA256 {
        return Err(bad("only SHA-256 with ECDSA P-256 is accepted"));
    }
    let attributes = signer
        .signed_attrs
        .as_ref()
        .ok_or_else(|| bad("no signed attributes"))?;
    let attribute = |oid| {
        attributes
            .iter()
            .find(|a| a.oid == oid)
            .and_then(|a| a.values.iter().next())
    };
    let content_type = attribute(ID_CONTENT_TYPE)
        .and_then(|v| v.decode_as::<der::oid::ObjectIdentifier>().ok())
        .ok_or_else(|| bad("no contentType attribute"))?;
    if content_type != ID_DATA {
        return Err(bad("the signed content type is not id-data"));
    }
    let message_digest = attribute(ID_MESSAGE_DIGEST)
        .and_then(|v| v.decode_as::<OctetString>().ok())
        .ok_or_else(|| bad("no messageDigest attribute"))?;
    if message_digest.as_bytes() != digest {
        return Err(CadesError::Mismatch(
            "the digest of the signed byte ranges differs from the signed messageDigest".into(),
        ));
    }
    let certificate_der = certificate.to_der().map_err(|e| bad(&e.to_string()))?;
    if let Some(value) = attribute(ID_SIGNING_CERTIFICATE_V2) {
        let ess: SigningCertificateV2 = value.decode_as().map_err(|e| bad(&e.to_string()))?;
        let named = ess.certs.first().map(|c| c.cert_hash.as_bytes());
        if named != Some(&crate::sign::sha256(&certificate_der)[..]) {
            return Err(bad(
                "signingCertificateV2 does not name the embedded certificate",
            ));
        }
    }
    let key = VerifyingKey::from_sec1_bytes(
        certificate
            .tbs_certificate
            .subject_public_key_info
            .subject_public_key
            .raw_bytes(),
    )
    .map_err(|_| bad("the signer's key is not an ECDSA P-256 key"))?;
    let signature = DerSignature::try_from(signer.signature.as_bytes())
        .map_err(|_| bad("the signature value is not a DER ECDSA signature"))?;
    let signed = attributes.to_der().map_err(|e| bad(&e.to_string()))?;
    signature::Verifier::verify(&key, &signed, &signature).map_err(|_| {
        CadesError::Mismatch("the ECDSA signature over the signed attributes is wrong".into())
    })?;
    Ok(VerifiedSignature {
        certificate_sha256: crate::sign::sha256_hex(&certificate_der),
        subject: certificate.tbs_certificate.subject.to_string(),
    })
}

/// The SignedData of a DER CMS ContentInfo followed only by zero padding (the rest of
/// `/Contents`). Errors: [`CadesError::Malformed`].
fn decode_signed_data(cms: &[u8]) -> Result<SignedData, CadesError> {
    let bad = |what: &str| CadesError::Malformed(what.to_string());
    let mut reader = der::SliceReader::new(cms).map_err(|e| bad(&e.to_string()))?;
    let content_info = ContentInfo::decode(&mut reader).map_err(|e| bad(&e.to_string()))?;
    // What follows the CMS is the zero padding of `/Contents`, and nothing else.
    let used = usize::try_from(der::Reader::position(&reader)).map_err(|e| bad(&e.to_string()))?;
    if cms[used..].iter().any(|&b| b != 0) {
        return Err(bad("bytes other than zero padding follow the CMS"));
    }
    if content_info.content_type != ID_SIGNED_DATA {
        return Err(bad("not a CMS SignedData"));
    }
    content_info
        .content
        .decode_as()
        .map_err(|e| bad(&e.to_string()))
}

/// The embedded certificate that `signer` names by issuer and serial number. Errors:
/// [`CadesError::Malformed`] (named otherwise, or not embedded).
fn signer_certificate<'a>(
    signed_data: &'a SignedData,
    signer: &SignerInfo,
) -> Result<&'a Certificate, CadesError> {
    let bad = |what: &str| CadesError::Malformed(what.to_string());
    let SignerIdentifier::IssuerAndSerialNumber(sid) = &signer.sid else {
        return Err(bad("the signer is not named by issuer and serial number"));
    };
    signed_data
        .certificates
        .as_ref()
        .and_then(|set| {
            set.0.iter().find_map(|choice| match choice {
                CertificateChoices::Certificate(c)
                    if c.tbs_certificate.issuer == sid.issuer
                        && c.tbs_certificate.serial_number == sid.serial_number =>
                {
                    Some(c)
                }
                _ => None,
            })
        })
        .ok_or_else(|| bad("the signer's certificate is not embedded"))
}

/// Writes the document-signing certificate of `key` to `<keys_dir>/<hex id>.crt.pem` (beside
/// its Ed25519 public key) unless it is there already; returns the path and the
/// certificate's SHA-256 (hex).
pub fn publish_certificate(
    key: &KeyPair,
    keys_dir: &std::path::Path,
) -> anyhow::Result<(std::path::PathBuf, String)> {
    let signer = DocumentSigner::derive(key)?;
    let path = crate::sign::write_certificate(keys_dir, key.key_id(), &signer.certificate_pem())?;
    Ok((path, signer.certificate_sha256().to_string()))
}

/// A SHA-256 fingerprint as readers print it: upper-case hex pairs joined by colons.
pub fn colon_fingerprint(hex: &str) -> String {
    hex.as_bytes()
        .chunks(2)
        .map(|pair| String::from_utf8_lossy(pair).to_ascii_uppercase())
        .collect::<Vec<_>>()
        .join(":")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signer_is_derived_from_the_key_and_its_signature_verifies() {
        let key = KeyPair::generate();
        let a = DocumentSigner::derive(&key).unwrap();
        let b = DocumentSigner::derive(&key).unwrap();
        assert_eq!(a.certificate_der(), b.certificate_der());
        let digest = crate::sign::sha256(b"the byte ranges");
        let cms = a.sign_digest(&digest).unwrap();
        assert_eq!(
            cms,
            b.sign_digest(&digest).unwrap(),
            "RFC 6979: deterministic"
        );
        let mut padded = cms.clone();
        padded.extend_from_slice(&[0; 64]);
        let verified = verify_cms(&padded, &digest).unwrap();
        assert_eq!(verified.certificate_sha256, a.certificate_sha256());
        let other = crate::sign::sha256(b"other bytes");
        assert!(matches!(
            verify_cms(&cms, &other),
            Err(CadesError::Mismatch(_))
        ));
        let other_key = DocumentSigner::derive(&KeyPair::generate()).unwrap();
        assert_ne!(other_key.certificate_sha256(), a.certificate_sha256());
    }
}
