//! Rules V001–V010: receptions and resolution (`visits.csv`).

use super::scope::Scope;
use super::{overdue::overdue, Finding, Findings, Rule};
use crate::config::Role;
use crate::lang::Lang;
use crate::ledger::case::Case;
use crate::ledger::case::Tally;
use crate::ledger::model::LedgerKind;
use chrono::Duration;

/// Runs every visit rule over the scope.
pub fn check(s: &Scope, out: &mut Findings) {
    principal_sessions(s, out);
    missed_reception_days(s, out);
    mass_work_days(s, out);
    year_to_date_rate(s, out);
    monthly_rate(s, out);
    handling_time(s, out);
    hard_case_unassigned(s, out);
    assigned_past_deadline(s, out);
    escalations(s, out);
    repeat_and_group_visits(s, out);
}

fn cases_started<'a>(s: &'a Scope) -> impl Iterator<Item = &'a Case> + 'a {
    s.ledgers.visits.started(s.from(), s.to()).filter(|c| !c.voided)
}

fn case_finding(s: &Scope, rule: Rule, c: &Case, message: String) -> Finding {
    let mut f = Finding::new(rule, message).case(c.id).date(c.start).at(&s.ledgers.visits.file, c.line());
    if let Some(l) = c.leader {
        f = f.leader(s.leader_name(l));
    }
    if let Some(v) = c.village {
        f = f.village(s.village_name(v));
    }
    f
}

/// V001: a principal leader held fewer than `principal_sessions_per_month` sessions in a month.
pub fn principal_sessions(s: &Scope, out: &mut Findings) {
    let required = s.settings.rules.principal_sessions_per_month as usize;
    for month in s.complete_months() {
        // Only months the leader is in office from the first to the last day (SPEC §4).
        for (i, leader) in
            s.settings.leaders.iter().enumerate().filter(|(_, l)| l.role == Role::Principal && l.serves_whole(month))
        {
            let held = s.ledgers.visits.sessions_held(i as u16, month.first_day(), month.last_day());
            if held < required {
                let m = s.lang.pick(
                    format!("{} {}接访 {} 次，少于规定的 {} 次", leader.name, month.label(Lang::Zh), held, required),
                    format!(
                        "{} held {} session(s) in {}, fewer than the {} required",
                        leader.name, held, month, required
                    ),
                );
                out.push(Finding::new(Rule::V001, m).leader(&leader.name).month(month));
            }
        }
    }
}

/// V002: a scheduled reception day passed with no session of that leader that day.
pub fn missed_reception_days(s: &Scope, out: &mut Findings) {
    for (i, leader) in s.settings.leaders.iter().enumerate() {
        for day in &leader.days {
            let d = day.date;
            if !s.contains(d) || d > s.as_of {
                continue;
            }
            if !s.ledgers.visits.sessions.contains(&(i as u16, d)) {
                let m = s.lang.pick(
                    format!("{} 的接待日 {} 没有接访记录", leader.name, d),
                    format!("{} has no session on the reception day {}", leader.name, d),
                );
                out.push(Finding::new(Rule::V002, m).leader(&leader.name).date(d));
            }
        }
    }
}

/// V003: a month with fewer than `mass_work_days_per_month` days of mode `work_day`.
pub fn mass_work_days(s: &Scope, out: &mut Findings) {
    let required = s.settings.rules.mass_work_days_per_month as usize;
    for month in s.complete_months() {
        let days = s.ledgers.visits.work_days_in(month);
        if days < required {
            let m = s.lang.pick(
                format!("{}群众工作日 {} 天，少于规定的 {} 天", month.label(Lang::Zh), days, required),
                format!("{} had {} mass work day(s), fewer than the {} required", month, days, required),
            );
            out.push(Finding::new(Rule::V003, m).month(month));
        }
    }
}

fn rate_text(t: &Tally) -> String {
    t.rate().map_or("—".into(), |r| format!("{:.1}%", r * 100.0))
}

/// V004: the year-to-date resolution rate is below `resolution_target`.
pub fn year_to_date_rate(s: &Scope, out: &mut Findings) {
    let Some(last) = s.months.last().copied() else { return };
    let from = chrono::NaiveDate::from_ymd_opt(last.year, 1, 1).expect("valid");
    let t = Tally::of(s.ledgers.visits.started(from, last.last_day()));
    let target = s.settings.rules.resolution_target;
    if t.rate().is_some_and(|r| r < target) {
        let m = s.lang.pick(
            format!(
                "{}年初至{}月底受理 {} 件，化解 {} 件，化解率 {}，低于目标 {:.0}%",
                last.year,
                last.month,
                t.received,
                t.resolved,
                rate_text(&t),
                target * 100.0
            ),
            format!(
                "year to the end of {}: {} received, {} resolved, rate {}, below the {:.0}% target",
                last,
                t.received,
                t.resolved,
                rate_text(&t),
                target * 100.0
            ),
        );
        out.push(Finding::new(Rule::V004, m).month(last));
    }
}

/// V005: a month's resolution rate is below `resolution_target`.
pub fn monthly_rate(s: &Scope, out: &mut Findings) {
    let target = s.settings.rules.resolution_target;
    for month in s.complete_months() {
        let t = Tally::of(s.ledgers.visits.started(month.first_day(), month.last_day()));
        if t.rate().is_some_and(|r| r < target) {
            let m = s.lang.pick(
                format!(
                    "{}受理 {} 件，化解 {} 件，化解率 {}，低于目标 {:.0}%",
                    month.label(Lang::Zh),
                    t.received,
                    t.resolved,
                    rate_text(&t),
                    target * 100.0
                ),
                format!(
                    "{}: {} received, {} resolved, rate {}, below the {:.0}% target",
                    month,
                    t.received,
                    t.resolved,
                    rate_text(&t),
                    target * 100.0
                ),
            );
            out.push(Finding::new(Rule::V005, m).month(month));
        }
    }
}

