//! History that cannot be silently rewritten (SPEC §6.6, §8.3).
//!
//! Every complete line of a ledger (header and BOM included) is a link of a
//! SHA-256 chain: `h0` = 32 zero bytes, `hᵢ` = SHA-256(`hᵢ₋₁` ‖ line i with
//! its `\n`). The first 16 hex digits of `h_N` are the ledger's 台账校验码,
//! printed in every report and computed from the file's bytes.
//!
//! The **record** in `.qunli/` keeps, for each line as qunli appended it,
//! the line's end offset and the first 8 bytes of its link
//! (`FILE.digests`: a 30-byte magic line, then one 30-byte entry a line),
//! and beside it `FILE.state`: how many lines the record holds, the full
//! last link (to go on with the chain), the file's identity and change time
//! when qunli last wrote it, and the highest case numbers. An append adds
//! entries for its own lines only, so it costs the same whatever the size.
//!
//! Reading a ledger walks the chain beside the record ([`Walker`]) and names
//! what differs: a changed line (H001), recorded lines missing (H002), a
//! missing or damaged record (H003), lines no qunli command appended (H004).

mod lanes;

use super::files::{self, Stamp};
use super::sha_lanes;
use crate::error::{Error, Result};
use crate::lang::Lang;
use sha2::{Digest, Sha256};
use std::fs::{File, OpenOptions};
use std::io::{BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The first line of a digests file: names the format.
pub const MAGIC: &[u8; 30] = b"qunli-history v2 sha256-chain\n";
/// `12 hex digits of end offset, a flag, 16 hex digits of the link, newline`.
const ENTRY: usize = 30;
/// The flag of a line a qunli command appended.
const APPENDED: u8 = b' ';
/// The flag of a line found at the end, not appended by qunli (typed in by hand).
const FOUND: u8 = b'?';

/// A link of the chain.
pub type Link = [u8; 32];

/// Lines between the whole links `FILE.links` keeps: the link of line
/// 1024, of line 2048, and so on, as appended. With them a report walks
/// stretches of the chain side by side ([`Walker::walk_file`]); each is
/// checked where the next begins, so a wrong link costs time, never a head.
pub const LINKS_EVERY: u64 = 1024;
/// An entry of `FILE.links`: 64 hex digits and a newline; its first line,
/// as wide, names the format.
const LINK_ENTRY: u64 = 65;

/// The first line of `FILE.links`.
fn links_magic() -> [u8; LINK_ENTRY as usize] {
    let mut magic = [b' '; LINK_ENTRY as usize];
    let name = b"qunli-history links v1: the link of every 1024th line";
    magic[..name.len()].copy_from_slice(name);
    magic[LINK_ENTRY as usize - 1] = b'\n';
    magic
}

pub fn links_path(dir: &Path, ledger_file: &str) -> PathBuf {
    dir.join(".qunli").join(format!("{ledger_file}.links"))
}

/// The next link: SHA-256(previous link ‖ line).
///
/// Every report walks the chain over every line, one line after another, so
/// this is the floor of a report's time: a line of usual length is padded
/// on the stack and fed to the compression function in one call, without
/// the buffering of a general hasher.
pub fn next_link(prev: &Link, line: &[u8]) -> Link {
    /// Blocks for a message of up to `4 × 64 − 9` bytes with its padding.
    const BLOCKS: usize = 4;
    let mut blocks = [[0u8; 64]; BLOCKS];
    let Some(used) = sha_lanes::pad(prev, line, &mut blocks) else {
        let mut h = Sha256::new();
        h.update(prev);
        h.update(line);
        return h.finalize().into();
    };
    let mut state = sha_lanes::IV;
    sha_lanes::compress(&mut state, &blocks[..used]);
    sha_lanes::digest(&state)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex<const N: usize>(s: &[u8]) -> Option<[u8; N]> {
    if s.len() != 2 * N {
        return None;
    }
    let mut out = [0u8; N];
    for (i, byte) in out.iter_mut().enumerate() {
        let pair = std::str::from_utf8(&s[2 * i..2 * i + 2]).ok()?;
        *byte = u8::from_str_radix(pair, 16).ok()?;
    }
    Some(out)
}

/// The chain over a ledger's first `lines` complete lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Anchor {
    pub lines: u64,
    pub link: Link,
}

impl Anchor {
    /// The 台账校验码: the first 16 hex digits of the last link.
    pub fn head(&self) -> String {
        hex(&self.link[..8])
    }
}

/// The workspace folder and file name of the ledger at `path`, which name its record.
fn place(path: &Path) -> (&Path, &str) {
    (files::dir_of(path), path.file_name().and_then(|n| n.to_str()).unwrap_or(""))
}

/// Paths of a ledger's record.
pub fn digests_path(dir: &Path, ledger_file: &str) -> PathBuf {
    dir.join(".qunli").join(format!("{ledger_file}.digests"))
}

pub fn state_path(dir: &Path, ledger_file: &str) -> PathBuf {
    dir.join(".qunli").join(format!("{ledger_file}.state"))
}

/// What `FILE.state` holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    /// Lines the record holds, and the byte where the last of them ends.
    pub lines: u64,
    pub len: u64,
    /// Where the last recorded line starts, and the links before and at it.
    pub start: u64,
    pub prev: Link,
    pub last: Link,
    /// The ledger as the last append left it; `None` after `check
    /// --accept-history` (the next append reads the whole ledger).
    pub stamp: Option<Stamp>,
    /// The highest case number of each year, as of `len` (with `stamp`).
    pub max: Vec<(u16, u32)>,
    /// How many entries of `.qunli/FILE.undos` are the undo rows among the
    /// recorded lines, when the last append knew them all (with `stamp`):
    /// a report then searches only the lines after them (SPEC §9). The fold
    /// checks them against the undo rows it meets, so a wrong list costs a
    /// second fold, never a wrong figure.
    pub undos: Option<u64>,
}

/// What an append knows of its ledger's undo rows, for the record it leaves.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum UndoRows {
    /// Not known (a quick read of a record that did not keep them).
    #[default]
    Unknown,
    /// Every one, as (undo line, line cancelled): the ledger was read whole.
    All(Vec<(u64, u64)>),
    /// The first so many entries of `.qunli/FILE.undos` (a quick read), and more after them.
    Kept(u64, Vec<(u64, u64)>),
}

