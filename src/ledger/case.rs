//! The fold of a case's events, in file order, into its state.

use crate::config::RuleSettings;
use crate::ledger::model::{CaseId, DisputeEvent, DisputeLevel, LetterEvent, Mode, Rating, Tone, VisitEvent};
use crate::ledger::row::{Event, Row};
use chrono::{Duration, NaiveDate};
use serde::Serialize;

/// What a case has come to, as of the last event folded in.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    pub id: CaseId,
    /// The date of its first `receive` / `open`.
    pub start: NaiveDate,
    /// The line of that row (lines are kept as `u32`, as is every line
    /// below: a case is held for every case of the file, and no ledger
    /// reaches four thousand million lines).
    line: u32,
    pub leader: Option<u16>,
    pub village: Option<u16>,
    pub category: Option<u16>,
    pub mode: Option<Mode>,
    pub reference: Option<CaseId>,
    pub first_headcount: u32,
    /// How many times it was received (1 + repeats).
    pub receptions: u32,
    last_receive: (NaiveDate, u32),
    last_resolve: Option<(NaiveDate, u32)>,
    /// The first repeat reception after the last resolve: a new round of
    /// handling, whose clock starts there (SPEC §6).
    reopened: Option<(NaiveDate, u32)>,
    pub assigned_on: Option<NaiveDate>,
    pub assigned_leader: Option<u16>,
    pub deadline: Option<NaiveDate>,
    pub extended: bool,
    pub referred: bool,
    pub mediated: u32,
    pub escalations: u32,
    pub voided: bool,
    /// A `void` row names it anywhere in the file, after the as-of date too
    /// (what validation goes by: no row may follow a void).
    pub voided_in_file: bool,
    pub signers: u32,
    pub tone: Option<Tone>,
    pub first_review: Option<NaiveDate>,
    pub principal_reviewed: bool,
    pub first_reply: Option<NaiveDate>,
    pub level: Option<DisputeLevel>,
    /// The person's latest rating, by date then line (SPEC §5.2: a later
    /// one replaces an earlier); the book folds only rows up to its as-of date.
    pub rating: Option<(NaiveDate, u32, Rating)>,
}

/// A row's line as a case keeps it.
fn line_of(row: &Row) -> u32 {
    u32::try_from(row.line).unwrap_or(u32::MAX)
}

impl Case {
    /// The line of the row that opened it.
    pub fn line(&self) -> u64 {
        self.line.into()
    }

    /// A case opened by `row` (a `receive` or `open`).
    pub fn open(id: CaseId, row: &Row) -> Case {
        Case {
            id,
            start: row.date,
            line: line_of(row),
            leader: row.leader,
            village: row.village,
            category: row.category,
            mode: row.mode,
            reference: row.reference,
            first_headcount: row.headcount.unwrap_or(1),
            receptions: 1,
            last_receive: (row.date, line_of(row)),
            last_resolve: None,
            reopened: None,
            assigned_on: None,
            assigned_leader: None,
            deadline: None,
            extended: false,
            referred: false,
            mediated: 0,
            escalations: 0,
            voided: false,
            voided_in_file: false,
            signers: row.signers.unwrap_or(1),
            tone: row.tone,
            first_review: None,
            principal_reviewed: false,
            first_reply: None,
            level: row.level,
            rating: None,
        }
    }

    /// Folds one later event in; `is_principal` tells a principal leader's index.
    pub fn apply(&mut self, row: &Row, is_principal: impl Fn(u16) -> bool) {
        use DisputeEvent as D;
        use LetterEvent as L;
        use VisitEvent as V;
        match row.event {
            Event::Visit(V::Receive) => {
                self.receptions += 1;
                let at = (row.date, line_of(row));
                self.last_receive = self.last_receive.max(at);
                if self.last_resolve.is_some_and(|r| at > r) && self.reopened.is_none_or(|o| at < o) {
                    self.reopened = Some(at);
                }
            }
            Event::Visit(V::Assign) => {
                self.assigned_on.get_or_insert(row.date);
                self.assigned_leader = row.leader;
                self.deadline = row.deadline;
            }
            Event::Visit(V::Refer) | Event::Dispute(D::Refer) => {
                self.referred = true;
                if matches!(row.event, Event::Dispute(_)) {
                    self.level = Some(DisputeLevel::Town);
                }
            }
            Event::Visit(V::Extend) | Event::Letter(L::Extend) => self.extended = true,
            Event::Visit(V::Resolve) | Event::Letter(L::Resolve) | Event::Dispute(D::Resolve) => {
                let at = (row.date, line_of(row));
                self.last_resolve = Some(self.last_resolve.map_or(at, |r| r.max(at)));
                if self.reopened.is_some_and(|o| o < at) {
                    self.reopened = None; // that round is resolved too
                }
            }
            Event::Visit(V::Escalate) | Event::Dispute(D::Escalate) => self.escalations += 1,
            Event::Visit(V::Void) | Event::Letter(L::Void) | Event::Dispute(D::Void) => self.voided = true,
            Event::Letter(L::Review) => {
                self.first_review = Some(self.first_review.map_or(row.date, |d| d.min(row.date)));
                if row.leader.is_some_and(is_principal) {
                    self.principal_reviewed = true;
                }
            }
            Event::Letter(L::Reply) => self.first_reply = Some(self.first_reply.map_or(row.date, |d| d.min(row.date))),
            Event::Dispute(D::Mediate) => self.mediated += 1,
            Event::Visit(V::Rate) | Event::Letter(L::Rate) => {
                if let Some(r) = row.rating {
                    let at = (row.date, line_of(row), r);
                    if self.rating.is_none_or(|(d, l, _)| (d, l) < (at.0, at.1)) {
                        self.rating = Some(at);
                    }
                }
            }
            // An undo is dropped with the row it cancels before any case sees it (ledger::book).
            Event::Visit(V::Session | V::Undo)
            | Event::Letter(L::Receive | L::Undo)
            | Event::Dispute(D::Screen | D::Open | D::Undo) => {}
        }
    }

