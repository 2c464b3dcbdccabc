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
                "{}",
                crate::lang::messages().pick(
                    format!(
                        "找不到工作区：{} 及其上级文件夹中都没有 qunli.toml（用 --dir 指定文件夹，设置 QUNLI_DIR，或用 `qunli init` 新建）",
                        from.display()
                    ),
                    format!(
                        "no workspace: no qunli.toml in {} or any folder above it (use --dir DIR, set QUNLI_DIR, or \
                         create one with `qunli init`)",
                        from.display()
                    ),
                )
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
            Error::Refused(m) if crate::lang::messages() == crate::lang::Lang::Zh => write!(f, "已拒绝，未写入任何内容：{m}"),
            Error::Refused(m) => write!(f, "refused, nothing written: {m}"),
            Error::Io { path, source } => {
                let zh = match source.kind() {
                    std::io::ErrorKind::NotFound => Some("文件不存在"),
                    std::io::ErrorKind::PermissionDenied => Some("没有权限"),
                    std::io::ErrorKind::StorageFull => Some("磁盘已满"),
                    std::io::ErrorKind::ReadOnlyFilesystem => Some("文件系统只读"),
                    _ => None,
                };
                match (crate::lang::messages(), zh) {
                    (crate::lang::Lang::Zh, Some(z)) => write!(f, "{}: {z}（{source}）", path.display()),
                    _ => write!(f, "{}: {source}", path.display()),
                }
            }
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

/// `unknown X "input"`, with `; did you mean "…"?` when one is near, in the language of messages.
pub fn unknown<'a>(what: &str, input: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    let lang = crate::lang::messages();
    let what_zh = what_zh(what);
    match nearest(input, known) {
        Some(k) => lang.pick(
            format!("不认识的{what_zh}“{input}”；你是不是要写“{k}”？"),
            format!("unknown {what} \"{input}\"; did you mean \"{k}\"?"),
        ),
        None => lang.pick(format!("不认识的{what_zh}“{input}”"), format!("unknown {what} \"{input}\"")),
    }
}

/// What a message names, in Chinese.
pub fn what_zh(what: &str) -> &'static str {
    match what {
        "leader" => "领导",
        "village" => "村社区",
        "category" => "类别",
        "event" => "事件",
        "mode" => "方式",
        "tone" => "语气",
        "level" => "层级",
        "destination" => "上交去向",
        "column" => "列",
        "sheet" => "工作表",
        "rule code" => "规则代码",
        "role" => "角色",
        _ => "值",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_names_in_chinese_by_default() {
        // (Unit tests share the process's message language: none of them changes it.)
        assert_eq!(unknown("leader", "管晓波", ["管小波"]), "不认识的领导“管晓波”；你是不是要写“管小波”？");
    }

    #[test]
    fn suggests_near_names() {
        assert_eq!(nearest("管晓波", ["管小波", "张豪", "奚航"]), Some("管小波"));
        assert_eq!(nearest("publc", ["public", "appointment"]), Some("public"));
        assert_eq!(nearest("zzzzzz", ["public", "appointment"]), None);
    }
}
