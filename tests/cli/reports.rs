//! Every ledger rule on a small workspace: once where it fires, once where
//! it does not; the figures' edge cases; a golden monthly report of data/.

use super::common::*;

const TOML: &str = r#"township = "测试镇"
year = 2022
villages = ["天灵村"]

[[leaders]]
name = "管小波"
role = "principal"
days = [2022-03-09, 2022-03-22]

[[leaders]]
name = "奚航"
role = "member"
days = [2022-03-11]

[[sensitive_periods]]
name = "全国两会"
from = 2022-03-04
to = 2022-03-11
"#;

const VISITS_HEAD: &str = "case,date,event,leader,mode,village,visitors,headcount,category,summary,ref,detail,note\n";
/// A compliant March: both principal days held, the member's day, one mass work day.
const SESSIONS: &str = ",2022-03-09,session,管小波,public,天灵村,,,,,,,\n\
    ,2022-03-22,session,管小波,public,天灵村,,,,,,,\n\
    ,2022-03-11,session,奚航,public,天灵村,,,,,,,\n\
    ,2022-03-16,session,奚航,work_day,天灵村,,,,,,,\n";
const LETTERS_HEAD: &str = "case,date,event,leader,village,sender,signers,tone,category,summary,ref,note\n";
/// Two letters, each reviewed by the principal the next day, answered, concluded.
const LETTERS: &str = "L2022-0001,2022-03-01,receive,,天灵村,李四,1,normal,其他,路灯,,\n\
    L2022-0001,2022-03-02,review,管小波,,,,,,,,阅\n\
    L2022-0001,2022-03-05,reply,,,,,,,,,答复\n\
    L2022-0001,2022-03-20,resolve,,,,,,,,,办结\n\
    L2022-0002,2022-03-01,receive,,天灵村,王五,1,normal,其他,路灯,,\n\
    L2022-0002,2022-03-02,review,管小波,,,,,,,,阅\n\
    L2022-0002,2022-03-05,reply,,,,,,,,,答复\n\
    L2022-0002,2022-03-20,resolve,,,,,,,,,办结\n";
const DISPUTES_HEAD: &str = "case,date,event,village,level,category,parties,summary,detail,note\n";

/// Screenings for every week of March 2022 and every day of 两会.
fn screenings(except: &[&str]) -> String {
    let mut days: Vec<String> = (4..=11).map(|d| format!("2022-03-{d:02}")).collect();
    days.extend(["2022-02-28", "2022-03-14", "2022-03-21", "2022-03-28"].map(String::from));
    days.sort();
    days.iter().filter(|d| !except.contains(&d.as_str())).map(|d| format!(",{d},screen,天灵村,,,,,0,\n")).collect()
}

struct Case {
    visits: String,
    letters: String,
    disputes: String,
    as_of: &'static str,
}

