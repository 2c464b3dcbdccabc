//! Months and ISO weeks, the periods rules and reports count in.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use std::fmt;
use std::str::FromStr;

/// A calendar month, written `YYYY-MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    pub month: u32,
}

impl YearMonth {
    pub fn new(year: i32, month: u32) -> Option<Self> {
        (1..=12).contains(&month).then_some(Self { year, month })
    }

    pub fn of(d: NaiveDate) -> Self {
        Self { year: d.year(), month: d.month() }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("valid month")
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day() - Duration::days(1)
    }

    pub fn next(self) -> Self {
        if self.month == 12 {
            Self { year: self.year + 1, month: 1 }
        } else {
            Self { year: self.year, month: self.month + 1 }
        }
    }

    pub fn prev(self) -> Self {
        if self.month == 1 {
            Self { year: self.year - 1, month: 12 }
        } else {
            Self { year: self.year, month: self.month - 1 }
        }
    }

    pub fn contains(self, d: NaiveDate) -> bool {
        d.year() == self.year && d.month() == self.month
    }

    /// The twelve months of `year`.
    pub fn months_of(year: i32) -> impl Iterator<Item = YearMonth> {
        (1..=12).map(move |month| YearMonth { year, month })
    }

    /// `2022年3月` or `March 2022`.
    pub fn label(self, lang: crate::lang::Lang) -> String {
        const EN: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        match lang {
            crate::lang::Lang::Zh => format!("{}年{}月", self.year, self.month),
            crate::lang::Lang::En => format!("{} {}", EN[self.month as usize - 1], self.year),
        }
    }

    /// The Mondays of the ISO weeks that belong to this month: those whose
    /// Thursday lies in it.
    pub fn week_mondays(self) -> Vec<NaiveDate> {
        let first = self.first_day();
        // The first Thursday on or after the 1st.
        let offset = (Weekday::Thu.num_days_from_monday() + 7 - first.weekday().num_days_from_monday()) % 7;
        let mut thursday = first + Duration::days(offset as i64);
        let mut out = Vec::new();
        while self.contains(thursday) {
            out.push(thursday - Duration::days(3));
            thursday += Duration::days(7);
        }
        out
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for YearMonth {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || {
            crate::lang::messages().pick(
                format!("“{s}”不是月份；请写成 YYYY-MM，例如 2022-03"),
                format!("\"{s}\" is not a month; write YYYY-MM, e.g. 2022-03"),
            )
        };
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.is_empty() || m.len() > 2 {
            return Err(bad());
        }
        let year = y.parse().map_err(|_| bad())?;
        let month = m.parse().map_err(|_| bad())?;
        YearMonth::new(year, month).ok_or_else(bad)
    }
}

impl serde::Serialize for YearMonth {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The Monday of the ISO week holding `d`.
pub fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(d.weekday().num_days_from_monday() as i64)
}

/// A date on the command line: strict `YYYY-MM-DD`, years 1900 to 2199.
pub fn cli_date(s: &str) -> Result<NaiveDate, String> {
    match parse_date(s) {
        Some(d) if (1900..2200).contains(&d.year()) => Ok(d),
        Some(d) => {
            Err(crate::lang::messages().pick(format!("{d} 不是可信的日期"), format!("{d} is not a plausible date")))
        }
        None => Err(crate::lang::messages().pick(
            format!("“{s}”不是日期；请写成 YYYY-MM-DD，例如 2022-03-09"),
            format!("\"{s}\" is not a date; write YYYY-MM-DD, e.g. 2022-03-09"),
        )),
    }
}

/// Parses a strict `YYYY-MM-DD` date.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    parse_date_bytes(s.trim().as_bytes())
}

/// Parses a strict `YYYY-MM-DD` date from bytes, without allocating.
pub fn parse_date_bytes(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + (c - b'0') as u32))
    };
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn weeks_belong_to_the_month_of_their_thursday() {
        let m: YearMonth = "2022-03".parse().unwrap();
        // 2022-03-03 is a Thursday: its week starts 02-28 and belongs to March.
        assert_eq!(
            m.week_mondays(),
            [d("2022-02-28"), d("2022-03-07"), d("2022-03-14"), d("2022-03-21"), d("2022-03-28")]
        );
        // 2022-03-28's Thursday is 03-31; so the week of Friday 2022-04-01 belongs to March.
        let apr: YearMonth = "2022-04".parse().unwrap();
        assert_eq!(apr.week_mondays()[0], d("2022-04-04"));
        assert_eq!(monday_of(d("2022-03-06")), d("2022-02-28"));
    }

    #[test]
    fn months_parse_strictly() {
        assert!("2022-13".parse::<YearMonth>().is_err());
        assert!("22-03".parse::<YearMonth>().is_err());
        assert_eq!("2022-3".parse::<YearMonth>().unwrap().to_string(), "2022-03");
        assert_eq!(YearMonth::new(2022, 2).unwrap().last_day(), d("2022-02-28"));
    }

    #[test]
    fn dates_parse_strictly() {
        assert_eq!(parse_date("2022-03-09"), Some(d("2022-03-09")));
        assert_eq!(parse_date("2022-02-30"), None);
        assert_eq!(parse_date("2022/03/09"), None);
        assert_eq!(parse_date("2022-3-9"), None);
    }
}
