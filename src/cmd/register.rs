//! What `visit`, `letter` and `dispute` share when they append: checking
//! names and the case's state, and saying what was written.

use super::{Context, Outcome};
use crate::error::{unknown, Error, Result};
use crate::lang::Lang;
use crate::ledger::append::{Appender, Values};
use crate::ledger::case::Case;
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
        return Err(Error::Usage(
            crate::lang::messages().pick(format!("{option} 不能为空"), format!("{option} must not be empty")),
        ));
    }
    Ok(v.to_string())
}

/// The case `id` of this ledger as the ledger stands, or why it cannot take `action`.
pub fn existing_case<'b>(app: &'b Appender, id: &str, action: &str) -> Result<(CaseId, &'b Case)> {
    let case = CaseId::parse(id).filter(|c| c.kind == app.kind).ok_or_else(|| not_a_case(id, app.kind))?;
    let lang = crate::lang::messages();
    let state = app.book.case(case).ok_or_else(|| {
        Error::Refused(lang.pick(
            format!("{} 中没有事项 {case}", app.name),
            format!("cannot {action} {case}: no such case in {}", app.name),
        ))
    })?;
    if state.voided {
        return Err(Error::Refused(
            lang.pick(format!("事项 {case} 已作废"), format!("cannot {action} {case}: it was voided")),
        ));
    }
    Ok((case, state))
}

/// Whether a row starts work (a new case, a session, a screening) or
/// carries on a case, which may run into the year after the last covered.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Starts {
    Work,
    CarriesOn,
}

/// Refuses text that is not a case number of `kind`.
pub fn not_a_case(id: &str, kind: crate::ledger::LedgerKind) -> Error {
    let p = kind.prefix();
    Error::Usage(crate::lang::messages().pick(
        format!("“{id}”不是案号；案号形如 {p}2022-0001"),
        format!("\"{id}\" is not a case number like {p}2022-0001"),
    ))
}

/// The date of the new row: `--date`, else `--as-of`, else today; refused
/// when after today or after `--as-of`, or outside the covered years (SPEC §5.5).
pub fn date(ctx: &Context, ws: &Workspace, date: Option<NaiveDate>, starts: Starts) -> Result<NaiveDate> {
    use chrono::Datelike;
    let lang = ctx.lang(Some(ws));
    let d = date.unwrap_or_else(|| ctx.as_of());
    if d > ctx.today {
        return Err(Error::Usage(lang.pick(
            format!("--date {d} 晚于今天（{}）：只能登记已经发生的事", ctx.today),
            format!("--date {d} is after today ({}): only what has happened can be registered", ctx.today),
        )));
    }
    if let Some(a) = ctx.global.as_of.filter(|a| d > *a) {
        return Err(Error::Usage(
            lang.pick(format!("--date {d} 晚于 --as-of {a}"), format!("--date {d} is after --as-of {a}")),
        ));
    }
    let s = &ws.settings;
    let carried = starts == Starts::CarriesOn && s.covers(d.year() - 1) && d.year() == s.last_year() + 1;
    if !s.covers(d.year()) && !carried {
        return Err(s.not_covered(&format!("--date {d}"), d.year(), lang));
    }
    Ok(d)
}

/// Refuses a session or reception by a leader out of office on `d` (SPEC §4 `from`/`until`).
pub fn in_office(ws: &Workspace, leader: &str, d: NaiveDate) -> Result<()> {
    let Some(l) = ws.settings.leader(leader).filter(|l| !l.in_office(d)) else { return Ok(()) };
    let lang = crate::lang::messages();
    let term = format!(
        "{}–{}",
        l.from.map_or_else(String::new, |f| f.to_string()),
        l.until.map_or_else(String::new, |u| u.to_string())
    );
    Err(Error::Refused(lang.pick(
        format!("{leader} 在 {d} 不在任（任期 {term}，见 qunli.toml 的 from/until）"),
        format!("{leader} is not in office on {d} (term {term}, see from/until in qunli.toml)"),
    )))
}

