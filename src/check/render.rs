//! Rendering findings: like a compiler (codespan-reporting) or as JSON
//! lines for editors and CI.
//!
//! Text: `warning[code]: message`, the `file:line:col`, the source line
//! with a caret under the offending text, the witness as notes and the
//! hint as `help:`. JSON: one object per finding and line:
//!
//! ```json
//! {"severity": "warning", "code": "example-conflict",
//!  "message": "example \"...\" of `a` ranks under `b` (0.71; `a` scores 0.52)",
//!  "file": "intents/faq.ron", "line": 7, "col": 13, "len": 21,
//!  "hint": "move the example to `b` if ...", "related": [],
//!  "witness": {"type": "conflict", "intent": "a", "outcome": {...}}}
//! ```
//!
//! `line` and `col` are 1-based (`col` in characters), `len` is in
//! characters; all three are `null` when the finding has no place.

use super::locate::offset_of;
use super::{Finding, Report, Witness};
use crate::error::{Diagnostic, Location, Severity};
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor::Buffer};
use serde::Serialize;
use std::ops::Range;

/// Renders every finding of `report` as compiler-style text, with ANSI
/// colours when `colour` is true.
pub fn render_text(report: &Report, colour: bool) -> String {
    let mut files = SimpleFiles::new();
    let ids: Vec<(usize, &std::path::Path)> = report
        .sources
        .iter()
        .map(|(p, t)| (files.add(p.display().to_string(), t.as_str()), p.as_path()))
        .collect();
    let config = term::Config::default();
    let mut buf = if colour {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    let mut plain = String::new();
    for f in &report.findings {
        let d = &f.diagnostic;
        let file_of = |l: &Location| {
            ids.iter()
                .find(|(_, p)| *p == l.file.as_path())
                .map(|(id, _)| *id)
        };
        let primary = d.location.as_ref().and_then(|l| {
            let id = file_of(l)?;
            let text = report.sources[id].1.as_str();
            Some(Label::primary(id, span(text, l, d.len)).with_message(label(f)))
        });
        if d.location.is_some() && primary.is_none() {
            // A file that is not among the sources (e.g. not UTF-8).
            plain.push_str(&format!("{d}\n\n"));
            continue;
        }
        let mut labels: Vec<Label<usize>> = primary.into_iter().collect();
        let mut notes = Vec::new();
        for (l, note) in &d.related {
            match file_of(l) {
                Some(id) => labels.push(
                    Label::secondary(id, span(&report.sources[id].1, l, None))
                        .with_message(note.clone()),
                ),
                None => notes.push(format!("{l}: {note}")),
            }
        }
        if let Some(w) = &f.witness {
            notes.extend(w.notes());
        }
        if let Some(h) = &d.hint {
            notes.push(format!("help: {h}"));
        }
        let cs = match d.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        }
        .with_code(d.code)
        .with_message(&d.message)
        .with_labels(labels)
        .with_notes(notes);
        if term::emit_to_write_style(&mut buf, &config, &files, &cs).is_err() {
            plain.push_str(&format!("{d}\n\n"));
        }
    }
    let mut out = String::from_utf8_lossy(buf.as_slice()).into_owned();
    out.push_str(&plain);
    out
}

/// The caret's message: what the witness says in a few words.
fn label(f: &Finding) -> String {
    match &f.witness {
        Some(Witness::Duplicate { other_intent, .. }) => {
            format!("also an example of `{other_intent}`")
        }
        Some(Witness::Conflict { outcome, .. }) => outcome.summary(),
        Some(Witness::Unreachable { .. }) => "unreachable".into(),
        Some(Witness::Fragile { variants, .. }) => format!(
            "{} variant{} missed",
            variants.len(),
            if variants.len() == 1 { "" } else { "s" }
        ),
        Some(Witness::CommonKeyword {
            used_by, intents, ..
        }) => format!("used by {used_by} of {intents} intents"),
        Some(Witness::GeneralWord { word, .. }) => format!("uses {word:?}"),
        Some(Witness::PriceQuestion { phrasing, .. }) => match phrasing {
            Some(_) => "says \"how much\"".into(),
            None => "states no price".into(),
        },
        None => String::new(),
    }
}

