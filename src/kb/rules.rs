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
///
/// An intent from a file is named by its id, and the diagnostic has its
/// place. One built in memory has no place: the message starts with its
/// position in `defs`, from 1 as lines and columns are (``intent #3
/// (`refund_policy`): the answer is empty``), and an id given more than
/// once is one `duplicate-id` naming every position (`` intents #2 and #4:
/// duplicate intent id `refund_policy` ``), where a file has one at each
/// repeat, with a note at the first.
pub(super) fn validate(
    files: &[(PathBuf, String)],
    defs: &[Def],
    check_patterns: bool,
    diags: &mut Vec<Diagnostic>,
) {
    // The message about intent `n` of `defs`: `in_file` for one from a
    // file, else `in_memory` after its position and id.
    let say = |n: usize, in_file: String, in_memory: &str| -> String {
        let (def, _, fi, _) = &defs[n];
        if files.get(*fi).is_some() {
            in_file
        } else {
            format!("intent #{} (`{}`): {in_memory}", n + 1, def.id)
        }
    };
    let mut seen: HashMap<&str, &Option<Location>> = HashMap::new();
    // Intents built in memory: the positions of each id, in the order
    // the ids first appear.
    let mut positions: Vec<(&str, Vec<usize>)> = Vec::new();
    let mut first_position: HashMap<&str, usize> = HashMap::new();
    for (n, (def, loc, fi, _)) in defs.iter().enumerate() {
        if def.id.is_empty()
            || !def
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            diags.push(
                Diagnostic::error(
                    "bad-id",
                    say(
                        n,
                        format!("intent id `{}` is not snake_case", def.id),
                        "the id is not snake_case",
                    ),
                )
                .at(loc.clone())
                .hint("ids use lower-case letters, digits and `_`, e.g. `reset_pin`"),
            );
        }
        if files.get(*fi).is_none() {
            let i = *first_position.entry(&def.id).or_insert_with(|| {
                positions.push((&def.id, Vec::new()));
                positions.len() - 1
            });
            positions[i].1.push(n);
        } else if let Some(first) = seen.get(def.id.as_str()) {
            diags.push(
                Diagnostic::error("duplicate-id", format!("duplicate intent id `{}`", def.id))
                    .at(loc.clone())
                    .related((*first).clone(), "first defined here"),
            );
        } else {
            seen.insert(&def.id, loc);
        }
    }
    for (id, at) in positions.iter().filter(|(_, at)| at.len() > 1) {
        diags.push(Diagnostic::error(
            "duplicate-id",
            format!("intents {}: duplicate intent id `{id}`", numbered(at)),
        ));
    }
    let ids: Vec<&str> = defs.iter().map(|d| d.0.id.as_str()).collect();
    let id_set: std::collections::HashSet<&str> = ids.iter().copied().collect();
    for (n, (def, loc, fi, span)) in defs.iter().enumerate() {
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
            let message = say(
                n,
                format!("intent `{}` {what}", def.id),
                "the answer is empty",
            );
            diags.push(Diagnostic::error(code, message).at(key("answer")));
        }
        for f in &def.follow_ups {
            if !id_set.contains(f.as_str()) {
                let mut d = Diagnostic::error(
                    "unknown-follow-up",
                    say(
                        n,
                        format!("follow-up `{f}` of intent `{}` names no intent", def.id),
                        &format!("follow-up `{f}` names no intent"),
                    ),
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
                        say(
                            n,
                            format!("pattern of intent `{}` does not compile: {e}", def.id),
                            &format!("a pattern does not compile: {e}"),
                        ),
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
                        say(
                            n,
                            format!(
                                "keyword `{}` of intent `{}` must be non-empty with a positive \
                                 weight",
                                k.word(),
                                def.id
                            ),
                            &format!(
                                "keyword `{}` must be non-empty with a positive weight",
                                k.word()
                            ),
                        ),
                    )
                    .at(string("keywords", k.word(), false)),
                );
            }
        }
    }
}

/// Positions from 0 as the 1-based list of a message: `#2 and #4`,
/// `#1, #3 and #4`.
fn numbered(positions: &[usize]) -> String {
    let all: Vec<String> = positions.iter().map(|n| format!("#{}", n + 1)).collect();
    match all.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => all.concat(),
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
