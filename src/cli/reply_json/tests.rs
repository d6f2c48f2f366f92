use super::*;
use crate::reply::{Alternative, RaisedBy, Suggestion};
use crate::schema::IntentKind;
use crate::Session;

const NASTY: [&str; 10] = [
    "",
    "plain",
    "quote \" and backslash \\ and slash /",
    "line\nbreak\r\ttab \u{8}\u{c}",
    "\u{0}\u{1}\u{1f}\u{7f} controls",
    "Unicode: é ü “quotes” 😀 \u{2028}\u{2029}",
    "</script><b>&amp;</b>",
    "\\\"\\\"",
    "\"",
    "ends with a backslash\\",
];

fn reply(i: usize) -> Reply {
    let s = |k: usize| NASTY[(i + k) % NASTY.len()].to_string();
    let answer = (i % 3 != 0).then(|| s(3));
    Reply {
        input: s(0),
        input_truncated: i % 3 == 1,
        kind: [
            ReplyKind::Answer,
            ReplyKind::Clarify,
            ReplyKind::Fallback,
            ReplyKind::Handoff,
        ][i % 4],
        intent: (i % 2 == 0).then(|| s(1)),
        title: (i % 5 != 0).then(|| s(2)),
        confidence: [0.0, 1.0, 0.9108503, 1e-7, 0.089_149_71, f32::NAN][i % 6],
        raised_by: [
            None,
            Some(RaisedBy::SemanticLead),
            Some(RaisedBy::SemanticUnanimous),
            Some(RaisedBy::LastAnswerProperty),
            Some(RaisedBy::LastAnswerFollowUp),
            Some(RaisedBy::OfferedProperty),
            Some(RaisedBy::ContactRow),
            None,
        ][i % 8],
        text: match &answer {
            Some(a) if i % 4 != 1 => format!("{a}{}", s(4)),
            _ => s(4),
        },
        answer,
        answer_html: (i % 7 != 0).then(|| s(5)),
        handoff_html: (i % 5 == 3).then(|| s(10)),
        suggestions: (0..i % 4)
            .map(|k| Suggestion {
                intent: s(k + 6),
                title: s(k + 7),
            })
            .collect(),
        suggestions_label: (i % 3 == 1).then(|| s(9)),
        miss: i % 4 == 2,
        alternatives: (0..i % 5)
            .map(|k| Alternative {
                intent: s(k + 8),
                confidence: [0.5, 0.25, f32::INFINITY, 3.4e38, 1.17e-38][k % 5],
            })
            .collect(),
        top_kind: [
            None,
            Some(IntentKind::Faq),
            Some(IntentKind::SmallTalk),
            Some(IntentKind::Handoff),
            Some(IntentKind::OutOfScope),
        ][i % 5],
    }
}

#[test]
fn writes_what_serde_json_writes() {
    for i in 0..420 {
        let r = reply(i);
        let mut fast = Vec::new();
        write(&mut fast, &r, Prepared::default());
        assert_eq!(
            String::from_utf8(fast).unwrap(),
            serde_json::to_string(&r).unwrap(),
            "reply {i}"
        );
    }
}

fn known<'a>(x: &'a Option<(&'a str, Box<RawValue>)>) -> Option<Known<'a>> {
    x.as_ref().map(|(raw, literal)| Known { raw, literal })
}

#[test]
fn known_literals_give_the_same_bytes_and_only_when_equal() {
    let stale_raw = "not this reply's answer";
    let stale_literal = literal(stale_raw);
    let stale = Known {
        raw: stale_raw,
        literal: &stale_literal,
    };
    for i in 0..420 {
        let r = reply(i);
        let a = r.answer.as_deref().map(|raw| (raw, literal(raw)));
        let h = r.answer_html.as_deref().map(|raw| (raw, literal(raw)));
        for prepared in [
            Prepared {
                answer: known(&a),
                answer_html: known(&h),
                names: None,
            },
            Prepared {
                answer: Some(stale),
                answer_html: Some(stale),
                names: None,
            },
        ] {
            let mut fast = Vec::new();
            write(&mut fast, &r, prepared);
            assert_eq!(
                String::from_utf8(fast).unwrap(),
                serde_json::to_string(&r).unwrap(),
                "reply {i}"
            );
        }
    }
}

#[test]
fn every_byte_escapes_as_in_serde_json() {
    for b in 0u8..128 {
        let s = char::from(b).to_string();
        assert_eq!(
            literal(&s).get(),
            serde_json::to_string(&s).unwrap(),
            "byte {b}"
        );
    }
}

/// `string`'s copy without escapes gives what `serde_json` writes, on
/// generated strings of plain, escaped and non-ASCII characters of
/// every length up to 40 (the test's lanes and their remainders).
#[test]
fn plain_strings_are_copied_as_serde_json_writes_them() {
    let pieces = [
        "a", "Z", " ", "~", "\u{7f}", "é", "“", "😀", "\u{2028}", "\"", "\\", "\n", "\u{0}",
        "\u{1f}", "/", "<",
    ];
    let mut rng = crate::testing::XorShift(0x853c_49e6_748f_ea9b);
    for len in 0..=40 {
        for _ in 0..300 {
            let s: String = (0..len)
                .map(|_| pieces[(rng.next() % pieces.len() as u64) as usize])
                .collect();
            let mut out = Vec::new();
            string(&mut out, &s);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(&s).unwrap()
            );
        }
    }
    for b in 0u8..128 {
        let s = char::from(b).to_string();
        let mut out = Vec::new();
        string(&mut out, &s);
        assert_eq!(out, serde_json::to_vec(&s).unwrap(), "byte {b}");
    }
}

#[test]
fn engine_replies_with_cached_answers_match_serde_json() {
    let engine = Engine::bundled().unwrap();
    let answers = Answers::new(&engine);
    let mut session = Session::new();
    for q in [
        "I forgot my app PIN",
        "1",
        "how do I \"reset\" my \\ pin?\n",
        "hello",
        "",
        "xyzzy",
        "I want to talk to a real person",
        "charging",
        "2",
        "yes",
        "I forgot my app PIN",
    ] {
        for _ in 0..2 {
            let reply = engine.respond(&mut session, q);
            // Also with titles that are not their intents' and ids
            // that name no intent: written as they are.
            let mut other = reply.clone();
            other.title = other.title.map(|t| format!("\"{t}\" again"));
            for s in &mut other.suggestions {
                s.title.push('\\');
            }
            for a in &mut other.alternatives {
                a.intent.push_str("_unknown");
            }
            for r in [reply, other] {
                let mut fast = Vec::new();
                answers.write(&mut fast, &r);
                assert_eq!(
                    String::from_utf8(fast).unwrap(),
                    serde_json::to_string(&r).unwrap(),
                    "{q:?}"
                );
            }
        }
    }
}
