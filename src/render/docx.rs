//! A [`Doc`] as a Word document for the leaders' meeting (党委会, 月度通报):
//! title, verdict, key figures, the charts as pictures, the tables with
//! borders, the 台账校验码; A4 with page numbers. Made with `docx-rs`; it
//! opens and edits in Word, WPS and LibreOffice.

use super::chart::{self, Painter};
use super::doc::{Cell, Doc, Emphasis};
use super::text::display_width;
use crate::error::{Error, Result};
use crate::lang::Lang;
use docx_rs::{
    AlignmentType, Docx, Footer, LineSpacing, NumPages, PageMargin, PageNum, Paragraph, Pic, Run, RunFonts, Shading,
    Table, TableCell, TableRow, WidthType,
};

/// A4 in twentieths of a point.
const A4: (u32, u32) = (11906, 16838);
/// 2 cm margins.
const MARGIN: i32 = 1134;
/// Text width in EMU (A4 less the margins: 17 cm).
const TEXT_WIDTH_EMU: u32 = 6_120_000;
/// Half-points: 五号 (10.5 pt) for text, 小五 (9 pt) in tables.
const BODY: usize = 21;
const SMALL: usize = 18;

fn body_fonts() -> RunFonts {
    RunFonts::new().east_asia("宋体").ascii("Times New Roman").hi_ansi("Times New Roman")
}

fn heading_fonts() -> RunFonts {
    RunFonts::new().east_asia("黑体").ascii("Arial").hi_ansi("Arial")
}

fn text(s: &str, size: usize) -> Run {
    Run::new().add_text(s).size(size).fonts(body_fonts())
}

fn heading(s: &str, size: usize) -> Paragraph {
    Paragraph::new()
        .keep_next(true)
        .line_spacing(LineSpacing::new().before(240).after(80))
        .add_run(Run::new().add_text(s).size(size).bold().fonts(heading_fonts()))
}

/// The text width in twentieths of a point (17 cm).
const TEXT_WIDTH_TWIPS: usize = 9638;

/// Column widths in twips, after what the columns hold: a header never
/// broken, long text given room, a narrow table left narrow; at most `most`.
fn grid(headers: &[String], rows: &[Vec<Cell>], most: usize) -> Vec<usize> {
    let weights: Vec<usize> = (0..headers.len())
        .map(|i| {
            let longest = rows.iter().filter_map(|r| r.get(i)).map(|c| display_width(&c.display())).max().unwrap_or(0);
            longest.min(48).max(display_width(&headers[i])).max(4) + 3
        })
        .collect();
    // A half-width character of 小五 is about 100 twips wide.
    let natural: Vec<usize> = weights.iter().map(|w| w * 100).collect();
    if natural.iter().sum::<usize>() <= most {
        return natural;
    }
    // Too wide: short columns keep their width, long ones share the rest.
    let short = |w: &usize| *w <= 1200;
    let kept: usize = natural.iter().filter(|w| short(w)).sum();
    let long: usize = natural.iter().filter(|w| !short(w)).sum::<usize>().max(1);
    let rest = most.saturating_sub(kept);
    natural.iter().map(|w| if short(w) { *w } else { rest * w / long }).collect()
}

fn cell(s: &str, right: bool, header: bool) -> TableCell {
    let mut run = text(s, SMALL);
    if header {
        run = run.bold();
    }
    let mut p = Paragraph::new().add_run(run);
    if right {
        p = p.align(AlignmentType::Right);
    }
    let c = TableCell::new().add_paragraph(p);
    if header {
        c.shading(Shading::new().fill("DDEBF7"))
    } else {
        c
    }
}

/// A bordered table at most `most` twips wide, its header shaded.
fn table(headers: &[String], rows: &[Vec<Cell>], most: usize) -> Table {
    let widths = grid(headers, rows, most);
    let head = TableRow::new(
        headers.iter().zip(&widths).map(|(h, w)| cell(h, false, true).width(*w, WidthType::Dxa)).collect(),
    )
    .cant_split();
    let mut all = vec![head];
    for r in rows {
        let cells = r
            .iter()
            .zip(&widths)
            .map(|(c, w)| cell(&c.display(), c.is_number(), false).width(*w, WidthType::Dxa))
            .collect();
        all.push(TableRow::new(cells).cant_split());
    }
    let total = widths.iter().sum();
    Table::new(all).set_grid(widths).width(total, WidthType::Dxa)
}

/// The report as the bytes of a `.docx` file.
pub fn document(doc: &Doc, lang: Lang) -> Result<Vec<u8>> {
    let footer = Footer::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(text(lang.t("第 ", "Page "), SMALL))
            .add_page_num(PageNum::new())
            .add_run(text(lang.t(" 页，共 ", " of "), SMALL))
            .add_num_pages(NumPages::new())
            .add_run(text(lang.t(" 页", ""), SMALL)),
    );
    let mut d = Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(PageMargin::new().top(MARGIN).bottom(MARGIN).left(MARGIN).right(MARGIN))
        .default_fonts(body_fonts())
        .default_size(BODY)
        .footer(footer);

    d = d.add_paragraph(heading(&doc.title, 36).align(AlignmentType::Center));
    for l in &doc.lines {
        let run = match Emphasis::of(l) {
            Emphasis::Failed => text(l, BODY).bold().color("B00020"),
            Emphasis::Passed => text(l, BODY).bold().color("1B7A32"),
            Emphasis::Plain => text(l, BODY),
        };
        d = d.add_paragraph(Paragraph::new().add_run(run));
    }

    if !doc.figures.is_empty() {
        d = d.add_paragraph(heading(lang.t("主要数据", "Key figures"), 28));
        let headers = [lang.t("项目", "item").to_string(), lang.t("数值", "value").to_string()];
        let rows: Vec<Vec<Cell>> = doc.figures.iter().map(|(k, v)| vec![Cell::Text(k.clone()), v.clone()]).collect();
        d = d.add_table(table(&headers, &rows, TEXT_WIDTH_TWIPS / 2));
    }

    if !doc.charts.is_empty() {
        let painter = Painter::new();
        for c in &doc.charts {
            let (w, h) = (600, chart::height(c));
            let Some(png) = painter.png(c, w, h) else { continue };
            let emu_h = (TEXT_WIDTH_EMU as u64 * h as u64 / w as u64) as u32;
            let pic = Pic::new_with_dimensions(png, w * 2, h * 2).size(TEXT_WIDTH_EMU, emu_h);
            d = d.add_paragraph(Paragraph::new().align(AlignmentType::Center).add_run(Run::new().add_image(pic)));
        }
    }

    for s in &doc.sections {
        if !s.title.is_empty() {
            d = d.add_paragraph(heading(&s.title, 28));
        }
        if let (Some(note), true) = (&s.empty_note, s.rows.is_empty()) {
            d = d.add_paragraph(Paragraph::new().add_run(text(note, BODY)));
            continue;
        }
        d = d.add_table(table(&s.headers, &s.rows, TEXT_WIDTH_TWIPS));
    }

    if let Some(f) = doc.footer() {
        d = d.add_paragraph(Paragraph::new());
        for l in f.lines() {
            d = d.add_paragraph(Paragraph::new().add_run(text(l, SMALL).color("555555")));
        }
    }

    let mut out = std::io::Cursor::new(Vec::new());
    d.build().pack(&mut out).map_err(|e| {
        Error::Usage(format!("{}{e}", lang.t("无法生成 Word 文档：", "cannot make the Word document: ")))
    })?;
    Ok(out.into_inner())
}
