//! Pipe mode, `ask` and `intents`, driven through the real binary.

use crate::support::{faqbot, json_lines};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

#[test]
fn forgotten_pin_then_first_follow_up_by_number() {
    let out = faqbot(&["--json"], b"I forgot my app PIN\n1\n");
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let replies = json_lines(&out);
    assert_eq!(replies.len(), 2);
    assert_eq!(replies[0]["kind"], "answer");
    assert_eq!(replies[0]["intent"], "reset_pin");
    assert_eq!(replies[0]["suggestions"][0]["intent"], "biometric_login");
    assert_eq!(replies[1]["kind"], "answer");
    assert_eq!(replies[1]["intent"], "biometric_login");
    for key in [
        "input",
        "kind",
        "intent",
        "title",
        "confidence",
        "raised_by",
        "text",
        "answer",
        "suggestions",
        "alternatives",
        "top_kind",
    ] {
        assert!(replies[0].get(key).is_some(), "missing field {key}");
    }
    assert_eq!(replies[0]["top_kind"], "faq");
    assert_eq!(replies[1]["top_kind"], "faq", "the choice picked");
    assert_eq!(replies[0]["raised_by"], serde_json::Value::Null);
    assert_eq!(
        replies[1]["raised_by"],
        serde_json::Value::Null,
        "the choice picked"
    );
    let c = replies[0]["confidence"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&c));
}

#[test]
fn every_input_line_gets_exactly_one_reply_whatever_it_holds() {
    let mut input: Vec<u8> = Vec::new();
    input.extend_from_slice(b"\n"); // empty
    input.extend_from_slice(b"   \n"); // blank
    input.extend_from_slice(b"caf\xe9 \xff\xfe pin\n"); // invalid UTF-8
    input.extend_from_slice(b"\x1b[31mred\x1b[0m \x07 delete my data\n"); // escapes
    input.extend_from_slice("🚗🚗🚗\n".as_bytes());
    input.extend(std::iter::repeat_n(b'a', 300_000)); // a huge line
    input.extend_from_slice(b"\n");
    input.extend_from_slice(b"\0\0\0\r\n"); // NULs, CRLF
    input.extend_from_slice(b"last line without newline");
    let out = faqbot(&["--json", "--stateless"], &input);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let replies = json_lines(&out);
    assert_eq!(replies.len(), 8, "one reply per line");
    assert!(
        !out.stdout.contains('\u{1b}'),
        "no escape sequence is echoed"
    );
    for r in &replies {
        assert!(["answer", "clarify", "fallback", "handoff"].contains(&r["kind"].as_str().unwrap()));
        assert!(!r["text"].as_str().unwrap().is_empty());
    }
    assert_eq!(replies[0]["kind"], "fallback");
    assert_eq!(replies[3]["intent"], "delete_app_data");
    assert_eq!(replies[5]["kind"], "fallback");
}

#[test]
fn plain_output_separates_replies_with_a_blank_line() {
    let out = faqbot(&[], b"hello\nthanks\n");
    assert_eq!(out.code, Some(0));
    let blocks: Vec<&str> = out
        .stdout
        .split("\n\n")
        .filter(|b| !b.trim().is_empty())
        .collect();
    assert!(blocks.len() >= 2, "{:?}", out.stdout);
    assert!(out.stdout.ends_with("\n\n"));
}

#[test]
fn stateless_mode_forgets_the_offered_suggestions() {
    let out = faqbot(&["--json", "--stateless"], b"I forgot my app PIN\n1\n");
    let replies = json_lines(&out);
    assert_eq!(replies[0]["intent"], "reset_pin");
    assert_eq!(replies[1]["kind"], "fallback");
    assert!(replies[1]["intent"].is_null());
}

#[test]
fn ask_answers_once_in_text_and_json() {
    let out = faqbot(
        &["ask", "how", "do", "I", "delete", "my", "MINI", "ID"],
        b"",
    );
    assert_eq!(out.code, Some(0));
    assert!(
        out.stdout.contains("To delete your MINI ID"),
        "{}",
        out.stdout
    );
    let out = faqbot(&["ask", "--json", "where is the owner's handbook"], b"");
    let r = &json_lines(&out)[0];
    assert_eq!(r["intent"], "owners_handbook");
}

#[test]
fn intents_lists_the_knowledge_base_as_json() {
    let out = faqbot(&["intents", "--json"], b"");
    assert_eq!(out.code, Some(0));
    let list: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(
        list.len(),
        29,
        "21 FAQ answers + 7 small-talk and handoff intents (greeting, thanks, goodbye, help, about_bot, complaint, handoff) + 1 out-of-scope intent"
    );
    assert!(list
        .iter()
        .any(|i| i["id"] == "out_of_scope" && i["kind"] == "OutOfScope"));
    let pin = list.iter().find(|i| i["id"] == "reset_pin").unwrap();
    assert_eq!(pin["follow_ups"][0], "biometric_login");
    assert!(pin["answer"]
        .as_str()
        .unwrap()
        .starts_with("After three incorrect PIN entries"));
}

