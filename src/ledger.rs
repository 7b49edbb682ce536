//! ledger (being built).
