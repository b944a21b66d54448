//! Two layers' spans and relations matched one to one: spans exactly (same start, end and
//! label) or by overlap (same label, characters in common; the largest overlaps paired first),
//! relations by type with both ends matched exactly. Counts add up over labels, documents and
//! pairs, and give F1 = 2 · matched / (spans of one + spans of the other).

use serde::Serialize;
use ts_rs::TS;

/// A span as agreement compares it: `[start, end)` in code points, and its label's index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Extent {
    pub start: u32,
    pub end: u32,
    pub label: u32,
}

impl Extent {
    fn overlap(&self, other: &Extent) -> u32 {
        self.end
            .min(other.end)
            .saturating_sub(self.start.max(other.start))
    }
}

/// A relation as agreement compares it: its type's index and its two ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Link {
    pub kind: u32,
    pub head: Extent,
    pub child: Extent,
}

/// How many of two sets' items matched, and how many each had.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Matched {
    pub matched: u32,
    /// Items of the first annotator (or, summed over pairs, of each pair's first).
    pub first: u32,
    pub second: u32,
}

impl Matched {
    pub fn add(&mut self, other: Matched) {
        self.matched += other.matched;
        self.first += other.first;
        self.second += other.second;
    }

    /// F1 (the Dice coefficient): `None` when neither had anything.
    pub fn f1(&self) -> Option<f64> {
        let total = self.first + self.second;
        (total > 0).then(|| 2.0 * f64::from(self.matched) / f64::from(total))
    }
}

/// Items equal in both (a multiset intersection), of sorted lists.
pub(crate) fn exact<T: Ord>(a: &[T], b: &[T]) -> Matched {
    let (mut i, mut j, mut matched) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                matched += 1;
                i += 1;
                j += 1;
            }
        }
    }
    Matched {
        matched,
        first: a.len() as u32,
        second: b.len() as u32,
    }
}

/// Spans of one label paired one to one by overlap, largest overlap first (ties: the earlier
/// span of `a`, then of `b`).
pub(crate) fn overlapping(a: &[Extent], b: &[Extent]) -> Matched {
    let mut pairs: Vec<(u32, usize, usize)> = Vec::new();
    for (i, x) in a.iter().enumerate() {
        for (j, y) in b.iter().enumerate() {
            // Sorted by start: nothing later in `b` can overlap `x` once `y` starts after it.
            if y.start >= x.end {
                break;
            }
            let common = x.overlap(y);
            if common > 0 && x.label == y.label {
                pairs.push((common, i, j));
            }
        }
    }
    pairs.sort_by(|p, q| q.0.cmp(&p.0).then((p.1, p.2).cmp(&(q.1, q.2))));
    let (mut used_a, mut used_b) = (vec![false; a.len()], vec![false; b.len()]);
    let mut matched = 0;
    for (_, i, j) in pairs {
        if !used_a[i] && !used_b[j] {
            used_a[i] = true;
            used_b[j] = true;
            matched += 1;
        }
    }
    Matched {
        matched,
        first: a.len() as u32,
        second: b.len() as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ext(start: u32, end: u32, label: u32) -> Extent {
        Extent { start, end, label }
    }

    #[test]
    fn exact_counts_a_multiset_intersection() {
        let a = [ext(0, 5, 0), ext(0, 5, 0), ext(6, 9, 1)];
        let b = [ext(0, 5, 0), ext(6, 9, 0)];
        let m = exact(&a, &b);
        assert_eq!((m.matched, m.first, m.second), (1, 3, 2));
        assert_eq!(m.f1(), Some(0.4));
        assert_eq!(exact::<Extent>(&[], &[]).f1(), None);
    }

    #[test]
    fn overlap_pairs_one_to_one_with_the_largest_overlap_first() {
        // b's long span overlaps both of a's; it goes to the one it shares most with.
        let a = [ext(0, 4, 0), ext(5, 20, 0)];
        let b = [ext(2, 18, 0)];
        let m = overlapping(&a, &b);
        assert_eq!((m.matched, m.first, m.second), (1, 2, 1));
        // Another label never matches, however much it overlaps.
        assert_eq!(overlapping(&[ext(0, 9, 0)], &[ext(0, 9, 1)]).matched, 0);
        // Nested spans of one label match.
        assert_eq!(overlapping(&[ext(0, 20, 0)], &[ext(5, 8, 0)]).matched, 1);
        // Touching is not overlapping.
        assert_eq!(overlapping(&[ext(0, 5, 0)], &[ext(5, 8, 0)]).matched, 0);
    }
}
