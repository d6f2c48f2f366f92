//! The command-line samples in README.md and docs/*.md, run against the
//! real binary with `trycmd`: every ```console block is a test, its `$ `
//! lines the commands, the rest their expected output (`[..]` matches any
//! text on a line, `...` any lines; `? 1` an exit code other than 0).
//!
//! After a deliberate change of output (e.g. new confidences), re-bless
//! the samples with `TRYCMD=overwrite cargo test --test doc_samples`
//! and review the diff.

#[test]
fn cli_samples_in_the_docs_match_the_binary() {
    trycmd::TestCases::new()
        .register_bin("faqbot", trycmd::cargo::cargo_bin!("faqbot"))
        .env("NO_COLOR", "1")
        .env("FAQBOT_HISTORY", "")
        .case("README.md")
        .case("docs/*.md");
}
