//! Typo correction against the knowledge base's vocabulary (SymSpell-style).
//!
//! An utterance word unknown to the knowledge base, of [`MIN_TYPO_LEN`]
//! letters or more (or a shorter one that is no English word at all, see
//! [`MIN_SHORT_TYPO_LEN`]), without digits and not a stop word, is replaced by a
//! known word with the same first letter at Damerau-Levenshtein distance 1
//! (strsim), found through an index of every known word's single
//! deletions; failing that, the word with one doubled letter made single
//! at distance 1 ("begginers" → "beginners"), unless the word is everyday
//! English ("sleep" is not "slep", then "step"). Ties go to the more frequent word, then the alphabetically
//! first. A very common everyday English word is not corrected into
//! another word ([`refused`]). A corrected word weighs [`CORRECTED_WEIGHT`]. Words longer than
//! [`MAX_TYPO_CHARS`] are left alone: the deletions of a word of n
//! characters cost n², and no word of a support question is that long.

use super::features::Space;
use rustc_hash::FxHashMap as HashMap;

mod stored;

/// Shortest word (in characters) that typo correction touches.
pub const MIN_TYPO_LEN: usize = 5;
/// Shortest word (in characters) that typo correction touches when the
/// bundled lexicon does not list it at all (no English word, name or
/// abbreviation among its 80,000: "wach", "lcok", "pni"); a word of this
/// length is only corrected to the same letters in another order ("pni" →
/// "pin"), longer ones at any distance of 1 ("wach" → "watch"). Listed
/// short words ("pim", "ios", "atm") are left alone: a distance of 1 is
/// a third of a three-letter word, and "ios" is not "ids". Measured (new
/// in December 2026): every corpus, cross-validation and development-set
/// figure unchanged; a customer trial's "apple wach", "lcok the car" and
/// "reset pni" answered instead of falling back.
pub const MIN_SHORT_TYPO_LEN: usize = 3;
/// Weight of a typo-corrected word relative to a word typed right: it
/// counts as this share of the word and the rest as an unknown word (see
/// [`super::analysis`]), so a correction carries a little less evidence.
pub const CORRECTED_WEIGHT: f32 = 0.8;
/// Longest word (in characters) that typo correction touches.
pub const MAX_TYPO_CHARS: usize = 24;
/// Most runs of a doubled letter that typo correction tries to make single
/// in one word (see `Typos::correct`): a slip doubles one letter, and a
/// word of a support question seldom has more than two doubled letters
/// ("committee", "bookkeeper" have three; their first two are tried).
pub const MAX_DOUBLED_TRIED: usize = 2;
/// An everyday English word among this many most frequent ones (by the
/// bundled lexicon's rank) is what the user meant, not a typo: "think" is
/// not corrected to "thank", nor "police" to "policy" (see [`refused`]).
/// Measured: 1,000 keeps every corpus and MINI figure (B77 answered right
/// .843 → .844); refusing every everyday word, or the 2,000 most frequent,
/// lowered the MINI out-of-scope figure or ECE on corpora.
pub const COMMON_RANK: u32 = 1000;

/// Whether the correction `c` of the typed word `w` is refused: `w` is an
/// everyday English word among the [`COMMON_RANK`] most frequent, and `c`
/// is not `w` with a letter added or removed at the end (a form of the
/// same word: "white" → "whiter" is kept, "think" → "thank" refused); or
/// `c` is such an end change but both are everyday English words and
/// neither is a base form of the other ("charger" is not "charge": a
/// new-user trial's "electric car charger" read as a price question).
/// Measured: no decision changed on the MINI development set, the
/// development, test and trial sheets, nor any corpus figure.
pub fn refused(w: &str, c: &str) -> bool {
    let lex = crate::lexicon::english();
    if c.starts_with(w) || w.starts_with(c) {
        // A form of the same word ("whiter" → "white") is kept; another
        // everyday word that only shares its start is not ("charger" is
        // not "charge").
        return lex.is_everyday(w)
            && lex.is_everyday(c)
            && !lex.base_forms(w).any(|b| b == c)
            && !lex.base_forms(c).any(|b| b == w);
    }
    lex.info(w)
        .is_some_and(|i| i.everyday && i.rank <= COMMON_RANK)
}

