//! ASHA disclosure rules (compliance.md §1.1, §3.1: ASHA-DISCLOSE-1, -2, -3, -4, -5, -9): every
//! speaker and planner has a financial and a nonfinancial statement of their own on record, in
//! words, naming the person and, for a relationship, the organization and the kind of
//! relationship; a blanket statement covering several people does not count.

use crate::catalogue::ids::*;
use crate::course::{CourseRecord, Disclosure, Speaker};
use crate::findings::{Finding, Location};

/// Words that stand for a person without naming them (ASHA-DISCLOSE-4), singular.
const GENERIC_PERSON: [&str; 12] = [
    "teacher",
    "speaker",
    "instructor",
    "presenter",
    "faculty",
    "lecturer",
    "author",
    "trainer",
    "educator",
    "planner",
    "panelist",
    "moderator",
];

/// Words that stand for a group of people (ASHA-DISCLOSE-5), besides the plural of a
/// [`GENERIC_PERSON`] word.
const COLLECTIVE: [&str; 6] = [
    "faculty",
    "everyone",
    "everybody",
    "staff",
    "committee",
    "panel",
];

/// Pronouns that, as the subject of a statement, stand in for the person's name
/// (ASHA-DISCLOSE-4): "She receives a fee …", "They have no …".
const SUBJECT_PRONOUNS: [&str; 5] = ["he", "she", "they", "i", "we"];

/// Titles left out when looking for the speaker's name in a statement.
const TITLES: [&str; 8] = ["dr", "mr", "mrs", "ms", "mx", "prof", "professor", "rev"];

/// The lowercase words of `text`, apostrophes and hyphens kept inside words.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether `word` is a generic word for a person, singular or plural ("teachers").
fn is_generic_person(word: &str) -> bool {
    GENERIC_PERSON.contains(&word)
        || word
            .strip_suffix('s')
            .is_some_and(|stem| GENERIC_PERSON.contains(&stem))
}

/// Whether `word` names a group: a plural person word or a collective one.
fn is_group(word: &str) -> bool {
    COLLECTIVE.contains(&word)
        || word
            .strip_suffix('s')
            .is_some_and(|stem| GENERIC_PERSON.contains(&stem))
}

/// Whether some sentence of `text` has a pronoun for its subject (its first word).
fn pronoun_subject(text: &str) -> bool {
    text.split(['.', ';', ':', '!', '?'])
        .filter_map(|sentence| words(sentence).into_iter().next())
        .any(|first| SUBJECT_PRONOUNS.contains(&first.as_str()))
}

/// Whether `text` names the speaker: any part of their name but a title or an initial.
fn mentions_name(text: &str, speaker: &str) -> bool {
    let said = words(text);
    words(speaker)
        .iter()
        .filter(|w| w.chars().count() > 1 && !TITLES.contains(&w.as_str()))
        .any(|w| said.contains(w))
}

/// Whether `text` is a blanket statement: it speaks of a group and says there is nothing to
/// disclose ("The speakers have nothing to disclose.", "All faculty: none.").
fn is_blanket(text: &str) -> bool {
    let said = words(text);
    let about_a_group = said.iter().any(|w| is_group(w))
        || text.to_lowercase().contains("no one")
        || said
            .windows(2)
            .any(|pair| pair[0] == "none" && pair[1] == "of");
    let denies = said
        .iter()
        .any(|w| matches!(w.as_str(), "no" | "none" | "nothing" | "not" | "nobody"));
    about_a_group && denies
}

/// Kinds of financial relationship ASHA lists (compliance.md §1.1): a statement of a
/// relationship must say which kind it is (ASHA-DISCLOSE-3).
const RELATIONSHIP_TYPES: [&str; 18] = [
    "fee",
    "salary",
    "salaried",
    "employ",
    "royalt",
    "honorari",
    "consult",
    "owner",
    "stock",
    "share",
    "grant",
    "research",
    "gift",
    "intellectual property",
    "paid",
    "compensat",
    "board",
    "member",
];

/// Whether a statement says there is no relationship ("… has no relevant financial
/// relationships to disclose", "None").
fn states_absence(statement: &str) -> bool {
    let lower = statement.trim().to_lowercase();
    let negated = lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| matches!(w, "no" | "none" | "nothing" | "not"));
    lower == "none"
        || (negated
            && ["relationship", "disclose", "conflict"]
                .iter()
                .any(|w| lower.contains(w)))
}

/// Capitalized words (not sentence-initial) that are not the speaker's own name nor a
/// generic word: a rough sign that an organization is named (ASHA-DISCLOSE-3).
fn names_an_organization(statement: &str, speaker: &str) -> bool {
    let own: Vec<String> = speaker
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    let mut sentence_start = true;
    for raw in statement.split_whitespace() {
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric());
        let capitalized = word.chars().next().is_some_and(char::is_uppercase);
        let lower = word.to_lowercase();
        if capitalized
            && !sentence_start
            && !own.contains(&lower)
            && !is_generic_person(&lower)
            && !matches!(
                lower.as_str(),
                "i" | "dr" | "mr" | "ms" | "mrs" | "financial" | "nonfinancial" | "asha"
            )
        {
            return true;
        }
        sentence_start = raw.ends_with('.') || raw.ends_with(':') || raw.ends_with(';');
    }
    false
}

