//! JUnit XML for CI systems: `faqbot test --junit FILE`.
//!
//! One `<testsuite>` per test file (named by its path), one `<testcase>`
//! per case (named by its display name, `classname` the file path); a
//! failed case carries a `<failure>` whose message is the first broken
//! expectation and whose text is the whole failure as `faqbot test`
//! prints it. Written with `quick-junit` (the writer cargo-nextest uses).

use super::{CaseOutcome, Report};
use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};

/// The report as a JUnit XML document.
///
/// # Errors
/// Only if XML serialisation fails (it does not for valid UTF-8).
pub fn to_junit(report: &Report) -> Result<String, quick_junit::SerializeError> {
    let mut junit = quick_junit::Report::new("faqbot test");
    let mut suites: Vec<TestSuite> = Vec::new();
    for o in &report.outcomes {
        let name = o.file.display().to_string();
        if suites.last().is_none_or(|s| s.name.as_str() != name) {
            suites.push(TestSuite::new(name.clone()));
        }
        let suite = suites.last_mut().expect("a suite was just pushed");
        suite.add_test_case(case(o, &name));
    }
    junit.add_test_suites(suites);
    junit.to_string()
}

fn case(o: &CaseOutcome, file: &str) -> TestCase {
    let status = match &o.failure {
        None => TestCaseStatus::success(),
        Some(f) => {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_message(format!(
                "turn {}: {}",
                f.turn,
                f.problems.first().map_or("failed", String::as_str)
            ));
            s.set_type("conversation");
            let single = Report {
                outcomes: vec![o.clone()],
            };
            let text = single.to_string();
            // Without the "0 passed, 1 failed" summary line.
            let body = text.rsplit_once('\n').map_or(text.as_str(), |(b, _)| b);
            s.set_description(body.to_string());
            s
        }
    };
    let mut tc = TestCase::new(o.name.clone(), status);
    tc.set_classname(match o.line {
        Some(l) => format!("{file}:{l}"),
        None => file.to_string(),
    });
    tc
}
