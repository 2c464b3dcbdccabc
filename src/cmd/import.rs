//! `qunli import`: rows from a GB18030/GBK (or UTF-8) CSV file, validated
//! and appended all or nothing.

use super::{Context, Outcome};
use crate::error::{Error, Problem, Result};
use crate::ledger::append::{Appender, Values};
use crate::ledger::reader::Header;
use crate::ledger::LedgerKind;
use std::path::PathBuf;

/// Import rows from a CSV file saved by Excel on Chinese Windows.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The CSV file, with a header row (English or Chinese column names).
    pub file: PathBuf,
    /// The ledger to append to.
    #[arg(long, value_parser = ["visits", "letters", "disputes"])]
    pub into: String,
    /// The file's encoding.
    #[arg(long, default_value = "gb18030", value_parser = ["gb18030", "gbk", "utf-8"])]
    pub encoding: String,
}

pub fn run(args: Args, ctx: &Context) -> Result<Outcome> {
    let ws = ctx.workspace()?;
    let kind = LedgerKind::parse(&args.into).expect("clap checked the value");
    let name = crate::workspace::display_path(&args.file);
    let bytes = std::fs::read(&args.file).map_err(|e| Error::io(&args.file, e))?;
    let text = match args.encoding.as_str() {
        "utf-8" => String::from_utf8(bytes)
            .map_err(|_| Error::Usage(format!("{name}: not valid UTF-8; try --encoding gb18030")))?,
        _ => {
            let (text, _, had_errors) = encoding_rs::GB18030.decode(&bytes);
            if had_errors {
                return Err(Error::Usage(format!("{name}: not valid GB18030 text")));
            }
            text.into_owned()
        }
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(text.as_bytes());
    let mut records = rdr.records();
    let problem = |line: u64, message: String| Problem { file: name.clone(), line, message };
    let header_record = match records.next() {
        Some(Ok(r)) => r,
        Some(Err(e)) => return Err(Error::Invalid(vec![problem(1, e.to_string())])),
        None => return Err(Error::Usage(format!("{name}: the file is empty"))),
    };
    let cells: Vec<&str> = header_record.iter().map(|c| c.trim_start_matches('\u{feff}').trim()).collect();
    let header = Header::parse(kind, &cells)
        .map_err(|errors| Error::Invalid(errors.into_iter().map(|e| problem(1, e)).collect()))?;
    let mut rows: Vec<Values> = Vec::new();
    let mut lines = Vec::new();
    let mut problems = Vec::new();
    for record in records {
        let record = record.map_err(|e| Error::Invalid(vec![problem(0, e.to_string())]))?;
        let line = record.position().map_or(0, |p| p.line());
        if record.len() != header.len() {
            problems.push(problem(
                line,
                format!("expected {} fields as in the header, found {}", header.len(), record.len()),
            ));
            continue;
        }
        rows.push(
            kind.columns()
                .iter()
                .map(|c| (c.col, record.get(header.position(c.col)).unwrap_or("").trim().to_string()))
                .collect(),
        );
        lines.push(line);
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    if rows.is_empty() {
        return Err(Error::Usage(format!("{name}: no rows to import")));
    }
    let app = Appender::open(&ws, kind)?;
    let ledger = app.name.clone();
    let appended = app.append_from(&rows, &name, &lines)?;
    let first = appended.first_line;
    let lang = ctx.lang(Some(&ws));
    let n = rows.len();
    Ok(Outcome {
        notes: appended.warnings,
        ..Outcome::output(
            lang.pick(
                format!("已从 {name} 导入 {n} 行到 {ledger}（第 {first} 至 {} 行）\n", first + n as u64 - 1),
                format!("imported {n} row(s) from {name} into {ledger} (lines {first} to {})\n", first + n as u64 - 1),
            )
            .into_bytes(),
        )
    })
}
