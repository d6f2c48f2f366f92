//! Integration tests of the authoring tools, driving the real binary:
//! `faqbot check`, `faqbot test`, `faqbot explain`, `--log` and
//! `faqbot misses`, on the small knowledge bases under
//! `tests/fixtures/authoring/`.

mod check;
mod explain;
mod misses;
mod misses_by_entry;
mod support;
mod test_cmd;
mod why_words;