impl Case {
    fn new() -> Self {
        Case { visits: SESSIONS.into(), letters: LETTERS.into(), disputes: screenings(&[]), as_of: "2022-04-04" }
    }
    fn visits(mut self, rows: &str) -> Self {
        self.visits.push_str(rows);
        self
    }
    fn letters(mut self, rows: &str) -> Self {
        self.letters.push_str(rows);
        self
    }
    fn disputes(mut self, rows: &str) -> Self {
        self.disputes.push_str(rows);
        self
    }
    fn on(mut self, d: &'static str) -> Self {
        self.as_of = d;
        self
    }
    fn report(&self) -> serde_json::Value {
        let ws = Ws::new(TOML);
        ws.write("visits.csv", &format!("{VISITS_HEAD}{}", self.visits));
        ws.write("letters.csv", &format!("{LETTERS_HEAD}{}", self.letters));
        ws.write("disputes.csv", &format!("{DISPUTES_HEAD}{}", self.disputes));
        let r = ws.run(&["report", "monthly", "--month", "2022-03", "--as-of", self.as_of, "--format", "json"]);
        assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
        serde_json::from_str(&r.stdout).unwrap()
    }
    fn codes(&self) -> Vec<String> {
        self.report()["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap().to_string()).collect()
    }
}

fn fires(case: Case, code: &str) {
    let codes = case.codes();
    assert!(codes.iter().any(|c| c == code), "{code} should fire: {codes:?}");
}

fn quiet(case: Case, code: &str) {
    let codes = case.codes();
    assert!(!codes.iter().any(|c| c == code), "{code} should not fire: {codes:?}");
}

const RESOLVED: &str = "V2022-0001,2022-03-09,receive,管小波,public,天灵村,张三,1,其他,诉求,,,\n\
                        V2022-0001,2022-03-15,resolve,,,,,,,,,,已解决\n";
const OPEN: &str = "V2022-0001,2022-03-09,receive,管小波,public,天灵村,张三,1,其他,诉求,,,\n";

#[test]
fn the_baseline_is_clean() {
    let r = Case::new().visits(RESOLVED).report();
    assert_eq!(r["findings"], serde_json::json!([]), "{r:#}");
    assert_eq!(r["verdict"], "pass");
}

#[test]
fn v001_principal_sessions() {
    quiet(Case::new(), "V001");
    let mut c = Case::new();
    c.visits = c.visits.replace(",2022-03-22,session,管小波,public,天灵村,,,,,,,\n", "");
    fires(c, "V001");
    // An unfinished month is not judged yet.
    let mut c = Case::new().on("2022-03-25");
    c.visits = c.visits.replace(",2022-03-22,session,管小波,public,天灵村,,,,,,,\n", "");
    quiet(c, "V001");
}

#[test]
fn v002_missed_reception_day() {
    quiet(Case::new(), "V002");
    let mut c = Case::new();
    c.visits = c.visits.replace("2022-03-22,session,管小波,public", "2022-03-23,session,管小波,case_visit");
    let r = c.report();
    let f: Vec<_> = r["findings"].as_array().unwrap().iter().filter(|f| f["code"] == "V002").collect();
    assert_eq!(f.len(), 1);
    assert_eq!((f[0]["leader"].as_str(), f[0]["date"].as_str()), (Some("管小波"), Some("2022-03-22")));
    assert_eq!(r["leaders"][0]["missed"], serde_json::json!(["2022-03-22"]));
    assert_eq!(r["leaders"][0]["held"], 2);
}

#[test]
fn v003_mass_work_day() {
    quiet(Case::new(), "V003");
    let mut c = Case::new();
    c.visits = c.visits.replace("work_day", "survey");
    fires(c, "V003");
}

#[test]
fn v004_v005_resolution_rates() {
    quiet(Case::new().visits(RESOLVED), "V004");
    quiet(Case::new().visits(RESOLVED), "V005");
    fires(Case::new().visits(OPEN), "V004");
    fires(Case::new().visits(OPEN), "V005");
}

#[test]
fn v006_handling_time() {
    quiet(Case::new().visits(OPEN).on("2022-05-08"), "V006");
    fires(Case::new().visits(OPEN).on("2022-05-09"), "V006");
    quiet(Case::new().visits(RESOLVED).on("2022-06-30"), "V006");
    let extended = "V2022-0001,2022-04-20,extend,,,,,,,,,,会商\n";
    quiet(Case::new().visits(OPEN).visits(extended).on("2022-06-07"), "V006");
    fires(Case::new().visits(OPEN).visits(extended).on("2022-06-08"), "V006");
}

#[test]
fn v007_hard_case_assignment() {
    let hard = "V2022-0001,2022-03-09,receive,管小波,public,天灵村,张三,1,土地征用,征地,,,\n\
                V2022-0001,2022-03-28,resolve,,,,,,,,,,已解决\n";
    fires(Case::new().visits(hard), "V007");
    let assigned = "V2022-0001,2022-03-12,assign,管小波,,,,,,,,2022-03-31,核实\n";
    quiet(Case::new().visits(hard).visits(assigned), "V007");
    quiet(Case::new().visits(RESOLVED), "V007");
}

#[test]
fn v008_assigned_deadline() {
    let assigned = "V2022-0001,2022-03-10,assign,管小波,,,,,,,,2022-03-20,核实\n";
    fires(Case::new().visits(OPEN).visits(assigned), "V008");
    let c = Case::new().visits(OPEN).visits(assigned).visits("V2022-0001,2022-03-19,resolve,,,,,,,,,,已解决\n");
    quiet(c, "V008");
}

#[test]
fn v009_escalation() {
    quiet(Case::new().visits(RESOLVED), "V009");
    let r = Case::new().visits(RESOLVED).visits("V2022-0001,2022-03-20,escalate,,,,,,,,,district,到区\n").report();
    assert!(r["findings"].as_array().unwrap().iter().any(|f| f["code"] == "V009"));
    assert_eq!(r["visits"]["escalations"], 1);
}

#[test]
fn v010_repeat_group_and_letter_visits() {
    quiet(Case::new().visits(RESOLVED), "V010");
    fires(
        Case::new()
            .visits(RESOLVED)
            .visits("V2022-0001,2022-03-22,receive,管小波,public,天灵村,张三等,6,其他,再访,,,\n"),
        "V010",
    );
    fires(
        Case::new().visits("V2022-0001,2022-03-09,receive,管小波,public,天灵村,李四,1,其他,来信未办,L2022-0001,,\n"),
        "V010",
    );
}

#[test]
fn l001_principal_reviews() {
    quiet(Case::new(), "L001");
    let mut c = Case::new();
    c.letters = c.letters.replace("L2022-0002,2022-03-02,review,管小波", "L2022-0002,2022-03-02,review,奚航");
    fires(c, "L001");
}

#[test]
fn l002_review_within_working_days() {
    quiet(Case::new(), "L002");
    let mut c = Case::new();
    // Received Tuesday 03-01: the third working day after is Friday 03-04.
    c.letters = c.letters.replace("L2022-0002,2022-03-02,review", "L2022-0002,2022-03-04,review");
    quiet(c, "L002");
    let mut c = Case::new();
    c.letters = c.letters.replace("L2022-0002,2022-03-02,review", "L2022-0002,2022-03-07,review");
    fires(c, "L002");
}

#[test]
fn l003_joint_or_harsh_letters() {
    quiet(Case::new(), "L003");
    let joint = "L2022-0003,2022-03-07,receive,,天灵村,赵六等,4,harsh,其他,路灯,,\n\
                 L2022-0003,2022-03-08,review,奚航,,,,,,,,阅\n";
    fires(Case::new().letters(joint), "L003");
    quiet(Case::new().letters(joint).letters("L2022-0003,2022-03-09,review,管小波,,,,,,,,阅\n"), "L003");
}

#[test]
fn l004_reply_within_15_days() {
    quiet(Case::new(), "L004");
    let mut c = Case::new();
    c.letters = c.letters.replace("L2022-0002,2022-03-05,reply", "L2022-0002,2022-03-17,reply");
    fires(c, "L004");
}

#[test]
fn l005_handling_time() {
    quiet(Case::new().on("2022-06-30"), "L005");
    let mut c = Case::new().on("2022-05-01");
    c.letters = c.letters.replace("L2022-0002,2022-03-20,resolve,,,,,,,,,办结\n", "");
    fires(c, "L005");
}

#[test]
fn d001_weekly_screening() {
    quiet(Case::new(), "D001");
    let c = Case { disputes: screenings(&["2022-03-21"]), ..Case::new() };
    let r = c.report();
    let f: Vec<_> = r["findings"].as_array().unwrap().iter().filter(|f| f["code"] == "D001").collect();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["date"], "2022-03-21");
    // The week of 2022-02-28 belongs to March (its Thursday is 03-03).
    let c = Case { disputes: screenings(&["2022-02-28", "2022-03-04", "2022-03-05", "2022-03-06"]), ..Case::new() };
    let r = c.report();
    assert!(r["findings"].as_array().unwrap().iter().any(|f| f["code"] == "D001" && f["date"] == "2022-02-28"));
    assert_eq!(Case::new().report()["disputes"]["screenings_required"], 13, "5 weeks + 8 days");
}

