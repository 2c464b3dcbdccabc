//! The command line: global options and the subcommands (clap derive; the
//! doc comments are the help text).

use crate::cmd;
use crate::lang::Lang;
use crate::render::Format;
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  qunli --dir data schedule check
  qunli --dir data report monthly --month 2022-03
  qunli visit add --leader 管小波 --mode public --village 天灵村 --visitors 张三 \\
        --headcount 1 --category 土地征用 --summary \"征地补偿未到位\"
  qunli explain V006";

/// 群力 qunli — registers and compliance reports for the leaders' reception
/// of the people (干部接访下访群众工作).
///
/// qunli keeps the registers of receptions, letters and disputes as plain CSV
/// files beside the year's plan (qunli.toml), checks them against the plan and
/// the statutory time limits, and prints compliance and resolution-rate
/// reports.
#[derive(Parser, Debug)]
#[command(name = "qunli", version, after_help = EXAMPLES, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes, before or after the subcommand.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct GlobalArgs {
    /// The workspace folder (default: $QUNLI_DIR, or the nearest folder upward with qunli.toml).
    #[arg(help_heading = "Global options", long, global = true, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Language of labels and messages (default: the workspace's `lang`).
    #[arg(help_heading = "Global options", long, global = true, value_enum)]
    pub lang: Option<Lang>,
    /// Output format.
    #[arg(help_heading = "Global options", long, global = true, value_enum)]
    pub format: Option<Format>,
    /// Write the output to FILE instead of standard output.
    #[arg(help_heading = "Global options", long, short = 'o', global = true, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The date to evaluate as of, YYYY-MM-DD (default: today).
    #[arg(help_heading = "Global options", long, global = true, value_name = "DATE", value_parser = crate::period::cli_date)]
    pub as_of: Option<NaiveDate>,
    /// Exit 1 when a finding is at or above this severity.
    #[arg(help_heading = "Global options", long, global = true, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Show the names of visitors, senders and parties in listings (personal data).
    #[arg(help_heading = "Global options", long, global = true)]
    pub show_names: bool,
    /// Colour in tables.
    #[arg(help_heading = "Global options", long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Sender of --format email (default: [email] from in qunli.toml).
    #[arg(help_heading = "Global options", long, global = true, value_name = "ADDRESS")]
    pub mail_from: Option<String>,
    /// Recipient of --format email, repeatable (default: [email] to).
    #[arg(help_heading = "Global options", long, global = true, value_name = "ADDRESS")]
    pub mail_to: Vec<String>,
    /// Print nothing when the exit status is 0 (for cron).
    #[arg(help_heading = "Global options", long, short = 'q', global = true)]
    pub quiet: bool,
}

/// `--fail-on`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Default)]
pub enum FailOn {
    #[default]
    Error,
    Warning,
    Never,
}