/// Why an extension cannot be registered on `d`: a second one, or one after
/// the handling deadline has passed (条例第三十四条: extended before it runs out).
pub fn extend_refusal(state: &Case, d: NaiveDate, rules: &crate::config::RuleSettings) -> Option<String> {
    let lang = crate::lang::messages();
    if state.extended {
        return Some(lang.t("它已经延期过一次，只能延期一次", "it was already extended once").into());
    }
    let deadline = state.handle_deadline(rules);
    (d > deadline).then(|| {
        lang.pick(
            format!("办理期限 {deadline} 已过，延期须在期限届满前登记"),
            format!("its handling deadline {deadline} has passed; an extension is registered before it runs out"),
        )
    })
}

/// Refuses a repeat reception whose village or category is not the case's:
/// that is another matter, a new case.
pub fn same_matter(ws: &Workspace, case: &Case, village: &str, category: &str) -> Result<()> {
    let s = &ws.settings;
    let lang = crate::lang::messages();
    let was_village = case.village.and_then(|v| s.villages.get(v as usize)).map_or("", String::as_str);
    let was_category = case.category.map_or("", |c| s.category_name(c as usize));
    let mut differs = Vec::new();
    if was_village != village {
        differs.push(lang.pick(
            format!("村社区是 {was_village}，不是 {village}"),
            format!("its village is {was_village}, not {village}"),
        ));
    }
    if was_category != category {
        differs.push(lang.pick(
            format!("类别是 {was_category}，不是 {category}"),
            format!("its category is {was_category}, not {category}"),
        ));
    }
    if differs.is_empty() {
        return Ok(());
    }
    Err(Error::Refused(lang.pick(
        format!(
            "{} 不能登记为重复来访：{}。如果这是另一件事，请不带 --case 登记为新的事项",
            case.id,
            differs.join("；")
        ),
        format!(
            "{} cannot take this as a repeat reception: {}. If it is another matter, register it as a new case \
             (without --case)",
            case.id,
            differs.join("; ")
        ),
    )))
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
    /// A note: what was done, or why (备注).
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
    /// A note: what was done, or why (备注).
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
    refusal: impl Fn(&Case, NaiveDate) -> Option<String>,
) -> Result<Outcome> {
    let note = filled("--note", &a.note)?;
    let d = date(ctx, ws, a.date, Starts::CarriesOn)?;
    let app = Appender::open_for(ws, kind, Some(&a.case))?;
    let (case, state) = existing_case(&app, &a.case, action)?;
    if let Some(why) = refusal(state, d) {
        return Err(Error::Refused(
            crate::lang::messages()
                .pick(format!("{case} 不能登记“{label}”：{why}"), format!("cannot {action} {case}: {why}")),
        ));
    }
    let values =
        vec![(Col::Case, case.to_string()), (Col::Date, d.to_string()), (Col::Event, label.into()), (Col::Note, note)];
    write(ctx, ws, app, Some(case), values)
}

/// `LINE --note REASON [--date D]`: an undo.
#[derive(clap::Args, Debug)]
pub struct UndoArgs {
    /// The line of the row to cancel, as `show`, `list --events` and every FILE:LINE message give it.
    pub line: u64,
    /// Why it is cancelled (e.g. 录错了接访领导).
    #[arg(long, allow_hyphen_values = true)]
    pub note: String,
    /// YYYY-MM-DD (default today).
    #[arg(long, value_parser = crate::period::cli_date)]
    pub date: Option<NaiveDate>,
}

