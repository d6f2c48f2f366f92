//! Stage 1, analysis: an utterance → its tokens ([`Analysis`]) → its unit
//! feature vector (`Query`).
//!
//! Takes the text (and, for a short follow-up, the previous turn's text)
//! and the `Index`; gives the folded text (what patterns are matched
//! on), the tokens in order with their weights (1.0 for the current turn,
//! [`CONTEXT_WEIGHT`] for context words, [`CORRECTED_WEIGHT`] for typo
//! corrections, see [`super::typo`]), and the tf-idf vector `x` of their
//! features ([`super::features`]), scaled to unit length with unknown
//! words counting at the highest idf.
//!
//! Synonym phrases of `bot.ron` are read as one word before the text is
//! split ([`crate::normalize::synonyms`]). A word the knowledge base does
//! not know but that is everyday English ([`crate::lexicon`]: "lately",
//! "look", "ages") is marked [`QueryToken::everyday`]: it is not read as a
//! name (it does not join the `<rare>` class, which stands for names the
//! knowledge base has seen once), and the combining stage reports its
//! share apart from unknown names ([`super::Evidence::everyday`]).
//!
//! Typed words (`_email_`, `_number_`, ...; see [`crate::normalize::typed`])
//! are left out of the tokens. Compounds are read both ways: two words
//! the knowledge base writes as one are joined ("finger print" →
//! "fingerprint"; never two fragments of under 3 letters one of which is
//! a stop word, "se at"), and an unknown word of at most [`MAX_SPLIT_CHARS`]
//! characters that is two known words the knowledge base uses side by side
//! (as a bigram) is split ("twofactor" → "two factor"). A corrected typo
//! counts as [`CORRECTED_WEIGHT`] of its word and the rest as an unknown
//! word in the vector's length, so it carries a little less evidence than
//! the word typed right.

use super::general_idf::GeneralIdf;
use super::index::Index;
use super::typo::CORRECTED_WEIGHT;
use super::word_token::WordToken;
use crate::normalize::typed::is_typed;
use crate::normalize::Token;
use std::cell::RefCell;

mod query;
pub(crate) use query::{is_rare, Query};

/// Longest unknown word (in characters) that is tried as two known words
/// written together; each split point costs one lookup.
pub const MAX_SPLIT_CHARS: usize = 24;

/// Weight of the previous turn's words when a short follow-up is read in context.
pub const CONTEXT_WEIGHT: f32 = 0.5;
/// Tokens scanned for an unknown word's own idf when the query vector is
/// built (a bound for hostile input; later tokens get an unseen word's).
const MAX_SCAN: usize = 64;

/// An utterance after normalisation and typo correction. Serialised as
/// part of a [`crate::dialogue::Decision`].
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Analysis {
    /// The folded text (what patterns are matched on).
    pub folded: String,
    /// Tokens in order, each with its weight and any typo correction.
    pub tokens: Vec<QueryToken>,
}

/// One token of an analysed utterance. Serialised with its public
/// fields only.
#[derive(Clone, Debug, serde::Serialize)]
pub struct QueryToken {
    /// The normalised token (after correction, if any).
    pub token: Token,
    /// The word as typed, when typo correction replaced it.
    pub corrected_from: Option<String>,
    /// 1.0 for the current turn, [`CONTEXT_WEIGHT`] for context words,
    /// [`CORRECTED_WEIGHT`] for corrected typos.
    pub weight: f32,
    /// Whether the knowledge base knows this term.
    pub known: bool,
    /// Unknown to the knowledge base but everyday English (a dictionary
    /// word, not a name; see [`crate::lexicon`]).
    pub everyday: bool,
    /// The slot this unknown name fills ([`super::slots`]): a position
    /// where the knowledge base's examples put names.
    #[serde(skip)]
    pub(crate) slot: Option<u32>,
    /// The idf this word has as a word the knowledge base does not know:
    /// an unseen word's, blended with its English frequency
    /// ([`super::general_idf`]); > 0.0.
    #[serde(skip)]
    pub(crate) unknown_idf: f32,
    /// The feature id of the term, when the analysis found it with the
    /// word (read through [`super::word_token::term_feature`], which
    /// checks it still names the term); `None`: not known yet.
    #[serde(skip)]
    pub(crate) term_id: Option<u32>,
}

impl QueryToken {
    /// Whether the token is a content word of the current turn (keywords
    /// and coverage read only these).
    pub(crate) fn current_content(&self) -> bool {
        !self.token.stop && self.weight > CONTEXT_WEIGHT
    }

