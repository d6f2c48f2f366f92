//! What MPNet (all-mpnet-base-v2) adds to BERT's forward pass: a relative
//! position bias on the attention scores. `encoder.relative_attention_bias`
//! holds one value per head for each of 32 buckets of the distance between
//! a key and a query position (T5's bucketing: exact for distances below 8,
//! logarithmic up to 128, one side of the buckets per direction). The bias
//! is computed once per sentence and added in every layer
//! (`transformers`' `MPNetEncoder.compute_position_bias`).

/// Distances from this one on share the last bucket of their direction.
const MAX_DISTANCE: usize = 128;

/// The bucket of the relative position `rel = key − query` among
/// `buckets` buckets (MPNet: 32).
pub(super) fn bucket(rel: i64, buckets: usize) -> usize {
    let half = buckets / 2;
    // transformers negates the relative position first: n = query − key.
    let n = -rel;
    let mut ret = if n < 0 { half } else { 0 };
    let n = n.unsigned_abs() as usize;
    let max_exact = half / 2;
    if n < max_exact {
        ret += n;
    } else {
        let large = max_exact
            + ((n as f64 / max_exact as f64).ln() / (MAX_DISTANCE as f64 / max_exact as f64).ln()
                * (half - max_exact) as f64) as usize;
        ret += large.min(half - 1);
    }
    ret
}

/// The relative attention bias of a model: `table` is
/// `encoder.relative_attention_bias.weight`, `[buckets, heads]`.
#[derive(Debug)]
pub(super) struct RelativeBias {
    pub table: Vec<f32>,
    pub buckets: usize,
    pub heads: usize,
}

impl RelativeBias {
    /// The bias for a sentence of `n` tokens: `[heads, n, n]`, query `i`
    /// and key `j` of head `h` at `(h · n + i) · n + j` (the layout
    /// [`super::nn::Layer::forward`] reads).
    pub(super) fn matrix(&self, n: usize) -> Vec<f32> {
        // One bucket per distance j − i in −(n−1)..=n−1.
        let by_distance: Vec<usize> = (0..2 * n.max(1) - 1)
            .map(|k| bucket(k as i64 - (n as i64 - 1), self.buckets))
            .collect();
        let mut out = vec![0.0f32; self.heads * n * n];
        for h in 0..self.heads {
            for i in 0..n {
                let row = &mut out[(h * n + i) * n..(h * n + i + 1) * n];
                for (j, v) in row.iter_mut().enumerate() {
                    let b = by_distance[j + n - 1 - i];
                    *v = self.table[b * self.heads + h];
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::bucket;

    #[test]
    fn buckets_follow_transformers() {
        // Key − query and its bucket (32 buckets, max distance 128), as
        // `_bucket` in scripts/model-probe.py (a port of transformers')
        // computes them.
        let want = [
            (0, 0),
            (1, 17),
            (-1, 1),
            (7, 23),
            (-7, 7),
            (8, 24),
            (-8, 8),
            (15, 25),
            (16, 26),
            (-16, 10),
            (31, 27),
            (32, 28),
            (64, 30),
            (127, 31),
            (128, 31),
            (-128, 15),
            (-500, 15),
        ];
        for (rel, b) in want {
            assert_eq!(bucket(rel, 32), b, "relative position {rel}");
        }
    }
}
