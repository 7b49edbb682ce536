//! One ledger line: the entry types, their flat wire form (the exact JSON that is signed) and
//! parsing a line's DSSE envelope back into an [`Entry`].

use super::error::EntryError;
use crate::sign;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Payload type of a ledger line.
pub const ENTRY_TYPE: &str = "application/vnd.ceu.ledger-entry+json";
/// `prev` of the first entry.
pub const GENESIS_PREV: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Now, as ledger entries record it: RFC 3339, UTC, whole seconds.
pub fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Fields of an `issue` or `reissue` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueFields {
    /// Certificate id without the revision suffix.
    pub cert_id: String,
    /// 1 for a first issue; each reissue adds one.
    pub revision: u32,
    /// The offering's id (course.toml `id`).
    pub offering_id: String,
    /// The attendee's roster id.
    pub attendee_id: String,
    /// SHA-256 of the signed certificate-record envelope bytes embedded in the PDF.
    pub record_sha256: String,
    /// SHA-256 of the exact PDF bytes.
    pub pdf_sha256: String,
    /// The PDF's file name.
    pub pdf_file: String,
    /// The short code printed on the certificate (`XXXX-XXXX`, Crockford base32).
    pub verification_code: String,
    /// Reissue only: the revision this one replaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<u32>,
    /// SHA-256 of the printed content (everything but issuance details), so a re-run can tell
    /// an unchanged certificate from one whose record changed since issue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_sha256: Option<String>,
    /// Hashes of the inputs the decision was made from (name → hex SHA-256), if recorded.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub inputs: BTreeMap<String, String>,
}

/// Fields of a `report` entry (`ceu report`): the hashes of the files written and a keyed tag
/// per person reported, never a name (docs/verification.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFields {
    /// Which report: `asha` (the ASHA CE Registry participant file).
    pub report: String,
    pub offering_id: String,
    /// The course number the report was filed under (ASHA's, for `asha`).
    pub course_number: String,
    /// Participant rows in the file.
    pub rows: u32,
    /// File name → hex SHA-256 of its exact bytes.
    pub files: BTreeMap<String, String>,
    /// Per person, sorted: hex HMAC-SHA-256 (`KeyPair::derive_tag`) of the normalized email
    /// and ASHA account number.
    pub people: Vec<String>,
    /// The date the provider submitted it (YYYY-MM-DD), once recorded with `--submitted`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted: Option<String>,
}

/// Fields of a `notice` entry (`ceu issue`): the written notice to an attendee who asked for a
/// body's credit and does not get it (ASHA-COMPLETE-4), bound by its hash (docs/verification.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeFields {
    /// The offering's id (course.toml `id`).
    pub offering_id: String,
    /// The attendee's roster id.
    pub attendee_id: String,
    /// The notice's file name, in the offering's `notices/` folder.
    pub pdf_file: String,
    /// SHA-256 of the exact PDF bytes.
    pub pdf_sha256: String,
    /// SHA-256 of what the notice says (everything but its date), so a rerun with the same
    /// outcome writes and records nothing.
    pub content_sha256: String,
}

/// Fields of a `revoke` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevokeFields {
    /// Certificate id without the revision suffix.
    pub cert_id: String,
    /// The revision revoked.
    pub revision: u32,
    /// Why, as `ceu revoke --reason` gave it.
    pub reason: String,
}

/// What an entry records. Serialized with its `type` tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum EntryBody {
    Issue(IssueFields),
    Revoke(RevokeFields),
    Reissue(IssueFields),
    /// A report sent on after the class (`ceu report asha`): what was written, provably.
    Report(ReportFields),
    /// A notice to an attendee who does not get a credit they asked for (`ceu issue`).
    Notice(NoticeFields),
}