impl UndoRows {
    /// These and the undo rows `new` appended after them.
    pub fn and(self, new: Vec<(u64, u64)>) -> UndoRows {
        match self {
            UndoRows::Unknown => UndoRows::Unknown,
            UndoRows::All(mut all) => {
                all.extend(new);
                UndoRows::All(all)
            }
            UndoRows::Kept(n, mut more) => {
                more.extend(new);
                UndoRows::Kept(n, more)
            }
        }
    }
}

/// The width of an entry of `.qunli/FILE.undos`: `{undo:012x} {line:012x}\n`.
const UNDO_ENTRY: u64 = 26;

pub fn undos_path(dir: &Path, ledger_file: &str) -> PathBuf {
    dir.join(".qunli").join(format!("{ledger_file}.undos"))
}

/// Brings `.qunli/FILE.undos` to `undos`, in time that grows with the
/// new rows only when the old ones are kept; how many entries it then holds.
fn record_undos(dir: &Path, ledger_file: &str, undos: &UndoRows) -> Option<u64> {
    let (keep, rows) = match undos {
        UndoRows::Unknown => return None,
        UndoRows::All(all) => (0, all),
        UndoRows::Kept(n, more) => (*n, more),
    };
    let path = undos_path(dir, ledger_file);
    let write = || -> std::io::Result<()> {
        let mut opts = OpenOptions::new();
        opts.read(true).write(true).create(true).truncate(false);
        let mut f = files::open_no_follow(files::owner_only(&mut opts), &path)?;
        if f.metadata()?.len() < keep * UNDO_ENTRY {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let text: String = rows.iter().map(|(u, t)| format!("{u:012x} {t:012x}\n")).collect();
        files::cut_and_append(&mut f, keep * UNDO_ENTRY, text.as_bytes())
    };
    write().ok().map(|()| keep + rows.len() as u64)
}

/// The undo rows the record of the ledger at `path` keeps, with the lines
/// and bytes they are of: `None` when it keeps none it can vouch for.
pub fn kept_undos(path: &Path) -> Option<super::undo::Kept> {
    let state = State::kept(path)?;
    let count = state.undos?;
    let (dir, file) = place(path);
    let mut bytes = Vec::new();
    let f = open_read(&undos_path(dir, file)).ok()??;
    f.take(count * UNDO_ENTRY).read_to_end(&mut bytes).ok()?;
    if bytes.len() as u64 != count * UNDO_ENTRY {
        return None;
    }
    let rows = bytes
        .chunks_exact(UNDO_ENTRY as usize)
        .map(|e| {
            let text = std::str::from_utf8(e).ok()?;
            let (u, t) = (text.get(..12)?, text.get(13..25)?);
            Some((u64::from_str_radix(u, 16).ok()?, u64::from_str_radix(t, 16).ok()?))
        })
        .collect::<Option<Vec<_>>>()?;
    Some((rows, state.lines, state.len))
}

impl State {
    /// The state of a record whose chain stands at `pos`.
    fn at(pos: &Position, stamp: Option<Stamp>, max: Vec<(u16, u32)>, undos: Option<u64>) -> State {
        State { lines: pos.lines, len: pos.end, start: pos.start, prev: pos.prev, last: pos.last, stamp, max, undos }
    }

    /// The state kept for the ledger at `path`, if one is there and sound.
    pub fn kept(path: &Path) -> Option<State> {
        let (dir, file) = place(path);
        let mut text = String::new();
        open_read(&state_path(dir, file)).ok()??.read_to_string(&mut text).ok()?;
        State::parse(&text)
    }

    fn to_text(&self) -> String {
        let mut t = format!(
            "lines={}\nlen={}\nstart={}\nprev={}\nlast={}\n",
            self.lines,
            self.len,
            self.start,
            hex(&self.prev),
            hex(&self.last)
        );
        if let Some(s) = self.stamp {
            let max: Vec<String> = self.max.iter().map(|(y, n)| format!("{y}:{n}")).collect();
            t.push_str(&format!("stamp={}\nmax={}\n", s.to_text(), max.join(",")));
            if let Some(undos) = self.undos {
                t.push_str(&format!("undos={undos}\n"));
            }
        }
        t
    }

    fn parse(text: &str) -> Option<State> {
        let mut s = State::default();
        let (mut lines, mut last) = (false, false);
        for line in text.lines() {
            let (key, v) = line.split_once('=')?;
            match key {
                "lines" => (s.lines, lines) = (v.parse().ok()?, true),
                "len" => s.len = v.parse().ok()?,
                "start" => s.start = v.parse().ok()?,
                "prev" => s.prev = unhex(v.as_bytes())?,
                "last" => (s.last, last) = (unhex(v.as_bytes())?, true),
                "stamp" => s.stamp = Some(Stamp::parse(v)?),
                "max" => {
                    for pair in v.split(',').filter(|p| !p.is_empty()) {
                        let (y, n) = pair.split_once(':')?;
                        s.max.push((y.parse().ok()?, n.parse().ok()?));
                    }
                }
                "undos" => s.undos = v.parse().ok(), // unreadable: not known, nothing worse
                _ => {} // a later version's: the state is a shortcut, checked against the digests
            }
        }
        (lines && last).then_some(s)
    }

    /// Saves the state whole. It is a shortcut only: a failure costs the
    /// next append a whole read, never a row.
    pub fn save(&self, dir: &Path, ledger_file: &str) -> std::io::Result<()> {
        files::replace_whole(&state_path(dir, ledger_file), self.to_text().as_bytes(), true)
    }
}

/// Why a record cannot vouch for its ledger (H003).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Damage {
    /// No record at all, though the ledger has rows.
    Missing,
    /// The digests or the state, one without the other.
    Half { missing: PathBuf },
    /// Not a digests file of this version (an older qunli's, or not one at all).
    Format,
    /// Fewer entries than the state says were recorded.
    Truncated { entries: u64, recorded: u64 },
    /// An entry differs from the chain while the lines before and after it agree.
    Entry { line: u64 },
    /// The state's last link is not the digests' entry for that line.
    Inconsistent,
    /// Not readable (permissions, a link, an I/O error).
    Unreadable(String),
}

/// A difference between a ledger and its record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Issue {
    /// H001: line `line` is not what was appended.
    Edited { line: u64 },
    /// H002: the file holds `found` lines of the `recorded` ones.
    Missing { found: u64, recorded: u64 },
    /// H003.
    Damaged(Damage),
    /// H004: `count` lines from `line` on were not appended by qunli.
    Unrecorded { line: u64, count: u64 },
}

