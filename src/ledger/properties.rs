//! Property tests of reading and folding: no input panics; what is written
//! reads back the same; rates stay in [0, 1].

use super::model::{LedgerKind, Mode, VisitEvent};
use super::reader::{self, Header};
use super::row::{self, Lookup};
use super::Book;
use crate::config::{self, Settings};
use crate::lang::Lang;
use crate::report::Tally;
use proptest::prelude::*;

fn settings() -> Settings {
    config::parse(
        "township = \"t\"\nyear = 2022\nvillages = [\"天灵村\", \"牵牛村\"]\n\
         [[leaders]]\nname = \"管小波\"\nrole = \"principal\"\n[[leaders]]\nname = \"奚航\"\nrole = \"member\"\n",
        "qunli.toml",
    )
    .unwrap()
}

/// One generated visit event: (kind of step, case choice, day offset, leader, village, headcount, mode).
type Step = (u8, u8, u8, u8, u8, u8, u8);

/// Turns steps into a valid visits.csv, and the events each row carries.
fn ledger(steps: &[Step], lang: Lang) -> (String, Vec<(Option<u32>, VisitEvent, u32)>) {
    let header = Header::new(LedgerKind::Visits, lang);
    let mut text = header.names.join(",") + "\n";
    let mut expected = Vec::new();
    let mut cases: Vec<(u32, u32, bool)> = Vec::new(); // (number, opened day, voided)
    let mut day = 0u32;
    for &(kind, pick, dd, leader, village, head, mode) in steps {
        day += (dd % 3) as u32;
        let date = chrono::NaiveDate::from_ymd_opt(2022, 1, 1).unwrap() + chrono::Duration::days(day as i64);
        let leader = ["管小波", "奚航"][leader as usize % 2];
        let village = ["天灵村", "牵牛村"][village as usize % 2];
        let mode = Mode::ALL[mode as usize % Mode::ALL.len()];
        let head = head as u32 % 9 + 1;
        let open: Vec<usize> = (0..cases.len()).filter(|&i| !cases[i].2).collect();
        let (event, case) = match kind % 6 {
            0 | 1 if !open.is_empty() && kind % 6 == 1 => {
                (VisitEvent::Receive, Some(cases[open[pick as usize % open.len()]].0))
            }
            0 | 1 => {
                let n = cases.len() as u32 + 1;
                cases.push((n, day, false));
                (VisitEvent::Receive, Some(n))
            }
            2 => (VisitEvent::Session, None),
            k if !open.is_empty() => {
                let i = open[pick as usize % open.len()];
                let e = [VisitEvent::Resolve, VisitEvent::Refer, VisitEvent::Void][(k as usize - 3) % 3];
                if e == VisitEvent::Void {
                    cases[i].2 = true;
                }
                (e, Some(cases[i].0))
            }
            _ => (VisitEvent::Session, None),
        };
        let case_text = case.map(|n| format!("V2022-{n:04}")).unwrap_or_default();
        let ev = event.label(lang);
        let row = match event {
            VisitEvent::Receive => format!(
                "{case_text},{date},{ev},{leader},{},{village},\"张三, 李四\",{head},其他,\"诉求 \"\"引号\"\"\",,,\n",
                mode.label(lang)
            ),
            VisitEvent::Session => format!(",{date},{ev},{leader},{},{village},,,,,,,\n", mode.label(lang)),
            _ => format!("{case_text},{date},{ev},,,,,,,,,,备注\n"),
        };
        text.push_str(&row);
        expected.push((case, event, day));
    }
    (text, expected)
}

fn step() -> impl Strategy<Value = Step> {
    (any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let s = settings();
        for kind in LedgerKind::ALL {
            let _ = Book::from_bytes(&s, &bytes, *kind, &mut Vec::new());
        }
    }

    #[test]
    fn arbitrary_rows_under_a_valid_header_never_panic(
        rows in proptest::collection::vec("[,\"a-z0-9VLD\\-登记化解管小波天灵村 \n\r]{0,60}", 0..30)
    ) {
        let s = settings();
        let mut text = Header::new(LedgerKind::Visits, Lang::Zh).names.join(",") + "\n";
        for r in rows {
            text.push_str(&r);
        }
        let _ = Book::from_bytes(&s, text.as_bytes(), LedgerKind::Visits, &mut Vec::new());
    }

    #[test]
    fn what_is_written_reads_back(steps in proptest::collection::vec(step(), 1..60), en in any::<bool>()) {
        let s = settings();
        let lang = if en { Lang::En } else { Lang::Zh };
        let (text, expected) = ledger(&steps, lang);
        let mut problems = Vec::new();
        let lookup = Lookup::new(&s);
        let mut got = Vec::new();
        reader::read_bytes(text.as_bytes(), "visits.csv", LedgerKind::Visits, &mut problems, |raw| {
            let r = row::parse(raw, LedgerKind::Visits, &lookup).unwrap();
            let day = (r.date - chrono::NaiveDate::from_ymd_opt(2022, 1, 1).unwrap()).num_days() as u32;
            let event = match r.event { row::Event::Visit(e) => e, _ => unreachable!() };
            got.push((r.case.map(|c| c.num), event, day));
        }).unwrap();
        prop_assert!(problems.is_empty(), "{problems:?}");
        prop_assert_eq!(&got, &expected);
        let book = Book::from_bytes(&s, text.as_bytes(), LedgerKind::Visits, &mut problems).unwrap();
        prop_assert!(problems.is_empty(), "{:?}", problems);
        let t = Tally::of(&book.cases);
        prop_assert!(t.resolved <= t.received);
        if let Some(r) = t.rate() {
            prop_assert!((0.0..=1.0).contains(&r));
        }
    }
}
