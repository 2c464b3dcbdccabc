//! Rules S001–S006: the year's reception-day schedule in `qunli.toml`.

use super::{Finding, Findings, Rule};
use crate::config::{Leader, Role, Settings};
use crate::lang::Lang;
use crate::period::YearMonth;
use chrono::Datelike;
use std::collections::BTreeSet;

/// What the schedule rules look at.
pub struct ScheduleCheck<'a> {
    pub settings: &'a Settings,
    pub lang: Lang,
    /// Only this month, when given.
    pub month: Option<YearMonth>,
    /// How findings name the configuration file.
    pub file: &'a str,
}

impl ScheduleCheck<'_> {
    fn months(&self) -> Vec<YearMonth> {
        match self.month {
            Some(m) => vec![m],
            None => self.settings.years.iter().flat_map(|y| YearMonth::months_of(*y)).collect(),
        }
    }

    fn in_scope(&self, d: chrono::NaiveDate) -> bool {
        self.month.is_none_or(|m| m.contains(d))
    }
}

/// Runs every schedule rule.
pub fn check(ctx: &ScheduleCheck, out: &mut Findings) {
    unplanned_years(ctx, out);
    principal_days_per_month(ctx, out);
    member_days_per_month(ctx, out);
    weekend_days(ctx, out);
    holiday_days(ctx, out);
    days_outside_year_or_twice(ctx, out);
    sensitive_periods_without_principal(ctx, out);
}

fn distinct_days_in(leader: &Leader, month: YearMonth) -> usize {
    leader.days.iter().map(|d| d.date).filter(|d| month.contains(*d)).collect::<BTreeSet<_>>().len()
}

/// S000: a covered year whose reception days are not entered yet (its plan
/// is not typed in): said once, instead of every leader's every month.
pub fn unplanned_years(ctx: &ScheduleCheck, out: &mut Findings) {
    for &year in &ctx.settings.years {
        if ctx.settings.planned(year) || ctx.month.is_some_and(|m| m.year != year) {
            continue;
        }
        let message = ctx.lang.pick(
            format!("{year} 年的接待日还没有录入：请在 qunli.toml 各位领导的 days 中填入这一年的接待日程"),
            format!("{year}'s reception days are not entered yet: add that year's days to each leader's `days` in qunli.toml"),
        );
        let first = YearMonth { year, month: 1 };
        out.push(Finding::new(Rule::S000, message).month(first).at(ctx.file, 1));
    }
}

fn too_few_days(ctx: &ScheduleCheck, out: &mut Findings, rule: Rule, role: Role, required: u32) {
    for leader in ctx.settings.leaders.iter().filter(|l| l.role == role) {
        // A month of an unplanned year (S000) or out of the leader's term has no requirement.
        for month in ctx.months().into_iter().filter(|m| ctx.settings.planned(m.year) && leader.serves_whole(*m)) {
            let n = distinct_days_in(leader, month);
            if n < required as usize {
                let message = ctx.lang.pick(
                    format!("{} {}安排接待日 {} 天，少于规定的 {} 天", leader.name, month.label(Lang::Zh), n, required),
                    format!(
                        "{} has {} reception day(s) in {}, fewer than the {} required",
                        leader.name, n, month, required
                    ),
                );
                out.push(Finding::new(rule, message).leader(&leader.name).month(month));
            }
        }
    }
}

/// S001: a principal leader has fewer than `principal_sessions_per_month` reception days in a month.
pub fn principal_days_per_month(ctx: &ScheduleCheck, out: &mut Findings) {
    let n = ctx.settings.rules.principal_sessions_per_month;
    too_few_days(ctx, out, Rule::S001, Role::Principal, n);
}

/// S002: a member has fewer than `member_sessions_per_month` reception days in a month.
pub fn member_days_per_month(ctx: &ScheduleCheck, out: &mut Findings) {
    let n = ctx.settings.rules.member_sessions_per_month;
    too_few_days(ctx, out, Rule::S002, Role::Member, n);
}

