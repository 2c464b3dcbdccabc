//! `qunli completions SHELL` and `qunli man`: generated from the same
//! definitions as the command line itself.

use super::{Context, Outcome};
use crate::error::Result;

/// Print a shell completion script.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// bash, zsh, fish, powershell or elvish.
    pub shell: clap_complete::Shell,
}

pub fn run(args: Args, ctx: &Context) -> Result<Outcome> {
    use crate::ledger::model::{DisputeLevel, EscalateTo, Mode, Tone};
    let ws = ctx.workspace().ok();
    let mut cmd = crate::cli::command(ctx.lang(ws.as_ref()));
    let en = |v: Vec<&str>| v.into_iter().map(str::to_string).collect::<Vec<_>>();
    let (modes, tones) =
        (en(Mode::ALL.iter().map(|m| m.en()).collect()), en(Tone::ALL.iter().map(|m| m.en()).collect()));
    let levels = en(DisputeLevel::ALL.iter().map(|m| m.en()).collect());
    let places = en(EscalateTo::ALL.iter().map(|m| m.en()).collect());
    cmd = with_values(cmd, &[("mode", &modes), ("tone", &tones), ("level", &levels), ("to", &places)]);
    // The workspace's leaders, villages and categories are offered where it is found.
    if let Some(ws) = &ws {
        let s = &ws.settings;
        let leaders: Vec<String> = s.leaders.iter().map(|l| l.name.clone()).collect();
        let villages = s.villages.clone();
        let categories: Vec<String> = s.categories().map(str::to_string).collect();
        cmd = with_values(cmd, &[("leader", &leaders), ("village", &villages), ("category", &categories)]);
    }
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "qunli", &mut out);
    Ok(Outcome::output(out))
}

/// `cmd` with the values of the options named offered for completion, in every subcommand.
fn with_values(mut cmd: clap::Command, values: &[(&str, &Vec<String>)]) -> clap::Command {
    for (id, names) in values {
        if cmd.get_arguments().any(|a| a.get_id() == id) {
            // (A completion script is made once a process: the few names may live as long.)
            let names: Vec<clap::builder::PossibleValue> = names
                .iter()
                .map(|n| clap::builder::PossibleValue::new(&*Box::leak(n.clone().into_boxed_str())))
                .collect();
            cmd = cmd.mut_arg(*id, |a| a.value_parser(clap::builder::PossibleValuesParser::new(names)));
        }
    }
    let subs: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in subs {
        cmd = cmd.mut_subcommand(name, |s| with_values(s, values));
    }
    cmd
}

/// Print the man page (roff): `qunli man > qunli.1`.
#[derive(clap::Args, Debug)]
pub struct ManArgs {}

pub fn man(_args: ManArgs, ctx: &Context) -> Result<Outcome> {
    let lang = ctx.global.lang.or(ctx.env_lang).unwrap_or_else(crate::lang::messages);
    Ok(Outcome::output(man_page(&crate::cli::command(lang), lang).into_bytes()))
}

