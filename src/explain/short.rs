//! The short explanation: what `/why` prints (and `faqbot explain
//! --short`). The decision first, then how the words were read when
//! something was changed, then the top intents ([`SHORT_INTENTS`]), each
//! with its confidence, the one-line step from raw evidence to that
//! calibrated confidence, and its biggest named contributions
//! ([`SHORT_PARTS`]) with the words that weighed most ([`SHORT_WORDS`]).
//! The whole trace is [`Explanation::render`] (`/why all`).

use super::{Explanation, RankedIntent, TraceToken};
use crate::semantic::NOT_RUN;
use std::fmt::Write;

/// Intents the short form shows, best first.
pub const SHORT_INTENTS: usize = 3;
/// Named contributions (similarity, keywords, pattern, required keyword,
/// coverage, familiarity, semantic) shown per intent, largest first.
pub const SHORT_PARTS: usize = 4;
/// Words or bigrams shown under the similarity, largest first.
pub const SHORT_WORDS: usize = 3;

/// Contributions smaller than this (in confidence units) are left out.
const SMALLEST: f32 = 0.005;

impl Explanation {
    /// The short explanation (what `/why` prints): the decision, the
    /// words read differently from how they were typed, and the top
    /// [`SHORT_INTENTS`] intents with their confidence, how their raw
    /// evidence became that confidence, and their [`SHORT_PARTS`] biggest
    /// contributions. At most about 20 lines; [`Explanation::render`] has
    /// everything.
    pub fn render_short(&self) -> String {
        let mut out = String::new();
        let d = &self.decision;
        let what = match &d.intent {
            Some(i) => format!("{} `{i}`", d.kind.as_str()),
            None => d.kind.as_str().to_string(),
        };
        let route = match d.route {
            "ranked" => String::new(),
            "context" => " (read together with the previous question)".to_string(),
            r => format!(" (route: {r})"),
        };
        let _ = write!(out, "decision: {what}{route}: {}", d.reason);
        // Words of an answer text that counted for a ranked intent: the
        // list of words in no example or keyword says so (trial 31 read
        // "usa" there beside "answer text 'usa'" and took it for a
        // contradiction).
        let in_answer: Vec<(&str, &str)> = self
            .ranking
            .iter()
            .flat_map(|r| {
                r.answer_words
                    .iter()
                    .map(move |k| (k.word.as_str(), r.intent.as_str()))
            })
            .collect();
        if let Some(line) = read_as(&self.trace.tokens, &in_answer) {
            let _ = write!(out, "\n{line}");
        }
        if self.ranking.is_empty() {
            return out;
        }
        let _ = write!(
            out,
            "\ntop intents (confidence = estimated probability of being right; answer \u{2265} {:.2})",
            d.threshold
        );
        let mut lines = Vec::new();
        for (n, r) in self.ranking.iter().take(SHORT_INTENTS).enumerate() {
            let line = r.render_short();
            let _ = write!(out, "\n{}. {line}", n + 1);
            lines.push(line);
        }
        let negative =
            self.ranking.iter().take(SHORT_INTENTS).any(|r| {
                r.contributions.similarity.abs() >= SMALLEST && r.negative_word(SHORT_WORDS)
            });
        for legend in super::render::legends(&lines, negative) {
            let _ = write!(out, "\n   {legend}");
        }
        if let Some(m) = self.margin {
            let top = self.ranking.first().map(|r| r.confidence);
            let _ = write!(out, "\n{}", super::render::margin_note(m, d, top));
        }
        if self.ranking.iter().any(|r| r.contributions.semantic != 0.0) {
            for line in &self.semantic {
                let _ = write!(out, "\n{line}");
            }
        } else if let Some(line) = self.semantic.iter().find(|l| l.starts_with(NOT_RUN)) {
            // The stage is on but left this question to the lexical
            // stages: said, so that a reader knows the model took no part
            // (trial 36 could not tell).
            let _ = write!(out, "\n{line}");
        }
        out
    }
}

