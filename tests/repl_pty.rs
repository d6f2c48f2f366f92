//! The REPL in a pseudo-terminal (rexpect): every line typed ahead or
//! pasted is answered in order, and bare exit words end it. Cases live in
//! `tests/input/repl.ron`.

use rexpect::session::{spawn_command, PtySession};
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    #[serde(default)]
    typed: Vec<String>,
    #[serde(default)]
    paste: Vec<String>,
    expect: Vec<String>,
    #[serde(default)]
    ends: bool,
    /// When set, no line printed up to the last `expect` phrase may be
    /// wider than this (the pty reports no size, so the REPL wraps at 80).
    #[serde(default)]
    max_columns: Option<usize>,
}

/// `text` (as rexpect reads it) without terminal escape sequences (CSI
/// `ESC [ … final`, and two-byte `ESC x`), split into the lines a terminal
/// would show.
fn screen_lines(text: &str) -> Vec<String> {
    // rexpect hands over each byte as one char: decode the UTF-8 again.
    let text = if text.chars().all(|c| (c as u32) < 0x100) {
        let bytes: Vec<u8> = text.chars().map(|c| c as u32 as u8).collect();
        String::from_utf8_lossy(&bytes).into_owned()
    } else {
        text.to_string()
    };
    let mut plain = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            plain.push(c);
            continue;
        }
        if chars.next() == Some('[') {
            for f in chars.by_ref() {
                if ('\u{40}'..='\u{7e}').contains(&f) {
                    break;
                }
            }
        }
    }
    plain
        .split(['\n', '\r'])
        .map(|l| l.trim_end().to_string())
        .collect()
}

/// Generous: a limit for a hung REPL, not a speed requirement.
const TIMEOUT_MS: u64 = 30_000;

fn repl() -> PtySession {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_faqbot"));
    cmd.env("NO_COLOR", "1").env("TERM", "xterm");
    spawn_command(cmd, Some(TIMEOUT_MS)).expect("the REPL starts in a pty")
}

#[test]
fn pasted_and_typed_ahead_lines_are_each_answered_and_exit_words_end_the_repl() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/input/repl.ron");
    let text = std::fs::read_to_string(&path).unwrap();
    let cases: Vec<Case> = faqbot::kb::ron_options().from_str(&text).unwrap();
    assert!(!cases.is_empty());
    for case in cases {
        let mut p = repl();
        // Typed ahead: everything is sent before the first prompt shows.
        for line in &case.typed {
            p.send(&format!("{line}\r")).unwrap();
        }
        if !case.paste.is_empty() {
            p.exp_string("you> ").unwrap();
            p.send(&format!("\x1b[200~{}\x1b[201~\r", case.paste.join("\n")))
                .unwrap();
        }
        p.flush().unwrap();
        let mut shown = String::new();
        for want in &case.expect {
            match p.exp_string(want) {
                Ok(before) => {
                    shown.push_str(&before);
                    shown.push_str(want);
                }
                Err(e) => panic!("{}: {want:?} did not follow: {e}", case.name),
            }
        }
        if let Some(max) = case.max_columns {
            for line in screen_lines(&shown) {
                assert!(
                    line.chars().count() <= max,
                    "{}: a line wider than {max} columns:\n{line}",
                    case.name
                );
            }
        }
        if case.ends {
            if let Err(e) = p.exp_eof() {
                panic!("{}: the REPL did not end: {e}", case.name);
            }
        } else {
            p.send("/quit\r").unwrap();
            p.flush().unwrap();
            p.exp_eof().unwrap();
        }
    }
}
