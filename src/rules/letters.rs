//! Rules L001–L005: letters from the people (`letters.csv`).

use super::scope::Scope;
use super::{overdue::overdue, Finding, Findings, Rule};
use crate::config::Role;
use crate::lang::Lang;
use crate::ledger::case::Case;
use crate::ledger::model::{LedgerKind, Tone};
use chrono::Duration;
use std::collections::BTreeSet;

/// Runs every letter rule over the scope.
pub fn check(s: &Scope, out: &mut Findings) {
    principal_reviews(s, out);
    review_delay(s, out);
    joint_or_harsh_unreviewed(s, out);
    no_reply(s, out);
    handling_time(s, out);
}

fn letters_started<'a>(s: &'a Scope) -> impl Iterator<Item = &'a Case> + 'a {
    s.ledgers.letters.started(s.from(), s.to()).filter(|c| !c.voided)
}

fn letter_finding(s: &Scope, rule: Rule, c: &Case, message: String) -> Finding {
    let mut f = Finding::new(rule, message).case(c.id).date(c.start).at(&s.ledgers.letters.file, c.line());
    if let Some(v) = c.village {
        f = f.village(s.village_name(v));
    }
    f
}

/// The distinct letters `leader` reviewed in the days `from..=to`.
pub fn letters_reviewed(s: &Scope, leader: u16, from: chrono::NaiveDate, to: chrono::NaiveDate) -> usize {
    let book = &s.ledgers.letters;
    book.reviews
        .iter()
        .filter(|r| r.leader == leader && r.date >= from && r.date <= to)
        .filter(|r| book.case(r.case).is_some_and(|c| !c.voided))
        .map(|r| r.case)
        .collect::<BTreeSet<_>>()
        .len()
}

/// The last day a letter may be reviewed on: `letter_review_within_workdays` working days after receipt.
pub fn review_due(s: &Scope, c: &Case) -> chrono::NaiveDate {
    s.settings.calendar.add_working_days(c.start, s.settings.rules.letter_review_within_workdays)
}

/// L001: a principal leader reviewed fewer than `principal_letters_per_month` letters in a month.
pub fn principal_reviews(s: &Scope, out: &mut Findings) {
    let required = s.settings.rules.principal_letters_per_month as usize;
    for month in s.complete_months() {
        // Only months the leader is in office from the first to the last day (SPEC §4).
        for (i, leader) in
            s.settings.leaders.iter().enumerate().filter(|(_, l)| l.role == Role::Principal && l.serves_whole(month))
        {
            let n = letters_reviewed(s, i as u16, month.first_day(), month.last_day());
            if n < required {
                let m = s.lang.pick(
                    format!(
                        "{} {}阅批群众来信 {} 件，少于规定的 {} 件",
                        leader.name,
                        month.label(Lang::Zh),
                        n,
                        required
                    ),
                    format!(
                        "{} reviewed {} letter(s) in {}, fewer than the {} required",
                        leader.name, n, month, required
                    ),
                );
                out.push(Finding::new(Rule::L001, m).leader(&leader.name).month(month));
            }
        }
    }
}

/// L002: a letter not reviewed within `letter_review_within_workdays` working days of receipt.
pub fn review_delay(s: &Scope, out: &mut Findings) {
    let days = s.settings.rules.letter_review_within_workdays;
    for c in letters_started(s) {
        let due = review_due(s, c);
        let late = match c.first_review {
            Some(d) => d > due,
            None => s.as_of > due,
        };
        if late {
            let m = match c.first_review {
                Some(d) => s.lang.pick(
                    format!("来信 {}（{} 收到）{} 才阅批，超过 {} 个工作日", c.id, c.start, d, days),
                    format!(
                        "letter {} (received {}) reviewed only on {}, after {} working days",
                        c.id, c.start, d, days
                    ),
                ),
                None => s.lang.pick(
                    format!("来信 {}（{} 收到）{} 个工作日内未阅批", c.id, c.start, days),
                    format!("letter {} (received {}) not reviewed within {} working days", c.id, c.start, days),
                ),
            };
            out.push(letter_finding(s, Rule::L002, c, m));
        }
    }
}

/// L003: a joint (signers ≥ 2) or harsh letter that no principal leader has reviewed.
pub fn joint_or_harsh_unreviewed(s: &Scope, out: &mut Findings) {
    for c in letters_started(s) {
        let harsh = c.tone == Some(Tone::Harsh);
        if (c.is_joint() || harsh) && !c.principal_reviewed {
            let kind = match (c.is_joint(), harsh) {
                (true, true) => s.lang.t("联名且言辞过激的来信", "joint, harsh letter"),
                (true, false) => s.lang.t("联名信", "joint letter"),
                _ => s.lang.t("言辞过激的来信", "harsh letter"),
            };
            let m = s.lang.pick(
                format!("{kind} {}（{} 人署名）没有主要领导阅批", c.id, c.signers),
                format!("{kind} {} ({} signer(s)) has not been reviewed by a principal leader", c.id, c.signers),
            );
            out.push(letter_finding(s, Rule::L003, c, m));
        }
    }
}

/// L004: a letter with no `reply` within `accept_within_days` of receipt.
pub fn no_reply(s: &Scope, out: &mut Findings) {
    let days = s.settings.rules.accept_within_days;
    for c in letters_started(s) {
        let due = c.start + Duration::days(days);
        let late = match c.first_reply {
            Some(d) => d > due,
            None => s.as_of > due,
        };
        if late {
            let m = match c.first_reply {
                Some(d) => s.lang.pick(
                    format!("来信 {}（{} 收到）{} 才答复，超过 {} 日", c.id, c.start, d, days),
                    format!("letter {} (received {}) answered only on {}, after {} days", c.id, c.start, d, days),
                ),
                None => s.lang.pick(
                    format!("来信 {}（{} 收到）{} 日内没有答复", c.id, c.start, days),
                    format!("letter {} (received {}) not answered within {} days", c.id, c.start, days),
                ),
            };
            out.push(letter_finding(s, Rule::L004, c, m));
        }
    }
}

/// L005: a letter not concluded within `handle_within_days` (+ extension).
pub fn handling_time(s: &Scope, out: &mut Findings) {
    for c in letters_started(s) {
        for o in overdue(c, LedgerKind::Letters, s.settings, s.as_of).into_iter().filter(|o| o.code == Rule::L005) {
            let m = s.lang.pick(
                format!("来信 {} 办理期限 {} 已过 {} 天仍未办结", c.id, o.deadline, o.days_over),
                format!("letter {} not concluded {} day(s) past its deadline {}", c.id, o.days_over, o.deadline),
            );
            out.push(letter_finding(s, Rule::L005, c, m));
        }
    }
}
