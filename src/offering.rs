//! An offering folder, loaded whole: `course.toml`, `roster.csv`, optional `aliases.csv`,
//! and every file in `attendance/`, with attendance matched to the roster and the agenda
//! turned into the instruction intervals each body counts.
//!
//! Loading fails (exit 2) only when an input cannot be used at all; everything else becomes
//! a finding in `rules`.

use crate::attendance::{self, FileAttendance, IngestContext};
use crate::course::{self, BlockKind, CourseRecord};
use crate::hours::{self, Interval};
use crate::matching::{self as identity, Aliases, Matched, NotAttendees};
use crate::roster::{self, Roster};
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Why an offering folder could not be used (exit 2). Each message names the file and fix.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(
        "{0}: no such offering folder. Give the folder that holds course.toml (for example records/SER2-2025-03-CAL), or create one with `ceu init`"
    )]
    NoFolder(String),
    #[error("{0}: missing. Every offering folder needs a course.toml (see docs/course-record.md)")]
    NoCourse(String),
    #[error(
        "{0}: missing. Put the registration export beside course.toml as roster.csv, or keep it as a workbook named roster.xlsx (see docs/attendance.md)"
    )]
    NoRoster(String),
    #[error(
        "{0} and {1}: two alias lists. Keep one (attendance/aliases.csv is the documented place) and merge the other into it"
    )]
    TwoAliasLists(String, String),
    #[error(
        "{0} and {1}: two rosters. Keep one (the other is probably an older copy): move it out of the offering folder"
    )]
    TwoRosters(String, String),
    #[error(transparent)]
    Course(#[from] course::CourseError),
    /// The roster, an attendance file or a list file cannot be used.
    #[error(transparent)]
    Input(#[from] crate::input::InputError),
}

/// One input file a decision was made from, as a certificate record names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputHash {
    /// Path relative to the offering folder (`course.toml`, `attendance/day1.csv`).
    pub file: String,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
}

/// The instruction time each body counts, derived once from the agenda (UTC, sorted,
/// disjoint), and the course totals.
#[derive(Debug, Clone, Default)]
pub struct Schedule {
    /// Instruction blocks plus the presentation part of working meals (plus assessment blocks
    /// when the record says ASHA counts them): what completion and ASHA, AOTA and PT count.
    pub core: Vec<Interval>,
    /// `core` plus assessment and evaluation blocks (IACET-CEU-1).
    pub iacet: Vec<Interval>,
    pub core_minutes: i64,
    pub iacet_minutes: i64,
    /// Breaks of 20 minutes or less (NCBTMB-CE-1 counts them, up to 10 per 50 instruction).
    pub short_break_minutes: i64,
}

/// A loaded offering.
#[derive(Debug, Clone)]
pub struct Offering {
    /// The folder as the user gave it.
    pub dir: PathBuf,
    pub record: CourseRecord,
    pub roster: Roster,
    pub aliases: Aliases,
    /// `not-attendees.csv` and the speakers' emails: whose rows are not an attendee's.
    pub not_attendees: NotAttendees,
    /// The attendance files read (format, findings, hashes). Their intervals live in
    /// `matched` once loading is done.
    pub files: Vec<FileAttendance>,
    pub matched: Matched,
    pub schedule: Schedule,
    /// The LMS exports in `assessment/` and what they decided (already applied to the
    /// roster's `assessment_completed`).
    pub assessment: crate::assessment::Assessment,
}

impl Offering {
    /// Drops the matched attendance intervals once the rules have been evaluated (issuing
    /// needs the report, not the intervals), and hands the freed memory back to the system
    /// so that rendering 100,000 certificates does not sit on top of the loading peak.
    pub fn release_attendance(&mut self) {
        self.matched = Matched::default();
        crate::memory::trim();
    }

    /// The course record's offering id.
    pub fn id(&self) -> &str {
        self.record.course.offering.id.get_ref()
    }

    /// Hashes of every input the decisions were made from, as (path, hex SHA-256), in a fixed
    /// order: course record, roster, aliases, attendance files, assessment exports.
    pub fn input_hashes(&self) -> Vec<InputHash> {
        let input = |file: String, sha256: &[u8; 32]| InputHash {
            file,
            sha256: hex::encode(sha256),
        };
        let mut inputs = vec![
            input("course.toml".into(), &self.record.sha256),
            input(roster_name(&self.roster.path), &self.roster.sha256),
        ];
        if let Some(sha) = &self.aliases.sha256 {
            inputs.push(input(self.aliases.file.clone(), sha));
        }
        if let Some(sha) = &self.not_attendees.sha256 {
            inputs.push(input(NotAttendees::FILE.into(), sha));
        }
        for file in &self.files {
            let name = file
                .display_path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned());
            inputs.push(input(
                format!("attendance/{}", name.unwrap_or_default()),
                &file.sha256,
            ));
        }
        for file in &self.assessment.files {
            inputs.push(input(file.name.clone(), &file.sha256));
        }
        inputs
    }
}

