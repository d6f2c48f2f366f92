//! Pipe mode's `--json` output: the reply's object written field by field
//! ([`write()`]: keys as they are, strings without escapes copied, other
//! strings and numbers by `serde_json`), its `answer` and `answer_html`
//! possibly from JSON literals made once per intent ([`Answers`], as
//! `serde_json`'s [`RawValue`]) instead of on every reply that shows them
//! (also for the `text` when it is the answer alone), and so the intents'
//! ids and titles (the reply's intent, its suggestions and alternatives);
//! the same bytes as
//! `serde_json::to_writer(out, reply)` (tests compare both on replies
//! with quotes, backslashes, control characters, newlines, Unicode and
//! `null` fields, and on the engine's replies).

use crate::reply::{Reply, ReplyKind};
use crate::Engine;
use rustc_hash::FxHashMap;
use serde_json::value::RawValue;
use std::sync::OnceLock;

/// A string and its JSON literal; a reply's field equal to `raw` is
/// written as `literal`.
#[derive(Clone, Copy, Debug)]
pub struct Known<'a> {
    /// The string.
    pub raw: &'a str,
    /// `raw` as a JSON string literal.
    pub literal: &'a RawValue,
}

/// Literals known in advance for a reply's `answer` and `answer_html`,
/// and for the intents it names.
#[derive(Clone, Copy, Debug, Default)]
pub struct Prepared<'a> {
    /// The answered intent's answer.
    pub answer: Option<Known<'a>>,
    /// The answered intent's answer as HTML.
    pub answer_html: Option<Known<'a>>,
    /// The intents' ids and titles as literals, found by id (a reply's
    /// intent, suggestions and alternatives).
    pub names: Option<&'a Ids<'a>>,
}

/// An intent's id and title as JSON literals, and its title.
#[derive(Debug)]
struct Names {
    id: Box<RawValue>,
    title: Box<str>,
    title_literal: Box<RawValue>,
}

/// Each intent's id and title as JSON literals, made on first use, and
/// each intent's index by its id.
#[derive(Debug)]
pub struct Ids<'e> {
    engine: &'e Engine,
    names: Vec<OnceLock<Names>>,
    /// Each intent's index by its id: a hashed look-up of the reply's
    /// intent (the knowledge base's binary search compared strings about
    /// seven times, 0.3 k instructions a reply on BANKING77).
    index: FxHashMap<&'e str, usize>,
}

impl Ids<'_> {
    /// The id's and title's literals of the intent whose id is `id`, if
    /// it is one of the engine's intents.
    fn names(&self, id: &str) -> Option<&Names> {
        let i = *self.index.get(id)?;
        Some(self.names[i].get_or_init(|| {
            let intent = &self.engine.knowledge_base().intents[i];
            Names {
                id: literal(&intent.id),
                title: intent.title.as_str().into(),
                title_literal: literal(&intent.title),
            }
        }))
    }
}

impl Names {
    /// The title's literal, known for `title` when it is this intent's.
    fn title(&self) -> Known<'_> {
        Known {
            raw: &self.title,
            literal: &self.title_literal,
        }
    }
}

/// An intent's answer as a JSON literal, and its HTML with the HTML's
/// literal.
#[derive(Debug)]
struct Literals<'e> {
    answer: Box<RawValue>,
    html: Option<(&'e str, Box<RawValue>)>,
}

/// Each intent's answer (and its HTML) as JSON literals, made on first
/// use; shared by pipe mode's threads.
#[derive(Debug)]
pub struct Answers<'e> {
    engine: &'e Engine,
    literals: Vec<OnceLock<Literals<'e>>>,
    ids: Ids<'e>,
}

impl<'e> Answers<'e> {
    /// An empty cache for `engine`'s intents.
    pub fn new(engine: &'e Engine) -> Self {
        let intents = &engine.knowledge_base().intents;
        let mut index = FxHashMap::default();
        index.reserve(intents.len());
        for (i, intent) in intents.iter().enumerate() {
            // Ids are unique in a loaded knowledge base, which keeps its
            // intents sorted by id for its own binary search.
            index.entry(intent.id.as_str()).or_insert(i);
        }
        Answers {
            engine,
            literals: (0..intents.len()).map(|_| OnceLock::new()).collect(),
            ids: Ids {
                engine,
                names: (0..intents.len()).map(|_| OnceLock::new()).collect(),
                index,
            },
        }
    }

    /// Appends `reply` as one JSON object (no newline): [`write()`] with the
    /// answered intent's literals.
    pub fn write(&self, out: &mut Vec<u8>, reply: &Reply) {
        write(out, reply, self.prepared(reply));
    }

    /// The literals of the intent `reply` answers (its answer's only with
    /// an answer), and the intents' names.
    fn prepared(&self, reply: &Reply) -> Prepared<'_> {
        let kb = self.engine.knowledge_base();
        let none = Prepared {
            names: Some(&self.ids),
            ..Prepared::default()
        };
        let Some(&i) = reply
            .answer
            .as_ref()
            .and(reply.intent.as_deref())
            .and_then(|id| self.ids.index.get(id))
        else {
            return none;
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
            names: Some(&self.ids),
        }
    }

    fn html(&self, i: usize) -> Option<&'e str> {
        let id = &self.engine.knowledge_base().intents[i].id;
        self.engine.answer_html(id)
    }
}

/// `s` as a JSON string literal, as serde_json writes it.
pub fn literal(s: &str) -> Box<RawValue> {
    // A string always serialises.
    serde_json::value::to_raw_value(s)
        .unwrap_or_else(|_| RawValue::from_string("null".to_string()).expect("null is JSON"))
}

