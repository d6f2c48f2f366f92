//! Step 2: contractions and punctuation.

/// Whole-word contractions (apostrophe already folded to `'`), including
/// the apostrophe-less spellings people type ("cant", "dont").
const CONTRACTIONS: &[(&str, &str)] = &[
    ("can't", "can not"),
    ("cant", "can not"),
    ("cannot", "can not"),
    ("won't", "will not"),
    ("wont", "will not"),
    ("shan't", "shall not"),
    ("dont", "do not"),
    ("doesnt", "does not"),
    ("didnt", "did not"),
    ("isnt", "is not"),
    ("arent", "are not"),
    ("wasnt", "was not"),
    ("werent", "were not"),
    ("havent", "have not"),
    ("hasnt", "has not"),
    ("hadnt", "had not"),
    ("shouldnt", "should not"),
    ("wouldnt", "would not"),
    ("couldnt", "could not"),
    ("i'm", "i am"),
    ("im", "i am"),
    ("i've", "i have"),
    ("ive", "i have"),
    ("i'll", "i will"),
    ("i'd", "i would"),
    ("it's", "it is"),
    ("what's", "what is"),
    ("whats", "what is"),
    ("that's", "that is"),
    ("thats", "that is"),
    ("there's", "there is"),
    ("where's", "where is"),
    ("how's", "how is"),
    ("who's", "who is"),
    ("let's", "let us"),
];

/// The expansion of `w` (a word without an apostrophe) by [`CONTRACTIONS`]:
/// the table's apostrophe-less entries as one `match` (the compiler
/// dispatches on length and bytes instead of comparing every entry).
fn without_apostrophe(w: &str) -> Option<&'static str> {
    Some(match w {
        "cant" => "can not",
        "cannot" => "can not",
        "wont" => "will not",
        "dont" => "do not",
        "doesnt" => "does not",
        "didnt" => "did not",
        "isnt" => "is not",
        "arent" => "are not",
        "wasnt" => "was not",
        "werent" => "were not",
        "havent" => "have not",
        "hasnt" => "has not",
        "hadnt" => "had not",
        "shouldnt" => "should not",
        "wouldnt" => "would not",
        "couldnt" => "could not",
        "im" => "i am",
        "ive" => "i have",
        "whats" => "what is",
        "thats" => "that is",
        _ => return None,
    })
}

/// Expands contractions, drops possessive `'s`, and turns every character
/// that is not a letter, digit or `_` (only typed words have one by now,
/// see [`super::typed`]) into a word boundary. A hyphen after a
/// single letter joins (`e-mail` → `email`); other hyphens separate (also
/// after a digit: `1-to-1` → `1 to 1`).
/// Output words are separated by single spaces, with none at either end.
pub fn expand(text: &str) -> String {
    if text.is_ascii() {
        return expand_ascii(text);
    }
    expand_chars(text)
}

