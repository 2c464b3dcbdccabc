//! The second floor for the benchmarks: the history chain of SPEC §6.6
//! alone (SHA-256 over every line, one after another, beside the ledger's
//! record in `.qunli/`), which every report walks to print its 台账校验码.
//! `cargo run --release --example chain_floor -- LEDGER`
use qunli::ledger::history::Walker;

fn main() -> std::io::Result<()> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "data/visits.csv".into());
    let file = std::fs::File::open(&path)?;
    let walked = Walker::for_ledger(std::path::Path::new(&path)).walk_file(&file)?;
    println!("{} lines, head {}, {} findings", walked.pos.lines, walked.pos.anchor().head(), walked.issues.len());
    Ok(())
}
