//! `ceu revoke`.

use crate::cli::RevokeArgs;
use crate::exit::Exit;

pub fn run(args: &RevokeArgs) -> anyhow::Result<Exit> {
    let _ = args;
    anyhow::bail!("`ceu revoke` is not built yet")
}
