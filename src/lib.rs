//! qunli: the registers of a township's leaders' reception of the people
//! (干部接访下访群众工作), checked against the year's plan and the statutory
//! time limits, with compliance and resolution-rate reports.
//!
//! The binary is thin: [`run`] parses the command line, dispatches to
//! [`cmd`], and maps the outcome to an exit status (0, 1, 2; SPEC §7.7).

pub mod calendar;
pub mod cli;
pub mod cmd;
pub mod codes;
pub mod config;
pub mod district;
pub mod error;
pub mod help_zh;
pub mod lang;
pub mod ledger;
pub mod period;
pub mod prompt;
pub mod render;
pub mod report;
pub mod rules;
pub mod workspace;

pub use error::{Error, Result};

use clap::FromArgMatches;
use std::ffi::OsString;
use std::io::{IsTerminal, Write};

/// Exit status: done, nothing at or above `--fail-on`.
pub const EXIT_OK: i32 = 0;
/// Exit status: findings at or above `--fail-on`.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit status: the command could not be done.
pub const EXIT_ERROR: i32 = 2;

/// Runs qunli with `args` (the first being the program name) and returns the exit status.
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let mut args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    // Messages of the parse itself (a date's value parser) are in the command line's language too.
    lang::set_messages(early_lang(&args));
    let interactive = std::io::stdin().is_terminal();
    let parser = cli::command(early_lang(&args));
    let cli = loop {
        let parsed = parser.clone().try_get_matches_from(&args).and_then(|m| cli::Cli::from_arg_matches(&m));
        match parsed {
            Ok(cli) => break cli,
            // At a terminal, ask for what is missing instead of failing.
            Err(e) if interactive && e.kind() == clap::error::ErrorKind::MissingRequiredArgument => {
                let missing = prompt::missing(&e);
                match prompt::ask(&args, &missing, early_lang(&args)) {
                    prompt::Asked::More(more) => args.extend(more),
                    prompt::Asked::Cancelled => return EXIT_ERROR,
                    prompt::Asked::Nothing => return clap_error(&e, &args),
                }
            }
            Err(e) => return clap_error(&e, &args),
        }
    };
    let ctx = cmd::Context::from_env(cli.global.clone());
    lang::set_messages(ctx.lang(None));
    match cmd::dispatch(cli.command, &ctx) {
        Ok(outcome) => finish(&ctx, outcome),
        Err(e) => {
            let mut err = std::io::stderr().lock();
            let text = e.to_string();
            if lang::messages() == lang::Lang::Zh {
                let _ = writeln!(err, "qunli：错误：{text}");
            } else {
                let _ = writeln!(err, "qunli: error: {text}");
            }
            if let Error::Invalid(problems) = &e {
                if problems.len() > 1 {
                    let n = problems.len();
                    let _ = writeln!(
                        err,
                        "{}",
                        lang::messages().pick(
                            format!("qunli：共 {n} 处问题；什么都没有写入"),
                            format!("qunli: {n} problems; nothing was written"),
                        )
                    );
                }
            }
            EXIT_ERROR
        }
    }
}

/// Prints clap's error (or help) in the language of the command line, and gives its exit status.
fn clap_error(e: &clap::Error, args: &[OsString]) -> i32 {
    match (early_lang(args), cli::error_in_chinese(e)) {
        (lang::Lang::Zh, Some(text)) => {
            eprintln!("{text}");
        }
        _ => {
            let _ = e.print();
        }
    }
    e.exit_code()
}

/// The language of a command line before it is parsed: `--lang`, else
/// `QUNLI_LANG`, else the workspace's, else the environment's `LANG`, else Chinese.
pub fn early_lang(args: &[OsString]) -> lang::Lang {
    let given = args
        .windows(2)
        .find(|w| w[0] == "--lang")
        .and_then(|w| w[1].to_str().map(str::to_string))
        .or_else(|| args.iter().find_map(|a| a.to_str()?.strip_prefix("--lang=").map(str::to_string)));
    if let Some(l) = given.as_deref().and_then(lang::Lang::from_code) {
        return l;
    }
    if let Some(l) = std::env::var("QUNLI_LANG").ok().as_deref().and_then(lang::Lang::from_code) {
        return l;
    }
    if let Some(ws) = prompt::workspace(args) {
        return ws.settings.lang;
    }
    std::env::var("LANG").ok().as_deref().and_then(lang::Lang::from_code).unwrap_or_default()
}

