//! Exit codes, in one named place (documented in README.md and docs/exit-codes.md), and the
//! error that stands for a bug in ceu (exit 3).

/// The process exit status of every `ceu` command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything checked out (warnings allowed).
    Ok = 0,
    /// Findings: a compliance error, a blocked attendee, a certificate that does not verify.
    Findings = 1,
    /// The input could not be used at all: missing file, unreadable CSV, bad flag.
    Unusable = 2,
    /// A bug in ceu (a worker thread panicked), not a problem with the input.
    Internal = 3,
}

impl Exit {
    /// The numeric status the process exits with.
    pub fn code(self) -> i32 {
        self as i32
    }
}

impl Exit {
    /// The exit status for a command that failed with `error`: [`Exit::Internal`] when an
    /// [`InternalError`] is in its chain, else [`Exit::Unusable`].
    pub fn of_error(error: &anyhow::Error) -> Exit {
        if error.chain().any(|cause| cause.is::<InternalError>()) {
            Exit::Internal
        } else {
            Exit::Unusable
        }
    }
}

/// A bug in ceu rather than a problem with the input: a worker thread panicked. Exit 3. The
/// error that carries it names what was being processed (an attendee, a file).
#[derive(Debug, thiserror::Error)]
#[error(
    "internal error: {message}. This is a bug in ceu, not a problem with the input; please report it with the command you ran and this message"
)]
pub struct InternalError {
    /// The panic's message.
    pub message: String,
}

impl InternalError {
    /// From a panic payload caught by `std::panic::catch_unwind` (a `&str` or `String`
    /// message, or anything else).
    pub fn from_panic(payload: &(dyn std::any::Any + Send)) -> InternalError {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a worker thread panicked".to_string());
        InternalError { message }
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        std::process::ExitCode::from(exit as u8)
    }
}
