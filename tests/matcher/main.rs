//! The matcher: determinism, decomposable scores, calibration helpers and
//! hostile input, on the bundled MINI knowledge base and a tiny one.

use faqbot::explain::render_scored;
use faqbot::matcher::{Scored, NEAREST_SHARE};
use faqbot::{Engine, KnowledgeBase};
use std::path::PathBuf;

mod engine;

const SHOP: &str = r#"[
    (id: "refund", title: "How do I get a refund?", examples: [
        "I want my money back", "refund my order", "how do refunds work",
        "can I get a refund for a broken item", "return an item for a refund",
    ], answer: "Refunds take 5 days."),
    (id: "delivery", title: "When will my order arrive?", examples: [
        "where is my order", "my order has not arrived", "how long does delivery take",
        "track my parcel", "when does my package arrive",
    ], answer: "Delivery takes 2 days."),
    (id: "cancel", title: "How do I cancel an order?", examples: [
        "cancel my order", "I ordered by mistake", "stop my order before it ships",
        "can I cancel an order I just placed", "undo my purchase",
    ], answer: "Cancel under Orders."),
]"#;

fn shop() -> Engine {
    let kb = KnowledgeBase::from_sources(vec![(PathBuf::from("shop.ron"), SHOP.into())]).unwrap();
    Engine::new(kb)
}

fn id(engine: &Engine, s: &Scored) -> String {
    engine.knowledge_base().intents[s.intent].id.clone()
}

#[test]
fn same_knowledge_base_same_scores_bit_for_bit() {
    let (a, b) = (Engine::bundled().unwrap(), Engine::bundled().unwrap());
    assert_eq!(a.matcher().word_scale(), b.matcher().word_scale());
    for u in [
        "I forgot my app PIN",
        "charging at night",
        "hello there",
        "zzz",
    ] {
        let (ra, rb) = (a.rank(u, 5), b.rank(u, 5));
        assert_eq!(ra, rb, "{u}");
    }
}

#[test]
fn contributions_sum_to_the_confidence() {
    let engine = Engine::bundled().unwrap();
    for u in [
        "I forgot my app PIN",
        "how do I preheat my mini from my phone",
        "what is the weather in paris",
        "charging time frame",
        "add a second driver to my car",
    ] {
        for s in engine.rank(u, 5) {
            let e = &s.evidence;
            // The named contributions sum to the raw confidence; the
            // calibration step takes it to the confidence.
            let sum: f32 = e.contributions.iter().sum();
            assert!(
                (sum - e.raw_confidence).abs() < 1e-5,
                "{u}: {sum} vs {}",
                e.raw_confidence
            );
            assert!(
                (sum + e.calibration - s.confidence).abs() < 1e-5,
                "{u}: {sum} + {} vs {}",
                e.calibration,
                s.confidence
            );
            assert!((0.0..=1.0).contains(&s.confidence));
            // The per-feature shares add up to the word part of the similarity.
            if e.nearest.is_none_or(|(_, c)| c < 1.0) && e.word_score > 0.0 {
                let words: f32 = e.features.iter().map(|f| f.1).sum();
                assert!(
                    (words - (1.0 - NEAREST_SHARE) * e.words).abs() < 1e-4,
                    "{u}: {words} vs {}",
                    e.words
                );
            }
        }
    }
}

#[test]
fn a_decision_ranking_leaves_word_shares_to_the_explanation() {
    // The dialogue ranks without the per-feature shares; computed later
    // for the explanation, they are exactly the shares a full ranking has.
    let engine = Engine::bundled().unwrap();
    let m = engine.matcher();
    let mut compared = 0;
    for u in [
        "I forgot my app PIN",
        "how do I preheat my mini from my phone",
        "charging time frame",
        "add a second driver to my car",
        "delete my account",
        "wat is teh range on my watch",
    ] {
        let a = m.analyze(u);
        let (full, lean) = (m.rank_analysis(&a, 5), m.rank_for_decision(&a, 5));
        assert_eq!(full.len(), lean.len(), "{u}");
        for (f, l) in full.iter().zip(&lean) {
            assert!(l.evidence.features.is_empty(), "{u}");
            assert_eq!((f.intent, f.confidence), (l.intent, l.confidence), "{u}");
            assert_eq!(m.word_shares(&a, l), f.evidence.features, "{u}");
            compared += usize::from(!f.evidence.features.is_empty());
        }
    }
    assert!(compared >= 10, "only {compared} entries had word shares");
}

