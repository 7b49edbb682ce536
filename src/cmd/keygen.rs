//! `ceu keygen`.

use crate::cli::KeygenArgs;
use crate::exit::Exit;

pub fn run(args: &KeygenArgs) -> anyhow::Result<Exit> {
    let _ = args;
    anyhow::bail!("`ceu keygen` is not built yet")
}
