//! Appending rows (SPEC §8.1, §8.2): under an exclusive lock, after
//! re-reading the ledger, whole rows in one write, synced before success.

use super::book::{problems_at, Book};
use super::focus;
use super::history;
use super::model::CaseId;
use super::model::{Col, LedgerKind};
use super::reader::{self, Header, RawRow};
use super::records::Records;
use super::row::Lookup;
use crate::error::{Error, Problem, Result};
use crate::workspace::{display_path, Workspace};
use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::PathBuf;

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
}

enum Target {
    Ledger(File),
    /// Held while the ledger is created whole, under this lock.
    Create(File),
}

/// The lock taken to create a missing ledger, so two first appends cannot race.
fn creation_lock(ws: &Workspace) -> Result<File> {
    let dir = ws.path(".qunli");
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let path = dir.join("create.lock");
    let f = OpenOptions::new().write(true).create(true).truncate(false).open(&path).map_err(|e| Error::io(&path, e))?;
    f.lock().map_err(|e| Error::io(&path, e))?;
    Ok(f)
}

/// Files the tool creates hold personal data: readable by their owner only.
pub fn owner_only(opts: &mut OpenOptions) -> &mut OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts
}

fn open_ledger(path: &PathBuf) -> std::io::Result<File> {
    owner_only(OpenOptions::new().read(true).append(true).create(true)).open(path)
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
        let path = ws.path(kind.file_name());
        let name = display_path(&path);
        let mut file = match OpenOptions::new().read(true).append(true).open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let lock = creation_lock(ws)?;
                match OpenOptions::new().read(true).append(true).open(&path) {
                    // Another clerk created it meanwhile: append to theirs.
                    Ok(f) => {
                        drop(lock);
                        f
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        let book = Book::empty(kind, name.clone(), &ws.settings, None);
                        return Ok(Appender { ws, kind, target: Target::Create(lock), name, book, problems: vec![] });
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
                });
            }
        }
        let mut problems = Vec::new();
        let book = Book::load_locked(&ws.settings, &mut file, &name, kind, &mut problems)?;
        if book.info.torn {
            let line = problems.iter().rev().find(|p| p.message.starts_with("incomplete")).map_or(0, |p| p.line);
            return Err(Error::Refused(format!(
                "{name}:{line}: incomplete last row (a write was cut off); run `qunli repair` first"
            )));
        }
        if let Some(line) = book.info.open_quote {
            return Err(Error::Refused(format!(
                "{name}:{line}: a quote opened on this line is never closed, so a row added now would be read as \
                 part of it; close the quote first (`qunli check` shows it)"
            )));
        }
        if book.header.is_none() && !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        Ok(Appender { ws, kind, target: Target::Ledger(file), name, book, problems })
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
        let lang = self.ws.settings.lang;
        let new_file = self.book.header.is_none();
        let header = self.book.header.clone().unwrap_or_else(|| Header::new(self.kind, lang));
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
        for values in rows {
            let mut record = vec![String::new(); header.len()];
            for (col, v) in values {
                if let Some(cell) = record.get_mut(header.position(*col)) {
                    *cell = v.clone();
                }
            }
            w.write_record(&record).map_err(|e| Error::Refused(e.to_string()))?;
        }
        let bytes = w.into_inner().map_err(|e| Error::Refused(e.to_string()))?;
        let first_line = if new_file { 2 } else { self.book.info.next_line };

        // Read the new rows back exactly as a reader will, against the folded ledger.
        let lookup = Lookup::new(&self.ws.settings);
        let mut problems = Vec::new();
        let mut records = Records::new(&bytes, first_line);
        let mut i = 0;
        while let Some(record) = records.next() {
            let raw = RawRow { line: record.line, record, header: &header };
            if let Err(errors) = self.book.apply_raw(&raw, &lookup) {
                let at = source_lines.and_then(|l| l.get(i).copied()).unwrap_or(raw.line);
                problems.extend(problems_at(source, at, errors));
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
        let recorded = match &mut self.target {
            Target::Ledger(file) => {
                // One write to a file opened for append, then to disk before we say so.
                file.write_all(&out).map_err(|e| Error::io(&path, e))?;
                file.sync_data().map_err(|e| Error::io(&path, e))?;
                history::record(&self.ws.dir, file_name, file).and_then(|()| {
                    let len = file.metadata().map_err(|e| Error::io(&path, e))?.len();
                    let state = focus::State { len, max: self.book.max_num.clone() };
                    state.save(&self.ws.dir, file_name).map_err(|e| Error::io(&path, e))
                })
            }
            Target::Create(_lock) => {
                create_whole(&path, &out)?;
                File::options().read(true).append(true).open(&path).map_err(|e| Error::io(&path, e)).and_then(
                    |mut f| {
                        f.lock().map_err(|e| Error::io(&path, e))?;
                        history::record(&self.ws.dir, file_name, &mut f)
                    },
                )
            }
        };
        // The rows are safely written; a failure to record their digests only weakens `check`.
        let warnings = recorded.err().map(|e| format!("rows written, but their digests were not recorded: {e}"));
        Ok(Appended { first_line, warnings: warnings.into_iter().collect() })
    }
}