impl EntryBody {
    /// Synthetic issue entry number `n` (`CERT{n:04}`, attendee `A{n}`, hashes derived from
    /// `n`), for tests and benchmarks that need many well-formed entries.
    #[doc(hidden)]
    pub fn synthetic_issue(n: u32) -> EntryBody {
        EntryBody::Issue(IssueFields {
            cert_id: format!("CERT{n:04}"),
            revision: 1,
            offering_id: "SER2".into(),
            attendee_id: format!("A{n}"),
            record_sha256: format!("{n:064x}"),
            pdf_sha256: format!("{:064x}", 1_000_000 + n),
            pdf_file: format!("CERT{n:04}-r1.pdf"),
            verification_code: format!("CODE{n}"),
            supersedes: None,
            content_sha256: None,
            inputs: Default::default(),
        })
    }

    /// The certificate id the entry is about (without the revision suffix).
    pub fn cert_id(&self) -> &str {
        match self {
            EntryBody::Issue(f) | EntryBody::Reissue(f) => &f.cert_id,
            EntryBody::Revoke(f) => &f.cert_id,
            EntryBody::Report(_) | EntryBody::Notice(_) => "",
        }
    }

    /// The certificate revision the entry is about.
    pub fn revision(&self) -> u32 {
        match self {
            EntryBody::Issue(f) | EntryBody::Reissue(f) => f.revision,
            EntryBody::Revoke(f) => f.revision,
            EntryBody::Report(_) | EntryBody::Notice(_) => 0,
        }
    }

    /// The issue fields of an issue or reissue entry.
    pub fn issued(&self) -> Option<&IssueFields> {
        match self {
            EntryBody::Issue(f) | EntryBody::Reissue(f) => Some(f),
            EntryBody::Revoke(_) | EntryBody::Report(_) | EntryBody::Notice(_) => None,
        }
    }

    pub(super) fn validate(&self) -> Result<(), EntryError> {
        match self {
            EntryBody::Reissue(f) if f.supersedes.is_none() => {
                Err(EntryError::ReissueWithoutSupersedes)
            }
            EntryBody::Issue(f) if f.supersedes.is_some() => Err(EntryError::IssueSupersedes),
            _ => Ok(()),
        }
    }
}

/// The signed payload of one ledger line. On the wire it is one flat JSON object
/// (`seq`, `prev`, `type`, `time`, then the type's fields), read and written through
/// [`FlatPayload`] because `#[serde(flatten)]` made parsing the largest cost of `verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "FlatPayload", into = "FlatPayload")]
pub struct EntryPayload {
    /// Line number, from 1.
    pub seq: u64,
    /// Hex SHA-256 of the previous line's exact bytes ([`GENESIS_PREV`] for the first).
    pub prev: String,
    /// RFC 3339, UTC, whole seconds.
    pub time: String,
    /// What the entry records.
    pub body: EntryBody,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum EntryKind {
    Issue,
    Revoke,
    Reissue,
    Report,
    Notice,
}

/// The wire form of [`EntryPayload`].
#[derive(Serialize, Deserialize)]
struct FlatPayload {
    seq: u64,
    prev: String,
    #[serde(rename = "type")]
    kind: EntryKind,
    time: String,
    // Absent from `report` entries; every other type has them (a certificate's revision is
    // at least 1), so the lines of those types are byte-for-byte as before.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    cert_id: String,
    #[serde(default, skip_serializing_if = "is_zero")]
    revision: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    offering_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    attendee_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    record_sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pdf_sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pdf_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    verification_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    supersedes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    content_sha256: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    inputs: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    report: Option<ReportFlat>,
}

/// The `report` entry's fields on the wire, under one `report` key.
#[derive(Serialize, Deserialize)]
struct ReportFlat {
    kind: String,
    course_number: String,
    rows: u32,
    files: BTreeMap<String, String>,
    people: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    submitted: Option<String>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl From<EntryPayload> for FlatPayload {
    fn from(payload: EntryPayload) -> FlatPayload {
        let (mut reported, mut noticed) = (None, None);
        let (kind, issued, revoked) = match payload.body {
            EntryBody::Issue(f) => (EntryKind::Issue, Some(f), None),
            EntryBody::Reissue(f) => (EntryKind::Reissue, Some(f), None),
            EntryBody::Revoke(f) => (EntryKind::Revoke, None, Some(f)),
            EntryBody::Report(f) => {
                reported = Some(f);
                (EntryKind::Report, None, None)
            }
            EntryBody::Notice(f) => {
                noticed = Some(f);
                (EntryKind::Notice, None, None)
            }
        };
        let mut flat = FlatPayload {
            seq: payload.seq,
            prev: payload.prev,
            kind,
            time: payload.time,
            cert_id: String::new(),
            revision: 0,
            offering_id: None,
            attendee_id: None,
            record_sha256: None,
            pdf_sha256: None,
            pdf_file: None,
            verification_code: None,
            supersedes: None,
            reason: None,
            content_sha256: None,
            inputs: BTreeMap::new(),
            report: None,
        };
        if let Some(f) = reported {
            flat.offering_id = Some(f.offering_id);
            flat.report = Some(ReportFlat {
                kind: f.report,
                course_number: f.course_number,
                rows: f.rows,
                files: f.files,
                people: f.people,
                submitted: f.submitted,
            });
        }
        if let Some(f) = noticed {
            flat.offering_id = Some(f.offering_id);
            flat.attendee_id = Some(f.attendee_id);
            flat.pdf_file = Some(f.pdf_file);
            flat.pdf_sha256 = Some(f.pdf_sha256);
            flat.content_sha256 = Some(f.content_sha256);
        }
        if let Some(f) = issued {
            flat.cert_id = f.cert_id;
            flat.revision = f.revision;
            flat.offering_id = Some(f.offering_id);
            flat.attendee_id = Some(f.attendee_id);
            flat.record_sha256 = Some(f.record_sha256);
            flat.pdf_sha256 = Some(f.pdf_sha256);
            flat.pdf_file = Some(f.pdf_file);
            flat.verification_code = Some(f.verification_code);
            flat.supersedes = f.supersedes;
            flat.content_sha256 = f.content_sha256;
            flat.inputs = f.inputs;
        }
        if let Some(f) = revoked {
            flat.cert_id = f.cert_id;
            flat.revision = f.revision;
            flat.reason = Some(f.reason);
        }
        flat
    }
}

impl TryFrom<FlatPayload> for EntryPayload {
    type Error = EntryError;

