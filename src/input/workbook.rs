//! Workbooks (.xlsx, .xls, .ods) read as tables, so a roster or sign-in sheet kept in Excel or
//! LibreOffice needs no "Save as CSV" (docs/attendance.md, "Workbooks"). Reading is calamine's;
//! this module turns each sheet's cells into the same rows of text a CSV file gives, so the
//! header matching and every value reader are the CSV ones.
//!
//! Cells become the text a CSV export of them would hold, with dates and times as the workbook
//! stores them rather than as it displays them: a date-time cell is a serial number of days in
//! the workbook's date system (1900 or 1904, read from the workbook) and becomes
//! `2025-03-06 09:00:00`, its fraction rounded to the nearest whole second (Excel stores
//! `09:00` typed by hand as `0.375`, but a computed or pasted time can be `08:59:59.9999`,
//! which reads as 09:00:00); a time-only cell (serial below 1) becomes `09:00:00` and a
//! date-only one `2025-03-06`. Whole numbers lose Excel's `.0` (a phone number or id stays
//! `4035550199`). Text cells stay text, read like CSV text.

use super::table::{Row, Table, Unreadable};
use calamine::{Data, Reader, open_workbook_auto_from_rs};
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use std::io::Cursor;

/// True when `bytes` are a workbook: a zip archive (.xlsx, .ods) or an OLE2 compound file
/// (.xls), whatever the file is called.
pub fn is_workbook(bytes: &[u8]) -> bool {
    super::table::spreadsheet_kind(bytes).is_some()
}

/// Every sheet of the workbook `bytes` that holds a non-blank cell, as a table (in sheet
/// order), each row's `line` its row number in the sheet and each cell at its column's
/// index (column A is 0). A sheet that cannot be read (a chart sheet, say) is passed over.
/// Errors: the workbook cannot be opened, or no sheet can be read ([`Unreadable::Workbook`]);
/// no sheet holds anything ([`Unreadable::Empty`]).
pub fn read(bytes: &[u8]) -> Result<Vec<Table>, Unreadable> {
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| Unreadable::Workbook(e.to_string()))?;
    let mut tables = Vec::new();
    let mut first_error = None;
    for name in workbook.sheet_names() {
        match workbook.worksheet_range(&name) {
            Ok(range) => tables.extend(sheet_table(name, &range)),
            Err(error) => {
                first_error.get_or_insert_with(|| format!("sheet `{name}`: {error}"));
            }
        }
    }
    if tables.is_empty() {
        return Err(first_error.map_or(Unreadable::Empty, Unreadable::Workbook));
    }
    Ok(tables)
}

/// The sheet `name` as a table; `None` when it holds nothing.
fn sheet_table(name: String, range: &calamine::Range<Data>) -> Option<Table> {
    let (first_row, first_column) = range.start()?;
    let offset = first_column as usize;
    let mut rows = Vec::new();
    let mut cells = Vec::new();
    for (index, row) in range.rows().enumerate() {
        cells.clear();
        cells.resize(offset, String::new());
        cells.extend(row.iter().map(cell_text));
        if let Some(row) = Row::from_cells(first_row as usize + index + 1, &cells) {
            rows.push(row);
        }
    }
    if rows.is_empty() {
        return None;
    }
    Some(Table {
        rows,
        delimiter: b',',
        encoding: "workbook",
        sheet: Some(name),
        likelier: None,
    })
}

/// One cell as the text a CSV export of it would hold (see the module documentation).
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::Int(n) => n.to_string(),
        Data::Float(x) => number_text(*x),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(serial) if serial.is_duration() => duration_text(serial.as_f64() * 86_400.0),
        Data::DateTime(serial) => {
            let (y, mo, d, h, mi, s, ms) = serial.to_ymd_hms_milli();
            let whole_day = serial.as_f64().fract() == 0.0;
            serial_text((y, mo, d, h, mi, s, ms), serial.as_f64() < 1.0, whole_day)
        }
        Data::DateTimeIso(text) => iso_text(text),
        Data::DurationIso(text) => iso_duration_text(text).unwrap_or_else(|| text.clone()),
        Data::Error(error) => error.to_string(),
    }
}

/// A number without Excel's `.0` when it is whole (ids, phone numbers, counts).
fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        x.to_string()
    }
}

/// Seconds as `HH:MM:SS` (hours beyond 99 as they are), rounded to the nearest second.
fn duration_text(seconds: f64) -> String {
    let total = seconds.round() as i64;
    let sign = if total < 0 { "-" } else { "" };
    let total = total.abs();
    format!(
        "{sign}{:02}:{:02}:{:02}",
        total / 3600,
        total / 60 % 60,
        total % 60
    )
}

