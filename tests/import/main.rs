//! `faqbot import`: JSONL and CSV sources, ids, quoting, determinism and
//! the round trip import → write → load → same intents.

use faqbot::import::{
    from_csv, from_jsonl, import_files, is_as_imported, read_csv, to_ron, write_dir, LeftOut,
    IMPORT_HASH, OUT_OF_SCOPE_ID,
};
use faqbot::schema::IntentKind;
use faqbot::{ErrorKind, KnowledgeBase};
use std::path::{Path, PathBuf};

mod contact;
mod csv;
mod faq_page;
mod force;
mod hours;
mod language;
mod location;
mod small_talk;
mod workbook;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("faqbot-import-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Asserts that a run ended with exit status 0, showing its stderr if not.
fn assert_succeeded(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `faqbot import SOURCE --out DIR`, for more arguments (`--force`,
/// `--small-talk`) and the run.
fn import_command(
    source: impl AsRef<std::ffi::OsStr>,
    dir: impl AsRef<std::ffi::OsStr>,
) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_faqbot"));
    c.arg("import").arg(source).arg("--out").arg(dir);
    c
}

/// `faqbot import SOURCE --out DIR` for the fixture `source`, into a
/// fresh scratch directory named after `name`, asserted to succeed: the
/// directory and the run.
fn import_fixture(source: &str, name: &str) -> (PathBuf, std::process::Output) {
    let dir = temp_dir(name);
    let out = import_command(fixture(source), &dir).output().unwrap();
    assert_succeeded(&out);
    (dir, out)
}

/// `faqbot --intents DIR`, for a subcommand or a chat to follow.
fn bot_in(dir: &Path) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_faqbot"));
    c.arg("--intents").arg(dir);
    c
}

/// Writes `csv` as a sheet beside a fresh output directory named after
/// `name` and runs `faqbot import SHEET --out DIR`: its output, the
/// directory and the sheet.
fn import_sheet(name: &str, csv: &str) -> (std::process::Output, PathBuf, PathBuf) {
    let dir = temp_dir(name);
    let sheet = dir.with_extension("csv");
    std::fs::write(&sheet, csv).unwrap();
    let out = import_command(&sheet, &dir).output().unwrap();
    (out, dir, sheet)
}

#[test]
fn jsonl_labels_become_intents_with_slugged_ids() {
    let path = fixture("labelled.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let intents = from_jsonl(&path, text.as_bytes()).unwrap();
    let ids: Vec<&str> = intents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["make_update", OUT_OF_SCOPE_ID, "setup_printer"]);
    let printer = &intents[2];
    assert_eq!(printer.title, "Setup Printer");
    // File order, exact duplicate dropped.
    assert_eq!(
        printer.examples,
        ["my printer does not print", "install a printer driver"]
    );
    assert!(
        printer.answer.contains("Setup Printer"),
        "{}",
        printer.answer
    );
    assert_eq!(printer.kind, IntentKind::Faq);
    assert_eq!(intents[1].kind, IntentKind::OutOfScope);
    assert_eq!(intents[1].examples, ["record my screen"]);
}

#[test]
fn malformed_input_is_an_error_naming_the_line() {
    let path = fixture("bad.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let err = from_jsonl(&path, text.as_bytes()).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Data { .. }));
    let msg = err.to_string();
    assert!(msg.contains("bad.jsonl:2:"), "{msg}");
    assert!(msg.contains("1 more"), "{msg}");

    let path = fixture("bad.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    // No row of it is finished: an error naming the first.
    let msg = from_csv(&path, text.as_bytes()).unwrap_err().to_string();
    assert!(
        msg.contains("bad.csv:2")
            && msg.contains("an answer without a question")
            && msg.contains("1 more"),
        "{msg}"
    );
}

#[test]
fn round_trip_and_deterministic_output() {
    let files = [fixture("labelled.jsonl"), fixture("faq.csv")];
    let intents = import_files(&files, None).unwrap();
    let dir = temp_dir("roundtrip");
    write_dir(&dir, &intents, "test", false).unwrap();
    let first = std::fs::read_to_string(dir.join("intents.ron")).unwrap();

    let kb = KnowledgeBase::load_dir(&dir).unwrap();
    let mut sorted = intents.clone();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(kb.intents, sorted, "import -> load gives the same intents");

    // A second import writes the same bytes; without --force it refuses.
    assert!(write_dir(&dir, &intents, "test", false).is_err());
    write_dir(&dir, &import_files(&files, None).unwrap(), "test", true).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.join("intents.ron")).unwrap(),
        first
    );
    // The file is to_ron's text and the line of its hash.
    let hash_line = first
        .lines()
        .find(|l| l.starts_with(IMPORT_HASH))
        .expect("an import-hash line");
    assert_eq!(
        first.replace(&format!("{hash_line}\n"), ""),
        to_ron(&intents, "test").unwrap()
    );
    assert_eq!(is_as_imported(&first), Some(true));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cli_imports_then_evaluates() {
    let dir = temp_dir("cli");
    let bin = env!("CARGO_BIN_EXE_faqbot");
    let out = import_command(fixture("labelled.jsonl"), &dir)
        .output()
        .unwrap();
    assert_succeeded(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("3 intents, 5 examples"), "{stdout}");
    // Labelled questions have no answers: the import says that it wrote
    // placeholders, where, and that `check` fails on them (trial 23).
    let file = dir.join("intents.ron");
    let want = format!(
        "note: 2 answers are placeholders (in {}: make_update, setup_printer): write them before going live",
        file.display()
    );
    assert!(stdout.contains(&want), "{stdout}");
    // The file's header says so too; a sheet's says its answers are its own
    // (tests/import/csv.rs).
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(
        written.contains("// The answers are placeholders (the source had none)"),
        "{written}"
    );
    let check = std::process::Command::new(bin)
        .args(["check", "--deny-warnings", "--format", "json", "--intents"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1), "{check:?}");
    let codes: Vec<String> = String::from_utf8_lossy(&check.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["code"].to_string())
        .filter(|c| c.contains("placeholder"))
        .collect();
    assert_eq!(codes.len(), 2, "{check:?}");
    // Once written, the note and the warning are gone.
    let text = std::fs::read_to_string(&file).unwrap();
    let written = text
        .lines()
        .map(
            |l| match l.trim_start().strip_prefix("answer: \"(Imported") {
                Some(_) => "        answer: \"Written by the team.\",".to_string(),
                None => l.to_string(),
            },
        )
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&file, written).unwrap();
    let check = std::process::Command::new(bin)
        .args(["check", "--format", "json", "--intents"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&check.stdout).contains("placeholder-answer"),
        "{check:?}"
    );

    let out = std::process::Command::new(bin)
        .args(["eval", "--json", "--intents"])
        .arg(&dir)
        .arg(fixture("labelled.jsonl"))
        .output()
        .unwrap();
    assert_succeeded(&out);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Every line is an example of its own intent.
    assert_eq!(report["accuracy"], 1.0);
    assert_eq!(report["lines"], 6);
    assert_eq!(report["out_of_scope"], 1);
    assert_eq!(report["sweep"].as_array().unwrap().len(), 101);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_closed_stdout_ends_import_quietly() {
    // `faqbot import … | head -1`: the reader goes away before the report
    // is printed; the command must not panic ("failed printing to stdout").
    use std::process::Stdio;
    let dir = temp_dir("closed-stdout");
    let mut child = import_command(fixture("bakery.csv"), &dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
