//! Serde adaptors for the snapshot's large arrays of numbers: each array
//! is one byte string (little-endian, fixed width per element) instead of
//! a sequence of separately encoded elements, so that reading it is a copy
//! per element rather than a visitor call, and a list of lists is two
//! such strings (the lengths, then every element). Same values, bit for
//! bit (floats by their bits).

use serde::de::{Error, Visitor};
use serde::{Deserializer, Serializer};

/// A fixed-width element of a packed array.
pub(crate) trait Pack: Sized {
    /// Bytes per element.
    const SIZE: usize;
    fn put(&self, out: &mut Vec<u8>);
    /// Reads one element from `b` (exactly [`Pack::SIZE`] bytes).
    fn get(b: &[u8]) -> Self;
}

#[inline]
fn u32_of(b: &[u8]) -> u32 {
    let mut four = [0u8; 4];
    four.copy_from_slice(&b[..4]);
    u32::from_le_bytes(four)
}

impl Pack for u32 {
    const SIZE: usize = 4;
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    #[inline]
    fn get(b: &[u8]) -> Self {
        u32_of(b)
    }
}

impl Pack for f32 {
    const SIZE: usize = 4;
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_bits().to_le_bytes());
    }
    #[inline]
    fn get(b: &[u8]) -> Self {
        f32::from_bits(u32_of(b))
    }
}

impl Pack for (u32, f32) {
    const SIZE: usize = 8;
    fn put(&self, out: &mut Vec<u8>) {
        self.0.put(out);
        self.1.put(out);
    }
    #[inline]
    fn get(b: &[u8]) -> Self {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(&b[..8]);
        let x = u64::from_le_bytes(eight);
        (x as u32, f32::from_bits((x >> 32) as u32))
    }
}

impl Pack for (u32, u32, u32) {
    const SIZE: usize = 12;
    fn put(&self, out: &mut Vec<u8>) {
        self.0.put(out);
        self.1.put(out);
        self.2.put(out);
    }
    #[inline]
    fn get(b: &[u8]) -> Self {
        let b = &b[..12];
        (u32_of(b), u32_of(&b[4..]), u32_of(&b[8..]))
    }
}

/// The elements of `b` (a whole number of elements).
fn decode<T: Pack>(b: &[u8]) -> Vec<T> {
    let mut out = Vec::with_capacity(b.len() / T::SIZE);
    out.extend(b.chunks_exact(T::SIZE).map(T::get));
    out
}

fn bytes_of<T: Pack>(items: &[T]) -> Vec<u8> {
    let mut out = Vec::with_capacity(items.len() * T::SIZE);
    for x in items {
        x.put(&mut out);
    }
    out
}

/// The byte string of the elements `items` (`len` of them), written as it
/// is made, never held whole: in postcard's format these are the bytes of
/// `serialize_bytes(&bytes_of(..))` (the length as a varint, then the
/// bytes; a tuple has no length of its own), which is what [`elements`]
/// reads. The start-up cache serialises each part twice (to count its
/// bytes, then to write them): the copy of the largest array (the example
/// postings, about 20 MB for 100,000 examples) was the peak of a first
/// start.
struct Streamed<I> {
    len: usize,
    items: I,
}

impl<'a, T: Pack + 'a, I: Iterator<Item = &'a T> + Clone> serde::Serialize for Streamed<I> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeTuple;
        let n = self.len * T::SIZE;
        let mut t = s.serialize_tuple(n + 1)?;
        t.serialize_element(&n)?;
        let mut b = Vec::with_capacity(T::SIZE);
        for x in self.items.clone() {
            b.clear();
            x.put(&mut b);
            for byte in &b {
                t.serialize_element(byte)?;
            }
        }
        t.end()
    }
}

/// The byte string of a packed array, decoded.
struct Elements<T>(std::marker::PhantomData<T>);

impl<T: Pack> Visitor<'_> for Elements<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a byte string of {}-byte elements", T::SIZE)
    }

    fn visit_bytes<E: Error>(self, b: &[u8]) -> Result<Vec<T>, E> {
        if b.len() % T::SIZE != 0 {
            return Err(E::invalid_length(b.len(), &self));
        }
        Ok(decode(b))
    }
}

fn elements<'de, T: Pack, D: Deserializer<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    d.deserialize_bytes(Elements(std::marker::PhantomData))
}

