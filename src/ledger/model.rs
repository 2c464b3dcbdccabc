//! What a ledger row can say: events, modes, case numbers, columns.

use crate::labeled_enum;
use std::fmt;

/// The people's rating (评价): named in `[kpi]` too, so it lives with the codes.
pub use crate::codes::Rating;

labeled_enum! {
    /// The three registers.
    pub enum LedgerKind {
        /// 接访下访登记簿
        Visits => ("visits", "接访"),
        /// 群众来信登记簿
        Letters => ("letters", "来信"),
        /// 矛盾纠纷排查调处台账
        Disputes => ("disputes", "纠纷"),
    }
}

impl LedgerKind {
    pub fn file_name(self) -> &'static str {
        match self {
            LedgerKind::Visits => "visits.csv",
            LedgerKind::Letters => "letters.csv",
            LedgerKind::Disputes => "disputes.csv",
        }
    }

    /// The letter case numbers start with.
    pub fn prefix(self) -> char {
        match self {
            LedgerKind::Visits => 'V',
            LedgerKind::Letters => 'L',
            LedgerKind::Disputes => 'D',
        }
    }

    /// The register's full Chinese name.
    pub fn title_zh(self) -> &'static str {
        match self {
            LedgerKind::Visits => "接访下访登记簿",
            LedgerKind::Letters => "群众来信登记簿",
            LedgerKind::Disputes => "矛盾纠纷排查调处台账",
        }
    }

    /// The columns of this ledger, in the order the tool writes them.
    pub fn columns(self) -> &'static [ColumnDef] {
        match self {
            LedgerKind::Visits => VISIT_COLUMNS,
            LedgerKind::Letters => LETTER_COLUMNS,
            LedgerKind::Disputes => DISPUTE_COLUMNS,
        }
    }

    pub fn column(self, col: Col) -> &'static ColumnDef {
        self.columns().iter().find(|c| c.col == col).expect("column of this ledger")
    }
}

labeled_enum! {
    /// An event of `visits.csv`.
    pub enum VisitEvent {
        Session => ("session", "接待"),
        Receive => ("receive", "登记"),
        Assign => ("assign", "包案"),
        Refer => ("refer", "转办"),
        Extend => ("extend", "延期"),
        Resolve => ("resolve", "化解"),
        Escalate => ("escalate", "上交"),
        Void => ("void", "作废"),
        Undo => ("undo", "撤销"),
        Rate => ("rate", "评价"),
    }
}

labeled_enum! {
    /// How a leader met the people.
    pub enum Mode {
        Public => ("public", "公开接访"),
        Appointment => ("appointment", "重点约访"),
        CaseVisit => ("case_visit", "带案下访"),
        HomeVisit => ("home_visit", "上门走访"),
        Survey => ("survey", "专题调研"),
        WorkDay => ("work_day", "群众工作日"),
    }
}

impl Mode {
    /// Whether a row of this mode counts as a session (SPEC §6.2).
    pub fn counts_as_session(self) -> bool {
        matches!(self, Mode::Public | Mode::Appointment | Mode::CaseVisit)
    }
}

labeled_enum! {
    /// Where an escalated matter went.
    pub enum EscalateTo {
        District => ("district", "到区"),
        City => ("city", "到市"),
        Beijing => ("beijing", "进京"),
        Criminal => ("criminal", "民转刑"),
    }
}

labeled_enum! {
    /// An event of `letters.csv`.
    pub enum LetterEvent {
        Receive => ("receive", "收信"),
        Review => ("review", "阅批"),
        Reply => ("reply", "答复"),
        Extend => ("extend", "延期"),
        Resolve => ("resolve", "办结"),
        Void => ("void", "作废"),
        Undo => ("undo", "撤销"),
        Rate => ("rate", "评价"),
    }
}

labeled_enum! {
    /// A letter's tone.
    pub enum Tone {
        Normal => ("normal", "一般"),
        Harsh => ("harsh", "言辞过激"),
    }
}

labeled_enum! {
    /// An event of `disputes.csv`.
    pub enum DisputeEvent {
        Screen => ("screen", "排查"),
        Open => ("open", "登记"),
        Mediate => ("mediate", "调处"),
        Refer => ("refer", "上报"),
        Resolve => ("resolve", "化解"),
        Escalate => ("escalate", "上交"),
        Void => ("void", "作废"),
        Undo => ("undo", "撤销"),
    }
}

