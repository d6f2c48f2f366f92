//! `faqbot check`: every loading error of a knowledge base plus lint
//! warnings, each with a concrete witness.
//!
//! [`check_sources`] parses the files like [`KnowledgeBase::parse`]; when
//! they load, it compiles the [`Engine`] and runs the lints. Every finding
//! is a [`Diagnostic`] (severity, code, message, `file:line:col`, hint),
//! plus for the matcher-based lints a [`Witness`]: the example, where it
//! landed, and the scores.
//!
//! | code | severity | rule (module) |
//! |---|---|---|
//! | loading codes of [`crate::kb`] | error | the knowledge base does not load |
//! | `duplicate-example` | warning | the same example (after normalisation) under two intents ([`duplicates`]) |
//! | `example-conflict` | warning | an example of intent A whose best-ranked intent is B ([`reach`]) |
//! | `weak-example` | warning | an example ranked first for its intent that still is not answered ([`reach`]) |
//! | `no-content-example` | warning | an example of an FAQ intent made only of stop words ("where are you") that does not reach its intent: such a message is answered only when it is exactly an FAQ example ([`reach`]) |
//! | `unreachable-intent` | warning | no example (nor the title) of an intent gets it answered, or an FAQ intent has no title, example, keyword or pattern at all ([`reach`]) |
//! | `fragile-example` | warning | a robustness variant of an example ([`variants`]) no longer gets its intent answered ([`reach`]) |
//! | `common-keyword` | warning | a keyword used by more than [`keywords::COMMON_SHARE`] of the intents ([`keywords`]) |
//! | `shared-keyword` | warning | two intents whose keywords are all shared: they cannot tell them apart ([`shared`]) |
//! | `same-terms-example` | warning | examples of two intents that differ as written but not to the matcher ([`shared`]) |
//! | `empty-pattern` | warning | a pattern that matches the empty string ([`structure`]) |
//! | `self-follow-up` | warning | an intent that offers itself as a follow-up ([`structure`]) |
//! | `missing-title` | warning | an intent without a title, unless out of scope (never offered as a choice) ([`structure`]) |
//! | `placeholder-answer` | warning | an answer that is still the placeholder `faqbot import` wrote for labelled utterances ([`structure`], [`IntentDef::has_placeholder_answer`]) |
//! | `malformed-link` | warning | a link in an answer that the widget will not show as a link ([`structure`], [`crate::markup::link_problems`]) |
//! | `handoff-service-number` | warning | `bot.ron`'s handoff gives a phone number that the answers give only once, tied to one service (a party booking line) ([`handoff`]) |
//! | `greeting-mismatch` | warning | the small-talk answer "hello" or "hi" gets differs from `bot.ron`'s greeting, the text the chat opens with ([`greeting`]) |
//! | `text-placeholder` | warning | a text of `bot.ron`'s `texts` without the placeholder its reply fills in: `one_near_miss` without `{title}`, `no_choice` without `{n}` ([`texts`]) |
//! | `synonym-in-two-groups` | warning | a word or phrase listed in two of `bot.ron`'s synonym groups: it counts in the first only ([`synonyms`]) |
//! | `general-word` | warning | a word of the whole business ("tattoo" in a tattoo studio's FAQ), asked alone or as "do you do …?", is answered with one FAQ entry ([`general`]) |
//! | `price-question` | warning | a customer's price question ("how much?") is answered with an FAQ entry whose answer states no price, while other answers state one ([`price`]) |
//!
//! An example "gets its intent answered" when a fresh conversation that
//! says exactly it is answered with that intent (reply kind `answer` or
//! `handoff`); for an `OutOfScope` intent, when the intent ranks first.

pub mod duplicates;
pub mod general;
pub mod greeting;
pub mod handoff;
pub mod keywords;
pub mod locate;
pub mod price;
pub mod reach;
pub mod render;
pub mod shared;
pub mod structure;
pub mod synonyms;
pub mod texts;
pub mod variants;

use crate::error::{Diagnostic, Severity};
use crate::kb::KnowledgeBase;
use crate::reply::{Alternative, ReplyKind};
use crate::schema::{BotSettings, IntentDef, IntentKind};
use crate::Engine;
use serde::Serialize;
use std::path::PathBuf;

/// What `faqbot check` runs.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    /// Run the robustness-variant lint (`fragile-example`). Default true.
    pub robustness: bool,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions { robustness: true }
    }
}

/// One finding: a diagnostic and, for matcher-based lints, its witness.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// Severity, code, message, location, related places and hint.
    pub diagnostic: Diagnostic,
    /// The concrete evidence, when the rule has any beyond the location.
    pub witness: Option<Witness>,
}

