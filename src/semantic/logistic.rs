//! The fusion's fit: weighted logistic regression by Newton's method
//! with a Gaussian prior (see [`super::fusion`]).

use super::fusion::{COEFFICIENTS, PRIOR, PRIOR_STRENGTH};

/// Weighted logistic regression with the Gaussian prior [`PRIOR`] ×
/// [`PRIOR_STRENGTH`], at most 25 Newton steps in f64, slopes kept in
/// sign. Returns the prior when the fit does not converge to finite values.
pub(super) fn fit(samples: &[([f32; COEFFICIENTS], bool, f32)]) -> [f32; COEFFICIENTS] {
    const K: usize = COEFFICIENTS;
    let prior: [f64; K] = PRIOR.map(f64::from);
    let lam = f64::from(PRIOR_STRENGTH);
    let mut b = prior;
    for _ in 0..25 {
        let mut g = [0.0f64; K];
        let mut h = [[0.0f64; K]; K];
        for k in 0..K {
            g[k] = lam * (b[k] - prior[k]);
            h[k][k] = lam;
        }
        for (x, right, w) in samples {
            let x = x.map(f64::from);
            let z: f64 = b.iter().zip(&x).map(|(b, x)| b * x).sum();
            let p = 1.0 / (1.0 + (-z).exp());
            let y = if *right { 1.0 } else { 0.0 };
            let w = f64::from(*w);
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
        for k in [1, 3, 4, 5] {
            b[k] = b[k].max(0.0);
        }
        b[2] = b[2].min(0.0);
        if step.iter().all(|s| s.abs() < 1e-6) {
            break;
        }
    }
    let out = b.map(|v| v as f32);
    if out.iter().all(|v| v.is_finite()) {
        out
    } else {
        PRIOR
    }
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