/// `#[serde(with = "packed::array")]` for a `Vec<T>` of [`Pack`] elements.
pub(crate) mod array {
    use super::*;

    pub(crate) fn serialize<T: Pack, S: Serializer>(v: &[T], s: S) -> Result<S::Ok, S::Error> {
        let streamed = Streamed {
            len: v.len(),
            items: v.iter(),
        };
        serde::Serialize::serialize(&streamed, s)
    }

    pub(crate) fn deserialize<'de, T: Pack, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<T>, D::Error> {
        elements(d)
    }
}

/// `#[serde(with = "packed::lists")]` for a `Vec<Vec<T>>`: the lists'
/// lengths, then all their elements, as two packed arrays.
pub(crate) mod lists {
    use super::*;
    use serde::ser::SerializeTuple;

    pub(crate) fn serialize<T: Pack, S: Serializer>(
        lists: &[Vec<T>],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let lens: Vec<u32> = lists.iter().map(|l| l.len() as u32).collect();
        let mut t = s.serialize_tuple(2)?;
        t.serialize_element(&ByteStr(&bytes_of(&lens)))?;
        t.serialize_element(&Streamed {
            len: lists.iter().map(Vec::len).sum(),
            items: lists.iter().flatten(),
        })?;
        t.end()
    }

    pub(crate) fn deserialize<'de, T: Pack, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<Vec<T>>, D::Error> {
        struct Lists<T>(std::marker::PhantomData<T>);
        impl<'de, T: Pack> Visitor<'de> for Lists<T> {
            type Value = Vec<Vec<T>>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("the lengths and the elements of lists")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<Self::Value, A::Error> {
                let lens: Vec<u32> = a
                    .next_element::<Bytes<u32>>()?
                    .ok_or_else(|| A::Error::invalid_length(0, &self))?
                    .0;
                let all: &'de [u8] = a
                    .next_element::<&'de [u8]>()?
                    .ok_or_else(|| A::Error::invalid_length(1, &self))?;
                let total: u64 = lens.iter().map(|&n| u64::from(n)).sum();
                if Some(total) != u64::try_from(all.len() / T::SIZE).ok()
                    || all.len() % T::SIZE != 0
                {
                    return Err(A::Error::invalid_length(all.len(), &self));
                }
                let mut at = 0;
                Ok(lens
                    .iter()
                    .map(|&n| {
                        let end = at + n as usize * T::SIZE;
                        let list = decode(&all[at..end]);
                        at = end;
                        list
                    })
                    .collect())
            }
        }
        d.deserialize_tuple(2, Lists(std::marker::PhantomData))
    }

    /// A byte string as a serde value.
    struct ByteStr<'a>(&'a [u8]);

    impl serde::Serialize for ByteStr<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(self.0)
        }
    }

    /// A packed array as a serde value.
    struct Bytes<T>(Vec<T>);

    impl<'de, T: Pack> serde::Deserialize<'de> for Bytes<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            elements(d).map(Bytes)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte string of `b` as postcard writes it.
    fn byte_string(b: &[u8]) -> Vec<u8> {
        struct Whole<'a>(&'a [u8]);
        impl serde::Serialize for Whole<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(self.0)
            }
        }
        postcard::to_allocvec(&Whole(b)).unwrap()
    }

    #[test]
    fn streamed_arrays_are_the_bytes_of_a_byte_string() {
        // Lengths on both sides of each varint step (128, 16,384 bytes).
        for n in [0usize, 1, 31, 32, 33, 4095, 4096, 4097, 20_000] {
            let items: Vec<(u32, f32)> = (0..n)
                .map(|i| {
                    (
                        (i as u32).wrapping_mul(2_654_435_761),
                        f32::from_bits(i as u32 ^ 0x7fc0_0001),
                    )
                })
                .collect();
            let streamed = Streamed {
                len: items.len(),
                items: items.iter(),
            };
            let bytes = postcard::to_allocvec(&streamed).unwrap();
            assert_eq!(bytes, byte_string(&bytes_of(&items)), "{n} elements");
            let size = postcard::serialize_with_flavor::<_, _, usize>(
                &streamed,
                postcard::ser_flavors::Size::default(),
            )
            .unwrap();
            assert_eq!(size, bytes.len());
        }
    }
}
