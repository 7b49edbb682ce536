//! The plan of an `issue` run: who gets a certificate, which revision, and why everyone else
//! does not, decided from the evaluation and the ledger index alone (no I/O), so it can be
//! tested and reasoned about apart from rendering, signing and writing.

use crate::certificate;
use crate::findings::Finding;
use crate::ledger::{self, IssueFields, LedgerIndex};
use crate::offering::Offering;
use crate::render::CertificateData;
use crate::roster::Attendee;
use crate::rules::{AttendeeOutcome, Report, Status};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// A certificate to render in this run.
/// Small on purpose (32 bytes): the printed data, the certificate id and
/// the verification code are derived when the job is rendered, so 100,000 queued jobs hold
/// indexes, not 100,000 certificates or 200,000 strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Index into the roster (and the report's attendees).
    index: u32,
    revision: u32,
    supersedes: Option<u32>,
    /// The certificate id from the ledger, for a reissue; a first issue derives it from the
    /// key (`certificate_id`).
    cert_id: Option<Box<str>>,
}

impl Job {
    /// A first issue for the attendee at `index`.
    pub(super) fn first(index: usize) -> Job {
        Job::new(index, 1, None, None)
    }

    /// The next revision of the certificate `earlier` recorded in the ledger.
    fn reissue(index: usize, earlier: &IssueFields) -> Job {
        Job::new(
            index,
            earlier.revision + 1,
            Some(earlier.revision),
            Some(earlier.cert_id.as_str().into()),
        )
    }

    fn new(index: usize, revision: u32, supersedes: Option<u32>, cert_id: Option<Box<str>>) -> Job {
        Job {
            index: u32::try_from(index).expect("fewer than 4 billion attendees"),
            revision,
            supersedes,
            cert_id,
        }
    }

    /// Index of the attendee in the roster (and in the report's attendees).
    pub fn index(&self) -> usize {
        self.index as usize
    }

    /// The revision to issue: 1 for a first issue.
    pub fn revision(&self) -> u32 {
        self.revision
    }

    /// The revision a reissue replaces; `None` for a first issue.
    pub fn supersedes(&self) -> Option<u32> {
        self.supersedes
    }

    /// The ledger's certificate id for a reissue; `None` for a first issue, whose id is
    /// derived from the key.
    pub fn cert_id(&self) -> Option<&str> {
        self.cert_id.as_deref()
    }
}

/// A certificate whose printed content changed since it was issued, left as it is because
/// the run was not asked to reissue.
#[derive(Debug, Clone)]
pub struct Changed {
    /// The attendee's roster id.
    pub attendee_id: String,
    /// `<cert id>-r<revision>` of the certificate as issued.
    pub full_cert_id: String,
    /// The issued PDF's file name (in the output folder), to show what changed.
    pub earlier_pdf: String,
    /// What would be printed now.
    pub data: CertificateData,
}

/// What one run will do for everyone on the roster, in roster order.
#[derive(Debug, Default)]
pub struct Plan {
    /// Certificates to render, sign, write and record.
    pub jobs: Vec<Job>,
    /// How many certificates were already issued with the same content.
    pub unchanged: usize,
    /// Issued certificates whose content changed (reissue not asked for).
    pub changed: Vec<Changed>,
    /// Attendee id, full certificate id: revoked, not reissued.
    pub revoked: Vec<(String, String)>,
    /// Attendee id, why they did not complete.
    pub not_completed: Vec<(String, String)>,
    /// Attendee id, the errors that block them (rule, location, message; `; `-separated).
    pub blocked: Vec<(String, String)>,
}

