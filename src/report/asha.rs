//! The participant file for the ASHA CE Registry (`ceu report asha`), built from the same
//! evaluation `check` and `issue` use, so nothing is typed twice: one row per attendee who
//! asked for ASHA credit, is eligible, completed (fully or in part) and is not held back by a
//! finding, with the CEUs the evaluation awarded.
//!
//! The column layout is data, not code ([`Columns`]): ASHA's current Excel Reporting Template
//! is UNCONFIRMED (compliance.md §1.5), so a provider adjusts `asha-report-columns.toml` in the
//! records root when ASHA changes it. Both files are byte-reproducible: the .xlsx carries the
//! offering's end date as its creation time and rust_xlsxwriter's fixed zip times.
//!
//! Rules (docs/rules.md): ASHA-REPORT-2 (a missing name drops the row; a missing address or
//! email is a warning and the row is listed, as ASHA asks), ASHA-REPORT-3 (account number
//! digits), ASHA-REPORT-4 (each CEU within the course CEUs and a multiple of 0.05),
//! ASHA-REPORT-5 (zero participants still get a file that says so). None holds back a
//! certificate: they are this report's, not the evaluation's.

use crate::bodies::format_hundredths;
use crate::findings::Severity;
use crate::offering::Offering;
use crate::roster::{Attendee, Body};
use crate::rules::Report;
pub use crate::rules::participants::Row;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The built-in column layout (templates/asha-report-columns.toml).
pub const DEFAULT_COLUMNS: &str = include_str!("../../templates/asha-report-columns.toml");

/// The file name of a provider's own layout, in the records root; it wins over the built-in.
pub const COLUMNS_FILE: &str = "asha-report-columns.toml";

/// What one column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// An empty column ASHA's template has and ceu cannot fill.
    #[serde(rename = "")]
    Empty,
    FirstName,
    LastName,
    Email,
    Street,
    City,
    Region,
    PostalCode,
    Country,
    AshaAccount,
    /// The CEUs earned, two decimals (a number in the .xlsx).
    Ceus,
    AttendeeId,
    ProviderCode,
    CourseNumber,
    OfferingNumber,
    CourseTitle,
    StartDate,
    EndDate,
}

/// One column: its header as printed, and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    pub header: String,
    pub source: Source,
}

/// A versioned column layout.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Columns {
    /// Raised whenever the layout changes; printed in the report's summary sheet.
    pub version: u32,
    #[serde(rename = "column")]
    pub columns: Vec<Column>,
}

impl Columns {
    /// Parses a layout. Errors: not TOML, an unknown source, or no column at all.
    pub fn parse(text: &str) -> Result<Columns, String> {
        let columns: Columns = toml::from_str(text).map_err(|e| e.to_string())?;
        if columns.columns.is_empty() {
            return Err("the layout has no [[column]]".into());
        }
        Ok(columns)
    }

    /// The layout in force: `<root>/asha-report-columns.toml` when it exists, else the
    /// built-in one. Returns the file it came from (None: built-in).
    pub fn load(root: &Path) -> anyhow::Result<(Columns, Option<PathBuf>)> {
        let path = root.join(COLUMNS_FILE);
        if path.is_file() {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            let columns =
                Columns::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            return Ok((columns, Some(path)));
        }
        let columns = Columns::parse(DEFAULT_COLUMNS)
            .map_err(|e| anyhow::anyhow!("built-in asha-report-columns.toml: {e}"))?;
        Ok((columns, None))
    }
}

/// A problem with one participant's row (ASHA-REPORT-2/3/4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub rule: crate::catalogue::RuleId,
    pub severity: Severity,
    pub attendee_id: String,
    pub message: String,
}

/// Someone who asked for ASHA credit and is not in the file, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excluded {
    pub attendee_id: String,
    pub name: String,
    pub reason: String,
}

