//! The semantic stage (cargo feature `semantic`): the forward pass against
//! the numpy reference, per-intent similarity on paraphrases of the
//! bundled knowledge base, the embedding cache, bad input.
//!
//! Needs the model: `FAQBOT_SEMANTIC_MODEL=$(scripts/get-semantic-model.sh)`.
//! Without it the tests are SKIPPED with a loud message; with
//! `FAQBOT_REQUIRE_SEMANTIC=1` (set by `.ci/run`) they fail instead.
#![cfg(feature = "semantic")]

/// all-mpnet-base-v2 (optional, larger): its own model variable.
#[path = "semantic/mpnet.rs"]
mod mpnet;

/// The fusion with the lexical ranking, and the server's inference pool.
#[path = "semantic/fusion.rs"]
mod fusion;

/// A model directory that holds no model: an error for the flag, a warning
/// for the environment variable and bot.ron.
#[path = "semantic/model_dir.rs"]
mod model_dir;

mod common;

use faqbot::semantic::model::Arch;
use faqbot::semantic::{Model, PhrasingKind, SemanticIndex, MODEL_ENV};
use faqbot::{ErrorKind, KnowledgeBase};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/semantic")
        .join(name)
}

/// The model named by `FAQBOT_SEMANTIC_MODEL`, loaded once per test binary;
/// `None` (skip) when it is not set, a panic under `FAQBOT_REQUIRE_SEMANTIC=1`.
fn model(test: &str) -> Option<&'static Model> {
    static MODEL: OnceLock<Option<Model>> = OnceLock::new();
    let m = MODEL.get_or_init(|| {
        let dir = std::env::var_os(MODEL_ENV).filter(|v| !v.is_empty())?;
        Some(Model::load(Path::new(&dir)).unwrap_or_else(|e| panic!("{MODEL_ENV}: {e}")))
    });
    if m.is_none() {
        let require = std::env::var("FAQBOT_REQUIRE_SEMANTIC").is_ok_and(|v| v == "1");
        let msg = format!(
            "{test}: SKIPPED: no sentence model ({MODEL_ENV} is not set; \
             run {MODEL_ENV}=$(scripts/get-semantic-model.sh) cargo test --features semantic)"
        );
        assert!(!require, "{msg} (FAQBOT_REQUIRE_SEMANTIC=1)");
        eprintln!("{msg}");
    }
    m.as_ref()
}

#[test]
fn embeddings_match_the_numpy_reference() {
    let Some(model) = model("embeddings_match_the_numpy_reference") else {
        return;
    };
    let reference = match model.arch() {
        Arch::Bert => "reference.json",
        Arch::Mpnet => "reference-mpnet.json",
    };
    assert_matches_reference(model, &data(reference));
}

/// `model`'s embeddings of the sentences in the reference file `path`
/// (written by `scripts/semantic-reference.py`) are those of the file:
/// max abs difference < 2e-4, cosine > 0.9999.
fn assert_matches_reference(model: &Model, path: &Path) {
    let reference: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let sentences = reference["sentences"].as_array().unwrap();
    assert!(sentences.len() >= 5);
    for s in sentences {
        let text = s["text"].as_str().unwrap();
        let want: Vec<f32> = s["embedding"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap() as f32)
            .collect();
        let got = model.embed(text);
        assert_eq!(got.len(), want.len(), "{text}");
        let max_diff = got
            .iter()
            .zip(&want)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        let cos: f32 = got.iter().zip(&want).map(|(a, b)| a * b).sum();
        assert!(
            max_diff < 2e-4 && cos > 0.9999,
            "{text:?}: max |diff| {max_diff}, cosine {cos}"
        );
    }
}

#[test]
fn related_sentences_are_closer_than_unrelated_ones() {
    let Some(model) = model("related_sentences_are_closer_than_unrelated_ones") else {
        return;
    };
    let cos = |a: &str, b: &str| -> f32 {
        let (x, y) = (model.embed(a), model.embed(b));
        x.iter().zip(&y).map(|(a, b)| a * b).sum()
    };
    let parking = "Is there parking?";
    let related = cos(parking, "is there somewhere to leave my car while i train");
    let unrelated = cos(parking, "How do I cancel my membership?");
    assert!(related > unrelated + 0.2, "{related} vs {unrelated}");
    assert!((cos(parking, parking) - 1.0).abs() < 1e-5);
}

