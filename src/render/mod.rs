//! Rendering: report values in, bytes out. Nothing here computes a figure.

pub mod chart;
pub mod district;
pub mod doc;
pub mod docx;
pub mod email;
mod grid;
pub mod html;
pub mod ics;
pub mod reports;
pub mod text;
pub mod xlsx;

pub use doc::{Cell, Doc, Section};

use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::rules::Finding;
use serde::Serialize;

/// `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned tables for the terminal (default).
    Table,
    Markdown,
    Csv,
    Json,
    /// An Excel workbook (with --output FILE.xlsx).
    Xlsx,
    /// A complete e-mail message for `sendmail -t`.
    Email,
    /// One self-contained web page, charts included, that prints on A4.
    Html,
    /// A Word document for the meeting, charts as pictures (with --output FILE.docx).
    Docx,
    /// An iCalendar file (schedule export).
    Ics,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Markdown => "markdown",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Xlsx => "xlsx",
            Format::Email => "email",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Ics => "ics",
        }
    }
}

/// How to render: the format and what some formats need.
#[derive(Clone, Debug)]
pub struct Options {
    pub format: Format,
    pub style: text::Style,
    pub lang: Lang,
    pub envelope: email::Envelope,
    /// Whether the output goes to a terminal (a workbook must not).
    pub to_terminal: bool,
}

/// Renders a town's report: the document `doc` makes, or, as JSON, the
/// report itself — so that JSON, which has no use for the document (the
/// 40,000 rows of a year's findings, each worded), never makes it. Both
/// carry the ledgers' 台账校验码 `heads` (SPEC §6.6).
pub fn render_report<T: Serialize>(
    doc: impl FnOnce() -> Doc,
    heads: crate::ledger::history::Heads,
    report: &T,
    o: &Options,
) -> Result<Vec<u8>> {
    match o.format {
        Format::Json => Ok(to_json(&WithLedgers { report, ledgers: &heads })),
        _ => render(&doc().with_ledgers(heads, o.lang), report, o),
    }
}

/// Renders a document; JSON is the caller's `Serialize` value.
pub fn render<T: Serialize>(doc: &Doc, json: &T, o: &Options) -> Result<Vec<u8>> {
    Ok(match o.format {
        Format::Table => text::table(doc, o.style).into_bytes(),
        Format::Markdown => text::markdown(doc).into_bytes(),
        Format::Csv => text::csv(doc).into_bytes(),
        Format::Json => match &doc.ledgers {
            // Every report names the ledgers it was made from (SPEC §6.6).
            Some((ledgers, _)) => to_json(&WithLedgers { report: json, ledgers }),
            None => to_json(json),
        },
        Format::Xlsx if o.to_terminal => {
            return Err(Error::Usage(
                o.lang
                    .t(
                        "--format xlsx 生成的是 Excel 工作簿：请加 --output 文件名.xlsx",
                        "--format xlsx writes a workbook: give --output FILE.xlsx",
                    )
                    .into(),
            ))
        }
        Format::Xlsx => xlsx::workbook(doc, o.lang)?,
        Format::Docx if o.to_terminal => {
            return Err(Error::Usage(
                o.lang
                    .t(
                        "--format docx 生成的是 Word 文档：请加 --output 文件名.docx",
                        "--format docx writes a Word document: give --output FILE.docx",
                    )
                    .into(),
            ))
        }
        Format::Docx => docx::document(doc, o.lang)?,
        Format::Email => email::email(doc, &o.envelope, o.lang)?,
        Format::Html => html::html(doc).into_bytes(),
        Format::Ics => {
            return Err(Error::Usage(
                o.lang
                    .t(
                        "--format ics 只用于 `schedule export`；报表可用 table、markdown、csv、json、xlsx、html、docx 或 email",
                        "--format ics is for `schedule export`; reports take table, markdown, csv, json, xlsx, html, docx or email",
                    )
                    .into(),
            ))
        }
    })
}