/// A serial date-time's parts (from calamine, to the millisecond) as text, rounded to the
/// nearest whole second: the time alone when the serial is below 1 (`time_only`), the date
/// alone when the serial is a whole day (`date_only`).
fn serial_text(
    (y, mo, d, h, mi, s, ms): (u16, u8, u8, u8, u8, u8, u16),
    time_only: bool,
    date_only: bool,
) -> String {
    let date = NaiveDate::from_ymd_opt(i32::from(y), u32::from(mo), u32::from(d));
    let time = NaiveTime::from_hms_opt(u32::from(h), u32::from(mi), u32::from(s));
    let (Some(date), Some(time)) = (date, time) else {
        // Excel's 1900-02-29, which never was.
        return format!("{y:04}-{mo:02}-{d:02}");
    };
    let rounded = NaiveDateTime::new(date, time) + Duration::seconds(i64::from(ms >= 500));
    if time_only {
        return rounded.format("%H:%M:%S").to_string();
    }
    if date_only && rounded.num_seconds_from_midnight() == 0 {
        return rounded.format("%Y-%m-%d").to_string();
    }
    rounded.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// An OpenDocument date value (`2025-03-06`, `2025-03-06T08:59:59.9999`) as text, rounded to
/// the nearest whole second; anything else as written.
fn iso_text(text: &str) -> String {
    if let Ok(at) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
        let nanos = at.nanosecond();
        let rounded = at.with_nanosecond(0).unwrap_or(at)
            + Duration::seconds(i64::from(nanos >= 500_000_000));
        return rounded.format("%Y-%m-%d %H:%M:%S").to_string();
    }
    text.to_string()
}

/// An OpenDocument time value (`PT09H00M00S`, `PT08H59M59.9999S`) as `HH:MM:SS`.
fn iso_duration_text(text: &str) -> Option<String> {
    let rest = text.strip_prefix("PT")?;
    let (hours, rest) = rest.split_once('H')?;
    let (minutes, rest) = rest.split_once('M')?;
    let seconds = rest.strip_suffix('S')?;
    let total = hours.parse::<f64>().ok()? * 3600.0
        + minutes.parse::<f64>().ok()? * 60.0
        + seconds.parse::<f64>().ok()?;
    Some(duration_text(total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    fn serial(value: f64, is_1904: bool) -> String {
        cell_text(&Data::DateTime(ExcelDateTime::new(
            value,
            ExcelDateTimeType::DateTime,
            is_1904,
        )))
    }

    #[test]
    fn serials_in_both_date_systems_round_to_the_second() {
        // 2025-03-06 is serial 45722 in the 1900 system and 44260 in the 1904 system.
        assert_eq!(serial(45722.375, false), "2025-03-06 09:00:00");
        assert_eq!(serial(44260.375, true), "2025-03-06 09:00:00");
        assert_eq!(serial(45722.0, false), "2025-03-06");
        let almost_nine = (9.0 * 3600.0 - 0.0001) / 86_400.0;
        assert_eq!(serial(almost_nine, false), "09:00:00");
        assert_eq!(serial(45722.0 + almost_nine, false), "2025-03-06 09:00:00");
        let just_after = (9.0 * 3600.0 + 0.4) / 86_400.0;
        assert_eq!(serial(45722.0 + just_after, true), "2029-03-07 09:00:00");
        let before_midnight = 45722.0 + (86_400.0 - 0.2) / 86_400.0;
        assert_eq!(serial(before_midnight, false), "2025-03-07 00:00:00");
    }

    #[test]
    fn numbers_text_and_opendocument_values() {
        assert_eq!(cell_text(&Data::Float(4035550199.0)), "4035550199");
        assert_eq!(cell_text(&Data::Float(7.5)), "7.5");
        assert_eq!(cell_text(&Data::Int(12)), "12");
        assert_eq!(cell_text(&Data::String(" x ".into())), " x ");
        assert_eq!(
            cell_text(&Data::DateTimeIso("2025-03-06T08:59:59.9999".into())),
            "2025-03-06 09:00:00"
        );
        assert_eq!(
            cell_text(&Data::DateTimeIso("2025-03-06".into())),
            "2025-03-06"
        );
        assert_eq!(
            cell_text(&Data::DurationIso("PT08H59M59.9999S".into())),
            "09:00:00"
        );
    }
}
