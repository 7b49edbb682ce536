//! ceu's modules that read what `verify` and `ledger verify` are handed, compiled from `src/`
//! unchanged at the crate paths they use there, without the typst stack (see fuzz/README.md).
//! When one of these files moves (`src/ledger.rs` → `src/ledger/`, `src/sign.rs` →
//! `src/sign/`) or starts importing another ceu module, update the paths here; the `api`
//! targets, which link the whole crate, need no change.
#[path = "../../../src/cades.rs"]
pub mod cades;
#[path = "../../../src/course/mod.rs"]
pub mod course;
#[path = "../../../src/excerpt.rs"]
pub mod excerpt;
#[path = "../../../src/fault.rs"]
pub mod fault;
#[path = "../../../src/findings.rs"]
pub mod findings;
#[path = "../../../src/ledger/mod.rs"]
pub mod ledger;
#[path = "../../../src/output.rs"]
pub mod output;
#[path = "../../../src/pades.rs"]
pub mod pades;
#[path = "../../../src/placeholders.rs"]
pub mod placeholders;
#[path = "../../../src/sign/mod.rs"]
pub mod sign;
#[path = "../../../src/verification_code.rs"]
pub mod verification_code;

pub mod render;