/// [`expand`] character by character (any text).
pub(super) fn expand_chars(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let joins = c == '\''
            || (c == '-'
                && word.chars().count() == 1
                && word.chars().all(char::is_alphabetic)
                && chars.peek().is_some_and(|n| n.is_alphanumeric()));
        if is_word_char(c) || c == '_' || (joins && !word.is_empty()) {
            if c != '-' {
                word.push(c);
            }
        } else {
            flush(&mut word, &mut out);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// [`expand`] for ASCII text: each word read in place as a slice of
/// `text`, with the rules of the general loop, for which every character
/// is one byte here. A word starts at a letter, digit or `_` and runs
/// over those and apostrophes; a hyphen joins only right after a word's
/// first character, a letter, and before a letter or digit (`e-mail`),
/// and the word is then copied without it.
fn expand_ascii(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        if !WORD_BYTE[usize::from(b[i])] {
            i += 1;
            continue;
        }
        let start = i;
        if b[i].is_ascii_alphabetic()
            && b.get(i + 1) == Some(&b'-')
            && b.get(i + 2).is_some_and(u8::is_ascii_alphanumeric)
        {
            let (end, _) = word_end(b, i + 2);
            let mut joined = String::with_capacity(end - i);
            joined.push(char::from(b[i]));
            joined.push_str(&text[i + 2..end]);
            push_word(&joined, &mut out);
            i = end;
            continue;
        }
        let (end, apostrophe) = word_end(b, i + 1);
        i = end;
        // A word without an apostrophe (nearly every word) goes straight
        // to the plain case of `push_word`, which is where `push_word`
        // would send it after looking for one.
        if apostrophe {
            push_word(&text[start..i], &mut out);
        } else {
            push_plain(&text[start..i], &mut out);
        }
    }
    out
}

/// Where the word whose rest starts at `i` ends: the first byte from `i`
/// that is no letter, digit, `_` or apostrophe; and whether the word has
/// an apostrophe (the run of letters, digits and `_` is read first, and
/// only a stop at an apostrophe reads on).
fn word_end(b: &[u8], mut i: usize) -> (usize, bool) {
    while i < b.len() && WORD_BYTE[usize::from(b[i])] {
        i += 1;
    }
    if i == b.len() || b[i] != b'\'' {
        return (i, false);
    }
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'\'') {
        i += 1;
    }
    (i, true)
}

/// Per byte: whether it is an ASCII letter, digit or `_`, the bytes a
/// word of [`expand_ascii`] is made of (one load per byte where the
/// ranges took three comparisons; the loops read every byte of a line).
const WORD_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_alphanumeric() || b as u8 == b'_';
        b += 1;
    }
    t
};

/// Hangul syllables, all letters (Unicode category Lo).
const HANGUL_SYLLABLES: std::ops::RangeInclusive<char> = '\u{ac00}'..='\u{d7a3}';
/// The Arabic letters U+0620 to U+064A (categories Lo and Lm).
const ARABIC_LETTERS: std::ops::RangeInclusive<char> = '\u{0620}'..='\u{064a}';

/// `c.is_alphanumeric()`, answered without the standard library's
/// slowest table search for ASCII, Hangul syllables and the Arabic
/// letters (a test checks both ranges against `is_alphanumeric`): 64 KiB of
/// Hangul cost twice as much in this function as in the rest of folding.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        HANGUL_SYLLABLES.contains(&c) || ARABIC_LETTERS.contains(&c) || c.is_alphanumeric()
    }
}

fn flush(word: &mut String, out: &mut String) {
    push_word(word, out);
    word.clear();
}

/// Chat spellings read as the word they stand for ("u" → "you"): words of
/// one or two letters that are no other English word in a support
/// question (a salon author's trial: "r u open sundays" fell back; trial
/// 69's "hw much is karting" fell to the row "Is karting safe?"). "r"
/// is read as "are" only before a pronoun (see [`push_word`]).
fn chat_spelling(w: &str) -> Option<&'static str> {
    Some(match w {
        "u" => "you",
        "ur" => "your",
        "plz" => "please",
        "wat" | "wot" => "what",
        "hw" => "how",
        "abt" => "about",
        "cuz" | "coz" => "because",
        _ => return None,
    })
}

/// Whether `out`'s last word is `word`.
fn ends_with_word(out: &str, word: &str) -> bool {
    out.strip_suffix(word)
        .is_some_and(|rest| rest.is_empty() || rest.ends_with(' '))
}

/// [`push_word`] for a word `w` without an apostrophe (nearly every
/// word): only the table and the chat spellings can apply, and the word
/// is pushed as it is, without a copy.
fn push_plain(w: &str, out: &mut String) {
    let e = without_apostrophe(w)
        .or_else(|| chat_spelling(w))
        .unwrap_or(w);
    // "r u open", "r we allowed": "r" is "are" before a pronoun only
    // (alone it is as often the letter or the R language).
    if matches!(e, "you" | "we" | "they" | "there") && ends_with_word(out, "r") {
        out.truncate(out.len() - 1);
        out.push_str("are");
    }
    if !e.is_empty() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(e);
    }
}

