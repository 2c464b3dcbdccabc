//! A rendered report's shape, shared by the table, markdown, CSV and
//! spreadsheet renderers: a title, a few lines, then sections of rows.

use chrono::NaiveDate;

/// One value of a table.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    /// A rate in [0, 1]; `None` is shown `—`.
    Rate(Option<f64>),
    Date(NaiveDate),
    /// A score with one decimal, a number in every format.
    Score(f64),
    Empty,
}

impl Cell {
    /// How the cell reads in text output.
    pub fn display(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Rate(Some(r)) => format!("{:.1}%", r * 100.0),
            Cell::Rate(None) => "—".into(),
            Cell::Date(d) => d.to_string(),
            Cell::Score(x) => format!("{x:.1}"),
            Cell::Empty => String::new(),
        }
    }

    /// Whether the cell is a number (a count, a rate, a score), set to the
    /// right in every format that aligns.
    pub fn is_number(&self) -> bool {
        matches!(self, Cell::Int(_) | Cell::Rate(_) | Cell::Score(_))
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}
impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}
impl From<&String> for Cell {
    fn from(s: &String) -> Self {
        Cell::Text(s.clone())
    }
}
impl From<usize> for Cell {
    fn from(n: usize) -> Self {
        Cell::Int(n as i64)
    }
}
impl From<u32> for Cell {
    fn from(n: u32) -> Self {
        Cell::Int(n as i64)
    }
}
impl From<i64> for Cell {
    fn from(n: i64) -> Self {
        Cell::Int(n)
    }
}
/// A count that may have nothing to measure: `—` then.
impl From<Option<usize>> for Cell {
    fn from(n: Option<usize>) -> Self {
        n.map_or_else(|| Cell::Text("—".into()), Cell::from)
    }
}
impl From<Option<u32>> for Cell {
    fn from(n: Option<u32>) -> Self {
        n.map_or_else(|| Cell::Text("—".into()), Cell::from)
    }
}
impl From<NaiveDate> for Cell {
    fn from(d: NaiveDate) -> Self {
        Cell::Date(d)
    }
}
impl From<Option<NaiveDate>> for Cell {
    fn from(d: Option<NaiveDate>) -> Self {
        d.map_or(Cell::Empty, Cell::Date)
    }
}
impl From<Option<String>> for Cell {
    fn from(s: Option<String>) -> Self {
        s.map_or(Cell::Empty, Cell::Text)
    }
}

/// A titled table.
#[derive(Clone, Debug, Default)]
pub struct Section {
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Shown instead of an empty table.
    pub empty_note: Option<String>,
}

impl Section {
    pub fn new(title: impl Into<String>, headers: &[&str]) -> Self {
        Section { title: title.into(), headers: headers.iter().map(|h| h.to_string()).collect(), ..Default::default() }
    }

    pub fn row(&mut self, cells: Vec<Cell>) {
        self.rows.push(cells);
    }

    pub fn when_empty(mut self, note: impl Into<String>) -> Self {
        self.empty_note = Some(note.into());
        self
    }
}

/// How a chart draws its series.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKind {
    /// Vertical bars side by side, one group a category.
    Column,
    /// Horizontal bars (a ranking).
    Bar,
    /// Lines over the categories (months).
    Line,
}

/// One series of a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: String,
    /// One value a category; `None` where there is nothing to measure.
    pub values: Vec<Option<f64>>,
}

/// A chart drawn from a report's own figures, never recomputed: native in
/// the workbook, inline SVG in the page.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    pub title: String,
    pub kind: ChartKind,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    /// The values are rates in [0, 1], shown as percentages.
    pub percent: bool,
}

/// How a line of a document is shown: the verdict, failed or passed, or plain
/// text. Every renderer colours the verdict from this one reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Emphasis {
    Failed,
    Passed,
    Plain,
}

impl Emphasis {
    /// The emphasis of `line`: a verdict starts with 结论： / Verdict: and failed when it says 不合格 / FAIL.
    pub fn of(line: &str) -> Emphasis {
        if !(line.starts_with("结论：") || line.starts_with("Verdict: ")) {
            Emphasis::Plain
        } else if line.contains("不合格") || line.contains("FAIL") {
            Emphasis::Failed
        } else {
            Emphasis::Passed
        }
    }
}

/// A whole document: title, lines of text, sections.
#[derive(Clone, Debug, Default)]
pub struct Doc {
    pub title: String,
    pub lines: Vec<String>,
    pub sections: Vec<Section>,
    /// For a report with a verdict: how many findings are errors (the e-mail's subject says so).
    pub errors: Option<usize>,
    /// The ledgers' 台账校验码 the report was made from, and its footer line.
    pub ledgers: Option<(crate::ledger::history::Heads, String)>,
    /// The key figures, for a workbook's summary sheet.
    pub figures: Vec<(String, Cell)>,
    /// Charts of the report's figures.
    pub charts: Vec<Chart>,
}

impl Doc {
    /// Carries the 台账校验码 of the ledgers the report was made from.
    pub fn with_ledgers(mut self, heads: crate::ledger::history::Heads, lang: crate::lang::Lang) -> Self {
        let footer = heads.footer(lang);
        self.ledgers = Some((heads, footer));
        self
    }

    /// The footer line, if the report has one.
    pub fn footer(&self) -> Option<&str> {
        self.ledgers.as_ref().map(|(_, f)| f.as_str())
    }
}
