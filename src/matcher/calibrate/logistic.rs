//! Weighted logistic regression by Newton's method with a Gaussian prior:
//! the fit behind the calibration ([`super::fit`]) and the semantic
//! stage's fusion (`crate::semantic`).
//!
//! Minimises `Σ wᵢ · logloss(σ(b · xᵢ), yᵢ) + ½ · λ · ‖b − prior‖²` in f64.
//! After each Newton step `constrain` may clamp coefficients (to keep a
//! slope's sign); the fit stops when a step moves no coefficient by more
//! than 1e-6, after `steps` steps, or when the Hessian is singular.

/// One sample: its features (`x[0]` is 1.0 for the intercept), whether it
/// was right, and its weight (> 0.0).
pub type Sample<const K: usize> = ([f64; K], bool, f64);

/// Fits the coefficients for `samples` from `prior` with prior strength
/// `strength` (in sample weights per coefficient), at most `steps` Newton
/// steps, calling `constrain` after each. Deterministic; cost linear in the
/// samples. The result may hold non-finite values when the data are
/// degenerate: callers check and fall back to their prior.
pub fn fit<const K: usize>(
    samples: &[Sample<K>],
    prior: [f64; K],
    strength: f64,
    steps: usize,
    constrain: impl Fn(&mut [f64; K]),
) -> [f64; K] {
    let mut b = prior;
    for _ in 0..steps {
        let mut g = [0.0f64; K];
        let mut h = [[0.0f64; K]; K];
        for k in 0..K {
            g[k] = strength * (b[k] - prior[k]);
            h[k][k] = strength;
        }
        for (x, right, w) in samples {
            let z: f64 = b.iter().zip(x).map(|(b, x)| b * x).sum();
            let p = 1.0 / (1.0 + (-z).exp());
            let y = if *right { 1.0 } else { 0.0 };
            for i in 0..K {
                g[i] += w * (p - y) * x[i];
                for j in 0..K {
                    h[i][j] += w * p * (1.0 - p) * x[i] * x[j];
                }
            }
        }
        let Some(step) = solve(h, g) else { break };
        for k in 0..K {
            b[k] -= step[k];
        }
        constrain(&mut b);
        if step.iter().all(|s| s.abs() < 1e-6) {
            break;
        }
    }
    b
}

/// Solves `h · x = g` by Gaussian elimination with partial pivoting;
/// `None` when `h` is singular.
fn solve<const K: usize>(mut h: [[f64; K]; K], mut g: [f64; K]) -> Option<[f64; K]> {
    for c in 0..K {
        let p = (c..K).max_by(|&a, &b| h[a][c].abs().total_cmp(&h[b][c].abs()))?;
        if h[p][c].abs() < 1e-12 {
            return None;
        }
        h.swap(c, p);
        g.swap(c, p);
        let pivot = h[c];
        for r in c + 1..K {
            let f = h[r][c] / pivot[c];
            for (v, p) in h[r][c..].iter_mut().zip(&pivot[c..]) {
                *v -= f * p;
            }
            g[r] -= f * g[c];
        }
    }
    let mut x = [0.0; K];
    for r in (0..K).rev() {
        let s: f64 = (r + 1..K).map(|k| h[r][k] * x[k]).sum();
        x[r] = (g[r] - s) / h[r][r];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solve_solves() {
        let x = solve([[2.0, 1.0], [1.0, 3.0]], [3.0, 5.0]).expect("regular");
        assert!((x[0] - 0.8).abs() < 1e-9 && (x[1] - 1.4).abs() < 1e-9);
        assert!(solve([[1.0, 2.0], [2.0, 4.0]], [1.0, 2.0]).is_none());
    }

    #[test]
    fn separable_data_gets_a_positive_slope_and_the_constraint_holds() {
        let samples: Vec<Sample<2>> = (0..40)
            .map(|i| {
                let x = f64::from(i) / 40.0;
                ([1.0, x], x > 0.5, 1.0)
            })
            .collect();
        let b = fit(&samples, [0.0, 0.0], 1.0, 25, |_| {});
        assert!(b[1] > 1.0, "{b:?}");
        let clamped = fit(&samples, [0.0, 0.0], 1.0, 25, |b| b[1] = b[1].min(0.0));
        assert!(clamped[1] <= 0.0, "{clamped:?}");
    }
}
