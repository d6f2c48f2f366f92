//! all-mpnet-base-v2, the optional larger sentence model (docs/semantic.md,
//! "all-mpnet-base-v2 (larger, optional)"): its forward pass against the
//! numpy reference (`tests/semantic/reference-mpnet.json`, written by
//! `scripts/semantic-reference.py`).
//!
//! Needs the model's directory in `FAQBOT_SEMANTIC_MODEL_MPNET`
//! (`scripts/get-semantic-model.sh --mpnet DIR`, a 438 MB download). Without
//! it the tests are SKIPPED with a message; with
//! `FAQBOT_REQUIRE_SEMANTIC_MPNET=1` (set by `.ci/run`, which obtains the
//! model) they fail instead.

use super::{assert_matches_reference, data};
use faqbot::semantic::model::Arch;
use faqbot::semantic::Model;
use std::path::Path;
use std::sync::OnceLock;

/// The variable naming all-mpnet-base-v2's directory (tests only).
const MPNET_ENV: &str = "FAQBOT_SEMANTIC_MODEL_MPNET";

/// The model named by `FAQBOT_SEMANTIC_MODEL_MPNET`, loaded once; `None`
/// (skip) when it is not set, a panic under `FAQBOT_REQUIRE_SEMANTIC_MPNET=1`.
fn mpnet(test: &str) -> Option<&'static Model> {
    static MODEL: OnceLock<Option<Model>> = OnceLock::new();
    let m = MODEL.get_or_init(|| {
        let dir = std::env::var_os(MPNET_ENV).filter(|v| !v.is_empty())?;
        Some(Model::load(Path::new(&dir)).unwrap_or_else(|e| panic!("{MPNET_ENV}: {e}")))
    });
    if m.is_none() {
        let require = std::env::var("FAQBOT_REQUIRE_SEMANTIC_MPNET").is_ok_and(|v| v == "1");
        let msg = format!(
            "{test}: SKIPPED: no all-mpnet-base-v2 ({MPNET_ENV} is not set; \
             run {MPNET_ENV}=$(scripts/get-semantic-model.sh --mpnet) cargo test --features semantic)"
        );
        assert!(!require, "{msg} (FAQBOT_REQUIRE_SEMANTIC_MPNET=1)");
        eprintln!("{msg}");
    }
    m.as_ref()
}

#[test]
fn mpnet_embeddings_match_the_numpy_reference() {
    let Some(model) = mpnet("mpnet_embeddings_match_the_numpy_reference") else {
        return;
    };
    assert_eq!(model.arch(), Arch::Mpnet);
    assert_eq!(model.dim(), 768);
    assert_matches_reference(model, &data("reference-mpnet.json"));
}

#[test]
fn mpnet_ranks_a_paraphrase_above_an_unrelated_question() {
    let Some(model) = mpnet("mpnet_ranks_a_paraphrase_above_an_unrelated_question") else {
        return;
    };
    let cos = |a: &str, b: &str| -> f32 {
        let (x, y) = (model.embed(a), model.embed(b));
        x.iter().zip(&y).map(|(a, b)| a * b).sum()
    };
    let parking = "Is there parking?";
    let related = cos(parking, "can I leave the car somewhere while I work out");
    let unrelated = cos(parking, "How do I cancel my membership?");
    assert!(related > unrelated + 0.2, "{related} vs {unrelated}");
    // Text beyond the model's 384 tokens is ignored, and odd input embeds.
    for text in ["", "x", "🚲", &"word ".repeat(1_000)] {
        let e = model.embed(text);
        let norm: f32 = e.iter().map(|a| a * a).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "{text:.20}: norm {norm}");
    }
}
