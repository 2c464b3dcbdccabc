//! Property tests of reading and folding: no input panics; what is written
//! reads back the same; rates stay in [0, 1].

use super::model::{LedgerKind, Mode, VisitEvent};
use super::reader::{self, Header};
use super::row::{self, Lookup};
use super::Book;
use crate::config::{self, Settings};
use crate::lang::Lang;
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
        // Resolved cases are among the received ones (the cohort's rate in [0, 1]).
        let received = book.cases.iter().filter(|c| !c.voided).count();
        let resolved = book.cases.iter().filter(|c| !c.voided && c.is_resolved()).count();
        prop_assert!(resolved <= received);
    }
}

/// A ledger of `n` generated rows, from a fixed seed.
fn big_ledger(n: usize) -> String {
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut byte = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed as u8
    };
    let steps: Vec<Step> = (0..n).map(|_| (byte(), byte(), byte() % 2, byte(), byte(), byte(), byte())).collect();
    ledger(&steps, Lang::Zh).0
}

/// Reads `text` three ways — sequentially from memory, on every core from a
/// file, and from the file in one thread as the district reads its towns —
/// and asserts they find the same: without a record (the one-thread read
/// walks the chain as it reads), then recorded (it holds the ledger whole
/// and walks the chain in stretches from memory).
fn read_both_ways(text: &[u8]) {
    let s = settings();
    let mut sequential = Vec::new();
    let a = Book::from_bytes(&s, text, LedgerKind::Visits, &mut sequential).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("visits.csv");
    std::fs::write(&path, text).unwrap();
    let found = |p: &[crate::error::Problem]| p.iter().map(|p| (p.line, p.message.clone())).collect::<Vec<_>>();
    let walked = |b: &Book| b.info.history.as_ref().map(|w| (w.pos, w.issues.clone()));
    for recorded in [false, true] {
        if recorded {
            super::history::accept(dir.path(), "visits.csv", "t0").unwrap();
        }
        let mut parallel = Vec::new();
        let b = Book::load(&s, &path, LedgerKind::Visits, None, &mut parallel).unwrap();
        assert_eq!(found(&sequential), found(&parallel));
        assert_eq!(a.cases, b.cases);
        assert_eq!(a.sessions, b.sessions);
        assert_eq!(
            (a.rows, a.info.rows, a.info.next_line, a.info.open_quote),
            (b.rows, b.info.rows, b.info.next_line, b.info.open_quote)
        );
        assert_eq!(a.max_num, b.max_num);
        let mut alone = Vec::new();
        let c = super::reader::in_this_thread(|| Book::load(&s, &path, LedgerKind::Visits, None, &mut alone).unwrap());
        assert_eq!(found(&alone), found(&parallel));
        assert_eq!(c.cases, b.cases);
        assert_eq!(
            (c.rows, c.info.rows, c.info.next_line, c.info.open_quote, c.info.torn),
            (b.rows, b.info.rows, b.info.next_line, b.info.open_quote, b.info.torn)
        );
        assert_eq!(walked(&c), walked(&b), "the same chain");
        assert_eq!(walked(&b).map(|(p, _)| p.anchor()), Some(super::history::anchor_of(text)));
    }
}

#[test]
fn reading_on_every_core_finds_what_reading_in_order_finds() {
    // Several blocks' worth of rows, quoted fields among them.
    let text = big_ledger(20_000);
    assert!(text.len() > 5 * 256 * 1024, "{}", text.len()); // over LONGEST_RECORD too
    read_both_ways(text.as_bytes());
    // Damage here and there: blank lines, a NUL, a short row, a line break
    // in a quote, a quote never closed at the end.
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines.insert(3000, String::new());
    lines.insert(3000, "  ".into());
    lines[4500].push('\0');
    lines[6000] = lines[6000].split(',').take(5).collect::<Vec<_>>().join(",");
    lines[7000] = lines[7000].replacen("\"张三, 李四\"", "\"张三\n李四\"", 1);
    let damaged = lines.join("\n") + "\n";
    read_both_ways(damaged.as_bytes());
    read_both_ways((damaged.clone() + "V2022-0001,2022-12-30,化解,,,,,,,,,,\"未闭合\n").as_bytes());
    read_both_ways((damaged.clone() + "V2022-0001,2022-12-30,化解").as_bytes()); // torn
                                                                                 // A quote opened near the start and never closed: the rest is one field.
    let mut early = lines.clone();
    early[10].push_str(",\"never closed");
    read_both_ways((early.join("\n") + "\n").as_bytes());
    // Not UTF-8 in a middle block: both stop there.
    let mut bytes = damaged.into_bytes();
    let at = bytes.len() / 2;
    let line_start = bytes[..at].iter().rposition(|&b| b == b'\n').unwrap() + 1;
    bytes[line_start + 2] = 0xFF;
    read_both_ways(&bytes);
}
