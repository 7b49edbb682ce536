//! What the certificate page will say, checked before issuing: requested credit that is not
//! awarded (a warning that tells the administrator why) and values that do not fit the page
//! (an error found from the template's real layout, never from string lengths).
//!
//! `check` and `issue` add these findings to the report with [`findings`], after the rules
//! have run: both then hold back exactly the same attendees.

use std::collections::{HashMap, HashSet};

use crate::catalogue::{RuleId, ids};
use crate::certificate;
use crate::findings::{Finding, Location, Severity};
use crate::offering::Offering;
use crate::render::{CertificateData, CreditBlock, Renderer};
use crate::rules::{Award, Report, Status};
use chrono::{DateTime, Utc};

/// Rule id of a value the page cannot show in full (kept here for callers; the catalogue's).
pub const RENDER_CLIPPED: RuleId = ids::RENDER_CLIPPED;
/// Rule id of a template that cannot lay out an attendee's certificate at all (kept here for
/// callers; the catalogue's).
pub const RENDER_TEMPLATE: RuleId = ids::RENDER_TEMPLATE;

/// The page findings of a checked offering: [`wording_findings`], [`credit_findings`] and
/// [`layout_findings`].
pub fn findings(offering: &Offering, report: &Report, renderer: &Renderer) -> Vec<Finding> {
    let mut out = wording_findings(offering, report);
    out.extend(credit_findings(offering, report));
    out.extend(layout_findings(offering, report, renderer));
    out
}

/// The certificate wording lints (`rules::wording::lint`: GEN-3, NCBTMB-CE-4, AOTA-CEU-2,
/// ASHA-CERT-1/2, AOTA-CERT-1, IACET-CERT-1) over the certificate of every attendee awarded
/// credit, each problem reported once, located at course.toml.
pub fn wording_findings(offering: &Offering, report: &Report) -> Vec<Finding> {
    let mut findings = Vec::new();
    let record = &offering.record;
    // The lints read only the credit blocks and the statement: each distinct pair is linted
    // once (a 10,000-attendee offering has a handful), on one certificate whose other fields
    // are built once.
    let mut linted: HashSet<(Vec<CreditBlock>, String)> = HashSet::new();
    let mut data: Option<CertificateData> = None;
    let mut seen: Vec<(String, String)> = Vec::new();
    for (attendee, outcome) in offering.roster.attendees.iter().zip(&report.attendees) {
        if !outcome.credits.iter().any(|c| c.amount.is_some()) {
            continue;
        }
        let printed = (
            certificate::credit_blocks(&record.course, attendee, outcome),
            certificate::statement(outcome),
        );
        if linted.contains(&printed) {
            continue;
        }
        let data = data.get_or_insert_with(|| {
            certificate::certificate_data(
                &record.course,
                attendee,
                outcome,
                "ID",
                1,
                "CODE",
                DateTime::<Utc>::UNIX_EPOCH,
            )
        });
        data.credits.clone_from(&printed.0);
        data.statement.clone_from(&printed.1);
        linted.insert(printed);
        for mut finding in crate::rules::wording::lint(data) {
            let key = (finding.rule.clone(), finding.message.clone());
            if !seen.contains(&key) {
                seen.push(key);
                finding.location = Some(record.file());
                findings.push(finding);
            }
        }
    }
    findings
}

/// One attendee-level warning per body whose credit an attendee who receives a certificate
/// requested and does not receive (not eligible, not complete for that body, assessment or
/// test missing, body not offered), with the reason and its compliance.md rule id (GEN-2 when
/// the reason names none). Warnings block nothing: the certificate is still issued, and its
/// credit note says the same. Attendees who receive no certificate are not repeated here:
/// not completing is an outcome, and the report's attendee list gives its reason.
pub fn credit_findings(offering: &Offering, report: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    for (attendee, outcome) in offering.roster.attendees.iter().zip(&report.attendees) {
        if outcome.status == Status::NotCompleted {
            continue;
        }
        for award in outcome
            .credits
            .iter()
            .filter(|c| c.requested && c.amount.is_none())
        {
            let rule = rule_of(&award.reason).unwrap_or(ids::GEN_2.as_str());
            let receives = if outcome.credits.iter().any(|c| c.amount.is_some()) {
                "receives a certificate without it"
            } else {
                "receives a Certificate of Attendance with no credit"
            };
            out.push(Finding::attendee(
                rule,
                Severity::Warning,
                Some(attendee.id().to_string()),
                format!(
                    "{} ({}) requested {} credit and {receives}: {}",
                    outcome.name,
                    attendee.id(),
                    award.body.name(),
                    certificate::withheld_reason(award)
                ),
                Some(offering.roster.location(attendee)),
                fix_for(rule, award),
            ));
        }
    }
    out
}

