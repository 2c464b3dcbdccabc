//! Finding and loading a workspace: the folder with `qunli.toml` and the ledgers.

use crate::config::{self, Settings};
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "qunli.toml";

/// A loaded workspace.
#[derive(Clone, Debug)]
pub struct Workspace {
    pub dir: PathBuf,
    pub settings: Settings,
}

impl Workspace {
    /// Finds the workspace folder: `--dir`, then `QUNLI_DIR`, then the nearest
    /// folder from `cwd` upward that holds `qunli.toml`.
    pub fn locate(dir: Option<&Path>, env_dir: Option<PathBuf>, cwd: &Path) -> Result<PathBuf> {
        if let Some(d) = dir.map(Path::to_path_buf).or(env_dir) {
            if d.join(CONFIG_FILE).is_file() {
                return Ok(d);
            }
            return Err(Error::Usage(crate::lang::messages().pick(
                format!("{} 中没有 {CONFIG_FILE}（可用 `qunli init {}` 在那里新建工作区）", d.display(), d.display()),
                format!(
                    "no {CONFIG_FILE} in {} (create a workspace there with `qunli init {}`)",
                    d.display(),
                    d.display()
                ),
            )));
        }
        let mut here = Some(cwd);
        while let Some(d) = here {
            if d.join(CONFIG_FILE).is_file() {
                return Ok(d.to_path_buf());
            }
            here = d.parent();
        }
        Err(Error::NoWorkspace { from: cwd.to_path_buf() })
    }

    /// Loads `qunli.toml` from `dir`.
    pub fn load(dir: PathBuf) -> Result<Self> {
        let path = dir.join(CONFIG_FILE);
        let settings = config::load(&path).map_err(|e| match e {
            // Name the file as the user would: relative to the workspace when possible.
            Error::Config { line, message, .. } => Error::Config { file: display_path(&path), line, message },
            other => other,
        })?;
        Ok(Workspace { dir, settings })
    }

    /// The path of a file in the workspace.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// `qunli.toml`, as findings and messages name it.
    pub fn config_name(&self) -> String {
        display_path(&self.path(CONFIG_FILE))
    }
}

/// A path as messages show it: relative to the current folder when inside
/// it, without a leading `./`.
pub fn display_path(p: &Path) -> String {
    let rel = std::env::current_dir().ok().and_then(|cwd| p.strip_prefix(cwd).ok().map(Path::to_path_buf));
    let s = rel.as_deref().unwrap_or(p).display().to_string();
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_upward_and_by_flag() {
        let tmp = tempfile::tempdir().unwrap();
        let ws = tmp.path().join("ws");
        std::fs::create_dir_all(ws.join("a/b")).unwrap();
        std::fs::write(ws.join(CONFIG_FILE), "").unwrap();
        assert_eq!(Workspace::locate(None, None, &ws.join("a/b")).unwrap(), ws);
        assert_eq!(Workspace::locate(None, Some(ws.clone()), tmp.path()).unwrap(), ws);
        assert!(matches!(Workspace::locate(None, None, tmp.path()), Err(Error::NoWorkspace { .. })));
        assert!(matches!(Workspace::locate(Some(tmp.path()), None, &ws), Err(Error::Usage(_))));
    }
}
