//! The assessment export formats, told apart by their header rows: a Moodle quiz results
//! report (`Email address`, `State` or `Status`, `Grade/10.00`), a Canvas quiz student
//! analysis report (`name`, `id`, `sis_id`, `submitted`, ..., `score`), a Canvas or Moodle
//! gradebook with one graded column, and a simple table (an attendee id, email, ASHA account or
//! name, plus `completed` and/or `score`).
//! docs/assessment.md lists the columns each is read from.

use super::{Attempt, Format};
use crate::attendance::{Identity, IdentityColumns};
use crate::catalogue::ids;
use crate::findings::{Finding, Location, Severity};
use crate::input::table::{Header, Row, normalize_header};
use crate::input::text::shorten;
use std::path::Path;

/// How many leading rows may come before the header (a title line, a blank-looking row).
const HEADER_SEARCH_ROWS: usize = 10;

/// Header spellings of the simple table's completed column.
const COMPLETED: &[&str] = &[
    "completed",
    "assessmentcompleted",
    "complete",
    "submitted",
    "passed",
    "done",
    "assessment",
];
/// Header spellings of a score column (simple table).
const SCORE: &[&str] = &[
    "scorepercent",
    "score(%)",
    "score%",
    "percent",
    "percentage",
    "score",
    "grade",
    "result",
];
/// Header spellings of the maximum a score is out of (simple table).
const MAX_SCORE: &[&str] = &["maxscore", "outof", "pointspossible", "maximum", "max"];
/// Header spellings of an ASHA account number column.
const ASHA_ACCOUNT: &[&str] = &[
    "ashaaccount",
    "ashaaccountnumber",
    "ashanumber",
    "ashaid",
    "ashamembernumber",
];

/// What the columns of one detected format are.
#[derive(Debug, Clone)]
pub(super) struct Layout {
    pub format: Format,
    who: IdentityColumns,
    asha: Option<usize>,
    completed: Option<usize>,
    score: Option<usize>,
    /// Moodle: the maximum from `Grade/10.00`; Canvas: the sum of the questions' points.
    max_in_header: Option<f64>,
    max_column: Option<usize>,
    /// Why the file cannot be used although its header is known (a gradebook whose
    /// assessment column cannot be told).
    pub unusable: Option<String>,
}

/// The header row and the layout of the first of the leading rows that is a known format.
pub(super) fn detect(rows: &[Row]) -> Option<(usize, Layout)> {
    rows.iter()
        .take(HEADER_SEARCH_ROWS)
        .enumerate()
        .find_map(|(i, row)| layout(&Header::new(row)).map(|layout| (i, layout)))
}

/// The formats, most specific first.
fn layout(header: &Header) -> Option<Layout> {
    let normalized: Vec<String> = header.names.iter().map(|n| normalize_header(n)).collect();
    let asha = header.find(ASHA_ACCOUNT);
    moodle_quiz(header, &normalized)
        .or_else(|| canvas_quiz(header))
        .or_else(|| gradebook(header, &normalized))
        .or_else(|| simple(header))
        .map(|layout| Layout { asha, ..layout })
}

/// A layout with only the format and the identity columns set.
fn base(format: Format, who: IdentityColumns) -> Layout {
    Layout {
        format,
        who,
        asha: None,
        completed: None,
        score: None,
        max_in_header: None,
        max_column: None,
        unusable: None,
    }
}

/// Moodle quiz results: `State` (Moodle 4: `Status`) and `Grade/<max>`.
fn moodle_quiz(header: &Header, normalized: &[String]) -> Option<Layout> {
    let grade = normalized.iter().position(|n| n.starts_with("grade/"))?;
    let state = header.find(&["state", "status"])?;
    let mut who = IdentityColumns::find(header);
    // Moodle's optional identity field `ID number`, where providers keep their own id.
    who.id = who.id.or_else(|| header.find(&["idnumber"]));
    Some(Layout {
        completed: Some(state),
        score: Some(grade),
        max_in_header: number(&normalized[grade]["grade/".len()..]),
        ..base(Format::MoodleQuiz, who)
    })
}

/// Canvas quiz student analysis: `submitted` and `score` with `sis_id` or `n correct`; the
/// maximum is the sum of the questions' points, which are the points columns' headers.
fn canvas_quiz(header: &Header) -> Option<Layout> {
    let submitted = header.find(&["submitted"])?;
    let score = header.find(&["score"])?;
    let sis_id = header.find(&["sisid", "sisuserid"]);
    if sis_id.is_none() && !header.has(&["ncorrect"]) {
        return None;
    }
    // Canvas's `id` is its own user id, never the provider's: the SIS id is.
    let who = IdentityColumns {
        id: sis_id,
        name: header.find(&["name"]),
        email: header.find(&["email", "emailaddress", "sisloginid", "loginid"]),
        ..IdentityColumns::default()
    };
    let points: f64 = header.names.iter().filter_map(|n| number(n)).sum();
    Some(Layout {
        completed: Some(submitted),
        score: Some(score),
        max_in_header: (points > 0.0).then_some(points),
        ..base(Format::CanvasQuiz, who)
    })
}