labeled_enum! {
    /// Where a dispute is handled.
    pub enum DisputeLevel {
        Village => ("village", "村级"),
        Town => ("town", "镇级"),
    }
}

/// A case number: `V2022-0001`, `L2022-0001`, `D2022-0001`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CaseId {
    pub kind: LedgerKind,
    pub year: u16,
    pub num: u32,
}

impl CaseId {
    /// Parses `V2022-0001` (4 or more digits; no extra leading zeros beyond 4).
    pub fn parse(s: &str) -> Option<CaseId> {
        Self::parse_bytes(s.trim().as_bytes())
    }

    pub fn parse_bytes(b: &[u8]) -> Option<CaseId> {
        if b.len() < 10 || b[5] != b'-' {
            return None;
        }
        let kind = match b[0] {
            b'V' | b'v' => LedgerKind::Visits,
            b'L' | b'l' => LedgerKind::Letters,
            b'D' | b'd' => LedgerKind::Disputes,
            _ => return None,
        };
        let (y, n) = (&b[1..5], &b[6..]);
        if n.len() > 9 || (n.len() > 4 && n[0] == b'0') {
            return None;
        }
        // Digits in a plain loop: a branch a digit, no closures.
        let mut year = 0u32;
        for &c in y {
            let d = c.wrapping_sub(b'0');
            if d > 9 {
                return None;
            }
            year = year * 10 + d as u32;
        }
        let mut num = 0u32;
        for &c in n {
            let d = c.wrapping_sub(b'0');
            if d > 9 {
                return None;
            }
            num = num * 10 + d as u32;
        }
        (num > 0).then_some(CaseId { kind, year: year as u16, num })
    }

    /// A key unique within one ledger.
    pub fn key(self) -> u64 {
        ((self.year as u64) << 32) | self.num as u64
    }
}

impl fmt::Display for CaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{:04}-{:04}", self.kind.prefix(), self.year, self.num)
    }
}

impl serde::Serialize for CaseId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A column, whatever the ledger.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Col {
    Case,
    Date,
    Event,
    Leader,
    Mode,
    Village,
    Visitors,
    Headcount,
    Category,
    Summary,
    Ref,
    Detail,
    Note,
    Sender,
    Signers,
    Tone,
    Level,
    Parties,
}

impl Col {
    /// Free text as a person typed it (names, summary, note): stored with a
    /// leading `'` where a spreadsheet would take it for a formula (SPEC §5.1).
    pub fn is_free_text(self) -> bool {
        matches!(self, Col::Visitors | Col::Sender | Col::Parties | Col::Summary | Col::Note)
    }

    /// Holds the names of people: one line only (SPEC §5.1).
    pub fn is_names(self) -> bool {
        matches!(self, Col::Visitors | Col::Sender | Col::Parties)
    }
}

/// Whether a spreadsheet would read text starting so as a formula (or the text starts with the mark itself).
fn needs_mark(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r', '\''])
}

/// Free text as stored in a ledger: with one leading `'` where Excel or WPS
/// would run it as a formula, or where it starts with `'` itself.
pub fn store_text(s: &str) -> std::borrow::Cow<'_, str> {
    if needs_mark(s) {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Free text as typed: the one `'` that [`store_text`] put in front removed.
pub fn stored_text(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if needs_mark(rest) => rest,
        _ => s,
    }
}

/// How many kinds of [`Col`] there are.
pub const N_COLS: usize = 18;

/// A column of one ledger, with its English and Chinese header.
#[derive(Debug)]
pub struct ColumnDef {
    pub col: Col,
    pub en: &'static str,
    pub zh: &'static str,
    /// Holds personal names (SPEC §8.4).
    pub personal: bool,
    /// Free text, which spreadsheets might take for a formula.
    pub free_text: bool,
}

impl ColumnDef {
    pub fn header(&self, lang: crate::lang::Lang) -> &'static str {
        lang.t(self.zh, self.en)
    }
}

