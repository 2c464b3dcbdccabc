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
use unicode_width::UnicodeWidthStr;

/// The lines of `section`'s table (without line breaks), or `None` where
/// comfy-table must lay it out.
pub fn lines(section: &Section) -> Option<Vec<String>> {
    let n = section.headers.len();
    if n == 0 || section.rows.iter().any(|r| r.len() != n) {
        return None;
    }
    let header: Vec<Lines> = section.headers.iter().map(|h| Lines::of(h.clone(), false)).collect();
    let rows: Vec<Vec<Lines>> = section
        .rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| Lines::of(c.display(), matches!(c, Cell::Int(_) | Cell::Rate(_) | Cell::Score(_))))
                .collect()
        })
        .collect();
    // Each column's content width: its widest line, one column at least.
    let mut widths = vec![1usize; n];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.widest);
        }
    }
    if widths.iter().any(|&w| w > usize::from(u16::MAX)) {
        return None; // comfy-table splits such lines
    }
    let rule = |left: char, fill: char, junction: char, right: char| {
        let mut line = String::new();
        line.push(left);
        for (i, w) in widths.iter().enumerate() {
            if i > 0 {
                line.push(junction);
            }
            line.extend(std::iter::repeat_n(fill, w + 2));
        }
        line.push(right);
        line
    };
    let mut out = Vec::with_capacity(rows.len() + 4);
    out.push(rule('┌', '─', '┬', '┐'));
    push_row(&mut out, &header, &widths);
    out.push(rule('╞', '═', '╪', '╡'));
    for row in &rows {
        push_row(&mut out, row, &widths);
    }
    out.push(rule('└', '─', '┴', '┘'));
    Some(out)
}

/// A cell's lines, its widest, and whether it is a figure (set to the right).
struct Lines {
    lines: Vec<(String, usize)>,
    widest: usize,
    right: bool,
}

impl Lines {
    fn of(text: String, right: bool) -> Lines {
        let lines: Vec<(String, usize)> = text
            .split('\n')
            .map(|l| {
                let w = l.width();
                (l.to_string(), w)
            })
            .collect();
        let widest = lines.iter().map(|(_, w)| *w).max().unwrap_or(0);
        Lines { lines, widest, right }
    }
}

/// The lines of one row: as many as its tallest cell, the others padded with spaces.
fn push_row(out: &mut Vec<String>, row: &[Lines], widths: &[usize]) {
    let tallest = row.iter().map(|c| c.lines.len()).max().unwrap_or(0);
    for k in 0..tallest {
        let mut line = String::from('│');
        for (i, (cell, &w)) in row.iter().zip(widths).enumerate() {
            if i > 0 {
                line.push('┆');
            }
            match cell.lines.get(k) {
                Some((text, tw)) => {
                    let room = w - tw;
                    let (before, after) = if cell.right { (room, 0) } else { (0, room) };
                    line.extend(std::iter::repeat_n(' ', 1 + before));
                    line.push_str(text);
                    line.extend(std::iter::repeat_n(' ', after + 1));
                }
                None => line.extend(std::iter::repeat_n(' ', w + 2)),
            }
        }
        line.push('│');
        out.push(line);
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
            let ours = lines(&s).expect("rows as long as the header").join("\n");
            let theirs = table_of(&s, Style::plain()).to_string();
            prop_assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn rows_of_another_length_are_left_to_comfy_table() {
        let mut s = Section { headers: vec!["a".into(), "b".into()], ..Section::default() };
        s.rows.push(vec![Cell::Int(1)]);
        assert!(lines(&s).is_none());
        s.rows[0].push(Cell::Int(2));
        assert_eq!(lines(&s).map(|l| l.len()), Some(5), "top, header, rule, the row, bottom");
    }
}
