//! RON errors in the author's words ([`ron_diagnostic`]): at their
//! `file:line:col`, with a "did you mean" for unknown names, schema types
//! named as an author calls them, and a hint at the likely cause (a
//! missing comma, an unclosed string, typographic quotes).

use super::locate::{did_you_mean, location, offset_of};
use super::scan;
use crate::error::{Diagnostic, Location};
use std::path::Path;

/// Turns a RON error into a diagnostic at its `file:line:col`, in the
/// author's words: unknown fields and enum variants get a "did you mean"
/// from the names the schema expects, missing and duplicate fields say
/// which, and schema type names become what an author calls them.
pub fn ron_diagnostic(path: &Path, e: &ron::error::SpannedError) -> Diagnostic {
    let loc = Location {
        file: path.to_path_buf(),
        line: e.span.start.line.max(1),
        col: e.span.start.col.max(1),
    };
    let suggest = |d: Diagnostic, found: &str, expected: &[&str]| match did_you_mean(
        found,
        expected.iter().copied(),
    ) {
        Some(s) => d.hint(format!("did you mean `{s}`?")),
        None => d.hint(format!("expected one of: {}", expected.join(", "))),
    };
    match &e.code {
        ron::Error::NoSuchStructField {
            expected,
            found,
            outer,
        } => suggest(
            Diagnostic::error(
                "unknown-field",
                format!("unknown field `{found}` in {}", schema_name(outer)),
            )
            .at(Some(loc)),
            found,
            expected,
        ),
        ron::Error::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => suggest(
            Diagnostic::error(
                "unknown-variant",
                format!("`{found}` is not a valid {}", schema_name(outer)),
            )
            .at(Some(loc)),
            found,
            expected,
        ),
        ron::Error::MissingStructField { field, outer } => Diagnostic::error(
            "missing-field",
            format!("{} has no `{field}`, which is required", schema_name(outer)),
        )
        .at(Some(loc)),
        ron::Error::DuplicateStructField { field, outer } => Diagnostic::error(
            "duplicate-field",
            format!("field `{field}` appears twice in {}", schema_name(outer)),
        )
        .at(Some(loc)),
        code => Diagnostic::error(
            "ron-syntax",
            format!("invalid RON: {}", in_authors_words(&code.to_string())),
        )
        .at(Some(loc)),
    }
}

/// The schema's type names (`UiTexts`, `BotSettings`, ...) in a RON
/// error's text replaced by what an author writes: `Expected opening `(`
/// for struct `UiTexts`` → `Expected opening `(` for bot.ron's `texts``.
fn in_authors_words(message: &str) -> String {
    const KEYWORD: &str = "data did not match any variant of untagged enum KeywordDef";
    let mut out = message.replace(
        KEYWORD,
        "a keyword is a string (\"pin\") or (word: \"apple watch\", weight: 2.0, required: true)",
    );
    for t in SCHEMA_TYPES {
        let owned = Some((*t).to_string());
        let name = match *t {
            "BotSettings" => "bot.ron's settings",
            _ => schema_name(&owned),
        }
        .to_string();
        for form in [
            format!("struct `{t}`"),
            format!("enum `{t}`"),
            format!("enum {t}"),
            format!("`{t}`"),
        ] {
            out = out.replace(&form, &name);
        }
    }
    out
}

/// The schema types whose names serde and ron put in error messages.
const SCHEMA_TYPES: &[&str] = &[
    "IntentDef",
    "KeywordSpec",
    "KeywordDef",
    "BotSettings",
    "UiTexts",
    "IntentKind",
    "TestCase",
    "TurnExpect",
    "ReplyKind",
];

