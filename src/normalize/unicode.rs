//! Step 1: Unicode folding.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// NFKC, then: format characters (general category Cf: zero-width
/// characters, bidi controls, the soft hyphen, tags; here also those of
/// emoji sequences, which [`super::sanitize::clean`] keeps) removed,
/// control characters and every kind of space to `' '`, curly quotes to
/// `'` and `"`, dashes to `-`, accents stripped from Latin, Greek and
/// Cyrillic letters (NFD without combining marks; the letters of other
/// scripts kept whole: Japanese `グ` stays `グ`), `ß` → `ss`, lower case.
///
/// Stops after `max_chars` characters of NFKC output (NFKC can
/// expand one character into 18, e.g. U+FDFA), so the cost is bounded by
/// the cap, not by what the input expands to.
///
/// ASCII input takes a fast path (lower-casing and control removal only).
pub fn fold(text: &str, max_chars: usize) -> String {
    if text.is_ascii() {
        return text
            .chars()
            .take(max_chars)
            .map(|c| {
                if c.is_ascii_control() {
                    ' '
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect();
    }
    let mut out = String::with_capacity(text.len().min(max_chars * 4));
    for c in text.nfkc().take(max_chars) {
        match c {
            c if super::sanitize::is_format(c) => {}
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '\u{02bc}' | '`'
            | '\u{b4}' => out.push('\''),
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{ab}'
            | '\u{bb}' => out.push('"'),
            '\u{2010}'..='\u{2015}' | '\u{2212}' => out.push('-'),
            'ß' | 'ẞ' => out.push_str("ss"),
            c if c.is_control() || c.is_whitespace() => out.push(' '),
            // Hangul syllables have no accents to strip; NFD would split
            // them into jamo (three times the characters, and no longer
            // the syllables people type).
            '\u{ac00}'..='\u{d7a3}' => out.push(c),
            // Marks are accents only on Latin, Greek and Cyrillic letters;
            // elsewhere they are part of the letter (Japanese voicing marks:
            // グ is not ク; Devanagari vowel signs), so the letter is kept whole.
            c if !accented_script(c) => out.extend(c.to_lowercase()),
            c => {
                for d in c.to_lowercase().nfd() {
                    if !is_combining_mark(d) {
                        out.push(d);
                    }
                }
            }
        }
    }
    out
}

/// Whether `c` belongs to a script whose combining marks are accents that
/// people often leave out (Latin, Greek, Cyrillic, and the combining marks
/// themselves): U+0000–U+052F and U+1D00–U+1FFF.
fn accented_script(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{52f}' | '\u{1d00}'..='\u{1fff}')
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn accents_go_from_latin_greek_and_cyrillic_letters_only() {
        assert_eq!(fold("Café Ñandú", 100), "cafe nandu");
        assert_eq!(fold("Πώς", 100), "πως");
        assert_eq!(fold("Йод", 100), "иод");
        // Japanese voicing marks and Devanagari vowel signs are part of
        // the letter (a salon author's trial: グ came out as ク).
        assert_eq!(fold("トリミング", 100), "トリミング");
        assert_eq!(fold("ですか", 100), "ですか");
        assert_eq!(fold("नमस्ते", 100), "नमस्ते");
    }
}
