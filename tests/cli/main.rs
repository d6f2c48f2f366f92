//! Integration tests of the `faqbot` binary and the library's loading
//! rules, in one test binary.

mod commands;
mod eval;
mod kb_errors;
mod pipe;
mod reply_fields;
mod support;
