//! `ceu packet`: the audit packet (placeholder while it is built).

use crate::cli::PacketArgs;
use crate::exit::Exit;

pub fn run(_args: &PacketArgs) -> anyhow::Result<Exit> {
    anyhow::bail!("ceu packet is not built yet")
}
