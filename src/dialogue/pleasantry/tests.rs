use super::*;

#[test]
fn greetings_thanks_and_goodbyes_are_recognised_and_questions_are_not() {
    assert_eq!(of("Hello!"), Some(Pleasantry::Greeting));
    assert_eq!(of("good morning"), Some(Pleasantry::Greeting));
    assert_eq!(of("thanks a lot"), Some(Pleasantry::Thanks));
    assert_eq!(of("thnx"), Some(Pleasantry::Thanks));
    assert_eq!(of("ok thanx"), Some(Pleasantry::Thanks));
    assert_eq!(of("Bye"), Some(Pleasantry::Goodbye));
    assert_eq!(of("hello, is there parking?"), None);
    assert_eq!(
        of("see you tomorrow, and is the pool open on sundays too"),
        None
    );
    assert_eq!(of("what are your opening hours"), None);
    // The other languages faqbot has texts for (data/texts/).
    assert_eq!(of("Danke schön!"), Some(Pleasantry::Thanks));
    assert_eq!(of("Muchas gracias"), Some(Pleasantry::Thanks));
    assert_eq!(of("Tschüss"), Some(Pleasantry::Goodbye));
    assert_eq!(of("Tot ziens!"), Some(Pleasantry::Goodbye));
    assert_eq!(of("Bonjour"), Some(Pleasantry::Greeting));
    assert_eq!(of("Danke, wie lade ich mein Auto?"), None);
}

