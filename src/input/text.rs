//! Text helpers for cells as administrators and exporters write them: lower-casing without
//! copying, cutting a value short for a message, and capitalizing a fix that follows a full
//! stop.

use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;

/// `text.to_lowercase()`, borrowed when lower-casing would not change it (almost always).
pub fn lowercase(text: &str) -> Cow<'_, str> {
    let unchanged = if text.is_ascii() {
        !text.bytes().any(|b| b.is_ascii_uppercase())
    } else {
        // Per character: `str::to_lowercase` differs from this only for a capital sigma,
        // which is not unchanged here either.
        text.chars().all(|c| {
            let mut lower = c.to_lowercase();
            lower.next() == Some(c) && lower.next().is_none()
        })
    };
    if unchanged {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.to_lowercase())
    }
}

/// `fix` with its first letter upper-cased: an error's fix follows a full stop.
pub fn capitalized(fix: &str) -> String {
    let mut chars = fix.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Cuts text to `max` characters for a message (data itself is never cut).
pub fn shorten(text: &str, max: usize) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one_line.chars().count() <= max {
        one_line
    } else {
        let cut: String = one_line.chars().take(max).collect();
        format!("{cut}…")
    }
}

/// Neutralizes spreadsheet formula syntax in a cell of any CSV that ceu writes: a cell that
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so Excel,
/// LibreOffice and Sheets show it as text instead of executing it (OWASP "CSV injection").
/// Everything else is returned unchanged.
pub fn csv_safe(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// A display name as compared through the alias list: Unicode NFC (so `José` typed with a
/// combining accent is `José`), trimmed, inner whitespace collapsed, and fully case-folded
/// (`STRASSE` and `straße` compare equal), then NFC again.
pub fn normalize_name(name: &str) -> String {
    let composed: String = name.nfc().collect();
    let spaced = composed.split_whitespace().collect::<Vec<_>>().join(" ");
    caseless::default_case_fold_str(&spaced).nfc().collect()
}

/// An email as compared: trimmed, Unicode NFC and lower-cased only. Full case folding would
/// merge addresses that are different mailboxes (`ß` and `ss`), so it is not applied.
pub fn email_key(email: &str) -> Cow<'_, str> {
    let email = email.trim();
    if email.is_ascii() {
        lowercase(email)
    } else {
        Cow::Owned(email.nfc().collect::<String>().to_lowercase())
    }
}

/// [`normalize_name`], borrowed when the name is already normalized (lower-case ASCII words
/// separated by single spaces).
pub fn normalized_name(name: &str) -> Cow<'_, str> {
    let bytes = name.as_bytes();
    let normal = name.is_ascii()
        && bytes.first() != Some(&b' ')
        && bytes.last() != Some(&b' ')
        && !bytes.windows(2).any(|pair| pair == b"  ")
        && !bytes
            .iter()
            .any(|&b| b.is_ascii_uppercase() || (b != b' ' && char::from(b).is_whitespace()));
    if normal {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(normalize_name(name))
    }
}

/// The digits of a phone number, when it has at least 7 and nothing but phone punctuation.
pub fn phone_digits(text: &str) -> Option<String> {
    if !looks_like_phone(text) {
        return None;
    }
    Some(text.chars().filter(char::is_ascii_digit).collect())
}

/// True for text such as `+1 (403) 555-0199` or `14035550199`.
pub fn looks_like_phone(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    digits >= 7
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.'))
}

/// The last ten digits: the same number written with or without a country code.
pub fn phone_key(digits: &str) -> &str {
    &digits[digits.len().saturating_sub(10)..]
}

/// One CSV line (without its line end) holding `cells`, quoted where a cell needs it: the alias
/// line a message suggests must paste into aliases.csv as the same cells
/// (`"Okonkwo-Hale, Adaeze",<attendee id>`).
pub fn csv_line(cells: &[&str]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = writer.write_record(cells);
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes)
        .trim_end_matches('\n')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercase_borrows_only_what_lowercasing_leaves_alone() {
        for text in ["ana@example.org", "benoît", "", "a1-b2", "ſ", "ǆ"] {
            assert!(matches!(lowercase(text), Cow::Borrowed(_)), "{text}");
            assert_eq!(lowercase(text), text.to_lowercase());
        }
        for text in ["Ana@Example.org", "BENOÎT", "ΣΊΣΥΦΟΣ", "ǅ", "İ"] {
            assert!(matches!(lowercase(text), Cow::Owned(_)), "{text}");
            assert_eq!(lowercase(text), text.to_lowercase());
        }
    }

    #[test]
    fn names_compare_in_nfc_with_full_case_folding_and_emails_only_lower_cased() {
        let name = normalize_name;
        assert_eq!(name("Jose\u{301}  PE\u{301}REZ "), name("josé pérez"));
        assert_eq!(name("STRASSE"), name("Straße"));
        assert_eq!(name("ΟΔΥΣΣΕΥΣ"), name("οδυσσευς"));
        assert_eq!(email_key(" A\u{308}@X.org "), "ä@x.org");
        assert_ne!(email_key("straße@x.org"), email_key("STRASSE@x.org"));
    }

    #[test]
    fn normalized_names_match_normalize_name() {
        for name in [
            "ana lee",
            "Ana Lee",
            " ana lee",
            "ana  lee",
            "ana\u{a0}lee",
            "ana\tlee",
            "",
            " ",
            "zoë",
            "a b c",
        ] {
            assert_eq!(normalized_name(name), normalize_name(name), "{name:?}");
        }
    }
}
