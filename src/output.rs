//! What ceu prints for people: standard output that a closed pipe cannot turn into a panic,
//! and user data shown so that a terminal cannot be steered by it.
//!
//! `ceu hours --format csv | head` closes the pipe while ceu is still writing. `println!`
//! then panics ("Broken pipe", exit 101). Through [`Stdout`] (and the [`out!`]/[`outln!`]
//! macros) a closed pipe ends the output quietly: the command still finishes its work and
//! exits with its documented code, as ripgrep does for a closed pipe. Any other write error is
//! kept and reported once at the end ([`take_error`]), with exit 2.
//!
//! Names and other text from the input files reach the human reports through [`visible`]:
//! control characters (an ESC sequence, a newline that would forge a report row) and
//! bidirectional controls (U+202E would reverse the rest of the line) are shown escaped, as
//! `\u{1b}`. JSON and CSV keep the exact data; the signed record keeps the exact text.
//!
//! `-q/--quiet` ([`set_quiet`]) silences the human report ([`out!`], [`outln!`]) and notes on
//! standard error ([`note!`]); the data a `--format json` or `csv` asks for ([`data!`],
//! [`dataln!`]) and errors are still written, and the exit code tells the outcome.

use std::borrow::Cow;
use std::io::{self, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

static CLOSED: AtomicBool = AtomicBool::new(false);
static ERROR: Mutex<Option<io::Error>> = Mutex::new(None);
static QUIET: AtomicBool = AtomicBool::new(false);

/// Silences the human report and notes for the rest of the process (`-q/--quiet`).
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Whether `-q/--quiet` was given.
pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// Standard output that swallows writes once the reader has gone (a closed pipe) and keeps
/// the first other error for [`take_error`] instead of returning it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stdout;

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if CLOSED.load(Ordering::Relaxed) {
            return Ok(buf.len());
        }
        match io::stdout().write(buf) {
            Ok(n) => Ok(n),
            Err(error) => Ok(swallow(error, buf.len())),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        if CLOSED.load(Ordering::Relaxed) {
            return Ok(());
        }
        if let Err(error) = io::stdout().flush() {
            swallow(error, 0);
        }
        Ok(())
    }
}

/// Records a write error: a broken pipe closes the output for good; any other is kept.
fn swallow(error: io::Error, len: usize) -> usize {
    CLOSED.store(true, Ordering::Relaxed);
    if error.kind() != io::ErrorKind::BrokenPipe {
        let mut kept = ERROR.lock().unwrap_or_else(|e| e.into_inner());
        kept.get_or_insert(error);
    }
    len
}

/// The first write error other than a closed pipe, if any (the caller exits 2 with it).
pub fn take_error() -> Option<io::Error> {
    let _ = Stdout.flush();
    ERROR.lock().unwrap_or_else(|e| e.into_inner()).take()
}

/// `print!` through [`Stdout`], for the data a `--format` asks for: written even with
/// `--quiet`.
#[macro_export]
macro_rules! data {
    ($($arg:tt)*) => {{
        use ::std::io::Write as _;
        let _ = $crate::output::Stdout.write_fmt(format_args!($($arg)*));
    }};
}

/// `println!` through [`Stdout`], for the data a `--format` asks for: written even with
/// `--quiet`.
#[macro_export]
macro_rules! dataln {
    () => { $crate::data!("\n") };
    ($($arg:tt)*) => {{
        use ::std::io::Write as _;
        let mut stdout = $crate::output::Stdout;
        let _ = stdout.write_fmt(format_args!($($arg)*));
        let _ = stdout.write_all(b"\n");
    }};
}

/// `print!` of the human report through [`Stdout`]; nothing with `--quiet`.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {{
        if !$crate::output::quiet() {
            $crate::data!($($arg)*);
        }
    }};
}

/// `println!` of the human report through [`Stdout`]; nothing with `--quiet`.
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {{
        if !$crate::output::quiet() {
            $crate::dataln!($($arg)*);
        }
    }};
}

/// `eprintln!` for notes, warnings and progress on standard error; nothing with `--quiet`.
/// Errors use `eprintln!` and are always shown.
#[macro_export]
macro_rules! note {
    ($($arg:tt)*) => {{
        if !$crate::output::quiet() {
            eprintln!($($arg)*);
        }
    }};
}

/// Whether `c` may not be printed raw to a terminal: C0 and C1 controls (except tab), DEL,
/// and the bidirectional formatting characters (U+061C, U+200E–U+200F, U+202A–U+202E,
/// U+2066–U+2069).
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every [`is_unsafe`] character written as `\u{hex}` (a backslash is left as
/// it is); borrowed when there is nothing to escape.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            shown.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            shown.push(c);
        }
    }
    Cow::Owned(shown)
}

/// `text` without bidirectional formatting characters, for a printed page: a U+202E in a
/// name must not reverse what follows it (the signed record keeps the exact text).
pub fn without_bidi_controls(text: &str) -> Cow<'_, str> {
    let bidi = |c: char| is_unsafe(c) && !c.is_control();
    if !text.chars().any(bidi) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().filter(|&c| !bidi(c)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_overrides_are_shown_escaped_and_the_rest_untouched() {
        assert_eq!(visible("Zoë Ünal\tA001"), "Zoë Ünal\tA001");
        assert!(matches!(visible("plain"), Cow::Borrowed(_)));
        assert_eq!(visible("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(visible("Ann\nA999  completed"), "Ann\\u{a}A999  completed");
        assert_eq!(visible("evil\u{202e}gnp.exe"), "evil\\u{202e}gnp.exe");
        assert_eq!(
            visible("\u{7f}\u{85}\u{2066}x\u{2069}"),
            "\\u{7f}\\u{85}\\u{2066}x\\u{2069}"
        );
        assert_eq!(without_bidi_controls("evil\u{202e}gnp"), "evilgnp");
        assert_eq!(without_bidi_controls("José"), "José");
    }
}
