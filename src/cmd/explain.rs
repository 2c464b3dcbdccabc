//! `qunli explain CODE` / `qunli explain --list`: the rules' documentation.

use super::{Context, Outcome};
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::render::{self, Doc, Section};
use crate::rules::{docs, Rule};
use serde::Serialize;

/// Explain a rule, or list them all.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A rule code, e.g. V006, or an indicator, e.g. on_time or 按期办结率.
    #[arg(required_unless_present = "list")]
    pub code: Option<String>,
    /// List every rule with a one-line summary.
    #[arg(long, conflicts_with = "code")]
    pub list: bool,
}

#[derive(Serialize)]
struct RuleJson {
    #[serde(skip_serializing_if = "Option::is_none")]
    schema_version: Option<u32>,
    code: &'static str,
    severity: &'static str,
    what: &'static str,
    why: &'static str,
    source: &'static str,
    fix: &'static str,
}

fn json_of(rule: Rule, lang: Lang) -> RuleJson {
    let d = rule.doc();
    RuleJson {
        schema_version: None,
        code: rule.code(),
        severity: d.severity.en(),
        what: d.what(lang),
        why: d.why(lang),
        source: d.source,
        fix: d.fix(lang),
    }
}

pub fn run(args: Args, ctx: &Context) -> Result<Outcome> {
    // The workspace is optional here: explain works anywhere.
    let ws = ctx.workspace().ok();
    let lang = ctx.lang(ws.as_ref());
    if args.list {
        let mut s = Section::new(
            "",
            &[lang.t("代码", "code"), lang.t("默认级别", "default"), lang.t("检查内容", "what it checks")],
        );
        for r in Rule::ALL {
            let d = r.doc();
            s.row(vec![r.code().into(), d.severity.label(lang).into(), d.what(lang).into()]);
        }
        let doc =
            Doc { title: lang.t("规则一览", "Rules").into(), lines: vec![], sections: vec![s], ..Doc::default() };
        let json: Vec<RuleJson> = Rule::ALL.iter().map(|r| json_of(*r, lang)).collect();
        return Ok(Outcome::output(render::render(
            &doc,
            &render::versioned("rules", &json),
            &ctx.render_options(lang, ws.as_ref()),
        )?));
    }
    let code = args.code.unwrap_or_default();
    // The petition indicators (§11.1) are explained too: `qunli explain on_time` or `qunli explain 按期办结率`.
    if let Some(indicator) = crate::report::kpi::IndicatorDoc::find(&code) {
        return Ok(Outcome::output(indicator.text(lang).into_bytes()));
    }
    if code.trim().eq_ignore_ascii_case("DT01") {
        return Ok(Outcome::output(
            lang.t(
                "DT01 [错误，区级视图]\n\n检查内容：\n  区级报表中某个镇的工作区无法读取：qunli.toml 或台账有错。\n\n为什么：\n  数据无效的镇不能与其他镇比较；它不阻止报表，但不计入合计，并在报表中写明。\n\n依据：\n  SPEC §11.2\n\n如何改正：\n  在该镇的文件夹运行 `qunli check`，按提示改正（`qunli repair` 可修复写了一半的末行），再运行区级报表。\n",
                "DT01 [error, district]\n\nWhat it checks:\n  a town's workspace in a district report cannot be read: its qunli.toml or a ledger is invalid.\n\nWhy:\n  a town with invalid data cannot be compared with the others; it does not stop the report, but it is left out of the totals, and the report says so.\n\nSource:\n  SPEC §11.2\n\nHow to fix:\n  run `qunli check` in the town's folder and correct what it names (`qunli repair` mends a half-written last row), then run the district report again.\n",
            )
            .as_bytes()
            .to_vec(),
        ));
    }
    let rule = Rule::parse(&code).ok_or_else(|| {
        Error::Usage(
            crate::error::unknown(
                "rule code",
                &code,
                Rule::ALL
                    .iter()
                    .map(|r| r.code())
                    .chain(crate::report::kpi::INDICATORS.iter().flat_map(|d| [d.key, d.zh])),
            ) + crate::lang::messages().t("（全部规则见 `qunli explain --list`）", " (see `qunli explain --list`)"),
        )
    })?;
    if ctx.format() == render::Format::Json {
        return Ok(Outcome::output(render::to_json(&RuleJson { schema_version: Some(1), ..json_of(rule, lang) })));
    }
    Ok(Outcome::output(explain_text(rule, lang).into_bytes()))
}

/// The full explanation of `rule` as text.
pub fn explain_text(rule: Rule, lang: Lang) -> String {
    let d = rule.doc();
    let family = match d.family {
        docs::Family::Schedule => lang.t("接待日程", "schedule"),
        docs::Family::Visits => lang.t("接访下访", "visits"),
        docs::Family::Letters => lang.t("群众来信", "letters"),
        docs::Family::Disputes => lang.t("矛盾纠纷排查", "disputes"),
        docs::Family::History => lang.t("台账历史", "history"),
    };
    format!(
        "{code} [{sev}, {family}]\n\n{l_what}\n  {what}\n\n{l_why}\n  {why}\n\n{l_src}\n  {src}\n\n{l_fix}\n  {fix}\n\n{l_lvl}\n  [rules.level]\n  {code} = \"warning\"   # \"error\" | \"warning\" | \"off\"\n",
        code = rule.code(),
        sev = d.severity.label(lang),
        l_what = lang.t("检查内容：", "What it checks:"),
        what = d.what(lang),
        l_why = lang.t("为什么：", "Why:"),
        why = d.why(lang),
        l_src = lang.t("依据：", "Source:"),
        src = d.source,
        l_fix = lang.t("如何改正：", "How to fix:"),
        fix = d.fix(lang),
        l_lvl = lang.t("调整级别（qunli.toml）：", "Change its level (qunli.toml):"),
    )
}
