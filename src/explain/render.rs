//! The explanation as text: what `faqbot explain` and `/why all` print.

use super::{Explanation, RankedIntent, RARE_MARK, UNKNOWN_MARK};
use std::fmt::Write;

impl Explanation {
    /// The explanation as text (what `faqbot explain` and `/why all`
    /// print); [`Explanation::render_short`] is the short form of `/why`.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "input: {:?}", self.input);
        if !self.trace.tokens.is_empty() || !self.trace.folded.is_empty() {
            let _ = writeln!(out, "\nnormalisation");
            let _ = writeln!(out, "  unicode-fold   {}", self.trace.unicode_folded);
            let _ = writeln!(out, "  contractions   {}", self.trace.folded);
            let width = self
                .trace
                .tokens
                .iter()
                .map(|t| t.shown().chars().count())
                .max()
                .unwrap_or(4)
                .max(4);
            let _ = writeln!(out, "  {:<width$}  term", "word");
            for t in &self.trace.tokens {
                let mut notes = Vec::new();
                if t.stop {
                    notes.push("stop word".to_string());
                }
                if let (Some(from), Some(kind)) = (&t.corrected_from, t.correction_kind()) {
                    notes.push(format!("{kind} of {from:?}"));
                }
                if t.joined {
                    notes.push("two typed words joined".to_string());
                }
                if let Some(whole) = &t.split_from {
                    notes.push(format!("part of {whole:?}, read as two words"));
                }
                if let Some(note) = t.synonym_note() {
                    notes.push(note);
                }
                // A word of a ranked intent's answer only (the answer text
                // is weaker evidence): "unknown" alone read as if it were
                // nowhere (trial 38: "peanuts", in the allergens answer).
                let answer = self
                    .ranking
                    .iter()
                    .find(|r| r.answer_words.iter().any(|k| k.word == t.term));
                if let (false, false, Some(r)) = (t.known, t.stop, answer) {
                    notes.push(format!(
                        "in no example or keyword; in the answer of `{}`{}",
                        r.intent,
                        if t.everyday { "; everyday English" } else { "" }
                    ));
                } else if !t.known && !t.stop {
                    notes.push(if t.everyday {
                        "unknown to the knowledge base; everyday English".to_string()
                    } else if t.slot {
                        "unknown to the knowledge base; a name where its examples put names"
                            .to_string()
                    } else {
                        "unknown to the knowledge base".to_string()
                    });
                }
                if t.rare && t.known {
                    notes.push("rare word: at most one example uses it".to_string());
                }
                if t.context {
                    notes.push("from the previous question".to_string());
                }
                let _ = writeln!(
                    out,
                    "  {:<width$}  {:<10}{}{}",
                    t.shown(),
                    t.term,
                    if notes.is_empty() { "" } else { "  " },
                    notes.join("; ")
                );
            }
        }
        if !self.ranking.is_empty() {
            let c = &self.calibration;
            let _ = writeln!(
                out,
                "\nranking (confidence = calibrated probability of being right; calibration fitted \
                 when loaded on {} held-out examples{} and {} out-of-scope sentences)",
                c.in_scope_samples,
                if c.sparse {
                    " (few: leaning on customers' questions of other FAQ sheets)"
                } else {
                    ""
                },
                c.out_of_scope_samples
            );
            let mut lines = Vec::new();
            for (n, r) in self.ranking.iter().enumerate() {
                let line = r.render();
                let _ = writeln!(out, "{}. {line}", n + 1);
                lines.push(line);
            }
            let negative = self.ranking.iter().any(|r| {
                (r.contributions.similarity > 0.0 || r.nearest.is_some())
                    && r.negative_word(usize::MAX)
            });
            for legend in legends(&lines, negative) {
                let _ = writeln!(out, "   {legend}");
            }
        }
        match self.margin {
            Some(m) => {
                let top = self.ranking.first().map(|r| r.confidence);
                let _ = writeln!(out, "\n{}", margin_note(m, &self.decision, top));
            }
            None if self.ranking.len() == 1 => {
                let _ = writeln!(
                    out,
                    "\nmargin to the runner-up: none (no other intent has evidence)"
                );
            }
            None => out.push('\n'),
        }
        for line in &self.semantic {
            let _ = writeln!(out, "{line}");
        }
        let d = &self.decision;
        let what = match &d.intent {
            Some(i) => format!("{} `{i}`", d.kind.as_str()),
            None => d.kind.as_str().to_string(),
        };
        let _ = write!(out, "decision: {what} (route: {}): {}", d.route, d.reason);
        out
    }
}

