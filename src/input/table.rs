//! The table reader shared by the roster and every attendance format.
//!
//! Administrators save CSV from Excel on whatever locale their machine has, and Zoom and Teams
//! write their own dialects, so this module turns raw bytes into rows of cells before any format
//! looks at them: it decodes UTF-8 (with or without BOM), UTF-16LE/BE (with BOM) and otherwise
//! Windows-1252; sniffs the delimiter (comma, semicolon or tab); drops blank rows and trailing
//! empty cells; and keeps the 1-based physical line on which every record starts, so each
//! finding can say `file:line`. Parsing itself is the `csv` crate's.

use super::text::shorten;
use super::zone::{Zone, split_zone_suffix};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// One record of a table: its physical line (1-based, where the record starts) and its cells,
/// with trailing empty cells removed.
///
/// The cells are kept end to end in one string (two allocations per row, not one per cell):
/// a 100,000-person sheet is read whole before any format looks at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    /// Every cell's text, one after another.
    text: Box<str>,
    /// Where each cell ends in `text`.
    ends: Box<[usize]>,
}

impl Row {
    /// The number of cells.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The cell at `index` as written (untrimmed).
    pub fn raw(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        let start = index.checked_sub(1).map_or(0, |i| self.ends[i]);
        Some(&self.text[start..end])
    }

    /// Every cell as written (untrimmed), in order.
    pub fn cells(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).filter_map(|i| self.raw(i))
    }

    /// The cell at `index`, trimmed; empty when the row is shorter.
    pub fn cell(&self, index: usize) -> &str {
        self.raw(index).map(str::trim).unwrap_or("")
    }

    /// The cell at an optional column index (see [`find_column`]), trimmed.
    pub fn get(&self, index: Option<usize>) -> &str {
        index.map(|i| self.cell(i)).unwrap_or("")
    }

    /// The non-empty cells, trimmed.
    pub fn non_empty(&self) -> impl Iterator<Item = &str> {
        self.cells().map(str::trim).filter(|c| !c.is_empty())
    }

    /// A row from cells already read (a workbook's): `None` when every cell is blank, otherwise
    /// the cells with trailing blank ones removed. `line` is the sheet's 1-based row number.
    pub fn from_cells(line: usize, cells: &[String]) -> Option<Row> {
        let kept = cells.iter().rposition(|c| !c.trim().is_empty())? + 1;
        let mut text = String::new();
        let mut ends = Vec::with_capacity(kept);
        for cell in &cells[..kept] {
            text.push_str(cell);
            ends.push(text.len());
        }
        Some(Row {
            line,
            text: text.into_boxed_str(),
            ends: ends.into_boxed_slice(),
        })
    }
}

/// A decoded, parsed table: every non-blank record in file order.
#[derive(Debug, Clone)]
pub struct Table {
    pub rows: Vec<Row>,
    pub delimiter: u8,
    /// The encoding the bytes were decoded from (for messages); `workbook` for a workbook.
    pub encoding: &'static str,
    /// The sheet the rows come from, for a workbook (`None` for a text file): locations in it
    /// are cells (`roster.xlsx:Sheet1!C7`) and a row's `line` is the sheet's row number.
    pub sheet: Option<String>,
    /// For undeclared 8-bit text read as the default Windows-1252: the encoding the bytes look
    /// more like, when chardetng finds one (`windows-1250`), for `DATA-ENCODING`.
    pub likelier: Option<&'static str>,
}

/// Why bytes could not be read as a table at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// No bytes, or nothing but whitespace.
    Empty,
    /// A spreadsheet workbook saved under a text name.
    Spreadsheet(&'static str),
    /// The CSV parser gave up (message, line).
    Csv(String, usize),
    /// A workbook (.xlsx, .xls, .ods) that cannot be opened (the reader's message).
    Workbook(String),
}

/// The fix offered whenever a file is a workbook rather than text.
pub const SAVE_AS_CSV: &str = "open it in Excel and use File > Save As > CSV UTF-8 (Comma delimited) (*.csv), then point ceu at the saved file";

/// Says what kind of spreadsheet `bytes` is, when it is one (xlsx is a zip; xls is OLE2).
pub fn spreadsheet_kind(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"PK\x03\x04") {
        Some("an Excel workbook (.xlsx, a zip archive), not a CSV text file")
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Some("an old-style Excel workbook (.xls), not a CSV text file")
    } else {
        None
    }
}

