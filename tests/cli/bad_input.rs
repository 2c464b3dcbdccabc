//! The bad-input corpus of tests/bad: each file gives exactly its expected messages.

use super::common::*;
use std::path::Path;

#[test]
fn every_bad_file_gives_its_exact_messages() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad");
    let toml = std::fs::read_to_string(dir.join("qunli.toml")).unwrap();
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "csv") {
            continue;
        }
        n += 1;
        let ws = Ws::new(&toml);
        std::fs::copy(&path, ws.file("visits.csv")).unwrap();
        let r = ws.run(&["check"]);
        let expected = std::fs::read_to_string(path.with_extension("expected")).unwrap();
        let got: Vec<&str> = r.stderr.lines().filter(|l| l.starts_with("visits.csv:")).collect();
        let want: Vec<&str> = expected.lines().collect();
        assert_eq!(got, want, "{}", path.display());
        let expected_code = if want.is_empty() { 1 } else { 2 };
        assert_eq!(r.code, expected_code, "{}: {}", path.display(), r.stderr);
        // Appending to a bad ledger never makes it worse, and never panics.
        let before = std::fs::read(ws.file("visits.csv")).unwrap();
        let r = ws.run(&["visit", "session", "--leader", "管小波", "--mode", "public", "--date", "2022-03-09"]);
        if r.code != 0 {
            assert_eq!(r.code, 2);
            assert_eq!(std::fs::read(ws.file("visits.csv")).unwrap(), before, "{}", path.display());
        }
    }
    assert!(n >= 14, "the corpus has {n} files");
}
