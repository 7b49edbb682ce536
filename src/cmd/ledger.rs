//! `ceu ledger verify`.

use crate::cli::LedgerVerifyArgs;
use crate::exit::Exit;

pub fn run_verify(args: &LedgerVerifyArgs) -> anyhow::Result<Exit> {
    let _ = args;
    anyhow::bail!("`ceu ledger verify` is not built yet")
}
