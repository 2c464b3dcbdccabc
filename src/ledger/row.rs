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

    /// Whether this event cancels an earlier row (`undo`, 撤销).
    pub fn undoes(self) -> bool {
        matches!(
            self,
            Event::Visit(VisitEvent::Undo) | Event::Letter(LetterEvent::Undo) | Event::Dispute(DisputeEvent::Undo)
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
    /// `rate`: the person's rating.
    pub rating: Option<Rating>,
    pub signers: Option<u32>,
    pub tone: Option<Tone>,
    pub level: Option<DisputeLevel>,
    /// `screen`: new disputes found.
    pub found: Option<u32>,
    /// `undo`: the line of the row it cancels.
    pub undoes: Option<u64>,
}

/// A short list of known names (leaders, villages, categories), looked up
/// by bytes. A name's key (its first eight bytes and its length) picks a
/// slot of a small table, so a look-up costs one probe and one comparison.
struct Names<'s> {
    names: Vec<&'s str>,
    keys: Vec<u64>,
    /// Slot → 1 + the index of the one name whose key lands there, 0 for
    /// none, `SHARED` for more than one (then the names are scanned).
    slots: [u16; NAME_SLOTS],
}

const NAME_SLOTS: usize = 256;
const SHARED: u16 = u16::MAX;

impl<'s> Names<'s> {
    fn new(names: Vec<&'s str>) -> Self {
        let keys: Vec<u64> = names.iter().map(|n| name_key(n.as_bytes())).collect();
        let mut slots = [0u16; NAME_SLOTS];
        for (i, &k) in keys.iter().enumerate() {
            let slot = &mut slots[name_slot(k)];
            *slot = if *slot == 0 && i + 1 < SHARED as usize { i as u16 + 1 } else { SHARED };
        }
        Names { names, keys, slots }
    }

    #[inline]
    fn find(&self, b: &[u8]) -> Option<u16> {
        let key = name_key(b);
        match self.slots[name_slot(key)] {
            0 => None,
            SHARED => self.names.iter().position(|n| n.as_bytes() == b).map(|i| i as u16),
            i => {
                let i = i - 1;
                let same =
                    self.keys[i as usize] == key && crate::lang::same_bytes(self.names[i as usize].as_bytes(), b);
                same.then_some(i)
            }
        }
    }
}

/// A word made of a name's first eight bytes and its length: equal names
/// have equal keys.
#[inline]
fn name_key(b: &[u8]) -> u64 {
    let head = match b.get(..8) {
        Some(eight) => u64::from_le_bytes(eight.try_into().unwrap_or([0; 8])),
        None => b.iter().rev().fold(0u64, |acc, &c| (acc << 8) | c as u64),
    };
    head ^ (b.len() as u64).rotate_right(8)
}

/// The table slot of a key (the top bits of a multiplicative hash).
#[inline]
fn name_slot(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as usize
}

/// A date as written, and what it means.
type DateSeen = ((u64, u16), NaiveDate);

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
        let key = date_key(b)?;
        if let Some((seen, d)) = last.get() {
            if seen == key {
                return Some(d);
            }
        }
        let d = crate::period::parse_date_bytes(b)?;
        last.set(Some((key, d)));
        Some(d)
    }
}

/// Ten bytes (a date's length) as two numbers, to compare at once.
#[inline]
fn date_key(b: &[u8]) -> Option<(u64, u16)> {
    let b: &[u8; 10] = b.try_into().ok()?;
    let head = u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
    Some((head, u16::from_le_bytes([b[8], b[9]])))
}

/// Collects the problems of one row while its fields are parsed; what
/// reports a problem is kept out of the way of the common path (`#[cold]`).
struct Fields<'r, 'a, 's> {
    raw: &'r RawRow<'a>,
    lookup: &'r Lookup<'s>,
    errors: Vec<String>,
    /// The row's event in Chinese, once known (for messages).
    event_zh: &'static str,
}

