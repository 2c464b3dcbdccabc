//! Issue 15 (first part): the people's rating (`rate`) and the petition
//! indicators of §11.1 in the town's reports, each on a hand-made workspace.

use super::common::*;

const VISITS_HEADER: &str = "case,date,event,leader,mode,village,visitors,headcount,category,summary,ref,detail,note\n";
const LETTERS_HEADER: &str = "case,date,event,leader,village,sender,signers,tone,category,summary,ref,detail,note\n";

fn visit(case: &str, date: &str) -> String {
    format!("{case},{date},receive,管小波,public,天灵村,张三,1,其他,路灯坏了,,,\n")
}

fn event(case: &str, date: &str, event: &str, detail: &str, note: &str) -> String {
    format!("{case},{date},{event},,,,,,,,,{detail},{note}\n")
}

fn letter(case: &str, date: &str) -> String {
    format!("{case},{date},receive,,天灵村,李四,1,normal,其他,来信反映路灯,,,\n")
}

fn letter_event(case: &str, date: &str, event: &str, detail: &str, note: &str) -> String {
    format!("{case},{date},{event},,,,,,,,,{detail},{note}\n")
}

/// The `kpi` of `report monthly` for March 2022 as of `as_of`.
fn kpi(ws: &Ws, as_of: &str) -> serde_json::Value {
    let r = ws.run(&["report", "monthly", "--month", "2022-03", "--as-of", as_of, "--format", "json"]);
    assert!(r.code <= 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    v["kpi"].clone()
}

fn ratio(k: &serde_json::Value, key: &str) -> (serde_json::Value, u64, u64) {
    (k[key]["rate"].clone(), k[key]["numerator"].as_u64().unwrap(), k[key]["denominator"].as_u64().unwrap())
}

#[test]
fn a_rating_only_after_the_case_is_concluded_and_the_latest_counts() {
    let ws = Ws::new(MINIMAL_TOML);
    assert_eq!(ws.run_owned(&visit_add("2022-03-09", "其他", "路灯")).code, 0);
    let before = ws.read("visits.csv");
    let r = ws.run(&["visit", "rate", "V2022-0001", "--rating", "满意", "--date", "2022-03-10"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("还没有办结"), "{}", r.stderr);
    assert_eq!(ws.read("visits.csv"), before, "nothing written");
    let r = ws.run(&["visit", "resolve", "V2022-0001", "--note", "已修好", "--date", "2022-03-12"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Not before the day it was concluded.
    let r = ws.run(&["visit", "rate", "V2022-0001", "--rating", "satisfied", "--date", "2022-03-11"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("2022-03-12 才办结"), "{}", r.stderr);
    let r = ws.run(&["visit", "rate", "V2022-0001", "--rating", "不满意", "--date", "2022-03-13"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(ws.read("visits.csv").ends_with("V2022-0001,2022-03-13,评价,,,,,,,,,不满意,\n"));
    let k = kpi(&ws, "2022-04-01");
    assert_eq!(ratio(&k, "rated"), (serde_json::json!(1.0), 1, 1));
    assert_eq!(ratio(&k, "satisfied"), (serde_json::json!(0.0), 0, 1));
    // A later rating replaces the earlier one.
    let r = ws.run(&["visit", "rate", "V2022-0001", "--rating", "basic", "--date", "2022-03-20"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(ratio(&kpi(&ws, "2022-04-01"), "satisfied"), (serde_json::json!(1.0), 1, 1));
    // As of a day before it, the earlier one still stands.
    assert_eq!(ratio(&kpi(&ws, "2022-03-15"), "satisfied"), (serde_json::json!(0.0), 0, 1));
    // A rating nobody knows is named with what may be written.
    let r = ws.run(&["visit", "rate", "V2022-0001", "--rating", "好"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("满意") && r.stderr.contains("基本满意"), "{}", r.stderr);
    // Letters are rated too.
    let r = ws.run(&["letter", "rate", "L2022-0001", "--rating", "满意"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn each_indicator_counts_what_its_definition_says() {
    let ws = Ws::new(MINIMAL_TOML);
    let mut visits = String::from(VISITS_HEADER);
    // 1: resolved in time, rated satisfied; assigned.
    visits += &visit("V2022-0001", "2022-03-01");
    visits += "V2022-0001,2022-03-02,assign,管小波,,,,,,,,2022-03-31,五个一\n";
    visits += &event("V2022-0001", "2022-03-05", "resolve", "", "已解决");
    visits += &event("V2022-0001", "2022-03-06", "rate", "satisfied", "");
    // 2: resolved in time, not rated; received again in March (a repeat), resolved again.
    visits += &visit("V2022-0002", "2022-03-02");
    visits += &event("V2022-0002", "2022-03-03", "resolve", "", "已解决");
    visits += &visit("V2022-0002", "2022-03-10");
    visits += &event("V2022-0002", "2022-03-11", "resolve", "", "再次解决");
    // 3: open, assigned, its limit (60 days) not passed by 04-01: not in on_time.
    visits += &visit("V2022-0003", "2022-03-20");
    visits += "V2022-0003,2022-03-21,assign,管小波,,,,,,,,2022-04-20,五个一\n";
    // 4: voided: in nothing.
    visits += &visit("V2022-0004", "2022-03-21");
    visits += &event("V2022-0004", "2022-03-22", "void", "", "重复登记");
    // 5: February: not the month's.
    visits += &visit("V2022-0005", "2022-02-10");
    visits += &event("V2022-0005", "2022-03-01", "escalate", "district", "");
    ws.write("visits.csv", &visits);
    let mut letters = String::from(LETTERS_HEADER);
    // 1: answered on day 3, resolved, rated unsatisfied.
    letters += &letter("L2022-0001", "2022-03-01");
    letters += &letter_event("L2022-0001", "2022-03-04", "reply", "", "已答复");
    letters += &letter_event("L2022-0001", "2022-03-08", "resolve", "", "已办结");
    letters += &letter_event("L2022-0001", "2022-03-09", "rate", "unsatisfied", "");
    // 2: no reply, 15 days passed by 04-01: counted, not timely.
    letters += &letter("L2022-0002", "2022-03-02");
    // 3: no reply, received 03-25: its 15 days not yet passed: not counted.
    letters += &letter("L2022-0003", "2022-03-25");
    // 4: answered late (day 20).
    letters += &letter("L2022-0004", "2022-03-03");
    letters += &letter_event("L2022-0004", "2022-03-23", "reply", "", "已答复");
    ws.write("letters.csv", &letters);

    let k = kpi(&ws, "2022-04-01");
    use serde_json::json;
    assert_eq!(ratio(&k, "timely_acceptance"), (json!(0.3333), 1, 3), "{k}");
    // Resolved: V1, V2, L1 — all within 60 days; nothing else past its limit.
    assert_eq!(ratio(&k, "on_time"), (json!(1.0), 3, 3), "{k}");
    assert_eq!(ratio(&k, "rated"), (json!(0.6667), 2, 3), "{k}");
    assert_eq!(ratio(&k, "satisfied"), (json!(0.5), 1, 2), "{k}");
    assert_eq!(ratio(&k, "lead_resolution"), (json!(0.5), 1, 2), "{k}");
    assert_eq!(ratio(&k, "resolution"), (json!(0.6667), 2, 3), "{k}");
    assert_eq!(k["repeats"], 1);
    assert_eq!(k["escalations"], 1, "dated in March, of a February case");
    // 5×1/3 + 10×1 + (10−1) + 10×0.5 + 5×2/3 − 1 (lead 0.5 < 0.85)
    let expected = 5.0 / 3.0 + 10.0 + 9.0 + 5.0 + 10.0 / 3.0 - 1.0;
    assert!((k["score"].as_f64().unwrap() - expected).abs() < 0.006, "{k}");

    // The clock: by 06-01 the open V3 and the letters L2, L3, L4 are past
    // their 60 days, and L3 past its 15 for a reply.
    let k = kpi(&ws, "2022-06-01");
    assert_eq!(ratio(&k, "on_time"), (json!(0.4286), 3, 7), "{k}");
    assert_eq!(ratio(&k, "timely_acceptance"), (json!(0.25), 1, 4), "{k}");
    // An extension gives V3 30 days more: not yet late.
    ws.write("visits.csv", &format!("{visits}{}", event("V2022-0003", "2022-04-10", "extend", "", "需会商")));
    assert_eq!(ratio(&kpi(&ws, "2022-06-01"), "on_time"), (json!(0.5), 3, 6));

    // Shown in the report, with its score.
    let r = ws.run(&["report", "monthly", "--month", "2022-03", "--as-of", "2022-04-01"]);
    assert!(r.stdout.contains("信访工作考核指标") && r.stdout.contains("及时受理率"), "{}", r.stdout);
    assert!(r.stdout.contains("33.3%"), "{}", r.stdout);
}

#[test]
fn nothing_to_measure_is_null_and_scores_in_full() {
    let ws = Ws::new(MINIMAL_TOML);
    let k = kpi(&ws, "2022-04-01");
    for key in ["timely_acceptance", "on_time", "rated", "satisfied", "lead_resolution", "resolution"] {
        assert_eq!(ratio(&k, key), (serde_json::Value::Null, 0, 0), "{key}");
    }
    assert_eq!(k["score"], 40.0);
    let r = ws.run(&["report", "monthly", "--month", "2022-03", "--as-of", "2022-04-01"]);
    assert!(r.stdout.contains("考核得分（满分 40）"), "{}", r.stdout);
}

#[test]
fn the_score_takes_the_weights_of_the_kpi_table() {
    let toml = format!(
        "{MINIMAL_TOML}\n[kpi]\nsatisfied = [\"满意\"]\nrepeat_penalty = 2\nlead_resolution_below = 0.9\n\n[kpi.weights]\non_time = 20\n"
    );
    let ws = Ws::new(&toml);
    let mut visits = String::from(VISITS_HEADER);
    visits += &visit("V2022-0001", "2022-03-01");
    visits += &event("V2022-0001", "2022-03-05", "resolve", "", "已解决");
    visits += &event("V2022-0001", "2022-03-06", "rate", "basic", "");
    visits += &visit("V2022-0002", "2022-03-02");
    visits += &visit("V2022-0002", "2022-03-07");
    ws.write("visits.csv", &visits);
    let k = kpi(&ws, "2022-04-01");
    // basic no longer counts as satisfied.
    assert_eq!(ratio(&k, "satisfied"), (serde_json::json!(0.0), 0, 1), "{k}");
    // 5 (no letter: in full) + 20 × 1 + (10 − 2 × 1 repeat) + 10 × 0 + 5 × 1, no case assigned.
    assert_eq!(k["score"], 38.0, "{k}");
    // With the defaults the same ledger scores 5 + 10 + 9 + 10 + 5.
    let ws = Ws::new(MINIMAL_TOML);
    ws.write("visits.csv", &visits);
    assert_eq!(kpi(&ws, "2022-04-01")["score"], 39.0);
    // A rating name nobody knows is named in qunli.toml.
    let ws = Ws::new(&format!("{MINIMAL_TOML}\n[kpi]\nsatisfied = [\"很好\"]\n"));
    let r = ws.run(&["check"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("qunli.toml") && r.stderr.contains("很好"), "{}", r.stderr);
}

#[test]
fn explain_names_each_indicator_and_its_formula() {
    let ws = Ws::new(MINIMAL_TOML);
    for (name, says) in [("on_time", "按期办结率"), ("及时受理率", "accept_within_days"), ("满意率", "基本满意")]
    {
        let r = ws.run(&["explain", name]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.contains(says) && r.stdout.contains("国信发〔2022〕11号"), "{}", r.stdout);
    }
    let r = ws.run(&["--lang", "en", "explain", "rated"]);
    assert!(r.stdout.contains("resolved cases of the period that the person rated"), "{}", r.stdout);
    let r = ws.run(&["explain", "满意律"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("你是不是要写“满意率”"), "{}", r.stderr);
}
