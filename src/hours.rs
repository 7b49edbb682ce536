//! Hours: interval arithmetic (a person's presence intervals, unioned, intersected with the
//! agenda's instruction blocks) and each accrediting body's own credit arithmetic.
//!
//! All arithmetic is on integers (seconds, minutes, hundredths): no floating point
//! (ASHA-CEU-6). Rounding follows compliance.md; each body has its own function and tests.

use chrono::{DateTime, Utc};

/// A half-open time interval `[start, end)` in UTC.
pub type Interval = (DateTime<Utc>, DateTime<Utc>);

/// Merges overlapping or touching intervals; the result is sorted and disjoint. Two devices
/// in one meeting, or a double sign-in, count once: intervals are merged, never summed.
pub fn union(mut intervals: Vec<Interval>) -> Vec<Interval> {
    intervals.retain(|(start, end)| start < end);
    intervals.sort();
    let mut merged: Vec<Interval> = Vec::with_capacity(intervals.len());
    for (start, end) in intervals {
        match merged.last_mut() {
            Some(last) if start <= last.1 => {
                if end > last.1 {
                    last.1 = end;
                }
            }
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// Seconds of overlap between two sorted, disjoint interval lists.
pub fn overlap_seconds(a: &[Interval], b: &[Interval]) -> i64 {
    let (mut i, mut j, mut total) = (0, 0, 0i64);
    while i < a.len() && j < b.len() {
        let start = a[i].0.max(b[j].0);
        let end = a[i].1.min(b[j].1);
        if start < end {
            total += (end - start).num_seconds();
        }
        if a[i].1 < b[j].1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    total
}

/// Whole minutes of `presences` (any order, may overlap) that fall inside `blocks`
/// (sorted, disjoint). Seconds are summed first, then floored to minutes once.
pub fn credited_minutes(presences: impl IntoIterator<Item = Interval>, blocks: &[Interval]) -> i64 {
    let merged = union(presences.into_iter().collect());
    overlap_seconds(&merged, blocks) / 60
}

/// ASHA CEUs, in hundredths, for `minutes` of instruction: 60-minute contact hours, 1 CEU =
/// 10 contact hours, awarded in half-hour steps (0.05 CEU) rounded down (ASHA-CEU-2,
/// ASHA-PARTIAL-2; compliance.md §1.2).
pub fn asha_ceu_hundredths(minutes: i64) -> i64 {
    (minutes.max(0) / 30) * 5
}

/// NCBTMB CE hours, in half hours. A CE hour is 50 minutes of instruction plus a 10-minute
/// break (NCBTMB-CE-1), so short breaks (20 minutes or less) count, up to 10 minutes for every
/// 50 of instruction; meals and longer breaks never count. Awarded in half-hour steps, rounded
/// down (NCBTMB-CE-2; the direction is UNCONFIRMED, compliance.md open item 8).
pub fn ncbtmb_ce_half_hours(instruction_minutes: i64, short_break_minutes: i64) -> i64 {
    let instruction = instruction_minutes.max(0);
    let breaks = short_break_minutes.max(0).min(instruction / 5);
    (instruction + breaks) * 2 / 60
}

/// AOTA contact hours in tenths (60-minute hours, rounded down to 0.1 h). AOTA CEUs =
/// contact hours / 10, so the same integer is the AOTA CEU amount in hundredths (AOTA-CEU-1).
pub fn aota_contact_tenths(minutes: i64) -> i64 {
    minutes.max(0) / 6
}

/// IACET CEUs in tenths: 60-minute contact hours / 10, rounded to the nearest 0.1 (half up);
/// an event under 30 minutes earns nothing, because the minimum is 0.1 CEU (IACET-CEU-2).
pub fn iacet_ceu_tenths(minutes: i64) -> i64 {
    if minutes < 30 { 0 } else { (minutes + 30) / 60 }
}

/// PT board contact hours in tenths, for a board's hour length (60, or 50 in Alabama:
/// PT-AL-1), rounded down.
pub fn pt_contact_tenths(minutes: i64, minutes_per_hour: i64) -> i64 {
    if minutes_per_hour <= 0 {
        0
    } else {
        minutes.max(0) * 10 / minutes_per_hour
    }
}

/// "2.60" from 260.
pub fn format_hundredths(value: i64) -> String {
    format!("{}.{:02}", value / 100, value % 100)
}

/// "2.6" from 26.
pub fn format_tenths(value: i64) -> String {
    format!("{}.{}", value / 10, value % 10)
}

/// "28.0" / "28.5" from a count of half hours.
pub fn format_half_hours(value: i64) -> String {
    format!("{}.{}", value / 2, if value % 2 == 1 { 5 } else { 0 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(hour: u32, minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 6, hour, minute, 0).unwrap()
    }

    #[test]
    fn overlapping_intervals_are_merged_not_summed() {
        let blocks = [(at(9, 0), at(12, 0))];
        let minutes = credited_minutes([(at(9, 0), at(11, 0)), (at(10, 0), at(12, 0))], &blocks);
        assert_eq!(minutes, 180);
    }

    #[test]
    fn presence_across_a_break_counts_only_instruction() {
        let blocks = [(at(9, 0), at(10, 30)), (at(10, 45), at(12, 0))];
        assert_eq!(credited_minutes([(at(8, 50), at(12, 5))], &blocks), 165);
    }

    #[test]
    fn ser2_arithmetic_matches_compliance_worked_example() {
        // compliance.md §5: 1,560 minutes -> 2.60 ASHA CEUs; 1,365 -> 2.25.
        assert_eq!(asha_ceu_hundredths(1560), 260);
        assert_eq!(asha_ceu_hundredths(1365), 225);
        assert_eq!(asha_ceu_hundredths(29), 0);
        // NCBTMB is not minutes / 50: 390 instruction + 30 short-break minutes = 7 h a day.
        assert_eq!(ncbtmb_ce_half_hours(390, 30), 14);
        assert_eq!(ncbtmb_ce_half_hours(1560, 120), 56);
        // Breaks count only up to 10 per 50 instruction minutes.
        assert_eq!(ncbtmb_ce_half_hours(50, 60), 2);
        assert_eq!(aota_contact_tenths(1560), 260);
        assert_eq!(iacet_ceu_tenths(1560), 26);
        assert_eq!(iacet_ceu_tenths(30), 1);
        assert_eq!(iacet_ceu_tenths(29), 0);
        assert_eq!(iacet_ceu_tenths(89), 1);
        assert_eq!(iacet_ceu_tenths(90), 2);
        assert_eq!(pt_contact_tenths(1560, 50), 312);
        assert_eq!(format_hundredths(260), "2.60");
        assert_eq!(format_tenths(26), "2.6");
        assert_eq!(format_half_hours(57), "28.5");
    }
}