/// What an issue says, worded once for `check`, the reports and the
/// refusals of an append.
impl Issue {
    /// The line an issue names, if one.
    pub fn line(&self) -> Option<u64> {
        match self {
            Issue::Edited { line } | Issue::Unrecorded { line, .. } => Some(*line),
            Issue::Missing { found, .. } => Some(found + 1),
            Issue::Damaged(Damage::Entry { line }) => Some(*line),
            Issue::Damaged(_) => None,
        }
    }

    /// What an issue means and what to do, as `FILE[:LINE]: …` (a refusal, a warning).
    pub fn describe(&self, file: &str, lang: Lang) -> String {
        let at = match self.line() {
            Some(l) => format!("{file}:{l}"),
            None => file.to_string(),
        };
        format!("{at}: {}", self.text(lang))
    }

    /// What an issue means and what to do, in one sentence.
    pub fn text(&self, lang: Lang) -> String {
        let accept = "qunli check --accept-history";
        match self {
            Issue::Edited { line } => lang.pick(
                format!("第 {line} 行与追加时记录的不一致（被修改、替换或调换了顺序）；请从备份恢复，更正应追加 undo/void 记录"),
                format!("line {line} is not what was appended (edited, replaced or rows swapped); restore it from a backup — a correction is an undo/void row"),
            ),
            Issue::Missing { found, recorded } => lang.pick(
                format!("台账只有 {found} 行，历史记录有 {recorded} 行：第 {} 行起追加过的行不见了（被删除、截断或用旧副本替换）；请从备份恢复，在此之前不能追加", found + 1),
                format!("the ledger has {found} lines, its record {recorded}: rows appended earlier are missing from line {} on (deleted, cut or replaced by an older copy); restore it from a backup — appends are refused until then", found + 1),
            ),
            Issue::Damaged(d) => {
                let why = match d {
                    Damage::Missing => lang.pick(
                        "台账有数据，但没有历史记录（.qunli/ 被删除或没有复制）".to_string(),
                        "the ledger has rows but no history record (.qunli/ deleted or not copied)".to_string(),
                    ),
                    Damage::Half { missing } => lang.pick(
                        format!("历史记录不完整：缺少 {}", missing.display()),
                        format!("the history record is incomplete: {} is missing", missing.display()),
                    ),
                    Damage::Format => lang.pick(
                        "历史记录无法识别（已损坏，或由旧版本 qunli 写入）".to_string(),
                        "the history record cannot be read (damaged, or written by an older qunli)".to_string(),
                    ),
                    Damage::Truncated { entries, recorded } => lang.pick(
                        format!("历史记录被截短：只有 {entries} 条，应有 {recorded} 条"),
                        format!("the history record was cut short: {entries} entries of {recorded}"),
                    ),
                    Damage::Entry { line } => lang.pick(
                        format!("历史记录中第 {line} 行的条目被改动"),
                        format!("the history record's entry for line {line} was changed"),
                    ),
                    Damage::Inconsistent => lang.pick(
                        "历史记录的两个文件互相矛盾（被改动过）".to_string(),
                        "the two files of the history record disagree (one was changed)".to_string(),
                    ),
                    Damage::Unreadable(e) => lang.pick(format!("历史记录无法读取：{e}"), format!("the history record cannot be read: {e}")),
                };
                lang.pick(
                    format!("{why}，无法证明任何一行未被改动；请从备份恢复 .qunli/，或核对台账（可用 qunli verify 对照以前的报告）后运行 {accept}"),
                    format!("{why}, so no row can be vouched for; restore .qunli/ from a backup, or check the ledger (qunli verify against an earlier report) and run {accept}"),
                )
            }
            Issue::Unrecorded { line, count } => lang.pick(
                format!("第 {line} 行起有 {count} 行不是由 qunli 命令追加的（手工录入）；核对无误后运行 {accept}"),
                format!("{count} line(s) from line {line} on were not appended by a qunli command (typed in by hand); check them, then run {accept}"),
            ),
        }
    }
}

impl Issue {
    /// Whether an append must refuse (H002, H003): it would hand out case
    /// numbers again, or vouch for rows no one checked.
    pub fn refuses_append(&self) -> bool {
        matches!(self, Issue::Missing { .. } | Issue::Damaged(_))
    }
}

/// A ledger's record, opened for reading entry after entry.
pub struct Record {
    entries: BufReader<File>,
    /// Whole entries in the digests file.
    pub count: u64,
    pub state: State,
    /// `FILE.links`, when it is there and says what it is, and the links it holds.
    links: Option<(File, u64)>,
}

impl Record {
    /// The whole link `FILE.links` keeps for line `line` (a multiple of [`LINKS_EVERY`]).
    fn kept_link(&self, line: u64) -> Option<Link> {
        let (file, held) = self.links.as_ref()?;
        let n = line / LINKS_EVERY;
        if !line.is_multiple_of(LINKS_EVERY) || n == 0 || n > *held {
            return None;
        }
        let mut raw = [0u8; LINK_ENTRY as usize];
        files::FromStart::at(file, LINK_ENTRY * n).read_exact(&mut raw).ok()?;
        (raw[64] == b'\n').then(|| unhex::<32>(&raw[..64])).flatten()
    }

    /// Where line `line` ends, as recorded (`Some(0)` for line 0, before
    /// the first); `None` past the record or for an entry not as written.
    /// Read by position, so a walk reading the entries in turn is not disturbed.
    pub fn line_end(&self, line: u64) -> std::io::Result<Option<u64>> {
        if line == 0 {
            return Ok(Some(0));
        }
        if line > self.count {
            return Ok(None);
        }
        Ok(read_entry(&mut files::FromStart::at(self.entries.get_ref(), ENTRY as u64 * line))?.map(|(end, _, _)| end))
    }
}

/// What `.qunli/` holds for a ledger.
pub enum Loaded {
    Absent,
    Present(Box<Record>),
    Damaged(Damage),
}

fn read_entry(r: &mut impl Read) -> std::io::Result<Option<(u64, [u8; 8], bool)>> {
    let mut buf = [0u8; ENTRY];
    r.read_exact(&mut buf)?;
    Ok(parse_entry(&buf))
}

fn parse_entry(b: &[u8; ENTRY]) -> Option<(u64, [u8; 8], bool)> {
    let end = u64::from_str_radix(std::str::from_utf8(&b[..12]).ok()?, 16).ok()?;
    let vouched = match b[12] {
        APPENDED => true,
        FOUND => false,
        _ => return None,
    };
    let kept = unhex::<8>(&b[13..29])?;
    (b[29] == b'\n').then_some((end, kept, vouched))
}

