//! Native JSONL: one document per line with its metadata, spans, relations and document labels.
//! Offsets are code points, end exclusive: in Python, `text[start:end] == span["text"]`.
//! The format is described in docs/formats.md.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;
use serde_json::{Map, Value};

use super::{ExportReport, write_atomically};
use crate::error::{Error, Result};
use crate::model::{DocLabel, Relation, Span};
use crate::store::Workspace;

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

fn annotators<'a>(
    spans: &'a [Span],
    relations: &'a [Relation],
    labels: &'a [DocLabel],
) -> Vec<&'a str> {
    let mut names: Vec<&str> = spans
        .iter()
        .map(|s| s.annotator.as_str())
        .chain(relations.iter().map(|r| r.annotator.as_str()))
        .chain(labels.iter().map(|l| l.annotator.as_str()))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

impl Workspace {
    /// Writes every document as native JSONL to `path`, atomically. `progress(done, total)` is
    /// called after each document; `cancel` stops the export and leaves no file behind.
    pub fn export_jsonl(
        &self,
        path: &Path,
        cancel: Option<&AtomicBool>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ExportReport> {
        let schema_version = self.schema()?.version;
        let docs = self.list_documents()?;
        let total = docs.len();
        write_atomically(path, |out| {
            let mut report = ExportReport {
                documents: 0,
                spans: 0,
                relations: 0,
                bytes: 0,
            };
            let mut buf = Vec::with_capacity(64 * 1024);
            for (i, d) in docs.iter().enumerate() {
                if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                    return Err(Error::Cancelled);
                }
                let text = crate::store::document_text(self, &d.id)?;
                let spans = self.spans(&d.id)?;
                let relations = self.relations(&d.id)?;
                let doc_labels = self.doc_labels(&d.id)?;
                let m = &d.meta;
                let line = Line {
                    id: &d.id,
                    text: &text,
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
                    annotators: annotators(&spans, &relations, &doc_labels),
                    schema_version,
                };
                buf.clear();
                serde_json::to_writer(&mut buf, &line)?;
                buf.push(b'\n');
                out.write_all(&buf).map_err(|e| Error::io(path, e))?;
                report.documents += 1;
                report.spans += spans.len();
                report.relations += relations.len();
                report.bytes += buf.len() as u64;
                progress(i + 1, total);
            }
            Ok(report)
        })
    }
}