fn is_placeholder(statement: &str) -> bool {
    matches!(
        statement.trim().to_lowercase().as_str(),
        "" | "-" | "n/a" | "na" | "tbd" | "?" | "..."
    )
}
/// The disclosure findings of a course record, speaker by speaker.
pub(super) fn check(record: &CourseRecord, findings: &mut Vec<Finding>) {
    let course = &record.course;
    if course.speakers.is_empty() {
        findings.push(Finding::offering_error(
            ASHA_DISCLOSE_1,
            "the course record lists no speaker or planner".into(),
            record.file(),
            "add a [[speaker]] table with name, role and a [speaker.disclosure] for every instructor and planner",
        ));
    }
    for spanned in &course.speakers {
        let speaker = spanned.get_ref();
        let at = record.at(spanned);
        let Some(disclosure) = &speaker.disclosure else {
            findings.push(Finding::offering_error(
                ASHA_DISCLOSE_1,
                format!("speaker `{}` ({}) has no disclosure on record", speaker.name, speaker.role),
                at,
                "add a [speaker.disclosure] table with `financial` and `nonfinancial` statements under this speaker",
            ));
            continue;
        };
        check_speaker(
            speaker,
            at,
            disclosure.get_ref(),
            record.at(disclosure),
            findings,
        );
    }
}

/// One speaker's disclosure (at `disclosure_at`), the speaker's table being at `at`.
fn check_speaker(
    speaker: &Speaker,
    at: Location,
    disclosure: &Disclosure,
    disclosure_at: Location,
    findings: &mut Vec<Finding>,
) {
    if disclosure.refused {
        findings.push(Finding::offering_error(
            ASHA_DISCLOSE_9,
            format!(
                "speaker `{}` refused to disclose and so may not plan, present, manage or evaluate the course",
                speaker.name
            ),
            disclosure_at.clone(),
            "remove this person from the speakers and agenda, or record their disclosure and set refused = false",
        ));
    }
    let name_is_generic = is_generic_person(&speaker.name.trim().to_lowercase());
    if name_is_generic {
        findings.push(Finding::offering_error(
            ASHA_DISCLOSE_4,
            format!("the speaker is recorded as `{}`, not by name", speaker.name),
            at,
            "write the person's full name in `name`",
        ));
    }
    for (side, statement) in [
        ("financial", &disclosure.financial),
        ("nonfinancial", &disclosure.nonfinancial),
    ] {
        let Some(statement) = statement.as_deref().filter(|s| !is_placeholder(s)) else {
            findings.push(Finding::offering_error(
                ASHA_DISCLOSE_2,
                format!("speaker `{}` has no {side} disclosure statement", speaker.name),
                disclosure_at.clone(),
                &format!(
                    "add `{side} = \"...\"` to this [speaker.disclosure]; if there is none, say so in words, e.g. \"{} has no relevant {side} relationships to disclose.\"",
                    speaker.name
                ),
            ));
            continue;
        };
        let statement = Statement {
            speaker: &speaker.name,
            side,
            text: statement,
            name_is_generic,
        };
        check_statement(&statement, &disclosure_at, findings);
    }
}

/// One side of one speaker's disclosure.
struct Statement<'a> {
    speaker: &'a str,
    /// "financial" or "nonfinancial".
    side: &'static str,
    text: &'a str,
    /// The speaker's own `name` is a generic word (already an ASHA-DISCLOSE-4 finding).
    name_is_generic: bool,
}

/// A stated disclosure: in words (ASHA-DISCLOSE-2), naming the person (ASHA-DISCLOSE-4), and
/// for a relationship the organization and its kind (ASHA-DISCLOSE-3).
fn check_statement(statement: &Statement, at: &Location, findings: &mut Vec<Finding>) {
    let Statement {
        speaker,
        side,
        text,
        name_is_generic,
    } = *statement;
    if text.trim().eq_ignore_ascii_case("none") {
        findings.push(Finding::offering_warning(
            ASHA_DISCLOSE_2,
            format!("speaker `{speaker}`'s {side} disclosure is the bare word \"none\""),
            at.clone(),
            &format!("write a sentence learners can read: \"{speaker} has no relevant {side} relationships to disclose.\""),
        ));
    }
    let lower = text.to_lowercase();
    let mentions_generic = words(text)
        .iter()
        .any(|w| is_generic_person(w) || is_group(w))
        || pronoun_subject(text);
    if mentions_generic && !mentions_name(text, speaker) && !name_is_generic {
        findings.push(Finding::offering_error(
            ASHA_DISCLOSE_4,
            format!(
                "the {side} statement of `{speaker}` says \"{}\" instead of naming the person",
                text.trim()
            ),
            at.clone(),
            &format!("name the individual, e.g. \"{speaker} receives …\""),
        ));
    }
    if is_blanket(text) {
        findings.push(Finding::offering_error(
            ASHA_DISCLOSE_5,
            format!(
                "the {side} statement of `{speaker}` is a blanket statement about several people (\"{}\")",
                text.trim()
            ),
            at.clone(),
            &format!("give each speaker their own statement, e.g. \"{speaker} has no relevant {side} relationships to disclose.\""),
        ));
    }
    if !states_absence(text) {
        let has_type =
            RELATIONSHIP_TYPES.iter().any(|t| lower.contains(t)) || side == "nonfinancial";
        if !names_an_organization(text, speaker) || !has_type {
            findings.push(Finding::offering_error(
                ASHA_DISCLOSE_3,
                format!(
                    "the {side} relationship of `{speaker}` (\"{}\") does not name both the organization and the kind of relationship",
                    text.trim()
                ),
                at.clone(),
                "say who pays or is related and how, e.g. \"… receives a teaching fee from Upledger Institute International.\"",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_statement_is_not_an_absence_and_names_no_organization() {
        let seed = "Teacher receives a fee for teaching this course.";
        assert!(!states_absence(seed));
        assert!(!names_an_organization(seed, "Maren Castell"));
        let fixed = "Maren Castell receives a teaching fee from Upledger Institute International.";
        assert!(names_an_organization(fixed, "Maren Castell"));
        assert!(states_absence(
            "Teacher has no nonfinancial relationship to disclose."
        ));
        assert!(states_absence("None"));
    }
}
