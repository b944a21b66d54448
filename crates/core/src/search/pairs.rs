//! Word pairs ("shingles") of the document text, for fast phrase queries.
//!
//! A phrase over common words ("will return to their bases") makes tantivy read every position
//! of every word in each document that has them all: "to" may occur twenty times in an
//! article. Indexing each pair of adjacent words as one term turns that phrase into a phrase of
//! three pair terms that occur about once per article, and a two-word phrase into a single
//! term. A phrase of indexed words matches exactly where the phrase of its pairs does, since
//! pairs are only made of words at consecutive positions, so results and counts stay exact.
//! The text's single words then need no positions in the index.

use tantivy::Term;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer};

use super::fields::words;

/// Name under which the pair analyzer is registered with the index.
pub const PAIR_ANALYZER: &str = "parallax-pairs";

/// Joins the two words of a pair. The analyzer's words are runs of letters and digits, so a
/// space never occurs inside one.
const JOIN: char = ' ';

/// The index analyzer's words, then each two adjacent words as one token.
pub fn pair_analyzer() -> TextAnalyzer {
    words().filter(WordPairs).build()
}

/// Writes the pair of words `a` and `b` into `out`.
fn join_into(out: &mut String, a: &str, b: &str) {
    out.clear();
    out.push_str(a);
    out.push(JOIN);
    out.push_str(b);
}

/// The analysed words of `phrase`, each with its offset from the first (a word the analyzer
/// dropped for its length leaves its place empty).
pub fn phrase_words(phrase: &str) -> Vec<(usize, String)> {
    let mut words = positioned(words().build(), phrase);
    let first = words.first().map_or(0, |w| w.0);
    for (pos, _) in &mut words {
        *pos -= first;
    }
    words
}

/// The tokens `analyzer` makes of `text`, with their positions.
fn positioned(mut analyzer: TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let t = stream.token();
        out.push((t.position, t.text.clone()));
    }
    out
}

/// The query for `phrase` over a document text whose words are in the field `text` (without
/// positions) and whose word pairs are in `pairs`.
///
/// Its words at consecutive positions become pairs, of which every other one (and the last)
/// covers every word, at their offsets in the phrase. A word the analyzer dropped for its
/// length (60 bytes or more) leaves a gap of one position, which any one word of a text fills.
/// A word with gaps on both sides has no pair and is only required to be in the document.
pub fn phrase_query(
    text: Field,
    pairs: Field,
    phrase: &str,
    option: IndexRecordOption,
) -> Box<dyn Query> {
    let words = phrase_words(phrase);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut pair_terms: Vec<(usize, Term)> = Vec::new();
    let mut joined = String::new();
    for run in words.chunk_by(|a, b| b.0 == a.0 + 1) {
        if let [(_, word)] = run {
            let word = Term::from_field_text(text, word);
            clauses.push((Occur::Must, Box::new(TermQuery::new(word, option))));
            continue;
        }
        let last = run.len() - 2;
        for (i, pair) in run.windows(2).enumerate() {
            if i % 2 == 0 || i == last {
                join_into(&mut joined, &pair[0].1, &pair[1].1);
                pair_terms.push((pair[0].0, Term::from_field_text(pairs, &joined)));
            }
        }
    }
    match pair_terms.len() {
        0 => {}
        1 => {
            let (_, pair) = pair_terms.remove(0);
            clauses.push((Occur::Must, Box::new(TermQuery::new(pair, option))));
        }
        _ => clauses.push((
            Occur::Must,
            Box::new(PhraseQuery::new_with_offset(pair_terms)),
        )),
    }
    if clauses.len() == 1 {
        clauses.remove(0).1
    } else {
        Box::new(BooleanQuery::new(clauses))
    }
}

/// A [`TokenFilter`] that turns a stream of words into the stream of adjacent word pairs.
#[derive(Clone, Copy)]
pub struct WordPairs;

impl TokenFilter for WordPairs {
    type Tokenizer<T: Tokenizer> = WordPairsFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> WordPairsFilter<T> {
        WordPairsFilter { inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct WordPairsFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for WordPairsFilter<T> {
    type TokenStream<'a> = WordPairsStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        WordPairsStream {
            inner: self.inner.token_stream(text),
            previous: Token::default(),
            pair: Token::default(),
        }
    }
}

pub struct WordPairsStream<S> {
    inner: S,
    /// The word before the current one; empty text before the first.
    previous: Token,
    pair: Token,
}

impl<S: TokenStream> TokenStream for WordPairsStream<S> {
    fn advance(&mut self) -> bool {
        while self.inner.advance() {
            let word = self.inner.token();
            let previous = &mut self.previous;
            // The first word has no word before it; neither has one after a gap.
            let adjacent = !previous.text.is_empty() && word.position == previous.position + 1;
            if adjacent {
                join_into(&mut self.pair.text, &previous.text, &word.text);
                self.pair.position = previous.position;
                self.pair.offset_from = previous.offset_from;
                self.pair.offset_to = word.offset_to;
                self.pair.position_length = 1;
            }
            previous.text.clear();
            previous.text.push_str(&word.text);
            previous.position = word.position;
            previous.offset_from = word.offset_from;
            previous.offset_to = word.offset_to;
            if adjacent {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        &self.pair
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.pair
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs_of(text: &str) -> Vec<(usize, String)> {
        positioned(pair_analyzer(), text)
    }

    #[test]
    fn adjacent_words_make_pairs_at_the_first_words_position() {
        assert_eq!(
            pairs_of("Troops will return, to Their bases."),
            [
                (0, "troops will".to_string()),
                (1, "will return".to_string()),
                (2, "return to".to_string()),
                (3, "to their".to_string()),
                (4, "their bases".to_string()),
            ]
        );
        assert!(pairs_of("one").is_empty());
        assert!(pairs_of("").is_empty());
    }

    #[test]
    fn a_word_left_out_for_its_length_breaks_the_pairs() {
        let long = "x".repeat(70);
        assert_eq!(
            pairs_of(&format!("a b {long} c d")),
            [(0, "a b".to_string()), (3, "c d".to_string())]
        );
    }

    /// The query's clauses as tantivy prints them, so that the chosen pairs are visible.
    fn shown(phrase: &str) -> String {
        let mut b = tantivy::schema::Schema::builder();
        let text = b.add_text_field("text", tantivy::schema::TEXT);
        let pairs = b.add_text_field("pairs", tantivy::schema::TEXT);
        format!(
            "{:?}",
            phrase_query(text, pairs, phrase, IndexRecordOption::WithFreqs)
        )
    }

    #[test]
    fn a_phrase_becomes_every_other_pair_and_the_last() {
        let q = shown("will return to their bases");
        for pair in ["will return", "to their", "their bases"] {
            assert!(q.contains(pair), "{pair} in {q}");
        }
        for pair in ["return to", "troops will"] {
            assert!(!q.contains(pair), "{pair} in {q}");
        }
        let q = shown("Return to");
        assert!(q.starts_with("TermQuery") && q.contains("return to"), "{q}");
    }

    #[test]
    fn a_word_between_two_gaps_is_only_required() {
        let long = "x".repeat(70);
        let q = shown(&format!("a b {long} c {long} d e"));
        assert!(q.contains("BooleanQuery"), "{q}");
        for part in ["a b", "d e", "\"c\""] {
            assert!(q.contains(part), "{part} in {q}");
        }
    }
}
