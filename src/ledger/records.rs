//! Cutting CSV bytes into records.
//!
//! A line with no quote in it is split on its commas, which is what a CSV
//! reader makes of it; a record with a quote goes through `csv-core`, the
//! state machine under the `csv` crate. So every record comes out exactly as
//! `csv` reads it (a property test holds the two side by side), at a
//! fraction of the cost for the plain lines a ledger is made of.
//!
//! The one difference is deliberate: a record's line is the line it starts
//! on, where `csv` would give the line after the previous record (they
//! differ when blank lines come between).

use memchr::memchr;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One record: its fields, and the line it starts on.
#[derive(Clone, Copy, Debug)]
pub struct Record<'a> {
    pub line: u64,
    /// It ended with its line break, not at the end of the bytes (where a
    /// quote never closed takes a record).
    pub terminated: bool,
    /// The bytes holding every field (for a plain line, with the commas).
    data: &'a [u8],
    /// Where each field lies in `data`.
    bounds: &'a [(usize, usize)],
}

impl<'a> Record<'a> {
    /// How many fields it has.
    pub fn len(&self) -> usize {
        self.bounds.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bounds.is_empty()
    }

    /// The field at `i`, as written (quotes removed).
    pub fn get(&self, i: usize) -> Option<&'a [u8]> {
        let data = self.data;
        self.bounds.get(i).map(|&(s, e)| &data[s..e])
    }

    pub fn iter(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        let data = self.data;
        self.bounds.iter().map(move |&(s, e)| &data[s..e])
    }

    /// All the field bytes: valid UTF-8 exactly when every field is, and
    /// holding a NUL exactly when a field does.
    pub fn bytes(&self) -> &'a [u8] {
        self.data
    }
}

/// The records of a buffer that ends at the end of a record.
pub struct Records<'b> {
    buf: &'b [u8],
    pos: usize,
    /// The line `buf[pos]` is on.
    line: u64,
    /// Made when a quoted record first needs it.
    core: Option<csv_core::Reader>,
    bounds: Vec<(usize, usize)>,
    out: Vec<u8>,
    ends: Vec<usize>,
}

/// The csv-core reader of a ledger: a record ends at LF (a CR before it
/// stays in the last field, where trimming removes it).
fn core_reader() -> csv_core::Reader {
    let mut core = csv_core::ReaderBuilder::new().terminator(csv_core::Terminator::Any(b'\n')).build();
    // A blank line first, so that it never takes a BOM later in the file
    // for the start of the file (csv-core drops a BOM only at its very start).
    let _ = core.read_record(b"\n", &mut [0; 1], &mut [0; 1]);
    core
}

impl<'b> Records<'b> {
    /// The records of `buf`, whose first byte is on `first_line`. A UTF-8
    /// BOM is dropped when `buf` is the start of a file (line 1, as `csv`
    /// does).
    pub fn new(buf: &'b [u8], first_line: u64) -> Self {
        let pos = if first_line == 1 && buf.starts_with(BOM) { BOM.len() } else { 0 };
        Records { buf, pos, line: first_line, core: None, bounds: Vec::new(), out: Vec::new(), ends: Vec::new() }
    }

    /// The line after the last record read.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The byte offset in the buffer after the last record read.
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// The next record, or `None` at the end of the buffer.
    #[allow(clippy::should_implement_trait)] // it lends from itself: not an Iterator
    pub fn next(&mut self) -> Option<Record<'_>> {
        loop {
            let rest = &self.buf[self.pos..];
            if rest.is_empty() {
                return None;
            }
            match split_plain_line(rest, &mut self.bounds) {
                Line::Ends(0) => {
                    // A blank line: no record, as in csv.
                    self.pos += 1;
                    self.line += 1;
                }
                Line::Ends(end) => {
                    let at = self.line;
                    self.pos += end + 1;
                    self.line += 1;
                    return Some(Record { line: at, terminated: true, data: &rest[..end], bounds: &self.bounds });
                }
                Line::Unended => {
                    // The last line of a buffer without its newline.
                    let at = self.line;
                    self.pos = self.buf.len();
                    return Some(Record { line: at, terminated: false, data: rest, bounds: &self.bounds });
                }
                Line::Quoted => return self.quoted(),
            }
        }
    }

    /// A record with a quote in its first line, read by csv-core.
    fn quoted(&mut self) -> Option<Record<'_>> {
        use csv_core::ReadRecordResult as R;
        let rest = &self.buf[self.pos..];
        if self.out.len() < 256 {
            self.out.resize(256, 0);
            self.ends.resize(32, 0);
        }
        let (mut nin, mut nout, mut nend) = (0, 0, 0);
        let mut at_end = false;
        loop {
            let core = self.core.get_or_insert_with(core_reader);
            let (res, i, o, e) = core.read_record(&rest[nin..], &mut self.out[nout..], &mut self.ends[nend..]);
            nin += i;
            nout += o;
            nend += e;
            match res {
                R::InputEmpty => at_end = true, // the next call, with no input, ends the record
                R::OutputFull => self.out.resize(self.out.len() * 2, 0),
                R::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                R::Record => break,
                R::End => {
                    self.pos = self.buf.len();
                    self.core = None;
                    return None;
                }
            }
        }
        if at_end {
            self.core = None; // it saw the end of input: start afresh
        }
        let at = self.line;
        self.line += super::reader::count_newlines(&rest[..nin]);
        self.pos += nin;
        self.bounds.clear();
        let mut start = 0;
        for &end in &self.ends[..nend] {
            self.bounds.push((start, end));
            start = end;
        }
        Some(Record { line: at, terminated: !at_end, data: &self.out[..nout], bounds: &self.bounds })
    }
}

