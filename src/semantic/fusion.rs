//! The fusion: the semantic evidence and the lexical ranking → one
//! calibrated confidence per intent.
//!
//! Runs only when the lexical stages are unsure ([`Fusion::wanted`]): the
//! top intent's calibrated confidence is below [`SKIP_ABOVE`], or a
//! runner-up's raw evidence is within twice `bot.ron`'s margin of it.
//! The candidates are the lexical ranking (at most 5 intents) and the
//! [`SEMANTIC_CANDIDATES`] intents the question is semantically closest to
//! ([`SMALL_KB_CANDIDATES`] on a small knowledge base).
//!
//! # The model
//!
//! For each candidate intent `i`, a logistic regression estimates the
//! probability that `i` is the intent the user meant:
//!
//! ```text
//! z = b₀ + b₁·logit(pᵢ) + b₂·sᵢ + b₃·aᵢ + b₄·(sᵢ − s_rival) + b₅·(aᵢ − a_rival)
//! ```
//!
//! `pᵢ` is the intent's lexical confidence (the calibrated probability of
//! [`crate::matcher::calibrate`], 0 when the lexical stages did not rank
//! it; floored at [`P_FLOOR`]); `sᵢ` the cosine to the intent's closest
//! phrasing (title, example or title + answer), `aᵢ` the cosine to its
//! answer (weaker evidence: it gets its own, smaller coefficient),
//! `s_rival` and `a_rival` the best other intent's phrasing and answer
//! cosines (the leads transfer better from the fit's held-out phrasings
//! to customers' questions than the absolute cosines: a customer who
//! describes a situation is further from every phrasing, the right one
//! still first). All slopes are kept `≥ 0`. The lexical rival's
//! confidence is no feature: on a knowledge base of ten intents it is
//! often near 0, and its fitted weight (floored logit ≈ −4.6) raised weak
//! candidates to 0.9 (out-of-scope questions on the spreadsheets).
//!
//! # Fitted from the knowledge base itself, at load time
//!
//! The samples are the lexical calibration's ([`crate::matcher::calibrate::split`]): per
//! fold, held-out examples (in scope: right when the candidate is their
//! intent), examples and titles of held-out intents and the bundled
//! background sentences (out of scope: every candidate is wrong). The
//! lexical part of each sample comes from a matcher built without the
//! held-out texts (with its own calibration, as at run time); the semantic
//! part from the examples' embeddings, computed at load anyway, compared
//! with every phrasing and answer except the held-out ones (no extra
//! inference; the background sentences are embedded once per model and
//! cached on disk with the knowledge base's texts). The fit is a weighted
//! logistic regression by Newton's method with a Gaussian prior
//! ([`PRIOR`], strength [`PRIOR_STRENGTH`]); out-of-scope samples weigh
//! [`OOS_SHARE`] of the in-scope ones in total. The fit is in
//! [`super::fit`] ([`Fusion::fit_to`], [`super::fit::fit_samples`]).

use super::candidate::{candidates, Candidate};
use super::index::{IntentSimilarity, SemanticIndex, ANSWER_WEIGHT};
use super::{CandidateFeatures, SemanticPart, SemanticTrace};

use crate::matcher::Scored;
use crate::reply::RaisedBy;

mod constants;
pub use constants::*;

/// What `/why` says when the message refers back to the intent answered
/// last and a raising rule would have set another intent to `threshold`
/// ([`Fusion::fuse`]'s `refers_to`). A new user's guest asked "is that
/// number open at night?" after the 24-hour emergency line's answer and
/// was told the office hours at the threshold (unanimity rule, fused
/// 0.49).
pub fn refers_back_note(threshold: f32) -> String {
    format!(
        "is not raised to the threshold {threshold:.2}: the message refers back to the last answer, and no rule raises another intent"
    )
}

