//! `ceu issue`.

use crate::cli::IssueArgs;
use crate::exit::Exit;

pub fn run(args: &IssueArgs) -> anyhow::Result<Exit> {
    let _ = args;
    anyhow::bail!("`ceu issue` is not built yet")
}
