//! A [`Doc`] as an Excel workbook: a summary sheet, then one sheet per
//! section; numbers as numbers, rates as percentages, dates as dates, and
//! text always as text (never a formula, SPEC §8.5).

use super::doc::{Cell, ChartKind, Doc};
use crate::error::{Error, Result};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::collections::HashSet;

fn width(s: &str) -> f64 {
    s.chars().map(|c| if c as u32 >= 0x2E80 { 2.0 } else { 1.0 }).sum()
}

/// A sheet's name: the title up to its first bracket (the words in
/// brackets explain, the name names), unique, within Excel's 31 characters
/// and its forbidden characters — whole, never cut mid-word.
fn sheet_name(title: &str, used: &mut HashSet<String>, n: usize) -> String {
    let head = title.split(['（', '(']).next().unwrap_or(title);
    let clean: String =
        head.chars().filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\' | '\'')).collect::<String>();
    let clean = clean.trim();
    let base = if clean.is_empty() || clean.chars().count() > 28 { format!("Sheet{n}") } else { clean.to_string() };
    let mut name = base.clone();
    let mut i = 2;
    while !used.insert(name.clone()) {
        name = format!("{base}{i}");
        i += 1;
    }
    name
}

/// Printable as it is: A4 landscape, one page wide, the header row on every
/// page, the title in the page header and the page number in the footer.
fn page_setup(
    ws: &mut rust_xlsxwriter::Worksheet,
    title: &str,
    lang: crate::lang::Lang,
    header_row: bool,
) -> Result<()> {
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    if header_row {
        ws.set_repeat_rows(0, 0).map_err(xerr)?;
    }
    ws.set_header(format!("&C{}", title.replace('&', "&&")));
    ws.set_footer(lang.t("&C第 &P 页，共 &N 页", "&CPage &P of &N"));
    Ok(())
}

fn xerr(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Usage(
        crate::lang::messages().pick(format!("无法生成工作簿：{e}"), format!("could not write the workbook: {e}")),
    )
}

