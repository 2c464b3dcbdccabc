//! The one place that reads ledger CSV: BOM, header language and order,
//! field counts, UTF-8, torn last rows. Rows stream past as records, read on
//! as many threads as the machine has when a ledger is loaded whole.

use super::files::FromStart;
use super::history::{self, Walker};
use super::model::{Col, LedgerKind, N_COLS};
use super::records::{self, Record, Records};
use crate::error::{Error, Problem, Result};
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
        // Excel and WPS leave empty columns at the end of a header: they name nothing.
        let named = cells.iter().rposition(|c| !c.trim().is_empty()).map_or(0, |i| i + 1);
        for (i, raw) in cells.iter().enumerate().take(named) {
            let name = raw.trim();
            let def = kind.columns().iter().find(|c| name == c.zh || name.eq_ignore_ascii_case(c.en));
            match def {
                Some(d) if pos[d.col as usize].is_some() => errors.push(
                    crate::lang::messages()
                        .pick(format!("列“{name}”出现了两次"), format!("column \"{name}\" appears twice")),
                ),
                Some(d) => pos[d.col as usize] = Some(i),
                None => {
                    let known = kind.columns().iter().flat_map(|c| [c.en, c.zh]);
                    let lang = crate::lang::messages();
                    errors.push(
                        crate::error::unknown("column", name, known)
                            + &lang.pick(format!("（{}）", kind.file_name()), format!(" in {}", kind.file_name())),
                    )
                }
            }
        }
        for c in kind.columns() {
            // `ref` and `detail` came later: an older file without them is read as before (SPEC §5.1).
            if pos[c.col as usize].is_none() && !matches!(c.col, Col::Ref | Col::Detail) {
                errors.push(
                    crate::lang::messages().pick(
                        format!("缺少列“{}”（{}）", c.zh, c.en),
                        format!("missing column \"{}\" ({})", c.en, c.zh),
                    ),
                );
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
    pub record: Record<'a>,
    pub header: &'a Header,
}

impl RawRow<'_> {
    /// The field's bytes, without surrounding ASCII white space (a CR of a CRLF line end included).
    pub fn bytes(&self, col: Col) -> &[u8] {
        self.record.get(self.header.position(col)).unwrap_or(b"").trim_ascii()
    }

    /// The field as trimmed text (the record was checked to be UTF-8).
    /// Free text loses the mark that kept a spreadsheet from running it (SPEC §5.1).
    pub fn text(&self, col: Col) -> &str {
        let t = std::str::from_utf8(self.bytes(col)).unwrap_or("").trim();
        if col.is_free_text() {
            super::model::stored_text(t)
        } else {
            t
        }
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
    /// The line of a quote never closed: a row appended now would be read
    /// as part of its field.
    pub open_quote: Option<u64>,
    /// Its line breaks are CR alone (old Mac style): it has no line at all.
    pub cr_only: bool,
    /// The chain over the complete lines, and how they compare with the
    /// ledger's record (when the read was asked to walk it).
    pub history: Option<history::Walked>,
    /// Where the blocks of whole records a parallel read cut began, as
    /// (line, byte) in file order: where a later read of a few lines can
    /// start ([`rows_between`]).
    pub blocks: Vec<(u64, u64)>,
}

/// How many bytes of a file of length `len` end at its last newline.
pub fn complete_length(mut file: &File, len: u64) -> std::io::Result<u64> {
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

pub fn gb18030_hint() -> String {
    crate::lang::messages()
        .t(
            "不是有效的 UTF-8：这个文件多半是 GB18030/GBK 编码（中文 Windows 上 Excel 保存的 CSV）；\
             请用 `qunli import --encoding gb18030 文件 --into 台账` 转换（台账文件本身也可以，原文件保留为 文件.gb18030），\
             或在 Excel 中另存为“CSV UTF-8”",
            "not valid UTF-8: the file is probably GB18030/GBK (as Excel saves CSV on Chinese Windows); convert it \
             with `qunli import --encoding gb18030 FILE --into LEDGER` (the ledger itself too: the original is kept \
             as FILE.gb18030), or save it from Excel as \"CSV UTF-8\"",
        )
        .to_string()
}

/// The longest field accepted; longer ones are almost surely an unclosed quote.
pub const MAX_FIELD: usize = 64 * 1024;

/// How much of a file one block holds (a block grows to hold a longer record).
const BLOCK: usize = 256 * 1024;

/// Longer than any sound record (thirteen fields at most, each at most
/// `MAX_FIELD`), so a record still open past this is read with the rest of
/// the file in one block (what it reads is the same either way; only the
/// time to find its end differs).
const LONGEST_RECORD: usize = 1024 * 1024;

/// A stretch of the file holding whole records, and the line it starts on.
struct Block {
    line: u64,
    /// Where it starts in the input.
    start: u64,
    bytes: Vec<u8>,
}

/// Cuts what `input` holds into blocks of whole records.
struct Blocks<R> {
    input: R,
    /// Bytes read and not yet handed out: the start of a record.
    rest: Vec<u8>,
    line: u64,
    /// Bytes handed out in blocks.
    offset: u64,
    done: bool,
    /// Buffers of blocks done with, to use again.
    spare: Vec<Vec<u8>>,
}

impl<R: Read> Blocks<R> {
    /// The blocks of `input`, whose first byte is on `line`.
    fn new(input: R, line: u64) -> Self {
        Blocks { input, rest: Vec::new(), line, offset: 0, done: false, spare: Vec::new() }
    }

    /// Reads to the end, for the line count.
    fn drain(&mut self) {
        while let Ok(Some(_)) = self.next_block() {}
    }

    /// Appends up to `limit` more bytes of the input to `rest`; how many.
    fn read_more(&mut self, limit: u64) -> std::io::Result<usize> {
        // `read_to_end` fills the spare capacity without zeroing it first,
        // and reads again when interrupted.
        let read = (&mut self.input).take(limit).read_to_end(&mut self.rest);
        self.done |= read.is_err();
        read
    }

    /// The next block, `None` at the end of the input.
    fn next_block(&mut self) -> std::io::Result<Option<Block>> {
        if self.done {
            return Ok(None);
        }
        loop {
            let have = self.rest.len();
            let n = self.read_more(BLOCK as u64)?;
            if n == 0 {
                // The end: whatever is left (a record whose quote never closes) goes whole.
                self.done = true;
                if self.rest.is_empty() {
                    return Ok(None);
                }
                let bytes = std::mem::take(&mut self.rest);
                let block = Block { line: self.line, start: self.offset, bytes };
                self.offset += block.bytes.len() as u64;
                return Ok(Some(block));
            }
            // Only a record that ends in the new bytes can make the block whole.
            if memchr::memchr(b'\n', &self.rest[have..]).is_none() {
                continue;
            }
            if self.rest.len() > LONGEST_RECORD {
                // No record is this long but one whose quote never closes (or is
                // closed far away): read the rest whole, rather than look for
                // the record's end again and again.
                self.read_more(u64::MAX)?;
                continue;
            }
            if let Some(end) = records::last_record_end(&self.rest) {
                let mut next = self.spare.pop().unwrap_or_else(|| Vec::with_capacity(BLOCK * 2));
                next.clear();
                let mut bytes = std::mem::replace(&mut self.rest, next);
                self.rest.extend_from_slice(&bytes[end..]);
                bytes.truncate(end);
                let block = Block { line: self.line, start: self.offset, bytes };
                self.line += count_newlines(&block.bytes);
                self.offset += end as u64;
                return Ok(Some(block));
            }
        }
    }
}

/// How many line breaks `bytes` holds.
pub fn count_newlines(bytes: &[u8]) -> u64 {
    // Counting in bytes, 255 at most before they are added up, lets the
    // compiler count a whole vector of bytes at a time.
    bytes.chunks(255).map(|c| c.iter().map(|&b| u8::from(b == b'\n')).fold(0u8, u8::wrapping_add) as u64).sum()
}

/// What checking the records of a block found.
#[derive(Default)]
struct Checked {
    rows: u64,
    problems: Vec<(u64, String)>,
    /// Not UTF-8: the rest of the file is surely in the same encoding, so reading stops.
    stop: bool,
    /// The line of a quote never closed.
    open_quote: Option<u64>,
}

/// Checks every record of `block` against the header, passing the sound ones to `row`.
fn check_block(block: &Block, header: &Header, row: &mut impl FnMut(&RawRow)) -> Checked {
    let width = header.len();
    let mut out = Checked::default();
    // One look at the whole block spares most records their own.
    let utf8 = simdutf8::basic::from_utf8(&block.bytes).is_ok();
    let nul = memchr::memchr(0, &block.bytes).is_some();
    let mut records = Records::new(&block.bytes, block.line);
    while let Some(record) = records.next() {
        out.rows += 1;
        let line = record.line;
        let bytes = record.bytes();
        if !utf8 && simdutf8::basic::from_utf8(bytes).is_err() {
            out.problems.push((line, gb18030_hint()));
            out.stop = true;
            break;
        }
        if nul && memchr::memchr(0, bytes).is_some() {
            let m = crate::lang::messages()
                .t("含有 NUL 字节：文件已损坏或不是文本文件", "a NUL byte: the file is damaged or not a text file");
            out.problems.push((line, m.into()));
            continue;
        }
        // An open quote first: whatever its length, rows after it would be read into it.
        if !record.terminated {
            // The file ends with a line break, so only an open quote ends a record without one.
            let col = header.names.get(record.len().saturating_sub(1)).map_or("?", String::as_str);
            let message = crate::lang::messages().pick(
                format!("{col}: 这一行开始的引号始终没有闭合（文件其余部分都会被读成这一个字段）"),
                format!("{col}: a quote opened on this line is never closed (the rest of the file would be one field)"),
            );
            out.problems.push((line, message));
            out.open_quote = Some(line);
            continue;
        }
        if bytes.len() > MAX_FIELD {
            if let Some(i) = record.iter().position(|f| f.len() > MAX_FIELD) {
                let col = header.names.get(i).map_or("?", String::as_str);
                let m = crate::lang::messages().pick(
                    format!("{col}: 字段超过 {MAX_FIELD} 字节（引号没有闭合？）"),
                    format!("{col}: a field of over {MAX_FIELD} bytes (an unclosed quote?)"),
                );
                out.problems.push((line, m));
                continue;
            }
        }
        if record.len() != width {
            if record.len() == 1 && record.get(0).is_some_and(|f| f.iter().all(u8::is_ascii_whitespace)) {
                out.rows -= 1;
                continue; // a blank line
            }
            let m = crate::lang::messages().pick(
                format!("应有 {width} 个字段（与表头相同），实有 {}", record.len()),
                format!("expected {width} fields as in the header, found {}", record.len()),
            );
            out.problems.push((line, m));
            continue;
        }
        row(&RawRow { line, record, header });
    }
    out
}

/// An opened ledger: its header read, its records still to come.
struct Opened<R> {
    blocks: Blocks<R>,
    /// The records of the first block after the header.
    first: Option<Block>,
    header: Header,
}

/// Reads up to and including the header. `Err` holds what to report when
/// there is no usable header (nothing, for an empty file).
fn open<R: Read>(mut blocks: Blocks<R>, kind: LedgerKind) -> std::result::Result<Opened<R>, Vec<(u64, String)>> {
    loop {
        let block = match blocks.next_block() {
            Ok(Some(b)) => b,
            Ok(None) => return Err(Vec::new()),
            Err(e) => {
                return Err(vec![(
                    1,
                    crate::lang::messages().pick(format!("无法读取表头：{e}"), format!("unreadable header: {e}")),
                )])
            }
        };
        let mut records = Records::new(&block.bytes, block.line);
        while let Some(record) = records.next() {
            // A file holding only a BOM, or blank lines, has no header yet.
            if record.len() == 1 && matches!(record.get(0).map(<[u8]>::trim_ascii), Some(b"" | b"\xEF\xBB\xBF")) {
                continue;
            }
            let line = record.line;
            if std::str::from_utf8(record.bytes()).is_err() {
                return Err(vec![(line, gb18030_hint())]);
            }
            let cells: Vec<&str> =
                record.iter().map(|f| std::str::from_utf8(f).unwrap_or("").trim_start_matches('\u{feff}')).collect();
            let header = match Header::parse(kind, &cells) {
                Ok(h) => h,
                Err(e) => return Err(e.into_iter().map(|m| (line, m)).collect()),
            };
            let (offset, next) = (records.offset(), records.line());
            let first = Block { line: next, start: block.start + offset as u64, bytes: block.bytes[offset..].to_vec() };
            return Ok(Opened { blocks, first: Some(first), header });
        }
    }
}

/// The header of a ledger and the byte its first row starts at; `None`
/// when it has no sound header.
pub fn header_of(input: impl Read, kind: LedgerKind) -> Option<(Header, u64)> {
    let opened = open(Blocks::new(input, 1), kind).ok()?;
    let start = opened.first.as_ref().map_or(0, |b| b.start);
    Some((opened.header, start))
}

/// Calls `each` for every record `input` holds, whose first byte is on `line`.
pub fn for_each_record(input: impl Read, line: u64, mut each: impl FnMut(Record)) -> std::io::Result<()> {
    let mut blocks = Blocks::new(input, line);
    while let Some(block) = blocks.next_block()? {
        let mut records = Records::new(&block.bytes, block.line);
        while let Some(record) = records.next() {
            each(record);
        }
    }
    Ok(())
}

/// Calls `each` with every well-formed row of `file` (open and locked)
/// from `from` — a (line, byte) where a record starts, such as one of
/// [`ReadInfo::blocks`] — up to byte `to`.
pub fn rows_between(
    file: &File,
    header: &Header,
    from: (u64, u64),
    to: u64,
    mut each: impl FnMut(&RawRow),
) -> std::io::Result<()> {
    let input = FromStart::at(file, from.1).take(to.saturating_sub(from.1));
    for_each_record(input, from.0, |record| {
        if record.terminated && record.len() == header.len() {
            each(&RawRow { line: record.line, record, header });
        }
    })
}

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
    let Some(mut file) = open_locked(path)? else { return Ok((None, ReadInfo::default())) };
    let name = crate::workspace::display_path(path);
    read_from(&mut file, &name, kind, problems, row)
}

/// The ledger at `path`, open and share-locked; `None` when there is none.
pub fn open_locked(path: &Path) -> Result<Option<File>> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path, e)),
    };
    file.lock_shared().map_err(|e| Error::io(path, e))?;
    Ok(Some(file))
}

