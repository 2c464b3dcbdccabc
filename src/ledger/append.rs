//! Appending rows (SPEC §8.1, §8.2): under an exclusive lock, after
//! re-reading the ledger, whole rows in one write, synced before success.

use super::book::{problems_at, Book};
use super::case_index;
use super::files::{self, Stamp};
use super::focus;
use super::history::{self, Walker};
use super::model::{store_text, CaseId, Col, LedgerKind};
use super::reader::{self, Header, RawRow, MAX_FIELD};
use super::records::Records;
use super::row::Lookup;
use crate::error::{Error, Problem, Result};
use crate::workspace::{display_path, Workspace};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

/// What an append did.
#[derive(Debug)]
pub struct Appended {
    /// The line of the first new row.
    pub first_line: u64,
    /// Something the user should know that did not stop the append.
    pub warnings: Vec<String>,
}

/// The values of one new row, by column.
pub type Values = Vec<(Col, String)>;

/// An open, exclusively locked ledger, read and folded, ready to append to.
pub struct Appender<'w> {
    ws: &'w Workspace,
    pub kind: LedgerKind,
    /// The ledger, or, while it does not exist yet, the workspace's creation lock.
    target: Target,
    pub name: String,
    pub book: Book,
    /// Problems already in the file (they do not stop an append).
    pub problems: Vec<Problem>,
    /// What differs in the ledger's history, which does not stop an append (H001, H004).
    warnings: Vec<String>,
}

enum Target {
    Ledger(File),
    /// Held while the ledger is created whole, under this lock.
    Create(File),
}

/// The lock taken to create a missing ledger, so two first appends cannot race.
fn creation_lock(ws: &Workspace) -> Result<File> {
    let dir = ws.path(".qunli");
    files::private_dir(&dir).map_err(|e| Error::io(&dir, e))?;
    let path = dir.join("create.lock");
    let f = files::open_no_follow(owner_only(OpenOptions::new().write(true).create(true).truncate(false)), &path)
        .map_err(|e| Error::io(&path, e))?;
    f.lock().map_err(|e| Error::io(&path, e))?;
    Ok(f)
}

pub use super::files::owner_only;

fn open_ledger(path: &Path) -> std::io::Result<File> {
    files::open_no_follow(OpenOptions::new().read(true).append(true), path)
}

impl<'w> Appender<'w> {
    /// Opens and locks the ledger (creating it if missing) and reads it.
    pub fn open(ws: &'w Workspace, kind: LedgerKind) -> Result<Self> {
        Self::open_inner(ws, kind, None)
    }

    /// Like [`Appender::open`] for one row about `case` (or a new case when
    /// `None`): reads only what that row needs when it safely can.
    pub fn open_for(ws: &'w Workspace, kind: LedgerKind, case: Option<&str>) -> Result<Self> {
        let focus = match case {
            Some(c) => match CaseId::parse(c).filter(|id| id.kind == kind) {
                Some(id) => Some(id),
                None => return Self::open_inner(ws, kind, None),
            },
            None => None,
        };
        Self::open_inner(ws, kind, Some(focus))
    }

