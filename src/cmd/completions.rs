//! `qunli completions SHELL` and `qunli man`: generated from the same
//! definitions as the command line itself.

use super::{Context, Outcome};
use crate::error::{Error, Result};
use clap::CommandFactory;

/// Print a shell completion script.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// bash, zsh, fish, powershell or elvish.
    pub shell: clap_complete::Shell,
}

pub fn run(args: Args, _ctx: &Context) -> Result<Outcome> {
    let mut cmd = crate::cli::Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "qunli", &mut out);
    Ok(Outcome::output(out))
}

/// Print the man page (roff): `qunli man > qunli.1`.
#[derive(clap::Args, Debug)]
pub struct ManArgs {}

pub fn man(_args: ManArgs, _ctx: &Context) -> Result<Outcome> {
    let cmd = crate::cli::Cli::command();
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut out).map_err(|e| {
        Error::Usage(
            crate::lang::messages().pick(format!("无法生成手册页：{e}"), format!("could not render the man page: {e}")),
        )
    })?;
    Ok(Outcome::output(out))
}
