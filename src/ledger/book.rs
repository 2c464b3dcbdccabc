//! A ledger read and folded: its cases, sessions, reviews and screenings,
//! and the checks of SPEC §5.5 that need the whole file in order.

use super::history::{UndoRows, Walker};
use super::model::{CaseId, DisputeEvent, EscalateTo, LedgerKind, Mode, VisitEvent};
use super::reader::{self, Header, RawRow, ReadInfo};
use super::row::{self, Event, Lookup, Row};
use super::undo::{self, Undos};
use crate::config::{Role, Settings};
use crate::error::{Problem, Result};
use crate::ledger::case::Case;
use chrono::NaiveDate;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

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

/// What validation knows of a case opened after the as-of date, which is
/// checked but not folded. (A folded case keeps the same in its [`Case`].)
#[derive(Clone, Copy, Debug)]
struct Unfolded {
    opened: NaiveDate,
    line: u64,
    voided: bool,
}

/// An index entry with this bit set points into `Book::unfolded`; without
/// it, into `Book::cases`.
const UNFOLDED: u32 = 1 << 31;
const NO_CASE: u32 = u32::MAX;

/// Case number → entry. Numbers are dense within a year, so the covered
/// years and the next are plain vectors (four bytes a case, small enough to
/// stay in cache); any other year goes to a map.
#[derive(Debug)]
struct CaseIndex {
    year: u16,
    dense: Vec<Vec<u32>>,
    other: HashMap<u64, u32>,
}

impl CaseIndex {
    fn new(first: i32, last: i32) -> Self {
        let span = (last - first + 2).clamp(1, 200) as usize;
        CaseIndex { year: first as u16, dense: vec![Vec::new(); span], other: HashMap::new() }
    }

    fn dense_at(&self, id: CaseId) -> Option<(usize, usize)> {
        let y = id.year.checked_sub(self.year)? as usize;
        (y < self.dense.len() && id.num < 10_000_000).then_some((y, id.num as usize))
    }

    fn get(&self, id: CaseId) -> Option<u32> {
        let dense = self.dense_at(id).and_then(|(y, n)| self.dense[y].get(n).copied().filter(|&e| e != NO_CASE));
        match dense {
            Some(e) => Some(e),
            None if self.other.is_empty() => None,
            None => self.other.get(&id.key()).copied(),
        }
    }

    fn insert(&mut self, id: CaseId, entry: u32) {
        /// How far past the numbers held a number may be to go in the dense
        /// list: a fold meets numbers in turn, while an append's book holds
        /// one case, whose number may be the millionth (so the list stays
        /// as long as the cases, not as the highest number).
        const REACH: usize = 1 << 16;
        match self.dense_at(id).filter(|&(y, n)| n < self.dense[y].len() + REACH) {
            Some((y, n)) => {
                let v = &mut self.dense[y];
                if v.len() <= n {
                    v.resize(n + 1, NO_CASE);
                }
                v[n] = entry;
            }
            None => {
                self.other.insert(id.key(), entry);
            }
        }
    }
}

/// Raises the highest number noted for `c`'s year to `c`'s, if lower.
pub(super) fn note_max(max: &mut Vec<(u16, u32)>, c: CaseId) {
    match max.iter_mut().find(|(y, _)| *y == c.year) {
        Some((_, m)) => *m = (*m).max(c.num),
        None => max.push((c.year, c.num)),
    }
}

