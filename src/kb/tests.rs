use super::*;

fn def(id: &str, follow_ups: &[&str]) -> IntentDef {
    IntentDef {
        id: id.into(),
        title: format!("About {id}?"),
        examples: vec![format!("tell me about {id}")],
        answer: format!("All about {id}."),
        follow_ups: follow_ups.iter().map(|f| f.to_string()).collect(),
        ..IntentDef::default()
    }
}

fn codes(settings: BotSettings, intents: Vec<IntentDef>) -> Vec<&'static str> {
    match KnowledgeBase::from_intents(settings, intents) {
        Ok(_) => Vec::new(),
        Err(e) => e.diagnostics().iter().map(|d| d.code).collect(),
    }
}

/// Library trial, finding 7: intents from a database, in its order.
#[test]
fn intents_built_in_memory_are_checked_and_sorted_like_loaded_ones() {
    let kb = KnowledgeBase::from_intents(
        BotSettings::default(),
        vec![def("zebra", &["apple"]), def("apple", &[])],
    )
    .unwrap();
    let ids: Vec<&str> = kb.intents.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["apple", "zebra"]);
    assert_eq!(kb.index_of("apple"), Some(0), "follow-ups are found");
    let ok = || BotSettings::default();
    let mut bad_regex = def("a", &[]);
    bad_regex.patterns = vec!["(unclosed".into()];
    assert_eq!(codes(ok(), vec![bad_regex]), ["bad-regex"]);
    assert_eq!(codes(ok(), vec![def("a", &["b"])]), ["unknown-follow-up"]);
    assert_eq!(
        codes(ok(), vec![def("a", &[]), def("a", &[])]),
        ["duplicate-id"]
    );
    assert_eq!(codes(ok(), vec![def("Not Snake", &[])]), ["bad-id"]);
    let mut empty = def("a", &[]);
    empty.answer = " ".into();
    assert_eq!(codes(ok(), vec![empty]), ["empty-answer"]);
    assert_eq!(codes(ok(), Vec::new()), ["no-intents"]);
    let nan = BotSettings {
        threshold: f32::NAN,
        max_fallbacks: 0,
        language: "klingon".into(),
        ..BotSettings::default()
    };
    assert_eq!(
        codes(nan, vec![def("a", &[])]),
        ["bad-setting", "bad-setting", "bad-setting"]
    );
}

/// Intents in memory, with each mistake the rules check: an unknown
/// follow-up and a bad pattern on a duplicated id, a bad id, an empty
/// answer, a bad keyword.
fn faulty() -> Vec<IntentDef> {
    let mut refund = def("refund_policy", &["refunds"]);
    refund.patterns = vec!["(unclosed".into()];
    let mut empty = def("opening_hours", &[]);
    empty.answer = String::new();
    let mut keyword = def("parking", &[]);
    keyword.keywords = vec![" ".into()];
    vec![
        def("shipping", &["refund_policy"]),
        refund.clone(),
        def("Bad Id", &[]),
        refund,
        empty,
        keyword,
    ]
}

