use super::*;

fn assert_send_sync<T: Send + Sync>() {}

/// A message of no conversation gets the reply and route a fresh
/// session gets, whether the session is remembered or not.
#[test]
fn a_reply_once_is_the_reply_in_a_fresh_session() {
    let engine = Engine::bundled().unwrap();
    for q in [
        "I forgot my app PIN",
        "hello",
        "thanks",
        "",
        "?",
        "xyzzy",
        "I want to talk to a real person",
        "charging",
        "1",
    ] {
        let (reply, route) = engine.respond_routed(&mut Session::new(), q);
        let (once, once_route) = engine.respond_routed_once(q);
        assert_eq!(once, reply, "{q:?}");
        assert_eq!(format!("{once_route:?}"), format!("{route:?}"), "{q:?}");
    }
}

/// A ranking kept across a reload to a smaller knowledge base: its
/// entries name positions the new engine does not have. `decide`
/// leaves them out (a fallback), where it used to index out of bounds.
#[test]
fn decide_ignores_entries_of_a_larger_knowledge_base() {
    let big = Engine::bundled().unwrap();
    let ranking = big.rank("I forgot my app PIN", 5);
    assert!(ranking.iter().any(|s| s.intent >= 2), "{ranking:?}");
    let ron = r#"[(id: "hours", title: "Opening hours", examples: ["when are you open"], answer: "9 to 5.")]"#;
    let small =
        Engine::new(KnowledgeBase::from_sources(vec![("t.ron".into(), ron.into())]).unwrap());
    let (kind, intent) = small.decide(&ranking, 0.0, 0.0);
    assert!(intent.is_none_or(|i| i < 1), "{kind:?} {intent:?}");
    let (kind, intent) = small.decide(&ranking[..0], 0.5, 0.03);
    assert_eq!((kind, intent), (ReplyKind::Fallback, None));
    let own = small.rank("when are you open", 3);
    assert_eq!(small.decide(&own, 0.5, 0.03), (ReplyKind::Answer, Some(0)));
}

#[test]
fn engine_is_send_and_sync() {
    assert_send_sync::<Engine>();
}

/// `Engine::answer_html` exists in every build: HTML with the `html`
/// feature, `None` without it, like the reply's `answer_html`.
#[test]
fn answer_html_follows_the_html_feature() {
    let engine = Engine::bundled().unwrap();
    let mut session = Session::new();
    let reply = engine.respond(&mut session, "I forgot my app PIN");
    assert_eq!(reply.intent.as_deref(), Some("reset_pin"));
    let html = engine.answer_html("reset_pin");
    assert_eq!(html, reply.answer_html.as_deref());
    assert_eq!(html.is_some(), Engine::has_html());
    assert_eq!(Engine::has_html(), cfg!(feature = "html"));
    if let Some(html) = html {
        assert!(html.starts_with("<p>"), "{html}");
    }
    assert_eq!(engine.answer_html("no_such_intent"), None);
}
