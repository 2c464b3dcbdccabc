//! Issue 12: `import` of an office's old registers — a real .xlsx made here,
//! numbering rows without a case number, never doubling a register, and a
//! GBK ledger converted by the advice `check` gives.

use super::common::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

/// An old register as an office keeps it in Excel: no 案号, dates as Excel dates.
fn old_register(path: &std::path::Path, bad_headcount: bool) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("2022年来访").unwrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let header = ["案号", "日期", "事件", "接待领导", "方式", "村社区", "来访人", "人数", "类别", "诉求", "备注"];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let rows = [
        (9, "登记", "张三", 1.0, "邻里纠纷", "噪音扰民"),
        (10, "登记", "李四", 2.0, "土地征用", "补偿款"),
        (11, "登记", "王五", 1.0, "其他", "路灯坏了"),
    ];
    for (i, (day, event, who, n, category, summary)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_datetime_with_format(r, 1, ExcelDateTime::from_ymd(2022, 3, *day).unwrap(), &date).unwrap();
        ws.write_string(r, 2, *event).unwrap();
        ws.write_string(r, 3, "管小波").unwrap();
        ws.write_string(r, 4, "公开接访").unwrap();
        ws.write_string(r, 5, "天灵村").unwrap();
        ws.write_string(r, 6, *who).unwrap();
        if bad_headcount && i == 2 {
            ws.write_string(r, 7, "一").unwrap();
        } else {
            ws.write_number(r, 7, *n).unwrap();
        }
        ws.write_string(r, 8, *category).unwrap();
        ws.write_string(r, 9, *summary).unwrap();
    }
    // A session, its date typed as text.
    ws.write_string(4, 1, "2022-03-22").unwrap();
    ws.write_string(4, 2, "接待").unwrap();
    ws.write_string(4, 3, "管小波").unwrap();
    ws.write_string(4, 4, "公开接访").unwrap();
    wb.save(path).unwrap();
}

#[test]
fn an_excel_register_is_imported_numbered_and_never_twice() {
    let ws = Ws::new(MINIMAL_TOML);
    assert_eq!(ws.run_owned(&visit_add("2022-03-01", "其他", "先登记的一件")).code, 0);
    let xlsx = ws.file("2022年来访登记.xlsx");

    // One bad cell: nothing is written, and the message names the Excel row.
    old_register(&xlsx, true);
    let before = ws.read("visits.csv");
    let r = ws.run(&["import", xlsx.to_str().unwrap(), "--into", "visits"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("2022年来访登记.xlsx:4: 人数"), "{}", r.stderr);
    assert_eq!(ws.read("visits.csv"), before);

    old_register(&xlsx, false);
    let r = ws.run(&["import", xlsx.to_str().unwrap(), "--into", "visits"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("导入 4 行") && r.stdout.contains("3 行没有案号，已按顺序编号"), "{}", r.stdout);
    let text = ws.read("visits.csv");
    for (case, date, who) in [
        ("V2022-0002", "2022-03-09", "张三"),
        ("V2022-0003", "2022-03-10", "李四"),
        ("V2022-0004", "2022-03-11", "王五"),
    ] {
        assert!(text.contains(&format!("{case},{date},登记,管小波,公开接访,天灵村,{who},")), "{text}");
    }
    assert!(text.contains(",2022-03-22,接待,管小波,公开接访,"), "{text}");
    let held = ws.run(&["report", "monthly", "--month", "2022-03", "--as-of", "2022-04-01", "--format", "json"]);
    assert!(held.stdout.contains("\"received\": 4"), "{}", held.stdout);

    // The same file again: refused, naming both lines; with --skip-existing, nothing doubles.
    let lines = text.lines().count();
    let r = ws.run(&["import", xlsx.to_str().unwrap(), "--into", "visits"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("2022年来访登记.xlsx:2: 与 visits.csv 第 3 行完全相同"), "{}", r.stderr);
    let r = ws.run(&["import", xlsx.to_str().unwrap(), "--into", "visits", "--skip-existing"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("4 行都已在"), "{}", r.stdout);
    assert_eq!(ws.read("visits.csv").lines().count(), lines);
    // A sheet by name, and a wrong one.
    let r = ws.run(&["import", xlsx.to_str().unwrap(), "--into", "visits", "--sheet", "2022年来方"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("你是不是要写“2022年来访”"), "{}", r.stderr);
}

#[test]
fn a_gbk_ledger_is_converted_by_the_advice_check_gives() {
    let ws = Ws::new(MINIMAL_TOML);
    let text = "案号,日期,事件,接待领导,方式,村社区,来访人,人数,类别,诉求,关联,细项,备注\n\
                V2022-0001,2022-03-09,登记,管小波,公开接访,天灵村,张三,1,其他,路灯坏了,,,\n";
    let (gbk, _, _) = encoding_rs::GB18030.encode(text);
    std::fs::write(ws.file("visits.csv"), &gbk).unwrap();
    let r = ws.run(&["check"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("qunli import --encoding gb18030"), "{}", r.stderr);
    // The advice, taken literally with the ledger itself as the file.
    let r = ws.run(&["import", "--encoding", "gb18030", ws.file("visits.csv").to_str().unwrap(), "--into", "visits"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("visits.csv.gb18030"), "{}", r.stdout);
    assert_eq!(std::fs::read(ws.file("visits.csv.gb18030")).unwrap(), gbk.to_vec(), "the original is kept");
    assert!(ws.read("visits.csv").contains("V2022-0001,2022-03-09,登记,管小波,公开接访,天灵村,张三,1,其他,路灯坏了"));
    let r = ws.run(&["check", "--format", "json"]);
    assert!(r.stderr.is_empty() && !r.stdout.contains("\"H00"), "{}{}", r.stdout, r.stderr);
}

#[test]
fn imported_cases_are_found_by_the_next_append() {
    // Issue 16: an import notes its rows in the case index in one go; a later
    // append about one of them finds all its rows there.
    let ws = Ws::new(MINIMAL_TOML);
    let mut csv = String::from("案号,日期,事件,接待领导,方式,村社区,来访人,人数,类别,诉求,关联,细项,备注\n");
    for i in 1..=12 {
        csv.push_str(&format!("V2022-{i:04},2022-03-09,登记,管小波,公开接访,天灵村,李四,1,其他,路灯,,,\n"));
    }
    csv.push_str("V2022-0005,2022-03-10,作废,,,,,,,,,,重复登记\n");
    let file = ws.file("old.csv");
    std::fs::write(&file, csv).unwrap();
    let r = ws.run(&["import", file.to_str().unwrap(), "--into", "visits"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(ws.read(".qunli/visits.csv.cases").contains("to=14\n"));
    let mut repeat = visit_add("2022-03-11", "其他", "再次反映");
    repeat.splice(2..2, ["--case".to_string(), "V2022-0005".to_string()]);
    let r = ws.run_owned(&repeat);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("V2022-0005 已作废"), "{}", r.stderr);
    repeat[3] = "V2022-0012".into();
    assert_eq!(ws.run_owned(&repeat).code, 0);
}