#[test]
fn usage_errors_exit_2() {
    let out = faqbot(&["--no-such-flag"], b"");
    assert_eq!(out.code, Some(2));
    let out = faqbot(&["ask"], b"");
    assert_eq!(out.code, Some(2));
}

#[test]
fn a_closed_output_pipe_ends_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_faqbot"))
        .arg("--stateless")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        for _ in 0..20_000 {
            if stdin.write_all(b"how do I reset my pin\n").is_err() {
                break;
            }
        }
    });
    {
        let mut first = String::new();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        out.read_line(&mut first).unwrap();
        assert!(!first.is_empty());
    } // stdout closed here
    let status = child.wait().unwrap();
    writer.join().unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert_eq!(status.code(), Some(0), "stderr: {err}");
    assert!(err.is_empty(), "nothing on stderr: {err}");
}

/// The bundled answers are the seed's answers, verbatim, with its view counts.
/// The seed is kept in the repository (`data/seed/`), so this runs on a
/// plain clone.
#[test]
fn bundled_answers_are_the_seed_verbatim() {
    let seed = crate::support::root().join("data/seed/mini-app-faq.txt");
    let text = std::fs::read_to_string(&seed)
        .unwrap_or_else(|e| panic!("the seed file {}: {e}", seed.display()));
    let lines: Vec<&str> = text.lines().collect();
    let mut answers: Vec<(String, Option<u64>)> = vec![(lines[1].to_string(), None)];
    let mut i = 2;
    while i < lines.len() {
        let count = lines.get(i + 1).and_then(|l| l.trim().parse().ok());
        answers.push((lines[i].to_string(), count));
        i += if count.is_some() { 2 } else { 1 };
    }
    assert_eq!(answers.len(), 21);
    let kb = faqbot::KnowledgeBase::bundled().unwrap();
    for (answer, count) in answers {
        let intent = kb
            .intents
            .iter()
            .find(|d| d.answer == answer)
            .unwrap_or_else(|| panic!("no intent has the seed answer {answer:?}"));
        assert_eq!(intent.popularity, count.unwrap_or(0), "{}", intent.id);
    }
}

/// The repository's copy of the seed is the project's seed in `../shared`.
#[test]
fn the_seed_copy_matches_shared() {
    let Some(shared) = crate::support::shared_or_skip("seed/mini-app-faq.txt") else {
        return;
    };
    let ours = crate::support::root().join("data/seed/mini-app-faq.txt");
    assert_eq!(
        std::fs::read_to_string(ours).unwrap(),
        std::fs::read_to_string(shared).unwrap()
    );
}

/// Every bundled answer (the seed's text: quotes, `>` between menu names,
/// `...`) reads in the terminal exactly as written, and its HTML is the
/// same text, escaped, in one paragraph.
#[test]
fn seed_answers_render_exactly_as_written() {
    let kb = faqbot::KnowledgeBase::bundled().unwrap();
    assert!(kb.intents.iter().any(|d| d.answer.contains("\" > \"")));
    for d in &kb.intents {
        assert_eq!(faqbot::markup::to_plain(&d.answer), d.answer, "{}", d.id);
        let escaped = d
            .answer
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert_eq!(
            faqbot::markup::to_html(&d.answer),
            format!("<p>{escaped}</p>"),
            "{}",
            d.id
        );
        assert!(
            faqbot::markup::link_problems(&d.answer).is_empty(),
            "{}",
            d.id
        );
    }
    // Through the binary: plain pipe mode prints the answer as written,
    // and the JSON reply carries `answer` unchanged plus `answer_html`.
    let out = faqbot(&["--json"], b"how do I delete my MINI ID\n");
    let reply = &json_lines(&out)[0];
    let answer = reply["answer"].as_str().unwrap();
    assert!(
        answer.contains("\"Profile\" (tab) > \"Settings\""),
        "{answer}"
    );
    assert!(reply["text"].as_str().unwrap().starts_with(answer));
    assert!(reply["answer_html"]
        .as_str()
        .unwrap()
        .contains("\"Profile\" (tab) &gt; \"Settings\""));
    let plain = faqbot(&[], b"how do I delete my MINI ID\n");
    assert!(plain.stdout.starts_with(answer), "{}", plain.stdout);
}

