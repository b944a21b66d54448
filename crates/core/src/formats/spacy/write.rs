//! spaCy / Prodigy JSONL: one task per document with `tokens` (`text`, `start`, `end`, `id`,
//! `ws`), `spans` (`start`, `end`, `token_start`, `token_end` inclusive, `label`) and
//! `relations` (`head` / `child`: the index of the last token of each span, with `head_span` /
//! `child_span`), as Prodigy's `rel.manual` and `spans.manual` write them. Offsets in code
//! points. The tokens follow spaCy's English rules and are also cut at every span edge, so
//! `Doc(vocab, words, spaces).char_span(start, end)` finds every span.

use std::collections::HashMap;

use serde::Serialize;

use crate::error::Result;
use crate::formats::write::{StreamWriter, Tally};
use crate::model::{DocumentView, Span};
use crate::offsets::OffsetMap;
use crate::text::Tokenized;

#[derive(Serialize)]
struct TokenOut<'a> {
    text: &'a str,
    start: u32,
    end: u32,
    id: usize,
    ws: bool,
}

#[derive(Serialize, Clone, Copy)]
struct SpanOut<'a> {
    start: u32,
    end: u32,
    token_start: usize,
    token_end: usize,
    label: &'a str,
}

#[derive(Serialize)]
struct RelationOut<'a> {
    head: usize,
    child: usize,
    head_span: SpanOut<'a>,
    child_span: SpanOut<'a>,
    label: &'a str,
}

#[derive(Serialize)]
struct Meta<'a> {
    id: &'a str,
    title: Option<&'a str>,
    outlet: Option<&'a str>,
    published: Option<&'a str>,
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct Task<'a> {
    text: &'a str,
    meta: Meta<'a>,
    #[serde(rename = "_input_hash")]
    input_hash: i32,
    #[serde(rename = "_task_hash")]
    task_hash: i32,
    tokens: Vec<TokenOut<'a>>,
    spans: Vec<SpanOut<'a>>,
    relations: Vec<RelationOut<'a>>,
    answer: &'static str,
    #[serde(rename = "_annotator_id")]
    annotator_id: String,
    #[serde(rename = "_view_id")]
    view_id: &'static str,
}

/// A stable signed 32-bit hash (FNV-1a), in the range Prodigy's hashes take.
fn hash32(parts: &[&[u8]]) -> i32 {
    let mut h: u32 = 0x811c_9dc5;
    for part in parts {
        for &b in *part {
            h ^= b as u32;
            h = h.wrapping_mul(0x0100_0193);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0193);
    }
    h as i32
}

pub(crate) struct Writer;

impl Writer {
    pub(crate) fn new(_ctx: &crate::formats::write::ExportContext) -> Writer {
        Writer
    }
}

/// Span edges in code points: where tokens must be cut.
pub(crate) fn span_edges(spans: &[Span]) -> Vec<u32> {
    spans.iter().flat_map(|s| [s.start, s.end]).collect()
}

impl StreamWriter for Writer {
    fn documents_independent(&self) -> bool {
        true
    }

    fn document(
        &mut self,
        doc: &DocumentView,
        out: &mut Vec<u8>,
        _tally: &mut Tally,
    ) -> Result<()> {
        let text = &doc.document.text;
        let map = OffsetMap::new(text);
        let tok = Tokenized::new(text, &map, &span_edges(&doc.spans));
        let mut spans_out: HashMap<&str, SpanOut> = HashMap::new();
        let mut spans = Vec::with_capacity(doc.spans.len());
        for s in &doc.spans {
            // Span edges are token edges by construction; a span on whitespace alone would be
            // the only way to miss, and the store refuses none, so fall back to the nearest.
            let first = tok
                .token_starting_at(s.start)
                .unwrap_or_else(|| tok.cp.partition_point(|&(_, e)| e <= s.start));
            let last = tok.token_ending_at(s.end).unwrap_or_else(|| {
                tok.cp
                    .partition_point(|&(st, _)| st < s.end)
                    .saturating_sub(1)
            });
            let out = SpanOut {
                start: s.start,
                end: s.end,
                token_start: first,
                token_end: last.max(first),
                label: &s.label,
            };
            spans_out.insert(&s.id, out);
            spans.push(out);
        }
        let relations = doc
            .relations
            .iter()
            .filter_map(|r| {
                let head = *spans_out.get(r.head.as_str())?;
                let child = *spans_out.get(r.child.as_str())?;
                Some(RelationOut {
                    head: head.token_end,
                    child: child.token_end,
                    head_span: head,
                    child_span: child,
                    label: &r.label,
                })
            })
            .collect::<Vec<_>>();
        let tokens: Vec<TokenOut> = tok
            .tokens
            .iter()
            .enumerate()
            .map(|(i, t)| TokenOut {
                text: &text[t.start..t.end],
                start: tok.cp[i].0,
                end: tok.cp[i].1,
                id: i,
                ws: t.space_after,
            })
            .collect();
        let d = &doc.document.summary;
        let input_hash = hash32(&[text.as_bytes()]);
        let spans_key = serde_json::to_vec(&spans)?;
        let relations_key = serde_json::to_vec(&relations)?;
        let annotators = crate::formats::write::annotators(doc);
        let task = Task {
            text,
            meta: Meta {
                id: &d.id,
                title: d.meta.title.as_deref(),
                outlet: d.meta.outlet.as_deref(),
                published: d.meta.published.as_deref(),
                url: d.meta.url.as_deref(),
            },
            input_hash,
            task_hash: hash32(&[text.as_bytes(), &spans_key, &relations_key]),
            tokens,
            spans,
            relations,
            answer: "accept",
            annotator_id: annotators.join(","),
            view_id: "relations",
        };
        serde_json::to_writer(&mut *out, &task)?;
        out.push(b'\n');
        Ok(())
    }
}