/// Byte range at `l` in `text`: `len` characters, or the token found
/// there (a string literal, a word, or one character), never past the
/// end of the line.
fn span(text: &str, l: &Location, len: Option<usize>) -> Range<usize> {
    let start = offset_of(text, l.line, l.col);
    let rest = &text[start..];
    let line_end = rest.find('\n').unwrap_or(rest.len());
    let rest = &rest[..line_end];
    let inside_string = text[..start].ends_with('"');
    let bytes = match len {
        Some(n) => rest.char_indices().nth(n).map_or(rest.len(), |(b, _)| b),
        // A place inside a string literal (e.g. a bad regex): up to the
        // closing quote.
        None if inside_string => rest.find('"').unwrap_or(rest.len()),
        None => token_len(rest),
    };
    start..start + bytes.max(rest.chars().next().map_or(0, char::len_utf8))
}

/// Byte length of the token at the start of `s`.
fn token_len(s: &str) -> usize {
    let raw = s.strip_prefix('r').map(|r| r.trim_start_matches('#'));
    if let Some(after) = raw.filter(|r| r.starts_with('"')) {
        let hashes = s.len() - 1 - after.len();
        let close = format!("\"{}", "#".repeat(hashes));
        let body = &after[1..];
        return match body.find(&close) {
            Some(i) => 1 + hashes + 1 + i + close.len(),
            None => s.len(),
        };
    }
    if let Some(body) = s.strip_prefix('"') {
        let mut escaped = false;
        for (i, c) in body.char_indices() {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => return i + 2,
                _ => escaped = false,
            }
        }
        return s.len();
    }
    s.char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
        .map_or(s.len(), |(i, _)| i)
}

/// One finding as a JSON object (see the module documentation); fields
/// in the order shown there.
#[derive(Debug, Serialize)]
pub struct JsonFinding<'a> {
    /// `error` or `warning`.
    pub severity: Severity,
    /// The rule.
    pub code: &'static str,
    /// What is wrong.
    pub message: &'a str,
    /// The file, or `null`.
    pub file: Option<String>,
    /// 1-based line, or `null`.
    pub line: Option<usize>,
    /// 1-based column in characters, or `null`.
    pub col: Option<usize>,
    /// Length of the offending text in characters, or `null`.
    pub len: Option<usize>,
    /// How to fix it, or `null`.
    pub hint: Option<&'a str>,
    /// Other places involved.
    pub related: Vec<JsonRelated<'a>>,
    /// The evidence, or `null`.
    pub witness: Option<&'a Witness>,
}

/// A related place of a [`JsonFinding`].
#[derive(Debug, Serialize)]
pub struct JsonRelated<'a> {
    /// The file.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters.
    pub col: usize,
    /// What is there.
    pub note: &'a str,
}

impl<'a> From<&'a Finding> for JsonFinding<'a> {
    fn from(f: &'a Finding) -> Self {
        let d: &Diagnostic = &f.diagnostic;
        let l = d.location.as_ref();
        JsonFinding {
            severity: d.severity,
            code: d.code,
            message: &d.message,
            file: l.map(|l| l.file.display().to_string()),
            line: l.map(|l| l.line),
            col: l.map(|l| l.col),
            len: d.len,
            hint: d.hint.as_deref(),
            related: d
                .related
                .iter()
                .map(|(l, note)| JsonRelated {
                    file: l.file.display().to_string(),
                    line: l.line,
                    col: l.col,
                    note,
                })
                .collect(),
            witness: f.witness.as_ref(),
        }
    }
}

/// Every finding as JSON lines (one object per line, each line ending in `\n`).
pub fn render_json(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        if let Ok(line) = serde_json::to_string(&JsonFinding::from(f)) {
            out.push_str(&line);
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_lengths() {
        assert_eq!(token_len(r#""a\"b" x"#), 6);
        assert_eq!(token_len(r##"r#"a"b"# x"##), 8);
        assert_eq!(token_len(r#"r"(a" x"#), 5);
        assert_eq!(token_len("exmaples: ["), 8);
        assert_eq!(token_len("\"open"), 5);
    }
}
