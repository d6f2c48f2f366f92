//! The engine: a knowledge base, its compiled matcher and the dialogue policy.

use crate::dialogue::{popular, Decision, Kinds, Policy, Route};
use crate::error::Result;
use crate::kb::KnowledgeBase;
use crate::matcher::{Matcher, Scored};
use crate::reply::{Reply, ReplyKind};
use crate::semantic::{Embedding, Stage};
use crate::session::Session;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// Which [`Engine`] made a [`Decision`]: a number unique within the
/// process, given to every engine when it is built (two engines loaded
/// from the same files get different ones).
///
/// A decision names intents by their position in the knowledge base of
/// the engine that made it, so only that engine can explain it
/// ([`crate::explain::Explanation::try_new`] checks
/// [`Decision::engine`] against [`Engine::id`]). Shown as `engine #N`,
/// serialised as the number `N` (it means something only in the process
/// that made it, so it does not deserialise).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct EngineId(u64);

impl EngineId {
    /// A number no engine of this process has had before.
    fn next() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        EngineId(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

impl std::fmt::Display for EngineId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "engine #{}", self.0)
    }
}

/// An immutable, `Send + Sync` chatbot engine for one knowledge base.
///
/// Conversation state lives in a [`Session`] that the caller owns, so one
/// engine (e.g. in an `Arc`) serves any number of conversations at once.
#[derive(Debug)]
pub struct Engine {
    /// This engine's identity, recorded in each [`Decision`].
    id: EngineId,
    kb: KnowledgeBase,
    matcher: Matcher,
    popular: Vec<usize>,
    /// Which kinds of intent the knowledge base has (for the policy).
    kinds: Kinds,
    /// Whether `bot.ron`'s handoff text gives contact details
    /// ([`crate::normalize::contact::gives_contact`]), found on the first
    /// fallback that needs it and kept (for the policy).
    handoff_contact: OnceLock<bool>,
    /// Each intent's trades, read from its title and examples the first
    /// time a message with "buy" or "sell" has it on top, and kept (for
    /// the policy; `dialogue::trade`).
    trade_sides: Box<crate::dialogue::trade::Sides>,
    /// Each intent's answer as sanitised HTML, rendered on first use.
    #[cfg(feature = "html")]
    html: Vec<OnceLock<String>>,
    semantic: Stage,
    /// The calibration cache directory this engine was built with.
    calibration_cache: Option<PathBuf>,
}

impl Engine {
    /// Compiles the matcher for a loaded knowledge base (its intents sorted
    /// by id first when they are not: [`KnowledgeBase::sort_intents`]). Cost: linear in the
    /// size of the knowledge base, most of it fitting the calibration
    /// (release build, December 2026: about 0.1 s for the bundled 1,000
    /// examples and 0.2 s for BANKING77's 10,000; a tenth of that with the
    /// start-up cache, [`Engine::with_calibration_cache`]; `benches/matching.rs`,
    /// groups `load` and `load_cached`, docs/benchmarks.md).
    pub fn new(kb: KnowledgeBase) -> Self {
        Self::with_calibration_cache(kb, None)
    }

