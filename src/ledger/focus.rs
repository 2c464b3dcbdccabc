//! The quick read an append needs (SPEC §9: `visit add` on a million-row
//! ledger in well under a second): the header, the line and highest case
//! numbers (kept in `.qunli/FILE.state` by the last append, trusted only
//! while the ledger is exactly as that append left it), and the rows of
//! the one case the new row is about — found through the case index
//! (`case_index`), and in the lines before the index began by searching the
//! bytes for its number, never by parsing every row. Whenever the quick
//! read cannot be sure, it says so and the caller reads the whole ledger.

use super::book::Book;
use super::case_index;
use super::files::Stamp;
use super::history;
use super::model::{CaseId, Col, LedgerKind};
use super::reader::{self, Header, RawRow};
use super::records::Records;
use super::row::Lookup;
use crate::config::Settings;
use crate::error::Problem;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// What the quick read found, or `None` when only a whole read will do.
pub struct Quick {
    pub book: Book,
    pub problems: Vec<Problem>,
}

/// The quick read of `file` (open and exclusively locked) for an append
/// about `focus` (a case, or none for a new case or a caseless row).
pub fn read(
    settings: &Settings,
    dir: &Path,
    file: &mut File,
    name: &str,
    kind: LedgerKind,
    focus: Option<CaseId>,
) -> std::io::Result<Option<Quick>> {
    let ledger_file = kind.file_name();
    // The shortcut holds only while the ledger is exactly as the last append left it:
    // the same file, length and change time, and its last recorded line in place (SPEC §8.1).
    let history::Loaded::Present(kept) = history::load(dir, ledger_file) else { return Ok(None) };
    let state = kept.state.clone();
    if kept.count != state.lines || state.lines == 0 || state.stamp != Some(Stamp::of(file)?) {
        return Ok(None);
    }
    let complete = state.len;
    let mut last = vec![0u8; (complete - state.start.min(complete)) as usize];
    file.seek(SeekFrom::Start(state.start))?;
    file.read_exact(&mut last)?;
    if last.last() != Some(&b'\n') || history::next_link(&state.prev, &last) != state.last {
        return Ok(None);
    }
    // The header: the first record.
    file.seek(SeekFrom::Start(0))?;
    let Some((header, body_start)) = reader::header_of((&*file).take(complete), kind) else { return Ok(None) };
    let max = state.max.clone();
    let position = history::Position {
        lines: state.lines,
        end: state.len,
        start: state.start,
        prev: state.prev,
        last: state.last,
    };
    let walked = history::Walked { pos: position, recorded: state.lines, ..history::Walked::default() };
    let mut book = Book::empty(kind, name.to_string(), settings, None);
    book.header = Some(header.clone());
    book.info = reader::ReadInfo {
        exists: true,
        complete_len: complete,
        next_line: state.lines + 1,
        history: Some(walked),
        ..reader::ReadInfo::default()
    };
    book.max_num = max;
    book.undo_rows = state.undos.map_or(history::UndoRows::Unknown, |n| history::UndoRows::Kept(n, Vec::new()));
    let Some(focus) = focus else { return Ok(Some(Quick { book, problems: Vec::new() })) };
    let mut problems = Vec::new();

    // The focus case's rows, in file order: from the case index where it
    // covers the ledger as recorded, by a search of the bytes before it.
    let lookup = Lookup::new(settings);
    let needle = Some(focus.to_string());
    let covered = case_index::coverage(dir, ledger_file).filter(|c| c.to == state.lines && c.len == state.len);
    let indexed = covered.and_then(|c| Some((c, case_index::lines_of(dir, ledger_file, focus, &c)?)));
    let searched = indexed.as_ref().map_or(complete, |(c, _)| c.from_len.min(complete));
    let finder = needle.as_deref().map(|n| memchr::memmem::Finder::new(n.as_bytes()));
    file.seek(SeekFrom::Start(0))?;
    let mut reader = (&*file).take(searched);
    const CHUNK: usize = 4 << 20;
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK + 64 * 1024);
    let mut lines_before = 0u64; // newlines before buf[0]
    let mut offset = 0u64; // file offset of buf[0]
    let mut chunk = vec![0u8; CHUNK];
    let mut rows: Vec<(u64, Vec<u8>)> = Vec::new();
    loop {
        let n = reader.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        // Work on whole lines; keep the rest for the next round.
        let Some(last_nl) = memchr::memrchr(b'\n', &buf) else { continue };
        let whole = &buf[..=last_nl];
        if let Some(f) = &finder {
            let mut counted_to = 0usize;
            let mut line_no = lines_before;
            let mut last_line_start = usize::MAX;
            for hit in f.find_iter(whole) {
                let start = memchr::memrchr(b'\n', &whole[..hit]).map_or(0, |i| i + 1);
                if start == last_line_start {
                    continue;
                }
                last_line_start = start;
                let end = hit + memchr::memchr(b'\n', &whole[hit..]).expect("whole lines");
                line_no += reader::count_newlines(&whole[counted_to..start]);
                counted_to = start;
                if offset + (start as u64) < body_start {
                    continue; // the header line
                }
                match of_case(&whole[start..=end], line_no + 1, &header, needle.as_deref().unwrap_or("")) {
                    None => return Ok(None), // a quoted line break or a damaged row: read everything
                    Some(false) => continue, // the number is in another column (a reference, a note)
                    // Kept to fold once every row of the case is known: an undo row
                    // (of the same case) may cancel one before it.
                    Some(true) => rows.push((line_no + 1, whole[start..=end].to_vec())),
                }
            }
        }
        lines_before += reader::count_newlines(whole);
        let consumed = last_nl + 1;
        offset += consumed as u64;
        buf.drain(..consumed);
    }
    for &line in indexed.as_ref().map_or(&[][..], |(_, lines)| lines.as_slice()) {
        // Each row the index names is read back, and must be whole and of this case.
        let (Some(start), Some(end)) = (kept.line_end(line - 1)?, kept.line_end(line)?) else { return Ok(None) };
        if end <= start || end > complete || end - start > reader::MAX_FIELD as u64 {
            return Ok(None);
        }
        let mut bytes = vec![0u8; (end - start) as usize];
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(&mut bytes)?;
        if of_case(&bytes, line, &header, needle.as_deref().unwrap_or("")) != Some(true) {
            return Ok(None);
        }
        rows.push((line, bytes));
    }
    if rows.is_empty() {
        return Ok(None); // a case with no row yet: the whole read names the problem
    }
    // The case's undo rows, then its rows folded without those they cancel.
    let undos: Vec<(u64, u64)> =
        rows.iter().flat_map(|(line, bytes)| super::undo::prescan_bytes_at(bytes, *line, &header)).collect();
    book.undos = super::undo::Undos::new(&undos);
    for (line, bytes) in &rows {
        let mut one = Records::new(bytes, *line);
        let Some(record) = one.next() else { continue };
        let raw = RawRow { line: *line, record, header: &header };
        if let Err(errors) = book.apply_raw(&raw, &lookup) {
            problems.extend(errors.into_iter().map(|message| Problem { file: name.to_string(), line: *line, message }));
        }
    }
    if book.undos.missed() {
        return Ok(None); // an undo the case's rows do not explain: read everything
    }
    Ok(Some(Quick { book, problems }))
}

/// Whether the one line `bytes` (line `line`, ending with its line break)
/// is a whole, sound row of the case numbered `case`; `None` when it is no
/// whole row (a quoted line break runs on past it) or a damaged one.
fn of_case(bytes: &[u8], line: u64, header: &Header, case: &str) -> Option<bool> {
    // The slice holds one line break, at its end: a record read from it is
    // the whole line exactly when it ended there.
    let mut one = Records::new(bytes, line);
    let record = one.next().filter(|r| r.terminated && r.len() == header.len())?;
    std::str::from_utf8(record.bytes()).ok()?;
    let raw = RawRow { line, record, header };
    Some(raw.bytes(Col::Case) == case.as_bytes())
}