impl From<Diagnostic> for Finding {
    fn from(diagnostic: Diagnostic) -> Self {
        Finding {
            diagnostic,
            witness: None,
        }
    }
}

/// How one utterance fared: what a fresh conversation replied to it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outcome {
    /// The utterance.
    pub text: String,
    /// The reply's kind.
    pub kind: ReplyKind,
    /// The intent answered, if any.
    pub intent: Option<String>,
    /// The best-ranked intents with their confidences (0.0..=1.0), at most 3.
    pub top: Vec<Alternative>,
    /// The confidence of the intent the utterance belongs to (0.0 when it
    /// is not ranked at all): in the ranking the reply was made from, or,
    /// when the reply left it out (`ranked` false), in a ranking of the
    /// utterance's words alone.
    pub own: f32,
    /// Whether the ranking the reply was made from has the intent the
    /// utterance belongs to. False for an FAQ intent and a message without
    /// a content word ("where are you"): FAQ intents are left out of its
    /// ranking, whatever its words score.
    pub ranked: bool,
    /// The dialogue policy's reason for the reply kind.
    pub reason: String,
}

impl Outcome {
    /// How `intent`, the utterance's own, fared: `` `a` scores 0.52 ``, or
    /// when the reply's ranking left it out, `` `a` is left out of the
    /// ranking (its words alone score 1.00) ``.
    pub fn own_score(&self, intent: &str) -> String {
        if self.ranked {
            format!("`{intent}` scores {:.2}", self.own)
        } else {
            format!(
                "`{intent}` is left out of the ranking (its words alone score {:.2})",
                self.own
            )
        }
    }

    /// `answer `b` (0.71)`, `clarify: a 0.52, b 0.49`, `fallback (best: a 0.31)`.
    pub fn summary(&self) -> String {
        let top: Vec<String> = self
            .top
            .iter()
            .map(|a| format!("{} {:.2}", a.intent, a.confidence))
            .collect();
        match (self.kind, &self.intent) {
            (ReplyKind::Answer | ReplyKind::Handoff, Some(i)) => {
                let c = self
                    .top
                    .iter()
                    .find(|t| &t.intent == i)
                    .map_or(0.0, |t| t.confidence);
                format!("{} `{i}` ({c:.2})", self.kind.as_str())
            }
            (ReplyKind::Clarify, _) => format!("clarify: {}", top.join(", ")),
            _ if top.is_empty() => format!("{} (no intent ranked)", self.kind.as_str()),
            _ => format!("{} (best: {})", self.kind.as_str(), top.join(", ")),
        }
    }
}

/// A robustness variant and how it fared.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VariantOutcome {
    /// The kind of change.
    pub change: variants::Change,
    /// What a fresh conversation replied to the variant.
    pub outcome: Outcome,
}

/// The concrete evidence behind a finding (the `witness` object of
/// `faqbot check --format json`, tagged by `type`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Witness {
    /// `duplicate-example`: the example and both intents.
    Duplicate {
        /// The example as written in the later intent.
        example: String,
        /// The intent the finding points at.
        intent: String,
        /// The intent that has the same example.
        other_intent: String,
    },
    /// `example-conflict` and `weak-example`: the example, its intent and
    /// what it got instead.
    Conflict {
        /// The intent the example belongs to.
        intent: String,
        /// How the example fared (its `own` score is the intent's).
        outcome: Outcome,
    },
    /// `unreachable-intent`: where its examples went instead.
    Unreachable {
        /// The intent.
        intent: String,
        /// Number of examples (and title) tried.
        probes: usize,
        /// How the first few of them fared.
        outcomes: Vec<Outcome>,
    },
    /// `fragile-example`: the variants that missed.
    Fragile {
        /// The intent.
        intent: String,
        /// The example as written.
        example: String,
        /// Each variant that no longer gets the intent answered.
        variants: Vec<VariantOutcome>,
    },
    /// `common-keyword`: how many intents use the keyword's words.
    CommonKeyword {
        /// The keyword as written.
        keyword: String,
        /// Intents whose examples, title or keywords use it.
        used_by: usize,
        /// All intents.
        intents: usize,
        /// The first few intents that use it, by id.
        sample: Vec<String>,
    },
    /// `general-word`: a general word that a neutral question answers
    /// with one FAQ entry.
    GeneralWord {
        /// The word as probed (folded).
        word: String,
        /// The FAQ intent answered.
        intent: String,
        /// FAQ intents whose phrasings use the word.
        used_by: usize,
        /// The answered intent's phrasings (title and examples) that use
        /// the word.
        phrasings: Vec<String>,
        /// How the probe fared.
        outcome: Outcome,
    },
    /// `price-question`: a price question answered with an entry whose
    /// answer states no price.
    PriceQuestion {
        /// The FAQ intent answered.
        intent: String,
        /// The FAQ intents whose answers state a price.
        priced: Vec<String>,
        /// The answered intent's phrasing that says "how much", if any.
        phrasing: Option<String>,
        /// How the probe fared.
        outcome: Outcome,
    },
}

