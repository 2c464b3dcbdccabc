//! `list` and `show` for the three ledgers: cases one line each, or one
//! case's whole history. Personal names are masked unless `--show-names`.

use super::{Context, Outcome};
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::ledger::case::Case;
use crate::ledger::model::{mask_names, CaseId, Col, LedgerKind};
use crate::ledger::{reader, Book};
use crate::period::YearMonth;
use crate::render::{self, text, Cell, Doc, Section};
use crate::rules::overdue::overdue;
use crate::workspace::Workspace;
use serde_json::{Map, Value};
use std::collections::HashMap;

#[derive(clap::Args, Debug, Default)]
pub struct ListArgs {
    /// Cases started in this month (YYYY-MM).
    #[arg(long)]
    pub month: Option<YearMonth>,
    /// Only cases neither resolved nor voided.
    #[arg(long)]
    pub open: bool,
    /// Only cases past a deadline as of --as-of.
    #[arg(long)]
    pub overdue: bool,
    /// Only cases received by, assigned to or (letters) reviewed by this leader.
    #[arg(long)]
    pub leader: Option<String>,
    /// The village or community (村社区), as listed in qunli.toml.
    #[arg(long)]
    pub village: Option<String>,
    /// The category: one of the workspace's categories (类别).
    #[arg(long)]
    pub category: Option<String>,
    /// Every row instead of every case, with its line (to choose what to `undo`); sessions and screenings included.
    #[arg(long)]
    pub events: bool,
}

/// The status of a case in words: the most telling of its states.
pub fn status(case: &Case, kind: LedgerKind, lang: Lang) -> &'static str {
    use crate::ledger::model::DisputeLevel;
    if case.voided {
        return lang.t("已作废", "voided");
    }
    if case.is_resolved() {
        return match kind {
            LedgerKind::Letters => lang.t("已办结", "concluded"),
            _ => lang.t("已化解", "resolved"),
        };
    }
    if kind == LedgerKind::Visits && case.received_again() {
        return lang.t("再次来访", "received again");
    }
    if case.escalations > 0 {
        return lang.t("已上交", "escalated");
    }
    match kind {
        LedgerKind::Visits if case.assigned_on.is_some() => lang.t("已包案", "assigned"),
        LedgerKind::Visits if case.referred => lang.t("已转办", "referred"),
        LedgerKind::Letters if case.first_reply.is_some() => lang.t("已答复", "answered"),
        LedgerKind::Letters if case.first_review.is_some() => lang.t("已阅批", "reviewed"),
        LedgerKind::Letters => lang.t("待阅批", "awaiting review"),
        LedgerKind::Disputes if case.level == Some(DisputeLevel::Town) => lang.t("镇级调处中", "at town level"),
        LedgerKind::Disputes if case.mediated > 0 => lang.t("调处中", "being mediated"),
        _ if case.extended => lang.t("已延期", "extended"),
        _ => lang.t("办理中", "open"),
    }
}

/// A listing of a ledger with bad rows would be silently partial: refused, every problem named.
fn refuse_partial(problems: Vec<crate::error::Problem>) -> Result<()> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(problems))
    }
}

/// The personal-name column of a ledger.
fn personal_col(kind: LedgerKind) -> Col {
    match kind {
        LedgerKind::Visits => Col::Visitors,
        LedgerKind::Letters => Col::Sender,
        LedgerKind::Disputes => Col::Parties,
    }
}