impl RankedIntent {
    /// `id 0.93  raw evidence 0.81 → 0.93` and one indented line per big
    /// contribution (see [`Explanation::render_short`]).
    pub fn render_short(&self) -> String {
        let c = &self.contributions;
        let lexical = self.confidence - c.semantic;
        let mut out = format!(
            "{} {:.2}  raw evidence {:.2} \u{2192} ",
            self.intent, self.confidence, self.raw_confidence
        );
        match &self.capped {
            // Its own probability and the cap: why runner-ups can agree.
            Some(cap) => write!(out, "{} calibrated, {}", cap.own_text(lexical), cap.note()),
            None => write!(out, "{lexical:.2} calibrated"),
        }
        .unwrap_or_default();
        if c.semantic != 0.0 {
            let _ = write!(
                out,
                " \u{2192} {:.2} with the semantic stage",
                self.confidence
            );
        }
        let mut parts: Vec<(&str, f32, String)> = Vec::new();
        if c.similarity.abs() >= SMALLEST {
            // The words that weighed most, then the nearest example on a
            // line of its own under them.
            let mut detail: String = self
                .word_parts
                .iter()
                .take(SHORT_WORDS)
                .map(|f| format!("'{}' {:+.2}", f.as_typed, f.share))
                .collect::<Vec<_>>()
                .join(", ");
            if !detail.is_empty() {
                detail.insert_str(0, "words ");
            }
            if let Some(n) = &self.nearest {
                if !detail.is_empty() {
                    let _ = write!(detail, "\n{:<24}", "");
                }
                let _ = write!(
                    detail,
                    "nearest example {:?} (cosine {:.2})",
                    n.text, n.cosine
                );
            }
            parts.push(("similarity", c.similarity, detail));
        }
        if c.keywords.abs() >= SMALLEST {
            let words: Vec<String> = self
                .keywords
                .iter()
                .map(|k| format!("{:?}", k.word))
                .chain(self.answer_words.iter().map(|k| k.answer_label()))
                .take(SHORT_WORDS)
                .collect();
            parts.push(("keywords", c.keywords, words.join(", ")));
        }
        if let Some(p) = self
            .pattern
            .as_ref()
            .filter(|_| c.pattern.abs() >= SMALLEST)
        {
            parts.push(("pattern", c.pattern, p.clone()));
        }
        if c.required_penalty.abs() >= SMALLEST {
            parts.push((
                "required",
                c.required_penalty,
                format!("missing: {}", self.missing_required.join(", ")),
            ));
        }
        if c.coverage.abs() >= SMALLEST {
            parts.push((
                "coverage",
                c.coverage,
                format!(
                    "the intent uses {:.0}% of the content words, a rarer word weighing more",
                    self.coverage * 100.0
                ),
            ));
        }
        if c.familiarity.abs() >= SMALLEST {
            let detail = super::render::familiarity_detail(self.familiarity, self.everyday);
            parts.push(("familiarity", c.familiarity, detail));
        }
        // Largest first; equal ones keep the order above.
        parts.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
        for (name, value, detail) in parts.into_iter().take(SHORT_PARTS) {
            let _ = write!(out, "\n     {name:<11} {value:+.2}");
            if !detail.is_empty() {
                let _ = write!(out, "  {detail}");
            }
        }
        if self.names > 0.0 {
            let _ = write!(
                out,
                "\n     names        names the knowledge base does not know ({:.0}% of the content words) count as this out-of-scope intent's own words",
                self.names * 100.0
            );
        }
        out
    }
}

/// One line naming the words read differently from how they were typed
/// (typo fixes, joined words, synonyms), the words the knowledge base does
/// not know and the words taken from the previous question; `None` when
/// there are none. `in_answer` holds (term, intent) for the answer-text
/// words that counted for a ranked intent: such an unknown word is named
/// with the first intent whose answer has it.
fn read_as(tokens: &[TraceToken], in_answer: &[(&str, &str)]) -> Option<String> {
    let mut changed = Vec::new();
    let mut unknown = Vec::new();
    let mut context = Vec::new();
    for t in tokens {
        if t.context {
            context.push(t.word.as_str());
            continue;
        }
        if let Some(whole) = &t.split_from {
            // Listed once, at its first part.
            if t.word.len() < whole.len() && whole.starts_with(t.word.as_str()) {
                changed.push(format!("{whole:?} (read as two words)"));
            }
        }
        let shown = t.shown();
        let mut entry = match (&t.corrected_from, t.correction_kind()) {
            (Some(from), Some(kind)) => format!("{from:?} \u{2192} {:?} ({kind})", t.word),
            _ if t.joined => format!("{:?} (two typed words joined)", t.word),
            _ => format!("{shown:?}"),
        };
        match (t.group(), &t.phrase) {
            (Some(g), Some(p)) if g == p => entry.push_str(" (phrase read as one word)"),
            (Some(g), _) => {
                let _ = write!(entry, " \u{2192} {g:?} ({}synonym)", t.common());
            }
            (None, _) => {}
        }
        if t.corrected_from.is_some() || t.joined || t.synonym.is_some() {
            changed.push(entry);
        }
        if !t.known && !t.stop {
            // Quoted: "nothing (everyday English)" read as "there is nothing".
            let answer = in_answer.iter().find(|(w, _)| *w == t.term);
            // A synonym is named as the group's word it was read as: trial
            // 58 read `"dog" → "pet"` beside `in no example or keyword:
            // "dog"`, which no example could have.
            let group = t.group().filter(|g| *g != shown);
            let named = match group {
                Some(g) => format!("{g:?} (read for {shown:?})"),
                None => format!("{:?}", t.word),
            };
            let word = if let Some((_, intent)) = answer {
                format!("{named} (but in the answer of `{intent}`)")
            } else if t.slot {
                format!("{named} (a name where the examples put names)")
            } else if t.everyday && group.is_none() {
                format!("{named} (everyday English)")
            } else {
                named
            };
            // A word typed twice is listed once.
            if !unknown.contains(&word) {
                unknown.push(word);
            }
        }
    }
    let mut parts = Vec::new();
    if !changed.is_empty() {
        parts.push(format!("read as: {}", changed.join(", ")));
    }
    if !unknown.is_empty() {
        parts.push(format!("in no example or keyword: {}", unknown.join(", ")));
    }
    if !context.is_empty() {
        parts.push(format!("from the previous question: {}", context.join(" ")));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}
