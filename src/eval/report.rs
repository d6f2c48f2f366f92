//! What `faqbot eval` reports: the figures of one evaluation
//! ([`Report`]), its threshold sweep ([`SweepPoint`]), the figures at
//! `bot.ron`'s threshold ([`AtThreshold`]), the most confused pairs, the
//! lines not handled right and the per-intent scores. The metrics are
//! defined in the [parent module](super).

use super::Reliability;
use serde::Serialize;

/// Results at one threshold of the sweep.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SweepPoint {
    /// The threshold, 0.0..=1.0.
    pub threshold: f32,
    /// Answered lines / all lines, 0.0..=1.0.
    pub coverage: f64,
    /// Lines answered right / answered lines; `None` when nothing is answered.
    pub accuracy: Option<f64>,
    /// OOS lines not answered / OOS lines; `None` without OOS lines.
    pub oos_recall: Option<f64>,
    /// Right − wrong decisions (see the module doc), per line: −1.0..=1.0.
    pub utility: f64,
}

/// Results at the threshold and margin of `bot.ron`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AtThreshold {
    /// The threshold used, 0.0..=1.0.
    pub threshold: f32,
    /// The margin used, 0.0..=1.0.
    pub margin: f32,
    /// In-scope lines answered with their label / in-scope lines.
    pub in_scope_accuracy: Option<f64>,
    /// OOS lines not answered / OOS lines; `None` without OOS lines.
    pub oos_recall: Option<f64>,
    /// OOS lines not answered / lines not answered; `None` when every line
    /// is answered or there are no OOS lines.
    pub oos_precision: Option<f64>,
    /// Lines answered (answer or handoff intent).
    pub answered: usize,
    /// Lines that got a clarification question.
    pub clarified: usize,
    /// Lines that got a fallback.
    pub fallbacks: usize,
    /// In-scope lines not answered (clarified or fallen back) whose label
    /// is among the reply's numbered suggestions: one click from the
    /// right answer.
    pub offered_right: usize,
    /// In-scope lines not answered.
    pub unanswered_in_scope: usize,
}

/// One often confused pair of intents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Confusion {
    /// The label (intent id).
    pub expected: String,
    /// The top-ranked intent (id), or `"(none)"` for an empty ranking.
    pub predicted: String,
    /// How many in-scope lines.
    pub count: usize,
}

/// A line not handled right at `bot.ron`'s threshold and margin: an
/// in-scope line not answered with its label (a wrong answer, a
/// clarification or a fallback), or an out-of-scope line answered.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Miss {
    /// The line's position among the labelled lines, from 1 (its line
    /// number in a file without blank lines).
    pub line: usize,
    /// The utterance ([`evaluate`](super::evaluate) fills it; empty from [`score`](super::score) alone).
    pub text: String,
    /// The label (intent id), `None` for an out-of-scope line.
    pub expected: Option<String>,
    /// What the bot did: `"answer"`, `"clarify"`, `"fallback"` or `"handoff"`.
    pub kind: String,
    /// The intent answered (id), if any.
    pub answered: Option<String>,
    /// The top-ranked intent (id), if any intent had evidence.
    pub top: Option<String>,
    /// Its confidence, 0.0..=1.0 (0.0 without a ranking).
    pub confidence: f32,
    /// Where the line comes from, `file:line:col`, when known: the
    /// example's place in the knowledge base for `faqbot eval
    /// --cross-validate`; left out of the JSON otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// Per-intent precision, recall and F1 (no threshold, in-scope lines).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IntentScore {
    /// Intent id.
    pub intent: String,
    /// In-scope lines with this label.
    pub support: usize,
    /// 0.0..=1.0.
    pub precision: f64,
    /// 0.0..=1.0.
    pub recall: f64,
    /// 0.0..=1.0.
    pub f1: f64,
}

/// The whole evaluation report; `faqbot eval --json` prints it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// All lines.
    pub lines: usize,
    /// Lines with a label.
    pub in_scope: usize,
    /// Lines with `"intent": null`.
    pub out_of_scope: usize,
    /// Labels that name no intent of the knowledge base (their lines count as wrong).
    pub unknown_labels: Vec<String>,
    /// Share of in-scope lines whose top-ranked intent is the label; `None` without in-scope lines.
    pub accuracy: Option<f64>,
    /// Macro-averaged F1 over intents, 0.0..=1.0; `None` without in-scope lines.
    pub macro_f1: Option<f64>,
    /// Figures at `bot.ron`'s threshold and margin.
    pub at_threshold: AtThreshold,
    /// The most confused (label, prediction) pairs, most frequent first.
    pub confusions: Vec<Confusion>,
    /// Every line not handled right at the threshold and margin, in file
    /// order.
    pub misses: Vec<Miss>,
    /// Per-intent scores, by intent id.
    pub intents: Vec<IntentScore>,
    /// The threshold sweep, 0.00..=1.00 in steps of 0.01.
    pub sweep: Vec<SweepPoint>,
    /// The threshold with the best utility (see the module doc).
    pub recommended_threshold: f32,
    /// Calibration of the top confidence on the in-scope lines: ECE and
    /// the reliability table.
    pub calibration: Reliability,
    /// Seconds spent matching (phase 1).
    pub seconds: f64,
    /// Utterances matched per second, one thread.
    pub utterances_per_second: f64,
}
