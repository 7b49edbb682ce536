//! Certificate ids and verification codes, derived from the signing key so that they are
//! stable across runs and reveal nothing about the holder to anyone without the key.

use crate::sign::KeyPair;

/// Crockford base32 without padding: ids read aloud and typed without 0/O or 1/I confusion.
fn base32(bytes: &[u8], chars: usize) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut out = String::with_capacity(chars);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 && out.len() < chars {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
        buffer &= (1 << bits) - 1;
        if out.len() == chars {
            break;
        }
    }
    out
}

/// The certificate id for an offering and attendee: the offering id and eight characters
/// derived from the signing key, so it is stable across runs and reveals nothing about the
/// person to anyone without the key.
pub fn certificate_id(key: &KeyPair, offering_id: &str, attendee_id: &str) -> String {
    let tag = key.derive_tag(
        "ceu certificate id",
        &[offering_id.as_bytes(), attendee_id.as_bytes()],
    );
    format!("{offering_id}-{}", base32(&tag, 8))
}

/// The short verification code printed on (and QR-encoded in) a certificate revision.
pub fn verification_code(key: &KeyPair, cert_id: &str, revision: u32) -> String {
    let tag = key.derive_tag(
        "ceu verification code",
        &[cert_id.as_bytes(), &revision.to_be_bytes()],
    );
    let code = base32(&tag, 8);
    format!("{}-{}", &code[..4], &code[4..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_is_crockford() {
        assert_eq!(base32(&[0, 0, 0, 0, 0], 8), "00000000");
        assert_eq!(base32(&[0xff; 5], 8), "ZZZZZZZZ");
        assert_eq!(base32(&[0x84, 0x21, 0x08, 0x42, 0x10], 8), "GGGGGGGG");
    }
}
