//! Fuzzes what `ceu verify` does with a PDF file it is handed: offline (find the attached
//! record, open its Ed25519 envelope, parse the record, find and check the PAdES signature and
//! its CMS) and against the seed ledger (hash lookup, "record genuine; not the issued bytes").
//! Also calls the pieces directly, so the CMS parser sees every input, not only those whose
//! record signature holds. Any panic, hang or out-of-memory is a bug: a bad file must become
//! a failed check.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn ledger() -> Option<&'static ceu::verify::LedgerState> {
    static LEDGER: OnceLock<Option<ceu::verify::LedgerState>> = OnceLock::new();
    LEDGER
        .get_or_init(|| {
            let path = common::seed_dir().join("records/ledger.jsonl");
            path.is_file()
                .then(|| ceu::verify::LedgerState::load(&path, common::trust(), None).ok())
                .flatten()
        })
        .as_ref()
}

fuzz_target!(|data: &[u8]| {
    let path = common::scratch("certificate.pdf", data);
    let trust = common::trust();
    let _ = ceu::verify::verify_pdf(&path, trust, None, None);
    if let Some(state) = ledger() {
        let _ = ceu::verify::verify_pdf(&path, trust, Some(state), None);
    }
    if let Some(envelope) = ceu::render::extract_attachment(data) {
        let _ = ceu::sign::parse_envelope(&envelope);
    }
    if let Some(Ok(found)) = ceu::pades::find_signature(data) {
        let _ = ceu::pades::verify(&found);
    }
    let _ = ceu::pades::previous_revision_len(data);
});
