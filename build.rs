//! Build script: the word index of the bundled lexicon
//! (`data/lexicon/english.lex`), computed here once instead of at every
//! start of the program (see `src/lexicon/table.rs`). The lexicon file
//! itself is not changed.

#[path = "src/lexicon/table.rs"]
#[allow(dead_code)]
mod table;

use std::path::PathBuf;

const LEXICON: &str = "data/lexicon/english.lex";

fn main() {
    println!("cargo:rerun-if-changed={LEXICON}");
    println!("cargo:rerun-if-changed=src/lexicon/table.rs");
    let bytes = std::fs::read(LEXICON).unwrap_or_else(|e| panic!("{LEXICON}: {e}"));
    // Header: magic (8 bytes), word count, vector count, dimensions, word
    // block length (u32 each), then the word block. A file that does not
    // fit gets an empty index; the program then finds no words and the
    // lexicon's tests fail.
    let header = |k: usize| table::u32_at(&bytes, k).map(|v| v as usize);
    let index = match (header(2), header(5)) {
        (Some(n), Some(len)) => match bytes.get(24..24 + len) {
            Some(block) if block.iter().filter(|&&b| b == b'\n').count() + 1 == n => {
                table::build(block, n)
            }
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR")).join("english.idx");
    std::fs::write(&out, index).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
}
