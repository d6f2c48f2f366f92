//! Where things are in a RON file that parsed: intents, fields and string
//! values, found by a small scanner that skips white space, comments
//! (`//`, nested `/* */`) and the contents of strings.
//!
//! ron reports where a parse fails but not where a value that parsed came
//! from, so a problem found later (a threshold out of range, a negative
//! keyword weight) is placed here: a field is a key (`name`, optional
//! spaces, `:`) of the struct being looked at, never a word in a comment or
//! in a string, and a value is looked for within its own field of its own
//! intent. String literals are decoded by ron itself before comparing.

use std::ops::Range;

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A string literal, quotes included (`"…"`, `r#"…"#`, `b"…"`).
    Str,
    /// An identifier or keyword (`id`, `Some`, `true`).
    Ident,
    /// `(`, `[` or `{`.
    Open,
    /// `)`, `]` or `}`.
    Close,
    /// `:`.
    Colon,
    /// `,`.
    Comma,
    /// Anything else: a number, a character literal, `#`, `!`.
    Other,
}

/// A token and its byte range in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

/// The tokens of `text[range]`, in order, without white space and comments.
pub(crate) fn tokens(text: &str, range: Range<usize>) -> impl Iterator<Item = Token> + '_ {
    let end = range.end.min(text.len());
    let mut pos = range.start.min(end);
    std::iter::from_fn(move || {
        let start = skip_blank(text.as_bytes(), pos, end);
        if start >= end {
            return None;
        }
        let (kind, after) = token_at(text, start, end);
        pos = after.clamp(start + 1, end);
        Some(Token {
            kind,
            start,
            end: pos,
        })
    })
}

/// The kind of the token at `pos` (not blank) and where it ends.
fn token_at(text: &str, pos: usize, end: usize) -> (Kind, usize) {
    let b = text.as_bytes();
    let c = b[pos];
    match c {
        b'"' => (Kind::Str, string_end(b, pos + 1, end)),
        b'r' | b'b' if raw_or_byte_string(b, pos, end).is_some() => {
            (Kind::Str, raw_or_byte_string(b, pos, end).unwrap_or(end))
        }
        b'\'' => (Kind::Other, char_end(b, pos + 1, end)),
        b'(' | b'[' | b'{' => (Kind::Open, pos + 1),
        b')' | b']' | b'}' => (Kind::Close, pos + 1),
        b':' => (Kind::Colon, pos + 1),
        b',' => (Kind::Comma, pos + 1),
        _ if c == b'_' || c.is_ascii_alphabetic() => (Kind::Ident, word_end(b, pos + 1, end)),
        _ if c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.') => {
            (Kind::Other, word_end(b, pos + 1, end))
        }
        _ => {
            let len = text.get(pos..).and_then(|s| s.chars().next());
            (Kind::Other, pos + len.map_or(1, char::len_utf8))
        }
    }
}

/// The length in bytes of the white space character at `pos`, as ron
/// reads white space (`ron::parse::is_whitespace_char`: ASCII white space
/// with the vertical tab, NEL, the left-to-right and right-to-left marks
/// and the line and paragraph separators), or 0. Found by fuzzing: a
/// vertical tab between intents was white space to ron and an item to the
/// scanner, so the counts differed and no error had a place.
fn blank_len(b: &[u8], pos: usize, end: usize) -> usize {
    const WIDE: [&[u8]; 5] = [
        "\u{85}".as_bytes(),
        "\u{200E}".as_bytes(),
        "\u{200F}".as_bytes(),
        "\u{2028}".as_bytes(),
        "\u{2029}".as_bytes(),
    ];
    if b[pos].is_ascii_whitespace() || b[pos] == 0x0B {
        return 1;
    }
    WIDE.iter()
        .find(|w| b[pos..end].starts_with(w))
        .map_or(0, |w| w.len())
}

/// Past white space and comments from `pos`.
fn skip_blank(b: &[u8], mut pos: usize, end: usize) -> usize {
    while pos < end {
        let blank = blank_len(b, pos, end);
        if blank > 0 {
            pos += blank;
        } else if b[pos..end].starts_with(b"//") {
            pos = b[pos..end]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(end, |i| pos + i + 1);
        } else if b[pos..end].starts_with(b"/*") {
            let mut depth = 0usize;
            while pos < end {
                if b[pos..end].starts_with(b"/*") {
                    depth += 1;
                    pos += 2;
                } else if b[pos..end].starts_with(b"*/") {
                    depth -= 1;
                    pos += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    pos += 1;
                }
            }
        } else {
            break;
        }
    }
    pos.min(end)
}

