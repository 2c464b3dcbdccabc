//! Where each case's rows are, so that an append reads the rows of its own
//! case and never the whole file (SPEC §9).
//!
//! `.qunli/FILE.cases.YEAR` holds a 32-byte slot per case number of that
//! year (slot `n` at byte `32 × n`): the count of the case's rows and the
//! lines of up to seven of them, as little-endian `u32`s. A case with more
//! rows is marked as such and found by a search of the file, as a case
//! with a number of a million or more is. `.qunli/FILE.cases` says which
//! lines the slots cover: those after line `from` up to line `to`, where
//! the ledger was `len` bytes long. Lines up to `from` (rows there before
//! the index began) are searched.
//!
//! It is a shortcut, like the state: trusted only while it covers exactly
//! the lines the state records, each row it names is read back and must be
//! of its case, and whatever it cannot say sends the append to read the
//! whole ledger. A failure to keep it up costs a later append time, never a
//! row: the coverage is removed, and the next append starts it again.

use super::files;
use super::model::CaseId;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Bytes of a slot.
const SLOT: u64 = 32;
/// Lines a slot holds.
const ROWS: usize = 7;
/// The count of a case with more rows than a slot holds.
const OVERFLOW: u32 = u32::MAX;
/// Case numbers from here on are not indexed (a typo's number would make a huge file).
const MAX_NUM: u32 = 1_000_000;
const MAGIC: &str = "qunli-cases v1";

/// The lines the slots cover.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Lines before the index began, and the byte where they end.
    pub from: u64,
    pub from_len: u64,
    /// The last line covered, and the byte where it ends.
    pub to: u64,
    pub len: u64,
}

fn coverage_path(dir: &Path, ledger_file: &str) -> PathBuf {
    dir.join(".qunli").join(format!("{ledger_file}.cases"))
}

fn year_path(dir: &Path, ledger_file: &str, year: u16) -> PathBuf {
    dir.join(".qunli").join(format!("{ledger_file}.cases.{year}"))
}

/// The coverage recorded, if it can be read.
pub fn coverage(dir: &Path, ledger_file: &str) -> Option<Coverage> {
    let mut text = String::new();
    files::open_no_follow(OpenOptions::new().read(true), &coverage_path(dir, ledger_file))
        .ok()?
        .read_to_string(&mut text)
        .ok()?;
    let mut lines = text.lines();
    (lines.next()? == MAGIC).then_some(())?;
    let mut c = Coverage::default();
    let mut seen = 0;
    for line in lines {
        let (key, value) = line.split_once('=')?;
        let value: u64 = value.parse().ok()?;
        match key {
            "from" => c.from = value,
            "from_len" => c.from_len = value,
            "to" => c.to = value,
            "len" => c.len = value,
            _ => return None,
        }
        seen += 1;
    }
    (seen == 4 && c.from <= c.to && c.from_len <= c.len).then_some(c)
}

fn save_coverage(dir: &Path, ledger_file: &str, c: &Coverage) -> std::io::Result<()> {
    let text = format!("{MAGIC}\nfrom={}\nfrom_len={}\nto={}\nlen={}\n", c.from, c.from_len, c.to, c.len);
    files::replace_whole(&coverage_path(dir, ledger_file), text.as_bytes(), true)
}

/// Forgets the index: what follows starts it again.
pub fn forget(dir: &Path, ledger_file: &str) {
    let _ = std::fs::remove_file(coverage_path(dir, ledger_file));
}

/// The year files of a ledger's index.
fn year_files(dir: &Path, ledger_file: &str) -> Vec<PathBuf> {
    let prefix = format!("{ledger_file}.cases.");
    let Ok(entries) = std::fs::read_dir(dir.join(".qunli")) else { return Vec::new() };
    entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_str().is_some_and(|n| n.strip_prefix(&prefix).is_some_and(is_year)))
        .map(|e| e.path())
        .collect()
}

fn is_year(s: &str) -> bool {
    s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit())
}

fn open_year(dir: &Path, ledger_file: &str, year: u16, write: bool) -> std::io::Result<File> {
    let path = year_path(dir, ledger_file, year);
    let mut opts = OpenOptions::new();
    opts.read(true);
    if write {
        files::owner_only(opts.write(true).create(true).truncate(false));
    }
    files::open_no_follow(&mut opts, &path)
}

