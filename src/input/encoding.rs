//! 8-bit text that may not be Windows-1252: the guess that warns (`DATA-ENCODING`) and the
//! labels `course.toml` may declare (`[inputs.encoding]`, docs/course-record.md).
//!
//! Undeclared text that is not UTF-8 (and has no byte-order mark) is read as Windows-1252, what
//! Excel's plain "CSV" writes on Windows in the Americas and Western Europe. A Central-European
//! or Cyrillic export read that way turns `Dvořák` into `Dvoøák` without any error, so chardetng
//! is asked what the bytes look like; when it names another encoding, the file still reads as
//! Windows-1252 (a guess never changes data) but a warning names the likelier encoding and how
//! to declare it.

use crate::catalogue::ids;
use crate::findings::{Finding, Location, Severity};
use encoding_rs::Encoding;
use std::path::Path;

/// The encoding `label` names, per the WHATWG Encoding Standard that encoding_rs implements
/// (`windows-1250`, `ISO-8859-2`, `latin2`, `macintosh`, `UTF-16LE`, case-insensitive);
/// `None` for an unknown label or the `replacement` pseudo-encoding.
pub fn by_label(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label_no_replacement(label.trim().as_bytes())
}

/// The encoding undeclared non-UTF-8 `bytes` look more like than Windows-1252, as chardetng
/// guesses it (its name, `windows-1250`); `None` when the guess is Windows-1252 itself or the
/// bytes are plain ASCII.
pub fn likelier(bytes: &[u8]) -> Option<&'static str> {
    if bytes.is_ascii() {
        return None;
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let guess = detector.guess(None, false);
    (guess != encoding_rs::WINDOWS_1252).then(|| guess.name())
}

/// The first word of `bytes` that Windows-1252 and `likelier` read differently, as each reads
/// it (`("Dvoøák", "Dvořák")`), for the message; `None` when there is none.
fn sample(bytes: &[u8], likelier: &'static Encoding) -> Option<(String, String)> {
    let read = |encoding: &'static Encoding, word: &[u8]| {
        encoding.decode_without_bom_handling(word).0.into_owned()
    };
    bytes
        .split(|b| b.is_ascii_whitespace() || matches!(b, b',' | b';' | b'\t' | b'"'))
        .filter(|word| !word.is_ascii())
        .map(|word| &word[..word.len().min(40)])
        .map(|word| (read(encoding_rs::WINDOWS_1252, word), read(likelier, word)))
        .find(|(as_read, as_likelier)| as_read != as_likelier)
}

/// `DATA-ENCODING` for the file shown as `display` (its `[inputs.encoding]` key is `key`),
/// read as Windows-1252 although chardetng finds `likelier` likelier: an offering-level
/// warning naming the file, the likelier encoding, a word read both ways, and the fix.
pub fn finding(bytes: &[u8], display: &Path, key: &str, likelier: &'static str) -> Finding {
    let encoding = by_label(likelier).unwrap_or(encoding_rs::WINDOWS_1252);
    let shown = match sample(bytes, encoding) {
        Some((as_read, as_likelier)) => format!(
            "; for example `{as_read}` would be `{as_likelier}`",
            as_read = crate::input::text::shorten(&as_read, 40),
            as_likelier = crate::input::text::shorten(&as_likelier, 40),
        ),
        None => String::new(),
    };
    Finding::offering(
        ids::DATA_ENCODING.as_str(),
        Severity::Warning,
        format!(
            "the file is not UTF-8 and was read as Windows-1252, but its bytes look like {likelier}{shown}: names with accents may be garbled"
        ),
        Some(Location::file(display)),
        format!(
            "if the names read wrong, declare the encoding in course.toml under [inputs.encoding] as \"{key}\" = \"{likelier}\" (or save the file again as CSV UTF-8); if they read right, declare \"{key}\" = \"windows-1252\" to silence this warning; a file from an old Mac may need \"macintosh\""
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_whatwg_labels() {
        assert_eq!(by_label("ISO-8859-2"), Some(encoding_rs::ISO_8859_2));
        assert_eq!(by_label(" latin2 "), Some(encoding_rs::ISO_8859_2));
        assert_eq!(by_label("Windows-1250"), Some(encoding_rs::WINDOWS_1250));
        assert_eq!(by_label("macintosh"), Some(encoding_rs::MACINTOSH));
        assert_eq!(by_label("latin-2"), None);
        assert_eq!(by_label("replacement"), None);
    }

    #[test]
    fn the_sample_is_a_word_the_two_encodings_read_differently() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1250.encode("Benoît,Dvořák\n");
        let sample = sample(&bytes, encoding_rs::WINDOWS_1250);
        assert_eq!(sample, Some(("Dvoøák".into(), "Dvořák".into())));
    }

    #[test]
    fn ascii_and_western_text_raise_nothing() {
        assert_eq!(likelier(b"Name,Email\nAna,ana@x.org\n"), None);
        let (western, _, _) =
            encoding_rs::WINDOWS_1252.encode("Name\nRenée Lefèvre\nJosé Muñoz\nFrançois Müller\n");
        assert_eq!(likelier(&western), None);
    }
}