/// Past the closing quote of a (not raw) string whose body starts at `pos`.
fn string_end(b: &[u8], mut pos: usize, end: usize) -> usize {
    while pos < end {
        match b[pos] {
            b'\\' => pos += 2,
            b'"' => return (pos + 1).min(end),
            _ => pos += 1,
        }
    }
    end
}

/// Past a raw (`r"…"`, `r#"…"#`) or byte (`b"…"`, `br"…"`) string that
/// starts at `pos`, or `None` when none starts there.
fn raw_or_byte_string(b: &[u8], pos: usize, end: usize) -> Option<usize> {
    let mut p = pos;
    if b.get(p) == Some(&b'b') {
        p += 1;
        if b.get(p) == Some(&b'"') && p < end {
            return Some(string_end(b, p + 1, end));
        }
    }
    if b.get(p) != Some(&b'r') {
        return None;
    }
    p += 1;
    let hashes = b[p.min(end)..end]
        .iter()
        .take_while(|&&c| c == b'#')
        .count();
    p += hashes;
    if p >= end || b[p] != b'"' {
        return None;
    }
    let mut close = vec![b'"'];
    close.extend(std::iter::repeat_n(b'#', hashes));
    Some(
        b[p + 1..end]
            .windows(close.len())
            .position(|w| w == close.as_slice())
            .map_or(end, |i| p + 1 + i + close.len()),
    )
}

/// Past the closing `'` of a character literal whose body starts at `pos`.
fn char_end(b: &[u8], mut pos: usize, end: usize) -> usize {
    while pos < end {
        match b[pos] {
            b'\\' => pos += 2,
            b'\'' => return pos + 1,
            b'\n' => return pos,
            _ => pos += 1,
        }
    }
    end
}

fn word_end(b: &[u8], mut pos: usize, end: usize) -> usize {
    while pos < end && (b[pos] == b'_' || b[pos] == b'.' || b[pos].is_ascii_alphanumeric()) {
        pos += 1;
    }
    pos
}

/// Before the first bracketed value: whether token `t` opens it; a `#`
/// (an attribute such as `#![enable(…)]`, whose brackets come first) sets
/// `attribute`.
fn opens_value(text: &str, t: Token, attribute: &mut bool) -> bool {
    if t.kind == Kind::Other && &text[t.start..t.end] == "#" {
        *attribute = true;
        false
    } else {
        t.kind == Kind::Open
    }
}

/// The entries of the first bracketed value in `text[range]` (a list's
/// items, a struct's `key: value` pairs): the byte range of each, from
/// its first token to its last. Attributes such as `#![enable(…)]` and a
/// struct name before the bracket are skipped.
pub(crate) fn entries(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut attribute = false;
    let mut current: Option<Range<usize>> = None;
    for t in tokens(text, range) {
        if depth == 0 {
            if opens_value(text, t, &mut attribute) {
                depth = 1;
            }
            continue;
        }
        match t.kind {
            Kind::Open => depth += 1,
            Kind::Close if depth == 1 => {
                out.extend(current.take());
                if attribute {
                    attribute = false;
                    out.clear();
                    depth = 0;
                    continue;
                }
                return out;
            }
            Kind::Close => depth -= 1,
            Kind::Comma if depth == 1 => {
                out.extend(current.take());
                continue;
            }
            _ => {}
        }
        match &mut current {
            Some(r) => r.end = t.end,
            None => current = Some(t.start..t.end),
        }
    }
    out.extend(current);
    out
}

/// The field `name` of the struct in `text[range]`: the byte offset of
/// its key and the byte range of its value. Reads the struct only up to
/// the end of that field (an intent's `id` comes first: loading a
/// knowledge base asks for it once per intent).
pub(crate) fn field(text: &str, range: Range<usize>, name: &str) -> Option<(usize, Range<usize>)> {
    let mut depth = 0usize;
    let mut attribute = false;
    // At depth 1: the tokens since the last comma (key, colon, value...).
    let mut at_entry = 0usize;
    let mut key: Option<Token> = None;
    let mut found: Option<(usize, usize)> = None;
    let mut value_end = 0usize;
    for t in tokens(text, range) {
        if depth == 0 {
            if opens_value(text, t, &mut attribute) {
                depth = 1;
                at_entry = 0;
            }
            continue;
        }
        let ends_entry = matches!(t.kind, Kind::Comma | Kind::Close) && depth == 1;
        if ends_entry {
            if let Some((k, v)) = found {
                return Some((k, v..value_end.max(v)));
            }
            if t.kind == Kind::Close {
                if attribute {
                    attribute = false;
                    depth = 0;
                    continue;
                }
                return None;
            }
            at_entry = 0;
            key = None;
            continue;
        }
        if depth == 1 {
            match at_entry {
                0 => key = Some(t),
                1 => {
                    let is_key =
                        key.is_some_and(|k| k.kind == Kind::Ident && &text[k.start..k.end] == name);
                    if t.kind == Kind::Colon && is_key {
                        found = key.map(|k| (k.start, t.end));
                    }
                }
                2 => {
                    if let Some(f) = found.as_mut() {
                        f.1 = t.start;
                    }
                }
                _ => {}
            }
            at_entry += 1;
        }
        match t.kind {
            Kind::Open => depth += 1,
            Kind::Close => depth -= 1,
            _ => {}
        }
        value_end = t.end;
    }
    found.map(|(k, v)| (k, v..value_end.max(v)))
}

