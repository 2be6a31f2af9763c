//! A situation's facts as masks: for each fact, one bit per value it may
//! still take (one bit: known; every bit of its domain: unknown). The
//! bounds that size them, and the split of one fact into its values.

/// At most this many facts: a situation is a fixed array of value masks.
pub const MAX_FACTS: usize = 64;
/// At most this many values per enum fact (one bit each in a mask).
pub const MAX_VALUES: usize = 32;

/// The situations obtained by fixing fact `f` to each value it may take,
/// in the order of the values.
pub(crate) fn branches(
    masks: &[u32; MAX_FACTS],
    f: usize,
) -> impl Iterator<Item = [u32; MAX_FACTS]> + '_ {
    let mut m = masks[f];
    std::iter::from_fn(move || {
        if m == 0 {
            return None;
        }
        let v = m.trailing_zeros();
        m &= m - 1;
        let mut next = *masks;
        next[f] = 1 << v;
        Some(next)
    })
}

#[cfg(test)]
mod tests {
    use super::{branches, MAX_FACTS};

    #[test]
    fn a_fact_splits_into_its_values_in_order() {
        let mut masks = [0u32; MAX_FACTS];
        masks[0] = 0b1;
        masks[3] = 0b1010;
        let split: Vec<(u32, u32)> = branches(&masks, 3).map(|m| (m[0], m[3])).collect();
        assert_eq!(split, [(0b1, 0b10), (0b1, 0b1000)]);
        // A known fact gives itself; an impossible one nothing.
        assert_eq!(branches(&masks, 0).count(), 1);
        assert_eq!(branches(&masks, 1).count(), 0);
    }
}
