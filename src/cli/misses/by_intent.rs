//! The text report's section of the unanswered turns by the FAQ entry
//! each comes closest to ([`crate::misses::by_intent`]), shown when the
//! groups are mostly single turns (a small log).

use super::{Cli, SAMPLE_CHARS};
use crate::cli::style::clean;
use crate::misses::by_intent::{ByIntent, Turn};
use std::path::Path;

/// Distinct turns listed per entry at least (`--samples` when larger).
pub(super) const TURNS_PER_ENTRY: usize = 5;

/// Turns close to no entry listed at least (`--samples` when larger):
/// each may need a row of its own.
const NOT_CLOSE_LISTED: usize = 10;

/// The section (it starts with a blank line): one line of advice, then per
/// entry its id, its title, how many turns and how many close, and the
/// turns (at most `cap`: the close ones first, then the weak ones, marked),
/// then the turns close to no entry, each with the entry it came closest
/// to.
pub(super) fn report(engine: &crate::Engine, b: &ByIntent, cli: &Cli, cap: usize) -> String {
    let kb = engine.knowledge_base();
    let threshold = kb.settings.threshold;
    let mut text = format!(
        "\nThe turns not answered now, by the FAQ entry each comes closest to: {}\n",
        advice(cli.intents.as_deref())
    );
    for e in &b.entries {
        let title = kb
            .index_of(e.intent)
            .map(|i| kb.intents[i].title.as_str())
            .filter(|t| !t.trim().is_empty())
            .map(|t| format!(" {:?}", clean(t)))
            .unwrap_or_default();
        let close = match e.close {
            0 => "none close".to_string(),
            n if n == e.turns => "close".to_string(),
            n => format!("{n} close"),
        };
        text.push_str(&format!(
            "\n`{}`{title}: {} turn{}, {close}\n",
            e.intent,
            e.turns,
            if e.turns == 1 { "" } else { "s" }
        ));
        push_turns(&mut text, &e.samples, cap, threshold, false);
    }
    if !b.not_close.is_empty() {
        let n = b.not_close_turns();
        text.push_str(&format!(
            "\nclose to no entry: {n} turn{} (add each to the row it asks about, or write a new row)\n",
            if n == 1 { "" } else { "s" }
        ));
        push_turns(
            &mut text,
            &b.not_close,
            cap.max(NOT_CLOSE_LISTED),
            threshold,
            true,
        );
    }
    if !b.follow_ups.is_empty() {
        let n = b.follow_up_turns();
        text.push_str(&format!(
            "
follow-ups: {n} turn{} about what was said before (it, that, and …): no phrasing to \
             add to one entry, or it would answer that question whatever came before\n",
            if n == 1 { "" } else { "s" }
        ));
        push_turns(
            &mut text,
            &b.follow_ups,
            cap.max(NOT_CLOSE_LISTED),
            threshold,
            true,
        );
    }
    text
}

/// Appends `turns` (at most `cap`), each with its confidence, and with the
/// entry it came closest to when `named`; then how many more there are.
fn push_turns(text: &mut String, turns: &[Turn], cap: usize, threshold: f32, named: bool) {
    for t in turns.iter().take(cap) {
        let sample = crate::normalize::sanitize::shorten(&clean(t.text), SAMPLE_CHARS);
        let times = if t.count > 1 {
            format!(" ×{}", t.count)
        } else {
            String::new()
        };
        let closest = match (t.closest, named) {
            // A turn far on a general word alone says so: its confidence
            // would read as close (trial 43: "is there a toilet on the
            // boat", closest the fishing row at 0.42 on "boat").
            (Some(c), true) if !c.fused && !c.general_only.is_empty() => format!(
                " (closest `{}`, {}, only {} in common: a word of the whole business)",
                c.intent,
                crate::dialogue::apart(c.confidence, threshold).0,
                c.general_only
                    .iter()
                    .map(|w| format!("{w:?}"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
            (Some(c), true) => format!(
                " (closest `{}`, {})",
                c.intent,
                crate::dialogue::apart(c.confidence, threshold).0
            ),
            (Some(c), false) => format!(
                " ({}{})",
                crate::dialogue::apart(c.confidence, threshold).0,
                if c.close { "" } else { ", weak" }
            ),
            (None, _) => " (no entry ranks)".to_string(),
        };
        text.push_str(&format!("   {sample:?}{times}{closest}\n"));
    }
    if turns.len() > cap {
        text.push_str(&format!(
            "   … and {} more (--samples to show more)\n",
            turns.len() - cap
        ));
    }
}

/// What to do with the close turns: for a knowledge base `faqbot import`
/// wrote (its `intents.ron` says so), alternate phrasings in the sheet and
/// the import again (`--force` rewrites `intents.ron` from the sheet, so
/// examples added there would be set aside); else the intents' examples.
fn advice(dir: Option<&Path>) -> String {
    let source = dir.and_then(|d| {
        let text = std::fs::read_to_string(d.join(crate::import::INTENTS_FILE)).ok()?;
        let first = text.lines().next()?;
        let source = first
            .strip_prefix("// Imported by `faqbot import` from ")?
            .trim_end_matches('.');
        Some(source.to_string())
    });
    match (source, dir) {
        (Some(source), Some(dir)) if !source.contains(", ") => format!(
            "check each, and add the right ones, in the customers' words, as alternate phrasings \
             of that row of {source} (an `alternate …` column); then `faqbot import {source} --out {} --force`",
            dir.display()
        ),
        (Some(sources), _) => format!(
            "check each, and add the right ones, in the customers' words, as alternate phrasings \
             of that row of its sheet ({sources}); then import it again with `--force`"
        ),
        _ => "check each, and add the right ones, in the customers' words, to that intent's `examples`"
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::advice;

    #[test]
    fn advice_names_the_sheet_of_an_imported_knowledge_base() {
        let dir = std::env::temp_dir().join(format!("faqbot-advice-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join(crate::import::INTENTS_FILE);
        std::fs::write(
            &file,
            "// Imported by `faqbot import` from shop.xlsx.\n[]\n",
        )
        .unwrap();
        let a = advice(Some(&dir));
        assert!(
            a.contains("alternate phrasings of that row of shop.xlsx"),
            "{a}"
        );
        assert!(a.ends_with(&format!(
            "`faqbot import shop.xlsx --out {} --force`",
            dir.display()
        )));
        std::fs::write(&file, "[]\n").unwrap();
        assert!(advice(Some(&dir)).ends_with("to that intent's `examples`"));
        assert!(advice(None).ends_with("to that intent's `examples`"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
