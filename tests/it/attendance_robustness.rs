//! Robustness of ingestion on hostile and mangled input: every fixture, mutated thousands of
//! ways, must come back as data, a finding or an `Unusable` error, never a panic; and a long
//! sheet must stay fast. (The cargo-fuzz target in fuzz/ explores further.)

use ceu::attendance::{self, IngestContext};
use ceu::matching as identity;
use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn ser2() -> IngestContext {
    let zone: Tz = "America/Edmonton".parse().unwrap();
    let dates: Vec<NaiveDate> = (6..=9)
        .map(|d| NaiveDate::from_ymd_opt(2025, 3, d).unwrap())
        .collect();
    let mut blocks = Vec::new();
    for date in &dates {
        for (h1, m1, h2, m2) in [
            (9, 0, 10, 30),
            (10, 45, 12, 0),
            (13, 0, 14, 45),
            (15, 0, 17, 0),
        ] {
            let at = |h, m| {
                zone.from_local_datetime(&date.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap()))
                    .unwrap()
                    .with_timezone(&Utc)
            };
            blocks.push((at(h1, m1), at(h2, m2)));
        }
    }
    IngestContext {
        time_zone: zone,
        file_zones: BTreeMap::new(),
        dates,
        blocks,
    }
}

fn fixture_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files = Vec::new();
    for group in ["attendance", "roster", "real_inputs"] {
        let mut stack = vec![root.join(group)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.file_name().is_some_and(|n| n != ".gitattributes") {
                    files.push(path);
                }
            }
        }
    }
    files.sort();
    files
}

/// A small deterministic generator (no dependency needed for a smoke fuzz).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() as usize) % n.max(1)
    }
}

const SPICE: &[&[u8]] = &[
    b",",
    b";",
    b"\t",
    b"\"",
    b"\r\n",
    b"\n",
    b"",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"=1+1",
    b"12:00 PM",
    b"13:00 AM",
    b"2025-03-09T02:30:00",
    b"02/30/2025",
    b"9999-12-31T23:59:59+14:00",
    b"-262143-01-01T00:00:00Z",
    b"0:00",
    b"Z",
    b"Attended",
    b"Attendee Details",
    b"3. In-Meeting Activities",
    b"IN",
    b"OUT",
    b"\xd8\x00",
    b"\x00",
];

fn mutate(bytes: &[u8], rng: &mut Lcg) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(out.len() + 1);
        match rng.below(4) {
            0 if !out.is_empty() => {
                let i = at.min(out.len() - 1);
                out[i] = rng.next() as u8;
            }
            1 => {
                let spice = SPICE[rng.below(SPICE.len())];
                out.splice(at..at, spice.iter().copied());
            }
            2 => out.truncate(at),
            _ => {
                let end = (at + rng.below(40)).min(out.len());
                out.drain(at..end);
            }
        }
    }
    out
}

#[test]
fn mutated_fixtures_never_panic() {
    let ctx = ser2();
    let mut rng = Lcg(0x5e72_2025);
    let mut loaded = 0;
    let fixture_roster = ceu::roster::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/roster/roster.csv"),
        Path::new("roster.csv"),
    )
    .unwrap();
    for path in fixture_files() {
        let original = std::fs::read(&path).unwrap();
        for round in 0..60 {
            let bytes = if round == 0 {
                original.clone()
            } else {
                mutate(&original, &mut rng)
            };
            let file = attendance::load_file(&bytes, "sheet.csv", Path::new("sheet.csv"), &ctx);
            let roster = ceu::roster::parse(&bytes, Path::new("roster.csv"));
            // Match against the fixture roster when the mutated bytes are no roster themselves.
            let roster = roster.unwrap_or_else(|_| fixture_roster.clone());
            if let Ok(file) = file {
                let matched = identity::match_attendance(
                    &roster,
                    &identity::Aliases::default(),
                    &[file],
                    &ctx.blocks,
                );
                assert!(matched.findings.iter().all(|f| !f.rule.is_empty()));
                loaded += 1;
            }
        }
    }
    assert!(loaded > 500, "many mutated files still load: {loaded}");
}

/// Regression: the double-sign-in check compared every row with every earlier row of the same
/// person; a sheet of 20,000 rows for one name must still load in well under a second or two.
#[test]
fn long_sheet_for_one_person_stays_fast() {
    let mut text = String::from("Name,Email,Date,Sign In,Sign Out\n");
    for i in 0..20_000 {
        let minute = i % 60;
        text.push_str(&format!(
            "Ava Martin,ava.martin@example.org,2025-03-06,09:{minute:02},10:{minute:02}\n"
        ));
    }
    let started = Instant::now();
    let file =
        attendance::load_file(text.as_bytes(), "long.csv", Path::new("long.csv"), &ser2()).unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(file.presences.len(), 60, "exact repeats count once");
    assert_eq!(
        file.row_findings
            .iter()
            .filter(|(_, f)| f.rule == "DATA-DUPLICATE-ROW")
            .count(),
        20_000 - 60
    );
}

/// Timestamps at the edges of what chrono can represent, in every format, must not panic when
/// converted, compared with the agenda or checked for a zone shift.
#[test]
fn extreme_timestamps_never_panic() {
    let ctx = ser2();
    let stamps = [
        "+262142-12-31T23:59:59Z",
        "-262143-01-01T00:00:00Z",
        "+262142-12-31T23:59:59-23:59",
        "-262143-01-01T00:00:00+23:59",
        "9999-12-31T23:59:59+14:00",
        "0000-01-01T00:00:00-12:00",
        "2025-03-09T02:30:00",
        "2025-11-02T01:30:00",
        "12/31/9999 11:59:59 PM",
        "1/1/0000 12:00:00 AM",
    ];
    for a in stamps {
        for b in stamps {
            let scanner = format!("Badge,Timestamp,Event\nA01,{a},IN\nA01,{b},OUT\n");
            let zoom = format!(
                "Name,User Email,Join Time,Leave Time\nAva,ava.martin@example.org,{a},{b}\n"
            );
            let sheet = format!("Name,Sign In,Sign Out\nAva,{a},{b}\n");
            for text in [scanner, zoom, sheet] {
                for zone in ["UTC", "Pacific/Kiritimati", "Etc/GMT+12"] {
                    // With no offering dates, no DATA-DATE filter stands between a row and the
                    // zone arithmetic.
                    for dates in [ctx.dates.clone(), Vec::new()] {
                        let mut ctx = ctx.clone();
                        ctx.dates = dates;
                        ctx.file_zones.insert("x.csv".into(), zone.parse().unwrap());
                        let _ = attendance::load_file(
                            text.as_bytes(),
                            "x.csv",
                            Path::new("x.csv"),
                            &ctx,
                        );
                    }
                }
            }
        }
    }
}
