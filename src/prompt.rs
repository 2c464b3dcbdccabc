//! Asking for missing options when a person is at the terminal (SPEC §7.3):
//! `qunli visit add` typed bare asks for each required option in turn,
//! offering the known values. Without a terminal the usage error stands.

use crate::ledger::model::{DisputeLevel, EscalateTo, Mode, Tone};
use crate::workspace::Workspace;
use std::ffi::OsString;
use std::io::{BufRead, Write};
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

/// The values worth offering for an option.
fn choices(flag: &str, ws: Option<&Workspace>) -> Vec<String> {
    let names = |v: Vec<&str>| v.into_iter().map(str::to_string).collect();
    match (flag, ws) {
        ("--mode", _) => names(Mode::ALL.iter().map(|m| m.en()).collect()),
        ("--tone", _) => names(Tone::ALL.iter().map(|m| m.en()).collect()),
        ("--level", _) => names(DisputeLevel::ALL.iter().map(|m| m.en()).collect()),
        ("--to", _) => names(EscalateTo::ALL.iter().map(|m| m.en()).collect()),
        ("--leader", Some(w)) => names(w.settings.leaders.iter().map(|l| l.name.as_str()).collect()),
        ("--village", Some(w)) => names(w.settings.villages.iter().map(String::as_str).collect()),
        ("--category", Some(w)) => names(w.settings.categories().collect()),
        _ => Vec::new(),
    }
}

/// Asks for each missing argument on standard error and reads the answers
/// from `input`; returns the arguments to add, or `None` when the person
/// gives an empty answer (the usage error is then shown as it is).
pub fn ask(args: &[OsString], missing: &[String], input: &mut impl BufRead) -> Option<Vec<OsString>> {
    let ws = workspace(args);
    let mut more = Vec::new();
    for m in missing {
        let flag = m.split_whitespace().next()?.to_string();
        let offered = choices(&flag, ws.as_ref());
        let mut err = std::io::stderr().lock();
        if offered.is_empty() {
            let _ = write!(err, "{m}: ");
        } else {
            let _ = write!(err, "{m} [{}]: ", offered.join(" / "));
        }
        let _ = err.flush();
        let mut line = String::new();
        input.read_line(&mut line).ok()?;
        let answer = line.trim();
        if answer.is_empty() {
            return None;
        }
        if flag.starts_with("--") {
            more.push(OsString::from(flag));
        }
        more.push(OsString::from(answer));
    }
    Some(more)
}
