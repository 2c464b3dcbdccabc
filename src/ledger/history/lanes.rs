//! The chain walked in four stretches side by side.
//!
//! A report walks the whole chain (SPEC §6.6), one SHA-256 after another.
//! Where the record keeps the whole link of lines 1024, 2048, … (`FILE.links`),
//! the ledger is cut at three of them into four stretches, each walked from
//! its kept link, their compressions side by side ([`sha_lanes`]). Each
//! stretch must end on the link the next one started from, after the lines
//! and at the byte the record says, and every line must agree with its
//! entry, as the walk of one line after another checks it. The first
//! stretch starts from the zero link, so when all agree every kept link
//! used is the true one, and the walk ends where one line after another
//! would: with the same position and findings. When anything differs the
//! caller walks again one line after another, which names what differs.

use super::{next_link, raw_agrees, Link, Position, Record, APPENDED, ENTRY, LINKS_EVERY};
use crate::ledger::files::FromStart;
use crate::ledger::sha_lanes::{self, State, IV, LANES};
use std::fs::File;
use std::io::{BufReader, Read, Take};

/// What four stretches that agree with the record found.
pub struct Agreed {
    pub pos: Position,
    /// The first line the record flags as not appended by qunli, and how many are.
    pub found: Option<(u64, u64)>,
}

/// Walks `file` (of `len` bytes) in stretches beside `record`, read by
/// position; `None` when the record keeps too few links for that, or when
/// anything differs.
pub fn walk(file: &File, len: u64, record: &Record) -> std::io::Result<Option<Agreed>> {
    walk_from(len, record, |start, stop| Reading::new(FromStart::at(file, start).take(stop - start)))
}

/// [`walk`] over a ledger's bytes held in memory (a town read whole, §11).
pub fn walk_bytes(bytes: &[u8], record: &Record) -> std::io::Result<Option<Agreed>> {
    walk_from(bytes.len() as u64, record, |start, stop| InMemory(&bytes[start as usize..stop as usize]))
}

/// [`walk`] with each stretch's bytes, from byte `start` to `stop`, read from `input(start, stop)`.
fn walk_from<S: Source>(len: u64, record: &Record, input: impl Fn(u64, u64) -> S) -> std::io::Result<Option<Agreed>> {
    let Some(mut lanes) = stretches(len, record, input) else { return Ok(None) };
    if !run(&mut lanes, record.count)? {
        return Ok(None);
    }
    // Each stretch but the last must end where the next began.
    for pair in lanes.windows(2) {
        let (this, next) = (&pair[0], &pair[1]);
        if this.pos.lines != next.first_line - 1 || this.pos.end != next.start || this.pos.last != next.from {
            return Ok(None);
        }
    }
    let last = lanes.last().expect("at least two stretches");
    if last.pos.lines < last.first_line {
        return Ok(None); // no line of its own: where the last line started is not known
    }
    let mut found: Option<(u64, u64)> = None;
    for lane in &lanes {
        if let Some((line, n)) = lane.found {
            let f = found.get_or_insert((line, 0));
            f.1 += n;
        }
    }
    Ok(Some(Agreed { pos: last.pos, found }))
}

/// The stretches: from line 0 and from three kept links near a quarter,
/// a half and three quarters of the recorded lines.
fn stretches<'f, S: Source>(len: u64, record: &'f Record, input: impl Fn(u64, u64) -> S) -> Option<Vec<Lane<'f, S>>> {
    let count = record.count;
    let mut starts: Vec<u64> =
        (1..LANES as u64).map(|i| i * count / LANES as u64 / LINKS_EVERY * LINKS_EVERY).collect();
    starts.retain(|&s| s > 0);
    starts.dedup();
    if starts.is_empty() {
        return None;
    }
    // (first line - 1, byte, link) where each starts: line 0 and each kept link.
    let mut from = vec![(0, 0, [0; 32])];
    for &line in &starts {
        from.push((line, record.line_end(line).ok()??, record.kept_link(line)?));
    }
    // Each reads up to where the next starts; the last to the end of the file.
    let mut lanes = Vec::with_capacity(from.len());
    for (i, &(line, start, link)) in from.iter().enumerate() {
        let stop = from.get(i + 1).map_or(len, |next| next.1);
        if stop < start || stop > len {
            return None;
        }
        lanes.push(Lane::new(input(start, stop), record, line, start, link));
    }
    Some(lanes)
}

