use super::super::analysis::Query;
use super::{best_of, run_at, run_of, Examples, Near, Rows, RunSets};
use crate::testing::XorShift;

/// `Examples::find` with dense rows and without gives the same
/// nearest examples and cosines (the same bits) and leaves its scratch
/// all zeros, on generated examples and queries: intents of every
/// size (none too), zero, negative, tiny, huge and non-finite values in
/// the examples and the query, every budget from none to all rows; with
/// run sets and without.
#[test]
fn dense_rows_give_the_cosines_of_the_postings() {
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    let values = [
        0.0f32,
        -0.0,
        1.0,
        -1.0,
        0.5,
        1e-30,
        -1e-30,
        3e38,
        0.1,
        -0.3,
        f32::NAN,
        f32::INFINITY,
    ];
    let pick = |rng: &mut XorShift, odd: u64| {
        if rng.next() % odd == 0 {
            values[(rng.next() % values.len() as u64) as usize]
        } else {
            (rng.next() % 1000) as f32 / 997.0
        }
    };
    let (mut with_rows, mut rows_made, mut wide_runs, mut with_sets) = (0, 0, 0, 0);
    for round in 0..300 {
        let n_intents = 1 + (rng.next() % 9) as usize;
        let n_feat = 1 + (rng.next() % 14) as usize;
        let mut int_start = vec![0u32];
        let mut ex_intent = Vec::new();
        let mut ex_vecs: Vec<Vec<(u32, f32)>> = Vec::new();
        for i in 0..n_intents as u32 {
            let n_ex = rng.next() % 30;
            // Per feature, the share of the intent's examples using it.
            let share: Vec<u64> = (0..n_feat).map(|_| rng.next() % 101).collect();
            for _ in 0..n_ex {
                let mut v: Vec<(u32, f32)> = Vec::new();
                for f in 0..n_feat as u32 {
                    if rng.next() % 100 < share[f as usize] {
                        v.push((f, pick(&mut rng, 40)));
                    }
                }
                ex_vecs.push(v);
                ex_intent.push(i);
            }
            int_start.push(ex_vecs.len() as u32);
        }
        let ex = Examples::of(n_feat, &ex_intent, &ex_vecs);
        let budget = [0, 64, 256, 1 << 20][round % 4];
        let rows = Rows::with_budget(&ex, &int_start, budget);
        rows_made += rows.at.len().saturating_sub(1);
        let none = Rows::default();
        let (sets, no_sets) = (RunSets::new(&ex, n_intents), RunSets::default());
        for _ in 0..20 {
            let mut q = Query::default();
            for f in 0..n_feat as u32 {
                if rng.next() % 2 == 0 {
                    q.x.push((f, pick(&mut rng, 8)));
                }
            }
            let mut cands: Vec<(f32, u32)> = (0..n_intents as u32)
                .filter(|_| rng.next() % 2 == 0)
                .map(|i| (0.0, i))
                .collect();
            if cands.len() > 1 {
                let last = (rng.next() % cands.len() as u64) as usize;
                cands.swap(0, last);
            }
            let k = (rng.next() % 5) as usize;
            let run = |rows: &Rows, sets: &RunSets, wide: bool| {
                let mut out = Near::default();
                out.fit(n_intents, ex_vecs.len());
                if wide {
                    #[cfg(target_arch = "x86_64")]
                    // SAFETY: `wide` only when the CPU has the features.
                    unsafe {
                        ex.find_wide(&int_start, rows, sets, &q, &cands, k, &mut out)
                    };
                } else {
                    ex.find_in(&int_start, rows, sets, &q, &cands, k, &mut out);
                }
                let near: Vec<(u32, u32)> =
                    out.near.iter().map(|&(n, e)| (n.to_bits(), e)).collect();
                let zeros =
                    out.dot.iter().all(|d| d.to_bits() == 0) && out.is_cand.iter().all(|&c| !c);
                (near, zeros)
            };
            let (a, b) = (run(&rows, &sets, false), run(&none, &no_sets, false));
            assert_eq!(a, b, "{ex_vecs:?} {:?} {cands:?} {k}", q.x);
            assert_eq!(run(&none, &sets, false), a);
            assert!(a.1);
            if wide_available() {
                // The copy compiled for AVX2 gives the same bits.
                let c = run(&rows, &sets, true);
                assert_eq!(c, a, "{ex_vecs:?} {:?} {cands:?} {k}", q.x);
                assert_eq!(run(&none, &no_sets, true), a);
                wide_runs += 1;
            }
            with_sets += usize::from(q.x.iter().any(|&(f, _)| sets.of(f as usize).is_some()));
            with_rows += usize::from(q.x.iter().any(|&(f, x)| {
                x.is_finite()
                    && (ex.range_at[f as usize]..ex.range_at[f as usize + 1])
                        .any(|r| rows.row(r as usize).is_some())
            }));
        }
    }
    assert!(
        rows_made > 1000 && with_rows > 1000,
        "{rows_made} {with_rows}"
    );
    assert!(wide_runs == 0 || wide_runs == 300 * 20);
    assert!(with_sets > 300, "{with_sets}");
}