/// Converts a local date and time in `zone` to UTC. `None` when the local time does not exist
/// (the hour skipped when daylight time starts). An ambiguous time takes the earlier instant.
pub fn to_utc(zone: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    zone.from_local_datetime(&local)
        .earliest()
        .map(|time| time.with_timezone(&Utc))
}

/// Builds the schedule from the agenda. Blocks whose times cannot be placed are skipped here
/// and reported by ASHA-COURSE-10.
pub fn schedule(record: &CourseRecord) -> Schedule {
    let course = &record.course;
    let zone = record.time_zone;
    let mut core = Vec::new();
    let mut iacet = Vec::new();
    let mut short_break_minutes = 0;
    for block in &course.agenda {
        let block = block.get_ref();
        let (Some(start), Some(end)) = (
            to_utc(zone, block.date.and_time(block.start)),
            to_utc(zone, block.date.and_time(block.end)),
        ) else {
            continue;
        };
        if start >= end {
            continue;
        }
        match block.kind {
            BlockKind::Instruction => {
                core.push((start, end));
                iacet.push((start, end));
            }
            BlockKind::WorkingMeal => {
                let minutes = block
                    .presentation_minutes
                    .unwrap_or(0)
                    .clamp(0, block.minutes());
                let presentation_end = start + chrono::Duration::minutes(minutes);
                core.push((start, presentation_end));
                iacet.push((start, presentation_end));
            }
            BlockKind::Assessment => {
                if course.rules.asha_counts_assessment {
                    core.push((start, end));
                }
                iacet.push((start, end));
            }
            BlockKind::Evaluation => iacet.push((start, end)),
            BlockKind::Break => {
                if block.minutes() <= 20 {
                    short_break_minutes += block.minutes();
                }
            }
            BlockKind::Meal | BlockKind::Social | BlockKind::Business => {}
        }
    }
    let core = hours::union(core);
    let iacet = hours::union(iacet);
    let core_minutes = hours::overlap_seconds(&core, &core) / 60;
    let iacet_minutes = hours::overlap_seconds(&iacet, &iacet) / 60;
    Schedule {
        core,
        iacet,
        core_minutes,
        iacet_minutes,
        short_break_minutes,
    }
}

/// Loads an offering folder.
pub fn load(dir: &Path) -> Result<Offering, LoadError> {
    if !dir.is_dir() {
        return Err(LoadError::NoFolder(dir.display().to_string()));
    }
    let course_path = dir.join("course.toml");
    if !course_path.is_file() {
        return Err(LoadError::NoCourse(course_path.display().to_string()));
    }
    let record = course::load(&course_path, &course_path)?;
    check_declared_files(&record, dir)?;
    let roster_path = find_roster(dir)?;
    let declared = record.course.inputs.encoding_of(&roster_name(&roster_path));
    let mut roster = roster::load_declared(&roster_path, &roster_path, declared)?;
    let aliases = load_aliases(dir, &record)?;
    let not_attendees_path = dir.join(NotAttendees::FILE);
    let encoding = identity::ListEncoding {
        declared: record.course.inputs.encoding_of(NotAttendees::FILE),
        key: NotAttendees::FILE,
    };
    let mut not_attendees =
        NotAttendees::load_declared(&not_attendees_path, &not_attendees_path, encoding)?;
    for speaker in &record.course.speakers {
        let speaker = speaker.get_ref();
        if let Some(email) = &speaker.email {
            not_attendees.add_speaker(&speaker.name, email);
        }
    }
    let schedule = schedule(&record);
    let course = &record.course;
    let dates: BTreeSet<NaiveDate> = course
        .agenda
        .iter()
        .map(|block| block.get_ref().date)
        .collect();
    let context = IngestContext {
        time_zone: record.time_zone,
        file_zones: course
            .attendance
            .files
            .iter()
            .filter_map(|(name, settings)| Some((name.clone(), settings.time_zone.parse().ok()?)))
            .collect(),
        dates: dates.into_iter().collect(),
        blocks: schedule.core.clone(),
    };
    let attendance_dir = dir.join("attendance");
    let encodings = declared_in(&course.inputs, "attendance");
    // Each file's rows go to their attendees as soon as it is read; the files keep their
    // findings and hashes.
    let mut matcher = identity::Matcher::new(&roster, &aliases).with_not_attendees(&not_attendees);
    let files = if attendance_dir.is_dir() {
        attendance::load_dir_each(
            &attendance_dir,
            &attendance_dir,
            &context,
            &encodings,
            |file| matcher.add(file),
        )?
    } else {
        Vec::new()
    };
    let matched = matcher.finish(&schedule.core);
    let assessment = load_assessment(dir, &record, &mut roster, &aliases)?;
    // Reading the files freed far more than it kept (file bytes, rows, identities).
    crate::memory::trim();
    Ok(Offering {
        dir: dir.to_path_buf(),
        record,
        roster,
        aliases,
        not_attendees,
        files,
        matched,
        schedule,
        assessment,
    })
}