/// Where a stretch's bytes come from.
trait Source {
    /// The next line, with its `\n`; `None` at the end (a last line
    /// without its `\n` is no line).
    fn next_line(&mut self) -> std::io::Result<Option<&[u8]>>;
}

/// Bytes a lane reads at a time: the four lanes' together stay in the core's cache.
const READ: usize = 32 * 1024;

/// A stretch read a piece at a time.
struct Reading<R> {
    input: R,
    /// Bytes read and not yet walked: `buf[at..filled]`.
    buf: Vec<u8>,
    at: usize,
    filled: usize,
}

impl<R: Read> Reading<R> {
    fn new(input: R) -> Self {
        Reading { input, buf: Vec::new(), at: 0, filled: 0 }
    }
}

impl<R: Read> Source for Reading<R> {
    fn next_line(&mut self) -> std::io::Result<Option<&[u8]>> {
        loop {
            if let Some(i) = memchr::memchr(b'\n', &self.buf[self.at..self.filled]) {
                let line = self.at..self.at + i + 1;
                self.at = line.end;
                return Ok(Some(&self.buf[line]));
            }
            // Keep the line begun, then read more after it.
            self.buf.copy_within(self.at..self.filled, 0);
            self.filled -= self.at;
            self.at = 0;
            if self.buf.len() - self.filled < READ / 2 {
                self.buf.resize((self.buf.len() * 2).max(READ), 0);
            }
            let n = self.input.read(&mut self.buf[self.filled..])?;
            if n == 0 {
                return Ok(None);
            }
            self.filled += n;
        }
    }
}

/// A stretch held in memory.
struct InMemory<'b>(&'b [u8]);

impl Source for InMemory<'_> {
    fn next_line(&mut self) -> std::io::Result<Option<&[u8]>> {
        let Some(i) = memchr::memchr(b'\n', self.0) else { return Ok(None) };
        let (line, rest) = self.0.split_at(i + 1);
        self.0 = rest;
        Ok(Some(line))
    }
}

/// One stretch of the chain, walked line after line.
struct Lane<'f, S> {
    source: S,
    /// The entries of the stretch's lines in the record.
    entries: BufReader<Take<FromStart<'f>>>,
    /// Where the stretch starts: its first line, byte and link.
    first_line: u64,
    start: u64,
    from: Link,
    /// Where the chain stands after the lines walked.
    pos: Position,
    found: Option<(u64, u64)>,
}

impl<'f, S: Source> Lane<'f, S> {
    fn new(source: S, record: &'f Record, line: u64, start: u64, from: Link) -> Self {
        let entries_from = ENTRY as u64 * (line + 1);
        let entries_len = (ENTRY as u64 * (record.count + 1)).saturating_sub(entries_from);
        Lane {
            source,
            entries: BufReader::with_capacity(
                16 * 1024,
                FromStart::at(record.entries.get_ref(), entries_from).take(entries_len),
            ),
            first_line: line + 1,
            start,
            from,
            pos: Position { lines: line, end: start, last: from, ..Position::default() },
            found: None,
        }
    }

    /// Moves on past a line of `len` bytes whose link is `link`, and
    /// compares it with its entry; false when they differ.
    fn walked(&mut self, len: usize, link: Link, recorded: u64) -> bool {
        self.pos = self.pos.after(len, link);
        if self.pos.lines > recorded {
            return true;
        }
        let mut raw = [0u8; ENTRY];
        if self.entries.read_exact(&mut raw).is_err() || !raw_agrees(&raw, self.pos.end, &self.pos.last) {
            return false;
        }
        if raw[12] != APPENDED {
            self.found.get_or_insert((self.pos.lines, 0)).1 += 1;
        }
        true
    }

    /// Pads the stretch's next line into `padded`, walking alone any line
    /// too long for it.
    fn next_padded(&mut self, padded: &mut Padded, recorded: u64) -> std::io::Result<Step> {
        while let Some(line) = self.source.next_line()? {
            let len = line.len();
            let Some(n) = sha_lanes::pad(&self.pos.last, line, &mut padded.blocks) else {
                let link = next_link(&self.pos.last, line);
                if !self.walked(len, link, recorded) {
                    return Ok(Step::Differs);
                }
                continue;
            };
            (padded.len, padded.n, padded.done) = (len, n, 0);
            return Ok(Step::Line);
        }
        Ok(Step::End)
    }
}

/// Blocks a line takes side by side with others at most (its link, its
/// bytes and the padding: lines up to 215 bytes); a longer one is walked alone.
const BLOCKS: usize = 4;

