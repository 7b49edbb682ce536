//! `RENDER-GLYPHS` (docs/rules.md): attendees whose printed details the bundled fonts cannot
//! draw or shape, found before issuing so that `check` reports them too.

use crate::catalogue::ids;
use crate::certificate;
use crate::findings::{Finding, Severity};
use crate::offering::Offering;
use crate::render::CertificateData;
use crate::render::Renderer;
use crate::rules::{Report, Status};
use chrono::{DateTime, Utc};

/// `RENDER-GLYPHS` findings: attendees whose printed details hold characters that no bundled
/// font can draw. Refused one by one rather than printed as empty boxes; `check` reports them
/// too, so they can be fixed before issuing.
pub fn glyph_findings(offering: &Offering, report: &Report, renderer: &Renderer) -> Vec<Finding> {
    let course = &offering.record.course;
    let placeholder_time = DateTime::<Utc>::UNIX_EPOCH;
    let mut shaping = crate::scripts::ShapingCheck::new(renderer.fonts());
    let root =
        crate::paths::root_of_offering(&offering.dir).unwrap_or_else(|_| offering.dir.join(".."));
    offering
        .roster
        .attendees
        .iter()
        .zip(&report.attendees)
        .filter(|(_, outcome)| outcome.status != Status::NotCompleted)
        .filter_map(|(attendee, outcome)| {
            let data = certificate::certificate_data(course, attendee, outcome, "ID", 1, "CODE", placeholder_time);
            let missing = renderer.missing_glyphs(&data);
            if missing.is_empty() {
                return unshaped_script_finding(offering, attendee, &mut shaping, &data, &root);
            }
            let shown: String = missing.iter().take(12).collect();
            let codes: Vec<String> = missing.iter().take(12).map(|c| format!("U+{:04X}", u32::from(*c))).collect();
            Some(Finding::attendee(
                ids::RENDER_GLYPHS.as_str(),
                Severity::Error,
                Some(attendee.id().to_string()),
                format!(
                    "the certificate of {} cannot be printed: the fonts (bundled and provider) have no glyphs for \"{shown}\" ({})",
                    attendee.id(),
                    codes.join(" ")
                ),
                Some(offering.roster.location(attendee)),
                crate::provider::font_fix(&scripts_of(&missing), &root),
            ))
        })
        .chain(notice_findings(offering, report, renderer, &root))
        .collect()
}

/// `RENDER-GLYPHS` warnings for the notices `issue` will write (non-completers who asked for
/// a body's credit, `document::notice::needs_notice`) whose recipient's name or id the fonts
/// (bundled and provider: a notice is drawn with the certificate's fonts) cannot draw or
/// shape. Warnings, not errors: a notice never holds a certificate back, but without the font
/// `issue` would write no notice ("notice NOT written"); `check` says so in advance, with the
/// same fix. Attendees with a certificate are left to [`glyph_findings`]' error.
fn notice_findings(
    offering: &Offering,
    report: &Report,
    renderer: &Renderer,
    root: &std::path::Path,
) -> Vec<Finding> {
    use crate::document::notice;
    if !notice::offering_allows_notices(report) {
        return Vec::new();
    }
    let mut shaping = crate::scripts::ShapingCheck::new(renderer.fonts());
    let mut findings = Vec::new();
    for (attendee, outcome) in offering.roster.attendees.iter().zip(&report.attendees) {
        if outcome.status != Status::NotCompleted || !notice::needs_notice(outcome) {
            continue;
        }
        let data = notice::notice_data(&offering.record.course, attendee, outcome, "");
        let printed = [data.holder.name.as_str(), data.holder.detail.as_str()];
        let missing = renderer.missing_chars(printed);
        let scripts = if missing.is_empty() {
            shaping.unshaped(printed).iter().map(|u| u.script).collect()
        } else {
            scripts_of(&missing)
        };
        if scripts.is_empty() {
            continue;
        }
        let why = if missing.is_empty() {
            "have the letters of its script but not its shaping rules, so joined letters would print broken".to_string()
        } else {
            let shown: String = missing.iter().take(12).collect();
            format!("have no glyphs for \"{shown}\"")
        };
        findings.push(Finding::attendee(
            ids::RENDER_GLYPHS.as_str(),
            Severity::Warning,
            Some(attendee.id().to_string()),
            format!(
                "the notice to {} (credit not awarded, ASHA-COMPLETE-4) cannot be printed: the fonts (bundled and provider) {why}; `issue` would write no notice to {} (certificates are not affected)",
                attendee.id(),
                attendee.id()
            ),
            Some(offering.roster.location(attendee)),
            crate::provider::font_fix(&scripts, root),
        ));
    }
    findings
}

/// `RENDER-GLYPHS` for an attendee whose printed details hold a complex script (Devanagari,
/// Bengali, Arabic, ...) that the fonts covering its letters cannot shape: they would print,
/// but broken (`प्र` as separate letters, no reph). `None` when every script can be shaped.
fn unshaped_script_finding(
    offering: &Offering,
    attendee: &crate::roster::Attendee,
    shaping: &mut crate::scripts::ShapingCheck,
    data: &CertificateData,
    root: &std::path::Path,
) -> Option<Finding> {
    let unshaped = shaping.unshaped(data.printed_strings());
    if unshaped.is_empty() {
        return None;
    }
    let scripts: Vec<String> = unshaped
        .iter()
        .map(|u| {
            format!(
                "{} (\"{}\", U+{:04X})",
                u.script.full_name(),
                u.example,
                u32::from(u.example)
            )
        })
        .collect();
    Some(Finding::attendee(
        ids::RENDER_GLYPHS.as_str(),
        Severity::Error,
        Some(attendee.id().to_string()),
        format!(
            "the certificate of {} cannot be printed correctly: the fonts (bundled and provider) have the letters of {} but not the script's shaping rules (no GSUB entry for it), so joined letters would print broken",
            attendee.id(),
            scripts.join(", ")
        ),
        Some(offering.roster.location(attendee)),
        crate::provider::font_fix(&unshaped.iter().map(|u| u.script).collect::<Vec<_>>(), root),
    ))
}

/// The scripts of `chars` (Unicode Script property), each once, in order.
fn scripts_of(chars: &[char]) -> Vec<unicode_script::Script> {
    use unicode_script::UnicodeScript;
    let mut scripts = Vec::new();
    for script in chars.iter().map(|c| c.script()) {
        if !scripts.contains(&script) {
            scripts.push(script);
        }
    }
    scripts
}
