//! Pipe mode's `--json` output written by hand: the same bytes as
//! `serde_json::to_writer(out, reply)` (field order, string escaping,
//! `null`s, numbers through serde_json), with an intent's `answer` and
//! `answer_html` escaped once per intent ([`Answers`]) instead of on every
//! reply that shows them. A test compares [`write`] with serde_json on
//! replies with quotes, backslashes, control characters, newlines, Unicode
//! and `null` fields.

use crate::reply::{Reply, ReplyKind};
use crate::schema::IntentKind;
use crate::Engine;
use std::sync::OnceLock;

/// A string and its JSON literal (quoted and escaped by [`literal`]); a
/// reply's field equal to `raw` is written as `literal`.
#[derive(Clone, Copy, Debug)]
pub struct Known<'a> {
    /// The string.
    pub raw: &'a str,
    /// `raw` as a JSON string literal.
    pub literal: &'a str,
}

/// Literals known in advance for a reply's `answer` and `answer_html`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Prepared<'a> {
    /// The answered intent's answer.
    pub answer: Option<Known<'a>>,
    /// The answered intent's answer as HTML.
    pub answer_html: Option<Known<'a>>,
}

/// An intent's answer as a JSON literal, and its HTML with the HTML's
/// literal.
#[derive(Debug)]
struct Literals<'e> {
    answer: String,
    html: Option<(&'e str, String)>,
}

/// Each intent's answer (and its HTML) as JSON literals, made on first
/// use; shared by pipe mode's threads.
#[derive(Debug)]
pub struct Answers<'e> {
    engine: &'e Engine,
    literals: Vec<OnceLock<Literals<'e>>>,
}

impl<'e> Answers<'e> {
    /// An empty cache for `engine`'s intents.
    pub fn new(engine: &'e Engine) -> Self {
        let n = engine.knowledge_base().intents.len();
        Answers {
            engine,
            literals: (0..n).map(|_| OnceLock::new()).collect(),
        }
    }

    /// Appends `reply` as one JSON object (no newline): [`write`] with the
    /// answered intent's literals.
    pub fn write(&self, out: &mut Vec<u8>, reply: &Reply) {
        write(out, reply, self.prepared(reply));
    }

    /// The literals of the intent `reply` answers (none without an answer).
    fn prepared(&self, reply: &Reply) -> Prepared<'_> {
        let kb = self.engine.knowledge_base();
        let Some(i) = reply
            .answer
            .as_ref()
            .and(reply.intent.as_deref())
            .and_then(|id| kb.index_of(id))
        else {
            return Prepared::default();
        };
        let lit = self.literals[i].get_or_init(|| Literals {
            answer: literal(&kb.intents[i].answer),
            html: self.html(i).map(|h| (h, literal(h))),
        });
        Prepared {
            answer: Some(Known {
                raw: &kb.intents[i].answer,
                literal: &lit.answer,
            }),
            answer_html: lit
                .html
                .as_ref()
                .map(|(raw, literal)| Known { raw, literal }),
        }
    }

    #[cfg(feature = "html")]
    fn html(&self, i: usize) -> Option<&'e str> {
        let id = &self.engine.knowledge_base().intents[i].id;
        self.engine.answer_html(id)
    }

    #[cfg(not(feature = "html"))]
    fn html(&self, _: usize) -> Option<&'e str> {
        None
    }
}

/// `s` as a JSON string literal: quoted, escaped as serde_json does.
pub fn literal(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len() + 2);
    string(&mut out, s);
    // Escaping keeps UTF-8 valid: only ASCII bytes are replaced.
    String::from_utf8(out).unwrap_or_default()
}

/// Appends `reply` as one JSON object (no newline), byte for byte what
/// `serde_json::to_writer` writes; a field equal to a `known` string is
/// written as its literal.
pub fn write(out: &mut Vec<u8>, reply: &Reply, known: Prepared<'_>) {
    out.extend_from_slice(b"{\"input\":");
    string(out, &reply.input);
    out.extend_from_slice(b",\"kind\":\"");
    out.extend_from_slice(kind_name(reply.kind).as_bytes());
    out.extend_from_slice(b"\",\"intent\":");
    opt_string(out, reply.intent.as_deref(), None);
    out.extend_from_slice(b",\"title\":");
    opt_string(out, reply.title.as_deref(), None);
    out.extend_from_slice(b",\"confidence\":");
    number(out, reply.confidence);
    out.extend_from_slice(b",\"text\":");
    text(out, &reply.text, known.answer);
    out.extend_from_slice(b",\"answer\":");
    opt_string(out, reply.answer.as_deref(), known.answer);
    out.extend_from_slice(b",\"answer_html\":");
    opt_string(out, reply.answer_html.as_deref(), known.answer_html);
    out.extend_from_slice(b",\"suggestions\":[");
    for (n, s) in reply.suggestions.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"intent\":");
        string(out, &s.intent);
        out.extend_from_slice(b",\"title\":");
        string(out, &s.title);
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"alternatives\":[");
    for (n, a) in reply.alternatives.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"intent\":");
        string(out, &a.intent);
        out.extend_from_slice(b",\"confidence\":");
        number(out, a.confidence);
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"top_kind\":");
    match reply.top_kind {
        Some(k) => {
            out.push(b'"');
            out.extend_from_slice(top_kind_name(k).as_bytes());
            out.push(b'"');
        }
        None => out.extend_from_slice(b"null"),
    }
    out.push(b'}');
}

