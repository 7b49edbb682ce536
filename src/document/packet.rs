//! The audit packet (`ceu packet`): what an auditor asks for years later, in one PDF/A-3b.
//! The offering (agenda, instructional minutes and credit per body, disclosures with their
//! dates, completion policy), every attendee's minutes and outcome, the findings, the input
//! files' SHA-256, this offering's ledger entries and the record-retention period
//! (ASHA-RECORD-1); the machine-readable check report is attached by the caller.
//!
//! Everything is taken from the same evaluation as `check` and from the ledger as read; the
//! only date is the `as_of` the caller passes, so the same inputs give the same bytes.

use crate::ledger::{Entry, EntryBody};
use crate::offering::Offering;
use crate::rules::Report;
use chrono::{Datelike, NaiveDate};
use serde_json::{Value, json};

/// The built-in packet template (`templates/packet.typ`).
pub const TEMPLATE: &str = include_str!("../../templates/packet.typ");
/// The default file name, in the offering folder.
pub const FILE: &str = "packet.pdf";
/// The name of the attached check report (the JSON of `ceu check --format json`).
pub const REPORT_ATTACHMENT: &str = "check-report.json";

/// The packet's data (the JSON the template reads as `/data.json`). `ledger` names the ledger
/// read (for the reader), `entries` are all its entries (this offering's are selected here).
pub fn packet_data(
    offering: &Offering,
    report: &Report,
    entries: &[Entry],
    ledger: &str,
    as_of: NaiveDate,
) -> Value {
    let course = &offering.record.course;
    let info = &course.offering;
    let retention = course.rules.retention_years;
    let keep_until = info
        .end_date
        .with_year(info.end_date.year() + i32::try_from(retention).unwrap_or(0))
        .unwrap_or(info.end_date);
    json!({
        "title": format!("Audit packet: {}", info.title.get_ref()),
        "as_of": as_of.to_string(),
        "provider": course.provider.name,
        "offering": {
            "id": info.id.get_ref(),
            "title": info.title.get_ref(),
            "dates": crate::certificate::date_range(info.start_date, info.end_date),
            "location": info.location,
            "format": info.format.get_ref(),
            "level": info.level.get_ref(),
            "time_zone": info.time_zone.get_ref(),
        },
        "agenda": agenda(offering),
        "instructional_minutes": report.course_credit.instructional_minutes,
        "credit": credit(offering, report),
        "disclosures": super::disclosure::speakers(course),
        "completion": completion(offering),
        "attendees": attendees(report),
        "findings": findings(report),
        "inputs": offering.input_hashes().iter().map(|i| json!({"file": i.file, "sha256": i.sha256})).collect::<Vec<_>>(),
        "ledger": {"file": ledger, "entries": ledger_entries(offering.id(), entries)},
        "retention": {
            "years": retention,
            "until": keep_until.to_string(),
            "rule": "ASHA-RECORD-1",
        },
    })
}

/// The agenda, one row per block: date, times, kind, title, minutes.
fn agenda(offering: &Offering) -> Vec<Value> {
    offering
        .record
        .course
        .agenda
        .iter()
        .map(|block| {
            let b = block.get_ref();
            json!({
                "date": b.date.to_string(),
                "time": format!("{}–{}", b.start.format("%H:%M"), b.end.format("%H:%M")),
                "kind": b.kind.name(),
                "title": b.title,
                "minutes": b.minutes(),
            })
        })
        .collect()
}

/// Credit per body the course offers, as the agenda supports it (the course-level ceilings
/// `check` computes), with each body's identifiers from the record.
fn credit(offering: &Offering, report: &Report) -> Vec<Value> {
    let credit = &offering.record.course.credit;
    let cc = &report.course_credit;
    let mut rows = Vec::new();
    if let Some(a) = &credit.asha {
        let a = a.get_ref();
        rows.push(json!({"body": "ASHA", "amount": format!("{} ASHA CEUs (record: {})", cc.asha_ceus, a.ceus.get_ref().text), "id": format!("provider {} · course {}", a.provider_code.get_ref(), a.course_number)}));
    }
    if let Some(n) = &credit.ncbtmb {
        let n = n.get_ref();
        rows.push(json!({"body": "NCBTMB", "amount": format!("{} CE hours", cc.ncbtmb_ce_hours), "id": format!("provider {} · approval {}", n.provider_number, n.approval_number)}));
    }
    if let Some(a) = &credit.aota {
        let a = a.get_ref();
        rows.push(json!({"body": "AOTA", "amount": format!("{} contact hours (record: {})", cc.aota_contact_hours, a.contact_hours.get_ref().text), "id": format!("provider {}", a.provider_number)}));
    }
    if let Some(i) = &credit.iacet {
        let i = i.get_ref();
        rows.push(json!({"body": "IACET", "amount": format!("{} CEUs (record: {})", cc.iacet_ceus, i.ceus.get_ref().text), "id": format!("provider {}", i.provider_number)}));
    }
    if let Some(p) = &credit.pt {
        let p = p.get_ref();
        rows.push(json!({"body": "PT", "amount": format!("{} contact hours", p.contact_hours.get_ref().text), "id": format!("approval {}", p.approval_number)}));
    }
    rows
}

