//! A [`Reply`] as one line of JSON, written straight into a byte buffer.
//!
//! Byte for byte what `serde_json::to_vec(&reply)` gives (the derived
//! `Serialize` of [`Reply`]: fields in declaration order, `null` for
//! `None` and for non-finite numbers, compact, strings escaped as
//! serde_json escapes them); the tests compare the two on replies of every
//! kind and on strings with every byte that needs escaping. Pipe mode
//! writes thousands of replies a second: serde_json's string escaping
//! looks each byte up in a table, this scans eight bytes at a time and
//! copies the runs that need no escaping whole.

use crate::reply::{Alternative, Reply, Suggestion};
use serde_json::ser::{CompactFormatter, Formatter};

/// Appends `reply` as compact JSON (no newline) to `out`.
pub fn write_reply(out: &mut Vec<u8>, reply: &Reply) {
    out.extend_from_slice(b"{\"input\":");
    string(out, &reply.input);
    out.extend_from_slice(b",\"kind\":\"");
    out.extend_from_slice(reply.kind.as_str().as_bytes());
    out.extend_from_slice(b"\",\"intent\":");
    opt_string(out, reply.intent.as_deref());
    out.extend_from_slice(b",\"title\":");
    opt_string(out, reply.title.as_deref());
    out.extend_from_slice(b",\"confidence\":");
    number(out, reply.confidence);
    out.extend_from_slice(b",\"text\":");
    string(out, &reply.text);
    out.extend_from_slice(b",\"answer\":");
    opt_string(out, reply.answer.as_deref());
    out.extend_from_slice(b",\"answer_html\":");
    opt_string(out, reply.answer_html.as_deref());
    out.extend_from_slice(b",\"suggestions\":[");
    for (k, Suggestion { intent, title }) in reply.suggestions.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"intent\":");
        string(out, intent);
        out.extend_from_slice(b",\"title\":");
        string(out, title);
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"alternatives\":[");
    for (k, Alternative { intent, confidence }) in reply.alternatives.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"intent\":");
        string(out, intent);
        out.extend_from_slice(b",\"confidence\":");
        number(out, *confidence);
        out.push(b'}');
    }
    out.extend_from_slice(b"]}");
}

/// A number as serde_json writes an `f32`: its shortest form, `null`
/// when not finite.
fn number(out: &mut Vec<u8>, x: f32) {
    if x.is_finite() {
        // Writing into a Vec cannot fail.
        let _ = CompactFormatter.write_f32(out, x);
    } else {
        out.extend_from_slice(b"null");
    }
}

fn opt_string(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// Whether any byte of `w` (eight bytes, little or big endian alike) is a
/// control character (< 0x20), `"` or `\`.
fn needs_escape(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte b < n (n <= 0x80) sets its high bit in (b - n) & !b.
    let below = w.wrapping_sub(ONES * 0x20) & !w;
    let zero = |v: u64| v.wrapping_sub(ONES) & !v;
    let quote = zero(w ^ (ONES * u64::from(b'"')));
    let backslash = zero(w ^ (ONES * u64::from(b'\\')));
    (below | quote | backslash) & HIGH != 0
}

/// `s` as a JSON string, escaped as serde_json escapes: `\"`, `\\`,
/// `\b`, `\t`, `\n`, `\f`, `\r`, other control characters as `\u00xx`
/// (lower-case hex); everything else (`/`, DEL, non-ASCII) as is.
fn string(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Eight bytes without anything to escape are skipped at once.
        if let Some(chunk) = bytes.get(i..i + 8) {
            let w = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
            if !needs_escape(w) {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            b'\t' => b"\\t",
            b'\n' => b"\\n",
            0x0c => b"\\f",
            b'\r' => b"\\r",
            0..=0x1f => &[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ],
            _ => {
                i += 1;
                continue;
            }
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(esc);
        i += 1;
        start = i;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::ReplyKind;

    fn json(r: &Reply) -> String {
        let mut out = Vec::new();
        write_reply(&mut out, r);
        String::from_utf8(out).expect("UTF-8")
    }

    /// Every byte below 0x80 (each control character, quote, backslash,
    /// slash, DEL) at every position of a chunk, runs longer than eight
    /// bytes, and non-ASCII text.
    fn hard_strings() -> Vec<String> {
        let mut v: Vec<String> = (0u8..0x80)
            .flat_map(|b| {
                let c = char::from(b);
                (0..10).map(move |k| format!("{}{c}{}", "a".repeat(k), "é".repeat(k % 3)))
            })
            .collect();
        v.extend(
            [
                "",
                "plain ASCII text longer than eight bytes",
                "“quoted” \"quoted\" \\ back\\slash // ",
                "line\nbreak\r\n\ttab \u{7f} \u{1b}[0m \u{0} \u{1f}",
                "ä ö ü € 😀 \u{2028} \u{2029} \u{feff}",
            ]
            .map(String::from),
        );
        v
    }

    fn reply(s: &str, x: f32) -> Reply {
        Reply {
            input: s.to_string(),
            kind: ReplyKind::Answer,
            intent: Some(s.to_string()),
            title: None,
            confidence: x,
            text: format!("{s}{s}"),
            answer: Some(s.to_string()),
            answer_html: None,
            suggestions: vec![Suggestion {
                intent: s.to_string(),
                title: "t".into(),
            }],
            alternatives: vec![
                Alternative {
                    intent: "a".into(),
                    confidence: x / 3.0,
                },
                Alternative {
                    intent: s.to_string(),
                    confidence: -x,
                },
            ],
        }
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        for s in hard_strings() {
            let r = reply(&s, 0.5);
            assert_eq!(json(&r), serde_json::to_string(&r).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn numbers_and_nulls_are_written_as_serde_json_writes_them() {
        let xs = [
            0.0,
            -0.0,
            1.0,
            0.1,
            1.0 / 3.0,
            0.850_928,
            1e-7,
            1e-45,
            f32::MIN_POSITIVE,
            f32::MAX,
            123_456_790.0,
            f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
        ];
        for x in xs {
            let r = reply("x", x);
            assert_eq!(json(&r), serde_json::to_string(&r).unwrap(), "{x}");
        }
        for kind in [
            ReplyKind::Answer,
            ReplyKind::Clarify,
            ReplyKind::Fallback,
            ReplyKind::Handoff,
        ] {
            let r = Reply {
                kind,
                intent: None,
                answer: None,
                answer_html: Some("<p>x</p>".into()),
                title: Some("T".into()),
                suggestions: Vec::new(),
                alternatives: Vec::new(),
                ..reply("y", 0.25)
            };
            assert_eq!(json(&r), serde_json::to_string(&r).unwrap());
        }
    }

    #[test]
    fn real_replies_are_written_as_serde_json_writes_them() {
        let engine = crate::Engine::bundled().expect("bundled knowledge base");
        let lines = [
            "I forgot my app PIN",
            "pin",
            "hello",
            "can I talk to a person",
            "what is the weather on Mars",
            "\"quoted\" \\ \t tab",
            "",
        ];
        for line in lines {
            let r = engine.respond(&mut crate::Session::new(), line);
            assert_eq!(json(&r), serde_json::to_string(&r).unwrap(), "{line:?}");
        }
    }
}
