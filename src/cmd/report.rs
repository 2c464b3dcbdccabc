//! `qunli report …`: monthly, resolution, villages, overdue, annual.

use super::{Context, Outcome};
use crate::error::{Error, Result};
use crate::ledger::Ledgers;
use crate::period::YearMonth;
use crate::render::{self, reports};
use crate::report::{self, resolution::GroupBy};
use crate::rules::{self, Severity};
use chrono::NaiveDate;

#[derive(clap::Subcommand, Debug)]
pub enum ReportCommand {
    /// A month's compliance: leaders, visits, letters, disputes, overdue cases, findings.
    #[command(
        after_help = "Examples:\n  qunli --dir data report monthly --month 2022-03 --as-of 2022-04-01\n  qunli report monthly --quiet            # from cron on the 1st: the month just ended"
    )]
    Monthly {
        /// The month (default: the month before --as-of, i.e. the previous calendar month).
        #[arg(long)]
        month: Option<YearMonth>,
    },
    /// Resolution rates of the visit cases started in a period, grouped.
    #[command(after_help = "Example:\n  qunli report resolution --from 2022-01-01 --to 2022-06-30 --by village")]
    Resolution {
        /// First day (default: 1 January of the workspace year).
        #[arg(long, value_parser = crate::period::cli_date)]
        from: Option<NaiveDate>,
        /// Last day (default: --as-of, or 31 December if earlier).
        #[arg(long, value_parser = crate::period::cli_date)]
        to: Option<NaiveDate>,
        /// How to group.
        #[arg(long, value_enum, default_value_t = GroupBy::Leader)]
        by: GroupBy,
    },
    /// The villages' assessment and ranking; the lowest are flagged for a talk (约谈).
    #[command(after_help = "Examples:\n  qunli report villages --month 2022-03\n  qunli report villages --year")]
    Villages {
        /// One month (default: the previous calendar month).
        #[arg(long, conflicts_with = "year")]
        month: Option<YearMonth>,
        /// The whole workspace year.
        #[arg(long)]
        year: bool,
    },
    /// Every case past a deadline as of --as-of, oldest first.
    #[command(after_help = "Example:\n  qunli report overdue --as-of 2022-06-30")]
    Overdue,
    /// The year-end review: month by month, per leader, per village, per category.
    #[command(after_help = "Example:\n  qunli report annual --as-of 2022-12-31")]
    Annual {
        /// The year (default: the workspace year).
        #[arg(long)]
        year: Option<i32>,
    },
}

fn worst(findings: &[rules::Finding]) -> Option<Severity> {
    rules::worst(findings)
}

pub fn run(command: ReportCommand, ctx: &Context) -> Result<Outcome> {
    let ws = ctx.workspace()?;
    let s = &ws.settings;
    let lang = ctx.lang(Some(&ws));
    let as_of = ctx.as_of();
    let ledgers = Ledgers::load(&ws, as_of)?;
    let heads = ledgers.heads();
    let notes: Vec<String> = s.calendar_warning().into_iter().collect();
    let opts = ctx.render_options(lang, Some(&ws));
    let previous_month = YearMonth::of(as_of).prev();
    // A month, year or period the workspace does not cover is refused, never
    // reported as one full of findings (SPEC §3).
    let covered = |year: i32, what: String| if s.covers(year) { Ok(()) } else { Err(s.not_covered(&what, year, lang)) };
    let (output, worst) = match command {
        ReportCommand::Monthly { month } => {
            let month = month.unwrap_or(previous_month);
            covered(month.year, month.label(lang))?;
            let r = report::monthly::build(s, &ledgers, month, as_of, lang);
            drop(ledgers); // what is rendered is the report's: the cases need not wait for it
            (render::render_report(|| reports::monthly(&r, lang), heads, &r, &opts)?, worst(&r.findings))
        }
        ReportCommand::Resolution { from, to, by } => {
            let year = s.year_of(as_of);
            let from = from.unwrap_or_else(|| NaiveDate::from_ymd_opt(year, 1, 1).expect("valid"));
            let to = to.unwrap_or_else(|| as_of.min(NaiveDate::from_ymd_opt(year, 12, 31).expect("valid")));
            if to < from {
                return Err(Error::Usage(
                    lang.pick(format!("--to {to} 早于 --from {from}"), format!("--to {to} is before --from {from}")),
                ));
            }
            use chrono::Datelike;
            covered(from.year(), format!("--from {from}"))?;
            covered(to.year(), format!("--to {to}"))?;
            let r = report::resolution::build(s, &ledgers, from, to, by, as_of, lang);
            drop(ledgers);
            (render::render_report(|| reports::resolution(&r, lang), heads, &r, &opts)?, None)
        }
        ReportCommand::Villages { month, year } => {
            let (period, months) = if year {
                let y = s.year_of(previous_month.first_day());
                (y.to_string(), YearMonth::months_of(y).collect())
            } else {
                let m = month.unwrap_or(previous_month);
                covered(m.year, m.label(lang))?;
                (m.to_string(), vec![m])
            };
            let r = report::villages::build(s, &ledgers, period, months, as_of);
            drop(ledgers);
            (render::render_report(|| reports::villages(&r, lang), heads, &r, &opts)?, None)
        }
        ReportCommand::Overdue => {
            let r = report::overdue::build(s, &ledgers, as_of);
            drop(ledgers);
            let worst = r.cases.iter().map(|c| match s.rules.level(c.code) {
                rules::Level::Error => Severity::Error,
                _ => Severity::Warning,
            });
            let worst = worst.min();
            (render::render_report(|| reports::overdue(&r, lang), heads, &r, &opts)?, worst)
        }
        ReportCommand::Annual { year } => {
            let year = year.unwrap_or_else(|| s.year_of(previous_month.first_day()));
            covered(year, year.to_string())?;
            let r = report::annual::build(s, &ledgers, year, as_of, lang);
            drop(ledgers);
            (render::render_report(|| reports::annual(&r, lang), heads, &r, &opts)?, worst(&r.findings))
        }
    };
    Ok(Outcome { output, worst, notes, ..Default::default() })
}