#[test]
fn learned_word_weights_speak_for_their_intent_and_show_in_why() {
    let engine = shop();
    let ranking = engine.rank("my refund never came", 3);
    assert_eq!(id(&engine, &ranking[0]), "refund");
    let m = engine.matcher();
    let refund = ranking[0]
        .evidence
        .features
        .iter()
        .find(|(f, _)| m.feature_name(*f) == "refund")
        .expect("'refund' contributes");
    assert!(refund.1 > 0.0);
    let text = render_scored(&engine, &ranking[0]);
    assert!(text.contains("'refund' \u{2192} refund +"), "{text}");
}

#[test]
fn unknown_words_lower_confidence_but_not_the_ranking() {
    let engine = shop();
    let plain = engine.rank("cancel my order", 3);
    let odd = engine.rank("cancel my order zorblax quuxification", 3);
    assert_eq!(plain[0].intent, odd[0].intent);
    assert!(odd[0].confidence < plain[0].confidence);
    assert!(odd[0].evidence.familiarity < 1.0);
    assert_eq!(plain[0].evidence.familiarity, 1.0);
}

/// Two intents told apart by the shape of the question around station
/// names that (almost) each example has once.
const TRANSIT: &str = r#"[
    (id: "route", title: "Find a connection", examples: [
        "from garching to odeonsplatz", "how do I get from moosach to lehel",
        "connection from harras to giesing", "from olympiapark to sendling please",
        "how can I get from pasing to freimann", "is there a way from laim to bogenhausen",
    ], answer: "Here is a route."),
    (id: "departures", title: "Next departure", examples: [
        "next bus at garching", "when does the next train leave at moosach",
        "next tram at harras", "when is the next bus at nordbad",
        "next departure at trudering", "when does the next subway leave at milbertshofen",
    ], answer: "The next one leaves soon."),
]"#;

#[test]
fn names_never_seen_still_count_as_rare_words_in_their_bigrams() {
    let kb =
        KnowledgeBase::from_sources(vec![(PathBuf::from("transit.ron"), TRANSIT.into())]).unwrap();
    let engine = Engine::new(kb);
    let m = engine.matcher();
    let top = &engine.rank("from zorbelplatz to quimbyweg", 2)[0];
    assert_eq!(id(&engine, top), "route");
    let names: Vec<&str> = top
        .evidence
        .features
        .iter()
        .filter(|(_, c)| *c > 0.0)
        .map(|(f, _)| m.feature_name(*f))
        .collect();
    assert!(
        names.contains(&"from <rare>") && names.contains(&"<rare> to"),
        "{names:?}"
    );
    let text = render_scored(&engine, top);
    assert!(text.contains("'from <rare>' \u{2192} route +"), "{text}");
    let top = &engine.rank("next bus at zorbelplatz", 1)[0];
    assert_eq!(id(&engine, top), "departures");
    // A name the examples use more than once is a word like any other.
    assert!(engine.rank("garching", 2)[0]
        .evidence
        .features
        .iter()
        .all(|(f, _)| m.feature_name(*f) != "<rare>"));
}

#[test]
fn unknown_names_where_the_examples_put_names_are_familiar() {
    // "from · to ·" holds a different station name in nearly every
    // example: a station the examples never name fills that slot and is
    // familiar, not a foreign word (the calibration then trusts it).
    let kb =
        KnowledgeBase::from_sources(vec![(PathBuf::from("transit.ron"), TRANSIT.into())]).unwrap();
    let engine = Engine::new(kb);
    let top = &engine.rank("from zorbelplatz to quimbyweg", 2)[0];
    assert_eq!(id(&engine, top), "route");
    assert_eq!(top.evidence.familiarity, 1.0);
    let a = engine.matcher().analyze("from zorbelplatz to quimbyweg");
    assert!(a
        .tokens
        .iter()
        .filter(|t| !t.token.stop)
        .all(|t| t.fills_slot()));
    // The same unknown name where the examples put their own words is not.
    let a = engine
        .matcher()
        .analyze("from garching to odeonsplatz with my quimbyphone");
    let phone = a.tokens.iter().find(|t| t.token.word == "quimbyphone");
    assert!(phone.is_some_and(|t| !t.known && !t.fills_slot()));
    // A knowledge base without such positions has no slots: an unknown
    // word stays unfamiliar wherever it stands.
    let shop = shop();
    let a = shop.matcher().analyze("cancel my zorblax order");
    assert!(a.tokens.iter().all(|t| !t.fills_slot()));
}