/// V006: a case unresolved more than `handle_within_days` (+ extension) after its start.
pub fn handling_time(s: &Scope, out: &mut Findings) {
    for c in cases_started(s) {
        for o in overdue(c, LedgerKind::Visits, s.settings, s.as_of).into_iter().filter(|o| o.code == Rule::V006) {
            let m = s.lang.pick(
                format!("{} 自 {} 受理，办理期限 {} 已过 {} 天仍未化解", c.id, c.start, o.deadline, o.days_over),
                format!(
                    "{} started {}: unresolved {} day(s) past its deadline {}",
                    c.id, c.start, o.days_over, o.deadline
                ),
            );
            out.push(case_finding(s, Rule::V006, c, m));
        }
    }
}

/// V007: a hard-category case with no `assign` within `hard_case_assign_within_days` of its start.
pub fn hard_case_unassigned(s: &Scope, out: &mut Findings) {
    let days = s.settings.rules.hard_case_assign_within_days;
    for c in cases_started(s) {
        if !c.category.is_some_and(|i| s.settings.is_hard(i as usize)) {
            continue;
        }
        let due = c.start + Duration::days(days);
        let late = match c.assigned_on {
            Some(d) => d > due,
            None => s.as_of > due,
        };
        if late {
            let cat = s.settings.category_name(c.category.unwrap_or(0) as usize);
            let m = match c.assigned_on {
                Some(d) => s.lang.pick(
                    format!("疑难事项 {}（{}）{} 才包案，超过 {} 日时限", c.id, cat, d, days),
                    format!("hard case {} ({}) assigned only on {}, later than {} days", c.id, cat, d, days),
                ),
                None => s.lang.pick(
                    format!("疑难事项 {}（{}）受理 {} 日内未落实“五个一”包案", c.id, cat, days),
                    format!("hard case {} ({}) not assigned within {} days", c.id, cat, days),
                ),
            };
            out.push(case_finding(s, Rule::V007, c, m));
        }
    }
}

/// V008: an assigned case unresolved after its deadline.
pub fn assigned_past_deadline(s: &Scope, out: &mut Findings) {
    for c in cases_started(s) {
        for o in overdue(c, LedgerKind::Visits, s.settings, s.as_of).into_iter().filter(|o| o.code == Rule::V008) {
            let m = s.lang.pick(
                format!("{} 包案化解时限 {} 已过 {} 天仍未化解", c.id, o.deadline, o.days_over),
                format!("{} unresolved {} day(s) past its assigned deadline {}", c.id, o.days_over, o.deadline),
            );
            let mut f = case_finding(s, Rule::V008, c, m);
            if let Some(l) = c.assigned_leader {
                f = f.leader(s.leader_name(l));
            }
            out.push(f);
        }
    }
}

/// V009: an `escalate` event, one finding per event.
pub fn escalations(s: &Scope, out: &mut Findings) {
    let book = &s.ledgers.visits;
    for e in book.escalations.iter().filter(|e| s.contains(e.date)) {
        let to = e.to.map(|t| t.label(s.lang)).unwrap_or_default();
        let m = s.lang.pick(
            format!("{} 于 {} 上交（{}）", e.case, e.date, to),
            format!("{} escalated on {} ({})", e.case, e.date, to),
        );
        let mut f = Finding::new(Rule::V009, m).case(e.case).date(e.date).at(&book.file, e.line);
        if let Some(c) = book.case(e.case) {
            if let Some(v) = c.village {
                f = f.village(s.village_name(v));
            }
            if c.voided {
                continue;
            }
        }
        out.push(f);
    }
}

/// V010: a repeat reception (初转重), a headcount reaching 5 from below 5
/// (个访转群访), or a case that follows a letter (信转访).
pub fn repeat_and_group_visits(s: &Scope, out: &mut Findings) {
    let book = &s.ledgers.visits;
    for e in book.repeats.iter().filter(|e| s.contains(e.date)) {
        let Some(c) = book.case(e.case) else { continue };
        if c.voided {
            continue;
        }
        let group = c.first_headcount < 5 && e.headcount >= 5;
        let m = if group {
            s.lang.pick(
                format!(
                    "{} 于 {} 重复来访，人数由 {} 人增至 {} 人（初转重、个访转群访）",
                    e.case, e.date, c.first_headcount, e.headcount
                ),
                format!(
                    "{} came again on {}, {} people where first {} (repeat, now a group visit)",
                    e.case, e.date, e.headcount, c.first_headcount
                ),
            )
        } else {
            s.lang.pick(
                format!("{} 于 {} 重复来访（初转重）", e.case, e.date),
                format!("{} came again on {} (repeat visit)", e.case, e.date),
            )
        };
        let mut f = Finding::new(Rule::V010, m).case(e.case).date(e.date).at(&book.file, e.line);
        if let Some(v) = c.village {
            f = f.village(s.village_name(v));
        }
        out.push(f);
    }
    for c in cases_started(s) {
        if let Some(r) = c.reference.filter(|r| r.kind == LedgerKind::Letters) {
            let m = s.lang.pick(
                format!("{} 由来信 {} 转为来访（信转访）", c.id, r),
                format!("{} is a visit following the letter {}", c.id, r),
            );
            out.push(case_finding(s, Rule::V010, c, m));
        }
    }
}
