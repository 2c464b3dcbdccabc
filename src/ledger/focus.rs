//! The quick read an append needs (SPEC §9: `visit add` on a million-row
//! ledger in well under a second): the header, the torn-row check, the
//! highest case numbers (kept in `.qunli/FILE.state` and brought up to date
//! from the bytes appended since), and the rows of the one case the new row
//! is about — found by searching the bytes for its number, not by parsing
//! every row. Whenever the quick read cannot be sure, it says so and the
//! caller reads the whole ledger.

use super::book::{note_max, Book};
use super::model::{CaseId, Col, LedgerKind};
use super::reader::{self, Header, RawRow};
use super::records::Records;
use super::row::Lookup;
use crate::config::Settings;
use crate::error::Problem;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// The highest case number per year, as of a length of the ledger.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct State {
    pub len: u64,
    pub max: Vec<(u16, u32)>,
}

pub fn state_path(dir: &Path, ledger_file: &str) -> std::path::PathBuf {
    dir.join(".qunli").join(format!("{ledger_file}.state"))
}

impl State {
    fn parse(text: &str) -> Option<State> {
        let mut state = State::default();
        for line in text.lines() {
            if let Some(v) = line.strip_prefix("len=") {
                state.len = v.parse().ok()?;
            } else if let Some(v) = line.strip_prefix("max=") {
                for pair in v.split(',').filter(|p| !p.is_empty()) {
                    let (y, n) = pair.split_once(':')?;
                    state.max.push((y.parse().ok()?, n.parse().ok()?));
                }
            }
        }
        Some(state)
    }

    pub fn load(dir: &Path, ledger_file: &str) -> Option<State> {
        State::parse(&std::fs::read_to_string(state_path(dir, ledger_file)).ok()?)
    }

    /// Saves the state whole (written aside, then renamed into place).
    pub fn save(&self, dir: &Path, ledger_file: &str) -> std::io::Result<()> {
        let path = state_path(dir, ledger_file);
        std::fs::create_dir_all(path.parent().expect("in .qunli"))?;
        let tmp = path.with_extension(format!("state.{}.tmp", std::process::id()));
        let max: Vec<String> = self.max.iter().map(|(y, n)| format!("{y}:{n}")).collect();
        std::fs::write(&tmp, format!("len={}\nmax={}\n", self.len, max.join(",")))?;
        std::fs::rename(&tmp, &path)
    }
}

/// Reads the case numbers of the complete rows in `from..to` (after the
/// header). `false` when a quote opened there is never closed: rows appended
/// after it would be read as part of it, and only the whole read says so.
fn scan_max(file: &File, header: &Header, from: u64, to: u64, max: &mut Vec<(u16, u32)>) -> std::io::Result<bool> {
    let mut f = file;
    f.seek(SeekFrom::Start(from))?;
    let pos = header.position(Col::Case);
    let mut closed = true;
    reader::for_each_record(f.take(to - from), 2, |rec| {
        closed &= rec.terminated;
        if let Some(c) = rec.get(pos).and_then(|b| CaseId::parse_bytes(b.trim_ascii())) {
            note_max(max, c);
        }
    })?;
    Ok(closed)
}

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
    let len = file.metadata()?.len();
    let complete = reader::complete_length(file, len)?;
    if complete < len || complete == 0 {
        return Ok(None); // torn or empty: the whole read says exactly what is wrong
    }
    // The header: the first record.
    file.seek(SeekFrom::Start(0))?;
    let Some((header, body_start)) = reader::header_of((&*file).take(complete), kind) else { return Ok(None) };
    let ledger_file = kind.file_name();

    // The highest numbers: from the state, brought up to date with what was appended since.
    let mut max = Vec::new();
    let closed = match State::load(dir, ledger_file) {
        Some(s) if s.len >= body_start && s.len <= complete => {
            max = s.max;
            scan_max(file, &header, s.len, complete, &mut max)?
        }
        _ => scan_max(file, &header, body_start, complete, &mut max)?,
    };
    if !closed {
        return Ok(None);
    }

    let mut book = Book::empty(kind, name.to_string(), settings, None);
    book.header = Some(header.clone());
    book.info = reader::ReadInfo { exists: true, complete_len: complete, ..reader::ReadInfo::default() };
    book.max_num = max;
    let mut problems = Vec::new();

    // The focus case's rows, in file order, and the line count for the next row.
    let lookup = Lookup::new(settings);
    let needle = focus.map(|c| c.to_string());
    let finder = needle.as_deref().map(|n| memchr::memmem::Finder::new(n.as_bytes()));
    file.seek(SeekFrom::Start(0))?;
    let mut reader = (&*file).take(complete);
    const CHUNK: usize = 4 << 20;
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK + 64 * 1024);
    let mut lines_before = 0u64; // newlines before buf[0]
    let mut offset = 0u64; // file offset of buf[0]
    let mut chunk = vec![0u8; CHUNK];
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
                // The slice holds one line break, at its end: a record read
                // from it is the whole line exactly when it ended there.
                let mut one = Records::new(&whole[start..=end], line_no + 1);
                let Some(record) = one.next().filter(|r| r.terminated) else { return Ok(None) };
                if record.len() != header.len() || std::str::from_utf8(record.bytes()).is_err() {
                    return Ok(None); // a quoted line break or a damaged row: read everything
                }
                let raw = RawRow { line: record.line, record, header: &header };
                if raw.bytes(Col::Case) != needle.as_deref().unwrap_or("").as_bytes() {
                    continue; // the number is in another column (a reference, a note)
                }
                if let Err(errors) = book.apply_raw(&raw, &lookup) {
                    problems.extend(errors.into_iter().map(|message| Problem {
                        file: name.to_string(),
                        line: raw.line,
                        message,
                    }));
                }
            }
        }
        lines_before += reader::count_newlines(whole);
        let consumed = last_nl + 1;
        offset += consumed as u64;
        buf.drain(..consumed);
    }
    book.info.next_line = lines_before + 1;
    Ok(Some(Quick { book, problems }))
}
