//! Plain-text renderers of a [`Doc`]: terminal tables, Markdown, CSV.

use super::doc::{Cell, Doc, Emphasis, Section};
use comfy_table::{
    presets, Attribute, Cell as TCell, CellAlignment, ColumnConstraint, ContentArrangement, Table, Width,
};

/// Whether to colour and style the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
    /// The width tables must fit (a terminal's, or `COLUMNS`); `None`: no limit.
    pub width: Option<u16>,
}

impl Style {
    pub fn plain() -> Style {
        Style { color: false, width: None }
    }
}

/// The width of the terminal standard output goes to, if it is one.
pub fn terminal_width() -> Option<u16> {
    #[cfg(unix)]
    {
        let mut size: libc::winsize = unsafe { std::mem::zeroed() };
        // SAFETY: TIOCGWINSZ fills a winsize for a terminal and fails otherwise; nothing else is touched.
        let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut size) } == 0;
        (ok && size.ws_col >= 40).then_some(size.ws_col)
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// A section's table as text, without a line break after its last line:
/// drawn by [`super::grid`] where nothing needs comfy-table's layout (no
/// width to fit, no colour), else by comfy-table.
fn table_text(section: &Section, style: Style) -> String {
    if style.width.is_none() && !style.color {
        if let Some(text) = super::grid::text(section) {
            return text;
        }
    }
    table_of(section, style).to_string()
}

/// A section's table laid out by comfy-table.
pub(super) fn table_of(section: &Section, style: Style) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    // Long text wraps inside its cell, so that no line is wider than the terminal.
    match style.width {
        Some(w) => {
            t.set_content_arrangement(ContentArrangement::Dynamic);
            t.set_width(w);
        }
        None => {
            t.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    if style.color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    t.set_header(section.headers.iter().map(|h| {
        let c = TCell::new(h);
        if style.color {
            c.add_attribute(Attribute::Bold)
        } else {
            c
        }
    }));
    for row in &section.rows {
        t.add_row(row.iter().map(|cell| {
            let c = TCell::new(cell.display());
            let c = if cell.is_number() { c.set_alignment(CellAlignment::Right) } else { c };
            if style.color {
                match cell {
                    Cell::Text(s) if s == "错误" || s == "error" || s == "不合格" || s == "fail" => {
                        c.fg(comfy_table::Color::Red)
                    }
                    Cell::Text(s) if s == "警告" || s == "warning" => c.fg(comfy_table::Color::Yellow),
                    _ => c,
                }
            } else {
                c
            }
        }));
    }
    if let Some(width) = style.width {
        // Figures are never broken across lines (“72.7” over “%”): their columns
        // keep the width of their longest figure, and the text beside them
        // wraps — when the table can be that wide at all.
        let (widest, bounds): (Vec<usize>, Vec<Option<u16>>) = column_widths(section).into_iter().unzip();
        // Each column needs a border, a kept one at least 4 columns and
        // one of text that wraps up to 10, to stay readable. Where not all can
        // be kept whole, the first (a case number, a name: what a person
        // types or looks for) goes first, then the others from the left,
        // as long as they fit.
        let mut needed: usize =
            bounds.iter().zip(&widest).map(|(b, w)| if b.is_some() { 5 } else { w.clamp(&4, &10) + 1 }).sum::<usize>()
                + 1;
        let mut kept = vec![None; bounds.len()];
        for (i, bound) in bounds.iter().enumerate() {
            let Some(b) = *bound else { continue };
            let more = usize::from(b).saturating_sub(4);
            if needed + more <= width as usize {
                needed += more;
                kept[i] = Some(b);
            }
        }
        // Then their headers whole too (up to four Chinese characters),
        // when what is left is enough for all of them: some whole and the
        // others broken a character a line would read worse.
        let with_headers: Vec<Option<u16>> =
            kept.iter().zip(&section.headers).map(|(b, h)| b.map(|b| b.max(header_width(h) as u16 + 2))).collect();
        let more: usize =
            with_headers.iter().zip(&kept).map(|(h, b)| usize::from(h.unwrap_or(0) - b.unwrap_or(0))).sum();
        if needed + more <= width as usize {
            kept = with_headers;
        }
        for (i, b) in kept.into_iter().enumerate() {
            if let (Some(b), Some(col)) = (b, t.column_mut(i)) {
                col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(b)));
            }
        }
    }
    t
}

