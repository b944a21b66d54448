//! The units the coefficients count: each character of a document for Krippendorff's α (coded
//! 1 where a layer has a span of the label over it, else 0), and each word token for Cohen's κ
//! (tagged with the label of the span over it, else none).

use super::coefficients::{Coincidences, Confusion};
use super::matching::Extent;
use crate::offsets::OffsetMap;
use crate::text::tokens::tokenize;

/// Adds the characters `[0, len)` of one document to `into`, for one label: each character a
/// unit, coded by every layer given (1 where one of its spans of `label` covers it). Runs of
/// characters coded alike are added at once, weighted by their length.
pub(crate) fn characters(len: u32, layers: &[&[Extent]], label: u32, into: &mut Coincidences) {
    let m = layers.len();
    if m < 2 || len == 0 {
        return;
    }
    // +1 where a layer's cover of the label begins, −1 where it ends.
    let mut edges: Vec<(u32, i32)> = Vec::new();
    for spans in layers {
        let mut cover: Option<(u32, u32)> = None;
        for s in spans.iter().filter(|s| s.label == label) {
            let (start, end) = (s.start.min(len), s.end.min(len));
            match &mut cover {
                Some((_, e)) if start <= *e => *e = (*e).max(end),
                _ => {
                    if let Some((a, b)) = cover.replace((start, end)) {
                        edges.extend([(a, 1), (b, -1)]);
                    }
                }
            }
        }
        if let Some((a, b)) = cover {
            edges.extend([(a, 1), (b, -1)]);
        }
    }
    edges.sort_unstable();
    let (mut at, mut covering) = (0u32, 0i32);
    let run = |from: u32, to: u32, covering: i32, into: &mut Coincidences| {
        if to > from {
            let ones = covering.max(0) as usize;
            into.add_counts(&[(1, ones), (0, m - ones)], m, f64::from(to - from));
        }
    };
    for (pos, delta) in edges {
        run(at, pos, covering, into);
        at = at.max(pos);
        covering += delta;
    }
    run(at, len, covering, into);
}

/// The word tokens of a text (no whitespace tokens), `[start, end)` in code points.
pub(crate) fn word_tokens(text: &str) -> Vec<(u32, u32)> {
    let map = OffsetMap::new(text);
    tokenize(text, &[])
        .into_iter()
        .filter(|t| !t.is_space)
        .filter_map(|t| {
            Some((
                map.byte_to_cp(t.start)? as u32,
                map.byte_to_cp(t.end)? as u32,
            ))
        })
        .collect()
}

/// Each token's tag in one layer: 0 for none, else 1 + the label of the span over it (of
/// several, the one that starts first, then the longest, then the first label). `spans`
/// sorted by start.
pub(crate) fn tags(tokens: &[(u32, u32)], spans: &[Extent]) -> Vec<u32> {
    let mut next = 0;
    let mut open: Vec<Extent> = Vec::new();
    tokens
        .iter()
        .map(|&(start, end)| {
            while next < spans.len() && spans[next].start < end {
                open.push(spans[next]);
                next += 1;
            }
            open.retain(|s| s.end > start);
            open.iter()
                .min_by(|a, b| (a.start, b.end, a.label).cmp(&(b.start, a.end, b.label)))
                .map_or(0, |s| s.label + 1)
        })
        .collect()
}

/// Two layers' tags of the same tokens, counted.
pub(crate) fn confusion(a: &[u32], b: &[u32], into: &mut Confusion) {
    for (&x, &y) in a.iter().zip(b) {
        into.add(x, y);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ext(start: u32, end: u32, label: u32) -> Extent {
        Extent { start, end, label }
    }

    /// The same characters, one unit each.
    fn by_character(len: u32, layers: &[&[Extent]], label: u32) -> Coincidences {
        let mut c = Coincidences::default();
        for x in 0..len {
            let values: Vec<u32> = layers
                .iter()
                .map(|l| {
                    u32::from(
                        l.iter()
                            .any(|s| s.label == label && s.start <= x && x < s.end),
                    )
                })
                .collect();
            c.add_unit(&values, 1.0);
        }
        c
    }

    #[test]
    fn runs_of_characters_count_as_their_characters_one_by_one() {
        let a = [ext(0, 4, 0), ext(2, 6, 0), ext(8, 12, 1), ext(10, 30, 0)];
        let b = [ext(1, 5, 0), ext(9, 12, 0)];
        let c: [Extent; 0] = [];
        for layers in [&[&a[..], &b[..]][..], &[&a[..], &b[..], &c[..]][..]] {
            for label in [0, 1] {
                let mut runs = Coincidences::default();
                characters(20, layers, label, &mut runs);
                assert_eq!(runs, by_character(20, layers, label));
            }
        }
    }

    #[test]
    fn a_token_takes_the_label_of_the_first_longest_span_over_it() {
        let tokens = [(0, 3), (4, 9), (10, 12), (13, 20)];
        let spans = [ext(0, 9, 2), ext(4, 12, 1), ext(4, 20, 0)];
        assert_eq!(tags(&tokens, &spans), vec![3, 3, 1, 1]);
        assert_eq!(tags(&tokens, &[]), vec![0, 0, 0, 0]);
    }

    #[test]
    fn word_tokens_leave_spaces_out_and_count_code_points() {
        assert_eq!(
            word_tokens("🚌 goes,  now"),
            vec![(0, 1), (2, 6), (6, 7), (9, 12)]
        );
    }
}
