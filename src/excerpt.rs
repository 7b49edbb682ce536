//! The offending line of a text file, shown under a diagnostic with a caret, as compilers do:
//!
//! ```text
//! error: records/OFF/course.toml:54:9: `soon` is not a 24-hour time: write it as HH:MM
//!    |
//! 54 | start = "soon"
//!    |         ^^^^^^
//! ```
//!
//! Rendered with annotate-snippets, plain (no colour), so the text is the same in a terminal,
//! a log and a test. User text passes through [`crate::output::visible`] first, so a control
//! character in the file cannot steer the terminal.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use std::ops::Range;

/// The lines of `source` that `span` (byte offsets) covers, numbered as in the file, with the
/// span underlined. Empty when `span` is outside `source` or the file is not worth quoting
/// (an empty span on an empty line).
pub fn excerpt(source: &str, span: Range<usize>) -> String {
    let start = floor_char_boundary(source, span.start.min(source.len()));
    let mut end = floor_char_boundary(source, span.end.clamp(start, source.len()));
    // A span that ends past its first line (a whole table, say) is cut to that line.
    if let Some(newline) = source[start..end].find('\n') {
        end = start + newline;
    }
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[start..]
        .find('\n')
        .map_or(source.len(), |i| start + i);
    let line = &source[line_start..line_end];
    if line.trim().is_empty() {
        return String::new();
    }
    let shown = crate::output::visible(line);
    if shown.len() != line.len() {
        // Escaped characters move the columns: underline the whole shown line instead.
        return render(&shown, line_number(source, start), 0..shown.len());
    }
    let (from, to) = (start - line_start, end - line_start);
    let underline = if from == to {
        // An empty span (the toml parser points between characters): the rest of the word.
        let word = line[from..]
            .find(|c: char| c.is_whitespace())
            .map_or(line.len(), |i| from + i);
        from..word.max(from + 1).min(line.len().max(from + 1))
    } else {
        from..to
    };
    render(line, line_number(source, start), underline)
}

/// [`excerpt`] of a whole 1-based line, underlining its text from `column` (1-based,
/// characters; the first non-blank character when `None`) to the end of the line.
pub fn excerpt_line(source: &str, line: usize, column: Option<usize>) -> String {
    let Some(start) = line_offset(source, line) else {
        return String::new();
    };
    let text = source[start..].split('\n').next().unwrap_or("");
    let text = text.strip_suffix('\r').unwrap_or(text);
    let from = match column {
        Some(column) => text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(text.len(), |(i, _)| i),
        None => text.len() - text.trim_start().len(),
    };
    excerpt(
        source,
        start + from..start + text.trim_end().len().max(from),
    )
}

fn render(line: &str, number: usize, underline: Range<usize>) -> String {
    let underline = underline.start.min(line.len())..underline.end.min(line.len());
    let report = [Group::with_level(Level::ERROR).element(
        Snippet::source(line)
            .line_start(number)
            .annotation(AnnotationKind::Primary.span(underline)),
    )];
    let rendered = Renderer::plain().render(&report);
    let mut text = String::from("\n");
    for row in rendered.lines() {
        text.push_str("  ");
        text.push_str(row.trim_end());
        text.push('\n');
    }
    text.truncate(text.trim_end().len());
    text
}

fn line_number(source: &str, offset: usize) -> usize {
    source.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The byte offset where 1-based `line` starts.
fn line_offset(source: &str, line: usize) -> Option<usize> {
    if line == 0 {
        return None;
    }
    if line == 1 {
        return Some(0);
    }
    source
        .match_indices('\n')
        .nth(line - 2)
        .map(|(i, _)| i + 1)
        .filter(|&i| i <= source.len())
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECORD: &str = "[offering]\ntitle = \"SER2\"\nstart = \"soon\"\n";

    #[test]
    fn the_offending_value_is_underlined_on_its_numbered_line() {
        let span = RECORD.find("\"soon\"").unwrap();
        let shown = excerpt(RECORD, span..span + 6);
        assert!(shown.contains("3 | start = \"soon\""), "{shown}");
        let caret_row = shown.lines().last().unwrap();
        assert_eq!(
            caret_row.trim_start().trim_start_matches('|').trim(),
            "^^^^^^"
        );
        assert_eq!(
            caret_row.find('^').unwrap(),
            shown.lines().nth(2).unwrap().find("\"soon\"").unwrap(),
            "{shown}"
        );
    }

    #[test]
    fn a_whole_line_from_a_column_and_nothing_for_a_line_that_is_not_there() {
        let shown = excerpt_line(RECORD, 2, Some(9));
        assert!(shown.contains("2 | title = \"SER2\""), "{shown}");
        assert!(shown.contains("^^^^^^"), "{shown}");
        assert_eq!(excerpt_line(RECORD, 9, None), "");
        assert_eq!(excerpt_line(RECORD, 0, None), "");
    }

    #[test]
    fn a_control_character_in_the_file_is_shown_escaped() {
        let source = "title = \"a\u{1b}[31mb\"\n";
        let shown = excerpt(source, 8..source.len() - 1);
        assert!(!shown.contains('\u{1b}'), "{shown:?}");
        assert!(shown.contains("\\u{1b}"), "{shown}");
    }
}