/// Whether `raw` is the entry qunli writes for a line ending at `end` with
/// `link` (either flag).
fn raw_agrees(raw: &[u8; ENTRY], end: u64, link: &Link) -> bool {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    if end >> 48 != 0 || !matches!(raw[12], APPENDED | FOUND) || raw[29] != b'\n' {
        return false;
    }
    let offset = (0..12).all(|i| raw[i] == DIGITS[(end >> (44 - 4 * i)) as usize & 15]);
    offset
        && link[..8]
            .iter()
            .enumerate()
            .all(|(i, b)| raw[13 + 2 * i] == DIGITS[(b >> 4) as usize] && raw[14 + 2 * i] == DIGITS[(b & 15) as usize])
}

fn entry(end: u64, link: &Link, vouched: bool) -> String {
    format!("{end:012x}{}{}\n", if vouched { ' ' } else { '?' }, hex(&link[..8]))
}

fn open_read(path: &Path) -> std::io::Result<Option<File>> {
    match files::open_no_follow(OpenOptions::new().read(true), path) {
        Ok(f) => Ok(Some(f)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Loads the record of `ledger_file` in `dir` (the caller holds the ledger's lock).
pub fn load(dir: &Path, ledger_file: &str) -> Loaded {
    let dpath = digests_path(dir, ledger_file);
    let spath = state_path(dir, ledger_file);
    let unreadable = |p: &Path, e: std::io::Error| Loaded::Damaged(Damage::Unreadable(format!("{}: {e}", p.display())));
    let digests = match open_read(&dpath) {
        Ok(d) => d,
        Err(e) => return unreadable(&dpath, e),
    };
    let state = match open_read(&spath) {
        Ok(s) => s,
        Err(e) => return unreadable(&spath, e),
    };
    let (mut digests, mut state_file) = match (digests, state) {
        (None, None) => return Loaded::Absent,
        (Some(_), None) => return Loaded::Damaged(Damage::Half { missing: spath }),
        (None, Some(_)) => return Loaded::Damaged(Damage::Half { missing: dpath }),
        (Some(d), Some(s)) => (d, s),
    };
    let mut text = String::new();
    if let Err(e) = state_file.read_to_string(&mut text) {
        return unreadable(&spath, e);
    }
    let Some(state) = State::parse(&text) else { return Loaded::Damaged(Damage::Format) };
    let len = match digests.metadata() {
        Ok(m) => m.len(),
        Err(e) => return unreadable(&dpath, e),
    };
    let mut magic = [0u8; ENTRY];
    if len < ENTRY as u64 || digests.read_exact(&mut magic).is_err() || &magic != MAGIC {
        return Loaded::Damaged(Damage::Format);
    }
    // A torn last entry (a crash while recording) holds nothing: it is left out.
    let count = (len - ENTRY as u64) / ENTRY as u64;
    if count < state.lines {
        return Loaded::Damaged(Damage::Truncated { entries: count, recorded: state.lines });
    }
    if state.lines > 0 {
        let at = ENTRY as u64 * state.lines;
        let last = digests.seek(SeekFrom::Start(at)).and_then(|_| read_entry(&mut digests));
        match last {
            Ok(Some((end, kept, _))) if end == state.len && kept[..] == state.last[..8] => {}
            Ok(_) => return Loaded::Damaged(Damage::Inconsistent),
            Err(e) => return unreadable(&dpath, e),
        }
    }
    if let Err(e) = digests.seek(SeekFrom::Start(ENTRY as u64)) {
        return unreadable(&dpath, e);
    }
    let links = open_links(&links_path(dir, ledger_file));
    Loaded::Present(Box::new(Record { entries: BufReader::with_capacity(256 * 1024, digests), count, state, links }))
}

/// `FILE.links` opened for reading, and how many whole links it holds;
/// `None` when it is missing or not what it says.
fn open_links(path: &Path) -> Option<(File, u64)> {
    let mut file = open_read(path).ok()??;
    let mut magic = [0u8; LINK_ENTRY as usize];
    file.read_exact(&mut magic).ok()?;
    let held = (file.metadata().ok()?.len() / LINK_ENTRY).checked_sub(1)?;
    (magic == links_magic()).then_some((file, held))
}

/// Brings `FILE.links` to hold the links of the first `kept` lines it
/// holds and then `new` (each the link of a line [`LINKS_EVERY`] after the
/// one before), or starts it afresh when `kept` is 0. Left as it is when
/// it lacks some of the kept links: gaps are not filled with guesses. It
/// is only ever a shortcut, so a failure is not an error of the append.
fn record_links(dir: &Path, ledger_file: &str, kept: u64, new: &[Link]) {
    let path = links_path(dir, ledger_file);
    let write = || -> std::io::Result<()> {
        let keep = kept / LINKS_EVERY;
        let mut opts = OpenOptions::new();
        opts.read(true).write(true).create(kept == 0).truncate(false);
        let mut f = files::open_no_follow(files::owner_only(&mut opts), &path)?;
        let mut text = Vec::new();
        if kept == 0 {
            text.extend_from_slice(&links_magic());
        } else {
            let mut magic = [0u8; LINK_ENTRY as usize];
            f.read_exact(&mut magic)?;
            if magic != links_magic() || f.metadata()?.len() < LINK_ENTRY * (1 + keep) {
                return Ok(());
            }
        }
        for link in new {
            text.extend_from_slice(hex(link).as_bytes());
            text.push(b'\n');
        }
        files::cut_and_append(&mut f, if kept == 0 { 0 } else { LINK_ENTRY * (1 + keep) }, &text)
    };
    let _ = write();
}

/// Cuts bytes fed in pieces into whole lines, each with its `\n`.
#[derive(Default)]
struct Lines {
    /// Bytes of a line not yet ended.
    partial: Vec<u8>,
}

impl Lines {
    fn feed(&mut self, mut bytes: &[u8], mut each: impl FnMut(&[u8])) {
        while let Some(i) = memchr::memchr(b'\n', bytes) {
            let (line, rest) = bytes.split_at(i + 1);
            if self.partial.is_empty() {
                each(line);
            } else {
                self.partial.extend_from_slice(line);
                each(&self.partial);
                self.partial.clear();
            }
            bytes = rest;
        }
        self.partial.extend_from_slice(bytes);
    }
}

/// Walks the chain over a ledger's lines as they are read, beside its record.
pub struct Walker {
    pos: Position,
    /// The bytes fed, cut into lines.
    lines: Lines,
    record: Option<Box<Record>>,
    absent: bool,
    damage: Option<Damage>,
    /// A line whose entry differs: changed, or the entry damaged — the next line says which.
    suspect: Option<(u64, Link)>,
    edited: Option<u64>,
    /// The first line flagged as not appended by qunli, and how many are.
    found: Option<(u64, u64)>,
    /// The end and link of each line past the record, when asked for.
    tail: Option<Vec<(u64, Link)>>,
}

/// What a walk found.
#[derive(Clone, Debug, Default)]
pub struct Walked {
    /// Where the chain stands after every complete line.
    pub pos: Position,
    pub issues: Vec<Issue>,
    /// Lines the record holds.
    pub recorded: u64,
    /// The end and link of each line past the record (when asked for).
    pub tail: Vec<(u64, Link)>,
    /// Whether the lines past the record are to be recorded as appended:
    /// only where there was no record and the file held a header at most.
    pub fresh: bool,
}

impl Walker {
    /// A walk beside the record of the ledger at `path`, whose own lines it is fed.
    pub fn for_ledger(path: &Path) -> Walker {
        let (dir, file) = place(path);
        Walker::new(load(dir, file))
    }

    pub fn new(loaded: Loaded) -> Walker {
        let mut w = Walker {
            pos: Position::default(),
            lines: Lines::default(),
            record: None,
            absent: false,
            damage: None,
            suspect: None,
            edited: None,
            found: None,
            tail: None,
        };
        match loaded {
            Loaded::Absent => w.absent = true,
            Loaded::Present(r) => w.record = Some(r),
            Loaded::Damaged(d) => w.damage = Some(d),
        }
        w
    }

    /// Keeps the links of the lines past the record (an append records them).
    pub fn keeping_tail(mut self) -> Walker {
        self.tail = Some(Vec::new());
        self
    }

    /// Feeds the next bytes of the ledger.
    pub fn feed(&mut self, bytes: &[u8]) {
        let mut lines = std::mem::take(&mut self.lines);
        lines.feed(bytes, |line| self.line(line));
        self.lines = lines;
    }

    fn line(&mut self, line: &[u8]) {
        self.pos = self.pos.then(line);
        let n = self.pos.lines;
        if self.record.as_ref().is_none_or(|r| n > r.count) {
            if let Some(t) = &mut self.tail {
                t.push((self.pos.end, self.pos.last));
            }
            return;
        }
        let Some(record) = self.record.as_mut() else { return };
        if self.edited.is_some() || self.damage.is_some() {
            return; // the chains have parted: nothing more to compare
        }
        let mut raw = [0u8; ENTRY];
        if let Err(e) = record.entries.read_exact(&mut raw) {
            self.damage = Some(Damage::Unreadable(e.to_string()));
            return;
        }
        // The entry as qunli writes it for this line is compared byte for
        // byte first; only one that differs is parsed, to say how.
        let entry = if raw_agrees(&raw, self.pos.end, &self.pos.last) {
            Some((self.pos.end, self.pos.last[..8].try_into().unwrap_or_default(), raw[12] == APPENDED))
        } else {
            parse_entry(&raw)
        };
        let agrees = entry.is_some_and(|(end, kept, _)| end == self.pos.end && kept[..] == self.pos.last[..8]);
        if let Some((k, _)) = self.suspect.take() {
            if agrees {
                self.damage = Some(Damage::Entry { line: k });
            } else {
                self.edited = Some(k);
            }
            return;
        }
        if !agrees {
            self.suspect = Some((n, self.pos.last));
        } else if entry.is_some_and(|(_, _, vouched)| !vouched) {
            let f = self.found.get_or_insert((n, 0));
            f.1 += 1;
        }
    }

    /// Walks every complete line of `file`, read by position (so beside a
    /// reader of the same file, whose offset it leaves alone), then
    /// [`Walker::finish`]es: in four stretches side by side where the
    /// record keeps their links and the ledger agrees with it
    /// ([`lanes`]), else one line after another.
    pub fn walk_file(mut self, file: &File) -> std::io::Result<Walked> {
        let len = file.metadata()?.len();
        if self.stretched(|r| lanes::walk(file, len, r)) {
            return Ok(self.finish());
        }
        self.walk(files::FromStart::new(file).take(len))
    }

    /// Whether a walk would be by stretches side by side, as far as the
    /// walker can tell before the bytes: a record keeping links, nothing
    /// found wrong with it, no links of lines past it asked for.
    pub fn could_stretch(&self) -> bool {
        self.tail.is_none() && self.damage.is_none() && self.record.as_ref().is_some_and(|r| r.links.is_some())
    }

    /// Walks `bytes`, a ledger's complete lines held in memory, then
    /// [`Walker::finish`]es: by stretches side by side where they agree
    /// with the record, as [`Walker::walk_file`], else one line after another.
    pub fn walk_bytes(mut self, bytes: &[u8]) -> Walked {
        if !self.stretched(|r| lanes::walk_bytes(bytes, r)) {
            self.feed(bytes);
        }
        self.finish()
    }

    /// Takes the walk by stretches `walk` makes beside the record, when it
    /// could stretch and they agree; false when the lines are still to be
    /// walked one after another.
    fn stretched(&mut self, walk: impl FnOnce(&Record) -> std::io::Result<Option<lanes::Agreed>>) -> bool {
        if !self.could_stretch() {
            return false;
        }
        let Some(agreed) = self.record.as_deref().and_then(|r| walk(r).ok().flatten()) else { return false };
        self.pos = agreed.pos;
        self.found = agreed.found;
        true
    }

    /// Feeds everything `input` holds, then [`Walker::finish`]es.
    pub fn walk(mut self, mut input: impl Read) -> std::io::Result<Walked> {
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = input.read(&mut buf)?;
            if n == 0 {
                return Ok(self.finish());
            }
            self.feed(&buf[..n]);
        }
    }

    /// The anchor and every difference found.
    pub fn finish(mut self) -> Walked {
        let mut issues = Vec::new();
        let tail = self.tail.take().unwrap_or_default();
        let lines = self.pos.lines;
        let mut walked = Walked { pos: self.pos, recorded: 0, tail, ..Walked::default() };
        if self.absent {
            if lines > 1 {
                issues.push(Issue::Damaged(Damage::Missing));
            }
            walked.fresh = true;
            walked.issues = issues;
            return walked;
        }
        if let Some(d) = self.damage.as_ref().filter(|d| !matches!(d, Damage::Entry { .. })) {
            walked.issues = vec![Issue::Damaged(d.clone())];
            return walked;
        }
        let Some(record) = self.record else { return walked };
        walked.recorded = record.count;
        if let Some((k, link)) = self.suspect {
            // The last line compared: only the state can say which side changed.
            let state_agrees = k == record.state.lines && link == record.state.last;
            if state_agrees {
                self.damage = Some(Damage::Entry { line: k });
            } else {
                self.edited = Some(k);
            }
        }
        if let Some(d) = self.damage {
            issues.push(Issue::Damaged(d));
        }
        if let Some(line) = self.edited {
            issues.push(Issue::Edited { line });
        }
        if lines < record.count {
            issues.push(Issue::Missing { found: lines, recorded: record.count });
        }
        let past = lines.saturating_sub(record.count);
        match (self.found, past) {
            (Some((line, n)), past) => issues.push(Issue::Unrecorded { line, count: n + past }),
            (None, 0) => {}
            (None, past) => issues.push(Issue::Unrecorded { line: record.count + 1, count: past }),
        }
        walked.issues = issues;
        walked
    }
}

/// The chain over every complete line of `bytes` (tests, `verify`).
pub fn anchor_of(bytes: &[u8]) -> Anchor {
    let mut w = Walker::new(Loaded::Absent);
    w.feed(bytes);
    w.finish().pos.anchor()
}

/// Appends to the record of `ledger_file` the entries of the lines past it
/// (`walked.tail`, flagged as found unless the record is fresh) and of
/// `new` (the bytes just appended after the walked ones), then saves the
/// state with `stamp`, `max` and, when known, the undo rows `undos`. On
/// failure the digests are cut back to what they were and the error
/// returned (the caller undoes its rows).
pub fn extend(
    dir: &Path,
    ledger_file: &str,
    walked: &Walked,
    new: &[u8],
    stamp: impl FnOnce() -> Option<Stamp>,
    max: &[(u16, u32)],
    undos: &UndoRows,
) -> Result<()> {
    let qdir = dir.join(".qunli");
    files::private_dir(&qdir).map_err(|e| Error::io(&qdir, e))?;
    let path = digests_path(dir, ledger_file);
    let io = |e| Error::io(&path, e);
    let mut d = files::open_no_follow(
        files::owner_only(OpenOptions::new().read(true).write(true).create(true).truncate(false)),
        &path,
    )
    .map_err(io)?;
    let old_len = d.metadata().map_err(io)?.len();
    let mut out = String::new();
    // What stays: the magic line and the whole entries (a torn one is dropped).
    let keep = if walked.fresh { 0 } else { ENTRY as u64 * (1 + walked.recorded) };
    if keep == 0 {
        out.push_str(std::str::from_utf8(MAGIC).expect("ASCII"));
    }
    let mut pos = walked.pos;
    let kept_lines = if walked.fresh { 0 } else { walked.recorded };
    let mut links = Vec::new();
    for (i, (end, link)) in walked.tail.iter().enumerate() {
        out.push_str(&entry(*end, link, walked.fresh));
        if (kept_lines + 1 + i as u64).is_multiple_of(LINKS_EVERY) {
            links.push(*link);
        }
    }
    for line in new.split_inclusive(|&b| b == b'\n').filter(|l| l.ends_with(b"\n")) {
        pos = pos.then(line);
        out.push_str(&entry(pos.end, &pos.last, true));
        if pos.lines.is_multiple_of(LINKS_EVERY) {
            links.push(pos.last);
        }
    }
    if let Err(e) = files::cut_and_append(&mut d, keep, out.as_bytes()) {
        let _ = d.set_len(old_len);
        let _ = d.sync_data();
        return Err(Error::io(&path, e));
    }
    record_links(dir, ledger_file, kept_lines, &links);
    let stamp = stamp();
    let undos = stamp.and_then(|_| record_undos(dir, ledger_file, undos));
    let state = State::at(&pos, stamp, max.to_vec(), undos);
    let _ = state.save(dir, ledger_file);
    Ok(())
}

/// Records a ledger's present content as its history (`check
/// --accept-history`, `init`), after a person has looked. The record it
/// replaces is kept as `FILE.digests.TIME`, never deleted, so that `verify`
/// can still name the line an earlier report differs at.
pub fn accept(dir: &Path, ledger_file: &str, now: &str) -> Result<()> {
    let lpath = dir.join(ledger_file);
    let qdir = dir.join(".qunli");
    files::private_dir(&qdir).map_err(|e| Error::io(&qdir, e))?;
    let dpath = digests_path(dir, ledger_file);
    let spath = state_path(dir, ledger_file);
    let file = match files::open_no_follow(OpenOptions::new().read(true).append(true), &lpath) {
        Ok(f) => Some(f),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io(&lpath, e)),
    };
    if let Some(f) = &file {
        f.lock().map_err(|e| Error::io(&lpath, e))?;
    }
    if files::is_link(&dpath) || files::is_link(&spath) {
        return Err(Error::io(&dpath, files::link_error(&dpath)));
    }
    if dpath.exists() {
        let kept = qdir.join(format!("{ledger_file}.digests.{now}"));
        std::fs::rename(&dpath, &kept).map_err(|e| Error::io(&dpath, e))?;
    }
    let _ = std::fs::remove_file(&spath);
    // The case index went with the old record: the lines it names may hold other rows now.
    super::case_index::restart(dir, ledger_file, 0, 0);
    let Some(mut file) = file else { return Ok(()) };
    let len = file.metadata().map_err(|e| Error::io(&lpath, e))?.len();
    let complete = super::reader::complete_length(&file, len).map_err(|e| Error::io(&lpath, e))?;
    file.seek(SeekFrom::Start(0)).map_err(|e| Error::io(&lpath, e))?;
    // Every complete line gets its entry as the chain walks it, written as
    // it goes (holding them all first cost 40 bytes a line).
    let mut d =
        files::open_no_follow(files::owner_only(OpenOptions::new().write(true).create(true).truncate(true)), &dpath)
            .map_err(|e| Error::io(&dpath, e))?;
    let recorded = (|| -> std::io::Result<Position> {
        d.write_all(MAGIC)?;
        let (mut pos, mut lines, mut entries) = (Position::default(), Lines::default(), String::new());
        let mut links = Vec::new();
        let mut buf = vec![0u8; 1 << 20];
        let mut rest = complete;
        while rest > 0 {
            let want = rest.min(buf.len() as u64) as usize;
            let n = (&file).read(&mut buf[..want])?;
            if n == 0 {
                break;
            }
            rest -= n as u64;
            lines.feed(&buf[..n], |line| {
                pos = pos.then(line);
                entries.push_str(&entry(pos.end, &pos.last, true));
                if pos.lines.is_multiple_of(LINKS_EVERY) {
                    links.push(pos.last);
                }
            });
            d.write_all(entries.as_bytes())?;
            entries.clear();
        }
        d.sync_data()?;
        record_links(dir, ledger_file, 0, &links);
        Ok(pos)
    })();
    let pos = match recorded {
        Ok(p) => p,
        Err(e) => {
            let _ = std::fs::remove_file(&dpath);
            return Err(Error::io(&dpath, e));
        }
    };
    let state = State::at(&pos, None, Vec::new(), None);
    let _ = state.save(dir, ledger_file);
    Ok(())
}

/// Where a chain stands after some lines: what the state keeps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Position {
    pub lines: u64,
    /// The byte after the last line.
    pub end: u64,
    /// Where the last line starts.
    pub start: u64,
    pub prev: Link,
    pub last: Link,
}

impl Position {
    /// The position after one more line.
    pub fn then(self, line: &[u8]) -> Position {
        self.after(line.len(), next_link(&self.last, line))
    }

    /// The position after one more line of `len` bytes whose link is `link`.
    pub fn after(self, len: usize, link: Link) -> Position {
        Position { lines: self.lines + 1, end: self.end + len as u64, start: self.end, prev: self.last, last: link }
    }

    pub fn anchor(&self) -> Anchor {
        Anchor { lines: self.lines, link: self.last }
    }
}

/// One ledger's line count and 台账校验码, as a report carries it.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Head {
    pub lines: u64,
    pub head: String,
}

