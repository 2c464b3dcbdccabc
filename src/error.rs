//! Errors: what made a command impossible. All exit with status 2.
//! Rule findings are not errors; they are data (see [`crate::rules`]).

use std::fmt;
use std::path::PathBuf;

/// One problem in a file, reported as `FILE:LINE: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: u64,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// Why a command could not be done.
#[derive(Debug)]
pub enum Error {
    /// The command line asks for something that cannot be done.
    Usage(String),
    /// No `qunli.toml` was found.
    NoWorkspace { from: PathBuf },
    /// `qunli.toml` is not valid.
    Config { file: String, line: Option<usize>, message: String },
    /// A ledger (or an imported file) is not valid: every problem.
    Invalid(Vec<Problem>),
    /// An append was refused; nothing was written.
    Refused(String),
    /// Reading or writing a file failed.
    Io { path: PathBuf, source: std::io::Error },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(m) => write!(f, "{m}"),
            Error::NoWorkspace { from } => write!(
                f,
                "no workspace: no qunli.toml in {} or any folder above it \
                 (use --dir DIR, set QUNLI_DIR, or create one with `qunli init`)",
                from.display()
            ),
            Error::Config { file, line: Some(l), message } => write!(f, "{file}:{l}: {message}"),
            Error::Config { file, line: None, message } => write!(f, "{file}: {message}"),
            Error::Invalid(problems) => {
                for (i, p) in problems.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{p}")?;
                }
                Ok(())
            }
            Error::Refused(m) if crate::lang::has_chinese(m) => write!(f, "已拒绝，未写入任何内容：{m}"),
            Error::Refused(m) => write!(f, "refused, nothing written: {m}"),
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
        }
    }
}

impl std::error::Error for Error {}

/// The known name nearest to `input`, if it is near enough to suggest.
pub fn nearest<'a>(input: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input_lower = input.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for k in known {
        let score = strsim::normalized_levenshtein(&input_lower, &k.to_lowercase());
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, k));
        }
    }
    // CJK names are short: one differing character of three is still a near miss.
    best.filter(|(s, _)| *s >= 0.34).map(|(_, k)| k)
}

/// `unknown X "input"`, with `; did you mean "…"?` when one is near.
pub fn unknown<'a>(what: &str, input: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    match nearest(input, known) {
        Some(k) => format!("unknown {what} \"{input}\"; did you mean \"{k}\"?"),
        None => format!("unknown {what} \"{input}\""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_names() {
        assert_eq!(nearest("管晓波", ["管小波", "张豪", "奚航"]), Some("管小波"));
        assert_eq!(nearest("publc", ["public", "appointment"]), Some("public"));
        assert_eq!(nearest("zzzzzz", ["public", "appointment"]), None);
    }
}
