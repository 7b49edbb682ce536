//! render (being built).
