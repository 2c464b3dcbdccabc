//! Working days, statutory holidays and sensitive periods.

pub mod cn;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use std::collections::BTreeSet;

/// A sensitive period (特殊敏感时期), when villages screen daily.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SensitivePeriod {
    pub name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl SensitivePeriod {
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }
}

/// Which days are worked: weekends and holidays off, adjusted days on.
#[derive(Clone, Debug, Default)]
pub struct Calendar {
    holidays: BTreeSet<NaiveDate>,
    workdays: BTreeSet<NaiveDate>,
    builtin: bool,
}

fn ymd((y, m, d): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("built-in calendar dates are valid")
}

impl Calendar {
    /// Weekends only.
    pub fn weekends_only() -> Self {
        Self::default()
    }

    /// The built-in Chinese calendar of 2022–2026.
    pub fn builtin_cn() -> Self {
        let mut cal = Self { builtin: true, ..Self::default() };
        for h in cn::HOLIDAYS {
            let (from, to) = (ymd(h.off.0), ymd(h.off.1));
            let mut d = from;
            while d <= to {
                cal.holidays.insert(d);
                d = d.succ_opt().expect("in range");
            }
            cal.workdays.extend(h.work.iter().copied().map(ymd));
        }
        cal
    }

    /// Adds the workspace's own extra days off and working days.
    pub fn with_extras(mut self, holidays: &[NaiveDate], workdays: &[NaiveDate]) -> Self {
        for d in holidays {
            self.workdays.remove(d);
            self.holidays.insert(*d);
        }
        for d in workdays {
            self.holidays.remove(d);
            self.workdays.insert(*d);
        }
        self
    }

    /// Whether the built-in calendar covers `year`.
    pub fn covers(&self, year: i32) -> bool {
        self.builtin && cn::YEARS.contains(&year)
    }

    pub fn is_weekend(d: NaiveDate) -> bool {
        matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// A statutory holiday (or an extra day off).
    pub fn is_holiday(&self, d: NaiveDate) -> bool {
        self.holidays.contains(&d)
    }

    /// A weekend day declared a working day (调休上班).
    pub fn is_adjusted_workday(&self, d: NaiveDate) -> bool {
        self.workdays.contains(&d)
    }

    /// Not a weekend or holiday, or an adjusted working day.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        if self.workdays.contains(&d) {
            return true;
        }
        !Self::is_weekend(d) && !self.holidays.contains(&d)
    }

    /// The `n`th working day after `d` (`n` = 0 gives `d` itself).
    pub fn add_working_days(&self, d: NaiveDate, n: u32) -> NaiveDate {
        let mut day = d;
        let mut left = n;
        while left > 0 {
            day += Duration::days(1);
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// Working days in `(from, to]`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut n = 0;
        let mut d = from;
        while d < to {
            d += Duration::days(1);
            if self.is_working_day(d) {
                n += 1;
            }
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Every weekday of `year` that is off, and every weekend day that is worked.
    fn exceptions(year: i32) -> (Vec<String>, Vec<String>) {
        let cal = Calendar::builtin_cn();
        let mut off = Vec::new();
        let mut work = Vec::new();
        let mut day = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
        while day.year() == year {
            let weekend = Calendar::is_weekend(day);
            if !weekend && !cal.is_working_day(day) {
                off.push(day.format("%m-%d").to_string());
            }
            if weekend && cal.is_working_day(day) {
                work.push(day.format("%m-%d").to_string());
            }
            day = day.succ_opt().unwrap();
        }
        (off, work)
    }

    #[test]
    fn year_2022() {
        let (off, work) = exceptions(2022);
        assert_eq!(
            off,
            [
                "01-03", "01-31", "02-01", "02-02", "02-03", "02-04", "04-04", "04-05", "05-02", "05-03", "05-04",
                "06-03", "09-12", "10-03", "10-04", "10-05", "10-06", "10-07"
            ]
        );
        assert_eq!(work, ["01-29", "01-30", "04-02", "04-24", "05-07", "10-08", "10-09"]);
    }

    #[test]
    fn year_2023() {
        let (off, work) = exceptions(2023);
        assert_eq!(
            off,
            [
                "01-02", "01-23", "01-24", "01-25", "01-26", "01-27", "04-05", "05-01", "05-02", "05-03", "06-22",
                "06-23", "09-29", "10-02", "10-03", "10-04", "10-05", "10-06"
            ]
        );
        assert_eq!(work, ["01-28", "01-29", "04-23", "05-06", "06-25", "10-07", "10-08"]);
    }

    #[test]
    fn year_2024() {
        let (off, work) = exceptions(2024);
        assert_eq!(
            off,
            [
                "01-01", "02-12", "02-13", "02-14", "02-15", "02-16", "04-04", "04-05", "05-01", "05-02", "05-03",
                "06-10", "09-16", "09-17", "10-01", "10-02", "10-03", "10-04", "10-07"
            ]
        );
        assert_eq!(work, ["02-04", "02-18", "04-07", "04-28", "05-11", "09-14", "09-29", "10-12"]);
    }

    #[test]
    fn year_2025() {
        let (off, work) = exceptions(2025);
        assert_eq!(
            off,
            [
                "01-01", "01-28", "01-29", "01-30", "01-31", "02-03", "02-04", "04-04", "05-01", "05-02", "05-05",
                "06-02", "10-01", "10-02", "10-03", "10-06", "10-07", "10-08"
            ]
        );
        assert_eq!(work, ["01-26", "02-08", "04-27", "09-28", "10-11"]);
    }

    #[test]
    fn year_2026() {
        let (off, work) = exceptions(2026);
        assert_eq!(
            off,
            [
                "01-01", "01-02", "02-16", "02-17", "02-18", "02-19", "02-20", "02-23", "04-06", "05-01", "05-04",
                "05-05", "06-19", "09-25", "10-01", "10-02", "10-05", "10-06", "10-07"
            ]
        );
        assert_eq!(work, ["01-04", "02-14", "02-28", "05-09", "09-20", "10-10"]);
    }

    #[test]
    fn working_day_arithmetic() {
        let cal = Calendar::builtin_cn();
        // Friday 2022-09-09 + 3 working days skips the weekend and 中秋 Monday.
        assert_eq!(cal.add_working_days(d("2022-09-09"), 3), d("2022-09-15"));
        // Thursday 2022-09-29 + 3: 09-30, then 10-08 and 10-09 (adjusted weekend days).
        assert_eq!(cal.add_working_days(d("2022-09-29"), 3), d("2022-10-09"));
        assert_eq!(cal.working_days_between(d("2022-09-09"), d("2022-09-15")), 3);
        assert!(cal.is_holiday(d("2022-01-03")));
        assert!(cal.is_adjusted_workday(d("2022-10-08")));
    }

    #[test]
    fn extras_override_builtin() {
        let cal = Calendar::builtin_cn().with_extras(&[d("2022-03-07")], &[d("2022-01-03")]);
        assert!(!cal.is_working_day(d("2022-03-07")));
        assert!(cal.is_working_day(d("2022-01-03")));
        assert!(!Calendar::weekends_only().is_working_day(d("2022-03-05")));
        assert!(Calendar::weekends_only().is_working_day(d("2022-01-03")));
    }
}
