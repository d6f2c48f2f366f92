//! Interned feature names: text ↔ dense id, each name stored once.
//!
//! A knowledge base of 10,000 examples has about 18,000 feature names
//! (BANKING77), 100,000 examples several times that. They were a
//! `HashMap<String, u32>` and a `Vec<String>`: every name twice, each in
//! an allocation of its own, and 32 bytes a bucket. Here the names are one
//! string with each name's end, and the table holds only ids (4 bytes a
//! bucket), found by the name's hash and compared with the name they
//! stand for: about 1.5 MB less heap for BANKING77, the same ids. The
//! typo index (`typo`) keeps its words and their deletions the same way.
//!
//! In the start-up cache (`snapshot`) a space is its names' text and ends;
//! the table is rebuilt when it is read (one hash a name).

use hashbrown::HashTable;
use rustc_hash::FxHasher;
use std::hash::{Hash, Hasher};

/// Interned feature names: text ↔ dense id (0, 1, 2, … in order of
/// interning).
#[derive(Debug, Default)]
pub(crate) struct Space {
    /// Every name, one after the other, in id order.
    text: String,
    /// The end of each name in `text` (bytes); name `i` starts where name
    /// `i - 1` ends (name 0 at 0). Never decreasing, at most `text.len()`,
    /// each on a character boundary.
    ends: Vec<u32>,
    /// Every id, found by [`hash`] of its name.
    ids: HashTable<u32>,
}

/// The hash the table finds a name by.
fn hash(name: &str) -> u64 {
    let mut h = FxHasher::default();
    name.hash(&mut h);
    h.finish()
}

/// Name `id` of `text` with `ends` (see [`Space`]).
fn name_in<'t>(text: &'t str, ends: &[u32], id: u32) -> &'t str {
    let i = id as usize;
    let start = if i == 0 { 0 } else { ends[i - 1] as usize };
    &text[start..ends[i] as usize]
}

/// Whether name `id` of `text` with `ends` is `name` (bytes compared, no
/// character boundaries checked: the ends are on them).
fn is_name(text: &str, ends: &[u32], id: u32, name: &str) -> bool {
    let i = id as usize;
    let start = if i == 0 { 0 } else { ends[i - 1] as usize };
    let end = ends[i] as usize;
    end - start == name.len() && text.as_bytes()[start..end] == *name.as_bytes()
}

impl Space {
    /// The id of `name`, adding it when new.
    ///
    /// # Panics
    /// If the names together pass 4 GiB.
    pub fn intern(&mut self, name: &str) -> u32 {
        let h = hash(name);
        let Space { text, ends, ids } = self;
        if let Some(&id) = ids.find(h, |&id| is_name(text, ends, id, name)) {
            return id;
        }
        let id = u32::try_from(ends.len()).expect("fewer than 2^32 features");
        text.push_str(name);
        ends.push(u32::try_from(text.len()).expect("feature names under 4 GiB"));
        ids.insert_unique(h, id, |&i| hash(name_in(text, ends, i)));
        id
    }

    /// The id of `name`, if known.
    pub fn get(&self, name: &str) -> Option<u32> {
        self.ids
            .find(hash(name), |&id| is_name(&self.text, &self.ends, id, name))
            .copied()
    }

    /// The text of feature `id`.
    ///
    /// # Panics
    /// If `id` is not below [`Space::len`].
    pub fn name(&self, id: u32) -> &str {
        name_in(&self.text, &self.ends, id)
    }

    /// Number of features.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// The space of the names `text` ends at `ends`, or why not: an end
    /// that decreases, passes the text or splits a character, or a name
    /// given twice (a damaged file; a space never holds one twice).
    fn from_parts(text: String, ends: Vec<u32>) -> Result<Self, &'static str> {
        let mut start = 0;
        for &e in &ends {
            let e = e as usize;
            if e < start || e > text.len() || !text.is_char_boundary(e) {
                return Err("feature name ends out of order or off the text");
            }
            start = e;
        }
        let mut ids = HashTable::with_capacity(ends.len());
        for id in 0..ends.len() as u32 {
            let name = name_in(&text, &ends, id);
            let h = hash(name);
            if ids.find(h, |&i| is_name(&text, &ends, i, name)).is_some() {
                return Err("a feature name given twice");
            }
            ids.insert_unique(h, id, |&i| hash(name_in(&text, &ends, i)));
        }
        Ok(Space { text, ends, ids })
    }
}

/// A [`Space`] as stored: its text and ends.
#[derive(serde::Serialize, serde::Deserialize)]
struct Parts<T, E> {
    text: T,
    ends: E,
}

impl serde::Serialize for Space {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Parts {
            text: &self.text,
            ends: &self.ends,
        }
        .serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for Space {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let p = Parts::<String, Vec<u32>>::deserialize(d)?;
        Space::from_parts(p.text, p.ends).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interns_each_name_once_in_order() {
        let mut s = Space::default();
        assert_eq!(s.intern("pin"), 0);
        assert_eq!(s.intern("reset pin"), 1);
        assert_eq!(s.intern(""), 2);
        assert_eq!(s.intern("pin"), 0);
        assert_eq!(s.intern("é"), 3);
        assert_eq!(s.len(), 4);
        assert_eq!(s.get("reset pin"), Some(1));
        assert_eq!(s.get(""), Some(2));
        assert_eq!(s.get("reset"), None);
        assert_eq!((s.name(0), s.name(2), s.name(3)), ("pin", "", "é"));
    }

    #[test]
    fn reads_back_what_it_wrote_and_rejects_damage() {
        let mut s = Space::default();
        for w in ["card", "top up", "card", "ß", "x"] {
            s.intern(w);
        }
        let bytes = postcard::to_stdvec(&s).unwrap();
        let r: Space = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(r.len(), 4);
        for id in 0..4 {
            assert_eq!(r.get(s.name(id)), Some(id));
            assert_eq!(r.name(id), s.name(id));
        }
        let bad = |text: &str, ends: Vec<u32>| Space::from_parts(text.into(), ends).is_err();
        assert!(bad("ab", vec![2, 1]));
        assert!(bad("ab", vec![3]));
        assert!(bad("ß", vec![1]));
        assert!(bad("abab", vec![2, 4]));
        assert!(!bad("abc", vec![1, 3]));
    }
}
