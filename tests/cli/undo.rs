//! Issue 12: `undo` 撤销 of one row of any kind, and `upgrade` of an older ledger.

use super::common::*;

fn json(r: &Run) -> serde_json::Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}{}", r.stdout, r.stderr))
}

fn ok(ws: &Ws, args: &[&str]) -> Run {
    let r = ws.run(args);
    assert_eq!(r.code, 0, "{args:?}: {}{}", r.stdout, r.stderr);
    r
}

fn monthly(ws: &Ws) -> serde_json::Value {
    json(&ws.run(&["report", "monthly", "--month", "2022-03", "--as-of", "2022-04-01", "--format", "json"]))
}

/// The codes of the findings about 管小波.
fn codes(v: &serde_json::Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["leader"] == "管小波")
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn undo_of_every_kind_of_row_leaves_the_counts_as_if_it_had_never_been_written() {
    let ws = Ws::new(MINIMAL_TOML);
    ok(&ws, &visit_add("2022-03-09", "邻里纠纷", "噪音").iter().map(String::as_str).collect::<Vec<_>>()); // line 2
    ok(&ws, &["visit", "resolve", "V2022-0001", "--note", "好了", "--date", "2022-03-10"]); // line 3
    ok(&ws, &["visit", "session", "--leader", "管小波", "--mode", "public", "--date", "2022-03-22"]); // line 4
    let before = monthly(&ws);
    assert_eq!(before["visits"]["resolved"].as_u64(), Some(1));
    assert_eq!(before["leaders"][0]["held"].as_u64(), Some(2));
    assert!(!codes(&before).contains(&"V002".to_string()));

    // A wrong resolve and a session typed for the wrong day, undone.
    ok(&ws, &["visit", "undo", "3", "--note", "录错了", "--date", "2022-03-11"]);
    ok(&ws, &["visit", "undo", "4", "--note", "日期录错", "--date", "2022-03-23"]);
    let after = monthly(&ws);
    assert_eq!(after["visits"]["received"].as_u64(), Some(1), "the reception itself stays");
    assert_eq!(after["visits"]["resolved"].as_u64(), Some(0));
    assert_eq!(after["leaders"][0]["held"].as_u64(), Some(1));
    assert!(codes(&after).contains(&"V002".to_string()), "the day is missed again: {:?}", codes(&after));
    // The case can be resolved again, as if the first resolve never was.
    ok(&ws, &["visit", "resolve", "V2022-0001", "--note", "真的好了", "--date", "2022-03-12"]);

    // show keeps the undone row, marked with its reason; list --events gives lines, sessions included.
    let r = ok(&ws, &["visit", "show", "V2022-0001"]);
    assert!(r.stdout.contains("化解（已撤销：录错了）"), "{}", r.stdout);
    let v = json(&ok(&ws, &["visit", "show", "V2022-0001", "--format", "json"]));
    let undone: Vec<&serde_json::Value> =
        v["events"].as_array().unwrap().iter().filter(|e| e["undone_by"] == 5).collect();
    assert_eq!(undone.len(), 1);
    let r = ok(&ws, &["visit", "list", "--events"]);
    assert!(
        r.stdout.contains("接待（已由第 6 行撤销）") && r.stdout.contains("化解（已由第 5 行撤销）"),
        "{}",
        r.stdout
    );

    // Refused: an undo, a row undone already, the opening row, a line that is no row.
    for (line, message) in
        [("5", "撤销记录，不能再撤销"), ("3", "已由第 5 行撤销"), ("2", "用 void"), ("99", "没有第 99 行")]
    {
        let before = ws.read("visits.csv");
        let r = ws.run(&["visit", "undo", line, "--note", "x", "--date", "2022-03-24"]);
        assert_eq!(r.code, 2, "{line}");
        assert!(r.stderr.contains(message), "{line}: {}", r.stderr);
        assert_eq!(ws.read("visits.csv"), before);
    }

    // Letters: a review undone no longer counts toward L001; disputes: a screening undone is missing again.
    let r = ws.run_owned(&letter_add("王五", "2022-03-01", "路灯"));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    ok(&ws, &["letter", "review", "L2022-0001", "--leader", "管小波", "--note", "阅", "--date", "2022-03-02"]); // line 3
    assert_eq!(monthly(&ws)["leaders"][0]["letters_reviewed"].as_u64(), Some(1));
    ok(&ws, &["letter", "undo", "3", "--note", "阅批人录错", "--date", "2022-03-03"]);
    assert_eq!(monthly(&ws)["leaders"][0]["letters_reviewed"].as_u64(), Some(0));
    ok(&ws, &["dispute", "screen", "--village", "天灵村", "--date", "2022-03-09"]); // line 2
    let screened = monthly(&ws)["disputes"]["screenings_done"].as_u64().unwrap();
    ok(&ws, &["dispute", "undo", "2", "--note", "日期录错", "--date", "2022-03-10"]);
    assert_eq!(monthly(&ws)["disputes"]["screenings_done"].as_u64(), Some(screened - 1));
    assert_eq!(ws.run(&["check"]).stderr, "", "the ledgers are valid");
}

