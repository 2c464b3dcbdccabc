//! `report annual`: the year-end review (实施方案 三（一）: 总结经验、查找不足):
//! month by month, per leader, per village, per category.

use super::monthly::screenings;
use super::{round4, Tally, Verdict};
use crate::config::{Role, Settings};
use crate::ledger::Ledgers;
use crate::period::YearMonth;
use crate::rules::scope::Scope;
use crate::rules::{self, letters, Finding};
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct MonthRow {
    pub month: YearMonth,
    pub received: usize,
    pub resolved: usize,
    pub resolution_rate: Option<f64>,
    pub sessions: usize,
    pub scheduled: usize,
    pub missed: usize,
    pub work_days: usize,
    pub letters_received: usize,
    pub letters_reviewed: usize,
    pub disputes_opened: usize,
    pub disputes_resolved: usize,
    pub screenings_required: usize,
    pub screenings_done: usize,
    pub escalations: usize,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct LeaderYear {
    pub name: String,
    pub role: Role,
    pub scheduled: usize,
    pub held: usize,
    pub missed: usize,
    pub letters_reviewed: usize,
    pub received: usize,
    pub resolved: usize,
    pub resolution_rate: Option<f64>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct GroupYear {
    pub name: String,
    pub received: usize,
    pub resolved: usize,
    pub resolution_rate: Option<f64>,
    pub disputes_opened: usize,
    pub escalations: usize,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct AnnualReport {
    pub schema_version: u32,
    pub township: String,
    pub year: i32,
    pub as_of: NaiveDate,
    pub verdict: Verdict,
    pub target: f64,
    pub total: Tally,
    pub resolution_rate: Option<f64>,
    pub months: Vec<MonthRow>,
    pub leaders: Vec<LeaderYear>,
    pub villages: Vec<GroupYear>,
    pub categories: Vec<GroupYear>,
    /// The villages' assessment over the whole year (§6.5), in rank order.
    pub village_scores: Vec<super::villages::VillageScore>,
    /// The petition indicators of the year's cases (§11.1).
    pub kpi: super::kpi::Kpi,
    pub findings: Vec<Finding>,
}

pub fn build(
    settings: &Settings,
    ledgers: &Ledgers,
    year: i32,
    as_of: NaiveDate,
    lang: crate::lang::Lang,
) -> AnnualReport {
    let months: Vec<YearMonth> = YearMonth::months_of(year).collect();
    let scope = Scope { settings, ledgers, lang, months: months.clone(), as_of };
    // The year's findings, the longest part, are found beside the figures.
    std::thread::scope(|threads| {
        let findings = threads.spawn(|| rules::check_ledgers(&scope));
        let figures = figures(settings, ledgers, &scope, year);
        let findings = findings.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        AnnualReport { verdict: Verdict::of(&findings), findings, ..figures }
    })
}

/// The report's figures, its findings still to come.
fn figures(settings: &Settings, ledgers: &Ledgers, scope: &Scope, year: i32) -> AnnualReport {
    let (lang, as_of, months) = (scope.lang, scope.as_of, scope.months.clone());
    let visits = &ledgers.visits;
    let in_year = |d: NaiveDate| scope.contains(d);

    let month_rows = months
        .iter()
        .map(|m| {
            let ms = Scope { settings, ledgers, lang, months: vec![*m], as_of };
            let t = Tally::of(visits.started(m.first_day(), m.last_day()));
            let scheduled: Vec<(u16, NaiveDate)> = settings
                .leaders
                .iter()
                .enumerate()
                .flat_map(|(i, l)| l.days.iter().map(move |d| (i as u16, d.date)))
                .filter(|(_, d)| m.contains(*d))
                .collect();
            let (req, done) = screenings(&ms, None);
            let dis = Tally::of(ledgers.disputes.started(m.first_day(), m.last_day()));
            MonthRow {
                month: *m,
                received: t.received,
                resolved: t.resolved,
                resolution_rate: t.rate4(),
                sessions: visits.sessions.iter().filter(|(_, d)| m.contains(*d)).count(),
                scheduled: scheduled.len(),
                missed: scheduled.iter().filter(|(l, d)| *d <= as_of && !visits.sessions.contains(&(*l, *d))).count(),
                work_days: visits.work_days_in(*m),
                letters_received: ledgers.letters.started(m.first_day(), m.last_day()).filter(|c| !c.voided).count(),
                letters_reviewed: (0..settings.leaders.len() as u16)
                    .map(|l| letters::letters_reviewed(&ms, l, m.first_day(), m.last_day()))
                    .sum(),
                disputes_opened: dis.received,
                disputes_resolved: dis.resolved,
                screenings_required: req,
                screenings_done: done,
                escalations: visits
                    .escalations
                    .iter()
                    .chain(&ledgers.disputes.escalations)
                    .filter(|e| m.contains(e.date))
                    .count(),
            }
        })
        .collect();

    let groups = Groups::count(settings, ledgers, scope);
    let leaders = settings
        .leaders
        .iter()
        .zip(&groups.leaders)
        .enumerate()
        .map(|(i, (l, t))| {
            let i = i as u16;
            let days: Vec<NaiveDate> = l.days.iter().map(|d| d.date).filter(|d| in_year(*d)).collect();
            LeaderYear {
                name: l.name.clone(),
                role: l.role,
                scheduled: days.len(),
                held: visits.sessions_held(i, scope.from(), scope.to()),
                missed: days.iter().filter(|d| **d <= as_of && !visits.sessions.contains(&(i, **d))).count(),
                letters_reviewed: letters::letters_reviewed(scope, i, scope.from(), scope.to()),
                received: t.received,
                resolved: t.resolved,
                resolution_rate: t.rate4(),
            }
        })
        .collect();
    let year_of = |name: &str, g: &Counts| GroupYear {
        name: name.to_string(),
        received: g.cases.received,
        resolved: g.cases.resolved,
        resolution_rate: g.cases.rate4(),
        disputes_opened: g.disputes,
        escalations: g.escalations,
    };
    let villages = settings.villages.iter().zip(&groups.villages).map(|(name, g)| year_of(name, g)).collect();
    let categories = settings.categories().zip(&groups.categories).map(|(name, g)| year_of(name, g)).collect();
    let total = groups.total;
    let village_scores = super::villages::build(settings, ledgers, year.to_string(), months.clone(), as_of).villages;
    AnnualReport {
        schema_version: 1,
        township: settings.township.clone(),
        year,
        as_of,
        verdict: Verdict::Pass,
        target: round4(settings.rules.resolution_target),
        total,
        resolution_rate: total.rate4(),
        months: month_rows,
        leaders,
        villages,
        categories,
        village_scores,
        kpi: super::kpi::build(settings, ledgers, scope.from(), scope.to(), as_of),
        findings: Vec::new(),
    }
}

/// A village's or a category's year so far: its visit cases, its disputes
/// opened and the escalations of its cases.
#[derive(Clone, Copy, Default)]
struct Counts {
    cases: Tally,
    disputes: usize,
    escalations: usize,
}

/// The year's cases counted per leader, village and category, in one pass
/// over the cases and one over the escalations (not one for each).
struct Groups {
    total: Tally,
    leaders: Vec<Tally>,
    villages: Vec<Counts>,
    categories: Vec<Counts>,
}

impl Groups {
    fn count(settings: &Settings, ledgers: &Ledgers, scope: &Scope) -> Groups {
        let mut g = Groups {
            total: Tally::default(),
            leaders: vec![Tally::default(); settings.leaders.len()],
            villages: vec![Counts::default(); settings.villages.len()],
            categories: vec![Counts::default(); settings.categories().count()],
        };
        let (from, to) = (scope.from(), scope.to());
        for c in ledgers.visits.started(from, to) {
            g.total.add(c);
            if let Some(t) = at(&mut g.leaders, c.leader) {
                t.add(c);
            }
            g.of(c).for_each(|counts| counts.cases.add(c));
        }
        for c in ledgers.disputes.started(from, to).filter(|c| !c.voided) {
            g.of(c).for_each(|counts| counts.disputes += 1);
        }
        for book in [&ledgers.visits, &ledgers.disputes] {
            for e in book.escalations.iter().filter(|e| scope.contains(e.date)) {
                if let Some(c) = book.case(e.case).filter(|c| !c.voided) {
                    g.of(c).for_each(|counts| counts.escalations += 1);
                }
            }
        }
        g
    }

    /// The counts of `c`'s village and of its category.
    fn of(&mut self, c: &crate::ledger::case::Case) -> impl Iterator<Item = &mut Counts> {
        [at(&mut self.villages, c.village), at(&mut self.categories, c.category)].into_iter().flatten()
    }
}

/// The `i`-th of `list`, if `i` is given and in it.
fn at<T>(list: &mut [T], i: Option<u16>) -> Option<&mut T> {
    i.and_then(|i| list.get_mut(i as usize))
}