/// The header row as CSV.
pub fn header_line(header: &Header) -> Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    w.write_record(&header.names).map_err(|e| Error::Refused(e.to_string()))?;
    w.into_inner().map_err(|e| Error::Refused(e.to_string()))
}

/// Creates a new ledger with `bytes` in one step: written to a temporary
/// file, synced, then linked into place (which fails rather than replace).
pub fn create_whole(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("ledger"),
        std::process::id()
    ));
    let result = (|| -> std::io::Result<()> {
        let mut f = owner_only(OpenOptions::new().write(true).create(true).truncate(true)).open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::hard_link(&tmp, path)?;
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    let _ = std::fs::remove_file(&tmp);
    result.map_err(|e| Error::io(path, e))
}

/// What `repair` did to one ledger.
#[derive(Debug, PartialEq, Eq)]
pub enum Repair {
    Missing,
    Intact,
    Cut { bytes: u64, rejected: String },
}

/// Moves an incomplete last row to `FILE.rejected` (appending, never
/// overwriting) and cuts the ledger back to its last complete row.
pub fn repair(ws: &Workspace, kind: LedgerKind) -> Result<Repair> {
    let path = ws.path(kind.file_name());
    let mut file = match OpenOptions::new().read(true).write(true).open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Repair::Missing),
        Err(e) => return Err(Error::io(&path, e)),
    };
    file.lock().map_err(|e| Error::io(&path, e))?;
    let len = file.metadata().map_err(|e| Error::io(&path, e))?.len();
    let complete = reader::complete_length(&mut file, len).map_err(|e| Error::io(&path, e))?;
    if complete == len {
        return Ok(Repair::Intact);
    }
    let mut tail = Vec::new();
    file.seek(SeekFrom::Start(complete)).map_err(|e| Error::io(&path, e))?;
    std::io::Read::read_to_end(&mut file, &mut tail).map_err(|e| Error::io(&path, e))?;
    let rejected_path = ws.path(&format!("{}.rejected", kind.file_name()));
    let mut rejected = open_ledger(&rejected_path).map_err(|e| Error::io(&rejected_path, e))?;
    tail.push(b'\n');
    rejected.write_all(&tail).map_err(|e| Error::io(&rejected_path, e))?;
    rejected.sync_data().map_err(|e| Error::io(&rejected_path, e))?;
    file.set_len(complete).map_err(|e| Error::io(&path, e))?;
    file.sync_data().map_err(|e| Error::io(&path, e))?;
    Ok(Repair::Cut { bytes: len - complete, rejected: display_path(&rejected_path) })
}
