//! Finding the source text of an example, keyword or pattern, so that a
//! finding can point at it with a caret.
//!
//! The knowledge base keeps where each intent's `id:` is; the intent is the
//! item of its file's list around that point, and a value is looked for as
//! a string in the intent's own field (never in a comment, another field
//! or another intent; see `kb::scan`): first a string that is the value,
//! then a string that holds it (a link in an answer). When nothing is
//! found the finding points at the intent itself.

use crate::error::Location;
pub use crate::kb::offset_of;
use crate::kb::{location, scan, KnowledgeBase};
use std::collections::HashMap;
use std::ops::Range;

/// Byte ranges of every intent in its file.
#[derive(Debug)]
pub struct SourceIndex<'a> {
    kb: &'a KnowledgeBase,
    /// Per intent: (file index in `kb.sources`, its byte range).
    regions: Vec<Option<(usize, Range<usize>)>>,
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
    /// Indexes the intents of `kb`: the list item of its file around each
    /// intent's `id:`.
    pub fn new(kb: &'a KnowledgeBase) -> Self {
        let file_of: HashMap<&std::path::Path, usize> = kb
            .sources
            .iter()
            .enumerate()
            .map(|(i, (p, _))| (p.as_path(), i))
            .collect();
        let mut items: HashMap<usize, Vec<Range<usize>>> = HashMap::new();
        let regions = kb
            .origins
            .iter()
            .map(|origin| {
                let l = origin.as_ref()?;
                let fi = *file_of.get(l.file.as_path())?;
                let text = &kb.sources[fi].1;
                let at = offset_of(text, l.line, l.col);
                let list = items
                    .entry(fi)
                    .or_insert_with(|| scan::entries(text, 0..text.len()));
                let n = list.partition_point(|r| r.end <= at);
                let r = list.get(n).filter(|r| r.start <= at)?;
                Some((fi, r.clone()))
            })
            .collect();
        SourceIndex { kb, regions }
    }

    /// Where intent `intent` is defined (its `id:`).
    pub fn intent(&self, intent: usize) -> Spot {
        Spot {
            location: self.kb.origins[intent].clone(),
            len: Some(2),
        }
    }

    /// The string `value` in field `field` of intent `intent` (or the
    /// first place a string of that field holds it); falls back to the
    /// intent's location.
    pub fn value(&self, intent: usize, field: &str, value: &str) -> Spot {
        self.value_nth(intent, field, value, 0)
    }

    /// [`Self::value`] for the `nth` (from 0) string of the field that
    /// holds `value` exactly (a text given twice: its second place is
    /// `nth = 1`); the first one when there are fewer.
    pub fn value_nth(&self, intent: usize, field: &str, value: &str, nth: usize) -> Spot {
        let Some((fi, region)) = &self.regions[intent] else {
            return self.intent(intent);
        };
        let (path, text) = &self.kb.sources[*fi];
        let Some((_, in_field)) = scan::field(text, region.clone(), field) else {
            return self.intent(intent);
        };
        let mut from = in_field.clone();
        for _ in 0..nth {
            match scan::string(text, from.clone(), value) {
                Some(r) if r.end < from.end => from = r.end..from.end,
                _ => {
                    from = in_field.clone();
                    break;
                }
            }
        }
        if scan::string(text, from.clone(), value).is_none() {
            from = in_field.clone();
        }
        let found = scan::string(text, from, value)
            .map(|r| (r.start, text[r].chars().count()))
            .or_else(|| {
                (!value.is_empty()).then(|| {
                    scan::strings(text, in_field).find_map(|(r, _)| {
                        let i = text[r.clone()].find(value)?;
                        Some((r.start + i, value.chars().count()))
                    })
                })?
            });
        match found {
            Some((at, len)) => Spot {
                location: Some(location(path, text, at)),
                len: Some(len),
            },
            None => self.intent(intent),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_found_in_their_own_field_not_in_comments() {
        let faq = "// examples: [\"hi\"] and keywords: [\"pin\"]\n[\n  (\n    id: \"a\",\n    /* examples: [\"hi\"] */\n    examples: [\"hi\", \"pin reset\"],\n    keywords: [(word: \"pin\", weight: 2.0)],\n    answer: \"See [help](http://x y).\",\n  ),\n  (id: \"b\", examples: [\"hi\"], answer: \"B.\"),\n]\n";
        let kb = KnowledgeBase::from_sources(vec![("faq.ron".into(), faq.to_string())]).unwrap();
        let index = SourceIndex::new(&kb);
        let at = |i: usize, field: &str, value: &str| {
            let spot = index.value(i, field, value);
            let l = spot.location.unwrap();
            (l.line, l.col, spot.len)
        };
        assert_eq!(at(0, "examples", "hi"), (6, 16, Some(4)));
        assert_eq!(at(0, "keywords", "pin"), (7, 23, Some(5)));
        assert_eq!(at(0, "answer", "(http://x y)"), (8, 24, Some(12)));
        assert_eq!(at(1, "examples", "hi"), (10, 24, Some(4)));
        assert_eq!(
            at(0, "patterns", "x"),
            (4, 5, Some(2)),
            "no such field: the intent"
        );
    }
}
