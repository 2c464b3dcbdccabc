//! Workbooks, e-mail, calendars, completions: read back what is produced.

use super::common::*;
use calamine::{Data, Reader, Xlsx};

#[test]
fn monthly_email_parses_with_subject_and_both_parts() {
    let r = on_data(&["report", "monthly", "--month", "2022-03", "--as-of", "2022-04-01", "--format", "email"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let msg = mail_parser::MessageParser::default().parse(r.stdout.as_bytes()).unwrap();
    assert_eq!(msg.subject(), Some("群力镇 2022年3月 接访下访月报：5项不合规"));
    assert!(msg.message_id().is_some() && msg.date().is_some());
    assert_eq!(msg.from().unwrap().first().unwrap().address(), Some("dangzhengban@example.org"));
    let text = msg.body_text(0).unwrap();
    assert!(text.contains("领导接访与阅批") && text.contains("管小波"), "{text}");
    let html = msg.body_html(0).unwrap();
    assert!(html.contains("<table>") && html.contains("<th>姓名</th>"), "{html}");
}

#[test]
fn email_addresses_from_flags_and_all_compliant_subject() {
    let ws = Ws::new(MINIMAL_TOML);
    let r = ws.run(&["schedule", "check", "--month", "2022-03", "--format", "email"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--mail-from"), "{}", r.stderr);
    let r = ws.run(&[
        "schedule",
        "check",
        "--month",
        "2022-03",
        "--format",
        "email",
        "--mail-from",
        "a@example.org",
        "--mail-to",
        "b@example.org",
        "--mail-to",
        "c@example.org",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let msg = mail_parser::MessageParser::default().parse(r.stdout.as_bytes()).unwrap();
    assert_eq!(msg.to().unwrap().iter().count(), 2);
    assert!(msg.subject().unwrap().ends_with("：全部合规"), "{:?}", msg.subject());
}

#[test]
fn workbook_has_sheets_numbers_percentages_and_text() {
    let ws = Ws::empty();
    let out = ws.file("月报.xlsx");
    let r = on_data(&[
        "report",
        "monthly",
        "--month",
        "2022-03",
        "--as-of",
        "2022-04-01",
        "--format",
        "xlsx",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    let mut wb: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let names = wb.sheet_names();
    assert_eq!(names[0], "概要");
    assert!(names.iter().any(|n| n == "领导接访与阅批"), "{names:?}");
    let summary = wb.worksheet_range("概要").unwrap();
    assert_eq!(summary.get_value((0, 0)), Some(&Data::String("群力镇 2022年3月 接访下访月报".into())));
    assert!(matches!(summary.get_value((2, 0)), Some(Data::String(s)) if s.starts_with("结论：【不合格】")));
    let leaders = wb.worksheet_range("领导接访与阅批").unwrap();
    assert_eq!(leaders.get_value((1, 0)), Some(&Data::String("管小波".into())));
    assert_eq!(leaders.get_value((1, 2)), Some(&Data::Float(2.0)));
    // Whole sheet names: the title up to its bracket.
    assert!(names.iter().all(|n| n.chars().count() <= 31), "{names:?}");
    let visits = wb.worksheet_range("接访事项").unwrap();
    assert!(matches!(visits.get_value((3, 1)), Some(Data::Float(x)) if (x - 0.7273).abs() < 1e-4));
    // The 台账校验码 of the sample, as the JSON report gives it.
    let json = on_data(&["report", "monthly", "--month", "2022-03", "--as-of", "2022-04-01", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let head = v["ledgers"]["visits"]["head"].as_str().unwrap();
    let texts: Vec<String> = summary
        .rows()
        .flatten()
        .filter_map(|c| match c {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    assert!(texts.iter().any(|t| t == "台账校验码："), "{texts:?}");
    assert!(
        texts.iter().any(|t| *t == format!("visits.csv {}行 {head}", v["ledgers"]["visits"]["lines"])),
        "{texts:?}"
    );
    // The key figures are the JSON's.
    let figure = |label: &str| -> Option<Data> {
        let rows: Vec<Vec<Data>> = summary.rows().map(|r| r.to_vec()).collect();
        rows.iter().find(|r| r.first() == Some(&Data::String(label.into()))).and_then(|r| r.get(1).cloned())
    };
    assert_eq!(figure("本月受理"), Some(Data::Float(v["visits"]["received"].as_f64().unwrap())));
    assert_eq!(figure("本月化解率"), Some(Data::Float(v["visits"]["resolution_rate"].as_f64().unwrap())));
    assert_eq!(figure("全部超期事项"), Some(Data::Float(v["overdue"].as_array().unwrap().len() as f64)));
    // A native chart of sessions held against required, drawn from the figures beside it.
    let charts = wb.worksheet_range("图表").unwrap();
    for (i, leader) in v["leaders"].as_array().unwrap().iter().enumerate() {
        let row = i as u32 + 1;
        assert_eq!(charts.get_value((row, 0)), Some(&Data::String(leader["name"].as_str().unwrap().into())));
        assert_eq!(charts.get_value((row, 1)), Some(&Data::Float(leader["held"].as_f64().unwrap())));
    }
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut chart = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/charts/chart1.xml").unwrap(), &mut chart).unwrap();
    assert!(
        chart.contains("<c:barChart>") && chart.contains("实际接访") && chart.contains("图表!$B$2:$B$11"),
        "{chart}"
    );
    // Printable as it is: A4 landscape, one page wide, the header row repeated, page numbers.
    let mut sheet = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet2.xml").unwrap(), &mut sheet).unwrap();
    assert!(sheet.contains("paperSize=\"9\"") && sheet.contains("orientation=\"landscape\""), "{sheet}");
    assert!(sheet.contains("fitToWidth=\"1\"") || sheet.contains("fitToPage=\"1\""), "{sheet}");
    assert!(sheet.contains("&amp;P") && sheet.contains("&amp;N"), "{sheet}");
    let mut book = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/workbook.xml").unwrap(), &mut book).unwrap();
    assert!(book.contains("_xlnm.Print_Titles"), "{book}");
}

#[test]
fn a_self_contained_page_with_its_charts() {
    let r = on_data(&["report", "monthly", "--month", "2022-03", "--as-of", "2022-04-01", "--format", "html"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let page = &r.stdout;
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("@page{size:A4 landscape"), "{page}");
    assert!(!page.contains("<link") && !page.contains("<script") && !page.contains("src=\"http"), "self-contained");
    assert!(page.contains("<svg") && page.contains("各位领导本月接访"), "a chart, inline");
    let json = on_data(&["report", "monthly", "--month", "2022-03", "--as-of", "2022-04-01", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    // Read as a browser would: each table row, first cell to second.
    let doc = scraper::Html::parse_document(page);
    let tr = scraper::Selector::parse("tr").unwrap();
    let td = scraper::Selector::parse("td").unwrap();
    let rows: Vec<Vec<String>> =
        doc.select(&tr).map(|r| r.select(&td).map(|c| c.text().collect::<String>()).collect()).collect();
    let figure = |label: &str| rows.iter().find(|r| r.first().is_some_and(|c| c == label)).map(|r| r[1].clone());
    assert_eq!(figure("受理"), Some(v["visits"]["received"].to_string()), "the figures of the JSON");
    assert_eq!(figure("化解"), Some(v["visits"]["resolved"].to_string()));
    let leader = &v["leaders"][0];
    let row = rows.iter().find(|r| r.first().is_some_and(|c| c == leader["name"].as_str().unwrap())).unwrap();
    assert_eq!(row[3], leader["held"].to_string(), "{row:?}");
    let svg = scraper::Selector::parse("div.chart > svg").unwrap();
    assert_eq!(doc.select(&svg).count(), 1, "one chart, inline");
    assert!(page.contains(v["ledgers"]["visits"]["head"].as_str().unwrap()));
    // The annual review: its month-by-month line chart.
    let r = on_data(&["report", "annual", "--as-of", "2022-12-31", "--format", "html"]);
    assert!(r.stdout.contains("各月化解率与目标") && r.stdout.contains("<svg"), "{}", r.stderr);
    // The e-mail's HTML part is the page.
    let r = on_data(&["report", "monthly", "--month", "2022-03", "--as-of", "2022-04-01", "--format", "email"]);
    let message = mail_parser::MessageParser::default().parse(r.stdout.as_bytes()).unwrap();
    let html = message.body_html(0).unwrap();
    assert!(html.contains("<svg") && html.contains("@page{size:A4 landscape"));
}

/// The texts of a Word document's part, in order.
fn word_texts(docx: &std::path::Path, part: &str) -> Vec<String> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(part).unwrap(), &mut xml).unwrap();
    xml.split("<w:t").skip(1).filter_map(|t| Some(t.split_once('>')?.1.split_once("</w:t>")?.0.to_string())).collect()
}

/// The pictures of a Word document.
fn word_pictures(docx: &std::path::Path) -> Vec<Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
    let names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.to_string()))
        .filter(|n| n.starts_with("word/media/") && n.ends_with(".png"))
        .collect();
    names
        .iter()
        .map(|n| {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut zip.by_name(n).unwrap(), &mut bytes).unwrap();
            bytes
        })
        .collect()
}

#[test]
fn a_word_document_for_the_meeting() {
    let ws = Ws::empty();
    let out = ws.file("月报.docx");
    let args = ["report", "monthly", "--month", "2022-03", "--as-of", "2022-04-01"];
    let r = on_data(&[&args[..], &["--format", "docx", "--output", out.to_str().unwrap()]].concat());
    assert_eq!(r.code, 1, "{}", r.stderr);
    let json = on_data(&[&args[..], &["--format", "json"]].concat());
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let texts = word_texts(&out, "word/document.xml");
    assert_eq!(texts[0], "群力镇 2022年3月 接访下访月报");
    assert!(texts[1].starts_with("结论：【不合格】"), "{texts:?}");
    // The key figures are the JSON's.
    let after = |label: &str| texts.iter().position(|t| t == label).map(|i| texts[i + 1].clone());
    assert_eq!(after("本月受理"), Some(v["visits"]["received"].to_string()));
    assert_eq!(after("本月化解"), Some(v["visits"]["resolved"].to_string()));
    let leader = &v["leaders"][0];
    let at = texts.iter().position(|t| t == leader["name"].as_str().unwrap()).unwrap();
    assert_eq!(texts[at + 3], leader["held"].to_string(), "{:?}", &texts[at..at + 8]);
    // Its chart as a picture, its 台账校验码, page numbers in the footer.
    let pictures = word_pictures(&out);
    assert_eq!(pictures.len(), 1);
    assert!(pictures[0].starts_with(b"\x89PNG"));
    let head = v["ledgers"]["visits"]["head"].as_str().unwrap();
    assert!(texts.iter().any(|t| t.contains("台账校验码")), "{texts:?}");
    assert!(
        texts.iter().any(|t| *t == format!("  visits.csv {}行 {head}", v["ledgers"]["visits"]["lines"])),
        "{texts:?}"
    );
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut footer = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/footer1.xml").unwrap(), &mut footer).unwrap();
    assert!(footer.contains("PAGE") && footer.contains("NUMPAGES"), "{footer}");
    // In English when asked.
    let out_en = ws.file("monthly.docx");
    let r = on_data(&[&args[..], &["--lang", "en", "--format", "docx", "--output", out_en.to_str().unwrap()]].concat());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(word_texts(&out_en, "word/document.xml")[1].starts_with("Verdict: FAIL"));
}

#[test]
fn word_documents_of_the_year_and_of_the_villages() {
    let ws = Ws::empty();
    let out = ws.file("年报.docx");
    let r =
        on_data(&["report", "annual", "--as-of", "2022-12-31", "--format", "docx", "--output", out.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let json = on_data(&["report", "annual", "--as-of", "2022-12-31", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(word_pictures(&out).len(), 2, "the months against the target, the village scores");
    let texts = word_texts(&out, "word/document.xml");
    // The year's assessment, in rank order, with the JSON's scores.
    let from = texts.iter().position(|t| t == "村（社区）全年考核").unwrap();
    for village in v["village_scores"].as_array().unwrap() {
        let at = from + texts[from..].iter().position(|t| t == village["name"].as_str().unwrap()).unwrap();
        assert_eq!(texts[at + 5], format!("{:.1}", village["score"].as_f64().unwrap()), "{:?}", &texts[at..at + 7]);
    }
    // The months as the JSON gives them.
    let march = texts.iter().position(|t| t == "2022-03").unwrap();
    assert_eq!(texts[march + 1], v["months"][2]["received"].to_string());

    let out = ws.file("考核.docx");
    let r = on_data(&[
        "report",
        "villages",
        "--month",
        "2022-03",
        "--as-of",
        "2022-04-01",
        "--format",
        "docx",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(word_pictures(&out).len(), 1, "the ranking");
    let texts = word_texts(&out, "word/document.xml");
    assert!(texts[0].starts_with("群力镇 村（社区）干部接访下访工作考核"));
    assert!(texts.iter().any(|t| t == "约谈"));
}

#[test]
fn formula_like_text_stays_text() {
    let ws = Ws::new(MINIMAL_TOML);
    let r = ws.run_owned(&visit_add("2022-03-09", "其他", "=HYPERLINK(\"http://x\",\"点我\")"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = ws.run(&["visit", "list", "--format", "csv"]);
    assert!(r.stdout.contains("'=HYPERLINK"), "{}", r.stdout);
    let out = ws.file("list.xlsx");
    let r = ws.run(&["visit", "list", "--format", "xlsx", "--output", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut wb: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let sheet = wb.sheet_names()[1].clone();
    let range = wb.worksheet_range(&sheet).unwrap();
    let formulas = wb.worksheet_formula(&sheet).unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no formula in the workbook");
    assert!(range.used_cells().any(|(_, _, v)| *v == Data::String("=HYPERLINK(\"http://x\",\"点我\")".into())));
    assert!(range.used_cells().any(|(_, _, v)| matches!(v, Data::DateTime(_))), "dates as dates");
}

#[test]
fn xlsx_refuses_a_terminal_only_when_one_is_there() {
    // Standard output here is a pipe, so the workbook's bytes are written to it.
    let r = on_data(&["schedule", "show", "--format", "xlsx"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("PK"));
}

#[test]
fn ics_has_every_reception_day() {
    let r = on_data(&["schedule", "export", "--format", "ics"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.matches("BEGIN:VEVENT").count(), 143);
    assert!(r.stdout.contains("SUMMARY:管小波 接待群众日"));
    assert!(r.stdout.contains("DTSTART;VALUE=DATE:20220114\r\n") && r.stdout.contains("DTEND;VALUE=DATE:20220115\r\n"));
    assert!(r.stdout.contains("LOCATION:潼南区群力镇"));
    let again = on_data(&["schedule", "export", "--format", "ics"]);
    assert_eq!(r.stdout, again.stdout, "stable UIDs and stamps");
    let one = on_data(&["schedule", "export", "--leader", "李军"]);
    assert_eq!(one.stdout.matches("BEGIN:VEVENT").count(), 11);
}

#[test]
fn completions_and_man_page() {
    let ws = Ws::empty();
    for shell in ["bash", "zsh", "fish"] {
        let r = qunli_in(ws.path(), &["completions", shell]);
        assert_eq!(r.code, 0);
        assert!(r.stdout.contains("qunli") && r.stdout.contains("schedule"), "{shell}");
    }
    let r = qunli_in(ws.path(), &["man"]);
    assert!(r.stdout.starts_with(".TH QUNLI 1"), "{}", r.stdout);
    for section in [".SH 名称", ".SH 概要", ".SH 全局选项", ".SH 命令", ".SH 退出状态", ".SH 文件", ".SH 环境变量"]
    {
        assert!(r.stdout.contains(section), "{section}");
    }
    assert!(r.stdout.contains("qunli visit undo") && !r.stdout.contains("qunli-check(1)"));
    let r = qunli_in(ws.path(), &["--lang", "en", "man"]);
    for section in [".SH NAME", ".SH EXIT STATUS", ".SH FILES", ".SH ENVIRONMENT"] {
        assert!(r.stdout.contains(section), "{section}");
    }
    // A workspace's leaders and villages, and the values of --mode, are completed.
    let ws = Ws::new(MINIMAL_TOML);
    let r = ws.run(&["completions", "bash"]);
    assert!(r.stdout.contains("管小波") && r.stdout.contains("天灵村") && r.stdout.contains("case_visit"));
}

#[test]
fn output_never_overwrites_a_ledger() {
    let ws = Ws::new(MINIMAL_TOML);
    ws.write("visits.csv", "case,date,event,leader,mode,village,visitors,headcount,category,summary,ref,detail,note\n");
    let before = ws.read("visits.csv");
    let target = ws.file("visits.csv");
    let r = ws.run(&["schedule", "show", "--format", "csv", "--output", target.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("就是工作区文件"), "{}", r.stderr);
    assert_eq!(ws.read("visits.csv"), before);

    // Nor through another name: a symbolic link, a hard link, a link to the history record.
    let elsewhere = Ws::empty();
    let soft = elsewhere.file("report.csv");
    std::os::unix::fs::symlink(ws.file("visits.csv"), &soft).unwrap();
    let hard = elsewhere.file("hard.csv");
    std::fs::hard_link(ws.file("visits.csv"), &hard).unwrap();
    let record = elsewhere.file("record.txt");
    std::os::unix::fs::symlink(ws.file(".qunli/visits.csv.digests"), &record).unwrap();
    let digests = std::fs::read(ws.file(".qunli/visits.csv.digests")).unwrap();
    for out in [&soft, &hard, &record] {
        let r = ws.run(&["report", "monthly", "--month", "2022-03", "--output", out.to_str().unwrap()]);
        assert_eq!(r.code, 2, "{}: {}", out.display(), r.stderr);
        assert!(r.stderr.contains("就是工作区文件"), "{}", r.stderr);
    }
    assert_eq!(ws.read("visits.csv"), before);
    assert_eq!(std::fs::read(ws.file(".qunli/visits.csv.digests")).unwrap(), digests);

    // A link to anything else is replaced by the report, never followed.
    let other = elsewhere.file("other.txt");
    std::fs::write(&other, "keep").unwrap();
    let link = elsewhere.file("link.csv");
    std::os::unix::fs::symlink(&other, &link).unwrap();
    let r = ws.run(&["schedule", "show", "--format", "csv", "--output", link.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "keep");
    assert!(std::fs::read_to_string(&link).unwrap().contains("管小波"));
}

#[test]
fn outputs_with_names_are_owner_only_and_no_temporary_file_is_left() {
    use std::os::unix::fs::PermissionsExt;
    let ws = Ws::new(MINIMAL_TOML);
    assert_eq!(ws.run_owned(&visit_add("2022-03-09", "其他", "路灯")).code, 0);
    let out = Ws::empty();
    let names = out.file("names.csv");
    let r = ws.run(&["visit", "list", "--show-names", "--format", "csv", "--output", names.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(std::fs::read_to_string(&names).unwrap().contains("张三"));
    assert_eq!(std::fs::metadata(&names).unwrap().permissions().mode() & 0o777, 0o600);
    for entry in std::fs::read_dir(ws.file(".qunli")).unwrap() {
        let path = entry.unwrap().path();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", path.display());
    }
    let report = out.file("report.txt");
    assert_eq!(ws.run(&["report", "monthly", "--month", "2022-03", "--output", report.to_str().unwrap()]).code, 1);
    let left: Vec<_> = std::fs::read_dir(out.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left.len(), 2, "{left:?}");
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let plain = on_data(&["schedule", "check", "--month", "2022-05"]);
    assert!(!plain.stdout.contains('\u{1b}'), "no colour into a pipe");
    let forced = on_data(&["schedule", "check", "--month", "2022-05", "--color", "always"]);
    assert!(forced.stdout.contains('\u{1b}'), "{}", forced.stdout);
}
