//! Ed25519 signature acceptance, single and batched: the one strict rule (canonical points of
//! prime order, canonical `s`, cofactorless equation) that every path of ceu applies, and the
//! randomized one-key batch check that reaches the same verdict faster.

use ed25519_dalek::{Signature, VerifyingKey};
use sha2::Digest as _;

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
pub(super) fn verify_one(key: &VerifyingKey, message: &[u8], signature: &Signature) -> bool {
    strict_point(signature.r_bytes()).is_some() && key.verify_strict(message, signature).is_ok()
}

/// The point a 32-byte encoding names, when the encoding is canonical and the point has prime
/// order (not of small order, no torsion component); `None` otherwise.
pub(super) fn strict_point(bytes: &[u8; 32]) -> Option<curve25519_dalek::edwards::EdwardsPoint> {
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

/// The randomized batch check `(-Σ zᵢsᵢ)·B + Σ zᵢ·Rᵢ + (Σ zᵢkᵢ)·A = 0` with random 128-bit `zᵢ`
/// and `kᵢ = SHA-512(Rᵢ ‖ A ‖ Mᵢ)` (`message(i, hash)` feeds Mᵢ). With one key the `A` terms
/// sum into one scalar: n + 2 points in the multiscalar multiplication instead of 2n + 1.
/// Every `A` and `Rᵢ` must pass [`strict_point`] first — without that, a torsion component of
/// `Rᵢ` vanishes for the `zᵢ` that are multiples of its order (half of them for order 2), and
/// the batch would accept on some runs what single verification refuses. `false` means "not
/// all verify" (the caller then verifies one by one to name the bad signature).
#[allow(non_snake_case)] // B, A, R as in the Ed25519 papers.
pub(super) fn batch_one_key(
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
