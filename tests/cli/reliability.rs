//! The guarantees of SPEC §8 under pressure: changed history is detected,
//! killed writers lose nothing that was confirmed, concurrent writers and
//! readers never see or make half a row.

use super::common::*;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn add_args(date: &str, summary: &str) -> Vec<String> {
    visit_add(date, "土地征用", summary)
}

fn qunli(dir: &std::path::Path, args: &[String]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_qunli"));
    c.arg("--dir").arg(dir).args(args).stdin(Stdio::null());
    c
}

#[test]
fn an_edited_or_deleted_row_is_named_and_can_be_accepted() {
    let ws = Ws::new(MINIMAL_TOML);
    for (i, d) in ["2022-03-09", "2022-03-10", "2022-03-11"].iter().enumerate() {
        let out = qunli(ws.path(), &add_args(d, &format!("row{i}"))).output().unwrap();
        assert!(out.status.success());
    }
    let codes = |r: &Run| -> Vec<(String, Option<u64>)> {
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"].as_str().unwrap().starts_with('H'))
            .map(|f| (f["code"].as_str().unwrap().to_string(), f["line"].as_u64()))
            .collect()
    };
    let check = || ws.run(&["check", "--format", "json"]);
    assert_eq!(codes(&check()), vec![]);

    // A clerk adds a row by hand at the end: H004, a warning naming the line.
    let mut text = ws.read("visits.csv");
    text.push_str("V2022-0004,2022-03-12,登记,管小波,公开接访,天灵村,李四,1,其他,手工补录,,,\n");
    ws.write_raw("visits.csv", &text);
    let r = check();
    assert_eq!(codes(&r), vec![("H004".to_string(), Some(5))]);
    assert!(r.stdout.contains("\"severity\": \"warning\""), "{}", r.stdout);

    // An edit in Excel of the third line: H001, an error; --quiet does not hide it.
    ws.write_raw("visits.csv", &text.replace("row1", "row1 (改)"));
    let r = check();
    assert_eq!(codes(&r), vec![("H001".to_string(), Some(3)), ("H004".to_string(), Some(5))]);
    assert_eq!(r.code, 1);
    let r = ws.run(&["--quiet", "check"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("H001") && r.stdout.contains("visits.csv:3"), "{}", r.stdout);
    assert!(r.stdout.contains("qunli check --accept-history"), "{}", r.stdout);

    // Accepted deliberately, it is the history from now on.
    assert_eq!(ws.run(&["check", "--accept-history", "--fail-on", "never"]).code, 0);
    assert_eq!(codes(&check()), vec![]);

    // A deleted row: H002, and appends refuse (a case number would be handed out again).
    let text = ws.read("visits.csv");
    let kept: Vec<&str> = text.lines().take(3).collect();
    ws.write_raw("visits.csv", &(kept.join("\n") + "\n"));
    assert_eq!(codes(&check()), vec![("H002".to_string(), Some(4))]);
    let before = ws.read("visits.csv");
    let r = ws.run_owned(&add_args("2022-03-13", "x"));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("台账只有 3 行，历史记录有 5 行"), "{}", r.stderr);
    assert_eq!(ws.read("visits.csv"), before);
}

#[test]
fn killed_writers_lose_nothing_they_confirmed() {
    let ws = Ws::new(MINIMAL_TOML);
    let started = Instant::now();
    let mut confirmed = Vec::new();
    let mut killed = 0;
    let mut i = 0u64;
    // Bounded: at most 60 writers or 4 seconds.
    while i < 60 && started.elapsed() < Duration::from_secs(4) {
        let summary = format!("crash-{i}");
        let mut child = qunli(ws.path(), &add_args("2022-03-09", &summary)).stdout(Stdio::piped()).spawn().unwrap();
        // Kill some writers at varying moments, let the others finish.
        if !i.is_multiple_of(3) {
            std::thread::sleep(Duration::from_micros(300 * (i % 23)));
            let _ = child.kill();
        }
        let out = child.wait_with_output().unwrap();
        if out.status.success() && String::from_utf8_lossy(&out.stdout).contains("V2022-") {
            confirmed.push(summary);
        } else {
            killed += 1;
        }
        i += 1;
    }
    assert!(!confirmed.is_empty());
    let text = ws.read("visits.csv");
    for s in &confirmed {
        assert_eq!(text.lines().filter(|l| l.contains(&format!(",{s},"))).count(), 1, "{s} confirmed but not whole");
    }
    // At most an incomplete last row; repair restores a valid ledger.
    let r = ws.run(&["check", "--fail-on", "never"]);
    let problems: Vec<&str> = r.stderr.lines().filter(|l| l.starts_with("visits.csv:")).collect();
    assert!(problems.iter().all(|p| p.contains("最后一行不完整")), "{problems:?}");
    assert_eq!(ws.run(&["repair"]).code, 0);
    let r = ws.run(&["check", "--fail-on", "never"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("history changed"), "{}", r.stderr);
    eprintln!("crash test: {} writers, {} confirmed, {killed} killed or failed", i, confirmed.len());
}

#[test]
fn many_writers_on_three_ledgers_and_readers_meanwhile() {
    let ws = Ws::new(MINIMAL_TOML);
    let dir = ws.path().to_path_buf();
    let (writers, each) = (4, 6);
    let mut handles = Vec::new();
    for w in 0..writers {
        let dir = dir.clone();
        handles.push(std::thread::spawn(move || {
            for i in 0..each {
                let tag = format!("w{w}-{i}");
                let jobs: Vec<Vec<String>> = vec![
                    add_args("2022-03-09", &tag),
                    letter_add("李四", "2022-03-09", &tag),
                    [
                        "dispute",
                        "add",
                        "--village",
                        "天灵村",
                        "--level",
                        "village",
                        "--category",
                        "邻里纠纷",
                        "--parties",
                        "王五",
                        "--summary",
                        &tag,
                        "--date",
                        "2022-03-09",
                    ]
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                ];
                for job in jobs {
                    let out = qunli(&dir, &job).output().unwrap();
                    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
                }
            }
        }));
    }
    // Readers during the load: a report must never fail on a half row.
    let reader_dir = dir.clone();
    let reader = std::thread::spawn(move || {
        let mut reads = 0;
        for _ in 0..15 {
            let out = qunli(
                &reader_dir,
                &["report", "monthly", "--month", "2022-03", "--as-of", "2022-04-01", "--format", "json"]
                    .map(String::from),
            )
            .output()
            .unwrap();
            let code = out.status.code().unwrap();
            assert!(code == 0 || code == 1, "report failed under load: {}", String::from_utf8_lossy(&out.stderr));
            reads += 1;
        }
        reads
    });
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(reader.join().unwrap(), 15);
    for (file, prefix) in [("visits.csv", "V2022-"), ("letters.csv", "L2022-"), ("disputes.csv", "D2022-")] {
        let text = ws.read(file);
        let rows: Vec<&str> = text.lines().skip(1).collect();
        assert_eq!(rows.len(), writers * each, "{file}");
        let mut ids: Vec<&str> = rows.iter().map(|r| r.split(',').next().unwrap()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), writers * each, "{file}: unique case numbers");
        assert!(ids.iter().all(|i| i.starts_with(prefix)));
    }
    let r = ws.run(&["check", "--fail-on", "never"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("history changed"));
}
