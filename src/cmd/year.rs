//! `qunli year add YEAR`: the workspace covers one more year (SPEC §3, §4).
//! The leaders, villages, categories, rules and e-mail settings stay; the
//! clerk then types in the new year's reception days.

use super::{Context, Outcome};
use crate::error::{Error, Result};
use crate::ledger::files;
use crate::workspace::CONFIG_FILE;

#[derive(clap::Subcommand, Debug)]
pub enum YearCommand {
    /// Cover one more year: add it to `years` in qunli.toml, keeping everything else.
    #[command(after_help = "Example:\n  qunli year add 2023        # then enter 2023's reception days in qunli.toml")]
    Add {
        /// The year to cover, e.g. 2023.
        #[arg(value_parser = clap::value_parser!(i32).range(2000..=2100))]
        year: i32,
    },
}

pub fn run(command: YearCommand, ctx: &Context) -> Result<Outcome> {
    let YearCommand::Add { year } = command;
    let ws = ctx.workspace()?;
    let lang = ctx.lang(Some(&ws));
    let path = ws.path(CONFIG_FILE);
    let shown = ws.config_name();
    if ws.settings.covers(year) {
        return Err(Error::Usage(lang.pick(
            format!("{year} 年已在本工作区覆盖的年份（{}）内", ws.settings.covered_years()),
            format!("{year} is covered already ({})", ws.settings.covered_years()),
        )));
    }
    if files::is_link(&path) {
        return Err(Error::Refused(lang.pick(
            format!("{shown} 是符号链接；qunli 只改写真实文件"),
            format!("{shown} is a symbolic link; qunli rewrites only the real file"),
        )));
    }
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut doc: toml_edit::DocumentMut =
        body.parse().map_err(|e| Error::Config { file: shown.clone(), line: None, message: format!("{e}") })?;
    let mut years = ws.settings.years.clone();
    years.push(year);
    years.sort_unstable();
    let mut array = toml_edit::Array::new();
    for y in &years {
        array.push(*y as i64);
    }
    let root = doc.as_table_mut();
    // `years` keeps its place; it replaces an older single `year`.
    match root.get_mut("years") {
        Some(item) => *item = toml_edit::value(array),
        None => {
            root.remove("year");
            root.insert("years", toml_edit::value(array));
        }
    }
    let new = doc.to_string();
    // What is written must load as before, with the year added.
    let settings = crate::config::parse(&new, &shown)?;
    debug_assert!(settings.covers(year));
    let mode = std::fs::metadata(&path).map_err(|e| Error::io(&path, e))?.permissions();
    files::replace_whole(&path, new.as_bytes(), false).map_err(|e| Error::io(&path, e))?;
    let _ = std::fs::set_permissions(&path, mode);
    Ok(Outcome::output(
        lang.pick(
            format!(
                "已把 {year} 年加入本工作区，现覆盖 {}。\n下一步：在 {shown} 各位领导的 days 中填入 {year} 年的接待日，\
                 然后运行 qunli schedule check（在此之前它会提示 S000：这一年的接待日还没有录入）。\n",
                settings.covered_years()
            ),
            format!(
                "{year} added: the workspace now covers {}.\nNext: enter {year}'s reception days in each leader's \
                 `days` in {shown}, then run qunli schedule check (until then it says S000: the year's days are not \
                 entered yet).\n",
                settings.covered_years()
            ),
        )
        .into_bytes(),
    ))
}
