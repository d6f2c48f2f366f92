//! A small builder around the real `faqbot` executable.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path under `tests/fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// What a run printed and how it ended.
pub struct Output {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `faqbot ARGS` with `stdin` bytes piped in, from `dir`.
pub fn faqbot_in(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_faqbot"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("faqbot starts");
    let mut input = child.stdin.take().expect("stdin");
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().expect("faqbot runs");
    writer.join().expect("writer");
    Output {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `faqbot ARGS` from a neutral directory (the bundled intents must not
/// depend on the working directory).
pub fn faqbot(args: &[&str], stdin: &[u8]) -> Output {
    faqbot_in(&std::env::temp_dir(), args, stdin)
}

/// Parses each stdout line as JSON.
pub fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    out.stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// A path under `../shared/` (datasets and the seed beside the repository),
/// or `None` with a loud "SKIPPED" line on stderr when it is missing. With
/// `FAQBOT_REQUIRE_SHARED=1` (set by `.ci/run`) a missing file fails the
/// test instead.
pub fn shared_or_skip(rel: &str) -> Option<PathBuf> {
    let path = root().join("../shared").join(rel);
    if path.exists() {
        return Some(path);
    }
    let require = std::env::var("FAQBOT_REQUIRE_SHARED").is_ok_and(|v| v == "1");
    assert!(
        !require,
        "FAQBOT_REQUIRE_SHARED=1 but {} is missing",
        path.display()
    );
    // Straight to stderr: libtest captures eprintln! of passing tests.
    let _ = std::io::stderr().write_all(
        format!(
            "\nSKIPPED: {} is missing (a plain clone has no ../shared); \
             set FAQBOT_REQUIRE_SHARED=1 to make this a failure\n",
            path.display()
        )
        .as_bytes(),
    );
    None
}
