use super::*;

fn file(words: &[&str], flags: &[u8], dims: u32, vectors: &[i8]) -> &'static [u8] {
    file_with_bases(words, flags, &[], dims, vectors)
}

fn file_with_bases(
    words: &[&str],
    flags: &[u8],
    bases: &[(u32, u32)],
    dims: u32,
    vectors: &[i8],
) -> &'static [u8] {
    let block = words.join("\n");
    let mut b = MAGIC.to_vec();
    let n_vec = (vectors.len() as u32).checked_div(dims).unwrap_or(0);
    for x in [words.len() as u32, n_vec, dims, block.len() as u32] {
        b.extend_from_slice(&x.to_le_bytes());
    }
    b.extend_from_slice(block.as_bytes());
    b.extend_from_slice(flags);
    b.extend_from_slice(&(bases.len() as u32).to_le_bytes());
    for (w, base) in bases {
        b.extend_from_slice(&w.to_le_bytes());
        b.extend_from_slice(&base.to_le_bytes());
    }
    b.extend(vectors.iter().map(|&v| v as u8));
    Box::leak(b.into_boxed_slice())
}

#[test]
fn parses_a_small_file() {
    let lex = Lexicon::from_bytes(file(
        &["the", "car", "bmw"],
        &[EVERYDAY, EVERYDAY | LEMMA | TAGGED, 0],
        2,
        &[1, 0, 3, 4],
    ))
    .unwrap();
    assert_eq!(lex.len(), 3);
    assert_eq!(lex.vector_count(), 2);
    assert_eq!(lex.rank("car"), Some(2));
    assert_eq!(lex.word(2), Some("car"));
    assert_eq!(lex.word(0), None);
    assert_eq!(lex.word(4), None);
    assert!(lex.is_everyday("the") && !lex.is_everyday("bmw") && !lex.is_everyday("xyz"));
    let car = lex.info("car").unwrap();
    assert!(car.everyday && car.lemma && car.tagged);
    assert!(lex.has_vector("car") && !lex.has_vector("bmw"));
    let s = lex.similarity("the", "car").unwrap();
    assert!((s - 0.6).abs() < 1e-6, "{s}");
    assert_eq!(lex.similarity("the", "bmw"), None);
}

#[test]
fn finds_base_forms() {
    let lex = Lexicon::from_bytes(file_with_bases(
        &["go", "went", "rides", "ride", "rid"],
        &[1; 5],
        &[(1, 0), (2, 3), (2, 4)],
        0,
        &[],
    ))
    .unwrap();
    let bases = |w: &str| lex.base_forms(w).collect::<Vec<_>>();
    assert_eq!(bases("went"), ["go"]);
    assert_eq!(bases("rides"), ["ride", "rid"]);
    assert!(bases("go").is_empty() && bases("ride").is_empty() && bases("nope").is_empty());
    // A base index out of range ends the list instead of panicking.
    let bad =
        Lexicon::from_bytes(file_with_bases(&["a", "b"], &[1, 1], &[(0, 9)], 0, &[])).unwrap();
    assert_eq!(bad.base_forms("a").count(), 0);
}

#[test]
fn rejects_damaged_files_without_panicking() {
    let good = file(&["a", "b"], &[1, 0], 1, &[5, -5]);
    assert_eq!(
        Lexicon::from_bytes(b"nonsense").unwrap_err(),
        LexiconError::BadMagic
    );
    for cut in 0..good.len() {
        assert!(Lexicon::from_bytes(&good[..cut]).is_err(), "cut at {cut}");
    }
    let mut long = good.to_vec();
    long.push(0);
    assert!(Lexicon::from_bytes(Box::leak(long.into_boxed_slice())).is_err());
    // Sizes that overflow or disagree with the word block.
    let mut huge = good.to_vec();
    huge[12..16].copy_from_slice(&u32::MAX.to_le_bytes());
    huge[16..20].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(Lexicon::from_bytes(Box::leak(huge.into_boxed_slice())).is_err());
    let mut count = good.to_vec();
    count[8..12].copy_from_slice(&3u32.to_le_bytes());
    assert!(Lexicon::from_bytes(Box::leak(count.into_boxed_slice())).is_err());
}

#[test]
fn the_bundled_lexicon_loads() {
    let lex = Lexicon::from_bytes(ENGLISH_BYTES).expect("bundled lexicon");
    assert!(lex.len() >= 80_000, "{}", lex.len());
    assert_eq!(lex.vector_count(), 0);
    assert_eq!(lex.word(1), Some("the"));
    assert_eq!(english().len(), lex.len());
}

#[test]
fn the_build_time_index_is_the_one_computed_at_run_time() {
    let built = english();
    let parsed = Lexicon::from_bytes(ENGLISH_BYTES).expect("bundled lexicon");
    assert!(
        matches!(built.index, Cow::Borrowed(_)),
        "the build-time index is used"
    );
    assert_eq!(built.index.as_ref(), parsed.index.as_ref());
    assert_eq!((built.slots, built.n_words), (parsed.slots, parsed.n_words));
    // Every word is found at its first position, as a map from word to
    // first position says; words not listed are not found.
    let mut first: std::collections::HashMap<&str, usize> = Default::default();
    for (i, w) in built.block.split('\n').enumerate() {
        first.entry(w).or_insert(i);
    }
    assert_eq!(
        first.len(),
        built.len(),
        "the bundled lexicon lists each word once"
    );
    for (w, &i) in &first {
        assert_eq!(built.position(w), Some(i), "{w}");
        assert_eq!(built.word_at(i), Some(*w));
    }
    for w in ["", "qqqzx", "thez", "the ", "The", "netflixx"] {
        assert_eq!(built.position(w), None, "{w:?}");
    }
}

#[test]
fn a_repeated_word_keeps_its_first_rank_and_an_empty_file_finds_nothing() {
    let lex = Lexicon::from_bytes(file(&["a", "b", "a"], &[1, 0, 0], 0, &[])).unwrap();
    assert_eq!(lex.rank("a"), Some(1));
    assert!(lex.is_everyday("a"));
    assert_eq!(lex.word(3), Some("a"));
    let empty = Lexicon::from_bytes(file(&[], &[], 0, &[])).unwrap();
    assert!(empty.is_empty() && empty.rank("a").is_none() && empty.word(1).is_none());
    assert!(Lexicon::default().rank("a").is_none());
    // An index of the wrong size is not used: no word is found, no panic.
    let wrong = Lexicon::with_index(
        file(&["a", "b"], &[1, 1], 0, &[]),
        Cow::Borrowed(&[1, 2, 3]),
    )
    .unwrap();
    assert!(wrong.rank("a").is_none() && wrong.word(1).is_none());
}

#[test]
fn the_bundled_lexicon_tells_everyday_words_from_names() {
    let lex = english();
    for w in [
        "lately",
        "blanked",
        "journeys",
        "the",
        "saturday",
        "saturdays",
        "germans",
    ] {
        assert!(lex.is_everyday(w), "{w} is everyday English");
    }
    // Plurals of the hand-listed words count, but not of short
    // closed-class ones ("us" → "uss").
    for w in ["netflix", "bmw", "uss", "asdfgh"] {
        assert!(!lex.is_everyday(w), "{w} is not everyday English");
    }
}
