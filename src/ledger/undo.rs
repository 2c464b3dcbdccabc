//! `undo` 撤销 (SPEC §5.1): a row that cancels one earlier row, named by its
//! line. The fold drops cancelled rows in one place, before any case, count
//! or rule sees them ([`super::Book::apply_row`]); so it must know them before
//! it reaches them. [`find`] takes those of the lines an append recorded
//! from the state it left, and [`prescan`] finds the others by searching
//! the bytes for the event's spellings (undo rows are few, and searching is
//! far cheaper than parsing); the fold then checks that the undo rows it met
//! are exactly those, and folds again with what it met if not.

use super::files;
use super::model::{Col, LedgerKind};
use super::reader::{self, Header, RawRow};
use super::records::Records;
use std::collections::{HashMap, HashSet};
use std::io::Read;

/// What the fold knows of the undo rows of a ledger.
#[derive(Debug, Default)]
pub struct Undos {
    /// Line cancelled → the line of the (first) undo row cancelling it.
    pub targets: HashMap<u64, u64>,
    /// Undo rows met while folding: (undo line, line cancelled).
    pub seen: Vec<(u64, u64)>,
    /// Lines actually dropped, with the case they were of.
    pub dropped: HashMap<u64, Option<super::model::CaseId>>,
    /// Undo rows that may not cancel their line, and why.
    pub refused: HashMap<u64, String>,
    /// An append checks its own undo row beforehand: the fold takes it as it is.
    pub appending: bool,
    /// The lines of `targets`, in order, and where the last look-up
    /// stopped: rows come in line order, so each row costs a comparison,
    /// not a hash or a search.
    lines: Vec<u64>,
    cursor: std::sync::atomic::AtomicUsize,
}

impl Undos {
    pub fn new(found: &[(u64, u64)]) -> Undos {
        let mut targets = HashMap::new();
        for &(undo, target) in found {
            targets.entry(target).or_insert(undo);
        }
        let mut lines: Vec<u64> = targets.keys().copied().collect();
        lines.sort_unstable();
        Undos { targets, lines, ..Undos::default() }
    }

    /// The undo row cancelling `line`, if one does.
    pub fn cancelling(&self, line: u64) -> Option<u64> {
        use std::sync::atomic::Ordering::Relaxed;
        let lines = &self.lines;
        let mut i = self.cursor.load(Relaxed);
        if i > 0 && lines.get(i - 1).is_some_and(|&l| l >= line) {
            i = lines.partition_point(|&l| l < line); // asked out of order: search
        }
        while lines.get(i).is_some_and(|&l| l < line) {
            i += 1;
        }
        self.cursor.store(i, Relaxed);
        if lines.get(i) != Some(&line) {
            return None;
        }
        self.targets.get(&line).copied()
    }

    /// Whether the fold met other undo rows than those it was given.
    pub fn missed(&self) -> bool {
        let met: HashSet<(u64, u64)> = self.seen.iter().copied().collect();
        let given: HashSet<(u64, u64)> = self.targets.iter().map(|(t, u)| (*u, *t)).collect();
        !given.is_subset(&met) || self.seen.iter().any(|(u, t)| self.targets.get(t).is_none_or(|first| first > u))
    }
}

/// The undo rows of a ledger read from `input`: (line, line it cancels).
/// Only rows on one line are found here; the fold finds any other. Reads
/// in chunks of whole lines, so memory stays small whatever the file.
pub fn prescan(input: impl Read, kind: LedgerKind) -> std::io::Result<Vec<(u64, u64)>> {
    search(input, 1, None, kind)
}

/// The undo rows a ledger's record keeps, as (undo line, line cancelled),
/// with the lines and bytes of the ledger they are of
/// ([`super::history::kept_undos`]).
pub type Kept = (Vec<(u64, u64)>, u64, u64);

/// The undo rows of `file` (open and locked), taking those among the lines
/// its state recorded from the state when the last append kept them there
/// (SPEC §9), and searching only the lines after them; the whole file
/// otherwise.
pub fn find(file: &std::fs::File, kind: LedgerKind, kept: Option<Kept>) -> std::io::Result<Vec<(u64, u64)>> {
    let whole = || prescan(files::FromStart::new(file), kind);
    let Some((mut kept, lines, len)) = kept else { return whole() };
    if len == 0 || file.metadata()?.len() < len {
        return whole();
    }
    let Some((header, _)) = reader::header_of(files::FromStart::new(file).take(len), kind) else { return whole() };
    kept.extend(search(files::FromStart::at(file, len), lines + 1, Some(header), kind)?);
    Ok(kept)
}

/// The undo rows of whole lines read from `input`, the first on line
/// `line`; the header is read from the first of them unless given.
fn search(
    mut input: impl Read,
    mut line: u64,
    mut header: Option<Header>,
    kind: LedgerKind,
) -> std::io::Result<Vec<(u64, u64)>> {
    const CHUNK: usize = 256 << 10;
    let mut buf: Vec<u8> = Vec::with_capacity(2 * CHUNK);
    let mut chunk = vec![0u8; CHUNK];
    let mut found = Vec::new();
    loop {
        let n = input.read(&mut chunk)?;
        buf.extend_from_slice(&chunk[..n]);
        let end = match (n, memchr::memrchr(b'\n', &buf)) {
            (0, _) => buf.len(),
            (_, Some(i)) => i + 1,
            (_, None) => continue,
        };
        if header.is_none() {
            header = reader::header_of(&buf[..end], kind).map(|(h, _)| h);
        }
        if let Some(h) = &header {
            found.extend(scan(&buf[..end], line, h));
        }
        line += reader::count_newlines(&buf[..end]);
        buf.drain(..end);
        if n == 0 {
            return Ok(found);
        }
    }
}

