use super::*;

/// An embedder's wish: a decision logged as JSON beside its reply.
/// The keys are its public fields; the route is in lower case, as in
/// `faqbot explain --json`; intents are positions in the knowledge
/// base, the engine its process-local number.
#[test]
fn a_decision_serialises_to_json_with_its_public_fields() {
    let engine = crate::Engine::bundled().unwrap();
    let (reply, decision) = engine.respond_traced(&mut Session::new(), "how do I reset my pni");
    let json = serde_json::to_value(&decision).unwrap();
    let keys = |v: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(
        keys(&json),
        ["analysis", "engine", "ranking", "reason", "route", "semantic"]
    );
    assert_eq!(
        format!("engine #{}", json["engine"]),
        engine.id().to_string()
    );
    assert_eq!(json["route"], "ranked");
    assert_eq!(json["reason"], decision.reason.as_str());
    assert_eq!(
        json["analysis"]["folded"],
        decision.analysis.folded.as_str()
    );
    let tokens = json["analysis"]["tokens"].as_array().unwrap();
    assert_eq!(tokens.len(), decision.analysis.tokens.len());
    assert_eq!(
        keys(&tokens[0]),
        ["corrected_from", "everyday", "known", "token", "weight"]
    );
    assert_eq!(keys(&tokens[0]["token"]), ["stop", "term", "word"]);
    let typo = tokens.iter().find(|t| t["corrected_from"] == "pni");
    assert_eq!(typo.unwrap()["token"]["word"], "pin");
    let top = &json["ranking"][0];
    assert_eq!(keys(top), ["confidence", "evidence", "intent"]);
    assert_eq!(top["intent"], decision.ranking[0].intent);
    assert_eq!(
        top["confidence"].as_f64(),
        Some(f64::from(decision.ranking[0].confidence))
    );
    assert_eq!(
        engine.intent_id(&decision.ranking[0]),
        reply.intent.as_deref()
    );
    let evidence = &top["evidence"];
    assert_eq!(evidence["contributions"].as_array().unwrap().len(), 6);
    assert!(evidence["nearest"].is_null() || evidence["nearest"].as_array().unwrap().len() == 2);
    assert_eq!(
        evidence["raw_confidence"].as_f64(),
        Some(f64::from(decision.ranking[0].evidence.raw_confidence))
    );
    assert!(json["semantic"].is_null() || json["semantic"]["ran"].is_boolean());
}

#[test]
fn sanitizes_escapes_and_length() {
    assert_eq!(sanitize("a\u{1b}[31mb\u{7}"), "ab");
    assert_eq!(sanitize("reset\tpassword"), "reset password");
    assert_eq!(sanitize(&"x".repeat(5000)).len(), MAX_INPUT_CHARS);
}
