//! The semantic stage as an engine holds it: off (with the reason), or a
//! loaded model with the embedded knowledge base.

use super::{SemanticTrace, Status};
use crate::kb::KnowledgeBase;
use crate::matcher::{Analysis, Matcher, Scored};
use std::path::Path;
#[cfg(feature = "semantic")]
use std::sync::Arc;

#[cfg(feature = "semantic")]
use super::{Fusion, IntentSimilarity, Model, SemanticIndex};

/// How [`Stage::fuse`] gets the question's embedding.
#[derive(Clone, Copy, Debug)]
pub enum Embedding<'a> {
    /// Embed the question when needed (milliseconds, on this thread).
    Compute,
    /// The question's embedding, computed before (e.g. on the server's
    /// inference pool) by [`Stage::embed`].
    Given(&'a [f32]),
    /// Do not embed: report [`Fused::Needed`] when the stage would run.
    Defer,
}

/// What [`Stage::fuse`] did.
#[derive(Clone, Debug, PartialEq)]
pub enum Fused {
    /// The ranking is final; the trace says whether the stage ran and how.
    Done(SemanticTrace),
    /// The stage would run but [`Embedding::Defer`] was given: the ranking
    /// is the lexical one, and the caller should embed the question and
    /// answer again with [`Embedding::Given`].
    Needed,
}

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
    fusion: Fusion,
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

    /// Loads the model in `model_dir` (if any), embeds `kb` (whose
    /// compiled matcher is `matcher`), with the embedding cache in
    /// `cache_dir` (see [`super::cache`]), and fits the fusion
    /// ([`super::fusion`]). Never fails: a model that does not load leaves
    /// the stage off with [`Status::Failed`] (faqbot then works as without
    /// a model), and without the feature the stage is [`Status::NotBuilt`].
    pub fn load(
        model_dir: Option<&Path>,
        kb: &KnowledgeBase,
        matcher: &Matcher,
        cache_dir: Option<&Path>,
    ) -> Self {
        let Some(dir) = model_dir else {
            return Stage::off();
        };
        #[cfg(feature = "semantic")]
        {
            let failed = |why: String| Stage {
                status: Status::Failed(why),
                loaded: None,
            };
            if let Some(lacks) = super::missing_from(dir) {
                return failed(format!("{}: {lacks}", dir.display()));
            }
            match Model::load(dir) {
                Ok(model) => Stage::with_model(Arc::new(model), kb, matcher, cache_dir),
                Err(e) => failed(e.to_string()),
            }
        }
        #[cfg(not(feature = "semantic"))]
        {
            let _ = (dir, kb, matcher, cache_dir);
            Stage::off()
        }
    }

    /// The stage with an already loaded model (e.g. the previous engine's,
    /// on a hot reload) for the knowledge base `kb` and its `matcher`.
    #[cfg(feature = "semantic")]
    pub fn with_model(
        model: Arc<Model>,
        kb: &KnowledgeBase,
        matcher: &Matcher,
        cache_dir: Option<&Path>,
    ) -> Self {
        let index = SemanticIndex::build(&model, kb, cache_dir);
        let fusion = Fusion::fit_to(kb, matcher, &index, model.arch());
        Stage {
            status: Status::On(model.dir().to_path_buf()),
            loaded: Some(Arc::new(Loaded {
                model,
                index,
                fusion,
            })),
        }
    }

    /// This stage for another knowledge base `kb` (with its `matcher`),
    /// with the same model (a hot reload: the model is not read again;
    /// the embedding cache in [`super::cache_dir`] spares unchanged
    /// texts). A stage that is off stays off, with the same reason.
    pub fn for_kb(&self, kb: &KnowledgeBase, matcher: &Matcher) -> Stage {
        #[cfg(feature = "semantic")]
        if let Some(l) = &self.loaded {
            let cache = super::cache_dir();
            return Stage::with_model(l.model.clone(), kb, matcher, cache.as_deref());
        }
        let _ = (kb, matcher);
        Stage {
            status: self.status.clone(),
            #[cfg(feature = "semantic")]
            loaded: None,
        }
    }

    /// The fitted fusion, when the stage is on.
    #[cfg(feature = "semantic")]
    pub fn fusion(&self) -> Option<&Fusion> {
        self.loaded.as_ref().map(|l| &l.fusion)
    }

    /// Whether the stage is on (a model is loaded).
    pub fn is_on(&self) -> bool {
        #[cfg(feature = "semantic")]
        {
            self.loaded.is_some()
        }
        #[cfg(not(feature = "semantic"))]
        false
    }

    /// The question's embedding (milliseconds of CPU), for
    /// [`Embedding::Given`]; `None` when the stage is off.
    pub fn embed(&self, question: &str) -> Option<Vec<f32>> {
        #[cfg(feature = "semantic")]
        {
            self.loaded.as_ref().map(|l| l.model.embed(question))
        }
        #[cfg(not(feature = "semantic"))]
        {
            let _ = question;
            None
        }
    }

    /// Fuses the semantic evidence for `question` (whose analysis is
    /// `analysis`) into its lexical `ranking` (best first) when the stage
    /// is on and the lexical stages are unsure ([`Fusion::wanted`] with
    /// `bot.ron`'s `margin`); keeps at most `top` intents. Off, or sure,
    /// the ranking is left as it is. `refers_to`: the intent answered last
    /// (its index) when the question refers back to it ("is that number
    /// open at night?"); the fusion's raising rules then raise no other.
    #[allow(clippy::too_many_arguments)]
    pub fn fuse(
        &self,
        question: &str,
        analysis: &Analysis,
        ranking: &mut Vec<Scored>,
        top: usize,
        threshold: f32,
        margin: f32,
        how: Embedding<'_>,
        refers_to: Option<usize>,
    ) -> Fused {
        #[cfg(feature = "semantic")]
        if let Some(l) = self.loaded.as_ref() {
            if !Fusion::wanted(ranking, margin) {
                let c = ranking.first().map_or(0.0, |s| s.confidence);
                return Fused::Done(SemanticTrace {
                    ran: false,
                    note: format!(
                        "the lexical confidence {c:.2} ≥ {:.2} with a clear margin",
                        super::fusion::SKIP_ABOVE
                    ),
                    raised: None,
                    parts: Vec::new(),
                    candidates: Vec::new(),
                });
            }
            let computed;
            let q: &[f32] = match how {
                Embedding::Defer => return Fused::Needed,
                Embedding::Given(v) => v,
                Embedding::Compute => {
                    computed = l.model.embed(question);
                    &computed
                }
            };
            let sims = l.index.similarities_to(q);
            let slots = analysis
                .tokens
                .iter()
                .any(|t| t.current_content() && t.fills_slot());
            return Fused::Done(
                l.fusion
                    .fuse(&l.index, ranking, &sims, top, threshold, slots, refers_to),
            );
        }
        let _ = (
            question, analysis, ranking, top, threshold, margin, how, refers_to,
        );
        Fused::Done(SemanticTrace::default())
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

    /// What `/why` and `faqbot explain` show of this stage for one
    /// question: the status line, then `trace`'s lines (see
    /// [`SemanticTrace::lines`]).
    pub fn explain(&self, kb: &KnowledgeBase, trace: Option<&SemanticTrace>) -> Vec<String> {
        #[cfg_attr(not(feature = "semantic"), allow(unused_mut))]
        let mut lines = vec![self.status.line()];
        #[cfg(feature = "semantic")]
        if let Some(f) = self.fusion() {
            // Named, as the features of `CandidateFeatures` are: trial
            // 58's owner read a bare list of six numbers.
            const NAMES: [&str; super::FUSION_FEATURES] = [
                "constant",
                "lexical",
                "phrasing",
                "answer",
                "phrasing lead",
                "answer lead",
            ];
            let b: Vec<String> = NAMES
                .iter()
                .zip(&f.coefficients)
                .map(|(n, b)| format!("{n} {b:.2}"))
                .collect();
            lines.push(if f.sparse {
                format!(
                    "semantic: fusion coefficients [{}] fitted to customers' questions of imported FAQ sheets (this knowledge base gives only {} held-out phrasings, fewer than {})",
                    b.join(", "),
                    f.in_scope,
                    super::fusion::SPARSE_SAMPLES
                )
            } else {
                format!(
                    "semantic: fusion fitted on {} in-scope and {} out-of-scope samples, coefficients [{}]",
                    f.in_scope,
                    f.out_of_scope,
                    b.join(", ")
                )
            });
        }
        if let Some(t) = trace {
            lines.extend(t.lines(|i| kb.intents.get(i).map_or("?".into(), |d| d.id.clone())));
        }
        lines
    }
}
