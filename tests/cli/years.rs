//! Issue 12: one register across the years — year add, the turn of the
//! year, leaders' terms, the clock of a case received again, outstanding
//! obligations, and what registering refuses.

use super::common::*;

const TOWN_2023: &str = r#"township = "测试镇"
years = [2023]
villages = ["天灵村", "牵牛村"]

[[leaders]]
name = "管小波"
role = "principal"
days = [2023-12-06, 2023-12-20]

[[leaders]]
name = "奚航"
role = "member"
days = [2023-12-13]

[email]
from = "dzb@example.org"
to = ["shuji@example.org"]
"#;

fn json(r: &Run) -> serde_json::Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}{}", r.stdout, r.stderr))
}

fn codes(v: &serde_json::Value) -> Vec<String> {
    v["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap().to_string()).collect()
}

#[test]
fn the_turn_of_the_year_in_one_workspace() {
    let ws = Ws::new(TOWN_2023);
    let add = |date: &str, summary: &str| ws.run_owned(&visit_add(date, "邻里纠纷", summary));
    assert_eq!(add("2023-12-20", "十二月的来访").code, 0);

    // On 1 January, before the new year is covered: December is reported,
    // and a month outside the covered years is refused naming them and the fix.
    let r = ws.run(&["report", "monthly", "--as-of", "2024-01-01", "--format", "json"]);
    let v = json(&r);
    assert_eq!(v["month"], "2023-12");
    assert_eq!((v["visits"]["received"].as_u64(), v["visits"]["resolved"].as_u64()), (Some(1), Some(0)));
    let r = ws.run(&["report", "monthly", "--as-of", "2024-02-01"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("2024 年不在本工作区覆盖的年份（2023）内") && r.stderr.contains("qunli year add 2024"));
    let r = ws.run(&["visit", "session", "--leader", "管小波", "--mode", "public", "--date", "2024-01-05"]);
    assert_eq!(r.code, 2, "a session starts work: only in covered years");

    // The year is added; the case opened in December is resolved in January, in the same file.
    let r = ws.run(&["year", "add", "2024"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("S000"), "{}", r.stdout);
    let toml = ws.read("qunli.toml");
    assert!(toml.contains("years = [2023, 2024]") && toml.contains("[email]"), "{toml}");
    let r = ws.run(&["visit", "resolve", "V2023-0001", "--note", "已调解", "--date", "2024-01-10"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(add("2024-01-15", "一月的来访").stdout.split_whitespace().next(), Some("V2024-0001"));

    // December as of 1 February: the case counts as resolved in its own month.
    let v = json(&ws.run(&["report", "monthly", "--month", "2023-12", "--as-of", "2024-02-01", "--format", "json"]));
    assert_eq!((v["visits"]["received"].as_u64(), v["visits"]["resolved"].as_u64()), (Some(1), Some(1)));
    // January: its own case; the schedule's figures are — and S000 says why, until the days are entered.
    let v = json(&ws.run(&["report", "monthly", "--as-of", "2024-02-01", "--format", "json"]));
    assert_eq!(v["month"], "2024-01");
    assert_eq!(v["visits"]["received"].as_u64(), Some(1));
    assert!(codes(&v).contains(&"S000".to_string()), "{:?}", codes(&v));
    assert!(v["leaders"][0]["scheduled"].is_null() && v["leaders"][0]["missed"].is_null(), "{}", v["leaders"]);
    let text = ws.run(&["report", "monthly", "--as-of", "2024-02-01"]).stdout;
    assert!(text.contains("S000"), "{text}");
    // The e-mail of 1 January needs nothing new: [email] came along.
    let r = ws.run(&["report", "monthly", "--as-of", "2024-01-01", "--format", "email"]);
    assert!(r.code < 2, "{}", r.stderr);
}

#[test]
fn a_leaders_term_bounds_the_requirements_and_the_sessions() {
    let toml = r#"township = "测试镇"
years = [2023]
villages = ["天灵村"]

[[leaders]]
name = "老镇长"
role = "principal"
until = 2023-06-14
days = [2023-06-05, 2023-06-12]

[[leaders]]
name = "新镇长"
role = "principal"
from = 2023-06-15
days = [2023-06-20, 2023-07-04, 2023-07-18]
"#;
    let ws = Ws::new(toml);
    let session = |who: &str, d: &str| ws.run(&["visit", "session", "--leader", who, "--mode", "public", "--date", d]);
    for (who, d) in [("老镇长", "2023-06-05"), ("老镇长", "2023-06-12"), ("新镇长", "2023-06-20")] {
        assert_eq!(session(who, d).code, 0);
    }
    let r = session("老镇长", "2023-07-04");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("不在任"), "{}", r.stderr);
    let v001 = |month: &str, as_of: &str| -> Vec<String> {
        let v = json(&ws.run(&["report", "monthly", "--month", month, "--as-of", as_of, "--format", "json"]));
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "V001")
            .map(|f| f["leader"].as_str().unwrap().to_string())
            .collect()
    };
    // June: neither is in office the whole month, so neither owes two sessions.
    assert_eq!(v001("2023-06", "2023-07-01"), Vec::<String>::new());
    // July: the new head does (and held none); the old one no longer.
    assert_eq!(v001("2023-07", "2023-08-01"), vec!["新镇长".to_string()]);
}

#[test]
fn a_case_received_again_after_it_was_resolved_runs_a_new_clock() {
    let ws = Ws::new(MINIMAL_TOML);
    assert_eq!(ws.run_owned(&visit_add("2022-01-10", "邻里纠纷", "噪音")).code, 0);
    assert_eq!(ws.run(&["visit", "resolve", "V2022-0001", "--note", "调解", "--date", "2022-02-08"]).code, 0);
    let mut again = visit_add("2022-03-09", "邻里纠纷", "噪音又起");
    again.splice(2..2, ["--case".to_string(), "V2022-0001".to_string()]);
    assert_eq!(ws.run_owned(&again).code, 0);
    let v = json(&ws.run(&["report", "overdue", "--as-of", "2022-03-11", "--format", "json"]));
    assert_eq!(v["cases"].as_array().unwrap().len(), 0, "{v}");
    // 60 days after the repeat reception, it is.
    let v = json(&ws.run(&["report", "overdue", "--as-of", "2022-05-09", "--format", "json"]));
    assert_eq!(v["cases"][0]["deadline"], "2022-05-08", "{v}");
}

#[test]
fn a_hard_case_without_its_assignment_stays_on_the_overdue_list_until_assigned() {
    let ws = Ws::new(MINIMAL_TOML);
    assert_eq!(ws.run_owned(&visit_add("2022-02-10", "土地征用", "征地补偿")).code, 0);
    let overdue = |as_of: &str| json(&ws.run(&["report", "overdue", "--as-of", as_of, "--format", "json"]));
    let v = overdue("2022-03-20");
    assert_eq!(
        (v["cases"][0]["code"].as_str(), v["cases"][0]["deadline"].as_str()),
        (Some("V007"), Some("2022-02-17"))
    );
    // The March report lists it among all overdue obligations, labelled, while its own count is of March's cases.
    let m = json(&ws.run(&["report", "monthly", "--month", "2022-03", "--as-of", "2022-03-20", "--format", "json"]));
    assert_eq!(m["overdue"][0]["case"], "V2022-0001");
    assert_eq!(m["visits"]["overdue"].as_u64(), Some(0));
    let text = ws.run(&["report", "monthly", "--month", "2022-03", "--as-of", "2022-03-20"]).stdout;
    assert!(text.contains("本月事项超期") && text.contains("全部超期事项"), "{text}");
    let r = ws.run(&[
        "visit",
        "assign",
        "V2022-0001",
        "--leader",
        "管小波",
        "--deadline",
        "2022-04-30",
        "--plan",
        "协调",
        "--date",
        "2022-03-21",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(overdue("2022-03-22")["cases"].as_array().unwrap().len(), 0, "a late assignment mends it");
}

#[test]
fn registering_refuses_what_makes_no_sense_for_the_case() {
    let ws = Ws::new(MINIMAL_TOML);
    assert_eq!(ws.run_owned(&visit_add("2022-03-01", "邻里纠纷", "噪音")).code, 0);
    let before = ws.read("visits.csv");
    // A repeat reception of another village and category: another matter.
    let mut again = visit_add("2022-03-05", "土地征用", "噪音");
    again[7] = "牵牛村".into();
    again.splice(2..2, ["--case".to_string(), "V2022-0001".to_string()]);
    let r = ws.run_owned(&again);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("村社区是 天灵村，不是 牵牛村") && r.stderr.contains("类别是 邻里纠纷，不是 土地征用"));
    assert!(r.stderr.contains("不带 --case"), "{}", r.stderr);
    // An extension after the deadline (60 days from 03-01: 04-30).
    let r = ws.run(&["visit", "extend", "V2022-0001", "--note", "晚了", "--date", "2022-05-02"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("办理期限 2022-04-30 已过"), "{}", r.stderr);
    // A date after --as-of, or after today.
    let r = ws.run(&["--as-of", "2022-03-10", "visit", "resolve", "V2022-0001", "--note", "x", "--date", "2022-03-12"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("晚于 --as-of 2022-03-10"), "{}", r.stderr);
    assert_eq!(ws.read("visits.csv"), before, "nothing written");
    // Within the deadline, an extension goes in; a second one does not.
    assert_eq!(ws.run(&["visit", "extend", "V2022-0001", "--note", "会商", "--date", "2022-04-20"]).code, 0);
    let r = ws.run(&["visit", "extend", "V2022-0001", "--note", "再延", "--date", "2022-04-21"]);
    assert!(r.stderr.contains("只能延期一次"), "{}", r.stderr);
}

#[test]
fn a_single_year_still_loads_and_rows_may_carry_on_into_the_next() {
    // MINIMAL_TOML says `year = 2022`.
    let ws = Ws::new(MINIMAL_TOML);
    assert_eq!(ws.run_owned(&visit_add("2022-12-20", "邻里纠纷", "年底来访")).code, 0);
    assert_eq!(ws.run(&["visit", "resolve", "V2022-0001", "--note", "好了", "--date", "2023-01-05"]).code, 0);
    // A hand-typed row opening a case in the next year is not.
    let mut text = ws.read("visits.csv");
    text.push_str("V2023-0001,2023-01-06,登记,管小波,公开接访,天灵村,李四,1,其他,路灯,,,\n");
    ws.write("visits.csv", &text);
    let r = ws.run(&["check"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("visits.csv:4: 2023-01-06 不在本工作区覆盖的年份（2022）内"), "{}", r.stderr);
}

#[test]
fn show_orders_by_date_and_names_every_state() {
    let ws = Ws::new(MINIMAL_TOML);
    assert_eq!(ws.run_owned(&visit_add("2022-03-01", "邻里纠纷", "噪音")).code, 0);
    let status = |case: &str| json(&ws.run(&["visit", "show", case, "--format", "json"]))["status"].clone();
    assert_eq!(ws.run(&["visit", "escalate", "V2022-0001", "--to", "district", "--date", "2022-03-05"]).code, 0);
    let r = ws.run(&["visit", "show", "V2022-0001"]);
    assert!(r.stdout.contains("状态：已上交"), "{}", r.stdout);
    assert_eq!(status("V2022-0001"), "escalated");
    assert_eq!(ws.run(&["visit", "resolve", "V2022-0001", "--note", "好了", "--date", "2022-03-08"]).code, 0);
    // Received again, typed after a later row but dated before it: shown by date, marked 再次来访.
    let mut again = visit_add("2022-03-10", "邻里纠纷", "又来了");
    again.splice(2..2, ["--case".to_string(), "V2022-0001".to_string()]);
    assert_eq!(ws.run_owned(&again).code, 0);
    let r = ws.run(&["visit", "show", "V2022-0001"]);
    assert!(r.stdout.contains("状态：再次来访") && r.stdout.contains("┆ 再次来访 ┆"), "{}", r.stdout);
    let v = json(&ws.run(&["visit", "show", "V2022-0001", "--format", "json"]));
    let dates: Vec<&str> = v["events"].as_array().unwrap().iter().map(|e| e["date"].as_str().unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
    assert_eq!(v["events"][3]["repeat"], true);
}

#[test]
fn village_scores_are_numbers_in_the_workbook() {
    use calamine::{Data, Reader, Xlsx};
    let out = Ws::empty();
    let path = out.file("villages.xlsx");
    let r = on_data(&[
        "report",
        "villages",
        "--month",
        "2022-03",
        "--as-of",
        "2022-04-01",
        "--format",
        "xlsx",
        "--output",
        path.to_str().unwrap(),
    ]);
    assert!(r.code < 2, "{}", r.stderr);
    let mut wb: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let name = wb.sheet_names()[1].clone();
    let sheet = wb.worksheet_range(&name).unwrap();
    let header: Vec<String> = sheet.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let score = header.iter().position(|h| h == "得分").expect("a score column");
    assert!(
        matches!(sheet.get_value((1, score as u32)), Some(Data::Float(_))),
        "{:?}",
        sheet.get_value((1, score as u32))
    );
}
