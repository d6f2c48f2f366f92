//! The stages in order, for one utterance: [`Matcher::rank`] and its
//! siblings call `Matcher::pipeline` with this thread's scratch space
//! (see the module doc of [`super`] for the formula and the stages).

use super::analysis::{Analysis, Query};
use super::candidates::{self, Candidates};
use super::combine::{self, Coverage, Parts, Steps};
use super::evidence::WordScores;
use super::nearest::{Near, NEAREST_CANDIDATES};
use super::rules::Hits;
use super::{calibrate, trace, Matcher, Scored};
use std::cell::RefCell;

/// Per-thread scratch space, one part per stage. Invariant between calls:
/// every per-intent array is all zeros (entries used are reset at the end).
#[derive(Default)]
struct Scratch {
    query: Query,
    words: WordScores,
    cover: Coverage,
    near: Near,
    hits: Hits,
    cands: Candidates,
    /// The ranked candidates' parts and steps (empty between calls).
    ranked: Vec<(u32, Parts, Steps)>,
    /// The out-of-scope candidates (empty between calls).
    oos: Vec<(f32, u32)>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
    /// A finished ranking's buffer ([`recycle`]), empty: the next ranking
    /// on this thread is written into it instead of a new allocation
    /// (five `Scored` are over a kilobyte, beyond the allocator's cheap
    /// small sizes).
    static SPARE: std::cell::Cell<Vec<Scored>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Gives a ranking that is no longer needed back for reuse of its buffer
/// by the next ranking on this thread (its entries are dropped; one buffer
/// is kept). The same rankings, one allocation a turn fewer. Pipe mode
/// does this with each turn's ranking ([`crate::Engine::respond_routed`]).
pub(crate) fn recycle(mut ranking: Vec<Scored>) {
    ranking.clear();
    SPARE.set(ranking);
}

impl Matcher {
    pub(super) fn rank_with(&self, a: &Analysis, top: usize, shares: bool) -> Vec<Scored> {
        SCRATCH.with(|s| {
            let s = &mut *s.borrow_mut();
            let n = self.ix.n_intents;
            s.words.fit(n);
            s.cover.fit(n);
            s.near.fit(n, self.ix.ex_text.len());
            s.hits.fit(n);
            s.cands.fit(n);
            let out = self.pipeline(a, top, s, shares);
            s.words.reset();
            s.cover.reset();
            s.near.reset();
            s.hits.reset();
            s.cands.reset();
            out
        })
    }

    /// Intent `i`'s parts and the steps of its confidence, for the
    /// turn's word evidence, rule hits, coverage and `turn` parts (FAQ,
    /// out of scope). Inlined where it is called: the candidates' first
    /// confidences keep only `c`, and the compiler leaves out the rest.
    #[inline(always)]
    fn steps(
        &self,
        i: u32,
        near: &Near,
        words: &WordScores,
        hits: &Hits,
        cover: &Coverage,
        turn: &[combine::Turn; 2],
    ) -> (Parts, Steps) {
        let i = i as usize;
        let r = self.rules.of(i, hits);
        let p = Parts {
            l: words.lin[i],
            near: near.near[i].0,
            k: r.k,
            pattern: r.pattern,
            missing: r.missing,
        };
        let oos = self.ix.out_of_scope.binary_search(&(i as u32)).is_ok();
        let turn = &turn[usize::from(oos)];
        (
            p,
            combine::confidence(i, p, cover, self.weights.word_scale, turn),
        )
    }

