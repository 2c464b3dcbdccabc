//! The period ledger rules look at, and what they share.

use crate::config::Settings;
use crate::lang::Lang;
use crate::ledger::Ledgers;
use crate::period::YearMonth;
use chrono::NaiveDate;

/// What the ledger rules are run on: the data, the months, the as-of date.
pub struct Scope<'a> {
    pub settings: &'a Settings,
    pub ledgers: &'a Ledgers,
    pub lang: Lang,
    /// The months looked at, in order.
    pub months: Vec<YearMonth>,
    pub as_of: NaiveDate,
}

impl Scope<'_> {
    pub fn from(&self) -> NaiveDate {
        self.months.first().map(|m| m.first_day()).unwrap_or(self.as_of)
    }

    pub fn to(&self) -> NaiveDate {
        self.months.last().map(|m| m.last_day()).unwrap_or(self.as_of)
    }

    /// A date within the months looked at.
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from() <= d && d <= self.to()
    }

    /// The months that have ended by the as-of date: only those are judged
    /// on monthly quotas.
    pub fn complete_months(&self) -> impl Iterator<Item = YearMonth> + '_ {
        self.months.iter().copied().filter(|m| m.last_day() <= self.as_of)
    }

    pub fn leader_name(&self, i: u16) -> &str {
        self.settings.leaders.get(i as usize).map_or("", |l| l.name.as_str())
    }

    pub fn village_name(&self, i: u16) -> &str {
        self.settings.villages.get(i as usize).map_or("", String::as_str)
    }
}
