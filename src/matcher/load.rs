//! Building a [`Matcher`] from a knowledge base: the main matcher, the
//! calibration's matchers (or the cached calibration, see
//! `calibration_cache`) and the helper threads that share the work.

use super::index::Index;
use super::rules::{KbPatterns, Rules};
use super::{
    analysis, calibrate, calibration_cache, evidence::Dense, index, nearest, prepared, snapshot,
    weights_cache, Answers, Examples, Matcher, Weights, PARALLEL_FIT_MAX_EXAMPLES,
};
use crate::kb::KnowledgeBase;
use crate::normalize::Normalizer;

impl Matcher {
    /// Compiles the matcher for a validated knowledge base. Cost: linear in
    /// the total size of examples and keywords, times the few passes of the
    /// word-weight learning ([`super::linear`]).
    ///
    /// Then fits the calibration ([`calibrate`]): a second matcher is built
    /// from part of the examples (at most [`calibrate::SUB_BUDGET`], no
    /// patterns; four for knowledge bases of at most
    /// [`calibrate::SMALL_KB`] examples) and ranks the held-out samples.
    pub fn new(kb: &KnowledgeBase) -> Self {
        Self::with_calibration_cache(kb, None)
    }

    /// [`Matcher::new`], with the calibration read from the cache in the
    /// directory `cache` when this program fitted it for the same knowledge
    /// base before, else fitted and written there (see
    /// `calibration_cache`: one 64-byte file per knowledge base, keyed by
    /// a hash of its settings and intents and of the executable); the
    /// learned word weights likewise (`weights_cache`: a file beside it),
    /// and the whole built matcher (`snapshot`: read instead of building
    /// when it is there with the calibration; only the patterns are then
    /// compiled). The result is the same either way; a file that is
    /// missing, corrupt or cannot be written only costs the time of the
    /// fit, the learning or the build.
    pub fn with_calibration_cache(kb: &KnowledgeBase, cache: Option<&std::path::Path>) -> Self {
        let two_cores = std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
        let key = cache.and_then(|dir| Some((dir, calibration_cache::Key::of(kb)?)));
        let key = key.as_ref().map(|(dir, k)| (*dir, k));
        std::thread::scope(|s| {
            // With a second core, a helper thread meanwhile compiles the
            // typed-token patterns (the folding of the texts needs them
            // soon) and the knowledge base's regex patterns, which depend
            // on nothing else (the largest single step of loading the
            // bundled knowledge base). Without patterns there is no
            // helper: memory allocated on another thread is not reused by
            // this one (a helper that only parsed the lexicon cost
            // BANKING77 6 MB more peak RSS).
            let has_patterns = kb.intents.iter().any(|d| !d.patterns.is_empty());
            let helper = (two_cores && has_patterns)
                .then(|| {
                    std::thread::Builder::new()
                        .name("faqbot-patterns".into())
                        .spawn_scoped(s, || {
                            crate::normalize::typed::compile_now();
                            KbPatterns::new(kb, key)
                        })
                        .ok()
                })
                .flatten();
            let patterns = move || match helper {
                Some(h) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
                None => KbPatterns::new(kb, key),
            };
            Self::build(kb, key, two_cores, patterns)
        })
    }