/// Each column of `section`: its widest cell, and the width (with its
/// padding) it keeps to show its cells whole — figures, dates and case
/// numbers, the first column when short (a town, a leader) and columns of
/// short words, four Chinese characters at most (不合格, 主要领导); `None`
/// for text that wraps.
fn column_widths(section: &Section) -> Vec<(usize, Option<u16>)> {
    (0..section.headers.len())
        .map(|i| {
            let cells = section.rows.iter().filter_map(|r| r.get(i));
            let figures = cells.clone().all(|c| is_figure(c) || is_token(c));
            let widest = cells.map(|c| display_width(&c.display())).max().unwrap_or(0);
            let names = (i == 0 && widest <= 10) || widest <= 8;
            (widest, ((figures || names) && widest > 0).then_some((widest as u16 + 2).max(4)))
        })
        .collect()
}

/// A table too wide for `width` to keep its figures whole is shown as
/// several, each with the column that names the rows (and the number
/// before it, if any) and as many of the others, from the left, as fit
/// with their headers readable; `None` when the table fits as one.
fn column_groups(section: &Section, width: usize) -> Option<Vec<Vec<usize>>> {
    let whole: Vec<Option<u16>> = column_widths(section).into_iter().map(|(_, b)| b).collect();
    let tight: usize = whole.iter().map(|b| b.map_or(4, usize::from) + 1).sum::<usize>() + 1;
    if tight <= width || whole.len() < 3 {
        return None;
    }
    let comfortable: Vec<usize> =
        whole.iter().zip(&section.headers).map(|(b, h)| b.map_or(6, usize::from).max(header_width(h) + 2)).collect();
    // What names a row goes in every table: the first column, and the
    // second too when the first is only a number (序号, 名次).
    let numbered = section.rows.iter().all(|r| r.first().is_none_or(is_figure));
    let names: Vec<usize> = if numbered { vec![0, 1] } else { vec![0] };
    let first = names.iter().map(|&i| comfortable[i] + 1).sum::<usize>() + 1;
    let mut groups = vec![names.clone()];
    let mut used = first;
    for (i, w) in comfortable.iter().enumerate().skip(names.len()) {
        let last = groups.last_mut().expect("a group");
        if used + w + 1 > width && last.len() > names.len() {
            groups.push(names.iter().copied().chain([i]).collect());
            used = first + w + 1;
        } else {
            last.push(i);
            used += w + 1;
        }
    }
    (groups.len() > 1).then_some(groups)
}

/// The columns `cols` of `section`, as a section of their own.
fn columns_of(section: &Section, cols: &[usize]) -> Section {
    let pick = |row: &[Cell]| cols.iter().filter_map(|&i| row.get(i).cloned()).collect();
    Section {
        title: String::new(),
        headers: cols.iter().filter_map(|&i| section.headers.get(i).cloned()).collect(),
        rows: section.rows.iter().map(|r| pick(r)).collect(),
        empty_note: None,
    }
}

/// The width a header reads well in: up to four Chinese characters on a
/// line, and its longest word whole (up to twelve letters).
fn header_width(header: &str) -> usize {
    let longest_word = header.split_whitespace().map(display_width).max().unwrap_or(0);
    display_width(header).min(8).max(longest_word.min(12))
}

/// Terminal columns a column needs to be read in a table: its widest line
/// (free text wraps, down to twelve) and its header (down to eight).
fn readable_width(header: &str, widest_line: usize) -> usize {
    header_width(header).max(widest_line.min(12))
}

/// The columns of a table that can be read in `width` terminal columns,
/// taken in the order `priority` gives while they fit, and shown in their
/// own order; `None` when every column fits. For a listing with more
/// columns than a narrow terminal can show without breaking every cell
/// into pieces.
pub fn columns_that_fit(
    headers: &[&str],
    widest_lines: &[usize],
    width: usize,
    priority: &[usize],
) -> Option<Vec<usize>> {
    // A table takes its columns' widths, one space either side of each, and a border between and around them.
    let needs = |cols: &mut dyn Iterator<Item = usize>| {
        cols.map(|i| readable_width(headers[i], widest_lines.get(i).copied().unwrap_or(0)) + 3).sum::<usize>() + 1
    };
    if needs(&mut (0..headers.len())) <= width {
        return None;
    }
    let mut kept: Vec<usize> = Vec::new();
    for &i in priority.iter().filter(|&&i| i < headers.len()) {
        if needs(&mut kept.iter().copied().chain([i])) > width && !kept.is_empty() {
            break;
        }
        kept.push(i);
    }
    kept.sort_unstable();
    Some(kept)
}