/// S003: a reception day on a weekend that is not an adjusted working day.
pub fn weekend_days(ctx: &ScheduleCheck, out: &mut Findings) {
    let cal = &ctx.settings.calendar;
    for leader in &ctx.settings.leaders {
        for day in leader.days.iter().filter(|d| ctx.in_scope(d.date)) {
            let d = day.date;
            if crate::calendar::Calendar::is_weekend(d) && !cal.is_adjusted_workday(d) && !cal.is_holiday(d) {
                let weekday = weekday_label(d, ctx.lang);
                let message = ctx.lang.pick(
                    format!("{} 的接待日 {} 是{}，不是调休上班日", leader.name, d, weekday),
                    format!("{}'s reception day {} is a {}, not an adjusted working day", leader.name, d, weekday),
                );
                out.push(Finding::new(Rule::S003, message).leader(&leader.name).date(d).at(ctx.file, day.line as u64));
            }
        }
    }
}

/// S004: a reception day on a statutory holiday.
pub fn holiday_days(ctx: &ScheduleCheck, out: &mut Findings) {
    let cal = &ctx.settings.calendar;
    for leader in &ctx.settings.leaders {
        for day in leader.days.iter().filter(|d| ctx.in_scope(d.date)) {
            if cal.is_holiday(day.date) && !cal.is_adjusted_workday(day.date) {
                let message = ctx.lang.pick(
                    format!("{} 的接待日 {} 是法定节假日", leader.name, day.date),
                    format!("{}'s reception day {} is a statutory holiday", leader.name, day.date),
                );
                out.push(
                    Finding::new(Rule::S004, message).leader(&leader.name).date(day.date).at(ctx.file, day.line as u64),
                );
            }
        }
    }
}

/// S005: a reception day outside the covered years, or the same day twice for one leader.
pub fn days_outside_year_or_twice(ctx: &ScheduleCheck, out: &mut Findings) {
    let years = ctx.settings.covered_years();
    for leader in &ctx.settings.leaders {
        let mut seen = BTreeSet::new();
        for day in &leader.days {
            let d = day.date;
            let message = if !ctx.settings.covers(d.year()) {
                ctx.lang.pick(
                    format!("{} 的接待日 {} 不在本工作区覆盖的年份（{years}）内", leader.name, d),
                    format!("{}'s reception day {} is outside the covered years ({years})", leader.name, d),
                )
            } else if !seen.insert(d) {
                ctx.lang.pick(
                    format!("{} 的接待日 {} 重复安排", leader.name, d),
                    format!("{}'s reception day {} is listed twice", leader.name, d),
                )
            } else {
                continue;
            };
            if ctx.month.is_none() || ctx.in_scope(d) {
                out.push(Finding::new(Rule::S005, message).leader(&leader.name).date(d).at(ctx.file, day.line as u64));
            }
        }
    }
}

/// S006: a sensitive period without any principal leader's reception day in it.
pub fn sensitive_periods_without_principal(ctx: &ScheduleCheck, out: &mut Findings) {
    for p in &ctx.settings.sensitive_periods {
        if let Some(m) = ctx.month {
            if p.to < m.first_day() || p.from > m.last_day() {
                continue;
            }
        }
        let covered = ctx
            .settings
            .leaders
            .iter()
            .filter(|l| l.role == Role::Principal)
            .flat_map(|l| &l.days)
            .any(|d| p.contains(d.date));
        if !covered {
            let message = ctx.lang.pick(
                format!("特殊敏感时期“{}”（{} 至 {}）内没有主要领导的接待日", p.name, p.from, p.to),
                format!(
                    "sensitive period \"{}\" ({} to {}) has no principal leader's reception day",
                    p.name, p.from, p.to
                ),
            );
            out.push(Finding::new(Rule::S006, message).date(p.from));
        }
    }
}

