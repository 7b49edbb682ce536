//! The `ceu init` template's placeholders (`RECORD-PLACEHOLDER`, docs/rules.md): values that
//! mark what the administrator must replace. Each one still in the course record is an
//! offering-level error naming its key and line, so a certificate never carries "...",
//! "City, Region, Country" or a made-up provider code.
//!
//! The placeholders (templates/offering/course.toml): a whole word `...` in any string
//! (`"..."`, `"Describe ..."`), the offering id `COURSE-YYYY-MM-CITY`, the location
//! `City, Region, Country`, the ASHA provider code `ABCD`, the course number `0000`, and the
//! date `2025-01-01`.

use crate::course::{CourseRecord, line_of};
use crate::findings::{Finding, Location, Severity};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The rule id.
pub const RULE: &str = "RECORD-PLACEHOLDER";

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

/// One offering-level error per placeholder left in the record, in file order.
pub fn findings(record: &CourseRecord) -> Vec<Finding> {
    // The record already parsed as a `Course`; a document that does not parse here has
    // nothing more to report.
    let Ok(document) = DeTable::parse(&record.source) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    walk_table(document.get_ref(), "", &mut found);
    found.sort_by_key(|(_, start, _)| *start);
    found
        .into_iter()
        .map(|(key, start, shown)| {
            Finding::offering(
                RULE,
                Severity::Error,
                format!(
                    "`{key} = {shown}` is still the template's placeholder: it would be printed on certificates and reports as it stands"
                ),
                Some(Location::line(
                    &record.display_path,
                    line_of(&record.source, start),
                )),
                "replace it with this offering's real value (docs/course-record.md explains every key)",
            )
        })
        .collect()
}

/// (dotted key, byte offset of the value, the value as shown).
type Found = Vec<(String, usize, String)>;

fn walk_table(table: &DeTable, prefix: &str, found: &mut Found) {
    for (key, value) in table.iter() {
        let path = if prefix.is_empty() {
            key.get_ref().to_string()
        } else {
            format!("{prefix}.{}", key.get_ref())
        };
        walk_value(value, &path, found);
    }
}

fn walk_value(value: &Spanned<DeValue>, path: &str, found: &mut Found) {
    let start = value.span().start;
    match value.get_ref() {
        DeValue::String(text) if is_placeholder(text) => {
            found.push((path.to_string(), start, format!("{:?}", text.as_ref())));
        }
        DeValue::Datetime(date) if date.to_string() == DATE => {
            found.push((path.to_string(), start, date.to_string()));
        }
        DeValue::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let path = format!("{path}[{}]", index + 1);
                walk_value(item, &path, found);
            }
        }
        DeValue::Table(table) => walk_table(table, path, found),
        _ => {}
    }
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
