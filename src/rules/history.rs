//! H001–H004: the ledgers' history (SPEC §6.6). The differences are found
//! while a ledger is read ([`crate::ledger::history::Walker`]); here they
//! become findings, worded once for `check`, the reports and the refusals
//! of an append.

use super::{Finding, Findings, Rule};
use crate::lang::Lang;
use crate::ledger::history::Issue;
use crate::ledger::{LedgerKind, Ledgers};

/// The rule an issue breaks.
pub fn rule(issue: &Issue) -> Rule {
    match issue {
        Issue::Edited { .. } => Rule::H001,
        Issue::Missing { .. } => Rule::H002,
        Issue::Damaged(_) => Rule::H003,
        Issue::Unrecorded { .. } => Rule::H004,
    }
}

/// The history findings of the three ledgers.
pub fn check(ledgers: &Ledgers, lang: Lang, out: &mut Findings) {
    for kind in LedgerKind::ALL {
        let book = ledgers.book(*kind);
        let Some(walked) = &book.info.history else { continue };
        for issue in &walked.issues {
            let rule = rule(issue);
            if !out.enabled(rule) {
                continue;
            }
            let mut f = Finding::new(rule, issue.text(lang));
            if let Some(l) = issue.line() {
                f = f.at(&book.file, l);
            } else {
                f.file = Some(book.file.clone());
            }
            out.push(f);
        }
    }
}