pub fn workbook(doc: &Doc, lang: crate::lang::Lang) -> Result<Vec<u8>> {
    use rust_xlsxwriter::FormatBorder;
    let mut wb = Workbook::new();
    let border = FormatBorder::Thin;
    let head = Format::new().set_bold().set_border(border).set_background_color(0xDDEBF7).set_text_wrap();
    let title_fmt = Format::new().set_bold().set_font_size(14);
    let text = Format::new().set_border(border).set_text_wrap();
    let int = Format::new().set_border(border);
    let pct = Format::new().set_num_format("0.0%").set_border(border);
    let score = Format::new().set_num_format("0.0").set_border(border);
    let date = Format::new().set_num_format("yyyy-mm-dd").set_border(border);
    let mut used = HashSet::new();

    // The summary: title, verdict and as-of lines, the key figures, the 台账校验码.
    let summary = wb.add_worksheet();
    summary.set_name(sheet_name(lang.t("概要", "Summary"), &mut used, 0)).map_err(xerr)?;
    page_setup(summary, &doc.title, lang, false)?;
    summary.write_string_with_format(0, 0, &doc.title, &title_fmt).map_err(xerr)?;
    let mut row = 2u32;
    for l in &doc.lines {
        summary.write_string(row, 0, l).map_err(xerr)?;
        row += 1;
    }
    if !doc.figures.is_empty() {
        row += 1;
        summary.write_string_with_format(row, 0, lang.t("主要数据", "Key figures"), &head).map_err(xerr)?;
        summary.write_string_with_format(row, 1, lang.t("数值", "value"), &head).map_err(xerr)?;
        for (label, value) in &doc.figures {
            row += 1;
            summary.write_string_with_format(row, 0, label, &text).map_err(xerr)?;
            write_cell(summary, row, 1, value, (&text, &int, &pct, &score, &date))?;
        }
    }
    if let Some(f) = doc.footer() {
        // A row a line: a cell of several lines would need a height Excel does not always give it.
        for (i, line) in f.lines().enumerate() {
            summary.write_string(row + 2 + i as u32, 0, line.trim()).map_err(xerr)?;
        }
    }
    let widest =
        doc.lines.iter().map(|l| width(l)).fold(width(lang.t("排查完成/应排查", "screenings done/required")), f64::max);
    summary.set_column_width(0, widest.min(60.0) + 2.0).map_err(xerr)?;
    summary.set_column_width(1, 14.0).map_err(xerr)?;

    for (n, s) in doc.sections.iter().enumerate() {
        let ws = wb.add_worksheet();
        let title = if s.title.is_empty() { doc.title.as_str() } else { s.title.as_str() };
        ws.set_name(sheet_name(title, &mut used, n + 1)).map_err(xerr)?;
        page_setup(ws, &format!("{} — {title}", doc.title), lang, true)?;
        let mut widths: Vec<f64> = s.headers.iter().map(|h| width(h)).collect();
        for (c, h) in s.headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &head).map_err(xerr)?;
        }
        if s.rows.is_empty() {
            if let Some(note) = &s.empty_note {
                ws.write_string(1, 0, note).map_err(xerr)?;
            }
        }
        for (r, cells) in s.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in cells.iter().enumerate() {
                write_cell(ws, r, c as u16, cell, (&text, &int, &pct, &score, &date))?;
                if let Some(w) = widths.get_mut(c) {
                    let cw = match cell {
                        Cell::Date(_) => 10.0,
                        other => width(&other.display()),
                    };
                    *w = w.max(cw);
                }
            }
        }
        let widths: Vec<f64> = widths.iter().map(|w| (w + 2.0).min(50.0)).collect();
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, *w).map_err(xerr)?;
        }
        // Rows as tall as their wrapped text, so that nothing overlaps in print.
        for (r, cells) in s.rows.iter().enumerate() {
            let lines = cells
                .iter()
                .zip(&widths)
                .map(|(cell, w)| (width(&cell.display()) / (w - 1.0).max(1.0)).ceil().max(1.0))
                .fold(1.0f64, f64::max);
            if lines > 1.0 {
                ws.set_row_height(r as u32 + 1, 15.0 * lines).map_err(xerr)?;
            }
        }
        if !s.rows.is_empty() {
            ws.set_freeze_panes(1, 0).map_err(xerr)?;
        }
    }

    // Native Excel charts, each beside the figures it draws.
    if !doc.charts.is_empty() {
        let name = sheet_name(lang.t("图表", "Charts"), &mut used, doc.sections.len() + 1);
        let ws = wb.add_worksheet();
        ws.set_name(&name).map_err(xerr)?;
        page_setup(ws, &doc.title, lang, false)?;
        let mut top = 0u32;
        for chart in &doc.charts {
            ws.write_string_with_format(top, 0, &chart.title, &head).map_err(xerr)?;
            for (i, s) in chart.series.iter().enumerate() {
                ws.write_string_with_format(top, i as u16 + 1, &s.name, &head).map_err(xerr)?;
            }
            for (r, category) in chart.categories.iter().enumerate() {
                let r = top + 1 + r as u32;
                ws.write_string_with_format(r, 0, category, &text).map_err(xerr)?;
                for (i, s) in chart.series.iter().enumerate() {
                    if let Some(Some(v)) = s.values.get(r as usize - top as usize - 1) {
                        let f = match (chart.percent, v.fract() == 0.0) {
                            (true, _) => &pct,
                            (false, true) => &int,
                            (false, false) => &score,
                        };
                        ws.write_number_with_format(r, i as u16 + 1, *v, f).map_err(xerr)?;
                    }
                }
            }
            let last = top + chart.categories.len().max(1) as u32;
            let mut c = rust_xlsxwriter::Chart::new(match chart.kind {
                ChartKind::Column => rust_xlsxwriter::ChartType::Column,
                ChartKind::Bar => rust_xlsxwriter::ChartType::Bar,
                ChartKind::Line => rust_xlsxwriter::ChartType::Line,
            });
            c.title().set_name(&chart.title);
            for (i, s) in chart.series.iter().enumerate() {
                let col = i as u16 + 1;
                c.add_series()
                    .set_name(s.name.as_str())
                    .set_categories((name.as_str(), top + 1, 0, last, 0))
                    .set_values((name.as_str(), top + 1, col, last, col));
            }
            // In a bar chart the values run along the x axis.
            let bar = chart.kind == ChartKind::Bar;
            if chart.percent {
                if bar { c.x_axis() } else { c.y_axis() }.set_num_format("0%");
            }
            if bar {
                // A ranking reads from the top, its scale at the bottom; one series needs no legend.
                c.y_axis().set_reverse().set_crossing(rust_xlsxwriter::ChartAxisCrossing::Max);
                c.legend().set_hidden();
            }
            let rows = chart.categories.len().max(15) as u32;
            c.set_width(640).set_height((rows * 20).clamp(300, 600));
            ws.insert_chart(top, chart.series.len() as u16 + 2, &c).map_err(xerr)?;
            top = last.max(top + rows) + 3;
        }
        ws.set_column_width(0, 14.0).map_err(xerr)?;
    }
    wb.save_to_buffer().map_err(xerr)
}

type Formats<'a> = (&'a Format, &'a Format, &'a Format, &'a Format, &'a Format);

/// A cell as Excel wants it: text as text (never a formula), numbers as numbers, rates as percentages, dates as dates.
fn write_cell(
    ws: &mut rust_xlsxwriter::Worksheet,
    r: u32,
    col: u16,
    cell: &Cell,
    (text, int, pct, score, date): Formats,
) -> Result<()> {
    match cell {
        Cell::Text(t) => ws.write_string_with_format(r, col, t, text).map(|_| ()),
        Cell::Int(i) => ws.write_number_with_format(r, col, *i as f64, int).map(|_| ()),
        Cell::Rate(Some(x)) => ws.write_number_with_format(r, col, *x, pct).map(|_| ()),
        Cell::Rate(None) => ws.write_string_with_format(r, col, "—", text).map(|_| ()),
        Cell::Score(x) => ws.write_number_with_format(r, col, *x, score).map(|_| ()),
        Cell::Date(d) => {
            use chrono::Datelike;
            let dt = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).map_err(xerr)?;
            ws.write_datetime_with_format(r, col, &dt, date).map(|_| ())
        }
        Cell::Empty => ws.write_blank(r, col, text).map(|_| ()),
    }
    .map_err(xerr)
}