/// Finds the complete length of an open ledger and rewinds it.
fn measure(mut file: &File, path: &Path) -> Result<ReadInfo> {
    let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
    let complete = complete_length(file, len).map_err(|e| Error::io(path, e))?;
    let mut cr_only = false;
    if complete == 0 && len > 0 {
        let mut head = Vec::new();
        file.seek(SeekFrom::Start(0)).map_err(|e| Error::io(path, e))?;
        file.take(64 * 1024).read_to_end(&mut head).map_err(|e| Error::io(path, e))?;
        cr_only = head.contains(&b'\r');
    }
    file.seek(SeekFrom::Start(0)).map_err(|e| Error::io(path, e))?;
    Ok(ReadInfo { exists: true, torn: complete < len, complete_len: complete, cr_only, ..ReadInfo::default() })
}

/// Reads a ledger from a file the caller has opened (and locked); `name` names it in problems.
pub fn read_from(
    file: &mut File,
    name: &str,
    kind: LedgerKind,
    problems: &mut Vec<Problem>,
    mut row: impl FnMut(&RawRow),
) -> Result<(Option<Header>, ReadInfo)> {
    let info = measure(file, Path::new(name))?;
    let complete = info.complete_len;
    read_stream(Blocks::new((&*file).take(complete), 1), name, kind, info, problems, &mut row)
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
    let cr_only = complete == 0 && bytes.contains(&b'\r');
    let info = ReadInfo {
        exists: true,
        torn: complete < bytes.len(),
        complete_len: complete as u64,
        cr_only,
        ..ReadInfo::default()
    };
    read_stream(Blocks::new(&bytes[..complete], 1), name, kind, info, problems, &mut row)
}