/// A link and a list in an answer: the terminal shows the URL after the
/// link text and one item a line; the JSON keeps the Markdown in `answer`
/// and `text` and adds sanitised HTML.
#[test]
fn rich_answers_read_well_in_the_terminal_and_json() {
    let kb = crate::support::fixture("kb/rich");
    let kb = kb.to_str().unwrap();
    let plain = faqbot(&["--intents", kb, "ask", "how do I return an order"], b"");
    assert_eq!(plain.code, Some(0), "{}", plain.stderr);
    assert!(
        plain
            .stdout
            .contains("our returns page (https://shop.example.com/returns)"),
        "{}",
        plain.stdout
    );
    assert!(
        plain.stdout.contains("\n1. Pack the item\n2. "),
        "{}",
        plain.stdout
    );
    assert!(!plain.stdout.contains("**"), "{}", plain.stdout);
    let json = faqbot(
        &["--intents", kb, "ask", "--json", "how do I return an order"],
        b"",
    );
    let reply = &json_lines(&json)[0];
    let answer = reply["answer"].as_str().unwrap();
    assert!(answer.contains("[our returns page](https://shop.example.com/returns)"));
    let html = reply["answer_html"].as_str().unwrap();
    assert!(html.contains(
        r#"<a href="https://shop.example.com/returns" target="_blank" rel="noopener">our returns page</a>"#
    ), "{html}");
    assert!(html.contains("<ol>\n<li>Pack the item</li>"), "{html}");
    let fallback = faqbot(&["--intents", kb, "ask", "--json", "zebra crossing"], b"");
    assert_eq!(fallback.code, Some(1));
    assert!(json_lines(&fallback)[0]["answer_html"].is_null());
    // The fallback's popular topics are led by the knowledge base's own
    // `texts.popular`, as the widget's menu is (not an English default).
    let plain = faqbot(&["--intents", kb, "ask", "zebra crossing"], b"");
    assert!(
        plain.stdout.contains("\n\nHäufige Fragen:\n1. "),
        "{}",
        plain.stdout
    );
    assert!(!plain.stdout.contains("Popular"), "{}", plain.stdout);
}

