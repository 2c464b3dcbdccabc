//! A ledger row parsed into typed fields, with every field problem named.

use super::model::*;
use super::reader::RawRow;
use crate::config::Settings;
use crate::error::unknown;
use chrono::NaiveDate;

/// An event of any ledger.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    Visit(VisitEvent),
    Letter(LetterEvent),
    Dispute(DisputeEvent),
}

impl Event {
    /// Whether this event opens a case (`receive`, `open`).
    pub fn opens(self) -> bool {
        matches!(
            self,
            Event::Visit(VisitEvent::Receive)
                | Event::Letter(LetterEvent::Receive)
                | Event::Dispute(DisputeEvent::Open)
        )
    }

    /// Whether this event voids its case.
    pub fn voids(self) -> bool {
        matches!(
            self,
            Event::Visit(VisitEvent::Void) | Event::Letter(LetterEvent::Void) | Event::Dispute(DisputeEvent::Void)
        )
    }

    /// Whether rows of this event carry no case number.
    pub fn caseless(self) -> bool {
        matches!(self, Event::Visit(VisitEvent::Session) | Event::Dispute(DisputeEvent::Screen))
    }

    pub fn label(self, lang: crate::lang::Lang) -> &'static str {
        match self {
            Event::Visit(e) => e.label(lang),
            Event::Letter(e) => e.label(lang),
            Event::Dispute(e) => e.label(lang),
        }
    }
}

/// The typed fields of one row. Free text stays in the file.
#[derive(Clone, Copy, Debug)]
pub struct Row {
    pub line: u64,
    pub case: Option<CaseId>,
    pub date: NaiveDate,
    pub event: Event,
    pub leader: Option<u16>,
    pub mode: Option<Mode>,
    pub village: Option<u16>,
    pub headcount: Option<u32>,
    pub category: Option<u16>,
    pub reference: Option<CaseId>,
    /// `assign`: the deadline (化解时限).
    pub deadline: Option<NaiveDate>,
    /// `escalate`: where it went.
    pub to: Option<EscalateTo>,
    pub signers: Option<u32>,
    pub tone: Option<Tone>,
    pub level: Option<DisputeLevel>,
    /// `screen`: new disputes found.
    pub found: Option<u32>,
}

/// A short list of known names (leaders, villages, categories), looked up
/// by bytes: for a dozen names a scan beats hashing, and comparing a word
/// made of each name's length and first bytes spares nearly every byte
/// comparison that cannot match.
struct Names<'s> {
    names: Vec<&'s str>,
    keys: Vec<u64>,
}

impl<'s> Names<'s> {
    fn new(names: Vec<&'s str>) -> Self {
        let keys = names.iter().map(|n| name_key(n.as_bytes())).collect();
        Names { names, keys }
    }

    fn find(&self, b: &[u8]) -> Option<u16> {
        let key = name_key(b);
        let mut at = 0;
        while let Some(i) = self.keys[at..].iter().position(|&k| k == key) {
            let i = at + i;
            if self.names[i].as_bytes() == b {
                return Some(i as u16);
            }
            at = i + 1;
        }
        None
    }
}

/// A name's length and its first seven bytes, in one word.
fn name_key(b: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    let n = b.len().min(7);
    word[..n].copy_from_slice(&b[..n]);
    word[7] = b.len().min(255) as u8;
    u64::from_le_bytes(word)
}

/// A date as written, and what it means.
type DateSeen = ([u8; 10], NaiveDate);

/// Names to indexes, built once per load.
pub struct Lookup<'s> {
    pub settings: &'s Settings,
    leaders: Names<'s>,
    villages: Names<'s>,
    categories: Names<'s>,
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// The last date parsed in each date column (the date, a deadline), to
    /// skip re-parsing runs of equal dates.
    last_dates: [std::cell::Cell<Option<DateSeen>>; 2],
}

impl<'s> Lookup<'s> {
    pub fn new(settings: &'s Settings) -> Self {
        let (first, last) = settings.date_range();
        Lookup {
            settings,
            leaders: Names::new(settings.leaders.iter().map(|l| l.name.as_str()).collect()),
            villages: Names::new(settings.villages.iter().map(String::as_str).collect()),
            categories: Names::new(settings.categories().collect()),
            first,
            last,
            last_dates: Default::default(),
        }
    }