/// Canvas gradebook columns that are not an assignment.
const CANVAS_FIXED: &[&str] = &[
    "student",
    "id",
    "sisuserid",
    "sisloginid",
    "integrationid",
    "rootaccount",
    "section",
];
/// Parts of Canvas gradebook total columns (`Current Score`, `Unposted Final Grade`, ...).
const CANVAS_TOTALS: &[&str] = &[
    "currentscore",
    "finalscore",
    "currentpoints",
    "finalpoints",
    "currentgrade",
    "finalgrade",
    "override",
];

/// A gradebook export: Canvas (`Student`, `SIS User ID` or `SIS Login ID`, one column per
/// assignment) or Moodle (`Quiz: <name> (Real)` or `(Percentage)` columns). The one graded
/// item that is not a total is the assessment; none or several make the file unusable.
fn gradebook(header: &Header, normalized: &[String]) -> Option<Layout> {
    let canvas = header.has(&["student"]) && header.has(&["sisuserid", "sisloginid"]);
    let items: Vec<usize> = (0..normalized.len())
        .filter(|&i| {
            let n = normalized[i].as_str();
            if canvas {
                !CANVAS_FIXED.contains(&n) && !CANVAS_TOTALS.iter().any(|t| n.contains(t))
            } else {
                (n.ends_with("(real)") || n.ends_with("(percentage)"))
                    && !n.starts_with("coursetotal")
                    && !n.starts_with("categorytotal")
            }
        })
        .collect();
    if !canvas && items.is_empty() {
        return None;
    }
    let (format, who) = if canvas {
        let who = IdentityColumns {
            id: header.find(&["sisuserid"]),
            name: header.find(&["student"]),
            email: header.find(&["sisloginid"]),
            ..IdentityColumns::default()
        };
        (Format::CanvasGradebook, who)
    } else {
        let mut who = IdentityColumns::find(header);
        who.id = who.id.or_else(|| header.find(&["idnumber"]));
        (Format::MoodleGradebook, who)
    };
    let mut layout = base(format, who);
    match items[..] {
        [item] => {
            layout.score = Some(item);
            // Moodle's `(Percentage)` is already out of 100; Canvas's maximum is on the
            // `Points Possible` row ([`Layout::points_possible`]).
            if normalized[item].ends_with("(percentage)") {
                layout.max_in_header = Some(100.0);
            }
        }
        _ => {
            let names: Vec<String> = items
                .iter()
                .map(|&i| shorten(&header.names[i], 40))
                .collect();
            layout.unusable = Some(format!(
                "a {} export with {} graded columns ({}); ceu cannot tell which one is the learning assessment",
                format.name(),
                items.len(),
                names.join(", ")
            ));
        }
    }
    Some(layout)
}

/// A simple table: who, plus `completed` and/or `score`.
fn simple(header: &Header) -> Option<Layout> {
    let who = IdentityColumns::find(header);
    let completed = header.find(COMPLETED);
    let score = header.find(SCORE);
    let identified = who.any() || header.has(ASHA_ACCOUNT);
    if !identified || (completed.is_none() && score.is_none()) {
        return None;
    }
    Some(Layout {
        completed,
        score,
        max_column: header.find(MAX_SCORE),
        ..base(Format::Simple, who)
    })
}

/// A number as an LMS writes it: `8.50`, `8,50` (a decimal comma), `85%`; `None` for `-`,
/// blank or words (`Requires grading`).
fn number(text: &str) -> Option<f64> {
    let text = text.trim().trim_end_matches('%').trim();
    let text = if text.contains(',') && !text.contains('.') {
        text.replace(',', ".")
    } else {
        text.replace(',', "")
    };
    text.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// A yes/no cell as the roster reads it (blank is no); `None` when not understood.
fn yes_no(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "x" | "✓" | "done" | "completed" | "complete"
        | "submitted" | "passed" | "pass" | "finished" => Some(true),
        "no" | "n" | "false" | "0" | "" | "not submitted" | "failed" | "fail" => Some(false),
        _ => None,
    }
}

