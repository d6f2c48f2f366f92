//! The building blocks of the sentence encoders' forward pass, shared by
//! BERT (all-MiniLM-L6-v2) and MPNet (all-mpnet-base-v2): dense layers on
//! `matrixmultiply`'s SGEMM, layer norm, the exact GELU, one post-layer-norm
//! transformer layer (with an optional additive attention bias, MPNet's
//! relative positions), and reading f32 tensors from `model.safetensors`.

use crate::error::{Error, Result};
use std::path::Path;

/// A dense layer: `y = x Wᵀ + b`. PyTorch stores `W` as `[out, in]`;
/// `wt` holds its transpose, `[in, out]` row-major, because SGEMM packs
/// contiguous rows of the right-hand matrix several times faster than
/// strided columns (measured: 4× the speed of a whole forward pass).
#[derive(Debug)]
pub(super) struct Linear {
    wt: Vec<f32>,
    b: Vec<f32>,
    n_in: usize,
    n_out: usize,
}

impl Linear {
    /// `x` is `[rows, n_in]`; returns `[rows, n_out]`.
    fn forward(&self, x: &[f32], rows: usize) -> Vec<f32> {
        // Checked in release builds too: the SGEMM call below reads `x`
        // through raw pointers with these strides.
        assert_eq!(x.len(), rows * self.n_in, "dense layer input shape");
        assert_eq!(self.wt.len(), self.n_in * self.n_out, "dense layer weights");
        let mut y = Vec::with_capacity(rows * self.n_out);
        for _ in 0..rows {
            y.extend_from_slice(&self.b);
        }
        // SAFETY: the strides describe `x` as [rows, n_in], `wt` as
        // [n_in, n_out] and `y` as [rows, n_out], all row-major; the three
        // buffers have exactly those lengths (asserted above / built here).
        unsafe {
            matrixmultiply::sgemm(
                rows,
                self.n_in,
                self.n_out,
                1.0,
                x.as_ptr(),
                self.n_in as isize,
                1,
                self.wt.as_ptr(),
                self.n_out as isize,
                1,
                1.0,
                y.as_mut_ptr(),
                self.n_out as isize,
                1,
            );
        }
        y
    }
}

#[derive(Debug)]
pub(super) struct LayerNorm {
    w: Vec<f32>,
    b: Vec<f32>,
    eps: f32,
}

impl LayerNorm {
    /// Normalises each row of `x` (`[rows, w.len()]`) in place.
    pub(super) fn apply(&self, x: &mut [f32]) {
        let d = self.w.len();
        for row in x.chunks_exact_mut(d) {
            let mean = row.iter().sum::<f32>() / d as f32;
            let var = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / d as f32;
            let inv = 1.0 / (var + self.eps).sqrt();
            for ((v, w), b) in row.iter_mut().zip(&self.w).zip(&self.b) {
                *v = (*v - mean) * inv * w + b;
            }
        }
    }
}

/// One encoder layer: self-attention, residual, layer norm, feed-forward
/// (GELU), residual, layer norm. BERT and MPNet compute the same; they
/// name the weights differently ([`LayerNames`]).
#[derive(Debug)]
pub(super) struct Layer {
    query: Linear,
    key: Linear,
    value: Linear,
    attn_out: Linear,
    attn_norm: LayerNorm,
    intermediate: Linear,
    output: Linear,
    out_norm: LayerNorm,
}

/// The tensor names of one layer's weights, relative to `encoder.layer.N.`
/// (without `.weight` / `.bias`).
pub(super) struct LayerNames {
    pub query: &'static str,
    pub key: &'static str,
    pub value: &'static str,
    pub attn_out: &'static str,
    pub attn_norm: &'static str,
    pub intermediate: &'static str,
    pub output: &'static str,
    pub out_norm: &'static str,
}

/// BERT's names (`transformers`' `BertLayer`).
pub(super) const BERT_NAMES: LayerNames = LayerNames {
    query: "attention.self.query",
    key: "attention.self.key",
    value: "attention.self.value",
    attn_out: "attention.output.dense",
    attn_norm: "attention.output.LayerNorm",
    intermediate: "intermediate.dense",
    output: "output.dense",
    out_norm: "output.LayerNorm",
};

/// MPNet's names (`transformers`' `MPNetLayer`).
pub(super) const MPNET_NAMES: LayerNames = LayerNames {
    query: "attention.attn.q",
    key: "attention.attn.k",
    value: "attention.attn.v",
    attn_out: "attention.attn.o",
    attn_norm: "attention.LayerNorm",
    intermediate: "intermediate.dense",
    output: "output.dense",
    out_norm: "output.LayerNorm",
};

impl Layer {
    /// Loads layer `i` with the names `names`; `d` is the hidden size,
    /// `ff` the feed-forward width.
    pub(super) fn load(
        w: &Weights<'_>,
        i: usize,
        names: &LayerNames,
        d: usize,
        ff: usize,
    ) -> Result<Self> {
        let p = |n: &str| format!("encoder.layer.{i}.{n}");
        Ok(Layer {
            query: w.linear(&p(names.query), d, d)?,
            key: w.linear(&p(names.key), d, d)?,
            value: w.linear(&p(names.value), d, d)?,
            attn_out: w.linear(&p(names.attn_out), d, d)?,
            attn_norm: w.norm(&p(names.attn_norm), d)?,
            intermediate: w.linear(&p(names.intermediate), d, ff)?,
            output: w.linear(&p(names.output), ff, d)?,
            out_norm: w.norm(&p(names.out_norm), d)?,
        })
    }

