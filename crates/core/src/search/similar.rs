//! Passages in other documents that say the same thing. A more-like-this query (the passage's
//! rarest content words, as Lucene's MoreLikeThis picks them, with no minimum frequency so it
//! works on five documents as on 100,000) finds candidate documents; their texts are split into
//! sentences (`crate::text`), and each sentence is ranked by how many of the passage's words it
//! carries and by character-shingle overlap, so a reworded quote still ranks high.
//!
//! tantivy's own `MoreLikeThisQuery` is not used: in 0.27 it computes idf from the live document
//! count but the term frequency including deleted documents, and panics (`idf` assertion) once
//! an update has deleted more documents holding a term than remain alive.

use std::collections::HashSet;

use rayon::prelude::*;
use serde::Serialize;
use tantivy::Term;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use ts_rs::TS;

use super::SearchIndex;
use super::highlight::{analysed, tokens};
use crate::error::{Error, Result};
use crate::model::{Document, Passage};
use crate::offsets::OffsetMap;
use crate::store::Workspace;

/// Candidate documents read for sentences.
const CANDIDATES: usize = 50;
/// Length of the character shingles compared.
const SHINGLE: usize = 4;
/// Words of the passage the candidate query uses at most.
const QUERY_TERMS: usize = 25;
/// Passages scoring below this are not similar enough to show.
const MIN_SCORE: f32 = 0.15;

const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "had", "has", "have", "he",
    "her", "his", "in", "is", "it", "its", "of", "on", "or", "said", "that", "the", "their",
    "they", "this", "to", "was", "were", "which", "will", "with",
];

/// A sentence of another document, ranked against the passage asked about.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SimilarPassage {
    #[serde(flatten)]
    pub passage: Passage,
    /// 0 to 1: half the share of the passage's words found here, half shingle overlap.
    pub score: f32,
}

/// A word that says something: longer than two letters and not a stop word.
fn is_content_word(token: &str) -> bool {
    token.chars().count() > 2 && !STOP_WORDS.contains(&token)
}

/// What a passage is compared by: its content words and its character shingles (four
/// characters packed into one number; no allocation per shingle).
struct Profile {
    words: HashSet<String>,
    folded: String,
}

fn shingles(folded: &str) -> HashSet<u128> {
    let chars: Vec<char> = folded.chars().collect();
    let pack = |w: &[char]| w.iter().fold(0u128, |acc, &c| (acc << 32) | c as u128);
    if chars.len() < SHINGLE {
        return std::iter::once(pack(&chars)).collect();
    }
    chars.windows(SHINGLE).map(pack).collect()
}

impl Profile {
    fn of(text: &str) -> Profile {
        Profile::of_tokens(&tokens(text))
    }

    fn of_tokens<S: AsRef<str>>(toks: &[S]) -> Profile {
        let folded = toks.iter().map(AsRef::as_ref).collect::<Vec<_>>().join(" ");
        let words = toks
            .iter()
            .map(AsRef::as_ref)
            .filter(|t| is_content_word(t))
            .map(str::to_string)
            .collect();
        Profile { words, folded }
    }

    /// Share of this passage's content words that `other` carries.
    fn word_share(&self, other: &Profile) -> f32 {
        if self.words.is_empty() {
            return 0.0;
        }
        self.words.intersection(&other.words).count() as f32 / self.words.len() as f32
    }

    /// How alike `other` is to this passage, from 0 to 1: half the share of this passage's
    /// content words found in it, half the Jaccard overlap of their shingles.
    fn likeness(&self, shingled: &HashSet<u128>, other: &Profile) -> f32 {
        let theirs = shingles(&other.folded);
        let union = shingled.union(&theirs).count();
        let jaccard = if union == 0 {
            0.0
        } else {
            shingled.intersection(&theirs).count() as f32 / union as f32
        };
        0.5 * self.word_share(other) + 0.5 * jaccard
    }
}

/// Sentences of one candidate document compared in full (after ranking by shared words).
const SENTENCES_COMPARED: usize = 3;

/// How alike a sentence is to the passage, from 0 to 1.
pub fn likeness(passage: &str, sentence: &str) -> f32 {
    let p = Profile::of(passage);
    p.likeness(&shingles(&p.folded), &Profile::of(sentence))
}

