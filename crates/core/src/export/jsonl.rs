//! Native JSONL: one document per line with its metadata, spans, relations and document labels.
//! Offsets are code points, end exclusive: in Python, `text[start:end] == span["text"]`.
//! The format is described in docs/formats.md.

use serde::Serialize;
use serde_json::{Map, Value};

use super::{StreamWriter, Tally};
use crate::error::Result;
use crate::model::DocumentView;

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
pub(crate) struct Writer {
    schema_version: u32,
}

impl Writer {
    pub(crate) fn new(ctx: &super::ExportContext) -> Writer {
        Writer {
            schema_version: ctx.schema.version,
        }
    }
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
            annotators: super::annotators(doc),
            schema_version: self.schema_version,
        };
        serde_json::to_writer(&mut *out, &line)?;
        out.push(b'\n');
        Ok(())
    }
}