/// The block an idle lane compresses.
const ZERO: [u8; 64] = [0; 64];
/// A lane's line being walked: its link and bytes, padded into blocks.
struct Padded {
    blocks: [[u8; 64]; BLOCKS],
    len: usize,
    /// Its blocks, and those compressed.
    n: usize,
    done: usize,
}

/// What a lane's next line is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    /// Padded, to be walked.
    Line,
    /// None: the stretch is walked.
    End,
    /// A line walked alone differs from its entry.
    Differs,
}

/// Walks every lane to its end, a block of each at a time; false as soon
/// as a line differs from its entry.
fn run<S: Source>(lanes: &mut [Lane<S>], recorded: u64) -> std::io::Result<bool> {
    let mut padded: Vec<Padded> =
        lanes.iter().map(|_| Padded { blocks: [[0; 64]; BLOCKS], len: 0, n: 0, done: 0 }).collect();
    let mut states = [IV; LANES];
    let mut step = [Step::End; LANES];
    for (i, lane) in lanes.iter_mut().enumerate() {
        step[i] = lane.next_padded(&mut padded[i], recorded)?;
    }
    loop {
        if step.contains(&Step::Differs) {
            return Ok(false);
        }
        let busy = step.iter().filter(|&&s| s == Step::Line).count();
        if busy == 0 {
            return Ok(true);
        }
        if busy == 1 {
            // One left: its lines one after another, each in one call.
            let i = step.iter().position(|&s| s == Step::Line).unwrap_or(0);
            let (lane, p) = (&mut lanes[i], &mut padded[i]);
            while step[i] == Step::Line {
                sha_lanes::compress(&mut states[i], &p.blocks[p.done..p.n]);
                step[i] = line_walked(lane, p, &mut states[i], recorded)?;
            }
            continue;
        }
        let blocks =
            std::array::from_fn(|i| if step[i] == Step::Line { &padded[i].blocks[padded[i].done] } else { &ZERO });
        sha_lanes::compress4(&mut states, blocks);
        for (i, lane) in lanes.iter_mut().enumerate() {
            let p = &mut padded[i];
            if step[i] != Step::Line {
                continue;
            }
            p.done += 1;
            if p.done == p.n {
                step[i] = line_walked(lane, p, &mut states[i], recorded)?;
            }
        }
    }
}

/// The last block of a lane's line is compressed into `state`: the lane
/// moves past the line, compared with its entry, and pads its next.
fn line_walked<S: Source>(
    lane: &mut Lane<S>,
    padded: &mut Padded,
    state: &mut State,
    recorded: u64,
) -> std::io::Result<Step> {
    let link = sha_lanes::digest(state);
    *state = IV;
    if !lane.walked(padded.len, link, recorded) {
        return Ok(Step::Differs);
    }
    lane.next_padded(padded, recorded)
}

#[cfg(test)]
mod tests {
    use super::super::{accept, extend, links_path, load, Loaded, State, UndoRows, Walker};
    use super::*;
    use std::path::Path;

    /// A ledger of `lines` lines after its header, some longer than the
    /// blocks walked side by side, some short.
    fn ledger(lines: usize) -> Vec<u8> {
        let mut bytes = b"case,date,note\n".to_vec();
        for i in 0..lines {
            let note = "记".repeat(i * 7 % 90);
            bytes.extend_from_slice(format!("V2022-{i:04},2022-03-09,{note}\n").as_bytes());
        }
        bytes
    }

