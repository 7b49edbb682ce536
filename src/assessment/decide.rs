//! Matching the exports' attempts to roster attendees and deciding each attendee's assessment
//! by their best attempt; a stated roster value that disagrees is `DATA-ASSESSMENT-CONFLICT`.

use super::{Assessment, AssessmentFile, Attempt, Result};
use crate::attendance::Identity;
use crate::catalogue::ids;
use crate::findings::{Finding, Location, Severity};
use crate::input::text::lowercase;
use crate::matching::{Aliases, Lookup};
use crate::roster::Roster;
use std::collections::HashMap;

/// Decides the assessment of every attendee with a row in `files`, sets their roster
/// `assessment_completed` to it (the export decides), and reports unmatched rows and
/// disagreements. `min_percent` is `[completion] assessment_min_score_percent`.
pub fn decide(
    files: Vec<AssessmentFile>,
    roster: &mut Roster,
    aliases: &Aliases,
    min_percent: Option<u8>,
) -> Assessment {
    let mut findings: Vec<Finding> = files.iter().flat_map(|f| f.findings.clone()).collect();
    let best = best_attempts(&files, roster, aliases, min_percent, &mut findings);
    let mut by_attendee = HashMap::with_capacity(best.len());
    let roster_path = roster.path.clone();
    for attendee in &mut roster.attendees {
        let Some(&(file, attempt)) = best.get(attendee.id()) else {
            continue;
        };
        let (file, attempt) = (&files[file], &files[file].attempts[attempt]);
        let result = judge(file, attempt, min_percent);
        if attendee.assessment_stated && attendee.assessment_completed != result.completed {
            let said = |done: bool| if done { "completed" } else { "not completed" };
            findings.push(Finding::attendee(
                ids::DATA_ASSESSMENT_CONFLICT.as_str(),
                Severity::Error,
                Some(attendee.id().to_string()),
                format!(
                    "{}: {} line {} says the assessment is {}, but the LMS export says {} (best attempt: {}); the export decides",
                    attendee.display_name(),
                    roster_path.display(),
                    attendee.line,
                    said(attendee.assessment_completed),
                    said(result.completed),
                    result.why,
                ),
                Some(file.location(attempt.line)),
                "correct the assessment_completed cell in roster.csv, or leave it blank so that the LMS export decides; if the export is the one that is wrong, export it again from the LMS",
            ));
        }
        attendee.assessment_completed = result.completed;
        by_attendee.insert(attendee.id().to_string(), result);
    }
    Assessment {
        files,
        by_attendee,
        findings,
    }
}

/// An attempt's rank: one that completes beats one that does not, a submitted one an
/// unsubmitted one, then the higher score.
fn rank(attempt: &Attempt, min_percent: Option<u8>) -> (bool, bool, i64) {
    let score = attempt.percent.map_or(-1, |p| (p * 100.0).round() as i64);
    (passes(attempt, min_percent), attempt.submitted, score)
}

fn passes(attempt: &Attempt, min_percent: Option<u8>) -> bool {
    attempt.submitted
        && min_percent.is_none_or(|min| attempt.percent.is_some_and(|p| p + 1e-9 >= f64::from(min)))
}