impl<'r, 'a, 's> Fields<'r, 'a, 's> {
    fn new(raw: &'r RawRow<'a>, lookup: &'r Lookup<'s>) -> Self {
        Fields { raw, lookup, errors: Vec::new(), event_zh: "任何" }
    }

    /// The field's bytes, trimmed.
    #[inline]
    fn bytes(&self, col: Col) -> &'a [u8] {
        let raw = self.raw;
        raw.record.get(raw.header.position(col)).unwrap_or(b"").trim_ascii()
    }

    fn text(&self, col: Col) -> &'a str {
        std::str::from_utf8(self.bytes(col)).unwrap_or("").trim()
    }

    #[cold]
    #[inline(never)]
    fn fail(&mut self, col: Col, message: String) {
        let name = self.raw.header.name(col).to_string();
        self.errors.push(format!("{name}: {}", visible(&message)));
    }

    /// The field as a message may quote it: only what cannot be a person's
    /// name (short ASCII), so that a name shifted into the wrong column is
    /// never echoed (SPEC §8.4).
    fn shown(&self, col: Col) -> String {
        let t = self.text(col);
        let a_header = self.raw.header.kind.columns().iter().any(|c| c.zh == t || c.en.eq_ignore_ascii_case(t));
        let plain = t.trim_start_matches('\u{feff}');
        if (plain.len() <= 24 && plain.is_ascii()) || a_header {
            crate::lang::messages().pick(format!("“{t}”"), format!("\"{t}\""))
        } else {
            crate::lang::messages().pick(
                format!("（{} 个字符的内容，不予显示：可能是错列的姓名）", t.chars().count()),
                format!(
                    "(a value of {} characters, not shown: it may be a name in the wrong column)",
                    t.chars().count()
                ),
            )
        }
    }

    #[cold]
    #[inline(never)]
    fn unknown(&mut self, col: Col, what: &str, known: Vec<&str>) {
        let t = self.text(col);
        // A near miss of a known name is a typo of an official's name, a village or a category: say which.
        let m = match crate::error::nearest(t, known.iter().copied()) {
            Some(_) => unknown(what, t, known),
            None => {
                let some: Vec<&str> = known.iter().copied().filter(|k| !k.is_ascii()).take(20).collect();
                let some = if some.is_empty() { known.iter().copied().take(20).collect() } else { some };
                crate::lang::messages().pick(
                    format!("不认识的{}{}；可写：{}", crate::error::what_zh(what), self.shown(col), some.join("、")),
                    format!("unknown {what} {}; write one of: {}", self.shown(col), some.join(", ")),
                )
            }
        };
        self.fail(col, m);
    }

    /// Words a problem of the field in `col` (off the common path).
    #[cold]
    #[inline(never)]
    fn problem(&mut self, col: Col, problem: FieldProblem) {
        let message = match problem {
            FieldProblem::Required(event) => crate::lang::messages()
                .pick(format!("“{}”事件必须填写", self.event_zh), format!("required for event \"{event}\"")),
            FieldProblem::DateOutside(d) => crate::lang::messages().pick(
                format!("{d} 不在 {} 至 {} 之间", self.lookup.first, self.lookup.last),
                format!("{d} lies outside {} to {}", self.lookup.first, self.lookup.last),
            ),
            FieldProblem::NotADate => crate::lang::messages().pick(
                format!("{} 不是日期；请写成 YYYY-MM-DD", self.shown(col)),
                format!("{} is not a date; write YYYY-MM-DD", self.shown(col)),
            ),
            FieldProblem::NotACount(min) => crate::lang::messages().pick(
                format!("{} 不是 {min} 到 100000 之间的整数", self.shown(col)),
                format!("{} is not a whole number from {min} to 100000", self.shown(col)),
            ),
            FieldProblem::NotACase(kind) => crate::lang::messages().pick(
                format!("{} 不是案号；案号形如 {}2022-0001", self.shown(col), kind.prefix()),
                format!("{} is not a case number like {}2022-0001", self.shown(col), kind.prefix()),
            ),
        };
        self.fail(col, message);
    }

    #[inline]
    fn need(&mut self, col: Col, required: bool, event: &'static str) -> bool {
        let empty = self.bytes(col).is_empty();
        if empty && required {
            self.problem(col, FieldProblem::Required(event));
        }
        !empty
    }

    fn date(&mut self, col: Col) -> Option<NaiveDate> {
        // Bytes are already trimmed: a date is exactly ten of them.
        match self.lookup.date(self.bytes(col), col) {
            Some(d) if d >= self.lookup.first && d <= self.lookup.last => Some(d),
            Some(d) => {
                self.problem(col, FieldProblem::DateOutside(d));
                None
            }
            None => {
                self.problem(col, FieldProblem::NotADate);
                None
            }
        }
    }

    fn index(&mut self, col: Col, what: &str, names: &Names) -> Option<u16> {
        let found = names.find(self.bytes(col));
        if found.is_none() {
            self.unknown(col, what, names.names.clone());
        }
        found
    }

    fn line_number(&mut self, col: Col) -> Option<u64> {
        let b = self.bytes(col);
        let n = (!b.is_empty() && b.len() <= 12 && b.iter().all(u8::is_ascii_digit))
            .then(|| std::str::from_utf8(b).ok()?.parse::<u64>().ok())
            .flatten()
            .filter(|&n| n >= 2);
        if n.is_none() {
            let m = crate::lang::messages().pick(
                format!("{} 不是行号（应为 2 或更大的整数）", self.shown(col)),
                format!("{} is not the line number of a row (2 or more)", self.shown(col)),
            );
            self.fail(col, m);
        }
        n
    }

    fn count(&mut self, col: Col, min: u32) -> Option<u32> {
        let b = self.bytes(col);
        let n = (!b.is_empty() && b.len() <= 6)
            .then(|| {
                b.iter().try_fold(0u32, |acc, &c| {
                    let d = c.wrapping_sub(b'0');
                    (d <= 9).then_some(acc * 10 + d as u32)
                })
            })
            .flatten();
        match n {
            Some(n) if n >= min && n <= 100_000 => Some(n),
            _ => {
                self.problem(col, FieldProblem::NotACount(min));
                None
            }
        }
    }

    fn case(&mut self, kind: LedgerKind) -> Option<CaseId> {
        match CaseId::parse_bytes(self.bytes(Col::Case)) {
            Some(c) if c.kind == kind => Some(c),
            _ => {
                self.problem(Col::Case, FieldProblem::NotACase(kind));
                None
            }
        }
    }
}

