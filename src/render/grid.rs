//! A section's table drawn line by line, as comfy-table draws it with the
//! `UTF8_FULL_CONDENSED` preset when there is no width to fit and no colour
//! (a report written to a file, a pipe, a cron e-mail): every column as
//! wide as its widest line, figures to the right, the rest to the left.
//!
//! comfy-table spends about 3 µs a row laying a table out; a year's
//! findings at a million events (40,000 rows) took 0.13 s of the annual
//! report's 0.5 s, and a listing of every case 3 s. Drawn here the same
//! lines cost a tenth of that. The test beside this holds the two side by
//! side on random tables; anything it does not cover (a row of another
//! length, a line over 65,535 columns) is left to comfy-table.

use super::doc::{Cell, Section};
use std::borrow::Cow;
use unicode_width::UnicodeWidthStr;

/// The text of `section`'s table, its lines joined by line breaks (none
/// after the last), or `None` where comfy-table must lay it out.
pub fn text(section: &Section) -> Option<String> {
    let n = section.headers.len();
    if n == 0 || section.rows.iter().any(|r| r.len() != n) {
        return None;
    }
    // Each column's content width: its widest line, one column at least.
    let mut widths = vec![1usize; n];
    let header: Vec<Shown> = section.headers.iter().map(|h| Shown { text: Cow::Borrowed(h), right: false }).collect();
    let mut widen = |row: &[Shown]| {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.text.split('\n').map(UnicodeWidthStr::width).max().unwrap_or(0));
        }
    };
    widen(&header);
    let mut row = Vec::with_capacity(n);
    for r in &section.rows {
        row.clear();
        row.extend(r.iter().map(Shown::of));
        widen(&row);
    }
    if widths.iter().any(|&w| w > usize::from(u16::MAX)) {
        return None; // comfy-table splits such lines
    }
    let line_bytes: usize = widths.iter().map(|w| w + 2).sum::<usize>() + 3 * n + 2;
    let mut out = String::with_capacity(line_bytes * (section.rows.len() + 4) * 3 / 2);
    rule(&mut out, &widths, ['┌', '─', '┬', '┐']);
    write_row(&mut out, &header, &widths);
    rule(&mut out, &widths, ['╞', '═', '╪', '╡']);
    for r in &section.rows {
        row.clear();
        row.extend(r.iter().map(Shown::of));
        write_row(&mut out, &row, &widths);
    }
    rule(&mut out, &widths, ['└', '─', '┴', '┘']);
    out.pop(); // no line break after the last line
    Some(out)
}

/// A cell as shown, and whether it is a figure (set to the right).
struct Shown<'a> {
    text: Cow<'a, str>,
    right: bool,
}

impl<'a> Shown<'a> {
    fn of(cell: &'a Cell) -> Shown<'a> {
        let text = match cell {
            Cell::Text(t) => Cow::Borrowed(t.as_str()),
            other => Cow::Owned(other.display()),
        };
        Shown { text, right: cell.is_number() }
    }
}

/// A border line: left corner, fill, junction, right corner.
fn rule(out: &mut String, widths: &[usize], [left, fill, junction, right]: [char; 4]) {
    out.push(left);
    for (i, w) in widths.iter().enumerate() {
        if i > 0 {
            out.push(junction);
        }
        out.extend(std::iter::repeat_n(fill, w + 2));
    }
    out.push(right);
    out.push('\n');
}

/// The lines of one row: as many as its tallest cell, the others' filled with spaces.
fn write_row(out: &mut String, row: &[Shown], widths: &[usize]) {
    let tallest = row.iter().map(|c| memchr::memchr_iter(b'\n', c.text.as_bytes()).count() + 1).max().unwrap_or(1);
    for k in 0..tallest {
        out.push('│');
        for (i, (cell, &w)) in row.iter().zip(widths).enumerate() {
            if i > 0 {
                out.push('┆');
            }
            match cell.text.split('\n').nth(k) {
                Some(line) => {
                    let room = w - line.width();
                    let (before, after) = if cell.right { (room, 0) } else { (0, room) };
                    spaces(out, 1 + before);
                    out.push_str(line);
                    spaces(out, after + 1);
                }
                None => spaces(out, w + 2),
            }
        }
        out.push('│');
        out.push('\n');
    }
}

fn spaces(out: &mut String, mut n: usize) {
    const SPACES: &str = "                                                                ";
    while n > 0 {
        let take = n.min(SPACES.len());
        out.push_str(&SPACES[..take]);
        n -= take;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::text::{table_of, Style};
    use proptest::prelude::*;

    fn cell() -> impl Strategy<Value = Cell> {
        prop_oneof![
            // Wide, narrow and zero-width characters, controls, line breaks.
            "[a-z 群力镇化解率—😀\u{301}\u{200b}\u{1b}\t\r\n]{0,12}".prop_map(Cell::Text),
            any::<i32>().prop_map(|n| Cell::Int(n.into())),
            proptest::option::of(0.0f64..1.0).prop_map(Cell::Rate),
            (0.0f64..100.0).prop_map(Cell::Score),
            Just(Cell::Date(chrono::NaiveDate::from_ymd_opt(2022, 3, 9).unwrap_or_default())),
            Just(Cell::Empty),
        ]
    }

    fn section() -> impl Strategy<Value = Section> {
        (1usize..6).prop_flat_map(|n| {
            (
                proptest::collection::vec("[a-z 案号姓名\\n]{0,8}", n),
                proptest::collection::vec(proptest::collection::vec(cell(), n), 0..8),
            )
                .prop_map(|(headers, rows)| Section { headers, rows, ..Section::default() })
        })
    }

    proptest! {
        #[test]
        fn drawn_here_as_comfy_table_draws_it(s in section()) {
            let ours = text(&s).expect("rows as long as the header");
            let theirs = table_of(&s, Style::plain()).to_string();
            prop_assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn rows_of_another_length_are_left_to_comfy_table() {
        let mut s = Section { headers: vec!["a".into(), "b".into()], ..Section::default() };
        s.rows.push(vec![Cell::Int(1)]);
        assert!(text(&s).is_none());
        s.rows[0].push(Cell::Int(2));
        assert_eq!(text(&s).map(|t| t.lines().count()), Some(5), "top, header, rule, the row, bottom");
    }
}