pub fn list(kind: LedgerKind, args: ListArgs, ctx: &Context, ws: &Workspace) -> Result<Outcome> {
    let s = &ws.settings;
    let lang = ctx.lang(Some(ws));
    let as_of = ctx.as_of();
    let idx = |opt: &Option<String>, f: &dyn Fn(&str) -> Option<usize>, what: &str, known: Vec<&str>| {
        opt.as_deref()
            .map(|v| {
                f(v).map(|i| i as u16)
                    .ok_or_else(|| Error::Usage(format!("--{what}: {}", crate::error::unknown(what, v, known))))
            })
            .transpose()
    };
    let leader =
        idx(&args.leader, &|v| s.leader_index(v), "leader", s.leaders.iter().map(|l| l.name.as_str()).collect())?;
    let village =
        idx(&args.village, &|v| s.village_index(v), "village", s.villages.iter().map(String::as_str).collect())?;
    let category = idx(&args.category, &|v| s.category_index(v), "category", s.categories().collect())?;
    if args.events {
        return events(kind, &args, (leader, village), ctx, ws);
    }

    let mut problems = Vec::new();
    let path = ws.path(kind.file_name());
    // Only the cases of the month, village and category asked for are
    // folded (a listing shows no 台账校验码, so the history chain is not
    // walked either): memory is that of the cases it can show.
    let window = crate::ledger::Window { dates: args.month.map(|m| (m.first_day(), m.last_day())), village, category };
    let book = Book::load_window(s, &path, kind, Some(as_of), false, window, &mut problems)?;
    refuse_partial(std::mem::take(&mut problems))?;
    let reviewed_by: HashMap<u64, Vec<u16>> = book.reviews.iter().fold(HashMap::new(), |mut m, r| {
        m.entry(r.case.key()).or_default().push(r.leader);
        m
    });
    let chosen: Vec<usize> = book
        .cases
        .iter()
        .enumerate()
        .filter(|(_, c)| args.month.is_none_or(|m| m.contains(c.start)))
        .filter(|(_, c)| !args.open || c.is_open())
        .filter(|(_, c)| !args.overdue || !overdue(c, kind, s, as_of).is_empty())
        .filter(|(_, c)| village.is_none_or(|v| c.village == Some(v)))
        .filter(|(_, c)| category.is_none_or(|v| c.category == Some(v)))
        .filter(|(_, c)| {
            leader.is_none_or(|l| {
                c.leader == Some(l)
                    || c.assigned_leader == Some(l)
                    || reviewed_by.get(&c.id.key()).is_some_and(|v| v.contains(&l))
            })
        })
        .map(|(i, _)| i)
        .collect();
    drop(reviewed_by);

    let col = |c: Col| kind.column(c).header(lang);
    let mut headers: Vec<(&'static str, &'static str)> =
        vec![(col(Col::Case), "case"), (lang.t("受理日期", "start"), "start")];
    match kind {
        LedgerKind::Visits => headers.extend([
            (col(Col::Leader), "leader"),
            (col(Col::Mode), "mode"),
            (col(Col::Village), "village"),
            (col(Col::Category), "category"),
            (col(Col::Visitors), "visitors"),
            (col(Col::Headcount), "headcount"),
            (lang.t("接待次数", "receptions"), "receptions"),
        ]),
        LedgerKind::Letters => headers.extend([
            (col(Col::Village), "village"),
            (col(Col::Category), "category"),
            (col(Col::Sender), "sender"),
            (col(Col::Signers), "signers"),
            (col(Col::Tone), "tone"),
            (lang.t("首次阅批", "first review"), "first_review"),
            (lang.t("首次答复", "first reply"), "first_reply"),
        ]),
        LedgerKind::Disputes => headers.extend([
            (col(Col::Village), "village"),
            (col(Col::Level), "level"),
            (col(Col::Category), "category"),
            (col(Col::Parties), "parties"),
        ]),
    }
    headers.extend([
        (col(Col::Summary), "summary"),
        (lang.t("状态", "status"), "status"),
        (lang.t("期限", "deadline"), "deadline"),
        (lang.t("逾期", "overdue"), "overdue"),
    ]);
    let count = chosen.len();
    let section = Section::new("", &headers.iter().map(|h| h.0).collect::<Vec<_>>())
        .when_empty(lang.t("没有符合条件的记录。", "No matching cases."));
    let mut doc = Doc {
        title: format!("{} {}", s.township, lang.t(kind.title_zh(), kind.en())),
        lines: vec![lang.pick(format!("共 {count} 件"), format!("{count} case(s)"))],
        sections: vec![section],
        ..Doc::default()
    };
    let options = ctx.render_options(lang, Some(ws));
    let first_rows = FirstRows::new(&book, &chosen, path, kind);
    let mut listing = Listing {
        settings: s.clone(),
        kind,
        lang,
        as_of,
        show_names: ctx.global.show_names,
        headers,
        chosen,
        first_rows,
        book,
        kept: None,
    };
    // CSV, JSON and Markdown are written a row at a time as they are made,
    // a long table a part at a time, the texts read a stretch of the file at a
    // time: memory does not grow with the rows printed (SPEC §9).
    match options.format {
        render::Format::Csv => {
            let head = render::render(&doc, &Value::Null, &options)?;
            let stream: super::Stream = Box::new(move |w| {
                w.write_all(&head)?;
                let mut out = csv::WriterBuilder::new().flexible(true).from_writer(w);
                for i in 0..listing.chosen.len() {
                    let cells = listing.cells_named(i)?;
                    out.write_record(cells.iter().map(render::text::csv_field))?;
                }
                out.flush()
            });
            Ok(Outcome { stream: Some(stream), private: true, ..Default::default() })
        }
        render::Format::Json => {
            let stream: super::Stream = Box::new(move |w| {
                let failed = std::cell::RefCell::new(None);
                let listing = std::cell::RefCell::new(listing);
                let rows = render::RowsMadeAsWritten {
                    count,
                    row: |i: usize| {
                        let mut listing = listing.borrow_mut();
                        let cells = listing.cells_named(i).unwrap_or_else(|e| {
                            failed.borrow_mut().get_or_insert(e);
                            Vec::new()
                        });
                        let obj: Map<String, Value> = listing
                            .headers
                            .iter()
                            .zip(cells)
                            .map(|((_, key), cell)| (key.to_string(), cell_json(&cell)))
                            .collect();
                        Value::Object(obj)
                    },
                };
                serde_json::to_writer_pretty(&mut *w, &render::versioned_rows("cases", &rows))?;
                if let Some(e) = failed.into_inner() {
                    return Err(e);
                }
                w.write_all(b"\n")
            });
            Ok(Outcome { stream: Some(stream), private: true, ..Default::default() })
        }
        render::Format::Markdown if count > 0 => {
            // The document with its first row, then the others as they are made.
            doc.sections[0].row(listing.cells(0).map_err(|e| Error::io(&listing.first_rows.path, e))?);
            let mut head = render::text::markdown(&doc);
            head.pop(); // the blank line after the table comes at the end
            let stream: super::Stream = Box::new(move |w| {
                w.write_all(head.as_bytes())?;
                for i in 1..count {
                    w.write_all(render::text::markdown_row(&listing.cells_named(i)?).as_bytes())?;
                }
                w.write_all(b"\n")
            });
            Ok(Outcome { stream: Some(stream), private: true, ..Default::default() })
        }
        render::Format::Table if count > FirstRows::AT_ONCE => {
            // A long table is laid out as a whole from its widest cells
            // (a first pass), then written a part at a time.
            let style = options.style;
            let width = style.width;
            let stream: super::Stream = Box::new(move |w| {
                let layout = listing.narrow(&mut doc, width)?;
                let (parts, head) = render::text::TableInParts::new(&doc.sections[0].headers, style, &layout);
                w.write_all(render::text::before_the_table(&doc, style).as_bytes())?;
                w.write_all(head.as_bytes())?;
                let mut rows = Vec::with_capacity(FirstRows::AT_ONCE);
                for i in 0..count {
                    rows.push(listing.cells_named(i)?);
                    if rows.len() == FirstRows::AT_ONCE || i + 1 == count {
                        w.write_all(parts.part(std::mem::take(&mut rows)).as_bytes())?;
                    }
                }
                w.write_all(parts.bottom().as_bytes())
            });
            Ok(Outcome { stream: Some(stream), private: true, ..Default::default() })
        }
        _ => {
            if options.format == render::Format::Table && count > 0 && options.style.width.is_some() {
                listing.narrow(&mut doc, options.style.width).map_err(|e| Error::io(&listing.first_rows.path, e))?;
            }
            for i in 0..count {
                let cells = listing.cells(i).map_err(|e| Error::io(&listing.first_rows.path, e))?;
                doc.sections[0].row(cells);
            }
            let output = render::render(&doc, &Value::Null, &options)?;
            Ok(Outcome { output, private: true, ..Default::default() })
        }
    }
}