    fn open_inner(ws: &'w Workspace, kind: LedgerKind, quick: Option<Option<CaseId>>) -> Result<Self> {
        let lang = crate::lang::messages();
        let path = ws.path(kind.file_name());
        let name = display_path(&path);
        let mut file = match open_ledger(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let lock = creation_lock(ws)?;
                match open_ledger(&path) {
                    // Another clerk created it meanwhile: append to theirs.
                    Ok(f) => {
                        drop(lock);
                        f
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        // No ledger: its record, if there is one, must be empty too.
                        let walked = Walker::for_ledger(&path).finish();
                        refuse_on_history(&walked, &name, lang)?;
                        let mut book = Book::empty(kind, name.clone(), &ws.settings, None);
                        book.info.history = Some(walked);
                        return Ok(Appender {
                            ws,
                            kind,
                            target: Target::Create(lock),
                            name,
                            book,
                            problems: vec![],
                            warnings: vec![],
                        });
                    }
                    Err(e) => return Err(Error::io(&path, e)),
                }
            }
            Err(e) => return Err(Error::io(&path, e)),
        };
        file.lock().map_err(|e| Error::io(&path, e))?;
        if let Some(focus) = quick {
            let read =
                focus::read(&ws.settings, &ws.dir, &mut file, &name, kind, focus).map_err(|e| Error::io(&path, e))?;
            if let Some(q) = read {
                return Ok(Appender {
                    ws,
                    kind,
                    target: Target::Ledger(file),
                    name,
                    book: q.book,
                    problems: q.problems,
                    warnings: vec![],
                });
            }
        }
        let mut problems = Vec::new();
        let walker = Walker::for_ledger(&path).keeping_tail();
        let kept = history::kept_undos(&path);
        let book = Book::load_locked(&ws.settings, &mut file, &name, kind, walker, kept, &mut problems)?;
        if book.info.cr_only {
            return Err(Error::Refused(lang.pick(
                format!("{name}: 换行符只有 CR（旧式 Mac 格式），整个文件没有一行完整的记录；请用 Excel/WPS 另存为“CSV UTF-8”，或把换行改为 CRLF/LF"),
                format!("{name}: its line breaks are CR only (old Mac style), so it holds no complete row; save it again as \"CSV UTF-8\", or convert the line breaks to CRLF/LF"),
            )));
        }
        if book.info.torn {
            let line = book.info.next_line;
            return Err(Error::Refused(lang.pick(
                format!("{name}:{line}: 最后一行不完整（写入被中断）；请先运行 `qunli repair`"),
                format!("{name}:{line}: incomplete last row (a write was cut off); run `qunli repair` first"),
            )));
        }
        if let Some(line) = book.info.open_quote {
            return Err(Error::Refused(lang.pick(
                format!(
                    "{name}:{line}: 这一行开始的引号始终没有闭合，现在追加的行会被读进这个字段；\
                     请先补上引号（`qunli check` 会指出位置）"
                ),
                format!(
                    "{name}:{line}: a quote opened on this line is never closed, so a row added now would be read as \
                     part of it; close the quote first (`qunli check` shows it)"
                ),
            )));
        }
        if book.header.is_none() && !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let walked = book.info.history.as_ref().expect("a walked read");
        refuse_on_history(walked, &name, lang)?;
        let warnings = walked.issues.iter().map(|i| i.describe(&name, lang)).collect();
        Ok(Appender { ws, kind, target: Target::Ledger(file), name, book, problems, warnings })
    }

    /// Notes in the ledger's record what the next append's quick read needs
    /// — the ledger's stamp, its highest case numbers and the case index —
    /// after its history was accepted as it stands (`check
    /// --accept-history`, `upgrade`), which records the lines but cannot
    /// know the cases. A ledger an append would refuse, or whose history
    /// still differs, is left as it is: its next append reads it whole.
    pub fn settle(ws: &'w Workspace, kind: LedgerKind) -> Result<()> {
        let Ok(mut appender) = Self::open(ws, kind) else { return Ok(()) };
        let walked = appender.book.info.history.take().unwrap_or_default();
        if !walked.issues.is_empty() || !walked.tail.is_empty() {
            return Ok(());
        }
        // The case index, made anew from every row (SPEC §9), once the
        // folded cases are let go (only the highest numbers are kept).
        let max = std::mem::take(&mut appender.book.max_num);
        let undos = std::mem::take(&mut appender.book.undo_rows);
        let header = appender.book.header.take();
        appender.book = Book::empty(kind, appender.name.clone(), &ws.settings, None);
        appender.book.header = header;
        appender.book.info.complete_len = walked.pos.end;
        let mut cases = Vec::new();
        appender
            .for_each_row(|raw| cases.extend(CaseId::parse_bytes(raw.bytes(Col::Case)).map(|id| (id, raw.line))))?;
        case_index::rebuild(&ws.dir, kind.file_name(), &cases, walked.pos.lines, walked.pos.end);
        let Target::Ledger(file) = &appender.target else { return Ok(()) };
        history::extend(&ws.dir, kind.file_name(), &walked, &[], || Stamp::of(file).ok(), &max, &undos)
    }

    /// Calls `each` with every row of the ledger (after the header), read
    /// through the locked file itself.
    pub fn for_each_row(&mut self, mut each: impl FnMut(&RawRow)) -> Result<()> {
        let (Target::Ledger(file), Some(header)) = (&mut self.target, &self.book.header) else { return Ok(()) };
        let path = self.ws.path(self.kind.file_name());
        file.seek(SeekFrom::Start(0)).map_err(|e| Error::io(&path, e))?;
        let complete = self.book.info.complete_len;
        let mut past_header = false;
        reader::for_each_record((&*file).take(complete), 1, |record| {
            // The first record with the header's width is the header.
            if !past_header {
                past_header = record.len() == header.len();
                return;
            }
            if record.terminated && record.len() == header.len() {
                each(&RawRow { line: record.line, record, header });
            }
        })
        .map_err(|e| Error::io(&path, e))
    }

    /// The row at `line` of the ledger, parsed (`Err` with its problems), or
    /// `None` when no row starts on that line.
    pub fn row_at(&mut self, line: u64) -> Result<Option<std::result::Result<super::row::Row, Vec<String>>>> {
        let lookup = Lookup::new(&self.ws.settings);
        let (kind, mut found) = (self.kind, None);
        self.for_each_row(|raw| {
            if raw.line == line && found.is_none() {
                found = Some(super::row::parse(raw, kind, &lookup));
            }
        })?;
        Ok(found)
    }

    /// Checks `rows` as a reader would and appends them all, or nothing.
    /// Returns the line of the first new row.
    pub fn append(self, rows: &[Values]) -> Result<Appended> {
        let name = self.name.clone();
        self.append_rows(rows, None, &name)
    }

    /// Like [`Appender::append`], naming problems by the line of `source` each row came from.
    pub fn append_from(self, rows: &[Values], source: &str, lines: &[u64]) -> Result<Appended> {
        self.append_rows(rows, Some(lines), source)
    }

    fn append_rows(mut self, rows: &[Values], source_lines: Option<&[u64]>, source: &str) -> Result<Appended> {
        let lang = crate::lang::messages();
        let new_file = self.book.header.is_none();
        // A new ledger's header is in the workspace's language, whatever the messages'.
        let header = self.book.header.clone().unwrap_or_else(|| Header::new(self.kind, self.ws.settings.lang));
        let first_line = if new_file { 2 } else { self.book.info.next_line };
        let at = |i: usize| source_lines.and_then(|l| l.get(i).copied()).unwrap_or(first_line + i as u64);

        // What the reader would refuse is never written (SPEC §5.1).
        let mut problems = Vec::new();
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
        for (i, values) in rows.iter().enumerate() {
            let mut record = vec![String::new(); header.len()];
            for (col, v) in values {
                if header.position(*col) == usize::MAX && !v.is_empty() {
                    // An older file without `ref`/`detail` (SPEC §5.1).
                    let file = self.kind.file_name();
                    let column = self.kind.column(*col).header(lang);
                    return Err(Error::Refused(lang.pick(
                        format!("{file} 是旧格式，没有“{column}”列；先运行 `qunli upgrade {file}` 补上这一列（原文件保留为 {file}.v1）"),
                        format!("{file} is an older file without the `{column}` column; run `qunli upgrade {file}` first (the old file is kept as {file}.v1)"),
                    )));
                }
                let column = header.name(*col).to_string();
                if v.len() > MAX_FIELD {
                    let message = lang.pick(
                        format!("{column}：内容有 {} 字节，超过上限 {MAX_FIELD} 字节；请缩短", v.len()),
                        format!("{column}: {} bytes, over the limit of {MAX_FIELD}; shorten it", v.len()),
                    );
                    problems.push(Problem { file: source.to_string(), line: at(i), message });
                }
                if col.is_names() && v.contains(['\n', '\r']) {
                    let message = lang.pick(
                        format!("{column}：姓名只能写一行，不能换行"),
                        format!("{column}: names are one line; no line breaks"),
                    );
                    problems.push(Problem { file: source.to_string(), line: at(i), message });
                }
                if let Some(cell) = record.get_mut(header.position(*col)) {
                    *cell = if col.is_free_text() { store_text(v).into_owned() } else { v.clone() };
                }
            }
            w.write_record(&record).map_err(|e| Error::Refused(e.to_string()))?;
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let bytes = w.into_inner().map_err(|e| Error::Refused(e.to_string()))?;

        // Read the new rows back exactly as a reader will, against the folded ledger.
        let lookup = Lookup::new(&self.ws.settings);
        let mut records = Records::new(&bytes, first_line);
        let mut i = 0;
        let (mut new_cases, mut new_undos) = (Vec::new(), Vec::new());
        while let Some(record) = records.next() {
            let raw = RawRow { line: record.line, record, header: &header };
            new_cases.extend(CaseId::parse_bytes(raw.bytes(Col::Case)).map(|id| (id, raw.line)));
            new_undos.extend(super::undo::target(&raw).map(|t| (raw.line, t)));
            if let Err(errors) = self.book.apply_raw(&raw, &lookup) {
                problems.extend(problems_at(source, at(i), errors));
            }
            i += 1;
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }

        let mut out = Vec::with_capacity(bytes.len() + 256);
        if new_file {
            if self.book.info.complete_len == 0 {
                out.extend_from_slice("\u{feff}".as_bytes());
            }
            out.extend_from_slice(&header_line(&header)?);
        }
        out.extend_from_slice(&bytes);
        let path = self.ws.path(self.kind.file_name());
        let file_name = self.kind.file_name();
        let walked = self.book.info.history.take().unwrap_or_default();
        let max = self.book.max_num.clone();
        let undos = std::mem::take(&mut self.book.undo_rows).and(new_undos);
        let failed = |e: &dyn std::fmt::Display| {
            Error::Refused(lang.pick(
                format!("{}：写入失败（{e}）；台账已恢复原样，没有写入任何内容", display_path(&path)),
                format!(
                    "{}: the write failed ({e}); the ledger is as it was, nothing was written",
                    display_path(&path)
                ),
            ))
        };
        match &mut self.target {
            Target::Ledger(file) => {
                let before = self.book.info.complete_len;
                // One write to a file opened for append, on disk before we say so, and
                // recorded in the history; any failure cuts the ledger back (SPEC §8.1).
                let written =
                    file.write_all(&out).and_then(|()| file.sync_data()).map_err(|e| Error::io(&path, e)).and_then(
                        |()| {
                            let stamp = || Stamp::of(file).ok();
                            history::extend(&self.ws.dir, file_name, &walked, &out, stamp, &max, &undos)
                        },
                    );
                if let Err(e) = written {
                    let undone = file.set_len(before).and_then(|()| file.sync_data());
                    return Err(match undone {
                        Ok(()) => failed(&e),
                        Err(u) => Error::io(&path, u),
                    });
                }
            }
            Target::Create(_lock) => {
                let f = create_whole(&path, &out).map_err(|e| failed(&e))?;
                let recorded =
                    history::extend(&self.ws.dir, file_name, &walked, &out, || Stamp::of(&f).ok(), &max, &undos);
                if let Err(e) = recorded {
                    let _ = std::fs::remove_file(&path);
                    return Err(failed(&e));
                }
            }
        }
        self.note_cases(&walked, &new_cases, &out);
        Ok(Appended { first_line, warnings: self.warnings })
    }

    /// Notes the rows just appended in the case index (`new`: their bytes,
    /// after the lines `before` walked): on from where it stands when it
    /// covers the ledger as it was, else started again after those lines.
    fn note_cases(&self, before: &history::Walked, cases: &[(CaseId, u64)], new: &[u8]) {
        let (dir, file) = (&self.ws.dir, self.kind.file_name());
        let pos = before.pos;
        let covered = case_index::coverage(dir, file)
            .filter(|c| before.issues.is_empty() && c.to == pos.lines && c.len == pos.end)
            .unwrap_or_else(|| case_index::restart(dir, file, pos.lines, pos.end));
        let lines = pos.lines + reader::count_newlines(new);
        case_index::note(dir, file, covered, cases, lines, pos.end + new.len() as u64);
    }
}

