//! The unanswered-questions log as `faqbot misses` reads it (JSON lines,
//! written by the server and the REPL, maybe cut off or edited), its
//! utterances grouped on the bundled knowledge base; and the masking of
//! personal data that every logged utterance goes through.
//!
//! Checks: no panic; an entry read survives JSON; masking is idempotent
//! (a masked text has nothing left to mask).
#![no_main]

use faqbot::misses::mask::mask_pii;
use faqbot::misses::{group, read_log, LogEntry};
use faqbot_fuzz::{engine, scratch_file};
use libfuzzer_sys::fuzz_target;

/// Most utterances grouped per input (grouping compares every pair).
const MAX_GROUPED: usize = 32;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let masked = mask_pii(&text);
    assert_eq!(mask_pii(&masked), masked, "masking twice changes {text:?}");
    let path = scratch_file("misses", "unanswered.jsonl");
    std::fs::write(path, data).expect("the log is written");
    let (entries, _skipped) = read_log(path).expect("the log reads");
    for e in &entries {
        let json = serde_json::to_string(e).expect("an entry serialises");
        let back: LogEntry = serde_json::from_str(&json).expect("an entry reads back");
        assert_eq!(&back, e);
    }
    let utterances: Vec<String> = entries
        .into_iter()
        .take(MAX_GROUPED)
        .map(|e| e.utterance)
        .collect();
    let _ = group(engine(), &utterances, 0.5);
});