    /// The layer on `x` (`[n, d]`) with `heads` attention heads. `bias`,
    /// when given, is added to the scaled attention scores:
    /// `[heads, n, n]`, row `i` (query) and column `j` (key) of head `h`
    /// at `(h · n + i) · n + j`.
    pub(super) fn forward(
        &self,
        x: Vec<f32>,
        n: usize,
        heads: usize,
        bias: Option<&[f32]>,
    ) -> Vec<f32> {
        let d = self.query.n_in;
        let hd = d / heads;
        let q = self.query.forward(&x, n);
        let k = self.key.forward(&x, n);
        let v = self.value.forward(&x, n);
        let scale = 1.0 / (hd as f32).sqrt();
        let mut ctx = vec![0.0f32; n * d];
        let mut scores = vec![0.0f32; n];
        for h in 0..heads {
            let off = h * hd;
            for i in 0..n {
                let qi = &q[i * d + off..i * d + off + hd];
                let mut max = f32::NEG_INFINITY;
                let row_bias = bias.map(|b| &b[(h * n + i) * n..(h * n + i + 1) * n]);
                for (j, s) in scores.iter_mut().enumerate() {
                    let kj = &k[j * d + off..j * d + off + hd];
                    *s = qi.iter().zip(kj).map(|(a, b)| a * b).sum::<f32>() * scale;
                    if let Some(rb) = row_bias {
                        *s += rb[j];
                    }
                    max = max.max(*s);
                }
                let mut sum = 0.0;
                for s in scores.iter_mut() {
                    *s = (*s - max).exp();
                    sum += *s;
                }
                let out = &mut ctx[i * d + off..i * d + off + hd];
                for (j, s) in scores.iter().enumerate() {
                    let w = s / sum;
                    let vj = &v[j * d + off..j * d + off + hd];
                    for (o, b) in out.iter_mut().zip(vj) {
                        *o += w * b;
                    }
                }
            }
        }
        let mut h = self.attn_out.forward(&ctx, n);
        h.iter_mut().zip(&x).for_each(|(a, b)| *a += b);
        self.attn_norm.apply(&mut h);
        let mut inter = self.intermediate.forward(&h, n);
        inter.iter_mut().for_each(|a| *a = gelu(*a));
        let mut out = self.output.forward(&inter, n);
        out.iter_mut().zip(&h).for_each(|(a, b)| *a += b);
        self.out_norm.apply(&mut out);
        out
    }
}

/// BERT's GELU, the exact erf form: `x · Φ(x)` (MPNet's `"gelu"` too).
fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + libm::erff(x * std::f32::consts::FRAC_1_SQRT_2))
}

/// The tensors of a `model.safetensors` file, read as f32 by name.
pub(super) struct Weights<'a> {
    pub st: safetensors::SafeTensors<'a>,
    pub file: &'a Path,
    /// Prepended to every name (MPNet checkpoints saved from
    /// `MPNetModel` have none, from a task model `mpnet.`).
    pub prefix: &'static str,
    /// Layer-norm epsilon from `config.json`.
    pub eps: f32,
}

impl Weights<'_> {
    /// The tensor `name` as f32s, checked to have `len` elements.
    pub(super) fn tensor(&self, name: &str, len: usize) -> Result<Vec<f32>> {
        let at = self.file.display().to_string();
        let name = format!("{}{name}", self.prefix);
        let t = self
            .st
            .tensor(&name)
            .map_err(|e| Error::data(&at, format!("tensor {name}: {e}")))?;
        let data = t.data();
        let v: Vec<f32> = match t.dtype() {
            safetensors::Dtype::F32 => data
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
            other => {
                return Err(Error::data(
                    &at,
                    format!("tensor {name}: type {other:?}, expected F32"),
                ))
            }
        };
        if v.len() != len {
            return Err(Error::data(
                &at,
                format!("tensor {name}: {} values, expected {len}", v.len()),
            ));
        }
        Ok(v)
    }

    /// The dense layer `name` (`name.weight` `[n_out, n_in]`, `name.bias`),
    /// its weight stored transposed.
    fn linear(&self, name: &str, n_in: usize, n_out: usize) -> Result<Linear> {
        let w = self.tensor(&format!("{name}.weight"), n_in * n_out)?;
        let mut wt = vec![0.0; w.len()];
        for (o, row) in w.chunks_exact(n_in).enumerate() {
            for (i, v) in row.iter().enumerate() {
                wt[i * n_out + o] = *v;
            }
        }
        Ok(Linear {
            wt,
            b: self.tensor(&format!("{name}.bias"), n_out)?,
            n_in,
            n_out,
        })
    }

    /// The layer norm `name` of width `d`.
    pub(super) fn norm(&self, name: &str, d: usize) -> Result<LayerNorm> {
        Ok(LayerNorm {
            w: self.tensor(&format!("{name}.weight"), d)?,
            b: self.tensor(&format!("{name}.bias"), d)?,
            eps: self.eps,
        })
    }
}
