//! offering (being built).
