//! Bigram ids by the ids of their two sides: the query vector finds
//! `"reset pin"` from the ids of `reset` and `pin`, which it already has,
//! with one hash of two numbers instead of writing the bigram's text and
//! hashing and comparing it (about 300 instructions a bigram on
//! BANKING77, ten bigrams a line; docs/benchmarks.md, speed42).
//!
//! Exact: [`Pairs::get`]`(a, b)` is the id of the name `A B` (`A`, `B`
//! the names of `a` and `b`) whenever the space has that name, and `None`
//! otherwise. [`Pairs::of`] enters every name with a space at each of its
//! spaces whose two sides are names themselves; a pair of ids spells one
//! text, so no two names claim the same pair. A side that has no id (a
//! word the knowledge base does not know, or `<rare>` when no example
//! uses the class) is looked up by text as before.
//!
//! Built with the index from its names; the start-up cache (`snapshot`)
//! stores the pairs as `(a, b, id)` triples, sorted, and reading them back
//! fills the table without hashing a name.

use super::{Space, RARE};
use rustc_hash::FxHashMap as HashMap;

/// Bigram ids by their sides' ids (see the module doc), of one [`Space`].
#[derive(Debug, Default)]
pub(crate) struct Pairs {
    /// `A B`'s id by `key(a, b)`.
    ids: HashMap<u64, u32>,
    /// The id of [`RARE`], if the space has it.
    rare: Option<u32>,
}

/// The key of the pair `(a, b)`.
#[inline]
fn key(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

impl Pairs {
    /// The pairs of `space`'s names (one look-up of each side at each
    /// space of each name).
    pub fn of(space: &Space) -> Self {
        let mut ids = HashMap::default();
        for id in 0..space.len() as u32 {
            let name = space.name(id);
            for (at, _) in name.match_indices(' ') {
                if let (Some(a), Some(b)) = (space.get(&name[..at]), space.get(&name[at + 1..])) {
                    ids.insert(key(a, b), id);
                }
            }
        }
        Pairs {
            ids,
            rare: space.get(RARE),
        }
    }

    /// The id a bigram side has: [`RARE`]'s when `rare`, else `term`.
    #[inline]
    pub fn side(&self, term: Option<u32>, rare: bool) -> Option<u32> {
        if rare {
            self.rare
        } else {
            term
        }
    }

    /// The id of the name `A B`, if the space has it (`A`, `B` the names
    /// of `a` and `b`). Inlined: ten calls a line, each a hash of one
    /// number and a probe or two.
    #[inline]
    pub fn get(&self, a: u32, b: u32) -> Option<u32> {
        self.ids.get(&key(a, b)).copied()
    }
}

/// [`Pairs`] as stored: `(a, b, id)` by `(a, b)`, and `<rare>`'s id.
#[derive(serde::Serialize, serde::Deserialize)]
struct Stored {
    #[serde(with = "crate::matcher::snapshot::packed::array")]
    triples: Vec<(u32, u32, u32)>,
    rare: Option<u32>,
}

impl serde::Serialize for Pairs {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut triples: Vec<_> = self
            .ids
            .iter()
            .map(|(&k, &id)| ((k >> 32) as u32, k as u32, id))
            .collect();
        triples.sort_unstable();
        Stored {
            triples,
            rare: self.rare,
        }
        .serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for Pairs {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let stored = Stored::deserialize(d)?;
        let mut ids = HashMap::default();
        ids.reserve(stored.triples.len());
        for (a, b, id) in stored.triples {
            ids.insert(key(a, b), id);
        }
        Ok(Pairs {
            ids,
            rare: stored.rare,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every pair of names (and `<rare>`) finds the id of their bigram
    /// exactly when the space has it, spaces within names included.
    #[test]
    fn finds_the_bigram_a_text_look_up_finds() {
        let mut s = Space::default();
        for n in [
            "reset",
            "pin",
            "reset pin",
            RARE,
            "from",
            "from <rare>",
            "a b",
            "c",
            "a b c",
            "a",
            "b c",
            "pin reset pin",
        ] {
            s.intern(n);
        }
        let p = Pairs::of(&s);
        assert_eq!(p.rare, s.get(RARE));
        for a in 0..s.len() as u32 {
            for b in 0..s.len() as u32 {
                let text = format!("{} {}", s.name(a), s.name(b));
                assert_eq!(p.get(a, b), s.get(&text), "{text:?}");
            }
        }
        assert_eq!(Pairs::of(&Space::default()).rare, None);
        let bytes = postcard::to_stdvec(&p).unwrap();
        let back: Pairs = postcard::from_bytes(&bytes).unwrap();
        assert_eq!((back.ids, back.rare), (p.ids, p.rare));
    }
}