#[test]
fn a_hand_typed_undo_in_any_spelling_is_folded_like_one_appended() {
    let ws = Ws::new(MINIMAL_TOML);
    ok(&ws, &visit_add("2022-03-09", "邻里纠纷", "噪音").iter().map(String::as_str).collect::<Vec<_>>());
    ok(&ws, &["visit", "resolve", "V2022-0001", "--note", "好了", "--date", "2022-03-10"]);
    // Spelled in a letter case the quick search does not look for, with its note on two lines.
    let mut text = ws.read("visits.csv");
    text.push_str("V2022-0001,2022-03-11,uNDo,,,,,,,,3,,\"录错了\n第二行\"\n");
    ws.write("visits.csv", &text);
    assert_eq!(monthly(&ws)["visits"]["resolved"].as_u64(), Some(0));
    // A hand-typed undo of a case's opening row is named.
    let mut text = ws.read("visits.csv");
    text.push_str("V2022-0001,2022-03-12,撤销,,,,,,,,2,,不对\n");
    ws.write("visits.csv", &text);
    let r = ws.run(&["check"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("visits.csv:6: 关联: 不能撤销第 2 行"), "{}", r.stderr);
}

#[test]
fn an_older_ledger_is_upgraded_on_request_and_kept() {
    let ws = Ws::new(MINIMAL_TOML);
    let old = "案号,日期,事件,村社区,层级,类别,当事人,情况,细项,备注\n,2022-03-09,排查,天灵村,,,,,0,\n";
    ws.write("disputes.csv", old);
    // Read as before; an undo needs the ref column and says how to get it.
    assert_eq!(ws.run(&["check"]).stderr, "");
    let r = ws.run(&["dispute", "undo", "2", "--note", "错", "--date", "2022-03-10"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("qunli upgrade disputes.csv"), "{}", r.stderr);
    assert_eq!(ws.read("disputes.csv"), old);
    let r = ok(&ws, &["upgrade", "disputes"]);
    assert!(r.stdout.contains("disputes.csv.v1"), "{}", r.stdout);
    assert_eq!(ws.read("disputes.csv.v1"), old, "the old file is kept as it was");
    assert_eq!(
        ws.read("disputes.csv"),
        "案号,日期,事件,村社区,层级,类别,当事人,情况,细项,备注,关联\n,2022-03-09,排查,天灵村,,,,,0,,\n"
    );
    assert!(!ws.run(&["check", "--format", "json"]).stdout.contains("\"H00"), "the new file is the history");
    ok(&ws, &["dispute", "undo", "2", "--note", "错", "--date", "2022-03-10"]);
    // Never twice over the kept file.
    let r = ws.run(&["upgrade", "disputes"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("无需升级"), "{}", r.stdout);
    let r = ws.run(&["upgrade", "letters"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("还不存在"), "{}", r.stderr);
}

#[test]
fn undo_of_an_assignment_an_escalation_a_repeat_and_a_reply() {
    let ws = Ws::new(MINIMAL_TOML);
    ok(&ws, &visit_add("2022-03-01", "土地征用", "征地").iter().map(String::as_str).collect::<Vec<_>>()); // 2
    ok(
        &ws,
        &[
            "visit",
            "assign",
            "V2022-0001",
            "--leader",
            "管小波",
            "--deadline",
            "2022-03-30",
            "--plan",
            "协调",
            "--date",
            "2022-03-02",
        ],
    ); // 3
    ok(&ws, &["visit", "escalate", "V2022-0001", "--to", "district", "--date", "2022-03-03"]); // 4
    let mut again = visit_add("2022-03-04", "土地征用", "征地");
    again.splice(2..2, ["--case".to_string(), "V2022-0001".to_string()]);
    ok(&ws, &again.iter().map(String::as_str).collect::<Vec<_>>()); // 5
    let all = |v: &serde_json::Value| -> Vec<String> {
        v["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap().to_string()).collect()
    };
    let before = monthly(&ws);
    assert!(all(&before).contains(&"V009".to_string()) && !all(&before).contains(&"V007".to_string()));
    assert_eq!(before["visits"]["repeat_receptions"].as_u64(), Some(1));
    ok(&ws, &["visit", "undo", "3", "--note", "包案领导录错", "--date", "2022-03-05"]);
    ok(&ws, &["visit", "undo", "4", "--note", "并未上交", "--date", "2022-03-05"]);
    ok(&ws, &["visit", "undo", "5", "--note", "重复录入", "--date", "2022-03-05"]);
    let after = monthly(&ws);
    assert!(!all(&after).contains(&"V009".to_string()), "{:?}", all(&after));
    assert!(all(&after).contains(&"V007".to_string()), "no assignment any more: {:?}", all(&after));
    assert_eq!(after["visits"]["repeat_receptions"].as_u64(), Some(0));
    assert_eq!(after["visits"]["escalations"].as_u64(), Some(0));

    // A letter's reply undone: L004 (no reply within 15 days) fires again.
    let r = ws.run_owned(&letter_add("王五", "2022-03-01", "路灯"));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    ok(&ws, &["letter", "reply", "L2022-0001", "--note", "已答复", "--date", "2022-03-05"]); // 3
    let codes = |as_of: &str| {
        all(&json(&ws.run(&["report", "monthly", "--month", "2022-03", "--as-of", as_of, "--format", "json"])))
    };
    assert!(!codes("2022-04-01").contains(&"L004".to_string()));
    ok(&ws, &["letter", "undo", "3", "--note", "答复没有发出", "--date", "2022-03-06"]);
    assert!(codes("2022-04-01").contains(&"L004".to_string()));
}

#[test]
fn the_undo_rows_kept_in_the_record_spare_a_search_and_a_wrong_list_changes_no_figure() {
    let ws = Ws::new(MINIMAL_TOML);
    // The record keeps the undo rows in `.qunli/visits.csv.undos`; the state says how many of them hold.
    let kept = || {
        let count =
            ws.read(".qunli/visits.csv.state").lines().find_map(|l| l.strip_prefix("undos=").map(str::to_string));
        let entries = std::fs::read_to_string(ws.file(".qunli/visits.csv.undos")).unwrap_or_default();
        (count, entries)
    };
    let entry = |u: u64, t: u64| format!("{u:012x} {t:012x}\n");
    ok(&ws, &visit_add("2022-03-09", "邻里纠纷", "噪音").iter().map(String::as_str).collect::<Vec<_>>()); // line 2
    assert_eq!(kept(), (Some("0".into()), String::new()), "known, and none");
    ok(&ws, &["visit", "resolve", "V2022-0001", "--note", "好了", "--date", "2022-03-10"]); // line 3
    ok(&ws, &["visit", "undo", "3", "--note", "录错了", "--date", "2022-03-11"]); // line 4
    assert_eq!(kept(), (Some("1".into()), entry(4, 3)));
    ok(&ws, &["visit", "session", "--leader", "管小波", "--mode", "public", "--date", "2022-03-22"]); // line 5
    assert_eq!(kept(), (Some("1".into()), entry(4, 3)), "kept by the next append, not written again");
    let figures = |v: serde_json::Value| (v["visits"]["received"].as_u64(), v["visits"]["resolved"].as_u64());
    assert_eq!(figures(monthly(&ws)), (Some(1), Some(0)));

    // A list that misses the undo row, or names one that is not there, is
    // found out by the fold: the figures stay those of the rows.
    let state = ws.read(".qunli/visits.csv.state");
    for (count, entries) in [(0, String::new()), (2, entry(4, 3) + &entry(5, 2)), (1, entry(5, 2))] {
        ws.write(".qunli/visits.csv.state", &state.replace("undos=1", &format!("undos={count}")));
        ws.write(".qunli/visits.csv.undos", &entries);
        assert_eq!(figures(monthly(&ws)), (Some(1), Some(0)), "{entries}");
        assert_eq!(ws.run(&["check"]).stderr, "", "{entries}");
    }
    // A count the file does not hold: not trusted at all.
    ws.write(".qunli/visits.csv.undos", "");
    ws.write(".qunli/visits.csv.state", &state.replace("undos=1", "undos=3"));
    assert_eq!(figures(monthly(&ws)), (Some(1), Some(0)));
    ws.write(".qunli/visits.csv.state", &state);
    ws.write(".qunli/visits.csv.undos", &entry(4, 3));

    // An undo typed in by hand after the recorded lines is searched for.
    ok(&ws, &["visit", "resolve", "V2022-0001", "--note", "又好了", "--date", "2022-03-12"]); // line 6
    assert_eq!(figures(monthly(&ws)), (Some(1), Some(1)));
    let mut text = ws.read("visits.csv");
    text.push_str("V2022-0001,2022-03-13,撤销,,,,,,,,6,,又录错了\n");
    ws.write("visits.csv", &text);
    assert_eq!(figures(monthly(&ws)), (Some(1), Some(0)));
    // Recorded as it stands, the list holds both.
    ok(&ws, &["check", "--accept-history", "--fail-on", "never"]);
    assert_eq!(kept(), (Some("2".into()), entry(4, 3) + &entry(7, 6)));
}