    fn try_from(flat: FlatPayload) -> Result<EntryPayload, EntryError> {
        let kind = flat.kind;
        let name = match kind {
            EntryKind::Issue => "issue",
            EntryKind::Revoke => "revoke",
            EntryKind::Reissue => "reissue",
            EntryKind::Report => "report",
            EntryKind::Notice => "notice",
        };
        let certificate_kind = !matches!(kind, EntryKind::Report | EntryKind::Notice);
        let need = |value: Option<String>, field: &'static str| {
            value.ok_or(EntryError::MissingField { kind: name, field })
        };
        if certificate_kind && flat.cert_id.is_empty() {
            return Err(EntryError::MissingField {
                kind: name,
                field: "cert_id",
            });
        }
        if certificate_kind && flat.revision == 0 {
            return Err(EntryError::MissingField {
                kind: name,
                field: "revision",
            });
        }
        let body = match kind {
            EntryKind::Report => {
                let report = flat.report.ok_or(EntryError::MissingField {
                    kind: name,
                    field: "report",
                })?;
                EntryBody::Report(ReportFields {
                    report: report.kind,
                    offering_id: need(flat.offering_id, "offering_id")?,
                    course_number: report.course_number,
                    rows: report.rows,
                    files: report.files,
                    people: report.people,
                    submitted: report.submitted,
                })
            }
            EntryKind::Notice => EntryBody::Notice(NoticeFields {
                offering_id: need(flat.offering_id, "offering_id")?,
                attendee_id: need(flat.attendee_id, "attendee_id")?,
                pdf_file: need(flat.pdf_file, "pdf_file")?,
                pdf_sha256: need(flat.pdf_sha256, "pdf_sha256")?,
                content_sha256: need(flat.content_sha256, "content_sha256")?,
            }),
            EntryKind::Revoke => EntryBody::Revoke(RevokeFields {
                cert_id: flat.cert_id,
                revision: flat.revision,
                reason: need(flat.reason, "reason")?,
            }),
            EntryKind::Issue | EntryKind::Reissue => {
                let fields = IssueFields {
                    cert_id: flat.cert_id,
                    revision: flat.revision,
                    offering_id: need(flat.offering_id, "offering_id")?,
                    attendee_id: need(flat.attendee_id, "attendee_id")?,
                    record_sha256: need(flat.record_sha256, "record_sha256")?,
                    pdf_sha256: need(flat.pdf_sha256, "pdf_sha256")?,
                    pdf_file: need(flat.pdf_file, "pdf_file")?,
                    verification_code: need(flat.verification_code, "verification_code")?,
                    supersedes: flat.supersedes,
                    content_sha256: flat.content_sha256,
                    inputs: flat.inputs,
                };
                if kind == EntryKind::Issue {
                    EntryBody::Issue(fields)
                } else {
                    EntryBody::Reissue(fields)
                }
            }
        };
        body.validate()?;
        Ok(EntryPayload {
            seq: flat.seq,
            prev: flat.prev,
            time: flat.time,
            body,
        })
    }
}

/// One ledger line, parsed. (The line's bytes are not kept: at 100,000 entries they were
/// 165 MB that nothing read again.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The signed payload.
    pub payload: EntryPayload,
    /// Hex SHA-256 of the line's exact bytes (without its newline): the next line's `prev`.
    pub hash: String,
    /// The key id named by the line's first signature (not verified by [`read`]).
    pub key_id: String,
}

