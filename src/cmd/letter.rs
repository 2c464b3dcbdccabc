//! `qunli letter …`: the 群众来信登记簿 (letters.csv).

use super::listing::{self, ListArgs};
use super::register::{self, date, existing_case, filled, write, NoteArgs, Starts};
use super::{Context, Outcome};
use crate::error::Result;
use crate::ledger::append::Appender;
use crate::ledger::model::{Col, LedgerKind, LetterEvent, Tone};
use crate::workspace::Workspace;
use chrono::{Datelike, NaiveDate};

const KIND: LedgerKind = LedgerKind::Letters;

#[derive(clap::Subcommand, Debug)]
pub enum LetterCommand {
    /// Register a letter received (a new case).
    #[command(
        after_help = "Example:\n  qunli letter add --sender 李四 --signers 3 --tone harsh --category 房屋拆迁 \\\n      --summary \"反映拆迁安置房质量问题\" --village 牵牛村"
    )]
    Add(AddArgs),
    /// A leader read the letter and gave an instruction (阅批).
    #[command(after_help = "Example:\n  qunli letter review L2022-0002 --leader 管小波 --note \"请规建办3日内核实\"")]
    Review(ReviewArgs),
    /// The answer sent to the writer (答复).
    #[command(after_help = "Example:\n  qunli letter reply L2022-0002 --note \"已书面告知受理\"")]
    Reply(NoteArgs),
    /// Handling time extended (延期).
    #[command(after_help = "Example:\n  qunli letter extend L2022-0002 --note \"需区级部门会商\"")]
    Extend(NoteArgs),
    /// The letter's matter concluded (办结).
    #[command(after_help = "Example:\n  qunli letter resolve L2022-0002 --note \"已办结并答复来信人\"")]
    Resolve(NoteArgs),
    /// Registered in error (作废).
    #[command(after_help = "Example:\n  qunli letter void L2022-0002 --note \"重复登记\"")]
    Void(NoteArgs),
    /// Cancel one earlier row, named by its line (撤销): a wrong resolve, a session for the wrong leader or day, a screening on the wrong day.
    #[command(after_help = "Example:\n  qunli letter undo 23 --note \"答复日期录错\"")]
    Undo(register::UndoArgs),
    /// The writer's rating of how a concluded letter was handled (评价: 满意 · 基本满意 · 不满意); the latest counts.
    #[command(after_help = "Example:\n  qunli letter rate L2022-0002 --rating basic   # 或 --rating 基本满意")]
    Rate(register::RateArgs),
    /// List letters (names masked unless --show-names).
    #[command(
        after_help = "Examples:\n  qunli letter list --month 2022-03\n  qunli letter list --open --format xlsx --output 来信.xlsx"
    )]
    List(ListArgs),
    /// A letter's whole history.
    #[command(after_help = "Example:\n  qunli letter show L2022-0002")]
    Show {
        /// The case number.
        case: String,
    },
}

#[derive(clap::Args, Debug)]
pub struct AddArgs {
    /// Who wrote (personal data).
    #[arg(long, allow_hyphen_values = true)]
    pub sender: String,
    /// How many signed; 2 or more is a joint letter (联名信).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100000))]
    pub signers: u32,
    /// normal 一般 · harsh 言辞过激
    #[arg(long)]
    pub tone: Tone,
    /// The category: one of the workspace's categories (类别).
    #[arg(long)]
    pub category: String,
    /// What the letter says (内容).
    #[arg(long, allow_hyphen_values = true)]
    pub summary: String,
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
pub struct ReviewArgs {
    /// The case number.
    pub case: String,
    /// The leader who reviewed it (阅批领导).
    #[arg(long)]
    pub leader: String,
    /// The instruction (批示).
    #[arg(long, allow_hyphen_values = true)]
    pub note: String,
    /// YYYY-MM-DD (default today).
    #[arg(long, value_parser = crate::period::cli_date)]
    pub date: Option<NaiveDate>,
}

pub fn run(command: LetterCommand, ctx: &Context) -> Result<Outcome> {
    let ws = ctx.workspace()?;
    let lang = ws.settings.lang;
    match command {
        LetterCommand::List(args) => listing::list(KIND, args, ctx, &ws),
        LetterCommand::Show { case } => listing::show(KIND, &case, ctx, &ws),
        LetterCommand::Add(a) => {
            let category = register::category(&ws, &a.category)?;
            let village = a.village.as_deref().map(|v| register::village(&ws, v)).transpose()?;
            let sender = filled("--sender", &a.sender)?;
            let summary = filled("--summary", &a.summary)?;
            let d = date(ctx, &ws, a.date, Starts::Work)?;
            let app = Appender::open_for(&ws, KIND, None)?;
            let case = app.book.next_case(d.year() as u16);
            let values = vec![
                (Col::Case, case.to_string()),
                (Col::Date, d.to_string()),
                (Col::Event, LetterEvent::Receive.label(lang).into()),
                (Col::Village, village.unwrap_or_default()),
                (Col::Sender, sender),
                (Col::Signers, a.signers.to_string()),
                (Col::Tone, a.tone.label(lang).into()),
                (Col::Category, category),
                (Col::Summary, summary),
                (Col::Note, a.note.unwrap_or_default()),
            ];
            write(ctx, &ws, app, Some(case), values)
        }
        LetterCommand::Review(a) => {
            let leader = register::leader(&ws, &a.leader)?;
            let note = filled("--note", &a.note)?;
            let d = date(ctx, &ws, a.date, Starts::CarriesOn)?;
            let app = Appender::open_for(&ws, KIND, Some(&a.case))?;
            let (case, _) = existing_case(&app, &a.case, "review")?;
            let values = vec![
                (Col::Case, case.to_string()),
                (Col::Date, d.to_string()),
                (Col::Event, LetterEvent::Review.label(lang).into()),
                (Col::Leader, leader),
                (Col::Note, note),
            ];
            write(ctx, &ws, app, Some(case), values)
        }
        LetterCommand::Reply(a) => note_event(ctx, &ws, a, LetterEvent::Reply),
        LetterCommand::Extend(a) => note_event(ctx, &ws, a, LetterEvent::Extend),
        LetterCommand::Resolve(a) => note_event(ctx, &ws, a, LetterEvent::Resolve),
        LetterCommand::Void(a) => note_event(ctx, &ws, a, LetterEvent::Void),
        LetterCommand::Undo(a) => register::undo(ctx, &ws, KIND, a),
        LetterCommand::Rate(a) => register::rate(ctx, &ws, KIND, a, LetterEvent::Rate.label(ws.settings.lang)),
    }
}

fn note_event(ctx: &Context, ws: &Workspace, a: NoteArgs, event: LetterEvent) -> Result<Outcome> {
    let rules = &ws.settings.rules;
    register::note_event(ctx, ws, KIND, a, (event.en(), event.label(ws.settings.lang)), |state, d| match event {
        LetterEvent::Resolve | LetterEvent::Extend if state.is_resolved() => {
            Some(crate::lang::messages().t("它已经办结", "it is already concluded").into())
        }
        LetterEvent::Extend => register::extend_refusal(state, d, rules),
        _ => None,
    })
}
