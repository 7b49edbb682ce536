//! Time zones as exports and administrators name them (an IANA zone, `UTC`, `GMT-7`, an
//! offset such as `-07:00`), a zone written at the end of a header or a cell, and the UTC
//! instant of a local time, which a daylight-saving gap or fold leaves without one.

use chrono::{
    DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc,
};
use chrono_tz::Tz;

/// Why a local time has no single UTC instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoneProblem {
    /// The clock skipped this time (spring forward).
    Gap,
    /// The clock showed this time twice (fall back).
    Fold(DateTime<Utc>, DateTime<Utc>),
}

/// A time zone that a file declaration (course.toml), a column header (`Join Time (UTC)`) or a
/// cell (`… 03:55 PM GMT-7`) names: an IANA zone, or a fixed offset from UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Named(Tz),
    Fixed(FixedOffset),
}

impl Zone {
    /// Reads `UTC`, `GMT`, `Z`, `UTC-7`, `GMT+05:30`, `UTC−07:00`, `-0700`, `+01` or an IANA
    /// zone name (`America/New_York`). `None` for anything else.
    pub fn parse(text: &str) -> Option<Zone> {
        let text = text.trim();
        // Most cells and headers end in a word that is no zone (`AM`, `Name`): leave them
        // without allocating.
        let prefix_is = |p: &str| {
            text.get(..p.len())
                .is_some_and(|t| t.eq_ignore_ascii_case(p))
        };
        let maybe = text.starts_with(['+', '-', '\u{2212}'])
            || text.contains('/')
            || prefix_is("UTC")
            || prefix_is("GMT")
            || text.eq_ignore_ascii_case("Z")
            || text.eq_ignore_ascii_case("UT");
        if !maybe {
            return None;
        }
        let text = text.replace('\u{2212}', "-");
        let upper = text.to_ascii_uppercase();
        if matches!(upper.as_str(), "UTC" | "GMT" | "Z" | "UT") {
            return Some(Zone::Fixed(FixedOffset::east_opt(0)?));
        }
        let offset = upper
            .strip_prefix("UTC")
            .or_else(|| upper.strip_prefix("GMT"))
            .unwrap_or(&upper)
            .trim();
        if let Some(zone) = parse_offset(offset) {
            return Some(Zone::Fixed(zone));
        }
        // IANA names have a slash (`America/Edmonton`) or are `UTC`-like; a bare word such as
        // `PM` or `Minutes` is never read as a zone.
        if text.contains('/') {
            return text.parse::<Tz>().ok().map(Zone::Named);
        }
        None
    }

    /// How the zone is shown in messages: `America/Edmonton`, `UTC`, `UTC-07:00`.
    pub fn name(&self) -> String {
        match self {
            Zone::Named(tz) => tz.name().to_string(),
            Zone::Fixed(offset) if offset.local_minus_utc() == 0 => "UTC".to_string(),
            Zone::Fixed(offset) => format!("UTC{offset}"),
        }
    }

    /// The UTC instant of a local date and time in this zone.
    pub fn to_utc(&self, date: NaiveDate, time: NaiveTime) -> Result<DateTime<Utc>, ZoneProblem> {
        match self {
            Zone::Named(tz) => local_to_utc(date, time, *tz),
            Zone::Fixed(offset) => {
                match offset.from_local_datetime(&NaiveDateTime::new(date, time)) {
                    LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
                    _ => Err(ZoneProblem::Gap),
                }
            }
        }
    }

    /// The zone's offset from UTC at `instant`.
    pub fn offset_at(&self, instant: DateTime<Utc>) -> FixedOffset {
        match self {
            Zone::Named(tz) => instant.with_timezone(tz).offset().fix(),
            Zone::Fixed(offset) => *offset,
        }
    }

    /// The local date and time of `instant` in this zone.
    pub fn local(&self, instant: DateTime<Utc>) -> NaiveDateTime {
        instant
            .with_timezone(&self.offset_at(instant))
            .naive_local()
    }
}