/// `RunSets::run` finds the run `run_at` finds, for every intent (and
/// some past the last), on generated features of every number of runs
/// over up to 1,000 intents; a feature under `SET_MIN_RUNS` runs (or
/// `SET_RUNS_PER_WORD` a word of its set), or with a run of an intent
/// past the last, gets no set.
#[test]
fn run_sets_find_what_run_at_finds() {
    let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
    let (mut checked, mut bounded) = (0, 0);
    for _ in 0..300 {
        let n_intents = 1 + (rng.next() % 1000) as usize;
        let n_feat = 1 + (rng.next() % 12) as usize;
        let (mut ex_intent, mut ex_vecs) = (Vec::new(), Vec::new());
        let shares: Vec<u64> = (0..n_feat).map(|_| rng.next() % 101).collect();
        for i in 0..n_intents as u32 {
            for _ in 0..1 + rng.next() % 3 {
                let v: Vec<(u32, f32)> = (0..n_feat as u32)
                    .filter(|&f| rng.next() % 100 < shares[f as usize])
                    .map(|f| (f, 0.5))
                    .collect();
                ex_vecs.push(v);
                ex_intent.push(i);
            }
        }
        let ex = Examples::of(n_feat, &ex_intent, &ex_vecs);
        let sets = RunSets::new(&ex, n_intents);
        // As if the knowledge base had fewer intents: no set may claim runs
        // past them.
        let fewer = RunSets::new(&ex, n_intents / 2);
        for f in 0..n_feat {
            let runs = ex.runs(f as u32);
            let min = super::sets::SET_MIN_RUNS
                .max(super::sets::SET_RUNS_PER_WORD * n_intents.div_ceil(64));
            assert_eq!(sets.of(f).is_some(), runs.len() >= min);
            bounded += usize::from(runs.len() >= super::sets::SET_MIN_RUNS && runs.len() < min);
            if runs.last().is_some_and(|r| r.0 as usize >= n_intents / 2) {
                assert!(fewer.of(f).is_none());
            }
            let Some(set) = sets.of(f) else { continue };
            for i in 0..n_intents as u32 + 70 {
                assert_eq!(sets.run(set, i), run_at(runs, i, n_intents), "{runs:?} {i}");
                checked += 1;
            }
        }
    }
    assert!(checked > 50_000 && bounded > 5, "{checked} {bounded}");
}

/// Whether the CPU running the tests has what the wide copies need.
pub(crate) fn wide_available() -> bool {
    #[cfg(target_arch = "x86_64")]
    return super::wide::available();
    #[cfg(not(target_arch = "x86_64"))]
    false
}

/// The scan `best_of` stands for.
fn scan(dots: &[f32], first: u32) -> (f32, u32) {
    let mut best = (0.0f32, u32::MAX);
    for (e, &d) in (first..).zip(dots) {
        if d > best.0 {
            best = (d.min(1.0), e);
        }
    }
    best
}

#[test]
fn best_of_gives_what_the_scan_gives() {
    // A small deterministic generator: ties, zeros, values over 1.0
    // (rounding), every length from 0 to 40.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let values = [
        0.0f32,
        0.25,
        0.5,
        0.5,
        0.75,
        0.999_999_9,
        1.0,
        1.000_000_1,
        1.000_000_2,
    ];
    for len in 0..=40 {
        for _ in 0..200 {
            let dots: Vec<f32> = (0..len)
                .map(|_| values[(next() % values.len() as u64) as usize])
                .collect();
            let over = next() % 3 == 0;
            let dots: Vec<f32> = if over {
                dots
            } else {
                dots.into_iter().map(|d| d.min(1.0)).collect()
            };
            assert_eq!(best_of(&dots, 7), scan(&dots, 7), "{dots:?}");
        }
    }
    assert_eq!(best_of(&[], 3), (0.0, u32::MAX));
    assert_eq!(best_of(&[0.0; 9], 3), (0.0, u32::MAX));
}

#[test]
fn run_at_finds_what_binary_search_finds() {
    // Runs of random subsets of up to 100 intents, dense and sparse.
    let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
    for _ in 0..3000 {
        let n = 1 + (rng.next() % 100) as u32;
        let share = rng.next() % 101;
        let ranges: Vec<(u32, u32, u32)> = (0..n)
            .filter(|_| rng.next() % 100 < share)
            .map(|i| (i, i, i + 1))
            .collect();
        for i in 0..n + 2 {
            let want = ranges.binary_search_by_key(&i, |r| r.0).ok();
            assert_eq!(run_at(&ranges, i, n as usize), want, "{i} {ranges:?}");
        }
    }
}

#[test]
fn run_of_finds_what_binary_search_finds() {
    for n in 1..12u32 {
        // Runs of every third intent, of all intents, of the first half.
        for ranges in [
            (0..n).filter(|i| i % 3 == 1).collect::<Vec<u32>>(),
            (0..n).collect(),
            (0..n / 2).collect(),
        ] {
            let ranges: Vec<(u32, u32, u32)> =
                ranges.iter().map(|&i| (i, i * 2, i * 2 + 1)).collect();
            for i in 0..n {
                let want = ranges
                    .binary_search_by_key(&i, |r| r.0)
                    .ok()
                    .map(|r| &ranges[r]);
                assert_eq!(run_of(&ranges, i, n as usize), want);
            }
        }
    }
}