/// What the start of a buffer holds.
enum Line {
    /// A line without quotes, ending at this newline.
    Ends(usize),
    /// A line without quotes or newline, to the end of the buffer.
    Unended,
    /// A quote before the end of the line.
    Quoted,
}

/// The commas, and the line breaks and quotes, of sixteen bytes: bit `i`
/// set where byte `i` is one. One vector compare each where SSE2 is there
/// (every x86-64 processor); a plain loop elsewhere.
#[inline(always)]
fn delimiters(chunk: &[u8; 16]) -> (u32, u32) {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    {
        use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8, _mm_set_epi64x};
        let half = |h: &[u8]| i64::from_le_bytes(h.try_into().unwrap_or([0; 8]));
        let (low, high) = (half(&chunk[..8]), half(&chunk[8..]));
        // SAFETY: these intrinsics need SSE2 and nothing else (no pointers);
        // this code is compiled only where SSE2 is enabled for the target.
        unsafe {
            let v = _mm_set_epi64x(high, low);
            let eq = |b: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8));
            let commas = _mm_movemask_epi8(eq(b',')) as u32;
            let stops = _mm_movemask_epi8(_mm_or_si128(eq(b'\n'), eq(b'"'))) as u32;
            (commas, stops)
        }
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    delimiters_one_by_one(chunk)
}

/// [`delimiters`], a byte at a time.
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2"), allow(dead_code))]
fn delimiters_one_by_one(chunk: &[u8; 16]) -> (u32, u32) {
    let mut masks = (0u32, 0u32);
    for (i, &b) in chunk.iter().enumerate() {
        masks.0 |= u32::from(b == b',') << i;
        masks.1 |= u32::from(b == b'\n' || b == b'"') << i;
    }
    masks
}

/// Finds the end of the first line of `rest` and, while it has no quote,
/// where its fields lie (between its commas). Sixteen bytes are looked at a
/// time: most of a ledger's lines are short runs of short fields.
#[inline]
fn split_plain_line(rest: &[u8], bounds: &mut Vec<(usize, usize)>) -> Line {
    bounds.clear();
    let mut start = 0;
    let mut push_commas = |base: usize, mut commas: u32, start: &mut usize| {
        while commas != 0 {
            let at = base + commas.trailing_zeros() as usize;
            bounds.push((*start, at));
            *start = at + 1;
            commas &= commas - 1;
        }
    };
    let mut chunks = rest.chunks_exact(16);
    let mut base = 0;
    for chunk in chunks.by_ref() {
        let chunk: &[u8; 16] = chunk.try_into().unwrap_or(&[0; 16]);
        let (commas, stops) = delimiters(chunk);
        if stops != 0 {
            let first = stops & stops.wrapping_neg();
            push_commas(base, commas & (first - 1), &mut start);
            let at = base + first.trailing_zeros() as usize;
            if rest[at] == b'"' {
                return Line::Quoted;
            }
            bounds.push((start, at));
            return Line::Ends(at);
        }
        push_commas(base, commas, &mut start);
        base += 16;
    }
    for (i, &b) in chunks.remainder().iter().enumerate() {
        let at = base + i;
        match b {
            b',' => {
                bounds.push((start, at));
                start = at + 1;
            }
            b'\n' => {
                bounds.push((start, at));
                return Line::Ends(at);
            }
            b'"' => return Line::Quoted,
            _ => {}
        }
    }
    bounds.push((start, rest.len()));
    Line::Unended
}

