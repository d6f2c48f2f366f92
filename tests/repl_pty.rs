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
        for want in &case.expect {
            if let Err(e) = p.exp_string(want) {
                panic!("{}: {want:?} did not follow: {e}", case.name);
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