    /// Walks the ledger in `dir` every way — by position with stretches
    /// where they agree, from memory the same, and one line after another —
    /// and asserts all three end alike; that end (position and findings),
    /// and whether the stretches were used.
    fn both_ways(dir: &Path) -> (String, bool) {
        let path = dir.join("visits.csv");
        let file = File::open(&path).unwrap();
        let len = file.metadata().unwrap().len();
        let lanes = match load(dir, "visits.csv") {
            Loaded::Present(record) => walk(&file, len, &record).unwrap().is_some(),
            _ => false,
        };
        let fast = Walker::for_ledger(&path).walk_file(&file).unwrap();
        let slow = Walker::for_ledger(&path).walk(File::open(&path).unwrap()).unwrap();
        // From memory (a district's town): the same walk, by the same stretches.
        let bytes = std::fs::read(&path).unwrap();
        let whole = &bytes[..bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1)];
        let in_memory = match load(dir, "visits.csv") {
            Loaded::Present(record) => walk_bytes(whole, &record).unwrap().is_some(),
            _ => false,
        };
        assert_eq!(in_memory, lanes, "stretches from memory where they are by position");
        let held = Walker::for_ledger(&path).walk_bytes(whole);
        let end = |w: &crate::ledger::history::Walked| format!("{:?} {:?}", w.pos, w.issues);
        assert_eq!(end(&held), end(&slow));
        assert_eq!(end(&fast), end(&slow));
        (end(&slow), lanes)
    }

    fn recorded(lines: usize) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("visits.csv"), ledger(lines)).unwrap();
        accept(dir.path(), "visits.csv", "t0").unwrap();
        dir
    }

    /// Replaces the byte at `at` of the file at `path` with `b`.
    fn poke(path: &Path, at: usize, b: u8) {
        let mut bytes = std::fs::read(path).unwrap();
        bytes[at] = b;
        std::fs::write(path, bytes).unwrap();
    }

    #[test]
    fn a_recorded_ledger_is_walked_in_stretches_to_the_same_end() {
        let dir = recorded(5000);
        let (end, lanes) = both_ways(dir.path());
        assert!(lanes, "the record keeps links to start the stretches from");
        assert!(end.ends_with("[]"), "no findings: {end}");
    }

    #[test]
    fn whatever_differs_is_found_as_one_line_after_another_finds_it() {
        // A line changed in the third stretch: the walk falls back and names it.
        let dir = recorded(5000);
        let path = dir.path().join("visits.csv");
        let at = ledger(3000).len() - 5;
        poke(&path, at, b'X');
        let (end, lanes) = both_ways(dir.path());
        assert!(!lanes);
        assert!(end.contains("Edited"), "{end}");

        // A wrong kept link: no finding, but no stretches from it either.
        let dir = recorded(5000);
        let links = links_path(dir.path(), "visits.csv");
        poke(&links, 65 * 2 + 3, b'0' + (std::fs::read(&links).unwrap()[65 * 2 + 3] == b'0') as u8);
        let (end, lanes) = both_ways(dir.path());
        assert!(!lanes);
        assert!(end.ends_with("[]"), "{end}");

        // Lines missing at the end, and lines typed in after the record.
        let dir = recorded(5000);
        std::fs::write(dir.path().join("visits.csv"), ledger(4000)).unwrap();
        let (end, _) = both_ways(dir.path());
        assert!(end.contains("Missing"), "{end}");
        let dir = recorded(5000);
        std::fs::write(dir.path().join("visits.csv"), ledger(5003)).unwrap();
        let (end, lanes) = both_ways(dir.path());
        assert!(lanes, "lines past the record are walked by the last stretch");
        assert!(end.contains("Unrecorded"), "{end}");
    }

    #[test]
    fn lines_flagged_as_found_are_counted_in_every_stretch() {
        let dir = recorded(5000);
        let digests = dir.path().join(".qunli/visits.csv.digests");
        for line in [10, 2000, 4500] {
            poke(&digests, ENTRY * line + 12, b'?');
        }
        let (end, lanes) = both_ways(dir.path());
        assert!(lanes);
        assert!(end.contains("Unrecorded { line: 10, count: 3 }"), "{end}");
    }

    #[test]
    fn appends_keep_the_links_a_fresh_record_would() {
        // Recorded at 1000 lines, then appended to in three goes past 2048.
        let dir = recorded(999);
        let path = dir.path().join("visits.csv");
        let whole = ledger(2600);
        let mut have = ledger(999).len();
        for upto in [1500, 2100, 2600] {
            let next = ledger(upto).len();
            let file = File::open(&path).unwrap();
            let walked = Walker::for_ledger(&path).walk_file(&file).unwrap();
            let mut f = std::fs::OpenOptions::new().append(true).open(&path).unwrap();
            std::io::Write::write_all(&mut f, &whole[have..next]).unwrap();
            extend(dir.path(), "visits.csv", &walked, &whole[have..next], || None, &[], &UndoRows::Unknown).unwrap();
            have = next;
        }
        let appended = std::fs::read(links_path(dir.path(), "visits.csv")).unwrap();
        let fresh = recorded(2600);
        assert_eq!(appended, std::fs::read(links_path(fresh.path(), "visits.csv")).unwrap());
        assert_eq!(appended.len(), 65 * 3, "the first line and the links of lines 1024 and 2048");
        assert!(State::kept(&path).is_some());
    }
}
