//! A malformed qunli.toml, one per kind of error: a message with the line, exit 2.

use super::common::*;

fn error_of(toml: &str) -> String {
    let ws = Ws::new(toml);
    let r = ws.run(&["check"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stdout.is_empty());
    r.stderr
}

#[test]
fn unknown_key() {
    let e = error_of(&MINIMAL_TOML.replace("year = 2022", "year = 2022\ntownship_name = \"x\""));
    assert!(e.contains("qunli.toml:3: 不认识的键 `township_name`"), "{e}");
    assert!(e.contains("你是不是要写 `township`？"), "{e}");
}

#[test]
fn wrong_type() {
    let e = error_of(&MINIMAL_TOML.replace("year = 2022", "year = \"二〇二二\""));
    assert!(e.contains("qunli.toml:2:"), "{e}");
}

#[test]
fn impossible_date() {
    let e = error_of(&MINIMAL_TOML.replace("2022-03-22", "2022-02-30"));
    assert!(e.contains("qunli.toml:8:"), "{e}");
}

#[test]
fn unknown_role() {
    let e = error_of(&MINIMAL_TOML.replace("\"member\"", "\"deputy\""));
    assert!(e.contains("qunli.toml:12: 不认识的角色“deputy”"), "{e}");
}

#[test]
fn leader_named_twice() {
    let e = error_of(&MINIMAL_TOML.replace("奚航", "管小波"));
    assert!(e.contains("qunli.toml:11: 领导“管小波”出现了两次"), "{e}");
}

#[test]
fn empty_village_list() {
    let e = error_of(&MINIMAL_TOML.replace("[\"天灵村\", \"牵牛村\"]", "[]"));
    assert!(e.contains("qunli.toml:3: `villages` 是空的"), "{e}");
}

#[test]
fn missing_required() {
    let e = error_of(&MINIMAL_TOML.replace("township = \"测试镇\"\n", ""));
    assert!(e.contains("缺少键 `township`"), "{e}");
}

#[test]
fn bad_rule_level() {
    let e = error_of(&format!("{MINIMAL_TOML}\n[rules.level]\nS003 = \"loud\"\n"));
    assert!(e.contains("qunli.toml:16: 级别“loud”"), "{e}");
}

#[test]
fn not_toml_at_all() {
    let e = error_of("this is not toml = = =\n");
    assert!(e.contains("qunli.toml:1:"), "{e}");
}

#[test]
fn calendar_outside_builtin_years_warns() {
    let ws = Ws::new(&MINIMAL_TOML.replace("2022", "2030"));
    let r = ws.run(&["schedule", "check", "--month", "2030-03"]);
    assert!(r.stderr.contains("只按周末计算"), "{}", r.stderr);
}