/// Turns lines and messages into problems of the file `name`.
fn report(problems: &mut Vec<Problem>, name: &str, found: Vec<(u64, String)>) {
    problems.extend(found.into_iter().map(|(line, message)| Problem { file: name.to_string(), line, message }));
}

/// After the last block: where the next row goes, and a torn end.
fn finish(info: &mut ReadInfo, next_line: u64, problems: &mut Vec<Problem>, name: &str) {
    info.next_line = next_line;
    let lang = crate::lang::messages();
    if info.cr_only {
        let message = lang.t(
            "换行符只有 CR（旧式 Mac 格式），文件中没有一行完整的记录；请用 Excel/WPS 另存为“CSV UTF-8”，或把换行改为 CRLF/LF",
            "its line breaks are CR only (old Mac style), so it holds no complete line; save it again from Excel/WPS \
             as \"CSV UTF-8\", or convert the line breaks to CRLF or LF",
        );
        report(problems, name, vec![(1, message.into())]);
    } else if info.torn {
        let message = lang.t(
            "最后一行不完整（文件没有以换行结束）；请运行 `qunli repair`",
            "incomplete last row (the file does not end with a newline); run `qunli repair`",
        );
        report(problems, name, vec![(next_line, message.into())]);
    }
}

/// Reads up to the header; without one, says why and gives `None`.
fn open_or_report<R: Read>(
    blocks: Blocks<R>,
    kind: LedgerKind,
    info: &mut ReadInfo,
    problems: &mut Vec<Problem>,
    name: &str,
) -> Option<Opened<R>> {
    match open(blocks, kind) {
        Ok(o) => Some(o),
        Err(found) => {
            let empty = found.is_empty();
            report(problems, name, found);
            if empty {
                finish(info, 1, problems, name);
            }
            None
        }
    }
}