impl Witness {
    /// Lines of evidence for the text rendering.
    pub fn notes(&self) -> Vec<String> {
        match self {
            Witness::Duplicate { .. } | Witness::CommonKeyword { .. } => Vec::new(),
            Witness::Conflict { intent, outcome } => vec![format!(
                "{:?} → {}; {}",
                outcome.text,
                outcome.summary(),
                outcome.own_score(intent)
            )],
            Witness::GeneralWord { outcome, .. } | Witness::PriceQuestion { outcome, .. } => {
                vec![general::note(outcome)]
            }
            Witness::Unreachable { outcomes, .. } => outcomes
                .iter()
                .map(|o| format!("{:?} → {}", o.text, o.summary()))
                .collect(),
            Witness::Fragile {
                intent, variants, ..
            } => variants
                .iter()
                .map(|v| {
                    format!(
                        "{}: {:?} → {}; {}",
                        v.change.as_str(),
                        v.outcome.text,
                        v.outcome.summary(),
                        v.outcome.own_score(intent)
                    )
                })
                .collect(),
        }
    }
}

/// The result of a check.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Every finding: errors first, then by file, line and column.
    pub findings: Vec<Finding>,
    /// Number of intents checked (0 when the knowledge base did not load).
    pub intents: usize,
    /// The source files, `(path, text)`, for rendering.
    pub sources: Vec<(PathBuf, String)>,
    /// Ids of the FAQ intents with fewer than [`THIN_PHRASINGS`] phrasings
    /// ([`phrasings`]): not a finding, since nothing is wrong with
    /// them, but customers who put their question another way will often
    /// get a fallback (a freshly imported sheet row has one to three).
    pub thin: Vec<String>,
    /// Number of FAQ intents (kind `Faq`) checked, of which `thin` are
    /// thin (0 when the knowledge base did not load).
    pub faq_intents: usize,
    /// The settings a customer sees that `bot.ron` leaves at their
    /// generic defaults ([`generic_settings`]); empty when the knowledge
    /// base did not load.
    pub generic: Vec<&'static str>,
    /// The note when `bot.ron`'s handoff still gives the phone number
    /// `faqbot import` guessed among numbers written equally often
    /// ([`handoff::guess_note`]); `None` otherwise.
    pub handoff_guess: Option<String>,
}

/// Phrasings ([`phrasings`]) below which an FAQ intent is reported as
/// thin by `faqbot check` and `faqbot import`. On the development sheets,
/// rows with one to three phrasings answered 13 % of their customers'
/// questions at the defaults (without the semantic stage); an owner who
/// added 2-3 phrasings of their own to every row went from 2 to 9 of 30
/// answered.
pub const THIN_PHRASINGS: usize = 4;

/// The distinct phrasings of an intent: its title and examples, a text
/// given twice counted once (an imported row's title is also its first
/// example: its phrasings are its question and its alternates).
pub fn phrasings(d: &IntentDef) -> usize {
    let mut texts: Vec<&str> = d.examples.iter().map(String::as_str).collect();
    if !d.title.is_empty() {
        texts.push(&d.title);
    }
    texts.sort_unstable();
    texts.dedup();
    texts.len()
}

/// The ids of the FAQ intents of `kb` with fewer than [`THIN_PHRASINGS`]
/// [`phrasings`], in the knowledge base's order.
pub fn thin_intents(kb: &KnowledgeBase) -> Vec<String> {
    kb.intents
        .iter()
        .filter(|d| d.kind == IntentKind::Faq && phrasings(d) < THIN_PHRASINGS)
        .map(|d| d.id.clone())
        .collect()
}

/// The settings of `s` that customers see and that are still the generic
/// defaults, of `name` (the bot's name, "faqbot") and `handoff` (which
/// says "A member of our support team can help you further." and no way to
/// reach one), in that order. A new user's service desk went live with both
/// (trial 30): `faqbot import` says so once, `faqbot check` every time.
pub fn generic_settings(s: &BotSettings) -> Vec<&'static str> {
    let d = BotSettings::default();
    let mut out = Vec::new();
    if s.name == d.name {
        out.push("name");
    }
    if s.handoff == d.handoff {
        out.push("handoff");
    }
    out
}

