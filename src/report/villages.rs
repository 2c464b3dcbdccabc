//! `report villages`: the villages' assessment and ranking (SPEC §6.5;
//! 实施方案 三（三）逗硬考核奖惩).

use super::monthly::screenings;
use super::{round4, Tally};
use crate::config::Settings;
use crate::ledger::Ledgers;
use crate::period::YearMonth;
use crate::rules::scope::Scope;
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct VillageScore {
    pub name: String,
    /// Screenings done ÷ required; 1 when none was required.
    pub screening: f64,
    pub screenings_required: usize,
    pub screenings_done: usize,
    /// Resolution rate of the village's disputes opened in the period; 1 when none.
    pub disputes: f64,
    pub disputes_opened: usize,
    /// Resolution rate of the village's visit cases of the period; 1 when none.
    pub visits: f64,
    pub visits_received: usize,
    pub escalations: usize,
    pub score: f64,
    pub rank: usize,
    /// Among the lowest `assessment_bottom`: to be talked to (约谈).
    pub flagged: bool,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct VillagesReport {
    pub schema_version: u32,
    pub township: String,
    /// `2022-03` or `2022`.
    pub period: String,
    pub as_of: NaiveDate,
    pub villages: Vec<VillageScore>,
}

/// The assessment of every village over `months`, as of `as_of`.
pub fn build(
    settings: &Settings,
    ledgers: &Ledgers,
    period: String,
    months: Vec<YearMonth>,
    as_of: NaiveDate,
) -> VillagesReport {
    let scope = Scope { settings, ledgers, lang: crate::lang::Lang::En, months, as_of };
    let w = &settings.rules.assessment;
    let mut rows: Vec<VillageScore> = settings
        .villages
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let v = Some(i as u16);
            let (required, done) = screenings(&scope, v);
            let screening = if required == 0 { 1.0 } else { done as f64 / required as f64 };
            let d = Tally::of(ledgers.disputes.started(scope.from(), scope.to()).filter(|c| c.village == v));
            let vt = Tally::of(ledgers.visits.started(scope.from(), scope.to()).filter(|c| c.village == v));
            let escalations = [&ledgers.visits, &ledgers.disputes]
                .iter()
                .flat_map(|b| b.escalations.iter().map(move |e| (b, e)))
                .filter(|(b, e)| scope.contains(e.date) && b.case(e.case).is_some_and(|c| c.village == v && !c.voided))
                .count();
            let disputes = d.rate().unwrap_or(1.0);
            let visits = vt.rate().unwrap_or(1.0);
            let raw = 100.0 * (w.screening * screening + w.disputes * disputes + w.visits * visits)
                - w.escalation_penalty * escalations as f64;
            VillageScore {
                name: name.clone(),
                screening: round4(screening),
                screenings_required: required,
                screenings_done: done,
                disputes: round4(disputes),
                disputes_opened: d.received,
                visits: round4(visits),
                visits_received: vt.received,
                escalations,
                score: (raw * 10.0).round() / 10.0,
                rank: 0,
                flagged: false,
            }
        })
        .collect();
    rows.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.name.cmp(&b.name)));
    let n = rows.len();
    let bottom = settings.rules.assessment_bottom.min(n);
    for (i, r) in rows.iter_mut().enumerate() {
        r.rank = i + 1;
        r.flagged = i >= n - bottom;
    }
    VillagesReport { schema_version: 1, township: settings.township.clone(), period, as_of, villages: rows }
}
