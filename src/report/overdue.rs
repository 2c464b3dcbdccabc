//! `report overdue`: every case past a deadline, oldest first.

use super::monthly::{overdue_cases, OverdueCase};
use crate::config::Settings;
use crate::ledger::Ledgers;
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct OverdueReport {
    pub schema_version: u32,
    pub township: String,
    pub as_of: NaiveDate,
    pub cases: Vec<OverdueCase>,
}

pub fn build(settings: &Settings, ledgers: &Ledgers, as_of: NaiveDate) -> OverdueReport {
    OverdueReport {
        schema_version: 1,
        township: settings.township.clone(),
        as_of,
        cases: overdue_cases(settings, ledgers, as_of),
    }
}