/// Text for roff: backslashes and leading dots or quotes made harmless.
fn roff(s: &str) -> String {
    s.replace('\\', "\\e")
        .lines()
        .map(|l| if l.starts_with(['.', '\'']) { format!("\\&{l}") } else { l.to_string() })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The man page of `cmd`, written out whole (so no section refers to a page that does not exist).
pub fn man_page(cmd: &clap::Command, lang: crate::lang::Lang) -> String {
    let t = |zh: &'static str, en: &'static str| lang.t(zh, en);
    let mut o = String::new();
    o.push_str(&format!(
        ".TH QUNLI 1 \"\" \"qunli {}\" \"{}\"\n",
        env!("CARGO_PKG_VERSION"),
        t("用户命令", "User Commands")
    ));
    o.push_str(&format!(
        ".SH {}\nqunli \\- {}\n",
        t("名称", "NAME"),
        roff(&cmd.get_about().map(|a| a.to_string()).unwrap_or_default())
    ));
    o.push_str(&format!(
        ".SH {}\n\\fBqunli\\fR [{}] \\fI{}\\fR ...\n",
        t("概要", "SYNOPSIS"),
        t("选项", "OPTIONS"),
        t("命令", "COMMAND")
    ));
    if let Some(long) = cmd.get_long_about() {
        o.push_str(&format!(".SH {}\n{}\n", t("描述", "DESCRIPTION"), roff(&long.to_string())));
    }
    o.push_str(&format!(".SH {}\n", t("全局选项", "GLOBAL OPTIONS")));
    options(cmd, &mut o);
    o.push_str(&format!(".SH {}\n", t("命令", "COMMANDS")));
    commands(cmd, "qunli", &mut o);
    o.push_str(&format!(
        ".SH {}\n.TP\n\\fB0\\fR\n{}\n.TP\n\\fB1\\fR\n{}\n.TP\n\\fB2\\fR\n{}\n",
        t("退出状态", "EXIT STATUS"),
        t("完成；检查和报表没有达到 --fail-on 级别（默认 error）的问题。", "Done; for checks and reports, no finding at or above --fail-on (default error)."),
        t("有达到 --fail-on 级别的问题。", "Findings at or above --fail-on."),
        t("命令无法完成：用法有误、找不到工作区、文件无效（逐条列出“文件:行号: 说明”）、追加被拒绝。什么都没有写入。",
          "The command could not be done: bad usage, no workspace, an invalid file (every problem as FILE:LINE: message), a refused append. Nothing was written."),
    ));
    o.push_str(&format!(".SH {}\n", t("文件", "FILES")));
    for (f, zh, en) in [
        (
            "qunli.toml",
            "乡镇、覆盖的年份、村社区、领导及接待日、规则和邮件设置",
            "the township, the years covered, villages, leaders and their reception days, rules, e-mail settings",
        ),
        ("visits.csv", "接访下访登记簿", "the register of receptions"),
        ("letters.csv", "群众来信登记簿", "the register of letters"),
        ("disputes.csv", "矛盾纠纷排查调处台账", "screenings and disputes"),
        (
            ".qunli/",
            "台账的历史记录（校验链），用于发现改动；随台账一起备份",
            "the ledgers' history record (hash chain) that reveals changes; back it up with the ledgers",
        ),
        ("FILE.rejected", "repair 截下的不完整末行", "incomplete last rows cut off by repair"),
    ] {
        o.push_str(&format!(".TP\n\\fI{}\\fR\n{}\n", roff(f), lang.t(zh, en)));
    }
    o.push_str(&format!(".SH {}\n", t("环境变量", "ENVIRONMENT")));
    for (v, zh, en) in [
        ("QUNLI_DIR", "工作区文件夹（未给 --dir 时）", "the workspace folder, when --dir is not given"),
        ("QUNLI_LANG", "语言：zh 或 en（优先于工作区的 lang）", "the language, zh or en (before the workspace's lang)"),
        ("LANG", "没有工作区时所用的语言", "the language when there is no workspace"),
        ("NO_COLOR", "不使用颜色", "no colour"),
    ] {
        o.push_str(&format!(".TP\n\\fB{v}\\fR\n{}\n", lang.t(zh, en)));
    }
    o
}

fn options(cmd: &clap::Command, o: &mut String) {
    for a in cmd.get_arguments().filter(|a| !a.is_hide_set() && a.get_id() != "help" && a.get_id() != "version") {
        let mut flag = String::new();
        if let Some(s) = a.get_short() {
            flag.push_str(&format!("\\fB\\-{s}\\fR, "));
        }
        match a.get_long() {
            Some(l) => flag.push_str(&format!("\\fB\\-\\-{}\\fR", l.replace('-', "\\-"))),
            None => flag.push_str(&format!("\\fI{}\\fR", a.get_id())),
        }
        if a.get_action().takes_values() && a.get_long().is_some() {
            let name =
                a.get_value_names().and_then(|v| v.first()).map_or_else(|| a.get_id().to_string(), |v| v.to_string());
            flag.push_str(&format!(" \\fI{name}\\fR"));
        }
        let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
        o.push_str(&format!(".TP\n{flag}\n{}\n", roff(&help)));
    }
}

fn commands(cmd: &clap::Command, path: &str, o: &mut String) {
    for s in cmd.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        let name = format!("{path} {}", s.get_name());
        let about = s.get_about().map(|a| a.to_string()).unwrap_or_default();
        o.push_str(&format!(".TP\n\\fB{name}\\fR\n{}\n", roff(&about)));
        if s.has_subcommands() {
            commands(s, &name, o);
        } else {
            let own: Vec<&clap::Arg> = s.get_arguments().filter(|a| !a.is_global_set() && !a.is_hide_set()).collect();
            if !own.is_empty() {
                o.push_str(".RS\n");
                options(s, o);
                o.push_str(".RE\n");
            }
        }
        if let Some(after) = s.get_after_help() {
            o.push_str(&format!(".IP\n.nf\n{}\n.fi\n", roff(&after.to_string())));
        }
    }
}