/// Like [`prescan`], on bytes in memory.
pub fn prescan_bytes(bytes: &[u8], kind: LedgerKind) -> Vec<(u64, u64)> {
    prescan(bytes, kind).unwrap_or_default()
}

/// The undo rows among whole `lines`, the first of which is line `first`.
fn scan(lines: &[u8], first: u64, header: &Header) -> Vec<(u64, u64)> {
    let spellings: [&[u8]; 4] = ["撤销".as_bytes(), b"undo", b"Undo", b"UNDO"];
    let mut starts: Vec<usize> = Vec::new();
    for s in spellings {
        for hit in memchr::memmem::find_iter(lines, s) {
            starts.push(memchr::memrchr(b'\n', &lines[..hit]).map_or(0, |i| i + 1));
        }
    }
    starts.sort_unstable();
    starts.dedup();
    let mut found = Vec::new();
    let (mut line, mut counted) = (first, 0usize);
    for start in starts {
        line += reader::count_newlines(&lines[counted..start]);
        counted = start;
        let end = memchr::memchr(b'\n', &lines[start..]).map_or(lines.len(), |i| start + i + 1);
        if let Some(target) = undo_target(&lines[start..end], line, header) {
            found.push((line, target));
        }
    }
    found
}

/// The undo row (if it is one) of the one line `bytes`, which is line `line`.
pub fn prescan_bytes_at(bytes: &[u8], line: u64, header: &Header) -> Option<(u64, u64)> {
    undo_target(bytes, line, header).map(|t| (line, t))
}

/// The line an undo row on one line cancels, if the line is such a row.
fn undo_target(line_bytes: &[u8], line: u64, header: &Header) -> Option<u64> {
    let mut records = Records::new(line_bytes, line);
    let record = records.next().filter(|r| r.terminated && r.len() == header.len())?;
    target(&RawRow { line, record, header })
}

/// The line `raw` cancels, if it is an undo row.
pub fn target(raw: &RawRow) -> Option<u64> {
    let event = raw.text(Col::Event);
    if !(event == "撤销" || event.eq_ignore_ascii_case("undo")) {
        return None;
    }
    raw.text(Col::Ref).parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_undo_rows_by_their_spellings() {
        let text = "案号,日期,事件,接待领导,方式,村社区,来访人,人数,类别,诉求,关联,细项,备注\n\
                    ,2022-03-09,接待,管小波,公开接访,天灵村,,,,,,,\n\
                    ,2022-03-10,撤销,,,,,,,,2,,录错了日期\n\
                    ,2022-03-10,接待,管小波,公开接访,天灵村,,,,,,,\"undo 不是事件\"\n\
                    ,2022-03-11,UNDO,,,,,,,,4,,again\n";
        assert_eq!(prescan_bytes(text.as_bytes(), LedgerKind::Visits), vec![(3, 2), (5, 4)]);
        assert!(prescan_bytes(b"case,date\n", LedgerKind::Visits).is_empty());
    }

    #[test]
    fn the_kept_undo_rows_are_taken_and_only_the_lines_after_them_searched() {
        use std::io::Write;
        let recorded = "案号,日期,事件,接待领导,方式,村社区,来访人,人数,类别,诉求,关联,细项,备注\n\
                        ,2022-03-09,接待,管小波,公开接访,天灵村,,,,,,,\n\
                        ,2022-03-10,撤销,,,,,,,,2,,录错了\n";
        let after = ",2022-03-11,undo,,,,,,,,9,,again\n";
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(format!("{recorded}{after}").as_bytes()).unwrap();
        let kind = LedgerKind::Visits;
        assert_eq!(find(&file, kind, None).unwrap(), vec![(3, 2), (4, 9)], "no state: the whole file");
        let kept = |undos: Vec<(u64, u64)>, len: usize| Some((undos, 3, len as u64));
        // What the record keeps is taken as it is (the fold checks it), and line 4 on is searched.
        assert_eq!(find(&file, kind, kept(vec![(3, 1)], recorded.len())).unwrap(), vec![(3, 1), (4, 9)]);
        assert_eq!(
            find(&file, kind, kept(vec![], 4096)).unwrap(),
            vec![(3, 2), (4, 9)],
            "the file is shorter: searched"
        );
    }

    #[test]
    fn a_missed_undo_row_is_noticed() {
        let mut u = Undos::new(&[(3, 2)]);
        u.seen.push((3, 2));
        assert!(!u.missed());
        u.seen.push((9, 5));
        assert!(u.missed());
        let mut u = Undos::new(&[(3, 2)]);
        assert!(u.missed(), "given but never met");
        u.seen.push((3, 2));
        assert!(!u.missed());
    }

    #[test]
    fn a_cancelled_line_names_its_first_undo_in_any_order_asked() {
        let u = Undos::new(&[(30, 7), (12, 4), (40, 7)]);
        for (line, by) in [(7, Some(30)), (4, Some(12)), (5, None), (30, None), (1, None), (99, None), (4, Some(12))] {
            assert_eq!(u.cancelling(line), by, "line {line}");
        }
        assert_eq!(Undos::new(&[]).cancelling(4), None);
    }
}
