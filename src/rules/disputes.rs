//! Rules D001–D004: screening for disputes and their handling (`disputes.csv`).

use super::scope::Scope;
use super::{overdue::overdue, Finding, Findings, Rule};
use crate::config::Screening;
use crate::ledger::model::LedgerKind;
use chrono::{Duration, NaiveDate};

/// Runs every dispute rule over the scope.
pub fn check(s: &Scope, out: &mut Findings) {
    weekly_screening(s, out);
    daily_screening(s, out);
    escalations(s, out);
    handling_time(s, out);
}

/// The Mondays of the weeks that belong to the scope's months (by their
/// Thursday) and ended on or before the as-of date.
pub fn required_weeks(s: &Scope) -> Vec<NaiveDate> {
    if s.settings.rules.screening == Screening::Off {
        return Vec::new();
    }
    s.months.iter().flat_map(|m| m.week_mondays()).filter(|monday| *monday + Duration::days(6) <= s.as_of).collect()
}

/// The sensitive-period days within the scope, on or before the as-of date.
pub fn required_days(s: &Scope) -> Vec<NaiveDate> {
    let mut days = Vec::new();
    let mut d = s.from();
    while d <= s.to() && d <= s.as_of {
        if s.settings.in_sensitive_period(d) {
            days.push(d);
        }
        d += Duration::days(1);
    }
    days
}

/// Whether `village` screened in the week starting `monday`.
pub fn screened_in_week(s: &Scope, village: u16, monday: NaiveDate) -> bool {
    (0..7).any(|i| s.ledgers.disputes.screenings.contains(&(village, monday + Duration::days(i))))
}

pub fn screened_on(s: &Scope, village: u16, day: NaiveDate) -> bool {
    s.ledgers.disputes.screenings.contains(&(village, day))
}

/// D001: a village with no `screen` row in an ISO week that has ended.
pub fn weekly_screening(s: &Scope, out: &mut Findings) {
    let weeks = required_weeks(s);
    for (v, name) in s.settings.villages.iter().enumerate() {
        for monday in &weeks {
            if !screened_in_week(s, v as u16, *monday) {
                let sunday = *monday + Duration::days(6);
                let m = s.lang.pick(
                    format!("{name} {monday} 至 {sunday} 这一周没有排查记录"),
                    format!("{name} has no screening in the week {monday} to {sunday}"),
                );
                out.push(Finding::new(Rule::D001, m).village(name).date(*monday));
            }
        }
    }
}

/// D002: a village with no `screen` row on a day of a sensitive period.
pub fn daily_screening(s: &Scope, out: &mut Findings) {
    let days = required_days(s);
    for (v, name) in s.settings.villages.iter().enumerate() {
        for day in &days {
            if !screened_on(s, v as u16, *day) {
                let m = s.lang.pick(
                    format!("{name} 在特殊敏感时期的 {day} 没有每日排查记录"),
                    format!("{name} has no screening on {day}, a day of a sensitive period"),
                );
                out.push(Finding::new(Rule::D002, m).village(name).date(*day));
            }
        }
    }
}

/// D003: a dispute escalated beyond the town.
pub fn escalations(s: &Scope, out: &mut Findings) {
    let book = &s.ledgers.disputes;
    for e in book.escalations.iter().filter(|e| s.contains(e.date)) {
        let Some(c) = book.case(e.case) else { continue };
        if c.voided {
            continue;
        }
        let to = e.to.map(|t| t.label(s.lang)).unwrap_or_default();
        let m = s.lang.pick(
            format!("纠纷 {} 于 {} 上交（{}）", e.case, e.date, to),
            format!("dispute {} escalated on {} ({})", e.case, e.date, to),
        );
        let mut f = Finding::new(Rule::D003, m).case(e.case).date(e.date).at(&book.file, e.line);
        if let Some(v) = c.village {
            f = f.village(s.village_name(v));
        }
        out.push(f);
    }
}

/// D004: a dispute unresolved more than `handle_within_days` after it opened.
pub fn handling_time(s: &Scope, out: &mut Findings) {
    let book = &s.ledgers.disputes;
    for c in book.started(s.from(), s.to()).filter(|c| !c.voided) {
        if !overdue(c, LedgerKind::Disputes, s.settings, s.as_of).is_empty() {
            let m = s.lang.pick(
                format!("纠纷 {} 自 {} 登记，已超过 {} 天未化解", c.id, c.start, (s.as_of - c.start).num_days()),
                format!(
                    "dispute {} opened {} is unresolved after {} days",
                    c.id,
                    c.start,
                    (s.as_of - c.start).num_days()
                ),
            );
            let mut f = Finding::new(Rule::D004, m).case(c.id).date(c.start).at(&book.file, c.line());
            if let Some(v) = c.village {
                f = f.village(s.village_name(v));
            }
            out.push(f);
        }
    }
}
