//! Asking for what is missing when a person is at the terminal (SPEC §7.3,
//! §7.7): a registering command typed without its required options asks for
//! each in turn with a kept prompt library (inquire) — a choice list, filtered
//! as one types, for leaders, villages, categories and every enum; each
//! answer checked as it is typed and asked again when wrong; the case number
//! first; the date with today as the default; then the row shown and
//! confirmed before anything is appended. Ctrl-C or Esc leaves with nothing
//! written. Without a terminal the usage error stands.

use crate::lang::Lang;
use crate::ledger::model::{DisputeLevel, EscalateTo, Mode, Tone};
use crate::workspace::Workspace;
use inquire::validator::Validation;
use std::ffi::OsString;
use std::path::PathBuf;

/// The missing arguments clap names, e.g. `--leader <LEADER>`, `<CASE>`.
pub fn missing(e: &clap::Error) -> Vec<String> {
    match e.get(clap::error::ContextKind::InvalidArg) {
        Some(clap::error::ContextValue::Strings(v)) => v.clone(),
        Some(clap::error::ContextValue::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// The workspace the command line points at, if it can be loaded.
pub fn workspace(args: &[OsString]) -> Option<Workspace> {
    let dir = args
        .windows(2)
        .find(|w| w[0] == "--dir")
        .map(|w| PathBuf::from(&w[1]))
        .or_else(|| args.iter().find_map(|a| a.to_str()?.strip_prefix("--dir=").map(PathBuf::from)));
    let env = std::env::var_os("QUNLI_DIR").filter(|v| !v.is_empty()).map(PathBuf::from);
    let cwd = std::env::current_dir().ok()?;
    Workspace::load(Workspace::locate(dir.as_deref(), env, &cwd).ok()?).ok()
}

/// How the person left the questions.
pub enum Asked {
    /// The arguments to add.
    More(Vec<OsString>),
    /// Ctrl-C, Esc, or the row not confirmed: nothing is written.
    Cancelled,
    /// Nothing to ask (the usage error stands).
    Nothing,
}

/// A question's wording: (Chinese, English).
fn label(flag: &str) -> (&'static str, &'static str) {
    match flag {
        "<CASE>" | "--case" => ("案号", "case number"),
        "<LINE>" => ("要撤销的行号", "line to undo"),
        "--leader" => ("领导", "leader"),
        "--mode" => ("方式", "mode"),
        "--village" => ("村社区", "village"),
        "--visitors" => ("来访人", "visitors"),
        "--headcount" => ("人数", "headcount"),
        "--category" => ("类别", "category"),
        "--summary" => ("诉求 / 内容 / 情况", "summary"),
        "--note" => ("备注", "note"),
        "--plan" => ("化解方案", "plan"),
        "--deadline" => ("化解时限（YYYY-MM-DD）", "deadline (YYYY-MM-DD)"),
        "--sender" => ("来信人", "sender"),
        "--signers" => ("署名人数", "signers"),
        "--tone" => ("语气", "tone"),
        "--parties" => ("当事人", "parties"),
        "--level" => ("层级", "level"),
        "--to" => ("上交去向", "escalated to"),
        "--date" => ("日期", "date"),
        _ => ("", ""),
    }
}

/// The choices of an option: (value to pass, label shown).
fn choices(flag: &str, ws: Option<&Workspace>, lang: Lang) -> Vec<(String, String)> {
    let both = |en: &str, zh: &str| (en.to_string(), lang.pick(format!("{zh}（{en}）"), format!("{en} ({zh})")));
    let same = |v: &str| (v.to_string(), v.to_string());
    match (flag, ws) {
        ("--mode", _) => Mode::ALL.iter().map(|m| both(m.en(), m.zh())).collect(),
        ("--tone", _) => Tone::ALL.iter().map(|m| both(m.en(), m.zh())).collect(),
        ("--level", _) => DisputeLevel::ALL.iter().map(|m| both(m.en(), m.zh())).collect(),
        ("--to", _) => EscalateTo::ALL.iter().map(|m| both(m.en(), m.zh())).collect(),
        ("--leader", Some(w)) => w
            .settings
            .leaders
            .iter()
            .map(|l| (l.name.clone(), l.title.as_ref().map_or_else(|| l.name.clone(), |t| format!("{} {t}", l.name))))
            .collect(),
        ("--village", Some(w)) => w.settings.villages.iter().map(|v| same(v)).collect(),
        ("--category", Some(w)) => w.settings.categories().map(same).collect(),
        _ => Vec::new(),
    }
}

/// The command's subcommand path, e.g. `visit add`.
fn subcommand(args: &[OsString]) -> Vec<String> {
    let words = ["visit", "letter", "dispute"];
    let mut out = Vec::new();
    let mut it = args.iter().skip(1).filter_map(|a| a.to_str());
    while let Some(a) = it.next() {
        if words.contains(&a) {
            out.push(a.to_string());
            if let Some(next) = it.next() {
                out.push(next.to_string());
            }
            break;
        }
    }
    out
}

/// Asks for each missing argument (and the date), then for confirmation.
pub fn ask(args: &[OsString], missing: &[String], lang: Lang) -> Asked {
    let ws = workspace(args);
    let t = |zh: &'static str, en: &'static str| lang.t(zh, en);
    let sub = subcommand(args);
    if missing.is_empty() || sub.len() < 2 {
        return Asked::Nothing;
    }
    // The case (or line) first, then the options in the order clap names them.
    let mut order: Vec<String> =
        missing.iter().filter_map(|m| m.split_whitespace().next().map(str::to_string)).collect();
    order.sort_by_key(|f| !(f.starts_with('<') || f == "--case"));
    let has_date = args.iter().any(|a| a.to_str().is_some_and(|a| a == "--date" || a.starts_with("--date=")));
    let registering = !matches!(sub[1].as_str(), "list" | "show");
    if registering && !has_date {
        order.push("--date".into());
    }
    let mut more: Vec<OsString> = Vec::new();
    let mut summary: Vec<String> = Vec::new();
    for flag in &order {
        let (zh, en) = label(flag);
        let question = if zh.is_empty() { flag.clone() } else { lang.t(zh, en).to_string() };
        let offered = choices(flag, ws.as_ref(), lang);
        let answer = if !offered.is_empty() {
            let labels: Vec<String> = offered.iter().map(|(_, l)| l.clone()).collect();
            inquire::Select::new(&question, labels.clone())
                .with_help_message(t(
                    "↑↓ 选择，输入文字筛选，回车确认，Esc 取消",
                    "↑↓ to move, type to filter, Enter to choose, Esc to cancel",
                ))
                .prompt()
                .map(|chosen| offered[labels.iter().position(|l| *l == chosen).unwrap_or(0)].0.clone())
        } else {
            text(flag, &question, ws.as_ref(), lang, &sub)
        };
        match answer {
            Ok(value) => {
                summary.push(format!("{question}：{value}"));
                if flag.starts_with("--") {
                    more.push(OsString::from(flag));
                }
                more.push(OsString::from(value));
            }
            Err(_) => {
                eprintln!("{}", t("已取消，什么都没有写入。", "Cancelled; nothing was written."));
                return Asked::Cancelled;
            }
        }
    }
    let confirmed = inquire::Confirm::new(&lang.pick(
        format!("将登记（{}）：{}。确认写入吗？", sub.join(" "), summary.join("；")),
        format!("About to register ({}): {}. Write it?", sub.join(" "), summary.join("; ")),
    ))
    .with_default(true)
    .with_formatter(&|yes| if yes { t("是", "Yes") } else { t("否", "No") }.to_string())
    .with_parser(&|s| match s.trim().to_lowercase().as_str() {
        "y" | "yes" | "是" | "好" | "确认" => Ok(true),
        "n" | "no" | "否" | "不" | "取消" => Ok(false),
        _ => Err(()),
    })
    .with_error_message(t("请回答 y（是）或 n（否）", "answer y or n"))
    .prompt();
    match confirmed {
        Ok(true) => Asked::More(more),
        _ => {
            eprintln!("{}", t("已取消，什么都没有写入。", "Cancelled; nothing was written."));
            Asked::Cancelled
        }
    }
}

/// A typed answer, checked as it is typed: numbers, dates, case numbers, non-empty text.
fn text(
    flag: &str,
    question: &str,
    ws: Option<&Workspace>,
    lang: Lang,
    sub: &[String],
) -> inquire::error::InquireResult<String> {
    let msg = |zh: &str, en: &str| Validation::Invalid(lang.pick(zh.to_string(), en.to_string()).into());
    let prompt = inquire::Text::new(question);
    match flag {
        "--headcount" | "--signers" => prompt
            .with_validator(move |s: &str| {
                Ok(match s.trim().parse::<u32>() {
                    Ok(n) if (1..=100_000).contains(&n) => Validation::Valid,
                    _ => msg("请填写 1 到 100000 之间的整数", "a whole number from 1 to 100000"),
                })
            })
            .prompt(),
        "<LINE>" => prompt
            .with_validator(move |s: &str| {
                Ok(match s.trim().parse::<u64>() {
                    Ok(n) if n >= 2 => Validation::Valid,
                    _ => msg(
                        "请填写行号（2 或更大的整数，见 list --events）",
                        "a line number, 2 or more (see list --events)",
                    ),
                })
            })
            .prompt(),
        "<CASE>" | "--case" => {
            let prefix = match sub.first().map(String::as_str) {
                Some("letter") => crate::ledger::LedgerKind::Letters,
                Some("dispute") => crate::ledger::LedgerKind::Disputes,
                _ => crate::ledger::LedgerKind::Visits,
            };
            prompt
                .with_validator(move |s: &str| {
                    Ok(match crate::ledger::model::CaseId::parse(s) {
                        Some(c) if c.kind == prefix => Validation::Valid,
                        _ => msg("请填写案号，例如 V2022-0001", "a case number like V2022-0001"),
                    })
                })
                .prompt()
        }
        "--date" | "--deadline" => {
            let today = chrono::Local::now().date_naive();
            let covers = ws.map(|w| w.settings.years.clone()).unwrap_or_default();
            let dated = flag == "--date";
            let mut p = prompt.with_validator(move |s: &str| {
                use chrono::Datelike;
                Ok(match crate::period::parse_date(s) {
                    Some(d) if dated && d > today => msg("不能晚于今天", "not after today"),
                    Some(d)
                        if dated
                            && !covers.is_empty()
                            && !covers.contains(&d.year())
                            && !covers.contains(&(d.year() - 1)) =>
                    {
                        msg(
                            "不在本工作区覆盖的年份内（qunli year add）",
                            "not in a year this workspace covers (qunli year add)",
                        )
                    }
                    Some(_) => Validation::Valid,
                    None => msg("请写成 YYYY-MM-DD", "write YYYY-MM-DD"),
                })
            });
            let default = today.to_string();
            if dated {
                p = p.with_default(&default);
            }
            p.prompt()
        }
        _ => prompt
            .with_validator(move |s: &str| {
                Ok(if s.trim().is_empty() { msg("不能为空", "must not be empty") } else { Validation::Valid })
            })
            .prompt(),
    }
}
