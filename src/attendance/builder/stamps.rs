//! Reading a date, time or timestamp cell into one instant: the cell's own zone or offset, else
//! the zone of its column or file; a date outside the offering (`DATA-DATE`), a cell that reads
//! as no time (`DATA-TIME`) and a local time in a daylight-saving gap or fold (`DATA-DST`) are
//! row findings, never guesses.

use super::FileBuilder;
use crate::attendance::identity::Identity;
use crate::catalogue::ids;
use crate::findings::Severity;
use crate::input::table::Row;
use crate::input::text::shorten;
use crate::input::when::{self, When};
use crate::input::zone::{Zone, ZoneProblem};
use chrono::{DateTime, NaiveDate, Utc};

impl<'a> FileBuilder<'a> {
    /// Reads a timestamp cell of a machine export (Zoom, Teams, scanner): a zoned instant, or a
    /// local date and time in the file's zone. Reports `DATA-TIME`, `DATA-DATE` or `DATA-DST`
    /// and returns `None` when the cell cannot give one instant.
    pub fn stamp(
        &mut self,
        who: &Identity,
        row: &Row,
        column: usize,
        header: &str,
    ) -> Option<DateTime<Utc>> {
        self.stamp_on(who, row, column, header, None)
    }

    /// [`Self::stamp`], with the date from a separate Date column (`date_column`) for cells
    /// that hold only a time.
    pub fn stamp_on(
        &mut self,
        who: &Identity,
        row: &Row,
        column: usize,
        header: &str,
        date_column: Option<(usize, &str)>,
    ) -> Option<DateTime<Utc>> {
        let text = row.cell(column);
        // A column in another zone than the offering's can fall on the day before or after
        // an offering date (00:30 UTC on 10 March is the evening of 9 March in Calgary): those
        // days settle a date that reads both ways too.
        let dates = if self.zone_of(column) == Zone::Named(self.ctx.time_zone) {
            &self.ctx.dates
        } else {
            &self.neighbour_dates
        };
        match when::parse_when(text, dates) {
            Ok(When::Instant(instant)) => Some(self.written_instant(row.line, column, instant)),
            Ok(When::Local {
                date: Some(date),
                time,
            }) => self.local(who, row.line, column, date, time.time),
            Ok(When::Local { date: None, time }) if date_column.is_some() => {
                let (date_index, date_header) = date_column?;
                let date_text = row.cell(date_index);
                match when::parse_date(date_text, dates) {
                    Ok(date) => self.local_at(who, row.line, date_index, column, date, time.time),
                    Err(problem) => {
                        self.date_problem(
                            who,
                            row.line,
                            date_index,
                            date_header,
                            date_text,
                            problem,
                        );
                        None
                    }
                }
            }
            Ok(When::Local { date: None, .. }) => {
                self.row_finding(
                    who,
                    ids::DATA_DATE.as_str(),
                    Severity::Error,
                    row.line,
                    Some(column),
                    format!("{header} `{}` has a time but no date", shorten(text, 60)),
                    "export the report again with full dates, e.g. 2025-03-06 09:00:00".into(),
                );
                None
            }
            Err(problem) => {
                self.when_problem(who, row.line, column, header, text, problem);
                None
            }
        }
    }

    /// `DATA-ORDER` for an export row whose leave time (in column `leave`) is before its join
    /// time, naming both times and the date.
    pub fn order_finding(
        &mut self,
        who: &Identity,
        line: usize,
        leave: usize,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) {
        let message = format!(
            "leave time {} on {} is before join time {} on {}",
            self.clock(end),
            self.day(end),
            self.clock(start),
            self.day(start)
        );
        self.row_finding(
            who,
            ids::DATA_ORDER.as_str(),
            Severity::Error,
            line,
            Some(leave),
            message,
            "check the export; correct or delete the row".into(),
        );
    }

    /// Reports a date cell that `when::parse_date` could not read (`DATA-DATE`).
    pub fn date_problem(
        &mut self,
        who: &Identity,
        line: usize,
        column: usize,
        header: &str,
        text: &str,
        problem: when::Problem,
    ) {
        self.cell_problem(who, line, column, header, text, problem, true);
    }

    /// Reports a time or timestamp cell that `when::parse_when` could not read (`DATA-TIME`,
    /// or `DATA-DATE` when its date part reads two ways).
    pub fn when_problem(
        &mut self,
        who: &Identity,
        line: usize,
        column: usize,
        header: &str,
        text: &str,
        problem: when::Problem,
    ) {
        self.cell_problem(who, line, column, header, text, problem, false);
    }

