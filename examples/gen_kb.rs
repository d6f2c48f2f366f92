//! Writes a synthetic knowledge base of N intents, for measuring
//! `faqbot check` (and the matcher) at scale:
//!
//! ```text
//! cargo run --release --example gen_kb -- 10000 /tmp/kb10k
//! time target/release/faqbot check --intents /tmp/kb10k --format json > /dev/null
//! ```
//!
//! Each intent is about one made-up product word (unique per intent),
//! phrased with a few of 40 common verbs and 400 shared qualifier words:
//! 8 examples, 3 keywords, a title and a follow-up; every tenth has a
//! pattern. 100 intents per file. The output is deterministic.

use std::fmt::Write as _;
use std::path::PathBuf;

const VERBS: [&str; 40] = [
    "reset", "change", "update", "delete", "install", "connect", "pair", "charge", "open", "close",
    "lock", "unlock", "find", "share", "export", "import", "renew", "cancel", "order", "return",
    "replace", "repair", "clean", "register", "activate", "disable", "enable", "upgrade",
    "download", "upload", "sync", "book", "pay", "refund", "track", "rename", "move", "copy",
    "print", "scan",
];
const TEMPLATES: [&str; 8] = [
    "how do I {v} my {n}",
    "{n} {q} not working",
    "can I {v} the {n} {q}",
    "{v} {n}",
    "where is the {q} {n}",
    "problem with the {q} {n} after I {w} it",
    "what is a {n}",
    "{n} {q} {w} help",
];
const SYLLABLES: [&str; 24] = [
    "ka", "lo", "mi", "ru", "te", "zo", "pa", "ni", "vu", "se", "do", "fi", "ga", "hu", "je", "bo",
    "ri", "ta", "ne", "xo", "ly", "we", "qu", "sa",
];

/// A deterministic pseudo-word for `n` (distinct for distinct `n`).
fn word(mut n: usize, prefix: &str) -> String {
    let mut w = String::from(prefix);
    loop {
        w.push_str(SYLLABLES[n % SYLLABLES.len()]);
        n /= SYLLABLES.len();
        if n == 0 {
            break;
        }
    }
    w
}

/// The knowledge base of `n` intents as `(file name, RON text)` pairs,
/// 100 intents per file.
pub fn generate(n: usize) -> Vec<(String, String)> {
    let quals: Vec<String> = (0..400).map(|i| word(i, "q")).collect();
    let mut files = Vec::new();
    let mut file = String::from("[\n");
    for i in 0..n {
        let noun = word(i, "n");
        let v = VERBS[i % VERBS.len()];
        let w = VERBS[(i * 7 + 3) % VERBS.len()];
        let q = &quals[(i * 13) % quals.len()];
        let examples: Vec<String> = TEMPLATES
            .iter()
            .map(|t| {
                let e = t
                    .replace("{v}", v)
                    .replace("{w}", w)
                    .replace("{n}", &noun)
                    .replace("{q}", q);
                format!("{e:?}")
            })
            .collect();
        let pattern = if i % 10 == 0 {
            format!("\n        patterns: [r\"\\b{noun}\\b\"],")
        } else {
            String::new()
        };
        let _ = write!(
            file,
            "    (\n        id: \"intent_{i}\",\n        title: \"How do I {v} the {noun}?\",\n        examples: [{}],\n        keywords: [(word: \"{noun}\", weight: 2.0), \"{q} {noun}\", \"{v}\"],{pattern}\n        answer: \"To {v} the {noun}, open Settings.\",\n        follow_ups: [\"intent_{}\"],\n        popularity: {},\n    ),\n",
            examples.join(", "),
            (i + 1) % n,
            (i * 37) % 1000
        );
        if (i + 1) % 100 == 0 || i + 1 == n {
            file.push_str("]\n");
            files.push((
                format!("intents_{:05}.ron", i / 100),
                std::mem::take(&mut file),
            ));
            file = String::from("[\n");
        }
    }
    files
}

#[allow(dead_code)] // also compiled into benches/check.rs, which has its own main
fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "/tmp/kb10k".into()));
    std::fs::create_dir_all(&dir).expect("create the output directory");
    for (name, text) in generate(n) {
        std::fs::write(dir.join(name), text).expect("write a file");
    }
    eprintln!("wrote {n} intents to {}", dir.display());
}