/// The problems of one row of the file `name`.
pub(super) fn problems_at(name: &str, line: u64, errors: Vec<String>) -> impl Iterator<Item = Problem> + '_ {
    errors.into_iter().map(move |message| Problem { file: name.to_string(), line, message })
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
    /// Cases in the order they were opened (those opened by the as-of date).
    pub cases: Vec<Case>,
    /// Whether `cases` is in start-date order (as a ledger kept day by day is).
    starts_in_order: bool,
    /// When it is not: positions in `cases` by start date (then opening
    /// order), made when first asked for and forgotten when a case is added.
    by_start: std::sync::OnceLock<Vec<u32>>,
    /// Case number → its place in `cases` or `unfolded`, for every case of the file.
    index: CaseIndex,
    unfolded: Vec<Unfolded>,
    /// (leader, date) of every session (§6.2).
    pub sessions: BTreeSet<(u16, NaiveDate)>,
    /// (date, leader) of every row of mode `work_day`.
    pub work_days: BTreeSet<(NaiveDate, u16)>,
    pub escalations: Vec<EventAt>,
    pub repeats: Vec<EventAt>,
    pub reviews: Vec<Review>,
    /// (village, date) of every screening.
    pub screenings: HashSet<(u16, NaiveDate)>,
    /// The highest case number used, per year (a year or two: a list).
    pub max_num: Vec<(u16, u32)>,
    pub rows: u64,
    principals: Vec<bool>,
    /// Per leader, the last day noted in `sessions` and in `work_days`.
    last_day_noted: Vec<(Option<NaiveDate>, Option<NaiveDate>)>,
    /// The covered years (SPEC §5.5).
    covered: Vec<i32>,
    /// The undo rows and the rows they cancel (SPEC §5.1).
    pub undos: Undos,
    /// What the read knows of the ledger's undo rows, for the record an
    /// append leaves.
    pub undo_rows: UndoRows,
    /// Only cases whose opening row it admits are folded; the others are
    /// kept in the compact form of `unfolded` (their rows are checked,
    /// nothing else of them is kept), so that a listing of one month or
    /// one village holds those cases, not the ledger's.
    window: Window,
}

/// What a listing shows of the row that opens a case — its date, village
/// and category, which no later row changes: a book loaded for it folds
/// only the cases it admits ([`Book::load_window`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct Window {
    /// The first and last day a case may be opened on.
    pub dates: Option<(NaiveDate, NaiveDate)>,
    pub village: Option<u16>,
    pub category: Option<u16>,
}

impl Window {
    fn admits(&self, opening: &Row) -> bool {
        self.dates.is_none_or(|(first, last)| (first..=last).contains(&opening.date))
            && self.village.is_none_or(|v| opening.village == Some(v))
            && self.category.is_none_or(|c| opening.category == Some(c))
    }
}