/// Decides the run: blocked attendees (any attendee-level error) and non-completers get no
/// job; a completer without a certificate gets revision 1; one whose certificate prints the
/// same content (`content_sha256`) and is not revoked is unchanged; otherwise, with
/// `reissue`, the next revision superseding the last, and without it a `changed` or `revoked`
/// note. `issued_at` is the issue time that would be printed (it is not part of the content
/// compared).
pub fn plan(
    offering: &Offering,
    report: &Report,
    ledger: &LedgerIndex,
    issued_at: DateTime<Utc>,
    reissue: bool,
) -> Plan {
    let blocking = blocking_findings(report);
    let mut plan = Plan::default();
    for (index, (attendee, outcome)) in offering
        .roster
        .attendees
        .iter()
        .zip(&report.attendees)
        .enumerate()
    {
        if !outcome.blocked_by.is_empty() {
            let details = blocked_details(report, &blocking, attendee, outcome);
            plan.blocked.push((attendee.id().to_string(), details));
        } else if outcome.status == Status::NotCompleted {
            plan.not_completed
                .push((attendee.id().to_string(), outcome.reason.to_string()));
        } else {
            let issued = ledger
                .latest_for(offering.id(), attendee.id())
                .and_then(|e| e.body().issued());
            match issued {
                None => plan.jobs.push(Job::first(index)),
                Some(fields) => {
                    let now = Current {
                        offering,
                        attendee,
                        outcome,
                        issued_at,
                    };
                    plan.add_issued(index, now, fields, ledger, reissue);
                }
            }
        }
    }
    plan
}

/// A completer as they would be printed now.
struct Current<'a> {
    offering: &'a Offering,
    attendee: &'a Attendee,
    outcome: &'a AttendeeOutcome,
    issued_at: DateTime<Utc>,
}

impl Plan {
    /// Plans a completer who already holds the certificate `fields`.
    fn add_issued(
        &mut self,
        index: usize,
        now: Current,
        fields: &IssueFields,
        ledger: &LedgerIndex,
        reissue: bool,
    ) {
        let data = certificate::certificate_data(
            &now.offering.record.course,
            now.attendee,
            now.outcome,
            &fields.cert_id,
            fields.revision,
            &fields.verification_code,
            now.issued_at,
        );
        let fingerprint = hex::encode(certificate::content_fingerprint(&data));
        let revoked = ledger
            .revocation(&fields.cert_id, fields.revision)
            .is_some();
        let same = fields.content_sha256.as_deref() == Some(fingerprint.as_str());
        let attendee_id = now.attendee.id().to_string();
        let full_cert_id = ledger::full_cert_id(&fields.cert_id, fields.revision);
        if same && !revoked {
            self.unchanged += 1;
        } else if reissue {
            self.jobs.push(Job::reissue(index, fields));
        } else if revoked {
            self.revoked.push((attendee_id, full_cert_id));
        } else {
            self.changed.push(Changed {
                attendee_id,
                full_cert_id,
                earlier_pdf: fields.pdf_file.clone(),
                data,
            });
        }
    }
}

/// The error findings of each attendee, by attendee id.
fn blocking_findings(report: &Report) -> BTreeMap<&str, Vec<&Finding>> {
    report
        .findings
        .iter()
        .filter(|f| f.is_error())
        .filter_map(|f| Some((f.attendee.as_deref()?, f)))
        .fold(BTreeMap::new(), |mut map, (id, f)| {
            map.entry(id).or_insert_with(Vec::new).push(f);
            map
        })
}

/// What blocks a blocked attendee, as one line: each error finding (`RULE at PLACE: message`)
/// and, when unmatched attendance rows could raise their credit, those rows.
fn blocked_details(
    report: &Report,
    blocking: &BTreeMap<&str, Vec<&Finding>>,
    attendee: &Attendee,
    outcome: &AttendeeOutcome,
) -> String {
    let mut details: Vec<String> = blocking
        .get(attendee.id())
        .into_iter()
        .flatten()
        .map(|f| match &f.location {
            Some(at) => format!("{} at {at}: {}", f.rule, f.message),
            None => format!("{}: {}", f.rule, f.message),
        })
        .collect();
    if outcome.below_maximum && !report.unresolved_rows.is_empty() {
        details.push(format!(
            "{}: attendance rows that match nobody on the roster may carry minutes that change this attendee's credit (see the findings above)",
            report.unresolved_rows.join(", ")
        ));
    }
    details.join("; ")
}
