//! The other offerings of the same ASHA course, which the rules across offerings need
//! (compliance.md §3.1, §3.2, §3.4: ASHA-DISCLOSE-8, ASHA-COURSE-3, -11, -13, ASHA-ELIG-3, -4).
//!
//! Other offerings of a course are the sibling offering folders (folders beside this one, under
//! the same records root, whose `course.toml` loads) with the same ASHA `provider_code` and
//! `course_number`, plus the signed `report` entries of the records root's ledger
//! (`ledger.jsonl`) filed under the same course number for another offering. A sibling whose
//! record does not load, and a ledger that cannot be read, are skipped: `check` of that folder
//! and `ceu ledger verify` report them. Offerings kept outside the records root are not seen.

use crate::course::{self, CourseRecord};
use crate::ledger::{EntryBody, ReportFields};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// One other offering of the course: its folder and its course record.
#[derive(Debug, Clone)]
pub struct Sibling {
    /// The folder, as found beside this offering's.
    pub dir: PathBuf,
    pub record: CourseRecord,
}

impl Sibling {
    /// The folder's name, as messages print it.
    pub fn name(&self) -> String {
        self.dir
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    }

    /// The offering's first day.
    pub fn start(&self) -> NaiveDate {
        self.record.course.offering.start_date
    }
}

/// The other offerings of this offering's ASHA course.
#[derive(Debug, Clone, Default)]
pub struct Siblings {
    /// Sibling folders of the same course, by start date then folder name.
    pub offerings: Vec<Sibling>,
    /// `report` entries (ASHA) of other offerings filed under the same course number, in
    /// ledger order, with each entry's sequence number.
    pub reports: Vec<(u64, ReportFields)>,
}

/// The ASHA provider code and course number of a record, when the course offers ASHA credit
/// and has a course number: what makes two offerings the same course.
pub fn course_key(record: &CourseRecord) -> Option<(String, String)> {
    let asha = record.course.credit.asha.as_ref()?.get_ref();
    let number = asha.course_number.trim();
    (!number.is_empty()).then(|| {
        (
            asha.provider_code.get_ref().trim().to_string(),
            number.to_string(),
        )
    })
}

impl Siblings {
    /// The other offering folders of the course of the offering in `dir` with record `record`
    /// (no ledger entries yet: [`Siblings::read_reports`]). Empty when the course has no ASHA
    /// course number or the folder cannot be resolved.
    pub fn load(dir: &Path, record: &CourseRecord) -> Siblings {
        let Some((key, root)) = course_key(record).zip(root_of(dir)) else {
            return Siblings::default();
        };
        let this = std::fs::canonicalize(dir).ok();
        let mut offerings: Vec<Sibling> = std::fs::read_dir(&root)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.is_dir() && Some(path) != this.as_ref())
            .filter_map(|path| {
                let file = path.join("course.toml");
                let record = course::load(&file, &file).ok()?;
                Some(Sibling { dir: path, record })
            })
            .filter(|sibling| course_key(&sibling.record).as_ref() == Some(&key))
            .collect();
        offerings.sort_by(|a, b| (a.start(), &a.dir).cmp(&(b.start(), &b.dir)));
        Siblings {
            offerings,
            reports: Vec::new(),
        }
    }

    /// Reads the ASHA `report` entries of other offerings filed under the course number of
    /// `record` from the ledger of the records root of `dir` (the whole ledger is read, so
    /// callers do it only when they can use the entries). An unreadable ledger gives none.
    pub fn read_reports(&mut self, dir: &Path, record: &CourseRecord) {
        let Some(((_, number), root)) = course_key(record).zip(root_of(dir)) else {
            return;
        };
        let this_id = record.course.offering.id.get_ref();
        self.reports = crate::ledger::read(&crate::paths::ledger(&root))
            .unwrap_or_default()
            .into_iter()
            .filter_map(|entry| {
                let seq = entry.seq();
                match entry.body() {
                    EntryBody::Report(f)
                        if f.report == "asha"
                            && f.course_number.trim() == number
                            && f.offering_id != *this_id =>
                    {
                        Some((seq, f.clone()))
                    }
                    _ => None,
                }
            })
            .collect();
    }

    /// The earlier `report` entry that lists the person with keyed tag `tag`, if any: its
    /// sequence number and offering id.
    pub fn reported(&self, tag: &str) -> Option<(u64, &str)> {
        self.reports
            .iter()
            .find(|(_, f)| f.people.iter().any(|p| p == tag))
            .map(|(seq, f)| (*seq, f.offering_id.as_str()))
    }
}

/// The submission to ASHA recorded for offering `offering_id` (the `--submitted` date of its
/// latest ASHA `report` entry that has one) in the ledger of the records root of `dir`, if any.
/// Reads the whole ledger; an unreadable or missing ledger records none.
pub fn recorded_submission(dir: &Path, offering_id: &str) -> Option<String> {
    let root = root_of(dir)?;
    crate::ledger::read(&crate::paths::ledger(&root))
        .ok()?
        .iter()
        .rev()
        .find_map(|entry| match entry.body() {
            EntryBody::Report(f) if f.report == "asha" && f.offering_id == offering_id => {
                f.submitted.clone()
            }
            _ => None,
        })
}

/// The records root of an offering folder: the folder it is in (absolute).
fn root_of(dir: &Path) -> Option<PathBuf> {
    let this = std::fs::canonicalize(dir).ok()?;
    this.parent().map(Path::to_path_buf)
}

/// The keyed tag a `report` entry records for a person (hex HMAC-SHA-256 under the signing
/// key, `KeyPair::derive_tag`): the email trimmed and lowercased, and the ASHA account number
/// trimmed. Never a name; without the key it cannot be recomputed.
pub fn person_tag(key: &crate::sign::KeyPair, email: &str, asha_account: &str) -> String {
    let email = email.trim().to_lowercase();
    let account = asha_account.trim();
    hex::encode(key.derive_tag(
        "ceu report person v1",
        &[email.as_bytes(), account.as_bytes()],
    ))
}