    /// Whether this unknown word sits where the knowledge base's examples
    /// put names ("from ·" in a timetable bot): it is then read as a
    /// familiar name, not a foreign one ([`super::slots`]).
    pub fn fills_slot(&self) -> bool {
        self.slot.is_some()
    }
}

/// The pieces of a text between single spaces, empty ones included: what
/// `text.split(' ')` gives, found byte by byte (without link-time
/// optimisation the split's searcher was a call of its own per word).
struct Words<'a>(Option<&'a str>);

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        let rest = self.0?;
        match rest.bytes().position(|b| b == b' ') {
            Some(p) => {
                self.0 = Some(&rest[p + 1..]);
                Some(&rest[..p])
            }
            None => {
                self.0 = None;
                Some(rest)
            }
        }
    }
}

/// Normalises `text` and corrects typos against the knowledge base's vocabulary.
pub(crate) fn analyze(ix: &Index, text: &str) -> Analysis {
    analyze_folded(ix, text, ix.norm.fold(text))
}

/// Whether `w` has fewer than three characters: at most three decoded,
/// not all of them counted (what `w.chars().count() < 3` says).
fn under_three_chars(w: &str) -> bool {
    w.chars().nth(2).is_none()
}

/// [`analyze`] with `folded`, the folded text of `text` already computed.
pub(crate) fn analyze_folded(ix: &Index, text: &str, folded: String) -> Analysis {
    // Folding reads at most MAX_RAW_CHARS characters (of at most 4 bytes).
    super::work::add(text.len().min(4 * crate::normalize::MAX_RAW_CHARS) + folded.len());
    let restored = restore_phrase_words(ix, &folded);
    let phrased = ix.norm.rewrite_phrases(&restored);
    // Each token with whether its word is known to be a key of
    // `word_tokens` already (found under it), which spares looking it up
    // again below (`false`: not known yet), and its term's feature id when
    // it came from `word_tokens` (`None`: not known yet).
    // Room for every word (a compound split into two may add one more).
    let mut raw = RAW.take();
    raw.reserve(phrased.bytes().filter(|&b| b == b' ').count() + 1);
    SPARE.with(|spare| {
        let spare = &mut *spare.borrow_mut();
        for w in Words(Some(&phrased)) {
            if w.is_empty() || is_typed(w) {
                continue;
            }
            super::work::add(1);
            match ix.word_tokens.get(w) {
                Some(t) => raw.push((copy_of(spare, &t.token), t.token.word == w, t.term_id)),
                None => match split_compound(ix, w) {
                    Some((a, b)) => raw.extend([
                        (a.token.clone(), false, a.term_id),
                        (b.token.clone(), false, b.term_id),
                    ]),
                    None => raw.push((ix.norm.token(w), false, None)),
                },
            }
        }
    });
    // Compounds typed apart ("finger print") are read as the known
    // word ("fingerprint"), unless the knowledge base itself writes
    // them apart ("top up" next to "topup"), or the pair is two short
    // fragments one of which is a stop word: "Cooper SE at home" is not
    // "seat".
    let mut i = 0;
    // Buffers kept from the last analysis on this thread (no allocation).
    let (mut joined, mut apart) = PAIR.take();
    let short = |t: &Token| under_three_chars(&t.word);
    while i + 1 < raw.len() {
        let (a, b) = (&raw[i].0, &raw[i + 1].0);
        let fragments = short(a) && short(b) && b.stop;
        if !a.stop && !fragments {
            joined.clear();
            joined.push_str(&a.word);
            joined.push_str(&b.word);
            if let Some(t) = ix.word_tokens.get(joined.as_str()) {
                apart.clear();
                apart.push_str(&a.term);
                apart.push(' ');
                apart.push_str(&b.term);
                if ix.space.get(&apart).is_none() {
                    raw[i] = (t.token.clone(), false, t.term_id);
                    raw.remove(i + 1);
                }
            }
        }
        i += 1;
    }
    PAIR.set((joined, apart));
    // A plain loop rather than a mapped iterator's `collect`, which a
    // build without link-time optimisation called out of line.
    let mut tokens = LIST.take();
    tokens.reserve(raw.len());
    for (t, key, term_id) in raw.drain(..) {
        tokens.push({
            let known =
                key || ix.word_tokens.contains_key(&t.word) || ix.space.get(&t.term).is_some();
            // A plural or singular of a known word keeps its full weight;
            // a typo fix weighs CORRECTED_WEIGHT.
            let fix = if known || t.stop {
                None
            } else if let Some(c) = number_of_known(ix, &t.word) {
                Some((c, 1.0))
            } else {
                ix.typos
                    .correct(&t.word)
                    .filter(|c| !super::typo::refused(&t.word, c))
                    .map(|c| (c, CORRECTED_WEIGHT))
            };
            match fix {
                Some((c, weight)) => QueryToken {
                    token: ix.norm.token(c),
                    corrected_from: Some(t.word),
                    weight,
                    known: true,
                    everyday: false,
                    slot: None,
                    unknown_idf: ix.unknown_idf,
                    term_id: None,
                },
                None => {
                    let lex = crate::lexicon::english();
                    let everyday = !known && !t.stop && lex.is_everyday(&t.word);
                    // A name keeps an unseen word's full idf.
                    let rank = if everyday {
                        GeneralIdf::rank(lex, &t.word)
                    } else {
                        None
                    };
                    QueryToken {
                        everyday,
                        unknown_idf: ix.general.blend(ix.unknown_idf, rank),
                        token: t,
                        corrected_from: None,
                        weight: 1.0,
                        known,
                        slot: None,
                        term_id,
                    }
                }
            }
        });
    }
    RAW.set(raw);
    let mut a = Analysis { folded, tokens };
    mark_slots(ix, &mut a);
    a
}

