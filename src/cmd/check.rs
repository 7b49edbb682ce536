//! `ceu check`.

use crate::cli::CheckArgs;
use crate::exit::Exit;

pub fn run(args: &CheckArgs) -> anyhow::Result<Exit> {
    let _ = args;
    anyhow::bail!("`ceu check` is not built yet")
}
