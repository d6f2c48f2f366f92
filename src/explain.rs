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
    let [sim, kw, pat, pen, cov] = e.contributions;
    if let Some((ex, cos)) = e.nearest {
        let _ = write!(
            out,
            "\n    examples +{sim:.2}: nearest {:?} (cosine {cos:.2}), centroid {:.2}",
            m.example(ex).0,
            e.centroid
        );
    } else if sim > 0.0 {
        let _ = write!(out, "\n    examples +{sim:.2}: centroid {:.2}", e.centroid);
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
