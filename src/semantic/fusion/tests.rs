//! Unit tests of the fusion's model and fit.

use super::super::fit::fit;
use super::*;

fn cand(lexical: f32, phrasing: f32, rival: f32) -> Candidate {
    Candidate {
        intent: 0,
        lexical,
        phrasing,
        answer: 0.3,
        phrasing_rival: rival,
        answer_rival: 0.2,
        closest: None,
    }
}

#[test]
fn the_prior_grows_with_each_kind_of_evidence() {
    let f = Fusion::default();
    let base = f.probability(&cand(0.3, 0.5, 0.4));
    assert!(f.probability(&cand(0.6, 0.5, 0.4)) > base);
    assert!(f.probability(&cand(0.3, 0.7, 0.4)) > base);
    assert!(f.probability(&cand(0.3, 0.5, 0.2)) > base);
    for c in [cand(0.0, -1.0, 1.0), cand(1.0, 1.0, -1.0)] {
        assert!((0.0..=1.0).contains(&f.probability(&c)));
    }
}

#[test]
fn fit_separates_right_from_wrong_and_keeps_signs() {
    // Right when the phrasing cosine is high, whatever the lexical side.
    let samples: Vec<_> = (0..200)
        .map(|k| {
            let s = k as f32 / 200.0;
            (cand(0.2, s, 0.3).features(), s >= 0.6, 1.0)
        })
        .collect();
    let b = fit(&samples);
    let fitted = Fusion {
        coefficients: b,
        ..Fusion::default()
    };
    assert!(fitted.probability(&cand(0.2, 0.9, 0.3)) > 0.8, "{b:?}");
    assert!(fitted.probability(&cand(0.2, 0.3, 0.3)) < 0.2, "{b:?}");
    assert!(b.iter().skip(1).all(|&v| v >= 0.0), "{b:?}");
    assert_eq!(fit(&[]), PRIOR);
}
