use super::*;

#[test]
fn wraps_at_word_boundaries_and_hangs_list_items() {
    let engine = Engine::bundled().unwrap();
    let reply = engine.respond(&mut Session::new(), "how do I delete my MINI ID");
    let style = Style::plain();
    let out = layout_reply(&style, "MINI App Assistant", &reply, 80);
    for l in out.lines() {
        assert!(l.chars().count() <= 80, "{l:?}");
    }
    let words = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    let mut expected = words("MINI App Assistant:");
    expected.extend(words(&reply.text));
    assert_eq!(words(&out), expected, "no word is broken or lost");
    assert!(out.contains("\n  1. "), "{out}");
}

/// A message cut at `MAX_INPUT_CHARS` is said so at the prompt (trial 23:
/// only `--json` told); a message within the limit gets no note.
#[test]
fn a_cut_message_is_said_so() {
    let engine = Engine::bundled().unwrap();
    let style = Style::plain();
    let long = format!("how do I reset my pin {}", "please ".repeat(200));
    let reply = engine.respond(&mut Session::new(), &long);
    assert!(reply.input_truncated);
    let out = layout_reply(&style, "MINI App Assistant", &reply, 80);
    assert!(
        out.starts_with(
            "(your message is longer than 1000 characters: only its first 1000 were read)\n"
        ),
        "{out}"
    );
    let reply = engine.respond(&mut Session::new(), "how do I reset my pin");
    let out = layout_reply(&style, "MINI App Assistant", &reply, 80);
    assert!(!out.contains("your message is longer"), "{out}");
}

#[test]
fn a_url_that_fits_on_a_line_is_never_split() {
    let kb = crate::KnowledgeBase::from_sources(vec![(
        "isp.ron".into(),
        r#"[(id: "bill", title: "Why is my bill so high?", examples: ["my bill is too high", "why is the bill high"],
                answer: "Check the itemised bill under My Account (https://my.netwave.example/billing) and call us.")]"#
            .into(),
    )])
    .unwrap();
    let engine = Engine::new(kb);
    let reply = engine.respond(&mut Session::new(), "my bill is too high");
    assert!(
        reply.text.contains("https://my.netwave.example/billing"),
        "{}",
        reply.text
    );
    for width in 40..90 {
        let out = layout_reply(&Style::plain(), "Netwave", &reply, width);
        assert!(
            out.contains("(https://my.netwave.example/billing)"),
            "width {width}:\n{out}"
        );
    }
}

#[test]
fn why_trace_wraps_at_word_boundaries_under_its_indent() {
    let engine = Engine::bundled().unwrap();
    let (reply, decision) = engine.respond_traced(
        &mut Session::new(),
        "I typed the code wrong a few times and now I'm logged out of the app",
    );
    let text = clean(&explain::render_decision(&engine, &reply, &decision));
    assert!(
        text.lines().any(|l| l.chars().count() > 80),
        "a long line to wrap"
    );
    let out = wrap_trace(&text, 80);
    for l in out.lines() {
        assert!(l.chars().count() <= 80, "{l:?}");
    }
    let words = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    assert_eq!(words(&out), words(&text), "no word is broken or lost");
    assert!(out.lines().count() > text.lines().count());
}

#[test]
fn short_farewells_end_the_repl_and_questions_do_not() {
    for end in [
        "bye",
        "Quit",
        "exit!",
        "thanks, bye",
        "ok bye!",
        "thank you goodbye",
        "bye bye",
    ] {
        assert!(is_exit_word(end), "{end}");
    }
    for stay in [
        "how do I say bye",
        "bye the way, my PIN",
        "I want to quit",
        "thanks",
    ] {
        assert!(!is_exit_word(stay), "{stay}");
    }
}

/// The REPL ends on "bye" after a goodbye: the knowledge base's own,
/// or, without a goodbye intent, the bot's farewell (trial 25: an
/// imported sheet's chat ended without a word).
#[test]
fn exit_words_get_a_goodbye_with_or_without_a_goodbye_intent() {
    let bundled = Engine::bundled().unwrap();
    let reply = goodbye(&bundled, &Session::new(), "bye").expect("the MINI goodbye");
    assert_eq!(reply.intent.as_deref(), Some("goodbye"));
    let sheet = crate::KnowledgeBase::from_intents(
        crate::schema::BotSettings::default(),
        vec![crate::schema::IntentDef {
            id: "opening_hours".into(),
            title: "When are you open?".into(),
            examples: vec!["When are you open?".into()],
            answer: "Monday to Friday, 9 to 5.".into(),
            ..Default::default()
        }],
    )
    .unwrap();
    let sheet = Engine::new(sheet);
    let reply = goodbye(&sheet, &Session::new(), "cheers mate, bye").expect("a farewell");
    assert_eq!(reply.intent, None);
    assert_eq!(
        reply.text,
        sheet.knowledge_base().settings.texts.farewell,
        "{reply:?}"
    );
}

/// `is_command`'s first test: every command starts with `/`.
#[test]
fn every_command_starts_with_a_slash() {
    for c in COMMANDS.iter().chain(&["/exit", "/q"]) {
        assert!(c.starts_with('/') && is_command(c), "{c}");
    }
    for line in ["", "why", "help", "/", "/whyy", " /why"] {
        assert!(!is_command(line), "{line:?}");
    }
}