/// The first compliance.md-style rule id (`ASHA-ELIG-2`, `GEN-2`) in a reason.
fn rule_of(reason: &str) -> Option<&str> {
    reason
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .find(|token| {
            token.contains('-')
                && token.starts_with(|c: char| c.is_ascii_uppercase())
                && token.ends_with(|c: char| c.is_ascii_digit())
                && token
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
        })
}

/// What to do about requested credit that is not awarded.
fn fix_for(rule: &str, award: &Award) -> String {
    use ids::*;
    match crate::catalogue::id(rule) {
        Some(ASHA_ELIG_2) => "if the attendee is eligible for ASHA credit (ASHA member, CCC, SLP/AUD licence or credential, CF, SLP/AUD student), correct the profession column of roster.csv; otherwise tell them ASHA credit is not available to them".into(),
        Some(NCBTMB_COMPLETE_1) if award.reason.contains("test") && award.reason.contains("assessment/") => "the LMS export in assessment/ decides (the reason names its row): if the attendee did pass the test, correct the attempt in the LMS and export the results again".into(),
        Some(NCBTMB_COMPLETE_1) if award.reason.contains("test") => "if the attendee passed the test, set assessment_completed to yes in roster.csv".into(),
        Some(NCBTMB_COMPLETE_1) => "NCBTMB credit needs every instructional minute of a live course: if the attendance export is wrong, correct it or add the missing time; otherwise the certificate is issued without NCBTMB credit".into(),
        Some(ASHA_COMPLETE_2) if award.reason.contains("assessment/") => "the LMS export in assessment/ decides (the reason names its row): if the attendee did complete the assessment, correct the attempt in the LMS and export the results again".into(),
        Some(ASHA_COMPLETE_2) => "if the attendee completed the learning assessment, set assessment_completed to yes in roster.csv".into(),
        Some(ASHA_ELIG_3) => "nothing to do if this is the same person: an instructor earns ASHA CEUs for a course once; if it is someone else, tell them apart in roster.csv (email) or in the [[speaker]] entry".into(),
        Some(ASHA_ELIG_4) => "nothing to do if this is the same person: they are not reported to ASHA for this course again; if the course was registered to allow repeats, set repeats_allowed = true under [credit.asha] in course.toml".into(),
        Some(GEN_2) if !award.offered => format!("the course is not approved for {} credit: remove it from the attendee's credit column in roster.csv, or add the approval to course.toml", award.body.name()),
        _ => "if this is wrong, correct roster.csv or the attendance files and run check again; otherwise nothing to do: the certificate says why the credit is missing".into(),
    }
}

/// Attendee-level errors for certificates whose holder details do not fit the page, and
/// offering-level errors for offering values that do not fit, from the template's own
/// layout facts (see `render::Layout`).
///
/// Every attendee who would receive a certificate is laid out, but only distinct page shapes
/// are compiled ([`Renderer::page_shape`]: a holder line or credit line that certainly fits
/// on one line, by a bound from the fonts' widest advances, is replaced by a stand-in), so
/// an offering of thousands compiles a handful of pages.
pub fn layout_findings(offering: &Offering, report: &Report, renderer: &Renderer) -> Vec<Finding> {
    let pages = distinct_pages(offering, report, renderer);
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let layouts =
        crate::render::run_parallel(threads, pages.len(), |page| renderer.layout(&pages[page].0));
    let mut out = Vec::new();
    let mut offering_regions: Vec<String> = Vec::new();
    for ((_, attendees), layout) in pages.iter().zip(layouts) {
        match layout {
            Ok(layout) => clipped_findings(
                offering,
                attendees,
                &layout,
                &mut offering_regions,
                &mut out,
            ),
            Err(error) => {
                for &i in attendees {
                    let attendee = &offering.roster.attendees[i];
                    out.push(Finding::attendee(
                        RENDER_TEMPLATE,
                        Severity::Error,
                        Some(attendee.id().to_string()),
                        format!(
                            "the certificate of {} cannot be laid out: {error}",
                            attendee.id()
                        ),
                        Some(offering.roster.location(attendee)),
                        "fix the certificate template (the message names its line)",
                    ));
                }
            }
        }
    }
    out
}

