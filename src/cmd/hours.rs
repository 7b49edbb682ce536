//! `ceu hours`.

use crate::cli::HoursArgs;
use crate::exit::Exit;

pub fn run(args: &HoursArgs) -> anyhow::Result<Exit> {
    let _ = args;
    anyhow::bail!("`ceu hours` is not built yet")
}