/// The workspace file that `path` is, links to, or is a hard link of, if
/// any: never a place for output (SPEC §8.7). Compared by device and inode.
fn workspace_file_at(path: &std::path::Path, ctx: &cmd::Context) -> Option<std::path::PathBuf> {
    use ledger::files::FileId;
    let target = FileId::of(path)?;
    let mut dirs = Vec::new();
    if let Ok(dir) = workspace::Workspace::locate(ctx.global.dir.as_deref(), ctx.env_dir.clone(), &ctx.cwd) {
        dirs.push(dir);
    }
    // A workspace beside the output too, whichever the command used.
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    if parent.join(workspace::CONFIG_FILE).exists() {
        dirs.push(parent.to_path_buf());
    }
    for dir in dirs {
        let mut files: Vec<std::path::PathBuf> = vec![dir.join(workspace::CONFIG_FILE)];
        for kind in ledger::LedgerKind::ALL {
            let name = kind.file_name();
            files.push(dir.join(name));
            files.push(dir.join(format!("{name}.rejected")));
            files.push(dir.join(format!("{name}.v1")));
        }
        if let Ok(entries) = std::fs::read_dir(dir.join(".qunli")) {
            files.extend(entries.filter_map(|e| e.ok()).map(|e| e.path()));
        }
        if let Some(f) = files.into_iter().find(|f| FileId::of(f) == Some(target)) {
            return Some(f);
        }
    }
    None
}

/// Writes what a command made to `w`: its output, then what it writes as it goes.
fn write_output(outcome: cmd::Outcome, w: &mut dyn Write) -> std::io::Result<()> {
    w.write_all(&outcome.output)?;
    outcome.stream.map_or(Ok(()), |s| s(w))
}

fn finish(ctx: &cmd::Context, outcome: cmd::Outcome) -> i32 {
    use cli::FailOn;
    use rules::Severity;
    let code = match (ctx.global.fail_on, outcome.worst) {
        (FailOn::Never, _) | (_, None) => EXIT_OK,
        (FailOn::Error, Some(Severity::Warning)) => EXIT_OK,
        _ => EXIT_FINDINGS,
    };
    let code = if outcome.problems.is_empty() { code } else { EXIT_ERROR };
    if ctx.global.quiet && code == EXIT_OK {
        return code;
    }
    for note in &outcome.notes {
        if lang::messages() == lang::Lang::Zh {
            eprintln!("qunli：警告：{note}");
        } else {
            eprintln!("qunli: warning: {note}");
        }
    }
    for p in &outcome.problems {
        eprintln!("{p}");
    }
    if let Some(path) = &ctx.global.output {
        let lang = ctx.global.lang.unwrap_or_default();
        if let Some(file) = workspace_file_at(path, ctx) {
            eprintln!(
                "{}",
                lang.pick(
                    format!(
                        "qunli：错误：--output {} 就是工作区文件 {}（或指向它的链接），写入会毁掉它；请换一个文件名",
                        path.display(),
                        file.display()
                    ),
                    format!(
                        "qunli: error: --output {} is the workspace file {} (or a link to it) and would destroy it; \
                         choose another name",
                        path.display(),
                        file.display()
                    ),
                )
            );
            return EXIT_ERROR;
        }
        // Written aside and renamed into place: a link at the path is replaced, never followed.
        let private = outcome.private;
        let written = ledger::files::replace_whole_with(path, private, |w| write_output(outcome, w));
        if let Err(e) = written {
            let lang = lang::messages();
            eprintln!(
                "{}",
                lang.pick(
                    format!("qunli：错误：{}：没有写成（{e}），文件保持原样", path.display()),
                    format!("qunli: error: {}: not written ({e}); the file is as it was", path.display()),
                )
            );
            return EXIT_ERROR;
        }
        return code;
    }
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    match write_output(outcome, &mut out).and_then(|_| out.flush()) {
        Ok(()) => code,
        // A closed pipe (`qunli … | head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => code,
        Err(e) => {
            let lang = lang::messages();
            eprintln!(
                "{}",
                lang.pick(
                    format!("qunli：错误：输出没有写完：{e}"),
                    format!("qunli: error: the output was not written whole: {e}"),
                )
            );
            EXIT_ERROR
        }
    }
}
