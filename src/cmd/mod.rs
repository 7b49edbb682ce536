//! One module per subcommand, each with one `run` entry point.

pub mod check;
pub mod disclosure;
pub mod generate;
pub mod hours;
pub mod init;
pub mod issue;
pub mod keygen;
pub mod ledger;
pub mod packet;
pub mod publish;
pub mod report;
pub mod revoke;
pub mod verify;

use crate::cli::{Cli, Command, LedgerCommand};
use crate::exit::Exit;
use crate::offering::Offering;
use crate::render::{DEFAULT_TEMPLATE, Renderer};
use crate::rules::{self, Report};

/// Runs the parsed command line. `Err` means the input could not be used (exit 2).
pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    crate::output::set_quiet(cli.quiet);
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Hours(args) => hours::run(&args),
        Command::Issue(args) => issue::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Revoke(args) => revoke::run(&args),
        Command::Ledger {
            command: LedgerCommand::Verify(args),
        } => ledger::run_verify(&args),
        Command::Keygen(args) => keygen::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Completions(args) => generate::completions(&args),
        Command::Man(args) => generate::man(&args),
        Command::Publish(args) => publish::run(&args),
        Command::Report { command } => report::run(&command),
        Command::Disclosure(args) => disclosure::run(&args),
        Command::Packet(args) => packet::run(&args),
    }
}

/// The ledger a command reads: `--ledger FILE`, or `ledger.jsonl` in the records root found
/// from the current folder ([`crate::paths`]). Missing is an error that says how to name it.
fn existing_ledger(arg: Option<&std::path::Path>) -> anyhow::Result<std::path::PathBuf> {
    let path = arg.map_or_else(
        || crate::paths::ledger(&crate::paths::root_from_current_dir()),
        std::path::Path::to_path_buf,
    );
    if !path.is_file() {
        anyhow::bail!("no ledger at {} (pass --ledger FILE)", path.display());
    }
    Ok(path)
}

/// The one evaluation `check`, `hours` and `issue` share, so they agree on every finding and on
/// who is issuable: the rule catalogue as of `as_of` (a date, for deadlines), then the
/// renderer's check that every printed character has a glyph (`RENDER-GLYPHS`). The matched
/// attendance is released once the rules have run. Returns the report and the renderer built
/// with the signature image (PNG bytes), which `issue` renders with. Errors: the renderer
/// cannot be built (exit 2).
pub fn evaluate(
    offering: &mut Offering,
    as_of: chrono::NaiveDate,
    signature: Option<Vec<u8>>,
) -> anyhow::Result<(Report, Renderer)> {
    let report = rules::evaluate(offering, as_of);
    offering.release_attendance();
    // Built after the attendance intervals are freed, so that its fonts and caches (~25 MB)
    // do not sit on top of them while the rules run.
    let renderer = Renderer::new(DEFAULT_TEMPLATE.to_string(), signature)?;
    let mut findings = crate::issue::glyph_findings(offering, &report, &renderer);
    findings.extend(crate::page::findings(offering, &report, &renderer));
    Ok((report.with_findings(findings), renderer))
}