#[test]
fn an_example_typed_exactly_is_certain() {
    let engine = shop();
    let top = &engine.rank("Track my parcel!", 1)[0];
    assert_eq!(id(&engine, top), "delivery");
    assert_eq!(top.evidence.nearest.map(|n| n.1), Some(1.0));
    assert!(top.confidence > 0.9);
}

#[test]
fn hostile_input_never_panics() {
    let engine = shop();
    let long = "order ".repeat(5000);
    for u in [
        "",
        "   ",
        "\u{0}\u{1b}[2J",
        "🚚🚚🚚",
        &long,
        "a",
        "?!?!",
        "ünïcödé ørdér",
    ] {
        for s in engine.rank(u, 5) {
            assert!(s.confidence.is_finite() && (0.0..=1.0).contains(&s.confidence));
        }
    }
}

#[test]
fn single_example_intents_load_with_the_default_scale() {
    let kb = KnowledgeBase::from_sources(vec![(
        PathBuf::from("faq.ron"),
        r#"[(id: "a", examples: ["opening hours"], answer: "9-5"),
            (id: "b", examples: ["parking"], answer: "Yes")]"#
            .into(),
    )])
    .unwrap();
    let engine = Engine::new(kb);
    assert!(engine.matcher().word_scale() > 0.0);
    assert_eq!(engine.rank("what are your opening hours", 1)[0].intent, 0);
}

/// A made-up product word for intent `n` (distinct for distinct `n`).
fn product(mut n: usize) -> String {
    let syl = ["ka", "lo", "mi", "ru", "te", "zo", "pa", "ni", "vu", "se"];
    let mut w = String::from("q");
    for _ in 0..4 {
        w.push_str(syl[n % 10]);
        n /= 10;
    }
    w
}

#[test]
fn in_a_large_knowledge_base_words_most_intents_use_carry_no_weight() {
    use faqbot::matcher::linear::COMMON_MIN_INTENTS;
    let n = COMMON_MIN_INTENTS + 1;
    let mut ron = String::from("[");
    for i in 0..n {
        let p = product(i);
        ron.push_str(&format!(
            r#"(id: "i{i}", title: "The {p}", examples: ["how do I fix the {p}", "{p} broken"], answer: "ok"),"#
        ));
    }
    ron.push(']');
    let kb = KnowledgeBase::from_sources(vec![(PathBuf::from("big.ron"), ron)]).unwrap();
    let engine = Engine::new(kb);
    let m = engine.matcher();
    let top = &engine.rank(&format!("how do I fix the broken {} today", product(7)), 1)[0];
    assert_eq!(id(&engine, top), "i7");
    let names: Vec<&str> = top
        .evidence
        .features
        .iter()
        .map(|(f, _)| m.feature_name(*f))
        .collect();
    assert!(names.contains(&product(7).as_str()), "{names:?}");
    // "fix", "how do" are used by every intent: no learned weight.
    assert!(
        names
            .iter()
            .all(|f| !["fix", "how", "how do", "fix the"].contains(f)),
        "{names:?}"
    );
    // The contributions still add up (to the word part of the similarity).
    let e = &top.evidence;
    if e.nearest.is_none_or(|(_, c)| c < 1.0) {
        let words: f32 = e.features.iter().map(|f| f.1).sum();
        assert!((words - (1.0 - NEAREST_SHARE) * e.words).abs() < 1e-4);
    }
}

#[test]
fn an_out_of_scope_intent_always_gets_its_nearest_example() {
    // The bundled out-of-scope intent gathers dozens of unrelated topics,
    // so its word evidence ranks it low; one of its examples ("the app
    // keeps crashing when I open it") is still this message's closest
    // phrasing, and the nearest-example stage must see it.
    let engine = Engine::bundled().unwrap();
    let ranking = engine.rank(
        "the MINI app closes itself whenever I open it on my phone",
        10,
    );
    let oos = ranking
        .iter()
        .find(|s| id(&engine, s) == "out_of_scope")
        .expect("out_of_scope is ranked");
    let (e, cosine) = oos
        .evidence
        .nearest
        .expect("its nearest example is computed");
    assert!(cosine > 0.2, "{cosine}");
    let (text, _) = engine.matcher().example(e);
    assert!(text.contains("crashing"), "{text}");
}

