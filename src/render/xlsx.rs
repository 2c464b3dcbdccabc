//! A [`Doc`] as an Excel workbook: a summary sheet, then one sheet per
//! section; numbers as numbers, rates as percentages, dates as dates, and
//! text always as text (never a formula, SPEC §8.5).

use super::doc::{Cell, Doc};
use crate::error::{Error, Result};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::collections::HashSet;

fn width(s: &str) -> f64 {
    s.chars().map(|c| if c as u32 >= 0x2E80 { 2.0 } else { 1.0 }).sum()
}

fn sheet_name(title: &str, used: &mut HashSet<String>, n: usize) -> String {
    let clean: String =
        title.chars().filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\' | '\'')).take(28).collect();
    let mut name = if clean.trim().is_empty() { format!("Sheet{n}") } else { clean.trim().to_string() };
    let mut i = 2;
    while !used.insert(name.clone()) {
        name = format!("{}{}", clean.chars().take(26).collect::<String>(), i);
        i += 1;
    }
    name
}

fn xerr(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Usage(
        crate::lang::messages().pick(format!("无法生成工作簿：{e}"), format!("could not write the workbook: {e}")),
    )
}

pub fn workbook(doc: &Doc, lang: crate::lang::Lang) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let title_fmt = Format::new().set_bold().set_font_size(14);
    let pct = Format::new().set_num_format("0.0%");
    let score = Format::new().set_num_format("0.0");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let mut used = HashSet::new();

    let summary = wb.add_worksheet();
    summary.set_name(sheet_name(lang.t("概要", "Summary"), &mut used, 0)).map_err(xerr)?;
    summary.write_string_with_format(0, 0, &doc.title, &title_fmt).map_err(xerr)?;
    for (i, l) in doc.lines.iter().enumerate() {
        summary.write_string(i as u32 + 2, 0, l).map_err(xerr)?;
    }
    if let Some(f) = doc.footer() {
        summary.write_string(doc.lines.len() as u32 + 3, 0, f).map_err(xerr)?;
    }
    let widest = doc.lines.iter().map(|l| width(l)).fold(width(&doc.title), f64::max);
    summary.set_column_width(0, widest.min(120.0) + 2.0).map_err(xerr)?;

    for (n, s) in doc.sections.iter().enumerate() {
        let ws = wb.add_worksheet();
        let title = if s.title.is_empty() { doc.title.as_str() } else { s.title.as_str() };
        ws.set_name(sheet_name(title, &mut used, n + 1)).map_err(xerr)?;
        let mut widths: Vec<f64> = s.headers.iter().map(|h| width(h)).collect();
        for (c, h) in s.headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold).map_err(xerr)?;
        }
        for (r, row) in s.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let col = c as u16;
                match cell {
                    Cell::Text(t) => ws.write_string(r, col, t).map(|_| ()),
                    Cell::Int(i) => ws.write_number(r, col, *i as f64).map(|_| ()),
                    Cell::Rate(Some(x)) => ws.write_number_with_format(r, col, *x, &pct).map(|_| ()),
                    Cell::Rate(None) => ws.write_string(r, col, "—").map(|_| ()),
                    Cell::Score(x) => ws.write_number_with_format(r, col, *x, &score).map(|_| ()),
                    Cell::Date(d) => {
                        use chrono::Datelike;
                        let dt =
                            ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).map_err(xerr)?;
                        ws.write_datetime_with_format(r, col, &dt, &date).map(|_| ())
                    }
                    Cell::Empty => Ok(()),
                }
                .map_err(xerr)?;
                if let Some(w) = widths.get_mut(c) {
                    let cw = match cell {
                        Cell::Date(_) => 10.0,
                        other => width(&other.display()),
                    };
                    *w = w.max(cw);
                }
            }
        }
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, (w + 2.0).min(60.0)).map_err(xerr)?;
        }
        if !s.rows.is_empty() {
            ws.set_freeze_panes(1, 0).map_err(xerr)?;
        }
    }
    wb.save_to_buffer().map_err(xerr)
}