/// Matches every attempt and keeps each attendee's best (file index, attempt index); reports
/// rows that match nobody, id/email conflicts and unreadable cells.
fn best_attempts(
    files: &[AssessmentFile],
    roster: &Roster,
    aliases: &Aliases,
    min_percent: Option<u8>,
    findings: &mut Vec<Finding>,
) -> HashMap<String, (usize, usize)> {
    let lookup = Lookup::new(roster, aliases);
    let by_asha: HashMap<String, &str> = roster
        .attendees
        .iter()
        .filter(|a| !a.asha_account().trim().is_empty())
        .map(|a| (account_key(a.asha_account()), a.id()))
        .collect();
    let mut best: HashMap<&str, (usize, usize)> = HashMap::new();
    let mut unmatched: Vec<(Identity, Vec<Location>)> = Vec::new();
    let mut unmatched_index: HashMap<String, usize> = HashMap::new();
    for (f, file) in files.iter().enumerate() {
        for (a, attempt) in file.attempts.iter().enumerate() {
            let found = lookup.find(&attempt.who).or_else(|| {
                let account = attempt.asha_account.as_deref()?;
                by_asha.get(&account_key(account)).copied()
            });
            let conflict = lookup.conflict(&attempt.who, &file.display_path, attempt.line);
            findings.extend(conflict.map(|finding| file.in_sheet(finding)));
            if let Some(mut problem) = attempt.problem.clone() {
                problem.attendee = found.map(str::to_string);
                findings.push(problem);
            }
            let Some(id) = found else {
                let location = file.location(attempt.line);
                let mut who = attempt.who.clone();
                if who.is_empty() {
                    who.attendee_id = attempt.asha_account.clone();
                }
                let key = who.key();
                match unmatched_index.get(&key) {
                    Some(&i) => unmatched[i].1.push(location),
                    None => {
                        unmatched_index.insert(key, unmatched.len());
                        unmatched.push((who, vec![location]));
                    }
                }
                continue;
            };
            let better = best.get(id).is_none_or(|&(bf, ba)| {
                rank(attempt, min_percent) > rank(&files[bf].attempts[ba], min_percent)
            });
            if better {
                best.insert(id, (f, a));
            }
        }
    }
    findings.extend(
        unmatched
            .into_iter()
            .map(|(who, at)| unmatched_finding(&who, &at)),
    );
    best.into_iter()
        .map(|(id, at)| (id.to_string(), at))
        .collect()
}

/// An ASHA account number as compared: digits and letters only, lower case.
fn account_key(account: &str) -> String {
    lowercase(account.trim())
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// `DATA-UNMATCHED` for assessment rows that match nobody on the roster.
fn unmatched_finding(who: &Identity, locations: &[Location]) -> Finding {
    Finding::attendee(
        ids::DATA_UNMATCHED.as_str(),
        Severity::Error,
        None,
        format!(
            "assessment result of {} matches nobody on the roster (no matching attendee id, email, ASHA account or alias): {}",
            who.describe(),
            crate::findings::list_places(locations)
        ),
        locations.first().cloned(),
        format!(
            "add `{}` to aliases.csv (or correct the email or id in the LMS, or the roster); if this is not an attendee (a test account, staff), delete the row from the export",
            who.alias_line()
        ),
    )
}

/// What the best attempt decides, and why in words that name the file and line.
fn judge(file: &AssessmentFile, attempt: &Attempt, min_percent: Option<u8>) -> Result {
    let mut why = format!("{}: {}", file.row_name(attempt.line), attempt.said);
    if let Some(score) = &attempt.score {
        why.push_str(&format!(", score {score}"));
        if let Some(percent) = attempt.percent {
            why.push_str(&format!(" ({}%)", percent_text(percent)));
        }
    }
    let completed = passes(attempt, min_percent);
    if attempt.submitted
        && !completed
        && let Some(min) = min_percent
    {
        if attempt.percent.is_some() {
            why.push_str(&format!(", below the minimum of {min}% (course.toml [completion] assessment_min_score_percent)"));
        } else {
            why.push_str(&format!(", no score out of a known maximum to compare with the minimum of {min}% (course.toml [completion] assessment_min_score_percent)"));
        }
    }
    Result { completed, why }
}

/// A percentage cut (not rounded) to one decimal, without a trailing `.0`: 69.96 is `69.9`.
fn percent_text(percent: f64) -> String {
    let tenths = (percent * 10.0 + 1e-9).floor() / 10.0;
    let text = format!("{tenths:.1}");
    text.strip_suffix(".0").map(str::to_string).unwrap_or(text)
}