/// Counts what checking a block found into the read; `true` when reading stops there.
fn take_in(checked: Checked, info: &mut ReadInfo, problems: &mut Vec<Problem>, name: &str) -> bool {
    info.rows += checked.rows;
    info.open_quote = info.open_quote.or(checked.open_quote);
    report(problems, name, checked.problems);
    checked.stop
}

fn read_stream<R: Read>(
    input: Blocks<R>,
    name: &str,
    kind: LedgerKind,
    mut info: ReadInfo,
    problems: &mut Vec<Problem>,
    row: &mut impl FnMut(&RawRow),
) -> Result<(Option<Header>, ReadInfo)> {
    let Some(mut opened) = open_or_report(input, kind, &mut info, problems, name) else { return Ok((None, info)) };
    let header = opened.header;
    let mut block = opened.first.take();
    while let Some(b) = block {
        let checked = check_block(&b, &header, row);
        opened.blocks.spare.push(b.bytes); // its buffer serves the next block
        if take_in(checked, &mut info, problems, name) {
            // Reading stops; the lines are still counted to the end, for `next_line`.
            opened.blocks.drain();
            break;
        }
        block = match opened.blocks.next_block() {
            Ok(b) => b,
            Err(e) => {
                report(
                    problems,
                    name,
                    vec![(
                        opened.blocks.line,
                        crate::lang::messages().pick(format!("无法读取这一行：{e}"), format!("unreadable row: {e}")),
                    )],
                );
                break;
            }
        };
    }
    finish(&mut info, opened.blocks.line, problems, name);
    Ok((Some(header), info))
}