/// Appends an undo of the row at `a.line` (SPEC §5.1): refused for a row
/// that is not there, an undo, a row already undone, or the row that opened
/// its case (that is a `void`).
pub fn undo(ctx: &Context, ws: &Workspace, kind: crate::ledger::LedgerKind, a: UndoArgs) -> Result<Outcome> {
    let lang = crate::lang::messages();
    let note = filled("--note", &a.note)?;
    let d = date(ctx, ws, a.date, Starts::CarriesOn)?;
    // The whole read: it knows every undo row of the ledger.
    let mut app = Appender::open(ws, kind)?;
    let name = app.name.clone();
    let line = a.line;
    let refuse = |zh: String, en: String| Err(Error::Refused(lang.pick(zh, en)));
    let target = match app.row_at(line)? {
        Some(Ok(row)) => row,
        Some(Err(_)) => {
            return refuse(
                format!("{name}:{line} 这一行本身有错误（`qunli check` 会指出），不能撤销"),
                format!("{name}:{line} is itself not a valid row (`qunli check` names why); it cannot be undone"),
            )
        }
        None => return refuse(format!("{name} 没有第 {line} 行的记录"), format!("{name} has no row at line {line}")),
    };
    if target.event.undoes() {
        return refuse(
            format!("第 {line} 行是一条撤销记录，不能再撤销"),
            format!("line {line} is an undo; an undo cannot be undone"),
        );
    }
    if let Some(by) = app.book.undos.targets.get(&line) {
        return refuse(
            format!("第 {line} 行已由第 {by} 行撤销"),
            format!("line {line} was undone already, by line {by}"),
        );
    }
    if let Some(case) = target.case.and_then(|c| app.book.case(c)).filter(|c| c.line() == line) {
        return refuse(
            format!("第 {line} 行是事项 {} 的登记行，不能撤销；登记有误请用 void 作废整个事项", case.id),
            format!("line {line} opened case {}; a case registered in error is voided with `void`", case.id),
        );
    }
    let label = match kind {
        crate::ledger::LedgerKind::Visits => crate::ledger::model::VisitEvent::Undo.label(ws.settings.lang),
        crate::ledger::LedgerKind::Letters => crate::ledger::model::LetterEvent::Undo.label(ws.settings.lang),
        crate::ledger::LedgerKind::Disputes => crate::ledger::model::DisputeEvent::Undo.label(ws.settings.lang),
    };
    let values = vec![
        (Col::Case, target.case.map(|c| c.to_string()).unwrap_or_default()),
        (Col::Date, d.to_string()),
        (Col::Event, label.into()),
        (Col::Ref, line.to_string()),
        (Col::Note, note),
    ];
    write(ctx, ws, app, target.case, values)
}

/// `CASE --rating R [--date D]`: the person's rating of a concluded case.
#[derive(clap::Args, Debug)]
pub struct RateArgs {
    /// The case number.
    pub case: String,
    /// satisfied 满意 · basic 基本满意 · unsatisfied 不满意
    #[arg(long)]
    pub rating: crate::ledger::model::Rating,
    /// YYYY-MM-DD (default today).
    #[arg(long, value_parser = crate::period::cli_date)]
    pub date: Option<NaiveDate>,
}

/// Appends a rating (评价, SPEC §5.2): only of a case concluded on or
/// before its date; a later rating replaces an earlier one.
pub fn rate(
    ctx: &Context,
    ws: &Workspace,
    kind: crate::ledger::LedgerKind,
    a: RateArgs,
    label: &str,
) -> Result<Outcome> {
    let d = date(ctx, ws, a.date, Starts::CarriesOn)?;
    let app = Appender::open_for(ws, kind, Some(&a.case))?;
    let (case, state) = existing_case(&app, &a.case, "rate")?;
    let lang = crate::lang::messages();
    match state.resolved_on() {
        Some(on) if on <= d => {}
        Some(on) => {
            return Err(Error::Refused(lang.pick(
                format!("{case} 于 {on} 才办结，{d} 还不能评价"),
                format!("cannot rate {case} on {d}: it was concluded only on {on}"),
            )))
        }
        None => {
            return Err(Error::Refused(lang.pick(
                format!("{case} 还没有办结（化解），办结后才能登记群众评价"),
                format!("cannot rate {case}: it is not concluded yet; a rating is given after the case is resolved"),
            )))
        }
    }
    let values = vec![
        (Col::Case, case.to_string()),
        (Col::Date, d.to_string()),
        (Col::Event, label.into()),
        (Col::Detail, a.rating.label(ws.settings.lang).into()),
    ];
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
    let d = date(ctx, ws, a.date, Starts::CarriesOn)?;
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
