//! `qunli district …`: every town of a district side by side (SPEC §11.2).

use super::{Context, Outcome};
use crate::district::{self, District, Town};
use crate::error::{Error, Result};
use crate::period::YearMonth;
use crate::render::{self, district as view};
use crate::rules::Severity;
use chrono::{Datelike, NaiveDate};

#[derive(clap::Subcommand, Debug)]
pub enum DistrictCommand {
    /// Every town's check: one line a town (valid, errors, warnings, history), then the details.
    #[command(after_help = "Example:\n  qunli --dir examples/district district check")]
    Check,
    /// District reports: monthly, kpi.
    #[command(subcommand)]
    Report(DistrictReport),
}

#[derive(clap::Subcommand, Debug)]
pub enum DistrictReport {
    /// One row a town — verdict, cases, rates, letters, screenings, overdue, indicators, score, rank — and the district's totals.
    #[command(
        after_help = "Examples:\n  qunli --dir examples/district district report monthly --month 2022-03 --as-of 2022-04-01\n  qunli district report monthly --format email | sendmail -t   # from cron on the 2nd"
    )]
    Monthly {
        /// The month (default: the previous calendar month).
        #[arg(long)]
        month: Option<YearMonth>,
    },
    /// The petition indicators and scores over a period, towns ranked, the lowest flagged.
    #[command(
        after_help = "Examples:\n  qunli district report kpi --year 2022\n  qunli district report kpi --from 2022-01-01 --to 2022-06-30"
    )]
    Kpi {
        /// A whole year (default: the year of --as-of).
        #[arg(long, conflicts_with_all = ["from", "to"])]
        year: Option<i32>,
        /// First day.
        #[arg(long, value_parser = crate::period::cli_date, requires = "to")]
        from: Option<NaiveDate>,
        /// Last day.
        #[arg(long, value_parser = crate::period::cli_date, requires = "from")]
        to: Option<NaiveDate>,
    },
}

pub fn run(command: DistrictCommand, ctx: &Context) -> Result<Outcome> {
    let d = District::locate(ctx.global.dir.as_deref(), ctx.env_dir.clone(), &ctx.cwd)?;
    let lang = ctx.global.lang.or(ctx.env_lang).unwrap_or(d.settings.lang);
    crate::lang::set_messages(lang);
    let as_of = ctx.as_of();
    let mut opts = ctx.render_options(lang, None);
    if ctx.global.mail_to.is_empty() {
        opts.envelope.to = d.settings.email.to.clone();
    }
    if opts.envelope.from.is_none() {
        opts.envelope.from = d.settings.email.from.clone();
    }
    let (output, worst) = match command {
        DistrictCommand::Check => {
            let c = district::check(&d, as_of, lang);
            (render::render(&view::check(&c, lang), &c, &opts)?, c.worst())
        }
        DistrictCommand::Report(DistrictReport::Monthly { month }) => {
            let month = month.unwrap_or(YearMonth::of(as_of).prev());
            let r = district::monthly(&d, month, as_of, lang);
            let worst = worst_of(&r.towns, |t| t.errors > 0, !r.findings.is_empty());
            (render::render(&view::monthly(&r, lang), &r, &opts)?, worst)
        }
        DistrictCommand::Report(DistrictReport::Kpi { year, from, to }) => {
            let (from, to) = match (from, to) {
                (Some(f), Some(t)) => (f, t),
                _ => {
                    let y = year.unwrap_or(as_of.year());
                    let day =
                        |m, d| NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| Error::Usage(format!("--year {y}")));
                    (day(1, 1)?, day(12, 31)?)
                }
            };
            if to < from {
                return Err(Error::Usage(
                    lang.pick(format!("--to {to} 早于 --from {from}"), format!("--to {to} is before --from {from}")),
                ));
            }
            let r = district::kpi_report(&d, from, to, as_of, lang);
            let worst = worst_of(&r.towns, |_| false, !r.findings.is_empty());
            (render::render(&view::kpi(&r, lang), &r, &opts)?, worst)
        }
    };
    Ok(Outcome { output, worst, ..Default::default() })
}

fn worst_of<T>(towns: &[Town<T>], failed: impl Fn(&T) -> bool, invalid: bool) -> Option<Severity> {
    let any_failed = towns.iter().any(|t| matches!(t, Town::Valid(v) if failed(v)));
    (invalid || any_failed).then_some(Severity::Error)
}
