//! The chance-corrected coefficients: Krippendorff's α (nominal, any number of raters, missing
//! values allowed) from a coincidence matrix, and Cohen's κ for two raters from their confusion
//! counts. Both answer `None` where the coefficient is undefined (no disagreement expected by
//! chance), where `krippendorff.alpha` and scikit-learn's `cohen_kappa_score` answer NaN.

use std::collections::BTreeMap;
use std::ops::AddAssign;

/// A square table of counts indexed by two small numbers (a label's index, or 0 and 1), grown
/// as larger ones come. Dense, not a map: a run of characters or a word token adds to it, and
/// there are millions of those.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Square<T>(Vec<Vec<T>>);

impl<T: Copy + Default + PartialEq + AddAssign> Square<T> {
    pub fn cell(&mut self, a: u32, b: u32) -> &mut T {
        let size = (a.max(b) + 1) as usize;
        if size > self.0.len() {
            self.0.resize(size, Vec::new());
            for row in &mut self.0 {
                row.resize(size, T::default());
            }
        }
        &mut self.0[a as usize][b as usize]
    }

    pub fn merge(&mut self, other: &Square<T>) {
        for (a, row) in other.0.iter().enumerate() {
            for (b, &v) in row.iter().enumerate() {
                if v != T::default() {
                    *self.cell(a as u32, b as u32) += v;
                }
            }
        }
    }

    /// `(a, b, count)` for every cell.
    pub fn cells(&self) -> impl Iterator<Item = (usize, usize, T)> + '_ {
        self.0
            .iter()
            .enumerate()
            .flat_map(|(a, row)| row.iter().enumerate().map(move |(b, &v)| (a, b, v)))
    }

    pub fn size(&self) -> usize {
        self.0.len()
    }
}

/// Krippendorff's coincidence matrix over nominal values (small numbers), filled unit by unit.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Coincidences {
    /// `o[c][k]`: pairable pairs of values `c` and `k` (ordered, from different raters).
    o: Square<f64>,
}

impl Coincidences {
    /// One unit: the values its raters gave (missing values left out). A unit with fewer than
    /// two values has nothing to pair and counts for nothing. `weight` counts identical units
    /// at once (a run of characters coded alike).
    pub fn add_unit(&mut self, values: &[u32], weight: f64) {
        let m = values.len();
        if m < 2 {
            return;
        }
        let mut counts: BTreeMap<u32, usize> = BTreeMap::new();
        for &v in values {
            *counts.entry(v).or_default() += 1;
        }
        self.add_counts(&counts.into_iter().collect::<Vec<_>>(), m, weight);
    }

    /// A unit of `m` values given as `(value, how many raters gave it)`.
    pub fn add_counts(&mut self, counts: &[(u32, usize)], m: usize, weight: f64) {
        if m < 2 {
            return;
        }
        let per_pair = weight / (m - 1) as f64;
        for &(c, nc) in counts {
            for &(k, nk) in counts {
                let pairs = if c == k {
                    nc * nc.saturating_sub(1)
                } else {
                    nc * nk
                };
                if pairs > 0 {
                    *self.o.cell(c, k) += pairs as f64 * per_pair;
                }
            }
        }
    }

    pub fn merge(&mut self, other: &Coincidences) {
        self.o.merge(&other.o);
    }

    /// α nominal: 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c · n_k.
    pub fn alpha(&self) -> Option<f64> {
        let mut n_c = vec![0.0; self.o.size()];
        let mut observed = 0.0;
        for (c, k, v) in self.o.cells() {
            n_c[c] += v;
            if c != k {
                observed += v;
            }
        }
        let n: f64 = n_c.iter().sum();
        let squares: f64 = n_c.iter().map(|v| v * v).sum();
        let expected = n * n - squares;
        if n <= 1.0 || expected <= 0.0 {
            return None;
        }
        Some(1.0 - (n - 1.0) * observed / expected)
    }
}

/// Two raters' tags of the same items, counted by pair of tags: what Cohen's κ is computed
/// from, added up document by document.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Confusion {
    /// `counts[a][b]`: items tagged `a` by the first and `b` by the second.
    counts: Square<u64>,
}