    fn date(&self, b: &[u8], col: Col) -> Option<NaiveDate> {
        let last = &self.last_dates[usize::from(col != Col::Date)];
        let arr = <[u8; 10]>::try_from(b).ok()?;
        if let Some((bytes, d)) = last.get() {
            if bytes == arr {
                return Some(d);
            }
        }
        let d = crate::period::parse_date_bytes(b)?;
        last.set(Some((arr, d)));
        Some(d)
    }
}

/// Collects the problems of one row while its fields are parsed.
struct Fields<'r, 'a, 's> {
    raw: &'r RawRow<'a>,
    lookup: &'r Lookup<'s>,
    errors: Vec<String>,
}

impl Fields<'_, '_, '_> {
    fn name(&self, col: Col) -> String {
        self.raw.header.name(col).to_string()
    }

    fn fail(&mut self, col: Col, message: String) {
        let name = self.name(col);
        self.errors.push(format!("{name}: {}", visible(&message)));
    }

    fn text(&self, col: Col) -> &str {
        self.raw.text(col)
    }

    fn need(&mut self, col: Col, required: bool, event: &str) -> bool {
        let empty = self.raw.bytes(col).is_empty();
        if empty && required {
            self.fail(col, format!("required for event \"{event}\""));
        }
        !empty
    }

    fn date(&mut self, col: Col) -> Option<NaiveDate> {
        let raw = self.raw.bytes(col);
        // Bytes are already trimmed: a date is exactly ten of them.
        let d = self.lookup.date(raw, col);
        match d {
            Some(d) if d < self.lookup.first || d > self.lookup.last => {
                self.fail(col, format!("{d} lies outside {} to {}", self.lookup.first, self.lookup.last));
                None
            }
            Some(d) => Some(d),
            None => {
                let trimmed = self.text(col).to_string();
                self.fail(col, format!("\"{trimmed}\" is not a date; write YYYY-MM-DD"));
                None
            }
        }
    }

    fn index(&mut self, col: Col, what: &str, names: &Names) -> Option<u16> {
        let found = names.find(self.raw.bytes(col));
        if found.is_none() {
            let m = unknown(what, self.text(col), names.names.iter().copied());
            self.fail(col, m);
        }
        found
    }

    fn count(&mut self, col: Col, min: u32) -> Option<u32> {
        let b = self.raw.bytes(col);
        let n = (!b.is_empty() && b.len() <= 6 && b.iter().all(u8::is_ascii_digit))
            .then(|| b.iter().fold(0u32, |acc, d| acc * 10 + (d - b'0') as u32));
        match n {
            Some(n) if n >= min && n <= 100_000 => Some(n),
            _ => {
                let v = self.text(col);
                self.fail(col, format!("\"{v}\" is not a whole number from {min} to 100000"));
                None
            }
        }
    }

    fn case(&mut self, kind: LedgerKind) -> Option<CaseId> {
        match CaseId::parse_bytes(self.raw.bytes(Col::Case)) {
            Some(c) if c.kind == kind => Some(c),
            _ => {
                let v = self.text(Col::Case);
                let p = kind.prefix();
                self.fail(Col::Case, format!("\"{v}\" is not a case number like {p}2022-0001"));
                None
            }
        }
    }
}

macro_rules! enum_field {
    ($f:expr, $col:expr, $ty:ty, $what:expr) => {{
        match <$ty>::parse_bytes($f.raw.bytes($col)) {
            Some(e) => Some(e),
            None => {
                let v = $f.text($col).to_string();
                let m = unknown($what, &v, <$ty>::spellings());
                $f.fail($col, m);
                None
            }
        }
    }};
}

