//! Stage 3b, answer text: the words of an intent's answer as weak,
//! keyword-like evidence.
//!
//! A freshly imported FAQ has one to three phrasings per entry, and
//! customers share few words with them; its answers say much more ("free
//! parking for patients behind the building"). Retrieval-based FAQ services
//! index question and answer alike. Here a content term of an intent's
//! answer counts for that intent when the utterance uses it and the
//! intent's own examples, title and keywords do not (what they use is
//! word evidence already), with the evidence
//! `ANSWER_UNIT · specificity · ANSWER_PRIOR / (ANSWER_PRIOR + examples)`
//! added to the keyword evidence `k`: for a spreadsheet row with two
//! phrasings about as strong as a keyword of weight 1.0, for an intent
//! with twenty examples a sixth of that. Specificity is over the intents that use the term in
//! their answer, examples or keywords; a term below
//! [`ANSWER_MIN_SPECIFICITY`] or used by more than half of the intents
//! (boilerplate, or the template text of answers imported from labelled
//! data) is not indexed.
//!
//! The same terms count in the coverage of their intent (stage 7,
//! [`super::combine`]), with the same share of an example's word.
//!
//! Takes the knowledge base and the `Index` (built once), then the
//! [`Analysis`] (the current turn's content terms); gives answer hits
//! into the rule stage's `Hits`: per intent, the terms found and their
//! evidence, which `/why` names ("answer text: 'parking' +0.45"). In an
//! English knowledge base the most frequent English words
//! ([`ANSWER_COMMON_RANK`]) are not indexed.

use super::analysis::Analysis;
use super::index::Index;
use super::prepared::Prepared;
use crate::kb::KnowledgeBase;
use crate::schema::IntentKind;
use rustc_hash::FxHashMap as HashMap;

/// Evidence added to `k` by one answer term of specificity 1.0 in an
/// intent with no examples; an intent with `n` examples (its title
/// included) gets `ANSWER_UNIT · ANSWER_PRIOR / (ANSWER_PRIOR + n)` of it:
/// the more phrasings an author wrote, the less the answer text adds to
/// them. Measured on the development sets (docs/lexicon.md): 0.8 until
/// session 41, when the thirteen development sheets showed a top found
/// through its answer text right more often than its confidence said
/// (confidence 0.45–0.65: right 11 of 13 with answer-text evidence alone,
/// 10 of 32 with word evidence alone); 1.0 answers 78 instead of 76 of
/// their 360 questions right (8 wrong instead of 7) and ranks 207 first
/// instead of 203.
pub const ANSWER_UNIT: f32 = 1.0;
/// How many examples count as much as the answer text (see [`ANSWER_UNIT`]).
pub const ANSWER_PRIOR: f32 = 4.0;
/// Terms whose specificity is below this are not indexed (they are in so
/// many intents that they say nothing about one).
pub const ANSWER_MIN_SPECIFICITY: f32 = 0.3;

/// In an English knowledge base, a word of an answer among the this many
/// most frequent English words ([`crate::lexicon::Lexicon::rank`]; "up",
/// "out", "new", "time", "first") that no stop word list has is not
/// indexed: an answer's prose uses such words in passing, and a customer's
/// question as well ("can i just turn up on the night" matched a cinema's
/// baby screenings, whose lights "are left a little up": trial 48). On
/// the thirteen development sheets (lexical) 100 gave 73 → 76 right
/// answers of 360 and 8 → 7 wrong, against 74 / 8 at 50 and 76 / 6 at
/// 300, which cost 7 top-1 (1000: 74 / 7, 21 top-1 fewer); on the thirteen
/// test sheets 89 right as before, wrong 8 → 7, top-1 219 → 217; the MINI
/// development set and the small corpora did not move.
pub const ANSWER_COMMON_RANK: u32 = 100;

/// Answer terms of the knowledge base: term → (intent, evidence).
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Answers {
    by_term: HashMap<String, Vec<(u32, f32)>>,
}