/// What a listing's rows are made of: the folded cases chosen, and the
/// texts of their first rows.
struct Listing {
    book: Book,
    /// Places in `book.cases`, in the order they were opened.
    chosen: Vec<usize>,
    settings: crate::config::Settings,
    kind: LedgerKind,
    lang: Lang,
    as_of: chrono::NaiveDate,
    show_names: bool,
    /// (column, JSON key)
    headers: Vec<(&'static str, &'static str)>,
    first_rows: FirstRows,
    /// The columns shown, when a narrow terminal leaves some out ([`Listing::narrow`]).
    kept: Option<Vec<usize>>,
}

impl Listing {
    /// [`Listing::cells`], a failure naming the ledger (for output written
    /// as it is made, whose errors are told once it stops).
    fn cells_named(&mut self, i: usize) -> std::io::Result<Vec<Cell>> {
        self.cells(i).map_err(|e| {
            let path = crate::workspace::display_path(&self.first_rows.path);
            std::io::Error::new(e.kind(), format!("{path}: {e}"))
        })
    }

    /// The cells of the `i`-th chosen case (asked for in order).
    fn cells(&mut self, i: usize) -> std::io::Result<Vec<Cell>> {
        let (s, kind, lang) = (&self.settings, self.kind, self.lang);
        let c = &self.book.cases[self.chosen[i]];
        let (names, summary) = self.first_rows.get(i)?;
        let names = if self.show_names { names.clone() } else { mask_names(names) };
        let late = overdue(c, kind, s, self.as_of);
        let deadline = match kind {
            LedgerKind::Disputes => c.start + chrono::Duration::days(s.rules.handle_within_days),
            _ => c.deadline.unwrap_or(c.handle_deadline(&s.rules)).min(c.handle_deadline(&s.rules)),
        };
        let name_of =
            |v: Option<u16>, names: &dyn Fn(usize) -> String| v.map(|i| names(i as usize)).unwrap_or_default();
        let leader_name = |i: usize| s.leaders.get(i).map(|l| l.name.clone()).unwrap_or_default();
        let village_name = |i: usize| s.villages.get(i).cloned().unwrap_or_default();
        let category_name = |i: usize| s.category_name(i).to_string();
        let mut cells: Vec<Cell> = vec![c.id.to_string().into(), c.start.into()];
        match kind {
            LedgerKind::Visits => cells.extend([
                name_of(c.leader, &leader_name).into(),
                c.mode.map(|m| m.label(lang)).unwrap_or_default().into(),
                name_of(c.village, &village_name).into(),
                name_of(c.category, &category_name).into(),
                names.into(),
                Cell::Int(c.first_headcount as i64),
                Cell::Int(c.receptions as i64),
            ]),
            LedgerKind::Letters => cells.extend([
                name_of(c.village, &village_name).into(),
                name_of(c.category, &category_name).into(),
                names.into(),
                Cell::Int(c.signers as i64),
                c.tone.map(|t| t.label(lang)).unwrap_or_default().into(),
                c.first_review.into(),
                c.first_reply.into(),
            ]),
            LedgerKind::Disputes => cells.extend([
                name_of(c.village, &village_name).into(),
                c.level.map(|l| l.label(lang)).unwrap_or_default().into(),
                name_of(c.category, &category_name).into(),
                names.into(),
            ]),
        }
        cells.extend([
            summary.clone().into(),
            status(c, kind, lang).into(),
            Cell::Date(deadline),
            late.iter().map(|o| format!("{} +{}", o.code.code(), o.days_over)).collect::<Vec<_>>().join(" ").into(),
        ]);
        if let Some(kept) = &self.kept {
            cells = kept.iter().filter_map(|&i| cells.get(i).cloned()).collect();
        }
        Ok(cells)
    }

