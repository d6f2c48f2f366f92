//! The rules a knowledge base's values must follow (the table of the
//! [`super`] module doc), for one loaded from files and one built in
//! memory alike: ids, follow-ups, patterns, answers, keywords and
//! `bot.ron`'s settings.

use super::locate::{did_you_mean, field_key, field_string, location};
use super::{compile_pattern, scan, Def};
use crate::error::{Diagnostic, Location};
use crate::schema::{BotSettings, IntentKind};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Checks every intent of `defs` (ids, duplicates, follow-ups, answers,
/// patterns when `check_patterns`, keywords); `files` are the files the
/// intents come from, for places (empty for intents built in memory).
pub(super) fn validate(
    files: &[(PathBuf, String)],
    defs: &[Def],
    check_patterns: bool,
    diags: &mut Vec<Diagnostic>,
) {
    let mut seen: HashMap<&str, &Option<Location>> = HashMap::new();
    for (def, loc, _, _) in defs {
        if def.id.is_empty()
            || !def
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            diags.push(
                Diagnostic::error(
                    "bad-id",
                    format!("intent id `{}` is not snake_case", def.id),
                )
                .at(loc.clone())
                .hint("ids use lower-case letters, digits and `_`, e.g. `reset_pin`"),
            );
        }
        if let Some(first) = seen.get(def.id.as_str()) {
            diags.push(
                Diagnostic::error("duplicate-id", format!("duplicate intent id `{}`", def.id))
                    .at(loc.clone())
                    .related((*first).clone(), "first defined here"),
            );
        } else {
            seen.insert(&def.id, loc);
        }
    }
    let ids: Vec<&str> = defs.iter().map(|d| d.0.id.as_str()).collect();
    let id_set: std::collections::HashSet<&str> = ids.iter().copied().collect();
    for (def, loc, fi, span) in defs {
        // The intent's file and its range there: none for one built in
        // memory ([`KnowledgeBase::from_intents`]).
        let place = files.get(*fi).zip(span.as_ref());
        // A field's key, or a string in a field; else the intent's id.
        let key = |field: &str| {
            place
                .and_then(|((path, text), r)| field_key(path, text, r, field))
                .or_else(|| loc.clone())
        };
        let string = |field: &str, value: &str, inside: bool| {
            place
                .and_then(|((path, text), r)| field_string(path, text, r, field, value, inside))
                .or_else(|| loc.clone())
        };
        if def.answer.trim().is_empty() && def.kind != IntentKind::OutOfScope {
            // In memory the field is always there: an empty answer.
            let written = files.get(*fi).is_none()
                || place
                    .and_then(|((path, text), r)| field_key(path, text, r, "answer"))
                    .is_some();
            // The code of a missing field stays what the RON reader gave
            // before an out-of-scope intent could leave it out.
            let (code, what) = if written {
                ("empty-answer", "has an empty answer")
            } else {
                ("missing-field", "has no `answer`, which FAQ, small-talk and handoff intents need (an out-of-scope intent may leave it out)")
            };
            diags.push(
                Diagnostic::error(code, format!("intent `{}` {what}", def.id)).at(key("answer")),
            );
        }
        for f in &def.follow_ups {
            if !id_set.contains(f.as_str()) {
                let mut d = Diagnostic::error(
                    "unknown-follow-up",
                    format!("follow-up `{f}` of intent `{}` names no intent", def.id),
                )
                .at(string("follow_ups", f, false));
                if let Some(s) = did_you_mean(f, ids.iter().copied()) {
                    d = d.hint(format!("did you mean `{s}`?"));
                }
                diags.push(d);
            }
        }
        for p in def.patterns.iter().filter(|_| check_patterns) {
            if let Err(e) = compile_pattern(p) {
                diags.push(
                    Diagnostic::error(
                        "bad-regex",
                        format!("pattern of intent `{}` does not compile: {e}", def.id),
                    )
                    .at(string("patterns", p, true)),
                );
            }
        }
        for k in &def.keywords {
            let w = k.weight();
            if k.word().trim().is_empty() || !(w.is_finite() && w > 0.0) {
                diags.push(
                    Diagnostic::error(
                        "bad-keyword",
                        format!(
                            "keyword `{}` of intent `{}` must be non-empty with a positive weight",
                            k.word(),
                            def.id
                        ),
                    )
                    .at(string("keywords", k.word(), false)),
                );
            }
        }
    }
}

/// The `no-intents` error.
pub(super) fn no_intents(message: &str) -> Diagnostic {
    Diagnostic::error("no-intents", message.to_string())
}

/// Checks the settings' ranges; `file` is `bot.ron`'s path and text, for
/// the place of each problem (none for settings built in memory).
pub(super) fn check_settings(
    s: &BotSettings,
    file: Option<(&Path, &str)>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut bad = |field: &str, msg: String| {
        let at = file.map(|(path, text)| {
            let off = scan::field(text, 0..text.len(), field).map_or(0, |(key, _)| key);
            location(path, text, off)
        });
        diags.push(Diagnostic::error("bad-setting", msg).at(at));
    };
    if !(0.0..=1.0).contains(&s.threshold) {
        bad(
            "threshold",
            format!("threshold {} is not in 0.0..=1.0", s.threshold),
        );
    }
    if !(0.0..=1.0).contains(&s.margin) {
        bad("margin", format!("margin {} is not in 0.0..=1.0", s.margin));
    }
    if s.max_fallbacks == 0 {
        bad("max_fallbacks", "max_fallbacks must be at least 1".into());
    }
    if !language_known(&s.language) {
        let names: Vec<&str> = LANGUAGES.iter().map(|(name, _)| *name).collect();
        let mut msg = format!(
            "language {:?} is not one faqbot knows: {} (or the two-letter code: en, de, ...)",
            s.language,
            names.join(", ")
        );
        if let Some(m) = did_you_mean(&s.language.to_ascii_lowercase(), names.iter().copied()) {
            msg = format!("{msg}; did you mean `{m}`?");
        }
        bad("language", msg);
    }
}

/// The languages `bot.ron`'s `language` may name (case-insensitive), as
/// (name, two-letter code): those with a Snowball stemmer
/// ([`crate::normalize::stem::Stem`]). Another name is a `bad-setting`
/// error: it would stem nothing, read no stop words and turn off the
/// English-only reply.
pub const LANGUAGES: [(&str, &str); 12] = [
    ("english", "en"),
    ("german", "de"),
    ("french", "fr"),
    ("spanish", "es"),
    ("italian", "it"),
    ("dutch", "nl"),
    ("portuguese", "pt"),
    ("swedish", "sv"),
    ("danish", "da"),
    ("norwegian", "no"),
    ("finnish", "fi"),
    ("russian", "ru"),
];

fn language_known(language: &str) -> bool {
    let l = language.to_ascii_lowercase();
    LANGUAGES
        .iter()
        .any(|(name, code)| l == *name || l == *code)
}
