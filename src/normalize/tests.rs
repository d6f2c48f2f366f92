use super::*;

#[test]
fn folds_curly_apostrophes_and_contractions() {
    assert_eq!(fold_text("I CAN\u{2019}T log in"), "i can not log in");
    assert_eq!(fold_text("cant"), "can not");
    assert_eq!(fold_text("Cannot"), "can not");
    assert_eq!(fold_text("my MINI's app"), "my mini app");
}

#[test]
fn folds_accents_invisibles_and_punctuation() {
    assert_eq!(fold_text("Caf\u{e9}\u{200b}  cr\u{e8}me!!"), "cafe creme");
    assert_eq!(fold_text("a\u{a0}b"), "a b");
    assert_eq!(fold_text("Stra\u{df}e"), "strasse");
    assert_eq!(fold_text("\u{ff21}pp"), "app");
    assert_eq!(fold_text("e-mail, plug-in"), "email plug in");
}

#[test]
fn stems_and_classifies_stop_words() {
    let n = Normalizer::new("english", &[vec!["phone".into(), "smartphone".into()]]);
    let t = n.tokens("How do I charge my smartphone?");
    let terms: Vec<_> = t.iter().map(|t| t.term.as_str()).collect();
    assert_eq!(terms, ["how", "do", "i", "charg", "my", "phone"]);
    assert!(t[0].stop && !t[3].stop && !t[5].stop);
}

#[test]
fn a_content_word_is_never_read_as_a_modal_by_its_stem() {
    let n = Normalizer::new("english", &[]);
    let t = n.tokens("can I ship gas cans I owned");
    // "owned" is read as "own", a stop word: only modals never inflect.
    let terms: Vec<_> = t.iter().map(|t| (t.term.as_str(), t.stop)).collect();
    assert_eq!(
        terms,
        [
            ("can", true),
            ("i", true),
            ("ship", false),
            ("gas", false),
            ("cans", false),
            ("i", true),
            ("own", false)
        ]
    );
    // Other content words are stemmed as before.
    assert_eq!(n.tokens("charging")[0].term, "charg");
}

#[test]
fn a_stop_word_is_no_inflected_form_of_a_synonym() {
    let greeting = vec!["hello".to_string(), "hi".into(), "hey".into()];
    let n = Normalizer::new("english", &[greeting]);
    // "his" is an inflected form of "hi" to WordNet (the plural).
    let t = n.tokens("unlock his car, hi");
    let words: Vec<_> = t
        .iter()
        .map(|t| (t.word.as_str(), t.term.as_str()))
        .collect();
    assert_eq!(
        words,
        [
            ("unlock", "unlock"),
            ("his", "his"),
            ("car", "car"),
            ("hi", "hello")
        ]
    );
    assert!(t[1].stop);
    assert_eq!(n.synonym("his"), None);
    assert_eq!(n.synonym("hi"), Some("hello"));
    // A group that lists a stop word itself still maps it.
    let n = Normalizer::new("english", &[vec!["we".into(), "us".into()]]);
    assert!(n.tokens("us")[0].stop);
    assert_eq!(n.synonym("us"), Some("we"));
}

/// Steps 0 to 3 the general way (no ASCII shortcut in any step, every
/// typed-token pattern run, caps applied word by word).
fn fold_general(text: &str) -> String {
    let clean = sanitize::clean(text, MAX_RAW_CHARS);
    let folded = unicode::fold(&clean, MAX_FOLDED_CHARS + MAX_WORD_CHARS);
    cap_words(&contractions::expand_chars(&elongated::squash(
        &typed::mark_all(&folded),
    )))
}