/// A slot's lines, or `None` for a case with more rows than a slot holds.
fn decode(slot: &[u8; SLOT as usize]) -> Option<Vec<u64>> {
    let word = |i: usize| u32::from_le_bytes(slot[4 * i..4 * i + 4].try_into().unwrap_or_default());
    let count = word(0);
    if count == OVERFLOW || count as usize > ROWS {
        return None;
    }
    Some((1..=count as usize).map(|i| u64::from(word(i))).collect())
}

fn encode(lines: Option<&[u64]>) -> [u8; SLOT as usize] {
    let mut slot = [0u8; SLOT as usize];
    match lines {
        Some(l) if l.len() <= ROWS && l.iter().all(|&n| n <= u64::from(u32::MAX)) => {
            slot[..4].copy_from_slice(&(l.len() as u32).to_le_bytes());
            for (i, &n) in l.iter().enumerate() {
                slot[4 + 4 * i..8 + 4 * i].copy_from_slice(&(n as u32).to_le_bytes());
            }
        }
        _ => slot[..4].copy_from_slice(&OVERFLOW.to_le_bytes()),
    }
    slot
}

/// The slot with one more line (or marked as holding too many).
fn with_line(slot: &[u8; SLOT as usize], line: u64) -> [u8; SLOT as usize] {
    match decode(slot) {
        Some(mut lines) => {
            lines.push(line);
            encode(Some(&lines))
        }
        None => encode(None),
    }
}

/// What `list` keeps for `year`, made by `make` the first time.
fn of_year<T>(
    list: &mut Vec<(u16, T)>,
    year: u16,
    make: impl FnOnce() -> std::io::Result<T>,
) -> std::io::Result<&mut T> {
    let i = match list.iter().position(|(y, _)| *y == year) {
        Some(i) => i,
        None => {
            list.push((year, make()?));
            list.len() - 1
        }
    };
    Ok(&mut list[i].1)
}

fn read_slot(file: &mut File, num: u32) -> std::io::Result<[u8; SLOT as usize]> {
    let mut slot = [0u8; SLOT as usize];
    let at = SLOT * u64::from(num);
    if file.metadata()?.len() >= at + SLOT {
        file.seek(SeekFrom::Start(at))?;
        file.read_exact(&mut slot)?;
    }
    Ok(slot)
}

/// The lines of `id`'s rows among the covered lines, in file order;
/// `None` when the index cannot say (too many rows, a number too high, a
/// slot unreadable or naming lines it does not cover).
pub fn lines_of(dir: &Path, ledger_file: &str, id: CaseId, covered: &Coverage) -> Option<Vec<u64>> {
    if id.num >= MAX_NUM {
        return None;
    }
    let mut file = match open_year(dir, ledger_file, id.year, false) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Some(Vec::new()),
        Err(_) => return None,
    };
    let lines = decode(&read_slot(&mut file, id.num).ok()?)?;
    let sound = lines.windows(2).all(|w| w[0] < w[1]) && lines.iter().all(|&l| l > covered.from && l <= covered.to);
    sound.then_some(lines)
}

/// Notes rows appended after the covered lines — `rows` (their case and
/// line), then `lines` lines and `len` bytes in all — and covers them.
/// Any failure forgets the index (the slots written are put back first).
pub fn note(dir: &Path, ledger_file: &str, covered: Coverage, rows: &[(CaseId, u64)], lines: u64, len: u64) {
    // Each year's file is opened once and synced once, however many rows (an import).
    let mut years: Vec<(u16, File)> = Vec::new();
    let mut written: Vec<(u16, u64, [u8; SLOT as usize])> = Vec::new();
    let result = (|| -> std::io::Result<()> {
        for &(id, line) in rows {
            if id.num >= MAX_NUM {
                continue;
            }
            let file = of_year(&mut years, id.year, || open_year(dir, ledger_file, id.year, true))?;
            let old = read_slot(file, id.num)?;
            let new = with_line(&old, line);
            file.seek(SeekFrom::Start(SLOT * u64::from(id.num)))?;
            file.write_all(&new)?;
            written.push((id.year, SLOT * u64::from(id.num), old));
        }
        for (_, file) in &years {
            file.sync_data()?;
        }
        save_coverage(dir, ledger_file, &Coverage { to: lines, len, ..covered })
    })();
    if result.is_err() {
        forget(dir, ledger_file);
        for (year, at, old) in written.into_iter().rev() {
            if let Some((_, file)) = years.iter_mut().find(|(y, _)| *y == year) {
                let _ = file.seek(SeekFrom::Start(at)).and_then(|_| file.write_all(&old));
            }
        }
    }
}

