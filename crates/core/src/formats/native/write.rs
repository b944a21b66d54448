//! Native JSONL: one document per line with its metadata, spans, relations and document labels.
//! Offsets are code points, end exclusive: in Python, `text[start:end] == span["text"]`.
//! The format is described in docs/formats.md.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::Result;
use crate::formats::write::{StreamWriter, Tally};
use crate::model::DocumentView;
use crate::store::{ClaimGroup, SourceEntity};

#[derive(Serialize)]
struct Line<'a> {
    id: &'a str,
    text: &'a str,
    meta: Meta<'a>,
    status: &'a str,
    doc_labels: Vec<LineDocLabel<'a>>,
    spans: Vec<LineSpan<'a>>,
    relations: Vec<LineRelation<'a>>,
    annotators: Vec<&'a str>,
    /// The source entities and claim groups the spans link to, in full, so that an import
    /// into another workspace recreates them (each line stands on its own).
    entities: Vec<&'a SourceEntity>,
    groups: Vec<&'a ClaimGroup>,
    schema_version: u32,
}

#[derive(Serialize)]
struct Meta<'a> {
    title: Option<&'a str>,
    outlet: Option<&'a str>,
    author: Option<&'a str>,
    published: Option<&'a str>,
    url: Option<&'a str>,
    language: Option<&'a str>,
    source_file: Option<&'a str>,
    sha256: &'a str,
    imported_at: &'a str,
}

#[derive(Serialize)]
struct LineDocLabel<'a> {
    label: &'a str,
    annotator: &'a str,
}

#[derive(Serialize)]
struct LineSpan<'a> {
    id: &'a str,
    start: u32,
    end: u32,
    label: &'a str,
    text: &'a str,
    attrs: &'a Map<String, Value>,
    note: Option<&'a str>,
    annotator: &'a str,
    source_entity: Option<&'a str>,
    claim_group: Option<&'a str>,
}

#[derive(Serialize)]
struct LineRelation<'a> {
    id: &'a str,
    head: &'a str,
    child: &'a str,
    label: &'a str,
    annotator: &'a str,
}

/// Native JSONL, one document per line.
pub(crate) struct Writer<'a> {
    schema_version: u32,
    entities: &'a HashMap<String, SourceEntity>,
    groups: &'a HashMap<String, ClaimGroup>,
}

impl<'a> Writer<'a> {
    pub(crate) fn new(ctx: &'a crate::formats::write::ExportContext) -> Writer<'a> {
        Writer {
            schema_version: ctx.schema.version,
            entities: &ctx.entities,
            groups: &ctx.groups,
        }
    }
}

/// The records `ids` name, each once, in the order first named.
fn linked<'a, T>(ids: impl Iterator<Item = &'a str>, by_id: &'a HashMap<String, T>) -> Vec<&'a T> {
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for id in ids {
        if !seen.contains(&id)
            && let Some(t) = by_id.get(id)
        {
            seen.push(id);
            out.push(t);
        }
    }
    out
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
        let d = &doc.document.summary;
        let m = &d.meta;
        let (spans, relations, doc_labels) = (&doc.spans, &doc.relations, &doc.doc_labels);
        let line = Line {
            id: &d.id,
            text: &doc.document.text,
            meta: Meta {
                title: m.title.as_deref(),
                outlet: m.outlet.as_deref(),
                author: m.author.as_deref(),
                published: m.published.as_deref(),
                url: m.url.as_deref(),
                language: m.language.as_deref(),
                source_file: m.source_file.as_deref(),
                sha256: &d.sha256,
                imported_at: &d.imported_at,
            },
            status: d.status.as_str(),
            doc_labels: doc_labels
                .iter()
                .map(|l| LineDocLabel {
                    label: &l.label,
                    annotator: &l.annotator,
                })
                .collect(),
            spans: spans
                .iter()
                .map(|s| LineSpan {
                    id: &s.id,
                    start: s.start,
                    end: s.end,
                    label: &s.label,
                    text: &s.text,
                    attrs: &s.attrs,
                    note: s.note.as_deref(),
                    annotator: &s.annotator,
                    source_entity: s.source_entity.as_deref(),
                    claim_group: s.claim_group.as_deref(),
                })
                .collect(),
            relations: relations
                .iter()
                .map(|r| LineRelation {
                    id: &r.id,
                    head: &r.head,
                    child: &r.child,
                    label: &r.label,
                    annotator: &r.annotator,
                })
                .collect(),
            annotators: crate::formats::write::annotators(doc),
            entities: linked(
                spans.iter().filter_map(|s| s.source_entity.as_deref()),
                self.entities,
            ),
            groups: linked(
                spans.iter().filter_map(|s| s.claim_group.as_deref()),
                self.groups,
            ),
            schema_version: self.schema_version,
        };
        serde_json::to_writer(&mut *out, &line)?;
        out.push(b'\n');
        Ok(())
    }
}