/// Reply texts that are no intent's answer (the lead of near misses, the
/// replies to an empty message, to a number not offered, to "yes" and
/// "no", the lead after the handoff) come from `bot.ron`'s `texts` (and
/// the handoff from its `handoff`): the German fixture says them in
/// German (`tests/fixtures/texts/rich_german.ron`), and the bundled
/// knowledge base with `texts: (near_miss: ..., might_help: ...)` leads
/// its near misses, and a fallback's weaker candidates, with them.
#[test]
fn reply_texts_come_from_bot_ron() {
    let kb = crate::support::fixture("kb/rich");
    let cases = crate::support::fixture("texts/rich_german.ron");
    let out = faqbot(
        &[
            "--intents",
            kb.to_str().unwrap(),
            "test",
            cases.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("4 passed, 0 failed"), "{}", out.stdout);

    let dir = tempfile::tempdir().unwrap();
    let bundled = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("intents");
    for entry in std::fs::read_dir(&bundled).unwrap() {
        let path = entry.unwrap().path();
        let mut text = std::fs::read_to_string(&path).unwrap();
        if path.file_name().unwrap() == "bot.ron" {
            let end = text.rfind(')').unwrap();
            text.replace_range(
                end..,
                "    texts: (near_miss: \"Perhaps one of these?\", might_help: \"Maybe these help:\"),\n)\n",
            );
        }
        std::fs::write(dir.path().join(path.file_name().unwrap()), text).unwrap();
    }
    // Questions that fall back with near misses, or with weaker
    // candidates (at least one of each must): each led by a default lead
    // must be led by the override's. (default lead, override's, seen)
    // One near miss is one line by default ("… Did you mean: TITLE"); with
    // `near_miss` overridden and `one_near_miss` not, it is listed under
    // the override, as several are.
    let mut leads = [
        ("Did you mean one of these?", "Perhaps one of these?", 0),
        ("These topics might help:", "Maybe these help:", 0),
        ("Did you mean: ", "Perhaps one of these?", 0),
    ];
    for q in [
        "0-60 time of the john cooper works",
        "my mini and the phone",
        "problem with the app login and the car",
        "how do I change a flat tyre",
        "my windscreen wipers squeak",
    ] {
        let default = faqbot(&["ask", q], b"");
        let led = |lead: &str| format!("\n\n{lead}\n1. ");
        let one = |lead: &str| format!("? {lead}");
        let Some(lead) = leads.iter_mut().find(|(d, _, _)| {
            default.stdout.contains(&led(d))
                || (d.ends_with(": ") && default.stdout.contains(&one(d)))
        }) else {
            continue;
        };
        lead.2 += 1;
        let out = faqbot(&["--intents", dir.path().to_str().unwrap(), "ask", q], b"");
        assert!(
            out.stdout.contains(&led(lead.1)),
            "{q}: {}{}",
            out.stdout,
            out.stderr
        );
        assert!(!out.stdout.contains(lead.0), "{}", out.stdout);
    }
    // The near-miss override is seen before several near misses or one.
    let near = leads[0].2 + leads[2].2;
    for (lead, _, seen) in [leads[0], leads[1]] {
        let seen = if lead == leads[0].0 { near } else { seen };
        assert!(seen > 0, "no question led by {lead:?}: pick another");
    }
}

#[test]
fn jobs_answer_in_input_order_with_the_same_bytes_as_one_thread() {
    // Every line of the conversation fixtures and the hostile lines above,
    // several times: more lines than one parallel batch.
    let mut input: Vec<u8> = Vec::new();
    for _ in 0..3 {
        for entry in std::fs::read_dir("tests/conversations").expect("fixtures") {
            let path = entry.expect("entry").path();
            if let Ok(text) = std::fs::read_to_string(&path) {
                input.extend_from_slice(text.as_bytes());
                input.push(b'\n');
            }
        }
        input.extend_from_slice(b"caf\xe9 \xff\xfe pin\n\x1b[31mred\x1b[0m delete my data\n\n");
    }
    let one = faqbot(&["--json", "--stateless"], &input);
    let two = faqbot(&["--json", "--stateless", "--jobs", "2"], &input);
    assert_eq!(one.code, Some(0), "{}", one.stderr);
    assert_eq!(two.code, Some(0), "{}", two.stderr);
    assert!(json_lines(&one).len() > 256);
    assert_eq!(one.stdout, two.stdout);
}

/// With `--jobs 2` the workers build the unanswered log's lines; the log
/// must still hold every unanswered turn once, in input order.
#[test]
fn jobs_log_the_unanswered_turns_in_input_order() {
    let mut input: Vec<u8> = Vec::new();
    for i in 0..700 {
        let line = match i % 4 {
            0 => format!("what is the weather in city number {i}\n"),
            1 => "how do i see my past trips\n".to_owned(),
            2 => format!("zorblax {i} quux\n"),
            _ => "charge\n".to_owned(),
        };
        input.extend_from_slice(line.as_bytes());
    }
    let dir = tempfile::tempdir().unwrap();
    let logged = |jobs: &str| -> Vec<serde_json::Value> {
        let path = dir.path().join(format!("log-{jobs}.jsonl"));
        let log = path.to_str().unwrap();
        let out = faqbot(&["--stateless", "--jobs", jobs, "--log", log], &input);
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        std::fs::read_to_string(&path)
            .unwrap()
            .lines()
            .map(|l| {
                let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
                v.as_object_mut().unwrap().remove("time");
                v
            })
            .collect()
    };
    let one = logged("1");
    let two = logged("2");
    assert!(one.len() > 300, "{} unanswered turns", one.len());
    assert!(one.iter().any(|v| v["utterance"] == "zorblax 2 quux"));
    assert_eq!(one, two);
}

#[test]
fn jobs_need_stateless() {
    let out = faqbot(&["--json", "--jobs", "2"], b"hello\n");
    assert_ne!(out.code, Some(0));
}

/// A handoff reply without a handoff intent carries bot.ron's handoff
/// text as HTML (`handoff_html`): the message without its numbered
/// choices, its phone number a `tel:` link; other replies have no such
/// field.
#[test]
fn a_handoff_reply_has_its_text_as_html_with_the_phone_number_a_link() {
    let kb = crate::support::fixture("kb/contact");
    let out = faqbot(
        &["--intents", kb.to_str().unwrap(), "--json"],
        b"how do I contact you\nzxq wibble frobnicate\nquux blorp snarf\nwhen does the workshop open\n",
    );
    let replies = json_lines(&out);
    let tel = r#"<a href="tel:01632960735" target="_blank" rel="noopener">01632 960735</a>"#;
    let contact = &replies[0];
    assert_eq!(contact["kind"], "handoff", "{contact}");
    let html = contact["handoff_html"].as_str().unwrap();
    assert!(
        html.starts_with("<p>Our workshop team can help: call "),
        "{html}"
    );
    assert!(html.contains(tel), "{html}");
    let missed = &replies[2];
    assert_eq!(missed["kind"], "handoff", "{missed}");
    assert!(!missed["suggestions"].as_array().unwrap().is_empty());
    let html = missed["handoff_html"].as_str().unwrap();
    assert!(html.contains(tel), "{html}");
    assert!(html.ends_with("<p>Or pick one of these:</p>"), "{html}");
    for r in [&replies[1], &replies[3]] {
        assert!(r.get("handoff_html").is_none(), "{r}");
    }
}
