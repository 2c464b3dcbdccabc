//! `qunli import`: an office's old register — a CSV file (UTF-8, or
//! GB18030/GBK as Excel saves it on Chinese Windows) or an Excel workbook
//! (`.xlsx`, `.xls`) — appended to a ledger, every row validated, all or
//! nothing (SPEC §7.6). Rows without a case number that open a case get the
//! next numbers; a row already in the ledger refuses the import, or is
//! skipped with `--skip-existing`, so the same file imported twice never
//! doubles a register.

use super::{Context, Outcome};
use crate::error::{Error, Problem, Result};
use crate::ledger::append::{Appender, Values};
use crate::ledger::files::FileId;
use crate::ledger::model::{CaseId, Col, DisputeEvent, LedgerKind, LetterEvent, VisitEvent};
use crate::ledger::reader::Header;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// Import an old register (CSV, or an Excel workbook) into a ledger, all or nothing.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The file: .csv (UTF-8 or GB18030/GBK), .xlsx or .xls, with a header row (English or Chinese column names).
    pub file: PathBuf,
    /// The ledger to append to.
    #[arg(long, value_parser = ["visits", "letters", "disputes"])]
    pub into: String,
    /// A CSV file's encoding (default: UTF-8 when it is valid UTF-8, else GB18030).
    #[arg(long, value_parser = ["gb18030", "gbk", "utf-8"])]
    pub encoding: Option<String>,
    /// The worksheet of a workbook (default: the first).
    #[arg(long)]
    pub sheet: Option<String>,
    /// Skip rows already in the ledger (every column equal) instead of refusing the import.
    #[arg(long)]
    pub skip_existing: bool,
}

/// A table read from the file: its header cells and its rows with their line (or Excel row).
struct Table {
    header: Vec<String>,
    rows: Vec<(u64, Vec<String>)>,
}