/// Refuses an append on a history that has lost rows (H002) or cannot vouch for them (H003).
fn refuse_on_history(walked: &history::Walked, name: &str, lang: crate::lang::Lang) -> Result<()> {
    match walked.issues.iter().find(|i| i.refuses_append()) {
        Some(issue) => Err(Error::Refused(issue.describe(name, lang))),
        None => Ok(()),
    }
}

/// The header row as CSV.
pub fn header_line(header: &Header) -> Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    w.write_record(&header.names).map_err(|e| Error::Refused(e.to_string()))?;
    w.into_inner().map_err(|e| Error::Refused(e.to_string()))
}

/// Creates a new ledger with `bytes` in one step: written to a temporary
/// file, synced, locked, then linked into place (which fails rather than
/// replace). The file comes back still locked, so no one reads or appends
/// to it before its history is recorded.
pub fn create_whole(path: &Path, bytes: &[u8]) -> std::io::Result<File> {
    let dir = files::dir_of(path);
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("ledger"),
        std::process::id()
    ));
    let result = (|| -> std::io::Result<File> {
        let mut f =
            files::open_no_follow(owner_only(OpenOptions::new().read(true).append(true).create_new(true)), &tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        f.lock()?;
        std::fs::hard_link(&tmp, path)?;
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(f)
    })();
    let _ = std::fs::remove_file(&tmp);
    result
}