impl Confusion {
    pub fn add(&mut self, a: u32, b: u32) {
        *self.counts.cell(a, b) += 1;
    }

    pub fn merge(&mut self, other: &Confusion) {
        self.counts.merge(&other.counts);
    }

    /// Cohen's κ: (observed − chance agreement) / (1 − chance agreement).
    pub fn kappa(&self) -> Option<f64> {
        let size = self.counts.size();
        let n: u64 = self.counts.cells().map(|(.., count)| count).sum();
        if n == 0 {
            return None;
        }
        let (mut agree, mut of_a, mut of_b) = (0u64, vec![0u64; size], vec![0u64; size]);
        for (a, b, count) in self.counts.cells() {
            if a == b {
                agree += count;
            }
            of_a[a] += count;
            of_b[b] += count;
        }
        let n = n as f64;
        let observed = agree as f64 / n;
        let chance = of_a
            .iter()
            .zip(&of_b)
            .map(|(&ca, &cb)| ca as f64 * cb as f64)
            .sum::<f64>()
            / (n * n);
        if chance >= 1.0 {
            return None;
        }
        Some((observed - chance) / (1.0 - chance))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alpha_of(units: &[&[u32]]) -> Option<f64> {
        let mut c = Coincidences::default();
        for u in units {
            c.add_unit(u, 1.0);
        }
        c.alpha()
    }

    #[test]
    fn alpha_matches_krippendorffs_worked_example() {
        // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
        // observers, twelve units, nominal values with some missing; α = 0.743.
        let units: &[&[u32]] = &[
            &[1, 1, 1],
            &[2, 2, 3, 2],
            &[3, 3, 3, 3],
            &[3, 3, 3, 3],
            &[2, 2, 2, 2],
            &[1, 2, 3, 4],
            &[4, 4, 4, 4],
            &[1, 1, 2, 1],
            &[2, 2, 2, 2],
            &[5, 5, 5],
            &[1, 1],
            &[3],
        ];
        let a = alpha_of(units).unwrap();
        assert!((a - 0.743).abs() < 5e-4, "{a}");
    }

    #[test]
    fn alpha_is_one_when_all_agree_and_undefined_without_variation() {
        assert_eq!(alpha_of(&[&[0, 0], &[1, 1], &[1, 1]]), Some(1.0));
        assert_eq!(alpha_of(&[&[1, 1], &[1, 1]]), None);
        assert_eq!(alpha_of(&[&[1]]), None);
    }

    #[test]
    fn weighted_counts_equal_repeated_units() {
        let mut once = Coincidences::default();
        once.add_counts(&[(0, 2), (1, 1)], 3, 4.0);
        once.add_counts(&[(1, 2)], 2, 1.0);
        let mut repeated = Coincidences::default();
        for _ in 0..4 {
            repeated.add_unit(&[0, 1, 0], 1.0);
        }
        repeated.add_unit(&[1, 1], 1.0);
        assert_eq!(once, repeated);
    }

    fn kappa_of(a: &[u32], b: &[u32]) -> Option<f64> {
        let mut c = Confusion::default();
        for (&x, &y) in a.iter().zip(b) {
            c.add(x, y);
        }
        c.kappa()
    }

    #[test]
    fn kappa_of_a_textbook_table() {
        // 50 items: both yes 20, both no 15, a yes b no 5, a no b yes 10; κ = 0.4.
        let mut a = Vec::new();
        let mut b = Vec::new();
        for (x, y, n) in [(1, 1, 20), (0, 0, 15), (1, 0, 5), (0, 1, 10)] {
            a.extend(std::iter::repeat_n(x, n));
            b.extend(std::iter::repeat_n(y, n));
        }
        let k = kappa_of(&a, &b).unwrap();
        assert!((k - 0.4).abs() < 1e-12, "{k}");
        assert_eq!(kappa_of(&[1, 1], &[1, 1]), None);
        assert_eq!(kappa_of(&[1, 1], &[0, 0]), Some(0.0));
        assert_eq!(kappa_of(&[], &[]), None);
    }
}
