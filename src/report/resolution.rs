//! `report resolution`: resolution rates of a period's visit cases, grouped.

use super::{round4, Tally};
use crate::config::Settings;
use crate::ledger::Ledgers;
use crate::period::YearMonth;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// How to group the cohort.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    Leader,
    Village,
    Category,
    Mode,
    Month,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Group {
    pub key: String,
    pub received: usize,
    pub resolved: usize,
    pub resolution_rate: Option<f64>,
    pub below_target: bool,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ResolutionReport {
    pub schema_version: u32,
    pub township: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub as_of: NaiveDate,
    pub by: GroupBy,
    pub target: f64,
    pub groups: Vec<Group>,
    pub total: Group,
}

fn group(key: String, t: Tally, target: f64) -> Group {
    Group {
        key,
        received: t.received,
        resolved: t.resolved,
        resolution_rate: t.rate4(),
        below_target: t.rate().is_some_and(|r| r < target),
    }
}

/// The cohort of visit cases started in `from..=to`, as of `as_of`, grouped `by`.
pub fn build(
    settings: &Settings,
    ledgers: &Ledgers,
    from: NaiveDate,
    to: NaiveDate,
    by: GroupBy,
    as_of: NaiveDate,
    lang: crate::lang::Lang,
) -> ResolutionReport {
    let target = settings.rules.resolution_target;
    // Groups keep the order of the configuration (leaders, villages, categories) or of time.
    let mut tallies: BTreeMap<(usize, String), Tally> = BTreeMap::new();
    let mut total = Tally::default();
    for c in ledgers.visits.started(from, to).filter(|c| !c.voided) {
        total.add(c);
        let (order, key) = match by {
            GroupBy::Leader => {
                let i = c.leader.unwrap_or(u16::MAX) as usize;
                (i, settings.leaders.get(i).map_or(String::new(), |l| l.name.clone()))
            }
            GroupBy::Village => {
                let i = c.village.unwrap_or(u16::MAX) as usize;
                (i, settings.villages.get(i).cloned().unwrap_or_default())
            }
            GroupBy::Category => {
                let i = c.category.unwrap_or(u16::MAX) as usize;
                (i, settings.category_name(i).to_string())
            }
            GroupBy::Mode => {
                let m = c.mode.map_or(usize::MAX, |m| m as usize);
                (m, c.mode.map(|m| m.label(lang)).unwrap_or_default().to_string())
            }
            GroupBy::Month => (0, YearMonth::of(c.start).to_string()),
        };
        tallies.entry((order, key)).or_default().add(c);
    }
    ResolutionReport {
        schema_version: 1,
        township: settings.township.clone(),
        from,
        to,
        as_of,
        by,
        target: round4(target),
        groups: tallies.into_iter().map(|((_, k), t)| group(k, t, target)).collect(),
        total: group(lang.t("合计", "total").into(), total, target),
    }
}