/// A report's JSON with the key `ledgers` after its own.
#[derive(Serialize)]
struct WithLedgers<'a, T: Serialize> {
    #[serde(flatten)]
    report: &'a T,
    ledgers: &'a crate::ledger::history::Heads,
}

/// Pretty JSON with a final newline.
pub fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    let mut v = serde_json::to_vec_pretty(value).expect("report values serialize");
    v.push(b'\n');
    v
}

/// `{"schema_version": 1, KEY: [...]}`: a list as a JSON document (every
/// object's keys in name order).
pub fn versioned<T: Serialize>(key: &str, items: &T) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    m.insert("schema_version".into(), serde_json::Value::from(1));
    m.insert(key.into(), serde_json::to_value(items).expect("report values serialize"));
    serde_json::Value::Object(m)
}

/// [`versioned`] for rows made as JSON objects (a list of them, or
/// [`RowsMadeAsWritten`]): borrowed, so that a listing's rows are not
/// copied once more to be written.
pub fn versioned_rows<'a, T: Serialize + ?Sized>(key: &'a str, rows: &'a T) -> Versioned<'a, T> {
    Versioned { key, items: rows }
}

/// A JSON list whose `count` items are made by `row` one at a time as
/// they are written, so that a long listing never holds them all.
pub struct RowsMadeAsWritten<F> {
    pub count: usize,
    pub row: F,
}

impl<F: Fn(usize) -> serde_json::Value> Serialize for RowsMadeAsWritten<F> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.count))?;
        for i in 0..self.count {
            seq.serialize_element(&(self.row)(i))?;
        }
        seq.end()
    }
}

/// See [`versioned_rows`].
pub struct Versioned<'a, T: ?Sized> {
    key: &'a str,
    items: &'a T,
}

impl<T: Serialize + ?Sized> Serialize for Versioned<'_, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        const VERSION: &str = "schema_version";
        let mut m = s.serialize_map(Some(2))?;
        if self.key < VERSION {
            m.serialize_entry(self.key, self.items)?;
            m.serialize_entry(VERSION, &1)?;
        } else {
            m.serialize_entry(VERSION, &1)?;
            m.serialize_entry(self.key, self.items)?;
        }
        m.end()
    }
}

/// `{"schema_version": 1, "findings": [...]}`.
#[derive(Serialize)]
pub struct FindingsJson<'a> {
    pub schema_version: u32,
    pub findings: &'a [Finding],
}

/// The findings as a table section.
pub fn findings_section(findings: &[Finding], lang: Lang) -> Section {
    let mut s = Section::new(
        lang.t("发现的问题", "Findings"),
        &[lang.t("级别", "severity"), lang.t("代码", "code"), lang.t("位置", "where"), lang.t("说明", "message")],
    )
    .when_empty(lang.t("没有发现问题。", "No findings."));
    // Errors first, then warnings, each in the order the rules found them.
    let mut ordered: Vec<&Finding> = findings.iter().collect();
    ordered.sort_by_key(|f| f.severity);
    for f in ordered {
        s.row(vec![f.severity.label(lang).into(), f.code.code().into(), f.place().into(), f.message.clone().into()]);
    }
    s
}

/// A one-line count of findings: "2 项错误，3 项警告".
pub fn findings_summary(findings: &[Finding], lang: Lang) -> String {
    use crate::rules::Severity;
    let errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
    let warnings = findings.len() - errors;
    match lang {
        Lang::Zh => format!("{errors} 项错误，{warnings} 项警告"),
        Lang::En => format!("{errors} error(s), {warnings} warning(s)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borrowed_rows_write_the_same_json_as_the_copied_document() {
        let rows = vec![serde_json::json!({"b": 1, "a": [2, "三"]}), serde_json::Value::Null];
        let made = RowsMadeAsWritten { count: rows.len(), row: |i: usize| rows[i].clone() };
        for key in ["cases", "events", "towns", "zones"] {
            assert_eq!(to_json(&versioned_rows(key, &rows)), to_json(&versioned(key, &rows)), "{key}");
            assert_eq!(to_json(&versioned_rows(key, &made)), to_json(&versioned(key, &rows)), "{key}");
        }
    }
}
