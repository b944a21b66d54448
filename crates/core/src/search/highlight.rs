//! Where a query matches inside a text, in code points, and the snippet around the best
//! matches. The text is re-tokenised with the index's analyzer (the index keeps token
//! positions, not character offsets); a phrase is marked as one range, not word by word.

use serde::Serialize;
use tantivy::tokenizer::TokenStream;
use ts_rs::TS;

use super::fields::analyzer;
use super::query::{Node, Value};
use crate::offsets::OffsetMap;

/// What to look for: terms, prefixes and phrases (as analysed tokens) from a query.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Needles {
    pub phrases: Vec<Vec<String>>,
    pub prefixes: Vec<String>,
}

/// Analysed tokens of `text` with their byte ranges in it.
pub(crate) fn analysed(text: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut analyzer = analyzer();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let t = stream.token();
        out.push((t.text.clone(), t.offset_from, t.offset_to));
    }
    out
}

/// Analysed tokens of `text`, as the index stores them.
pub fn tokens(text: &str) -> Vec<String> {
    analysed(text).into_iter().map(|t| t.0).collect()
}

impl Needles {
    /// The positive text clauses of a query (negated ones are not highlighted). `fields` are
    /// the field names that search the text being highlighted (`None` = the default field).
    pub fn of(node: &Node, fields: &[Option<&str>]) -> Needles {
        let mut n = Needles::default();
        n.collect(node, fields, false);
        n
    }

    fn collect(&mut self, node: &Node, fields: &[Option<&str>], negated: bool) {
        match node {
            Node::All => {}
            Node::And(items) | Node::Or(items) => {
                for i in items {
                    self.collect(i, fields, negated);
                }
            }
            Node::Not(inner) => self.collect(inner, fields, !negated),
            Node::Clause { field, value } => {
                if negated || !fields.contains(&field.as_deref()) {
                    return;
                }
                match value {
                    Value::Word(w) | Value::Phrase(w) => {
                        let t = tokens(w);
                        if !t.is_empty() {
                            self.phrases.push(t);
                        }
                    }
                    Value::Prefix(p) => {
                        if let Some(t) = tokens(p).into_iter().next() {
                            self.prefixes.push(t);
                        }
                    }
                    Value::Range { .. } => {}
                }
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty() && self.prefixes.is_empty()
    }
}

/// Every match of `needles` in `text` as `[start, end)` in code points, sorted, not overlapping.
pub fn match_ranges(text: &str, needles: &Needles) -> Vec<[u32; 2]> {
    if needles.is_empty() {
        return Vec::new();
    }
    let toks = analysed(text);
    let mut bytes: Vec<(usize, usize)> = Vec::new();
    for i in 0..toks.len() {
        for phrase in &needles.phrases {
            let n = phrase.len();
            if i + n <= toks.len() && toks[i..i + n].iter().map(|t| &t.0).eq(phrase.iter()) {
                bytes.push((toks[i].1, toks[i + n - 1].2));
            }
        }
        if needles
            .prefixes
            .iter()
            .any(|p| toks[i].0.starts_with(p.as_str()))
        {
            bytes.push((toks[i].1, toks[i].2));
        }
    }
    bytes.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in bytes {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    let map = OffsetMap::new(text);
    merged
        .into_iter()
        .filter_map(|(s, e)| Some([map.byte_to_cp(s)? as u32, map.byte_to_cp(e)? as u32]))
        .collect()
}

/// A piece of a document around its best matches.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Snippet {
    pub text: String,
    /// Where the snippet starts in the document, in code points.
    pub start: u32,
    /// The matches inside `text`, `[start, end)` in code points of `text`.
    pub highlights: Vec<[u32; 2]>,
}

/// Code points of text a snippet shows.
const SNIPPET_CHARS: usize = 220;
/// Code points of context shown before the first match.
const LEAD_CHARS: usize = 60;

/// The snippet of `text` with the most matches in a window; the start of the text when
/// nothing matches.
pub fn snippet(text: &str, matches: &[[u32; 2]]) -> Snippet {
    let chars: Vec<char> = text.chars().collect();
    let window = SNIPPET_CHARS as u32;
    let best = (0..matches.len())
        .max_by_key(|&i| {
            let count = matches[i..]
                .iter()
                .take_while(|m| m[1] <= matches[i][0] + window - LEAD_CHARS as u32)
                .count();
            (count, std::cmp::Reverse(i))
        })
        .map(|i| matches[i][0] as usize);
    let mut start = best.map_or(0, |b| b.saturating_sub(LEAD_CHARS));
    // Begin at a word boundary, and after a paragraph break if one is near.
    if start > 0 {
        let anchor = best.unwrap_or(start);
        if let Some(nl) = (start..anchor).rev().find(|&i| chars[i] == '\n') {
            start = nl + 1;
        } else {
            while start < anchor && !chars[start - 1].is_whitespace() {
                start += 1;
            }
        }
    }
    let mut end = (start + SNIPPET_CHARS).min(chars.len());
    if end < chars.len() {
        while end > start + SNIPPET_CHARS / 2 && !chars[end].is_whitespace() {
            end -= 1;
        }
    }
    let piece: String = chars[start..end].iter().collect();
    let (s, e) = (start as u32, end as u32);
    Snippet {
        text: piece.replace('\n', " "),
        start: s,
        highlights: matches
            .iter()
            .filter(|m| m[0] >= s && m[1] <= e)
            .map(|m| [m[0] - s, m[1] - s])
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::parse;

    fn ranges(text: &str, query: &str) -> Vec<String> {
        let needles = Needles::of(&parse(query).unwrap(), &[None, Some("text")]);
        let chars: Vec<char> = text.chars().collect();
        match_ranges(text, &needles)
            .into_iter()
            .map(|[s, e]| chars[s as usize..e as usize].iter().collect())
            .collect()
    }

    #[test]
    fn words_phrases_and_prefixes_are_found_in_code_points() {
        let text = "🇺🇦 “Some units are returning,” said Zoë. Units returned; SOME UNITS stayed.";
        assert_eq!(ranges(text, "zoe"), ["Zoë"]);
        assert_eq!(ranges(text, "\"some units\""), ["Some units", "SOME UNITS"]);
        assert_eq!(ranges(text, "return*"), ["returning", "returned"]);
        assert_eq!(ranges(text, "units -zoe"), ["units", "Units", "UNITS"]);
        assert!(ranges(text, "outlet:units").is_empty());
        assert!(ranges(text, "").is_empty());
    }

    #[test]
    fn the_snippet_shows_the_densest_matches_and_maps_back() {
        let filler = "Nothing to see here at all. ".repeat(20);
        let text = format!("{filler}Troops left. More troops and troops again.\n\n{filler}");
        let needles = Needles::of(&parse("troops").unwrap(), &[None]);
        let m = match_ranges(&text, &needles);
        assert_eq!(m.len(), 3);
        let s = snippet(&text, &m);
        assert_eq!(s.highlights.len(), 3);
        let chars: Vec<char> = s.text.chars().collect();
        for h in &s.highlights {
            let word: String = chars[h[0] as usize..h[1] as usize].iter().collect();
            assert_eq!(word.to_lowercase(), "troops");
        }
        assert!(
            s.start > 0 && s.text.starts_with(|c: char| c.is_alphanumeric()),
            "{:?}",
            s.text
        );
        assert!(s.text.chars().count() <= SNIPPET_CHARS);
    }

    #[test]
    fn without_matches_the_snippet_is_the_opening() {
        let s = snippet("Short text.", &[]);
        assert_eq!((s.text.as_str(), s.start), ("Short text.", 0));
    }
}