    /// [`Matcher::with_calibration_cache`] with the main matcher's
    /// patterns from `patterns`.
    fn build(
        kb: &KnowledgeBase,
        key: Option<(&std::path::Path, &calibration_cache::Key)>,
        two_cores: bool,
        patterns: impl FnOnce() -> KbPatterns,
    ) -> Self {
        let cached = key.and_then(|(dir, k)| calibration_cache::load(dir, k));
        // The whole matcher from the start-up cache, when it is there with
        // its calibration: nothing is compiled but the patterns.
        if let (Some(calibration), Some((dir, k))) = (&cached, key) {
            if let Some(s) = snapshot::load(dir, k, kb.intents.len()) {
                return s.into_matcher(patterns(), calibration.clone());
            }
        }
        let norm = index::normalizer(kb);
        // Every matcher built here reads the same folded texts and tokens.
        // With the calibration cached only one matcher is built: its words'
        // tokens are made as it meets them, not in a pass of their own.
        let prepared = prepared::Prepared::new(kb, norm.clone(), cached.is_none());
        let prep = &prepared;
        // The answering matcher's weights: read from the cache, else
        // learned (and written there).
        let weights = |ix: &Index, ex_vecs: &[Vec<(u32, f32)>]| {
            let Some((dir, k)) = key else {
                return Weights::learn(ix, ex_vecs);
            };
            if let Some(w) = weights_cache::load(dir, k, ix.space.len(), ix.n_intents) {
                return w;
            }
            let w = Weights::learn(ix, ex_vecs);
            // A cache that cannot be written costs only the next learning.
            let _ = weights_cache::store(dir, k, ix.n_intents, &w);
            w
        };
        if let Some(calibration) = cached {
            // The folded texts are freed as soon as the last structure
            // built from them is: they are not in memory with the
            // example postings and weights (the peak of a cached load).
            let part = Self::compiled(kb, norm, prep);
            drop(prepared);
            let mut m = Self::assemble(part, patterns, weights);
            m.calibration = calibration;
            keep_snapshot(key, &m);
            return m;
        }
        let fit = || {
            calibrate::fit_to(
                kb,
                |t: &str| prep.fold(t),
                |rest| {
                    // The held-out knowledge base has the same settings: the
                    // normaliser (synonyms, stemmer, stop words) is shared.
                    let same = rest.settings.language == kb.settings.language
                        && rest.settings.synonyms == kb.settings.synonyms;
                    let sub_norm = if same {
                        norm.clone()
                    } else {
                        index::normalizer(rest)
                    };
                    let sub = Self::uncalibrated(
                        rest,
                        sub_norm,
                        prep,
                        || KbPatterns::new(rest, None),
                        Weights::learn,
                    );
                    move |text: &str| {
                        let a = analysis::analyze_folded(&sub.ix, text, prep.fold(text));
                        let r = sub.rank_for_decision(&a, 2);
                        calibrate::Observation::top(&a, &r)
                    }
                },
            )
        };
        // The calibration's matchers and this one are independent: for a
        // small knowledge base (start-up time matters most, memory is
        // small), with a second core, they are built at the same time (same
        // result either way). Larger ones are built one after the other,
        // so that the peak memory is that of one matcher being built.
        let examples: usize = kb.intents.iter().map(|d| d.examples.len()).sum();
        let parallel = examples <= PARALLEL_FIT_MAX_EXAMPLES && two_cores;
        let (mut m, calibration) = if parallel {
            std::thread::scope(|s| {
                let handle = std::thread::Builder::new()
                    .name("faqbot-calibration".into())
                    .spawn_scoped(s, fit);
                let m = Self::uncalibrated(kb, norm.clone(), prep, patterns, weights);
                let calibration = match handle {
                    Ok(h) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
                    Err(_) => fit(),
                };
                (m, calibration)
            })
        } else {
            // The calibration first: its matcher is dropped before this
            // one is built, so the two are never in memory together. The
            // folded texts are freed as soon as this one's structures built
            // from them are (as in a load with the calibration cached):
            // they are not in memory with the learning, the example
            // postings and the writing of the snapshot.
            let calibration = fit();
            let part = Self::compiled(kb, norm.clone(), prep);
            drop(prepared);
            (Self::assemble(part, patterns, weights), calibration)
        };
        if let Some((dir, k)) = key {
            // A cache that cannot be written costs only the next fit.
            let _ = calibration_cache::store(dir, k, &calibration);
        }
        m.calibration = calibration;
        keep_snapshot(key, &m);
        m
    }

    /// The matcher without calibration: confidences are the raw ones. Its
    /// word weights come from `weights` (normally [`Weights::learn`]).
    fn uncalibrated(
        kb: &KnowledgeBase,
        norm: std::sync::Arc<Normalizer>,
        prep: &prepared::Prepared,
        patterns: impl FnOnce() -> KbPatterns,
        weights: impl FnOnce(&Index, &[Vec<(u32, f32)>]) -> Weights,
    ) -> Self {
        Self::assemble(Self::compiled(kb, norm, prep), patterns, weights)
    }

    /// The first part of [`Matcher::uncalibrated`]: what is built from the
    /// folded texts of `prep`.
    fn compiled(
        kb: &KnowledgeBase,
        norm: std::sync::Arc<Normalizer>,
        prep: &prepared::Prepared,
    ) -> (index::Compiled, Answers) {
        let c = index::compile(kb, norm, prep);
        let answers = Answers::new(kb, &c.index, prep);
        (c, answers)
    }

    /// The rest of [`Matcher::uncalibrated`]: postings, weights and rules.
    fn assemble(
        (c, answers): (index::Compiled, Answers),
        patterns: impl FnOnce() -> KbPatterns,
        weights: impl FnOnce(&Index, &[Vec<(u32, f32)>]) -> Weights,
    ) -> Self {
        let weights = weights(&c.index, &c.ex_vecs);
        let examples = Examples::new(&c.index, &c.ex_vecs);
        let rules = Rules::new(c.keywords, c.required, patterns());
        Matcher {
            dense: Dense::new(&weights, c.index.n_intents, &c.index.idf),
            near_rows: nearest::Rows::new(&examples, &c.index.int_start),
            near_sets: nearest::RunSets::new(&examples, c.index.n_intents),
            ix: c.index,
            weights,
            examples,
            rules,
            calibration: calibrate::Calibration::identity(),
            answers,
        }
    }
}

/// Writes `m` to the start-up cache as its knowledge base's snapshot
/// (`snapshot`), when there is a cache.
fn keep_snapshot(key: Option<(&std::path::Path, &calibration_cache::Key)>, m: &Matcher) {
    if let Some((dir, k)) = key {
        // A cache that cannot be written costs only the next build.
        let _ = snapshot::store(dir, k, m);
    }
}
