//! The one place that reads ledger CSV: BOM, header language and order,
//! field counts, UTF-8, torn last rows. Rows stream past as byte records.

use super::model::{Col, LedgerKind, N_COLS};
use crate::error::{Error, Problem, Result};
use csv::ByteRecord;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// Where each column sits in a ledger file, and what the header called it.
#[derive(Clone, Debug)]
pub struct Header {
    pub kind: LedgerKind,
    /// The header cells as written.
    pub names: Vec<String>,
    /// The position of each column.
    pos: [Option<usize>; N_COLS],
}

impl Header {
    /// The header the tool writes for a new ledger.
    pub fn new(kind: LedgerKind, lang: crate::lang::Lang) -> Self {
        let mut pos = [None; N_COLS];
        let names = kind
            .columns()
            .iter()
            .enumerate()
            .map(|(i, c)| {
                pos[c.col as usize] = Some(i);
                c.header(lang).to_string()
            })
            .collect();
        Header { kind, names, pos }
    }

    /// Parses a header row; every problem is named.
    pub fn parse(kind: LedgerKind, cells: &[&str]) -> std::result::Result<Self, Vec<String>> {
        let mut pos = [None; N_COLS];
        let mut errors = Vec::new();
        for (i, raw) in cells.iter().enumerate() {
            let name = raw.trim();
            let def = kind.columns().iter().find(|c| name == c.zh || name.eq_ignore_ascii_case(c.en));
            match def {
                Some(d) if pos[d.col as usize].is_some() => errors.push(format!("column \"{name}\" appears twice")),
                Some(d) => pos[d.col as usize] = Some(i),
                None => {
                    let known = kind.columns().iter().flat_map(|c| [c.en, c.zh]);
                    errors.push(crate::error::unknown("column", name, known) + &format!(" in {}", kind.file_name()))
                }
            }
        }
        for c in kind.columns() {
            if pos[c.col as usize].is_none() {
                errors.push(format!("missing column \"{}\" ({})", c.en, c.zh));
            }
        }
        if errors.is_empty() {
            Ok(Header { kind, names: cells.iter().map(|s| s.trim().to_string()).collect(), pos })
        } else {
            Err(errors)
        }
    }

    /// The position of a column of this ledger (every one is there once the header is valid).
    pub fn position(&self, col: Col) -> usize {
        self.pos[col as usize].unwrap_or(usize::MAX)
    }

    /// The column's name as this file's header writes it.
    pub fn name(&self, col: Col) -> &str {
        self.names.get(self.position(col)).map_or("", String::as_str)
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// One row of a ledger: the record, its line, and the header to find fields.
pub struct RawRow<'a> {
    pub line: u64,
    pub record: &'a ByteRecord,
    pub header: &'a Header,
}

impl RawRow<'_> {
    /// The field's bytes, without surrounding ASCII white space (a CR of a CRLF line end included).
    pub fn bytes(&self, col: Col) -> &[u8] {
        self.record.get(self.header.position(col)).unwrap_or(b"").trim_ascii()
    }

    /// The field as trimmed text (the record was checked to be UTF-8).
    pub fn text(&self, col: Col) -> &str {
        std::str::from_utf8(self.bytes(col)).unwrap_or("").trim()
    }
}

/// What a read found besides the rows.
#[derive(Debug, Default)]
pub struct ReadInfo {
    /// Rows read (complete, well-formed ones and not).
    pub rows: u64,
    /// The file exists.
    pub exists: bool,
    /// The file does not end with a newline: a crash cut its last row.
    pub torn: bool,
    /// Bytes up to the end of the last complete row.
    pub complete_len: u64,
    /// The line a row appended now would be on.
    pub next_line: u64,
}

/// How many bytes of a file of length `len` end at its last newline.
pub fn complete_length(file: &mut File, len: u64) -> std::io::Result<u64> {
    const CHUNK: u64 = 64 * 1024;
    let mut end = len;
    let mut buf = vec![0u8; CHUNK as usize];
    while end > 0 {
        let start = end.saturating_sub(CHUNK);
        let n = (end - start) as usize;
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(&mut buf[..n])?;
        if let Some(i) = buf[..n].iter().rposition(|&b| b == b'\n') {
            return Ok(start + i as u64 + 1);
        }
        end = start;
    }
    Ok(0)
}

pub const GB18030_HINT: &str = "not valid UTF-8: the file is probably GB18030/GBK (as Excel saves CSV on Chinese \
     Windows); convert it with `qunli import --encoding gb18030 FILE --into LEDGER`, or save it from Excel as \
     \"CSV UTF-8\"";

/// Reads a ledger, calling `row` for every well-formed row; problems go to
/// `problems`. A missing or empty file is an empty ledger.
///
/// The read holds a shared lock, so it never sees an append half done.
pub fn read(
    path: &Path,
    kind: LedgerKind,
    problems: &mut Vec<Problem>,
    row: impl FnMut(&RawRow),
) -> Result<(Option<Header>, ReadInfo)> {
    let name = crate::workspace::display_path(path);
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((None, ReadInfo::default())),
        Err(e) => return Err(Error::io(path, e)),
    };
    file.lock_shared().map_err(|e| Error::io(path, e))?;
    read_from(&mut file, &name, kind, problems, row)
}