impl RankedIntent {
    /// Whether one of the first `n` words under the similarity weighs
    /// against the intent (as shown: −0.01 or less).
    pub(super) fn negative_word(&self, n: usize) -> bool {
        self.word_parts.iter().take(n).any(|f| f.share < -0.005)
    }

    /// `id 0.93` and one indented line per contribution.
    pub fn render(&self) -> String {
        let c = &self.contributions;
        let mut out = format!("{} {:.2}", self.intent, self.confidence);
        if c.similarity > 0.0 || self.nearest.is_some() {
            let _ = write!(out, "\n     similarity  {:+.2} ", c.similarity);
            if let Some(n) = &self.nearest {
                let _ = write!(
                    out,
                    " nearest example {:?} (cosine {:.2});",
                    n.text, n.cosine
                );
            }
            let _ = write!(out, " word evidence {:.2}", self.words);
            for f in &self.word_parts {
                let _ = write!(
                    out,
                    "\n       '{}' \u{2192} {} {:+.2}",
                    f.as_typed, self.intent, f.share
                );
            }
        }
        if !self.keywords.is_empty() || !self.answer_words.is_empty() {
            let words: Vec<String> = self
                .keywords
                .iter()
                .map(|k| format!("{:?} {:.2}", k.word, k.evidence))
                .chain(
                    self.answer_words
                        .iter()
                        .map(|k| format!("{} {:.2}", k.answer_label(), k.evidence)),
                )
                .collect();
            let _ = write!(
                out,
                "\n     keywords    {:+.2}  {}",
                c.keywords,
                words.join(", ")
            );
        }
        if let Some(p) = &self.pattern {
            let _ = write!(out, "\n     pattern     {:+.2}  {p}", c.pattern);
        }
        if !self.missing_required.is_empty() {
            let _ = write!(
                out,
                "\n     required    {:+.2}  missing: {}",
                c.required_penalty,
                self.missing_required.join(", ")
            );
        }
        if c.coverage < 0.0 {
            let _ = write!(
                out,
                "\n     coverage    {:+.2}  the intent uses {:.0}% of the utterance's content words (a rarer word weighs more)",
                c.coverage,
                self.coverage * 100.0
            );
        }
        if c.familiarity < 0.0 {
            let _ = write!(
                out,
                "\n     familiarity {:+.2}  {}",
                c.familiarity,
                familiarity_detail(self.familiarity, self.everyday)
            );
        }
        if self.names > 0.0 {
            let _ = write!(
                out,
                "\n     names             names the knowledge base does not know ({:.0}% of the content words) count as this out-of-scope intent's own words",
                self.names * 100.0
            );
        }
        if c.calibration != 0.0 {
            let _ = write!(
                out,
                "\n     calibration {:+.2}  raw evidence {:.2} \u{2192} {:.2}, the estimated probability that `{}` is right",
                c.calibration,
                self.raw_confidence,
                self.confidence - c.semantic,
                self.intent
            );
            if let Some(cap) = &self.capped {
                let _ = write!(
                    out,
                    " ({} on its own, {}: the ranking never promises more than one right answer)",
                    cap.own_text(self.confidence - c.semantic),
                    cap.note()
                );
            }
        }
        if c.semantic != 0.0 {
            let _ = write!(
                out,
                "\n     semantic    {:+.2}  sentence-embedding evidence fused with the above (see the semantic lines)",
                c.semantic
            );
        }
        out
    }
}