/// The known word that an unknown `word` is the plural or singular of
/// when the stemmer does not merge the two: "dvds" for a knowledge base
/// that writes "dvd", "pdf" for one that writes "pdfs" (the English
/// stemmer leaves an "s" after a word without a vowel, as in "gps").
/// Tried before typo correction, which skips words this short; the word
/// keeps its full weight.
pub(crate) fn number_of_known<'a>(ix: &'a Index, word: &str) -> Option<&'a str> {
    let known = |w: &str| {
        ix.word_tokens
            .get_key_value(w)
            .filter(|(_, t)| !t.token.stop)
            .map(|(k, _)| k.as_str())
    };
    let singular = word
        .strip_suffix('s')
        .filter(|w| w.len() >= 2)
        .and_then(|w| {
            known(w).or_else(|| w.strip_suffix('e').filter(|w| w.len() >= 2).and_then(known))
        });
    singular.or_else(|| {
        let mut plural = String::with_capacity(word.len() + 1);
        plural.push_str(word);
        plural.push('s');
        known(&plural)
    })
}

/// Most tokens kept for reuse per thread ([`recycle`]).
const MAX_SPARE: usize = 64;

thread_local! {
    /// The compound check's text buffers (see [`analyze_folded`]).
    static PAIR: std::cell::Cell<(String, String)> = const { std::cell::Cell::new((String::new(), String::new())) };
    /// Tokens of finished analyses ([`recycle`]): the next analysis on
    /// this thread copies its words into their strings' buffers instead of
    /// allocating new ones.
    static SPARE: RefCell<Vec<Token>> = const { RefCell::new(Vec::new()) };
    /// The list of an analysis's tokens, empty: the buffer of the last
    /// finished analysis ([`recycle`]), which the next one fills instead of
    /// a new allocation (ten tokens are over a kilobyte).
    static LIST: std::cell::Cell<Vec<QueryToken>> = const { std::cell::Cell::new(Vec::new()) };
    /// The analysis's list of words before typo correction (see
    /// [`analyze_folded`]), empty between analyses.
    static RAW: std::cell::Cell<Vec<(Token, bool, Option<u32>)>> = const { std::cell::Cell::new(Vec::new()) };
}

/// A copy of `t`, in a spare token's buffers when there is one. The
/// strings are cleared and extended rather than `clone_from`ed: the same
/// bytes, and the copy is inlined here instead of two calls out of line
/// (in a build without link-time optimisation).
fn copy_of(spare: &mut Vec<Token>, t: &Token) -> Token {
    match spare.pop() {
        Some(mut s) => {
            s.word.clear();
            s.word.push_str(&t.word);
            s.term.clear();
            s.term.push_str(&t.term);
            s.stop = t.stop;
            s
        }
        None => t.clone(),
    }
}

/// Gives the tokens of an analysis that is no longer needed back for
/// reuse by the next analysis on this thread (at most [`MAX_SPARE`] are
/// kept, and the list's buffer); the same results, fewer allocations. Pipe mode does this with
/// each turn's analysis ([`crate::Engine::respond_routed`]).
pub(crate) fn recycle(a: Analysis) {
    let mut tokens = a.tokens;
    SPARE.with(|spare| {
        let spare = &mut *spare.borrow_mut();
        let room = MAX_SPARE.saturating_sub(spare.len());
        for t in tokens.drain(..).take(room) {
            spare.push(t.token);
        }
    });
    tokens.clear();
    LIST.set(tokens);
}

