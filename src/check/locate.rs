//! Finding the source text of an example, keyword or pattern, so that a
//! finding can point at it with a caret.
//!
//! The knowledge base keeps where each intent's `id:` is; a value of the
//! intent is searched for after that point and before the next intent of
//! the same file, first as RON writes it (`"text"` with escapes), then as a
//! raw string, then bare. When nothing is found the finding points at the
//! intent itself.

use crate::error::Location;
use crate::kb::{location, KnowledgeBase};
use std::collections::HashMap;

/// Byte regions of every intent in its file.
#[derive(Debug)]
pub struct SourceIndex<'a> {
    kb: &'a KnowledgeBase,
    /// Per intent: (file index in `kb.sources`, start byte, end byte).
    regions: Vec<Option<(usize, usize, usize)>>,
}

/// Where a value was found: its location and length in characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spot {
    /// The location of its first character (the opening quote of a string).
    pub location: Option<Location>,
    /// Its length in characters, quotes included.
    pub len: Option<usize>,
}

impl<'a> SourceIndex<'a> {
    /// Indexes the intents of `kb` by their `id:` positions.
    pub fn new(kb: &'a KnowledgeBase) -> Self {
        let file_of: HashMap<&std::path::Path, usize> = kb
            .sources
            .iter()
            .enumerate()
            .map(|(i, (p, _))| (p.as_path(), i))
            .collect();
        let mut starts: Vec<(usize, usize, usize)> = Vec::new(); // (file, offset, intent)
        for (ii, origin) in kb.origins.iter().enumerate() {
            if let Some(l) = origin {
                if let Some(&fi) = file_of.get(l.file.as_path()) {
                    starts.push((fi, offset_of(&kb.sources[fi].1, l.line, l.col), ii));
                }
            }
        }
        starts.sort_unstable();
        let mut regions = vec![None; kb.intents.len()];
        for (n, &(fi, start, ii)) in starts.iter().enumerate() {
            let end = match starts.get(n + 1) {
                Some(&(f2, s2, _)) if f2 == fi => s2,
                _ => kb.sources[fi].1.len(),
            };
            regions[ii] = Some((fi, start, end));
        }
        SourceIndex { kb, regions }
    }

    /// Where intent `intent` is defined (its `id:`).
    pub fn intent(&self, intent: usize) -> Spot {
        Spot {
            location: self.kb.origins[intent].clone(),
            len: Some(2),
        }
    }

    /// The first occurrence of string value `value` after `field:` in
    /// intent `intent`; falls back to the intent's location.
    pub fn value(&self, intent: usize, field: &str, value: &str) -> Spot {
        let Some((fi, start, end)) = self.regions[intent] else {
            return self.intent(intent);
        };
        let (path, text) = &self.kb.sources[fi];
        let region = &text[start..end];
        let from = find_field(region, field).unwrap_or(0);
        let hay = &region[from..];
        let debug = format!("{value:?}");
        let quoted = format!("\"{value}\"");
        let found = hay
            .find(&debug)
            .map(|i| (i, debug.chars().count()))
            .or_else(|| hay.find(&quoted).map(|i| (i, quoted.chars().count())))
            .or_else(|| {
                (!value.is_empty())
                    .then(|| hay.find(value).map(|i| (i, value.chars().count())))
                    .flatten()
            });
        match found {
            Some((i, len)) => Spot {
                location: Some(location(path, text, start + from + i)),
                len: Some(len),
            },
            None => self.intent(intent),
        }
    }
}

/// Byte offset just after `field:` in `region`.
fn find_field(region: &str, field: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = region[from..].find(field) {
        let at = from + i;
        let before_ok = region[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        let rest = &region[at + field.len()..];
        let trimmed = rest.trim_start();
        if before_ok && trimmed.starts_with(':') {
            return Some(at + field.len() + (rest.len() - trimmed.len()) + 1);
        }
        from = at + field.len();
    }
    None
}

/// Byte offset of 1-based `line` and character `col` in `text`, clamped
/// to the text.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_fields_and_offsets() {
        let r = "id: \"a\", examples: [\"x\"], keywords: [\"examples\"]";
        assert_eq!(&r[find_field(r, "examples").unwrap()..][..5], " [\"x\"");
        assert_eq!(find_field(r, "patterns"), None);
        assert_eq!(offset_of("ab\ncd", 2, 2), 4);
        assert_eq!(offset_of("ab\ncd", 9, 1), 5);
    }
}