/// Parses a row of `kind`; `Err` holds every field problem.
pub fn parse(raw: &RawRow, kind: LedgerKind, lookup: &Lookup) -> Result<Row, Vec<String>> {
    let mut f = Fields { raw, lookup, errors: Vec::new() };
    let event = match kind {
        LedgerKind::Visits => enum_field!(f, Col::Event, VisitEvent, "event").map(Event::Visit),
        LedgerKind::Letters => enum_field!(f, Col::Event, LetterEvent, "event").map(Event::Letter),
        LedgerKind::Disputes => enum_field!(f, Col::Event, DisputeEvent, "event").map(Event::Dispute),
    };
    let date = if f.need(Col::Date, true, "any") { f.date(Col::Date) } else { None };
    let Some(event) = event else { return Err(f.errors) };
    let ev = event.label(crate::lang::Lang::En);

    let case = if event.caseless() {
        if !f.raw.bytes(Col::Case).is_empty() {
            f.fail(Col::Case, format!("must be empty for event \"{ev}\""));
        }
        None
    } else if f.need(Col::Case, true, ev) {
        f.case(kind)
    } else {
        None
    };

    let mut row = Row {
        line: raw.line,
        case,
        date: date.unwrap_or(lookup.first),
        event,
        leader: None,
        mode: None,
        village: None,
        headcount: None,
        category: None,
        reference: None,
        deadline: None,
        to: None,
        signers: None,
        tone: None,
        level: None,
        found: None,
    };

    use DisputeEvent as D;
    use LetterEvent as L;
    use VisitEvent as V;
    // Which of the typed columns this event requires.
    let (leader, village, category, summary, note) = match event {
        Event::Visit(V::Session) => (true, false, false, false, false),
        Event::Visit(V::Receive) => (true, true, true, true, false),
        Event::Visit(V::Assign) => (true, false, false, false, true),
        Event::Visit(V::Refer | V::Extend | V::Resolve | V::Void) => (false, false, false, false, true),
        Event::Visit(V::Escalate) => (false, false, false, false, false),
        Event::Letter(L::Receive) => (false, false, true, true, false),
        Event::Letter(L::Review) => (true, false, false, false, false),
        Event::Letter(_) => (false, false, false, false, false),
        Event::Dispute(D::Screen) => (false, true, false, false, false),
        Event::Dispute(D::Open) => (false, true, true, true, false),
        Event::Dispute(_) => (false, false, false, false, false),
    };
    let has_leader = kind != LedgerKind::Disputes;
    if has_leader && f.need(Col::Leader, leader, ev) {
        row.leader = f.index(Col::Leader, "leader", &lookup.leaders);
    }
    if f.need(Col::Village, village, ev) {
        row.village = f.index(Col::Village, "village", &lookup.villages);
    }
    if f.need(Col::Category, category, ev) {
        row.category = f.index(Col::Category, "category", &lookup.categories);
    }
    f.need(Col::Summary, summary, ev);
    f.need(Col::Note, note, ev);
    if !f.raw.bytes(Col::Ref).is_empty() {
        match CaseId::parse_bytes(f.raw.bytes(Col::Ref)) {
            Some(c) => row.reference = Some(c),
            None => {
                let v = f.text(Col::Ref).to_string();
                f.fail(Col::Ref, format!("\"{v}\" is not a case number like L2022-0001"));
            }
        }
    }

    match kind {
        LedgerKind::Visits => {
            let receive = event == Event::Visit(V::Receive);
            if f.need(Col::Mode, receive || event == Event::Visit(V::Session), ev) {
                row.mode = enum_field!(f, Col::Mode, Mode, "mode");
            }
            f.need(Col::Visitors, receive, ev);
            if f.need(Col::Headcount, receive, ev) {
                row.headcount = f.count(Col::Headcount, 1);
            }
            match event {
                Event::Visit(V::Assign) if f.need(Col::Detail, true, ev) => row.deadline = f.date(Col::Detail),
                Event::Visit(V::Escalate) if f.need(Col::Detail, true, ev) => {
                    row.to = enum_field!(f, Col::Detail, EscalateTo, "destination")
                }
                _ => {}
            }
        }
        LedgerKind::Letters => {
            let receive = event == Event::Letter(L::Receive);
            f.need(Col::Sender, receive, ev);
            if f.need(Col::Signers, receive, ev) {
                row.signers = f.count(Col::Signers, 1);
            }
            if f.need(Col::Tone, receive, ev) {
                row.tone = enum_field!(f, Col::Tone, Tone, "tone");
            }
        }
        LedgerKind::Disputes => {
            let open = event == Event::Dispute(D::Open);
            f.need(Col::Parties, open, ev);
            if f.need(Col::Level, open, ev) {
                row.level = enum_field!(f, Col::Level, DisputeLevel, "level");
            }
            match event {
                Event::Dispute(D::Screen) => {
                    row.found = if f.raw.bytes(Col::Detail).is_empty() { Some(0) } else { f.count(Col::Detail, 0) };
                }
                Event::Dispute(D::Escalate) if f.need(Col::Detail, true, ev) => {
                    row.to = enum_field!(f, Col::Detail, EscalateTo, "destination")
                }
                _ => {}
            }
        }
    }
    if f.errors.is_empty() && date.is_some() {
        Ok(row)
    } else {
        Err(f.errors)
    }
}

/// Shows the characters a reader cannot see: a BOM, control characters.
pub fn visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{feff}' => out.push_str("<BOM>"),
            c if c.is_control() => out.push_str(&c.escape_default().to_string()),
            c => out.push(c),
        }
    }
    out
}
