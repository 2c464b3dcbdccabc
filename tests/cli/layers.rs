//! Issue 16: the modules form one-way layers (cli → cmd → render → report →
//! rules → ledger → workspace → config → codes/calendar/period/lang/error).
//! Read from the sources: a module may name only modules below it.

use std::collections::BTreeSet;

/// The layer of each top-level module; a module may use lower layers only
/// (or its own, for the pairs that are one layer: cli/cmd, error/lang).
fn layer(module: &str) -> Option<u32> {
    Some(match module {
        "error" | "lang" | "codes" | "calendar" | "period" | "labeled_enum" | "help_zh" => 0,
        "config" => 1,
        "workspace" => 2,
        "ledger" => 3,
        "rules" => 4,
        "report" => 5,
        "district" => 6,
        "render" => 7,
        "prompt" => 8,
        "cmd" | "cli" => 9,
        _ => return None,
    })
}

#[test]
fn every_module_uses_only_the_layers_below_it() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = BTreeSet::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
            let top = rel.split('/').next().unwrap().trim_end_matches(".rs").to_string();
            if top == "lib" || top == "main" {
                continue;
            }
            let Some(own) = layer(&top) else { panic!("src/{rel}: module `{top}` has no layer in this test") };
            let text = std::fs::read_to_string(&path).unwrap();
            for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
                for used in line.split("crate::").skip(1) {
                    let name: String = used.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
                    if name == top {
                        continue;
                    }
                    // The bottom layer's helpers use one another; cli and cmd are one layer.
                    let same_ok = |a: &str, b: &str| matches!((a, b), ("cli", "cmd") | ("cmd", "cli")) || own == 0;
                    match layer(&name) {
                        None => {}
                        Some(l) if l < own => {}
                        Some(l) if l == own && same_ok(&top, &name) => {}
                        Some(_) => {
                            wrong.insert(format!("src/{rel}: {top} uses {name}, not a layer below it"));
                        }
                    }
                }
            }
        }
    }
    assert!(wrong.is_empty(), "uses against the layers:\n{}", wrong.into_iter().collect::<Vec<_>>().join("\n"));
}