/// Where the last whole record of `buf` ends, for a buffer that starts at
/// the start of a record; `None` when no record ends in it.
pub fn last_record_end(buf: &[u8]) -> Option<usize> {
    if memchr(b'"', buf).is_none() {
        return memchr::memrchr(b'\n', buf).map(|i| i + 1);
    }
    // Quotes: walk the records, as a line break may lie inside a field.
    let mut records = Records::new(buf, 2);
    let mut end = None;
    while records.next().is_some_and(|r| r.terminated) {
        end = Some(records.pos);
    }
    // Blank lines after the last record are whole too.
    let blank = buf[end.unwrap_or(0)..].iter().take_while(|&&b| b == b'\n').count();
    match (end, blank) {
        (_, 0) => end,
        (e, n) => Some(e.unwrap_or(0) + n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Records as the csv crate reads them: (fields).
    fn by_csv(bytes: &[u8]) -> Vec<Vec<Vec<u8>>> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(bytes);
        let mut rec = csv::ByteRecord::new();
        let mut out = Vec::new();
        while rdr.read_byte_record(&mut rec).unwrap() {
            out.push(rec.iter().map(<[u8]>::to_vec).collect());
        }
        out
    }

    fn by_us(bytes: &[u8]) -> Vec<(u64, Vec<Vec<u8>>)> {
        let mut records = Records::new(bytes, 1);
        let mut out = Vec::new();
        while let Some(r) = records.next() {
            out.push((r.line, r.iter().map(<[u8]>::to_vec).collect()));
        }
        out
    }

    /// The line a record starts on: 1 + the newlines before its first byte
    /// (blank lines skipped).
    fn starts(bytes: &[u8]) -> Vec<u64> {
        by_us(bytes).into_iter().map(|(l, _)| l).collect()
    }

    #[test]
    fn plain_quoted_blank_and_bom() {
        let text = "\u{feff}a,b\n\nc,\"d\ne\",f\n\r\n\"x\"\"y\",z";
        let ours = by_us(text.as_bytes());
        let fields: Vec<_> = ours.iter().map(|(_, f)| f.clone()).collect();
        assert_eq!(fields, by_csv(text.as_bytes()));
        assert_eq!(starts(text.as_bytes()), vec![1, 3, 5, 6]);
        assert_eq!(fields[1][1], b"d\ne");
        assert_eq!(fields[3][0], b"x\"y");
    }

    #[test]
    fn cutting_at_whole_records() {
        assert_eq!(last_record_end(b"a,b\nc,d"), Some(4));
        assert_eq!(last_record_end(b"a,b\nc,\"d\ne"), Some(4));
        assert_eq!(last_record_end(b"a,\"b\nc\"\nd"), Some(8));
        assert_eq!(last_record_end(b"a,b"), None);
        assert_eq!(last_record_end(b"\"a\nb"), None);
    }

    fn csv_bytes() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(
            prop_oneof![
                Just(b','),
                Just(b'"'),
                Just(b'\n'),
                Just(b'\r'),
                Just(b'a'),
                Just(b' '),
                Just(0xEFu8),
                Just(0xE4),
                Just(0xAC),
                Just(0xBB)
            ],
            0..60,
        )
    }

    proptest! {
        #[test]
        fn vector_and_plain_delimiters_agree(chunk in proptest::array::uniform16(prop_oneof![
            Just(b','), Just(b'"'), Just(b'\n'), Just(b'a'), Just(0xAC), Just(0x8A), any::<u8>()
        ])) {
            prop_assert_eq!(delimiters(&chunk), delimiters_one_by_one(&chunk));
        }

        #[test]
        fn same_records_as_csv(bytes in csv_bytes()) {
            let ours: Vec<_> = by_us(&bytes).into_iter().map(|(_, f)| f).collect();
            prop_assert_eq!(ours, by_csv(&bytes));
        }

        #[test]
        fn cut_anywhere_and_read_on(bytes in csv_bytes(), cut in 0usize..60) {
            // Reading up to the last whole record of a prefix, then the rest,
            // gives the records of the whole.
            let cut = cut.min(bytes.len());
            let end = last_record_end(&bytes[..cut]).unwrap_or(0);
            let mut first = Records::new(&bytes[..end], 1);
            let mut seen = Vec::new();
            while let Some(r) = first.next() {
                seen.push((r.line, r.iter().map(<[u8]>::to_vec).collect::<Vec<_>>()));
            }
            let line = first.line();
            let mut second = Records::new(&bytes[end..], line);
            if end == 0 {
                second = Records::new(&bytes, 1);
            }
            while let Some(r) = second.next() {
                seen.push((r.line, r.iter().map(<[u8]>::to_vec).collect::<Vec<_>>()));
            }
            prop_assert_eq!(seen, by_us(&bytes));
        }
    }
}