impl Answers {
    /// Indexes the answers of every intent that is not out-of-scope.
    /// Cost: linear in the total length of the answers.
    pub fn new(kb: &KnowledgeBase, ix: &Index, prep: &Prepared) -> Self {
        // Specificity is over the intents whose answers are indexed.
        let n = kb
            .intents
            .iter()
            .filter(|d| d.kind != IntentKind::OutOfScope)
            .count();
        // term → intents whose answer uses it but whose examples and keywords do not.
        let mut new_in: HashMap<String, Vec<u32>> = HashMap::default();
        // term → number of intents that use it anywhere.
        let mut users: HashMap<String, u32> = HashMap::default();
        let english = kb.settings.is_english();
        let common = |word: &str| {
            english
                && crate::lexicon::english()
                    .rank(word)
                    .is_some_and(|r| r < ANSWER_COMMON_RANK)
        };
        for (ii, def) in kb.intents.iter().enumerate() {
            if def.kind == IntentKind::OutOfScope {
                continue;
            }
            let ii = ii as u32;
            for t in prep.tokens(&ix.norm, &def.answer) {
                if t.stop || t.term.chars().all(|c| c.is_ascii_digit()) || common(&t.word) {
                    continue;
                }
                let owners = ix.space.get(&t.term).map(|f| &ix.owners[f as usize]);
                let list = new_in.entry(t.term.clone()).or_default();
                if list.last() == Some(&ii) {
                    continue;
                }
                if owners.is_some_and(|o| o.binary_search(&ii).is_ok()) {
                    continue;
                }
                list.push(ii);
            }
        }
        for (term, list) in &new_in {
            let owners = ix
                .space
                .get(term)
                .map_or(0, |f| ix.owners[f as usize].len());
            users.insert(term.clone(), (list.len() + owners) as u32);
        }
        let denom = ((n + 1) as f32).ln().max(f32::MIN_POSITIVE);
        let mut by_term: HashMap<String, Vec<(u32, f32)>> = HashMap::default();
        for (term, list) in new_in {
            if list.is_empty() {
                continue;
            }
            let n_t = users[&term].max(1);
            let spec = ((n as f32 + 1.0) / n_t as f32).ln() / denom;
            if spec < ANSWER_MIN_SPECIFICITY || 2 * n_t as usize > n {
                continue;
            }
            let ev = |i: u32| {
                let n = (ix.int_start[i as usize + 1] - ix.int_start[i as usize]) as f32;
                ANSWER_UNIT * spec.min(1.0) * ANSWER_PRIOR / (ANSWER_PRIOR + n)
            };
            by_term.insert(term, list.into_iter().map(|i| (i, ev(i))).collect());
        }
        Answers { by_term }
    }

    /// Whether every intent named is below `n_intents` (a snapshot read
    /// from the start-up cache).
    pub fn fits(&self, n_intents: usize) -> bool {
        self.by_term
            .values()
            .flatten()
            .all(|&(i, _)| (i as usize) < n_intents)
    }

    /// The intents whose answer uses `term` although their examples,
    /// title and keywords do not, each with the share (0.0..=1.0] of a
    /// word of its examples that the answer's word counts as: its
    /// evidence over [`ANSWER_UNIT`], `specificity · ANSWER_PRIOR /
    /// (ANSWER_PRIOR + examples)`: near 1.0 for a term only one spreadsheet
    /// row's answer uses, at most a sixth for an intent of twenty examples.
    pub fn intents_of(&self, term: &str) -> impl Iterator<Item = (u32, f32)> + '_ {
        self.by_term
            .get(term)
            .into_iter()
            .flatten()
            .map(|&(i, ev)| (i, ev / ANSWER_UNIT))
    }

    /// The answer terms among the current turn's content terms of `a`,
    /// each once: calls `hit(intent, term, evidence)` (evidence already
    /// scaled by the token's weight, e.g. a corrected typo's).
    pub fn find(&self, a: &Analysis, mut hit: impl FnMut(u32, &str, f32)) {
        if self.by_term.is_empty() {
            return;
        }
        let mut seen: Vec<&str> = Vec::new();
        for t in a.tokens.iter().filter(|t| t.current_content()) {
            let term = t.token.term.as_str();
            if seen.contains(&term) {
                continue;
            }
            seen.push(term);
            for &(i, ev) in self.by_term.get(term).into_iter().flatten() {
                hit(i, term, ev * t.weight.min(1.0));
            }
        }
    }
}