/// Decodes bytes as Excel, Zoom and Teams write them. A BOM decides; without one, valid UTF-8
/// is UTF-8 and anything else is Windows-1252 (what Excel's plain "CSV" writes on Windows).
/// UTF-8 text is borrowed, not copied (a roster can be tens of megabytes).
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, &'static str) {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let rest = bytes.get(bom_len..).unwrap_or(&[]);
        let (text, _) = encoding.decode_without_bom_handling(rest);
        let name = if bom_len == 3 {
            "UTF-8 with BOM"
        } else {
            encoding.name()
        };
        return (text, name);
    }
    // UTF-16 without a BOM: every other byte NUL in the first characters of ASCII headers.
    if bytes.len() >= 4 && bytes.len().is_multiple_of(2) {
        let head = &bytes[..bytes.len().min(64)];
        let odd_nul = head.iter().skip(1).step_by(2).all(|b| *b == 0);
        let even_nul = head.iter().step_by(2).all(|b| *b == 0);
        if odd_nul && !even_nul {
            let (text, _) = encoding_rs::UTF_16LE.decode_without_bom_handling(bytes);
            return (text, "UTF-16LE");
        }
        if even_nul && !odd_nul {
            let (text, _) = encoding_rs::UTF_16BE.decode_without_bom_handling(bytes);
            return (text, "UTF-16BE");
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), "UTF-8"),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text, "Windows-1252")
        }
    }
}

/// Counts `delimiter` outside double-quoted stretches of `line`.
fn count_outside_quotes(line: &str, delimiter: char) -> usize {
    let mut in_quotes = false;
    let mut count = 0;
    for c in line.chars() {
        if c == '"' {
            in_quotes = !in_quotes;
        } else if c == delimiter && !in_quotes {
            count += 1;
        }
    }
    count
}

/// Picks the delimiter: the candidate whose most common per-line count, times the number of
/// lines having it, is largest. A decimal comma in a semicolon file, or a comma inside a Teams
/// timestamp in a tab file, appears less often per line than the real delimiter.
pub fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(100)
        .collect();
    let mut best = (b',', 0usize);
    for delimiter in [b',', b';', b'\t'] {
        let mut frequency: BTreeMap<usize, usize> = BTreeMap::new();
        for line in &lines {
            let n = count_outside_quotes(line, delimiter as char);
            if n > 0 {
                *frequency.entry(n).or_default() += 1;
            }
        }
        let score = frequency
            .iter()
            .map(|(n, lines)| n.saturating_mul(*lines))
            .max()
            .unwrap_or(0);
        if score > best.1 {
            best = (delimiter, score);
        }
    }
    best.0
}

/// Turns the byte positions the `csv` crate reports into 1-based physical lines. The crate
/// reports the end of the previous record (before any blank lines), so line terminators are
/// skipped first. Positions only grow, so newlines are counted incrementally: a long file stays
/// linear.
struct LineCounter<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            bytes: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    fn line_at(&mut self, byte: u64) -> usize {
        let bytes = self.bytes;
        let mut target = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
        while target < bytes.len() && matches!(bytes[target], b'\r' | b'\n') {
            target += 1;
        }
        if target < self.offset {
            // Not expected; recount from the start rather than report a wrong line.
            self.offset = 0;
            self.line = 1;
        }
        self.line += bytes[self.offset..target]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.offset = target;
        self.line
    }
}

/// Parses decoded text into rows (see [`Table`]).
pub fn parse_text(text: &str, encoding: &'static str) -> Result<Table, Unreadable> {
    if text.trim().is_empty() {
        return Err(Unreadable::Empty);
    }
    // Excel's `sep=;` hint line names the delimiter outright.
    let first_line = text.lines().next().unwrap_or("").trim();
    let hint = match first_line.strip_prefix("sep=").map(str::as_bytes) {
        Some([d]) if matches!(d, b',' | b';' | b'\t' | b'|') => Some(*d),
        _ => None,
    };
    let delimiter = hint.unwrap_or_else(|| sniff_delimiter(text));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut lines = LineCounter::new(text);
    // One record, reused: the parser fills it in place.
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => {
                let line = error
                    .position()
                    .map(|p| lines.line_at(p.byte()))
                    .unwrap_or(0);
                return Err(Unreadable::Csv(error.to_string(), line));
            }
        }
        let line = record
            .position()
            .map(|p| lines.line_at(p.byte()))
            .unwrap_or(0);
        // The hint line itself is not a row: the header is the next line.
        if hint.is_some() && line == 1 {
            continue;
        }
        let mut kept = record.len();
        while kept > 0 && record.get(kept - 1).is_some_and(|c| c.trim().is_empty()) {
            kept -= 1;
        }
        if kept == 0 {
            continue;
        }
        let mut ends = Vec::with_capacity(kept);
        ends.extend((0..kept).filter_map(|i| record.range(i).map(|r| r.end)));
        let end = ends.last().copied().unwrap_or(0);
        rows.push(Row {
            line,
            text: record.as_slice()[..end].into(),
            ends: ends.into_boxed_slice(),
        });
    }
    if rows.is_empty() {
        return Err(Unreadable::Empty);
    }
    Ok(Table {
        rows,
        delimiter,
        encoding,
        sheet: None,
        likelier: None,
    })
}

/// Decodes and parses raw file bytes of a text table (a workbook is refused: see
/// [`super::read_tables`] for the roster and attendance, which read workbooks too).
pub fn read_bytes(bytes: &[u8]) -> Result<Table, Unreadable> {
    if let Some(kind) = spreadsheet_kind(bytes) {
        return Err(Unreadable::Spreadsheet(kind));
    }
    let (text, encoding) = decode(bytes);
    parse_text(&text, encoding)
}

