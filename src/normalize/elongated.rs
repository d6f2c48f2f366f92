//! Step 2b (after typed tokens): stretched words.
//!
//! Customers stretch words in chat: "sloooow", "pleeease", "helloooo",
//! "sooo". No English word has a letter three times in a row, so such a
//! word is unknown to every knowledge base and to the bundled lexicon,
//! and counts against the message as a name of another product would
//! (trial 56: "old laptop so sloooow help" was answered with the
//! recycling row, the alternate "My computer is really slow" out of
//! reach). A word with a run of three or more of one ASCII letter that
//! the lexicon does not list is replaced by the most frequent of its
//! squashed forms that is everyday English: each such run made two
//! letters or one, every mix of the runs ("sloooow" → "slow", "goood" →
//! "good" rather than "god", "sooo" → "so"). A word none of whose squashed
//! forms is everyday English ("zzzz", "Schifffahrt") stays as typed.
//!
//! Cost: one pass over the bytes for a run of three; nearly every message
//! has none and is returned as it is.

use std::borrow::Cow;

/// Most runs of three or more letters of one word that are squashed (each
/// run gives two forms, so a word tries at most 2^this forms).
const MAX_RUNS: usize = 3;

/// `text` (Unicode-folded: lower case) with its stretched words squashed
/// (module doc). A word is what stands between ASCII characters that are
/// neither letters nor digits (spaces and punctuation: "sloooow!!" and
/// "pleeease," are stretched words, "héllooo" is not one: its letters are
/// not all ASCII); everything else is kept as it is.
pub fn squash(text: &str) -> Cow<'_, str> {
    if !has_run_of_three(text.as_bytes()) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest
            .find(|c: char| c.is_ascii() && !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let (word, after) = rest.split_at(end);
        match squash_word(word) {
            Some(w) => out.push_str(&w),
            None => out.push_str(word),
        }
        // The separator (one ASCII character), then the next word.
        let mut chars = after.chars();
        if let Some(c) = chars.next() {
            out.push(c);
        }
        rest = chars.as_str();
    }
    Cow::Owned(out)
}

/// Whether `b` has one ASCII letter three times in a row: eight bytes at
/// a time, the six runs of three that start in the first six of them
/// tested for three equal bytes at once (whether a byte of the bytes'
/// differences is zero, `haszero` of "Bit Twiddling Hacks", exact as a
/// yes or no), and only eight bytes that have such a run read one run at
/// a time ([`letter_runs`]); every message was read a run at a time.
fn has_run_of_three(b: &[u8]) -> bool {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES * 0x80;
    // The differences' bytes 6 and 7 read past the eight: never zero.
    const PAST: u64 = 0xffff << 48;
    let mut i = 0;
    while i + 8 <= b.len() {
        let eight = &b[i..i + 8];
        let x = u64::from_le_bytes(eight.try_into().expect("8 bytes"));
        // Byte k of `d`: b[k] ^ b[k + 1]; of `z`: zero when b[k], b[k + 1]
        // and b[k + 2] are equal (k < 6).
        let d = x ^ (x >> 8);
        let z = d | (d >> 8) | PAST;
        if z.wrapping_sub(ONES) & !z & HIGH != 0 && letter_runs(eight) {
            return true;
        }
        i += 6;
    }
    letter_runs(&b[i..])
}

/// [`has_run_of_three`] a run at a time.
fn letter_runs(b: &[u8]) -> bool {
    b.windows(3)
        .any(|w| w[0] == w[1] && w[1] == w[2] && w[0].is_ascii_alphabetic())
}

/// The squashed form of `word` (module doc), when it is stretched and not
/// listed itself; `None` otherwise.
fn squash_word(word: &str) -> Option<String> {
    let b = word.as_bytes();
    if !has_run_of_three(b) || !b.iter().all(u8::is_ascii_alphabetic) {
        return None;
    }
    let lexicon = crate::lexicon::english();
    if lexicon.info(word).is_some() {
        return None;
    }
    // The runs of three or more: (start, letter), in order.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let mut j = i;
        while j < b.len() && b[j] == b[i] {
            j += 1;
        }
        if j - i >= 3 {
            runs.push((i, j));
        }
        i = j;
    }
    runs.truncate(MAX_RUNS);
    // Each run made two letters or one (bit k of `mask` set: run k made
    // one); of the forms that are everyday English, the most frequent.
    (0..1usize << runs.len())
        .filter_map(|mask| {
            let mut form = String::with_capacity(word.len());
            let mut at = 0;
            for (k, &(start, end)) in runs.iter().enumerate() {
                form.push_str(&word[at..start]);
                let keep = if mask >> k & 1 == 1 { 1 } else { 2 };
                form.push_str(&word[start..start + keep]);
                at = end;
            }
            form.push_str(&word[at..]);
            let info = lexicon.info(&form).filter(|i| i.everyday)?;
            Some((info.rank, form))
        })
        .min()
        .map(|(_, form)| form)
}

#[cfg(test)]
mod tests {
    use super::squash;

    /// Eight bytes at a time, `has_run_of_three` says what reading a run
    /// at a time says, on generated byte strings of every length up to 40
    /// (repeated letters, digits, zero bytes, spaces and UTF-8 of `é`).
    #[test]
    fn runs_eight_bytes_at_a_time_are_runs_one_at_a_time() {
        let pieces: [&[u8]; 10] = [
            b"a",
            b"aa",
            b"Z",
            b"ZZ",
            b"0",
            b"00",
            b"\0",
            b" ",
            "\u{e9}".as_bytes(),
            b"b",
        ];
        let mut rng = crate::testing::XorShift(0x853C_49E6_748F_EA9B);
        for len in 0..=40 {
            for _ in 0..500 {
                let mut s: Vec<u8> = Vec::new();
                while s.len() < len {
                    s.extend_from_slice(pieces[(rng.next() % pieces.len() as u64) as usize]);
                }
                s.truncate(len);
                assert_eq!(super::has_run_of_three(&s), super::letter_runs(&s), "{s:?}");
            }
        }
    }

    #[test]
    fn stretched_words_are_squashed_to_a_listed_word() {
        assert_eq!(
            squash("old laptop so sloooow help"),
            "old laptop so slow help"
        );
        assert_eq!(squash("helloooo"), "hello");
        assert_eq!(squash("pleeeease help"), "please help");
        assert_eq!(squash("yessss"), "yes");
        assert_eq!(squash("sooo good"), "so good");
        assert_eq!(squash("noooo waaay"), "no way");
        assert_eq!(squash("goood"), "good");
        assert_eq!(squash("sloooow!! help,pleeease"), "slow!! help,please");
    }

    #[test]
    fn other_words_stay_as_typed() {
        for text in [
            "my computer is slow",
            "zzzz",
            "qqqq",
            "schifffahrt",
            "h\u{e9}llooo",
            "a1ooo",
            "www example",
            "3000 miles",
            "",
        ] {
            assert_eq!(squash(text), text);
        }
        assert!(matches!(
            squash("a normal question"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