impl From<Anchor> for Head {
    fn from(a: Anchor) -> Head {
        Head { lines: a.lines, head: a.head() }
    }
}

/// The 台账校验码 of a workspace's three ledgers (JSON key `ledgers`).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Heads {
    pub visits: Head,
    pub letters: Head,
    pub disputes: Head,
}

/// The e-mail header that carries the heads in plain ASCII.
pub const MAIL_HEADER: &str = "X-Qunli-Ledgers";

impl Heads {
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Head)> {
        [("visits.csv", &self.visits), ("letters.csv", &self.letters), ("disputes.csv", &self.disputes)].into_iter()
    }

    /// The footer line of text, e-mail, xlsx and html reports.
    pub fn footer(&self, lang: crate::lang::Lang) -> String {
        let parts: Vec<String> = self
            .iter()
            .map(|(f, h)| {
                lang.pick(format!("{f} {}行 {}", h.lines, h.head), format!("{f} {} lines {}", h.lines, h.head))
            })
            .collect();
        // A line a ledger, so that it fits a terminal of 80 columns.
        lang.pick(
            format!("台账校验码：\n  {}", parts.join("\n  ")),
            format!("Ledger checksums (台账校验码):\n  {}", parts.join("\n  ")),
        )
    }

    /// The value of the e-mail header.
    pub fn mail_header(&self) -> String {
        let parts: Vec<String> = self.iter().map(|(f, h)| format!("{f} {} {}", h.lines, h.head)).collect();
        parts.join("; ")
    }

    /// The heads a report carries: its JSON's `ledgers`, the e-mail header,
    /// or the last footer line of its text.
    pub fn from_report(text: &str) -> Option<Heads> {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(text) {
            return serde_json::from_value(v.get("ledgers")?.clone()).ok();
        }
        let header = format!("{}:", MAIL_HEADER.to_ascii_lowercase());
        let lines: Vec<&str> = text.lines().collect();
        let line = match lines.iter().position(|l| l.to_ascii_lowercase().starts_with(&header)) {
            // A header folded over several lines is one line unfolded.
            Some(i) => {
                let more = lines[i + 1..].iter().take_while(|l| l.starts_with([' ', '\t']));
                std::iter::once(lines[i]).chain(more.copied()).collect::<Vec<_>>().join(" ")
            }
            // The text after the last 台账校验码: the footer, on one line or a line a ledger.
            None => text[text.rfind("台账校验码")?..].chars().take(600).collect(),
        };
        let mut heads = Heads::default();
        for (name, slot) in [
            ("visits.csv", &mut heads.visits),
            ("letters.csv", &mut heads.letters),
            ("disputes.csv", &mut heads.disputes),
        ] {
            let at = line.find(name)? + name.len();
            *slot = parse_head(&line[at..])?;
        }
        Some(heads)
    }
}

