//! The rule engine: every rule's code, severity, source and explanation
//! ([`docs`]), the findings they produce, and one module per rule family.

pub mod disputes;
pub mod docs;
pub mod history;
pub mod letters;
pub mod overdue;
pub mod schedule;
pub mod scope;
pub mod visits;

use crate::config::Settings;
use crate::period::YearMonth;
use chrono::NaiveDate;
use serde::Serialize;

pub use crate::codes::{Level, Rule, Severity};

impl Rule {
    /// The rule's documentation: severity, source, explanation.
    pub fn doc(self) -> &'static docs::RuleDoc {
        docs::RULES.iter().find(|d| d.rule == self).expect("every rule is documented")
    }
}

impl crate::config::RuleSettings {
    /// The level a rule runs at: its default severity unless `[rules.level]` says otherwise.
    pub fn level(&self, rule: Rule) -> Level {
        self.level.get(&rule).copied().unwrap_or_else(|| rule.doc().severity.into())
    }
}

/// What a rule found, and where it applies.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Finding {
    pub code: Rule,
    pub severity: Severity,
    pub message: String,
    pub leader: Option<String>,
    pub village: Option<String>,
    pub case: Option<String>,
    pub date: Option<NaiveDate>,
    pub month: Option<YearMonth>,
    pub file: Option<String>,
    pub line: Option<u64>,
}

impl Finding {
    /// A finding of `rule` with only its message; add the places with the builders.
    pub fn new(rule: Rule, message: String) -> Self {
        Finding {
            code: rule,
            severity: rule.doc().severity,
            message,
            leader: None,
            village: None,
            case: None,
            date: None,
            month: None,
            file: None,
            line: None,
        }
    }
    pub fn leader(mut self, name: &str) -> Self {
        self.leader = Some(name.to_string());
        self
    }
    pub fn village(mut self, name: &str) -> Self {
        self.village = Some(name.to_string());
        self
    }
    pub fn case(mut self, case: impl ToString) -> Self {
        self.case = Some(case.to_string());
        self
    }
    pub fn date(mut self, d: NaiveDate) -> Self {
        self.date = Some(d);
        self
    }
    pub fn month(mut self, m: YearMonth) -> Self {
        self.month = Some(m);
        self
    }
    pub fn at(mut self, file: &str, line: u64) -> Self {
        self.file = Some(file.to_string());
        self.line = Some(line);
        self
    }

    /// A short "where": leader, village, case, date or month, file:line.
    pub fn place(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        parts.extend(self.case.clone());
        parts.extend(self.leader.clone());
        parts.extend(self.village.clone());
        if let Some(d) = self.date {
            parts.push(d.to_string());
        } else if let Some(m) = self.month {
            parts.push(m.to_string());
        }
        match (&self.file, self.line) {
            (Some(f), Some(l)) => parts.push(format!("{f}:{l}")),
            (Some(f), None) => parts.push(f.clone()),
            _ => {}
        }
        parts.join(" ")
    }
}

/// Collects findings, applying `[rules.level]`: a rule turned off finds nothing.
pub struct Findings<'a> {
    settings: &'a Settings,
    items: Vec<Finding>,
}

impl<'a> Findings<'a> {
    pub fn new(settings: &'a Settings) -> Self {
        Self { settings, items: Vec::new() }
    }

    /// Whether `rule` runs at all.
    pub fn enabled(&self, rule: Rule) -> bool {
        self.settings.rules.level(rule) != Level::Off
    }

    pub fn push(&mut self, mut f: Finding) {
        match self.settings.rules.level(f.code) {
            Level::Off => {}
            Level::Error => {
                f.severity = Severity::Error;
                self.items.push(f)
            }
            Level::Warning => {
                f.severity = Severity::Warning;
                self.items.push(f)
            }
        }
    }

    pub fn into_vec(self) -> Vec<Finding> {
        self.items
    }
}

/// The most severe of `findings`, if any.
pub fn worst(findings: &[Finding]) -> Option<Severity> {
    findings.iter().map(|f| f.severity).min()
}

/// Runs every ledger rule (V, L, D, H) over `scope`, findings in code order.
pub fn check_ledgers(scope: &scope::Scope) -> Vec<Finding> {
    let mut out = Findings::new(scope.settings);
    let mut years: Vec<i32> = scope.months.iter().map(|m| m.year).collect();
    years.dedup();
    for year in years {
        let ctx = schedule::ScheduleCheck {
            settings: scope.settings,
            lang: scope.lang,
            month: Some(crate::period::YearMonth { year, month: 1 }),
            file: crate::workspace::CONFIG_FILE,
        };
        schedule::unplanned_years(&ctx, &mut out);
    }
    visits::check(scope, &mut out);
    letters::check(scope, &mut out);
    disputes::check(scope, &mut out);
    history::check(scope.ledgers, scope.lang, &mut out);
    let mut v = out.into_vec();
    v.sort_by(|a, b| {
        (a.code, a.date.or(a.month.map(|m| m.first_day()))).cmp(&(b.code, b.date.or(b.month.map(|m| m.first_day()))))
    });
    v
}
