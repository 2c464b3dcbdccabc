use super::common::*;

#[test]
fn explain_prints_what_why_source_fix() {
    let ws = Ws::empty();
    let r = qunli_in(ws.path(), &["explain", "V006"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for part in ["V006", "检查内容", "为什么", "依据", "第三十四条", "如何改正"] {
        assert!(r.stdout.contains(part), "{part}: {}", r.stdout);
    }
    let r = qunli_in(ws.path(), &["explain", "v006", "--lang", "en"]);
    assert!(r.stdout.contains("What it checks:") && r.stdout.contains("第三十四条"), "{}", r.stdout);
}

#[test]
fn explain_list_has_every_code() {
    let ws = Ws::empty();
    let r = qunli_in(ws.path(), &["explain", "--list", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["schema_version"], 1);
    let codes: Vec<&str> = v["rules"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap()).collect();
    let mut expected = Vec::new();
    expected.push("S000".to_string());
    for (p, n) in [("S", 6), ("V", 10), ("L", 5), ("D", 4), ("H", 4)] {
        for i in 1..=n {
            expected.push(format!("{p}{i:03}"));
        }
    }
    assert_eq!(codes, expected);
}

#[test]
fn explain_unknown_code_suggests() {
    let ws = Ws::empty();
    let r = qunli_in(ws.path(), &["explain", "V06"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("不认识的规则代码“V06”；你是不是要写“V006”？"), "{}", r.stderr);
    let r = qunli_in(ws.path(), &["--lang", "en", "explain", "V06"]);
    assert!(r.stderr.contains("unknown rule code \"V06\"; did you mean \"V006\"?"), "{}", r.stderr);
}