    /// [`Engine::new`] with the matcher's calibration cached in the
    /// directory `cache` (see [`Matcher::with_calibration_cache`]; the
    /// `faqbot` binary uses [`crate::cache::dir`]`("calibration")`). Same
    /// engine; a start with a cached calibration skips its fit. A hot
    /// reload ([`Engine::load_like`]) uses the same directory.
    pub fn with_calibration_cache(mut kb: KnowledgeBase, cache: Option<&Path>) -> Self {
        kb.sort_intents();
        let matcher = Matcher::with_calibration_cache(&kb, cache);
        let popular = popular(&kb);
        let kinds = Kinds::of(&kb);
        let trade_sides = crate::dialogue::trade::sides(kb.intents.len());
        #[cfg(feature = "html")]
        let html = (0..kb.intents.len()).map(|_| OnceLock::new()).collect();
        Engine {
            id: EngineId::next(),
            kb,
            matcher,
            popular,
            kinds,
            handoff_contact: OnceLock::new(),
            trade_sides,
            #[cfg(feature = "html")]
            html,
            semantic: Stage::off(),
            calibration_cache: cache.map(Path::to_path_buf),
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

    /// Loads the knowledge base in `dir` like [`Engine::load`], with this
    /// engine's semantic model (if any; see [`Stage::for_kb`]): a hot
    /// reload.
    ///
    /// # Errors
    /// As [`Engine::load`].
    pub fn load_like(&self, dir: impl AsRef<Path>) -> Result<Self> {
        let engine = Engine::with_calibration_cache(
            KnowledgeBase::load_dir(dir)?,
            self.calibration_cache.as_deref(),
        );
        let stage = self.semantic.for_kb(&engine.kb, &engine.matcher);
        Ok(engine.with_semantic(stage))
    }

    /// The knowledge base this engine answers from.
    pub fn knowledge_base(&self) -> &KnowledgeBase {
        &self.kb
    }

    /// This engine's identity, unique within the process (a reload makes a
    /// new engine with a new one); every [`Decision`] it makes records it
    /// in [`Decision::engine`].
    pub fn id(&self) -> EngineId {
        self.id
    }

    /// The id of the intent ranked in `s` (an entry of this engine's
    /// [`Engine::rank`]): `engine.intent_id(&s)` is
    /// `engine.knowledge_base().intents[s.intent].id`. `None` when
    /// `s.intent` is no position in this engine's knowledge base (an entry
    /// ranked by an engine with more intents; one from another engine with
    /// as many or more names whatever intent is at that position there).
    pub fn intent_id(&self, s: &Scored) -> Option<&str> {
        self.kb.intents.get(s.intent).map(|d| d.id.as_str())
    }

    /// This engine with the semantic stage `stage` (see
    /// [`crate::semantic`]); without it the stage is off.
    pub fn with_semantic(mut self, stage: Stage) -> Self {
        self.semantic = stage;
        self
    }

    /// This engine with the semantic stage loaded from the model in
    /// `model_dir` (see [`Stage::load`]; the embedding cache in
    /// `cache_dir`). Never fails: a model that does not load leaves the
    /// stage off, and [`Stage::status`] says why.
    pub fn with_semantic_model(self, model_dir: &Path, cache_dir: Option<&Path>) -> Self {
        let stage = Stage::load(Some(model_dir), &self.kb, &self.matcher, cache_dir);
        self.with_semantic(stage)
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
    /// 0.0..=1.0. Ties break by intent id. Each entry names its intent by
    /// position ([`Scored::intent`]); [`Engine::intent_id`] gives its id.
    pub fn rank(&self, utterance: &str, top: usize) -> Vec<Scored> {
        self.matcher.rank(utterance, top)
    }

    /// Answers one user turn and updates the session.
    ///
    /// Never panics and never fails: empty, huge, binary-looking or hostile
    /// input gets a fallback reply.
    pub fn respond(&self, session: &mut Session, utterance: &str) -> Reply {
        self.respond_routed(session, utterance).0
    }

    /// Like [`Engine::respond`], also returning which rule of the policy
    /// replied (all the unanswered log needs, see
    /// [`LogEntry::of_route`], feature `misses`). The same reply as
    /// [`Engine::respond_traced`], without writing the trace's reason
    /// text: what pipe mode answers with.
    #[cfg_attr(
        feature = "misses",
        doc = "",
        doc = "[`LogEntry::of_route`]: crate::misses::LogEntry::of_route"
    )]
    #[cfg_attr(
        not(feature = "misses"),
        doc = "",
        doc = "[`LogEntry::of_route`]: crate#cargo-features"
    )]
    pub fn respond_routed(&self, session: &mut Session, utterance: &str) -> (Reply, Route) {
        self.routed(self.policy(), session, utterance)
    }

    /// [`Engine::respond_routed`] for a message of no conversation (a
    /// fresh session, thrown away after the turn: pipe mode's
    /// `--stateless`): the same reply, without making what the session
    /// would remember for a next turn.
    #[cfg(any(feature = "cli", test))]
    pub(crate) fn respond_routed_once(&self, utterance: &str) -> (Reply, Route) {
        let mut policy = self.policy();
        policy.remember = false;
        self.routed(policy, &mut Session::new(), utterance)
    }

    /// [`Engine::respond_routed`] with `policy`.
    fn routed(
        &self,
        mut policy: Policy<'_>,
        session: &mut Session,
        utterance: &str,
    ) -> (Reply, Route) {
        policy.trace = false;
        let (reply, decision) = self.respond_with(&policy, session, utterance);
        // The analysis's token strings and the ranking's buffer are
        // reused by the next turn's.
        crate::matcher::analysis::recycle(decision.analysis);
        crate::matcher::recycle_ranking(decision.ranking);
        (reply, decision.route)
    }

    /// Like [`Engine::respond`], also returning how the decision was made
    /// (the ranking with every contribution, the route and the reason).
    pub fn respond_traced(&self, session: &mut Session, utterance: &str) -> (Reply, Decision) {
        self.respond_answering(session, utterance, Embedding::Compute)
    }

    /// Like [`Engine::respond_traced`], but never runs the sentence model:
    /// `None` when this turn needs the question's embedding (the semantic
    /// stage is on and the lexical stages are unsure); the session is then
    /// unchanged, and the caller embeds the question with
    /// [`Stage::embed`] (e.g. on a bounded pool) and calls
    /// [`Engine::respond_embedded`]. Without the stage it is always `Some`.
    pub fn respond_deferred(
        &self,
        session: &mut Session,
        utterance: &str,
    ) -> Option<(Reply, Decision)> {
        let mut policy = self.policy();
        policy.embedding = Embedding::Defer;
        policy
            .respond(session, utterance)
            .ok()
            .map(|out| self.finish(out))
    }

    /// [`Engine::respond_traced`] with the question's embedding computed
    /// before by `self.semantic().embed(question)`, where `question` is the
    /// utterance after [`crate::dialogue::sanitize`] and trimming.
    pub fn respond_embedded(
        &self,
        session: &mut Session,
        utterance: &str,
        embedding: &[f32],
    ) -> (Reply, Decision) {
        self.respond_answering(session, utterance, Embedding::Given(embedding))
    }

    /// One turn with an `embedding` that does not defer
    /// ([`Embedding::Compute`] or [`Embedding::Given`]). Only
    /// [`Embedding::Defer`] makes the policy ask for the question's
    /// embedding (`Err`); should it ask anyway, the turn gets the plain
    /// fallback of `bot.ron`: bad input never panics.
    fn respond_answering(
        &self,
        session: &mut Session,
        utterance: &str,
        embedding: Embedding<'_>,
    ) -> (Reply, Decision) {
        let mut policy = self.policy();
        policy.embedding = embedding;
        self.respond_with(&policy, session, utterance)
    }

    /// One turn with `policy`, whose embedding does not defer (see
    /// [`Engine::respond_answering`]).
    fn respond_with(
        &self,
        policy: &Policy<'_>,
        session: &mut Session,
        utterance: &str,
    ) -> (Reply, Decision) {
        match policy.respond(session, utterance) {
            Ok(out) => self.finish(out),
            Err(()) => self.plain_fallback(utterance),
        }
    }

    /// `bot.ron`'s fallback message as a reply to `utterance`, with no
    /// ranking (see [`Engine::respond_answering`]).
    fn plain_fallback(&self, utterance: &str) -> (Reply, Decision) {
        let reason = "the semantic stage asked for an embedding it was given".to_string();
        let reply = Reply {
            input: crate::dialogue::sanitize(utterance),
            input_truncated: crate::dialogue::input_truncated(utterance),
            kind: ReplyKind::Fallback,
            intent: None,
            title: None,
            confidence: 0.0,
            raised_by: None,
            text: self.kb.settings.fallback.clone(),
            answer: None,
            answer_html: None,
            handoff_html: None,
            suggestions: Vec::new(),
            suggestions_label: None,
            alternatives: Vec::new(),
            top_kind: None,
            miss: false,
        };
        let decision = Decision {
            engine: self.id,
            analysis: Default::default(),
            ranking: Vec::new(),
            route: Route::Ranked,
            reason,
            semantic: None,
        };
        (reply, decision)
    }

    fn finish(&self, (mut reply, decision): (Reply, Decision)) -> (Reply, Decision) {
        // The intent the confidence belongs to: the top of the ranking, or
        // the choice picked (nothing ranked). A reply with neither an
        // intent nor alternatives is none of the ranking's (a request for a
        // person without a handoff intent, a greeting without small talk):
        // its confidence 1.0 is the bot's own, `top_kind` is null.
        let top = match decision.ranking.first() {
            Some(_) if reply.intent.is_none() && reply.alternatives.is_empty() => None,
            Some(s) => Some(s.intent),
            None if reply.confidence > 0.0 => {
                reply.intent.as_deref().and_then(|id| self.kb.index_of(id))
            }
            None => None,
        };
        reply.top_kind = top.map(|i| self.kb.intents[i].kind);
        if reply.answer.is_some() {
            // The answer's intent is nearly always the top: its index is
            // then known without a search by id (ids are unique).
            let at = |id: &str| match top {
                Some(t) if self.kb.intents[t].id == id => Some(t),
                _ => self.kb.index_of(id),
            };
            reply.answer_html = reply
                .intent
                .as_deref()
                .and_then(at)
                .and_then(|i| self.answer_html_at(i))
                .map(str::to_string);
        }
        #[cfg(feature = "html")]
        if reply.kind == ReplyKind::Handoff && reply.answer.is_none() {
            reply.handoff_html = Some(crate::markup::text_to_html(reply.message()));
        }
        (reply, decision)
    }

    /// The answer of intent `id` as sanitised HTML (`markup::to_html`),
    /// rendered once and cached; `None` for an unknown id.
    ///
    /// The HTML needs the cargo feature `html` (on by default, implied by
    /// `server` and `cli`). Without it this method still exists but always
    /// returns `None`, as [`Reply::answer_html`] is then always `None`:
    /// code that calls it builds with or without the feature.
    /// [`Engine::has_html`] tells which build this is.
    pub fn answer_html(&self, id: &str) -> Option<&str> {
        self.answer_html_at(self.kb.index_of(id)?)
    }

    /// [`Engine::answer_html`] of the intent at index `i` of the
    /// knowledge base.
    fn answer_html_at(&self, i: usize) -> Option<&str> {
        #[cfg(feature = "html")]
        {
            Some(self.html[i].get_or_init(|| crate::markup::to_html(&self.kb.intents[i].answer)))
        }
        #[cfg(not(feature = "html"))]
        {
            let _ = i;
            None
        }
    }

    /// Whether this build renders answers as HTML (the cargo feature
    /// `html`): when `false`, [`Engine::answer_html`] and
    /// [`Reply::answer_html`] are always `None`.
    pub const fn has_html() -> bool {
        cfg!(feature = "html")
    }

    /// The dialogue policy's decision on a ranking (as from
    /// [`Engine::rank`]) for a fresh session, with the given threshold and
    /// margin (0.0..=1.0) instead of `bot.ron`'s: the reply kind and, for an
    /// answer or a handoff intent, the intent index. Used by `faqbot eval`
    /// to sweep thresholds without re-ranking.
    ///
    /// Entries whose [`Scored::intent`] is no position in this engine's
    /// knowledge base (a ranking from an engine with more intents, kept
    /// across a reload) are left out, as if not ranked: a ranking made only
    /// of such entries gets a fallback, never a panic. A ranking from
    /// another engine with as many or more intents cannot be told apart
    /// (compare [`Decision::engine`] with [`Engine::id`] where a reload can
    /// happen in between).
    pub fn decide(
        &self,
        ranking: &[Scored],
        threshold: f32,
        margin: f32,
    ) -> (ReplyKind, Option<usize>) {
        let n = self.kb.intents.len();
        let kept: Vec<Scored>;
        let ranking = if ranking.iter().all(|s| s.intent < n) {
            ranking
        } else {
            kept = ranking.iter().filter(|s| s.intent < n).cloned().collect();
            &kept[..]
        };
        let (kind, picked, _) = self.policy().verdict_at(ranking, threshold, margin);
        let intent = match kind {
            ReplyKind::Answer | ReplyKind::Handoff => picked.first().copied(),
            _ => None,
        };
        (kind, intent)
    }

    pub(crate) fn policy(&self) -> Policy<'_> {
        Policy {
            engine: self.id,
            kb: &self.kb,
            matcher: &self.matcher,
            popular: &self.popular,
            semantic: &self.semantic,
            embedding: Embedding::Compute,
            kinds: self.kinds,
            handoff_contact: &self.handoff_contact,
            trade_sides: &self.trade_sides,
            trace: true,
            remember: true,
        }
    }
}

#[cfg(test)]
mod tests;
