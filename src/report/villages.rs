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
    /// Resolution rate of the village's disputes opened in the period;
    /// `None` (shown —) when there were none, which counts as 1 in the score.
    pub disputes: Option<f64>,
    pub disputes_opened: usize,
    /// Resolution rate of the village's visit cases of the period; `None` when none.
    pub visits: Option<f64>,
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
            // Nothing to measure counts in full in the score (SPEC §6.5), but is shown as such.
            let (disputes, visits) = (d.rate(), vt.rate());
            let raw = 100.0
                * (w.screening * screening + w.disputes * disputes.unwrap_or(1.0) + w.visits * visits.unwrap_or(1.0))
                - w.escalation_penalty * escalations as f64;
            VillageScore {
                name: name.clone(),
                screening: round4(screening),
                screenings_required: required,
                screenings_done: done,
                disputes: disputes.map(round4),
                disputes_opened: d.received,
                visits: visits.map(round4),
                visits_received: vt.received,
                escalations,
                score: (raw * 10.0).round() / 10.0,
                rank: 0,
                flagged: false,
            }
        })
        .collect();
    rows.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.name.cmp(&b.name)));
    rank(&mut rows, settings.rules.assessment_bottom);
    VillagesReport { schema_version: 1, township: settings.township.clone(), period, as_of, villages: rows }
}

/// Ranks rows sorted by score, highest first (see [`ranks`]).
fn rank(rows: &mut [VillageScore], bottom: usize) {
    let scores: Vec<f64> = rows.iter().map(|r| r.score).collect();
    for (r, (rank, flagged)) in rows.iter_mut().zip(ranks(&scores, bottom)) {
        r.rank = rank;
        r.flagged = flagged;
    }
}

/// The rank and flag of each of `scores`, sorted highest first: equal
/// scores share a rank (1, 2, 2, 4), and the lowest `bottom` places are
/// flagged — every one tied at the cut-off alike, never one picked by name.
pub fn ranks(scores: &[f64], bottom: usize) -> Vec<(usize, bool)> {
    let mut out: Vec<(usize, bool)> = Vec::with_capacity(scores.len());
    for i in 0..scores.len() {
        let rank = if i > 0 && scores[i] == scores[i - 1] { out[i - 1].0 } else { i + 1 };
        out.push((rank, false));
    }
    let n = scores.len();
    let bottom = bottom.min(n);
    if bottom > 0 {
        let cut = scores[n - bottom];
        for (o, s) in out.iter_mut().zip(scores) {
            o.1 = *s <= cut;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, score: f64) -> VillageScore {
        VillageScore {
            name: name.into(),
            screening: 1.0,
            screenings_required: 0,
            screenings_done: 0,
            disputes: None,
            disputes_opened: 0,
            visits: None,
            visits_received: 0,
            escalations: 0,
            score,
            rank: 0,
            flagged: false,
        }
    }

    #[test]
    fn ties_share_a_rank_and_are_flagged_alike() {
        let mut rows = vec![row("甲", 95.0), row("乙", 80.0), row("丙", 80.0), row("丁", 80.0), row("戊", 70.0)];
        rank(&mut rows, 2);
        let got: Vec<(usize, bool)> = rows.iter().map(|r| (r.rank, r.flagged)).collect();
        // The cut-off (second lowest place) falls among three tied at 80.0: all three are flagged.
        assert_eq!(got, vec![(1, false), (2, true), (2, true), (2, true), (5, true)]);
        let mut rows = vec![row("甲", 95.0), row("乙", 90.0), row("丙", 80.0)];
        rank(&mut rows, 1);
        assert_eq!(rows.iter().map(|r| r.flagged).collect::<Vec<_>>(), vec![false, false, true]);
        rank(&mut rows, 0);
        assert_eq!(rows.iter().map(|r| r.rank).collect::<Vec<_>>(), vec![1, 2, 3]);
    }
}
