//! Reports: pure functions from the ledgers to plain values (no I/O, no
//! clock: the as-of date is given). Rendering lives in [`crate::render`].

pub mod annual;
pub mod kpi;
pub mod monthly;
pub mod overdue;
pub mod resolution;
pub mod villages;

use crate::case::Case;
use serde::Serialize;

/// Received and resolved cases of a cohort (voided cases left out).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Tally {
    pub received: usize,
    pub resolved: usize,
}

impl Tally {
    /// Counts the non-voided cases of `cases`.
    pub fn of<'a>(cases: impl IntoIterator<Item = &'a Case>) -> Tally {
        let mut t = Tally::default();
        for c in cases {
            t.add(c);
        }
        t
    }

    pub fn add(&mut self, c: &Case) {
        if !c.voided {
            self.received += 1;
            if c.is_resolved() {
                self.resolved += 1;
            }
        }
    }

    /// resolved ÷ received; absent for an empty cohort.
    pub fn rate(&self) -> Option<f64> {
        (self.received > 0).then(|| self.resolved as f64 / self.received as f64)
    }

    /// The rate rounded to 4 decimals, as JSON carries it.
    pub fn rate4(&self) -> Option<f64> {
        self.rate().map(round4)
    }
}

pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

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
