//! One module per subcommand, each with one `run` entry point.

pub mod check;
pub mod hours;
pub mod init;
pub mod issue;
pub mod keygen;
pub mod ledger;
pub mod revoke;
pub mod verify;

use crate::cli::{Cli, Command, LedgerCommand};
use crate::exit::Exit;

/// Runs the parsed command line. `Err` means the input could not be used (exit 2).
pub fn run(cli: Cli) -> anyhow::Result<Exit> {
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
    }
}

/// The ledger a command reads: `--ledger FILE`, or `records/ledger.jsonl` from the current
/// folder. Missing is an error that says how to name it.
fn existing_ledger(arg: Option<&std::path::Path>) -> anyhow::Result<std::path::PathBuf> {
    let path = arg.map_or_else(
        || std::path::PathBuf::from("records/ledger.jsonl"),
        std::path::Path::to_path_buf,
    );
    if !path.is_file() {
        anyhow::bail!("no ledger at {} (pass --ledger FILE)", path.display());
    }
    Ok(path)
}
