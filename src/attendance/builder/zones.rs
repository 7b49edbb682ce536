//! The time zones one attendance file is read in: the zone declared for it in course.toml (else
//! the offering's), a zone named in a column header, a cell's own offset. Two that disagree are
//! one `DATA-ZONE-CONFLICT`; a file whose times all sit whole hours off the agenda is one
//! `DATA-ZONE-SHIFT` (both offering scope).

use super::FileBuilder;
use crate::attendance::Presence;
use crate::catalogue::ids;
use crate::findings::{Finding, Location, Severity};
use crate::input::table::Header;
use crate::input::zone::Zone;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

impl<'a> FileBuilder<'a> {
    /// The zone times in `column` are read in: the zone its header names, else the file's.
    pub(super) fn zone_of(&self, column: usize) -> Zone {
        self.column_zones
            .get(column)
            .copied()
            .flatten()
            .unwrap_or(self.zone)
    }

    /// Takes the header zones of the table the format reader is about to read.
    pub fn use_header(&mut self, header: &Header) {
        self.column_zones = header.zones().to_vec();
    }

    /// A cell that carries its own zone or offset: the instant it names, after checking the
    /// offset against the zone the column header names or the file is declared in.
    pub fn written_instant(
        &mut self,
        line: usize,
        column: usize,
        instant: DateTime<chrono::FixedOffset>,
    ) -> DateTime<Utc> {
        let utc = instant.with_timezone(&Utc);
        let claimed = match (
            self.column_zones.get(column).copied().flatten(),
            self.declared,
        ) {
            (Some(zone), _) => Some((zone, "its column header")),
            (None, Some(tz)) => Some((Zone::Named(tz), "course.toml")),
            (None, None) => None,
        };
        if let Some((zone, source)) = claimed
            && zone.offset_at(utc) != *instant.offset()
        {
            let message = format!(
                "line {line}, column {}: the cell gives the offset UTC{} but {source} says the times are in {} (UTC{} then)",
                column + 1,
                instant.offset(),
                zone.name(),
                zone.offset_at(utc)
            );
            self.note_zone_conflict(line, message);
        }
        utc
    }

    pub(super) fn note_zone_conflict(&mut self, line: usize, message: String) {
        if self.zone_conflict.is_none() {
            self.zone_conflict = Some((line, message));
        }
    }

    /// Two zones the file is said to be in that disagree (a column header, a cell's offset, the
    /// declaration in course.toml): one offering-scope `DATA-ZONE-CONFLICT` error, since every
    /// time in the file is in doubt.
    pub(crate) fn check_zone_conflict(&mut self, file_name: &str) {
        let Some((line, message)) = self.zone_conflict.take() else {
            return;
        };
        let fix = format!(
            "find out which zone the export was written in and say it once: remove or correct the zone in the column header or the cells, or correct [attendance.files.\"{file_name}\"] time_zone in course.toml"
        );
        self.findings.push(Finding::offering(
            ids::DATA_ZONE_CONFLICT.as_str(),
            Severity::Error,
            format!("the file is said to be in two time zones that disagree: {message}"),
            Some(Location::line(self.display, line)),
            fix,
        ));
    }

    /// A file whose people all arrive and leave the same whole number of hours off the agenda
    /// was almost certainly written in another zone: one offering-scope `DATA-ZONE-SHIFT` error.
    pub(crate) fn check_zone_shift(&mut self, file_name: &str) {
        let Some(hours) = zone_shift_hours(&self.presences, &self.ctx.blocks) else {
            return;
        };
        let direction = if hours > 0 { "later" } else { "earlier" };
        let n = hours.abs();
        let plural = if n == 1 { "" } else { "s" };
        let message = format!(
            "times in this file sit {n} hour{plural} {direction} than the agenda: people typically arrive and leave {n} hour{plural} {direction} than the first block starts and the last block ends, read in {}. The file was almost certainly written in another time zone",
            self.zone.name()
        );
        let fix = format!(
            "declare the zone the file was exported in, in course.toml: [attendance.files.\"{file_name}\"] time_zone = \"<IANA zone, e.g. America/Toronto>\"; or correct the agenda if it is the agenda that is wrong"
        );
        self.findings.push(Finding::offering(
            ids::DATA_ZONE_SHIFT.as_str(),
            Severity::Error,
            message,
            Some(Location::file(self.display)),
            fix,
        ));
    }
}

/// The whole-hour shift (non-zero) between a file's presences and the agenda, when the median
/// arrival and the median departure (per person and day, against the day's first block start
/// and last block end) both sit within 20 minutes of the same whole non-zero number of hours.
fn zone_shift_hours(
    presences: &[Presence],
    blocks: &[(DateTime<Utc>, DateTime<Utc>)],
) -> Option<i64> {
    // Days: runs of blocks with gaps under six hours.
    let mut sorted = blocks.to_vec();
    sorted.sort();
    let mut days: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
    for (start, end) in sorted {
        match days.last_mut() {
            Some(day) if (start - day.1).num_hours() < 6 => day.1 = day.1.max(end),
            _ => days.push((start, end)),
        }
    }
    if days.is_empty() {
        return None;
    }
    // Only the medians are used, so the order of this map does not matter.
    let mut spans: HashMap<_, (DateTime<Utc>, DateTime<Utc>)> =
        HashMap::with_capacity(presences.len());
    for p in presences {
        let nearest = days
            .iter()
            .enumerate()
            .min_by_key(|(_, day)| (p.start - day.0).num_seconds().abs())
            .map(|(i, _)| i)?;
        if (p.start - days[nearest].0).num_hours().abs() > 14 {
            continue;
        }
        let span = spans
            .entry((p.who.key_parts(), nearest))
            .or_insert((p.start, p.end));
        span.0 = span.0.min(p.start);
        span.1 = span.1.max(p.end);
    }
    if spans.is_empty() {
        return None;
    }
    let mut arrivals: Vec<i64> = Vec::new();
    let mut departures: Vec<i64> = Vec::new();
    for ((_, day), (start, end)) in &spans {
        arrivals.push((*start - days[*day].0).num_seconds());
        departures.push((*end - days[*day].1).num_seconds());
    }
    let median = |values: &mut Vec<i64>| {
        values.sort_unstable();
        values[values.len() / 2]
    };
    let (arrive, leave) = (median(&mut arrivals), median(&mut departures));
    let hours = (arrive + 1800).div_euclid(3600);
    let near = |seconds: i64| (seconds - hours * 3600).abs() <= 20 * 60;
    (hours != 0 && near(arrive) && near(leave)).then_some(hours)
}
