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

use faqbot::reply::ReplyKind;
use faqbot::semantic::model::Arch;
use faqbot::semantic::{Model, PhrasingKind, SemanticIndex, MODEL_ENV};
use faqbot::{Engine, ErrorKind, KnowledgeBase, Session};
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

// ---- The fusion with the lexical ranking, and the server's inference pool.

fn fixture_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Rows of a tab-separated file under tests/semantic (comments skipped).
fn rows(name: &str) -> Vec<Vec<String>> {
    std::fs::read_to_string(data(name))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

/// The spreadsheet `name` under tests/fixtures, imported as `faqbot
/// import` does, without and with the semantic stage (the model named by
/// `FAQBOT_SEMANTIC_MODEL`; embeddings cached in a temporary directory).
fn spreadsheet(name: &str, test: &str) -> Option<(Engine, Engine)> {
    model(test)?;
    let dir = std::env::var_os(MODEL_ENV)?;
    let path = fixture_dir(name).join("faq.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut intents = faqbot::import::from_csv(&path, text.as_bytes()).unwrap();
    intents.sort_by(|a, b| a.id.cmp(&b.id));
    let kb = || KnowledgeBase {
        settings: faqbot::schema::BotSettings::default(),
        intents: intents.clone(),
        origins: Vec::new(),
        sources: Vec::new(),
    };
    static CACHE: OnceLock<tempfile::TempDir> = OnceLock::new();
    let cache = CACHE.get_or_init(|| tempfile::tempdir().unwrap());
    let with = Engine::new(kb()).with_semantic_model(Path::new(&dir), Some(cache.path()));
    assert!(
        with.semantic().is_on(),
        "{}",
        with.semantic().status().line()
    );
    Some((Engine::new(kb()), with))
}

/// The spreadsheets' engines with the model, each built on first use.
struct Sheets {
    test: &'static str,
    engines: std::collections::HashMap<String, (Engine, Engine)>,
}

impl Sheets {
    fn new(test: &'static str) -> Self {
        Sheets {
            test,
            engines: Default::default(),
        }
    }

    /// The engine of `sheet` with the model; `None` (the test skips, or
    /// fails when the model is required) without it.
    fn with_model(&mut self, sheet: &str) -> Option<&Engine> {
        if !self.engines.contains_key(sheet) {
            let e = spreadsheet(sheet, self.test)?;
            self.engines.insert(sheet.to_string(), e);
        }
        Some(&self.engines[sheet].1)
    }
}

/// `answer INTENT` or `silent`, as the data files write it.
fn outcome(reply: &faqbot::Reply) -> String {
    match (reply.kind, &reply.intent) {
        (ReplyKind::Answer, Some(i)) => format!("answer {i}"),
        _ => "silent".to_string(),
    }
}

#[test]
fn the_fusion_answers_situations_the_faq_words_miss() {
    let mut sheets = Sheets::new("the_fusion_answers_situations_the_faq_words_miss");
    let mut failures = Vec::new();
    for row in rows("fusion.tsv") {
        let [sheet, question, expect] = &row[..] else {
            panic!("fusion.tsv: three columns: {row:?}");
        };
        let Some(engine) = sheets.with_model(sheet) else {
            return;
        };
        let (reply, decision) = engine.respond_traced(&mut Session::new(), question);
        for s in &decision.ranking {
            assert!((0.0..=1.0).contains(&s.confidence), "{question}: {s:?}");
            let e = &s.evidence;
            let sum: f32 = e.contributions.iter().sum::<f32>() + e.calibration + e.semantic;
            assert!(
                (sum - s.confidence).abs() < 1e-4,
                "{question}: {sum} vs {s:?}"
            );
        }
        let got = outcome(&reply);
        if &got != expect {
            failures.push(format!("{sheet}: {question:?}: {got}, expected {expect}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn why_names_the_fusion_rules() {
    let mut sheets = Sheets::new("why_names_the_fusion_rules");
    let mut failures = Vec::new();
    for row in rows("why.tsv") {
        let [sheet, question, expect, line] = &row[..] else {
            panic!("why.tsv: four columns: {row:?}");
        };
        let Some(engine) = sheets.with_model(sheet) else {
            return;
        };
        let (reply, decision) = engine.respond_traced(&mut Session::new(), question);
        let got = outcome(&reply);
        let why = faqbot::explain::render_decision(engine, &reply, &decision);
        if &got != expect || !why.contains(line.as_str()) {
            failures.push(format!(
                "{sheet}: {question:?}: {got}, expected {expect} and {line:?} in\n{why}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn why_names_the_semantic_contribution() {
    let Some((plain, engine)) =
        spreadsheet("spreadsheet-gym", "why_names_the_semantic_contribution")
    else {
        return;
    };
    let question = "can i put my membership on hold while i recover from surgery";
    let (reply, decision) = engine.respond_traced(&mut Session::new(), question);
    let why = faqbot::explain::render_decision(&engine, &reply, &decision);
    assert!(why.contains("semantic: on"), "{why}");
    assert!(why.contains("semantic: closest phrasing"), "{why}");
    assert!(why.contains("\n     semantic    +"), "{why}");
    // Without the model the same question is answered as before.
    let (reply, decision) = plain.respond_traced(&mut Session::new(), question);
    assert!(decision.semantic.is_none());
    assert!(decision.ranking.iter().all(|s| s.evidence.semantic == 0.0));
    let why = faqbot::explain::render_decision(&plain, &reply, &decision);
    assert!(!why.contains("semantic: closest"), "{why}");
    // A title word for word: the lexical stages are sure, the model does not run,
    // and the short /why says so (trial 36 could not tell whether it took part).
    let (reply, decision) = engine.respond_traced(&mut Session::new(), "Can I bring a guest?");
    let short = faqbot::explain::Explanation::new(&engine, &reply, &decision).render_short();
    assert!(short.contains("\nsemantic: not run ("), "{short}");
    let trace = decision.semantic.expect("the stage is on");
    assert!(!trace.ran, "{trace:?}");
    // Without the model the short /why says nothing of the stage.
    let (reply, decision) = plain.respond_traced(&mut Session::new(), "Can I bring a guest?");
    let short = faqbot::explain::Explanation::new(&plain, &reply, &decision).render_short();
    assert!(!short.contains("semantic"), "{short}");
}

#[test]
fn a_burst_of_hard_questions_does_not_starve_easy_ones() {
    use axum::body::Body;
    use axum::http::{header, Request, StatusCode};
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let Some((_, engine)) = spreadsheet(
        "spreadsheet-gym",
        "a_burst_of_hard_questions_does_not_starve_easy_ones",
    ) else {
        return;
    };
    let cases = rows("burst.tsv");
    let of = |kind: &str| -> Vec<String> {
        cases
            .iter()
            .filter(|r| r[0] == kind)
            .map(|r| r[1].clone())
            .collect()
    };
    let (hard, easy) = (of("hard"), of("easy"));
    assert!(hard.len() >= 4 && !easy.is_empty());
    for q in &hard {
        assert!(
            engine.respond_deferred(&mut Session::new(), q).is_none(),
            "not hard: {q}"
        );
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let state = faqbot::server::AppState::new(engine);
        let inference = state.inference.clone();
        let app = faqbot::server::router(state);
        let chat = |message: String| {
            let app = app.clone();
            async move {
                let req = Request::post("/api/v1/chat")
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(
                        serde_json::json!({ "message": message }).to_string(),
                    ))
                    .unwrap();
                let resp = app.oneshot(req).await.unwrap();
                assert_eq!(resp.status(), StatusCode::OK);
                let bytes = resp.into_body().collect().await.unwrap().to_bytes();
                serde_json::from_slice::<serde_json::Value>(&bytes).unwrap()
            }
        };
        // Every inference slot is taken: the hard questions must wait.
        let slots = inference.available_permits() as u32;
        let held = inference.clone().acquire_many_owned(slots).await.unwrap();
        let pending: Vec<_> = hard.iter().map(|q| tokio::spawn(chat(q.clone()))).collect();
        tokio::task::yield_now().await;
        for q in &easy {
            let body = chat(q.clone()).await;
            assert_eq!(body["kind"], "answer", "{q}: {body}");
        }
        assert!(
            pending.iter().all(|p| !p.is_finished()),
            "a hard question finished without an inference slot"
        );
        drop(held);
        for p in pending {
            let body = p.await.unwrap();
            assert!(body["kind"].is_string(), "{body}");
        }
        assert_eq!(inference.available_permits() as u32, slots);
    });
}

#[test]
fn the_spreadsheets_at_the_defaults() {
    let test = "the_spreadsheets_at_the_defaults";
    for sheet in ["spreadsheet", "spreadsheet-gym", "spreadsheet-bikeshop"] {
        let Some((plain, engine)) = spreadsheet(sheet, test) else {
            return;
        };
        let rows =
            faqbot::import::read_jsonl_file(&fixture_dir(sheet).join("questions.jsonl")).unwrap();
        let before = faqbot::eval::evaluate(&plain, &rows);
        let after = faqbot::eval::evaluate(&engine, &rows);
        let right = |r: &faqbot::eval::Report| r.at_threshold.in_scope_accuracy.unwrap();
        let silent = |r: &faqbot::eval::Report| r.at_threshold.oos_recall.unwrap();
        eprintln!(
            "{sheet}: answered right {:.3} → {:.3}, out of scope unanswered {:.3} → {:.3}, top-1 {:.3} → {:.3}",
            right(&before),
            right(&after),
            silent(&before),
            silent(&after),
            before.accuracy.unwrap(),
            after.accuracy.unwrap()
        );
        // The stage must add answers, and top-1 must not drop.
        assert!(right(&after) > right(&before), "{sheet}");
        assert!(
            after.accuracy.unwrap() >= before.accuracy.unwrap(),
            "{sheet}"
        );
        assert!(silent(&after) >= 0.8, "{sheet}: {:.3}", silent(&after));
    }
}

/// `faqbot misses` names a group's closest intent from the ranking the bot
/// answers from: with the model, the fused one. It used to rank with the
/// lexical stages alone, naming intents (and confidences) the live bot
/// never gave.
#[test]
fn misses_name_the_closest_intent_of_the_fused_ranking() {
    let mut sheets = Sheets::new("misses_name_the_closest_intent_of_the_fused_ranking");
    let Some(engine) = sheets.with_model("spreadsheet-gym") else {
        return;
    };
    // Unrelated messages, one group each; written for this test.
    let utterances: Vec<String> = [
        "somewhere to get clean after my session",
        "my knee hurts, can I pause paying",
        "bring my brother along on saturday",
        "can my twelve year old come with me",
    ]
    .map(String::from)
    .to_vec();
    let groups = faqbot::misses::group(engine, &utterances, 0.99);
    assert_eq!(groups.len(), utterances.len(), "{groups:?}");
    let mut differs = 0;
    for g in &groups {
        let text = &g.samples[0].text;
        let (_, decision) = engine.respond_traced(&mut Session::new(), text);
        let top = &decision.ranking[0];
        let id = &engine.knowledge_base().intents[top.intent].id;
        match &g.closest {
            Some(closest) => {
                assert_eq!(&closest.intent, id, "{text}");
                assert!((closest.confidence - top.confidence).abs() < 1e-6, "{text}");
            }
            None => assert!(
                top.confidence < faqbot::misses::group::CLOSEST_FLOOR,
                "{text}"
            ),
        }
        let lexical = engine.rank(text, 1);
        if lexical
            .first()
            .is_none_or(|l| l.intent != top.intent || (l.confidence - top.confidence).abs() > 0.01)
        {
            differs += 1;
        }
    }
    // The test means something only where the stages disagree.
    assert!(
        differs > 0,
        "the lexical and fused rankings agree on every message"
    );
}