/// Marks the unknown names of `a` that fill a slot ([`super::slots`]).
fn mark_slots(ix: &Index, a: &mut Analysis) {
    let is_candidate = |t: &QueryToken| !t.known && !t.everyday && !t.token.stop;
    // Asked before the list is made: most utterances have no unknown name.
    if ix.slots.is_empty() || !a.tokens.iter().any(is_candidate) {
        return;
    }
    let candidate: Vec<bool> = a.tokens.iter().map(is_candidate).collect();
    let words: Vec<super::slots::Word<'_>> = a
        .tokens
        .iter()
        .map(|t| (t.token.term.as_str(), t.token.word.as_str(), t.token.stop))
        .collect();
    let filled = super::slots::fill(ix, &words, &candidate);
    for (t, s) in a.tokens.iter_mut().zip(filled) {
        t.slot = s;
    }
}

/// `folded` with misspelt words of synonym phrases corrected ("instrucion
/// book" → "instruction book"), so that the phrase is read as its group's
/// word; other typos are corrected later, token by token. A fix is kept
/// only where the fixed word then is part of a whole phrase, and never
/// for a word [`super::typo::refused`] keeps ("a black jacket" is no
/// "money back").
pub(crate) fn restore_phrase_words<'a>(ix: &Index, folded: &'a str) -> std::borrow::Cow<'a, str> {
    let fix = |w: &str| {
        if ix.word_tokens.contains_key(w) || ix.norm.in_phrase(w) {
            return None;
        }
        ix.phrase_typos
            .correct(w)
            .filter(|c| !super::typo::refused(w, c))
    };
    if !ix.norm.has_phrases() {
        return std::borrow::Cow::Borrowed(folded);
    }
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let mut fixes: Vec<Option<&str>> = words.iter().map(|w| fix(w)).collect();
    if fixes.iter().all(Option::is_none) {
        return std::borrow::Cow::Borrowed(folded);
    }
    let joined = |fixes: &[Option<&str>]| {
        words
            .iter()
            .zip(fixes)
            .map(|(w, f)| f.unwrap_or(w))
            .collect::<Vec<&str>>()
            .join(" ")
    };
    // Keep the fixes that a phrase then covers (spans count the
    // non-empty words, as `words` does).
    let fixed = joined(&fixes);
    let mut in_phrase = vec![false; fixes.len()];
    for (_, start, len) in ix.norm.phrase_spans(&fixed) {
        if len > 1 {
            for p in in_phrase.iter_mut().skip(start).take(len) {
                *p = true;
            }
        }
    }
    for (f, keep) in fixes.iter_mut().zip(in_phrase) {
        if !keep {
            *f = None;
        }
    }
    if fixes.iter().all(Option::is_none) {
        return std::borrow::Cow::Borrowed(folded);
    }
    std::borrow::Cow::Owned(joined(&fixes))
}

/// An unknown word of at most [`MAX_SPLIT_CHARS`] characters read as two
/// known words written together, when the knowledge base uses them side
/// by side (their bigram is a feature): "twofactor" → "two", "factor".
/// Each part has at least 2 characters; the first split point from the
/// left that qualifies wins.
fn split_compound<'a>(ix: &'a Index, w: &str) -> Option<(&'a WordToken, &'a WordToken)> {
    let n = w.chars().count();
    if !(4..=MAX_SPLIT_CHARS).contains(&n) {
        return None;
    }
    w.char_indices()
        .skip(2)
        .take(n.saturating_sub(3))
        .find_map(|(i, _)| {
            super::work::add(1);
            let (a, b) = (ix.word_tokens.get(&w[..i])?, ix.word_tokens.get(&w[i..])?);
            let bigram = format!("{} {}", a.token.term, b.token.term);
            ix.space.get(&bigram).map(|_| (a, b))
        })
}

/// `a` with the previous turn's words added at [`CONTEXT_WEIGHT`].
pub(crate) fn with_context(ix: &Index, a: &Analysis, previous: &str) -> Analysis {
    let mut out = a.clone();
    let prev = analyze(ix, previous);
    for mut t in prev.tokens {
        t.weight = CONTEXT_WEIGHT;
        out.tokens.push(t);
    }
    out
}

#[cfg(test)]
mod tests;
