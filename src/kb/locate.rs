//! Where a problem is in a knowledge-base file: byte offsets →
//! `file:line:col` ([`location`]), the places of intents and their fields,
//! and the "did you mean" of unknown names. RON errors in the author's
//! words are in [`super::ron_error`].

use super::scan;
use crate::error::Location;
use crate::schema::IntentDef;
use std::ops::Range;
use std::path::Path;

/// Byte offset of 1-based `line` and character `col` in `text`, clamped
/// to the text (the inverse of [`location`]).
pub fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let mut off = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return off
                + l.char_indices()
                    .nth(col.saturating_sub(1))
                    .map_or(l.len(), |(b, _)| b);
        }
        off += l.len();
    }
    text.len()
}

/// The closest candidate to `word` by Jaro-Winkler similarity (strsim),
/// if it is at least 0.8 similar.
pub fn did_you_mean<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(s, _)| *s >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// 1-based line and character column of byte offset `off` in `text`.
pub fn location(path: &Path, text: &str, off: usize) -> Location {
    let off = off.min(text.len());
    let before = &text[..floor_char_boundary(text, off)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Location {
        file: path.to_path_buf(),
        line,
        col,
    }
}

/// [`location`] of each offset, in one pass over `text` when the offsets
/// increase (as intents' ids do in their file): loading stays linear in
/// the file's size however many intents it holds.
pub(super) fn locations_in_order(
    path: &Path,
    text: &str,
    offs: &[Option<usize>],
) -> Vec<Option<Location>> {
    let (mut pos, mut line, mut line_start) = (0usize, 1usize, 0usize);
    offs.iter()
        .map(|o| {
            let off = floor_char_boundary(text, (*o)?.min(text.len()));
            if off < pos {
                return Some(location(path, text, off));
            }
            for (i, b) in text.as_bytes()[pos..off].iter().enumerate() {
                if *b == b'\n' {
                    line += 1;
                    line_start = pos + i + 1;
                }
            }
            pos = off;
            Some(Location {
                file: path.to_path_buf(),
                line,
                col: text[line_start..off].chars().count() + 1,
            })
        })
        .collect()
}

fn floor_char_boundary(text: &str, mut off: usize) -> usize {
    while !text.is_char_boundary(off) {
        off -= 1;
    }
    off
}

/// The byte range of each intent (item of the top-level list) in `text`,
/// and the byte offset of its `id:` key (of the intent when it has none):
/// the places of `list`'s intents, in order. `None` throughout if the
/// scanner does not see as many items as ron parsed.
pub(super) fn intent_places(text: &str, list: &[IntentDef]) -> Vec<Option<(Range<usize>, usize)>> {
    let items = scan::entries(text, 0..text.len());
    if items.len() != list.len() {
        return vec![None; list.len()];
    }
    items
        .into_iter()
        .map(|r| {
            let id = scan::field(text, r.clone(), "id").map_or(r.start, |(k, _)| k);
            Some((r, id))
        })
        .collect()
}

/// Where an intent's field is: its key, or `None` when the intent's place
/// or the field is unknown.
pub(super) fn field_key(
    path: &Path,
    text: &str,
    intent: &Range<usize>,
    field: &str,
) -> Option<Location> {
    let (key, _) = scan::field(text, intent.clone(), field)?;
    Some(location(path, text, key))
}

/// Where the string `value` is within an intent's field: its opening
/// quote, or the start of its contents when `inside` (a place in a
/// regex); `None` when not found.
pub(super) fn field_string(
    path: &Path,
    text: &str,
    intent: &Range<usize>,
    field: &str,
    value: &str,
    inside: bool,
) -> Option<Location> {
    let (_, in_field) = scan::field(text, intent.clone(), field)?;
    let r = scan::string(text, in_field, value)?;
    let quote = if inside {
        text[r.clone()].find('"').map_or(0, |q| q + 1)
    } else {
        0
    };
    Some(location(path, text, r.start + quote))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_of_lines_and_columns() {
        let text = "ab\néc\n";
        assert_eq!(offset_of(text, 1, 1), 0);
        assert_eq!(offset_of(text, 2, 2), 5);
        assert_eq!(offset_of(text, 3, 1), text.len());
        assert_eq!(offset_of(text, 9, 1), text.len());
        assert_eq!(offset_of("ab\ncd", 2, 2), 4);
    }

    #[test]
    fn locations_in_one_pass_equal_locations_one_by_one() {
        let text = "[\n  (id: \"a\"),\n (id: \"é\"), (id: \"c\"),\n\n(id: \"d\")]";
        let offs: Vec<Option<usize>> = text.match_indices("id").map(|(i, _)| Some(i)).collect();
        let p = Path::new("f.ron");
        let one_by_one: Vec<_> = offs
            .iter()
            .map(|o| Some(location(p, text, o.unwrap())))
            .collect();
        assert_eq!(locations_in_order(p, text, &offs), one_by_one);
        let mut back = offs.clone();
        back.reverse();
        back.push(None);
        let mut want = one_by_one;
        want.reverse();
        want.push(None);
        assert_eq!(locations_in_order(p, text, &back), want);
    }
}
