//! The three ledgers: their model, reading, validation, folding, appending.

pub mod append;
pub mod book;
pub mod case;
pub mod case_index;
pub mod files;
pub mod focus;
pub mod history;
pub mod model;
#[cfg(test)]
mod properties;
pub mod reader;
pub mod records;
pub mod row;
pub mod sha_lanes;
pub mod undo;

pub use book::{Book, Window};
pub use model::LedgerKind;

use crate::error::{Error, Problem, Result};
use crate::workspace::Workspace;
use chrono::NaiveDate;

/// The three ledgers of a workspace, folded as of a date.
#[derive(Debug)]
pub struct Ledgers {
    pub visits: Book,
    pub letters: Book,
    pub disputes: Book,
}

impl Ledgers {
    /// Reads all three; any problem in any file makes the whole load fail,
    /// with every problem listed.
    pub fn load(ws: &Workspace, as_of: NaiveDate) -> Result<Ledgers> {
        Self::load_with(ws, as_of, true)
    }

    /// As [`Ledgers::load`]; without `history` the 台账校验码 chains are not
    /// walked: for figures that never show or judge the ledgers' history.
    pub fn load_with(ws: &Workspace, as_of: NaiveDate, history: bool) -> Result<Ledgers> {
        let load = |kind: LedgerKind, problems: &mut Vec<Problem>| {
            Book::load_with(&ws.settings, &ws.path(kind.file_name()), kind, Some(as_of), history, problems)
        };
        let visits = || {
            let mut problems = Vec::new();
            (load(LedgerKind::Visits, &mut problems), problems)
        };
        let others = || {
            let mut problems = Vec::new();
            (load(LedgerKind::Letters, &mut problems), load(LedgerKind::Disputes, &mut problems), problems)
        };
        // The small two are read beside the big one, in the gaps it leaves
        // (one after the other when the caller reads in this thread alone).
        let ((visits, mut problems), others) = if reader::one_thread() {
            (visits(), Ok(others()))
        } else {
            std::thread::scope(|scope| {
                let others = scope.spawn(others);
                (visits(), others.join())
            })
        };
        let (letters, disputes, more) =
            others.map_err(|_| Error::Usage("reading the letters and disputes ledgers failed".into()))?;
        let (visits, letters, disputes) = (visits?, letters?, disputes?);
        problems.extend(more);
        problems.sort_by_key(|p| p.line);
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        Ok(Ledgers { visits, letters, disputes })
    }

    /// The 台账校验码 of the three ledgers as read (SPEC §6.6).
    pub fn heads(&self) -> history::Heads {
        let head = |b: &Book| b.info.history.as_ref().map(|w| w.pos.anchor()).unwrap_or_default().into();
        history::Heads { visits: head(&self.visits), letters: head(&self.letters), disputes: head(&self.disputes) }
    }

    pub fn book(&self, kind: LedgerKind) -> &Book {
        match kind {
            LedgerKind::Visits => &self.visits,
            LedgerKind::Letters => &self.letters,
            LedgerKind::Disputes => &self.disputes,
        }
    }
}
