//! The integration tests, as one binary: each module runs the real `ceu` binary (or the
//! library) on real files. One binary links Typst once instead of once per test file.

// A test scenario reads best whole; the 80-line limit (clippy.toml) is for the product code.
#![allow(clippy::too_many_lines)]

mod common;

mod assessment;
mod attendance;
mod attendance_robustness;
mod branding;
mod catalogue;
mod check;
mod cli;
mod disclosure;
mod document_fonts;
mod encodings;
mod hours;
mod issuable;
mod issue;
mod keys;
mod layers;
mod ledger;
mod notices;
mod packet;
mod page;
mod pdf_signature;
mod provider_fonts;
mod publish;
mod real_inputs;
mod recipe;
mod reliability;
mod render;
mod report;
mod rules_across;
mod snapshots;
mod verify_assets;
mod wording;
mod workbooks;