/// A date, a case number or a code (“2022-03-01”, “V2022-0022”, “V006
/// +3”): a short run of ASCII, never broken across lines in a table.
fn is_token(c: &Cell) -> bool {
    match c {
        Cell::Date(_) => true,
        Cell::Text(t) => t.len() <= 12 && t.is_ascii() && !t.contains('\n'),
        _ => false,
    }
}

/// A figure, never broken across lines in a table.
fn is_figure(c: &Cell) -> bool {
    match c {
        Cell::Int(_) | Cell::Rate(_) | Cell::Score(_) | Cell::Empty => true,
        // “94/96”, “10/9”: counts side by side.
        Cell::Text(t) => !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit() || b == b'/'),
        Cell::Date(_) => false,
    }
}

/// What lays a table out: column by column, its widest cell, the cell with
/// its widest line, and a cell that is no figure (when one is). A table of
/// these rows is laid out as the whole table is, so that a long table can
/// be written a part at a time ([`TableInParts`]).
#[derive(Default)]
pub struct Layout {
    widest: Vec<(usize, Cell)>,
    widest_line: Vec<(usize, Cell)>,
    not_figure: Vec<Option<Cell>>,
}

impl Layout {
    /// Takes in one row.
    pub fn add(&mut self, row: &[Cell]) {
        if self.widest.len() < row.len() {
            self.widest.resize(row.len(), (0, Cell::Empty));
            self.widest_line.resize(row.len(), (0, Cell::Empty));
            self.not_figure.resize(row.len(), None);
        }
        for (i, cell) in row.iter().enumerate() {
            let text = cell.display();
            let (whole, line) = (display_width(&text), text.lines().map(display_width).max().unwrap_or(0));
            if whole > self.widest[i].0 {
                self.widest[i] = (whole, cell.clone());
            }
            if line > self.widest_line[i].0 {
                self.widest_line[i] = (line, cell.clone());
            }
            if self.not_figure[i].is_none() && !is_figure(cell) {
                self.not_figure[i] = Some(cell.clone());
            }
        }
    }

    /// Each column's widest line, in terminal columns.
    pub fn widest_lines(&self) -> Vec<usize> {
        self.widest_line.iter().map(|(w, _)| *w).collect()
    }

    /// The layout of the columns `kept` alone.
    pub fn select(&self, kept: &[usize]) -> Layout {
        let pick = |v: &[(usize, Cell)]| kept.iter().filter_map(|&i| v.get(i).cloned()).collect();
        Layout {
            widest: pick(&self.widest),
            widest_line: pick(&self.widest_line),
            not_figure: kept.iter().filter_map(|&i| self.not_figure.get(i).cloned()).collect(),
        }
    }

    fn rows(&self) -> Vec<Vec<Cell>> {
        let widest: Vec<Cell> = self.widest.iter().map(|(_, c)| c.clone()).collect();
        let line: Vec<Cell> = self.widest_line.iter().map(|(_, c)| c.clone()).collect();
        let other: Vec<Cell> =
            self.not_figure.iter().zip(&widest).map(|(n, w)| n.clone().unwrap_or_else(|| w.clone())).collect();
        vec![widest, line, other]
    }
}

/// A table written a part at a time, each part laid out as the whole table
/// would be ([`Layout`]): the top and the header once, then the rows of
/// each part, then the bottom. Only a long listing is written so.
pub struct TableInParts {
    headers: Vec<String>,
    style: Style,
    layout: Vec<Vec<Cell>>,
    /// Lines of a part before its own rows (top, header, the layout's rows).
    before_rows: usize,
    bottom: String,
}

impl TableInParts {
    pub fn new(headers: &[String], style: Style, layout: &Layout) -> (TableInParts, String) {
        let mut parts = TableInParts {
            headers: headers.to_vec(),
            style,
            layout: layout.rows(),
            before_rows: 0,
            bottom: String::new(),
        };
        let lines = parts.lines(Vec::new());
        let head_lines = lines.iter().position(|l| l.starts_with('╞')).map_or(0, |i| i + 1);
        let head = lines[..head_lines].concat();
        parts.bottom = lines.last().cloned().unwrap_or_default();
        parts.before_rows = lines.len().saturating_sub(1);
        (parts, head)
    }