/// What a worker made of one block.
struct Parsed<T> {
    items: Vec<T>,
    checked: Checked,
}

/// Reads a ledger on every core: one thread cuts the file into
/// blocks of whole records, `workers` threads check their records and turn
/// each row into a `T` with a parser of their own (`parser` makes one per
/// thread), and `each` gets each block's items, block after block in file
/// order, on the caller's thread.
/// Problems are as [`read`] finds them; `file` is opened (and locked) by the
/// caller, and `name` names it in problems. `walker`, when given, walks the
/// history chain over the file on a thread of its own (the chain is one
/// sequential pass, as long as the rest of the read together).
#[allow(clippy::too_many_arguments)]
pub fn read_parallel<T: Send, P: FnMut(&RawRow) -> T>(
    file: &File,
    name: &str,
    kind: LedgerKind,
    walker: Option<Walker>,
    problems: &mut Vec<Problem>,
    parser: impl Fn() -> P + Sync,
    each: impl FnMut(&mut Vec<T>),
) -> Result<(Option<Header>, ReadInfo)> {
    if one_thread() {
        return read_here(file, name, kind, walker, problems, parser(), each);
    }
    let Some(walker) = walker else { return read_blocks(file, name, kind, problems, parser, each) };
    std::thread::scope(|scope| {
        let chain = scope.spawn(move || walker.walk_file(file));
        let read = read_blocks(file, name, kind, problems, parser, each);
        let walked = chain.join().map_err(|_| Error::Usage(format!("{name}: computing the history chain failed")))?;
        let (header, mut info) = read?;
        info.history = Some(walked.map_err(|e| Error::io(name, e))?);
        Ok((header, info))
    })
}