/// The sentence of `doc` most like the passage, if one is alike enough. The document is
/// analysed once; sentences are ranked by shared words over its tokens, and only the best few
/// are compared by shingles.
fn best_sentence(
    profile: &Profile,
    passage_shingles: &HashSet<u128>,
    doc: &Document,
) -> Option<SimilarPassage> {
    let text = &doc.text;
    let toks = analysed(text);
    let mut ranked: Vec<(f32, usize, usize, std::ops::Range<usize>)> = Vec::new();
    let mut at = 0;
    for (s, e) in crate::text::sentence_ranges(text) {
        while at < toks.len() && toks[at].1 < s {
            at += 1;
        }
        let first = at;
        while at < toks.len() && toks[at].2 <= e {
            at += 1;
        }
        let mut shared: Vec<&str> = toks[first..at]
            .iter()
            .map(|t| t.0.as_str())
            .filter(|w| profile.words.contains(*w))
            .collect();
        shared.sort_unstable();
        shared.dedup();
        if !shared.is_empty() {
            let share = shared.len() as f32 / profile.words.len() as f32;
            ranked.push((share, s, e, first..at));
        }
    }
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (score, s, e) = ranked
        .into_iter()
        .take(SENTENCES_COMPARED)
        .map(|(_, s, e, range)| {
            let words: Vec<&str> = toks[range].iter().map(|t| t.0.as_str()).collect();
            (
                profile.likeness(passage_shingles, &Profile::of_tokens(&words)),
                s,
                e,
            )
        })
        .filter(|(score, ..)| *score >= MIN_SCORE)
        .max_by(|a, b| a.0.total_cmp(&b.0))?;
    let map = OffsetMap::new(text);
    let (start, end) = (map.byte_to_cp(s)? as u32, map.byte_to_cp(e)? as u32);
    Some(SimilarPassage {
        passage: Passage::of(&doc.summary, start, end, text[s..e].to_string()),
        score,
    })
}

impl SearchIndex {
    /// The sentences of other documents most like `passage`, best first. `exclude_doc` is the
    /// document the passage comes from.
    pub fn similar(
        &self,
        ws: &Workspace,
        passage: &str,
        exclude_doc: Option<&str>,
        limit: usize,
    ) -> Result<Vec<SimilarPassage>> {
        let profile = Profile::of(passage);
        let passage_shingles = shingles(&profile.folded);
        if profile.words.is_empty() {
            return Err(Error::Query(
                "give a passage with some words to compare, not only short or common ones".into(),
            ));
        }
        let f = &self.fields;
        let searcher = self.reader.searcher();
        // Counted as tantivy counts document frequencies: deleted documents included.
        let all: u64 = searcher
            .segment_readers()
            .iter()
            .map(|r| u64::from(r.max_doc()))
            .sum();
        let mut counts: std::collections::HashMap<String, usize> = Default::default();
        for t in tokens(passage).into_iter().filter(|t| is_content_word(t)) {
            *counts.entry(t).or_default() += 1;
        }
        let mut weighted = Vec::with_capacity(counts.len());
        for (word, tf) in counts {
            let term = Term::from_field_text(f.text, &word);
            let df = searcher
                .doc_freq(&term)
                .map_err(|e| Error::Index(e.to_string()))?;
            if df == 0 {
                continue;
            }
            let idf = (1.0 + (all.saturating_sub(df) as f32 + 0.5) / (df as f32 + 0.5)).ln();
            weighted.push((tf as f32 * idf, term));
        }
        weighted.sort_by(|a, b| b.0.total_cmp(&a.0));
        if weighted.is_empty() {
            return Ok(Vec::new());
        }
        let like: Vec<(Occur, Box<dyn Query>)> = weighted
            .into_iter()
            .take(QUERY_TERMS)
            .map(|(_, term)| {
                (
                    Occur::Should,
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)) as Box<dyn Query>,
                )
            })
            .collect();
        // Only document records have `text`: a pure disjunction, which tantivy answers with
        // block-max pruning instead of scoring every document that shares a word.
        let mlt = BooleanQuery::new(like);
        let candidates = searcher
            .search(&mlt, &TopDocs::with_limit(CANDIDATES + 1).order_by_score())
            .map_err(|e| Error::Index(e.to_string()))?;
        // Read the candidates (one database connection), then rank their sentences on all cores.
        let mut docs = Vec::with_capacity(candidates.len());
        for (_, address) in candidates {
            let id = super::stored(&searcher, address, f.doc_id)?;
            if exclude_doc != Some(id.as_str()) {
                docs.push(ws.document(&id)?);
            }
        }
        let mut out: Vec<SimilarPassage> = docs
            .par_iter()
            .filter_map(|doc| best_sentence(&profile, &passage_shingles, doc))
            .collect();
        out.sort_by(|a, b| b.score.total_cmp(&a.score));
        out.truncate(limit);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reworded_quote_is_more_alike_than_an_unrelated_sentence() {
        let quote = "some units of the southern and western military districts are returning to their bases";
        let reworded =
            "Units from the southern and western districts will begin moving to their garrisons.";
        let unrelated = "Diplomats met in Geneva to discuss security guarantees.";
        assert!(
            likeness(quote, reworded) > 0.3,
            "{}",
            likeness(quote, reworded)
        );
        assert!(
            likeness(quote, unrelated) < MIN_SCORE,
            "{}",
            likeness(quote, unrelated)
        );
        assert!((likeness(quote, quote) - 1.0).abs() < 1e-6);
    }
}