    /// The lines of `rows`, laid out as the whole table.
    pub fn part(&self, rows: Vec<Vec<Cell>>) -> String {
        let lines = self.lines(rows);
        let end = lines.len().saturating_sub(1);
        lines[self.before_rows.min(end)..end].concat()
    }

    /// Every line, each with its line break, of a table of the layout's rows and then `rows`.
    fn lines(&self, rows: Vec<Vec<Cell>>) -> Vec<String> {
        let mut all = self.layout.clone();
        all.extend(rows);
        let section = Section { headers: self.headers.clone(), rows: all, ..Section::default() };
        table_text(&section, self.style).lines().map(|l| format!("{l}\n")).collect()
    }

    /// The bottom line.
    pub fn bottom(&self) -> &str {
        &self.bottom
    }
}

/// How many terminal columns a text takes ([`char_width`] each character).
pub fn display_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// Terminal tables, aligned for double-width Chinese text.
pub fn table(doc: &Doc, style: Style) -> String {
    let fit = |text: &str| fit(text, style);
    let mut out = title_and_lines(doc, style);
    for s in &doc.sections {
        section_head(&mut out, s, style);
        match (&s.empty_note, s.rows.is_empty()) {
            (Some(note), true) => {
                out.push_str(&fit(note));
                out.push('\n');
            }
            _ => {
                // Each table ends its last line; tables side by side have a blank line between.
                let tables: Vec<String> = match style.width.and_then(|w| column_groups(s, w.into())) {
                    Some(groups) => groups.iter().map(|cols| table_text(&columns_of(s, cols), style) + "\n").collect(),
                    None => vec![table_text(s, style) + "\n"],
                };
                out.push_str(&tables.join("\n"));
            }
        }
    }
    if let Some(f) = doc.footer() {
        out.push('\n');
        out.push_str(&fit(f));
        out.push('\n');
    }
    out
}

/// What [`table`] writes of a one-section document before its table, for
/// a table then written in parts ([`TableInParts`]).
pub fn before_the_table(doc: &Doc, style: Style) -> String {
    let mut out = title_and_lines(doc, style);
    if let Some(s) = doc.sections.first() {
        section_head(&mut out, s, style);
    }
    out
}

/// What comes before a section's table: a blank line after what is there, and its title.
fn section_head(out: &mut String, s: &Section, style: Style) {
    if !out.is_empty() {
        out.push('\n');
    }
    if !s.title.is_empty() {
        out.push_str(&fit(&s.title, style));
        out.push('\n');
    }
}

/// Text outside the tables, wrapped at the width too.
fn fit(text: &str, style: Style) -> String {
    match style.width {
        Some(w) => text.lines().flat_map(|l| wrap(l, w as usize)).collect::<Vec<_>>().join("\n"),
        None => text.to_string(),
    }
}

/// A document's title and lines, the verdict in colour where allowed.
fn title_and_lines(doc: &Doc, style: Style) -> String {
    let fit = |text: &str| fit(text, style);
    let mut out = String::new();
    if !doc.title.is_empty() {
        out.push_str(&fit(&doc.title));
        out.push('\n');
    }
    for l in &doc.lines {
        // The verdict in colour where colour is allowed: red for 不合格, green for 合格.
        let emphasis = if style.color { Emphasis::of(l) } else { Emphasis::Plain };
        let l = fit(l);
        match emphasis {
            Emphasis::Failed => out.push_str(&format!("\u{1b}[1;31m{l}\u{1b}[0m")),
            Emphasis::Passed => out.push_str(&format!("\u{1b}[1;32m{l}\u{1b}[0m")),
            Emphasis::Plain => out.push_str(&l),
        }
        out.push('\n');
    }
    out
}

/// The columns a terminal gives `c`: two for CJK ideographs and full-width forms.
fn char_width(c: char) -> usize {
    match c as u32 {
        0x1100..=0x115F
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 => 2,
        _ => 1,
    }
}