impl Layout {
    /// One data row as an attempt; `None` for a row that names nobody (Moodle's `Overall
    /// average` line). A completed cell that is not understood is a `DATA-VALUE` finding in
    /// the attempt's `problem`.
    pub(super) fn read(&self, row: &Row, header: &Header, display: &Path) -> Option<Attempt> {
        let who = self.who.read(row);
        let asha_account = self
            .asha
            .map(|i| row.cell(i).to_string())
            .filter(|a| !a.is_empty());
        if who.attendee_id.is_none() && who.email.is_none() && asha_account.is_none() {
            // Moodle's last row (`Overall average`) and empty template rows name nobody.
            if who.name.as_deref().is_none_or(is_summary) {
                return None;
            }
        }
        let score = self.score.map(|i| row.cell(i)).unwrap_or("");
        let percent = self.percent(row, score);
        let mut problem = None;
        let (submitted, said) = match self.format {
            Format::MoodleQuiz => {
                let state = self.completed.map(|i| row.cell(i)).unwrap_or("");
                (
                    normalize_header(state) == "finished",
                    format!("state `{}`", shorten(state, 30)),
                )
            }
            Format::CanvasQuiz => {
                let at = self.completed.map(|i| row.cell(i)).unwrap_or("");
                match at {
                    "" => (false, "not submitted".to_string()),
                    at => (true, format!("submitted {}", shorten(at, 30))),
                }
            }
            Format::CanvasGradebook | Format::MoodleGradebook => match number(score) {
                Some(_) => (true, "graded".to_string()),
                None if score.is_empty() || score == "-" => (false, "no grade".to_string()),
                None => (false, format!("grade `{}`", shorten(score, 20))),
            },
            Format::Simple => {
                self.simple_completed(row, header, &who, display, &mut problem, percent)
            }
        };
        Some(Attempt {
            who,
            asha_account,
            submitted,
            said,
            // Moodle writes `-` for no grade.
            score: (!matches!(score, "" | "-")).then(|| shorten(score, 20)),
            percent,
            line: row.line,
            problem,
        })
    }

    /// The score in percent of the maximum: Moodle's and Canvas's from the header's maximum,
    /// a simple table's from its max column, `8/10`, or a plain number read as a percent.
    fn percent(&self, row: &Row, score: &str) -> Option<f64> {
        if let Some((got, of)) = score.split_once('/') {
            let (got, of) = (number(got)?, number(of)?);
            return (of > 0.0).then(|| got * 100.0 / of);
        }
        let got = number(score)?;
        let max = self
            .max_column
            .and_then(|i| number(row.cell(i)))
            .or(self.max_in_header);
        match (self.format, max) {
            (_, Some(max)) if max > 0.0 => Some(got * 100.0 / max),
            (Format::Simple, _) => Some(got),
            _ => None,
        }
    }

    /// The simple table: the completed column when there is one (a value it cannot read is a
    /// `DATA-VALUE` finding and counts as not completed), else a score present.
    fn simple_completed(
        &self,
        row: &Row,
        header: &Header,
        who: &Identity,
        display: &Path,
        problem: &mut Option<Finding>,
        percent: Option<f64>,
    ) -> (bool, String) {
        let Some(column) = self.completed else {
            return (percent.is_some(), "a score".to_string());
        };
        let text = row.cell(column);
        let name = header.names.get(column).map_or("", String::as_str);
        match yes_no(text) {
            Some(done) => (done, format!("{name} `{}`", shorten(text, 30))),
            None => {
                *problem = Some(Finding::attendee(
                    ids::DATA_VALUE.as_str(),
                    Severity::Error,
                    None,
                    format!(
                        "{}: {name} `{}` is not yes or no",
                        who.describe(),
                        shorten(text, 40)
                    ),
                    Some(Location::line(display, row.line).with_column(column + 1)),
                    "write yes or no (also accepted: y/n, true/false, 1/0, submitted, finished, passed, or blank for no)",
                ));
                (
                    false,
                    format!("{name} `{}` (not understood)", shorten(text, 30)),
                )
            }
        }
    }
}

/// A row that is a report's summary rather than a person (`Overall average`).
fn is_summary(name: &str) -> bool {
    let name = normalize_header(name);
    name.is_empty()
        || name.starts_with("overallaverage")
        || name == "average"
        || name == "pointspossible"
}

impl Layout {
    /// A Canvas gradebook's maximum, from its `Points Possible` row (the row after the
    /// header, its first cell `Points Possible`).
    pub(super) fn points_possible(&mut self, rows: &[Row]) {
        if self.format != Format::CanvasGradebook {
            return;
        }
        let Some(score) = self.score else { return };
        self.max_in_header = rows
            .iter()
            .take(3)
            .find(|row| normalize_header(row.cell(0)) == "pointspossible")
            .and_then(|row| number(row.cell(score)));
    }
}