    /// Lays out the table of every chosen case; in a terminal too narrow
    /// for all its columns, keeps those that can be read — the case, its
    /// dates and status first, the names of the people last
    /// ([`text::columns_that_fit`]) — and says in `doc` which are left out.
    fn narrow(&mut self, doc: &mut Doc, width: Option<u16>) -> std::io::Result<text::Layout> {
        let mut layout = text::Layout::default();
        for i in 0..self.chosen.len() {
            layout.add(&self.cells_named(i)?);
        }
        let Some(width) = width else { return Ok(layout) };
        let names: Vec<&str> = self.headers.iter().map(|h| h.0).collect();
        let priority: Vec<usize> =
            NARROW_ORDER.iter().filter_map(|key| self.headers.iter().position(|h| h.1 == *key)).collect();
        let Some(kept) = text::columns_that_fit(&names, &layout.widest_lines(), width.into(), &priority) else {
            return Ok(layout);
        };
        let left_out: Vec<&str> = (0..names.len()).filter(|i| !kept.contains(i)).map(|i| names[i]).collect();
        let lang = self.lang;
        doc.lines.push(lang.pick(
            format!("终端宽 {width} 列，未显示：{}。", left_out.join("、")),
            format!("The terminal is {width} columns wide; not shown: {}.", left_out.join(", ")),
        ));
        doc.lines.push(
            lang.t("加宽终端，或用 --format csv 查看全部列。", "Widen it, or use --format csv for every column.")
                .into(),
        );
        let kept_names: Vec<&str> = kept.iter().map(|&i| names[i]).collect();
        let note = doc.sections[0].empty_note.clone();
        doc.sections[0] = Section { empty_note: note, ..Section::new("", &kept_names) };
        let layout = layout.select(&kept);
        self.kept = Some(kept);
        Ok(layout)
    }
}

