use super::*;

/// `has_digit` says what reading every char with `ascii_digit` says.
/// `typed_number` reads what `parse_choice` and `long_number` read.
#[test]
fn typed_number_is_choice_or_long_number() {
    let pieces = [
        "1", "2", "9", "0", "１", "٢", "۵", " ", "#", ".", "option ", "please", "two", "a",
        "12345", "67", ",", ")", "no. ", "i want ",
    ];
    let mut rng = crate::testing::XorShift(0x2545_f491_4f6c_dd1d);
    let (mut choices, mut long) = (0, 0);
    for _ in 0..30_000 {
        let n = rng.next() % 6;
        let s: String = (0..n)
            .map(|_| pieces[(rng.next() % pieces.len() as u64) as usize])
            .collect();
        let want = parse_choice(&s)
            .map(Ok)
            .or_else(|| long_number(&s).map(Err));
        assert_eq!(typed_number(&s), want, "{s:?}");
        choices += usize::from(matches!(want, Some(Ok(_))));
        long += usize::from(matches!(want, Some(Err(_))));
    }
    assert!(choices > 1000 && long > 100, "{choices} {long}");
}

#[test]
fn has_digit_is_any_digit() {
    let pieces = [
        "a", " ", "0", "9", "/", ":", "é", "٣", "۵", "１", "½", "#", "\u{0}", "x",
    ];
    let mut rng = crate::testing::XorShift(0x2545_f491_4f6c_dd1d);
    for len in 0..=70 {
        for _ in 0..200 {
            let s: String = (0..len)
                .map(|_| {
                    let k = rng.next() % (pieces.len() as u64 * 4);
                    // Mostly letters, so that digits are rare.
                    pieces.get(k as usize).copied().unwrap_or("b")
                })
                .collect();
            let want = s.chars().any(|c| ascii_digit(c).is_some());
            assert_eq!(has_digit(&s), want, "{s:?}");
        }
    }
}

#[test]
fn parses_ordinals_among_the_offered() {
    let norm = Normalizer::new("english", &[]);
    let ordinal = |text: &str, offered| parse_ordinal(&short_folded(&norm, text)?, offered);
    assert_eq!(ordinal("the first one", 3), Some(1));
    assert_eq!(ordinal("Second!", 3), Some(2));
    assert_eq!(ordinal("3rd please", 3), Some(3));
    assert_eq!(ordinal("the last one", 3), Some(3));
    assert_eq!(ordinal("I meant the second one", 2), Some(2));
    assert_eq!(ordinal("the fourth one", 3), None);
    assert_eq!(ordinal("the last one", 0), None);
    assert_eq!(ordinal("the first time I opened the app", 3), None);
}

#[test]
fn offered_choices_keep_their_numbers_when_an_intent_is_gone() {
    let ron = r#"[
        (id: "a", title: "A?", examples: ["a"], answer: "A."),
        (id: "b", title: "B?", examples: ["b"], answer: "B."),
    ]"#;
    let kb = KnowledgeBase::from_sources(vec![("t.ron".into(), ron.to_string())]).unwrap();
    let session = Session {
        offered: vec!["gone".into(), "b".into(), "b".into()],
        ..Session::new()
    };
    assert_eq!(offered_numbered(&kb, &session), [None, Some(1), Some(1)]);
    assert_eq!(offered(&kb, &session), [1]);
    // A hostile session: only the first MAX_OFFERED are read.
    let session = Session {
        offered: vec!["a".into(); 200_000],
        ..Session::new()
    };
    assert_eq!(offered_numbered(&kb, &session).len(), MAX_OFFERED);
}

#[test]
fn parses_choices() {
    assert_eq!(parse_choice("2"), Some(2));
    assert_eq!(parse_choice(" #3 "), Some(3));
    assert_eq!(parse_choice("option 1"), Some(1));
    assert_eq!(parse_choice("1."), Some(1));
    assert_eq!(parse_choice("12345678"), None);
    assert_eq!(long_number("12345678").as_deref(), Some("12345678"));
    assert_eq!(long_number("#4294967296.").as_deref(), Some("4294967296"));
    assert_eq!(long_number("123456"), None);
    assert_eq!(parse_choice("1 2"), None);
    assert_eq!(parse_choice("two"), None);
}

#[test]
fn parses_choices_with_politeness_and_other_digits() {
    for (text, n) in [
        ("3 please", 3),
        ("3 pls", 3),
        ("3, thanks!", 3),
        ("Number 3 please", 3),
        ("option 4 plz", 4),
        ("please 1", 1),
        ("I want 2", 2),
        ("I'll take #2", 2),
        ("choice 5", 5),
        ("\u{ff13}", 3),
        ("\u{ff03}\u{ff12}", 2),
        ("\u{0663}", 3),
        ("\u{06f2}", 2),
    ] {
        assert_eq!(parse_choice(text), Some(n), "{text:?}");
    }
    for text in [
        "3 dogs please",
        "please help 3",
        "2 or 3",
        "please",
        "thanks 2 you",
    ] {
        assert_eq!(parse_choice(text), None, "{text:?}");
    }
    assert_eq!(long_number("12345678 please").as_deref(), Some("12345678"));
}

#[test]
fn parses_number_words() {
    for (text, n) in [
        ("one", 1),
        ("Two!", 2),
        ("two please", 2),
        ("option three", 3),
        ("number four pls", 4),
        ("I meant five", 5),
        ("twenty", 20),
        ("zwei bitte", 2),
        ("Deux, s'il vous plaît", 2),
        ("tres por favor", 3),
        ("Três", 3),
        ("fünf", 5),
    ] {
        assert_eq!(parse_number_word(text), Some(n), "{text:?}");
    }
    for text in [
        "one more question",
        "the one about the pin",
        "someone",
        "twenty one",
        "none",
        "um",
        "zwei mal",
    ] {
        assert_eq!(parse_number_word(text), None, "{text:?}");
    }
}

#[test]
fn reads_none_of_these_and_both() {
    let norm = Normalizer::new("english", &[]);
    let about = |text: &str| about_all(&short_folded(&norm, text)?);
    assert_eq!(about("None of these."), Some(AboutAll::None));
    assert_eq!(about("neither"), Some(AboutAll::None));
    assert_eq!(about("none of them thanks"), Some(AboutAll::None));
    assert_eq!(about("Both!"), Some(AboutAll::NotOne));
    assert_eq!(about("the other one please"), Some(AboutAll::NotOne));
    assert_eq!(about("both of my cars"), None);
    assert_eq!(about("one"), None);
}

#[test]
fn only_a_message_with_an_ordinal_word_is_folded_for_one() {
    for text in [
        "the first one",
        "Second please",
        "3rd",
        "the LAST one!",
        "i want the 2nd",
    ] {
        assert!(may_name_ordinal(text), "{text}");
        let folded = short_folded(&Normalizer::new("english", &[]), text).unwrap();
        assert!(parse_ordinal(&folded, MAX_OFFERED).is_some(), "{text}");
    }
    for text in [
        "firstly, how do I reset my pin",
        "how do i reset my pin",
        "lastly",
        "",
        &"first ".repeat(10),
    ] {
        assert!(!may_name_ordinal(text), "{text}");
    }
}