/// The whole participant report of one offering.
#[derive(Debug, Clone)]
pub struct AshaReport {
    pub offering_id: String,
    pub title: String,
    pub provider_name: String,
    pub provider_code: String,
    pub course_number: String,
    pub offering_number: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// The course's registered ASHA CEUs, in hundredths.
    pub course_hundredths: i64,
    /// The reporting deadline (ASHA-REPORT-1), from the evaluation.
    pub due: Option<NaiveDate>,
    pub rows: Vec<Row>,
    /// Row problems: errors dropped the row, warnings did not.
    pub problems: Vec<Problem>,
    /// Who asked for ASHA credit and is not reported.
    pub excluded: Vec<Excluded>,
}

/// Builds the report from a loaded offering and its evaluation. `None`: the course offers no
/// ASHA credit.
pub fn build(offering: &Offering, report: &Report) -> Option<AshaReport> {
    let course = &offering.record.course;
    let asha = course.credit.asha.as_ref()?.get_ref();
    let course_hundredths = asha.ceus.get_ref().hundredths;
    let by_id: HashMap<&str, &Attendee> = offering
        .roster
        .attendees
        .iter()
        .map(|a| (a.id(), a))
        .collect();
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut excluded = Vec::new();
    for outcome in &report.attendees {
        let Some(award) = outcome.credits.iter().find(|a| a.body == Body::Asha) else {
            continue;
        };
        if !award.requested {
            continue;
        }
        let exclude = |reason: String| Excluded {
            attendee_id: outcome.attendee_id.to_string(),
            name: outcome.name.to_string(),
            reason,
        };
        let units = award.amount.map_or(0, |a| a.units);
        if !award.eligible || units == 0 {
            excluded.push(exclude(award.reason.to_string()));
            continue;
        }
        if !outcome.blocked_by.is_empty() {
            excluded.push(exclude(format!(
                "held back by {} (as the certificate is); reported once resolved",
                outcome.blocked_by.join(", ")
            )));
            continue;
        }
        let Some(attendee) = by_id.get(outcome.attendee_id.as_str()) else {
            continue;
        };
        let id = outcome.attendee_id.to_string();
        let row = Row::of(attendee, id.clone(), units);
        let (listed, found) = row.problems(course_hundredths);
        problems.extend(found.into_iter().map(|(rule, severity, message)| Problem {
            rule,
            severity,
            attendee_id: id.clone(),
            message,
        }));
        if !listed {
            continue;
        }
        rows.push(row);
    }
    rows.sort_by(|a, b| a.attendee_id.cmp(&b.attendee_id));
    Some(AshaReport {
        offering_id: offering.id().to_string(),
        title: course.offering.title.get_ref().clone(),
        provider_name: course.provider.name.clone(),
        provider_code: asha.provider_code.get_ref().clone(),
        course_number: asha.course_number.clone(),
        offering_number: asha.offering_number.clone(),
        start_date: course.offering.start_date,
        end_date: course.offering.end_date,
        course_hundredths,
        due: report.asha_report_due,
        rows,
        problems,
        excluded,
    })
}

/// One cell's content.
enum Cell {
    Text(String),
    Hundredths(i64),
}

impl AshaReport {
    fn cell(&self, row: &Row, source: Source) -> Cell {
        let text = |s: &str| Cell::Text(s.to_string());
        match source {
            Source::Empty => text(""),
            Source::FirstName => text(&row.first_name),
            Source::LastName => text(&row.last_name),
            Source::Email => text(&row.email),
            Source::Street => text(&row.street),
            Source::City => text(&row.city),
            Source::Region => text(&row.region),
            Source::PostalCode => text(&row.postal_code),
            Source::Country => text(&row.country),
            Source::AshaAccount => text(&row.asha_account),
            Source::Ceus => Cell::Hundredths(row.ceu_hundredths),
            Source::AttendeeId => text(&row.attendee_id),
            Source::ProviderCode => text(&self.provider_code),
            Source::CourseNumber => text(&self.course_number),
            Source::OfferingNumber => text(&self.offering_number),
            Source::CourseTitle => text(&self.title),
            Source::StartDate => Cell::Text(self.start_date.to_string()),
            Source::EndDate => Cell::Text(self.end_date.to_string()),
        }
    }

