//! `qunli visit …`: the 接访下访登记簿 (visits.csv).

use super::listing::{self, ListArgs};
use super::register::{self, date, existing_case, filled, write, EscalateArgs, NoteArgs, Starts};
use super::{Context, Outcome};
use crate::error::{Error, Result};
use crate::ledger::append::Appender;
use crate::ledger::model::{CaseId, Col, LedgerKind, Mode, VisitEvent};
use chrono::{Datelike, NaiveDate};

const KIND: LedgerKind = LedgerKind::Visits;

#[derive(clap::Subcommand, Debug)]
pub enum VisitCommand {
    /// Register a matter received (a new case), or a repeat reception with --case.
    #[command(
        after_help = "Examples:\n  qunli visit add --leader 管小波 --mode public --village 天灵村 --visitors 张三 \\\n      --headcount 1 --category 土地征用 --summary \"征地补偿款未到位\"\n  qunli visit add --case V2022-0007 --leader 管小波 --mode public --village 天灵村 \\\n      --visitors 张三 --headcount 6 --category 土地征用 --summary \"再次反映\""
    )]
    Add(AddArgs),
    /// Record a session held (it counts even with no visitors).
    #[command(
        after_help = "Example:\n  qunli visit session --leader 张豪 --mode public --village 双堰社区 --date 2022-03-09"
    )]
    Session(SessionArgs),
    /// The “five ones” for a case: leader in charge, deadline, plan (包案).
    #[command(
        after_help = "Example:\n  qunli visit assign V2022-0003 --leader 管小波 --deadline 2022-04-30 --plan \"协调国土所核实补偿\""
    )]
    Assign(AssignArgs),
    /// Passed to a department or village to handle (转办).
    #[command(after_help = "Example:\n  qunli visit refer V2022-0003 --note \"转镇规划环保办\"")]
    Refer(NoteArgs),
    /// Handling time extended (延期; at most extension_max_days).
    #[command(after_help = "Example:\n  qunli visit extend V2022-0003 --note \"需区级部门会商\"")]
    Extend(NoteArgs),
    /// The matter resolved (化解).
    #[command(after_help = "Example:\n  qunli visit resolve V2022-0003 --note \"补偿款已到位，当事人签字息诉\"")]
    Resolve(NoteArgs),
    /// The matter went beyond the town (上交).
    #[command(after_help = "Example:\n  qunli visit escalate V2022-0003 --to district --note \"到区信访办\"")]
    Escalate(EscalateArgs),
    /// The case was registered in error (作废); it leaves every count.
    #[command(after_help = "Example:\n  qunli visit void V2022-0003 --note \"重复登记\"")]
    Void(NoteArgs),
    /// Cancel one earlier row, named by its line (撤销): a wrong resolve, a session for the wrong leader or day, a screening on the wrong day.
    #[command(
        after_help = "Example:\n  qunli visit undo 57 --note \"录错了接访领导\"   # the line from show or list --events"
    )]
    Undo(register::UndoArgs),
    /// The person's rating of how a concluded case was handled (评价: 满意 · 基本满意 · 不满意); the latest counts.
    #[command(after_help = "Example:\n  qunli visit rate V2022-0003 --rating satisfied   # 或 --rating 满意")]
    Rate(register::RateArgs),
    /// List cases, one line each (names masked unless --show-names).
    #[command(after_help = "Examples:\n  qunli visit list --month 2022-03\n  qunli visit list --open --leader 管小波")]
    List(ListArgs),
    /// A case's whole history.
    #[command(after_help = "Example:\n  qunli visit show V2022-0003")]
    Show {
        /// The case number.
        case: String,
    },
}

