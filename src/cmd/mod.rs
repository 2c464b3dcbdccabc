//! One module per subcommand; [`dispatch`] is the one `match`.

pub mod check;
pub mod completions;
pub mod dispute;
pub mod district;
pub mod explain;
pub mod import;
pub mod init;
pub mod letter;
pub mod listing;
pub mod register;
pub mod repair;
pub mod report;
pub mod schedule;
pub mod upgrade;
pub mod verify;
pub mod visit;
pub mod year;

use crate::cli::{ColorChoice, Command, GlobalArgs};
use crate::error::Result;
use crate::lang::Lang;
use crate::render::{text::Style, Format};
use crate::rules::Severity;
use crate::workspace::Workspace;
use chrono::NaiveDate;
use std::io::IsTerminal;
use std::path::PathBuf;

/// What every command is given: the global options and the environment.
pub struct Context {
    pub global: GlobalArgs,
    pub cwd: PathBuf,
    pub env_dir: Option<PathBuf>,
    pub today: NaiveDate,
    pub no_color_env: bool,
    pub stdout_is_terminal: bool,
    pub stdin_is_terminal: bool,
    /// `QUNLI_LANG`.
    pub env_lang: Option<Lang>,
    /// The language of the environment's `LANG` (`zh…` or `en…`), for when there is no workspace.
    pub locale_lang: Option<Lang>,
}

impl Context {
    /// The context of this process.
    pub fn from_env(global: GlobalArgs) -> Self {
        Context {
            global,
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
            env_dir: std::env::var_os("QUNLI_DIR").filter(|v| !v.is_empty()).map(PathBuf::from),
            today: chrono::Local::now().date_naive(),
            no_color_env: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
            stdout_is_terminal: std::io::stdout().is_terminal(),
            stdin_is_terminal: std::io::stdin().is_terminal(),
            env_lang: std::env::var("QUNLI_LANG").ok().and_then(|v| Lang::from_code(&v)),
            locale_lang: std::env::var("LANG").ok().and_then(|v| Lang::from_code(&v)),
        }
    }

    /// Finds and loads the workspace.
    pub fn workspace(&self) -> Result<Workspace> {
        let dir = Workspace::locate(self.global.dir.as_deref(), self.env_dir.clone(), &self.cwd)?;
        let ws = Workspace::load(dir)?;
        crate::lang::set_messages(self.lang(Some(&ws)));
        Ok(ws)
    }

    /// `--lang`, else `QUNLI_LANG`, else the workspace's, else (with no
    /// workspace) the environment's `LANG`, else Chinese (SPEC §7.7).
    pub fn lang(&self, ws: Option<&Workspace>) -> Lang {
        self.global
            .lang
            .or(self.env_lang)
            .or(ws.map(|w| w.settings.lang))
            .or(if ws.is_none() { self.locale_lang } else { None })
            .unwrap_or_default()
    }

    /// `--as-of`, else today.
    pub fn as_of(&self) -> NaiveDate {
        self.global.as_of.unwrap_or(self.today)
    }

    pub fn format(&self) -> Format {
        self.global.format.unwrap_or(Format::Table)
    }

    /// How to render output in `lang`, with the workspace's e-mail defaults.
    pub fn render_options(&self, lang: Lang, ws: Option<&Workspace>) -> crate::render::Options {
        let email = ws.map(|w| w.settings.email.clone()).unwrap_or_default();
        let to = if self.global.mail_to.is_empty() { email.to } else { self.global.mail_to.clone() };
        crate::render::Options {
            format: self.format(),
            style: self.style(),
            lang,
            envelope: crate::render::email::Envelope { from: self.global.mail_from.clone().or(email.from), to },
            to_terminal: self.stdout_is_terminal && self.global.output.is_none(),
        }
    }

    /// Colour only on a terminal, never with `NO_COLOR` or into a file.
    pub fn style(&self) -> Style {
        let color = match self.global.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => self.stdout_is_terminal && !self.no_color_env && self.global.output.is_none(),
        };
        // Tables fit the terminal; into a file or a pipe, `COLUMNS` when set, else no limit.
        let columns = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<u16>().ok()).filter(|w| *w >= 40);
        let width = match (self.global.output.is_some(), self.stdout_is_terminal) {
            (false, true) => crate::render::text::terminal_width().or(columns),
            _ => columns,
        };
        Style { color, width }
    }
}

/// What a command produced.
#[derive(Default)]
pub struct Outcome {
    /// For standard output or `--output`.
    pub output: Vec<u8>,
    /// For a check or report: the most severe finding; decides the exit status.
    pub worst: Option<Severity>,
    /// Warnings for standard error.
    pub notes: Vec<String>,
    /// Problems in files: listed on standard error, exit status 2.
    pub problems: Vec<crate::error::Problem>,
    /// The output holds case details or names: an `--output` file is made owner-only (0600).
    pub private: bool,
    /// Output written as it is made, after `output` (a long listing, whose
    /// memory must not grow with the rows it prints, SPEC §9).
    pub stream: Option<Stream>,
}

/// Writes a command's output to where it goes.
pub type Stream = Box<dyn FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>>;

impl Outcome {
    pub fn output(output: Vec<u8>) -> Self {
        Outcome { output, ..Default::default() }
    }
}

/// Runs one command.
pub fn dispatch(command: Command, ctx: &Context) -> Result<Outcome> {
    match command {
        Command::Check(args) => check::run(args, ctx),
        Command::Explain(args) => explain::run(args, ctx),
        Command::Schedule(sub) => schedule::run(sub, ctx),
        Command::Init(args) => init::run(args, ctx),
        Command::Visit(sub) => visit::run(sub, ctx),
        Command::Letter(sub) => letter::run(sub, ctx),
        Command::Dispute(sub) => dispute::run(sub, ctx),
        Command::Import(args) => import::run(args, ctx),
        Command::Repair(args) => repair::run(args, ctx),
        Command::Verify(args) => verify::run(args, ctx),
        Command::Year(sub) => year::run(sub, ctx),
        Command::Upgrade(args) => upgrade::run(args, ctx),
        Command::Report(sub) => report::run(sub, ctx),
        Command::District(sub) => district::run(sub, ctx),
        Command::Completions(args) => completions::run(args, ctx),
        Command::Man(args) => completions::man(args, ctx),
    }
}
