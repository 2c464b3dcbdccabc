//! Any bytes as any ledger: reading and folding must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qunli::ledger::{Book, LedgerKind};

fuzz_target!(|data: &[u8]| {
    let settings = qunli::config::parse(
        "township = \"t\"\nyear = 2022\nvillages = [\"天灵村\"]\n[[leaders]]\nname = \"管小波\"\nrole = \"principal\"\n",
        "qunli.toml",
    )
    .expect("valid settings");
    for kind in LedgerKind::ALL {
        let _ = Book::from_bytes(&settings, data, *kind, &mut Vec::new());
    }
});