/// Known words (with how often the knowledge base uses them) and the
/// deletion index, each string stored once (see [`Space`]): a
/// `HashMap<String, Vec<u32>>` of deletions took about 2 MB of BANKING77's
/// heap, mostly small allocations.
#[derive(Debug, Default)]
pub(crate) struct Typos {
    /// The known words (folded), sorted; a word's id is its position.
    words: Space,
    /// Per word (by id), its number of uses in examples, titles and keywords.
    uses: Vec<u32>,
    /// Every single deletion of a known word, and each known word itself.
    deletes: Space,
    /// Per deletion (by id in `deletes`), where its words start in
    /// `owners`; one more entry, `owners.len()`, at the end.
    starts: Vec<u32>,
    /// The ids of the words of each deletion, in ascending order, one
    /// deletion after the other.
    owners: Vec<u32>,
}

impl Typos {
    /// Builds the deletion index over `vocab` (folded word → number of
    /// uses).
    pub fn new(vocab: HashMap<String, u32>) -> Self {
        let mut sorted: Vec<(String, u32)> = vocab.into_iter().collect();
        sorted.sort_unstable();
        let mut words = Space::default();
        let uses = sorted.iter().map(|&(_, n)| n).collect();
        let mut deletes = Space::default();
        let mut lists: Vec<Vec<u32>> = Vec::new();
        for (wi, (w, _)) in sorted.iter().enumerate() {
            words.intern(w);
            if w.chars().count() < 3 || w.chars().any(|c| c.is_ascii_digit()) {
                continue;
            }
            for d in single_deletions(w).chain(std::iter::once(w.clone())) {
                let id = deletes.intern(&d) as usize;
                if id == lists.len() {
                    lists.push(Vec::new());
                }
                let list = &mut lists[id];
                if list.last() != Some(&(wi as u32)) {
                    list.push(wi as u32);
                }
            }
        }
        let mut starts = Vec::with_capacity(lists.len() + 1);
        let mut owners = Vec::with_capacity(lists.iter().map(Vec::len).sum());
        for list in &lists {
            starts.push(owners.len() as u32);
            owners.extend_from_slice(list);
        }
        starts.push(owners.len() as u32);
        Typos {
            words,
            uses,
            deletes,
            starts,
            owners,
        }
    }

    /// The ids of the known words that have the deletion `d` (or are `d`).
    fn owners_of(&self, d: &str) -> &[u32] {
        match self.deletes.get(d) {
            Some(id) => {
                let i = id as usize;
                &self.owners[self.starts[i] as usize..self.starts[i + 1] as usize]
            }
            None => &[],
        }
    }

    /// The known word that the unknown word `w` is a typo of, if any:
    /// `None` for words shorter than [`MIN_TYPO_LEN`] (unless the lexicon
    /// does not list them and they have at least [`MIN_SHORT_TYPO_LEN`]
    /// characters) or longer than [`MAX_TYPO_CHARS`] characters or with
    /// digits, and when no known word is close. The caller leaves stop words and known words alone.
    pub fn correct(&self, w: &str) -> Option<&str> {
        if let Some(c) = self.correct_one(w) {
            return Some(c);
        }
        // A letter typed twice where it is single, besides one more slip
        // ("begginers" → "beginers" → "beginners"): the most common typo
        // at distance 2, tried only when no word is at distance 1. Once
        // per run of a letter (taking any one of "pppp" leaves the same
        // "ppp"), for the first [`MAX_DOUBLED_TRIED`] runs: each try costs
        // what correcting the word costs, so a word of one letter repeated
        // or of doubled letters only ("aabbcc…") cost up to 24 times that
        // (found by fuzzing: 25 such words took 21 times the work of the
        // longest ordinary message). Not for an everyday English word,
        // whose double letter is its spelling: trial 58's "sleep" was read
        // as "slep", then "step" (a venue's wheelchair row).
        if crate::lexicon::english().is_everyday(w) {
            return None;
        }
        let b = w.as_bytes();
        (1..b.len())
            .filter(|&i| {
                b[i] == b[i - 1] && b[i].is_ascii_alphabetic() && (i < 2 || b[i - 2] != b[i])
            })
            .take(MAX_DOUBLED_TRIED)
            .find_map(|i| self.correct_one(&format!("{}{}", &w[..i], &w[i + 1..])))
    }