/// `ReplyKind`'s serde name (lower case).
fn kind_name(k: ReplyKind) -> &'static str {
    k.as_str()
}

/// `top_kind`'s JSON name (see `reply::kind_name`).
fn top_kind_name(k: IntentKind) -> &'static str {
    match k {
        IntentKind::Faq => "faq",
        IntentKind::SmallTalk => "small_talk",
        IntentKind::Handoff => "handoff",
        IntentKind::OutOfScope => "out_of_scope",
    }
}

/// An f32 as serde_json writes it (ryu's shortest form; `null` when not
/// finite).
fn number(out: &mut Vec<u8>, x: f32) {
    // Writing into a Vec never fails.
    let _ = serde_json::to_writer(&mut *out, &x);
}

/// `s` as a literal, or `null`; `known`'s literal when `s` is its string.
fn opt_string(out: &mut Vec<u8>, s: Option<&str>, known: Option<Known<'_>>) {
    match (s, known) {
        (Some(s), Some(k)) if s == k.raw => out.extend_from_slice(k.literal.as_bytes()),
        (Some(s), _) => string(out, s),
        (None, _) => out.extend_from_slice(b"null"),
    }
}

/// The reply's text: when it starts with the known answer, the answer's
/// literal without its closing quote, then the rest escaped (escaping
/// works byte by byte, so the two parts join to the whole's literal).
fn text(out: &mut Vec<u8>, s: &str, answer: Option<Known<'_>>) {
    match answer {
        Some(k) if s.starts_with(k.raw) => {
            let lit = k.literal.as_bytes();
            out.extend_from_slice(&lit[..lit.len() - 1]);
            escaped(out, &s[k.raw.len()..]);
            out.push(b'"');
        }
        _ => string(out, s),
    }
}

/// `s` quoted and escaped.
fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    escaped(out, s);
    out.push(b'"');
}

/// How serde_json escapes each byte: 0 not at all, `u` as `\u00XX`, else
/// a backslash and this byte.
const ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = b'u';
        b += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0a] = b'n';
    t[0x0c] = b'f';
    t[0x0d] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

/// `s` escaped (without quotes): runs of plain bytes copied whole.
fn escaped(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let e = ESCAPE[usize::from(b)];
        if e == 0 {
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        if e == b'u' {
            let hex = [HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]];
            out.extend_from_slice(&[b'\\', b'u', b'0', b'0', hex[0], hex[1]]);
        } else {
            out.extend_from_slice(&[b'\\', e]);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::{Alternative, Suggestion};
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
            kind: [
                ReplyKind::Answer,
                ReplyKind::Clarify,
                ReplyKind::Fallback,
                ReplyKind::Handoff,
            ][i % 4],
            intent: (i % 2 == 0).then(|| s(1)),
            title: (i % 5 != 0).then(|| s(2)),
            confidence: [0.0, 1.0, 0.9108503, 1e-7, 0.089_149_71, f32::NAN][i % 6],
            text: match &answer {
                Some(a) if i % 4 != 1 => format!("{a}{}", s(4)),
                _ => s(4),
            },
            answer,
            answer_html: (i % 7 != 0).then(|| s(5)),
            suggestions: (0..i % 4)
                .map(|k| Suggestion {
                    intent: s(k + 6),
                    title: s(k + 7),
                })
                .collect(),
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

    fn known<'a>(x: &'a Option<(&'a str, String)>) -> Option<Known<'a>> {
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
                },
                Prepared {
                    answer: Some(stale),
                    answer_html: Some(stale),
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
            assert_eq!(literal(&s), serde_json::to_string(&s).unwrap(), "byte {b}");
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
                let mut fast = Vec::new();
                answers.write(&mut fast, &reply);
                assert_eq!(
                    String::from_utf8(fast).unwrap(),
                    serde_json::to_string(&reply).unwrap(),
                    "{q:?}"
                );
            }
        }
    }
}