#[test]
fn d002_daily_screening_in_sensitive_periods() {
    quiet(Case::new(), "D002");
    fires(Case { disputes: screenings(&["2022-03-08"]), ..Case::new() }, "D002");
}

#[test]
fn d003_d004_disputes() {
    let open = "D2022-0001,2022-03-10,open,天灵村,village,邻里纠纷,王五、赵六,界址,,\n";
    quiet(Case::new().disputes(open).on("2022-05-09"), "D004");
    fires(Case::new().disputes(open).on("2022-05-10"), "D004");
    quiet(Case::new().disputes(open), "D003");
    fires(Case::new().disputes(open).disputes("D2022-0001,2022-03-20,escalate,,,,,,district,\n"), "D003");
}

#[test]
fn rule_levels_apply_to_reports() {
    let ws = Ws::new(&format!("{TOML}\n[rules.level]\nV004 = \"off\"\nV005 = \"error\"\n"));
    ws.write("visits.csv", &format!("{VISITS_HEAD}{SESSIONS}{OPEN}"));
    ws.write("letters.csv", &format!("{LETTERS_HEAD}{LETTERS}"));
    ws.write("disputes.csv", &format!("{DISPUTES_HEAD}{}", screenings(&[])));
    let r = ws.run(&["report", "monthly", "--month", "2022-03", "--as-of", "2022-04-04", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let f = v["findings"].as_array().unwrap();
    assert!(!f.iter().any(|f| f["code"] == "V004"));
    assert!(f.iter().any(|f| f["code"] == "V005" && f["severity"] == "error"));
    assert_eq!(r.code, 1);
}

#[test]
fn resolution_rate_edge_cases() {
    // Empty cohort: null, shown as —.
    let r = Case::new().report();
    assert_eq!(r["visits"]["resolution_rate"], serde_json::Value::Null);
    assert_eq!(r["visits"]["received"], 0);
    // A repeat reception after a resolve reopens the case.
    let r = Case::new()
        .visits(RESOLVED)
        .visits("V2022-0001,2022-03-25,receive,管小波,public,天灵村,张三,1,其他,再访,,,\n")
        .report();
    assert_eq!((r["visits"]["received"].as_u64(), r["visits"]["resolved"].as_u64()), (Some(1), Some(0)));
    // A voided case leaves every count.
    let r = Case::new().visits(RESOLVED).visits(
        "V2022-0002,2022-03-10,receive,管小波,public,天灵村,李四,1,其他,诉求,,,\nV2022-0002,2022-03-11,void,,,,,,,,,,重复\n",
    ).report();
    assert_eq!((r["visits"]["received"].as_u64(), r["visits"]["resolution_rate"].as_f64()), (Some(1), Some(1.0)));
    // A resolve after the as-of date does not count yet.
    let late = "V2022-0001,2022-03-09,receive,管小波,public,天灵村,张三,1,其他,诉求,,,\n\
                V2022-0001,2022-04-10,resolve,,,,,,,,,,已解决\n";
    assert_eq!(Case::new().visits(late).report()["visits"]["resolved"], 0);
    assert_eq!(Case::new().visits(late).on("2022-04-10").report()["visits"]["resolved"], 1);
    // A case started in February is not in March's cohort, but in the year to date.
    let feb = "V2022-0001,2022-02-21,receive,管小波,public,天灵村,张三,1,其他,诉求,,,\n";
    let r = Case::new().visits(feb).report();
    assert_eq!((r["visits"]["received"].as_u64(), r["visits"]["ytd_received"].as_u64()), (Some(0), Some(1)));
    assert_eq!(r["visits"]["ytd_resolution_rate"], 0.0);
}

#[test]
fn villages_overdue_resolution_annual() {
    let ws = Ws::new(TOML);
    ws.write("visits.csv", &format!("{VISITS_HEAD}{SESSIONS}{OPEN}V2022-0001,2022-03-20,escalate,,,,,,,,,city,到市\n"));
    ws.write("letters.csv", &format!("{LETTERS_HEAD}{LETTERS}"));
    ws.write("disputes.csv", &format!("{DISPUTES_HEAD}{}", screenings(&["2022-03-21"])));
    let r = ws.run(&["report", "villages", "--month", "2022-03", "--as-of", "2022-04-04", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["period"], "2022-03");
    let t = &v["villages"][0];
    assert_eq!(t["name"], "天灵村");
    assert_eq!(t["screening"], 0.9231); // 12 of 13
                                        // No dispute to measure: null (shown —), counted as 1 in the score.
    assert_eq!((t["disputes"].as_f64(), t["visits"].as_f64(), t["escalations"].as_u64()), (None, Some(0.0), Some(1)));
    assert!(t["disputes"].is_null());
    let table = ws.run(&["report", "villages", "--month", "2022-03", "--as-of", "2022-04-04"]).stdout;
    assert!(!table.contains("100.0%"), "nothing to measure is not 100%: {table}");
    // 100 × (0.4 × 12/13 + 0.4 × 1 + 0.2 × 0) − 10 = 66.9
    assert_eq!(t["score"], 66.9);
    assert_eq!((t["rank"].as_u64(), t["flagged"].as_bool()), (Some(1), Some(true)));

    let r = ws.run(&["report", "overdue", "--as-of", "2022-06-30", "--format", "json"]);
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["cases"][0]["case"], "V2022-0001");
    assert_eq!(
        (v["cases"][0]["code"].as_str(), v["cases"][0]["deadline"].as_str()),
        (Some("V006"), Some("2022-05-08"))
    );
    assert_eq!(v["cases"][0]["days_over"], 53);

    let r = ws.run(&["report", "resolution", "--by", "village", "--as-of", "2022-06-30", "--format", "csv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("天灵村,1,0,0.0000,是"), "{}", r.stdout);

    let r = ws.run(&["report", "annual", "--as-of", "2022-12-31", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["months"].as_array().unwrap().len(), 12);
    assert_eq!(v["months"][2]["received"], 1);
    assert_eq!(v["leaders"][0]["name"], "管小波");
    assert_eq!((v["leaders"][0]["received"].as_u64(), v["leaders"][0]["resolved"].as_u64()), (Some(1), Some(0)));
    // The village's and the category's year: the case, and its escalation.
    let group = |list: &str, name: &str| {
        let g = v[list].as_array().unwrap().iter().find(|g| g["name"] == name).unwrap().clone();
        (g["received"].as_u64(), g["disputes_opened"].as_u64(), g["escalations"].as_u64())
    };
    assert_eq!(group("villages", "天灵村"), (Some(1), Some(0), Some(1)));
    assert_eq!(group("categories", "其他"), (Some(1), Some(0), Some(1)));
    assert_eq!(v["total"]["received"], 1);
    let r = ws.run(&["report", "annual", "--as-of", "2022-12-31", "--format", "markdown"]);
    assert!(r.stdout.contains("## 逐月情况"), "{}", r.stdout);
}

#[test]
fn reports_never_name_the_people() {
    for args in [
        &["report", "monthly", "--month", "2022-03", "--as-of", "2022-04-01"][..],
        &["report", "annual", "--as-of", "2022-12-31"],
        &["report", "overdue", "--as-of", "2022-12-31"],
        &["report", "villages", "--year", "--as-of", "2022-12-31"],
        &["report", "resolution", "--by", "category", "--as-of", "2022-12-31"],
    ] {
        for format in ["table", "markdown", "csv", "json"] {
            let mut a = args.to_vec();
            a.extend(["--format", format, "--show-names"]);
            let out = on_data(&a).stdout;
            for file in ["visits.csv", "letters.csv", "disputes.csv"] {
                let text = std::fs::read_to_string(data_dir().join(file)).unwrap();
                let mut rdr = csv::Reader::from_reader(text.as_bytes());
                let col =
                    rdr.headers().unwrap().iter().position(|h| ["来访人", "sender", "当事人"].contains(&h)).unwrap();
                for rec in rdr.records() {
                    for name in rec.unwrap()[col].split(['、', '等']).filter(|n| n.chars().count() >= 2) {
                        assert!(!out.contains(name), "{args:?} {format} shows {name}");
                    }
                }
            }
        }
    }
}

#[test]
fn an_invalid_ledger_stops_a_report() {
    let ws = Ws::new(TOML);
    ws.write("visits.csv", &format!("{VISITS_HEAD}V2022-0001,2022-03-09,resolve,,,,,,,,,,x\n"));
    let r = ws.run(&["report", "monthly", "--month", "2022-03"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("visits.csv:2: 事项 V2022-0001 在前面没有登记过"), "{}", r.stderr);
}

#[test]
fn monthly_default_is_the_previous_month() {
    let r = on_data(&["report", "monthly", "--as-of", "2022-04-01", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["month"], "2022-03");
}

#[test]
fn golden_monthly_json_of_the_sample() {
    let r = on_data(&["report", "monthly", "--month", "2022-03", "--as-of", "2022-04-01", "--format", "json"]);
    assert_eq!(r.code, 1);
    let golden = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/monthly-2022-03.json");
    if std::env::var_os("QUNLI_BLESS").is_some() {
        std::fs::write(&golden, &r.stdout).unwrap();
    }
    assert_eq!(r.stdout, std::fs::read_to_string(golden).unwrap());
}
