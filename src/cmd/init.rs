//! `ceu init`.

use crate::cli::InitArgs;
use crate::exit::Exit;

pub fn run(args: &InitArgs) -> anyhow::Result<Exit> {
    let _ = args;
    anyhow::bail!("`ceu init` is not built yet")
}