thread_local! {
    /// Set while this thread reads one of several workspaces read at once.
    static ONE_THREAD: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with every ledger it reads read in the calling thread alone,
/// for a caller that reads several workspaces at once, one a core (the
/// district's towns, SPEC §11): threads of their own would only take
/// turns on the same cores, and hand each other the bytes.
pub fn in_this_thread<R>(f: impl FnOnce() -> R) -> R {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            ONE_THREAD.with(|c| c.set(self.0));
        }
    }
    let _reset = Reset(ONE_THREAD.with(|c| c.replace(true)));
    f()
}

/// Whether ledgers are read in this thread alone ([`in_this_thread`]).
pub fn one_thread() -> bool {
    ONE_THREAD.with(std::cell::Cell::get)
}

/// Rows handed to `each` at a time when a ledger is read in one thread.
const ITEMS_AT_ONCE: usize = 2048;

/// The largest ledger [`read_here`] reads whole into memory, to walk its
/// chain there in stretches side by side: a town of the district (§11)
/// holds a few megabytes; a larger ledger is walked as it is read, so two
/// towns read at once hold 32 MB at most.
const WHOLE_AT_MOST: u64 = 16 << 20;

thread_local! {
    /// The buffer [`read_here`] reads a ledger whole into, kept for the thread's next.
    static WHOLE: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// A ledger's complete lines read whole; its buffer goes back to [`WHOLE`] when done with.
struct Whole(Vec<u8>);

impl Whole {
    fn read(file: &File, len: u64) -> std::io::Result<Whole> {
        let mut whole = Whole(WHOLE.take());
        whole.0.clear();
        file.take(len).read_to_end(&mut whole.0)?;
        Ok(whole)
    }
}

impl Drop for Whole {
    fn drop(&mut self) {
        WHOLE.set(std::mem::take(&mut self.0));
    }
}

/// [`read_parallel`] in the calling thread. A ledger whose record lets its
/// chain be walked in stretches is read whole and walked from memory
/// ([`Walker::walk_bytes`]); any other is walked as its bytes are read.
/// Then its rows are checked and parsed.
fn read_here<T, P: FnMut(&RawRow) -> T>(
    file: &File,
    name: &str,
    kind: LedgerKind,
    mut walker: Option<Walker>,
    problems: &mut Vec<Problem>,
    parse: P,
    each: impl FnMut(&mut Vec<T>),
) -> Result<(Option<Header>, ReadInfo)> {
    let info = measure(file, Path::new(name))?;
    if walker.as_ref().is_some_and(Walker::could_stretch) && info.complete_len <= WHOLE_AT_MOST {
        let whole = Whole::read(file, info.complete_len).map_err(|e| Error::io(name, e))?;
        let walked = walker.map(|w| w.walk_bytes(&whole.0));
        let (header, mut info) = rows_in_turn(Blocks::new(&whole.0[..], 1), name, kind, info, problems, parse, each)?;
        info.history = walked;
        return Ok((header, info));
    }
    let failed = std::cell::Cell::new(None);
    let input = Walking { input: file.take(info.complete_len), walker: walker.as_mut(), failed: &failed };
    let (header, mut info) = rows_in_turn(Blocks::new(input, 1), name, kind, info, problems, parse, each)?;
    if let Some(e) = failed.take() {
        return Err(Error::io(name, e));
    }
    info.history = walker.map(Walker::finish);
    Ok((header, info))
}

/// Checks and parses the rows of `blocks`, handing them to `each`
/// [`ITEMS_AT_ONCE`] at a time.
fn rows_in_turn<R: Read, T, P: FnMut(&RawRow) -> T>(
    blocks: Blocks<R>,
    name: &str,
    kind: LedgerKind,
    info: ReadInfo,
    problems: &mut Vec<Problem>,
    mut parse: P,
    mut each: impl FnMut(&mut Vec<T>),
) -> Result<(Option<Header>, ReadInfo)> {
    let mut items = Vec::with_capacity(ITEMS_AT_ONCE);
    let mut row = |raw: &RawRow| {
        items.push(parse(raw));
        if items.len() == ITEMS_AT_ONCE {
            each(&mut items);
            items.clear();
        }
    };
    let read = read_stream(blocks, name, kind, info, problems, &mut row)?;
    if !items.is_empty() {
        each(&mut items);
    }
    Ok(read)
}

/// Bytes read from `input`, fed to the history chain as they pass.
struct Walking<'w, R> {
    input: R,
    walker: Option<&'w mut Walker>,
    /// A read failed: the chain stops short, so the read must not be trusted.
    failed: &'w std::cell::Cell<Option<std::io::Error>>,
}

