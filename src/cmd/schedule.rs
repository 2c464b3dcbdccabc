//! `qunli schedule check|show|next`: the leaders' reception days.

use super::{Context, Outcome};
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::period::YearMonth;
use crate::render::{self, Cell, Doc, Section};
use crate::rules::{self, schedule::ScheduleCheck, Findings};
use chrono::{Datelike, Duration};
use serde::Serialize;

#[derive(clap::Subcommand, Debug)]
pub enum ScheduleCommand {
    /// Check the schedule against the plan (rules S001–S006).
    #[command(
        after_help = "Examples:\n  qunli --dir data schedule check\n  qunli schedule check --month 2022-05 --format json"
    )]
    Check {
        /// Only this month (YYYY-MM).
        #[arg(long)]
        month: Option<YearMonth>,
    },
    /// Show the schedule as a month-by-leader table, like the plan's attachment.
    #[command(after_help = "Examples:\n  qunli schedule show\n  qunli schedule show --month 2022-03 --leader 管小波")]
    Show {
        /// Only this month (YYYY-MM).
        #[arg(long)]
        month: Option<YearMonth>,
        /// Only this leader.
        #[arg(long)]
        leader: Option<String>,
    },
    /// Who receives the people in the coming days: the text for a public notice.
    #[command(after_help = "Examples:\n  qunli schedule next\n  qunli schedule next --days 14 --as-of 2022-03-01")]
    Next {
        /// How many days ahead, counting --as-of (default today); 1 to 366.
        #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=366))]
        days: u32,
    },
    /// The reception days as an iCalendar file (--format ics), one all-day event per leader and day.
    #[command(
        after_help = "Examples:\n  qunli schedule export --format ics --output 接待日.ics\n  qunli schedule export --format ics --leader 管小波 > 管小波.ics"
    )]
    Export {
        /// Only this leader.
        #[arg(long)]
        leader: Option<String>,
    },
}

pub fn run(command: ScheduleCommand, ctx: &Context) -> Result<Outcome> {
    match command {
        ScheduleCommand::Check { month } => check(month, ctx),
        ScheduleCommand::Show { month, leader } => show(month, leader, ctx),
        ScheduleCommand::Next { days } => next(days, ctx),
        ScheduleCommand::Export { leader } => export(leader, ctx),
    }
}

fn export(leader: Option<String>, ctx: &Context) -> Result<Outcome> {
    let ws = ctx.workspace()?;
    let s = &ws.settings;
    if let Some(name) = &leader {
        if s.leader(name).is_none() {
            return Err(Error::Usage(crate::error::unknown("leader", name, s.leaders.iter().map(|l| l.name.as_str()))));
        }
    }
    match ctx.global.format {
        None | Some(render::Format::Ics) => {}
        Some(other) => {
            return Err(Error::Usage(crate::lang::messages().pick(
                format!("schedule export 只生成 --format ics，不能生成 {}", other.name()),
                format!("schedule export writes --format ics, not {}", other.name()),
            )));
        }
    }
    // The stamp is the first day of the year, so the same schedule gives the same file.
    let stamp = chrono::NaiveDate::from_ymd_opt(s.first_year(), 1, 1).expect("valid year");
    Ok(Outcome::output(render::ics::reception_days(s, leader.as_deref(), stamp).into_bytes()))
}

fn check(month: Option<YearMonth>, ctx: &Context) -> Result<Outcome> {
    let ws = ctx.workspace()?;
    let lang = ctx.lang(Some(&ws));
    let file = ws.config_name();
    let mut findings = Findings::new(&ws.settings);
    rules::schedule::check(&ScheduleCheck { settings: &ws.settings, lang, month, file: &file }, &mut findings);
    let findings = findings.into_vec();
    if let Some(m) = month.filter(|m| !ws.settings.covers(m.year)) {
        return Err(ws.settings.not_covered(&m.label(lang), m.year, lang));
    }
    let scope = month.map(|m| m.label(lang)).unwrap_or_else(|| ws.settings.covered_years());
    let doc = Doc {
        errors: Some(findings.iter().filter(|f| f.severity == crate::rules::Severity::Error).count()),
        title: lang.pick(
            format!("{} {} 接待群众日程检查", ws.settings.township, scope),
            format!("{} reception schedule check, {}", ws.settings.township, scope),
        ),
        lines: vec![render::findings_summary(&findings, lang)],
        sections: vec![render::findings_section(&findings, lang)],
        ..Doc::default()
    };
    let json = render::FindingsJson { schema_version: 1, findings: &findings };
    let output = render::render(&doc, &json, &ctx.render_options(lang, Some(&ws)))?;
    Ok(Outcome {
        output,
        worst: rules::worst(&findings),
        notes: ws.settings.calendar_warning().into_iter().collect(),
        ..Default::default()
    })
}

#[derive(Serialize)]
struct LeaderDays {
    name: String,
    role: &'static str,
    title: Option<String>,
    days: Vec<chrono::NaiveDate>,
}

