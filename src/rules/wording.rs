//! Certificate wording lints (compliance.md §3.5 to §3.7: GEN-3, NCBTMB-CE-4, AOTA-CEU-2, ASHA-CERT-1,
//! ASHA-CERT-2, AOTA-CERT-1, IACET-CERT-1) over the text a certificate prints: the
//! [`CertificateData`] the renderer receives. Each body's lint reads only that body's credit
//! block and the statement every certificate shares, so "AOTA CEUs" in the AOTA block does not
//! trip NCBTMB's "never CEUs".
//!
//! `check` lints the certificate of every attendee who is awarded credit (their wording can
//! differ by the bodies they hold credit from) and reports each problem once.

use crate::catalogue::{RuleId, ids::*};
use crate::findings::{Finding, Severity};
use crate::render::{CertificateData, CreditBlock};

/// The bodies whose continuing-education units are called CEUs (GEN-3).
const CEU_BODIES: [&str; 3] = ["asha", "iacet", "aota"];

/// The words of `text`, lowercase.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Each "CEU"/"CEUs" in `text` with the word before it ("" at the start).
fn ceu_uses(text: &str) -> Vec<String> {
    let words = words(text);
    (0..words.len())
        .filter(|&i| matches!(words[i].as_str(), "ceu" | "ceus"))
        .map(|i| {
            if i == 0 {
                String::new()
            } else {
                words[i - 1].clone()
            }
        })
        .collect()
}

/// One lint's finding, located by the caller.
fn problem(rule: RuleId, severity: Severity, message: String, fix: &str) -> Finding {
    Finding::offering(rule, severity, message, None, fix)
}

/// The credit block printed under `heading`, if the certificate has one.
fn block<'a>(data: &'a CertificateData, heading: &str) -> Option<&'a CreditBlock> {
    data.credits.iter().find(|b| b.body == heading)
}

/// Every wording problem of one certificate's printed text (findings without a location).
pub fn lint(data: &CertificateData) -> Vec<Finding> {
    let mut out = Vec::new();
    let statement = data.statement.as_str();
    for (heading, text) in data
        .credits
        .iter()
        .map(|b| (b.body.as_str(), b.lines.join(" ")))
        .chain([("the certificate statement", statement.to_string())])
    {
        if ceu_uses(&text)
            .iter()
            .any(|before| !CEU_BODIES.contains(&before.as_str()))
        {
            out.push(problem(
                GEN_3,
                Severity::Error,
                format!("{heading} prints \"CEU\" without naming the body: \"{text}\""),
                "name the body with the unit (ASHA CEUs, IACET CEUs, AOTA CEUs, NCBTMB CE hours)",
            ));
        }
    }
    if let Some(ncbtmb) = block(data, "NCBTMB") {
        let text = ncbtmb.lines.join(" ");
        if !ceu_uses(&text).is_empty() || ceu_uses(statement).iter().any(|b| b == "ncbtmb") {
            out.push(problem(
                NCBTMB_CE_4,
                Severity::Error,
                format!("the NCBTMB credit is printed in CEUs: \"{text}\""),
                "NCBTMB credit is in \"CE hours\" (or \"CEs\"), never CEUs: reword the NCBTMB text in course.toml (e.g. `approved_title`)",
            ));
        }
    }
    lint_asha(data, &mut out);
    lint_aota(data, &mut out);
    if let Some(iacet) = block(data, "IACET")
        && iacet.lines.len() < 3
    {
        out.push(problem(
            IACET_CERT_1,
            Severity::Warning,
            "the IACET credit block carries no IACET Accredited Provider statement".into(),
            "set `[credit.iacet] statement` to IACET's approved AP statement, unmodified",
        ));
    }
    out
}

/// ASHA-CERT-1 and -2: no "ASHA CEUs" on the certificate; it says what it does not mean.
fn lint_asha(data: &CertificateData, out: &mut Vec<Finding>) {
    let Some(asha) = block(data, "ASHA") else {
        return;
    };
    let text = format!("{} {}", asha.lines.join(" "), data.statement).to_lowercase();
    if text.contains("asha ceu") || text.contains("asha continuing education") {
        out.push(problem(
            ASHA_CERT_1,
            Severity::Warning,
            "the certificate mentions \"ASHA CEUs\" or \"ASHA Continuing Education\"".into(),
            "state contact hours; ASHA CEUs are awarded by the ASHA CE Registry, not by the certificate",
        ));
    }
    let statement = data.statement.to_lowercase();
    if !(statement.contains("does not") || statement.contains("not by this certificate")) {
        out.push(problem(
            ASHA_CERT_2,
            Severity::Warning,
            "the certificate does not say what receiving it does not mean".into(),
            "keep the statement that the certificate does not state an endorsement and that ASHA credit is confirmed by the ASHA transcript",
        ));
    }
}

/// AOTA-CEU-2 and AOTA-CERT-1: contact hours and AOTA CEUs both shown; the approved-provider
/// statement and the "AOTA does not endorse" disclaimer.
fn lint_aota(data: &CertificateData, out: &mut Vec<Finding>) {
    let Some(aota) = block(data, "AOTA") else {
        return;
    };
    let text = aota.lines.join(" ").to_lowercase();
    if !(text.contains("contact hour") && text.contains("aota ceu")) {
        out.push(problem(
            AOTA_CEU_2,
            Severity::Error,
            "the AOTA credit does not show both contact hours and AOTA CEUs".into(),
            "print the AOTA credit as \"26.0 contact hours (2.6 AOTA CEUs)\"",
        ));
    }
    if !(text.contains("approved provider") && text.contains("aota does not endorse")) {
        out.push(problem(
            AOTA_CERT_1,
            Severity::Warning,
            "the AOTA credit block lacks the approved-provider statement or the \"AOTA does not endorse …\" disclaimer".into(),
            "make `[credit.aota] statement` AOTA's approved-provider statement, ending \"AOTA does not endorse specific course content, products, or clinical procedures.\"",
        ));
    }
}