/// The note `faqbot check` prints about [`generic_settings`] (`fields`);
/// `None` when there are none.
pub fn generic_note(fields: &[&str]) -> Option<String> {
    if fields.is_empty() {
        return None;
    }
    let named: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
    let mut why = Vec::new();
    if fields.contains(&"name") {
        why.push("the bot introduces itself as \"faqbot\"");
    }
    if fields.contains(&"handoff") {
        why.push("a customer who asks for a person is told no way to reach one");
    }
    // Only what is still to do: after an import that found the contact
    // details, the handoff is set (trial 46: the note read as if it were
    // not).
    let mut todo = Vec::new();
    if fields.contains(&"name") {
        todo.push("give the bot your business's name");
    }
    if fields.contains(&"handoff") {
        todo.push("say in `handoff` how customers reach your team");
    }
    Some(format!(
        "note: bot.ron's {} {} still the generic default{} ({}): {} (docs/authoring.md)",
        named.join(" and "),
        if fields.len() == 1 { "is" } else { "are" },
        if fields.len() == 1 { "" } else { "s" },
        why.join("; "),
        todo.join(" and "),
    ))
}

/// The note `faqbot check` and `faqbot import` print about thin intents
/// (`thin`, of [`thin_intents`]) among `faq` FAQ intents, naming the
/// first five; `None` when there are none.
pub fn thin_note(thin: &[String], faq: usize) -> Option<String> {
    let n = thin.len();
    if n == 0 {
        return None;
    }
    let mut ids = thin.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
    if n > 5 {
        ids.push_str(", ...");
    }
    Some(format!(
        "note: {n} of {faq} FAQ intents {} fewer than {THIN_PHRASINGS} phrasings (title and \
         examples; for a sheet's row, its question and alternates) ({ids}): customers who put a \
         question their own way will often get a fallback; add alternate phrasings in their words \
         (docs/authoring.md, \"Examples that match customers\")",
        if n == 1 { "has" } else { "have" },
    ))
}

impl Report {
    /// Number of error findings.
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    /// Number of warning findings.
    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, s: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.diagnostic.severity == s)
            .count()
    }
}

/// Checks a knowledge base given as `(path, text)` files: loading errors
/// and, when it loads, every lint.
pub fn check_sources(files: Vec<(PathBuf, String)>, opts: &CheckOptions) -> Report {
    let (kb, diags) = KnowledgeBase::parse(files.clone());
    let mut findings: Vec<Finding> = diags.into_iter().map(Finding::from).collect();
    let mut intents = 0;
    let mut thin = Vec::new();
    let mut faq_intents = 0;
    let mut generic = Vec::new();
    let mut handoff_guess = None;
    let mut sources = files;
    if let Some(kb) = kb {
        generic = generic_settings(&kb.settings);
        handoff_guess = handoff::guess_note(&kb);
        intents = kb.intents.len();
        sources = kb.sources.clone();
        thin = thin_intents(&kb);
        faq_intents = kb
            .intents
            .iter()
            .filter(|d| d.kind == IntentKind::Faq)
            .count();
        let engine = Engine::new(kb);
        findings.extend(lint(&engine, opts));
    }
    sort(&mut findings);
    Report {
        findings,
        intents,
        sources,
        thin,
        faq_intents,
        generic,
        handoff_guess,
    }
}

/// Runs every lint on a loaded engine. The findings are sorted.
pub fn lint(engine: &Engine, opts: &CheckOptions) -> Vec<Finding> {
    let kb = engine.knowledge_base();
    let index = locate::SourceIndex::new(kb);
    let dups = duplicates::find(engine);
    let mut findings: Vec<Finding> = dups.iter().map(|d| d.finding(kb, &index)).collect();
    findings.extend(reach::run(engine, &index, &dups, opts));
    findings.extend(keywords::run(engine, &index));
    findings.extend(shared::run(engine, &index));
    findings.extend(structure::run(kb, &index));
    findings.extend(synonyms::run(kb, engine.matcher().normalizer()));
    findings.extend(greeting::run(engine, &index));
    findings.extend(handoff::run(kb, &index));
    findings.extend(texts::run(kb));
    findings.extend(general::run(engine, &index));
    findings.extend(price::run(engine, &index));
    sort(&mut findings);
    findings
}

fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        let (a, b) = (&a.diagnostic, &b.diagnostic);
        (a.severity, &a.location, a.code, &a.message).cmp(&(
            b.severity,
            &b.location,
            b.code,
            &b.message,
        ))
    });
}