    /// The stages, in the order of the module doc.
    fn pipeline(&self, a: &Analysis, top: usize, s: &mut Scratch, shares: bool) -> Vec<Scored> {
        let ix = &self.ix;
        s.query.vector(ix, a);
        self.weights.score(&self.dense, &s.query, &mut s.words);
        s.cover.measure(ix, &self.answers, a, &s.query.terms);
        let exact = s.near.exact(ix, a);
        self.rules.find(a, &mut s.hits);
        self.rules.find_answers(&self.answers, a, &mut s.hits);
        self.rules
            .credit_patterns(ix, &self.answers, a, &s.hits, &mut s.cover);

        let (words, hits) = (&s.words, &s.hits);
        s.cands.gather(words, exact, hits, &self.rules);
        s.cands.select(top, &self.ix.tie);

        // Confidence without nearest examples picks who gets one.
        let cover = &s.cover;
        // The turn's parts of every confidence, for FAQ and out-of-scope
        // intents.
        let typical = ix.typical_familiarity;
        let turn = [false, true].map(|oos| combine::Turn::new(cover, typical, oos));
        let steps = |i: u32, near: &Near| self.steps(i, near, words, hits, cover, &turn);
        // The same steps inlined, of which only the confidence is kept.
        for c in s.cands.list.iter_mut() {
            c.0 = self.steps(c.1, &s.near, words, hits, cover, &turn).1.c;
        }
        let mut list = std::mem::take(&mut s.cands.list);
        // Out-of-scope intents always get their nearest example: such an
        // intent gathers many unrelated topics, so its word evidence is
        // thin by construction and would rarely shortlist it, while one of
        // its examples may be the utterance's closest phrasing.
        let mut oos = std::mem::take(&mut s.oos);
        if !ix.out_of_scope.is_empty() {
            oos.extend(
                list.iter()
                    .filter(|c| ix.out_of_scope.binary_search(&c.1).is_ok())
                    .copied(),
            );
        }
        candidates::shortlist(&mut list, top.max(NEAREST_CANDIDATES), &self.ix.tie);
        // Whatever order `oos` comes in (the order `Candidates::select`
        // left the candidates in), the first `k` entries end up the
        // NEAREST_CANDIDATES best and every out-of-scope candidate, and
        // `ranked` below is sorted again: the result does not depend on it.
        let mut k = NEAREST_CANDIDATES.min(list.len());
        for o in oos.drain(..) {
            match list.iter().position(|c| c.1 == o.1) {
                Some(p) if p < k => continue,
                Some(p) => {
                    list.remove(p);
                }
                None => {}
            }
            list.insert(k, o);
            k += 1;
        }
        s.oos = oos;
        self.examples.find(
            ix,
            &self.near_rows,
            &self.near_sets,
            &s.query,
            &list,
            k,
            &mut s.near,
        );
        let mut ranked = std::mem::take(&mut s.ranked);
        // Plain loops here and below rather than `extend` of mapped
        // iterators, which a build without link-time optimisation called
        // out of line.
        ranked.reserve(list.len());
        for &(_, i) in &list {
            let (p, st) = steps(i, &s.near);
            ranked.push((i, p, st));
        }
        s.cands.list = list;
        let order = candidates::by_score(&self.ix.tie);
        ranked.sort_unstable_by(|a, b| order(&(a.2.c, a.0), &(b.2.c, b.0)));
        let raw_of = |k: usize| ranked.get(k).map_or(0.0, |r| r.2.c);
        let (best, second) = (raw_of(0), raw_of(1));
        ranked.truncate(top);
        // Room for all at once (a filtered collect starts smaller and
        // grows), in a recycled buffer when there is one.
        let mut scored: Vec<Scored> = SPARE.take();
        scored.reserve(ranked.len());
        for (i, p, st) in ranked.drain(..) {
            if st.c <= 0.0 || st.c.is_nan() {
                continue;
            }
            let i = i as usize;
            let feats = trace::word_part(&p, &st)
                .filter(|_| shares)
                .map(|part| self.weights.shares(i, &s.query, p.l, part))
                .unwrap_or_default();
            let near = s.near.near[i].1;
            scored.push(trace::scored(
                i,
                p,
                st,
                near,
                self.rules.explain(i, &s.hits),
                feats,
            ));
        }
        s.ranked = ranked;
        calibrate::apply(&self.calibration, a, &mut scored, best, second);
        scored
    }
}

#[cfg(test)]
mod tests {
    use super::recycle;
    use crate::kb::KnowledgeBase;
    use crate::matcher::Matcher;

    /// A ranking written into a recycled buffer (of another ranking, longer
    /// or shorter) is the ranking written into a new one.
    #[test]
    fn a_recycled_buffer_gives_the_same_ranking() {
        let m = Matcher::new(&KnowledgeBase::bundled().unwrap());
        let texts = [
            "how do I reset my pin",
            "charging at night",
            "hi",
            "zorblax",
            "",
        ];
        let fresh: Vec<_> = texts.iter().map(|t| m.rank(t, 5)).collect();
        for (k, t) in texts.iter().enumerate() {
            for top in [1, 5, 16] {
                recycle(m.rank(texts[(k + 1) % texts.len()], top));
                assert_eq!(m.rank(t, 5), fresh[k], "{t:?} after a ranking of {top}");
            }
        }
    }
}
