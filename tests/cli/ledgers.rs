//! Registering, reading and validating the three ledgers.

use super::common::*;

/// `visit add` of a new hard case on 2022-03-09. Positions: 3 leader, 5 mode,
/// 7 village, 11 headcount, 13 category, 15 summary, 17 date.
fn visit() -> Vec<String> {
    visit_add("2022-03-09", "土地征用", "征地补偿款未到位")
}

fn add_visit(ws: &Ws) -> Run {
    ws.run_owned(&visit())
}

/// Runs `args` and asserts it was refused: exit 2, a message, the ledger byte-for-byte unchanged.
fn refused<S: AsRef<str> + std::fmt::Debug>(ws: &Ws, file: &str, args: &[S], message: &str) {
    let before = std::fs::read(ws.file(file)).ok();
    let r = ws.run(&args.iter().map(AsRef::as_ref).collect::<Vec<&str>>());
    assert_eq!(r.code, 2, "{args:?}: {}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains(message), "{args:?}: {}", r.stderr);
    assert_eq!(std::fs::read(ws.file(file)).ok(), before, "{args:?} changed {file}");
}

#[test]
fn a_new_ledger_has_bom_chinese_header_and_mode_0600() {
    let ws = Ws::new(MINIMAL_TOML);
    let r = add_visit(&ws);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("V2022-0001  登记 2022-03-09"), "{}", r.stdout);
    let text = ws.read("visits.csv");
    assert_eq!(
        text,
        "\u{feff}案号,日期,事件,接待领导,方式,村社区,来访人,人数,类别,诉求,关联,细项,备注\n\
         V2022-0001,2022-03-09,登记,管小波,公开接访,天灵村,张三,1,土地征用,征地补偿款未到位,,,\n"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(ws.file("visits.csv")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert_eq!(add_visit(&ws).stdout.split_whitespace().next(), Some("V2022-0002"));
}

#[test]
fn english_workspace_writes_english() {
    let ws = Ws::new(&MINIMAL_TOML.replace("year = 2022", "year = 2022\nlang = \"en\""));
    assert_eq!(add_visit(&ws).code, 0);
    let text = ws.read("visits.csv");
    assert!(text.starts_with("\u{feff}case,date,event,leader,mode,village,"), "{text}");
    assert!(text.contains("V2022-0001,2022-03-09,receive,管小波,public,天灵村"), "{text}");
}

#[test]
fn the_case_lifecycle_and_its_refusals() {
    let ws = Ws::new(MINIMAL_TOML);
    add_visit(&ws);
    let ok = |args: &[&str]| {
        let r = ws.run(args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    };
    refused(
        &ws,
        "visits.csv",
        &["visit", "resolve", "V2022-0009", "--note", "x", "--date", "2022-03-10"],
        "中没有事项",
    );
    refused(
        &ws,
        "visits.csv",
        &["visit", "resolve", "V2022-0001", "--note", "x", "--date", "2022-03-01"],
        "早于事项 V2022-0001 的登记日期",
    );
    ok(&[
        "visit",
        "assign",
        "V2022-0001",
        "--leader",
        "管小波",
        "--deadline",
        "2022-03-31",
        "--plan",
        "核实",
        "--date",
        "2022-03-10",
    ]);
    ok(&["visit", "extend", "V2022-0001", "--note", "会商", "--date", "2022-03-11"]);
    refused(
        &ws,
        "visits.csv",
        &["visit", "extend", "V2022-0001", "--note", "again", "--date", "2022-03-12"],
        "已经延期过一次",
    );
    ok(&["visit", "refer", "V2022-0001", "--note", "转国土所", "--date", "2022-03-12"]);
    ok(&["visit", "resolve", "V2022-0001", "--note", "已解决", "--date", "2022-03-20"]);
    refused(&ws, "visits.csv", &["visit", "resolve", "V2022-0001", "--note", "x", "--date", "2022-03-21"], "已经化解");
    // A repeat reception reopens it.
    let mut again = visit();
    again.splice(2..2, ["--case".to_string(), "V2022-0001".to_string()]);
    let last = again.len() - 1;
    again[last] = "2022-03-25".into();
    ok(&again.iter().map(String::as_str).collect::<Vec<_>>());
    ok(&["visit", "escalate", "V2022-0001", "--to", "district", "--date", "2022-03-26"]);
    ok(&["visit", "void", "V2022-0001", "--note", "登记错误", "--date", "2022-03-27"]);
    refused(&ws, "visits.csv", &["visit", "resolve", "V2022-0001", "--note", "x", "--date", "2022-03-28"], "已作废");
    refused(&ws, "visits.csv", &again, "已作废");
    let r = ws.run(&["visit", "show", "V2022-0001", "--format", "json", "--as-of", "2022-12-31"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["status"], "voided");
    let events: Vec<&str> = v["events"].as_array().unwrap().iter().map(|e| e["event"].as_str().unwrap()).collect();
    assert_eq!(events, ["登记", "包案", "延期", "转办", "化解", "登记", "上交", "作废"]);
    assert_eq!(ws.run(&["check"]).code, 1, "only schedule findings, no data errors");
}

#[test]
fn bad_arguments_are_refused_and_nothing_written() {
    let ws = Ws::new(MINIMAL_TOML);
    add_visit(&ws);
    let with = |i: usize, v: &str| {
        let mut a = visit();
        a[i] = v.to_string();
        a
    };
    refused(&ws, "visits.csv", &with(3, "管晓波"), "你是不是要写“管小波”？");
    refused(&ws, "visits.csv", &with(7, "天林村"), "你是不是要写“天灵村”？");
    refused(&ws, "visits.csv", &with(5, "walk"), "--mode <MODE> 的值“walk”无效");
    refused(&ws, "visits.csv", &with(11, "0"), "--headcount");
    refused(&ws, "visits.csv", &with(13, "土地"), "不认识的类别");
    refused(&ws, "visits.csv", &with(17, "2022-02-30"), "--date");
    refused(&ws, "visits.csv", &with(17, "2025-01-01"), "2025 年不在本工作区覆盖的年份（2022）内");
    refused(&ws, "visits.csv", &with(17, "2023-01-05"), "2023 年不在本工作区覆盖的年份（2022）内");
    refused(&ws, "visits.csv", &with(17, "2099-01-05"), "晚于今天");
    refused(&ws, "visits.csv", &with(15, "  "), "--summary 不能为空");
    // Missing options without a terminal: named, exit 2.
    refused(&ws, "visits.csv", &["visit", "add", "--leader", "管小波"], "--mode");
}

#[test]
fn letters_and_disputes() {
    let ws = Ws::new(MINIMAL_TOML);
    refused(
        &ws,
        "letters.csv",
        &["letter", "review", "L2022-0001", "--leader", "管小波", "--note", "阅", "--date", "2022-03-03"],
        "中没有事项",
    );
    let r = ws.run(&[
        "letter",
        "add",
        "--sender",
        "李四",
        "--signers",
        "3",
        "--tone",
        "言辞过激",
        "--category",
        "房屋拆迁",
        "--summary",
        "安置房质量",
        "--date",
        "2022-03-02",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for args in [
        &["letter", "review", "L2022-0001", "--leader", "管小波", "--note", "请核实", "--date", "2022-03-03"][..],
        &["letter", "reply", "L2022-0001", "--note", "已告知", "--date", "2022-03-08"],
        &["letter", "extend", "L2022-0001", "--note", "会商", "--date", "2022-04-20"],
        &["letter", "resolve", "L2022-0001", "--note", "办结", "--date", "2022-05-20"],
    ] {
        assert_eq!(ws.run(args).code, 0, "{args:?}");
    }
    refused(
        &ws,
        "letters.csv",
        &["letter", "resolve", "L2022-0001", "--note", "x", "--date", "2022-05-21"],
        "已经办结",
    );

    refused(&ws, "disputes.csv", &["dispute", "screen", "--village", "天林村"], "你是不是要写“天灵村”？");
    assert_eq!(ws.run(&["dispute", "screen", "--village", "天灵村", "--found", "1", "--date", "2022-03-07"]).code, 0);
    let r = ws.run(&[
        "dispute",
        "add",
        "--village",
        "牵牛村",
        "--level",
        "village",
        "--category",
        "邻里纠纷",
        "--parties",
        "王五、赵六",
        "--summary",
        "宅基地界址",
        "--date",
        "2022-03-07",
    ]);
    assert!(r.stdout.starts_with("D2022-0001"), "{}", r.stdout);
    for args in [
        &["dispute", "mediate", "D2022-0001", "--note", "调解", "--date", "2022-03-08"][..],
        &["dispute", "refer", "D2022-0001", "--note", "报镇", "--date", "2022-03-09"],
    ] {
        assert_eq!(ws.run(args).code, 0, "{args:?}");
    }
    refused(
        &ws,
        "disputes.csv",
        &["dispute", "refer", "D2022-0001", "--note", "x", "--date", "2022-03-10"],
        "已经在镇级调处",
    );
    assert_eq!(ws.run(&["dispute", "escalate", "D2022-0001", "--to", "city", "--date", "2022-03-11"]).code, 0);
    let r = ws.run(&["dispute", "list", "--format", "json", "--as-of", "2022-03-31"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["cases"][0]["parties"], "王*、赵*");
    assert_eq!(v["cases"][0]["level"], "镇级");
    let r = ws.run(&["dispute", "list", "--format", "json", "--show-names"]);
    assert!(r.stdout.contains("王五、赵六"));
}

#[test]
fn english_headers_in_any_order_and_enums_in_either_language() {
    let ws = Ws::new(MINIMAL_TOML);
    ws.write(
        "visits.csv",
        "\u{feff}Date,Event,Case,Leader,Mode,Village,Visitors,Headcount,Category,Summary,Ref,Detail,Note\n\
         2022-03-09,RECEIVE,V2022-0001,管小波,Public,天灵村,张三,1,土地征用,补偿,,,\n\
         2022-03-10,化解,V2022-0001,,,,,,,,,,已解决\n\
         2022-03-11,session,,奚航,带案下访,,,,,,,,\n",
    );
    let r = ws.run(&["check"]);
    assert!(r.stdout.contains("no data errors") || r.stdout.contains("没有数据错误"), "{}{}", r.stdout, r.stderr);
    let r = ws.run(&["visit", "list", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["cases"][0]["status"], "已化解");
    assert_eq!(v["cases"][0]["visitors"], "张*");
    // Appending keeps the file's own column order.
    let mut args = visit();
    let last = args.len() - 1;
    args[last] = "2022-03-12".into();
    assert_eq!(ws.run_owned(&args).code, 0);
    assert!(ws
        .read("visits.csv")
        .ends_with("2022-03-12,登记,V2022-0002,管小波,公开接访,天灵村,张三,1,土地征用,征地补偿款未到位,,,\n"));
}

#[test]
fn every_problem_is_named_with_file_line_and_field() {
    let ws = Ws::new(MINIMAL_TOML);
    ws.write(
        "visits.csv",
        "case,date,event,leader,mode,village,visitors,headcount,category,summary,ref,detail,note\n\
         V2022-0001,2022-03-09,receive,管晓波,public,天灵村,张三,1,土地征用,补偿,,,\n\
         V2022-0002,2022-03-32,receive,管小波,publik,天灵村,张三,0,土地征用,补偿,,,\n\
         V2022-0003,2022-03-09,resolve,,,,,,,,,,done\n\
         V2022-0004,2022-03-09,receive,管小波,public,天灵村,张三,1,土地征用,补偿\n",
    );
    let r = ws.run(&["check"]);
    assert_eq!(r.code, 2);
    let problems: Vec<&str> = r.stderr.lines().filter(|l| l.contains("visits.csv:")).collect();
    assert_eq!(problems.len(), 6, "{}", r.stderr);
    assert!(
        problems[0].ends_with("visits.csv:2: leader: 不认识的领导“管晓波”；你是不是要写“管小波”？"),
        "{}",
        problems[0]
    );
    assert!(r.stderr.contains("visits.csv:3: mode: 不认识的方式“publik”；你是不是要写“public”？"), "{}", r.stderr);
    assert!(r.stderr.contains("visits.csv:3: date: “2022-03-32” 不是日期"), "{}", r.stderr);
    assert!(r.stderr.contains("visits.csv:3: headcount: “0” 不是 1 到 100000 之间的整数"), "{}", r.stderr);
    assert!(r.stderr.contains("visits.csv:4: 事项 V2022-0003 在前面没有登记过"), "{}", r.stderr);
    assert!(r.stderr.contains("visits.csv:5: 应有 13 个字段（与表头相同），实有 10"), "{}", r.stderr);
}

#[test]
fn header_problems() {
    let ws = Ws::new(MINIMAL_TOML);
    ws.write("letters.csv", "case,date,event,leader,village,sendr,signers,tone,category,summary,ref,note,note\n");
    let r = ws.run(&["check"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("letters.csv:1: 不认识的列“sendr”"), "{}", r.stderr);
    assert!(r.stderr.contains("你是不是要写“sender”"), "{}", r.stderr);
    assert!(r.stderr.contains("letters.csv:1: 列“note”出现了两次"), "{}", r.stderr);
    assert!(r.stderr.contains("letters.csv:1: 缺少列“来信人”（sender）"), "{}", r.stderr);
}

#[test]
fn gbk_bytes_are_never_read_as_mojibake() {
    let ws = Ws::new(MINIMAL_TOML);
    let (bytes, _, _) = encoding_rs::GB18030.encode(
        "案号,日期,事件,接待领导,方式,村社区,来访人,人数,类别,诉求,关联,细项,备注\n\
         V2022-0001,2022-03-09,登记,管小波,公开接访,天灵村,张三,1,土地征用,补偿,,,\n",
    );
    std::fs::write(ws.file("visits.csv"), &bytes).unwrap();
    let r = ws.run(&["check"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("visits.csv:1: 不是有效的 UTF-8") && r.stderr.contains("qunli import --encoding gb18030")
    );
    refused(&ws, "visits.csv", &visit(), "不是有效的 UTF-8");
}

#[test]
fn gb18030_import_round_trip_all_or_nothing() {
    let ws = Ws::new(MINIMAL_TOML);
    let good = "案号,日期,事件,接待领导,方式,村社区,来访人,人数,类别,诉求,关联,细项,备注\r\n\
                V2022-0001,2022-03-09,登记,管小波,公开接访,天灵村,张三,1,土地征用,征地补偿款未到位,,,\r\n\
                V2022-0001,2022-03-20,化解,,,,,,,,,,已解决\r\n";
    let (bytes, _, _) = encoding_rs::GB18030.encode(good);
    std::fs::write(ws.file("in.csv"), &bytes).unwrap();
    let bad = good.replace("2022-03-20,化解", "2022-03-20,解决");
    let (bad_bytes, _, _) = encoding_rs::GB18030.encode(&bad);
    std::fs::write(ws.file("bad.csv"), &bad_bytes).unwrap();

    let in_csv = ws.file("bad.csv");
    let r = ws.run(&["import", "--encoding", "gb18030", in_csv.to_str().unwrap(), "--into", "visits"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("bad.csv:3: 事件: 不认识的事件（2 个字符的内容，不予显示"), "{}", r.stderr);
    assert!(!r.stderr.contains("解决"), "a value that may be a name is not echoed: {}", r.stderr);
    assert!(!ws.file("visits.csv").exists() || ws.read("visits.csv").lines().count() <= 1);

    let in_csv = ws.file("in.csv");
    let r = ws.run(&["import", "--encoding", "gb18030", in_csv.to_str().unwrap(), "--into", "visits"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = ws.read("visits.csv");
    assert!(
        text.contains("V2022-0001,2022-03-09,登记,管小波,公开接访,天灵村,张三,1,土地征用,征地补偿款未到位"),
        "{text}"
    );
    let r = ws.run(&["visit", "list", "--format", "json", "--show-names"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["cases"][0]["summary"], "征地补偿款未到位");
    assert_eq!(v["cases"][0]["status"], "已化解");
}

#[test]
fn a_torn_last_row_is_reported_refused_and_repaired() {
    let ws = Ws::new(MINIMAL_TOML);
    add_visit(&ws);
    let mut bytes = std::fs::read(ws.file("visits.csv")).unwrap();
    bytes.extend_from_slice("V2022-0002,2022-03-10,登记,管小".as_bytes());
    std::fs::write(ws.file("visits.csv"), &bytes).unwrap();
    let r = ws.run(&["check"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("visits.csv:3: 最后一行不完整"), "{}", r.stderr);
    refused(&ws, "visits.csv", &visit(), "visits.csv:3: 最后一行不完整（写入被中断）；请先运行 `qunli repair`");
    let r = ws.run(&["repair"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("visits.csv"), "{}", r.stdout);
    assert_eq!(ws.read("visits.csv.rejected"), "V2022-0002,2022-03-10,登记,管小\n");
    assert_eq!(ws.read("visits.csv").lines().count(), 2);
    assert_eq!(add_visit(&ws).code, 0);
    assert_eq!(ws.run(&["check"]).code, 1);
    // Repair never overwrites what was kept before.
    let mut bytes = std::fs::read(ws.file("visits.csv")).unwrap();
    bytes.extend_from_slice(b"torn again");
    std::fs::write(ws.file("visits.csv"), &bytes).unwrap();
    ws.run(&["repair"]);
    assert_eq!(ws.read("visits.csv.rejected"), "V2022-0002,2022-03-10,登记,管小\ntorn again\n");
}

#[test]
fn concurrent_appends_never_collide() {
    let ws = Ws::new(MINIMAL_TOML);
    let dir = ws.path().to_str().unwrap().to_string();
    let workers: Vec<_> = (0..4)
        .map(|w| {
            let dir = dir.clone();
            std::thread::spawn(move || {
                for i in 0..8 {
                    let summary = format!("worker{w}-row{i}");
                    let mut args = vec!["--dir".to_string(), dir.clone()];
                    let mut v = visit();
                    v[15] = summary;
                    args.extend(v);
                    let out = std::process::Command::new(env!("CARGO_BIN_EXE_qunli")).args(&args).output().unwrap();
                    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let text = ws.read("visits.csv");
    let rows: Vec<&str> = text.lines().skip(1).collect();
    assert_eq!(rows.len(), 32);
    let mut cases: Vec<&str> = rows.iter().map(|r| r.split(',').next().unwrap()).collect();
    cases.sort();
    cases.dedup();
    assert_eq!(cases.len(), 32, "every case number unique");
    for w in 0..4 {
        for i in 0..8 {
            assert_eq!(rows.iter().filter(|r| r.contains(&format!(",worker{w}-row{i},"))).count(), 1);
        }
    }
    assert_eq!(ws.run(&["check"]).code, 1, "valid ledger: only schedule findings");
}

#[test]
fn init_creates_a_workspace_and_copies_from_another() {
    let ws = Ws::empty();
    let data = data_dir();
    let r = qunli_in(
        ws.path(),
        &["init", "ws2023", "--township", "群力镇", "--year", "2023", "--from", data.to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let dir = ws.file("ws2023");
    let toml = std::fs::read_to_string(dir.join("qunli.toml")).unwrap();
    assert!(
        toml.contains("years = [2023]") && toml.contains("name = \"管小波\"") && toml.contains("\"矮坡村\""),
        "{toml}"
    );
    assert!(!toml.contains("2022-01-14"), "days are left empty");
    for f in ["visits.csv", "letters.csv", "disputes.csv"] {
        assert!(std::fs::read_to_string(dir.join(f)).unwrap().starts_with("\u{feff}案号,日期,事件"));
    }
    assert!(toml.contains("[email]") && toml.contains("years = [2023]"), "{toml}");
    let r = qunli_in(&dir, &["schedule", "check", "--format", "json"]);
    assert_eq!(r.code, 0, "a year without days is one S000 warning, not 12 months of errors: {}", r.stdout);
    assert_eq!(r.stdout.matches("\"S000\"").count(), 1, "{}", r.stdout);
    let r = qunli_in(ws.path(), &["init", "ws2023", "--township", "群力镇", "--year", "2023"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("已经存在"));
    let r = qunli_in(ws.path(), &["init", "blank", "--township", "新镇", "--year", "2024"]);
    assert_eq!(r.code, 0);
    let r = qunli_in(&ws.file("blank"), &["check"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("缺少键 `leaders`"), "{}", r.stderr);
}

#[test]
fn sample_workspace_is_valid_and_uses_every_event() {
    let r = on_data(&["check"]);
    assert!(r.stdout.contains("没有数据错误"), "{}{}", r.stdout, r.stderr);
    let visits = std::fs::read_to_string(data_dir().join("visits.csv")).unwrap();
    for e in ["接待", "登记", "包案", "转办", "延期", "化解", "上交", "作废"] {
        assert!(visits.contains(&format!(",{e},")), "visits lacks {e}");
    }
    let letters = std::fs::read_to_string(data_dir().join("letters.csv")).unwrap();
    for e in ["receive", "review", "reply", "extend", "resolve", "void"] {
        assert!(letters.contains(&format!(",{e},")), "letters lack {e}");
    }
    let disputes = std::fs::read_to_string(data_dir().join("disputes.csv")).unwrap();
    for e in ["排查", "登记", "调处", "上报", "化解", "上交", "作废"] {
        assert!(disputes.contains(&format!(",{e},")), "disputes lack {e}");
    }
}

#[test]
fn quick_appends_agree_with_the_whole_file() {
    let ws = Ws::new(MINIMAL_TOML);
    assert_eq!(add_visit(&ws).code, 0); // V2022-0001, creates the ledger
    assert_eq!(add_visit(&ws).code, 0); // V2022-0002, records .qunli state
                                        // A clerk adds rows by hand: a higher number, and a note naming another case.
    let mut text = ws.read("visits.csv");
    text.push_str("V2022-0007,2022-03-09,登记,管小波,公开接访,天灵村,李四,1,其他,手工,,,\n");
    text.push_str("V2022-0002,2022-03-10,转办,,,,,,,,,,\"见V2022-0007，\n跨行备注\"\n");
    ws.write("visits.csv", &text);
    let r = add_visit(&ws);
    assert!(r.stdout.starts_with("V2022-0008"), "the hand-added number counts: {}", r.stdout);
    // V2022-0007 appears in a note of V2022-0002: the quick read must not take it for its row.
    let r = ws.run(&["visit", "resolve", "V2022-0007", "--note", "已解决", "--date", "2022-03-11"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    refused(&ws, "visits.csv", &["visit", "resolve", "V2022-0007", "--note", "x", "--date", "2022-03-12"], "已经化解");
    let r = ws.run(&["visit", "resolve", "V2022-0002", "--note", "已解决", "--date", "2022-03-12"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = ws.run(&["visit", "list", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let status: Vec<&str> = v["cases"].as_array().unwrap().iter().map(|c| c["status"].as_str().unwrap()).collect();
    assert_eq!(status, ["办理中", "已化解", "已化解", "办理中"]);
    assert_eq!(ws.run(&["check", "--fail-on", "never"]).code, 0);
}

#[test]
fn a_quote_never_closed_refuses_appends_so_no_row_disappears_into_it() {
    let ws = Ws::new(MINIMAL_TOML);
    assert_eq!(add_visit(&ws).code, 0); // the ledger, and the state of its highest numbers
    let open = "V2022-0002,2022-03-10,登记,管小波,公开接访,天灵村,张三,1,其他,\"路灯坏了,,,\n\
                V2022-0003,2022-03-11,登记,管小波,公开接访,天灵村,张三,1,其他,路灯,,,\n";
    let mut text = ws.read("visits.csv");
    text.push_str(open);
    ws.write("visits.csv", &text);
    let message = "visits.csv:3: 这一行开始的引号始终没有闭合";
    // The quick read (new case, or a case's own rows) and the whole read both refuse.
    refused(&ws, "visits.csv", &visit(), message);
    let mut repeat = visit();
    repeat.splice(2..2, ["--case".to_string(), "V2022-0001".to_string()]);
    refused(&ws, "visits.csv", &repeat, message);
    std::fs::remove_dir_all(ws.file(".qunli")).unwrap();
    refused(&ws, "visits.csv", &visit(), message);
    // `check` names the line and the column.
    let r = ws.run(&["check"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("visits.csv:3: 诉求: 这一行开始的引号始终没有闭合"), "{}", r.stderr);
    // Closed, the rows are rows again and appends go on.
    ws.write("visits.csv", &text.replace("\"路灯坏了", "\"路灯坏了\""));
    let r = add_visit(&ws);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("V2022-0004"), "{}", r.stdout);
}

#[test]
fn a_listing_holds_the_cases_it_shows_yet_checks_every_row() {
    // Issue 16: `list --month`/`--village` fold only the cases they can show; a
    // wrong row of another case must still stop them, as it stops the full fold.
    let header = "案号,日期,事件,接待领导,方式,村社区,来访人,人数,类别,诉求,关联,细项,备注\n";
    let rows = "V2022-0001,2022-02-09,登记,管小波,公开接访,天灵村,张三,1,其他,路灯,,,\n\
                V2022-0002,2022-03-09,登记,管小波,公开接访,牵牛村,李四,1,其他,道路,,,\n\
                V2022-0003,2022-04-11,登记,管小波,公开接访,天灵村,王五,1,其他,噪音,,,\n";
    let ws = Ws::new(MINIMAL_TOML);
    ws.write("visits.csv", &format!("{header}{rows}"));
    let r = ws.run(&["visit", "list", "--month", "2022-03", "--as-of", "2022-04-30", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let cases: Vec<&str> = v["cases"].as_array().unwrap().iter().map(|c| c["case"].as_str().unwrap()).collect();
    assert_eq!(cases, ["V2022-0002"]);
    assert_eq!(v["schema_version"], 1);
    // A village's listing folds that village's cases only, and lists them all.
    let r = ws.run(&["visit", "list", "--village", "天灵村", "--as-of", "2022-04-30", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let cases: Vec<&str> = v["cases"].as_array().unwrap().iter().map(|c| c["case"].as_str().unwrap()).collect();
    assert_eq!(cases, ["V2022-0001", "V2022-0003"]);

    // A February case voided, then resolved after its void: named, though not in March.
    let bad = "V2022-0001,2022-02-10,作废,,,,,,,,,,登记错误\nV2022-0001,2022-02-11,化解,管小波,,,,,,,,,已解决\n";
    ws.write("visits.csv", &format!("{header}{rows}{bad}"));
    let month = ws.run(&["visit", "list", "--month", "2022-03", "--as-of", "2022-04-30"]);
    let whole = ws.run(&["visit", "list", "--as-of", "2022-04-30"]);
    assert_eq!(month.code, 2, "{}", month.stderr);
    assert!(month.stderr.contains("visits.csv:6"), "{}", month.stderr);
    assert_eq!(month.stderr, whole.stderr);
    let village = ws.run(&["visit", "list", "--village", "牵牛村", "--as-of", "2022-04-30"]);
    assert_eq!((village.code, &village.stderr), (2, &whole.stderr));
}

#[test]
fn a_listing_takes_each_case_s_text_from_its_own_first_row_in_a_ledger_of_many_blocks() {
    // Issue 16: the texts of a month's cases are read back from the stretch
    // of the file that holds them, not from the whole file: each must still
    // be its own case's first row, wherever the blocks of the first read fell.
    let header = "案号,日期,事件,接待领导,方式,村社区,来访人,人数,类别,诉求,关联,细项,备注\n";
    let mut text = header.to_string();
    let filler = "说明".repeat(40);
    let day = |n: usize| {
        chrono::NaiveDate::from_ymd_opt(2022, 1, 1).unwrap() + chrono::Duration::days((n * 360 / 4500) as i64)
    };
    for n in 1..=4500 {
        text.push_str(&format!(
            "V2022-{n:04},{},登记,管小波,公开接访,天灵村,来访人{n},1,其他,诉求{n} {filler},,,\n",
            day(n)
        ));
        if n % 7 == 0 {
            // A repeat reception the next day, with other words: not the first row.
            text.push_str(&format!("V2022-{n:04},{},登记,管小波,公开接访,天灵村,又一人,1,其他,再次,,,\n", day(n)));
        }
    }
    assert!(text.len() > 4 * 256 * 1024, "{}", text.len());
    let ws = Ws::new(MINIMAL_TOML);
    ws.write("visits.csv", &text);
    let r =
        ws.run(&["visit", "list", "--month", "2022-06", "--as-of", "2022-12-31", "--format", "json", "--show-names"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let cases = v["cases"].as_array().unwrap();
    assert!(cases.len() > 300, "{}", cases.len());
    let each_its_own = |cases: &[serde_json::Value]| {
        for c in cases {
            let n: usize = c["case"].as_str().unwrap()["V2022-".len()..].parse().unwrap();
            assert_eq!(c["summary"].as_str().unwrap(), format!("诉求{n} {filler}"), "{c}");
            assert_eq!(c["visitors"].as_str().unwrap(), format!("来访人{n}"), "{c}");
        }
    };
    each_its_own(cases);
    // Every case: more than are read back at once, written as they are made.
    let r = ws.run(&["visit", "list", "--as-of", "2022-12-31", "--format", "json", "--show-names"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["cases"].as_array().unwrap().len(), 4500);
    each_its_own(v["cases"].as_array().unwrap());
    // The same rows as CSV, to standard output and to a file, and as a table.
    let csv = ws.run(&["visit", "list", "--as-of", "2022-12-31", "--format", "csv"]);
    assert!(csv.stdout.starts_with('\u{feff}') && csv.stdout.contains("共 4500 件"), "{}", &csv.stdout[..200]);
    assert_eq!(csv.stdout.lines().filter(|l| l.starts_with("V2022-")).count(), 4500);
    let row = csv.stdout.lines().find(|l| l.starts_with("V2022-4321,")).unwrap();
    assert!(
        row.starts_with(&format!("V2022-4321,2022-12-12,管小波,公开接访,天灵村,其他,来******,1,1,诉求4321 {filler},")),
        "{row}"
    );
    let out = ws.tmp.path().join("list.csv");
    let r = ws.run(&["visit", "list", "--as-of", "2022-12-31", "--format", "csv", "--output", out.to_str().unwrap()]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), csv.stdout);
    let md = ws.run(&["visit", "list", "--as-of", "2022-12-31", "--format", "markdown"]);
    assert!(md.stdout.starts_with("# 测试镇 接访下访登记簿\n\n共 4500 件\n\n| 案号 |"), "{}", &md.stdout[..200]);
    assert_eq!(md.stdout.lines().filter(|l| l.starts_with("| V2022-")).count(), 4500);
    assert!(md.stdout.ends_with(" |\n\n"));
    let quiet = ws.run(&["visit", "list", "--as-of", "2022-12-31", "--format", "csv", "--quiet"]);
    assert_eq!((quiet.code, quiet.stdout.as_str()), (0, ""));
    let table = ws.run(&["visit", "list", "--as-of", "2022-12-31", "--month", "2022-12"]);
    assert!(table.stdout.contains("V2022-4321"), "{}", table.stdout);
    // Every case as a table: written in parts, yet one table, every line as wide.
    let table = ws.run(&["visit", "list", "--as-of", "2022-12-31"]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    let lines: Vec<&str> = table.stdout.lines().filter(|l| l.starts_with(['┌', '│', '╞', '└'])).collect();
    let count = |c: char| lines.iter().filter(|l| l.starts_with(c)).count();
    assert_eq!((count('┌'), count('╞'), count('└')), (1, 1, 1));
    assert_eq!(lines.iter().filter(|l| l.contains("V2022-")).count(), 4500);
    let width = |l: &str| {
        l.chars().map(|c| if (c as u32) >= 0x2E80 && !('─'..='╿').contains(&c) { 2 } else { 1 }).sum::<usize>()
    };
    assert!(lines.iter().all(|l| width(l) == width(lines[0])), "columns aligned from part to part");
}

#[test]
#[cfg(target_os = "linux")]
fn a_listing_that_cannot_be_written_whole_says_so() {
    // Rows written as they are made: a full disk half-way is told, in the
    // workspace's language, with exit status 2.
    let ws = Ws::new(MINIMAL_TOML);
    let header = "案号,日期,事件,接待领导,方式,村社区,来访人,人数,类别,诉求,关联,细项,备注\n";
    let rows: String = (1..=3000)
        .map(|n| format!("V2022-{n:04},2022-03-09,登记,管小波,公开接访,天灵村,张三,1,其他,诉求{n},,,\n"))
        .collect();
    ws.write("visits.csv", &format!("{header}{rows}"));
    for format in ["csv", "json", "markdown", "table"] {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_qunli"))
            .args(["--dir", ws.path().to_str().unwrap(), "visit", "list", "--format", format])
            .env("NO_COLOR", "1")
            .env_remove("LANG")
            .stdout(full)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{format}: {stderr}");
        assert!(stderr.contains("qunli：错误：输出没有写完"), "{format}: {stderr}");
        assert!(!stderr.contains("panicked"), "{format}: {stderr}");
    }
}