/// `N行 HEX`, `N lines HEX` or `N HEX`: the first number and the first run of 16 hex digits after it.
fn parse_head(s: &str) -> Option<Head> {
    let s = s.trim_start();
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    let lines = digits.parse().ok()?;
    let rest = &s[digits.len()..];
    let head = rest
        .split(|c: char| !c.is_ascii_hexdigit())
        .find(|run| run.len() == 16 && run.chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)))?;
    Some(Head { lines, head: head.to_string() })
}

/// How a ledger compares with the head of an earlier report.
#[derive(Debug, PartialEq, Eq)]
pub enum Verified {
    /// It still begins with exactly the lines the report was made from.
    Same,
    /// It has fewer complete lines than the report counted.
    Shorter { found: u64 },
    /// Its first lines differ; the first differing line, when a record the
    /// report's head appears in can name it.
    Differs { line: Option<u64>, now: String },
}

/// Compares the ledger `ledger_file` of `dir` with `head` from a report.
pub fn verify(dir: &Path, ledger_file: &str, head: &Head) -> Result<Verified> {
    let lpath = dir.join(ledger_file);
    let file = match File::open(&lpath) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(if head.lines == 0 { Verified::Same } else { Verified::Shorter { found: 0 } });
        }
        Err(e) => return Err(Error::io(&lpath, e)),
    };
    file.lock_shared().map_err(|e| Error::io(&lpath, e))?;
    let links = |each: &mut dyn FnMut(u64, &Link) -> bool| -> Result<Position> {
        let mut pos = Position::default();
        let mut reader = std::io::BufReader::new(&file);
        (&file).seek(SeekFrom::Start(0)).map_err(|e| Error::io(&lpath, e))?;
        let mut line = Vec::new();
        while pos.lines < head.lines {
            line.clear();
            let n = std::io::BufRead::read_until(&mut reader, b'\n', &mut line).map_err(|e| Error::io(&lpath, e))?;
            if n == 0 || line.last() != Some(&b'\n') {
                break;
            }
            pos = pos.then(&line);
            if !each(pos.lines, &pos.last) {
                break;
            }
        }
        Ok(pos)
    };
    let pos = links(&mut |_, _| true)?;
    if pos.lines < head.lines {
        return Ok(Verified::Shorter { found: pos.lines });
    }
    let now = pos.anchor().head();
    if now == head.head {
        return Ok(Verified::Same);
    }
    // A record (the present one, or one kept by --accept-history) whose entry
    // for the report's last line is the report's head knows every line as it was.
    let qdir = dir.join(".qunli");
    let prefix = format!("{ledger_file}.digests");
    let mut records: Vec<PathBuf> =
        std::fs::read_dir(&qdir).map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect()).unwrap_or_default();
    records.retain(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(&prefix)));
    records.sort();
    for path in records {
        let Ok(Some(mut d)) = open_read(&path) else { continue };
        let mut magic = [0u8; ENTRY];
        if d.read_exact(&mut magic).is_err() || &magic != MAGIC {
            continue;
        }
        let at_head = d.seek(SeekFrom::Start(ENTRY as u64 * head.lines)).ok().and_then(|_| read_entry(&mut d).ok());
        if !matches!(at_head, Some(Some((_, kept, _))) if hex(&kept) == head.head) {
            continue;
        }
        if d.seek(SeekFrom::Start(ENTRY as u64)).is_err() {
            continue;
        }
        let mut entries = BufReader::new(d);
        let mut first = None;
        links(&mut |n, link| match read_entry(&mut entries) {
            Ok(Some((_, kept, _))) if kept[..] == link[..8] => true,
            _ => {
                first = Some(n);
                false
            }
        })?;
        if first.is_some() {
            return Ok(Verified::Differs { line: first, now });
        }
    }
    Ok(Verified::Differs { line: None, now })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_head_is_the_sha256_chain_anyone_can_recompute() {
        // Python: h = bytes(32); for l in lines: h = sha256(h + l).digest(); h.hex()[:16]
        let a = anchor_of(b"case,date\nV2022-0001,2022-03-09\nno line end");
        assert_eq!((a.lines, a.head().as_str()), (2, "7d0adbb627487d80"));
        assert_eq!(anchor_of(b"").head(), "0000000000000000");
    }

    #[test]
    fn the_padded_link_is_sha256_at_every_length() {
        // Around each block boundary of the stack path, and past it (the general hasher).
        let prev: Link = std::array::from_fn(|i| i as u8 * 7);
        for n in 0..400 {
            let line: Vec<u8> = (0..n).map(|i| (i * 31 % 251) as u8).collect();
            let mut h = Sha256::new();
            h.update(prev);
            h.update(&line);
            assert_eq!(next_link(&prev, &line), <Link>::from(h.finalize()), "a line of {n} bytes");
        }
    }

    #[test]
    fn an_entry_agrees_byte_for_byte_only_as_written() {
        let link: Link = std::array::from_fn(|i| 255 - i as u8);
        for (end, vouched) in [(0, true), (0x1234_5678_9abc, false), (30, true)] {
            let e: [u8; ENTRY] = entry(end, &link, vouched).into_bytes().try_into().unwrap();
            assert!(raw_agrees(&e, end, &link));
            assert!(!raw_agrees(&e, end + 1, &link));
            let mut other = link;
            other[7] ^= 1;
            assert!(!raw_agrees(&e, end, &other));
            assert_eq!(parse_entry(&e), Some((end, link[..8].try_into().unwrap(), vouched)));
        }
        let upper: [u8; ENTRY] = entry(0xabc, &link, true).to_uppercase().into_bytes().try_into().unwrap();
        assert!(!raw_agrees(&upper, 0xabc, &link), "what qunli never wrote is parsed, not matched");
    }

    #[test]
    fn reports_give_back_their_heads_in_every_form() {
        let heads = Heads {
            visits: Head { lines: 415, head: "b9754338a00db47b".into() },
            letters: Head { lines: 200, head: "99abda9924f3cbbc".into() },
            disputes: Head { lines: 688, head: "45960b5b2d2e030c".into() },
        };
        for lang in [crate::lang::Lang::Zh, crate::lang::Lang::En] {
            let text = format!("群力镇 月报\n…visits.csv:12 出现在发现的问题里\n\n{}\n", heads.footer(lang));
            assert_eq!(Heads::from_report(&text), Some(heads.clone()), "{text}");
        }
        let mail = format!("{MAIL_HEADER}: {}\nFrom: a@b.c\n\nbody\n", heads.mail_header());
        let folded = mail.replacen("; letters", ";\n letters", 1);
        assert_eq!(Heads::from_report(&folded), Some(heads.clone()));
        let json = format!("{{\"schema_version\": 1, \"ledgers\": {}}}", serde_json::to_string(&heads).unwrap());
        assert_eq!(Heads::from_report(&json), Some(heads));
        assert_eq!(Heads::from_report("no checksum here"), None);
    }

    #[test]
    fn the_state_round_trips() {
        let s = State {
            lines: 3,
            len: 120,
            start: 80,
            prev: [1; 32],
            last: [2; 32],
            stamp: Some(Stamp { id: files::FileId { dev: 1, ino: 2 }, len: 120, ctime: 3, ctime_nsec: 4 }),
            max: vec![(2022, 7), (2023, 1)],
            undos: Some(2),
        };
        assert_eq!(State::parse(&s.to_text()), Some(s.clone()));
        let none = State { undos: Some(0), ..s.clone() };
        assert_eq!(State::parse(&none.to_text()), Some(none), "no undo rows, and known");
        let unknown = State { undos: None, ..s };
        assert_eq!(State::parse(&unknown.to_text()), Some(unknown.clone()), "not known");
        let odd = unknown.to_text() + "undos=4:3,7:6\nlater=1\n";
        assert_eq!(State::parse(&odd), Some(unknown), "an unreadable count or a later key: nothing worse");
        assert_eq!(State::parse("lines=1\n"), None, "no last link");
    }
}