/// Appends `reply` as one JSON object (no newline), byte for byte what
/// `serde_json::to_writer` writes for [`Reply`] (its fields in its order,
/// `input_truncated` only when true); a field equal to a `known` string
/// is written as its literal (the text too, when it is the answer). The
/// object's frame and keys are written as they are; a string that needs
/// no escape (no control character, quote or backslash) is copied between
/// quotes, any other one and every number are written by `serde_json`.
pub fn write(out: &mut Vec<u8>, reply: &Reply, known: Prepared<'_>) {
    out.extend_from_slice(b"{\"input\":");
    string(out, &reply.input);
    if reply.input_truncated {
        out.extend_from_slice(b",\"input_truncated\":true");
    }
    out.extend_from_slice(match reply.kind {
        ReplyKind::Answer => b",\"kind\":\"answer\"",
        ReplyKind::Clarify => b",\"kind\":\"clarify\"",
        ReplyKind::Fallback => b",\"kind\":\"fallback\"",
        ReplyKind::Handoff => b",\"kind\":\"handoff\"",
    });
    // The intents' ids are found by id, so an id's literal is its own;
    // a title is written as its intent's literal only when equal to it.
    let names = |id: &str| known.names.and_then(|a| a.names(id));
    let intent = reply.intent.as_deref().and_then(names);
    out.extend_from_slice(b",\"intent\":");
    match &reply.intent {
        Some(s) => id(out, s, intent),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"title\":");
    optional(out, reply.title.as_deref(), intent.map(Names::title));
    out.extend_from_slice(b",\"confidence\":");
    number(out, reply.confidence);
    out.extend_from_slice(b",\"raised_by\":");
    match reply.raised_by {
        Some(r) => {
            out.push(b'"');
            out.extend_from_slice(r.as_str().as_bytes());
            out.push(b'"');
        }
        None => out.extend_from_slice(b"null"),
    }
    // The text is the answer alone on most answers of a knowledge base
    // without related questions (BANKING77): its literal then.
    out.extend_from_slice(b",\"text\":");
    optional(out, Some(&reply.text), known.answer);
    out.extend_from_slice(b",\"answer\":");
    optional(out, reply.answer.as_deref(), known.answer);
    out.extend_from_slice(b",\"answer_html\":");
    optional(out, reply.answer_html.as_deref(), known.answer_html);
    if let Some(html) = &reply.handoff_html {
        out.extend_from_slice(b",\"handoff_html\":");
        string(out, html);
    }
    out.extend_from_slice(b",\"suggestions\":[");
    objects(out, &reply.suggestions, |out, s| {
        let n = names(&s.intent);
        id(out, &s.intent, n);
        out.extend_from_slice(b",\"title\":");
        optional(out, Some(&s.title), n.map(Names::title));
    });
    out.push(b']');
    if let Some(label) = &reply.suggestions_label {
        out.extend_from_slice(b",\"suggestions_label\":");
        string(out, label);
    }
    out.extend_from_slice(b",\"alternatives\":[");
    objects(out, &reply.alternatives, |out, a| {
        id(out, &a.intent, names(&a.intent));
        out.extend_from_slice(b",\"confidence\":");
        number(out, a.confidence);
    });
    out.extend_from_slice(b"],\"top_kind\":");
    // Writing into a Vec never fails.
    let _ = crate::reply::kind_name::serialize(
        &reply.top_kind,
        &mut serde_json::Serializer::new(&mut *out),
    );
    if reply.miss {
        out.extend_from_slice(b",\"miss\":true");
    }
    out.push(b'}');
}

/// `s` (or `null`) as a JSON value: `known`'s literal when `s` is its
/// string, else [`string`].
fn optional(out: &mut Vec<u8>, s: Option<&str>, known: Option<Known<'_>>) {
    match (s, known) {
        (None, _) => out.extend_from_slice(b"null"),
        (Some(s), Some(k)) if s == k.raw => out.extend_from_slice(k.literal.get().as_bytes()),
        (Some(s), _) => string(out, s),
    }
}

/// Intent id `s` as a JSON string: the literal of `names`, found by `s`,
/// else [`string`].
fn id(out: &mut Vec<u8>, s: &str, names: Option<&Names>) {
    match names {
        Some(n) => out.extend_from_slice(n.id.get().as_bytes()),
        None => string(out, s),
    }
}

/// The objects of a JSON array of `items`, comma-separated: each opens with
/// `{"intent":`, `rest` writes the intent's value and the other fields,
/// and the object is closed (the array's brackets are the caller's).
fn objects<T>(out: &mut Vec<u8>, items: &[T], mut rest: impl FnMut(&mut Vec<u8>, &T)) {
    for (k, x) in items.iter().enumerate() {
        out.extend_from_slice(if k == 0 {
            b"{\"intent\":"
        } else {
            b",{\"intent\":"
        });
        rest(out, x);
        out.push(b'}');
    }
}

/// `s` as a JSON string literal, as `serde_json` writes it: copied between
/// quotes when no byte needs an escape (the bytes it escapes are the
/// controls below 0x20, `"` and `\\`), else by `serde_json`.
fn string(out: &mut Vec<u8>, s: &str) {
    // Without an early exit, so that the compiler vectorises the test.
    let plain = s
        .as_bytes()
        .iter()
        .fold(true, |ok, &b| ok & (b >= 0x20) & (b != b'"') & (b != b'\\'));
    if plain {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        // Writing into a Vec never fails.
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

/// `x` as `serde_json` writes an `f32` (`null` when not finite).
fn number(out: &mut Vec<u8>, x: f32) {
    // Writing into a Vec never fails.
    let _ = serde_json::to_writer(&mut *out, &x);
}

#[cfg(test)]
mod tests;