/// The fitted fusion model of one knowledge base.
#[derive(Clone, Debug, PartialEq)]
pub struct Fusion {
    /// `[b₀, b₁, b₂, b₃, b₄, b₅]` (see the module doc).
    pub coefficients: [f32; COEFFICIENTS],
    /// In-scope samples the fit saw.
    pub in_scope: usize,
    /// Out-of-scope samples the fit saw.
    pub out_of_scope: usize,
    /// Whether the knowledge base is small (at most
    /// [`crate::matcher::calibrate::SMALL_KB`] examples): the fit then has few samples,
    /// its prior weighs as much as they do, and the unanimity rule
    /// ([`UNANIMOUS_FLOOR`]) applies.
    pub small: bool,
    /// Whether the fit got fewer than [`SPARSE_SAMPLES`] in-scope
    /// samples: the coefficients are then [`CUSTOMER_COEFFICIENTS`], and
    /// the unanimity rule's floor [`SPARSE_UNANIMOUS_FLOOR`].
    pub sparse: bool,
}

impl Default for Fusion {
    /// The prior alone.
    fn default() -> Self {
        Fusion {
            coefficients: PRIOR,
            in_scope: 0,
            out_of_scope: 0,
            small: true,
            sparse: false,
        }
    }
}

impl Fusion {
    /// How many semantically closest intents join the lexical candidates:
    /// [`SMALL_KB_CANDIDATES`] on a small knowledge base, else
    /// [`SEMANTIC_CANDIDATES`].
    pub fn semantic_candidates(small: bool) -> usize {
        if small {
            SMALL_KB_CANDIDATES
        } else {
            SEMANTIC_CANDIDATES
        }
    }

    /// The probability (0.0..=1.0) that a candidate is the right intent.
    fn probability(&self, c: &Candidate) -> f32 {
        let z: f32 = self
            .coefficients
            .iter()
            .zip(c.features())
            .map(|(b, x)| b * x)
            .sum();
        let p = 1.0 / (1.0 + (-z).exp());
        if p.is_finite() {
            p.clamp(0.0, 1.0)
        } else {
            0.0
        }
    }

    /// Whether the lexical `ranking` (best first) leaves the bot unsure
    /// enough to embed the question (see the module doc); `margin` is
    /// `bot.ron`'s.
    pub fn wanted(ranking: &[Scored], margin: f32) -> bool {
        let Some(top) = ranking.first() else {
            return true;
        };
        let raw = |s: &Scored| s.confidence - s.evidence.calibration;
        let close = ranking
            .get(1)
            .is_some_and(|r| raw(r) >= raw(top) - 2.0 * margin);
        top.confidence < SKIP_ABOVE || close
    }