/// [`ron_diagnostic`] with the file's text: when the error's line or the
/// line before holds a typographic quote (`“ ” ‘ ’`, as a word processor
/// or a phone types them), a hint says so. ron reads `"where can I park”,`
/// as a string that goes on to the next line's `"`, and only reports
/// "Expected comma" there.
///
/// Otherwise, when ron noticed the error after its cause:
/// a string that an earlier line opened and did not close is named where
/// it opens, and "Expected comma" at the first token of a line asks
/// whether a comma (or a list's `]`) is missing at the end of the line
/// before.
pub fn ron_diagnostic_in(path: &Path, text: &str, e: &ron::error::SpannedError) -> Diagnostic {
    let mut d = ron_diagnostic(path, e);
    if d.hint.is_some() {
        return d;
    }
    // ron reports some errors after the last token it could read ("Expected
    // string" at the end of `examples: [`): when only blanks and comments
    // follow on the error's line, the token it could not read starts a
    // later line. When that token opens a string in the wrong quotes (a
    // word processor's “quotes” on a list item of its own line), the
    // error is placed there, where the author must look; any other error
    // (a missing value after `id:`) stays where ron found it.
    let mut line = e.span.start.line;
    let next = unread_token(text, e).filter(|t| {
        text[t.start..].starts_with(['\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}', '\''])
    });
    if let Some(t) = &next {
        let l = location(path, text, t.start);
        line = l.line;
        d.location = Some(l);
    }
    if let Some((line, q)) = typographic_quote(text, line) {
        return d.hint(format!(
            "line {line} has a typographic quote ({q}); RON strings need straight quotes \""
        ));
    }
    if next.is_some_and(|t| text[t.start..].starts_with('\'')) {
        return d.hint(format!(
            "line {line} has a string in single quotes ('); RON strings need double quotes \""
        ));
    }
    if let Some((at, h)) = list_field_hint(text, e) {
        d.location = Some(location(path, text, at));
        return d.hint(h);
    }
    if let Some((at, h)) = shape_hint(text, e) {
        // ron places the error after the comments before the `(`.
        d.location = Some(location(path, text, at));
        return d.hint(h);
    }
    match cause_hint(text, e) {
        Some(h) => d.hint(h),
        None => d,
    }
}

/// A hint for a field whose value must be a list and is not (`examples:
/// "hi",`): ron says "Expected opening `[`" after the colon, at the end of
/// the line when the value starts the next one, and names no field (a
/// library user's trial 34). The value's offset and the hint naming the
/// field.
fn list_field_hint(text: &str, e: &ron::error::SpannedError) -> Option<(usize, String)> {
    if !matches!(e.code, ron::Error::ExpectedArray) {
        return None;
    }
    let at = offset_of(text, e.span.start.line, e.span.start.col);
    let before: Vec<scan::Token> = scan::tokens(text, 0..at).collect();
    let [.., key, colon] = before.as_slice() else {
        return None;
    };
    if key.kind != scan::Kind::Ident || colon.kind != scan::Kind::Colon {
        return None;
    }
    let value = scan::tokens(text, at..text.len()).next()?;
    let field = &text[key.start..key.end];
    let found = match value.kind {
        scan::Kind::Str => "a string",
        scan::Kind::Open => "a `(` or `{`",
        _ => "something else",
    };
    Some((
        value.start,
        format!(
            "`{field}` is a list: write `{field}: [ … ]`, even for one entry (`{field}: [\"…\"]`); found {found}"
        ),
    ))
}

/// A hint for a file of the wrong shape: ron expects a list (`[`) where
/// the file starts with a single `( … )`, as the README's one-intent
/// snippet does when it is saved on its own (trial 23, finding 8): the
/// `(`'s offset and the hint.
fn shape_hint(text: &str, e: &ron::error::SpannedError) -> Option<(usize, String)> {
    let first = scan::tokens(text, 0..text.len()).next()?;
    let at = offset_of(text, e.span.start.line, e.span.start.col);
    (matches!(e.code, ron::Error::ExpectedArray)
        && at <= first.start
        && text.as_bytes()[first.start] == b'(')
        .then(|| {
            // Bot-wide settings saved under another name (a library user's
            // `settings.ron`): the list hint would mislead.
            let settings = crate::kb::ron_options()
                .from_str::<crate::schema::BotSettings>(text)
                .is_ok();
            let hint = if settings {
                "this file holds bot-wide settings (name, greeting, ...): they are read only from \
                 the file named bot.ron; every other .ron file is a list of intents"
            } else {
                "a file of intents (or of conversation tests) is a list, even of one: wrap it in \
                 [ … ], `[` before its first `(` and `]` after its last `)`"
            };
            (first.start, hint.to_string())
        })
}

/// The token ron could not read when it reports the error after the last
/// token it read, at the end of a line: the first token after the error
/// (blanks and comments skipped), when it starts a later line.
fn unread_token(text: &str, e: &ron::error::SpannedError) -> Option<scan::Token> {
    let at = offset_of(text, e.span.start.line, e.span.start.col);
    let t = scan::tokens(text, at..text.len()).next()?;
    let line_of = |off: usize| location(Path::new(""), text, off).line;
    (line_of(t.start) > line_of(at)).then_some(t)
}