#[test]
fn plain_text_meets_the_plain_patterns_as_the_unicode_ones() {
    let plain = PLAIN_PATTERNS
        .as_ref()
        .expect("every pattern compiles plain");
    let kinds =
        |p: &[(Pleasantry, Regex)]| -> Vec<Pleasantry> { p.iter().map(|(k, _)| *k).collect() };
    assert_eq!(kinds(plain), kinds(&PATTERNS));
    // Each pattern on its own, as they were compiled before a kind's were
    // joined ([`either`]): every one compiles.
    let each: Vec<(Pleasantry, Vec<Regex>)> = pattern_sources()
        .into_iter()
        .map(|(kind, sources)| {
            let res = sources.iter().map(|p| {
                RegexBuilder::new(p)
                    .case_insensitive(true)
                    .build()
                    .expect("compiles")
            });
            (kind, res.collect())
        })
        .collect();
    assert_eq!(each.iter().map(|(_, r)| r.len()).sum::<usize>(), 12);
    let each_says = |text: &str| {
        each.iter()
            .find(|(_, res)| res.iter().any(|re| re.is_match(text)))
            .map(|(kind, _)| *kind)
    };
    // The patterns' own words, and a few others.
    let mut vocab: Vec<String> = pattern_sources()
        .iter()
        .flat_map(|(_, ps)| ps.iter())
        .flat_map(|p| p.split(|c: char| !c.is_ascii_lowercase()))
        .filter(|w| w.len() > 1 || *w == "i" || *w == "a")
        .map(str::to_string)
        .collect();
    vocab.sort();
    vocab.dedup();
    vocab.extend(["so", "much", "card", "_url_", "12", "okthanks", "goodnight"].map(String::from));
    let mut rng = crate::testing::XorShift(0x2545_F491_4F6C_DD1D);
    let mut next = || rng.next();
    let mut found = 0;
    for _ in 0..100_000 {
        let n = next() % 6;
        let text = (0..n)
            .map(|_| vocab[(next() % vocab.len() as u64) as usize].as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let want = pleasantry_in(&PATTERNS, &text);
        assert_eq!(pleasantry_in(plain, &text), want, "{text:?}");
        assert_eq!(each_says(&text), want, "{text:?}");
        let upper = text.to_uppercase();
        assert_eq!(
            each_says(&upper),
            pleasantry_in(&PATTERNS, &upper),
            "{upper:?}"
        );
        found += usize::from(want.is_some());
    }
    assert!(found > 1000, "{found}");
    assert_eq!(unescaped(r"a\S\\B").collect::<Vec<_>>(), b"aB");
}

#[test]
fn only_the_listed_emoji_say_thanks() {
    for text in ["👍", "🙏🏽", "❤️", "👍 👍", "😊", "☺️", "🙂"] {
        assert!(is_thanks_emoji(text), "{text}");
    }
    for text in ["😀", "😀😀😀", "😃", "😄", "😂", "😢", "👍😡", "👍 ok", ""]
    {
        assert!(!is_thanks_emoji(text), "{text}");
    }
}

#[test]
fn requests_for_a_person_are_recognised() {
    assert!(asks_for_person("I want to talk to a human"));
    assert!(asks_for_person("can I speak to someone please"));
    assert!(asks_for_person("real person please"));
    assert!(asks_for_person("Agent!"));
    assert!(asks_for_person("customer service please"));
    // Questions that name customer service are questions.
    assert!(!asks_for_person(
        "how do i contact customer support about a transfer"
    ));
    assert!(!asks_for_person("can my son join the beginners class"));
    assert!(!asks_for_person(
        "do you have a human resources department in the building or only the shop floor staff"
    ));
}

/// `may_greet` is true wherever the greeting regex matches.
#[test]
fn may_greet_wherever_the_regex_matches() {
    let pieces = [
        "hi",
        "Hello",
        "HEY",
        "hiya",
        "heYa",
        "howdy",
        "hallo",
        "greetings",
        "greetingſ",
        "GOOD",
        "good",
        "morning",
        "day",
        "there",
        "bot",
        " ",
        "  ",
        "\t",
        "\u{a0}",
        "\u{2003}",
        ",",
        "!",
        ".",
        ":",
        ";",
        "-",
        "'",
        "é",
        "1",
        "x",
        "h",
        "i",
        "ſ",
        "K",
        "_",
        "\u{301}",
        "how",
        "do",
        "i",
        "reset",
        "my",
        "pin",
        "?",
        "😀",
    ];
    let mut rng = crate::testing::XorShift(0x9e37_79b9_7f4a_7c15);
    let mut matched = 0;
    for _ in 0..100_000 {
        let n = rng.next() % 7;
        let text: String = (0..n)
            .map(|_| pieces[(rng.next() % pieces.len() as u64) as usize])
            .collect();
        let m = GREETING_PREFIX.is_match(&text);
        assert!(may_greet(&text) || !m, "{text:?}");
        matched += usize::from(m);
    }
    assert!(matched > 1000, "{matched}");
    for text in [
        "how do i reset my pin",
        "history",
        "hi5 there",
        "",
        " ",
        "¡hola",
    ] {
        assert!(!may_greet(text), "{text:?}");
    }
}

#[test]
fn a_leading_greeting_is_cut_from_the_question() {
    assert_eq!(
        after_greeting("hi there, do you have parking?"),
        Some("do you have parking?")
    );
    assert_eq!(
        after_greeting("Hey is there parking"),
        Some("is there parking")
    );
    assert_eq!(
        after_greeting("Good morning! Can my son join?"),
        Some("Can my son join?")
    );
    assert_eq!(after_greeting("hello!"), None);
    assert_eq!(after_greeting("Hi there"), None);
    assert_eq!(after_greeting("hey tehre"), None);
    assert_eq!(after_greeting("hello everyone"), None);
    assert_eq!(after_greeting("hi there :)"), None);
    assert_eq!(after_greeting("hi-fi speakers in the car"), None);
    assert_eq!(after_greeting("history of payments"), None);
    assert_eq!(after_greeting("how do i say good morning in italian"), None);
}

#[test]
fn requests_for_contact_details_are_recognised() {
    let asks = |t: &str| asks_for_contact_folded(t, &crate::normalize::fold_text(t));
    for text in [
        "whats the phone number",
        "What's your phone number?",
        "phone number?",
        "contact details please",
        "email address?",
        "what is your e-mail",
        "how can I contact you",
        "how do i get in touch with you",
        "how can i get in touch",
        "hi, where do we get in touch?",
        "where can we reach someone",
        "can i ring you",
        "could I call you tomorrow about it",
        "do you have a whatsapp number",
        "shop's number pls",
    ] {
        assert!(asks(text), "{text:?}");
    }
    for text in [
        "my phone number has changed",
        "what's your address",
        "can you call me back",
        "how do i get in touch with my insurance company",
        "how many people can come",
        "is there a number 5 bus to you",
        "do i need my membership number",
        "what is your no show policy",
        "what time do you open on saturdays",
        "can i pay by phone and then collect the flowers on the way home from work",
    ] {
        assert!(!asks(text), "{text:?}");
    }
}