const fn c(col: Col, en: &'static str, zh: &'static str) -> ColumnDef {
    ColumnDef { col, en, zh, personal: false, free_text: false }
}
const fn text(col: Col, en: &'static str, zh: &'static str) -> ColumnDef {
    ColumnDef { col, en, zh, personal: false, free_text: true }
}
const fn names(col: Col, en: &'static str, zh: &'static str) -> ColumnDef {
    ColumnDef { col, en, zh, personal: true, free_text: true }
}

pub static VISIT_COLUMNS: &[ColumnDef] = &[
    c(Col::Case, "case", "案号"),
    c(Col::Date, "date", "日期"),
    c(Col::Event, "event", "事件"),
    c(Col::Leader, "leader", "接待领导"),
    c(Col::Mode, "mode", "方式"),
    c(Col::Village, "village", "村社区"),
    names(Col::Visitors, "visitors", "来访人"),
    c(Col::Headcount, "headcount", "人数"),
    c(Col::Category, "category", "类别"),
    text(Col::Summary, "summary", "诉求"),
    c(Col::Ref, "ref", "关联"),
    text(Col::Detail, "detail", "细项"),
    text(Col::Note, "note", "备注"),
];

pub static LETTER_COLUMNS: &[ColumnDef] = &[
    c(Col::Case, "case", "案号"),
    c(Col::Date, "date", "日期"),
    c(Col::Event, "event", "事件"),
    c(Col::Leader, "leader", "阅批领导"),
    c(Col::Village, "village", "村社区"),
    names(Col::Sender, "sender", "来信人"),
    c(Col::Signers, "signers", "署名人数"),
    c(Col::Tone, "tone", "语气"),
    c(Col::Category, "category", "类别"),
    text(Col::Summary, "summary", "内容"),
    c(Col::Ref, "ref", "关联"),
    text(Col::Detail, "detail", "细项"),
    text(Col::Note, "note", "备注"),
];

pub static DISPUTE_COLUMNS: &[ColumnDef] = &[
    c(Col::Case, "case", "案号"),
    c(Col::Date, "date", "日期"),
    c(Col::Event, "event", "事件"),
    c(Col::Village, "village", "村社区"),
    c(Col::Level, "level", "层级"),
    c(Col::Category, "category", "类别"),
    names(Col::Parties, "parties", "当事人"),
    text(Col::Summary, "summary", "情况"),
    c(Col::Ref, "ref", "关联"),
    text(Col::Detail, "detail", "细项"),
    text(Col::Note, "note", "备注"),
];

/// Masks personal names: `张三、李四` → `张*、李*` (SPEC §8.4).
pub fn mask_names(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut at_start = true;
    for ch in s.chars() {
        let separator = matches!(ch, '、' | ',' | '，' | ';' | '；' | ' ' | '　' | '/');
        if separator {
            out.push(ch);
            at_start = true;
        } else if at_start {
            out.push(ch);
            at_start = false;
        } else {
            out.push('*');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_numbers() {
        let c = CaseId::parse("V2022-0007").unwrap();
        assert_eq!((c.kind, c.year, c.num), (LedgerKind::Visits, 2022, 7));
        assert_eq!(c.to_string(), "V2022-0007");
        assert_eq!(CaseId::parse("L2022-12345").unwrap().to_string(), "L2022-12345");
        for bad in ["V2022-007", "V2022-00007", "X2022-0001", "V22-0001", "V2022-0000", "V2022-00a1", ""] {
            assert_eq!(CaseId::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn enums_in_both_languages() {
        assert_eq!(Mode::parse("CASE_VISIT"), Some(Mode::CaseVisit));
        assert_eq!(Mode::parse("带案下访"), Some(Mode::CaseVisit));
        assert_eq!(VisitEvent::parse("化解"), Some(VisitEvent::Resolve));
        assert_eq!(Tone::parse("言辞过激"), Some(Tone::Harsh));
        assert_eq!(Mode::parse("walk"), None);
    }

    #[test]
    fn masking() {
        assert_eq!(mask_names("张三"), "张*");
        assert_eq!(mask_names("欧阳小明、李四"), "欧***、李*");
        assert_eq!(mask_names("王五等3人"), "王****");
    }
}
