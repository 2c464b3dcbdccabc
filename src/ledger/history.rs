//! History that cannot be silently rewritten (SPEC §8.3): for each ledger,
//! `.qunli/<file>.digests` holds one fixed-width entry per line as the tool
//! saw it appended — the line's end offset and a link of a SHA-256 hash
//! chain (each link the first 8 bytes of SHA-256(previous link ‖ line)). An append adds entries for the new
//! bytes only, so it costs the same whatever the ledger's size. `check`
//! recomputes the chain and names the first line that differs; lines added
//! at the end by other means are not a change of history.

use crate::error::{Error, Result};
use sha2::{Digest, Sha256};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// `12 hex digits of end offset, space, 16 hex digits of the chain, newline`:
/// 30 bytes a line. The chain keeps all of SHA-256 from line to line; the
/// file keeps its first 64 bits, ample to notice a change.
const ENTRY: u64 = 12 + 1 + 16 + 1;
const KEPT: usize = 8;

pub fn digests_path(dir: &Path, ledger_file: &str) -> PathBuf {
    dir.join(".qunli").join(format!("{ledger_file}.digests"))
}

/// The kept part of a link of the chain.
type Link = [u8; KEPT];

/// The next link: the first bytes of SHA-256(previous link ‖ line).
fn chain(prev: &Link, line: &[u8]) -> Link {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(line);
    let full: [u8; 32] = h.finalize().into();
    full[..KEPT].try_into().expect("KEPT <= 32")
}

fn entry(end: u64, h: &Link) -> String {
    let kept: String = h.iter().map(|b| format!("{b:02x}")).collect();
    format!("{end:012x} {kept}\n")
}

/// An entry's end offset and kept bytes of the chain.
fn parse_entry(b: &[u8]) -> Option<(u64, Link)> {
    let s = std::str::from_utf8(b).ok()?;
    let (off, hash) = s.trim_end().split_once(' ')?;
    let end = u64::from_str_radix(off, 16).ok()?;
    if hash.len() != 2 * KEPT {
        return None;
    }
    let mut h = [0u8; KEPT];
    for (i, byte) in h.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hash[2 * i..2 * i + 2], 16).ok()?;
    }
    Some((end, h))
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |e| Error::io(path, e)
}

/// Brings the digests of `ledger` (open, locked by the caller) up to its
/// current end. Called after every append; reads only the new bytes.
pub fn record(dir: &Path, ledger_file: &str, ledger: &mut File) -> Result<()> {
    let qdir = dir.join(".qunli");
    std::fs::create_dir_all(&qdir).map_err(io(&qdir))?;
    let path = digests_path(dir, ledger_file);
    let mut d =
        OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path).map_err(io(&path))?;
    let len = d.metadata().map_err(io(&path))?.len();
    // A torn entry (a crash while recording) is dropped; the next lines are recomputed.
    let whole = len - len % ENTRY;
    if whole != len {
        d.set_len(whole).map_err(io(&path))?;
    }
    let (mut end, mut prev) = if whole >= ENTRY {
        let mut buf = vec![0u8; ENTRY as usize];
        d.seek(SeekFrom::Start(whole - ENTRY)).map_err(io(&path))?;
        d.read_exact(&mut buf).map_err(io(&path))?;
        parse_entry(&buf).unwrap_or((0, [0; KEPT]))
    } else {
        (0, [0; KEPT])
    };
    let ledger_len = ledger.metadata().map_err(io(&path))?.len();
    if end >= ledger_len {
        return Ok(());
    }
    ledger.seek(SeekFrom::Start(end)).map_err(io(&path))?;
    let mut reader = BufReader::new(&*ledger);
    let mut out = String::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line).map_err(io(&path))?;
        if n == 0 || line.last() != Some(&b'\n') {
            break; // an incomplete line is never recorded
        }
        end += n as u64;
        prev = chain(&prev, &line);
        out.push_str(&entry(end, &prev));
    }
    d.seek(SeekFrom::End(0)).map_err(io(&path))?;
    d.write_all(out.as_bytes()).map_err(io(&path))?;
    d.sync_data().map_err(io(&path))?;
    Ok(())
}

/// Where a ledger's history differs from what was recorded.
#[derive(Debug, PartialEq, Eq)]
pub enum Change {
    /// Line `line` is not what was appended.
    Edited { line: u64 },
    /// The file is shorter than what was appended: from line `line` on, rows are missing.
    Removed { line: u64 },
}

/// Compares a ledger with its recorded digests.
pub fn verify(dir: &Path, ledger_file: &str) -> Result<Option<Change>> {
    let path = digests_path(dir, ledger_file);
    let digests = match std::fs::read(&path) {
        Ok(d) => d,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(&path, e)),
    };
    let lpath = dir.join(ledger_file);
    let file = match File::open(&lpath) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok((digests.len() as u64 >= ENTRY).then_some(Change::Removed { line: 1 }))
        }
        Err(e) => return Err(Error::io(&lpath, e)),
    };
    file.lock_shared().map_err(io(&lpath))?;
    let mut reader = BufReader::new(&file);
    let mut prev = [0u8; KEPT];
    let mut line = Vec::new();
    for (i, e) in digests.chunks_exact(ENTRY as usize).enumerate() {
        let Some((_, want)) = parse_entry(e) else { break };
        line.clear();
        let n = reader.read_until(b'\n', &mut line).map_err(io(&lpath))?;
        let number = i as u64 + 1;
        if n == 0 {
            return Ok(Some(Change::Removed { line: number }));
        }
        prev = chain(&prev, &line);
        if prev != want {
            return Ok(Some(Change::Edited { line: number }));
        }
    }
    Ok(None)
}

/// Records the ledger's present content as its history (`check --accept-history`).
pub fn accept(dir: &Path, ledger_file: &str) -> Result<()> {
    let path = digests_path(dir, ledger_file);
    let lpath = dir.join(ledger_file);
    let mut file = match OpenOptions::new().read(true).append(true).open(&lpath) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let _ = std::fs::remove_file(&path);
            return Ok(());
        }
        Err(e) => return Err(Error::io(&lpath, e)),
    };
    file.lock().map_err(io(&lpath))?;
    // The highest case numbers are counted afresh from the accepted content.
    let _ = std::fs::remove_file(super::focus::state_path(dir, ledger_file));
    match std::fs::remove_file(&path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io(&path, e)),
    }
    record(dir, ledger_file, &mut file)
}
