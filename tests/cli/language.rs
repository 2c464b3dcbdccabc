//! Issue 13: every command of the README, given a wrong option, a wrong name
//! and an action that is refused, answers in the workspace's language — in
//! Chinese in a zh workspace, in English with `--lang en`.

use super::common::*;

/// Whether a line says something in Chinese.
fn has_chinese(line: &str) -> bool {
    line.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Whether a line says something in English: a word of three letters or more
/// that is not an option, a code or a file name.
fn has_english(line: &str) -> bool {
    line.split(|c: char| !c.is_ascii_alphabetic() && c != '-' && c != '.' && c != '_')
        .any(|w| w.len() >= 3 && w.chars().all(|c| c.is_ascii_lowercase()) && !w.starts_with('-'))
}

/// A line without the frame every message has (`qunli：错误：` …) and without
/// the values typed on the command line or named in the workspace, which
/// stay as they are in either language.
fn said(line: &str, args: &[String]) -> String {
    let mut t = line.to_string();
    for frame in [
        "qunli：错误：",
        "qunli：警告：",
        "已拒绝，未写入任何内容：",
        "qunli: error:",
        "qunli: warning:",
        "refused, nothing written:",
    ] {
        t = t.replace(frame, "");
    }
    let names = [
        "管小波",
        "奚航",
        "天灵村",
        "牵牛村",
        "测试镇",
        "管晓波",
        "天林村",
        "其它",
        "其他",
        "张三",
        "李四",
        "路灯坏了",
        "路灯",
    ];
    for v in args.iter().map(String::as_str).chain(names) {
        if v.chars().count() > 1 {
            t = t.replace(v, "");
        }
    }
    t
}

/// Lines that are only code names, paths or values: nothing to translate.
fn only_values(line: &str) -> bool {
    let t = line.trim();
    t.is_empty()
        || t.starts_with("Usage:")
        || t.starts_with("qunli ")
        || t.chars().all(|c| !c.is_alphabetic() || c.is_ascii_uppercase())
}

/// The commands of the README, each with a wrong option, a wrong name and a refused action.
fn cases(ws: &Ws) -> Vec<Vec<String>> {
    let file = ws.file("nothing.csv").to_string_lossy().into_owned();
    let add = |extra: &[&str]| {
        let mut v: Vec<&str> = vec!["visit", "add", "--leader", "管小波", "--mode", "public", "--village", "天灵村"];
        v.extend_from_slice(&["--visitors", "张三", "--headcount", "1", "--category", "其他", "--summary", "路灯"]);
        v.extend_from_slice(extra);
        v.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let mut all = vec![
        s(&["check", "--bogus"]),
        s(&["chek"]),
        s(&["explain", "V06"]),
        s(&["schedule", "check", "--month", "2031-03"]),
        s(&["schedule", "show", "--leader", "管晓波"]),
        s(&["schedule", "next", "--days", "999"]),
        s(&["schedule", "export", "--format", "csv"]),
        s(&["init", "--township", "测试镇", "--year", "2022"]),
        s(&["year", "add", "2022"]),
        add(&["--leader", "管晓波"]),
        add(&["--village", "天林村"]),
        add(&["--category", "其它"]),
        add(&["--mode", "walk"]),
        add(&["--date", "2031-01-01"]),
        add(&["--case", "V2022-0099"]),
        s(&["visit", "session", "--leader", "管小波", "--mode", "public", "--date", "2022-13-01"]),
        s(&[
            "visit",
            "assign",
            "V2022-0099",
            "--leader",
            "管小波",
            "--deadline",
            "2022-04-01",
            "--plan",
            "x",
            "--date",
            "2022-03-10",
        ]),
        s(&["visit", "refer", "V2022-0099", "--note", "x", "--date", "2022-03-10"]),
        s(&["visit", "extend", "V2022-0001", "--note", "x", "--date", "2022-09-10"]),
        s(&["visit", "resolve", "V2022-0099", "--note", "x", "--date", "2022-03-10"]),
        s(&["visit", "escalate", "V2022-0001", "--to", "province", "--date", "2022-03-10"]),
        s(&["visit", "void", "X-1", "--note", "x"]),
        s(&["visit", "undo", "2", "--note", "x", "--date", "2022-03-10"]),
        s(&["visit", "list", "--leader", "管晓波"]),
        s(&["visit", "show", "V2022-0099"]),
        s(&[
            "letter",
            "add",
            "--sender",
            "李四",
            "--signers",
            "0",
            "--tone",
            "normal",
            "--category",
            "其他",
            "--summary",
            "x",
        ]),
        s(&["letter", "review", "L2022-0099", "--leader", "管小波", "--note", "x", "--date", "2022-03-10"]),
        s(&["letter", "reply", "L2022-0099", "--note", "x", "--date", "2022-03-10"]),
        s(&["letter", "resolve", "L2022-0099", "--note", "x", "--date", "2022-03-10"]),
        s(&["letter", "undo", "99", "--note", "x", "--date", "2022-03-10"]),
        s(&["letter", "list", "--village", "天林村"]),
        s(&["dispute", "screen", "--village", "天林村", "--date", "2022-03-10"]),
        s(&[
            "dispute",
            "add",
            "--village",
            "天灵村",
            "--level",
            "county",
            "--category",
            "其他",
            "--parties",
            "x",
            "--summary",
            "x",
        ]),
        s(&["dispute", "mediate", "D2022-0099", "--note", "x", "--date", "2022-03-10"]),
        s(&["dispute", "resolve", "D2022-0099", "--note", "x", "--date", "2022-03-10"]),
        s(&["dispute", "show", "V2022-0001"]),
        s(&["report", "monthly", "--month", "2031-03"]),
        s(&["report", "monthly", "--month", "2022-3x"]),
        s(&["report", "resolution", "--from", "2022-05-01", "--to", "2022-04-01"]),
        s(&["report", "resolution", "--by", "town"]),
        s(&["report", "villages", "--month", "2022-03", "--year"]),
        s(&["report", "overdue", "--as-of", "2022-02-30"]),
        s(&["report", "annual", "--year", "2031"]),
        s(&["report", "monthly", "--month", "2022-03", "--format", "email"]),
        s(&["completions", "tcsh"]),
        s(&["import", &file, "--into", "visits"]),
        s(&["import", &file, "--into", "calls"]),
        s(&["upgrade", "calls"]),
        s(&["verify", &file]),
        s(&["repair", "--bogus"]),
        s(&["visit", "rate", "V2022-0001", "--rating", "好"]),
        s(&["visit", "rate", "V2022-0001", "--rating", "satisfied", "--date", "2022-03-10"]),
        s(&["letter", "rate", "L2022-0099", "--rating", "basic"]),
        s(&["explain", "满意律"]),
        s(&["district", "check"]),
        s(&["district", "report", "monthly", "--month", "2022-3x"]),
        s(&["district", "report", "kpi", "--from", "2022-05-01", "--to", "2022-04-01"]),
    ];
    all.push(s(&["visit", "show", "V2022-0001", "--output", ws.file("visits.csv").to_str().unwrap()]));
    all
}

fn workspace() -> Ws {
    let ws = Ws::new(MINIMAL_TOML);
    assert_eq!(ws.run_owned(&visit_add("2022-03-09", "其他", "路灯坏了")).code, 0);
    ws
}

#[test]
fn every_command_answers_in_chinese_in_a_chinese_workspace() {
    let ws = workspace();
    let mut english = Vec::new();
    for args in cases(&ws) {
        let r = ws.run_owned(&args);
        assert_ne!(r.code, 0, "{args:?} should fail: {}", r.stdout);
        for line in r.stderr.lines().chain(r.stdout.lines()) {
            let line = said(line, &args);
            if !only_values(&line) && !has_chinese(&line) {
                english.push(format!("{args:?}: {line}"));
            }
        }
    }
    assert!(english.is_empty(), "lines without Chinese:\n{}", english.join("\n"));
}

#[test]
fn every_command_answers_in_english_with_lang_en() {
    let ws = workspace();
    let mut chinese_only = Vec::new();
    for args in cases(&ws) {
        let mut en = vec!["--lang".to_string(), "en".to_string()];
        en.extend(args.iter().cloned());
        let r = ws.run_owned(&en);
        assert_ne!(r.code, 0, "{en:?} should fail: {}", r.stdout);
        for line in r.stderr.lines().chain(r.stdout.lines()) {
            let line = said(line, &en);
            if !only_values(&line) && !has_english(&line) {
                chinese_only.push(format!("{args:?}: {line}"));
            }
        }
    }
    assert!(chinese_only.is_empty(), "lines without English:\n{}", chinese_only.join("\n"));
}

/// The width a terminal gives a line: two columns for CJK ideographs and full-width forms.
fn columns(line: &str) -> usize {
    line.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

#[test]
fn no_line_is_wider_than_an_80_column_terminal() {
    let data = data_dir();
    for args in [
        &["check"][..],
        &["report", "monthly", "--month", "2022-03", "--as-of", "2022-04-01"],
        &["report", "villages", "--month", "2022-03", "--as-of", "2022-04-01"],
        &["report", "overdue", "--as-of", "2022-06-30"],
        &["report", "annual", "--as-of", "2022-12-31"],
        &["report", "resolution", "--from", "2022-01-01", "--to", "2022-06-30", "--by", "village"],
        &["schedule", "check"],
        &["schedule", "show"],
        &["visit", "list", "--month", "2022-03"],
        &["visit", "list", "--events", "--month", "2022-03"],
        &["visit", "show", "V2022-0002"],
        &["letter", "list"],
        &["dispute", "list"],
        &["explain", "--list"],
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_qunli"))
            .arg("--dir")
            .arg(&data)
            .args(args)
            .env("COLUMNS", "80")
            .env("NO_COLOR", "1")
            .env_remove("LANG")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.is_empty(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        for line in text.lines() {
            assert!(columns(line) <= 80, "{args:?}: a line of {} columns:\n{line}", columns(line));
        }
    }
}

/// `visit list` as a table at `columns`, in `lang`, on the sample's March.
fn list_at(columns: &str, lang: &str) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_qunli"))
        .arg("--dir")
        .arg(data_dir())
        .args(["--lang", lang, "visit", "list", "--month", "2022-03", "--as-of", "2022-04-01"])
        .env("COLUMNS", columns)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_narrow_terminal_shows_the_columns_that_can_be_read_and_names_the_others() {
    // At 80 columns the case, its dates, leader and status, each whole; the rest named.
    let narrow = list_at("80", "zh");
    let header = narrow.lines().find(|l| l.contains("案号")).unwrap();
    for shown in ["案号", "受理日期", "接待领导", "状态", "期限", "逾期"] {
        assert!(header.contains(shown), "{shown} missing:\n{narrow}");
    }
    assert!(!header.contains("诉求") && !header.contains("来访人"), "{narrow}");
    assert!(narrow.contains("终端宽 80 列，未显示：方式、类别、来访人、人数、接待次数、诉求。"), "{narrow}");
    assert!(narrow.contains("加宽终端，或用 --format csv 查看全部列。"), "{narrow}");
    assert!(narrow.contains("│ V2022-0022 ┆ 2022-03-01 ┆ 管小波   ┆"), "a case on one line:\n{narrow}");
    for line in narrow.lines() {
        assert!(columns(line) <= 80, "a line of {} columns:\n{line}", columns(line));
    }
    // In English, an option or a word is not cut where the note wraps.
    let en = list_at("60", "en");
    assert!(en.lines().any(|l| l.trim_end() == "Widen it, or use --format csv for every column."), "{en}");
    assert!(!en.contains("--\nformat") && !en.contains("-\n-format"), "{en}");
    // Wide enough for all: every column, no note.
    let wide = list_at("250", "zh");
    assert!(!wide.contains("未显示"), "{wide}");
    assert!(wide.lines().any(|l| l.contains("来访人") && l.contains("诉求") && l.contains("接待次数")), "{wide}");
}

#[test]
fn dates_and_case_numbers_are_never_broken_in_a_narrow_table() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_qunli"))
        .arg("--dir")
        .arg(data_dir())
        .args(["visit", "list", "--events", "--month", "2022-03", "--as-of", "2022-04-01"])
        .env("COLUMNS", "80")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("┆ 2022-03-02 ┆ 包案 ┆ V2022-0022 ┆ 管小波"), "{text}");
    assert!(!text.contains("2022-03-\n") && !text.lines().any(|l| l.contains("┆ 2022-03- ")), "{text}");
    // The annual report's months, cut in two tables, each whole and named.
    let annual = std::process::Command::new(env!("CARGO_BIN_EXE_qunli"))
        .arg("--dir")
        .arg(data_dir())
        .args(["report", "annual", "--year", "2022", "--as-of", "2022-12-31"])
        .env("COLUMNS", "80")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let annual = String::from_utf8_lossy(&annual.stdout);
    assert_eq!(annual.matches("│ 2022-03 ┆").count(), 2, "{annual}");
    assert!(annual.contains("102/104"), "{annual}");
}

#[test]
fn help_names_its_placeholders_in_the_workspace_language() {
    let ws = Ws::new(MINIMAL_TOML);
    let zh = ws.run(&["visit", "add", "--help"]);
    assert_eq!(zh.code, 0, "{}", zh.stderr);
    assert!(zh.stdout.contains("用法：qunli visit add [选项] --leader <LEADER>"), "{}", zh.stdout);
    assert!(!zh.stdout.contains("[OPTIONS]") && !zh.stdout.contains("Usage"), "{}", zh.stdout);
    assert!(ws.run(&["visit", "--help"]).stdout.contains("用法：qunli visit [选项] <命令>"));
    let typo = ws.run(&["visit", "ad"]);
    assert!(typo.stderr.contains("用法：qunli visit [选项] <命令>"), "{}", typo.stderr);
    let en = ws.run(&["--lang", "en", "visit", "add", "--help"]);
    assert!(en.stdout.contains("Usage: qunli visit add [OPTIONS] --leader <LEADER>"), "{}", en.stdout);
}
