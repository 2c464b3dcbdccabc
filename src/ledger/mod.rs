//! The three ledgers: their model, reading, validation, folding, appending.

pub mod append;
pub mod book;
pub mod model;
pub mod reader;
pub mod row;

pub use book::Book;
pub use model::LedgerKind;