pub fn run(args: Args, ctx: &Context) -> Result<Outcome> {
    let ws = ctx.workspace()?;
    let lang = ctx.lang(Some(&ws));
    let kind = LedgerKind::parse(&args.into).expect("clap checked the value");
    let name = crate::workspace::display_path(&args.file);
    let ledger_path = ws.path(kind.file_name());
    let problem = |line: u64, message: String| Problem { file: name.clone(), line, message };

    // A ledger saved as GBK is converted in place: kept as FILE.gb18030, its rows imported anew.
    let converting = FileId::of(&args.file).is_some_and(|id| FileId::of(&ledger_path) == Some(id));
    let table = read_table(&args, &name, lang)?;
    let cells: Vec<&str> = table.header.iter().map(|c| c.trim_start_matches('\u{feff}').trim()).collect();
    let header = Header::parse(kind, &cells)
        .map_err(|errors| Error::Invalid(errors.into_iter().map(|e| problem(1, e)).collect()))?;
    let mut problems = Vec::new();
    let mut rows: Vec<(u64, Vec<String>)> = Vec::new();
    for (line, record) in table.rows {
        if record.iter().all(|c| c.trim().is_empty()) {
            continue; // the empty rows a spreadsheet leaves
        }
        if record.len() > header.len() && record[header.len()..].iter().any(|c| !c.trim().is_empty()) {
            problems.push(problem(
                line,
                lang.pick(
                    format!("有 {} 个字段，比表头多", record.len()),
                    format!("{} fields, more than the header has", record.len()),
                ),
            ));
            continue;
        }
        let field = |col: Col| record.get(header.position(col)).map_or("", |s| s.trim()).to_string();
        rows.push((line, kind.columns().iter().map(|c| field(c.col)).collect()));
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    if rows.is_empty() {
        return Err(Error::Usage(lang.pick(format!("{name}：没有可导入的行"), format!("{name}: no rows to import"))));
    }
    if converting {
        set_aside(&ws, kind, lang)?;
    }

    let mut app = Appender::open(&ws, kind)?;
    let ledger = app.name.clone();
    let columns = kind.columns();
    let at = |col: Col| columns.iter().position(|c| c.col == col).expect("every ledger has case, date, event");
    let (case_at, date_at, event_at) = (at(Col::Case), at(Col::Date), at(Col::Event));

    // What the ledger holds already, by the hash of each row (with and without its case number).
    let mut existing: HashMap<(bool, u64), u64> = HashMap::new();
    app.for_each_row(|raw| {
        let row: Vec<String> = columns.iter().map(|c| raw.text(c.col).to_string()).collect();
        existing.entry((true, row_hash(&row, None))).or_insert(raw.line);
        existing.entry((false, row_hash(&row, Some(case_at)))).or_insert(raw.line);
    })?;

    // Rows already there: refused, or skipped.
    let mut skipped = 0usize;
    let mut kept = Vec::new();
    for (line, row) in rows {
        let numbered = !row[case_at].is_empty();
        let key = if numbered { (true, row_hash(&row, None)) } else { (false, row_hash(&row, Some(case_at))) };
        match existing.get(&key) {
            Some(_) if args.skip_existing => skipped += 1,
            Some(there) => problems.push(problem(
                line,
                lang.pick(
                    format!("与 {ledger} 第 {there} 行完全相同（同一文件导入了两次？）；要跳过已有的行，加 --skip-existing"),
                    format!("the same as {ledger} line {there} (the same file imported twice?); add --skip-existing to skip such rows"),
                ),
            )),
            None => kept.push((line, row)),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }

    // Rows that open a case without a number get the next ones of their year, in order.
    let mut max: HashMap<u16, u32> = app.book.max_num.iter().copied().collect();
    for (_, row) in &kept {
        if let Some(c) = CaseId::parse(&row[case_at]) {
            let m = max.entry(c.year).or_insert(0);
            *m = (*m).max(c.num);
        }
    }
    let mut numbered = 0usize;
    for (_, row) in kept.iter_mut() {
        let year = crate::period::parse_date(&row[date_at]).map(|d| chrono::Datelike::year(&d) as u16);
        if row[case_at].is_empty() && opens(kind, &row[event_at]) {
            if let Some(year) = year {
                let n = max.entry(year).or_insert(0);
                *n += 1;
                row[case_at] = CaseId { kind, year, num: *n }.to_string();
                numbered += 1;
            }
        }
    }

    let lines: Vec<u64> = kept.iter().map(|(l, _)| *l).collect();
    let values: Vec<Values> = kept
        .into_iter()
        .map(|(_, row)| columns.iter().zip(row).filter(|(_, v)| !v.is_empty()).map(|(c, v)| (c.col, v)).collect())
        .collect();
    if values.is_empty() {
        return Ok(Outcome::output(
            lang.pick(
                format!("{name} 的 {skipped} 行都已在 {ledger} 中，没有导入任何行\n"),
                format!("all {skipped} row(s) of {name} are in {ledger} already; nothing imported\n"),
            )
            .into_bytes(),
        ));
    }
    let n = values.len();
    let appended = app.append_from(&values, &name, &lines)?;
    let (first, last) = (appended.first_line, appended.first_line + n as u64 - 1);
    let mut text = lang.pick(
        format!("已从 {name} 导入 {n} 行到 {ledger}（第 {first} 至 {last} 行）\n"),
        format!("imported {n} row(s) from {name} into {ledger} (lines {first} to {last})\n"),
    );
    if numbered > 0 {
        text.push_str(&lang.pick(
            format!("其中 {numbered} 行没有案号，已按顺序编号\n"),
            format!("{numbered} of them had no case number and were numbered in order\n"),
        ));
    }
    if skipped > 0 {
        text.push_str(&lang.pick(
            format!("跳过 {skipped} 行：它们已在 {ledger} 中\n"),
            format!("skipped {skipped} row(s) already in {ledger}\n"),
        ));
    }
    if converting {
        text.push_str(&lang.pick(
            format!("原来的 GBK 文件保留为 {ledger}.gb18030\n"),
            format!("the GBK original is kept as {ledger}.gb18030\n"),
        ));
    }
    Ok(Outcome { notes: appended.warnings, ..Outcome::output(text.into_bytes()) })
}

/// A row's hash over its columns, `skip` left out.
fn row_hash(row: &[String], skip: Option<usize>) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for (i, v) in row.iter().enumerate() {
        if Some(i) != skip {
            v.hash(&mut h);
        }
    }
    h.finish()
}

/// Whether the event (in either language) opens a case.
fn opens(kind: LedgerKind, event: &str) -> bool {
    match kind {
        LedgerKind::Visits => VisitEvent::parse(event) == Some(VisitEvent::Receive),
        LedgerKind::Letters => LetterEvent::parse(event) == Some(LetterEvent::Receive),
        LedgerKind::Disputes => DisputeEvent::parse(event) == Some(DisputeEvent::Open),
    }
}

/// Moves a GBK ledger and its history record aside, so its rows can be imported into a new one.
fn set_aside(ws: &crate::workspace::Workspace, kind: LedgerKind, lang: crate::lang::Lang) -> Result<()> {
    let path = ws.path(kind.file_name());
    let kept = ws.path(&format!("{}.gb18030", kind.file_name()));
    if kept.exists() {
        return Err(Error::Refused(lang.pick(
            format!("{} 已经存在，不会被覆盖", kept.display()),
            format!("{} exists already and is never overwritten", kept.display()),
        )));
    }
    std::fs::rename(&path, &kept).map_err(|e| Error::io(&path, e))?;
    let now = chrono::Local::now().format("%Y%m%d%H%M%S").to_string();
    crate::ledger::history::accept(&ws.dir, kind.file_name(), &now)
}

/// Reads the file as a table: a workbook's sheet, or CSV text.
fn read_table(args: &Args, name: &str, lang: crate::lang::Lang) -> Result<Table> {
    let ext = args.file.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    if matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "ods") {
        return read_workbook(&args.file, args.sheet.as_deref(), name, lang);
    }
    let bytes = std::fs::read(&args.file).map_err(|e| Error::io(&args.file, e))?;
    let utf8 = |bytes: Vec<u8>| {
        String::from_utf8(bytes).map_err(|_| {
            Error::Usage(lang.pick(
                format!("{name}：不是有效的 UTF-8；如果是 Excel 在中文 Windows 上保存的 CSV，加 --encoding gb18030"),
                format!("{name}: not valid UTF-8; for a CSV saved by Excel on Chinese Windows, add --encoding gb18030"),
            ))
        })
    };
    let gb18030 = |bytes: &[u8]| {
        let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
        if had_errors {
            return Err(Error::Usage(
                lang.pick(format!("{name}：不是有效的 GB18030 文本"), format!("{name}: not valid GB18030 text")),
            ));
        }
        Ok(text.into_owned())
    };
    let text = match args.encoding.as_deref() {
        Some("utf-8") => utf8(bytes)?,
        Some(_) => gb18030(&bytes)?,
        None if std::str::from_utf8(&bytes).is_ok() => utf8(bytes)?,
        None => gb18030(&bytes)?,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(text.as_bytes());
    let mut records = rdr.records();
    let header = match records.next() {
        Some(Ok(r)) => r.iter().map(str::to_string).collect(),
        Some(Err(e)) => {
            return Err(Error::Invalid(vec![Problem { file: name.into(), line: 1, message: e.to_string() }]))
        }
        None => {
            return Err(Error::Usage(lang.pick(format!("{name}：文件是空的"), format!("{name}: the file is empty"))))
        }
    };
    let mut rows = Vec::new();
    for record in records {
        let record =
            record.map_err(|e| Error::Invalid(vec![Problem { file: name.into(), line: 0, message: e.to_string() }]))?;
        let line = record.position().map_or(0, |p| p.line());
        rows.push((line, record.iter().map(str::to_string).collect()));
    }
    Ok(Table { header, rows })
}

/// A worksheet of an Excel workbook: the first, or the one named.
fn read_workbook(path: &Path, sheet: Option<&str>, name: &str, lang: crate::lang::Lang) -> Result<Table> {
    use calamine::Reader;
    let unreadable = |e: &dyn std::fmt::Display| {
        Error::Usage(
            lang.pick(format!("{name}：无法读取这个工作簿（{e}）"), format!("{name}: cannot read the workbook ({e})")),
        )
    };
    let mut wb = calamine::open_workbook_auto(path).map_err(|e| unreadable(&e))?;
    let names = wb.sheet_names();
    let chosen = match sheet {
        Some(s) if names.iter().any(|n| n == s) => s.to_string(),
        Some(s) => {
            let known = names.iter().map(String::as_str);
            return Err(Error::Usage(format!("--sheet: {}", crate::error::unknown("sheet", s, known))));
        }
        None => names.first().cloned().ok_or_else(|| unreadable(&"no worksheet"))?,
    };
    let range = wb.worksheet_range(&chosen).map_err(|e| unreadable(&e))?;
    let first_row = range.start().map_or(0, |(r, _)| r) as u64;
    let first_col = range.start().map_or(0, |(_, c)| c) as usize;
    let mut rows = range.rows().enumerate().map(|(i, r)| {
        let mut cells: Vec<String> = vec![String::new(); first_col];
        cells.extend(r.iter().map(cell_text));
        (first_row + i as u64 + 1, cells)
    });
    let (_, header) = rows.next().ok_or_else(|| unreadable(&"the sheet is empty"))?;
    Ok(Table { header, rows: rows.collect() })
}

/// A cell as text: numbers without a needless `.0`, dates as YYYY-MM-DD
/// (whether Excel stored a serial number or ISO text).
fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
        Data::Empty => String::new(),
    }
}