/// Reads a ledger from a file the caller has opened (and locked); `name` names it in problems.
pub fn read_from(
    file: &mut File,
    name: &str,
    kind: LedgerKind,
    problems: &mut Vec<Problem>,
    mut row: impl FnMut(&RawRow),
) -> Result<(Option<Header>, ReadInfo)> {
    let path = Path::new(name);
    let name = name.to_string();
    let mut info = ReadInfo { exists: true, ..ReadInfo::default() };
    let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
    let complete = complete_length(file, len).map_err(|e| Error::io(path, e))?;
    info.torn = complete < len;
    info.complete_len = complete;
    file.seek(SeekFrom::Start(0)).map_err(|e| Error::io(path, e))?;
    read_stream((&*file).take(complete), &name, kind, &mut info, problems, &mut row)
}

/// Reads a ledger held in memory (for tests and fuzzing); the same checks as a file.
pub fn read_bytes(
    bytes: &[u8],
    name: &str,
    kind: LedgerKind,
    problems: &mut Vec<Problem>,
    mut row: impl FnMut(&RawRow),
) -> Result<(Option<Header>, ReadInfo)> {
    let complete = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let mut info =
        ReadInfo { exists: true, torn: complete < bytes.len(), complete_len: complete as u64, ..ReadInfo::default() };
    read_stream(&bytes[..complete], name, kind, &mut info, problems, &mut row)
}

/// The longest field accepted; longer ones are almost surely an unclosed quote.
pub const MAX_FIELD: usize = 64 * 1024;

fn read_stream<R: Read>(
    input: R,
    name: &str,
    kind: LedgerKind,
    info: &mut ReadInfo,
    problems: &mut Vec<Problem>,
    row: &mut impl FnMut(&RawRow),
) -> Result<(Option<Header>, ReadInfo)> {
    let name = name.to_string();
    let mut info = std::mem::take(info);
    let mut problem = |line: u64, message: String| problems.push(Problem { file: name.clone(), line, message });
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(256 * 1024)
        // Lines end at LF (a CR before it stays in the last field and is trimmed): line numbers stay exact.
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(input);
    let mut record = ByteRecord::new();
    let header = loop {
        match rdr.read_byte_record(&mut record) {
            Ok(false) => {
                if info.torn {
                    problem(1, "incomplete last row (the file does not end with a newline); run `qunli repair`".into());
                }
                return Ok((None, info));
            }
            Ok(true) => {}
            Err(e) => {
                problem(1, format!("unreadable header: {e}"));
                return Ok((None, info));
            }
        }
        // A file holding only a BOM, or blank lines, has no header yet.
        if record.len() == 1 && matches!(record.get(0), Some(b"" | b"\xEF\xBB\xBF")) {
            continue;
        }
        let line = record.position().map_or(1, |p| p.line());
        if std::str::from_utf8(record.as_slice()).is_err() {
            problem(line, GB18030_HINT.into());
            return Ok((None, info));
        }
        let cells: Vec<&str> =
            record.iter().map(|f| std::str::from_utf8(f).unwrap_or("").trim_start_matches('\u{feff}')).collect();
        match Header::parse(kind, &cells) {
            Ok(h) => break h,
            Err(errors) => {
                for e in errors {
                    problem(line, e);
                }
                return Ok((None, info));
            }
        }
    };

    let width = header.len();
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problem(line, format!("unreadable row: {e}"));
                break;
            }
        }
        info.rows += 1;
        let line = record.position().map_or(0, |p| p.line());
        if simdutf8::basic::from_utf8(record.as_slice()).is_err() {
            problem(line, GB18030_HINT.into());
            // The rest of the file is surely in the same encoding.
            break;
        }
        if record.as_slice().contains(&0) {
            problem(line, "a NUL byte: the file is damaged or not a text file".into());
            continue;
        }
        if let Some(i) = record.iter().position(|f| f.len() > MAX_FIELD) {
            let col = header.names.get(i).map_or("?", String::as_str);
            problem(line, format!("{col}: a field of over {MAX_FIELD} bytes (an unclosed quote?)"));
            continue;
        }
        if record.len() != width {
            if record.len() == 1 && record.get(0).is_some_and(|f| f.iter().all(u8::is_ascii_whitespace)) {
                continue; // a blank line
            }
            problem(line, format!("expected {width} fields as in the header, found {}", record.len()));
            continue;
        }
        row(&RawRow { line, record: &record, header: &header });
    }
    info.next_line = rdr.position().line();
    if info.torn {
        let line = rdr.position().line();
        problem(line, "incomplete last row (the file does not end with a newline); run `qunli repair`".into());
    }
    Ok((Some(header), info))
}
