//! `ceu verify`.

use crate::cli::VerifyArgs;
use crate::exit::Exit;

pub fn run(args: &VerifyArgs) -> anyhow::Result<Exit> {
    let _ = args;
    anyhow::bail!("`ceu verify` is not built yet")
}
