//! `qunli upgrade LEDGER`: an older ledger without the `ref` 关联 or
//! `detail` 细项 column gets it (SPEC §5.1) — the one command that writes a
//! ledger anew, and only at a person's request. The old file is kept as
//! `FILE.v1`, never deleted; the new one is recorded as the history.

use super::{Context, Outcome};
use crate::error::{Error, Result};
use crate::ledger::files;
use crate::ledger::history::{self, Walker};
use crate::ledger::model::{Col, LedgerKind};
use crate::ledger::reader;
use std::fs::OpenOptions;
use std::io::Read;

/// Add the ref/detail columns to an older ledger; the old file is kept as FILE.v1.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The ledger: visits, letters or disputes (or its file name).
    pub ledger: String,
}

pub fn run(args: Args, ctx: &Context) -> Result<Outcome> {
    let ws = ctx.workspace()?;
    let lang = ctx.lang(Some(&ws));
    let wanted = args.ledger.trim().trim_end_matches(".csv");
    let kind = LedgerKind::parse(wanted).ok_or_else(|| {
        Error::Usage(lang.pick(
            format!("不认识的台账 \"{}\"：请写 visits、letters 或 disputes", args.ledger),
            format!("unknown ledger \"{}\": write visits, letters or disputes", args.ledger),
        ))
    })?;
    let file_name = kind.file_name();
    let path = ws.path(file_name);
    let shown = crate::workspace::display_path(&path);
    let io = |e| Error::io(&path, e);
    let mut file = match files::open_no_follow(OpenOptions::new().read(true).append(true), &path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::Usage(lang.pick(
                format!("{shown} 还不存在：新建的台账自带“关联”和“细项”列，无需升级"),
                format!("{shown} does not exist yet: a new ledger has ref and detail from the start"),
            )))
        }
        Err(e) => return Err(io(e)),
    };
    file.lock().map_err(io)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(io)?;
    let refuse = |zh: String, en: String| Err(Error::Refused(lang.pick(zh, en)));

    let Some((header, _)) = reader::header_of(&bytes[..], kind) else {
        return refuse(format!("{shown} 没有可用的表头"), format!("{shown} has no usable header"));
    };
    let missing: Vec<Col> = [Col::Ref, Col::Detail].into_iter().filter(|c| header.position(*c) == usize::MAX).collect();
    if missing.is_empty() {
        return Ok(Outcome::output(
            lang.pick(
                format!("{shown} 已有“关联”和“细项”列，无需升级\n"),
                format!("{shown} has ref and detail already\n"),
            )
            .into_bytes(),
        ));
    }
    // Only a sound ledger whose history holds is written anew: nothing unchecked is vouched for.
    let mut problems = Vec::new();
    let (_, info) = reader::read_bytes(&bytes, &shown, kind, &mut problems, |_| {})?;
    if !problems.is_empty() || info.torn {
        return Err(Error::Invalid(problems));
    }
    let mut walker = Walker::for_ledger(&path);
    walker.feed(&bytes);
    let walked = walker.finish();
    if let Some(issue) = walked.issues.first() {
        return refuse(
            format!("{}；先核对并处理（qunli check），再升级", issue.describe(&shown, lang)),
            format!("{}; check and settle it (qunli check) before upgrading", issue.describe(&shown, lang)),
        );
    }
    let kept = ws.path(&format!("{file_name}.v1"));
    if kept.exists() || files::is_link(&kept) {
        return refuse(
            format!("{} 已经存在：它是上次升级保留的旧文件，不会被覆盖", kept.display()),
            format!("{} exists already: the old file of an earlier upgrade, never overwritten", kept.display()),
        );
    }

    // The same rows, each with the new empty columns at its end.
    let bom = bytes.starts_with("\u{feff}".as_bytes());
    let body = if bom { &bytes[3..] } else { &bytes[..] };
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(body);
    let mut w =
        csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).flexible(true).from_writer(Vec::new());
    let names: Vec<&str> = missing.iter().map(|c| kind.column(*c).header(ws.settings.lang)).collect();
    for (i, record) in rdr.byte_records().enumerate() {
        let mut record = record.map_err(|e| Error::Refused(e.to_string()))?;
        for name in &names {
            record.push_field(if i == 0 { name.as_bytes() } else { b"" });
        }
        w.write_byte_record(&record).map_err(|e| Error::Refused(e.to_string()))?;
    }
    let mut out = if bom { "\u{feff}".as_bytes().to_vec() } else { Vec::new() };
    out.extend(w.into_inner().map_err(|e| Error::Refused(e.to_string()))?);

    // The old file stays as FILE.v1 (its own bytes, by a second name); the new one takes its place whole.
    std::fs::hard_link(&path, &kept).map_err(|e| Error::io(&kept, e))?;
    if let Err(e) = files::replace_whole(&path, &out, true) {
        let _ = std::fs::remove_file(&kept);
        return Err(io(e));
    }
    drop(file);
    let now = chrono::Local::now().format("%Y%m%d%H%M%S").to_string();
    history::accept(&ws.dir, file_name, &now)?;
    crate::ledger::append::Appender::settle(&ws, kind)?;
    Ok(Outcome::output(
        lang.pick(
            format!(
                "已升级 {shown}：补上“{}”列；原文件保留为 {}；历史记录已按新文件记录（旧记录保留在 .qunli/ 中）\n",
                names.join("”“"),
                kept.display()
            ),
            format!(
                "upgraded {shown}: added the column(s) {}; the old file is kept as {}; the history now records the new \
                 file (the old record is kept in .qunli/)\n",
                names.join(", "),
                kept.display()
            ),
        )
        .into_bytes(),
    ))
}