/// `raw margin to the runner-up: 0.25 (clarify below 0.03)`, for a raw
/// margin `m` and the clarification margin `clarify`, with as many
/// decimals as it takes for the two to differ when they are not equal
/// (`0.0296 (clarify below 0.0300)`, not `0.03 (clarify below 0.03)`
/// beside a clarification: trial 27). With `threshold` (a top below it),
/// the clarification's condition on the top is said too: `(clarify below
/// 0.03 at or above the threshold 0.65)`.
pub(super) fn margin_line(m: f32, clarify: f32, threshold: Option<f32>) -> String {
    let (m, clarify) = crate::dialogue::apart(m, clarify);
    let top = threshold.map_or(String::new(), |t| {
        format!(" at or above the threshold {t:.2}")
    });
    format!("raw margin to the runner-up: {m} (clarify below {clarify}{top})")
}

/// [`margin_line`] for decision `d` whose top has confidence `top`: below
/// the threshold it names the threshold, since a pair of near misses is
/// clarified by their confidences, not by the margin, and trial 35 read
/// "0.07 (clarify below 0.03)" under such a clarification as a
/// contradiction.
pub(super) fn margin_note(m: f32, d: &super::PolicyDecision, top: Option<f32>) -> String {
    let below = top.is_some_and(|top| top < d.threshold);
    margin_line(m, d.margin, below.then_some(d.threshold))
}

/// The lines under a ranking (rendered intents `lines`) that explain what
/// its word contributions may puzzle a reader with: the words marked as
/// the rare-word class ([`UNKNOWN_MARK`], [`RARE_MARK`]; the feature
/// [`crate::matcher::RARE`], see `matcher::features`), and, when
/// `negative` (a word shown weighs below 0), the learned weights of
/// `matcher::linear`.
pub(super) fn legends(lines: &[String], negative: bool) -> Vec<String> {
    let mut out = Vec::new();
    // "(unknown word)" or "(unknown words)"; folded words have no '('.
    let marked = |l: &String| {
        [UNKNOWN_MARK, RARE_MARK, crate::matcher::RARE]
            .iter()
            .any(|m| l.contains(m.trim_end_matches(')')))
    };
    if lines.iter().any(marked) {
        out.push(format!(
            "(a word marked {UNKNOWN_MARK} is one the knowledge base does not know (and not \
             everyday English), {RARE_MARK} one at most one example uses: all such words, mostly names, count as one class, so \
             the part shown is what any of them in that place speaks for)"
        ));
    }
    if negative {
        out.push(
            "(a word weighing against an intent: the word weights are learned from all the \
             examples, and that word speaks more for another intent)"
                .to_string(),
        );
    }
    out
}

/// The familiarity contribution's detail, in words an owner can act on:
/// how many of the message's content words the knowledge base knows,
/// relative to its typical question (`familiarity`, 0.0..=1.0), and the
/// share of them that are everyday English it never uses (`everyday`,
/// 0.0..=1.0). "The content words are 0% as familiar as a typical
/// question's" left a new owner guessing (trial 55).
pub(super) fn familiarity_detail(familiarity: f32, everyday: f32) -> String {
    let mut detail = if familiarity <= 0.0 {
        "the knowledge base knows none of the message's content words".to_string()
    } else {
        format!(
            "the knowledge base knows {:.0}% as much of the message's content words as of its typical question's",
            familiarity * 100.0
        )
    };
    if everyday > 0.0 {
        let _ = write!(
            detail,
            "; {:.0}% of them are everyday English words it never uses",
            everyday * 100.0
        );
    }
    detail
}

#[cfg(test)]
mod tests {
    use super::margin_line;

    /// `/why` showed "0.03 (clarify below 0.03)" beside a clarification:
    /// a raw margin of 0.0296 rounded (trial 27).
    #[test]
    fn a_margin_just_below_the_clarify_margin_shows_enough_decimals() {
        assert_eq!(
            margin_line(0.0296, 0.03, None),
            "raw margin to the runner-up: 0.0296 (clarify below 0.0300)"
        );
        assert_eq!(
            margin_line(0.25, 0.03, None),
            "raw margin to the runner-up: 0.25 (clarify below 0.03)"
        );
        assert_eq!(
            margin_line(0.03, 0.03, None),
            "raw margin to the runner-up: 0.03 (clarify below 0.03)"
        );
    }
}