/// The columns of a listing by what a clerk needs most, by JSON key: in
/// a narrow terminal they are shown while they fit, in this order.
const NARROW_ORDER: [&str; 20] = [
    "case",
    "start",
    "status",
    "deadline",
    "overdue",
    "leader",
    "village",
    "category",
    "summary",
    "first_review",
    "first_reply",
    "level",
    "tone",
    "mode",
    "signers",
    "headcount",
    "receptions",
    "visitors",
    "sender",
    "parties",
];

/// The names and the summary of each chosen case's first row, read back a
/// few thousand cases at a time from the stretch of the file that holds
/// their first rows (the blocks the first read began at say where it
/// lies), each row found by its line and checked to be of its case.
struct FirstRows {
    path: std::path::PathBuf,
    kind: LedgerKind,
    header: Option<reader::Header>,
    blocks: Vec<(u64, u64)>,
    complete_len: u64,
    /// The first line and number of each chosen case, in the listing's order.
    wanted: Vec<(u64, CaseId)>,
    /// The texts of the cases from `at` on.
    at: usize,
    texts: Vec<(String, String)>,
}

impl FirstRows {
    /// Cases whose texts are held at once.
    const AT_ONCE: usize = 4096;

    fn new(book: &Book, chosen: &[usize], path: std::path::PathBuf, kind: LedgerKind) -> FirstRows {
        FirstRows {
            path,
            kind,
            header: book.header.clone(),
            blocks: book.info.blocks.clone(),
            complete_len: book.info.complete_len,
            wanted: chosen.iter().map(|&i| (book.cases[i].line(), book.cases[i].id)).collect(),
            at: 0,
            texts: Vec::new(),
        }
    }

