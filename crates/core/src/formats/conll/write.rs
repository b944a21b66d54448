//! CoNLL-2003-style BIO (IOB2): one token per line as `TOKEN -X- _ TAG`, a blank line between
//! sentences, `-DOCSTART- -X- -X- O` before each document. Tokens follow the spaCy-like
//! tokenizer, cut at span edges, so a span is exactly its tokens.
//!
//! BIO cannot express overlapping or nested spans. Policy: spans are taken in order of start,
//! longer first, and a span that overlaps one already taken is left out (counted in the
//! report and manifest). A sentence that a kept span crosses is joined with the next, so that
//! no entity is cut in two. Relations, attributes and notes are not carried.

use crate::error::Result;
use crate::formats::spacy::span_edges;
use crate::formats::write::{StreamWriter, Tally};
use crate::model::DocumentView;
use crate::offsets::OffsetMap;
use crate::text::Tokenized;

pub(crate) struct Writer;

impl Writer {
    pub(crate) fn new() -> Writer {
        Writer
    }
}

/// Policy for BIO: the spans kept, as (start, end, label), in order; others are counted.
pub(crate) fn non_overlapping<'a>(
    doc: &'a DocumentView,
    tally: &mut Tally,
) -> Vec<(u32, u32, &'a str)> {
    let mut spans: Vec<(u32, u32, &str)> = doc
        .spans
        .iter()
        .map(|s| (s.start, s.end, s.label.as_str()))
        .collect();
    spans.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(b.2)));
    let mut kept: Vec<(u32, u32, &str)> = Vec::with_capacity(spans.len());
    for s in spans {
        if kept.last().is_some_and(|k| s.0 < k.1) {
            tally.drop_one(
                "overlapping span left out of the BIO tags (the earlier, longer one kept)",
            );
        } else {
            kept.push(s);
        }
    }
    for _ in &doc.relations {
        tally.drop_one("relation (CoNLL BIO has none)");
    }
    kept
}

impl StreamWriter for Writer {
    fn documents_independent(&self) -> bool {
        true
    }

    fn document(&mut self, doc: &DocumentView, out: &mut Vec<u8>, tally: &mut Tally) -> Result<()> {
        let text = &doc.document.text;
        let map = OffsetMap::new(text);
        let tok = Tokenized::new(text, &map, &span_edges(&doc.spans));
        let kept = non_overlapping(doc, tally);
        // Tag of each token.
        let mut tags: Vec<Option<(bool, &str)>> = vec![None; tok.tokens.len()];
        let mut crossing = vec![false; tok.sentences.len()];
        for &(start, end, label) in &kept {
            let first = tok.cp.partition_point(|&(_, e)| e <= start);
            let mut begun = false;
            let mut i = first;
            while i < tok.cp.len() && tok.cp[i].0 < end {
                if !tok.tokens[i].is_space {
                    tags[i] = Some((!begun, label));
                    begun = true;
                }
                i += 1;
            }
            if i > first {
                let (a, b) = (tok.sentence_of(first), tok.sentence_of(i - 1));
                for c in crossing.iter_mut().take(b).skip(a) {
                    *c = true;
                }
            }
        }
        out.extend_from_slice(b"-DOCSTART- -X- -X- O\n\n");
        let mut open_sentence = false;
        for (k, &(first, last)) in tok.sentences.iter().enumerate() {
            for (i, tag) in tags.iter().enumerate().take(last).skip(first) {
                if tok.tokens[i].is_space {
                    continue;
                }
                let word = tok.word(i);
                out.extend_from_slice(word.as_bytes());
                out.extend_from_slice(b" -X- _ ");
                match *tag {
                    None => out.push(b'O'),
                    Some((begin, label)) => {
                        out.extend_from_slice(if begin { b"B-" } else { b"I-" });
                        out.extend_from_slice(label.as_bytes());
                    }
                }
                out.push(b'\n');
                open_sentence = true;
            }
            if open_sentence && !crossing[k] {
                out.push(b'\n');
                open_sentence = false;
            }
        }
        if open_sentence {
            out.push(b'\n');
        }
        Ok(())
    }
}