    #[allow(clippy::too_many_arguments)]
    fn cell_problem(
        &mut self,
        who: &Identity,
        line: usize,
        column: usize,
        header: &str,
        text: &str,
        problem: when::Problem,
        date_cell: bool,
    ) {
        let (rule, message, fix) = match problem {
            when::Problem::Unreadable if date_cell => (
                ids::DATA_DATE.as_str(),
                format!(
                    "{header} `{}` is not a date ceu can read; expected a date such as 2025-03-06, 06.03.2025 or 3/6/2025",
                    shorten(text, 60)
                ),
                "write the date as 2025-03-06 (year-month-day)".to_string(),
            ),
            when::Problem::Unreadable if text.is_empty() => (
                ids::DATA_TIME.as_str(),
                format!("{header} is empty"),
                "write the time, e.g. 17:00 or 5:00 PM".to_string(),
            ),
            when::Problem::Unreadable => (
                ids::DATA_TIME.as_str(),
                format!(
                    "{header} `{}` is not a date or time ceu can read; expected a time such as 17:00 or 5:00 PM, or a date and time such as 2025-03-06 17:00",
                    shorten(text, 60)
                ),
                "write 17:00 or 5:00 PM (dates as 2025-03-06)".to_string(),
            ),
            when::Problem::AmbiguousDate(day_first, month_first) => (
                ids::DATA_DATE.as_str(),
                format!(
                    "{header} `{}` could be {} (day first) or {} (month first), and the offering's dates ({}) do not settle it",
                    shorten(text, 60),
                    when::spell_date(day_first),
                    when::spell_date(month_first),
                    self.offering_dates_text()
                ),
                format!(
                    "write the date as {} (year-month-day)",
                    day_first.format("%Y-%m-%d")
                ),
            ),
        };
        self.row_finding(who, rule, Severity::Error, line, Some(column), message, fix);
    }

    /// Converts a local date and time in the zone of `column` (its header's zone, else the
    /// file's), reporting a date outside the offering (`DATA-DATE`) or a daylight-saving gap or
    /// fold (`DATA-DST`).
    pub fn local(
        &mut self,
        who: &Identity,
        line: usize,
        column: usize,
        date: NaiveDate,
        time: chrono::NaiveTime,
    ) -> Option<DateTime<Utc>> {
        self.local_at(who, line, column, column, date, time)
    }

    /// [`Self::local`], with the zone taken from `zone_column` (the time's column when the date
    /// comes from a separate column).
    pub(super) fn local_at(
        &mut self,
        who: &Identity,
        line: usize,
        column: usize,
        zone_column: usize,
        date: NaiveDate,
        time: chrono::NaiveTime,
    ) -> Option<DateTime<Utc>> {
        let zone = self.zone_of(zone_column);
        let converted = zone.to_utc(date, time);
        // The day that counts is the offering's: 00:02 UTC on 8 March is 7 March in Calgary.
        let offering_day = match converted {
            Ok(instant) if zone != Zone::Named(self.ctx.time_zone) => self.offering_date(instant),
            _ => date,
        };
        if !self.is_offering_date(offering_day) {
            self.date_outside_offering(
                who,
                line,
                column,
                date,
                "correct the date, or remove the row if it belongs to another offering",
            );
            return None;
        }
        match converted {
            Ok(instant) => {
                // The header names one zone and course.toml declares another for the file.
                if let (Some(header_zone), Some(declared)) = (
                    self.column_zones.get(zone_column).copied().flatten(),
                    self.declared,
                ) && Zone::Named(declared).to_utc(date, time).ok() != Some(instant)
                {
                    let message = format!(
                        "line {line}: the column header says the times are in {} but course.toml declares {} for this file",
                        header_zone.name(),
                        declared.name()
                    );
                    self.note_zone_conflict(line, message);
                }
                Some(instant)
            }
            Err(problem) => {
                let what = match problem {
                    ZoneProblem::Gap => "did not exist: the clocks jumped forward over it",
                    ZoneProblem::Fold(..) => "happened twice: the clocks fell back over it",
                };
                let message = format!(
                    "{} on {} in {} {what}",
                    time.format("%H:%M"),
                    when::spell_date(date),
                    zone.name()
                );
                let fix = "write the time with its UTC offset (e.g. 2025-03-09T03:30:00-06:00), or correct it".to_string();
                self.row_finding(
                    who,
                    ids::DATA_DST.as_str(),
                    Severity::Error,
                    line,
                    Some(column),
                    message,
                    fix,
                );
                None
            }
        }
    }
}
