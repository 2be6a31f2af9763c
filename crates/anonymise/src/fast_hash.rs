//! The hash of the tables keyed by short strings that every text looks up
//! again and again: the detector's weights (some thirty feature strings for
//! every token) and the dictionaries (every word folded and looked up).
//! The standard SipHash, made to resist keys chosen by an attacker, cost
//! more there than the work it serves, and these tables are read from the
//! crate's own files, so the multiply-and-rotate hash of rustc's
//! « FxHash » serves; the lookups find the same entries, only faster.
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// FxHash: each word of eight bytes rotated in and multiplied.
#[derive(Clone, Copy, Default)]
pub struct StrHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl StrHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for StrHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A table keyed by strings.
pub type StrMap<V> = HashMap<String, V, BuildHasherDefault<StrHasher>>;

/// A set of strings.
pub type StrSet = HashSet<String, BuildHasherDefault<StrHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys that differ only past their eighth byte, or by a byte at the
    /// end, stay apart.
    #[test]
    fn keys_of_every_length_are_found_apart() {
        let keys = [
            "",
            "a",
            "ab",
            "p1=chez",
            "p1=chez ",
            "p1=chez!",
            "w=saint-jean",
            "w=saint-jeanne",
        ];
        let mut m: StrMap<usize> = StrMap::default();
        for (i, k) in keys.iter().enumerate() {
            m.insert(k.to_string(), i);
        }
        assert_eq!(m.len(), keys.len());
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(m.get(*k), Some(&i));
        }
        assert!(!m.contains_key("p1=che"));
    }
}
