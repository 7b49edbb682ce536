//! The verdict on one verified item: its checks, its status, and what a looked-up
//! certificate attests. Statuses are data; `ceu verify` renders them at the edge.

use serde::Serialize;
use std::fmt;

/// The status of one verified item. Serialized (and displayed) in lower case: `valid`,
/// `revoked`, `superseded`, `invalid`, `unknown`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Every check passed.
    #[default]
    Valid,
    /// Genuine, and revoked in the ledger.
    Revoked,
    /// Genuine, and replaced by a later revision in the ledger.
    Superseded,
    /// A check failed: altered, wrongly signed, or the ledger does not verify.
    Invalid,
    /// Not found: a hash or id in no ledger entry, or nothing to look it up in.
    Unknown,
}

impl Status {
    /// The status as `ceu verify` prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Valid => "valid",
            Status::Revoked => "revoked",
            Status::Superseded => "superseded",
            Status::Invalid => "invalid",
            Status::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One check on one item.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// The check's name (`pdf-hash`, `record-signature`, `not-revoked`, `page`, …).
    pub check: &'static str,
    /// Whether it passed.
    pub ok: bool,
    /// What was found, in words.
    pub detail: String,
}

/// The verdict on one item.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    /// The item as given (a path, a hash, a certificate id).
    pub item: String,
    /// `<cert id>-r<revision>`, once known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate_id: Option<String>,
    pub status: Status,
    /// Whether every check passed.
    pub ok: bool,
    /// Whether revocation and supersession were checked (only with a ledger).
    pub revocation_checked: bool,
    /// The checks in the order they ran.
    pub checks: Vec<Check>,
    /// What the certificate attests (lookups by id, QR text or hash).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attests: Option<Attests>,
}

/// What a certificate attests, for a lookup: from the signed record inside the PDF the
/// ledger entry names when that file is at hand, else the ledger's facts and a note.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Attests {
    /// `record` (the signed record in the PDF) or `ledger` (the ledger entry only).
    pub source: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holder: Option<String>,
    pub offering: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dates: Option<String>,
    /// One line per body that awarded credit ("ASHA: 2.5 contact hours …").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub credit: Vec<String>,
    pub revision: u32,
    /// RFC 3339 issue time.
    pub issued_at: String,
    /// The certificate's status in the ledger (valid, revoked, superseded, …).
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Verdict {
    pub(super) fn new(item: String) -> Verdict {
        Verdict {
            item,
            certificate_id: None,
            status: Status::Valid,
            ok: true,
            revocation_checked: false,
            checks: Vec::new(),
            attests: None,
        }
    }

    pub(super) fn pass(&mut self, check: &'static str, detail: impl Into<String>) {
        self.checks.push(Check {
            check,
            ok: true,
            detail: detail.into(),
        });
    }

    pub(super) fn fail(&mut self, check: &'static str, status: Status, detail: impl Into<String>) {
        self.checks.push(Check {
            check,
            ok: false,
            detail: detail.into(),
        });
        self.ok = false;
        if self.status == Status::Valid {
            self.status = status;
        }
    }

    /// The first failed check.
    pub fn first_failure(&self) -> Option<&Check> {
        self.checks.iter().find(|c| !c.ok)
    }

    /// Passed checks that hold with a caveat (`page: not compared (…)`), for the report.
    pub fn caveats(&self) -> impl Iterator<Item = &Check> {
        self.checks
            .iter()
            .filter(|c| c.ok && c.detail.starts_with(NOT_COMPARED))
    }
}

/// How a passed `page` check that could not re-render begins.
pub(super) const NOT_COMPARED: &str = "not compared";