    /// [`Typos::correct`] at distance 1.
    fn correct_one(&self, w: &str) -> Option<&str> {
        let n = w.chars().count();
        let short = n < MIN_TYPO_LEN;
        if !(MIN_SHORT_TYPO_LEN..=MAX_TYPO_CHARS).contains(&n)
            || w.chars().any(|c| c.is_ascii_digit())
            || (short && crate::lexicon::english().info(w).is_some())
        {
            return None;
        }
        // One unit per deletion built and per candidate compared.
        super::work::add(n * (n + 1));
        let first = w.chars().next();
        let mut best: Option<(u32, &str)> = None;
        let mut consider = |cands: &[u32]| {
            for &ci in cands {
                super::work::add(1);
                let c = self.words.name(ci);
                if c.chars().next() != first
                    || strsim::damerau_levenshtein(w, c) != 1
                    || (n == MIN_SHORT_TYPO_LEN && !same_letters(w, c))
                {
                    continue;
                }
                let freq = self.uses[ci as usize];
                let better = match best {
                    None => true,
                    Some((bf, bc)) => (std::cmp::Reverse(freq), c) < (std::cmp::Reverse(bf), bc),
                };
                if better {
                    best = Some((freq, c));
                }
            }
        };
        consider(self.owners_of(w));
        // The single deletions in the order of `single_deletions`, built
        // in one buffer.
        let mut d = String::with_capacity(w.len());
        for (i, c) in w.char_indices() {
            d.clear();
            d.push_str(&w[..i]);
            d.push_str(&w[i + c.len_utf8()..]);
            consider(self.owners_of(d.as_str()));
        }
        best.map(|(_, c)| c)
    }
}

/// Whether `a` and `b` have the same letters, in any order.
fn same_letters(a: &str, b: &str) -> bool {
    let sorted = |w: &str| {
        let mut v: Vec<char> = w.chars().collect();
        v.sort_unstable();
        v
    };
    sorted(a) == sorted(b)
}

/// Every string made from `w` by deleting one character.
fn single_deletions(w: &str) -> impl Iterator<Item = String> + '_ {
    w.char_indices().map(move |(i, c)| {
        let mut s = String::with_capacity(w.len());
        s.push_str(&w[..i]);
        s.push_str(&w[i + c.len_utf8()..]);
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typos(words: &[&str]) -> Typos {
        Typos::new(words.iter().map(|w| (w.to_string(), 1)).collect())
    }

    /// Fuzzing finding: a word of one letter repeated ("appp…p") tried
    /// the doubled-letter correction once per position of the run, each
    /// as costly as correcting the word: 25 such words took 144 times the
    /// counted work of the longest ordinary message (21 times its time).
    /// Now once per run, for at most `MAX_DOUBLED_TRIED` runs; ordinary
    /// doubled-letter typos are still corrected.
    #[test]
    fn doubled_letters_are_tried_once_per_run_and_for_few_runs() {
        let t = typos(&["beginners", "accommodation", "apple"]);
        assert_eq!(t.correct("begginers"), Some("beginners"));
        assert_eq!(t.correct("accomodattion"), Some("accommodation"));
        // An everyday word's double letter is its spelling.
        assert_eq!(typos(&["step"]).correct("sleep"), None);
        let cost = |n: usize| n * (n + 1);
        for w in [
            format!("a{}", "p".repeat(23)),
            "abbccddeeffgghhiijjkkllm".to_string(),
        ] {
            let n = w.chars().count();
            let (fix, units) = super::super::work::measure(|| t.correct(&w));
            assert_eq!(fix, None, "{w}");
            assert!(
                units <= (cost(n) + MAX_DOUBLED_TRIED * cost(n - 1)) as u64 + 64,
                "{w}: {units} work units"
            );
        }
    }

    #[test]
    fn another_word_that_shares_the_start_is_no_typo() {
        assert!(refused("charger", "charge"));
        assert!(!refused("whiter", "white"));
        assert!(!refused("charges", "charge"));
        // Not English words: still typos.
        assert!(!refused("passwordd", "password"));
        let t = typos(&["charge", "white"]);
        assert_eq!(
            t.correct("charger"),
            Some("charge"),
            "the index still proposes it"
        );
    }

    #[test]
    fn short_words_are_corrected_only_when_they_are_no_word() {
        let t = typos(&["pin", "watch", "lock", "ids", "arm"]);
        for unlisted in ["wach", "lcok", "pni", "pnn"] {
            assert!(
                crate::lexicon::english().info(unlisted).is_none(),
                "{unlisted}"
            );
        }
        // Not in the lexicon: corrected.
        assert_eq!(t.correct("wach"), Some("watch"));
        assert_eq!(t.correct("lcok"), Some("lock"));
        // Three letters: only the same letters in another order.
        assert_eq!(t.correct("pni"), Some("pin"));
        assert_eq!(t.correct("pnn"), None);
        // Listed words (names, abbreviations) are left as typed.
        for listed in ["pim", "ios", "atm"] {
            assert!(crate::lexicon::english().info(listed).is_some(), "{listed}");
            assert_eq!(t.correct(listed), None, "{listed}");
        }
        // Two letters: never.
        assert_eq!(t.correct("pn"), None);
    }
}
