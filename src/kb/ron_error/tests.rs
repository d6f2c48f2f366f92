use super::*;
use crate::schema::IntentDef;

/// Errors name what an author writes, never a Rust type (trial 20,
/// finding 12).
#[test]
fn schema_type_names_do_not_leak() {
    let cases = [
        (
            "(texts: (placehoder: \"x\"))",
            "unknown field `placehoder` in bot.ron's `texts`",
        ),
        (
            "(texts: \"hello\")",
            "Expected opening `(` for bot.ron's `texts`",
        ),
        (
            "(texts: (send: \"a\", send: \"b\"))",
            "field `send` appears twice in bot.ron's `texts`",
        ),
        (
            "Foo(name: \"x\")",
            "Expected bot.ron's settings but found `Foo`",
        ),
    ];
    for (text, want) in cases {
        let e = crate::kb::ron_options()
            .from_str::<crate::schema::BotSettings>(text)
            .unwrap_err();
        let msg = ron_diagnostic(Path::new("bot.ron"), &e).message;
        assert!(msg.contains(want), "{text}: {msg}");
    }
    let e = crate::kb::ron_options()
        .from_str::<Vec<IntentDef>>("[(id: \"x\", answer: \"y\", keywords: [(wrd: \"a\")])]")
        .unwrap_err();
    let msg = ron_diagnostic(Path::new("faq.ron"), &e).message;
    assert!(msg.contains("a keyword is a string"), "{msg}");
    for t in SCHEMA_TYPES {
        assert!(
            !in_authors_words(&format!("x `{t}` struct `{t}`")).contains(t),
            "{t}"
        );
    }
}

#[test]
fn a_typographic_quote_on_the_line_or_the_one_before_is_named() {
    let text = "[\n  \"it’s open\",\n  \"where can I park”,\n  \"car park\",\n]";
    assert_eq!(typographic_quote(text, 4), Some((3, '”')));
    assert_eq!(typographic_quote(text, 3), Some((3, '”')));
    assert_eq!(typographic_quote(text, 2), None, "an apostrophe");
    assert_eq!(typographic_quote(text, 1), None);
    assert_eq!(typographic_quote("‘a’", 1), Some((1, '‘')));
    assert_eq!(typographic_quote("", 0), None);
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct Fields {
    a: ron::Value,
    b: ron::Value,
    c: Option<ron::Value>,
}

fn hint_of(text: &str) -> Option<String> {
    let e = if text.starts_with('[') {
        ron::Options::default().from_str::<Vec<String>>(text).err()
    } else {
        ron::Options::default().from_str::<Fields>(text).err()
    }
    .expect("a syntax error");
    ron_diagnostic_in(Path::new("f.ron"), text, &e).hint
}

/// A single value where a list belongs is named at the value, with
/// the field (trial 34: "Expected opening `[`" at the end of the line
/// before, no field named).
#[test]
fn a_value_where_a_list_belongs_is_named_with_its_field() {
    let text = "[\n    (\n        id: \"a\",\n        examples:\n            \"hi\",\n        answer: \"x\",\n    ),\n]\n";
    let e = crate::kb::ron_options()
        .from_str::<Vec<crate::schema::IntentDef>>(text)
        .expect_err("a string for a list");
    let d = ron_diagnostic_in(Path::new("f.ron"), text, &e);
    let at = d.location.as_ref().unwrap();
    assert_eq!((at.line, at.col), (5, 13), "{d}");
    let hint = d.hint.unwrap();
    assert!(
        hint.starts_with("`examples` is a list: write `examples: [ … ]`"),
        "{hint}"
    );
    assert!(hint.ends_with("found a string"), "{hint}");
}

/// Settings in a file not named bot.ron get a hint that says so, not
/// the one about wrapping intents in a list (trial 34).
#[test]
fn settings_under_another_name_are_named_as_settings() {
    let as_intents = |text: &str| {
        let e = crate::kb::ron_options()
            .from_str::<Vec<crate::schema::IntentDef>>(text)
            .expect_err("not a list");
        ron_diagnostic_in(Path::new("f.ron"), text, &e)
            .hint
            .unwrap()
    };
    let hint = as_intents("(name: \"Bakery\", greeting: \"Hi!\")");
    assert!(
        hint.contains("read only from the file named bot.ron"),
        "{hint}"
    );
    let one = as_intents("(id: \"hours\", title: \"Hours\", answer: \"9-5\")");
    assert!(one.contains("wrap it in"), "{one}");
}

#[test]
fn a_missing_comma_is_named_at_the_end_of_its_line() {
    let text = "(\n  a: 1,\n  b: \"x\" // note, with a comma\n\n  // more\n  c: 2,\n)";
    assert_eq!(
        hint_of(text).as_deref(),
        Some("is a comma missing at the end of line 3?")
    );
    let list = "(\n  a: [\"x\", \"y\"\n  b: 2,\n)";
    let hint = hint_of(list).unwrap();
    assert!(
        hint.starts_with("is `],` missing at the end of line 2?"),
        "{hint}"
    );
    assert!(hint.contains("line 2, col 6"), "{hint}");
    // In the middle of a line ron's place is the cause: no hint.
    assert_eq!(hint_of("(\n  a: 1 b: 2,\n)"), None);
}

#[test]
fn an_unclosed_string_is_named_where_it_opens() {
    let text = "[\n  \"one\",\n  \"two,\n  \"three\",\n]";
    let hint = hint_of(text).unwrap();
    assert!(
        hint.starts_with("the string that opens at line 3, col 3 is not closed"),
        "{hint}"
    );
    assert!(hint.ends_with("runs on to line 4"), "{hint}");
    // No later quote closes it: it runs to the end of the file.
    let text = "[\n  \"one\",\n  \"two,\n]\n";
    let hint = hint_of(text).unwrap();
    assert!(
        hint.starts_with("the string that opens at line 3, col 3 is not closed")
            && hint.ends_with("runs on to the end of the file"),
        "{hint}"
    );
}

#[test]
fn a_single_intent_is_told_to_be_a_list() {
    let hint = |text: &str| {
        let e = crate::kb::ron_options()
            .from_str::<Vec<IntentDef>>(text)
            .unwrap_err();
        ron_diagnostic_in(Path::new("faq.ron"), text, &e).hint
    };
    for text in [
        "(id: \"a\", answer: \"b\")",
        "// a comment\n\n  (\n  id: \"a\",\n  answer: \"b\",\n)\n",
    ] {
        let h = hint(text).unwrap_or_default();
        assert!(h.starts_with("a file of intents"), "{text:?}: {h}");
    }
    // Something else where the list belongs: no such hint.
    assert_eq!(hint("\"a\""), None);
}