fn show(month: Option<YearMonth>, leader: Option<String>, ctx: &Context) -> Result<Outcome> {
    let ws = ctx.workspace()?;
    let s = &ws.settings;
    let lang = ctx.lang(Some(&ws));
    if let Some(name) = &leader {
        if s.leader(name).is_none() {
            return Err(Error::Usage(crate::error::unknown("leader", name, s.leaders.iter().map(|l| l.name.as_str()))));
        }
    }
    let year = month.map_or_else(|| s.year_of(ctx.as_of()), |m| m.year);
    if !s.covers(year) {
        return Err(s.not_covered(&year.to_string(), year, lang));
    }
    let months: Vec<YearMonth> = match month {
        Some(m) => vec![m],
        None => YearMonth::months_of(year).collect(),
    };
    let mut headers = vec![lang.t("序号", "no."), lang.t("姓名", "name"), lang.t("职务", "title")];
    let month_labels: Vec<String> = months
        .iter()
        .map(|m| if month.is_some() { m.label(lang) } else { format!("{}{}", m.month, lang.t("月", "")) })
        .collect();
    headers.extend(month_labels.iter().map(String::as_str));
    let mut section = Section::new("", &headers);
    let mut json = Vec::new();
    for (i, l) in s.leaders.iter().enumerate() {
        if leader.as_ref().is_some_and(|n| *n != l.name) {
            continue;
        }
        let mut row: Vec<Cell> =
            vec![Cell::Int(i as i64 + 1), l.name.as_str().into(), l.title.clone().unwrap_or_default().into()];
        for m in &months {
            let days: Vec<String> =
                l.days.iter().filter(|d| m.contains(d.date)).map(|d| d.date.day().to_string()).collect();
            row.push(days.join(", ").into());
        }
        section.row(row);
        json.push(LeaderDays {
            name: l.name.clone(),
            role: l.role.en(),
            title: l.title.clone(),
            days: l.days.iter().map(|d| d.date).filter(|d| month.is_none_or(|m| m.contains(*d))).collect(),
        });
    }
    let doc = Doc {
        title: lang.pick(
            format!("{}{}年镇领导接待群众日程安排表", s.township, year),
            format!("{} {}: leaders' reception days", s.township, year),
        ),
        lines: vec![],
        sections: vec![section],
        ..Doc::default()
    };
    let json = render::versioned("leaders", &json);
    Ok(Outcome::output(render::render(&doc, &json, &ctx.render_options(lang, Some(&ws)))?))
}

#[derive(Serialize)]
struct NextDay {
    date: chrono::NaiveDate,
    leader: String,
    title: Option<String>,
}

fn weekday_zh(d: chrono::NaiveDate, lang: Lang) -> &'static str {
    const ZH: [&str; 7] = ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"];
    const EN: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    let i = d.weekday().num_days_from_monday() as usize;
    lang.t(ZH[i], EN[i])
}

fn next(days: u32, ctx: &Context) -> Result<Outcome> {
    let ws = ctx.workspace()?;
    let s = &ws.settings;
    let lang = ctx.lang(Some(&ws));
    let from = ctx.as_of();
    let to = from + Duration::days(days.max(1) as i64 - 1);
    let mut entries: Vec<NextDay> = s
        .leaders
        .iter()
        .flat_map(|l| {
            l.days.iter().filter(|d| d.date >= from && d.date <= to).map(move |d| NextDay {
                date: d.date,
                leader: l.name.clone(),
                title: l.title.clone(),
            })
        })
        .collect();
    entries.sort_by_key(|e| e.date);
    let mut section = Section::new(
        "",
        &[lang.t("日期", "date"), lang.t("星期", "day"), lang.t("接待领导", "leader"), lang.t("职务", "title")],
    )
    .when_empty(lang.t("这段时间没有安排接待群众日。", "No reception days in this period."));
    for e in &entries {
        section.row(vec![
            e.date.into(),
            weekday_zh(e.date, lang).into(),
            e.leader.as_str().into(),
            e.title.clone().unwrap_or_default().into(),
        ]);
    }
    let doc = Doc {
        title: lang.pick(
            format!("{}领导接待群众日安排（{} 至 {}）", s.township, from, to),
            format!("{}: leaders receiving the public, {} to {}", s.township, from, to),
        ),
        lines: vec![{
            // [reception] says where and when; the office's usual words otherwise.
            let r = &s.reception;
            let place = r.place.clone().unwrap_or_else(|| lang.t("镇信访接待室", "the town's reception office").into());
            let hours = r.hours.map(|(a, b)| format!("{}–{}", a.format("%H:%M"), b.format("%H:%M")));
            match hours {
                Some(h) => lang.pick(
                    format!("接待地点：{place}；接待时间：{h}。群众可在上述日期到场反映诉求。"),
                    format!("Where: {place}; hours: {h}. Anyone may come on these days."),
                ),
                None => lang.pick(
                    format!("接待地点：{place}。群众可在上述日期到场反映诉求。"),
                    format!("Where: {place}. Anyone may come on these days."),
                ),
            }
        }],
        sections: vec![section],
        ..Doc::default()
    };
    let json = render::versioned("days", &entries);
    Ok(Outcome::output(render::render(&doc, &json, &ctx.render_options(lang, Some(&ws)))?))
}