    /// Fuses `sims` (the question's [`SemanticIndex::similarities`]) into
    /// the lexical `ranking` (best first, at most `top` kept): every
    /// candidate's confidence becomes the model's probability, capped for
    /// runner-ups at `1 − p_top` and `p_top` (the ranking never promises
    /// more than one right answer), and the change is recorded as the
    /// named contribution [`crate::matcher::Evidence::semantic`]. An
    /// intent missing a required keyword keeps at most its lexical
    /// confidence (the author's veto). Two rules on top of the model:
    /// the lexical top keeps at least its lexical confidence when the
    /// semantic ranking agrees ([`AGREEMENT_SLACK`]), and an intent the
    /// lexical stages rank whose closest phrasing leads every other
    /// intent's by [`SEMANTIC_LEAD`] (and is at least
    /// [`SEMANTIC_LEAD_FLOOR`]) gets at least `threshold` (`bot.ron`'s,
    /// 0.0..=1.0). `slots` tells that names of the question fill slots
    /// (positions where the knowledge base's examples put names, see
    /// [`crate::matcher::QueryToken::fills_slot`]): the lexical top then
    /// keeps at least its lexical confidence too, as if the stages agreed.
    /// The sentence model reads an unknown station name as just another
    /// word, so it cannot weigh the evidence the lexical stages took from
    /// it ("is there a bus from Harthaus to Laim" placed by its names
    /// near "when does the bus leave Laim"). `refers_to`: the message
    /// refers back to the intent answered last (its index; "is that number
    /// open at night?" after the emergency line's answer): the two raising
    /// rules then raise no other intent, since a rule is no evidence that
    /// the customer changed the topic ([`refers_back_note`]). Returns what
    /// `/why` shows.
    #[allow(clippy::too_many_arguments)]
    pub fn fuse(
        &self,
        index: &SemanticIndex,
        ranking: &mut Vec<Scored>,
        sims: &[IntentSimilarity],
        top: usize,
        threshold: f32,
        slots: bool,
        refers_to: Option<usize>,
    ) -> SemanticTrace {
        // The raising rules may raise this intent.
        let may_raise = |i: usize| refers_to.is_none_or(|r| r == i);
        let mut held_back = false;
        let lexical: Vec<(usize, f32)> = ranking.iter().map(|s| (s.intent, s.confidence)).collect();
        let cands = candidates(&lexical, sims, Fusion::semantic_candidates(self.small));
        let weighed = cands
            .iter()
            .map(|c| CandidateFeatures {
                intent: c.intent,
                features: c.features(),
            })
            .collect();
        // What `/why` says of a rule that set an intent's confidence, and
        // which rule it was when it raised it to the threshold.
        let mut notes: Vec<(usize, String, Option<RaisedBy>)> = Vec::new();
        let mut fused: Vec<(Scored, f32, Candidate)> = cands
            .iter()
            .map(|c| {
                let scored = ranking
                    .iter()
                    .find(|s| s.intent == c.intent)
                    .cloned()
                    .unwrap_or(Scored {
                        intent: c.intent,
                        confidence: 0.0,
                        evidence: Default::default(),
                    });
                let mut p = self.probability(c);
                let lead = c.semantic_lead().filter(|_| p < threshold);
                if lead.is_some() && !may_raise(c.intent) {
                    held_back = true;
                } else if let Some(lead) = lead {
                    p = threshold;
                    notes.push((
                        c.intent,
                        format!(
                            "closest phrasing ({:.2}) leads the next intent's by {lead:.2} ≥ {SEMANTIC_LEAD:.2}: raised to the threshold {threshold:.2}",
                            c.phrasing
                        ),
                        Some(RaisedBy::SemanticLead),
                    ));
                }
                if !scored.evidence.missing_required.is_empty() {
                    p = p.min(scored.confidence);
                }
                (scored, p, *c)
            })
            .collect();
        // Agreement: when the lexical top is also (within
        // `AGREEMENT_SLACK`) the semantically closest intent, or names of
        // the question fill slots, the fusion never lowers its confidence;
        // it may raise it, or let another intent overtake it.
        if let Some(lex_top) = lexical.first().map(|l| l.0) {
            let score = |i: usize| sims.iter().find(|s| s.intent == i).map(|s| s.score);
            let best = sims.first().map(|s| s.score);
            let closest =
                matches!((score(lex_top), best), (Some(s), Some(b)) if s >= b - AGREEMENT_SLACK);
            if let Some(f) = fused
                .iter_mut()
                .find(|f| (closest || slots) && f.0.intent == lex_top)
            {
                if f.1 < f.0.confidence {
                    f.1 = f.0.confidence;
                    // Its lexical confidence is the one it keeps: a note
                    // that the lead raised it to the threshold, lower, no
                    // longer holds (a new user's trial read "raised to the
                    // threshold 0.65" beside a confidence of 0.72).
                    notes.retain(|(i, _, _)| *i != lex_top);
                    notes.push((
                        lex_top,
                        if closest {
                            // The closeness the agreement weighs is the
                            // score, not the phrasing's cosine shown per
                            // intent (a new user's trial read "closest"
                            // beside another intent's higher phrasing).
                            format!(
                                "is also the semantically closest intent: kept its lexical confidence (phrasing + {ANSWER_WEIGHT} × answer {:.2}, the closest intent's {:.2}, within {AGREEMENT_SLACK:.2})",
                                score(lex_top).unwrap_or(0.0),
                                best.unwrap_or(0.0)
                            )
                        } else {
                            "rests on names that fill the knowledge base's slots, which the sentence model cannot weigh: kept its lexical confidence".into()
                        },
                        // The lexical calibration's probability: no rule's value.
                        None,
                    ));
                }
            }
        }
        fused.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.intent.cmp(&b.0.intent)));
        fused.truncate(top);
        // Unanimity: the top is the closest intent by phrasing and by
        // answer, and the lexical stages rank it.
        let floor = if self.sparse {
            SPARSE_UNANIMOUS_FLOOR
        } else {
            UNANIMOUS_FLOOR
        };
        if let Some(f) = fused.first_mut() {
            let first_by = |key: fn(&IntentSimilarity) -> f32| {
                sims.iter()
                    .max_by(|a, b| key(a).total_cmp(&key(b)).then(b.intent.cmp(&a.intent)))
                    .map(|s| s.intent)
            };
            let unanimous = first_by(|s| s.phrasing) == Some(f.2.intent)
                && first_by(|s| s.answer) == Some(f.2.intent);
            // How far the top leads the next intent, both views summed
            // (+∞ without another intent).
            let next = |key: fn(&IntentSimilarity) -> f32| {
                sims.iter()
                    .filter(|s| s.intent != f.2.intent)
                    .map(key)
                    .fold(f32::NEG_INFINITY, f32::max)
            };
            let lead = (f.2.phrasing - next(|s| s.phrasing)) + (f.2.answer - next(|s| s.answer));
            let applies = unanimous
                && (!self.sparse || lead >= UNANIMOUS_LEAD)
                && self.small
                && f.2.lexical > 0.0
                && f.2.phrasing >= UNANIMOUS_COSINE_FLOOR
                && f.0.evidence.missing_required.is_empty()
                && (floor..threshold).contains(&f.1);
            if applies && !may_raise(f.2.intent) {
                held_back = true;
            } else if applies {
                notes.push((
                    f.2.intent,
                    format!(
                        "closest by phrasing and by answer (leading the next intent by {lead:.2} ≥ {UNANIMOUS_LEAD:.2}), fused {:.2} ≥ {floor:.2}: raised to the threshold {threshold:.2}",
                        f.1
                    ),
                    Some(RaisedBy::SemanticUnanimous),
                ));
                f.1 = threshold;
            }
        }
        if let Some(f) = fused
            .first()
            .filter(|f| held_back && !may_raise(f.2.intent))
        {
            notes.push((f.2.intent, refers_back_note(threshold), None));
        }
        let p_top = fused.first().map_or(0.0, |f| f.1);
        let mut parts = Vec::new();
        ranking.clear();
        for (k, (mut s, p, c)) in fused.into_iter().enumerate() {
            let p = if k == 0 {
                p
            } else {
                p.min(1.0 - p_top).min(p_top)
            };
            let delta = p - s.confidence;
            s.evidence.semantic = delta;
            s.confidence = p;
            parts.push(SemanticPart {
                intent: c.intent,
                closest: c.closest.and_then(|i| index.closest_label(i)),
                closest_with_answer: c.closest.is_some_and(|i| index.is_title_answer(i)),
                phrasing: c.phrasing,
                answer: c.answer,
                lexical: c.lexical,
                delta,
            });
            ranking.push(s);
        }
        let top_notes = || {
            notes
                .iter()
                .filter(|(i, _, _)| ranking.first().is_some_and(|t| t.intent == *i))
        };
        let note = top_notes()
            .map(|(_, n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        // The rule that set the top's confidence, while it still holds
        // the threshold (a missing required keyword may have lowered it
        // to the lexical confidence again).
        let raised = top_notes()
            .filter_map(|n| n.2)
            .next_back()
            .filter(|_| ranking.first().is_some_and(|t| t.confidence == threshold));
        SemanticTrace {
            ran: true,
            note,
            raised,
            parts,
            candidates: weighed,
        }
    }
}

#[cfg(test)]
mod tests;
