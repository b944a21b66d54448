//! Every occurrence of a phrase across the corpus, for "label all occurrences": the index finds
//! the documents that contain the phrase's words in order, then each text is scanned for the
//! exact phrase, ignoring case and quote style (’ = ', “ = "), at word boundaries.

use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::schema::IndexRecordOption;
use ts_rs::TS;

use super::SearchIndex;
use super::highlight::tokens;
use super::pairs::phrase_query;
use crate::error::{Error, Result};
use crate::model::Passage;
use crate::store::Workspace;

/// One place where the phrase occurs.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Occurrence {
    /// Where, and the text as it is written there.
    #[serde(flatten)]
    pub passage: Passage,
    /// Labels of spans that already cover exactly this range.
    pub labels: Vec<String>,
}

/// One character as compared: lowercase, and one form of each quote.
fn fold(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '`' => '\'',
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{ab}' | '\u{bb}' => '"',
        c => {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) => l,
                _ => c,
            }
        }
    }
}

/// Start offsets (code points) of every occurrence of `needle` in `hay`, at word boundaries,
/// not overlapping.
pub fn find_all(hay: &[char], needle: &[char]) -> Vec<usize> {
    let n = needle.len();
    let mut out = Vec::new();
    if n == 0 || hay.len() < n {
        return out;
    }
    let word = |c: char| c.is_alphanumeric();
    let mut i = 0;
    while i + n <= hay.len() {
        let fits = hay[i..i + n]
            .iter()
            .zip(needle)
            .all(|(a, b)| fold(*a) == *b);
        let starts_ok = !word(needle[0]) || i == 0 || !word(hay[i - 1]);
        let ends_ok = !word(needle[n - 1]) || i + n == hay.len() || !word(hay[i + n]);
        if fits && starts_ok && ends_ok {
            out.push(i);
            i += n;
        } else {
            i += 1;
        }
    }
    out
}

impl SearchIndex {
    /// Every occurrence of `phrase` in the workspace's documents.
    pub fn occurrences(&self, ws: &Workspace, phrase: &str) -> Result<Vec<Occurrence>> {
        let phrase = phrase.trim();
        let words = tokens(phrase);
        if words.is_empty() {
            return Err(Error::Query(format!(
                "`{phrase}` has no letters or digits to look for"
            )));
        }
        let f = &self.fields;
        let words_query = phrase_query(f.text, f.text_pairs, phrase, IndexRecordOption::Basic);
        // Only document records have `text`: no record-kind filter needed.
        let searcher = self.reader.searcher();
        let addresses = searcher
            .search(words_query.as_ref(), &DocSetCollector)
            .map_err(|e| Error::Index(e.to_string()))?;
        let needle: Vec<char> = phrase.chars().map(fold).collect();
        let mut out = Vec::new();
        for address in addresses {
            let id = super::stored(&searcher, address, f.doc_id)?;
            let doc = ws.document(&id)?;
            let chars: Vec<char> = doc.text.chars().collect();
            let starts = find_all(&chars, &needle);
            if starts.is_empty() {
                continue;
            }
            let spans = ws.spans(&id)?;
            for start in starts {
                let end = start + needle.len();
                let (s, e) = (start as u32, end as u32);
                out.push(Occurrence {
                    passage: Passage::of(&doc.summary, s, e, chars[start..end].iter().collect()),
                    labels: spans
                        .iter()
                        .filter(|sp| sp.start == s && sp.end == e)
                        .map(|sp| sp.label.clone())
                        .collect(),
                });
            }
        }
        out.sort_by(|a, b| {
            let (a, b) = (&a.passage, &b.passage);
            (&a.doc_id, a.start).cmp(&(&b.doc_id, b.start))
        });
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(hay: &str, needle: &str) -> Vec<usize> {
        let hay: Vec<char> = hay.chars().collect();
        let needle: Vec<char> = needle.chars().map(fold).collect();
        find_all(&hay, &needle)
    }

    #[test]
    fn case_and_quote_style_do_not_matter_but_word_boundaries_do() {
        assert_eq!(
            find("Russia’s units; RUSSIA'S UNITS", "russia's units"),
            [0, 16]
        );
        assert_eq!(find("subunits and units", "units"), [13]);
        assert_eq!(find("“Quoted”", "\"quoted\""), [0]);
        assert_eq!(find("🇷🇺 units", "units"), [3]);
        assert!(find("unit", "units").is_empty());
    }
}
