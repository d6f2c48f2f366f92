//! The word index of a lexicon file: where each word starts in the word
//! block, and an open-addressing hash table from a word to its position.
//!
//! The bundled lexicon's index is computed once at build time (`build.rs`
//! includes this file and writes the index next to the binary's other
//! data), so a start of the program reads it in place instead of hashing
//! 80,000 words into a map. [`super::Lexicon::from_bytes`] computes the
//! same index at run time for any other lexicon file. This file uses only
//! `std`: the build script compiles it on its own.
//!
//! Layout (all little-endian `u32`): `n + 1` word starts (byte offsets in
//! the block; the last is `block length + 1`, so word `i` is
//! `block[start[i]..start[i + 1] - 1]`), then a power-of-two number of
//! slots, each 0 (empty) or a word's position + 1. A word listed twice
//! keeps its first position.

/// Hash of a word's bytes (FNV-1a, 64 bit, with its high bits folded into
/// the low ones that pick the slot).
pub fn hash(word: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in word {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^ (h >> 29)
}

/// Number of slots for `n` words: a power of two at least 1.5 `n` (load
/// factor at most 2/3, about 3 probes for a word that is not listed).
pub fn slots_for(n: usize) -> usize {
    (n + n / 2 + 1).next_power_of_two()
}

/// The `u32` at position `k` of `b` (little-endian); `None` past the end.
pub fn u32_at(b: &[u8], k: usize) -> Option<u32> {
    let s = b.get(k.checked_mul(4)?..k.checked_mul(4)?.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// The index of the `n` words of `block` (words separated by `\n`; an
/// empty block has no words), in the layout of the module doc.
pub fn build(block: &[u8], n: usize) -> Vec<u8> {
    let mut starts: Vec<u32> = Vec::with_capacity(n + 1);
    if n > 0 {
        starts.push(0);
        for (k, &b) in block.iter().enumerate() {
            if b == b'\n' {
                starts.push(k as u32 + 1);
            }
        }
    }
    starts.truncate(n);
    starts.push(block.len() as u32 + 1);
    let word = |i: usize| &block[starts[i] as usize..starts[i + 1] as usize - 1];
    let cap = slots_for(n);
    let mask = cap - 1;
    let mut slots = vec![0u32; cap];
    for i in 0..n {
        let w = word(i);
        let mut s = hash(w) as usize & mask;
        loop {
            match slots[s] {
                0 => {
                    slots[s] = i as u32 + 1;
                    break;
                }
                v if word(v as usize - 1) == w => break,
                _ => s = (s + 1) & mask,
            }
        }
    }
    let mut out = Vec::with_capacity((starts.len() + cap) * 4);
    for v in starts.iter().chain(&slots) {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}
