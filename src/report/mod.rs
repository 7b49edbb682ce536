//! After the class: what a provider sends on from an evaluated offering. Today the ASHA CE
//! Registry participant file ([`asha`]); each report is built from the same course record and
//! the same evaluation as `check` and `issue`, so nothing is typed twice.

pub mod asha;