/// The string literals in `text[range]`, at any depth: each one's byte
/// range (quotes included) and its value as ron decodes it.
pub(crate) fn strings(
    text: &str,
    range: Range<usize>,
) -> impl Iterator<Item = (Range<usize>, String)> + '_ {
    tokens(text, range)
        .filter(|t| t.kind == Kind::Str)
        .filter_map(|t| {
            let value = ron::from_str::<String>(&text[t.start..t.end]).ok()?;
            Some((t.start..t.end, value))
        })
}

/// The byte range of the first string literal in `text[range]` whose
/// value is `value`.
pub(crate) fn string(text: &str, range: Range<usize>, value: &str) -> Option<Range<usize>> {
    strings(text, range)
        .find(|(_, v)| v == value)
        .map(|(r, _)| r)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOT: &str = "// Settings; `faqbot eval` recommends a threshold.\n\
        #![enable(implicit_some)]\n\
        (\n    name: \"threshold: bot\", /* margin: */\n    threshold : 65,\n    margin: 0.03,\n)\n";

    #[test]
    fn a_field_is_a_key_not_a_word_in_a_comment_or_a_string() {
        let (key, value) = field(BOT, 0..BOT.len(), "threshold").unwrap();
        assert_eq!(&BOT[key..key + 9], "threshold");
        assert!(BOT[..key].ends_with("\n    "));
        assert_eq!(&BOT[value], "65");
        let (key, _) = field(BOT, 0..BOT.len(), "margin").unwrap();
        assert!(BOT[key..].starts_with("margin: 0.03"));
        assert_eq!(field(BOT, 0..BOT.len(), "bot"), None);
    }

    #[test]
    fn entries_of_a_list_of_intents() {
        let text = "[ // (id: \"x\")\n  (id: \"a\", examples: [\"(\", r#\"\")\"#]),\n  IntentDef(id: \"b\"), ]";
        let items = entries(text, 0..text.len());
        assert_eq!(items.len(), 2);
        assert!(text[items[0].clone()].starts_with("(id: \"a\""));
        assert!(text[items[0].clone()].ends_with("])"));
        assert_eq!(&text[items[1].clone()], "IntentDef(id: \"b\")");
        let (key, _) = field(text, items[1].clone(), "id").unwrap();
        assert!(text[key..].starts_with("id: \"b\""));
    }

    #[test]
    fn a_value_is_found_within_its_own_field() {
        let text = "(examples: [\"car park near the library\"],\n keywords: [(word: \"car\", weight: -1.0), \"a\\\"b\"])";
        let (_, kw) = field(text, 0..text.len(), "keywords").unwrap();
        let r = string(text, kw.clone(), "car").unwrap();
        assert_eq!(&text[r.clone()], "\"car\"");
        assert!(r.start > text.find('\n').unwrap());
        assert_eq!(
            &text[string(text, kw.clone(), "a\"b").unwrap()],
            "\"a\\\"b\""
        );
        assert_eq!(string(text, kw, "car park near the library"), None);
    }

    #[test]
    fn raw_and_byte_strings_and_chars_are_single_tokens() {
        let text = r####"[r#"a"b"#, br"x", b"y", '\'', 'q', 1.5e3, -2]"####;
        let kinds: Vec<Kind> = tokens(text, 0..text.len()).map(|t| t.kind).collect();
        use Kind::*;
        assert_eq!(
            kinds,
            [
                Open, Str, Comma, Str, Comma, Str, Comma, Other, Comma, Other, Comma, Other, Comma,
                Other, Close
            ]
        );
    }
}