/// `line` cut into pieces of at most `width` columns.
fn wrap(line: &str, width: usize) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut used = 0;
    for c in line.chars() {
        let w = char_width(c);
        if used + w > width && used > 0 {
            // A word of Latin letters or an option is not cut where the
            // line has a space before it: it goes on to the next line.
            let piece = out.last_mut().expect("one piece at least");
            let cut_word = c.is_ascii_graphic() && piece.ends_with(|p: char| p.is_ascii_graphic());
            let word = match piece.rfind(' ') {
                Some(i) if cut_word && !piece[..i].trim().is_empty() => piece.split_off(i + 1),
                _ => String::new(),
            };
            piece.truncate(piece.trim_end().len());
            used = display_width(&word);
            out.push(word);
            if c == ' ' {
                continue;
            }
        }
        out.last_mut().expect("one piece at least").push(c);
        used += w;
    }
    out
}

/// Text as Markdown shows it, never as markup or HTML (SPEC §8.5).
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// GitHub-flavoured Markdown.
/// One row of a Markdown table, with its line break.
pub fn markdown_row(row: &[Cell]) -> String {
    format!("| {} |\n", row.iter().map(|c| md_escape(&c.display())).collect::<Vec<_>>().join(" | "))
}

pub fn markdown(doc: &Doc) -> String {
    let mut out = String::new();
    if !doc.title.is_empty() {
        out.push_str(&format!("# {}\n\n", md_escape(&doc.title)));
    }
    for l in &doc.lines {
        out.push_str(&format!("{}\n\n", md_escape(l)));
    }
    for s in &doc.sections {
        if !s.title.is_empty() {
            out.push_str(&format!("## {}\n\n", md_escape(&s.title)));
        }
        if let (Some(note), true) = (&s.empty_note, s.rows.is_empty()) {
            out.push_str(&format!("{}\n\n", md_escape(note)));
            continue;
        }
        out.push_str(&format!("| {} |\n", s.headers.iter().map(|h| md_escape(h)).collect::<Vec<_>>().join(" | ")));
        let aligns: Vec<&str> = (0..s.headers.len())
            .map(|i| if s.rows.first().and_then(|r| r.get(i)).is_some_and(Cell::is_number) { "---:" } else { "---" })
            .collect();
        out.push_str(&format!("| {} |\n", aligns.join(" | ")));
        for r in &s.rows {
            out.push_str(&markdown_row(r));
        }
        out.push('\n');
    }
    if let Some(f) = doc.footer() {
        out.push_str(&format!("---\n\n{}\n", md_escape(f)));
    }
    out
}

/// Neutralises spreadsheet formulas (SPEC §8.5): text starting with
/// `=`, `+`, `-`, `@`, tab or CR gets a leading `'`.
pub fn defuse_formula(s: &str) -> std::borrow::Cow<'_, str> {
    if starts_like_formula(s) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

