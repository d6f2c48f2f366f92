//! The engine: a knowledge base, its compiled matcher and the dialogue policy.

use crate::dialogue::{popular, Decision, Policy};
use crate::error::Result;
use crate::kb::KnowledgeBase;
use crate::matcher::{Matcher, Scored};
use crate::reply::{Reply, ReplyKind};
use crate::semantic::Stage;
use crate::session::Session;
use std::path::Path;
#[cfg(feature = "html")]
use std::sync::OnceLock;

/// An immutable, `Send + Sync` chatbot engine for one knowledge base.
///
/// Conversation state lives in a [`Session`] that the caller owns, so one
/// engine (e.g. in an `Arc`) serves any number of conversations at once.
#[derive(Debug)]
pub struct Engine {
    kb: KnowledgeBase,
    matcher: Matcher,
    popular: Vec<usize>,
    /// Each intent's answer as sanitised HTML, rendered on first use.
    #[cfg(feature = "html")]
    html: Vec<OnceLock<String>>,
    semantic: Stage,
}

impl Engine {
    /// Compiles the matcher for a loaded knowledge base. Cost: linear in the
    /// size of the knowledge base (about 60 ms for 10,000 examples, see `benches/matching.rs`).
    pub fn new(kb: KnowledgeBase) -> Self {
        let matcher = Matcher::new(&kb);
        let popular = popular(&kb);
        #[cfg(feature = "html")]
        let html = (0..kb.intents.len()).map(|_| OnceLock::new()).collect();
        Engine {
            kb,
            matcher,
            popular,
            #[cfg(feature = "html")]
            html,
            semantic: Stage::off(),
        }
    }

    /// The engine for the MINI App knowledge base compiled into the binary.
    ///
    /// # Errors
    /// Only if the bundled files are broken, which the test suite rules out.
    pub fn bundled() -> Result<Self> {
        Ok(Engine::new(KnowledgeBase::bundled()?))
    }

    /// Loads the knowledge base in `dir` (see [`KnowledgeBase::load_dir`]).
    ///
    /// # Errors
    /// I/O errors, or every diagnostic of an invalid knowledge base.
    pub fn load(dir: impl AsRef<Path>) -> Result<Self> {
        Ok(Engine::new(KnowledgeBase::load_dir(dir)?))
    }

    /// The knowledge base this engine answers from.
    pub fn knowledge_base(&self) -> &KnowledgeBase {
        &self.kb
    }

    /// This engine with the semantic stage `stage` (see
    /// [`crate::semantic`]); without it the stage is off.
    pub fn with_semantic(mut self, stage: Stage) -> Self {
        self.semantic = stage;
        self
    }

    /// The semantic stage (off unless [`Engine::with_semantic`] set it).
    pub fn semantic(&self) -> &Stage {
        &self.semantic
    }

    /// The compiled matcher.
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// The bot's greeting from `bot.ron`.
    pub fn greeting(&self) -> &str {
        &self.kb.settings.greeting
    }

    /// Intent indices by popularity, most popular first (FAQ intents only).
    pub fn popular(&self) -> &[usize] {
        &self.popular
    }

    /// Ranks the intents for one utterance without any session: at most
    /// `top` intents with evidence, best first, each with a confidence in
    /// 0.0..=1.0. Ties break by intent id.
    pub fn rank(&self, utterance: &str, top: usize) -> Vec<Scored> {
        self.matcher.rank(utterance, top)
    }

    /// Answers one user turn and updates the session.
    ///
    /// Never panics and never fails: empty, huge, binary-looking or hostile
    /// input gets a fallback reply.
    pub fn respond(&self, session: &mut Session, utterance: &str) -> Reply {
        self.respond_traced(session, utterance).0
    }

    /// Like [`Engine::respond`], also returning how the decision was made
    /// (the ranking with every contribution, the route and the reason).
    pub fn respond_traced(&self, session: &mut Session, utterance: &str) -> (Reply, Decision) {
        #[cfg_attr(not(feature = "html"), allow(unused_mut))]
        let (mut reply, decision) = self.policy().respond(session, utterance);
        #[cfg(feature = "html")]
        if reply.answer.is_some() {
            reply.answer_html = reply
                .intent
                .as_deref()
                .and_then(|id| self.answer_html(id))
                .map(str::to_string);
        }
        (reply, decision)
    }

    /// The answer of intent `id` as sanitised HTML ([`crate::markup::to_html`]),
    /// rendered once and cached; `None` for an unknown id. Only with the
    /// cargo feature `html` (on by default).
    #[cfg(feature = "html")]
    pub fn answer_html(&self, id: &str) -> Option<&str> {
        let i = self.kb.index_of(id)?;
        Some(self.html[i].get_or_init(|| crate::markup::to_html(&self.kb.intents[i].answer)))
    }

    /// The dialogue policy's decision on a ranking (as from
    /// [`Engine::rank`]) for a fresh session, with the given threshold and
    /// margin (0.0..=1.0) instead of `bot.ron`'s: the reply kind and, for an
    /// answer or a handoff intent, the intent index. Used by `faqbot eval`
    /// to sweep thresholds without re-ranking.
    pub fn decide(
        &self,
        ranking: &[Scored],
        threshold: f32,
        margin: f32,
    ) -> (ReplyKind, Option<usize>) {
        let (kind, picked, _) = self.policy().verdict_at(ranking, threshold, margin);
        let intent = match kind {
            ReplyKind::Answer | ReplyKind::Handoff => picked.first().copied(),
            _ => None,
        };
        (kind, intent)
    }

    pub(crate) fn policy(&self) -> Policy<'_> {
        Policy {
            kb: &self.kb,
            matcher: &self.matcher,
            popular: &self.popular,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn engine_is_send_and_sync() {
        assert_send_sync::<Engine>();
    }
}
