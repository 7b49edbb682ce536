//! Hours: interval arithmetic (a person's presence intervals, unioned, intersected with the
//! agenda's instruction blocks). Each accrediting body's own credit arithmetic, from the
//! minutes found here, is in that body's file under `crate::bodies`.
//!
//! All arithmetic is on integers (seconds, minutes): no floating point (ASHA-CEU-6).

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
}