/// A header as compared: lower-case, without spaces, underscores, hyphens or a stray BOM.
pub fn normalize_header(header: &str) -> String {
    header
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '\u{feff}' | '\t' | '\u{a0}'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A header row with its normalized names, to look columns up by any accepted spelling.
///
/// A zone written at the end of a header (`Join Time (UTC)`, `Leave Time [GMT-7]`,
/// `Join Time (America/New_York)`) is split off: the column is looked up as `Join Time` and
/// its times are read in that zone ([`Header::zone`]).
#[derive(Debug, Clone)]
pub struct Header {
    pub line: usize,
    pub names: Vec<String>,
    normalized: Vec<String>,
    zones: Vec<Option<Zone>>,
}

impl Header {
    pub fn new(row: &Row) -> Header {
        let mut normalized = Vec::with_capacity(row.len());
        let mut zones = Vec::with_capacity(row.len());
        for cell in row.cells() {
            match split_zone_suffix(cell) {
                Some((name, zone)) => {
                    normalized.push(normalize_header(name));
                    zones.push(Some(zone));
                }
                None => {
                    normalized.push(normalize_header(cell));
                    zones.push(None);
                }
            }
        }
        Header {
            line: row.line,
            names: row.cells().map(|c| c.trim().to_string()).collect(),
            normalized,
            zones,
        }
    }

    /// The zone the header of column `index` names, if any.
    pub fn zone(&self, index: usize) -> Option<Zone> {
        self.zones.get(index).copied().flatten()
    }

    /// Every column's header zone, by column index.
    pub fn zones(&self) -> &[Option<Zone>] {
        &self.zones
    }

    /// The first column whose header is one of `spellings` (already normalized), trying the
    /// spellings in order of preference.
    pub fn find(&self, spellings: &[&str]) -> Option<usize> {
        find_column(&self.normalized, spellings)
    }

    pub fn has(&self, spellings: &[&str]) -> bool {
        self.find(spellings).is_some()
    }

    /// The header's columns as written, each cut to 30 characters, for a message about a
    /// column that is missing: `Badge, Timestamp, Event`.
    pub fn as_written(&self) -> String {
        self.names
            .iter()
            .map(|n| shorten(n, 30))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The index of the first header equal to one of `spellings` (normalized), by preference.
pub fn find_column(normalized_headers: &[String], spellings: &[&str]) -> Option<usize> {
    spellings
        .iter()
        .find_map(|s| normalized_headers.iter().position(|h| h == s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semicolon_with_decimal_comma_is_semicolon() {
        let text = "Name;Date;In;Out;Hours\nAnna;06.03.2025;09:00;17:00;7,5\nBo;06.03.2025;09:00;12:00;3,0\n";
        assert_eq!(sniff_delimiter(text), b';');
    }

    #[test]
    fn tab_with_comma_timestamps_is_tab() {
        let text = "Name\tFirst Join\tLast Leave\nA\t3/6/25, 9:00:00 AM\t3/6/25, 5:00:00 PM\n";
        assert_eq!(sniff_delimiter(text), b'\t');
    }

    #[test]
    fn lines_are_physical_and_blank_rows_dropped() {
        let table = parse_text("a,b,,\r\n\r\n\"x\ny\",2\r\nz,3,,\r\n,,\r\n", "UTF-8").unwrap();
        let lines: Vec<usize> = table.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![1, 3, 5]);
        assert_eq!(table.rows[0].cells().collect::<Vec<_>>(), vec!["a", "b"]);
        assert_eq!(table.rows[1].raw(0), Some("x\ny"));
    }

    #[test]
    fn cells_are_kept_as_written_and_read_trimmed() {
        let table = parse_text("a, b ,,c\n\"q,\"\"x\"\"\",\u{e9}\n", "UTF-8").unwrap();
        let row = &table.rows[0];
        assert_eq!(row.len(), 4);
        assert_eq!(row.cells().collect::<Vec<_>>(), vec!["a", " b ", "", "c"]);
        assert_eq!((row.cell(1), row.cell(2), row.cell(9)), ("b", "", ""));
        assert_eq!(row.raw(4), None);
        assert_eq!(
            table.rows[1].cells().collect::<Vec<_>>(),
            vec!["q,\"x\"", "\u{e9}"]
        );
    }

    #[test]
    fn excel_sep_hint_wins() {
        let table = parse_text("sep=;\nName;Note\nAva;a,b,c,d\n", "UTF-8").unwrap();
        assert_eq!(table.delimiter, b';');
        assert_eq!(table.rows[0].line, 2);
        assert_eq!(
            table.rows[1].cells().collect::<Vec<_>>(),
            vec!["Ava", "a,b,c,d"]
        );
    }

    #[test]
    fn windows_1252_accents_decode() {
        let (text, encoding) = decode(b"Ren\xe9e");
        assert_eq!(text, "Renée");
        assert_eq!(encoding, "Windows-1252");
    }

    #[test]
    fn headers_ignore_case_spaces_underscores_hyphens() {
        assert_eq!(normalize_header(" E-mail_Address "), "emailaddress");
    }
}
