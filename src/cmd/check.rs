//! `qunli check`: validate qunli.toml, the three ledgers and the schedule,
//! and list every problem.

use super::{Context, Outcome};
use crate::error::Result;
use crate::ledger::history;
use crate::ledger::{Book, LedgerKind, Ledgers};
use crate::render::{self, Doc};
use crate::rules::{self, schedule::ScheduleCheck, Findings};

/// Validate the workspace: qunli.toml, the ledgers (every problem as FILE:LINE) and the schedule (S001–S006).
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Accept the ledgers' present content as their history (after a deliberate change).
    #[arg(long)]
    pub accept_history: bool,
}

pub fn run(args: Args, ctx: &Context) -> Result<Outcome> {
    let ws = ctx.workspace()?;
    let lang = ctx.lang(Some(&ws));
    let file = ws.config_name();
    if args.accept_history {
        let now = chrono::Local::now().format("%Y%m%d%H%M%S").to_string();
        for kind in LedgerKind::ALL {
            history::accept(&ws.dir, kind.file_name(), &now)?;
            crate::ledger::append::Appender::settle(&ws, *kind)?;
        }
    }
    let mut problems = Vec::new();
    let mut load = |kind: LedgerKind| -> Result<Book> {
        let mut p = Vec::new();
        let book = Book::load(&ws.settings, &ws.path(kind.file_name()), kind, None, &mut p)?;
        problems.extend(p);
        Ok(book)
    };
    let ledgers = Ledgers {
        visits: load(LedgerKind::Visits)?,
        letters: load(LedgerKind::Letters)?,
        disputes: load(LedgerKind::Disputes)?,
    };
    let notes: Vec<String> = ws.settings.calendar_warning().into_iter().collect();
    let mut findings = Findings::new(&ws.settings);
    rules::schedule::check(&ScheduleCheck { settings: &ws.settings, lang, month: None, file: &file }, &mut findings);
    rules::history::check(&ledgers, lang, &mut findings);
    let findings = findings.into_vec();
    let mut lines = vec![render::findings_summary(&findings, lang)];
    lines.push(match (problems.len(), lang) {
        (0, crate::lang::Lang::Zh) => "台账：没有数据错误".into(),
        (0, crate::lang::Lang::En) => "Ledgers: no data errors".into(),
        (n, crate::lang::Lang::Zh) => format!("台账：{n} 处数据错误（见标准错误输出）"),
        (n, crate::lang::Lang::En) => format!("Ledgers: {n} data error(s) (listed on standard error)"),
    });
    let doc = Doc {
        errors: Some(findings.iter().filter(|f| f.severity == crate::rules::Severity::Error).count()),
        title: format!("{} {}", ws.settings.township, lang.t("检查结果", "check")),
        lines,
        sections: vec![render::findings_section(&findings, lang)],
        ..Doc::default()
    };
    let json = render::FindingsJson { schema_version: 1, findings: &findings };
    let doc = doc.with_ledgers(ledgers.heads(), lang);
    let output = render::render(&doc, &json, &ctx.render_options(lang, Some(&ws)))?;
    let worst = rules::worst(&findings);
    Ok(Outcome { output, worst, notes, problems, ..Default::default() })
}
