//! `qunli repair`: cut an incomplete last row (left by a crash) off each
//! ledger, keeping the cut bytes in `FILE.rejected`.

use super::{Context, Outcome};
use crate::error::Result;
use crate::ledger::append::{repair, Repair};
use crate::ledger::LedgerKind;

/// Move incomplete last rows to FILE.rejected and cut the ledgers back to their last complete row.
#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(_args: Args, ctx: &Context) -> Result<Outcome> {
    let ws = ctx.workspace()?;
    let lang = ctx.lang(Some(&ws));
    let mut out = String::new();
    for kind in LedgerKind::ALL {
        let name = kind.file_name();
        let line = match repair(&ws, *kind)? {
            Repair::Missing => continue,
            Repair::Intact => lang.pick(format!("{name}：完好\n"), format!("{name}: intact\n")),
            Repair::Cut { bytes, rejected } => lang.pick(
                format!("{name}：已将不完整的最后一行（{bytes} 字节）移到 {rejected}\n"),
                format!("{name}: moved the incomplete last row ({bytes} bytes) to {rejected}\n"),
            ),
        };
        out.push_str(&line);
    }
    Ok(Outcome::output(out.into_bytes()))
}
