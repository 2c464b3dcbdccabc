//! How qunli opens files it writes (SPEC §8.4, §8.7): never through a
//! symbolic link, readable by the owner alone where they hold names or
//! history, replaced whole (written aside, synced, renamed) where they are
//! rewritten, and compared by device and inode, not by name.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::Path;

/// Files the tool creates that hold personal data or history: readable by their owner only.
pub fn owner_only(opts: &mut OpenOptions) -> &mut OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts
}

/// Opens `path` with `opts`, refusing a symbolic link in its last part.
pub fn open_no_follow(opts: &mut OpenOptions, path: &Path) -> std::io::Result<File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NOFOLLOW);
    }
    match opts.open(path) {
        Err(e) if is_link_refusal(&e) || is_link(path) => Err(link_error(path)),
        other => other,
    }
}

/// Whether `path` is itself a symbolic link.
pub fn is_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

fn is_link_refusal(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        e.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// The error for a file that is a symbolic link where a real file must be.
pub fn link_error(path: &Path) -> std::io::Error {
    std::io::Error::other(format!(
        "{} is a symbolic link; qunli writes only the real file (replace the link by the file) \
         / 是符号链接，qunli 只写真实文件",
        path.display()
    ))
}

/// Makes the folder `.qunli` (or any private folder) if missing, owner-only; refuses a link.
pub fn private_dir(path: &Path) -> std::io::Result<()> {
    if is_link(path) {
        return Err(link_error(path));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        match std::fs::DirBuilder::new().mode(0o700).create(path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && path.is_dir() => Ok(()),
            Err(e) => Err(e),
        }
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(path)
    }
}

/// Replaces `path` by `bytes` whole: written to a temporary file beside it,
/// synced, then renamed over it — so a reader sees the old file or the new
/// one, a link at `path` is replaced rather than followed, and a failure
/// leaves the old file and no temporary one.
pub fn replace_whole(path: &Path, bytes: &[u8], private: bool) -> std::io::Result<()> {
    replace_whole_with(path, private, |f| f.write_all(bytes))
}

/// Like [`replace_whole`], with the content written by `write` as it is
/// made (a long listing), never held whole.
pub fn replace_whole_with(
    path: &Path,
    private: bool,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = dir_of(path);
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut opts = OpenOptions::new();
        opts.write(true).create_new(true);
        if private {
            owner_only(&mut opts);
        }
        let mut f = open_no_follow(&mut opts, &tmp)?;
        let mut out = std::io::BufWriter::new(&mut f);
        write(&mut out)?;
        out.flush()?;
        drop(out);
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The folder `path` is in (`.` for a bare file name).
pub fn dir_of(path: &Path) -> &Path {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// The identity of a file: its device and inode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileId {
    pub dev: u64,
    pub ino: u64,
}

impl FileId {
    /// The identity of what `path` names, following links; `None` when it does not exist.
    pub fn of(path: &Path) -> Option<FileId> {
        std::fs::metadata(path).ok().map(|m| FileId::from_metadata(&m))
    }

    #[cfg(unix)]
    pub fn from_metadata(m: &std::fs::Metadata) -> FileId {
        use std::os::unix::fs::MetadataExt;
        FileId { dev: m.dev(), ino: m.ino() }
    }

    #[cfg(not(unix))]
    pub fn from_metadata(_m: &std::fs::Metadata) -> FileId {
        FileId { dev: 0, ino: 0 }
    }
}

/// When a file last changed by any means (its inode change time), with its
/// identity and length: what an append compares to know no one else wrote
/// the ledger since the last append recorded it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub id: FileId,
    pub len: u64,
    pub ctime: i64,
    pub ctime_nsec: i64,
}

impl Stamp {
    #[cfg(unix)]
    pub fn of(file: &File) -> std::io::Result<Stamp> {
        use std::os::unix::fs::MetadataExt;
        let m = file.metadata()?;
        Ok(Stamp { id: FileId::from_metadata(&m), len: m.len(), ctime: m.ctime(), ctime_nsec: m.ctime_nsec() })
    }

    #[cfg(not(unix))]
    pub fn of(file: &File) -> std::io::Result<Stamp> {
        let m = file.metadata()?;
        Ok(Stamp { id: FileId { dev: 0, ino: 0 }, len: m.len(), ctime: -1, ctime_nsec: -1 })
    }

    pub fn to_text(self) -> String {
        format!("{}:{}:{}:{}.{}", self.id.dev, self.id.ino, self.len, self.ctime, self.ctime_nsec)
    }

    pub fn parse(s: &str) -> Option<Stamp> {
        let mut it = s.split(':');
        let dev = it.next()?.parse().ok()?;
        let ino = it.next()?.parse().ok()?;
        let len = it.next()?.parse().ok()?;
        let (c, n) = it.next()?.split_once('.')?;
        Some(Stamp { id: FileId { dev, ino }, len, ctime: c.parse().ok()?, ctime_nsec: n.parse().ok()? })
    }
}

/// Cuts `file` to its first `keep` bytes, then appends `bytes` and syncs:
/// a record brought to what it holds and then more, in one write.
pub fn cut_and_append(file: &mut File, keep: u64, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::{Seek, SeekFrom};
    file.set_len(keep)?;
    file.seek(SeekFrom::End(0))?;
    file.write_all(bytes)?;
    file.sync_data()
}

/// Reads a file from its start by position, leaving its offset (which
/// another reader of the same file is using) alone.
pub struct FromStart<'f> {
    file: &'f File,
    at: u64,
}

impl<'f> FromStart<'f> {
    pub fn new(file: &'f File) -> Self {
        FromStart { file, at: 0 }
    }

    /// Reading from byte `at` on.
    pub fn at(file: &'f File, at: u64) -> Self {
        FromStart { file, at }
    }
}

impl Read for FromStart<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = read_at(self.file, buf, self.at)?;
        self.at += n as u64;
        Ok(n)
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> std::io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, at)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> std::io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_links_and_replaces_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().join("real");
        std::fs::write(&real, "keep").unwrap();
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let e = open_no_follow(OpenOptions::new().append(true), &link).unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        // Replacing the link's path replaces the link, never the file it names.
        replace_whole(&link, b"new", true).unwrap();
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "keep");
        assert_eq!(std::fs::read_to_string(&link).unwrap(), "new");
        assert!(!is_link(&link));
        let names: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 2, "no temporary file is left: {names:?}");
    }

    #[test]
    fn stamps_round_trip() {
        let s = Stamp { id: FileId { dev: 2049, ino: 77 }, len: 10, ctime: 1_700_000_000, ctime_nsec: 5 };
        assert_eq!(Stamp::parse(&s.to_text()), Some(s));
    }
}
