//! A ledger read and folded: its cases, sessions, reviews and screenings,
//! and the checks of SPEC §5.5 that need the whole file in order.

use super::model::{CaseId, DisputeEvent, EscalateTo, LedgerKind, Mode, VisitEvent};
use super::reader::{self, Header, RawRow, ReadInfo};
use super::row::{self, Event, Lookup, Row};
use crate::case::Case;
use crate::config::{Role, Settings};
use crate::error::{Problem, Result};
use chrono::NaiveDate;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

/// What validation knows of a case, from every row of the file.
#[derive(Clone, Copy, Debug)]
pub struct Known {
    pub opened: NaiveDate,
    pub line: u64,
    pub voided: bool,
}

/// An event worth listing on its own (escalations, repeat receptions).
#[derive(Clone, Copy, Debug)]
pub struct EventAt {
    pub case: CaseId,
    pub date: NaiveDate,
    pub line: u64,
    pub to: Option<EscalateTo>,
    pub headcount: u32,
}

/// A letter reviewed by a leader.
#[derive(Clone, Copy, Debug)]
pub struct Review {
    pub leader: u16,
    pub date: NaiveDate,
    pub case: CaseId,
}

/// A ledger, folded as of a date.
#[derive(Debug)]
pub struct Book {
    pub kind: LedgerKind,
    pub file: String,
    pub header: Option<Header>,
    pub info: ReadInfo,
    /// Rows dated after this are validated but not folded.
    pub as_of: Option<NaiveDate>,
    /// Cases in the order they were opened.
    pub cases: Vec<Case>,
    index: HashMap<u64, u32>,
    pub known: HashMap<u64, Known>,
    /// (leader, date) of every session (§6.2).
    pub sessions: BTreeSet<(u16, NaiveDate)>,
    /// (date, leader) of every row of mode `work_day`.
    pub work_days: BTreeSet<(NaiveDate, u16)>,
    pub escalations: Vec<EventAt>,
    pub repeats: Vec<EventAt>,
    pub reviews: Vec<Review>,
    /// (village, date) of every screening.
    pub screenings: HashSet<(u16, NaiveDate)>,
    /// The highest case number used, per year.
    pub max_num: HashMap<u16, u32>,
    pub rows: u64,
    principals: Vec<bool>,
}

impl Book {
    pub fn empty(kind: LedgerKind, file: String, settings: &Settings, as_of: Option<NaiveDate>) -> Self {
        Book {
            kind,
            file,
            header: None,
            info: ReadInfo::default(),
            as_of,
            cases: Vec::new(),
            index: HashMap::new(),
            known: HashMap::new(),
            sessions: BTreeSet::new(),
            work_days: BTreeSet::new(),
            escalations: Vec::new(),
            repeats: Vec::new(),
            reviews: Vec::new(),
            screenings: HashSet::new(),
            max_num: HashMap::new(),
            rows: 0,
            principals: settings.leaders.iter().map(|l| l.role == Role::Principal).collect(),
        }
    }

    /// Reads and folds the ledger at `path`; problems go to `problems`.
    pub fn load(
        settings: &Settings,
        path: &Path,
        kind: LedgerKind,
        as_of: Option<NaiveDate>,
        problems: &mut Vec<Problem>,
    ) -> Result<Book> {
        let file = crate::workspace::display_path(path);
        let mut book = Book::empty(kind, file.clone(), settings, as_of);
        let lookup = Lookup::new(settings);
        let mut row_problems = Vec::new();
        let (header, info) = reader::read(path, kind, problems, |raw| {
            if let Err(errors) = book.apply_raw(raw, &lookup) {
                row_problems.extend(errors.into_iter().map(|message| Problem {
                    file: file.clone(),
                    line: raw.line,
                    message,
                }));
            }
        })?;
        problems.extend(row_problems);
        problems.sort_by_key(|p| p.line);
        book.header = header;
        book.info = info;
        Ok(book)
    }

    /// Like [`Book::load`], from bytes in memory (tests, fuzzing).
    pub fn from_bytes(
        settings: &Settings,
        bytes: &[u8],
        kind: LedgerKind,
        problems: &mut Vec<Problem>,
    ) -> Result<Book> {
        let name = kind.file_name();
        let mut book = Book::empty(kind, name.to_string(), settings, None);
        let lookup = Lookup::new(settings);
        let mut row_problems = Vec::new();
        let (header, info) = reader::read_bytes(bytes, name, kind, problems, |raw| {
            if let Err(errors) = book.apply_raw(raw, &lookup) {
                row_problems.extend(errors.into_iter().map(|message| Problem {
                    file: name.into(),
                    line: raw.line,
                    message,
                }));
            }
        })?;
        problems.extend(row_problems);
        problems.sort_by_key(|p| p.line);
        book.header = header;
        book.info = info;
        Ok(book)
    }