fn weekday_label(d: chrono::NaiveDate, lang: Lang) -> &'static str {
    match d.weekday() {
        chrono::Weekday::Sat => lang.t("星期六", "Saturday"),
        chrono::Weekday::Sun => lang.t("星期日", "Sunday"),
        _ => lang.t("工作日", "weekday"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse;

    fn run(toml: &str) -> Vec<(Rule, String)> {
        let settings = parse(toml, "qunli.toml").unwrap();
        let ctx = ScheduleCheck { settings: &settings, lang: Lang::En, month: None, file: "qunli.toml" };
        let mut out = Findings::new(&settings);
        check(&ctx, &mut out);
        out.into_vec().into_iter().map(|f| (f.code, f.place())).collect()
    }

    /// A one-leader workspace whose year holds only `days`; other months are
    /// filled with ordinary working days so they raise nothing.
    fn workspace(role: &str, days: &[&str], extra: &str) -> String {
        let mut all: Vec<String> = days.iter().map(|s| s.to_string()).collect();
        for m in 1..=12 {
            if !days.iter().any(|d| d.starts_with(&format!("2022-{m:02}"))) {
                all.push(format!("2022-{m:02}-{}", if m == 6 { 14 } else { 16 }));
                all.push(format!("2022-{m:02}-{}", if m == 6 { 15 } else { 17 }));
            }
        }
        // Keep only weekdays for the filler: shift weekend fillers to Wednesday 2022-xx-2x.
        let all: Vec<String> = all
            .into_iter()
            .map(|s| {
                let d: chrono::NaiveDate = s.parse().unwrap();
                if days.contains(&s.as_str()) || !crate::calendar::Calendar::is_weekend(d) {
                    s
                } else {
                    (d + chrono::Duration::days(2)).to_string()
                }
            })
            .collect();
        format!(
            "township = \"t\"\nyear = 2022\nvillages = [\"v\"]\n[[leaders]]\nname = \"A\"\nrole = \"{role}\"\ndays = [{}]\n{extra}",
            all.join(", ")
        )
    }

    #[test]
    fn s001_fires_for_one_day_and_not_for_two() {
        let f = run(&workspace("principal", &["2022-03-09"], ""));
        assert_eq!(f, [(Rule::S001, "A 2022-03".into())]);
        assert!(run(&workspace("principal", &["2022-03-09", "2022-03-10"], "")).is_empty());
    }

    #[test]
    fn s002_fires_for_an_empty_month_only() {
        let toml = workspace("member", &["2022-05-10"], "").replace("2022-05-10, ", "");
        assert!(run(&toml).iter().any(|(r, p)| *r == Rule::S002 && p.contains("2022-05")));
        assert!(run(&workspace("member", &["2022-05-10"], "")).is_empty());
    }

    #[test]
    fn s003_weekend_but_not_adjusted_workday() {
        let f = run(&workspace("principal", &["2022-05-08", "2022-05-10"], ""));
        assert_eq!(f, [(Rule::S003, "A 2022-05-08 qunli.toml:7".into())]);
        assert!(run(&workspace("principal", &["2022-10-08", "2022-10-10"], "")).is_empty());
    }

    #[test]
    fn s004_holiday() {
        let f = run(&workspace("principal", &["2022-01-03", "2022-01-04"], ""));
        assert_eq!(f, [(Rule::S004, "A 2022-01-03 qunli.toml:7".into())]);
    }

    #[test]
    fn s005_twice_or_outside_year() {
        let f = run(&workspace("principal", &["2022-03-09", "2022-03-09", "2022-03-10"], ""));
        assert_eq!(f, [(Rule::S005, "A 2022-03-09 qunli.toml:7".into())]);
        let f = run(&workspace("principal", &["2022-03-09", "2022-03-10", "2023-03-09"], ""));
        assert_eq!(f, [(Rule::S005, "A 2023-03-09 qunli.toml:7".into())]);
    }

    #[test]
    fn s006_sensitive_period() {
        let period = "[[sensitive_periods]]\nname = \"两会\"\nfrom = 2022-03-04\nto = 2022-03-11\n";
        let f = run(&workspace("principal", &["2022-03-14", "2022-03-15"], period));
        assert_eq!(f, [(Rule::S006, "2022-03-04".into())]);
        assert!(run(&workspace("principal", &["2022-03-09", "2022-03-15"], period)).is_empty());
    }

    #[test]
    fn level_off_silences_a_rule() {
        let toml = workspace("principal", &["2022-05-08", "2022-05-10"], "[rules.level]\nS003 = \"off\"\n");
        assert!(run(&toml).is_empty());
    }
}
