//! Text helpers for cells as administrators and exporters write them: lower-casing without
//! copying, cutting a value short for a message, and capitalizing a fix that follows a full
//! stop.

use std::borrow::Cow;

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
}