/// The LMS exports in `assessment/`, when the folder is there and the record uses an
/// assessment (see [`crate::assessment::used`]); they set the roster's `assessment_completed`.
fn load_assessment(
    dir: &Path,
    record: &CourseRecord,
    roster: &mut Roster,
    aliases: &Aliases,
) -> Result<crate::assessment::Assessment, LoadError> {
    let folder = dir.join(crate::assessment::FOLDER);
    if !folder.is_dir() || !crate::assessment::used(record) {
        return Ok(Default::default());
    }
    let encodings = declared_in(&record.course.inputs, crate::assessment::FOLDER);
    let files = crate::assessment::load_dir(&folder, &folder, &encodings)?;
    let min = record
        .course
        .completion
        .get_ref()
        .assessment_min_score_percent;
    Ok(crate::assessment::decide(files, roster, aliases, min))
}

/// The encodings `[inputs.encoding]` declares for the files in the offering's `folder`, by file
/// name within it (`"attendance/day1.csv"` is `day1.csv` for `folder` `attendance`).
fn declared_in(
    inputs: &course::InputSettings,
    folder: &str,
) -> BTreeMap<String, &'static encoding_rs::Encoding> {
    inputs
        .encoding
        .keys()
        .filter_map(|key| {
            let name = key.strip_prefix(folder)?.strip_prefix('/')?;
            Some((name.to_string(), inputs.encoding_of(key)?))
        })
        .collect()
}

/// Errors: an `[inputs.encoding]` key names no file in the offering folder (a misspelt name
/// would leave the file read in the default encoding), at the key's line.
fn check_declared_files(record: &CourseRecord, dir: &Path) -> Result<(), LoadError> {
    for (key, label) in &record.course.inputs.encoding {
        if !dir.join(key).is_file() {
            return Err(LoadError::Course(course::CourseError::Invalid {
                location: record.at(label),
                message: format!(
                    "[inputs.encoding] names \"{key}\", which is not a file in the offering folder: write the path as it is, such as \"roster.csv\" or \"attendance/day1.csv\", or remove the line"
                ),
                excerpt: crate::excerpt::excerpt(&record.source, label.span()),
            }));
        }
    }
    Ok(())
}

/// The roster files ceu reads, in the order they are looked for.
pub const ROSTER_FILES: [&str; 4] = ["roster.csv", "roster.xlsx", "roster.xls", "roster.ods"];

/// The offering's roster: `roster.csv`, or a workbook `roster.xlsx`, `roster.xls` or
/// `roster.ods`. Errors: none of them (the message asks for roster.csv), or two (naming both).
fn find_roster(dir: &Path) -> Result<PathBuf, LoadError> {
    let mut found = ROSTER_FILES
        .iter()
        .map(|name| dir.join(name))
        .filter(|p| p.is_file());
    match (found.next(), found.next()) {
        (Some(one), None) => Ok(one),
        (Some(one), Some(other)) => Err(LoadError::TwoRosters(
            one.display().to_string(),
            other.display().to_string(),
        )),
        (None, _) => Err(LoadError::NoRoster(
            dir.join("roster.csv").display().to_string(),
        )),
    }
}

/// The roster's file name (`roster.csv`, `roster.xlsx`), as the input hashes and
/// `[inputs.encoding]` name it.
fn roster_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(|| "roster.csv".into(), |n| n.to_string_lossy().into_owned())
}

/// The offering's alias list: `attendance/aliases.csv` (docs/attendance.md), or one beside the
/// roster, since that is where an administrator who thinks of it as roster data puts it; none
/// is an empty list, and both is an error naming the two.
fn load_aliases(dir: &Path, record: &CourseRecord) -> Result<Aliases, LoadError> {
    let declared = |key| identity::ListEncoding {
        declared: record.course.inputs.encoding_of(key),
        key,
    };
    let in_attendance = dir.join("attendance").join("aliases.csv");
    let beside_roster = dir.join("aliases.csv");
    let (path, file) = match (in_attendance.is_file(), beside_roster.is_file()) {
        (true, true) => {
            return Err(LoadError::TwoAliasLists(
                in_attendance.display().to_string(),
                beside_roster.display().to_string(),
            ));
        }
        (true, false) => (in_attendance, "attendance/aliases.csv"),
        (false, true) => (beside_roster, "aliases.csv"),
        (false, false) => return Ok(Aliases::default()),
    };
    let mut aliases = identity::load_aliases_declared(&path, &path, declared(file))?;
    aliases.file = file.to_owned();
    Ok(aliases)
}