#[derive(clap::Args, Debug)]
pub struct AddArgs {
    /// A repeat reception of this case (重复访) instead of a new case.
    #[arg(long)]
    pub case: Option<String>,
    /// The leader who received them.
    #[arg(long)]
    pub leader: String,
    /// public 公开接访 · appointment 重点约访 · case_visit 带案下访 · home_visit 上门走访 · survey 专题调研 · work_day 群众工作日
    #[arg(long)]
    pub mode: Mode,
    /// The village or community (村社区), as listed in qunli.toml.
    #[arg(long)]
    pub village: String,
    /// Names of the people who came (personal data).
    #[arg(long, allow_hyphen_values = true)]
    pub visitors: String,
    /// How many people came (人数); 5 or more is a group visit (群访).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100000))]
    pub headcount: u32,
    /// The category: one of the workspace's categories (类别).
    #[arg(long)]
    pub category: String,
    /// What was raised (诉求).
    #[arg(long, allow_hyphen_values = true)]
    pub summary: String,
    /// Another case this follows, e.g. the letter L2022-0004.
    #[arg(long = "ref")]
    pub reference: Option<String>,
    /// A note: what was done, or why (备注).
    #[arg(long, allow_hyphen_values = true)]
    pub note: Option<String>,
    /// YYYY-MM-DD (default today).
    #[arg(long, value_parser = crate::period::cli_date)]
    pub date: Option<NaiveDate>,
}

#[derive(clap::Args, Debug)]
pub struct SessionArgs {
    /// The leader who held it.
    #[arg(long)]
    pub leader: String,
    /// public 公开接访 · appointment 重点约访 · case_visit 带案下访 · home_visit 上门走访 · survey 专题调研 · work_day 群众工作日.
    #[arg(long)]
    pub mode: Mode,
    /// The village or community (村社区), as listed in qunli.toml.
    #[arg(long)]
    pub village: Option<String>,
    /// A note: what was done, or why (备注).
    #[arg(long, allow_hyphen_values = true)]
    pub note: Option<String>,
    /// YYYY-MM-DD (default today).
    #[arg(long, value_parser = crate::period::cli_date)]
    pub date: Option<NaiveDate>,
}

#[derive(clap::Args, Debug)]
pub struct AssignArgs {
    /// The case number.
    pub case: String,
    /// The leader in charge (包案领导).
    #[arg(long)]
    pub leader: String,
    /// The deadline to resolve it (化解时限), YYYY-MM-DD.
    #[arg(long, value_parser = crate::period::cli_date)]
    pub deadline: NaiveDate,
    /// The plan (化解方案).
    #[arg(long, allow_hyphen_values = true)]
    pub plan: String,
    /// YYYY-MM-DD (default today).
    #[arg(long, value_parser = crate::period::cli_date)]
    pub date: Option<NaiveDate>,
}

