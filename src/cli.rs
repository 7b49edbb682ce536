//! The command-line contract (DESIGN.md "Command line"), as clap derive definitions. The doc
//! comments are the `--help` text.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Check continuing-education offerings and issue signed, verifiable certificates.
///
/// Exit codes: 0 all good (warnings allowed); 1 findings (a compliance error, a blocked
/// attendee, a certificate that does not verify or is revoked); 2 the input could not be used.
#[derive(Debug, Parser)]
#[command(name = "ceu", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate an offering and report every finding and each attendee's outcome.
    Check(CheckArgs),
    /// Attended and credited minutes, outcome and credit per attendee.
    Hours(HoursArgs),
    /// Check, then render, sign and record a certificate for every completer.
    Issue(IssueArgs),
    /// Verify certificates (PDF files, folders, SHA-256 hashes or certificate ids).
    Verify(VerifyArgs),
    /// Revoke a certificate: a signed ledger entry.
    Revoke(RevokeArgs),
    /// Ledger maintenance.
    Ledger {
        #[command(subcommand)]
        command: LedgerCommand,
    },
    /// Create a new Ed25519 signing key pair.
    Keygen(KeygenArgs),
    /// Scaffold a new offering folder from a template.
    Init(InitArgs),
    /// Write a static verification site (signed manifest, status shards, one page).
    Publish(crate::cmd::publish::PublishArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HoursFormat {
    Table,
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The offering folder (holds course.toml, roster.csv, attendance/).
    pub offering: PathBuf,
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
    /// Judge deadlines as of this date (YYYY-MM-DD); default today.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<chrono::NaiveDate>,
}

#[derive(Debug, Args)]
pub struct HoursArgs {
    /// The offering folder.
    pub offering: PathBuf,
    #[arg(long, value_enum, default_value_t = HoursFormat::Table)]
    pub format: HoursFormat,
}

#[derive(Debug, Args)]
pub struct KeyArgs {
    /// Signing key file (default: $CEU_SIGNING_KEY, else the user's config directory).
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct IssueArgs {
    /// The offering folder.
    pub offering: PathBuf,
    #[command(flatten)]
    pub key: KeyArgs,
    /// Where to write the PDFs (default: <offering>/certificates).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The ledger (default: ledger.jsonl beside the offering folder, in its records folder).
    #[arg(long, value_name = "FILE")]
    pub ledger: Option<PathBuf>,
    /// Start a new, empty ledger on purpose although the output folder already holds
    /// certificates (for example after a ledger was moved away). Without it, `issue` refuses
    /// rather than overwrite certificates that no ledger it can see records.
    #[arg(long)]
    pub new_ledger: bool,
    /// Reissue certificates whose record changed since issue (revision n+1 supersedes n).
    #[arg(long)]
    pub reissue: bool,
    /// Decide deadlines as of this date (YYYY-MM-DD); default today.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<chrono::NaiveDate>,
    /// Issue time to record (RFC 3339); default now. Fixes the bytes for reproducible runs.
    #[arg(long, value_name = "TIME")]
    pub issued_at: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// Rendering threads (default: all cores).
    #[arg(long)]
    pub jobs: Option<usize>,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// PDF files, folders of PDFs, SHA-256 hashes or certificate ids; `-` or none reads a
    /// list from standard input.
    pub items: Vec<String>,
    /// The ledger to check against.
    #[arg(long, value_name = "FILE")]
    pub ledger: Option<PathBuf>,
    /// A trusted public key file, or a key id (fingerprint) of a key in records/keys/.
    #[arg(long, value_name = "KEY-OR-FINGERPRINT")]
    pub trust: Vec<String>,
    /// Verify from the file alone (revocation is then not checked).
    #[arg(long)]
    pub offline: bool,
    /// A checkpoint kept from an earlier audit: the ledger must extend it (default: the one
    /// beside the ledger).
    #[arg(long, value_name = "FILE", conflicts_with = "offline")]
    pub checkpoint: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct RevokeArgs {
    /// Certificate id (with or without revision).
    pub cert_id: String,
    /// Why it is revoked (recorded and shown by verify).
    #[arg(long)]
    pub reason: String,
    #[command(flatten)]
    pub key: KeyArgs,
    #[arg(long, value_name = "FILE")]
    pub ledger: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Check the hash chain, every signature, and consistency with a checkpoint.
    Verify(LedgerVerifyArgs),
}

#[derive(Debug, Args)]
pub struct LedgerVerifyArgs {
    #[arg(long, value_name = "FILE")]
    pub ledger: Option<PathBuf>,
    /// A checkpoint kept from an earlier run: the ledger must extend it.
    #[arg(long, value_name = "FILE")]
    pub checkpoint: Option<PathBuf>,
    /// Trusted public key file or key id (default: every key in records/keys/).
    #[arg(long, value_name = "KEY-OR-FINGERPRINT")]
    pub trust: Vec<String>,
}

#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Where to write the private key (default: the user's config directory).
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    /// Folder for the public key (default: records/keys).
    #[arg(long, value_name = "DIR")]
    pub public_dir: Option<PathBuf>,
    /// Overwrite an existing private key.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The new offering folder (must not exist).
    pub offering: PathBuf,
}
