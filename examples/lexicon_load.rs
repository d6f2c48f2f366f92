//! Load time and memory of the bundled English lexicon:
//! `cargo run --release --example lexicon_load`.
//! Prints the time of the first `lexicon::english()` (the parse) and the
//! resident memory before and after it (Linux: /proc/self/status).

fn rss_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let before = rss_kib();
    let t = std::time::Instant::now();
    let lex = faqbot::lexicon::english();
    let took = t.elapsed();
    let after = rss_kib();
    println!(
        "lexicon: {} words, {} vectors; first use {:.2} ms; RSS {:?} KiB -> {:?} KiB",
        lex.len(),
        lex.vector_count(),
        took.as_secs_f64() * 1e3,
        before,
        after
    );
    let t = std::time::Instant::now();
    let mut n = 0usize;
    for _ in 0..100 {
        for w in ["lately", "netflix", "journeys", "asdfgh", "the", "honking"] {
            n += usize::from(lex.is_everyday(w));
        }
    }
    println!(
        "600 lookups: {:.1} µs ({n} everyday)",
        t.elapsed().as_secs_f64() * 1e6
    );
}
