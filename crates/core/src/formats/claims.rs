//! Claim-centric JSONL: one line per CLAIM span, with its context sentence, the document's
//! outlet and date, the spans linked to it (SOURCE with its source entity, CUE, QUANTITY, other
//! claims), its claim group (canonical wording, verification status, evidence) and its
//! attributes. Offsets in code points into the document text: `context.text` starts at
//! `context.start`, and `text == document_text[start:end]`.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::cross::figures::{self, Figure};
use crate::error::Result;
use crate::formats::write::{ExportContext, StreamWriter, Tally};
use crate::model::{DocumentView, Span};
use crate::offsets::OffsetMap;
use crate::store::QUANTITY_LABEL;
use crate::store::{CLAIM_LABEL, ClaimGroup, SourceEntity};
use crate::text::Tokenized;

#[derive(Serialize)]
struct Context<'a> {
    text: &'a str,
    start: u32,
    end: u32,
}

#[derive(Serialize)]
struct Linked<'a> {
    span_id: &'a str,
    relation: &'a str,
    label: &'a str,
    text: &'a str,
    start: u32,
    end: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    entity: Option<&'a SourceEntity>,
    /// A QUANTITY span's figure: number, upper end of a range, unit, qualifier.
    #[serde(skip_serializing_if = "Option::is_none")]
    figure: Option<Figure>,
}

#[derive(Serialize)]
struct GroupOut<'a> {
    id: &'a str,
    canonical: &'a str,
    status: crate::store::ClaimStatus,
    evidence: &'a [String],
    rationale: &'a str,
}

#[derive(Serialize)]
struct Line<'a> {
    claim_id: &'a str,
    text: &'a str,
    start: u32,
    end: u32,
    context: Context<'a>,
    document_id: &'a str,
    title: Option<&'a str>,
    outlet: Option<&'a str>,
    published: Option<&'a str>,
    url: Option<&'a str>,
    sources: Vec<Linked<'a>>,
    /// Names of the source entities behind `sources`, for quick filtering.
    source_entities: Vec<&'a str>,
    cues: Vec<Linked<'a>>,
    quantities: Vec<Linked<'a>>,
    /// Other claims this one supports or contradicts, or is linked to otherwise.
    related_claims: Vec<Linked<'a>>,
    other_links: Vec<Linked<'a>>,
    group: Option<GroupOut<'a>>,
    /// A figure of this claim disagrees with one of another member of its group.
    figures_disagree: bool,
    /// The group's verification status; `unverified` without a group.
    status: crate::store::ClaimStatus,
    attrs: &'a Map<String, Value>,
    note: Option<&'a str>,
    annotator: &'a str,
}

pub(crate) struct Writer<'a> {
    groups: &'a HashMap<String, ClaimGroup>,
    entities: &'a HashMap<String, SourceEntity>,
    conflicting: &'a HashSet<String>,
}

impl<'a> Writer<'a> {
    pub(crate) fn new(ctx: &'a ExportContext) -> Writer<'a> {
        Writer {
            groups: &ctx.groups,
            entities: &ctx.entities,
            conflicting: &ctx.conflicting,
        }
    }
}

impl StreamWriter for Writer<'_> {
    fn documents_independent(&self) -> bool {
        true
    }

