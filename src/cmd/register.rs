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