    /// Like [`Book::load`], reading from a file the caller has opened and locked.
    pub fn load_locked(
        settings: &Settings,
        file: &mut std::fs::File,
        name: &str,
        kind: LedgerKind,
        problems: &mut Vec<Problem>,
    ) -> Result<Book> {
        let mut book = Book::empty(kind, name.to_string(), settings, None);
        let lookup = Lookup::new(settings);
        let mut row_problems = Vec::new();
        let (header, info) = reader::read_from(file, name, kind, problems, |raw| {
            if let Err(errors) = book.apply_raw(raw, &lookup) {
                row_problems.extend(errors.into_iter().map(|message| Problem {
                    file: name.to_string(),
                    line: raw.line,
                    message,
                }));
            }
        })?;
        problems.extend(row_problems);
        problems.sort_by_key(|p| p.line);
        book.header = header;
        book.info = info;
        Ok(book)
    }

    pub fn case(&self, id: CaseId) -> Option<&Case> {
        self.index.get(&id.key()).map(|&i| &self.cases[i as usize])
    }

    /// The next free case number of `year`.
    pub fn next_case(&self, year: u16) -> CaseId {
        CaseId { kind: self.kind, year, num: self.max_num.get(&year).copied().unwrap_or(0) + 1 }
    }

    /// Parses, checks and folds one row.
    pub fn apply_raw(&mut self, raw: &RawRow, lookup: &Lookup) -> std::result::Result<(), Vec<String>> {
        self.rows += 1;
        let row = row::parse(raw, self.kind, lookup)?;
        if let Some(c) = row.case {
            let m = self.max_num.entry(c.year).or_insert(0);
            *m = (*m).max(c.num);
        }
        self.check_sequence(&row).map_err(|e| vec![e])?;
        if self.as_of.is_none_or(|a| row.date <= a) {
            self.fold(&row);
        }
        Ok(())
    }

    /// §5.5: a non-opening event names a case opened earlier in the file,
    /// on an earlier or the same date, and not voided.
    fn check_sequence(&mut self, row: &Row) -> std::result::Result<(), String> {
        let Some(case) = row.case else { return Ok(()) };
        let key = case.key();
        match (self.known.get_mut(&key), row.event.opens()) {
            (None, true) => {
                self.known.insert(key, Known { opened: row.date, line: row.line, voided: false });
                Ok(())
            }
            (None, false) => Err(format!("case {case} was not registered earlier in the file")),
            (Some(k), opens) => {
                if k.voided {
                    return Err(format!("case {case} was voided"));
                }
                if opens && self.kind != LedgerKind::Visits {
                    return Err(format!("case {case} is already registered (line {})", k.line));
                }
                if row.date < k.opened {
                    return Err(format!("dated {} before case {case} was registered on {}", row.date, k.opened));
                }
                if row.event.voids() {
                    k.voided = true;
                }
                Ok(())
            }
        }
    }

    fn fold(&mut self, row: &Row) {
        match row.event {
            Event::Visit(VisitEvent::Session | VisitEvent::Receive) => {
                if let (Some(l), Some(m)) = (row.leader, row.mode) {
                    if m.counts_as_session() {
                        self.sessions.insert((l, row.date));
                    }
                    if m == Mode::WorkDay {
                        self.work_days.insert((row.date, l));
                    }
                }
            }
            Event::Dispute(DisputeEvent::Screen) => {
                if let Some(v) = row.village {
                    self.screenings.insert((v, row.date));
                }
            }
            Event::Letter(super::model::LetterEvent::Review) => {
                if let (Some(l), Some(c)) = (row.leader, row.case) {
                    self.reviews.push(Review { leader: l, date: row.date, case: c });
                }
            }
            _ => {}
        }
        let Some(id) = row.case else { return };
        let key = id.key();
        match self.index.get(&key) {
            None => {
                self.index.insert(key, self.cases.len() as u32);
                self.cases.push(Case::open(id, row));
            }
            Some(&i) => {
                let principals = &self.principals;
                let case = &mut self.cases[i as usize];
                case.apply(row, |l| principals.get(l as usize).copied().unwrap_or(false));
                let at = EventAt {
                    case: id,
                    date: row.date,
                    line: row.line,
                    to: row.to,
                    headcount: row.headcount.unwrap_or(1),
                };
                match row.event {
                    Event::Visit(VisitEvent::Receive) => self.repeats.push(at),
                    Event::Visit(VisitEvent::Escalate) | Event::Dispute(DisputeEvent::Escalate) => {
                        self.escalations.push(at)
                    }
                    _ => {}
                }
            }
        }
    }
}