    /// The latest rating, if given on or before `as_of` (the book holds the rows up to its own as-of date).
    pub fn rating_as_of(&self, as_of: NaiveDate) -> Option<Rating> {
        self.rating.filter(|r| r.0 <= as_of).map(|r| r.2)
    }

    /// Resolved: its last resolve comes after its last (repeat) reception.
    pub fn is_resolved(&self) -> bool {
        self.last_resolve.is_some_and(|r| r > self.last_receive)
    }

    /// The date it was resolved, while it is.
    pub fn resolved_on(&self) -> Option<NaiveDate> {
        self.last_resolve.filter(|_| self.is_resolved()).map(|r| r.0)
    }

    /// Neither resolved nor voided.
    pub fn is_open(&self) -> bool {
        !self.voided && !self.is_resolved()
    }

    /// Where its handling clock runs from: its start, or — received again
    /// after it was resolved (初转重) — the first repeat reception after its
    /// last resolve: a new round of handling (SPEC §6).
    pub fn clock_start(&self) -> NaiveDate {
        match self.reopened {
            Some((d, _)) if !self.is_resolved() => d,
            _ => self.start,
        }
    }

    /// The statutory deadline: `handle_within_days` after the clock's start,
    /// plus `extension_max_days` once extended.
    pub fn handle_deadline(&self, rules: &RuleSettings) -> NaiveDate {
        let extra = if self.extended { rules.extension_max_days } else { 0 };
        self.clock_start() + Duration::days(rules.handle_within_days + extra)
    }

    /// Received again after it was resolved, and not resolved since (初转重).
    pub fn received_again(&self) -> bool {
        self.reopened.is_some() && !self.is_resolved()
    }

    /// A joint (联名) letter.
    pub fn is_joint(&self) -> bool {
        self.signers >= 2
    }
}

/// Received and resolved cases of a cohort (voided cases left out).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Tally {
    pub received: usize,
    pub resolved: usize,
}

impl Tally {
    /// Counts the non-voided cases of `cases`.
    pub fn of<'a>(cases: impl IntoIterator<Item = &'a Case>) -> Tally {
        let mut t = Tally::default();
        for c in cases {
            t.add(c);
        }
        t
    }

    pub fn add(&mut self, c: &Case) {
        if !c.voided {
            self.received += 1;
            if c.is_resolved() {
                self.resolved += 1;
            }
        }
    }

    /// resolved ÷ received; absent for an empty cohort.
    pub fn rate(&self) -> Option<f64> {
        (self.received > 0).then(|| self.resolved as f64 / self.received as f64)
    }

    /// The rate rounded to 4 decimals, as JSON carries it.
    pub fn rate4(&self) -> Option<f64> {
        self.rate().map(round4)
    }
}

pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::model::LedgerKind;

    fn row(line: u64, date: &str, event: Event) -> Row {
        Row {
            line,
            case: None,
            date: date.parse().unwrap(),
            event,
            leader: Some(0),
            mode: Some(Mode::Public),
            village: Some(0),
            headcount: Some(1),
            category: Some(0),
            reference: None,
            deadline: None,
            to: None,
            rating: None,
            signers: None,
            tone: None,
            level: Some(DisputeLevel::Village),
            found: None,
            undoes: None,
        }
    }

    fn id() -> CaseId {
        CaseId { kind: LedgerKind::Visits, year: 2022, num: 1 }
    }

    fn fold(events: &[(&str, VisitEvent)]) -> Case {
        let mut c = Case::open(id(), &row(2, events[0].0, Event::Visit(events[0].1)));
        for (i, (d, e)) in events.iter().enumerate().skip(1) {
            c.apply(&row(i as u64 + 2, d, Event::Visit(*e)), |_| true);
        }
        c
    }

    #[test]
    fn resolve_then_repeat_reopens() {
        use VisitEvent::*;
        assert!(fold(&[("2022-03-01", Receive), ("2022-03-05", Resolve)]).is_resolved());
        let c = fold(&[("2022-03-01", Receive), ("2022-03-05", Resolve), ("2022-03-09", Receive)]);
        assert!(!c.is_resolved() && c.is_open());
        assert_eq!(c.receptions, 2);
        let c =
            fold(&[("2022-03-01", Receive), ("2022-03-05", Resolve), ("2022-03-09", Receive), ("2022-03-10", Resolve)]);
        assert_eq!(c.resolved_on(), Some("2022-03-10".parse().unwrap()));
    }

    #[test]
    fn same_day_order_is_file_order_and_dates_win_over_lines() {
        use VisitEvent::*;
        // A repeat reception entered late but dated before the resolve does not reopen it.
        let c = fold(&[("2022-03-01", Receive), ("2022-03-05", Resolve), ("2022-03-04", Receive)]);
        assert!(c.is_resolved());
        // Same day: the later line wins.
        let c = fold(&[("2022-03-01", Receive), ("2022-03-05", Resolve), ("2022-03-05", Receive)]);
        assert!(!c.is_resolved());
    }

    #[test]
    fn the_clock_restarts_with_a_new_round() {
        use VisitEvent::*;
        let rules = RuleSettings::default();
        // Resolved on 02-08, received again on 03-09: due 60 days after 03-09, not overdue on 03-11.
        let c = fold(&[("2022-01-10", Receive), ("2022-02-08", Resolve), ("2022-03-09", Receive)]);
        assert_eq!(c.clock_start(), "2022-03-09".parse().unwrap());
        assert_eq!(c.handle_deadline(&rules), "2022-05-08".parse().unwrap());
        // Received twice before any resolve: the clock runs from the start.
        let c = fold(&[("2022-01-10", Receive), ("2022-01-20", Receive)]);
        assert_eq!(c.clock_start(), "2022-01-10".parse().unwrap());
        // A second round: from its first reception after the last resolve.
        let c = fold(&[
            ("2022-01-10", Receive),
            ("2022-02-08", Resolve),
            ("2022-03-09", Receive),
            ("2022-03-20", Resolve),
            ("2022-04-02", Receive),
            ("2022-04-05", Receive),
        ]);
        assert_eq!(c.clock_start(), "2022-04-02".parse().unwrap());
    }

    #[test]
    fn void_extend_assign_escalate() {
        use VisitEvent::*;
        let rules = RuleSettings::default();
        let c = fold(&[("2022-03-01", Receive), ("2022-03-02", Void)]);
        assert!(c.voided && !c.is_open());
        let c = fold(&[("2022-03-01", Receive)]);
        assert_eq!(c.handle_deadline(&rules), "2022-04-30".parse().unwrap());
        let c = fold(&[("2022-03-01", Receive), ("2022-04-20", Extend), ("2022-04-21", Escalate)]);
        assert_eq!(c.handle_deadline(&rules), "2022-05-30".parse().unwrap());
        assert_eq!(c.escalations, 1);
        let mut c = fold(&[("2022-03-01", Receive)]);
        let mut a = row(3, "2022-03-03", Event::Visit(Assign));
        a.deadline = Some("2022-03-31".parse().unwrap());
        c.apply(&a, |_| true);
        assert_eq!((c.assigned_on, c.deadline), (Some(a.date), a.deadline));
    }

    #[test]
    fn letter_reviews_and_replies() {
        let mut c = Case::open(id(), &row(2, "2022-03-01", Event::Letter(LetterEvent::Receive)));
        c.apply(&row(3, "2022-03-04", Event::Letter(LetterEvent::Review)), |_| false);
        assert!(!c.principal_reviewed);
        c.apply(&row(4, "2022-03-03", Event::Letter(LetterEvent::Review)), |_| true);
        assert!(c.principal_reviewed);
        assert_eq!(c.first_review, Some("2022-03-03".parse().unwrap()));
        c.apply(&row(5, "2022-03-10", Event::Letter(LetterEvent::Reply)), |_| true);
        assert_eq!(c.first_reply, Some("2022-03-10".parse().unwrap()));
    }

    #[test]
    fn dispute_refer_moves_to_town() {
        let mut c = Case::open(id(), &row(2, "2022-03-01", Event::Dispute(DisputeEvent::Open)));
        assert_eq!(c.level, Some(DisputeLevel::Village));
        c.apply(&row(3, "2022-03-02", Event::Dispute(DisputeEvent::Refer)), |_| true);
        assert_eq!(c.level, Some(DisputeLevel::Town));
        assert!(c.referred);
    }
}
