//! `report monthly`: one month's compliance, as of a date (SPEC §7.4).

use super::{round4, Tally, Verdict};
use crate::config::{Role, Settings};
use crate::ledger::model::LedgerKind;
use crate::ledger::Ledgers;
use crate::period::YearMonth;
use crate::rules::scope::Scope;
use crate::rules::{self, disputes, letters, Finding};
use chrono::NaiveDate;
use serde::Serialize;

/// A leader's month.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct LeaderMonth {
    pub name: String,
    pub role: Role,
    /// `None` in a year whose reception days are not entered yet (S000).
    pub scheduled: Option<usize>,
    pub held: usize,
    /// `None` when the leader is not in office the whole month.
    pub sessions_required: Option<u32>,
    /// `None` in a year whose reception days are not entered yet.
    pub missed: Option<Vec<NaiveDate>>,
    pub letters_reviewed: usize,
    /// Principals in office the whole month only.
    pub letters_required: Option<u32>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct VisitFigures {
    pub received: usize,
    pub resolved: usize,
    pub resolution_rate: Option<f64>,
    pub ytd_received: usize,
    pub ytd_resolved: usize,
    pub ytd_resolution_rate: Option<f64>,
    pub target: f64,
    pub escalations: usize,
    pub overdue: usize,
    pub assigned: usize,
    pub referred: usize,
    pub repeat_receptions: usize,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct LetterFigures {
    pub received: usize,
    pub joint: usize,
    pub harsh: usize,
    pub reviewed_on_time: usize,
    pub replied: usize,
    pub resolved: usize,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct DisputeFigures {
    pub screenings_required: usize,
    pub screenings_done: usize,
    pub opened: usize,
    pub resolved: usize,
    pub referred: usize,
    pub escalated: usize,
}

/// A case past a deadline.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct OverdueCase {
    pub case: String,
    pub ledger: &'static str,
    pub start: NaiveDate,
    pub deadline: NaiveDate,
    pub days_over: i64,
    pub code: rules::Rule,
    pub village: Option<String>,
}

/// The monthly report.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct MonthlyReport {
    pub schema_version: u32,
    pub township: String,
    pub month: YearMonth,
    pub as_of: NaiveDate,
    pub verdict: Verdict,
    pub leaders: Vec<LeaderMonth>,
    pub visits: VisitFigures,
    pub letters: LetterFigures,
    pub disputes: DisputeFigures,
    pub work_days: usize,
    pub work_days_required: u32,
    /// Every case past a deadline as of the as-of date, whatever its month.
    pub overdue: Vec<OverdueCase>,
    /// The petition indicators of the month's cases (§11.1).
    pub kpi: super::kpi::Kpi,
    pub findings: Vec<Finding>,
}

/// Screenings required and done in a scope, for all villages or one.
pub fn screenings(s: &Scope, village: Option<u16>) -> (usize, usize) {
    let weeks = disputes::required_weeks(s);
    let days = disputes::required_days(s);
    let villages: Vec<u16> = match village {
        Some(v) => vec![v],
        None => (0..s.settings.villages.len() as u16).collect(),
    };
    let mut required = 0;
    let mut done = 0;
    for v in villages {
        required += weeks.len() + days.len();
        done += weeks.iter().filter(|m| disputes::screened_in_week(s, v, **m)).count();
        done += days.iter().filter(|d| disputes::screened_on(s, v, **d)).count();
    }
    (required, done)
}

/// Every case of every ledger past a deadline as of `as_of`, oldest start first.
pub fn overdue_cases(settings: &Settings, ledgers: &Ledgers, as_of: NaiveDate) -> Vec<OverdueCase> {
    let mut out = Vec::new();
    for kind in LedgerKind::ALL {
        let book = ledgers.book(*kind);
        for c in &book.cases {
            for o in rules::overdue::overdue(c, *kind, settings, as_of) {
                if settings.rules.level(o.code) == rules::Level::Off {
                    continue;
                }
                out.push(OverdueCase {
                    case: c.id.to_string(),
                    ledger: kind.en(),
                    start: c.start,
                    deadline: o.deadline,
                    days_over: o.days_over,
                    code: o.code,
                    village: c.village.and_then(|v| settings.villages.get(v as usize).cloned()),
                });
            }
        }
    }
    out.sort_by(|a, b| (a.start, &a.case, a.code).cmp(&(b.start, &b.case, b.code)));
    out
}