    /// The sum of every row's CEUs, in hundredths.
    pub fn total_hundredths(&self) -> i64 {
        self.rows.iter().map(|r| r.ceu_hundredths).sum()
    }

    /// The report as CSV: a header row, then one row per participant; every cell neutralised
    /// against formula prefixes as every CSV ceu writes ([`crate::input::text::csv_safe`]).
    pub fn csv(&self, columns: &Columns) -> Vec<u8> {
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        let headers: Vec<String> = columns
            .columns
            .iter()
            .map(|c| crate::input::text::csv_safe(&c.header))
            .collect();
        // Writing to a Vec cannot fail.
        out.write_record(&headers).expect("write to memory");
        for row in &self.rows {
            let cells: Vec<String> = columns
                .columns
                .iter()
                .map(|c| match self.cell(row, c.source) {
                    Cell::Text(t) => crate::input::text::csv_safe(&t),
                    Cell::Hundredths(h) => format_hundredths(h),
                })
                .collect();
            out.write_record(&cells).expect("write to memory");
        }
        out.into_inner().expect("write to memory")
    }

    /// The report as an .xlsx workbook: sheet "Participants" (the columns), then sheet
    /// "Offering" (the course, the deadline, the count; says so when nobody is reported). The
    /// bytes depend on the inputs only: the creation time is the offering's end date.
    pub fn xlsx(&self, columns: &Columns) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
        let mut workbook = Workbook::new();
        let created = ExcelDateTime::from_ymd(
            u16::try_from(self.end_date.year()).unwrap_or(1970),
            self.end_date.month() as u8,
            self.end_date.day() as u8,
        )?;
        let properties = DocProperties::new()
            .set_title(format!("ASHA participant report {}", self.offering_id))
            .set_author(&self.provider_name)
            .set_comment(format!(
                "written by ceu {}, column layout version {}",
                crate::VERSION,
                columns.version
            ))
            .set_creation_datetime(&created);
        workbook.set_properties(&properties);
        let bold = Format::new().set_bold();
        let ceus = Format::new().set_num_format("0.00");

        let sheet = workbook.add_worksheet();
        sheet.set_name("Participants")?;
        for (c, column) in columns.columns.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            sheet.write_string_with_format(0, c, &column.header, &bold)?;
        }
        for (r, row) in self.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
            for (c, column) in columns.columns.iter().enumerate() {
                let c = u16::try_from(c).unwrap_or(u16::MAX);
                match self.cell(row, column.source) {
                    Cell::Text(t) if t.is_empty() => {}
                    Cell::Text(t) => {
                        sheet.write_string(r, c, &t)?;
                    }
                    Cell::Hundredths(h) => {
                        // Exact: a multiple of 0.05 below 10^13 is the nearest double to it.
                        sheet.write_number_with_format(r, c, h as f64 / 100.0, &ceus)?;
                    }
                }
            }
        }

        let summary = workbook.add_worksheet();
        summary.set_name("Offering")?;
        let participants = if self.rows.is_empty() {
            "0: no ASHA participants; report this offering to ASHA with zero participants"
                .to_string()
        } else {
            self.rows.len().to_string()
        };
        let lines: [(&str, String); 11] = [
            ("Offering", self.offering_id.clone()),
            ("Course title", self.title.clone()),
            ("Provider", self.provider_name.clone()),
            ("Provider code", self.provider_code.clone()),
            ("Course number", self.course_number.clone()),
            ("Offering number", self.offering_number.clone()),
            ("Dates", format!("{} to {}", self.start_date, self.end_date)),
            (
                "Course ASHA CEUs",
                format_hundredths(self.course_hundredths),
            ),
            ("Participants", participants),
            (
                "Report due",
                self.due.map_or_else(String::new, |d| d.to_string()),
            ),
            ("Column layout version", columns.version.to_string()),
        ];
        for (r, (key, value)) in lines.iter().enumerate() {
            let r = u32::try_from(r).unwrap_or(u32::MAX);
            summary.write_string_with_format(r, 0, *key, &bold)?;
            summary.write_string(r, 1, value)?;
        }
        workbook.save_to_buffer()
    }
}