#[test]
fn two_short_fragments_with_a_stop_word_are_not_read_as_one_word() {
    // The bundled knowledge base knows "seat"; "Cooper SE at home" must
    // not be read as "cooper seat home" (a model name and "at").
    let engine = Engine::bundled().unwrap();
    let a = engine
        .matcher()
        .analyze("does my Cooper SE at home charge overnight");
    let words: Vec<&str> = a.tokens.iter().map(|t| t.token.word.as_str()).collect();
    assert!(!words.contains(&"seat"), "{words:?}");
    // A compound typed apart still joins.
    let a = engine
        .matcher()
        .analyze("use finger print to unlock the app");
    assert!(
        a.tokens.iter().any(|t| t.token.word == "fingerprint"),
        "{:?}",
        a.tokens.iter().map(|t| &t.token.word).collect::<Vec<_>>()
    );
}

/// The shop's cancel intent with patterns: "scrap" and "bin" are written
/// only in a pattern, "zorblax" nowhere.
fn shop_with_patterns() -> Engine {
    let cancel = r#"answer: "Cancel under Orders.")"#;
    let with = r#"patterns: [r"\b(scrap|bin)\s+(my\s+)?order\b", r"\bundo\b.*\border\b"],
        answer: "Cancel under Orders.")"#;
    assert!(SHOP.contains(cancel));
    let source = SHOP.replace(cancel, with);
    let kb = KnowledgeBase::from_sources(vec![(PathBuf::from("shop.ron"), source)]).unwrap();
    Engine::new(kb)
}

#[test]
fn words_a_matching_pattern_writes_count_as_the_intents_own() {
    let engine = shop_with_patterns();
    // "scrap" is in no example: before patterns credited their words, the
    // pattern matched but the intent covered only "order" of the
    // utterance and "scrap" counted as a word the knowledge base does not
    // know.
    let top = &engine.rank("scrap my order", 3)[0];
    assert_eq!(id(&engine, top), "cancel");
    assert_eq!(top.evidence.pattern, Some(0));
    assert_eq!(top.evidence.coverage, 1.0);
    assert_eq!(top.evidence.familiarity, 1.0);
    // A pattern's `.*` credits nothing: "zorblax" stays unknown.
    let gap = &engine.rank("undo zorblax order", 3)[0];
    assert_eq!(id(&engine, gap), "cancel");
    assert_eq!(gap.evidence.pattern, Some(1));
    assert!(gap.evidence.familiarity < 1.0, "{:?}", gap.evidence);
}

#[test]
fn an_out_of_scope_intents_title_is_no_phrasing() {
    // The title names the kind of message; matched as a phrasing, its
    // "shop" pulled questions about the shop to the out-of-scope intent
    // (a support author's "Not a library question").
    let oos = r#"(id: "other", title: "Not a question about our shop", kind: OutOfScope,
        examples: ["what is the weather tomorrow", "tell me a joke"], answer: "Not ours."),
]"#;
    let source = format!("{}{oos}", SHOP.trim_end().trim_end_matches(']'));
    let kb = KnowledgeBase::from_sources(vec![(PathBuf::from("shop.ron"), source)]).unwrap();
    let engine = Engine::new(kb);
    let m = engine.matcher();
    let texts: Vec<&str> = (0..m.example_count()).map(|i| m.example(i).0).collect();
    assert!(texts.contains(&"How do I get a refund?"), "{texts:?}");
    assert!(texts.contains(&"tell me a joke"), "{texts:?}");
    assert!(!texts.iter().any(|t| t.contains("our shop")), "{texts:?}");
    let ranked = engine.rank("a question about the shop", 5);
    let other = ranked.iter().find(|s| id(&engine, s) == "other");
    assert!(other.is_none_or(|s| s
        .evidence
        .nearest
        .is_none_or(|(e, _)| !m.example(e).0.contains("shop"))));
}
