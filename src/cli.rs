//! The command-line contract (DESIGN.md "Command line"), as clap derive definitions. The doc
//! comments are the `--help` text; `ceu completions` and `ceu man` are generated from the same
//! definitions, so they cannot drift from it.
//!
//! Options that several commands take are declared once, as argument groups flattened into
//! each command: [`LedgerArg`], [`AsOfArg`], [`FormatArg`], [`KeyArgs`]. Their defaults are
//! resolved in [`crate::paths`].

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

/// The whole sequence, shown at the end of `ceu --help`.
const EXAMPLES: &str = "\
Examples (the bundled SER2 example; run from the folder that holds records/):
  ceu init   records/NEW-2026-01                 scaffold a new offering folder
  ceu check  records/SER2-2025-03-CAL            every finding, each attendee's outcome
  ceu issue  records/SER2-2025-03-CAL            check, then render, sign and record
  ceu verify records/SER2-2025-03-CAL/certificates --trust records/keys/<key-id>.pub.pem

Exit codes: 0 all good (warnings allowed); 1 findings (a compliance error, a blocked
attendee, a certificate that does not verify or is revoked); 2 the input could not be used;
3 an internal error (a bug in ceu: please report it).";

/// Check continuing-education offerings and issue signed, verifiable certificates.
#[derive(Debug, Parser)]
#[command(name = "ceu", version, about, long_about, after_help = EXAMPLES)]
pub struct Cli {
    /// Print nothing but errors and the data a --format asks for; the exit code tells the
    /// outcome.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate an offering and report every finding and each attendee's outcome.
    #[command(after_help = "Examples:
  ceu check records/SER2-2025-03-CAL
  ceu check records/SER2-2025-03-CAL --format json --as-of 2025-03-20 > check.json")]
    Check(CheckArgs),
    /// Attended and credited minutes, outcome and credit per attendee.
    #[command(after_help = "Examples:
  ceu hours records/SER2-2025-03-CAL
  ceu hours records/SER2-2025-03-CAL --format csv > hours.csv")]
    Hours(HoursArgs),
    /// Check, then render, sign and record a certificate for every completer.
    #[command(after_help = "Examples:
  ceu issue records/SER2-2025-03-CAL
  ceu issue records/SER2-2025-03-CAL --key ~/secure/provider.pem --reissue
  ceu issue records/SER2-2025-03-CAL --format json > issued.json")]
    Issue(IssueArgs),
    /// Verify certificates (PDF files, folders, SHA-256 hashes or certificate ids).
    #[command(after_help = "Examples:
  ceu verify records/SER2-2025-03-CAL/certificates --trust records/keys/<key-id>.pub.pem
  ceu verify certificate.pdf --offline --trust provider.pub.pem
  ceu verify SER2-2025-03-CAL-7W22N32D --ledger records/ledger.jsonl")]
    Verify(VerifyArgs),
    /// Revoke a certificate: a signed ledger entry.
    #[command(after_help = "Example:
  ceu revoke SER2-2025-03-CAL-7W22N32D --reason \"issued in error\"")]
    Revoke(RevokeArgs),
    /// Ledger maintenance.
    Ledger {
        #[command(subcommand)]
        command: LedgerCommand,
    },
    /// Create a new Ed25519 signing key pair.
    #[command(after_help = "Example:
  ceu keygen --key ~/secure/provider.pem --public-dir records/keys")]
    Keygen(KeygenArgs),
    /// Scaffold a new offering folder from a template.
    #[command(after_help = "Example:
  ceu init records/NEW-2026-01 && ceu check records/NEW-2026-01")]
    Init(InitArgs),
    /// Write a static verification site (signed manifest, status shards, one page).
    #[command(after_help = "Example:
  ceu publish ~/site --ledger records/ledger.jsonl   # then upload ~/site to the web host")]
    Publish(PublishArgs),
    /// After the class: the participant file for the ASHA CE Registry.
    #[command(after_help = "Example:
  ceu report asha records/SER2-2025-03-CAL --as-of 2025-04-01   # the ASHA CE Registry file")]
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
    /// Before the class: the speakers' disclosure slide deck (16:9) and handout (letter).
    #[command(after_help = "Examples:
  ceu disclosure records/SER2-2025-03-CAL
  ceu disclosure records/SER2-2025-03-CAL --out ~/class-materials

