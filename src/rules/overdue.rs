//! Deadlines a case can be past as of a date: V006, V008, L004, L005, D004.

use super::Rule;
use crate::case::Case;
use crate::config::Settings;
use crate::ledger::LedgerKind;
use chrono::{Duration, NaiveDate};
use serde::Serialize;

/// A deadline passed with the matter still open.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Overdue {
    pub code: Rule,
    pub deadline: NaiveDate,
    pub days_over: i64,
}

/// Every deadline `case` is past as of `as_of`, while it is still open.
pub fn overdue(case: &Case, kind: LedgerKind, settings: &Settings, as_of: NaiveDate) -> Vec<Overdue> {
    let mut out = Vec::new();
    if case.voided || case.is_resolved() {
        return out;
    }
    let rules = &settings.rules;
    let mut past = |code: Rule, deadline: NaiveDate| {
        if as_of > deadline {
            out.push(Overdue { code, deadline, days_over: (as_of - deadline).num_days() });
        }
    };
    match kind {
        LedgerKind::Visits => {
            past(Rule::V006, case.handle_deadline(rules));
            if let Some(d) = case.deadline {
                past(Rule::V008, d);
            }
        }
        LedgerKind::Letters => {
            if case.first_reply.is_none() {
                past(Rule::L004, case.start + Duration::days(rules.accept_within_days));
            }
            past(Rule::L005, case.handle_deadline(rules));
        }
        LedgerKind::Disputes => past(Rule::D004, case.start + Duration::days(rules.handle_within_days)),
    }
    out
}
