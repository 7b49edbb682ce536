//! Fuzzes the ingestion entry points on arbitrary bytes: an attendance file (every format
//! detector, date/time reader, zone conversion and matcher) and the roster. Any panic is a bug:
//! bad input must become an `Unusable` error or a finding.
#![no_main]

use ceu::attendance::{self, IngestContext};
use ceu::matching as identity;
use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;
use std::path::Path;

fn context(zone: Tz) -> IngestContext {
    let dates: Vec<NaiveDate> = (6..=9).filter_map(|d| NaiveDate::from_ymd_opt(2025, 3, d)).collect();
    let mut blocks = Vec::new();
    for date in &dates {
        for (sh, sm, eh, em) in [(9, 0, 10, 30), (10, 45, 12, 0), (13, 0, 14, 45), (15, 0, 17, 0)] {
            let at = |h, m| {
                NaiveTime::from_hms_opt(h, m, 0)
                    .and_then(|t| chrono_tz::America::Edmonton.from_local_datetime(&date.and_time(t)).single())
                    .map(|t| t.with_timezone(&Utc))
            };
            if let (Some(s), Some(e)) = (at(sh, sm), at(eh, em)) {
                blocks.push((s, e));
            }
        }
    }
    let mut file_zones = BTreeMap::new();
    file_zones.insert("zoned.csv".to_string(), zone);
    IngestContext { time_zone: chrono_tz::America::Edmonton, file_zones, dates, blocks }
}

fuzz_target!(|data: &[u8]| {
    let (name, zone) = match data.first().map(|b| b % 3) {
        Some(0) => ("zoned.csv", chrono_tz::America::Toronto),
        Some(1) => ("zoned.csv", chrono_tz::UTC),
        _ => ("sheet.csv", chrono_tz::America::Edmonton),
    };
    let ctx = context(zone);
    let file = attendance::load_file(data, name, Path::new("attendance/sheet.csv"), &ctx);
    let roster = ceu::roster::parse(data, Path::new("roster.csv"));
    if let (Ok(file), Ok(roster)) = (file, roster) {
        let matched = identity::match_attendance(&roster, &identity::Aliases::default(), &[file], &ctx.blocks);
        let _ = matched.findings.len();
    }
    for cell in std::str::from_utf8(data).unwrap_or("").split(',') {
        let _ = attendance::csv_safe(cell);
    }
});
