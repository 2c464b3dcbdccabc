//! `qunli check`: validate qunli.toml and the schedule, and list every problem.

use super::{Context, Outcome};
use crate::error::Result;
use crate::render::{self, Doc};
use crate::rules::{self, schedule::ScheduleCheck, Findings};

/// Validate the workspace: qunli.toml and the schedule (rules S001–S006).
#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(_args: Args, ctx: &Context) -> Result<Outcome> {
    let ws = ctx.workspace()?;
    let lang = ctx.lang(Some(&ws));
    let file = ws.config_name();
    let mut findings = Findings::new(&ws.settings);
    rules::schedule::check(&ScheduleCheck { settings: &ws.settings, lang, month: None, file: &file }, &mut findings);
    let findings = findings.into_vec();
    let doc = Doc {
        title: format!("{} {}", ws.settings.township, lang.t("检查结果", "check")),
        lines: vec![render::findings_summary(&findings, lang)],
        sections: vec![render::findings_section(&findings, lang)],
    };
    let json = render::FindingsJson { schema_version: 1, findings: &findings };
    let output = render::text_formats(&doc, &json, ctx.format(), ctx.style())?;
    Ok(Outcome { output, worst: rules::worst(&findings), notes: ws.settings.calendar_warning().into_iter().collect() })
}
