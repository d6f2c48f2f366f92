//! Step 0: cleaning raw text before anything reads it.
//!
//! * Every Unicode whitespace character (tab, CR, LF, vertical tab, form
//!   feed, NEL, U+2028, U+2029, the Unicode spaces) becomes a space, so
//!   that `reset\tpassword` stays two words.
//! * A terminal escape sequence is removed whole: CSI (`ESC [` … final
//!   byte, or C1 `U+009B`), OSC/DCS/APC/PM/SOS strings (`ESC ]`, `ESC P`,
//!   `ESC _`, `ESC ^`, `ESC X` or their C1 forms, up to BEL or `ESC \`),
//!   and the short `ESC` + intermediates + final forms (ECMA-48 § 5.3,
//!   § 8.3.89 for the string terminator). Nothing of it glues onto the next
//!   word.
//! * Any other control character is removed.
//!
//! The cost is one pass over the input, which stops as soon as `max_chars`
//! characters are out.

/// `text` cleaned as described in the module doc, at most `max_chars`
/// characters long.
///
/// ```
/// use faqbot::normalize::sanitize::clean;
/// assert_eq!(clean("reset\tpassword", 100), "reset password");
/// assert_eq!(clean("a\u{1b}[31mred\u{1b}[0m b\u{7}", 100), "ared b");
/// assert_eq!(clean("\u{1b}]0;title\u{7}hi", 100), "hi");
/// assert_eq!(clean("abcdef", 3), "abc");
/// ```
pub fn clean(text: &str, max_chars: usize) -> String {
    // Printable ASCII (nearly every message) is kept as it is, up to the
    // cap: one character per byte, none of them whitespace other than the
    // space, a control character or an escape.
    if text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return text[..text.len().min(max_chars)].to_string();
    }
    let mut out = String::with_capacity(text.len().min(max_chars * 4));
    let mut n = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if n >= max_chars {
            break;
        }
        match c {
            '\u{1b}' => match chars.next() {
                Some('[') => skip_csi(&mut chars),
                Some(']' | 'P' | '_' | '^' | 'X') => skip_string(&mut chars),
                Some('\u{20}'..='\u{2f}') => {
                    // nF: intermediates, then one final byte.
                    while chars
                        .next_if(|c| ('\u{20}'..='\u{2f}').contains(c))
                        .is_some()
                    {}
                    chars.next();
                }
                // Fp/Fe/Fs: ESC and one byte; a lone ESC at the end.
                _ => {}
            },
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{9f}' | '\u{9e}' | '\u{98}' => skip_string(&mut chars),
            c if c.is_whitespace() => {
                out.push(' ');
                n += 1;
            }
            c if c.is_control() => {}
            c => {
                out.push(c);
                n += 1;
            }
        }
    }
    out
}

/// Whether [`clean`]`(text, max_chars)` cuts `text`: whether it leaves
/// out a character (after cleaning) that a larger cap would keep. Cheap
/// for text of at most `max_chars` bytes (never cut), and for printable
/// ASCII; else as costly as [`clean`].
///
/// ```
/// use faqbot::normalize::sanitize::is_cut;
/// assert!(!is_cut("abc", 3));
/// assert!(is_cut("abcd", 3));
/// assert!(!is_cut("abc\u{7}\u{7}", 3), "only control characters after the cap");
/// assert!(is_cut("é\u{7}bcd", 3));
/// ```
pub fn is_cut(text: &str, max_chars: usize) -> bool {
    if text.len() <= max_chars {
        return false;
    }
    if text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return true;
    }
    clean(text, max_chars.saturating_add(1)).chars().count() > max_chars
}

/// `text` cut to at most `max_chars` characters for display, with `…` in
/// place of what was left out (so at most `max_chars + 1` characters);
/// `text` unchanged when it fits.
///
/// ```
/// use faqbot::normalize::sanitize::shorten;
/// assert_eq!(shorten("abc", 3), "abc");
/// assert_eq!(shorten("abcd", 3), "abc…");
/// assert_eq!(shorten("éééé", 2), "éé…");
/// ```
pub fn shorten(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        None => text.to_string(),
        Some((end, _)) => format!("{}…", &text[..end]),
    }
}

