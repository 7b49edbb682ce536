//! Reading dates, clock times and timestamps as people and exporters write them, without ever
//! guessing: a date that reads two ways is resolved by the offering's dates or reported; a
//! local time that falls in a daylight-saving gap or fold is reported, not shifted.

use super::zone::{ZoneProblem, split_zone_suffix};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use std::borrow::Cow;

/// A clock time as written in a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockTime {
    pub time: NaiveTime,
    /// Written with AM/PM.
    pub meridiem: bool,
    /// Written without AM/PM, hour 1–12 without a leading zero (`5:00`, not `05:00` or
    /// `17:00`): could be a 12-hour time with the AM/PM left off.
    pub bare_twelve: bool,
}

/// What a date or timestamp cell says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// A timestamp with a zone or offset (`2025-03-08T16:00:00Z`,
    /// `03/07/2025 03:55:00 PM UTC`), with the offset it was written in.
    Instant(DateTime<FixedOffset>),
    /// A local time, with the date when the cell carries one.
    Local {
        date: Option<NaiveDate>,
        time: ClockTime,
    },
}

/// Why a cell could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Unreadable,
    /// Both day-first and month-first readings are possible and neither or both are offering
    /// dates.
    AmbiguousDate(NaiveDate, NaiveDate),
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn year_from(text: &str) -> Option<i32> {
    if !text.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n: i32 = text.parse().ok()?;
    match text.len() {
        4 => Some(n),
        2 => Some(2000 + n),
        _ => None,
    }
}

fn small_number(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 2 || !text.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Reads a date: ISO (`2025-03-06`, `2025/03/06`), day-first or month-first numeric
/// (`06.03.2025`, `3/6/2025`, `3/6/25`), or with a month name (`Mar 6, 2025`, `6 March 2025`).
/// A numeric date that reads both ways is settled by `offering` (the offering's dates); when it
/// cannot be, the answer is [`Problem::AmbiguousDate`].
pub fn parse_date(text: &str, offering: &[NaiveDate]) -> Result<NaiveDate, Problem> {
    let text = text.trim().trim_end_matches(',');
    if text.is_empty() {
        return Err(Problem::Unreadable);
    }
    if text.chars().any(|c| c.is_alphabetic()) {
        return parse_named_month_date(text).ok_or(Problem::Unreadable);
    }
    let mut parts = text.split(['/', '.', '-']).map(str::trim);
    let (Some(first), Some(second), Some(third), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Problem::Unreadable);
    };
    if first.len() == 4 {
        let year = year_from(first).ok_or(Problem::Unreadable)?;
        let month = small_number(second).ok_or(Problem::Unreadable)?;
        let day = small_number(third).ok_or(Problem::Unreadable)?;
        return NaiveDate::from_ymd_opt(year, month, day).ok_or(Problem::Unreadable);
    }
    let a = small_number(first).ok_or(Problem::Unreadable)?;
    let b = small_number(second).ok_or(Problem::Unreadable)?;
    let year = year_from(third).ok_or(Problem::Unreadable)?;
    let day_first = NaiveDate::from_ymd_opt(year, b, a);
    let month_first = NaiveDate::from_ymd_opt(year, a, b);
    match (day_first, month_first) {
        (None, None) => Err(Problem::Unreadable),
        (Some(d), None) | (None, Some(d)) => Ok(d),
        (Some(d), Some(m)) if d == m => Ok(d),
        (Some(d), Some(m)) => match (offering.contains(&d), offering.contains(&m)) {
            (true, false) => Ok(d),
            (false, true) => Ok(m),
            _ => Err(Problem::AmbiguousDate(d, m)),
        },
    }
}