/// The distinct page shapes of the attendees who receive a certificate, each with the roster
/// indexes of the attendees it stands for.
fn distinct_pages(
    offering: &Offering,
    report: &Report,
    renderer: &Renderer,
) -> Vec<(CertificateData, Vec<usize>)> {
    let course = &offering.record.course;
    let epoch = DateTime::<Utc>::UNIX_EPOCH;
    let mut pages: Vec<(CertificateData, Vec<usize>)> = Vec::new();
    let mut index: HashMap<Vec<u8>, usize> = HashMap::new();
    for (i, (attendee, outcome)) in offering
        .roster
        .attendees
        .iter()
        .zip(&report.attendees)
        .enumerate()
    {
        if outcome.status == Status::NotCompleted {
            continue;
        }
        let data = renderer.page_shape(&certificate::certificate_data(
            course, attendee, outcome, "ID", 1, "CODE", epoch,
        ));
        // Everything else on the page is the offering's, the same for every attendee.
        let key = serde_json::to_vec(&(
            &data.holder,
            &data.heading,
            &data.attests,
            &data.instructional_hours,
            &data.credits,
            &data.credit_note,
            &data.statement,
        ))
        .unwrap_or_default();
        match index.get(&key) {
            Some(&page) => pages[page].1.push(i),
            None => {
                index.insert(key, pages.len());
                pages.push((data, vec![i]));
            }
        }
    }
    pages
}

/// The findings of one laid-out page shape standing for `attendees` (roster indexes): holder
/// values that clip hold back each of them, offering values that clip and text under the
/// minimum size are offering errors, each once (`offering_regions` remembers which).
fn clipped_findings(
    offering: &Offering,
    attendees: &[usize],
    layout: &crate::render::Layout,
    offering_regions: &mut Vec<String>,
    out: &mut Vec<Finding>,
) {
    for region in layout.clipped() {
        if region.is_attendee() {
            for &i in attendees {
                let attendee = &offering.roster.attendees[i];
                let name = attendee.display_name();
                let shown: String = name.chars().take(40).collect();
                let more = if name.chars().count() > 40 { "…" } else { "" };
                out.push(Finding::attendee(
                    RENDER_CLIPPED,
                    Severity::Error,
                    Some(attendee.id().to_string()),
                    format!(
                        "the certificate of {} cannot show {} in full (\"{shown}{more}\", {} characters): it does not fit its place on the page even at the smallest size",
                        attendee.id(),
                        region.describe(),
                        name.chars().count()
                    ),
                    Some(offering.roster.location(attendee)),
                    "shorten the name or credential in roster.csv to what the attendee's licence shows (for example without middle names), then run check again",
                ));
            }
        } else if !offering_regions.contains(&region.region) {
            offering_regions.push(region.region.clone());
            out.push(Finding::offering(
                RENDER_CLIPPED,
                Severity::Error,
                format!(
                    "the certificate cannot show {} in full: it does not fit its place on the page",
                    course_keys(&region.fields)
                ),
                Some(offering.record.file()),
                "shorten that value in course.toml, then run check again",
            ));
        }
    }
    if layout.smallest_text_pt < crate::render::MIN_TEXT_PT - 1e-6
        && !offering_regions.iter().any(|r| r == "min-text")
    {
        offering_regions.push("min-text".into());
        out.push(Finding::offering(
            RENDER_TEMPLATE,
            Severity::Error,
            format!(
                "the certificate template sets text at {:.2} pt; nothing on the page may be smaller than 8 pt",
                layout.smallest_text_pt
            ),
            Some(Location::file("templates/certificate.typ")),
            "raise the template's smallest text size to 8 pt or more",
        ));
    }
}

/// Template field names as course.toml keys, for messages.
fn course_keys(fields: &[String]) -> String {
    if fields.is_empty() {
        return "a line of the template's own text".into();
    }
    fields
        .iter()
        .map(|field| match field.as_str() {
            "offering.title" => "[offering] title".to_string(),
            "offering.location" => "[offering] location".into(),
            "offering.dates" => "[offering] start_date/end_date".into(),
            "offering.format" => "[offering] format".into(),
            "offering.level" => "[offering] level".into(),
            "provider.name" => "[provider] name".into(),
            "provider.contact" => "[provider] contact".into(),
            "signatory.name" => "[provider.signatory] name".into(),
            "signatory.title" => "[provider.signatory] title".into(),
            "second_signatory.name" => "[provider.second_signatory] name".into(),
            "second_signatory.title" => "[provider.second_signatory] title".into(),
            other => format!("`{other}`"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_found_in_reasons() {
        assert_eq!(
            rule_of("profession `LMT` is not eligible to earn ASHA CEUs (ASHA-ELIG-2)"),
            Some("ASHA-ELIG-2")
        );
        assert_eq!(
            rule_of("attended 1555 of 1560 minutes (NCBTMB-COMPLETE-1)"),
            Some("NCBTMB-COMPLETE-1")
        );
        assert_eq!(rule_of("no attendance recorded"), None);
        assert_eq!(
            rule_of("the course is not approved for AOTA credit (GEN-2)"),
            Some("GEN-2")
        );
    }
}