Writes <offering>/disclosure-slide.pdf and <offering>/disclosure-handout.pdf from the
[[speaker]] records of course.toml alone (no roster or attendance needed). Refuses, listing
each problem and its fix, while any speaker's disclosure has an ASHA-DISCLOSE-* error.")]
    Disclosure(DisclosureArgs),
    /// The audit packet: one archival PDF with the offering, outcomes, findings and ledger.
    #[command(after_help = "Examples:
  ceu packet records/SER2-2025-03-CAL --as-of 2025-04-01
  ceu packet records/SER2-2025-03-CAL --out ~/audit/SER2.pdf --ledger records/ledger.jsonl

Writes <offering>/packet.pdf (PDF/A-3b) with the check report (check --format json) attached
as check-report.json. The same --as-of and ledger give the same bytes.")]
    Packet(PacketArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(after_help = "Examples:
  ceu completions bash > ~/.local/share/bash-completion/completions/ceu
  ceu completions zsh > ~/.zfunc/_ceu")]
    Completions(CompletionsArgs),
    /// Print a manual page (roff), generated from this help: ceu(1), or ceu-COMMAND(1).
    #[command(after_help = "Examples:
  ceu man > ceu.1 && man ./ceu.1
  ceu man issue > ceu-issue.1")]
    Man(ManArgs),
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

/// `--format human|json`, for every command that reports (docs/json-output.md).
#[derive(Debug, Args)]
pub struct FormatArg {
    /// Output format: human-readable text, or JSON (docs/json-output.md gives each schema).
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
}

impl FormatArg {
    pub fn json(&self) -> bool {
        self.format == ReportFormat::Json
    }
}

/// `--as-of DATE`: the day deadlines are judged on.
#[derive(Debug, Args)]
pub struct AsOfArg {
    /// Judge deadlines as of this date (YYYY-MM-DD); default today.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<chrono::NaiveDate>,
}

impl AsOfArg {
    /// The date given, or today's (local) date.
    pub fn date(&self) -> chrono::NaiveDate {
        self.as_of
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }
}

/// `--ledger FILE`, with one wording and one default ([`crate::paths`]).
#[derive(Debug, Args)]
pub struct LedgerArg {
    /// The ledger (default: ledger.jsonl in the records folder, which is the offering folder's
    /// parent, or the nearest folder up from here that holds ledger.jsonl or keys/).
    #[arg(long, value_name = "FILE")]
    pub ledger: Option<PathBuf>,
}

impl LedgerArg {
    pub fn path(&self) -> Option<&Path> {
        self.ledger.as_deref()
    }
}

/// `--key FILE`: the private signing key.
#[derive(Debug, Args)]
pub struct KeyArgs {
    /// Signing key file (default: $CEU_SIGNING_KEY, else the user's config directory).
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The offering folder (holds course.toml, roster.csv, attendance/).
    pub offering: PathBuf,
    #[command(flatten)]
    pub format: FormatArg,
    #[command(flatten)]
    pub as_of: AsOfArg,
    /// The signing key earlier ASHA reports were recorded with, to recognise people already
    /// reported for the course (ASHA-ELIG-3, -4); read only, never created (default:
    /// $CEU_SIGNING_KEY, else the user's config directory, when there is one).
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct HoursArgs {
    /// The offering folder.
    pub offering: PathBuf,
    /// Output format: a table, CSV, or JSON (docs/json-output.md).
    #[arg(long, value_enum, default_value_t = HoursFormat::Table)]
    pub format: HoursFormat,
    #[command(flatten)]
    pub as_of: AsOfArg,
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
    #[command(flatten)]
    pub ledger: LedgerArg,
    /// Start a new, empty ledger on purpose although the output folder already holds
    /// certificates (for example after a ledger was moved away). Without it, `issue` refuses
    /// rather than overwrite certificates that no ledger it can see records.
    #[arg(long)]
    pub new_ledger: bool,
    /// Reissue certificates whose record changed since issue (revision n+1 supersedes n).
    #[arg(long)]
    pub reissue: bool,
    #[command(flatten)]
    pub as_of: AsOfArg,
    /// Issue time to record (RFC 3339); default now. Fixes the bytes for reproducible runs.
    #[arg(long, value_name = "TIME")]
    pub issued_at: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// Rendering threads (default: all cores).
    #[arg(long)]
    pub jobs: Option<usize>,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// PDF files, folders of PDFs, SHA-256 hashes or certificate ids; `-` or none reads a
    /// list from standard input.
    pub items: Vec<String>,
    #[command(flatten)]
    pub ledger: LedgerArg,
    /// A trusted public key file, or a key id (fingerprint) of a key in records/keys/.
    #[arg(long, value_name = "KEY-OR-FINGERPRINT")]
    pub trust: Vec<String>,
    /// Verify from the file alone (revocation is then not checked).
    #[arg(long)]
    pub offline: bool,
    /// With --offline: a copy of the provider's asset folders (a records root, or a folder
    /// holding its `fonts/` and `provider/`), searched first for the template, fonts, logo and
    /// signature images a certificate's page was drawn with (may be given more than once).
    #[arg(long, value_name = "DIR", requires = "offline")]
    pub assets: Vec<PathBuf>,
    /// A checkpoint kept from an earlier audit: the ledger must extend it (default: the one
    /// beside the ledger).
    #[arg(long, value_name = "FILE", conflicts_with = "offline")]
    pub checkpoint: Option<PathBuf>,
    #[command(flatten)]
    pub format: FormatArg,
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
    #[command(flatten)]
    pub ledger: LedgerArg,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Check the hash chain, every signature, and consistency with a checkpoint.
    #[command(after_help = "Example:
  ceu ledger verify --ledger records/ledger.jsonl --trust records/keys/<key-id>.pub.pem \\
      --checkpoint ~/audit/ledger.checkpoint.json")]
    Verify(LedgerVerifyArgs),
}

#[derive(Debug, Args)]
pub struct LedgerVerifyArgs {
    #[command(flatten)]
    pub ledger: LedgerArg,
    /// A checkpoint kept from an earlier run: the ledger must extend it.
    #[arg(long, value_name = "FILE")]
    pub checkpoint: Option<PathBuf>,
    /// Trusted public key file or key id (default: every key in records/keys/).
    #[arg(long, value_name = "KEY-OR-FINGERPRINT")]
    pub trust: Vec<String>,
    #[command(flatten)]
    pub format: FormatArg,
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

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print (`ledger verify` as `ledger-verify`); none: ceu(1).
    pub command: Option<String>,
}

#[derive(Debug, Args)]
pub struct PublishArgs {
    /// The folder to write the site to: a new or empty folder, or one `ceu publish` wrote
    /// before (it is updated). Never inside the records folder.
    pub dir: PathBuf,
    #[command(flatten)]
    pub key: KeyArgs,
    #[command(flatten)]
    pub ledger: LedgerArg,
    /// The `updated` time written into the signed manifest (RFC 3339, or a date for its
    /// midnight UTC); default now. Give it for reproducible output.
    #[arg(long, visible_alias = "as-of", value_name = "TIME")]
    pub updated: Option<String>,
    /// Also publish each certificate's holder facts (name, course, dates, hours, credit),
    /// encrypted so that only someone with the printed verification code can read them.
    #[arg(long)]
    pub holder_facts: bool,
    /// PBKDF2 iterations for the holder facts (at least 100000).
    #[arg(long, value_name = "N", default_value_t = crate::publish::DEFAULT_KDF_ITERATIONS)]
    pub kdf_iterations: u32,
    /// The page's title.
    #[arg(long, default_value = "Certificate verification")]
    pub title: String,
}

/// `ceu report <KIND>`.
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// The participant file for the ASHA CE Registry (.xlsx and .csv), due 45 days after the
    /// offering ends.
    #[command(after_help = "Examples:
  ceu report asha records/SER2-2025-03-CAL
  ceu report asha records/SER2-2025-03-CAL --out ~/to-asha --as-of 2025-04-01

Writes <offering>/reports/asha-<offering-id>.xlsx and .csv (they hold personal data: names,
addresses, emails). The column layout is templates/asha-report-columns.toml, or
asha-report-columns.toml in the records folder when present (docs/reporting.md).")]
    Asha(AshaArgs),
}

#[derive(Debug, Args)]
pub struct AshaArgs {
    /// The offering folder.
    pub offering: PathBuf,
    /// Where to write the files (default: <offering>/reports).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub as_of: AsOfArg,
    #[command(flatten)]
    pub key: KeyArgs,
    #[command(flatten)]
    pub ledger: LedgerArg,
    /// Record that the file was submitted to ASHA on this date (YYYY-MM-DD): a signed ledger
    /// entry, after which the deadline is no longer shown as pending.
    #[arg(long, value_name = "DATE")]
    pub submitted: Option<chrono::NaiveDate>,
}

#[derive(Debug, Args)]
pub struct DisclosureArgs {
    /// The offering folder (only its course.toml is read).
    pub offering: PathBuf,
    /// Where to write the two PDFs (default: the offering folder).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PacketArgs {
    /// The offering folder.
    pub offering: PathBuf,
    /// The packet's path (default: <offering>/packet.pdf).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub as_of: AsOfArg,
    #[command(flatten)]
    pub ledger: LedgerArg,
}
