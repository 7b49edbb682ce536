//! What one attendance file says, collected while its format reader walks the rows: presences,
//! row findings (attendee scope) and file findings (offering scope). Reading a time cell
//! (`stamps`) and the file's time zones (`zones`) are the builder's two larger jobs.

mod stamps;
mod zones;

use super::identity::Identity;
use super::{IngestContext, Presence, Role};
use crate::catalogue::ids;
use crate::findings::{Finding, Location, Severity};
use crate::input::table::Row;
use crate::input::when;
use crate::input::zone::Zone;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use std::collections::HashSet;
use std::hash::{BuildHasher, Hash, Hasher, RandomState};
use std::path::Path;

/// Collects what one file says while its format reader walks the rows.
pub(crate) struct FileBuilder<'a> {
    pub display: &'a Path,
    /// The zone of times written without one: the zone declared for the file in course.toml,
    /// else the offering's.
    pub zone: Zone,
    /// The zone declared for the file in course.toml, if any.
    declared: Option<Tz>,
    /// Zones named in the table's column headers (`Join Time (UTC)`), by column index; set by
    /// the format reader with [`FileBuilder::use_header`].
    column_zones: Vec<Option<Zone>>,
    /// The first place where two zones the file is said to be in disagree (line, message).
    zone_conflict: Option<(usize, String)>,
    /// The offering's dates and the day before and after each (see [`FileBuilder::stamp_on`]).
    neighbour_dates: Vec<NaiveDate>,
    pub ctx: &'a IngestContext,
    pub presences: Vec<Presence>,
    pub row_findings: Vec<(Identity, Finding)>,
    pub findings: Vec<Finding>,
    /// The rows read so far, to spot exact repeats. Borrowed from the table: copying every
    /// row's cells was the largest cost of reading a long sheet.
    seen_rows: HashSet<TrimmedRow<'a>>,
    /// Hashes a row's trimmed cells in one go (see [`TrimmedRow`]).
    row_hasher: RandomState,
    row_bytes: Vec<u8>,
}

/// A row as `DATA-DUPLICATE-ROW` compares rows: its cells, each trimmed. `hash` is computed
/// once from the trimmed cells (equal rows, equal hashes), which is cheaper than hashing the
/// cells one by one inside the set.
struct TrimmedRow<'a> {
    row: &'a Row,
    hash: u64,
}

impl PartialEq for TrimmedRow<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash
            && self.row.len() == other.row.len()
            && self
                .row
                .cells()
                .zip(other.row.cells())
                .all(|(a, b)| a.trim() == b.trim())
    }
}

impl Eq for TrimmedRow<'_> {}

impl Hash for TrimmedRow<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

impl<'a> FileBuilder<'a> {
    /// `rows` is how many rows the file has (to size the duplicate check once).
    pub(super) fn new(
        display: &'a Path,
        declared: Option<Tz>,
        ctx: &'a IngestContext,
        rows: usize,
    ) -> Self {
        FileBuilder {
            display,
            zone: Zone::Named(declared.unwrap_or(ctx.time_zone)),
            declared,
            column_zones: Vec::new(),
            zone_conflict: None,
            neighbour_dates: ctx
                .dates
                .iter()
                .flat_map(|d| [d.pred_opt(), Some(*d), d.succ_opt()])
                .flatten()
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect(),
            ctx,
            presences: Vec::with_capacity(rows),
            row_findings: Vec::new(),
            findings: Vec::new(),
            seen_rows: HashSet::with_capacity(rows),
            row_hasher: RandomState::new(),
            row_bytes: Vec::new(),
        }
    }

    pub fn location(&self, line: usize, column: Option<usize>) -> Location {
        let location = Location::line(self.display, line);
        match column {
            Some(index) => location.with_column(index + 1),
            None => location,
        }
    }

    /// Records an attendee-scoped row finding. `column` is a 0-based cell index.
    #[allow(clippy::too_many_arguments)]
    pub fn row_finding(
        &mut self,
        who: &Identity,
        rule: &str,
        severity: Severity,
        line: usize,
        column: Option<usize>,
        message: String,
        fix: String,
    ) {
        let location = self.location(line, column);
        let message = format!("{}: {message}", who.describe());
        self.row_findings.push((
            who.clone(),
            Finding::attendee(rule, severity, None, message, Some(location), fix),
        ));
    }

    /// True (after a `DATA-DUPLICATE-ROW` warning) when the row repeats an earlier row exactly.
    pub fn is_duplicate(&mut self, who: &Identity, row: &'a Row) -> bool {
        self.row_bytes.clear();
        for cell in row.cells() {
            self.row_bytes.extend_from_slice(cell.trim().as_bytes());
            // Never part of UTF-8 text: ends a cell, so ("ab", "c") and ("a", "bc") differ.
            self.row_bytes.push(0xFF);
        }
        let hash = self.row_hasher.hash_one(&self.row_bytes);
        let candidate = TrimmedRow { row, hash };
        let Some(earlier) = self.seen_rows.get(&candidate).map(|seen| seen.row.line) else {
            self.seen_rows.insert(candidate);
            return false;
        };
        self.row_finding(
            who,
            ids::DATA_DUPLICATE_ROW.as_str(),
            Severity::Warning,
            row.line,
            None,
            format!("this row repeats line {earlier} exactly; it is counted once"),
            format!("delete this row (line {}) or line {earlier}", row.line),
        );
        true
    }

    pub fn push(&mut self, who: Identity, start: DateTime<Utc>, end: DateTime<Utc>, line: usize) {
        self.push_as(who, start, end, line, None);
    }

    /// [`Self::push`] for a row the export gives a role (organizer, host, ...).
    pub fn push_as(
        &mut self,
        who: Identity,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        line: usize,
        role: Option<Role>,
    ) {
        self.presences.push(Presence {
            who,
            start,
            end,
            line,
            role,
        });
    }

    /// The local date of an instant in the offering's zone.
    pub fn offering_date(&self, instant: DateTime<Utc>) -> NaiveDate {
        instant.with_timezone(&self.ctx.time_zone).date_naive()
    }

    pub fn is_offering_date(&self, date: NaiveDate) -> bool {
        self.ctx.dates.is_empty() || self.ctx.dates.contains(&date)
    }

    pub fn offering_dates_text(&self) -> String {
        self.ctx
            .dates
            .iter()
            .map(|d| d.format("%Y-%m-%d").to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `DATA-DATE` for a row whose `date` is not one of the offering's, with `fix`.
    pub fn date_outside_offering(
        &mut self,
        who: &Identity,
        line: usize,
        column: usize,
        date: NaiveDate,
        fix: &str,
    ) {
        let message = format!(
            "date {} is not one of the offering's dates ({})",
            when::spell_date(date),
            self.offering_dates_text()
        );
        let fix = fix.to_string();
        self.row_finding(
            who,
            ids::DATA_DATE.as_str(),
            Severity::Error,
            line,
            Some(column),
            message,
            fix,
        );
    }

    /// A local time of an instant as the file's reader sees it: `08:55`.
    pub fn clock(&self, instant: DateTime<Utc>) -> String {
        self.zone.local(instant).format("%H:%M").to_string()
    }

    /// The local date of an instant in the file's zone, spelled out: `6 March 2025`.
    pub fn day(&self, instant: DateTime<Utc>) -> String {
        when::spell_date(self.zone.local(instant).date())
    }
}
