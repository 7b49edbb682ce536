//! ceu's ingestion modules, compiled from `src/` unchanged, at the crate paths they use there
//! (`crate::findings`, `crate::hours`, `crate::roster`, `crate::attendance`).
#[path = "../../../src/attendance/mod.rs"]
pub mod attendance;
#[path = "../../../src/findings.rs"]
pub mod findings;
#[path = "../../../src/hours.rs"]
pub mod hours;
#[path = "../../../src/roster.rs"]
pub mod roster;
