//! What the 台账校验码 of SPEC §6.6 costs at the least, for the §9 figures:
//! a ledger read into memory, then timed on one thread — one SHA-256 over
//! all its bytes as a stream (the cheapest anchor SHA-256 allows), the
//! chain's compressions one line after another (its head, as every report
//! computes it), and in four stretches side by side, each line padded and
//! compressed in step with the others (what `history::lanes` does, without
//! comparing the record).
//! `cargo run --release --example anchor_floor -- LEDGER`
use qunli::ledger::history::next_link;
use qunli::ledger::sha_lanes::{self, IV, LANES};
use sha2::{Digest, Sha256};
use std::time::Instant;

fn main() -> std::io::Result<()> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "data/visits.csv".into());
    let bytes = std::fs::read(&path)?;
    let lines: Vec<&[u8]> = bytes.split_inclusive(|&b| b == b'\n').filter(|l| l.ends_with(b"\n")).collect();
    println!("{path}: {} lines, {} MB", lines.len(), bytes.len() >> 20);

    let t = Instant::now();
    let stream = Sha256::digest(&bytes);
    println!("one SHA-256 over the bytes:      {:>7.1} ms  ({:02x?}…)", ms(t), &stream[..4]);

    let t = Instant::now();
    let head = lines.iter().fold([0u8; 32], |link, line| next_link(&link, line));
    println!("the chain, line after line:      {:>7.1} ms  (head {:02x?}…)", ms(t), &head[..4]);

    // Four stretches of a quarter each, a line of each at a time; a line
    // too long for four blocks is compressed alone.
    let t = Instant::now();
    let quarter = lines.len() / LANES;
    let mut links = [[0u8; 32]; LANES];
    let mut blocks = [[[0u8; 64]; 4]; LANES];
    for i in 0..quarter {
        let mut used = [0usize; LANES];
        for lane in 0..LANES {
            let line = lines[lane * quarter + i];
            match sha_lanes::pad(&links[lane], line, &mut blocks[lane]) {
                Some(n) => used[lane] = n,
                None => links[lane] = next_link(&links[lane], line),
            }
        }
        let mut states = [IV; LANES];
        for step in 0..used.iter().copied().max().unwrap_or(0) {
            // A lane whose line has fewer blocks compresses its last again; its state is not used.
            let mut done = states;
            sha_lanes::compress4(&mut done, std::array::from_fn(|l| &blocks[l][step.min(used[l].max(1) - 1)]));
            for l in 0..LANES {
                if step < used[l] {
                    states[l] = done[l];
                }
            }
        }
        for l in 0..LANES {
            if used[l] > 0 {
                links[l] = sha_lanes::digest(&states[l]);
            }
        }
    }
    println!("the chain, four stretches:       {:>7.1} ms  ({} lines in step)", ms(t), quarter * LANES);
    Ok(())
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}
