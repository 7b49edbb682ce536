//! The `ceu init` template's placeholders: values that mark what the administrator must
//! replace. Each one still in the course record is an offering-level error naming its key and
//! line (`RECORD-PLACEHOLDER`, raised by `rules::placeholders`), so a certificate never carries
//! "...", "City, Region, Country" or a made-up provider code. This module is only the
//! vocabulary, so that loading the course record can use it too.
//!
//! The placeholders (templates/offering/course.toml): a whole word `...` in any string
//! (`"..."`, `"Describe ..."`), the offering id `COURSE-YYYY-MM-CITY`, the location
//! `City, Region, Country`, the ASHA provider code `ABCD`, the course number `0000`, and the
//! date `2025-01-01`.

/// The template's offering id.
pub const OFFERING_ID: &str = "COURSE-YYYY-MM-CITY";

/// The template's date, for every date in it.
pub const DATE: &str = "2025-01-01";

/// Whole string values that are placeholders.
const WHOLE: [&str; 4] = [OFFERING_ID, "City, Region, Country", "ABCD", "0000"];

/// Whether a string value is (or contains) one of the template's placeholders.
pub fn is_placeholder(text: &str) -> bool {
    let text = text.trim();
    WHOLE.contains(&text) || text.split_whitespace().any(|word| word == "...")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_word_ellipsis_is_a_placeholder_and_an_ellipsis_in_a_word_is_not() {
        assert!(is_placeholder("..."));
        assert!(is_placeholder("Describe ..."));
        assert!(is_placeholder("... receives a speaking fee from ... ."));
        assert!(is_placeholder("City, Region, Country"));
        assert!(!is_placeholder("Breathe... and relax"));
        assert!(!is_placeholder("ABCDE"));
        assert!(!is_placeholder("Calgary, Alberta, Canada"));
    }
}
