//! Writes a valid synthetic workspace of any size for benchmarks:
//! `cargo run --release --example gen -- --rows 1000000 --out target/bench/1m`
//!
//! Deterministic (a fixed seed): the same arguments give the same files.
//! `--rows` is the number of visit events; letters and disputes get a tenth
//! as many each. `qunli --dir DIR check` finds no data error in the result.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

/// SplitMix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E3779B97F4A7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const LEADERS: [&str; 10] =
    ["管小波", "张豪", "奚航", "青海权", "蒋成华", "陈德胜", "李军", "倪应敏", "滕建全", "郑卫平"];
const VILLAGES: [&str; 8] = ["双堰社区", "莫家社区", "天灵村", "牵牛村", "白兔村", "小龙村", "马桑村", "矮坡村"];
const MODES: [&str; 6] = ["公开接访", "重点约访", "带案下访", "上门走访", "专题调研", "群众工作日"];
const SURNAMES: [&str; 12] = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙"];
const SUMMARIES: [&str; 6] = [
    "征地补偿款未足额发放",
    "安置房分配不公",
    "邻居排水沟堵塞",
    "工程项目拖欠农民工工资",
    "村务公开不及时",
    "道路路灯损坏",
];

fn date(day: usize) -> String {
    let d = chrono::NaiveDate::from_ymd_opt(2022, 1, 1).unwrap() + chrono::Duration::days(day as i64);
    d.to_string()
}

/// The default categories of qunli.toml, hard ones first, as the generated workspace uses them.
fn categories() -> Vec<&'static str> {
    qunli::config::DEFAULT_HARD.iter().chain(qunli::config::DEFAULT_OTHER).copied().collect()
}

