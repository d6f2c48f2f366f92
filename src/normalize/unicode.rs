//! Step 1: Unicode folding.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// NFKC, then: control and zero-width characters removed, every kind of
/// space to `' '`, curly quotes to `'` and `"`, dashes to `-`, accents
/// stripped (NFD without combining marks; Hangul syllables kept whole),
/// `ß` → `ss`, lower case.
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
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}' => {}
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
