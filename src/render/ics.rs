//! The reception days as an iCalendar file: one all-day event per leader
//! and day, with stable UIDs, so leaders can import them into a phone.

use crate::config::Settings;
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use icalendar::{Calendar, Component, EventLike};

/// A stable identifier of a leader's reception day.
fn uid(township: &str, leader: &str, day: NaiveDate) -> String {
    // FNV-1a: stable across runs and machines, unlike the std hasher.
    let mut h: u64 = 0xcbf29ce484222325;
    for b in format!("{township}|{leader}|{day}").bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{day}-{h:016x}@qunli")
}

/// The calendar of every reception day (of `leader` only, when given).
pub fn reception_days(s: &Settings, leader: Option<&str>, stamp: NaiveDate) -> String {
    let mut cal = Calendar::new();
    cal.name(&format!("{}{}年镇领导接待群众日", s.township, s.covered_years()));
    let stamp = Utc.from_utc_datetime(&stamp.and_hms_opt(0, 0, 0).expect("midnight"));
    let town = match &s.county {
        Some(c) => format!("{c}{}", s.township),
        None => s.township.clone(),
    };
    let location = match &s.reception.place {
        Some(p) => format!("{town}{p}"),
        None => town,
    };
    for l in s.leaders.iter().filter(|l| leader.is_none_or(|n| n == l.name)) {
        for d in &l.days {
            let summary = format!("{} 接待群众日", l.name);
            let description = match &l.title {
                Some(t) => format!("{t}{}按日程接待来访群众", l.name),
                None => format!("{}按日程接待来访群众", l.name),
            };
            let mut event = icalendar::Event::new();
            event.uid(&uid(&s.township, &l.name, d.date)).timestamp(stamp).summary(&summary);
            event.description(&description).location(&location);
            // Timed when [reception] hours are set (local time, floating), else all day.
            match s.reception.hours {
                Some((a, b)) => event.starts(d.date.and_time(a)).ends(d.date.and_time(b)),
                None => event.starts(d.date).ends(d.date + Duration::days(1)),
            };
            cal.push(event.done());
        }
    }
    cal.done().to_string()
}
