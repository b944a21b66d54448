//! Text analysis the engine shares: word tokens close to spaCy's English tokenizer and
//! sentences over them, how alike two names are, the claim inside a sentence, and the hash that
//! identifies a text. Offsets here are UTF-8 bytes; `Tokenized` also gives code points.

pub mod decode;
pub mod names;
pub mod passage;
pub mod sentences;
pub mod title;
pub mod tokens;

use sha2::{Digest, Sha256};

use crate::offsets::OffsetMap;
pub use sentences::sentences;
pub use tokens::{Token, tokenize};

/// Lowercase hex SHA-256 of some bytes: how a document's text is known again.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push(char::from_digit((b >> 4) as u32, 16).unwrap_or('0'));
        out.push(char::from_digit((b & 15) as u32, 16).unwrap_or('0'));
    }
    out
}

/// CRLF and lone CR become LF; a BOM character left at the start goes.
pub fn normalize_newlines(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// ISO 639-3 code of the text's language, when the detector is confident.
pub fn detect_language(text: &str) -> Option<String> {
    let mut end = text.len().min(2000);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let info = whatlang::detect(&text[..end])?;
    info.is_reliable().then(|| info.lang().code().to_string())
}

/// `s` cut at a word boundary to at most `max` characters, with an ellipsis when cut.
pub(crate) fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let head: String = s.chars().take(max - 1).collect();
    let cut = head
        .rfind(char::is_whitespace)
        .map_or(head.as_str(), |i| &head[..i]);
    let cut = cut.trim_end_matches(|c: char| c.is_whitespace() || ",;:—–-".contains(c));
    format!("{cut}…")
}

/// Sentences of `text` as byte ranges, each from its first word to its last (no surrounding
/// whitespace).
pub fn sentence_ranges(text: &str) -> Vec<(usize, usize)> {
    let tokens = tokenize(text, &[]);
    sentences(text, &tokens)
        .into_iter()
        .filter_map(|(a, b)| {
            let mut words = tokens[a..b].iter().filter(|t| !t.is_space);
            let first = words.next()?;
            let last = words.next_back().unwrap_or(first);
            Some((first.start, last.end))
        })
        .collect()
}

/// A text cut into tokens and sentences, with code point offsets for each token.
pub struct Tokenized<'a> {
    pub text: &'a str,
    pub tokens: Vec<Token>,
    /// `[start, end)` of each token in code points.
    pub cp: Vec<(u32, u32)>,
    /// Sentences as `[first, last)` token indices.
    pub sentences: Vec<(usize, usize)>,
}

impl<'a> Tokenized<'a> {
    /// Tokenises `text` so that every code point offset in `edges` is a token boundary.
    pub fn new(text: &'a str, map: &OffsetMap<'_>, edges: &[u32]) -> Self {
        let forced: Vec<usize> = edges
            .iter()
            .filter_map(|&cp| map.cp_to_byte(cp as usize))
            .collect();
        let tokens = tokenize(text, &forced);
        let cp = tokens
            .iter()
            .map(|t| {
                (
                    map.byte_to_cp(t.start).unwrap_or(0) as u32,
                    map.byte_to_cp(t.end).unwrap_or(0) as u32,
                )
            })
            .collect();
        let sentences = sentences(text, &tokens);
        Tokenized {
            text,
            tokens,
            cp,
            sentences,
        }
    }

    pub fn word(&self, i: usize) -> &'a str {
        &self.text[self.tokens[i].start..self.tokens[i].end]
    }

    /// The index of the token that starts at code point `start`, if one does.
    pub fn token_starting_at(&self, start: u32) -> Option<usize> {
        self.cp.binary_search_by_key(&start, |&(s, _)| s).ok()
    }

    /// The index of the token that ends at code point `end`, if one does.
    pub fn token_ending_at(&self, end: u32) -> Option<usize> {
        self.cp.binary_search_by_key(&end, |&(_, e)| e).ok()
    }

    /// The sentence holding token `i`.
    pub fn sentence_of(&self, i: usize) -> usize {
        self.sentences
            .partition_point(|&(_, last)| last <= i)
            .min(self.sentences.len().saturating_sub(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_ranges_are_trimmed_and_hold_titles_and_initials() {
        let text = "  Maj. Gen. Igor Konashenkov spoke. “Units will return,” he said. U.S. officials doubted it!\nNew line ";
        let got: Vec<&str> = sentence_ranges(text)
            .into_iter()
            .map(|(a, b)| &text[a..b])
            .collect();
        assert_eq!(
            got,
            [
                "Maj. Gen. Igor Konashenkov spoke.",
                "“Units will return,” he said.",
                "U.S. officials doubted it!",
                "New line"
            ]
        );
    }
}
