//! A temporary workspace and a way to run the real binary in it.
#![allow(dead_code)] // helpers used by some test modules only

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const MINIMAL_TOML: &str = r#"township = "测试镇"
year = 2022
villages = ["天灵村", "牵牛村"]

[[leaders]]
name = "管小波"
role = "principal"
days = [2022-03-09, 2022-03-22]

[[leaders]]
name = "奚航"
role = "member"
days = [2022-03-11]
"#;

/// The result of one run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Asserts no panic or backtrace leaked to the user.
    pub fn no_panic(&self) -> &Self {
        assert!(!self.stderr.contains("panicked") && !self.stderr.contains("RUST_BACKTRACE"), "{}", self.stderr);
        self
    }
}

/// A workspace in a temporary folder.
pub struct Ws {
    pub tmp: tempfile::TempDir,
}

impl Ws {
    /// A workspace with `toml` as its qunli.toml.
    pub fn new(toml: &str) -> Self {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("qunli.toml"), toml).unwrap();
        Ws { tmp }
    }

    /// An empty folder, without qunli.toml.
    pub fn empty() -> Self {
        Ws { tmp: tempfile::tempdir().unwrap() }
    }

    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    /// Writes a file; a ledger's content is then recorded as its history,
    /// as if it had been appended and checked (`check --accept-history`).
    pub fn write(&self, name: &str, content: &str) -> &Self {
        self.write_raw(name, content);
        if name.ends_with(".csv") {
            qunli::ledger::history::accept(self.path(), name, "test").unwrap();
        }
        self
    }

    /// Writes a file and nothing else: a ledger typed in by hand, with no history.
    pub fn write_raw(&self, name: &str, content: &str) -> &Self {
        std::fs::write(self.file(name), content).unwrap();
        self
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.file(name)).unwrap()
    }

    /// Runs qunli with `--dir` set to this workspace.
    pub fn run(&self, args: &[&str]) -> Run {
        let mut all = vec!["--dir", self.path().to_str().unwrap()];
        all.extend_from_slice(args);
        qunli_in(self.path(), &all)
    }
}

/// Runs qunli in `cwd` with exactly `args`.
pub fn qunli_in(cwd: &Path, args: &[&str]) -> Run {
    let run: Run = Command::new(env!("CARGO_BIN_EXE_qunli"))
        .args(args)
        .current_dir(cwd)
        .env_remove("QUNLI_DIR")
        .env_remove("QUNLI_LANG")
        .env_remove("LANG")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
        .into();
    run.no_panic();
    run
}

/// The repository's sample workspace.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// Runs qunli on the sample workspace.
pub fn on_data(args: &[&str]) -> Run {
    let dir = data_dir();
    let mut all = vec!["--dir", dir.to_str().unwrap()];
    all.extend_from_slice(args);
    qunli_in(Path::new(env!("CARGO_MANIFEST_DIR")), &all)
}

/// The arguments of a `visit add` of a new case in the test workspaces.
pub fn visit_add(date: &str, category: &str, summary: &str) -> Vec<String> {
    [
        "visit",
        "add",
        "--leader",
        "管小波",
        "--mode",
        "public",
        "--village",
        "天灵村",
        "--visitors",
        "张三",
        "--headcount",
        "1",
        "--category",
        category,
        "--summary",
        summary,
        "--date",
        date,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// The arguments of a `letter add` of an ordinary letter (one signer, normal tone) in the test workspaces.
pub fn letter_add(sender: &str, date: &str, summary: &str) -> Vec<String> {
    [
        "letter",
        "add",
        "--sender",
        sender,
        "--signers",
        "1",
        "--tone",
        "normal",
        "--category",
        "其他",
        "--summary",
        summary,
        "--date",
        date,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

impl Ws {
    /// Runs qunli with owned arguments.
    pub fn run_owned(&self, args: &[String]) -> Run {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        self.run(&refs)
    }
}
