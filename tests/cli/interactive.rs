//! Issue 13: registering at a terminal, through a real pseudo-terminal: the
//! questions in Chinese, choice lists filtered as one types, a wrong answer
//! asked again at once, the date defaulting to today, the row confirmed
//! before it is written, and Esc leaving with nothing written.

use super::common::*;
use rexpect::session::PtySession;

const ENTER: &str = "\r";
const ESC: &str = "\x1b";

/// `qunli --dir WS ARGS…` in a pseudo-terminal.
fn at_terminal(ws: &Ws, args: &str) -> PtySession {
    let cmd = format!("{} --dir {} {args}", env!("CARGO_BIN_EXE_qunli"), ws.path().display());
    let mut command = std::process::Command::new("sh");
    command.args(["-c", &cmd]).env_remove("LANG").env_remove("QUNLI_LANG").env("NO_COLOR", "1");
    rexpect::session::spawn_command(command, Some(10_000)).expect("a pseudo-terminal")
}

/// Waits for `text` on the terminal (rexpect reads the terminal's bytes one
/// char each, so the UTF-8 of Chinese text is looked for byte by byte).
fn sees(p: &mut PtySession, text: &str) {
    let bytes: String = text.bytes().map(char::from).collect();
    if let Err(e) = p.exp_string(&bytes) {
        panic!("waiting for {text:?}: {e}");
    }
}

fn typed(p: &mut PtySession, keys: &str) {
    p.send(keys).unwrap();
    p.flush().unwrap();
}

#[test]
fn a_visit_is_registered_by_answering_questions() {
    let ws = Ws::new(MINIMAL_TOML);
    let mut p = at_terminal(&ws, "visit add --date 2022-03-09");
    sees(&mut p, "领导");
    typed(&mut p, "奚"); // the list filters as one types
    sees(&mut p, "奚航");
    typed(&mut p, ENTER);
    sees(&mut p, "方式");
    typed(&mut p, ENTER); // the first: public 公开接访
    sees(&mut p, "村社区");
    typed(&mut p, "牵牛");
    typed(&mut p, ENTER);
    sees(&mut p, "来访人");
    typed(&mut p, "张三");
    typed(&mut p, ENTER);
    sees(&mut p, "人数");
    // A wrong answer is asked again at once, not after the last question.
    typed(&mut p, "一");
    typed(&mut p, ENTER);
    sees(&mut p, "1 到 100000 之间的整数");
    for _ in 0..3 {
        typed(&mut p, "\x7f");
    }
    typed(&mut p, "2");
    typed(&mut p, ENTER);
    sees(&mut p, "类别");
    typed(&mut p, "其他");
    typed(&mut p, ENTER);
    sees(&mut p, "诉求");
    typed(&mut p, "路灯坏了");
    typed(&mut p, ENTER);
    sees(&mut p, "确认写入吗");
    typed(&mut p, "y");
    typed(&mut p, ENTER);
    sees(&mut p, "V2022-0001");
    p.exp_eof().unwrap();
    assert!(ws.read("visits.csv").contains("V2022-0001,2022-03-09,登记,奚航,公开接访,牵牛村,张三,2,其他,路灯坏了"));
}

#[test]
fn the_case_comes_first_and_esc_leaves_with_nothing_written() {
    let ws = Ws::new(MINIMAL_TOML);
    assert_eq!(ws.run_owned(&visit_add("2022-03-09", "其他", "路灯")).code, 0);
    let before = ws.read("visits.csv");
    let mut p = at_terminal(&ws, "visit resolve");
    sees(&mut p, "案号");
    typed(&mut p, "V2022-00O1"); // a letter O for a zero: asked again
    typed(&mut p, ENTER);
    sees(&mut p, "请填写案号");
    typed(&mut p, ESC);
    sees(&mut p, "已取消，什么都没有写入");
    p.exp_eof().unwrap();
    assert_eq!(ws.read("visits.csv"), before);
}

#[test]
fn a_workbook_or_document_is_never_poured_onto_the_terminal() {
    let ws = Ws::new(MINIMAL_TOML);
    for (format, says) in [("xlsx", "--output 文件名.xlsx"), ("docx", "--output 文件名.docx")] {
        let mut p = at_terminal(&ws, &format!("schedule show --format {format}; echo status=$?"));
        sees(&mut p, says);
        sees(&mut p, "status=2");
        p.exp_eof().unwrap();
    }
}
