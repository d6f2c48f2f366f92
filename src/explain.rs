//! Explanations: why the bot replied what it did, in words and numbers.

use crate::dialogue::{Decision, Route};
use crate::matcher::Scored;
use crate::{Engine, Reply};
use std::fmt::Write;

/// One ranked intent as text: confidence, then each contribution.
pub fn render_scored(engine: &Engine, s: &Scored) -> String {
    let kb = engine.knowledge_base();
    let m = engine.matcher();
    let def = &kb.intents[s.intent];
    let e = &s.evidence;
    let mut out = format!("{} {:.2}", def.id, s.confidence);
    let [sim, kw, pat, pen, cov, fam] = e.contributions;
    let word_part: f32 = e.features.iter().map(|f| f.1).sum();
    match e.nearest {
        Some((ex, cos)) if cos >= 1.0 => {
            let _ = write!(
                out,
                "\n    similarity +{sim:.2}: the utterance is the example {:?}",
                m.example(ex).0
            );
        }
        nearest => {
            let _ = write!(out, "\n    similarity +{sim:.2}:");
            if let Some((ex, cos)) = nearest {
                let _ = write!(
                    out,
                    " nearest example {:?} (cosine {cos:.2}) +{:.2},",
                    m.example(ex).0,
                    sim - word_part
                );
            }
            let _ = write!(
                out,
                " words +{word_part:.2} (word evidence {:.2}, calibrated {:.2})",
                e.word_score, e.words
            );
            for (f, c) in e.features.iter().filter(|f| f.1.abs() >= 0.005) {
                let _ = write!(
                    out,
                    "\n      '{}' \u{2192} {} {c:+.2}",
                    m.feature_name(*f),
                    def.id
                );
            }
        }
    }
    if !e.keywords.is_empty() {
        let words: Vec<String> = e
            .keywords
            .iter()
            .map(|(k, g)| format!("'{}' {g:.2}", def.keywords[*k].word()))
            .collect();
        let _ = write!(out, "\n    keywords +{kw:.2}: {}", words.join(", "));
    }
    if let Some(p) = e.pattern {
        let _ = write!(out, "\n    pattern +{pat:.2}: {}", def.patterns[p]);
    }
    if !e.missing_required.is_empty() {
        let words: Vec<&str> = e
            .missing_required
            .iter()
            .map(|k| def.keywords[*k].word())
            .collect();
        let _ = write!(
            out,
            "\n    required keyword missing {pen:.2}: {}",
            words.join(", ")
        );
    }
    if cov < 0.0 {
        let _ = write!(
            out,
            "\n    coverage {cov:.2}: the intent uses {:.0}% of the utterance's content words",
            e.coverage * 100.0
        );
    }
    if fam < 0.0 {
        let _ = write!(
            out,
            "\n    familiarity {fam:.2}: the knowledge base knows {:.0}% of the utterance's content words",
            e.familiarity * 100.0
        );
    }
    out
}

/// The whole decision behind a reply, as shown by `/why`.
pub fn render_decision(engine: &Engine, reply: &Reply, d: &Decision) -> String {
    let mut out = String::new();
    let route = match d.route {
        Route::Empty => "empty input",
        Route::Number => "picked by number",
        Route::Title => "picked by title",
        Route::Ranked => "ranked",
        Route::Context => "ranked with the previous question as context",
    };
    let _ = writeln!(
        out,
        "reply: {} ({route}): {}",
        reply.kind.as_str(),
        d.reason
    );
    if !d.analysis.tokens.is_empty() {
        let toks: Vec<String> = d
            .analysis
            .tokens
            .iter()
            .map(|t| {
                let mut s = t.token.term.clone();
                if let Some(from) = &t.corrected_from {
                    s = format!("{from}→{s}");
                }
                if t.token.stop {
                    s.push('°');
                }
                if t.weight < 1.0 {
                    s = format!("({s})");
                }
                s
            })
            .collect();
        let _ = writeln!(
            out,
            "terms: {}  (° stop word, (…) context, a→b typo fix)",
            toks.join(" ")
        );
    }
    for (n, s) in d.ranking.iter().enumerate() {
        let _ = writeln!(out, "{}. {}", n + 1, render_scored(engine, s));
    }
    out.trim_end().to_string()
}
