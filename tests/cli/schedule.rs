use super::common::*;

#[test]
fn seed_schedule_gives_exactly_the_spec_findings() {
    let r = on_data(&["schedule", "check", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["schema_version"], 1);
    let got: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let when = f["date"].as_str().or(f["month"].as_str()).unwrap();
            format!("{} {} {}", f["code"].as_str().unwrap(), f["leader"].as_str().unwrap(), when)
        })
        .collect();
    assert_eq!(
        got,
        [
            "S002 李军 2022-05",
            "S003 张豪 2022-05-08",
            "S003 张豪 2022-08-07",
            "S003 张豪 2022-08-28",
            "S003 张豪 2022-12-03",
            "S003 滕建全 2022-07-24",
            "S004 奚航 2022-01-03",
            "S004 奚航 2022-05-02",
            "S004 蒋成华 2022-05-03",
        ]
    );
    // Findings on a day carry the line of qunli.toml where the day is written.
    let f = &v["findings"][1];
    assert!(f["file"].as_str().unwrap().ends_with("qunli.toml"));
    assert!(f["line"].as_u64().unwrap() > 1);
}

#[test]
fn exit_status_follows_fail_on() {
    let ws = Ws::new(&MINIMAL_TOML.replace("2022-03-22", "2022-03-20"));
    // Only S003 warnings for March; other months lack days (S001/S002 errors) unless limited.
    let r = ws.run(&["schedule", "check", "--month", "2022-03"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("S003"));
    assert_eq!(ws.run(&["schedule", "check", "--month", "2022-03", "--fail-on", "warning"]).code, 1);
    assert_eq!(ws.run(&["schedule", "check", "--fail-on", "never"]).code, 0);
    assert_eq!(ws.run(&["schedule", "check"]).code, 1);
}

#[test]
fn quiet_prints_nothing_on_success_only() {
    let ws = Ws::new(&MINIMAL_TOML.replace("2022-03-22", "2022-03-20"));
    let r = ws.run(&["--quiet", "schedule", "check", "--month", "2022-03"]);
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (0, "", ""));
    let r = ws.run(&["schedule", "check", "--quiet"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("S001"));
}

#[test]
fn english_labels_and_messages() {
    let r = on_data(&["--lang", "en", "schedule", "check", "--month", "2022-05"]);
    assert!(r.stdout.contains("severity"), "{}", r.stdout);
    assert!(r.stdout.contains("李军 has 0 reception day(s) in 2022-05"), "{}", r.stdout);
    assert!(!r.stdout.contains("错误"));
}

#[test]
fn show_is_the_attachment_table() {
    let r = on_data(&["schedule", "show", "--format", "csv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // For Excel: a BOM, the title, an empty line, then the table.
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines[0], "\u{feff}群力镇2022年镇领导接待群众日程安排表");
    assert_eq!(lines[1], "");
    let lines = &lines[2..];
    assert_eq!(lines[0], "序号,姓名,职务,1月,2月,3月,4月,5月,6月,7月,8月,9月,10月,11月,12月");
    assert_eq!(lines[1], "1,管小波,镇党委书记,\"14, 25\",\"7, 25\",\"1, 22\",\"6, 25\",\"5, 25\",\"1, 24\",\"5, 25\",\"4, 25\",\"2, 23\",\"10, 28\",\"3, 25\",\"9, 20\"");
    assert_eq!(lines[7], "7,李军,,27,21,7,29,,17,4,19,20,31,30,19");
    assert_eq!(lines.len(), 11);
    let r = on_data(&["schedule", "show", "--month", "2022-03", "--leader", "张豪"]);
    assert!(r.stdout.contains("9, 18"), "{}", r.stdout);
    let r = on_data(&["schedule", "show", "--leader", "张浩"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("你是不是要写“张豪”？"), "{}", r.stderr);
}

#[test]
fn next_lists_the_coming_days() {
    let r = on_data(&["schedule", "next", "--as-of", "2022-03-07", "--days", "5", "--format", "json"]);
    assert_eq!(r.code, 0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let got: Vec<String> = v["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{} {}", e["date"].as_str().unwrap(), e["leader"].as_str().unwrap()))
        .collect();
    assert_eq!(got, ["2022-03-07 李军", "2022-03-09 张豪", "2022-03-11 奚航"]);
    let r = on_data(&["schedule", "next", "--as-of", "2022-03-07", "--days", "5"]);
    assert!(r.stdout.contains("星期三"), "{}", r.stdout);
}

#[test]
fn no_workspace_is_a_clear_error() {
    let ws = Ws::empty();
    let r = qunli_in(ws.path(), &["schedule", "check"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("找不到工作区") && r.stderr.contains("qunli init"), "{}", r.stderr);
    let r = qunli_in(ws.path(), &["--dir", "nowhere", "check"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("nowhere 中没有 qunli.toml"), "{}", r.stderr);
}

#[test]
fn workspace_found_upward_and_from_env() {
    let ws = Ws::new(MINIMAL_TOML);
    std::fs::create_dir_all(ws.file("sub/dir")).unwrap();
    let r = qunli_in(&ws.file("sub/dir"), &["schedule", "show", "--month", "2022-03"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("管小波"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_qunli"))
        .args(["schedule", "show"])
        .current_dir(std::env::temp_dir())
        .env("QUNLI_DIR", ws.path())
        .output()
        .unwrap();
    assert!(out.status.success());
}

#[test]
fn usage_errors_exit_2() {
    let ws = Ws::new(MINIMAL_TOML);
    assert_eq!(ws.run(&["schedule", "check", "--month", "2022-13"]).code, 2);
    assert_eq!(ws.run(&["no-such-command"]).code, 2);
    assert_eq!(ws.run(&["--as-of", "2022-02-30", "check"]).code, 2);
    assert_eq!(ws.run(&["--as-of", "+262142-12-31", "schedule", "next"]).code, 2);
    assert_eq!(ws.run(&["schedule", "next", "--days", "4294967295"]).code, 2);
    assert_eq!(ws.run(&["check", "--format", "ics"]).code, 2);
    assert_eq!(ws.run(&["--help"]).code, 0);
}

#[test]
fn reception_place_and_hours_reach_the_notice_and_the_calendar() {
    let ws = Ws::new(&format!("{MINIMAL_TOML}\n[reception]\nplace = \"镇信访接待室\"\nhours = \"09:00-12:00\"\n"));
    let r = ws.run(&["schedule", "next", "--as-of", "2022-03-07"]);
    assert!(r.stdout.contains("接待地点：镇信访接待室；接待时间：09:00–12:00"), "{}", r.stdout);
    let ics = ws.run(&["schedule", "export"]).stdout;
    assert!(ics.contains("DTSTART:20220309T090000") && ics.contains("DTEND:20220309T120000"), "{ics}");
    let ws = Ws::new(&format!("{MINIMAL_TOML}\n[reception]\nhours = \"9点到12点\"\n"));
    let r = ws.run(&["schedule", "next"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("qunli.toml:") && r.stderr.contains("09:00-12:00"), "{}", r.stderr);
}