    /// The texts of the `i`-th case.
    fn get(&mut self, i: usize) -> std::io::Result<&(String, String)> {
        if i < self.at || i >= self.at + self.texts.len() {
            self.read_from(i)?;
        }
        Ok(&self.texts[i - self.at])
    }

    /// Reads the texts of the cases from the `from`-th on.
    fn read_from(&mut self, from: usize) -> std::io::Result<()> {
        let part = &self.wanted[from..(from + Self::AT_ONCE).min(self.wanted.len())];
        let mut texts: Vec<(String, String)> = vec![Default::default(); part.len()];
        let (first, last) = (part.iter().map(|w| w.0).min(), part.iter().map(|w| w.0).max());
        let (Some(first), Some(last), Some(header)) = (first, last, &self.header) else {
            (self.at, self.texts) = (from, texts);
            return Ok(());
        };
        let file = match reader::open_locked(&self.path) {
            Ok(Some(f)) => f,
            Ok(None) => return Err(std::io::ErrorKind::NotFound.into()),
            Err(e) => return Err(std::io::Error::other(e.to_string())),
        };
        let blocks = &self.blocks;
        let start = blocks.iter().rev().find(|(line, _)| *line <= first).copied().unwrap_or((1, 0));
        let end = blocks.iter().find(|(line, _)| *line > last).map_or(self.complete_len, |&(_, byte)| byte);
        let mut order: Vec<usize> = (0..part.len()).collect();
        order.sort_unstable_by_key(|&k| part[k].0);
        let personal = personal_col(self.kind);
        let mut next = order.iter().peekable();
        reader::rows_between(&file, header, start, end, |raw| {
            while next.peek().is_some_and(|&&k| part[k].0 < raw.line) {
                next.next();
            }
            let Some(&&k) = next.peek() else { return };
            if part[k].0 == raw.line && CaseId::parse_bytes(raw.bytes(Col::Case)) == Some(part[k].1) {
                texts[k] = (raw.text(personal).to_string(), raw.text(Col::Summary).to_string());
            }
        })?;
        (self.at, self.texts) = (from, texts);
        Ok(())
    }
}

fn cell_json(cell: &Cell) -> Value {
    match cell {
        Cell::Text(s) if s.is_empty() => Value::Null,
        Cell::Text(s) => Value::String(s.clone()),
        Cell::Int(n) => Value::from(*n),
        Cell::Rate(r) => r.map_or(Value::Null, Value::from),
        Cell::Score(x) => Value::from(*x),
        Cell::Date(d) => Value::String(d.to_string()),
        Cell::Empty => Value::Null,
    }
}