fn parse_named_month_date(text: &str) -> Option<NaiveDate> {
    let mut month = None;
    let mut numbers = Vec::new();
    for token in text.split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | '/' | '-')) {
        if token.is_empty() {
            continue;
        }
        let lower = token.to_lowercase();
        if lower.chars().all(|c| c.is_alphabetic()) {
            let prefix: String = lower.chars().take(3).collect();
            if let Some(i) = MONTHS.iter().position(|m| *m == prefix) {
                if month.is_some() {
                    return None;
                }
                month = Some(i as u32 + 1);
            } else if !WEEKDAYS.contains(&prefix.as_str()) {
                return None;
            }
        } else {
            // "6th", "1st"
            let digits = lower.trim_end_matches(|c: char| c.is_alphabetic());
            if !digits.chars().all(|c| c.is_ascii_digit()) || digits.is_empty() {
                return None;
            }
            numbers.push(digits.to_string());
        }
    }
    let month = month?;
    let (day, year) = match numbers.as_slice() {
        [a, b] if a.len() == 4 => (small_number(b)?, year_from(a)?),
        [a, b] => (small_number(a)?, year_from(b)?),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Reads a clock time: `17:00`, `17:00:00`, `9.05`, `5:00 PM`, `5:00pm`, `5 PM`, `5 p.m.`,
/// fractional seconds allowed.
pub fn parse_time(text: &str) -> Option<ClockTime> {
    let trimmed = text.trim();
    // Lower-case and without whitespace; a cell such as `08:55` already is, and is borrowed
    // (every sign-in and sign-out cell of a sheet comes through here).
    let plain = trimmed
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase() && !char::from(b).is_whitespace());
    let compact: Cow<str> = if plain {
        Cow::Borrowed(trimmed)
    } else {
        Cow::Owned(
            trimmed
                .to_lowercase()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect(),
        )
    };
    let (body, meridiem) = if let Some(rest) = strip_meridiem(&compact, Meridiem::Am) {
        (rest, Some(false))
    } else if let Some(rest) = strip_meridiem(&compact, Meridiem::Pm) {
        (rest, Some(true))
    } else {
        (compact.as_ref(), None)
    };
    let body = body.trim();
    let mut parts = body.split(if body.contains(':') { ':' } else { '.' });
    let hour_text = parts.next()?;
    let (minute_text, second_text) = (parts.next(), parts.next());
    if parts.next().is_some() {
        return None;
    }
    if minute_text.is_none() && meridiem.is_none() {
        return None;
    }
    let hour = small_number(hour_text)?;
    let minute = match minute_text {
        Some(m) if m.len() == 2 => small_number(m)?,
        Some(_) => return None,
        None => 0,
    };
    let second = match second_text {
        Some(s) => {
            let whole = s.split('.').next().unwrap_or("");
            if whole.len() != 2 {
                return None;
            }
            let fraction = s.get(3..).unwrap_or("");
            if !fraction.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            small_number(whole)?
        }
        None => 0,
    };
    let hour24 = match meridiem {
        None => hour,
        Some(pm) => {
            if !(1..=12).contains(&hour) {
                return None;
            }
            match (pm, hour) {
                (false, 12) => 0,
                (false, h) => h,
                (true, 12) => 12,
                (true, h) => h + 12,
            }
        }
    };
    let time = NaiveTime::from_hms_opt(hour24, minute, second)?;
    let bare_twelve = meridiem.is_none() && (1..=12).contains(&hour) && !hour_text.starts_with('0');
    Some(ClockTime {
        time,
        meridiem: meridiem.is_some(),
        bare_twelve,
    })
}

#[derive(Clone, Copy)]
enum Meridiem {
    Am,
    Pm,
}

/// `text` without a trailing `am`, `a.m.` or `a` after a digit (or the `pm` forms).
fn strip_meridiem(text: &str, which: Meridiem) -> Option<&str> {
    let (dotted, plain, letter) = match which {
        Meridiem::Am => ("a.m.", "am", "a"),
        Meridiem::Pm => ("p.m.", "pm", "p"),
    };
    text.strip_suffix(dotted)
        .or_else(|| text.strip_suffix(plain))
        .or_else(|| {
            text.strip_suffix(letter)
                .filter(|rest| rest.ends_with(|c: char| c.is_ascii_digit()))
        })
}

/// Reads a timestamp with a zone: RFC 3339 / ISO 8601 with `Z` or an offset (`+01:00`, `+0100`,
/// `+01`), a space instead of `T`, or a trailing ` UTC`.
pub fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    parse_offset_instant(text).map(|t| t.with_timezone(&Utc))
}

/// [`parse_instant`], keeping the offset the timestamp was written with.
pub fn parse_offset_instant(text: &str) -> Option<DateTime<FixedOffset>> {
    let trimmed = text.trim();
    if trimmed.len() < 11 || !trimmed.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let mut s = trimmed.to_string();
    for suffix in [" UTC", " GMT", "UTC"] {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = format!("{}+00:00", rest.trim_end());
        }
    }
    if s.ends_with('Z') || s.ends_with('z') {
        s.pop();
        s.push_str("+00:00");
    }
    if s.as_bytes().get(10) == Some(&b' ') {
        s.replace_range(10..11, "T");
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f%#z",
        "%Y-%m-%dT%H:%M%#z",
        "%Y-%m-%dT%H:%M:%S%.f %#z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(&s, format) {
            return Some(t);
        }
    }
    None
}