/// The completion policy as recorded.
fn completion(offering: &Offering) -> Value {
    let c = offering.record.course.completion.get_ref();
    json!({
        "requirements": c.requirements.trim(),
        "attendance": c.attendance,
        "minimum_percent": c.minimum_percent,
        "grace_minutes": c.grace_minutes,
        "assessment_required": c.assessment_required,
    })
}

/// Every attendee: id, name, profession, minutes, outcome, reason, credit per body.
fn attendees(report: &Report) -> Vec<Value> {
    report
        .attendees
        .iter()
        .map(|a| {
            let credits: Vec<String> = a
                .credits
                .iter()
                .filter(|c| c.requested || c.amount.is_some())
                .map(|c| match &c.amount {
                    Some(amount) => format!("{}: {}", c.body.name(), amount.value()),
                    None => format!("{}: none", c.body.name()),
                })
                .collect();
            json!({
                "id": a.attendee_id.as_str(),
                "name": a.name.as_str(),
                "profession": a.profession.as_str(),
                "minutes": a.attended_minutes,
                "outcome": serde_json::to_value(a.status).unwrap_or_default(),
                "blocked_by": a.blocked_by,
                "reason": a.reason.as_str(),
                "credits": credits.join("; "),
            })
        })
        .collect()
}

/// Every finding: rule, severity, whom, where, message.
fn findings(report: &Report) -> Vec<Value> {
    report
        .findings
        .iter()
        .map(|f| {
            json!({
                "rule": f.rule,
                "severity": if f.is_error() { "error" } else { "warning" },
                "attendee": f.attendee.clone().unwrap_or_default(),
                "location": f.location.as_ref().map(ToString::to_string).unwrap_or_default(),
                "message": f.message,
            })
        })
        .collect()
}

/// This offering's ledger entries: its issues, reissues, reports and notices, and the
/// revocations of its certificates; each with seq, time, type, what it is about and the hash
/// it binds.
fn ledger_entries(offering_id: &str, entries: &[Entry]) -> Vec<Value> {
    let ours: std::collections::BTreeSet<&str> = entries
        .iter()
        .filter_map(|e| e.body().issued())
        .filter(|f| f.offering_id == offering_id)
        .map(|f| f.cert_id.as_str())
        .collect();
    entries
        .iter()
        .filter_map(|e| {
            let (kind, about, sha256) = match e.body() {
                EntryBody::Issue(f) | EntryBody::Reissue(f) if f.offering_id == offering_id => {
                    let kind = if f.supersedes.is_some() { "reissue" } else { "issue" };
                    (kind, format!("{} · attendee {}", e.full_cert_id(), f.attendee_id), f.pdf_sha256.clone())
                }
                EntryBody::Revoke(f) if ours.contains(f.cert_id.as_str()) => {
                    ("revoke", format!("{} · {}", e.full_cert_id(), f.reason), String::new())
                }
                EntryBody::Report(f) if f.offering_id == offering_id => (
                    "report",
                    format!("{} · {} rows{}", f.report, f.rows, f.submitted.as_ref().map(|d| format!(" · submitted {d}")).unwrap_or_default()),
                    f.files.values().cloned().collect::<Vec<_>>().join(" "),
                ),
                EntryBody::Notice(f) if f.offering_id == offering_id => {
                    ("notice", format!("attendee {} · {}", f.attendee_id, f.pdf_file), f.pdf_sha256.clone())
                }
                _ => return None,
            };
            Some(json!({"seq": e.seq(), "time": e.payload.time, "type": kind, "about": about, "sha256": sha256}))
        })
        .collect()
}
