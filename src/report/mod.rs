//! Reports: pure functions from the ledgers to plain values (no I/O, no
//! clock: the as-of date is given). Rendering lives in [`crate::render`].

pub mod annual;
pub mod kpi;
pub mod monthly;
pub mod overdue;
pub mod resolution;
pub mod villages;

use serde::Serialize;

/// The tally of a cohort and the rounding of rates live with the case fold,
/// where the rules use them too.
pub use crate::ledger::case::{round4, Tally};

/// "pass" or "fail".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Fail,
}

impl Verdict {
    pub fn of(findings: &[crate::rules::Finding]) -> Verdict {
        if findings.iter().any(|f| f.severity == crate::rules::Severity::Error) {
            Verdict::Fail
        } else {
            Verdict::Pass
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_cohort_has_no_rate() {
        assert_eq!(Tally::default().rate(), None);
        let t = Tally { received: 12, resolved: 11 };
        assert_eq!(t.rate4(), Some(0.9167));
    }
}