/// Which rows a fold folds: those up to the as-of date, and of them only
/// the cases the window admits.
#[derive(Clone, Copy)]
struct Within {
    as_of: Option<NaiveDate>,
    window: Window,
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
            starts_in_order: true,
            by_start: std::sync::OnceLock::new(),
            index: CaseIndex::new(settings.first_year(), settings.last_year()),
            unfolded: Vec::new(),
            sessions: BTreeSet::new(),
            work_days: BTreeSet::new(),
            escalations: Vec::new(),
            repeats: Vec::new(),
            reviews: Vec::new(),
            screenings: HashSet::new(),
            max_num: Vec::new(),
            rows: 0,
            principals: settings.leaders.iter().map(|l| l.role == Role::Principal).collect(),
            last_day_noted: vec![(None, None); settings.leaders.len()],
            covered: settings.years.clone(),
            undos: Undos::default(),
            undo_rows: UndoRows::All(Vec::new()),
            window: Window::default(),
        }
    }

    /// §5.5: a row that starts work (a new case, a session, a screening)
    /// lies in a covered year; only rows that carry on a case may run into
    /// the year after.
    #[cold]
    fn starts_outside(&self, row: &Row) -> Option<String> {
        use chrono::Datelike;
        let y = row.date.year();
        (!self.covered.contains(&y)).then(|| {
            let years: Vec<String> = self.covered.iter().map(i32::to_string).collect();
            crate::lang::messages().pick(
                format!(
                    "{} 不在本工作区覆盖的年份（{}）内：新的事项、接待和排查只能登记在覆盖的年份；要覆盖 {y} 年，运行 `qunli year add {y}`",
                    row.date,
                    years.join("、")
                ),
                format!(
                    "{} is not in a covered year ({}): new cases, sessions and screenings belong to covered years; \
                     to cover {y}, run `qunli year add {y}`",
                    row.date,
                    years.join(", ")
                ),
            )
        })
    }

    /// Reads and folds the ledger at `path`; problems go to `problems`.
    ///
    /// Rows are read and parsed on every core (the costly, independent
    /// part); the caller's thread checks their order and folds them, in
    /// file order.
    pub fn load(
        settings: &Settings,
        path: &Path,
        kind: LedgerKind,
        as_of: Option<NaiveDate>,
        problems: &mut Vec<Problem>,
    ) -> Result<Book> {
        Self::load_with(settings, path, kind, as_of, true, problems)
    }

    /// As [`Book::load`]; without `history` the 台账校验码 chain is not
    /// walked (for figures that never show it nor judge it).
    pub fn load_with(
        settings: &Settings,
        path: &Path,
        kind: LedgerKind,
        as_of: Option<NaiveDate>,
        history: bool,
        problems: &mut Vec<Problem>,
    ) -> Result<Book> {
        Self::load_window(settings, path, kind, as_of, history, Window::default(), problems)
    }

    /// As [`Book::load_with`], folding only the cases `window` admits:
    /// every row is still read and checked, but any other case keeps no
    /// more than its opening date, line and whether it is void, and its
    /// rows add nothing else (no sessions, repeats, escalations or
    /// reviews). For a listing, whose memory is then that of the cases it
    /// can show.
    pub fn load_window(
        settings: &Settings,
        path: &Path,
        kind: LedgerKind,
        as_of: Option<NaiveDate>,
        history: bool,
        window: Window,
        problems: &mut Vec<Problem>,
    ) -> Result<Book> {
        let name = crate::workspace::display_path(path);
        match reader::open_locked(path)? {
            Some(mut file) => {
                let walker = history.then(|| Walker::for_ledger(path));
                let within = Within { as_of, window };
                let kept = super::history::kept_undos(path);
                Self::fold_parallel(settings, &mut file, &name, kind, within, walker, kept, problems)
            }
            None => {
                // No ledger: only its record, if any, has something to say.
                let mut book = Book::empty(kind, name, settings, as_of);
                book.info.history = Some(Walker::for_ledger(path).finish());
                Ok(book)
            }
        }
    }

    /// Reads `file` (open and locked) on every core (or in this thread
    /// alone, [`reader::in_this_thread`]) and folds it here, knowing its
    /// undo rows beforehand — from its `kept` state and a search
    /// of the lines after it — and folding again in the rare case that they
    /// were not those the fold met.
    #[allow(clippy::too_many_arguments)]
    fn fold_parallel(
        settings: &Settings,
        file: &mut std::fs::File,
        name: &str,
        kind: LedgerKind,
        within: Within,
        walker: Option<Walker>,
        kept: Option<undo::Kept>,
        problems: &mut Vec<Problem>,
    ) -> Result<Book> {
        use std::io::{Seek, SeekFrom};
        let io = |e| crate::error::Error::io(name, e);
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        let file = &*file;
        let mut read_problems = Vec::new();
        let book = if reader::one_thread() {
            let mut kept = Some(kept);
            let mut found = || undo::find(file, kind, kept.take().flatten());
            Self::fold_once(settings, file, name, kind, within, walker, &mut found, &mut read_problems)
        } else {
            // The search for undo rows runs beside the read; the fold waits
            // for it only when the first rows come to be folded.
            std::thread::scope(|scope| {
                let mut search = Some(scope.spawn(move || undo::find(file, kind, kept)));
                let mut found = move || -> std::io::Result<Vec<(u64, u64)>> {
                    match search.take().map(|s| s.join()) {
                        Some(Ok(found)) => found,
                        Some(Err(_)) => Err(std::io::Error::other("the search for undo rows failed")),
                        None => Ok(Vec::new()),
                    }
                };
                Self::fold_once(settings, file, name, kind, within, walker, &mut found, &mut read_problems)
            })
        };
        let mut book = book?;
        if !book.undos.missed() {
            problems.extend(read_problems);
            book.undo_rows = UndoRows::All(book.undos.seen.clone());
            return Ok(book);
        }
        let met = book.undos.seen.clone();
        let mut again = Self::fold_once(settings, file, name, kind, within, None, &mut || Ok(met.clone()), problems)?;
        again.info.history = book.info.history.take();
        again.undo_rows = UndoRows::All(met);
        Ok(again)
    }

    /// One fold of `file`; `undos` gives the undo rows, asked for when the
    /// first rows are to be folded.
    #[allow(clippy::too_many_arguments)]
    fn fold_once(
        settings: &Settings,
        file: &std::fs::File,
        name: &str,
        kind: LedgerKind,
        within: Within,
        walker: Option<Walker>,
        undos: &mut dyn FnMut() -> std::io::Result<Vec<(u64, u64)>>,
        problems: &mut Vec<Problem>,
    ) -> Result<Book> {
        let mut book = Book::empty(kind, name.to_string(), settings, within.as_of);
        book.window = within.window;
        let mut row_problems = Vec::new();
        let parser = || {
            let lookup = Lookup::new(settings);
            move |raw: &RawRow| row::parse(raw, kind, &lookup).map_err(|e| (raw.line, e))
        };
        let (mut known, mut failed) = (false, None);
        let read = reader::read_parallel(file, name, kind, walker, problems, parser, |items| {
            if !known {
                known = true;
                match undos() {
                    Ok(found) => book.undos = Undos::new(&found),
                    Err(e) => failed = Some(e),
                }
            }
            for item in items.drain(..) {
                book.rows += 1;
                let outcome = item.and_then(|row| book.apply_row(&row).map_err(|e| (row.line, vec![e])));
                if let Err((line, errors)) = outcome {
                    row_problems.extend(problems_at(name, line, errors));
                }
            }
        })?;
        if let Some(e) = failed {
            return Err(crate::error::Error::io(name, e));
        }
        book.finish_read(read, row_problems, problems);
        Ok(book)
    }

    /// Like [`Book::load`], from bytes in memory (tests, fuzzing), in this thread.
    pub fn from_bytes(
        settings: &Settings,
        bytes: &[u8],
        kind: LedgerKind,
        problems: &mut Vec<Problem>,
    ) -> Result<Book> {
        let name = kind.file_name();
        let mut book = Book::empty(kind, name.to_string(), settings, None);
        book.undos = Undos::new(&undo::prescan_bytes(bytes, kind));
        let lookup = Lookup::new(settings);
        let mut row_problems = Vec::new();
        let read = reader::read_bytes(bytes, name, kind, problems, |raw| {
            if let Err(errors) = book.apply_raw(raw, &lookup) {
                row_problems.extend(problems_at(name, raw.line, errors));
            }
        })?;
        book.finish_read(read, row_problems, problems);
        Ok(book)
    }

    /// Like [`Book::load`], reading from a file the caller has opened and
    /// locked, walking its history beside `walker`.
    pub fn load_locked(
        settings: &Settings,
        file: &mut std::fs::File,
        name: &str,
        kind: LedgerKind,
        walker: Walker,
        kept: Option<undo::Kept>,
        problems: &mut Vec<Problem>,
    ) -> Result<Book> {
        Self::fold_parallel(
            settings,
            file,
            name,
            kind,
            Within { as_of: None, window: Window::default() },
            Some(walker),
            kept,
            problems,
        )
    }

    /// Keeps what the read found of the file, and puts the rows' problems
    /// with the file's, in line order.
    fn finish_read(
        &mut self,
        (header, info): (Option<Header>, ReadInfo),
        row_problems: Vec<Problem>,
        problems: &mut Vec<Problem>,
    ) {
        problems.extend(row_problems);
        problems.sort_by_key(|p| p.line);
        self.header = header;
        self.info = info;
    }

    /// The cases started from `from` to `to`, inclusive, in the order they
    /// were opened: the months a report looks at, without a pass over every
    /// case of the ledger.
    pub fn started(&self, from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = &Case> + '_ {
        let (in_order, picked) = if self.starts_in_order {
            // A binary search of the cases themselves.
            let lo = self.cases.partition_point(|c| c.start < from);
            let hi = self.cases.partition_point(|c| c.start <= to).max(lo);
            (&self.cases[lo..hi], Vec::new())
        } else {
            let by_start = self.by_start.get_or_init(|| {
                let mut order: Vec<u32> = (0..self.cases.len() as u32).collect();
                order.sort_by_key(|&i| self.cases[i as usize].start); // stable: opening order within a day
                order
            });
            let start = |i: &u32| self.cases[*i as usize].start;
            let lo = by_start.partition_point(|i| start(i) < from);
            let hi = by_start.partition_point(|i| start(i) <= to).max(lo);
            let mut picked = by_start[lo..hi].to_vec();
            picked.sort_unstable();
            (&self.cases[..0], picked)
        };
        in_order.iter().chain(picked.into_iter().map(|i| &self.cases[i as usize]))
    }

    pub fn case(&self, id: CaseId) -> Option<&Case> {
        self.cases.get(self.index.get(id).filter(|e| e & UNFOLDED == 0)? as usize)
    }

    /// Sessions `leader` held from `from` to `to`, inclusive (distinct days).
    pub fn sessions_held(&self, leader: u16, from: NaiveDate, to: NaiveDate) -> usize {
        self.sessions.range((leader, from)..=(leader, to)).count()
    }

    /// Distinct days of `month` with a row of mode `work_day` (群众工作日).
    pub fn work_days_in(&self, month: crate::period::YearMonth) -> usize {
        let mut days: Vec<NaiveDate> =
            self.work_days.range((month.first_day(), 0)..=(month.last_day(), u16::MAX)).map(|(d, _)| *d).collect();
        days.dedup();
        days.len()
    }

    /// The next free case number of `year`.
    pub fn next_case(&self, year: u16) -> CaseId {
        let max = self.max_num.iter().find(|(y, _)| *y == year).map_or(0, |(_, m)| *m);
        CaseId { kind: self.kind, year, num: max + 1 }
    }

    /// Parses, checks and folds one row.
    pub fn apply_raw(&mut self, raw: &RawRow, lookup: &Lookup) -> std::result::Result<(), Vec<String>> {
        self.rows += 1;
        let row = row::parse(raw, self.kind, lookup)?;
        self.apply_row(&row).map_err(|e| vec![e])
    }

    /// Checks and folds one parsed row.
    pub fn apply_row(&mut self, row: &Row) -> std::result::Result<(), String> {
        // A row cancelled by a later undo leaves every count and rule as if
        // it had never been written — dropped here, before anything sees it.
        if !self.undos.targets.is_empty() {
            if let Some(by) = self.undos.cancelling(row.line) {
                let opening = row.event.opens() && row.case.is_some_and(|c| self.index.get(c).is_none());
                let refusal = if row.event.undoes() {
                    Some(crate::lang::messages().t("不能撤销一条撤销记录", "an undo cannot be undone"))
                } else if opening {
                    Some(crate::lang::messages().t(
                        "这是事项的第一行（登记），不能撤销；登记有误请用 void 作废整个事项",
                        "it is the row that opened its case; a case registered in error is voided (void)",
                    ))
                } else {
                    None
                };
                match refusal {
                    Some(why) => {
                        self.undos.refused.insert(by, why.to_string());
                    }
                    None => {
                        self.undos.dropped.insert(row.line, row.case);
                        if let Some(id) = row.case {
                            note_max(&mut self.max_num, id);
                        }
                        return Ok(());
                    }
                }
            }
        }
        if row.event.undoes() {
            return self.apply_undo(row);
        }
        let in_time = self.as_of.is_none_or(|a| row.date <= a);
        let Some(id) = row.case else {
            if let Some(e) = self.starts_outside(row) {
                return Err(e);
            }
            if in_time {
                self.note(row);
            }
            return Ok(());
        };
        note_max(&mut self.max_num, id);
        let Some(entry) = self.index.get(id) else {
            if !row.event.opens() {
                return Err(crate::lang::messages().pick(
                    format!("事项 {id} 在前面没有登记过"),
                    format!("case {id} was not registered earlier in the file"),
                ));
            }
            if let Some(e) = self.starts_outside(row) {
                return Err(e);
            }
            let folded = in_time && self.window.admits(row);
            let (list_len, tag) = if folded { (self.cases.len(), 0) } else { (self.unfolded.len(), UNFOLDED) };
            let Some(at) = u32::try_from(list_len).ok().filter(|&n| n < UNFOLDED) else {
                return Err(format!("case {id}: more than {UNFOLDED} cases in one ledger"));
            };
            self.index.insert(id, at | tag);
            if folded {
                self.note(row);
                self.starts_in_order &= self.cases.last().is_none_or(|c| c.start <= row.date);
                self.cases.push(Case::open(id, row));
                self.by_start.take();
            } else {
                self.unfolded.push(Unfolded { opened: row.date, line: row.line, voided: false });
            }
            return Ok(());
        };
        if entry & UNFOLDED != 0 {
            // Opened after the as-of date (so this row, dated no earlier, is
            // too), or not admitted by the window: checked, not folded.
            let Some(u) = self.unfolded.get_mut((entry & !UNFOLDED) as usize) else { return Ok(()) };
            check_sequence(self.kind, id, row, u.opened, u.line, u.voided)?;
            u.voided |= row.event.voids();
            return Ok(());
        }
        let Some(case) = self.cases.get_mut(entry as usize) else { return Ok(()) };
        check_sequence(self.kind, id, row, case.start, case.line(), case.voided_in_file)?;
        case.voided_in_file |= row.event.voids();
        if !in_time {
            return Ok(());
        }
        let principals = &self.principals;
        case.apply(row, |l| principals.get(l as usize).copied().unwrap_or(false));
        self.note(row);
        let at =
            EventAt { case: id, date: row.date, line: row.line, to: row.to, headcount: row.headcount.unwrap_or(1) };
        match row.event {
            Event::Visit(VisitEvent::Receive) => self.repeats.push(at),
            Event::Visit(VisitEvent::Escalate) | Event::Dispute(DisputeEvent::Escalate) => self.escalations.push(at),
            _ => {}
        }
        Ok(())
    }

    /// Checks an undo row: it names an earlier row of the same case, not yet
    /// undone, that may be undone (the row itself was dropped when it came by).
    fn apply_undo(&mut self, row: &Row) -> std::result::Result<(), String> {
        let lang = crate::lang::messages();
        let Some(target) = row.undoes else { return Ok(()) };
        self.undos.seen.push((row.line, target));
        if target >= row.line {
            return Err(lang.pick(
                format!("关联: 只能撤销前面的行，不能撤销第 {target} 行"),
                format!("ref: only an earlier row can be undone, not line {target}"),
            ));
        }
        if let Some(why) = self.undos.refused.get(&row.line) {
            return Err(lang.pick(
                format!("关联: 不能撤销第 {target} 行：{why}"),
                format!("ref: line {target} cannot be undone: {why}"),
            ));
        }
        match self.undos.targets.get(&target) {
            Some(&first) if first < row.line => Err(lang.pick(
                format!("关联: 第 {target} 行已由第 {first} 行撤销"),
                format!("ref: line {target} was undone already, by line {first}"),
            )),
            Some(_) => match self.undos.dropped.get(&target) {
                Some(case) if *case != row.case => Err(lang.pick(
                    format!(
                        "案号: 第 {target} 行属于{}，撤销记录的案号应与之相同",
                        case.map_or_else(|| "没有案号的记录".to_string(), |c| c.to_string())
                    ),
                    format!(
                        "case: line {target} is of {}; the undo row names the same",
                        case.map_or_else(|| "no case".to_string(), |c| c.to_string())
                    ),
                )),
                Some(_) => Ok(()),
                None => Err(lang.pick(
                    format!("关联: 第 {target} 行不是可以撤销的记录"),
                    format!("ref: line {target} is not a row that can be undone"),
                )),
            },
            // Not known beforehand: an append checked it itself; a fold folds again.
            None => Ok(()),
        }
    }

    /// What a row adds besides its case: sessions, work days, screenings, reviews.
    fn note(&mut self, row: &Row) {
        match row.event {
            Event::Visit(VisitEvent::Session | VisitEvent::Receive) => {
                if let (Some(l), Some(m)) = (row.leader, row.mode) {
                    // Rows come mostly in date order: a leader's day already
                    // noted needs no second look in the set.
                    let mut noted = self.last_day_noted.get(l as usize).copied().unwrap_or_default();
                    if m.counts_as_session() && noted.0 != Some(row.date) {
                        self.sessions.insert((l, row.date));
                        noted.0 = Some(row.date);
                    }
                    if m == Mode::WorkDay && noted.1 != Some(row.date) {
                        self.work_days.insert((row.date, l));
                        noted.1 = Some(row.date);
                    }
                    if let Some(n) = self.last_day_noted.get_mut(l as usize) {
                        *n = noted;
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
    }
}

/// §5.5: a non-opening event names a case opened earlier in the file, on an
/// earlier or the same date, and not voided; only visits are received again.
fn check_sequence(
    kind: LedgerKind,
    id: CaseId,
    row: &Row,
    opened: NaiveDate,
    line: u64,
    voided: bool,
) -> std::result::Result<(), String> {
    let lang = crate::lang::messages();
    if voided {
        return Err(lang.pick(format!("事项 {id} 已作废，其后不能再有记录"), format!("case {id} was voided")));
    }
    if row.event.opens() && kind != LedgerKind::Visits {
        return Err(lang.pick(
            format!("事项 {id} 已经登记过（第 {line} 行）"),
            format!("case {id} is already registered (line {line})"),
        ));
    }
    if row.date < opened {
        return Err(lang.pick(
            format!("日期 {} 早于事项 {id} 的登记日期 {opened}", row.date),
            format!("dated {} before case {id} was registered on {opened}", row.date),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_started_in_a_period_come_in_opening_order() {
        let settings = crate::config::parse(
            "township = \"t\"\nyear = 2022\nvillages = [\"天灵村\"]\n[[leaders]]\nname = \"管小波\"\nrole = \"principal\"\n",
            "qunli.toml",
        )
        .unwrap();
        let row = |case: &str, date: &str| format!("{case},{date},receive,管小波,public,天灵村,张三,1,其他,诉求,,,\n");
        let mut text =
            "case,date,event,leader,mode,village,visitors,headcount,category,summary,ref,detail,note\n".to_string();
        // Registered late: case 3 started before case 2.
        for (case, date) in [("V2022-0001", "2022-03-01"), ("V2022-0002", "2022-03-20"), ("V2022-0003", "2022-03-05")] {
            text += &row(case, date);
        }
        text += &row("V2022-0004", "2022-04-02");
        let mut problems = Vec::new();
        let mut book = Book::from_bytes(&settings, text.as_bytes(), LedgerKind::Visits, &mut problems).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let nums = |b: &Book, from, to| b.started(d(from), d(to)).map(|c| c.id.num).collect::<Vec<_>>();
        assert_eq!(nums(&book, "2022-03-01", "2022-03-31"), [1, 2, 3]);
        assert_eq!(nums(&book, "2022-03-02", "2022-03-20"), [2, 3]);
        assert_eq!(nums(&book, "2022-04-01", "2022-04-30"), [4]);
        assert!(nums(&book, "2022-05-01", "2022-04-30").is_empty());
        // A case added later is seen.
        let lookup = row::Lookup::new(&settings);
        let added = row("V2022-0005", "2022-03-10");
        reader::read_bytes(
            (text.lines().next().unwrap().to_string() + "\n" + &added).as_bytes(),
            "v",
            LedgerKind::Visits,
            &mut problems,
            |raw| {
                book.apply_raw(raw, &lookup).unwrap();
            },
        )
        .unwrap();
        assert_eq!(nums(&book, "2022-03-01", "2022-03-31"), [1, 2, 3, 5]);
        // Kept day by day, the cases are searched as they are.
        let mut text = text.lines().next().unwrap().to_string() + "\n";
        for (case, date) in [("V2022-0001", "2022-03-01"), ("V2022-0002", "2022-03-05"), ("V2022-0003", "2022-03-05")] {
            text += &row(case, date);
        }
        let book = Book::from_bytes(&settings, text.as_bytes(), LedgerKind::Visits, &mut problems).unwrap();
        assert!(book.starts_in_order);
        assert_eq!(nums(&book, "2022-03-02", "2022-03-31"), [2, 3]);
        assert_eq!(nums(&book, "2022-03-05", "2022-03-05"), [2, 3]);
        assert!(nums(&book, "2022-03-06", "2022-03-31").is_empty());
    }

    fn settings() -> Settings {
        crate::config::parse(
            "township = \"t\"\nyear = 2022\nvillages = [\"天灵村\"]\n[[leaders]]\nname = \"管小波\"\nrole = \"principal\"\n",
            "qunli.toml",
        )
        .unwrap()
    }

    /// Folds `rows` (after a header) as of `as_of`; the problems' messages by line.
    fn fold_as_of(settings: &Settings, rows: &[&str], as_of: &str) -> (Book, Vec<(u64, String)>) {
        let mut text =
            "case,date,event,leader,mode,village,visitors,headcount,category,summary,ref,detail,note\n".to_string();
        for r in rows {
            text += r;
            text.push('\n');
        }
        let mut book = Book::empty(LedgerKind::Visits, "v".into(), settings, Some(as_of.parse().unwrap()));
        let lookup = row::Lookup::new(settings);
        let mut found = Vec::new();
        reader::read_bytes(text.as_bytes(), "v", LedgerKind::Visits, &mut Vec::new(), |raw| {
            if let Err(e) = book.apply_raw(raw, &lookup) {
                found.push((raw.line, e.join("; ")));
            }
        })
        .unwrap();
        (book, found)
    }

    #[test]
    fn a_far_case_number_is_found_without_a_list_as_long_as_the_number() {
        let mut index = CaseIndex::new(2022, 2023);
        let id = |num| CaseId { kind: LedgerKind::Visits, year: 2023, num };
        index.insert(id(900_000), 0); // an append's book: one case, a high number
        assert!(index.dense.iter().all(Vec::is_empty));
        index.insert(id(1), 1);
        index.insert(id(2), 2);
        assert_eq!((index.get(id(900_000)), index.get(id(1)), index.get(id(2))), (Some(0), Some(1), Some(2)));
        assert_eq!((index.get(id(3)), index.get(id(899_999))), (None, None));
        // A fold meets numbers in turn: they all go in the list.
        let mut index = CaseIndex::new(2022, 2023);
        for n in 1..200_000 {
            index.insert(id(n), n);
        }
        assert!(index.other.is_empty());
        assert_eq!(index.get(id(150_000)), Some(150_000));
    }

    #[test]
    fn rows_after_the_as_of_date_are_checked_not_folded() {
        let settings = settings();
        let receive =
            |case: &str, date: &str| format!("{case},{date},receive,管小波,public,天灵村,张三,1,其他,诉求,,,");
        let rows = [
            receive("V2022-0001", "2022-03-01"),
            "V2022-0001,2022-03-20,void,,,,,,,,,,录入错误".to_string(),
            "V2022-0001,2022-03-21,resolve,,,,,,,,,,已化解".to_string(),
            receive("V2022-0002", "2022-03-25"),
            "V2022-0002,2022-03-24,resolve,,,,,,,,,,已化解".to_string(),
            receive("V2022-0001", "2022-03-02"),
        ];
        let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
        let (book, problems) = fold_as_of(&settings, &rows, "2022-03-10");
        // The void is after the as-of date: as of then the case is open, but the file may not go on after it.
        let c = book.case(CaseId::parse("V2022-0001").unwrap()).unwrap();
        assert!(!c.voided && c.is_open());
        assert_eq!(c.receptions, 1, "the repeat after the void is refused");
        assert_eq!(problems[0], (4, "事项 V2022-0001 已作废，其后不能再有记录".to_string()));
        // Opened after the as-of date: not folded, and still checked.
        assert!(book.case(CaseId::parse("V2022-0002").unwrap()).is_none());
        assert_eq!(problems[1], (6, "日期 2022-03-24 早于事项 V2022-0002 的登记日期 2022-03-25".into()));
        assert_eq!(problems[2], (7, "事项 V2022-0001 已作废，其后不能再有记录".to_string()));
        assert_eq!(problems.len(), 3);
        // As of a later date, the void counts.
        let (book, _) = fold_as_of(&settings, &rows, "2022-03-31");
        assert!(book.case(CaseId::parse("V2022-0001").unwrap()).unwrap().voided);
    }
}