pub fn show(kind: LedgerKind, case: &str, ctx: &Context, ws: &Workspace) -> Result<Outcome> {
    let s = &ws.settings;
    let lang = ctx.lang(Some(ws));
    let as_of = ctx.as_of();
    let id = CaseId::parse(case).filter(|c| c.kind == kind).ok_or_else(|| super::register::not_a_case(case, kind))?;
    let path = ws.path(kind.file_name());
    let mut problems = Vec::new();
    let book = Book::load_with(s, &path, kind, Some(as_of), false, &mut problems)?;
    refuse_partial(std::mem::take(&mut problems))?;
    let Some(state) = book.case(id) else {
        return Err(Error::Usage(
            lang.pick(format!("{} 中没有事项 {id}", book.file), format!("no case {id} in {}", book.file)),
        ));
    };
    let shown: Vec<&crate::ledger::model::ColumnDef> = kind.columns().iter().filter(|c| c.col != Col::Case).collect();
    // Each row of the case: (date, line, cells, JSON), shown by date, then line.
    let mut rows: Vec<(String, u64, Vec<Cell>, Value)> = Vec::new();
    let mut opened = false;
    reader::read(&path, kind, &mut Vec::new(), |raw| {
        if CaseId::parse_bytes(raw.bytes(Col::Case)) != Some(id) {
            return;
        }
        // A `receive` after the opening row is a repeat reception (重复访).
        let repeat = kind == LedgerKind::Visits
            && opened
            && crate::ledger::model::VisitEvent::parse(raw.text(Col::Event))
                == Some(crate::ledger::model::VisitEvent::Receive);
        opened = true;
        let mut cells = vec![Cell::Int(raw.line as i64)];
        let mut obj = Map::new();
        obj.insert("line".into(), Value::from(raw.line));
        for c in &shown {
            let text = raw.text(c.col);
            let text = if c.personal && !ctx.global.show_names { mask_names(text) } else { text.to_string() };
            obj.insert(c.en.into(), if text.is_empty() { Value::Null } else { Value::String(text.clone()) });
            let text =
                if c.col == Col::Event && repeat { lang.t("再次来访", "received again").to_string() } else { text };
            cells.push(text.into());
        }
        if repeat {
            obj.insert("repeat".into(), Value::Bool(true));
        }
        rows.push((raw.text(Col::Date).to_string(), raw.line, cells, Value::Object(obj)));
    })?;
    rows.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    // Rows undone stay in the history, marked 已撤销 with the reason (SPEC §5.1).
    let event_at = 1 + shown.iter().position(|c| c.col == Col::Event).unwrap_or(0);
    let (ref_at, note_at) = (
        shown.iter().position(|c| c.col == Col::Ref).map(|i| i + 1),
        shown.iter().position(|c| c.col == Col::Note).map(|i| i + 1),
    );
    let undone: HashMap<u64, (u64, String)> = rows
        .iter()
        .filter(|(_, line, _, _)| book.undos.seen.iter().any(|(u, _)| u == line))
        .filter_map(|(_, line, cells, _)| {
            let target = ref_at.and_then(|i| cells.get(i)).map(Cell::display)?.parse().ok()?;
            let note = note_at.and_then(|i| cells.get(i)).map(Cell::display).unwrap_or_default();
            Some((target, (*line, note)))
        })
        .collect();
    for (_, line, cells, obj) in rows.iter_mut() {
        if let Some((by, note)) = undone.get(line) {
            if let Some(cell) = cells.get_mut(event_at) {
                *cell = lang
                    .pick(
                        format!("{}（已撤销：{note}）", cell.display()),
                        format!("{} (undone: {note})", cell.display()),
                    )
                    .into();
            }
            if let Value::Object(m) = obj {
                m.insert("undone_by".into(), Value::from(*by));
                m.insert("undo_note".into(), Value::String(note.clone()));
            }
        }
    }
    let mut section: Option<Section> = None;
    let mut json = Vec::new();
    for (_, _, cells, obj) in rows {
        let sec = section.get_or_insert_with(|| {
            let mut h = vec![lang.t("行", "line")];
            h.extend(shown.iter().map(|c| c.header(lang)));
            Section::new(lang.t("全部记录（按日期）", "History (by date)"), &h)
        });
        sec.row(cells);
        json.push(obj);
    }
    let late = overdue(state, kind, s, as_of);
    let mut lines = vec![
        format!("{}：{}", lang.t("状态", "Status"), status(state, kind, lang)),
        format!("{}：{}", lang.t("受理日期", "Started"), state.start),
        format!("{}：{}", lang.t("办理期限", "Statutory deadline"), state.handle_deadline(&s.rules)),
    ];
    if let Some(d) = state.deadline {
        lines.push(format!("{}：{}", lang.t("包案化解时限", "Assigned deadline"), d));
    }
    for o in &late {
        lines.push(lang.pick(
            format!("逾期（{}）：期限 {}，已超 {} 天", o.code.code(), o.deadline, o.days_over),
            format!("Overdue ({}): deadline {}, {} day(s) over", o.code.code(), o.deadline, o.days_over),
        ));
    }
    let doc = Doc { title: format!("{id}"), lines, sections: section.into_iter().collect(), ..Doc::default() };
    let mut top = Map::new();
    top.insert("schema_version".into(), Value::from(1));
    top.insert("case".into(), Value::String(id.to_string()));
    top.insert("status".into(), Value::String(status(state, kind, Lang::En).into()));
    top.insert("start".into(), Value::String(state.start.to_string()));
    top.insert("overdue".into(), serde_json::to_value(&late).unwrap_or(Value::Null));
    top.insert("events".into(), Value::Array(json));
    let output = render::render(&doc, &Value::Object(top), &ctx.render_options(lang, Some(ws)))?;
    Ok(Outcome { output, private: true, ..Default::default() })
}

