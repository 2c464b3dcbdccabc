//! Obligations a case can be past as of a date, while still outstanding:
//! V006, V007, V008, L004, L005, D004 (SPEC §7.5).

use super::Rule;
use crate::config::Settings;
use crate::ledger::case::Case;
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
            // A hard case still without its “五个一” assignment.
            if case.assigned_on.is_none() && case.category.is_some_and(|c| settings.is_hard(c as usize)) {
                past(Rule::V007, case.start + Duration::days(rules.hard_case_assign_within_days));
            }
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
        LedgerKind::Disputes => past(Rule::D004, case.clock_start() + Duration::days(rules.handle_within_days)),
    }
    out
}
