//! The JSON reply's fields that say what a confidence means: `top_kind`
//! (whose confidence a fallback shows) and `raised_by` (a rule set it).

use crate::support::{faqbot, json_lines};

/// `confidence` on a fallback is the top-ranked intent's, named by
/// `top_kind`: with an out-of-scope intent on top (the bundled knowledge
/// base) a high one means "surely off-topic"; without one (the `clean`
/// authoring fixture) it is the best FAQ intent's, below the threshold.
#[test]
fn fallback_confidence_names_the_kind_it_belongs_to() {
    let out = faqbot(
        &["--json", "--stateless"],
        b"what is the weather tomorrow\n\n",
    );
    let replies = json_lines(&out);
    let r = &replies[0];
    assert_eq!(r["kind"], "fallback");
    assert_eq!(r["top_kind"], "out_of_scope");
    assert_eq!(r["alternatives"][0]["intent"], "out_of_scope");
    assert_eq!(r["confidence"], r["alternatives"][0]["confidence"]);
    assert!(r["confidence"].as_f64().unwrap() > 0.65, "{r}");
    assert!(
        replies[1]["top_kind"].is_null(),
        "an empty line ranks nothing"
    );
    assert_eq!(replies[1]["confidence"], 0.0);

    let kb = crate::support::fixture("authoring/clean");
    let out = faqbot(
        &["--intents", kb.to_str().unwrap(), "--json", "--stateless"],
        b"what is the meaning of life\n",
    );
    let r = &json_lines(&out)[0];
    assert_eq!(r["kind"], "fallback", "{r}");
    assert_eq!(r["top_kind"], "faq", "{r}");
    assert_eq!(r["confidence"], r["alternatives"][0]["confidence"]);
    assert!(r["confidence"].as_f64().unwrap() < 0.65, "{r}");
}

#[test]
fn a_request_for_a_person_without_a_handoff_intent_has_no_top_kind() {
    // The author's trial: "kind":"handoff","confidence":1.0 with
    // "top_kind":"faq" read as "an FAQ entry is certain".
    let kb = crate::support::fixture("kb/minimal");
    let input = b"talk to a human\nI want to talk to a person about opening hours\nopening hours\n";
    let out = faqbot(&["--intents", kb.to_str().unwrap(), "--json"], input);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let replies = json_lines(&out);
    for r in &replies[..2] {
        assert_eq!(r["kind"], "handoff", "{r}");
        assert_eq!(r["intent"], serde_json::Value::Null, "{r}");
        assert_eq!(r["confidence"], 1.0, "{r}");
        assert_eq!(r["top_kind"], serde_json::Value::Null, "{r}");
    }
    assert_eq!(replies[2]["top_kind"], "faq", "an answer keeps its kind");
}

/// A confidence that a rule set to the threshold says which rule
/// (`raised_by`): "and how much is that?" right after an answer that
/// states the price is that answer again, at the threshold, and no
/// JSON field told it from a computed 0.65 (session 35; the semantic
/// stage's rules are in tests/semantic/raised.tsv).
#[test]
fn an_answer_a_rule_gave_at_the_threshold_names_the_rule() {
    let kb = crate::support::fixture("dialogue/cattery/kb");
    let kb = kb.to_str().expect("UTF-8 path");
    let out = faqbot(
        &["--intents", kb, "--json"],
        b"can someone come round and feed my cat at home\nand how much is that?\n",
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let replies = json_lines(&out);
    assert_eq!(replies[0]["intent"], "home_visits", "{}", replies[0]);
    assert_eq!(replies[0]["raised_by"], serde_json::Value::Null);
    let r = &replies[1];
    assert_eq!(r["kind"], "answer", "{r}");
    assert_eq!(r["intent"], "home_visits", "{r}");
    assert_eq!(r["raised_by"], "last_answer_property", "{r}");
    let c = r["confidence"].as_f64().unwrap_or(-1.0);
    assert!((c - 0.65).abs() < 1e-6, "at bot.ron's threshold: {r}");
}