/// What is wrong with a field, to be worded only when it happens.
enum FieldProblem {
    Required(&'static str),
    DateOutside(NaiveDate),
    NotADate,
    NotACount(u32),
    NotACase(LedgerKind),
}

macro_rules! enum_field {
    ($f:expr, $col:expr, $ty:ty, $what:expr) => {{
        let found = <$ty>::parse_bytes($f.bytes($col));
        if found.is_none() {
            $f.unknown($col, $what, <$ty>::spellings());
        }
        found
    }};
}

/// Parses a row of `kind`; `Err` holds every field problem.
pub fn parse(raw: &RawRow, kind: LedgerKind, lookup: &Lookup) -> Result<Row, Vec<String>> {
    let mut f = Fields::new(raw, lookup);
    let event = match kind {
        LedgerKind::Visits => enum_field!(f, Col::Event, VisitEvent, "event").map(Event::Visit),
        LedgerKind::Letters => enum_field!(f, Col::Event, LetterEvent, "event").map(Event::Letter),
        LedgerKind::Disputes => enum_field!(f, Col::Event, DisputeEvent, "event").map(Event::Dispute),
    };
    let date = if f.need(Col::Date, true, "any") { f.date(Col::Date) } else { None };
    let Some(event) = event else { return Err(f.errors) };
    let ev = event.label(crate::lang::Lang::En);
    f.event_zh = event.label(crate::lang::Lang::Zh);

    let case = if event.caseless() {
        if !f.bytes(Col::Case).is_empty() {
            let m = crate::lang::messages()
                .pick(format!("“{}”事件不填案号", f.event_zh), format!("must be empty for event \"{ev}\""));
            f.fail(Col::Case, m);
        }
        None
    } else if event.undoes() {
        // The cancelled row's case, or empty for a session or screening.
        if f.bytes(Col::Case).is_empty() {
            None
        } else {
            f.case(kind)
        }
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
        rating: None,
        signers: None,
        tone: None,
        level: None,
        found: None,
        undoes: None,
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
        Event::Visit(V::Escalate | V::Undo | V::Rate) => (false, false, false, false, false),
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
    f.need(Col::Note, note || event.undoes(), ev);
    if event.undoes() {
        // `ref` names the line cancelled.
        if f.need(Col::Ref, true, ev) {
            row.undoes = f.line_number(Col::Ref);
        }
    } else if !f.bytes(Col::Ref).is_empty() {
        match CaseId::parse_bytes(f.bytes(Col::Ref)) {
            Some(c) => row.reference = Some(c),
            None => {
                let v = f.shown(Col::Ref);
                let m = crate::lang::messages().pick(
                    format!("{v} 不是案号；案号形如 L2022-0001"),
                    format!("{v} is not a case number like L2022-0001"),
                );
                f.fail(Col::Ref, m);
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
                Event::Visit(V::Rate) if f.need(Col::Detail, true, ev) => {
                    row.rating = enum_field!(f, Col::Detail, Rating, "rating")
                }
                _ => {}
            }
        }
        LedgerKind::Letters => {
            if event == Event::Letter(L::Rate) && f.need(Col::Detail, true, ev) {
                row.rating = enum_field!(f, Col::Detail, Rating, "rating");
            }
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
                    row.found = if f.bytes(Col::Detail).is_empty() { Some(0) } else { f.count(Col::Detail, 0) };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_found_by_their_whole_bytes() {
        let list = vec!["李军", "蒋成华", "蒋成华华", "管小波", "ab", "abcdefgh", "abcdefghi", "abcdefghj"];
        let names = Names::new(list.clone());
        for (i, n) in list.iter().enumerate() {
            assert_eq!(names.find(n.as_bytes()), Some(i as u16), "{n}");
        }
        for absent in ["", "李", "李军军", "蒋成", "abcdefgx", "abcdefghk", "a", "abcdefghij", "管小波 "] {
            assert_eq!(names.find(absent.as_bytes()), None, "{absent}");
        }
    }

    #[test]
    fn names_sharing_a_slot_are_scanned() {
        // More names than slots: some must share, and all are still found.
        let owned: Vec<String> = (0..600).map(|i| format!("村{i}")).collect();
        let names = Names::new(owned.iter().map(String::as_str).collect());
        assert!(names.slots.contains(&SHARED));
        for (i, n) in owned.iter().enumerate() {
            assert_eq!(names.find(n.as_bytes()), Some(i as u16));
        }
        assert_eq!(names.find("村600".as_bytes()), None);
    }

    #[test]
    fn dates_are_remembered_per_column() {
        let toml = "township = \"t\"\nyear = 2022\nvillages = [\"天灵村\"]\n[[leaders]]\nname = \"管小波\"\nrole = \"principal\"\n";
        let settings = crate::config::parse(toml, "qunli.toml").unwrap();
        let lookup = Lookup::new(&settings);
        let d = |s: &str, col| lookup.date(s.as_bytes(), col);
        assert_eq!(d("2022-03-01", Col::Date), "2022-03-01".parse().ok());
        assert_eq!(d("2022-03-31", Col::Detail), "2022-03-31".parse().ok());
        assert_eq!(d("2022-03-01", Col::Date), "2022-03-01".parse().ok());
        assert_eq!(d("2022-03-02", Col::Date), "2022-03-02".parse().ok());
        assert_eq!(d("2022-02-30", Col::Date), None);
        assert_eq!(d("2022-03-0", Col::Date), None);
    }
}