/// Where the cause of a RON syntax error likely is, when ron reports it
/// later (ron reads on as long as the text parses, so it notices a missing
/// comma at the next line's first token, and a missing closing quote
/// where the string it swallowed ends):
///
/// * the last token before the error is a string that opened on an
///   earlier line (its line holds an odd number of unescaped quotes) and
///   ends on the error's line: "the string that opens at line N, col C
///   is not closed on its line";
/// * the error is "Expected comma" (or a closing bracket, where ron
///   takes the value before as the last) at the first token of its line, and the
///   token before it (comments and blank lines skipped) ends an earlier
///   line and is neither a `,` nor an opening bracket: "is a comma missing
///   at the end of line N?", or, when the innermost open bracket is a list's
///   `[` and the token is a field's key, "is `],` missing …?".
fn cause_hint(text: &str, e: &ron::error::SpannedError) -> Option<String> {
    let at = offset_of(text, e.span.start.line, e.span.start.col);
    // A string that no later quote closes runs to the end of the file:
    // ron reports it at its opening quote.
    if matches!(e.code, ron::Error::ExpectedStringEnd) && text[at..].starts_with('"') {
        let open = location(Path::new(""), text, at);
        return Some(format!(
            "the string that opens at line {}, col {} is not closed on its line (is a closing \" \
             missing?): it runs on to the end of the file",
            open.line, open.col
        ));
    }
    let before: Vec<scan::Token> = scan::tokens(text, 0..at).collect();
    let last = *before.last()?;
    let line_of = |off: usize| location(Path::new(""), text, off).line;
    let error_line = line_of(at);
    let last_line = line_of(last.end.saturating_sub(1));
    if last.kind == scan::Kind::Str && line_of(last.start) < error_line && last_line == error_line {
        let open = location(Path::new(""), text, last.start);
        return Some(format!(
            "the string that opens at line {}, col {} is not closed on its line (is a closing \" \
             missing?): it runs on to line {error_line}",
            open.line, open.col
        ));
    }
    let first_of_line = text[..at]
        .rsplit('\n')
        .next()
        .is_some_and(|l| l.trim().is_empty());
    let expected_comma = matches!(
        e.code,
        ron::Error::ExpectedComma
            | ron::Error::ExpectedStructLikeEnd
            | ron::Error::ExpectedArrayEnd
            | ron::Error::ExpectedMapEnd
    );
    if !expected_comma
        || !first_of_line
        || matches!(last.kind, scan::Kind::Comma | scan::Kind::Open)
        || last_line >= error_line
    {
        return None;
    }
    let mut open = Vec::new();
    for t in &before {
        match t.kind {
            scan::Kind::Open => open.push(*t),
            scan::Kind::Close => {
                open.pop();
            }
            _ => {}
        }
    }
    let mut next = scan::tokens(text, at..text.len()).map(|t| t.kind);
    let key = next.next() == Some(scan::Kind::Ident) && next.next() == Some(scan::Kind::Colon);
    match open.last() {
        Some(list) if key && text.as_bytes()[list.start] == b'[' => {
            let l = location(Path::new(""), text, list.start);
            Some(format!(
                "is `],` missing at the end of line {last_line}? The list that opens at line {}, \
                 col {} is still open at this field",
                l.line, l.col
            ))
        }
        _ => Some(format!(
            "is a comma missing at the end of line {last_line}?"
        )),
    }
}

/// The first typographic quote on 1-based `line` of `text`, else on the
/// line before: (its line, the quote). A `’` between two letters is an
/// apostrophe ("it’s"), not a quote.
fn typographic_quote(text: &str, line: usize) -> Option<(usize, char)> {
    let first = line.saturating_sub(1).max(1);
    let lines: Vec<(usize, &str)> = (first..)
        .zip(text.lines().skip(first - 1))
        .take((line + 1).saturating_sub(first))
        .collect();
    lines.into_iter().rev().find_map(|(n, l)| {
        let chars: Vec<char> = l.chars().collect();
        let letter = |k: Option<usize>| {
            k.and_then(|k| chars.get(k))
                .is_some_and(|c| c.is_alphabetic())
        };
        chars.iter().enumerate().find_map(|(k, &c)| {
            let apostrophe = c == '’' && letter(k.checked_sub(1)) && letter(Some(k + 1));
            (matches!(c, '“' | '”' | '‘' | '’') && !apostrophe).then_some((n, c))
        })
    })
}

/// What an author calls a schema type in an error message.
fn schema_name(outer: &Option<String>) -> &str {
    match outer.as_deref() {
        Some("IntentDef") => "an intent",
        Some("KeywordSpec" | "KeywordDef") => "a keyword",
        Some("BotSettings") => "bot.ron",
        Some("UiTexts") => "bot.ron's `texts`",
        Some("IntentKind") => "intent kind",
        Some("TestCase") => "a test case",
        Some("TurnExpect") => "a turn",
        Some("ReplyKind") => "reply kind",
        Some(other) => other,
        None => "this value",
    }
}

#[cfg(test)]
mod tests;