/// Reads a date, time or timestamp cell: a timestamp with a zone, an ISO local date-time, a
/// date and a time separated by spaces or a comma (`03/06/2025 08:55:12 AM`,
/// `3/6/25, 9:00:00 AM`), or a clock time alone.
pub fn parse_when(text: &str, offering: &[NaiveDate]) -> Result<When, Problem> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(Problem::Unreadable);
    }
    if let Some(instant) = parse_offset_instant(trimmed) {
        return Ok(When::Instant(instant));
    }
    // A local date and time followed by a zone: `03/07/2025 03:55:00 PM UTC`,
    // `3/7/25, 8:55 AM -07:00`, `2025-03-07 08:55 (America/Edmonton)`.
    if let Some((rest, zone)) = split_zone_suffix(trimmed)
        && let Ok(When::Local {
            date: Some(date),
            time,
        }) = parse_when(rest, offering)
    {
        let instant = zone
            .to_utc(date, time.time)
            .or_else(|problem| match problem {
                ZoneProblem::Fold(earlier, _) => Ok(earlier),
                ZoneProblem::Gap => Err(Problem::Unreadable),
            })?;
        return Ok(When::Instant(
            instant.with_timezone(&zone.offset_at(instant)),
        ));
    }
    // Both formats need a literal `T` (chrono matches literals exactly); most cells have none.
    let formats: &[&str] = if trimmed.contains('T') {
        &["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
    } else {
        &[]
    };
    for format in formats {
        if let Ok(t) = NaiveDateTime::parse_from_str(trimmed, format) {
            let time = ClockTime {
                time: t.time(),
                meridiem: false,
                bare_twelve: false,
            };
            return Ok(When::Local {
                date: Some(t.date()),
                time,
            });
        }
    }
    if let Some(time) = parse_time(trimmed) {
        return Ok(When::Local { date: None, time });
    }
    let spaced = trimmed.replace(',', " ");
    let tokens: Vec<&str> = spaced.split_whitespace().collect();
    let Some(split) = tokens.iter().position(|t| t.contains(':')) else {
        return Err(Problem::Unreadable);
    };
    if split == 0 {
        return Err(Problem::Unreadable);
    }
    let date = parse_date(&tokens[..split].join(" "), offering)?;
    let time = parse_time(&tokens[split..].join(" ")).ok_or(Problem::Unreadable)?;
    Ok(When::Local {
        date: Some(date),
        time,
    })
}

/// `6 March 2025`, the unambiguous way to show a date in a message.
pub fn spell_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_resolve_by_offering() {
        let offering = [d(2025, 3, 6), d(2025, 3, 7)];
        assert_eq!(parse_date("06.03.2025", &offering), Ok(d(2025, 3, 6)));
        assert_eq!(parse_date("3/6/2025", &offering), Ok(d(2025, 3, 6)));
        assert_eq!(parse_date("3/7/25", &offering), Ok(d(2025, 3, 7)));
        assert_eq!(parse_date("2025-03-06", &offering), Ok(d(2025, 3, 6)));
        assert_eq!(parse_date("Mar 6, 2025", &offering), Ok(d(2025, 3, 6)));
        assert_eq!(
            parse_date("Thursday, 6 March 2025", &offering),
            Ok(d(2025, 3, 6))
        );
        assert_eq!(parse_date("25/03/2025", &offering), Ok(d(2025, 3, 25)));
        let both = [d(2025, 3, 6), d(2025, 6, 3)];
        assert_eq!(
            parse_date("6/3/2025", &both),
            Err(Problem::AmbiguousDate(d(2025, 3, 6), d(2025, 6, 3)))
        );
    }

    #[test]
    fn times() {
        let t = |s| parse_time(s).map(|c| c.time.format("%H:%M:%S").to_string());
        assert_eq!(t("17:00").as_deref(), Some("17:00:00"));
        assert_eq!(t("5:00 PM").as_deref(), Some("17:00:00"));
        assert_eq!(t("5pm").as_deref(), Some("17:00:00"));
        assert_eq!(t("12:15 a.m.").as_deref(), Some("00:15:00"));
        assert_eq!(t("9.05").as_deref(), Some("09:05:00"));
        assert_eq!(t("08:55:12.250").as_deref(), Some("08:55:12"));
        assert_eq!(t("17:00 PM"), None);
        assert_eq!(t("25:00"), None);
        assert_eq!(t("noon"), None);
        assert_eq!(t(" 5:00 P.M. ").as_deref(), Some("17:00:00"));
        assert_eq!(t("5 a").as_deref(), Some("05:00:00"));
        assert_eq!(t("9.05.30").as_deref(), Some("09:05:30"));
        assert_eq!(t("9:05:30:00"), None);
        assert_eq!(t("17"), None);
        assert_eq!(t("9:5"), None);
        assert!(parse_time("5:00").unwrap().bare_twelve);
        assert!(!parse_time("05:00").unwrap().bare_twelve);
    }

    #[test]
    fn instants() {
        let z = parse_instant("2025-03-08T16:00:00Z").unwrap();
        assert_eq!(z.to_rfc3339(), "2025-03-08T16:00:00+00:00");
        assert_eq!(parse_instant("2025-03-08 09:00:00-07:00"), Some(z));
        assert_eq!(parse_instant("2025-03-08T09:00-0700"), Some(z));
        assert_eq!(parse_instant("2025-03-08 16:00:00 UTC"), Some(z));
        assert_eq!(parse_instant("2025-03-08T16:00:00"), None);
    }

    #[test]
    fn combined() {
        let offering = [d(2025, 3, 6)];
        let when = parse_when("3/6/25, 9:00:00 AM", &offering).unwrap();
        assert!(matches!(when, When::Local { date: Some(x), .. } if x == d(2025, 3, 6)));
        let when = parse_when("03/06/2025 08:55:12 AM", &offering).unwrap();
        assert!(matches!(when, When::Local { date: Some(x), .. } if x == d(2025, 3, 6)));
    }
}