pub fn run(command: VisitCommand, ctx: &Context) -> Result<Outcome> {
    let ws = ctx.workspace()?;
    let lang = ws.settings.lang;
    let ev = |e: VisitEvent| e.label(lang).to_string();
    match command {
        VisitCommand::List(args) => listing::list(KIND, args, ctx, &ws),
        VisitCommand::Show { case } => listing::show(KIND, &case, ctx, &ws),
        VisitCommand::Add(a) => {
            let leader = register::leader(&ws, &a.leader)?;
            let village = register::village(&ws, &a.village)?;
            let category = register::category(&ws, &a.category)?;
            let visitors = filled("--visitors", &a.visitors)?;
            let summary = filled("--summary", &a.summary)?;
            let reference = match &a.reference {
                Some(r) => Some(
                    CaseId::parse(r)
                        .ok_or_else(|| register::not_a_case(r, crate::ledger::LedgerKind::Letters))?
                        .to_string(),
                ),
                None => None,
            };
            let starts = if a.case.is_some() { Starts::CarriesOn } else { Starts::Work };
            let d = date(ctx, &ws, a.date, starts)?;
            register::in_office(&ws, &leader, d)?;
            let app = Appender::open_for(&ws, KIND, a.case.as_deref())?;
            let case = match &a.case {
                Some(c) => {
                    let (id, state) = existing_case(&app, c, "add a reception to")?;
                    register::same_matter(&ws, state, &village, &category)?;
                    id
                }
                None => app.book.next_case(d.year() as u16),
            };
            let values = vec![
                (Col::Case, case.to_string()),
                (Col::Date, d.to_string()),
                (Col::Event, ev(VisitEvent::Receive)),
                (Col::Leader, leader),
                (Col::Mode, a.mode.label(lang).into()),
                (Col::Village, village),
                (Col::Visitors, visitors),
                (Col::Headcount, a.headcount.to_string()),
                (Col::Category, category),
                (Col::Summary, summary),
                (Col::Ref, reference.unwrap_or_default()),
                (Col::Note, a.note.unwrap_or_default()),
            ];
            write(ctx, &ws, app, Some(case), values)
        }
        VisitCommand::Session(a) => {
            let leader = register::leader(&ws, &a.leader)?;
            let village = a.village.as_deref().map(|v| register::village(&ws, v)).transpose()?;
            let d = date(ctx, &ws, a.date, Starts::Work)?;
            register::in_office(&ws, &leader, d)?;
            let app = Appender::open_for(&ws, KIND, None)?;
            let values = vec![
                (Col::Date, d.to_string()),
                (Col::Event, ev(VisitEvent::Session)),
                (Col::Leader, leader),
                (Col::Mode, a.mode.label(lang).into()),
                (Col::Village, village.unwrap_or_default()),
                (Col::Note, a.note.unwrap_or_default()),
            ];
            write(ctx, &ws, app, None, values)
        }
        VisitCommand::Assign(a) => {
            let leader = register::leader(&ws, &a.leader)?;
            let plan = filled("--plan", &a.plan)?;
            let d = date(ctx, &ws, a.date, Starts::CarriesOn)?;
            if a.deadline < d {
                return Err(Error::Usage(crate::lang::messages().pick(
                    format!("--deadline {} 早于包案日期 {d}", a.deadline),
                    format!("--deadline {} is before the assignment date {d}", a.deadline),
                )));
            }
            let app = Appender::open_for(&ws, KIND, Some(&a.case))?;
            let (case, state) = existing_case(&app, &a.case, "assign")?;
            if state.is_resolved() {
                return Err(Error::Refused(crate::lang::messages().pick(
                    format!("{case} 已经化解，不能再包案"),
                    format!("cannot assign {case}: it is already resolved"),
                )));
            }
            let values = vec![
                (Col::Case, case.to_string()),
                (Col::Date, d.to_string()),
                (Col::Event, ev(VisitEvent::Assign)),
                (Col::Leader, leader),
                (Col::Detail, a.deadline.to_string()),
                (Col::Note, plan),
            ];
            write(ctx, &ws, app, Some(case), values)
        }
        VisitCommand::Refer(a) => note_event(ctx, &ws, a, VisitEvent::Refer),
        VisitCommand::Extend(a) => note_event(ctx, &ws, a, VisitEvent::Extend),
        VisitCommand::Resolve(a) => note_event(ctx, &ws, a, VisitEvent::Resolve),
        VisitCommand::Void(a) => note_event(ctx, &ws, a, VisitEvent::Void),
        VisitCommand::Undo(a) => register::undo(ctx, &ws, KIND, a),
        VisitCommand::Rate(a) => register::rate(ctx, &ws, KIND, a, VisitEvent::Rate.label(lang)),
        VisitCommand::Escalate(a) => register::escalate(ctx, &ws, KIND, a, VisitEvent::Escalate.label(lang)),
    }
}

fn note_event(ctx: &Context, ws: &crate::workspace::Workspace, a: NoteArgs, event: VisitEvent) -> Result<Outcome> {
    let rules = &ws.settings.rules;
    register::note_event(ctx, ws, KIND, a, (event.en(), event.label(ws.settings.lang)), |state, d| match event {
        VisitEvent::Resolve | VisitEvent::Refer | VisitEvent::Extend if state.is_resolved() => {
            Some(crate::lang::messages().t("它已经化解", "it is already resolved").into())
        }
        VisitEvent::Extend => register::extend_refusal(state, d, rules),
        _ => None,
    })
}
