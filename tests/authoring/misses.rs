//! The unanswered log (`--log FILE`) and `faqbot misses`.

use crate::support::{arg, faqbot, fixture, scratch};

const CONVERSATION: &str = "\
wifi password
where can I get gift wrapping, mail me at jo.doe@example.com
can I get gift wrapping online
gift wrapping for my sister, call +44 20 7946 0958
do you do gift wrapping
is there parking nearby
parking near the cafe
my customer number is 12345678, where is my order
";

/// A scratch directory `name` and the unanswered log of [`CONVERSATION`]
/// played statelessly on the clean fixture, written in it.
fn logged(name: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = scratch(name);
    let log = dir.join("misses.jsonl");
    let run = faqbot(
        &[
            "--intents",
            &fixture("clean"),
            "--stateless",
            "--log",
            arg(&log),
        ],
        CONVERSATION,
    );
    assert_eq!(run.code, 0, "{run:?}");
    (dir, log)
}

/// `faqbot misses --json --intents <clean fixture> LOG`.
fn misses_json(log: &std::path::Path) -> crate::support::Run {
    faqbot(
        &["misses", "--json", "--intents", &fixture("clean"), arg(log)],
        "",
    )
}

#[test]
fn log_masks_personal_data_and_keeps_only_unanswered_turns() {
    let dir = scratch("log");
    let log = dir.join("misses.jsonl");
    let run = faqbot(
        &[
            "--intents",
            &fixture("clean"),
            "--json",
            "--stateless",
            "--log",
            arg(&log),
        ],
        CONVERSATION,
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout.lines().count(), 8, "one reply per line");
    let text = std::fs::read_to_string(&log).expect("the log is written");
    let entries: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let utterances: Vec<&str> = entries
        .iter()
        .map(|e| e["utterance"].as_str().unwrap())
        .collect();
    // The answered first turn is not logged; the other seven are.
    assert_eq!(utterances.len(), 7, "{text}");
    assert!(!utterances.contains(&"wifi password"));
    assert!(
        utterances.contains(&"where can I get gift wrapping, mail me at <email>"),
        "{text}"
    );
    assert!(
        utterances.contains(&"gift wrapping for my sister, call <phone>"),
        "{text}"
    );
    assert!(
        utterances.contains(&"my customer number is <number>, where is my order"),
        "{text}"
    );
    assert!(!text.contains("jo.doe") && !text.contains("7946") && !text.contains("12345678"));
    for e in &entries {
        assert!(e["time"].as_str().unwrap().ends_with('Z'), "{e}");
        assert!(["fallback", "clarify", "handoff"].contains(&e["kind"].as_str().unwrap()));
        assert!(e["candidates"].is_array());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn misses_groups_by_similarity_largest_first() {
    let (dir, log) = logged("misses");
    let run = faqbot(&["misses", "--intents", &fixture("clean"), arg(&log)], "");
    assert_eq!(run.code, 0, "{run:?}");
    let out = &run.stdout;
    assert!(out.starts_with("7 unanswered turns in "), "{out}");
    let first = out.split("\n\n").nth(1).expect("a first group");
    assert!(first.starts_with("1. 4 turns, 4 distinct"), "{out}");
    assert!(first.contains("gift wrapping"), "{out}");
    let second = out.split("\n\n").nth(2).expect("a second group");
    assert!(second.starts_with("2. 2 turns, 2 distinct"), "{out}");
    assert!(second.contains("parking"), "{out}");

    let run = misses_json(&log);
    let groups: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    let counts: Vec<u64> = groups
        .iter()
        .map(|g| g["count"].as_u64().unwrap())
        .collect();
    assert_eq!(counts.iter().sum::<u64>(), 7);
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");

    // Two instances' logs are grouped as one: the same turns twice.
    let again = dir.join("misses-2.jsonl");
    std::fs::copy(&log, &again).unwrap();
    let run = faqbot(
        &[
            "misses",
            "--intents",
            &fixture("clean"),
            arg(&log),
            arg(&again),
        ],
        "",
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.starts_with("14 unanswered turns in "),
        "{}",
        run.stdout
    );
    let first = run.stdout.split("\n\n").nth(1).expect("a first group");
    assert!(
        first.starts_with("1. 8 turns, 4 distinct"),
        "{}",
        run.stdout
    );
    // A missing file is an error that names it.
    let gone = dir.join("nope.jsonl");
    let run = faqbot(
        &[
            "misses",
            "--intents",
            &fixture("clean"),
            arg(&log),
            arg(&gone),
        ],
        "",
    );
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("nope.jsonl"), "{run:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_log_in_a_missing_directory_is_reported_once_and_the_bot_keeps_answering() {
    let run = faqbot(
        &[
            "--intents",
            &fixture("clean"),
            "--json",
            "--log",
            "/nonexistent-faqbot-dir/sub/misses.jsonl",
        ],
        "zzz\nqqq\nwifi password\nxxx\n",
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout.lines().count(), 4, "{run:?}");
    assert!(run
        .stdout
        .lines()
        .nth(2)
        .unwrap()
        .contains("\"intent\":\"wifi\""));
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(warnings[0].contains("cannot open"), "{}", run.stderr);
}

#[test]
fn a_full_disk_is_reported_once_and_the_bot_keeps_answering() {
    // /dev/full accepts the open and fails every write with "no space left".
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    let run = faqbot(
        &[
            "--intents",
            &fixture("clean"),
            "--json",
            "--log",
            "/dev/full",
        ],
        "zzz\nqqq\nwifi password\nxxx\n",
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout.lines().count(), 4, "{run:?}");
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(warnings[0].contains("cannot write"), "{}", run.stderr);
}

/// A customer's own request for a person is no miss: not logged, and
/// left out of `faqbot misses` when an older log has it; a handoff after
/// repeated fallbacks still is one. A group the current knowledge base
/// answers says so and is listed last, apart (trial 20, finding 10).
#[test]
fn misses_leave_out_requests_for_a_person_and_mark_groups_answered_now() {
    let dir = scratch("misses-now");
    let log = dir.join("misses.jsonl");
    let run = faqbot(
        &["--intents", &fixture("clean"), "--log", arg(&log)],
        "talk to a human\nparking near the cafe\nis there parking nearby\n",
    );
    assert_eq!(run.code, 0, "{run:?}");
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(!text.contains("talk to a human"), "{text}");
    // The second miss in a row is the handoff: still logged.
    assert!(
        text.contains(r#""kind":"handoff","route":"ranked","utterance":"is there parking nearby""#),
        "{text}"
    );
    // An older log: the request for a person, and a question the current
    // knowledge base answers (it fell back when it was logged).
    let old = dir.join("old.jsonl");
    std::fs::write(
        &old,
        format!(
            "{text}{}\n{}\n",
            r#"{"time":"2026-12-05T08:43:03Z","kind":"handoff","route":"ranked","utterance":"talk to a human","candidates":[]}"#,
            r#"{"time":"2026-12-05T08:43:04Z","kind":"fallback","route":"ranked","utterance":"what is the wifi password","candidates":[]}"#
        ),
    )
    .unwrap();
    let run = faqbot(&["misses", "--intents", &fixture("clean"), arg(&old)], "");
    assert_eq!(run.code, 0, "{run:?}");
    let out = &run.stdout;
    assert!(
        out.starts_with("3 unanswered turns in ")
            && out.lines().next().unwrap().ends_with(
                "groups; 1 group is answered now (listed last); 1 request for a person left out (not misses)"
            ),
        "{out}"
    );
    assert!(!out.contains("talk to a human"), "{out}");
    let (still, now) = out
        .split_once(
            "answered now by the current knowledge base (check that each is the right answer):",
        )
        .expect("answered groups apart");
    assert!(still.contains("parking"), "{out}");
    assert!(
        now.contains("answered now by `wifi` (") && now.contains("wifi password"),
        "{out}"
    );
    let run = misses_json(&old);
    let groups: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    let wifi = groups
        .iter()
        .find(|g| g["answered_now"]["intent"] == "wifi")
        .expect("answered_now in the JSON");
    assert_eq!(wifi["answered_now"]["turns"], 1);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A group whose samples different intents answer now names each
/// sample's intent, in the text report and the JSON (trial 29: two
/// questions sharing "look" were listed as both answered by the tour
/// entry, though the pets entry answered one of them).
#[test]
fn misses_name_the_intent_answering_each_sample_of_a_mixed_group() {
    let dir = scratch("misses-mixed");
    let log = dir.join("old.jsonl");
    let line = |u: &str| {
        format!(
            r#"{{"time":"2026-12-05T08:43:04Z","kind":"fallback","route":"ranked","utterance":"{u}","candidates":[]}}"#
        )
    };
    std::fs::write(
        &log,
        format!(
            "{}\n{}\n",
            line("can my rabbit use the wifi"),
            line("is there vegan food for my rabbit")
        ),
    )
    .unwrap();
    let run = faqbot(&["misses", "--intents", &fixture("clean"), arg(&log)], "");
    assert_eq!(run.code, 0, "{run:?}");
    let out = &run.stdout;
    assert!(
        out.contains("2 turns, 2 distinct; answered now by several intents"),
        "{out}"
    );
    assert!(
        out.contains("\"can my rabbit use the wifi\" → `wifi` ("),
        "{out}"
    );
    assert!(
        out.contains("\"is there vegan food for my rabbit\" → `vegan_options` ("),
        "{out}"
    );
    let groups: Vec<serde_json::Value> = serde_json::from_str(&misses_json(&log).stdout).unwrap();
    assert_eq!(groups.len(), 1, "{groups:?}");
    let by: Vec<&str> = groups[0]["samples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["answered_by"]["intent"].as_str().unwrap())
        .collect();
    assert_eq!(by, ["wifi", "vegan_options"], "{groups:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The text report shows the start of a long sample (a pasted page would
/// fill the screen), `--json` the whole; one unreadable line is "a line
/// that is not a log entry" (trial 23, finding 10).
#[test]
fn misses_cut_long_samples_in_the_text_report() {
    let dir = scratch("misses-long");
    let log = dir.join("misses.jsonl");
    let long = format!(
        "the parking {}near the cafe",
        "is very far away and ".repeat(15)
    );
    std::fs::write(
        &log,
        format!(
            "{}\nthis line is not JSON\n",
            serde_json::json!({"time": "2026-12-05T08:43:03Z", "kind": "fallback", "route": "ranked",
                "utterance": long, "candidates": []})
        ),
    )
    .unwrap();
    let run = faqbot(&["misses", "--intents", &fixture("clean"), arg(&log)], "");
    assert_eq!(run.code, 0, "{run:?}");
    let sample = run
        .stdout
        .lines()
        .find(|l| l.contains("the parking is very far"))
        .expect("the sample is listed");
    let shown = sample.trim().trim_matches('"');
    assert!(shown.ends_with('…'), "{sample}");
    assert_eq!(shown.chars().count(), 161, "{sample}");
    assert!(
        run.stderr
            .contains("1 line that is not a log entry skipped"),
        "{}",
        run.stderr
    );
    let run = misses_json(&log);
    assert!(run.stdout.contains(&long), "{}", run.stdout);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn small_talk_is_never_a_miss_group_s_closest_intent() {
    // A sheet's rows have one phrasing each; small talk's one-word
    // examples ("hi", "hello") then rank first for a message of unknown
    // words. A miss asks the author to extend an FAQ entry, never a
    // greeting (trial 27: "is there a callout charge at weekends" was listed
    // as closest to `greeting`).
    const SHEET: &str = r#"[
        (id: "areas", title: "Which areas do you cover?", examples: ["Which areas do you cover?"],
         answer: "Bristol and 20 miles around."),
        (id: "boilers", title: "Do you service boilers?", examples: ["Do you service boilers?"],
         answer: "Yes, £85 a year."),
        (id: "rates", title: "How much do you charge per hour?",
         examples: ["How much do you charge per hour?"], answer: "£65 for the first hour."),
        (id: "greeting", title: "Hello", kind: SmallTalk, examples: ["hi", "hello", "hey there"], answer: "Hi!"),
    ]"#;
    let kb = faqbot::KnowledgeBase::from_sources(vec![("sheet.ron".into(), SHEET.into())]).unwrap();
    let engine = faqbot::Engine::new(kb);
    let text = "are you able to come to zorbleton";
    let top = &engine.rank(text, 1)[0];
    assert_eq!(engine.knowledge_base().intents[top.intent].id, "greeting");
    let groups = faqbot::misses::group(&engine, &[text.to_string()], 0.3);
    assert_eq!(groups.len(), 1);
    let closest = groups[0].closest.as_ref().map(|c| c.intent.as_str());
    assert_ne!(closest, Some("greeting"));
}

/// A log written by one bot and read against another knowledge base (a
/// new user's `faqbot misses LOG` without `--intents` matched the candle
/// shop's misses against the bundled MINI App intents) gets a warning
/// naming the unknown intents; read against its own, none.
#[test]
fn misses_warn_when_the_log_names_intents_the_knowledge_base_lacks() {
    let (dir, log) = logged("foreign");
    let bundled = faqbot(&["misses", arg(&log)], "");
    assert_eq!(bundled.code, 0, "{bundled:?}");
    assert!(
        bundled
            .stderr
            .contains("are not in the bundled MINI App knowledge base (`"),
        "{}",
        bundled.stderr
    );
    assert!(
        bundled.stderr.contains("misses --intents DIR"),
        "{}",
        bundled.stderr
    );
    let own = misses_json(&log);
    assert_eq!(own.code, 0, "{own:?}");
    assert!(!own.stderr.contains("warning"), "{}", own.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The widget's feedback file (`serve --feedback FILE`) given to `faqbot
/// misses`: its answers rated not helpful are listed by intent with the
/// questions and what the knowledge base answers them with now, not
/// skipped as lines that are no log entries (trial 31 found no command
/// that read the file).
#[test]
fn misses_list_the_answers_rated_not_helpful() {
    let dir = scratch("feedback");
    let feedback = dir.join("feedback.jsonl");
    std::fs::write(
        &feedback,
        concat!(
            r#"{"time":1,"session":"s1","intent":"wifi","input":"is there parking nearby","helpful":false}"#,
            "\n",
            r#"{"time":2,"session":"s2","intent":"wifi","input":"what is the wifi password","helpful":false}"#,
            "\n",
            r#"{"time":3,"session":"s3","intent":"wifi","input":"wifi password","helpful":true}"#,
            "\n",
        ),
    )
    .unwrap();
    let run = faqbot(
        &["misses", "--intents", &fixture("clean"), arg(&feedback)],
        "",
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(!run.stderr.contains("skipped"), "{}", run.stderr);
    let out = &run.stdout;
    assert!(
        out.contains("2 answers rated not helpful (widget feedback; 1 rated helpful)"),
        "{out}"
    );
    assert!(out.contains("`wifi`: 2 times"), "{out}");
    // Still answered with the rated intent: no note; answered otherwise now: said.
    assert!(out.contains("   \"what is the wifi password\"\n"), "{out}");
    assert!(out.contains("\"is there parking nearby\" → now"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// "How much is that?" right after an answer whose text states no price
/// is asked about (that topic, or the price list its own words point to):
/// a reply that depends on the turn before, logged with route `context`,
/// so `faqbot misses` never lists it as answered now by the price list
/// (an operator's trial found it listed so).
#[test]
fn a_property_follow_up_is_logged_as_read_in_context() {
    let dir = scratch("about-last");
    let log = dir.join("misses.jsonl");
    let kb = "tests/fixtures/dialogue/cattery/kb";
    let run = faqbot(
        &["--intents", kb, "--log", arg(&log)],
        "what vaccinations does my cat need\nhow much is that?\n",
    );
    assert_eq!(run.code, 0, "{run:?}");
    let text = std::fs::read_to_string(&log).expect("the log is written");
    let entry: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(entry["utterance"], "how much is that?", "{text}");
    assert_eq!(entry["kind"], "clarify", "{text}");
    assert_eq!(entry["route"], "context", "{text}");
    let misses = faqbot(&["misses", "--intents", kb, arg(&log)], "");
    assert!(!misses.stdout.contains("answered now"), "{}", misses.stdout);
    let _ = std::fs::remove_dir_all(&dir);
}
