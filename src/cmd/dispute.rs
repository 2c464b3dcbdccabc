//! `qunli dispute …`: the 矛盾纠纷排查调处台账 (disputes.csv).

use super::listing::{self, ListArgs};
use super::register::{self, date, filled, write, EscalateArgs, NoteArgs, Starts};
use super::{Context, Outcome};
use crate::error::Result;
use crate::ledger::append::Appender;
use crate::ledger::model::{Col, DisputeEvent, DisputeLevel, LedgerKind};
use crate::workspace::Workspace;
use chrono::{Datelike, NaiveDate};

const KIND: LedgerKind = LedgerKind::Disputes;

#[derive(clap::Subcommand, Debug)]
pub enum DisputeCommand {
    /// Record a village's screening for disputes (排查).
    #[command(after_help = "Example:\n  qunli dispute screen --village 天灵村 --found 1 --date 2022-03-07")]
    Screen(ScreenArgs),
    /// Register a dispute found (a new case).
    #[command(
        after_help = "Example:\n  qunli dispute add --village 白兔村 --level village --category 邻里纠纷 \\\n      --parties \"王五、赵六\" --summary \"宅基地界址争议\""
    )]
    Add(AddArgs),
    /// A mediation held (调处).
    #[command(after_help = "Example:\n  qunli dispute mediate D2022-0004 --note \"组织双方调解\"")]
    Mediate(NoteArgs),
    /// Passed from the village up to the town (上报; 大事不出镇).
    #[command(after_help = "Example:\n  qunli dispute refer D2022-0004 --note \"村级调解未果，报镇综治办\"")]
    Refer(NoteArgs),
    /// The dispute resolved (化解).
    #[command(after_help = "Example:\n  qunli dispute resolve D2022-0004 --note \"双方达成调解协议\"")]
    Resolve(NoteArgs),
    /// The dispute went beyond the town (上交).
    #[command(after_help = "Example:\n  qunli dispute escalate D2022-0004 --to district")]
    Escalate(EscalateArgs),
    /// Registered in error (作废).
    #[command(after_help = "Example:\n  qunli dispute void D2022-0004 --note \"登记错误\"")]
    Void(NoteArgs),
    /// Cancel one earlier row, named by its line (撤销): a wrong resolve, a session for the wrong leader or day, a screening on the wrong day.
    #[command(after_help = "Example:\n  qunli dispute undo 140 --note \"排查记在了错误的日期\"")]
    Undo(register::UndoArgs),
    /// List disputes (names masked unless --show-names).
    #[command(
        after_help = "Examples:\n  qunli dispute list --village 天灵村\n  qunli dispute list --overdue --format csv"
    )]
    List(ListArgs),
    /// A dispute's whole history.
    #[command(after_help = "Example:\n  qunli dispute show D2022-0004")]
    Show {
        /// The case number.
        case: String,
    },
}

#[derive(clap::Args, Debug)]
pub struct ScreenArgs {
    /// The village or community (村社区), as listed in qunli.toml.
    #[arg(long)]
    pub village: String,
    /// New disputes found.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=100000))]
    pub found: u32,
    /// A note: what was done, or why (备注).
    #[arg(long, allow_hyphen_values = true)]
    pub note: Option<String>,
    /// YYYY-MM-DD (default today).
    #[arg(long, value_parser = crate::period::cli_date)]
    pub date: Option<NaiveDate>,
}

#[derive(clap::Args, Debug)]
pub struct AddArgs {
    /// The village or community (村社区), as listed in qunli.toml.
    #[arg(long)]
    pub village: String,
    /// village 村级 · town 镇级
    #[arg(long)]
    pub level: DisputeLevel,
    /// The category: one of the workspace's categories (类别).
    #[arg(long)]
    pub category: String,
    /// The parties (personal data).
    #[arg(long, allow_hyphen_values = true)]
    pub parties: String,
    /// What the dispute is about (情况).
    #[arg(long, allow_hyphen_values = true)]
    pub summary: String,
    /// A note: what was done, or why (备注).
    #[arg(long, allow_hyphen_values = true)]
    pub note: Option<String>,
    /// YYYY-MM-DD (default today).
    #[arg(long, value_parser = crate::period::cli_date)]
    pub date: Option<NaiveDate>,
}

pub fn run(command: DisputeCommand, ctx: &Context) -> Result<Outcome> {
    let ws = ctx.workspace()?;
    let lang = ws.settings.lang;
    match command {
        DisputeCommand::List(args) => listing::list(KIND, args, ctx, &ws),
        DisputeCommand::Show { case } => listing::show(KIND, &case, ctx, &ws),
        DisputeCommand::Screen(a) => {
            let village = register::village(&ws, &a.village)?;
            let d = date(ctx, &ws, a.date, Starts::Work)?;
            let app = Appender::open_for(&ws, KIND, None)?;
            let values = vec![
                (Col::Date, d.to_string()),
                (Col::Event, DisputeEvent::Screen.label(lang).into()),
                (Col::Village, village),
                (Col::Detail, a.found.to_string()),
                (Col::Note, a.note.unwrap_or_default()),
            ];
            write(ctx, &ws, app, None, values)
        }
        DisputeCommand::Add(a) => {
            let village = register::village(&ws, &a.village)?;
            let category = register::category(&ws, &a.category)?;
            let parties = filled("--parties", &a.parties)?;
            let summary = filled("--summary", &a.summary)?;
            let d = date(ctx, &ws, a.date, Starts::Work)?;
            let app = Appender::open_for(&ws, KIND, None)?;
            let case = app.book.next_case(d.year() as u16);
            let values = vec![
                (Col::Case, case.to_string()),
                (Col::Date, d.to_string()),
                (Col::Event, DisputeEvent::Open.label(lang).into()),
                (Col::Village, village),
                (Col::Level, a.level.label(lang).into()),
                (Col::Category, category),
                (Col::Parties, parties),
                (Col::Summary, summary),
                (Col::Note, a.note.unwrap_or_default()),
            ];
            write(ctx, &ws, app, Some(case), values)
        }
        DisputeCommand::Escalate(a) => register::escalate(ctx, &ws, KIND, a, DisputeEvent::Escalate.label(lang)),
        DisputeCommand::Mediate(a) => note_event(ctx, &ws, a, DisputeEvent::Mediate),
        DisputeCommand::Refer(a) => note_event(ctx, &ws, a, DisputeEvent::Refer),
        DisputeCommand::Resolve(a) => note_event(ctx, &ws, a, DisputeEvent::Resolve),
        DisputeCommand::Void(a) => note_event(ctx, &ws, a, DisputeEvent::Void),
        DisputeCommand::Undo(a) => register::undo(ctx, &ws, KIND, a),
    }
}

fn note_event(ctx: &Context, ws: &Workspace, a: NoteArgs, event: DisputeEvent) -> Result<Outcome> {
    register::note_event(ctx, ws, KIND, a, (event.en(), event.label(ws.settings.lang)), |state, _| match event {
        DisputeEvent::Resolve | DisputeEvent::Refer | DisputeEvent::Mediate if state.is_resolved() => {
            Some(crate::lang::messages().t("它已经化解", "it is already resolved").into())
        }
        DisputeEvent::Refer if state.level == Some(DisputeLevel::Town) => {
            Some(crate::lang::messages().t("它已经在镇级调处", "it is already handled at town level").into())
        }
        _ => None,
    })
}
