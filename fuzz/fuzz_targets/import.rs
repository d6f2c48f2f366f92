//! `faqbot import`'s readers on arbitrary bytes: the FAQ spreadsheet
//! (CSV: encodings, byte-order marks, quoting, separators, headers) and
//! labelled utterances (JSONL), each written as `intents.ron` as the
//! import writes it.
//!
//! Checks: no panic; an error names the file (`faq.csv:…`); what a reader
//! accepts is written as RON that reads back to the same intents and
//! loads as a knowledge base.
#![no_main]

use faqbot::import::{from_labelled, read_csv, read_jsonl, to_ron};
use faqbot::kb::ron_options;
use faqbot::schema::IntentDef;
use faqbot::KnowledgeBase;
use libfuzzer_sys::fuzz_target;
use std::path::{Path, PathBuf};

fn written_and_loaded(intents: &[IntentDef]) {
    if intents.is_empty() {
        return;
    }
    let ron = to_ron(intents, "imported\nby the fuzzer").expect("intents serialise");
    let back: Vec<IntentDef> = ron_options()
        .from_str(&ron)
        .unwrap_or_else(|e| panic!("the written RON does not read: {e}\n{ron}"));
    assert_eq!(
        back, intents,
        "the written RON reads back different intents"
    );
    let (kb, diags) = KnowledgeBase::parse(vec![(PathBuf::from("intents.ron"), ron.clone())]);
    assert!(kb.is_some(), "the import does not load: {diags:?}\n{ron}");
}

fuzz_target!(|data: &[u8]| {
    match read_csv(Path::new("faq.csv"), data) {
        Ok(sheet) => written_and_loaded(&sheet.intents),
        Err(e) => assert!(e.to_string().contains("faq.csv"), "{e}"),
    }
    match read_jsonl(Path::new("q.jsonl"), data) {
        Ok(rows) => written_and_loaded(&from_labelled(&rows)),
        Err(e) => assert!(e.to_string().contains("q.jsonl"), "{e}"),
    }
});
