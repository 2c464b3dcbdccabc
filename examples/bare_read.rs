//! The floor for the benchmarks: a bare `csv::ByteRecord` read of a file,
//! counting records. `cargo run --release --example bare_read -- FILE`
fn main() {
    let path = std::env::args().nth(1).expect("FILE");
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_path(&path).expect("readable file");
    let mut record = csv::ByteRecord::new();
    let mut n = 0u64;
    while rdr.read_byte_record(&mut record).expect("csv") {
        n += 1;
    }
    println!("{n}");
}