/// Appends the word `word` (letters, digits, `_` and apostrophes; may be
/// empty) to `out`, contractions expanded, separated by a space.
fn push_word(word: &str, out: &mut String) {
    if word.is_empty() {
        return;
    }
    let w = word.trim_end_matches('\'');
    if !w.contains('\'') {
        push_plain(w, out);
        return;
    }
    let expanded: std::borrow::Cow<str> =
        if let Some(&(_, e)) = CONTRACTIONS.iter().find(|(c, _)| *c == w) {
            e.into()
        } else if let Some(stem) = w.strip_suffix("n't") {
            match stem {
                "ca" => "can not".into(),
                "wo" => "will not".into(),
                s => format!("{s} not").into(),
            }
        } else if let Some(stem) = w.strip_suffix("'s") {
            stem.replace('\'', "").into()
        } else if let Some(stem) = w.strip_suffix("'re") {
            format!("{} are", stem.replace('\'', "")).into()
        } else if let Some(stem) = w.strip_suffix("'ve") {
            format!("{} have", stem.replace('\'', "")).into()
        } else if let Some(stem) = w.strip_suffix("'ll") {
            format!("{} will", stem.replace('\'', "")).into()
        } else {
            w.replace('\'', "").into()
        };
    if !expanded.is_empty() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&expanded);
    }
}

#[cfg(test)]
mod tests {
    use super::expand;

    #[test]
    fn the_match_is_the_table() {
        for &(c, e) in super::CONTRACTIONS {
            if !c.contains('\'') {
                assert_eq!(super::without_apostrophe(c), Some(e), "{c}");
            }
        }
        let listed = super::CONTRACTIONS
            .iter()
            .filter(|(c, _)| !c.contains('\''))
            .count();
        assert_eq!(listed, 20);
        assert_eq!(super::without_apostrophe("can"), None);
    }

    #[test]
    fn word_chars_are_the_alphanumeric_ones() {
        let ranges = [super::HANGUL_SYLLABLES, super::ARABIC_LETTERS];
        for c in ranges.into_iter().flatten() {
            assert!(c.is_alphanumeric(), "{c:?}");
        }
        for c in (0..0x3_0000).filter_map(char::from_u32) {
            assert_eq!(super::is_word_char(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn word_bytes_are_letters_digits_and_underscore() {
        for b in 0..=255u8 {
            let want = b.is_ascii_alphanumeric() || b == b'_';
            assert_eq!(super::WORD_BYTE[usize::from(b)], want, "{b}");
        }
    }

    #[test]
    fn chat_spellings_are_read_as_words() {
        assert_eq!(expand("r u open sundays"), "are you open sundays");
        assert_eq!(
            expand("can u tell me ur prices plz"),
            "can you tell me your prices please"
        );
        assert_eq!(expand("r we allowed"), "are we allowed");
        assert_eq!(expand("hw much is it"), "how much is it");
        assert_eq!(expand("wot abt sundays"), "what about sundays");
        // "r" alone is a letter or the R language.
        assert_eq!(expand("install r on ubuntu"), "install r on ubuntu");
        assert_eq!(expand("r"), "r");
        assert_eq!(expand("you"), "you");
    }

    #[test]
    fn expands() {
        assert_eq!(expand("i can't and won't"), "i can not and will not");
        assert_eq!(expand("doesn't isn't"), "does not is not");
        assert_eq!(expand("they're we've you'll"), "they are we have you will");
        assert_eq!(expand("'quoted' word"), "quoted word");
        assert_eq!(expand("a,b...c"), "a b c");
        // A hyphen after one letter joins; after a digit it separates.
        for text in ["e-mail 1-to-1 lessons", "é-mail 1-to-1 lessons"] {
            let want = format!("{}mail 1 to 1 lessons", &text[..text.len() - 20]);
            assert_eq!(expand(text), want);
            assert_eq!(super::expand_chars(text), want);
        }
    }
}