/// What `repair` did to one ledger.
#[derive(Debug, PartialEq, Eq)]
pub enum Repair {
    Missing,
    Intact,
    Cut { bytes: u64, rejected: String },
}

/// Moves an incomplete last row — bytes after the last line break, or a
/// row whose quote a cut-off write left open, past what the history
/// records — to `FILE.rejected` (appending, never overwriting) and cuts the
/// ledger back to its last complete row. Anything else is refused with the
/// reason: a file that is a link, one whose line breaks are CR only, an open
/// quote in rows qunli recorded as appended.
pub fn repair(ws: &Workspace, kind: LedgerKind) -> Result<Repair> {
    let lang = crate::lang::messages();
    let path = ws.path(kind.file_name());
    let name = display_path(&path);
    let io = |e| Error::io(&path, e);
    let mut file = match files::open_no_follow(OpenOptions::new().read(true).write(true), &path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Repair::Missing),
        Err(e) if files::is_link(&path) => {
            return Err(Error::Refused(lang.pick(
                format!("{name} 是符号链接，不是台账文件本身；repair 不会截断它指向的文件（{e}）"),
                format!(
                    "{name} is a symbolic link, not the ledger itself; repair will not cut the file it names ({e})"
                ),
            )))
        }
        Err(e) => return Err(io(e)),
    };
    file.lock().map_err(io)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(io)?;
    let len = bytes.len() as u64;
    if !bytes.contains(&b'\n') && bytes.contains(&b'\r') {
        return Err(Error::Refused(lang.pick(
            format!(
                "{name}: 换行符只有 CR（旧式 Mac 格式），这不是写入中断留下的残行；\
                 请用 Excel/WPS 另存为“CSV UTF-8”或把换行改为 CRLF/LF，然后运行 `qunli check`"
            ),
            format!(
                "{name}: its line breaks are CR only (old Mac style), not a row cut off by a crash; save it again as \
                 \"CSV UTF-8\" or convert the line breaks to CRLF/LF, then run `qunli check`"
            ),
        )));
    }
    let complete = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i as u64 + 1);
    let mut cut = complete;
    let (_, info) = reader::read_bytes(&bytes, &name, kind, &mut Vec::new(), |_| {})?;
    if let Some(line) = info.open_quote {
        let recorded = match history::load(&ws.dir, kind.file_name()) {
            history::Loaded::Present(r) => r.count,
            _ => u64::MAX,
        };
        if line <= recorded {
            return Err(Error::Refused(lang.pick(
                format!(
                    "{name}:{line}: 这一行开始的引号始终没有闭合，但这一行不是写入中断留下的残行\
                     （历史记录表明它是追加时写入的，或没有历史记录可以判断）；repair 不会删除这些行。\
                     请对照备份手工补上引号，然后运行 `qunli check`"
                ),
                format!(
                    "{name}:{line}: a quote opened on this line is never closed, but it is not a row cut off by a \
                     crash (the history records it as appended, or there is no history to tell); repair will not \
                     remove these rows. Close the quote by hand, checking against a backup, then run `qunli check`"
                ),
            )));
        }
        let start = bytes.split(|&b| b == b'\n').take(line as usize - 1).map(|l| l.len() as u64 + 1).sum::<u64>();
        cut = cut.min(start);
    }
    if cut == len {
        return Ok(Repair::Intact);
    }
    let mut tail = bytes[cut as usize..].to_vec();
    if tail.last() != Some(&b'\n') {
        tail.push(b'\n');
    }
    let rejected_path = ws.path(&format!("{}.rejected", kind.file_name()));
    let mut rejected = files::open_no_follow(owner_only(OpenOptions::new().append(true).create(true)), &rejected_path)
        .map_err(|e| Error::io(&rejected_path, e))?;
    rejected.write_all(&tail).and_then(|()| rejected.sync_data()).map_err(|e| Error::io(&rejected_path, e))?;
    file.set_len(cut).and_then(|()| file.sync_data()).map_err(io)?;
    Ok(Repair::Cut { bytes: len - cut, rejected: display_path(&rejected_path) })
}