fn paraphrases() -> Vec<(String, String)> {
    std::fs::read_to_string(data("paraphrases.tsv"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (id, q) = l.split_once('\t').expect("intent<TAB>question");
            (id.to_string(), q.to_string())
        })
        .collect()
}

#[test]
fn paraphrases_of_the_bundled_faq_rank_their_intent_first() {
    let Some(model) = model("paraphrases_of_the_bundled_faq_rank_their_intent_first") else {
        return;
    };
    let kb = KnowledgeBase::bundled().unwrap();
    let index = SemanticIndex::build(model, &kb, None);
    assert_eq!(index.stats().cached, 0);
    let cases = paraphrases();
    assert!(cases.len() >= 30);
    let mut first = 0;
    let mut misses = Vec::new();
    for (want, q) in &cases {
        let sims = index.similarities(model, q);
        assert_eq!(sims.len(), kb.intents.len());
        assert!(sims.windows(2).all(|w| w[0].score >= w[1].score));
        let top = &sims[0];
        let got = &kb.intents[top.intent].id;
        // The closest phrasing belongs to the intent and explains the score.
        let p = &index.phrasings()[top.closest.unwrap()];
        assert_eq!(p.intent, top.intent);
        assert!((top.score - (top.phrasing + 0.5 * top.answer)).abs() < 1e-6);
        if got == want {
            first += 1;
        } else {
            let rank = sims.iter().position(|s| &kb.intents[s.intent].id == want);
            misses.push(format!("{q:?}: {got} first, {want} at {rank:?}"));
        }
    }
    let share = first as f32 / cases.len() as f32;
    // Measured 2026-12-03: see docs/semantic.md. The bound leaves room for
    // float differences, not for a broken stage (a random ranking of the
    // 26 intents gets about 0.04).
    assert!(
        share >= 0.75,
        "top-1 {share:.2}; misses:\n{}",
        misses.join("\n")
    );
}

#[test]
fn the_cache_makes_a_second_build_embed_nothing() {
    let Some(model) = model("the_cache_makes_a_second_build_embed_nothing") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut kb = KnowledgeBase::bundled().unwrap();
    kb.intents.truncate(4);
    let first = SemanticIndex::build(model, &kb, Some(dir.path()));
    assert_eq!(first.stats().cached, 0);
    assert!(first.stats().embedded > 0 && first.stats().saved);
    let second = SemanticIndex::build(model, &kb, Some(dir.path()));
    assert_eq!(second.stats().embedded, 0);
    assert_eq!(second.stats().cached, first.stats().texts);
    let q = "I forgot the code for the app";
    assert_eq!(first.similarities(model, q), second.similarities(model, q));
    // An edit re-embeds only the changed text.
    kb.intents[0].examples.push("a brand new way to ask".into());
    let third = SemanticIndex::build(model, &kb, Some(dir.path()));
    assert_eq!(third.stats().embedded, 1);
    assert_eq!(third.stats().cached, first.stats().texts);
    assert!(third
        .phrasings()
        .iter()
        .any(|p| p.kind == PhrasingKind::Example && p.text == "a brand new way to ask"));
}

#[test]
fn odd_input_gives_a_unit_vector_and_never_panics() {
    let Some(model) = model("odd_input_gives_a_unit_vector_and_never_panics") else {
        return;
    };
    let huge = "parking ".repeat(50_000);
    for text in [
        "",
        " ",
        "\u{0}\u{7f}",
        "🚗🚗🚗",
        "ｆｕｌｌ ｗｉｄｔｈ",
        huge.as_str(),
    ] {
        let v = model.embed(text);
        assert_eq!(v.len(), model.dim());
        let norm: f32 = v.iter().map(|a| a * a).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "{text:?}: norm {norm}");
    }
}

#[test]
fn a_missing_or_broken_model_directory_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = Model::load(dir.path()).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Io { .. }), "{err}");
    std::fs::write(dir.path().join("config.json"), "{ not json").unwrap();
    let err = Model::load(dir.path()).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Data { .. }), "{err}");
    assert!(err.to_string().contains("config.json"), "{err}");
}
