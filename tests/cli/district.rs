//! Issue 15: the district view — every town side by side, figures equal to
//! each town's own reports, totals equal to the sums, a broken town reported
//! and left out, every format.

use super::common::*;
use serde_json::Value;
use std::path::PathBuf;

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/district")
}

fn json(args: &[&str]) -> Value {
    let r = qunli_in(&example(), args);
    assert!(r.code <= 1, "{:?}: {}", args, r.stderr);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

#[test]
fn every_town_row_is_that_towns_own_report_and_the_totals_are_the_sums() {
    let month = ["--month", "2022-03", "--as-of", "2022-04-01", "--format", "json"];
    let d = json(&[&["--dir", example().to_str().unwrap(), "district", "report", "monthly"][..], &month].concat());
    let towns = d["towns"].as_array().unwrap();
    assert_eq!(towns.len(), 3);
    for (t, dir) in towns.iter().zip(["../../data", "towns/别口镇", "towns/寿桥镇"]) {
        let dir = example().join(dir);
        let own = json(&[&["--dir", dir.to_str().unwrap(), "report", "monthly"][..], &month].concat());
        assert_eq!(t["town"], own["township"]);
        for key in ["visits", "letters", "disputes", "kpi", "verdict"] {
            assert_eq!(t[key], own[key], "{} {key}", t["town"]);
        }
        assert_eq!(t["overdue"], own["overdue"].as_array().unwrap().len());
        let errors = own["findings"].as_array().unwrap().iter().filter(|f| f["severity"] == "error").count();
        assert_eq!(t["errors"], errors);
    }
    let sum = |f: &dyn Fn(&Value) -> &Value| towns.iter().map(|t| f(t).as_u64().unwrap()).sum::<u64>();
    let x = &d["totals"];
    assert_eq!(x["received"], sum(&|t| &t["visits"]["received"]));
    assert_eq!(x["resolved"], sum(&|t| &t["visits"]["resolved"]));
    assert_eq!(x["ytd_received"], sum(&|t| &t["visits"]["ytd_received"]));
    assert_eq!(x["screenings_done"], sum(&|t| &t["disputes"]["screenings_done"]));
    assert_eq!(x["kpi"]["rated"]["numerator"], sum(&|t| &t["kpi"]["rated"]["numerator"]));
    assert_eq!(x["kpi"]["repeats"], sum(&|t| &t["kpi"]["repeats"]));
    // Rates from the sums, never an average of rates.
    let rate = x["resolved"].as_f64().unwrap() / x["received"].as_f64().unwrap();
    assert!((x["resolution_rate"].as_f64().unwrap() - rate).abs() < 1e-4);
    // Ranked by score, the lowest flagged (bottom = 1).
    let mut ranked: Vec<&Value> = towns.iter().collect();
    ranked.sort_by_key(|t| t["rank"].as_u64());
    assert!(ranked.windows(2).all(|w| w[0]["kpi"]["score"].as_f64() >= w[1]["kpi"]["score"].as_f64()));
    assert_eq!(towns.iter().filter(|t| t["flagged"] == true).count(), 1);
    // No personal name of the people.
    let text = d.to_string();
    assert!(!text.contains("某某") && !text.contains("visitors"), "no names");
}

#[test]
fn a_broken_town_is_named_and_left_out_and_the_others_still_report() {
    let ws = Ws::empty();
    let broken = ws.file("坏镇");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(broken.join("qunli.toml"), MINIMAL_TOML).unwrap();
    std::fs::write(broken.join("visits.csv"), "case,date,event\nV2022-0001,2022-13-45,receive\n").unwrap();
    let good = example().join("towns/寿桥镇");
    std::fs::write(
        ws.file("qunli-district.toml"),
        format!("district = \"测试区\"\ntowns = [\"{}\", \"坏镇\"]\n", good.display()),
    )
    .unwrap();
    let r = ws.run(&["district", "report", "monthly", "--month", "2022-03", "--as-of", "2022-04-01"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("寿桥镇") && r.stdout.contains("数据无效"), "{}", r.stdout);
    assert!(r.stdout.contains("DT01") && r.stdout.contains("合计不含数据无效的 1 个镇"), "{}", r.stdout);
    let r =
        ws.run(&["district", "report", "monthly", "--month", "2022-03", "--as-of", "2022-04-01", "--format", "json"]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["totals"]["towns"], 1);
    assert_eq!(v["totals"]["towns_left_out"], 1);
    assert_eq!(v["towns"][1]["valid"], false);
    assert_eq!(v["findings"][0]["code"], "DT01");
    let r = ws.run(&["district", "check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("寿桥镇") && r.stdout.contains("数据无效"), "{}", r.stdout);
    let r = ws.run(&["explain", "DT01"]);
    assert!(r.code == 0 && r.stdout.contains("不计入合计"), "{}", r.stdout);
    // A district file without its towns names what it lacks, not a town's keys.
    std::fs::write(ws.file("qunli-district.toml"), "district = \"测试区\"\n").unwrap();
    let r = ws.run(&["district", "check"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("缺少键 `towns`") && r.stderr.contains("district 和 towns 是必需的"), "{}", r.stderr);
    assert!(!r.stderr.contains("township"), "{}", r.stderr);
    // Not a district: said so, in Chinese.
    let r = Ws::new(MINIMAL_TOML).run(&["district", "check"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("qunli-district.toml"), "{}", r.stderr);
}

#[test]
fn the_indicator_ranking_in_every_format() {
    let ws = Ws::empty();
    let dir = example();
    let base = ["--dir", dir.to_str().unwrap(), "district", "report", "kpi", "--year", "2022", "--as-of", "2023-01-31"];
    let v = json(&[&base[..], &["--format", "json"]].concat());
    let towns = v["towns"].as_array().unwrap();
    assert_eq!(towns.iter().map(|t| t["rank"].as_u64().unwrap()).collect::<Vec<_>>(), [1, 2, 3]);
    // Each town's indicators are its own over the year.
    let own = json(&[
        "--dir",
        dir.join("../../data").to_str().unwrap(),
        "report",
        "annual",
        "--year",
        "2022",
        "--as-of",
        "2023-01-31",
        "--format",
        "json",
    ]);
    let qunli = towns.iter().find(|t| t["town"] == "群力镇").unwrap();
    assert_eq!(qunli["kpi"], own["kpi"]);
    for format in ["table", "markdown", "csv", "html"] {
        let r = qunli_in(&dir, &[&base[..], &["--format", format]].concat());
        assert!(r.code <= 1 && r.stdout.contains("群力镇"), "{format}: {}", r.stderr);
    }
    let out = ws.file("各镇.xlsx");
    let r = qunli_in(&dir, &[&base[..], &["--format", "xlsx", "--output", out.to_str().unwrap()]].concat());
    assert!(r.code <= 1, "{}", r.stderr);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut chart = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/charts/chart1.xml").unwrap(), &mut chart).unwrap();
    assert!(chart.contains("<c:barChart>") && chart.contains("得分"), "{chart}");
    // The e-mail goes to the district's [email].
    let r = qunli_in(&dir, &[&base[..], &["--format", "email"]].concat());
    assert!(r.stdout.contains("To: <xinfang@example.gov.cn>"), "{}", r.stdout);
    let message = mail_parser::MessageParser::default().parse(r.stdout.as_bytes()).unwrap();
    assert!(message.body_text(0).unwrap().contains("群力镇"));
}
