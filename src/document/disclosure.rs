//! The speakers' disclosures shown to learners at the start of the class (ASHA-DISCLOSE-7):
//! a 16:9 slide deck and a letter handout, from the course record's `[[speaker]]` entries
//! alone. The templates place as many speakers on a slide as fit and start another slide for
//! the rest; a speaker whose statements do not fit a slide on their own is reported as clipped.

use crate::course::Course;
use serde::Serialize;

/// The built-in slide template (`templates/disclosure-slide.typ`).
pub const SLIDE_TEMPLATE: &str = include_str!("../../templates/disclosure-slide.typ");
/// The built-in handout template (`templates/disclosure-handout.typ`).
pub const HANDOUT_TEMPLATE: &str = include_str!("../../templates/disclosure-handout.typ");
/// Default file names, in the offering folder.
pub const SLIDE_FILE: &str = "disclosure-slide.pdf";
pub const HANDOUT_FILE: &str = "disclosure-handout.pdf";

/// Everything the slide and the handout print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisclosureData {
    pub heading: String,
    pub provider: String,
    pub offering: Offering,
    pub speakers: Vec<Speaker>,
    /// The content and support disclosures (ASHA-DISCLOSE-10, -11), when the record has them.
    pub statements: Vec<String>,
    /// The offering's first day: the PDFs' creation date (not printed).
    #[serde(skip)]
    pub start_date: chrono::NaiveDate,
}

/// The offering as printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Offering {
    pub id: String,
    pub title: String,
    pub dates: String,
    pub location: String,
}

/// One speaker or planner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Speaker {
    pub name: String,
    /// As recorded: "instructor", "planner", "instructor, planner".
    pub role: String,
    pub financial: String,
    pub nonfinancial: String,
    /// The date the disclosure was made (YYYY-MM-DD), or empty when not recorded.
    pub date: String,
}

/// The disclosure data of a course record (speakers in record order).
pub fn disclosure_data(course: &Course) -> DisclosureData {
    let offering = &course.offering;
    let statements = [&offering.content_disclosure, &offering.support_disclosure]
        .into_iter()
        .flatten()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    DisclosureData {
        heading: "Speaker and planner disclosures".into(),
        provider: course.provider.name.clone(),
        offering: Offering {
            id: offering.id.get_ref().clone(),
            title: offering.title.get_ref().clone(),
            dates: crate::certificate::date_range(offering.start_date, offering.end_date),
            location: offering.location.clone(),
        },
        speakers: speakers(course),
        statements,
        start_date: offering.start_date,
    }
}

/// Every `[[speaker]]` with its statements and date (empty when not recorded).
pub fn speakers(course: &Course) -> Vec<Speaker> {
    course
        .speakers
        .iter()
        .map(|s| {
            let s = s.get_ref();
            let d = s.disclosure.as_ref().map(|d| d.get_ref());
            Speaker {
                name: s.name.clone(),
                role: s.role.clone(),
                financial: d.and_then(|d| d.financial.clone()).unwrap_or_default(),
                nonfinancial: d.and_then(|d| d.nonfinancial.clone()).unwrap_or_default(),
                date: d
                    .and_then(|d| d.date)
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            }
        })
        .collect()
}
