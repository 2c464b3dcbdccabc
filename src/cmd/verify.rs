//! `qunli verify REPORT`: do today's ledgers still begin with the rows an
//! earlier report was made from? (SPEC §6.6: the 台账校验码 anchors the
//! ledgers' history outside the machine.)

use super::{Context, Outcome};
use crate::error::{Error, Result};
use crate::ledger::history::{self, Heads, Verified};
use crate::rules::Severity;
use std::path::PathBuf;

/// Check today's ledgers against the 台账校验码 of an earlier report.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The earlier report: its JSON, its e-mail file, or its text output.
    pub report: PathBuf,
}

pub fn run(args: Args, ctx: &Context) -> Result<Outcome> {
    let ws = ctx.workspace()?;
    let lang = ctx.lang(Some(&ws));
    let bytes = std::fs::read(&args.report).map_err(|e| Error::io(&args.report, e))?;
    let text = String::from_utf8_lossy(&bytes);
    let shown = args.report.display();
    let heads = Heads::from_report(&text).ok_or_else(|| {
        Error::Usage(lang.pick(
            format!("{shown}：没有找到台账校验码；请给出报告的 JSON、邮件或文本输出"),
            format!("{shown}: no 台账校验码 (ledger checksums) in it; give the report's JSON, e-mail or text output"),
        ))
    })?;
    let mut out = String::new();
    let mut differs = false;
    for (name, head) in heads.iter() {
        let (n, h) = (head.lines, &head.head);
        let verified = history::verify(&ws.dir, name, head)?;
        differs |= verified != Verified::Same;
        let line = match verified {
            Verified::Same => lang.pick(
                format!("{name}: 前 {n} 行与报告一致（台账校验码 {h}）"),
                format!("{name}: its first {n} lines are those of the report (checksum {h})"),
            ),
            Verified::Shorter { found } => lang.pick(
                format!("{name}: 报告依据 {n} 行，现在只有 {found} 行：第 {} 行起的行不见了", found + 1),
                format!("{name}: the report was made from {n} lines, the ledger now has {found}: lines from {} on are gone", found + 1),
            ),
            Verified::Differs { line: Some(l), now } => lang.pick(
                format!("{name}:{l}: 与报告所依据的内容不同，第 {l} 行起被改动（台账校验码 现为 {now}，报告为 {h}）"),
                format!("{name}:{l}: differs from what the report was made from, from line {l} on (checksum now {now}, report {h})"),
            ),
            Verified::Differs { line: None, now } => lang.pick(
                format!(
                    "{name}: 前 {n} 行与报告所依据的内容不同（台账校验码 现为 {now}，报告为 {h}）；\
                     历史记录也已改写，无法指出是哪一行，请对照备份"
                ),
                format!(
                    "{name}: its first {n} lines differ from what the report was made from (checksum now {now}, \
                     report {h}); the history record was rewritten too, so the line cannot be named: compare with a backup"
                ),
            ),
        };
        out.push_str(&line);
        out.push('\n');
    }
    Ok(Outcome { output: out.into_bytes(), worst: differs.then_some(Severity::Error), ..Default::default() })
}