/// Whether a spreadsheet would read `s` as a formula.
pub fn starts_like_formula(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// CSV for Excel (SPEC §7.5): a UTF-8 BOM (Excel on Chinese Windows shows
/// Chinese text only then), the title and the lines (period, verdict) before
/// the tables, each table led by its title, blocks apart by an empty line.
/// A cell as a CSV field: text that a spreadsheet would run as a formula
/// made plain (SPEC §8.5), rates to four decimals.
pub fn csv_field(cell: &Cell) -> String {
    match cell {
        Cell::Text(t) => defuse_formula(t).into_owned(),
        Cell::Rate(Some(r)) => format!("{:.4}", r),
        Cell::Rate(None) => String::new(),
        other => other.display(),
    }
}

pub fn csv(doc: &Doc) -> String {
    // Written record by record into the one output, blocks apart by a blank
    // line: no copy of the rows is made on the way (a long listing's CSV).
    let mut out: Vec<u8> = "\u{feff}".as_bytes().to_vec();
    let mut blocks = 0;
    let mut block = |out: &mut Vec<u8>, records: &mut dyn Iterator<Item = Vec<String>>| {
        if blocks > 0 {
            out.push(b'\n');
        }
        blocks += 1;
        let mut w = csv::WriterBuilder::new().flexible(true).from_writer(out);
        for r in records {
            w.write_record(&r).ok();
        }
        w.flush().ok();
    };
    let mut head: Vec<Vec<String>> = Vec::new();
    if !doc.title.is_empty() {
        head.push(vec![defuse_formula(&doc.title).into_owned()]);
    }
    head.extend(doc.lines.iter().map(|l| vec![defuse_formula(l).into_owned()]));
    if !head.is_empty() {
        block(&mut out, &mut head.into_iter());
    }
    for s in &doc.sections {
        let title = (!s.title.is_empty()).then(|| vec![defuse_formula(&s.title).into_owned()]);
        let rows = s.rows.iter().map(|r| r.iter().map(csv_field).collect());
        block(&mut out, &mut title.into_iter().chain(std::iter::once(s.headers.clone())).chain(rows));
    }
    if let Some(f) = doc.footer() {
        block(&mut out, &mut std::iter::once(vec![f.to_string()]));
    }
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_whose_figures_cannot_all_stay_whole_is_shown_as_several() {
        let headers = [
            "月份",
            "受理",
            "化解",
            "化解率",
            "接访场次",
            "安排接待日",
            "未按日程",
            "群众工作日",
            "收信",
            "阅批",
            "新纠纷",
            "纠纷化解",
            "排查完成/应排",
            "上交",
        ];
        let mut section = Section::new("逐月情况", &headers);
        for m in 1..=12 {
            let mut row: Vec<Cell> =
                vec![format!("2022-{m:02}").into(), Cell::Int(12), Cell::Int(11), Cell::Rate(Some(0.917))];
            row.extend((0..8).map(|i| Cell::Int(100 + i)));
            row.extend(["168/168".into(), Cell::Int(1)]);
            section.row(row);
        }
        let doc = Doc { title: "年度总结".into(), sections: vec![section], ..Doc::default() };
        let narrow = table(&doc, Style { color: false, width: Some(80) });
        // Two tables, each naming the months, every figure on one line.
        assert_eq!(narrow.matches("│ 2022-03 ┆").count(), 2, "{narrow}");
        assert!(narrow.contains("168/168"), "{narrow}");
        assert!(narrow.lines().all(|l| display_width(l) <= 80), "{narrow}");
        // Wide enough: one table, as before.
        let wide = table(&doc, Style { color: false, width: Some(200) });
        assert_eq!(wide.matches("│ 2022-03 ┆").count(), 1, "{wide}");
        // Rows named by a number and a name: both in every table.
        let headers: Vec<String> =
            ["序号", "姓名"].into_iter().map(String::from).chain((1..=12).map(|m| format!("{m}月"))).collect();
        let mut section = Section::new("", &headers.iter().map(String::as_str).collect::<Vec<_>>());
        section.row([Cell::Int(1), "管小波".into()].into_iter().chain((1..=12).map(|_| "14, 25".into())).collect());
        let doc = Doc { sections: vec![section], ..Doc::default() };
        let narrow = table(&doc, Style { color: false, width: Some(80) });
        assert_eq!(narrow.matches("│    1 ┆ 管小波 ┆").count(), 2, "{narrow}");
    }

    #[test]
    fn a_narrow_table_keeps_the_columns_first_asked_for_that_fit() {
        let headers = ["案号", "诉求", "状态", "人数"];
        let widest = [10, 40, 6, 1];
        // Everything readable in 100: nothing left out.
        assert_eq!(columns_that_fit(&headers, &widest, 100, &[0, 2, 1, 3]), None);
        // 案号 13 + 状态 9 + 诉求 15 + 1 = 38; 人数 would make 45.
        assert_eq!(columns_that_fit(&headers, &widest, 40, &[0, 2, 1, 3]), Some(vec![0, 1, 2]));
        // Too narrow for even two: the first is kept.
        assert_eq!(columns_that_fit(&headers, &widest, 10, &[2, 0]), Some(vec![2]));
    }

    #[test]
    fn wrapped_text_breaks_words_of_latin_letters_only_at_spaces() {
        assert_eq!(wrap("use --format csv for every column", 12), ["use --format", "csv for", "every column"]);
        assert_eq!(wrap("加宽终端或用", 6), ["加宽终", "端或用"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
    }

    #[test]
    fn a_table_too_wide_for_the_terminal_keeps_its_first_column_whole() {
        let headers = [
            "案号",
            "受理日期",
            "接待领导",
            "方式",
            "村社区",
            "类别",
            "来访人",
            "人数",
            "接待次数",
            "诉求",
            "状态",
            "期限",
            "逾期",
        ];
        let mut section = Section::new("", &headers);
        section.row(vec![
            "V2022-0022".into(),
            Cell::Date(chrono::NaiveDate::from_ymd_opt(2022, 3, 1).unwrap()),
            "管小波".into(),
            "公开接访".into(),
            "天灵村".into(),
            "土地征用".into(),
            "郭**".into(),
            Cell::Int(1),
            Cell::Int(1),
            "征地补偿款".into(),
            "已化解".into(),
            Cell::Date(chrono::NaiveDate::from_ymd_opt(2022, 3, 31).unwrap()),
            Cell::Empty,
        ]);
        let text = table_of(&section, Style { color: false, width: Some(80) }).to_string();
        assert!(text.lines().any(|l| l.contains("V2022-0022")), "{text}");
        assert!(text.lines().all(|l| display_width(l) <= 80), "{text}");
        // Wide enough, every column that can be kept whole is.
        let text = table_of(&section, Style { color: false, width: Some(200) }).to_string();
        assert!(text.lines().any(|l| l.contains("2022-03-01") && l.contains("公开接访")), "{text}");
    }

    #[test]
    fn a_long_table_written_in_parts_is_the_table_written_whole() {
        let mut seed = 7u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as usize
        };
        let words =
            ["天灵村", "管小波", "路灯不亮，夜里出行不便", "噪音", "x", "办理中", "已化解", "道路\n积水", "V006 +12"];
        let headers = ["案号", "受理日期", "村社区", "人数", "诉求", "状态", "逾期"];
        let mut section = Section::new("", &headers);
        for n in 0..500 {
            let long = (0..next() % 6).map(|_| words[next() % words.len()]).collect::<Vec<_>>().join("、");
            section.row(vec![
                format!("V2022-{n:04}").into(),
                Cell::Date(chrono::NaiveDate::from_ymd_opt(2022, 1 + (next() % 12) as u32, 1).unwrap()),
                words[next() % 3].into(),
                Cell::Int((next() % 2000) as i64),
                long.into(),
                if next() % 5 == 0 { Cell::Empty } else { words[5 + next() % 2].into() },
                if next() % 9 == 0 { "V006 +3".into() } else { Cell::Empty },
            ]);
        }
        for width in [None, Some(40), Some(60), Some(80), Some(120), Some(200)] {
            let style = Style { color: false, width };
            let whole = format!("{}\n", table_of(&section, style));
            let mut layout = Layout::default();
            section.rows.iter().for_each(|r| layout.add(r));
            let headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
            let (parts, mut text) = TableInParts::new(&headers, style, &layout);
            for rows in section.rows.chunks(37) {
                text.push_str(&parts.part(rows.to_vec()));
            }
            text.push_str(parts.bottom());
            assert_eq!(text, whole, "width {width:?}");
        }
    }

    fn doc() -> Doc {
        let mut s = Section::new("领导", &["姓名", "次数", "化解率"]);
        s.row(vec!["管小波".into(), Cell::Int(2), Cell::Rate(Some(0.9167))]);
        s.row(vec!["=HYPERLINK(\"x\")".into(), Cell::Int(10), Cell::Rate(None)]);
        Doc { title: "月报".into(), lines: vec!["结论".into()], sections: vec![s], ..Doc::default() }
    }

    #[test]
    fn table_aligns_chinese() {
        let t = table(&doc(), Style::plain());
        let widths: Vec<usize> = t
            .lines()
            .filter(|l| l.starts_with('│') || l.starts_with('┌'))
            .map(|l| l.chars().map(|c| if c > '\u{2E80}' { 2 } else { 1 }).sum())
            .collect();
        assert!(widths.windows(2).all(|w| w[0] == w[1]), "{t}");
        assert!(t.contains("91.7%") && t.contains("—"), "{t}");
    }

    #[test]
    fn csv_defuses_formulas() {
        let c = csv(&doc());
        assert!(c.contains("'=HYPERLINK"), "{c}");
        assert!(c.contains("管小波,2,0.9167"), "{c}");
    }

    #[test]
    fn markdown_has_tables() {
        let m = markdown(&doc());
        assert!(m.contains("| 姓名 | 次数 | 化解率 |\n| --- | ---: | ---: |"), "{m}");
    }
}
