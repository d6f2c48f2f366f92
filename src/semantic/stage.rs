//! The semantic stage as an engine holds it: off (with the reason), or a
//! loaded model with the embedded knowledge base.

use super::Status;
use crate::kb::KnowledgeBase;
use std::path::Path;
#[cfg(feature = "semantic")]
use std::sync::Arc;

#[cfg(feature = "semantic")]
use super::{IntentSimilarity, Model, SemanticIndex};

/// The semantic stage of one engine. Cheap to clone (the model and the
/// index are shared).
#[derive(Clone, Debug)]
pub struct Stage {
    status: Status,
    #[cfg(feature = "semantic")]
    loaded: Option<Arc<Loaded>>,
}

#[cfg(feature = "semantic")]
#[derive(Debug)]
struct Loaded {
    model: Arc<Model>,
    index: SemanticIndex,
}

impl Default for Stage {
    fn default() -> Self {
        Stage::off()
    }
}

impl Stage {
    /// The stage switched off: [`Status::NotBuilt`] without the cargo
    /// feature, [`Status::NoModel`] with it.
    pub fn off() -> Self {
        Stage {
            status: if super::BUILT {
                Status::NoModel
            } else {
                Status::NotBuilt
            },
            #[cfg(feature = "semantic")]
            loaded: None,
        }
    }

    /// Loads the model in `model_dir` (if any) and embeds `kb`, with the
    /// embedding cache in `cache_dir` (see [`super::cache`]). Never fails:
    /// a model that does not load leaves the stage off with
    /// [`Status::Failed`] (faqbot then works as without a model), and
    /// without the feature the stage is [`Status::NotBuilt`].
    pub fn load(model_dir: Option<&Path>, kb: &KnowledgeBase, cache_dir: Option<&Path>) -> Self {
        let Some(dir) = model_dir else {
            return Stage::off();
        };
        #[cfg(feature = "semantic")]
        {
            match Model::load(dir) {
                Ok(model) => Stage::with_model(Arc::new(model), kb, cache_dir),
                Err(e) => Stage {
                    status: Status::Failed(e.to_string()),
                    loaded: None,
                },
            }
        }
        #[cfg(not(feature = "semantic"))]
        {
            let _ = (dir, kb, cache_dir);
            Stage::off()
        }
    }

    /// The stage with an already loaded model (e.g. the previous engine's,
    /// on a hot reload) for the knowledge base `kb`.
    #[cfg(feature = "semantic")]
    pub fn with_model(model: Arc<Model>, kb: &KnowledgeBase, cache_dir: Option<&Path>) -> Self {
        let index = SemanticIndex::build(&model, kb, cache_dir);
        Stage {
            status: Status::On(model.dir().to_path_buf()),
            loaded: Some(Arc::new(Loaded { model, index })),
        }
    }

    /// Whether the stage runs, and why not.
    pub fn status(&self) -> &Status {
        &self.status
    }

    /// The loaded model, when the stage is on.
    #[cfg(feature = "semantic")]
    pub fn model(&self) -> Option<&Arc<Model>> {
        self.loaded.as_ref().map(|l| &l.model)
    }

    /// The embedded knowledge base, when the stage is on.
    #[cfg(feature = "semantic")]
    pub fn index(&self) -> Option<&SemanticIndex> {
        self.loaded.as_ref().map(|l| &l.index)
    }

    /// Per-intent similarity of `question` (see
    /// [`SemanticIndex::similarities`]), best first; `None` when the
    /// stage is off. Cost: one sentence embedding (milliseconds).
    #[cfg(feature = "semantic")]
    pub fn similarities(&self, question: &str) -> Option<Vec<IntentSimilarity>> {
        let l = self.loaded.as_ref()?;
        Some(l.index.similarities(&l.model, question))
    }

    /// What `/why` and `faqbot explain` show of this stage for `question`:
    /// the status line, and when the stage is on, the closest phrasing of
    /// the best intent by semantic score, e.g. `semantic: closest phrasing
    /// "Is there parking?" (parking) 0.71, answer 0.40`. The semantic score
    /// does not change replies yet (it will through the calibration).
    pub fn explain(&self, kb: &KnowledgeBase, question: &str) -> Vec<String> {
        #[cfg_attr(not(feature = "semantic"), allow(unused_mut))]
        let mut lines = vec![self.status.line()];
        #[cfg(feature = "semantic")]
        if let (Some(l), Some(sims)) = (self.loaded.as_ref(), self.similarities(question)) {
            for s in sims.iter().take(2) {
                let id = kb.intents.get(s.intent).map_or("?", |i| i.id.as_str());
                let phrasing = s
                    .closest
                    .and_then(|p| l.index.phrasings().get(p))
                    .map_or(String::new(), |p| format!("closest phrasing {:?} ", p.text));
                lines.push(format!(
                    "semantic: {phrasing}({id}) {:.2}, answer {:.2}",
                    s.phrasing, s.answer
                ));
            }
        }
        #[cfg(not(feature = "semantic"))]
        let _ = (kb, question);
        lines
    }
}