impl<R: Read> Read for Walking<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self.input.read(buf) {
            Ok(n) => {
                if let Some(w) = self.walker.as_mut() {
                    w.feed(&buf[..n]);
                }
                Ok(n)
            }
            Err(e) => {
                self.failed.set(Some(std::io::Error::new(e.kind(), e.to_string())));
                Err(e)
            }
        }
    }
}

/// [`read_parallel`] without the history chain.
fn read_blocks<T: Send, P: FnMut(&RawRow) -> T>(
    file: &File,
    name: &str,
    kind: LedgerKind,
    problems: &mut Vec<Problem>,
    parser: impl Fn() -> P + Sync,
    mut each: impl FnMut(&mut Vec<T>),
) -> Result<(Option<Header>, ReadInfo)> {
    use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};
    let mut info = measure(file, Path::new(name))?;
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let blocks = Blocks::new(file.take(info.complete_len), 1);
    let Some(mut opened) = open_or_report(blocks, kind, &mut info, problems, name) else {
        return Ok((None, info));
    };
    let header = &opened.header;
    let first = opened.first.take();
    let mut blocks = opened.blocks;
    let (next_line, stopped_by) = std::thread::scope(|scope| {
        let mut to_workers: Vec<SyncSender<Block>> = Vec::new();
        let mut from_workers: Vec<Receiver<Parsed<T>>> = Vec::new();
        let mut items_back: Vec<Sender<Vec<T>>> = Vec::new();
        // Buffers go round: blocks back to the cutter, item lists back to their worker.
        let (spare_tx, spare_rx) = channel::<Vec<u8>>();
        for _ in 0..workers {
            let (block_tx, block_rx) = sync_channel::<Block>(2);
            let (done_tx, done_rx) = sync_channel::<Parsed<T>>(2);
            let (back_tx, back_rx) = channel::<Vec<T>>();
            let (parser, spare_tx) = (&parser, spare_tx.clone());
            scope.spawn(move || {
                let mut parse = parser();
                for block in block_rx {
                    let mut items = back_rx.try_recv().unwrap_or_default();
                    let checked = check_block(&block, header, &mut |raw| items.push(parse(raw)));
                    let _ = spare_tx.send(block.bytes);
                    if done_tx.send(Parsed { items, checked }).is_err() {
                        break;
                    }
                }
            });
            to_workers.push(block_tx);
            from_workers.push(done_rx);
            items_back.push(back_tx);
        }
        drop(spare_tx);
        // The cutter: blocks go to the workers in turn, so they come back in turn.
        let cutter = scope.spawn(move || {
            let mut sent = 0usize;
            let mut block = first;
            let (mut failure, mut starts) = (None, Vec::new());
            while let Some(b) = block {
                starts.push((b.line, b.start));
                if to_workers[sent % to_workers.len()].send(b).is_err() {
                    // The reading stopped early; the lines are still counted to the end, for `next_line`.
                    break;
                }
                sent += 1;
                blocks.spare.extend(spare_rx.try_iter());
                block = match blocks.next_block() {
                    Ok(b) => b,
                    Err(e) => {
                        failure = Some((
                            blocks.line,
                            crate::lang::messages()
                                .pick(format!("无法读取这一行：{e}"), format!("unreadable row: {e}")),
                        ));
                        None
                    }
                };
            }
            blocks.drain();
            (blocks.line, failure, starts)
        });
        let mut received = 0usize;
        let stopped = loop {
            let worker = received % workers;
            let Ok(mut parsed) = from_workers[worker].recv() else { break false };
            received += 1;
            let stop = take_in(parsed.checked, &mut info, problems, name);
            each(&mut parsed.items);
            parsed.items.clear();
            let _ = items_back[worker].send(parsed.items);
            if stop {
                break true;
            }
        };
        drop(from_workers); // lets the workers and the cutter end
        let (line, failure, starts) = cutter.join().unwrap_or((0, None, Vec::new()));
        info.blocks = starts;
        (line, if stopped { None } else { failure })
    });
    if let Some((line, message)) = stopped_by {
        report(problems, name, vec![(line, message)]);
    }
    finish(&mut info, next_line, problems, name);
    Ok((Some(opened.header), info))
}
