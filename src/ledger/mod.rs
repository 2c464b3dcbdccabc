//! The three ledgers: their model, reading, validation, folding, appending.

pub mod append;
pub mod book;
pub mod focus;
pub mod history;
pub mod model;
#[cfg(test)]
mod properties;
pub mod reader;
pub mod records;
pub mod row;

pub use book::Book;
pub use model::LedgerKind;

use crate::error::{Error, Result};
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
        let mut problems = Vec::new();
        let mut load =
            |kind: LedgerKind| Book::load(&ws.settings, &ws.path(kind.file_name()), kind, Some(as_of), &mut problems);
        let visits = load(LedgerKind::Visits)?;
        let letters = load(LedgerKind::Letters)?;
        let disputes = load(LedgerKind::Disputes)?;
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        Ok(Ledgers { visits, letters, disputes })
    }

    pub fn book(&self, kind: LedgerKind) -> &Book {
        match kind {
            LedgerKind::Visits => &self.visits,
            LedgerKind::Letters => &self.letters,
            LedgerKind::Disputes => &self.disputes,
        }
    }
}