/// Steps 0 and 1 in one pass for ASCII `text` without an escape character
/// (`ESC`, U+001B): what [`clean`] then [`super::unicode::fold`] give,
/// when `max_chars` is at most `clean`'s cap. Whitespace becomes a space,
/// other control characters go, letters are lower-cased; at most
/// `max_chars` characters.
///
/// ```
/// use faqbot::normalize::sanitize::clean_fold_ascii;
/// assert_eq!(clean_fold_ascii("Reset\tPIN\u{7}!", 100), "reset pin!");
/// ```
pub fn clean_fold_ascii(text: &str, max_chars: usize) -> String {
    debug_assert!(text.is_ascii() && !text.contains('\u{1b}'));
    // Without control characters other than whitespace (nearly every
    // line), each byte of the first `max_chars` gives one byte: mapped
    // as a whole, a loop the compiler can vectorise.
    let head = &text.as_bytes()[..text.len().min(max_chars)];
    let out: Vec<u8> = head.iter().map(|&b| fold_ascii_byte(b)).collect();
    if !out.iter().any(|&b| b < b' ' || b == 0x7f) {
        // ASCII in, ASCII out: this never fails.
        return String::from_utf8(out).unwrap_or_default();
    }
    // Byte by byte: every character is one ASCII byte.
    let mut out: Vec<u8> = Vec::with_capacity(text.len().min(max_chars));
    for &b in text.as_bytes() {
        if out.len() >= max_chars {
            break;
        }
        match b {
            b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' => out.push(b' '),
            b if b.is_ascii_control() => {}
            b => out.push(b.to_ascii_lowercase()),
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

/// One ASCII byte as [`clean_fold_ascii`] writes it, but for the control
/// characters it drops, which stay as they are: whitespace (tab to
/// carriage return) becomes a space, a capital letter its small one.
fn fold_ascii_byte(b: u8) -> u8 {
    if b.wrapping_sub(b'A') < 26 {
        b + 32
    } else if b.wrapping_sub(b'\t') < 5 {
        b' '
    } else {
        b
    }
}

/// Skips a CSI sequence's parameter and intermediate bytes and its final
/// byte (`@` to `~`). Stops early at anything else that cannot belong to it.
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(&c) = chars.peek() {
        match c {
            '\u{30}'..='\u{3f}' | '\u{20}'..='\u{2f}' => {
                chars.next();
            }
            '\u{40}'..='\u{7e}' => {
                chars.next();
                return;
            }
            _ => return,
        }
    }
}

/// Skips a control string up to and including its terminator: BEL,
/// `ESC \` or C1 ST (`U+009C`).
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => return,
            '\u{1b}' => {
                chars.next_if_eq(&'\\');
                return;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn every_whitespace_separates() {
        for ws in [
            '\t', '\n', '\r', '\u{b}', '\u{c}', '\u{85}', '\u{2028}', '\u{2029}', '\u{a0}',
            '\u{3000}', '\u{2003}',
        ] {
            assert_eq!(clean(&format!("reset{ws}password"), 100), "reset password");
        }
    }

    #[test]
    fn escape_sequences_go_whole() {
        assert_eq!(
            clean("\u{1b}[1;31mreset\u{1b}[0m password", 100),
            "reset password"
        );
        assert_eq!(clean("\u{9b}31mred", 100), "red");
        assert_eq!(
            clean("\u{1b}]8;;http://x\u{1b}\\link\u{1b}]8;;\u{1b}\\", 100),
            "link"
        );
        assert_eq!(clean("\u{1b}(Bpin", 100), "pin");
        assert_eq!(clean("\u{1b}Mpin", 100), "pin");
        assert_eq!(clean("pin\u{1b}", 100), "pin");
        assert_eq!(clean("\u{1b}]unterminated", 100), "");
        assert_eq!(clean("a\u{0}b\u{7f}c", 100), "abc");
    }

    #[test]
    fn caps_output_characters() {
        assert_eq!(clean(&"é".repeat(5000), 1000).chars().count(), 1000);
        assert_eq!(clean(&"\u{1b}[m".repeat(5000), 10), "");
    }
}
