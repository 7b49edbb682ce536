//! The template-placeholder rule (`RECORD-PLACEHOLDER`, ceu's own): every value of the
//! `ceu init` template (`crate::placeholders`) still in the course record is an offering-level
//! error naming its key and line.

use crate::catalogue::ids::*;
use crate::course::{CourseRecord, line_of};
use crate::findings::{Finding, Location, Severity};
use crate::placeholders::{DATE, is_placeholder};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// One offering-level error per placeholder left in the record, in file order.
pub(super) fn check(record: &CourseRecord) -> Vec<Finding> {
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
                RECORD_PLACEHOLDER,
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
