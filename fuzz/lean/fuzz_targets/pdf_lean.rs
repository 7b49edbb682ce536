//! `api/verify_pdf` without `verify.rs` (which needs typst): the readers `verify` runs on a PDF
//! file — the attached record (`render::extract_attachment`), its Ed25519 envelope
//! (`sign::open_envelope_as` with the seed's trusted key), the PAdES signature
//! (`pades::find_signature`), its CMS (`pades::verify`) and the first revision's length.
#![no_main]

#[path = "../../api/fuzz_targets/common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

/// `certificate::RECORD_PAYLOAD_TYPE` (certificate.rs is not in the shim).
const RECORD_PAYLOAD_TYPE: &str = "application/vnd.ceu.certificate-record+json";

fuzz_target!(|data: &[u8]| {
    if let Some(envelope) = ceu::render::extract_attachment(data) {
        let _ = ceu::sign::parse_envelope(&envelope);
        let _ = ceu::sign::open_envelope_as(&envelope, RECORD_PAYLOAD_TYPE, common::trust());
    }
    if let Some(Ok(found)) = ceu::pades::find_signature(data) {
        let _ = ceu::pades::verify(&found);
    }
    let _ = ceu::pades::previous_revision_len(data);
});
