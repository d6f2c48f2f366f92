//! Features: what an utterance or an example is compared by.
//!
//! A token sequence (each token with a weight: 1.0 for the current turn,
//! less for context words or typo corrections) yields
//!
//! * one **unigram** per token, its term (`"charg"`), weighing the token's
//!   weight, times [`STOP_WEIGHT`] for a stop word;
//! * one **bigram** per pair of adjacent tokens (`"reset pin"`), weighing
//!   [`BIGRAM_WEIGHT`] times the smaller of the two weights;
//! * for a **rare** token, one more unigram [`RARE`] of the token's weight,
//!   and [`RARE`] in place of its term in both bigrams
//!   (`"from <rare>"`, `"<rare> to"`).
//!
//! A token is rare when it is not a stop word and its term is one that at
//! most one example of the knowledge base uses (and no keyword), or that
//! the knowledge base does not know at all and is not everyday English
//! (an unknown everyday word, "lately", is not a name; see
//! [`crate::matcher::analysis`]). Names are the typical case:
//! station, product or place names that an utterance brings and no example
//! has. Without the class such a word has no feature and its neighbours
//! lose their bigrams; with it, "from X to Y" keeps the shape `"from <rare>"`,
//! `"<rare> to"` that the examples' own once-used names taught, the way rare
//! words stand in for unknown ones in language models and taggers.
//! Examples of an out-of-scope intent use the class only for words that
//! are not everyday English ([`crate::lexicon`]): they are unrelated
//! questions whose every word is once-used, and their everyday words would
//! teach "an unfamiliar word speaks for out of scope" (unfamiliar words
//! lower every intent's confidence through the familiarity factor
//! instead); their names of other products do belong to the class, so
//! "delete my Instagram account" teaches `"my <rare>"`, `"<rare> account"`:
//! the shape of a near miss that names another product ("reset the PIN in
//! the My BMW app"; the MINI development set's out-of-scope messages left
//! unanswered 0.905 → 0.929, nothing else moved; `docs/confidence.md`).
//!
//! Features are interned to dense ids when the matcher is built; at query
//! time only known features get an id (unknown ones still count towards
//! the query's length, see [`super::Matcher`]).

use crate::normalize::Token;

/// Weight of a stop-word unigram relative to a content word.
pub const STOP_WEIGHT: f32 = 0.4;
/// Weight of a bigram feature relative to a unigram.
pub const BIGRAM_WEIGHT: f32 = 0.6;
/// The feature name standing for any rare word (it cannot clash with a
/// term: folded text has no `<`).
pub const RARE: &str = "<rare>";

/// One token as features see it: the token, its weight (1.0 for the
/// current turn, less for context words or typo corrections) and whether
/// it is rare (see the module doc).
pub(crate) type Weighted<'a> = (&'a Token, f32, bool);

/// Calls `emit(feature, weight, is_unigram)` for every feature of `tokens`
/// (unigrams first, then bigrams). `is_unigram` is false for [`RARE`]:
/// only a token's own term counts as its unigram. `buf` is scratch space
/// for bigram text.
pub(crate) fn for_each(
    tokens: &[Weighted<'_>],
    buf: &mut String,
    emit: impl FnMut(&str, f32, bool),
) {
    for_each_of(tokens.len(), |k| tokens[k], buf, emit);
}

/// [`for_each`] for the `n` tokens `token(0)`, …, `token(n − 1)` (no
/// slice of them needed).
pub(crate) fn for_each_of<'a>(
    n: usize,
    token: impl Fn(usize) -> Weighted<'a>,
    buf: &mut String,
    mut emit: impl FnMut(&str, f32, bool),
) {
    for k in 0..n {
        let (t, w, rare) = token(k);
        let w = if t.stop { STOP_WEIGHT * w } else { w };
        emit(&t.term, w, true);
        if rare {
            emit(RARE, w, false);
        }
    }
    for k in 1..n {
        let ((a, wa, ra), (b, wb, rb)) = (token(k - 1), token(k));
        buf.clear();
        buf.push_str(if ra { RARE } else { &a.term });
        buf.push(' ');
        buf.push_str(if rb { RARE } else { &b.term });
        emit(buf, BIGRAM_WEIGHT * wa.min(wb), false);
    }
}

/// A feature as [`for_each_id_of`] gives it.
pub(crate) enum Found {
    /// A feature of the space, by id.
    Id(u32),
    /// The unigram of token `k`, whose term is no feature.
    Unknown(usize),
}

/// [`for_each_of`] by feature id, for the query vector: `term(k)` is the
/// id of token `k`'s term, if it is a feature; a bigram is found by its
/// sides' ids in `pairs` (by its text in `space` when a side has none).
/// Emits the features `for_each_of` emits, in the same order, with
/// `space.get` of each: a known one as [`Found::Id`], a token's unigram
/// without an id as [`Found::Unknown`]; other features without an id are
/// left out.
pub(crate) fn for_each_id_of<'a>(
    n: usize,
    token: impl Fn(usize) -> Weighted<'a>,
    term: impl Fn(usize) -> Option<u32>,
    (space, pairs): (&Space, &Pairs),
    buf: &mut String,
    mut emit: impl FnMut(Found, f32),
) {
    for k in 0..n {
        let (t, w, rare) = token(k);
        let w = if t.stop { STOP_WEIGHT * w } else { w };
        emit(term(k).map_or(Found::Unknown(k), Found::Id), w);
        if let Some(r) = pairs.side(None, rare) {
            emit(Found::Id(r), w);
        }
    }
    for k in 1..n {
        let ((a, wa, ra), (b, wb, rb)) = (token(k - 1), token(k));
        let id = match (pairs.side(term(k - 1), ra), pairs.side(term(k), rb)) {
            (Some(x), Some(y)) => pairs.get(x, y),
            _ => {
                buf.clear();
                buf.push_str(if ra { RARE } else { &a.term });
                buf.push(' ');
                buf.push_str(if rb { RARE } else { &b.term });
                space.get(buf)
            }
        };
        if let Some(id) = id {
            emit(Found::Id(id), BIGRAM_WEIGHT * wa.min(wb));
        }
    }
}

pub(crate) use pairs::Pairs;
pub(crate) use space::Space;

mod pairs;
mod space;

/// Sorts by feature id and sums the weights of repeated features.
pub(crate) fn merge(feats: &mut Vec<(u32, f32)>) {
    feats.sort_unstable_by_key(|f| f.0);
    feats.dedup_by(|b, a| {
        if a.0 == b.0 {
            a.1 += b.1;
            true
        } else {
            false
        }
    });
}