/// Builds the report of `month` as of `as_of`.
pub fn build(
    settings: &Settings,
    ledgers: &Ledgers,
    month: YearMonth,
    as_of: NaiveDate,
    lang: crate::lang::Lang,
) -> MonthlyReport {
    let scope = Scope { settings, ledgers, lang, months: vec![month], as_of };
    std::thread::scope(|threads| {
        // The rules on one core while the figures are counted on the other.
        let findings = threads.spawn(|| rules::check_ledgers(&scope));
        assemble(settings, ledgers, &scope, month, as_of, || {
            findings.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    })
}

/// Counts the figures of `month`, and puts them with the `findings` when they come.
fn assemble(
    settings: &Settings,
    ledgers: &Ledgers,
    scope: &Scope,
    month: YearMonth,
    as_of: NaiveDate,
    findings: impl FnOnce() -> Vec<Finding>,
) -> MonthlyReport {
    let r = &settings.rules;
    let visits = &ledgers.visits;
    let planned = settings.planned(month.year);
    let leaders = settings
        .leaders
        .iter()
        .enumerate()
        // A leader not in office on any day of the month is not listed.
        .filter(|(_, l)| {
            l.in_office(month.first_day()) || l.in_office(month.last_day()) || l.from.is_some_and(|f| month.contains(f))
        })
        .map(|(i, l)| {
            let i = i as u16;
            let days: Vec<NaiveDate> = l.days.iter().map(|d| d.date).filter(|d| month.contains(*d)).collect();
            let held = visits.sessions_held(i, month.first_day(), month.last_day());
            let missed = days.iter().copied().filter(|d| *d <= as_of && !visits.sessions.contains(&(i, *d))).collect();
            let principal = l.role == Role::Principal;
            let whole = l.serves_whole(month);
            LeaderMonth {
                name: l.name.clone(),
                role: l.role,
                scheduled: planned.then_some(days.len()),
                held,
                sessions_required: whole.then_some(if principal {
                    r.principal_sessions_per_month
                } else {
                    r.member_sessions_per_month
                }),
                missed: planned.then_some(missed),
                letters_reviewed: letters::letters_reviewed(scope, i, month.first_day(), month.last_day()),
                letters_required: (principal && whole).then_some(r.principal_letters_per_month),
            }
        })
        .collect();

    let cohort: Vec<_> = visits.started(month.first_day(), month.last_day()).filter(|c| !c.voided).collect();
    let t = Tally::of(cohort.iter().copied());
    let ytd_from = NaiveDate::from_ymd_opt(month.year, 1, 1).expect("valid");
    let ytd = Tally::of(visits.started(ytd_from, month.last_day()));
    // The month's own cases in the overdue list (any obligation outstanding: V006, V007, V008).
    let v_overdue =
        |c: &&crate::ledger::case::Case| !rules::overdue::overdue(c, LedgerKind::Visits, settings, as_of).is_empty();
    let visit_figures = VisitFigures {
        received: t.received,
        resolved: t.resolved,
        resolution_rate: t.rate4(),
        ytd_received: ytd.received,
        ytd_resolved: ytd.resolved,
        ytd_resolution_rate: ytd.rate4(),
        target: round4(r.resolution_target),
        escalations: cohort.iter().filter(|c| c.escalations > 0).count(),
        overdue: cohort.iter().filter(|c| v_overdue(c)).count(),
        assigned: cohort.iter().filter(|c| c.assigned_on.is_some()).count(),
        referred: cohort.iter().filter(|c| c.referred).count(),
        repeat_receptions: visits.repeats.iter().filter(|e| month.contains(e.date)).count(),
    };

    let lcohort: Vec<_> = ledgers.letters.started(month.first_day(), month.last_day()).filter(|c| !c.voided).collect();
    let letter_figures = LetterFigures {
        received: lcohort.len(),
        joint: lcohort.iter().filter(|c| c.is_joint()).count(),
        harsh: lcohort.iter().filter(|c| c.tone == Some(crate::ledger::model::Tone::Harsh)).count(),
        reviewed_on_time: lcohort
            .iter()
            .filter(|c| c.first_review.is_some_and(|d| d <= letters::review_due(scope, c)))
            .count(),
        replied: lcohort.iter().filter(|c| c.first_reply.is_some()).count(),
        resolved: lcohort.iter().filter(|c| c.is_resolved()).count(),
    };

    let dcohort: Vec<_> = ledgers.disputes.started(month.first_day(), month.last_day()).filter(|c| !c.voided).collect();
    let (required, done) = screenings(scope, None);
    let dispute_figures = DisputeFigures {
        screenings_required: required,
        screenings_done: done,
        opened: dcohort.len(),
        resolved: dcohort.iter().filter(|c| c.is_resolved()).count(),
        referred: dcohort.iter().filter(|c| c.referred).count(),
        escalated: dcohort.iter().filter(|c| c.escalations > 0).count(),
    };

    let overdue = overdue_cases(settings, ledgers, as_of);
    let findings = findings();
    MonthlyReport {
        schema_version: 1,
        township: settings.township.clone(),
        month,
        as_of,
        verdict: Verdict::of(&findings),
        leaders,
        visits: visit_figures,
        letters: letter_figures,
        disputes: dispute_figures,
        work_days: visits.work_days_in(month),
        work_days_required: r.mass_work_days_per_month,
        overdue,
        kpi: super::kpi::build(settings, ledgers, month.first_day(), month.last_day(), as_of),
        findings,
    }
}
