//! Conversation-test files (`faqbot test`, RON): read from a file as the
//! runner reads them, then run on the bundled knowledge base, and the
//! report written as JUnit XML.
//!
//! Checks: no panic; an error names the file; a file that reads runs.
#![no_main]

use faqbot::convtest::{junit::to_junit, load_file, run_case, Report};
use faqbot_fuzz::{engine, scratch_file};
use libfuzzer_sys::fuzz_target;

const MAX_CASES: usize = 16;

fuzz_target!(|data: &[u8]| {
    let path = scratch_file("convtest", "case.ron");
    std::fs::write(path, data).expect("the test file is written");
    match load_file(path) {
        Ok(file) => {
            // `run_case` one by one: `run_all` spreads the cases over
            // threads, which the fuzzer does not need.
            let outcomes = file
                .cases
                .iter()
                .take(MAX_CASES)
                .enumerate()
                .map(|(i, c)| run_case(engine(), path, file.lines.get(i).copied().flatten(), c))
                .collect();
            let report = Report { outcomes };
            let _ = report.to_string();
            let _ = to_junit(&report);
        }
        Err(e) => assert!(e.to_string().contains("case.ron"), "{e}"),
    }
});
