//! [`Typos`] in the start-up cache (`snapshot`): its fields as they are,
//! checked when read so that a damaged file is refused rather than read
//! into an index that could panic at query time.

use super::{Space, Typos};

/// [`Typos`] as stored.
#[derive(serde::Serialize, serde::Deserialize)]
struct Parts<S, V> {
    words: S,
    uses: V,
    deletes: S,
    starts: V,
    owners: V,
}

impl serde::Serialize for Typos {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Parts {
            words: &self.words,
            uses: &self.uses,
            deletes: &self.deletes,
            starts: &self.starts,
            owners: &self.owners,
        }
        .serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for Typos {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let p = Parts::<Space, Vec<u32>>::deserialize(d)?;
        let t = Typos {
            words: p.words,
            uses: p.uses,
            deletes: p.deletes,
            starts: p.starts,
            owners: p.owners,
        };
        if t.fits() {
            Ok(t)
        } else {
            Err(serde::de::Error::custom("typo index parts do not agree"))
        }
    }
}

impl Typos {
    /// Whether the parts agree: a use count per word, a start per deletion
    /// and one more, never decreasing and within `owners`, and every owner
    /// a word's id.
    fn fits(&self) -> bool {
        let n_words = self.words.len();
        self.uses.len() == n_words
            && self.starts.len() == self.deletes.len() + 1
            && self.starts.first() == Some(&0)
            && self.starts.windows(2).all(|w| w[0] <= w[1])
            && self
                .starts
                .last()
                .is_some_and(|&e| e as usize == self.owners.len())
            && self.owners.iter().all(|&w| (w as usize) < n_words)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_back_what_it_wrote_and_refuses_parts_that_disagree() {
        let t = Typos::new(
            [("beginners", 3), ("apple", 1), ("charge", 2)]
                .iter()
                .map(|&(w, n)| (w.to_string(), n))
                .collect(),
        );
        let r: Typos = postcard::from_bytes(&postcard::to_stdvec(&t).unwrap()).unwrap();
        assert_eq!(r.correct("begginers"), Some("beginners"));
        assert_eq!(r.correct("chareg"), Some("charge"));
        assert_eq!((r.uses.clone(), r.starts.clone()), (t.uses, t.starts));
        let mut bad = r;
        bad.owners.push(7);
        *bad.starts.last_mut().unwrap() += 1;
        assert!(!bad.fits());
        assert!(postcard::from_bytes::<Typos>(&postcard::to_stdvec(&bad).unwrap()).is_err());
    }
}