/// An embedder's report: errors of intents built in memory named the
/// intent by its id only, and an intent given twice gave the same lines
/// twice. Each names the intent's position, from 1 (as the loader's
/// lines and columns); a duplicate id is one error naming every position.
#[test]
fn errors_of_intents_built_in_memory_name_their_position() {
    let err = KnowledgeBase::from_intents(BotSettings::default(), faulty()).unwrap_err();
    let lines: Vec<String> = err.diagnostics().iter().map(|d| d.to_string()).collect();
    assert_eq!(
        lines,
        [
            "error[bad-id]: intent #3 (`Bad Id`): the id is not snake_case\n  \
             hint: ids use lower-case letters, digits and `_`, e.g. `reset_pin`",
            "error[bad-keyword]: intent #6 (`parking`): keyword ` ` must be non-empty \
             with a positive weight",
            "error[bad-regex]: intent #2 (`refund_policy`): a pattern does not compile: \
             regex parse error:\n    (unclosed\n    ^\nerror: unclosed group",
            "error[bad-regex]: intent #4 (`refund_policy`): a pattern does not compile: \
             regex parse error:\n    (unclosed\n    ^\nerror: unclosed group",
            "error[duplicate-id]: intents #2 and #4: duplicate intent id `refund_policy`",
            "error[empty-answer]: intent #5 (`opening_hours`): the answer is empty",
            "error[unknown-follow-up]: intent #2 (`refund_policy`): follow-up `refunds` \
             names no intent\n  hint: did you mean `refund_policy`?",
            "error[unknown-follow-up]: intent #4 (`refund_policy`): follow-up `refunds` \
             names no intent\n  hint: did you mean `refund_policy`?",
        ]
    );
    // Three times: one error.
    let err = KnowledgeBase::from_intents(
        BotSettings::default(),
        vec![def("a", &[]), def("b", &[]), def("a", &[]), def("a", &[])],
    )
    .unwrap_err();
    let lines: Vec<String> = err.diagnostics().iter().map(|d| d.to_string()).collect();
    assert_eq!(
        lines,
        ["error[duplicate-id]: intents #1, #3 and #4: duplicate intent id `a`"]
    );
}

/// The same intents in a file: the messages name the intent by id at
/// its `file:line:col`, and a duplicate id is reported at the second
/// with a note at the first, as before positions were added for
/// intents in memory.
#[test]
fn errors_of_intents_in_files_keep_their_places_and_messages() {
    let text = r#"[
    (id: "shipping", answer: "All about shipping.", follow_ups: ["refund_policy"]),
    (
        id: "refund_policy",
        answer: "All about refunds.",
        follow_ups: ["refunds"],
        patterns: ["(unclosed"],
    ),
    (id: "Bad Id", answer: "All about it."),
    (
        id: "refund_policy",
        answer: "All about refunds.",
        follow_ups: ["refunds"],
        patterns: ["(unclosed"],
    ),
    (id: "opening_hours", answer: ""),
    (id: "parking", answer: "All about parking.", keywords: [" "]),
]
"#
    .to_string();
    let err = KnowledgeBase::from_sources(vec![("faq.ron".into(), text)]).unwrap_err();
    let lines: Vec<String> = err.diagnostics().iter().map(|d| d.to_string()).collect();
    assert_eq!(
        lines,
        [
            "faq.ron:6:22: error[unknown-follow-up]: follow-up `refunds` of intent \
             `refund_policy` names no intent\n  hint: did you mean `refund_policy`?",
            "faq.ron:7:21: error[bad-regex]: pattern of intent `refund_policy` does not \
             compile: regex parse error:\n    (unclosed\n    ^\nerror: unclosed group",
            "faq.ron:9:6: error[bad-id]: intent id `Bad Id` is not snake_case\n  \
             hint: ids use lower-case letters, digits and `_`, e.g. `reset_pin`",
            "faq.ron:11:9: error[duplicate-id]: duplicate intent id `refund_policy`\n  \
             note: faq.ron:4:9: first defined here",
            "faq.ron:13:22: error[unknown-follow-up]: follow-up `refunds` of intent \
             `refund_policy` names no intent\n  hint: did you mean `refund_policy`?",
            "faq.ron:14:21: error[bad-regex]: pattern of intent `refund_policy` does not \
             compile: regex parse error:\n    (unclosed\n    ^\nerror: unclosed group",
            "faq.ron:16:27: error[empty-answer]: intent `opening_hours` has an empty answer",
            "faq.ron:17:62: error[bad-keyword]: keyword ` ` of intent `parking` must be \
             non-empty with a positive weight",
        ]
    );
}

#[test]
fn bundled_patterns_compile() {
    // `KnowledgeBase::bundled` relies on this instead of compiling them.
    let (kb, diags) = KnowledgeBase::parse(bundled_sources());
    let kb = kb.unwrap_or_else(|| panic!("the bundled knowledge base: {diags:?}"));
    let patterns: Vec<&String> = kb.intents.iter().flat_map(|d| &d.patterns).collect();
    assert!(!patterns.is_empty());
    for p in patterns {
        assert!(compile_pattern(p).is_ok(), "{p}");
    }
}