/// `+07`, `-7`, `+0700`, `-07:00`, `+5:30` as an offset (at most ±18 hours).
fn parse_offset(text: &str) -> Option<FixedOffset> {
    let (sign, digits) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    if !digits.bytes().all(|b| b.is_ascii_digit() || b == b':') {
        return None;
    }
    let (hours, minutes) = match digits.split_once(':') {
        Some((h, m)) => (h, m),
        None if digits.len() == 4 => digits.split_at(2),
        None => (digits, "0"),
    };
    if hours.is_empty()
        || hours.len() > 2
        || minutes.len() > 2
        || !hours
            .chars()
            .chain(minutes.chars())
            .all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let (hours, minutes): (i32, i32) = (hours.parse().ok()?, minutes.parse().ok()?);
    if hours > 18 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

/// Splits a trailing zone off a header or a cell: `Join Time (UTC)` -> (`Join Time`, UTC),
/// `Leave Time [GMT-7]`, `Join Time UTC`, `03/07/2025 03:55 PM -07:00`. `None` when the text
/// ends in no zone (`Name (Original Name)`, `Duration (Minutes)`, `5:00 PM`).
pub fn split_zone_suffix(text: &str) -> Option<(&str, Zone)> {
    let text = text.trim();
    for (open, close) in [('(', ')'), ('[', ']')] {
        if let Some(inner) = text.strip_suffix(close)
            && let Some(at) = inner.rfind(open)
        {
            let zone = Zone::parse(&inner[at + 1..])?;
            return Some((inner[..at].trim_end(), zone));
        }
    }
    let at = text.rfind(char::is_whitespace)?;
    let (rest, last) = (text[..at].trim_end(), &text[at..]);
    if rest.is_empty() {
        return None;
    }
    Zone::parse(last).map(|zone| (rest, zone))
}

/// The UTC instant of a local date and time in `zone`.
pub fn local_to_utc(
    date: NaiveDate,
    time: NaiveTime,
    zone: Tz,
) -> Result<DateTime<Utc>, ZoneProblem> {
    match zone.from_local_datetime(&NaiveDateTime::new(date, time)) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, b) => Err(ZoneProblem::Fold(
            a.with_timezone(&Utc),
            b.with_timezone(&Utc),
        )),
        LocalResult::None => Err(ZoneProblem::Gap),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn zones_split_off_headers_and_cells_and_nothing_else() {
        let utc = Zone::Fixed(FixedOffset::east_opt(0).unwrap());
        let minus =
            |h: i32, m: i32| Zone::Fixed(FixedOffset::east_opt(-(h * 3600 + m * 60)).unwrap());
        let cases = [
            ("Join Time (UTC)", Some(("Join Time", utc))),
            ("Leave Time [GMT-7]", Some(("Leave Time", minus(7, 0)))),
            ("Sign In (UTC\u{2212}05:00)", Some(("Sign In", minus(5, 0)))),
            ("Timestamp UTC", Some(("Timestamp", utc))),
            (
                "03/07/2025 10:55 AM -0530",
                Some(("03/07/2025 10:55 AM", minus(5, 30))),
            ),
            (
                "Join Time (America/New_York)",
                Some((
                    "Join Time",
                    Zone::Named("America/New_York".parse().unwrap()),
                )),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(split_zone_suffix(text), expected, "{text}");
        }
        for text in [
            "Name (Original Name)",
            "Duration (Minutes)",
            "Participant ID (UPN)",
            "5:00 PM",
            "2025-03-06 17:00",
            "Sign In",
            "Zip/Postal Code",
            "UTC",
            "Join Time (Mars/Olympus)",
            "Leave Time (UTC+25)",
            "10:00 +1\u{e9}1",
            "Join Time (GMT+\u{e9}\u{e9})",
        ] {
            assert_eq!(split_zone_suffix(text), None, "{text}");
        }
    }

    #[test]
    fn dst_gap_is_reported() {
        let zone: Tz = "America/Edmonton".parse().unwrap();
        let gap = local_to_utc(
            d(2025, 3, 9),
            NaiveTime::from_hms_opt(2, 30, 0).unwrap(),
            zone,
        );
        assert_eq!(gap, Err(ZoneProblem::Gap));
    }
}
