//! `faqbot eval`'s labels through the real binary: an intent's id or its
//! title, and a file with no `"intent"` field at all.

use crate::support::{faqbot, fixture};
use serde_json::Value;

/// Imports `sheet` (a `tests/fixtures` path) into a temporary directory;
/// returns the directory (kept alive) and the knowledge base's path.
fn imported(sheet: &str) -> (tempfile::TempDir, String) {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path().join("kb").to_str().unwrap().to_string();
    let csv = fixture(sheet);
    let out = faqbot(&["import", csv.to_str().unwrap(), "--out", &kb], b"");
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    (tmp, kb)
}

/// `eval --json`'s figures, without the timings.
fn figures(kb: &str, file: &std::path::Path) -> Value {
    let out = faqbot(
        &["eval", "--json", "--intents", kb, file.to_str().unwrap()],
        b"",
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let mut v: Value = serde_json::from_str(&out.stdout).unwrap();
    for k in ["seconds", "utterances_per_second", "misses"] {
        v.as_object_mut().unwrap().remove(k);
    }
    v
}

/// An owner labels a test question with the row's question (trial 43:
/// `"Do I need a licence or experience to drive a boat?"`), not with the
/// id the import cut from it (`do_i_need_a_licence_or_experience_to_drive_a`):
/// on a trial sheet's labelled questions, titles (as written, lower case
/// without the question mark, or with spaces around) give the figures
/// the ids give.
#[test]
fn eval_takes_an_intents_title_as_its_label() {
    let (tmp, kb) = imported("trial-sheets/boathire/faq.csv");
    let list = faqbot(&["intents", "--json", "--intents", &kb], b"");
    let intents: Vec<Value> = serde_json::from_str(&list.stdout).unwrap();
    let title = |id: &str| {
        intents
            .iter()
            .find(|d| d["id"] == id)
            .and_then(|d| d["title"].as_str())
            .unwrap_or_else(|| panic!("no intent {id}"))
            .to_string()
    };
    let by_id = fixture("trial-sheets/boathire/questions.jsonl");
    let mut lines = Vec::new();
    for (n, line) in std::fs::read_to_string(&by_id)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
    {
        let mut v: Value = serde_json::from_str(line).unwrap();
        if let Some(id) = v["intent"].as_str() {
            let t = title(id);
            assert_ne!(
                t.to_lowercase(),
                id.replace('_', " "),
                "a title unlike its id"
            );
            v["intent"] = Value::from(match n % 3 {
                0 => t,
                1 => t.to_lowercase().trim_end_matches('?').to_string(),
                _ => format!("  {t} "),
            });
        }
        lines.push(v.to_string());
    }
    let by_title = tmp.path().join("titles.jsonl");
    std::fs::write(&by_title, lines.join("\n") + "\n").unwrap();
    let with_titles = figures(&kb, &by_title);
    assert_eq!(with_titles["unknown_labels"], Value::Array(vec![]));
    assert_eq!(with_titles["in_scope"], 30);
    assert_eq!(with_titles, figures(&kb, &by_id));
}

/// A title two intents share names neither: `eval` stops at its first
/// line and names both; an id still wins over a title.
#[test]
fn eval_stops_at_a_title_two_intents_share() {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path().join("kb");
    std::fs::create_dir_all(&kb).unwrap();
    std::fs::write(
        kb.join("faq.ron"),
        r#"[
    (id: "prices", title: "Prices", examples: ["how much is it"], answer: "£45 an hour."),
    (id: "boat_prices", title: "Prices?", examples: ["boat hire cost"], answer: "£45 an hour."),
    (id: "hours", title: "When are you open?", examples: ["opening hours"], answer: "10 to 6."),
]"#,
    )
    .unwrap();
    let kb = kb.to_str().unwrap();
    let file = tmp.path().join("q.jsonl");
    std::fs::write(
        &file,
        "{\"text\": \"what time do you open\", \"intent\": \"when are you open\"}\n\
         {\"text\": \"how much for a boat\", \"intent\": \"prices\"}\n\
         {\"text\": \"what does it cost\", \"intent\": \"PRICES\"}\n",
    )
    .unwrap();
    let out = faqbot(&["eval", "--intents", kb, file.to_str().unwrap()], b"");
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        !out.stdout.contains("labels naming no intent"),
        "{}",
        out.stdout
    );
    std::fs::write(
        &file,
        "{\"text\": \"what time do you open\", \"intent\": \"when are you open\"}\n\
         {\"text\": \"how much for a boat\", \"intent\": \"Prices!\"}\n",
    )
    .unwrap();
    let out = faqbot(&["eval", "--intents", kb, file.to_str().unwrap()], b"");
    assert_eq!(out.code, Some(2), "{}", out.stdout);
    assert!(
        out.stderr.contains("q.jsonl:2: the label \"Prices!\" is the title of 2 intents, `boat_prices` (\"Prices?\") and `prices` (\"Prices\")"),
        "{}",
        out.stderr
    );
}

/// A test file labelled under another name than `"intent"` (trial 43
/// wrote `"row"`) would count every line as out of scope, and its report,
/// recommended threshold included, would mean nothing: `eval` stops
/// (exit 2), names the fields it found and the one to rename when its
/// values name intents; a file with `"intent": null` lines is labelled.
#[test]
fn eval_stops_when_no_line_has_an_intent_field() {
    let tmp = tempfile::tempdir().unwrap();
    let other = tmp.path().join("rows.jsonl");
    std::fs::write(
        &other,
        "{\"text\": \"is there wifi\", \"row\": \"Do you have wifi\", \"note\": \"x\"}\n{\"text\": \"tell me a joke\", \"row\": null}\n",
    )
    .unwrap();
    let kb = fixture("authoring/clean");
    let kb = kb.to_str().unwrap();
    let out = faqbot(&["eval", "--intents", kb, other.to_str().unwrap()], b"");
    assert_eq!(out.code, Some(2), "{}", out.stdout);
    assert!(out.stdout.is_empty(), "no report: {}", out.stdout);
    // The fields in the JSON object's order, which serde_json may sort.
    assert!(
        out.stderr
            .contains("no line has an \"intent\" field (other fields: \"")
            && out.stderr.contains("\"row\"")
            && out.stderr.contains("\"note\""),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(
            "\"row\" names an intent (its id or title) on 1 of its 1 lines: rename it \"intent\""
        ),
        "{}",
        out.stderr
    );
    let labelled = tmp.path().join("labelled.jsonl");
    std::fs::write(
        &labelled,
        "{\"text\": \"tell me a joke\", \"intent\": null}\n",
    )
    .unwrap();
    let out = faqbot(&["eval", "--intents", kb, labelled.to_str().unwrap()], b"");
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(!out.stderr.contains("no line has"), "{}", out.stderr);
}
