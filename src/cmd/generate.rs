//! `ceu completions SHELL` and `ceu man [COMMAND]`: shell completion scripts and manual pages,
//! generated from the clap definitions in [`crate::cli`], so they always match `--help`.

use crate::cli::{Cli, CompletionsArgs, ManArgs};
use crate::exit::Exit;
use crate::output::Stdout;
use clap::CommandFactory as _;

/// Writes the completion script for `args.shell` to standard output.
pub fn completions(args: &CompletionsArgs) -> anyhow::Result<Exit> {
    clap_complete::generate(args.shell, &mut Cli::command(), "ceu", &mut Stdout);
    Ok(Exit::Ok)
}

/// Writes ceu(1), or the page of one command (`issue`, `ledger-verify`), as roff. Errors: no
/// such command (exit 2, naming the commands there are).
pub fn man(args: &ManArgs) -> anyhow::Result<Exit> {
    let mut top = Cli::command();
    top.build();
    let page = match &args.command {
        None => top,
        Some(name) => {
            let path: Vec<&str> = name.split(['-', ' ']).collect();
            let mut found = Some(&top);
            for part in &path {
                found = found.and_then(|c| c.find_subcommand(part));
            }
            let Some(command) = found else {
                let names: Vec<String> = pages(&top);
                anyhow::bail!("no command `{name}`; the pages are: {}", names.join(", "));
            };
            command
                .clone()
                .name(format!("ceu-{}", path.join("-")))
                .version(crate::VERSION)
        }
    };
    clap_mangen::Man::new(page).render(&mut Stdout)?;
    Ok(Exit::Ok)
}

/// Every command that has a page, as `ceu man` names them (`ledger-verify`).
fn pages(top: &clap::Command) -> Vec<String> {
    let mut names = Vec::new();
    for command in top.get_subcommands() {
        let name = command.get_name();
        if name == "help" {
            continue;
        }
        let children: Vec<&clap::Command> = command
            .get_subcommands()
            .filter(|c| c.get_name() != "help")
            .collect();
        if children.is_empty() {
            names.push(name.to_string());
        }
        for child in children {
            names.push(format!("{name}-{}", child.get_name()));
        }
    }
    names
}
