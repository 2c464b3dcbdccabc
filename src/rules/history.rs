//! H001–H004: the ledgers' history (SPEC §6.6). The differences are found
//! while a ledger is read ([`crate::ledger::history::Walker`]); here they
//! become findings, worded once for `check`, the reports and the refusals
//! of an append.

use super::{Finding, Findings, Rule};
use crate::lang::Lang;
use crate::ledger::history::{Damage, Issue};
use crate::ledger::{LedgerKind, Ledgers};

/// The rule an issue breaks.
pub fn rule(issue: &Issue) -> Rule {
    match issue {
        Issue::Edited { .. } => Rule::H001,
        Issue::Missing { .. } => Rule::H002,
        Issue::Damaged(_) => Rule::H003,
        Issue::Unrecorded { .. } => Rule::H004,
    }
}

/// The line an issue names, if one.
pub fn line(issue: &Issue) -> Option<u64> {
    match issue {
        Issue::Edited { line } | Issue::Unrecorded { line, .. } => Some(*line),
        Issue::Missing { found, .. } => Some(found + 1),
        Issue::Damaged(Damage::Entry { line }) => Some(*line),
        Issue::Damaged(_) => None,
    }
}

/// What an issue means and what to do, as `FILE[:LINE]: …` (a refusal, a warning).
pub fn describe(issue: &Issue, file: &str, lang: Lang) -> String {
    let at = match line(issue) {
        Some(l) => format!("{file}:{l}"),
        None => file.to_string(),
    };
    format!("{at}: {}", text(issue, lang))
}

/// What an issue means and what to do, in one sentence.
pub fn text(issue: &Issue, lang: Lang) -> String {
    let accept = "qunli check --accept-history";
    match issue {
        Issue::Edited { line } => lang.pick(
            format!("第 {line} 行与追加时记录的不一致（被修改、替换或调换了顺序）；请从备份恢复，更正应追加 undo/void 记录"),
            format!("line {line} is not what was appended (edited, replaced or rows swapped); restore it from a backup — a correction is an undo/void row"),
        ),
        Issue::Missing { found, recorded } => lang.pick(
            format!("台账只有 {found} 行，历史记录有 {recorded} 行：第 {} 行起追加过的行不见了（被删除、截断或用旧副本替换）；请从备份恢复，在此之前不能追加", found + 1),
            format!("the ledger has {found} lines, its record {recorded}: rows appended earlier are missing from line {} on (deleted, cut or replaced by an older copy); restore it from a backup — appends are refused until then", found + 1),
        ),
        Issue::Damaged(d) => {
            let why = match d {
                Damage::Missing => lang.pick(
                    "台账有数据，但没有历史记录（.qunli/ 被删除或没有复制）".to_string(),
                    "the ledger has rows but no history record (.qunli/ deleted or not copied)".to_string(),
                ),
                Damage::Half { missing } => lang.pick(
                    format!("历史记录不完整：缺少 {}", missing.display()),
                    format!("the history record is incomplete: {} is missing", missing.display()),
                ),
                Damage::Format => lang.pick(
                    "历史记录无法识别（已损坏，或由旧版本 qunli 写入）".to_string(),
                    "the history record cannot be read (damaged, or written by an older qunli)".to_string(),
                ),
                Damage::Truncated { entries, recorded } => lang.pick(
                    format!("历史记录被截短：只有 {entries} 条，应有 {recorded} 条"),
                    format!("the history record was cut short: {entries} entries of {recorded}"),
                ),
                Damage::Entry { line } => lang.pick(
                    format!("历史记录中第 {line} 行的条目被改动"),
                    format!("the history record's entry for line {line} was changed"),
                ),
                Damage::Inconsistent => lang.pick(
                    "历史记录的两个文件互相矛盾（被改动过）".to_string(),
                    "the two files of the history record disagree (one was changed)".to_string(),
                ),
                Damage::Unreadable(e) => lang.pick(format!("历史记录无法读取：{e}"), format!("the history record cannot be read: {e}")),
            };
            lang.pick(
                format!("{why}，无法证明任何一行未被改动；请从备份恢复 .qunli/，或核对台账（可用 qunli verify 对照以前的报告）后运行 {accept}"),
                format!("{why}, so no row can be vouched for; restore .qunli/ from a backup, or check the ledger (qunli verify against an earlier report) and run {accept}"),
            )
        }
        Issue::Unrecorded { line, count } => lang.pick(
            format!("第 {line} 行起有 {count} 行不是由 qunli 命令追加的（手工录入）；核对无误后运行 {accept}"),
            format!("{count} line(s) from line {line} on were not appended by a qunli command (typed in by hand); check them, then run {accept}"),
        ),
    }
}

/// The history findings of the three ledgers.
pub fn check(ledgers: &Ledgers, lang: Lang, out: &mut Findings) {
    for kind in LedgerKind::ALL {
        let book = ledgers.book(*kind);
        let Some(walked) = &book.info.history else { continue };
        for issue in &walked.issues {
            let rule = rule(issue);
            if !out.enabled(rule) {
                continue;
            }
            let mut f = Finding::new(rule, text(issue, lang));
            if let Some(l) = line(issue) {
                f = f.at(&book.file, l);
            } else {
                f.file = Some(book.file.clone());
            }
            out.push(f);
        }
    }
}