impl Entry {
    /// The line number, from 1.
    pub fn seq(&self) -> u64 {
        self.payload.seq
    }

    /// What the entry records.
    pub fn body(&self) -> &EntryBody {
        &self.payload.body
    }

    /// `<cert_id>-r<revision>`.
    pub fn full_cert_id(&self) -> String {
        full_cert_id(self.body().cert_id(), self.body().revision())
    }

    pub(super) fn parse(raw: &[u8]) -> Result<Entry, EntryError> {
        let envelope =
            sign::parse_envelope(raw).map_err(|e| EntryError::Envelope(e.to_string()))?;
        Entry::from_envelope(&envelope, sign::sha256(raw))
    }

    /// The entry an envelope carries (shape only; `hash` is the SHA-256 of its line).
    pub(super) fn from_envelope(
        envelope: &sign::Envelope,
        hash: [u8; 32],
    ) -> Result<Entry, EntryError> {
        let payload = check_payload(envelope)?;
        let key_id = envelope
            .signatures
            .first()
            .map(|(id, _)| id.clone())
            .unwrap_or_default();
        Ok(Entry {
            payload,
            hash: String::from_utf8(hex64(&hash).to_vec()).expect("hex is ASCII"),
            key_id,
        })
    }
}

/// `<cert_id>-r<revision>`.
pub fn full_cert_id(cert_id: &str, revision: u32) -> String {
    format!("{cert_id}-r{revision}")
}

/// Splits `ID-rN` into `(ID, Some(N))`; anything else is `(text, None)`.
pub fn split_cert_ref(text: &str) -> (&str, Option<u32>) {
    if let Some((base, rev)) = text.rsplit_once("-r")
        && !base.is_empty()
        && !rev.is_empty()
        && rev.bytes().all(|b| b.is_ascii_digit())
        && let Ok(revision) = rev.parse()
    {
        return (base, Some(revision));
    }
    (text, None)
}

/// Lower-case hex of a SHA-256, on the stack (it is needed once or twice per ledger line).
pub(super) fn hex64(hash: &[u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    hex::encode_to_slice(hash, &mut out).expect("64 bytes hold 32 in hex");
    out
}

pub(super) fn check_payload(envelope: &sign::Envelope) -> Result<EntryPayload, EntryError> {
    if envelope.payload_type != ENTRY_TYPE {
        return Err(EntryError::PayloadType {
            found: envelope.payload_type.clone(),
            expected: ENTRY_TYPE,
        });
    }
    let payload: EntryPayload = serde_json::from_slice(&envelope.payload)
        .map_err(|e| EntryError::Payload(e.to_string()))?;
    payload.body.validate()?;
    Ok(payload)
}
