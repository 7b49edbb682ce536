//! course (being built).