fn main() -> std::io::Result<()> {
    let categories = categories();
    let mut rows = 100_000usize;
    let mut out = PathBuf::from("target/bench/ws");
    let mut township = String::from("合成镇");
    let mut seed = 20220309u64;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--rows" => rows = args.next().and_then(|v| v.replace('_', "").parse().ok()).expect("--rows N"),
            "--out" => out = PathBuf::from(args.next().expect("--out DIR")),
            "--township" => township = args.next().expect("--township NAME"),
            "--seed" => seed = args.next().and_then(|v| v.parse().ok()).expect("--seed N"),
            other => panic!("unknown argument {other}; use --rows N --out DIR [--township NAME] [--seed N]"),
        }
    }
    std::fs::create_dir_all(&out)?;
    let _ = std::fs::remove_dir_all(out.join(".qunli"));
    let mut rng = Rng(seed);

    // The schedule: principals twice a month, members once, on weekdays.
    // One workspace for the two years the events span.
    let mut toml =
        format!("# 合成数据（examples/gen.rs 生成），不是真实的镇\ntownship = \"{township}\"\nyears = [2022, 2023]\n");
    let _ = writeln!(toml, "villages = [{}]", VILLAGES.map(|v| format!("\"{v}\"")).join(", "));
    for (i, name) in LEADERS.iter().enumerate() {
        let role = if i < 2 { "principal" } else { "member" };
        let mut days = Vec::new();
        for (y, m) in [2022, 2023].into_iter().flat_map(|y| (1..=12u32).map(move |m| (y, m))) {
            let picks: &[u32] = if i < 2 { &[9, 22] } else { &[15] };
            for &d in picks {
                let mut day = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
                while chrono::Datelike::weekday(&day).number_from_monday() > 5 {
                    day += chrono::Duration::days(1);
                }
                days.push(day.to_string());
            }
        }
        let _ = writeln!(toml, "\n[[leaders]]\nname = \"{name}\"\nrole = \"{role}\"\ndays = [{}]", days.join(", "));
    }
    toml.push_str("\n[[sensitive_periods]]\nname = \"全国两会\"\nfrom = 2022-03-04\nto = 2022-03-11\n");
    std::fs::write(out.join("qunli.toml"), toml)?;

    // Visits: events spread over 2022 and 2023, cases opened before they are acted on.
    // Events over 2022 and most of 2023, leaving room for deadlines and replies before the range ends.
    let days = 690;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(out.join("visits.csv"))?);
    w.write_all("\u{feff}案号,日期,事件,接待领导,方式,村社区,来访人,人数,类别,诉求,关联,细项,备注\n".as_bytes())?;
    let mut open: Vec<(u32, usize)> = Vec::new(); // (case number, year index) of unresolved cases
    let mut next = [0u32; 2];
    let mut line = String::with_capacity(256);
    let mut written = 1u64; // the header
    for i in 0..rows {
        let day = i * days / rows;
        let year = 2022 + day / 365;
        let y = year - 2022;
        let d = date(day);
        let leader = LEADERS[rng.below(10)];
        let village = VILLAGES[rng.below(8)];
        line.clear();
        // New matters keep coming while a few thousand are being worked on, as in an office.
        let receive_below = if open.len() < 2_000 { 40 } else { 25 };
        let roll = rng.below(100);
        if roll < receive_below || open.is_empty() {
            next[y] += 1;
            let cat = categories[rng.below(categories.len())];
            let _ = writeln!(
                line,
                "V{year}-{:04},{d},登记,{leader},{},{village},{}某某,{},{cat},{},,,首次来访，已当面答复并登记",
                next[y],
                MODES[rng.below(3)],
                SURNAMES[rng.below(12)],
                1 + rng.below(4),
                SUMMARIES[rng.below(6)]
            );
            open.push((next[y], year));
            // Hard matters are assigned (“五个一”) the same day, nearly always.
            if qunli::config::DEFAULT_HARD.contains(&cat) && rng.below(20) != 0 {
                let _ = writeln!(
                    line,
                    "V{year}-{:04},{d},包案,{leader},,,,,,,,{},落实包案领导、方案和时限",
                    next[y],
                    date(day + 30)
                );
            }
        } else if roll < receive_below + 8 {
            let _ = writeln!(line, ",{d},接待,{leader},{},{village},,,,,,,按日程接待", MODES[rng.below(6)]);
            // Now and then a session entered for the wrong day, cancelled at once.
            if rng.below(50) == 0 {
                let _ = writeln!(line, ",{d},撤销,,,,,,,,{},,录错了接待日期", written + 1);
            }
        } else {
            let k = rng.below(open.len());
            let (num, cy) = open[k];
            let case = format!("V{cy}-{num:04}");
            match rng.below(100) {
                0..=7 => {
                    let _ = writeln!(line, "{case},{d},化解,,,,,,,,,,回访满意");
                    let _ = writeln!(line, "{case},{d},登记,{leader},公开接访,{village},某某,1,其他,再次反映,,,");
                }
                8..=17 => {
                    let _ =
                        writeln!(line, "{case},{d},包案,{leader},,,,,,,,{},落实包案领导、方案和时限", date(day + 30));
                }
                18..=25 => {
                    let _ = writeln!(line, "{case},{d},转办,,,,,,,,,,转村（社区）办理");
                }
                26..=29 => {
                    let _ = writeln!(line, "{case},{d},延期,,,,,,,,,,情况复杂，延期办理");
                }
                30..=31 => {
                    let _ = writeln!(line, "{case},{d},上交,,,,,,,,,到区,");
                }
                32..=33 => {
                    let _ = writeln!(line, "{case},{d},作废,,,,,,,,,,重复登记");
                    open.swap_remove(k);
                }
                _ => {
                    let _ = writeln!(line, "{case},{d},化解,,,,,,,,,,问题已解决，当事人息诉罢访");
                    // Most people rate how it was handled.
                    let rating = match rng.below(10) {
                        0 => None,
                        1 => Some("不满意"),
                        2 | 3 => Some("基本满意"),
                        _ => Some("满意"),
                    };
                    if let Some(r) = rating {
                        let _ = writeln!(line, "{case},{d},评价,,,,,,,,,{r},");
                    }
                    open.swap_remove(k);
                }
            }
        }
        written += line.bytes().filter(|b| *b == b'\n').count() as u64;
        w.write_all(line.as_bytes())?;
    }
    w.flush()?;

    // Letters and disputes: a tenth as many events each.
    let small = (rows / 10).max(10);
    let mut w = std::io::BufWriter::new(std::fs::File::create(out.join("letters.csv"))?);
    w.write_all("\u{feff}案号,日期,事件,阅批领导,村社区,来信人,署名人数,语气,类别,内容,关联,备注,细项\n".as_bytes())?;
    let mut n = 0;
    let mut i = 0;
    while i < small {
        let day = i * days / small;
        n += 1;
        let (year, d) = (2022 + day / 365, date(day));
        let case = format!("L{year}-{n:04}");
        let tone = if rng.below(10) == 0 { "言辞过激" } else { "一般" };
        let _ = writeln!(
            w,
            "{case},{d},收信,,{},{}某,{},{tone},{},{},,,",
            VILLAGES[rng.below(8)],
            SURNAMES[rng.below(12)],
            1 + rng.below(3),
            categories[rng.below(categories.len())],
            SUMMARIES[rng.below(6)]
        );
        let _ = writeln!(w, "{case},{},阅批,{},,,,,,,,请核实,", date(day + rng.below(3)), LEADERS[rng.below(10)]);
        let _ = writeln!(w, "{case},{},答复,,,,,,,,,已答复,", date(day + 5));
        let _ = writeln!(w, "{case},{},办结,,,,,,,,,已办结,", date(day + 20));
        if rng.below(5) != 0 {
            let r = if rng.below(8) == 0 { "基本满意" } else { "满意" };
            let _ = writeln!(w, "{case},{},评价,,,,,,,,,,{r}", date(day + 22));
        }
        i += 4;
    }
    w.flush()?;
    let mut w = std::io::BufWriter::new(std::fs::File::create(out.join("disputes.csv"))?);
    w.write_all("\u{feff}案号,日期,事件,村社区,层级,类别,当事人,情况,细项,备注\n".as_bytes())?;
    let mut n = 0;
    for day in 0..days {
        for v in VILLAGES {
            if day % 7 == 0 || (62..=69).contains(&day) {
                let _ = writeln!(w, ",{},排查,{v},,,,,0,", date(day));
            }
        }
    }
    let mut i = 0;
    while i < small {
        let day = i * days / small;
        n += 1;
        let case = format!("D{}-{n:04}", 2022 + day / 365);
        let _ = writeln!(
            w,
            "{case},{},登记,{},村级,邻里纠纷,{}某、{}某,界址争议,,",
            date(day),
            VILLAGES[rng.below(8)],
            SURNAMES[rng.below(12)],
            SURNAMES[rng.below(12)]
        );
        let _ = writeln!(w, "{case},{},化解,,,,,,,调解成功", date(day + 10));
        i += 2;
    }
    w.flush()?;
    eprintln!("wrote {} ({rows} visit events)", out.display());
    Ok(())
}
