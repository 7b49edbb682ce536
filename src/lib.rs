//! ceu: checks a continuing-education offering against the accrediting bodies' rules and
//! issues signed, hash-verifiable PDF certificates recorded in a tamper-evident ledger.
//!
//! The binary (`main.rs`) only parses arguments and maps results to exit codes; everything
//! else lives here so tests and benchmarks call the same code.

pub mod assessment;
pub mod attendance;
pub mod bodies;
pub mod cades;
pub mod catalogue;
pub mod certificate;
pub mod cli;
pub mod cmd;
pub mod course;
pub mod delivery;
pub mod document;
pub mod excerpt;
pub mod exit;
pub mod fault;
pub mod findings;
pub mod hours;
pub mod input;
pub mod issue;
pub mod ledger;
pub mod matching;
pub mod memory;
pub mod offering;
pub mod output;
pub mod pades;
pub mod page;
pub mod paths;
pub mod placeholders;
pub mod provider;
pub mod publish;
pub mod render;
pub mod report;
pub mod roster;
pub mod rules;
pub mod scripts;
pub mod sign;
pub mod verification_code;
pub mod verify;

/// The version of ceu, recorded in every certificate record.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