/// Starts the index again after line `from` (ending at byte `from_len`):
/// the rows there are searched for, those after are noted.
pub fn restart(dir: &Path, ledger_file: &str, from: u64, from_len: u64) -> Coverage {
    forget(dir, ledger_file);
    for path in year_files(dir, ledger_file) {
        let _ = std::fs::remove_file(path);
    }
    Coverage { from, from_len, to: from, len: from_len }
}

/// Makes the index anew from every row of the ledger (`rows`: case and
/// line, in file order), covering `lines` lines and `len` bytes.
pub fn rebuild(dir: &Path, ledger_file: &str, rows: &[(CaseId, u64)], lines: u64, len: u64) {
    let start = restart(dir, ledger_file, 0, 0);
    let mut years: Vec<(u16, Vec<[u8; SLOT as usize]>)> = Vec::new();
    for &(id, line) in rows {
        if id.num >= MAX_NUM {
            continue;
        }
        let Ok(year) = of_year(&mut years, id.year, || Ok(Vec::new())) else { continue };
        let n = id.num as usize;
        if year.len() <= n {
            year.resize(n + 1, [0u8; SLOT as usize]);
        }
        year[n] = with_line(&year[n], line);
    }
    let result = (|| -> std::io::Result<()> {
        for (year, slots) in &years {
            let mut file = open_year(dir, ledger_file, *year, true)?;
            files::cut_and_append(&mut file, 0, slots.as_flattened())?;
        }
        save_coverage(dir, ledger_file, &Coverage { to: lines, len, ..start })
    })();
    if result.is_err() {
        forget(dir, ledger_file);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::model::LedgerKind;

    fn id(num: u32) -> CaseId {
        CaseId { kind: LedgerKind::Visits, year: 2022, num }
    }

    #[test]
    fn a_slot_holds_seven_lines_then_says_it_cannot() {
        let lines: Vec<u64> = (1..=ROWS as u64).map(|n| n * 10).collect();
        assert_eq!(decode(&encode(Some(&lines))), Some(lines.clone()));
        assert_eq!(decode(&encode(Some(&[]))), Some(vec![]));
        let eight: Vec<u64> = (1..=8).collect();
        assert_eq!(decode(&encode(Some(&eight))), None);
        assert_eq!(decode(&encode(None)), None);
    }

    #[test]
    fn noted_rows_are_found_and_only_while_covered() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        std::fs::create_dir(dir.join(".qunli")).unwrap();
        let start = restart(dir, "visits.csv", 1, 100);
        note(dir, "visits.csv", start, &[(id(1), 2), (id(2), 3), (id(1), 4)], 4, 400);
        let c = coverage(dir, "visits.csv").unwrap();
        assert_eq!(c, Coverage { from: 1, from_len: 100, to: 4, len: 400 });
        assert_eq!(lines_of(dir, "visits.csv", id(1), &c), Some(vec![2, 4]));
        assert_eq!(lines_of(dir, "visits.csv", id(2), &c), Some(vec![3]));
        assert_eq!(lines_of(dir, "visits.csv", id(9), &c), Some(vec![]));
        assert_eq!(lines_of(dir, "visits.csv", id(MAX_NUM), &c), None);
        // A slot naming a line past the coverage is not believed.
        let shorter = Coverage { to: 3, len: 300, ..c };
        assert_eq!(lines_of(dir, "visits.csv", id(1), &shorter), None);
        // Rebuilt from every row, from the first line on.
        rebuild(dir, "visits.csv", &[(id(5), 2), (id(5), 9)], 9, 900);
        let c = coverage(dir, "visits.csv").unwrap();
        assert_eq!((c.from, c.to), (0, 9));
        assert_eq!(lines_of(dir, "visits.csv", id(5), &c), Some(vec![2, 9]));
        assert_eq!(lines_of(dir, "visits.csv", id(1), &c), Some(vec![]));
    }
}
