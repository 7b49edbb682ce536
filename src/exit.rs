//! Exit codes, in one named place (documented in README.md and docs/exit-codes.md).

/// The process exit status of every `ceu` command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything checked out (warnings allowed).
    Ok = 0,
    /// Findings: a compliance error, a blocked attendee, a certificate that does not verify.
    Findings = 1,
    /// The input could not be used at all: missing file, unreadable CSV, bad flag.
    Unusable = 2,
}

impl Exit {
    pub fn code(self) -> i32 {
        self as i32
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        std::process::ExitCode::from(exit as u8)
    }
}