/// `--color`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Validate qunli.toml, the schedule and the ledgers; list every problem.
    #[command(after_help = "Example:\n  qunli --dir data check")]
    Check(cmd::check::Args),
    /// Explain a rule: what it checks, why, the source clause, how to fix.
    #[command(after_help = "Examples:\n  qunli explain V006\n  qunli explain --list")]
    Explain(cmd::explain::Args),
    /// The reception-day schedule: check, show, next, export.
    #[command(
        subcommand,
        after_help = "Examples:\n  qunli schedule check\n  qunli schedule show --month 2022-05\n  qunli schedule next --days 7"
    )]
    Schedule(cmd::schedule::ScheduleCommand),
    /// Create a new workspace: a commented qunli.toml and empty ledgers.
    #[command(
        after_help = "Examples:\n  qunli init ws2023 --township 群力镇 --year 2023 --from data\n  qunli init --township 群力镇 --year 2022"
    )]
    Init(cmd::init::Args),
    /// The register of receptions (接访下访登记簿, visits.csv).
    #[command(
        subcommand,
        after_help = "Examples:\n  qunli visit add --leader 管小波 --mode public --village 天灵村 --visitors 张三 --headcount 1 \\\n        --category 土地征用 --summary \"征地补偿款未到位\"\n  qunli visit resolve V2022-0034 --note \"补偿款已补发\"\n  qunli visit list --month 2022-03 --open"
    )]
    Visit(cmd::visit::VisitCommand),
    /// The register of letters (群众来信登记簿, letters.csv).
    #[command(
        subcommand,
        after_help = "Examples:\n  qunli letter add --sender 李四 --signers 1 --tone normal --category 其他 --summary \"路灯坏了\"\n  qunli letter review L2022-0002 --leader 管小波 --note \"请3日内核实\""
    )]
    Letter(cmd::letter::LetterCommand),
    /// Screenings and disputes (矛盾纠纷排查调处台账, disputes.csv).
    #[command(
        subcommand,
        after_help = "Examples:\n  qunli dispute screen --village 天灵村 --found 0\n  qunli dispute add --village 白兔村 --level village --category 邻里纠纷 --parties 王五 --summary \"宅基地争议\""
    )]
    Dispute(cmd::dispute::DisputeCommand),
    /// Reports: monthly, resolution, villages, overdue, annual.
    #[command(
        subcommand,
        after_help = "Examples:\n  qunli report monthly --month 2022-03\n  qunli report villages --year\n  qunli report overdue"
    )]
    Report(cmd::report::ReportCommand),
    /// The district view: every town's workspace side by side (qunli-district.toml).
    #[command(
        subcommand,
        after_help = "Examples:\n  qunli --dir examples/district district report monthly --month 2022-03\n  qunli district report kpi --year 2022\n  qunli district check"
    )]
    District(cmd::district::DistrictCommand),
    /// Import an old register (CSV in UTF-8 or GB18030/GBK, or an .xlsx/.xls workbook) into a ledger, all or nothing.
    #[command(
        after_help = "Examples:\n  qunli import 2021年来访登记.xlsx --into visits\n  qunli import --encoding gb18030 来信登记.csv --into letters --skip-existing"
    )]
    Import(cmd::import::Args),
    /// Print a shell completion script.
    #[command(after_help = "Example:\n  qunli completions bash > /etc/bash_completion.d/qunli")]
    Completions(cmd::completions::Args),
    /// Print the man page (roff).
    #[command(after_help = "Example:\n  qunli man > /usr/local/share/man/man1/qunli.1")]
    Man(cmd::completions::ManArgs),
    /// Cut an incomplete last row (left by a crash) off the ledgers, keeping it in FILE.rejected.
    #[command(after_help = "Example:\n  qunli repair")]
    Repair(cmd::repair::Args),
    /// Add the ref (关联) and detail (细项) columns to an older ledger; the old file is kept as FILE.v1.
    #[command(
        after_help = "Example:\n  qunli upgrade disputes      # before the first `dispute undo` on an older file"
    )]
    Upgrade(cmd::upgrade::Args),
    /// The years the workspace covers: `year add 2023` at the turn of the year.
    #[command(subcommand, after_help = "Example:\n  qunli year add 2023")]
    Year(cmd::year::YearCommand),
    /// Check that today's ledgers still begin with the rows an earlier report was made from (its 台账校验码).
    #[command(
        after_help = "Examples:\n  qunli verify 2022-03月报.json\n  qunli verify /var/mail/saved/2022-03.eml\n\nExit status: 0 when every ledger still begins with the report's rows, 1 when one differs."
    )]
    Verify(cmd::verify::Args),
}

/// The command line in `lang`: in Chinese, every help text from the
/// catalogue ([`crate::help_zh`]), and the headings and template in Chinese.
pub fn command(lang: Lang) -> clap::Command {
    use clap::CommandFactory;
    let cmd = Cli::command();
    match lang {
        Lang::En => cmd,
        Lang::Zh => {
            let mut cmd = in_chinese(cmd)
                .disable_version_flag(true)
                .arg(
                    clap::Arg::new("version")
                        .short('V')
                        .long("version")
                        .action(clap::ArgAction::Version)
                        .help("显示版本")
                        .help_heading("全局选项"),
                )
                .disable_help_subcommand(true);
            cmd.build();
            usage_in_chinese(&mut cmd);
            cmd
        }
    }
}

