//! What `visit`, `letter` and `dispute` share when they append: checking
//! names and the case's state, and saying what was written.

use super::{Context, Outcome};
use crate::case::Case;
use crate::error::{unknown, Error, Result};
use crate::lang::Lang;
use crate::ledger::append::{Appender, Values};
use crate::ledger::model::{CaseId, Col};
use crate::workspace::Workspace;
use chrono::NaiveDate;

/// Checks a name against the known ones, with "did you mean".
pub fn known_name<'a>(
    option: &str,
    what: &str,
    value: &str,
    known: impl IntoIterator<Item = &'a str> + Clone,
) -> Result<String> {
    let v = value.trim();
    if known.clone().into_iter().any(|k| k == v) {
        Ok(v.to_string())
    } else {
        Err(Error::Usage(format!("{option}: {}", unknown(what, v, known))))
    }
}

pub fn leader(ws: &Workspace, value: &str) -> Result<String> {
    known_name("--leader", "leader", value, ws.settings.leaders.iter().map(|l| l.name.as_str()))
}

pub fn village(ws: &Workspace, value: &str) -> Result<String> {
    known_name("--village", "village", value, ws.settings.villages.iter().map(String::as_str))
}

pub fn category(ws: &Workspace, value: &str) -> Result<String> {
    let known: Vec<&str> = ws.settings.categories().collect();
    known_name("--category", "category", value, known)
}

/// Refuses empty free text where it is required.
pub fn filled(option: &str, value: &str) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Error::Usage(format!("{option} must not be empty")));
    }
    Ok(v.to_string())
}

/// The case `id` of this ledger as the ledger stands, or why it cannot take `action`.
pub fn existing_case<'b>(app: &'b Appender, id: &str, action: &str) -> Result<(CaseId, &'b Case)> {
    let case = CaseId::parse(id)
        .filter(|c| c.kind == app.kind)
        .ok_or_else(|| Error::Usage(format!("\"{id}\" is not a case number like {}2022-0001", app.kind.prefix())))?;
    let state = app
        .book
        .case(case)
        .ok_or_else(|| Error::Refused(format!("cannot {action} {case}: no such case in {}", app.name)))?;
    if state.voided {
        return Err(Error::Refused(format!("cannot {action} {case}: it was voided")));
    }
    Ok((case, state))
}

/// The date of the new row: `--date`, else `--as-of`, else today.
pub fn date(ctx: &Context, date: Option<NaiveDate>) -> NaiveDate {
    date.unwrap_or_else(|| ctx.as_of())
}

/// Appends one row and says what was written.
pub fn write(ctx: &Context, ws: &Workspace, app: Appender, case: Option<CaseId>, values: Values) -> Result<Outcome> {
    let lang = ctx.lang(Some(ws));
    let name = app.name.clone();
    let mut notes = Vec::new();
    if !app.problems.is_empty() {
        notes.push(format!("{name} has {} problem(s) in earlier rows; run `qunli check`", app.problems.len()));
    }
    let event = values.iter().find(|(c, _)| *c == Col::Event).map(|(_, v)| v.clone()).unwrap_or_default();
    let date = values.iter().find(|(c, _)| *c == Col::Date).map(|(_, v)| v.clone()).unwrap_or_default();
    let appended = app.append(&[values])?;
    notes.extend(appended.warnings);
    let line = appended.first_line;
    let subject = case.map(|c| format!("{c}  ")).unwrap_or_default();
    let text = match lang {
        Lang::Zh => format!("{subject}{event} {date}  已写入 {name} 第 {line} 行\n"),
        Lang::En => format!("{subject}{event} {date}  appended to {name} line {line}\n"),
    };
    Ok(Outcome { output: text.into_bytes(), notes, ..Default::default() })
}

/// `CASE --note N [--date D]`: the arguments of most events on a case.
#[derive(clap::Args, Debug)]
pub struct NoteArgs {
    /// The case number.
    pub case: String,
    #[arg(long, allow_hyphen_values = true)]
    pub note: String,
    /// YYYY-MM-DD (default today).
    #[arg(long, value_parser = crate::period::cli_date)]
    pub date: Option<NaiveDate>,
}

/// `CASE --to WHERE [--note N] [--date D]`: an escalation.
#[derive(clap::Args, Debug)]
pub struct EscalateArgs {
    /// The case number.
    pub case: String,
    /// district 到区 · city 到市 · beijing 进京 · criminal 民转刑
    #[arg(long)]
    pub to: crate::ledger::model::EscalateTo,
    #[arg(long, allow_hyphen_values = true)]
    pub note: Option<String>,
    /// YYYY-MM-DD (default today).
    #[arg(long, value_parser = crate::period::cli_date)]
    pub date: Option<NaiveDate>,
}

/// Appends an event with a note to an existing case (`resolve`, `refer`, …),
/// unless `refusal` gives a reason it makes no sense for the case's state.
pub fn note_event(
    ctx: &Context,
    ws: &Workspace,
    kind: crate::ledger::LedgerKind,
    a: NoteArgs,
    (action, label): (&str, &str),
    refusal: impl Fn(&Case) -> Option<&'static str>,
) -> Result<Outcome> {
    let note = filled("--note", &a.note)?;
    let d = date(ctx, a.date);
    let app = Appender::open_for(ws, kind, Some(&a.case))?;
    let (case, state) = existing_case(&app, &a.case, action)?;
    if let Some(why) = refusal(state) {
        return Err(Error::Refused(format!("cannot {action} {case}: {why}")));
    }
    let values =
        vec![(Col::Case, case.to_string()), (Col::Date, d.to_string()), (Col::Event, label.into()), (Col::Note, note)];
    write(ctx, ws, app, Some(case), values)
}

/// Appends an escalation of an existing case.
pub fn escalate(
    ctx: &Context,
    ws: &Workspace,
    kind: crate::ledger::LedgerKind,
    a: EscalateArgs,
    label: &str,
) -> Result<Outcome> {
    let d = date(ctx, a.date);
    let app = Appender::open_for(ws, kind, Some(&a.case))?;
    let (case, _) = existing_case(&app, &a.case, "escalate")?;
    let values = vec![
        (Col::Case, case.to_string()),
        (Col::Date, d.to_string()),
        (Col::Event, label.into()),
        (Col::Detail, a.to.label(ws.settings.lang).into()),
        (Col::Note, a.note.unwrap_or_default()),
    ];
    write(ctx, ws, app, Some(case), values)
}