/// `list --events`: every row with its line, undone rows marked, names left out.
fn events(
    kind: LedgerKind,
    args: &ListArgs,
    (leader, village): (Option<u16>, Option<u16>),
    ctx: &Context,
    ws: &Workspace,
) -> Result<Outcome> {
    let s = &ws.settings;
    let lang = ctx.lang(Some(ws));
    let path = ws.path(kind.file_name());
    let mut problems = Vec::new();
    let book = Book::load(s, &path, kind, None, &mut problems)?;
    refuse_partial(problems)?;
    let cols: Vec<Col> = [Col::Date, Col::Event, Col::Case, Col::Leader, Col::Village, Col::Ref, Col::Note]
        .into_iter()
        .filter(|c| kind.columns().iter().any(|d| d.col == *c))
        .collect();
    let mut headers = vec![lang.t("行", "line")];
    headers.extend(cols.iter().map(|c| kind.column(*c).header(lang)));
    let mut section = Section::new(lang.t("全部记录", "Rows"), &headers).when_empty(lang.t("没有记录。", "No rows."));
    let mut json = Vec::new();
    let leader_name = leader.and_then(|l| s.leaders.get(l as usize)).map(|l| l.name.as_str());
    let village_name = village.and_then(|v| s.villages.get(v as usize)).map(String::as_str);
    reader::read(&path, kind, &mut Vec::new(), |raw| {
        let date = raw.text(Col::Date);
        if args.month.is_some_and(|m| !date.starts_with(&m.to_string()))
            || leader_name.is_some_and(|l| raw.text(Col::Leader) != l)
            || village_name.is_some_and(|v| raw.text(Col::Village) != v)
        {
            return;
        }
        let mut cells = vec![Cell::Int(raw.line as i64)];
        let mut obj = Map::new();
        obj.insert("line".into(), Value::from(raw.line));
        for c in &cols {
            let text = raw.text(*c).to_string();
            obj.insert(
                kind.column(*c).en.into(),
                if text.is_empty() { Value::Null } else { Value::String(text.clone()) },
            );
            let text = match (c, book.undos.targets.get(&raw.line)) {
                (Col::Event, Some(by)) if book.undos.dropped.contains_key(&raw.line) => {
                    obj.insert("undone_by".into(), Value::from(*by));
                    lang.pick(format!("{text}（已由第 {by} 行撤销）"), format!("{text} (undone by line {by})"))
                }
                _ => text,
            };
            cells.push(text.into());
        }
        section.row(cells);
        json.push(Value::Object(obj));
    })?;
    let doc = Doc {
        title: lang.pick(
            format!("{} 全部记录（行号用于 qunli {} undo）", kind.title_zh(), kind.en().trim_end_matches('s')),
            format!(
                "{}: every row (the line is what `qunli {} undo` takes)",
                kind.en(),
                kind.en().trim_end_matches('s')
            ),
        ),
        lines: vec![],
        sections: vec![section],
        ..Doc::default()
    };
    let output = render::render(&doc, &render::versioned("events", &json), &ctx.render_options(lang, Some(ws)))?;
    Ok(Outcome { output, private: true, ..Default::default() })
}