#[test]
fn the_ascii_shortcut_folds_as_the_general_steps() {
    // Every ASCII character, in pseudo-random strings of every length
    // up to past the caps, and a few written ones.
    let mut rng = crate::testing::XorShift(0x9E37_79B9_7F4A_7C15);
    let mut next = || rng.next();
    let mut inputs: Vec<String> = [
        "How do I Reset my PIN?",
        "  tabs\tand\r\nnew\x0blines\x0c  ",
        "ctrl\x00\x07\x1f\x7fchars",
        "mail JO@Example.org or call +49 170 1234567 re: order #4821",
        "I can't, won't, DON'T",
        "",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for len in (0..40).chain([687, 688, 689, 700, 1999, 2000, 2001, 3000]) {
        for _ in 0..20 {
            let s: String = (0..len)
                .map(|_| {
                    let r = next();
                    // Mostly letters and spaces, some of everything else.
                    match r % 8 {
                        0 => char::from((r >> 8) as u8 & 0x7f),
                        1 => ' ',
                        _ => char::from(b'a' + ((r >> 8) % 26) as u8),
                    }
                })
                .filter(|&c| c != '\u{1b}')
                .collect();
            inputs.push(s);
        }
    }
    for s in &inputs {
        assert!(s.is_ascii());
        assert_eq!(fold_text(s), fold_general(s), "{s:?}");
    }
    // With an escape sequence, the general steps run.
    assert_eq!(fold_text("\u{1b}[31mRed\u{1b}[0m x"), "red x");
}

#[test]
fn the_shortcuts_fold_as_the_general_steps_on_word_pieces() {
    // Pieces that the shortcuts of each step look for (URL and domain
    // shapes, sentence dots, joining hyphens, apostrophes, typed-token
    // characters, long words, many words), in pseudo-random strings.
    let long = "x".repeat(MAX_WORD_CHARS);
    let pieces = [
        "www.",
        "http://",
        "://",
        ".com",
        ".org",
        ". ",
        ".x",
        ".",
        "e-",
        "-",
        "a-b",
        "'",
        "'s",
        "n't",
        "_",
        "@",
        "1",
        "12345",
        " ",
        "  ",
        "pin",
        "a",
        "mini",
        "cant",
        "i'm",
        "o'",
        "?",
        "!",
        &long,
        "y",
        "\u{e9}t\u{e9}",
        "\u{df}",
    ];
    let mut rng = crate::testing::XorShift(0x2545_F491_4F6C_DD1D);
    let mut next = || rng.next();
    for _ in 0..20_000 {
        let n = match next() % 10 {
            0 => 60 + next() % 80,
            _ => next() % 12,
        };
        let s: String = (0..n)
            .map(|_| pieces[(next() % pieces.len() as u64) as usize])
            .collect();
        assert_eq!(fold_text(&s), fold_general(&s), "{s:?}");
    }
}

#[test]
fn hostile_input_is_harmless() {
    assert_eq!(fold_text(""), "");
    assert_eq!(fold_text("\u{1b}[31mred\u{7}"), "red");
    assert_eq!(fold_text("reset\tpass\u{2028}word"), "reset pass word");
    assert_eq!(fold_text("\u{fffd}\u{0}"), "");
    assert_eq!(fold_text("🚗🚗"), "");
}

#[test]
fn folded_text_is_capped_whatever_the_characters() {
    let inputs = [
        "\u{fdfa}".repeat(1000),
        "\u{0627}\u{0644}\u{0633}".repeat(22_000),
        "\u{d55c}\u{ae00} ".repeat(22_000),
        "x".repeat(256 * 1024),
        "ab ".repeat(100_000),
    ];
    for input in &inputs {
        let f = fold_text(input);
        assert!(f.chars().count() <= MAX_FOLDED_CHARS);
        assert!(f.split(' ').count() <= MAX_WORDS);
        assert!(f.split(' ').all(|w| w.chars().count() <= MAX_WORD_CHARS));
    }
}

#[test]
fn typed_words_are_not_tokens() {
    let n = Normalizer::new("english", &[]);
    let words: Vec<_> = n
        .tokens("change my email to jo@example.org")
        .into_iter()
        .map(|t| t.word)
        .collect();
    assert_eq!(words, ["change", "my", "email", "to"]);
}
