//! Issue 11, item by item: no path to a lost, hidden or silently changed
//! row. Each test tries one of the ways a confirmed row used to be lost or
//! a change hidden, on real files with the real binary.

use super::common::*;
use std::path::{Path, PathBuf};

/// A workspace holding three visits appended by qunli.
fn three_visits() -> Ws {
    let ws = Ws::new(MINIMAL_TOML);
    for (d, s) in [("2022-03-09", "路灯坏了"), ("2022-03-10", "道路积水"), ("2022-03-11", "噪音扰民")] {
        let r = ws.run_owned(&visit_add(d, "其他", s));
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    ws
}

/// The history findings of `check --format json`: (code, line).
fn history(ws: &Ws) -> (i32, Vec<(String, Option<u64>)>) {
    let r = ws.run(&["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap_or_else(|_| panic!("{}{}", r.stdout, r.stderr));
    let found = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"].as_str().unwrap().starts_with('H'))
        .map(|f| (f["code"].as_str().unwrap().to_string(), f["line"].as_u64()))
        .collect();
    (r.code, found)
}

fn h(code: &str, line: Option<u64>) -> (String, Option<u64>) {
    (code.to_string(), line)
}

/// Runs `args`, expecting a refusal (exit 2, `message`) and the ledger unchanged.
fn refused(ws: &Ws, args: &[String], message: &str) -> Run {
    let before = std::fs::read(ws.file("visits.csv")).ok();
    let r = ws.run_owned(args);
    assert_eq!(r.code, 2, "{args:?}: {}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains(message), "{args:?}: {}", r.stderr);
    assert_eq!(std::fs::read(ws.file("visits.csv")).ok(), before, "{args:?} changed visits.csv");
    r
}

fn new_visit() -> Vec<String> {
    visit_add("2022-03-12", "其他", "新的来访")
}

#[test]
fn item1_an_open_quote_far_from_the_end_is_named_and_nothing_disappears_into_it() {
    let ws = three_visits();
    // A hand-typed row opens a quote, and more than 64 KiB of rows follow.
    let mut text = ws.read("visits.csv");
    text.push_str("V2022-0004,2022-03-12,登记,管小波,公开接访,天灵村,李四,1,其他,\"路灯坏了,,,\n");
    for i in 5..900 {
        text.push_str(&format!("V2022-{i:04},2022-03-12,登记,管小波,公开接访,天灵村,李四,1,其他,路灯,,,\n"));
    }
    assert!(text.len() > 70_000);
    ws.write_raw("visits.csv", &text);
    let r = ws.run(&["check"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("visits.csv:5: 诉求: 这一行开始的引号始终没有闭合"), "{}", r.stderr);
    refused(&ws, &new_visit(), "visits.csv:5: 这一行开始的引号始终没有闭合");
    // The rows after the record's end are no torn append's: repair keeps them in .rejected.
    let r = ws.run(&["repair"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(ws.read("visits.csv.rejected").starts_with("V2022-0004,"));
    assert_eq!(ws.read("visits.csv").lines().count(), 4);
    assert_eq!(ws.run_owned(&new_visit()).stdout.split_whitespace().next(), Some("V2022-0004"));

    // An open quote typed into a recorded row: appends refuse, and repair cuts nothing.
    let ws = three_visits();
    let edited = ws.read("visits.csv").replace(",道路积水,", ",\"道路积水,");
    ws.write_raw("visits.csv", &edited);
    refused(&ws, &new_visit(), "visits.csv:3: 这一行开始的引号始终没有闭合");
    let r = ws.run(&["repair"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("repair 不会删除这些行"), "{}", r.stderr);
    assert_eq!(ws.read("visits.csv"), edited);
}

#[test]
fn item2_a_field_over_64_kib_is_refused_when_written() {
    let ws = three_visits();
    let long = "长".repeat(70_000 / 3 + 1);
    let r = refused(&ws, &visit_add("2022-03-12", "其他", &long), "诉求：内容有 70002 字节，超过上限 65536 字节");
    assert!(!r.stdout.contains("V2022-0004"));
    // The workspace stays readable.
    let r = ws.run(&["visit", "show", "V2022-0003"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = ws.run(&["report", "monthly", "--month", "2022-03", "--as-of", "2022-04-01"]);
    assert!(r.code < 2, "{}", r.stderr);
}

/// A small tmpfs, mounted while the value lives (root only).
struct Tmpfs(PathBuf, tempfile::TempDir);

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let mnt = dir.path().join("mnt");
        std::fs::create_dir(&mnt).unwrap();
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&mnt)
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Tmpfs(mnt, dir))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Fills the filesystem of `dir` to the last byte.
fn fill(dir: &Path) -> PathBuf {
    use std::io::Write;
    let filler = dir.join("filler");
    let mut f = std::fs::File::create(&filler).unwrap();
    let block = vec![0u8; 4096];
    while f.write_all(&block).is_ok() {}
    while f.write_all(&block[..1]).is_ok() {}
    filler
}

fn temporary_files(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for d in [dir.to_path_buf(), dir.join(".qunli")] {
        for e in std::fs::read_dir(d).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.ends_with(".tmp") {
                found.push(name);
            }
        }
    }
    found
}

#[test]
fn item3_a_full_disk_leaves_nothing_behind() {
    let Some(fs) = Tmpfs::mount("512k") else {
        println!("skipped: mounting a small tmpfs needs root (this is run as uid {})", unsafe_uid());
        return;
    };
    let ws = fs.0.join("ws");
    std::fs::create_dir(&ws).unwrap();
    std::fs::write(ws.join("qunli.toml"), MINIMAL_TOML).unwrap();
    let run = |args: &[String]| {
        let mut all = vec!["--dir".to_string(), ws.to_str().unwrap().to_string()];
        all.extend_from_slice(args);
        qunli_in(&ws, &all.iter().map(String::as_str).collect::<Vec<_>>())
    };
    for d in ["2022-03-09", "2022-03-10"] {
        assert_eq!(run(&visit_add(d, "其他", "路灯")).code, 0);
    }
    let filler = fill(&fs.0);
    let ledger = ws.join("visits.csv");
    let before = std::fs::read(&ledger).unwrap();
    let digests = std::fs::read(ws.join(".qunli/visits.csv.digests")).unwrap();

    // A row longer than a page, with line breaks inside its quoted field.
    let long = "群众反映：\n".repeat(1500);
    let r = run(&visit_add("2022-03-11", "其他", &long));
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("台账已恢复原样"), "{}", r.stderr);
    assert_eq!(std::fs::read(&ledger).unwrap(), before, "the ledger is as it was");
    assert_eq!(std::fs::read(ws.join(".qunli/visits.csv.digests")).unwrap(), digests);

    // An import of 1,000 rows is all or nothing.
    let mut csv = String::from("案号,日期,事件,接待领导,方式,村社区,来访人,人数,类别,诉求,关联,细项,备注\n");
    for i in 3..1003 {
        csv.push_str(&format!("V2022-{i:04},2022-03-12,登记,管小波,公开接访,天灵村,李四,1,其他,路灯坏了很久了,,,\n"));
    }
    let import = fs.1.path().join("import.csv");
    std::fs::write(&import, csv).unwrap();
    let r = run(&["import".into(), import.to_str().unwrap().into(), "--into".into(), "visits".into()]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert_eq!(std::fs::read(&ledger).unwrap(), before, "no row of the import is left");
    assert_eq!(temporary_files(&ws), Vec::<String>::new());

    // With room again, the ledger is sound and goes on.
    std::fs::remove_file(filler).unwrap();
    let r = run(&["check".into(), "--format".into(), "json".into()]);
    assert!(!r.stdout.contains("\"H00") && r.stderr.is_empty(), "{}{}", r.stdout, r.stderr);
    let r = run(&visit_add("2022-03-11", "其他", &long));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("V2022-0003"), "{}", r.stdout);
    // The case index outlived the failed appends: a case's rows are all found.
    let void: Vec<String> =
        ["visit", "void", "V2022-0003", "--note", "重复", "--date", "2022-03-12"].map(String::from).into();
    assert_eq!(run(&void).code, 0);
    let r = run(&repeat("V2022-0003", "2022-03-13"));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("V2022-0003 已作废"), "{}", r.stderr);

    // A read-only .qunli: the append is undone and said so, never a false success.
    let qunli = ws.join(".qunli");
    let ro = std::process::Command::new("mount").arg("--bind").arg(&qunli).arg(&qunli).status().unwrap();
    assert!(ro.success());
    let remount = std::process::Command::new("mount").args(["-o", "remount,bind,ro"]).arg(&qunli).status().unwrap();
    let before = std::fs::read(&ledger).unwrap();
    let r = run(&visit_add("2022-03-12", "其他", "路灯"));
    let _ = std::process::Command::new("umount").arg(&qunli).status();
    assert!(remount.success());
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("台账已恢复原样"), "{}", r.stderr);
    assert_eq!(std::fs::read(&ledger).unwrap(), before);
}

fn unsafe_uid() -> String {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

#[test]
fn item4_history_cannot_be_hidden() {
    // Swapped rows: H001 at the first.
    let ws = three_visits();
    let text = ws.read("visits.csv");
    let mut lines: Vec<&str> = text.lines().collect();
    lines.swap(1, 2);
    ws.write_raw("visits.csv", &(lines.join("\n") + "\n"));
    assert_eq!(history(&ws), (1, vec![h("H001", Some(2))]));

    // Cut back: H002, and the next append refuses rather than hand out V2022-0003 again.
    let ws = three_visits();
    let text = ws.read("visits.csv");
    let kept: Vec<&str> = text.lines().take(3).collect();
    ws.write_raw("visits.csv", &(kept.join("\n") + "\n"));
    assert_eq!(history(&ws), (1, vec![h("H002", Some(4))]));
    refused(&ws, &new_visit(), "历史记录有 4 行");

    // .qunli deleted: H003 for the ledger, and appends refuse.
    let ws = three_visits();
    std::fs::remove_dir_all(ws.file(".qunli")).unwrap();
    assert_eq!(history(&ws), (1, vec![h("H003", None)]));
    let r = ws.run(&["--quiet", "check"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("H003") && r.stdout.contains("没有历史记录"), "{}", r.stdout);
    refused(&ws, &new_visit(), "没有历史记录");

    // The digests cut short, or one entry changed: H003 (and an edit under it is still named).
    let ws = three_visits();
    let digests = ws.file(".qunli/visits.csv.digests");
    let d = std::fs::read(&digests).unwrap();
    std::fs::write(&digests, &d[..d.len() - 60]).unwrap();
    assert_eq!(history(&ws), (1, vec![h("H003", None)]));
    refused(&ws, &new_visit(), "历史记录被截短");

    let ws = three_visits();
    let mut d = std::fs::read(digests_of(&ws)).unwrap();
    d[30 * 2 + 20] = if d[30 * 2 + 20] == b'0' { b'1' } else { b'0' };
    std::fs::write(digests_of(&ws), &d).unwrap();
    assert_eq!(history(&ws), (1, vec![h("H003", Some(2))]));

    // The next append never rebuilds the record over an edited file.
    let ws = three_visits();
    ws.write_raw("visits.csv", &ws.read("visits.csv").replace("道路积水", "道路积水（已改）"));
    let r = ws.run_owned(&new_visit());
    assert_eq!(r.code, 0);
    assert!(r.stderr.contains("visits.csv:3: 第 3 行与追加时记录的不一致"), "{}", r.stderr);
    assert_eq!(history(&ws), (1, vec![h("H001", Some(3))]));
}

fn digests_of(ws: &Ws) -> PathBuf {
    ws.file(".qunli/visits.csv.digests")
}

#[test]
fn item4_a_mailed_report_catches_history_rewritten_record_and_all() {
    let ws = three_visits();
    let mail = ws.file("2022-03.eml");
    let r = ws.run(&[
        "report",
        "monthly",
        "--month",
        "2022-03",
        "--as-of",
        "2022-04-01",
        "--format",
        "email",
        "--mail-from",
        "dzb@example.org",
        "--mail-to",
        "shuji@example.org",
        "--output",
        mail.to_str().unwrap(),
    ]);
    assert!(r.code < 2, "{}", r.stderr);
    let sent = std::fs::read_to_string(&mail).unwrap();
    assert!(sent.contains("X-Qunli-Ledgers: visits.csv 4 "), "{sent}");
    let json = ws.file("2022-03.json");
    ws.run(&["report", "monthly", "--month", "2022-03", "--format", "json", "--output", json.to_str().unwrap()]);
    let text = ws.file("2022-03.txt");
    ws.run(&["report", "monthly", "--month", "2022-03", "--output", text.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&text).unwrap().contains("台账校验码：\n  visits.csv 4行 "));
    for report in [&mail, &json, &text] {
        let r = ws.run(&["verify", report.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        assert!(r.stdout.contains("visits.csv: 前 4 行与报告一致"), "{}", r.stdout);
    }
    // Rows added since do not count against the report.
    assert_eq!(ws.run_owned(&new_visit()).code, 0);
    assert_eq!(ws.run(&["verify", mail.to_str().unwrap()]).code, 0);

    // A row rewritten: verify names it, from the record.
    ws.write_raw("visits.csv", &ws.read("visits.csv").replace("道路积水", "道路通畅"));
    let r = ws.run(&["verify", mail.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("visits.csv:3: 与报告所依据的内容不同"), "{}", r.stdout);

    // The record rewritten too, as if the edit were accepted: check is clean, the mail is not.
    assert_eq!(ws.run(&["check", "--accept-history", "--fail-on", "never"]).code, 0);
    assert_eq!(history(&ws).1, vec![]);
    let r = ws.run(&["verify", mail.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("visits.csv:3:"), "the kept record names the line: {}", r.stdout);
    // And with every record gone, the line cannot be named, but the difference is still caught.
    for e in std::fs::read_dir(ws.file(".qunli")).unwrap() {
        let p = e.unwrap().path();
        if p.to_string_lossy().contains(".digests.") {
            std::fs::remove_file(p).unwrap();
        }
    }
    let r = ws.run(&["verify", json.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("无法指出是哪一行"), "{}", r.stdout);
}

#[test]
fn item5_a_row_inserted_in_the_middle_is_seen_by_the_next_append() {
    let ws = three_visits();
    let text = ws.read("visits.csv");
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(2, "V2022-0009,2022-03-09,登记,管小波,公开接访,天灵村,王五,1,其他,手工插入,,,");
    ws.write_raw("visits.csv", &(lines.join("\n") + "\n"));
    let r = ws.run_owned(&new_visit());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("V2022-0010"), "{}", r.stdout);
    assert!(r.stderr.contains("visits.csv:3: 第 3 行与追加时记录的不一致"), "{}", r.stderr);
}

#[test]
fn item6_links_are_never_written_through() {
    // repair on a ledger that is a symbolic link cuts nothing.
    let ws = Ws::new(MINIMAL_TOML);
    let elsewhere = Ws::empty();
    let real = elsewhere.file("real.csv");
    std::fs::write(
        &real,
        "案号,日期,事件,接待领导,方式,村社区,来访人,人数,类别,诉求,关联,细项,备注\nV2022-0001,2022-03-09",
    )
    .unwrap();
    std::os::unix::fs::symlink(&real, ws.file("visits.csv")).unwrap();
    let before = std::fs::read(&real).unwrap();
    let r = ws.run(&["repair"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("是符号链接"), "{}", r.stderr);
    let r = ws.run_owned(&new_visit());
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("symbolic link"), "{}", r.stderr);
    assert_eq!(std::fs::read(&real).unwrap(), before);

    // A linked history record: its target is never overwritten.
    let ws = three_visits();
    let target = elsewhere.file("target.txt");
    std::fs::write(&target, "do not touch").unwrap();
    std::fs::remove_file(digests_of(&ws)).unwrap();
    std::os::unix::fs::symlink(&target, digests_of(&ws)).unwrap();
    let r = ws.run_owned(&new_visit());
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "do not touch");
    assert_eq!(ws.run(&["check", "--accept-history"]).code, 2);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "do not touch");

    // CR-only line breaks are named as such; repair moves nothing.
    let ws = Ws::new(MINIMAL_TOML);
    let text = "案号,日期,事件,接待领导,方式,村社区,来访人,人数,类别,诉求,关联,细项,备注\rV2022-0001,2022-03-09,登记,管小波,公开接访,天灵村,张三,1,其他,路灯,,,\r";
    ws.write_raw("visits.csv", text);
    let r = ws.run(&["check"]);
    assert!(r.stderr.contains("visits.csv:1: 换行符只有 CR"), "{}", r.stderr);
    let r = ws.run(&["repair"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("换行符只有 CR"), "{}", r.stderr);
    assert_eq!(ws.read("visits.csv"), text);
    assert!(!ws.file("visits.csv.rejected").exists());
}

#[test]
fn item7_formulas_names_and_markup_stay_text() {
    let ws = Ws::new(MINIMAL_TOML);
    let typed = ["=HYPERLINK(\"http://x\",\"点我\")", "+1", "-2", "@SUM(A1)", "'引号开头", "普通"];
    for s in typed {
        let r = ws.run_owned(&visit_add("2022-03-09", "其他", s));
        assert_eq!(r.code, 0, "{s}: {}", r.stderr);
    }
    let text = ws.read("visits.csv");
    assert!(text.contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\","), "{text}");
    assert!(text.contains(",'+1,") && text.contains(",'-2,") && text.contains(",'@SUM(A1),"), "{text}");
    assert!(text.contains(",''引号开头,") && text.contains(",普通,"), "{text}");
    // Read back exactly as typed.
    for (i, s) in typed.iter().enumerate() {
        let r = ws.run(&["visit", "show", &format!("V2022-{:04}", i + 1), "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        let summary = v["events"][0]["summary"].as_str().or(v["history"][0]["summary"].as_str());
        assert_eq!(summary, Some(*s), "{}", r.stdout);
    }
    // A name holds one line.
    let mut two_lines = visit_add("2022-03-09", "其他", "路灯");
    two_lines[9] = "张三\n李四".into();
    refused(&ws, &two_lines, "来访人：姓名只能写一行");
    // A name shifted into the number column is not echoed.
    let ws2 = Ws::new(MINIMAL_TOML);
    ws2.write(
        "visits.csv",
        "案号,日期,事件,接待领导,方式,村社区,来访人,人数,类别,诉求,关联,细项,备注\n\
         V2022-0001,2022-03-09,登记,管小波,公开接访,天灵村,1,欧阳明月,其他,路灯,,,\n",
    );
    let r = ws2.run(&["check"]);
    assert!(r.stderr.contains("visits.csv:2: 人数:"), "{}", r.stderr);
    assert!(!r.stderr.contains("欧阳明月"), "{}", r.stderr);
    // Markdown shows markup as text.
    let r = ws.run_owned(&visit_add("2022-03-09", "其他", "<script>alert(1)</script> *粗* |x|"));
    assert_eq!(r.code, 0);
    let r = ws.run(&["visit", "list", "--format", "markdown"]);
    assert!(r.stdout.contains("&lt;script&gt;alert(1)&lt;/script&gt; \\*粗\\* \\|x\\|"), "{}", r.stdout);
    assert!(!r.stdout.contains("<script>"));
}

#[test]
fn item8_a_listing_of_bad_rows_is_refused_not_partial() {
    let ws = three_visits();
    let mut text = ws.read("visits.csv");
    text.push_str("V2022-0004,2022-13-45,登记,管小波,公开接访,天灵村,李四,1,其他,路灯,,,\n");
    ws.write_raw("visits.csv", &text);
    let r = ws.run(&["visit", "list"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("visits.csv:5: 日期"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
}

#[test]
fn item8_excel_trailing_empty_columns_are_accepted() {
    let ws = Ws::new(MINIMAL_TOML);
    ws.write(
        "visits.csv",
        "案号,日期,事件,接待领导,方式,村社区,来访人,人数,类别,诉求,关联,细项,备注,,\n\
         V2022-0001,2022-03-09,登记,管小波,公开接访,天灵村,张三,1,其他,路灯,,,,,\n",
    );
    let r = ws.run(&["check"]);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    let r = ws.run_owned(&new_visit());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(ws
        .read("visits.csv")
        .ends_with("V2022-0002,2022-03-12,登记,管小波,公开接访,天灵村,张三,1,其他,新的来访,,,,,\n"));
}

/// The state of a ledger's record, as `key=value` lines.
fn state(ws: &Ws, file: &str) -> String {
    std::fs::read_to_string(ws.file(&format!(".qunli/{file}.state"))).unwrap_or_default()
}

#[test]
fn accepting_history_leaves_the_next_append_its_quick_read() {
    // Rows typed in by hand, up to case 0041, then accepted after a look.
    let ws = three_visits();
    let mut text = ws.read("visits.csv");
    text.push_str("V2022-0041,2022-03-12,登记,管小波,公开接访,天灵村,李四,1,其他,路灯,,,\n");
    ws.write_raw("visits.csv", &text);
    assert_eq!(ws.run(&["check", "--accept-history", "--fail-on", "never"]).code, 0);
    // The state knows the ledger and its highest case number, so the next
    // append reads only what it needs, and numbers on from the typed row.
    let s = state(&ws, "visits.csv");
    assert!(s.contains("stamp=") && s.contains("max=2022:41"), "{s}");
    let r = ws.run_owned(&new_visit());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("V2022-0042"), "{}", r.stdout);
    assert_eq!(history(&ws).1, vec![]);

    // A ledger an append would refuse (a torn last row) is accepted as it
    // stands, but gets no shortcut: its next append reads it whole.
    let ws = three_visits();
    let mut text = ws.read("visits.csv");
    text.push_str("V2022-0004,2022-03-12,登记,管小");
    ws.write_raw("visits.csv", &text);
    ws.run(&["check", "--accept-history", "--fail-on", "never"]);
    assert!(!state(&ws, "visits.csv").contains("stamp="), "{}", state(&ws, "visits.csv"));
}

/// A repeat visit of `case` on `date`.
fn repeat(case: &str, date: &str) -> Vec<String> {
    let mut args = visit_add(date, "其他", "再次反映");
    args.splice(2..2, ["--case".to_string(), case.to_string()]);
    args
}

/// Writes `slot` (count, then lines) for case number `num` in the 2022 case index of visits.csv.
fn set_slot(ws: &Ws, num: u64, slot: &[u32]) {
    use std::io::{Seek, SeekFrom, Write};
    let mut f = std::fs::OpenOptions::new().write(true).open(ws.file(".qunli/visits.csv.cases.2022")).unwrap();
    f.seek(SeekFrom::Start(32 * num)).unwrap();
    let bytes: Vec<u8> = slot.iter().flat_map(|w| w.to_le_bytes()).collect();
    f.write_all(&bytes).unwrap();
}

#[test]
fn an_append_finds_its_case_through_the_index_and_never_believes_it_blindly() {
    // Issue 16: an append reads the rows of its own case, from the case index.
    let ws = three_visits();
    let void = ["visit", "void", "V2022-0002", "--note", "登记错误", "--date", "2022-03-13"];
    assert_eq!(ws.run(&void).code, 0);
    let coverage = ws.read(".qunli/visits.csv.cases");
    assert!(coverage.starts_with("qunli-cases v1\n") && coverage.contains("to=5\n"), "{coverage}");
    let refused_void = |ws: &Ws| {
        let before = ws.read("visits.csv");
        let r = ws.run_owned(&repeat("V2022-0002", "2022-03-14"));
        assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains("V2022-0002 已作废"), "{}", r.stderr);
        assert_eq!(ws.read("visits.csv"), before);
    };
    refused_void(&ws);
    // The index damaged: a case said to have no rows, or a row of another
    // case; the append reads the whole ledger instead, and still refuses.
    set_slot(&ws, 2, &[0]);
    refused_void(&ws);
    set_slot(&ws, 2, &[1, 2]);
    refused_void(&ws);
    set_slot(&ws, 2, &[2, 3, 99]);
    refused_void(&ws);

    // A case with more rows than a slot holds is found all the same.
    for day in 14..24 {
        assert_eq!(ws.run_owned(&repeat("V2022-0001", &format!("2022-03-{day}"))).code, 0);
    }
    assert_eq!(ws.run(&["visit", "void", "V2022-0001", "--note", "重复登记", "--date", "2022-03-25"]).code, 0);
    let r = ws.run_owned(&repeat("V2022-0001", "2022-03-26"));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("V2022-0001 已作废"), "{}", r.stderr);

    // A row's case number changed by hand (same length): the history says so,
    // the index starts again, and the case is found where it now is.
    let text = ws.read("visits.csv").replacen("V2022-0003,2022-03-11", "V2022-0002,2022-03-11", 1);
    ws.write_raw("visits.csv", &text);
    assert!(history(&ws).1.contains(&h("H001", Some(4))));
    let r = ws.run_owned(&repeat("V2022-0003", "2022-03-26"));
    assert_eq!(r.code, 2, "a case with no rows left: {}", r.stderr);
    assert_eq!(ws.run(&["check", "--accept-history", "--fail-on", "never"]).code, 0);
    refused_void(&ws);
    assert_eq!(ws.run_owned(&repeat("V2022-0004", "2022-03-26")).code, 2);
}