    fn document(
        &mut self,
        doc: &DocumentView,
        out: &mut Vec<u8>,
        _tally: &mut Tally,
    ) -> Result<()> {
        if !doc.spans.iter().any(|s| s.label == CLAIM_LABEL) {
            return Ok(());
        }
        let text = &doc.document.text;
        let map = OffsetMap::new(text);
        let tok = Tokenized::new(text, &map, &crate::formats::spacy::span_edges(&doc.spans));
        let by_id: HashMap<&str, &Span> = doc.spans.iter().map(|s| (s.id.as_str(), s)).collect();
        let d = &doc.document.summary;
        for claim in doc.spans.iter().filter(|s| s.label == CLAIM_LABEL) {
            let first = tok.cp.partition_point(|&(_, e)| e <= claim.start);
            let last = tok
                .cp
                .partition_point(|&(s, _)| s < claim.end)
                .saturating_sub(1);
            let (ctx_start, ctx_end) = if tok.sentences.is_empty() {
                (claim.start, claim.end)
            } else {
                let (a, _) = tok.sentences[tok.sentence_of(first)];
                let (_, b) = tok.sentences[tok.sentence_of(last.max(first))];
                // Trailing line breaks belong to the sentence in the tokenizer, not the context.
                let mut b = b;
                while b > a + 1 && tok.tokens[b - 1].is_space {
                    b -= 1;
                }
                (tok.cp[a].0.min(claim.start), tok.cp[b - 1].1.max(claim.end))
            };
            let mut line = Line {
                claim_id: &claim.id,
                text: &claim.text,
                start: claim.start,
                end: claim.end,
                context: Context {
                    text: map
                        .slice(ctx_start as usize, ctx_end as usize)
                        .unwrap_or_default(),
                    start: ctx_start,
                    end: ctx_end,
                },
                document_id: &d.id,
                title: d.meta.title.as_deref(),
                outlet: d.meta.outlet.as_deref(),
                published: d.meta.published.as_deref(),
                url: d.meta.url.as_deref(),
                sources: vec![],
                source_entities: vec![],
                cues: vec![],
                quantities: vec![],
                related_claims: vec![],
                other_links: vec![],
                group: None,
                figures_disagree: self.conflicting.contains(&claim.id),
                status: crate::store::ClaimStatus::Unverified,
                attrs: &claim.attrs,
                note: claim.note.as_deref(),
                annotator: &claim.annotator,
            };
            for r in &doc.relations {
                let other = if r.head == claim.id {
                    &r.child
                } else if r.child == claim.id {
                    &r.head
                } else {
                    continue;
                };
                let Some(o) = by_id.get(other.as_str()) else {
                    continue;
                };
                let entity = o.source_entity.as_ref().and_then(|e| self.entities.get(e));
                let linked = Linked {
                    span_id: &o.id,
                    relation: &r.label,
                    label: &o.label,
                    text: &o.text,
                    start: o.start,
                    end: o.end,
                    entity,
                    figure: (o.label == QUANTITY_LABEL)
                        .then(|| figures::parse(&o.text))
                        .flatten(),
                };
                match o.label.as_str() {
                    "SOURCE" => {
                        if let Some(e) = entity {
                            line.source_entities.push(&e.name);
                        }
                        line.sources.push(linked)
                    }
                    "CUE" => line.cues.push(linked),
                    QUANTITY_LABEL => line.quantities.push(linked),
                    CLAIM_LABEL => line.related_claims.push(linked),
                    _ => line.other_links.push(linked),
                }
            }
            // QUANTITY spans inside the claim are its figures, linked or not.
            let inside: Vec<&Span> = doc
                .spans
                .iter()
                .filter(|q| {
                    q.label == QUANTITY_LABEL
                        && q.start >= claim.start
                        && q.end <= claim.end
                        && !line.quantities.iter().any(|l| l.span_id == q.id)
                })
                .collect();
            for q in inside {
                line.quantities.push(Linked {
                    span_id: &q.id,
                    relation: "inside",
                    label: &q.label,
                    text: &q.text,
                    start: q.start,
                    end: q.end,
                    entity: None,
                    figure: figures::parse(&q.text),
                });
            }
            if let Some(g) = claim.claim_group.as_ref().and_then(|g| self.groups.get(g)) {
                line.status = g.status;
                line.group = Some(GroupOut {
                    id: &g.id,
                    canonical: &g.canonical,
                    status: g.status,
                    evidence: &g.evidence,
                    rationale: &g.rationale,
                });
            }
            serde_json::to_writer(&mut *out, &line)?;
            out.push(b'\n');
        }
        Ok(())
    }
}
