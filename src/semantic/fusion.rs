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
use super::index::{IntentSimilarity, SemanticIndex};
use super::{CandidateFeatures, SemanticPart, SemanticTrace};

use crate::matcher::Scored;
use crate::reply::RaisedBy;

/// The lexical stages are sure, and the question is not embedded, when the
/// top intent's calibrated confidence is at least this and no runner-up's
/// raw evidence is within twice the margin of the top's.
pub const SKIP_ABOVE: f32 = 0.85;
/// The lexical top keeps at least its lexical confidence when its
/// semantic score ([`IntentSimilarity::score`]) is within this of the
/// semantically closest intent's: the two stages agree, and the fusion
/// (fitted on held-out phrasings, easier than customers' questions)
/// should not talk the bot out of an answer both support. Without it the
/// MINI devset lost 9 of 265 right answers to fallbacks; 0.05 is about
/// the spread of a paraphrase's cosines to its intent's phrasings.
pub const AGREEMENT_SLACK: f32 = 0.05;
/// An intent the lexical stages rank (any confidence above 0) whose
/// closest-phrasing cosine leads every other intent's by at least this is
/// answered: its confidence is raised to `bot.ron`'s threshold. The
/// fusion's model is fitted on held-out phrasings, which are easier
/// paraphrases than customers' situations, so on a customer's question a
/// clear semantic lead is worth more than the fit says. 0.15 is a coarse
/// choice (0.05 and 0.10 answered out-of-scope questions on the
/// spreadsheets; 0.20 helped less); see docs/semantic.md.
pub const SEMANTIC_LEAD: f32 = 0.15;
/// The semantic lead ([`SEMANTIC_LEAD`]) counts only when the closest
/// phrasing's cosine itself is at least this: a lead among phrasings that
/// are all far from the question is no evidence ("can you recommend a good
/// pizza place nearby" led a dental sheet's parking row by 0.19 at a cosine
/// of 0.40 and was answered). 0.5 kept every right answer of the
/// development sheets (78 of 120) and left one more of their 40
/// out-of-scope questions unanswered (33); WebApps' out-of-scope recall
/// with the model rose from 0.50 to 0.75 (as without the model), the MINI
/// devset did not move; 0.45 changed nothing, 0.6 lost a right answer.
pub const SEMANTIC_LEAD_FLOOR: f32 = 0.5;
/// On a small knowledge base ([`Fusion::small`]), the fused top is
/// answered (its confidence raised to `bot.ron`'s threshold) when it is at
/// least this likely, the lexical stages rank it, and it is the intent
/// closest to the question both by phrasing and by answer (the semantic
/// views are unanimous). A small knowledge base gives the fit a few dozen
/// samples, its prior weighs as much, and its probabilities are timid
/// for customers' situations that both views place first (the ten-row
/// spreadsheets: 1–3 phrasings per intent). 0.3 is coarse: 0.25–0.35
/// gave the same on the spreadsheets. On BANKING77 (8,000 examples) the
/// rule answered questions of held-out intents (out of scope unanswered
/// 0.73 → 0.62), so large knowledge bases, whose fit has hundreds of
/// samples, trust the fit.
pub const UNANIMOUS_FLOOR: f32 = 0.3;
/// The unanimity rule ([`UNANIMOUS_FLOOR`]) counts only when the top's
/// closest phrasing has at least this cosine to the question: being the
/// closest of phrasings that are all unrelated to the question is no
/// evidence (a service desk's sheet answered "what is the weather
/// tomorrow" at the threshold, its closest phrasing and answer both at a
/// cosine of 0.11). On fifteen development and trial sheets (604 customer
/// questions) the rule raised 77 tops to the threshold, the lowest right
/// one at 0.22: 0.2 drops only unrelated ones (0.3 would lose two right
/// answers, 0.4 twenty).
pub const UNANIMOUS_COSINE_FLOOR: f32 = 0.2;
/// On a sparse knowledge base ([`Fusion::sparse`]: a freshly imported
/// sheet), the unanimity rule counts only when the top
/// leads the next intent by at least this much, summed over the two
/// views: its closest phrasing's cosine minus the next intent's closest,
/// plus its answer's cosine minus the next closest answer's. Being
/// first by a hair in both is a coin toss: a new user's garage sheet
/// answered "can you valet my car" and "how do i renew my driving
/// licence" with the courtesy car at the threshold. On the twenty-four
/// development and test sheets of session 38 the rule raised 92 tops
/// (60 right, 15 wrong, 17 out of scope: worth nothing at the
/// threshold's price of a mistake, right +1, wrong −0.65/0.35). Chosen on
/// the development sheets (50 raised, 30 right): 0.05 / 0.10 / **0.15** /
/// 0.20 kept 30 / 28 / **21** / 11 right and 17 / 13 / **8** / 6 wrong
/// or out of scope. The test sheets (42 raised, 30 right) kept 18 right
/// and 4 wrong or out of scope at 0.15. The bundled MINI knowledge base
/// (not sparse) lost a right answer to it and gained nothing.
pub const UNANIMOUS_LEAD: f32 = 0.15;
/// Semantically closest intents added to the lexical candidates.
pub const SEMANTIC_CANDIDATES: usize = 3;
/// Semantically closest intents added to the lexical candidates on a
/// small knowledge base ([`Fusion::small`]). A customer who describes a
/// situation instead of naming the topic is often closer by score
/// ([`IntentSimilarity::score`]) to three other intents of a ten-row FAQ
/// than to the right one, whose answer or lead still speaks for it: with
/// 3 candidates the fusion never saw it. On the four development sheets
/// (`tests/fixtures/devsheets`) 3 → 8 raised the fused top-1 from 98 to
/// 100 of 120 and answered right from 76 to 80, out of scope unchanged
/// (5: 100 and 78; every intent, 12: as 8); the MINI devset and the small
/// corpora did not move. Large knowledge bases keep
/// [`SEMANTIC_CANDIDATES`] (with 8, BANKING77 moved by ±0.001).
pub const SMALL_KB_CANDIDATES: usize = 8;
/// Lexical confidences are floored at this before the logit (an intent the
/// lexical stages did not rank counts as this unlikely).
pub const P_FLOOR: f32 = 0.01;
/// Number of model coefficients.
pub const COEFFICIENTS: usize = super::FUSION_FEATURES;
/// Prior mean of `[b₀, b₁, b₂, b₃, b₄, b₅]`; see the module doc.
pub const PRIOR: [f32; COEFFICIENTS] = [-6.0, 0.5, 6.0, 2.0, 6.0, 3.0];
/// Strength of the prior, in sample weights per coefficient.
pub const PRIOR_STRENGTH: f32 = 2.0;
/// A knowledge base whose fit gets fewer held-out phrasings than this
/// (in-scope samples) is *sparse* ([`Fusion::sparse`]): a freshly imported
/// FAQ sheet with one or two phrasings per row (the ten-to-fifteen-row
/// sheets of `tests/fixtures` give 11 to 18, the 35-row ones of trial 44
/// about 45; the bundled MINI knowledge base 660, Chatbot 99). Its few
/// held-out phrasings
/// are rows' only phrasings, ranked against answers alone, nothing like
/// its customers' questions, and the fit from them is timid; such a
/// knowledge base takes [`CUSTOMER_COEFFICIENTS`] instead (with
/// all-MiniLM-L6-v2; MPNet's fusion is always fitted). AskUbuntu (38) and
/// WebApps (23) are sparse too: with the model, AskUbuntu did not move
/// and WebApps' top-1 rose .982 → 1.000, answered right .927 → .964.
pub const SPARSE_SAMPLES: usize = 60;
/// The model's coefficients `[b₀ … b₅]` for a sparse knowledge base
/// ([`SPARSE_SAMPLES`]): fitted (same prior, same constraints) to real
/// customers' questions instead of held-out phrasings, by
/// `scripts/fusion-customer-fit.py` from the candidates `faqbot explain
/// --json` lists: the 404 questions (300 in scope, 104 out of scope) of
/// the eleven development sheets of `tests/fixtures` (`devsheets`,
/// `qa-sheets`, `trial-sheets`), never the three test sheets
/// (`spreadsheet*`). Left out one sheet at a time, the fit to the others
/// moves each coefficient by at most 0.4 (`--loso`). Measured on the
/// seven test sheets (the three `spreadsheet*` and trials 43's and 44's
/// four in `trial-sheets`), against the per-sheet fit: answered right
/// 118 → 141 of 230, wrong 8 → 12, out of scope left unanswered 65 → 61
/// of 70; on the development sheets 184 → 193 of 300, wrong 19 → 19, out
/// of scope 89 → 89 of 104. Fitted again in session 37, when the lexical
/// calibration of a sparse sheet came to lean on customers' questions
/// (`matcher::calibrate::SPARSE_PRIOR`), from `[-3.55, 0.19, 5.21, 2.06,
/// 6.94, 4.74]`.
pub const CUSTOMER_COEFFICIENTS: [f32; COEFFICIENTS] = [-3.50, 0.19, 5.17, 2.07, 6.82, 4.73];
/// [`UNANIMOUS_FLOOR`] for a sparse knowledge base, whose probabilities
/// ([`CUSTOMER_COEFFICIENTS`]) are no longer timid: simulated on the
/// fourteen sheets' fusion inputs (each sheet's coefficients fitted to the
/// other thirteen), 0.3 answered 6 more in-scope questions right than 0.4
/// and 6 more wrongly or out of scope.
pub const SPARSE_UNANIMOUS_FLOOR: f32 = 0.4;
/// Total weight of the out-of-scope samples relative to the in-scope ones.
pub const OOS_SHARE: f32 = 0.5;
/// Folds for knowledge bases of at most [`crate::matcher::calibrate::SMALL_KB`] examples;
/// larger ones use one.
pub const FOLDS: usize = 4;
/// Most samples of each kind (in scope, out of scope) per fold.
pub const MAX_SAMPLES: usize = 300;

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
                            "is also the semantically closest intent: kept its lexical confidence"
                        } else {
                            "rests on names that fill the knowledge base's slots, which the sentence model cannot weigh: kept its lexical confidence"
                        }
                        .into(),
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