/// Every command's usage line with its placeholders in Chinese (clap
/// writes `[OPTIONS]` and `<COMMAND>`), once the whole tree is built and
/// every line names its full command.
fn usage_in_chinese(c: &mut clap::Command) {
    let usage = c.render_usage().to_string();
    let usage = usage.trim_start_matches("Usage: ").replace("[OPTIONS]", "[选项]").replace("<COMMAND>", "<命令>");
    *c = std::mem::replace(c, clap::Command::new("")).override_usage(usage);
    for sub in c.get_subcommands_mut() {
        usage_in_chinese(sub);
    }
}

fn help_zh(en: &str) -> Option<&'static str> {
    crate::help_zh::HELP_ZH.iter().find(|(e, _)| *e == en).map(|(_, z)| *z)
}

fn in_chinese(mut c: clap::Command) -> clap::Command {
    if let Some(z) = c.get_about().and_then(|a| help_zh(&a.to_string())) {
        c = c.about(z);
    }
    if let Some(z) = c.get_long_about().and_then(|a| help_zh(&a.to_string())) {
        c = c.long_about(z);
    }
    if let Some(after) = c.get_after_help().map(|a| a.to_string()) {
        let mut text = after;
        for (en, zh) in crate::help_zh::AFTER_HELP_ZH {
            text = text.replace(en, zh);
        }
        c = c.after_help(text);
    }
    c = c
        .help_template("{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_flag(true)
        .arg(
            clap::Arg::new("help")
                .short('h')
                .long("help")
                .action(clap::ArgAction::Help)
                .help("显示帮助")
                .help_heading("全局选项"),
        );
    let ids: Vec<clap::Id> = c.get_arguments().map(|a| a.get_id().clone()).collect();
    for id in ids {
        c = c.mut_arg(id, |a| {
            let heading = match a.get_help_heading() {
                Some("Global options") | Some("全局选项") => "全局选项",
                _ if a.is_positional() => "参数",
                _ => "选项",
            };
            let a = match a.get_help().and_then(|h| help_zh(&h.to_string())) {
                Some(z) => a.help(z),
                None => a,
            };
            // clap words the list of values in English: said here instead.
            let values: Vec<String> = a.get_possible_values().iter().map(|v| v.get_name().to_string()).collect();
            let a = if values.is_empty() || a.is_hide_possible_values_set() || !a.get_action().takes_values() {
                a
            } else {
                let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
                a.hide_possible_values(true).help(format!("{help}（可选：{}）", values.join("、")))
            };
            let defaults: Vec<String> =
                a.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
            let a = if defaults.is_empty() || a.is_hide_default_value_set() || !a.get_action().takes_values() {
                a
            } else {
                let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
                a.hide_default_value(true).help(format!("{help}（默认：{}）", defaults.join("、")))
            };
            a.help_heading(heading)
        });
    }
    let names: Vec<String> = c.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in names {
        c = c.mut_subcommand(name, in_chinese);
    }
    c
}

/// clap's own errors in Chinese, kind by kind, keeping its suggestions
/// (`None` for what clap prints as it is: help, version).
pub fn error_in_chinese(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let get = |k: ContextKind| -> Vec<String> {
        match e.get(k) {
            Some(ContextValue::String(s)) => vec![s.clone()],
            Some(ContextValue::Strings(v)) => v.clone(),
            Some(ContextValue::StyledStr(s)) => vec![s.to_string()],
            Some(ContextValue::StyledStrs(v)) => v.iter().map(|s| s.to_string()).collect(),
            Some(ContextValue::Number(n)) => vec![n.to_string()],
            _ => Vec::new(),
        }
    };
    let first = |k: ContextKind| get(k).into_iter().next().unwrap_or_default();
    let quoted = |v: Vec<String>| v.iter().map(|s| format!("“{s}”")).collect::<Vec<_>>().join("、");
    let mut msg = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            return None
        }
        ErrorKind::InvalidSubcommand => format!("不认识的子命令“{}”", first(ContextKind::InvalidSubcommand)),
        ErrorKind::UnknownArgument => format!("不认识的选项或参数“{}”", first(ContextKind::InvalidArg)),
        ErrorKind::InvalidValue => {
            let valid = get(ContextKind::ValidValue);
            let mut m = format!("{} 的值“{}”无效", first(ContextKind::InvalidArg), first(ContextKind::InvalidValue));
            if !valid.is_empty() {
                m.push_str(&format!("；可选：{}", valid.join("、")));
            }
            m
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e).map(|s| s.to_string()).unwrap_or_default();
            format!("{} 的值“{}”无效：{why}", first(ContextKind::InvalidArg), first(ContextKind::InvalidValue))
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{}", get(ContextKind::InvalidArg).join("、")),
        ErrorKind::MissingSubcommand => "缺少子命令".to_string(),
        ErrorKind::ArgumentConflict => {
            format!("{} 不能与 {} 同时使用", first(ContextKind::InvalidArg), first(ContextKind::PriorArg))
        }
        ErrorKind::NoEquals => format!("{} 需要用“=”给出值", first(ContextKind::InvalidArg)),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("{} 的值的个数不对", first(ContextKind::InvalidArg))
        }
        ErrorKind::InvalidUtf8 => "命令行中有不是 UTF-8 的文字".to_string(),
        _ => "命令行有误".to_string(),
    };
    let suggestions = [ContextKind::SuggestedSubcommand, ContextKind::SuggestedArg, ContextKind::SuggestedValue]
        .into_iter()
        .flat_map(get)
        .collect::<Vec<_>>();
    if !suggestions.is_empty() {
        msg.push_str(&format!("\n\n  提示：你是不是要输入{}？", quoted(suggestions)));
    }
    // clap's usage line, in Chinese.
    let rendered = e.render().to_string();
    if let Some(usage) = rendered.lines().find(|l| l.starts_with("Usage:")) {
        let usage =
            usage.replacen("Usage: ", "用法：", 1).replace("[OPTIONS]", "[选项]").replace("<COMMAND>", "<命令>");
        msg.push_str(&format!("\n\n{usage}"));
    }
    msg.push_str("\n\n更多信息请运行“qunli --help”（加 --lang en 看英文）。");
    Some(format!("qunli：错误：{msg}"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_help_text_has_its_chinese() {
        use clap::CommandFactory;
        fn walk(c: &clap::Command, missing: &mut Vec<String>) {
            let texts = [c.get_about(), c.get_long_about()].into_iter().flatten().map(|s| s.to_string());
            let args = c.get_arguments().filter_map(|a| a.get_help()).map(|s| s.to_string());
            for t in texts.chain(args) {
                if super::help_zh(&t).is_none() {
                    missing.push(format!("{}: {t}", c.get_name()));
                }
            }
            for s in c.get_subcommands() {
                walk(s, missing);
            }
        }
        let mut missing = Vec::new();
        walk(&super::Cli::command(), &mut missing);
        assert!(missing.is_empty(), "help texts without Chinese (add them to src/help_zh.rs): {missing:#?}");
        // And the Chinese command line builds and shows it.
        let help = super::command(crate::lang::Lang::Zh).render_long_help().to_string();
        assert!(help.contains("全局选项") && help.contains("命令") && !help.contains("Options:"), "{help}");
    }

    use super::*;
    use clap::CommandFactory;

    fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for sub in cmd.get_subcommands() {
            let name = format!("{path} {}", sub.get_name());
            if sub.has_subcommands() {
                walk(sub, &name, missing);
            } else if !sub.get_after_help().is_some_and(|h| h.to_string().contains("Example")) {
                missing.push(name);
            }
        }
    }

    #[test]
    fn every_command_has_an_example_in_its_help() {
        let mut missing = Vec::new();
        walk(&Cli::command(), "qunli", &mut missing);
        assert!(missing.is_empty(), "no example in the help of: {missing:?}");
        Cli::command().debug_assert();
    }
}
