//! Writing native JSONL: every row of the document as stored, with the entities and groups its
//! spans link to, so that each line stands on its own.

use std::collections::HashMap;

use std::borrow::Cow::Borrowed;

use super::wire::{DocLabel, Line, Meta, Relation, Span};
use crate::error::Result;
use crate::formats::write::{StreamWriter, Tally};
use crate::model::DocumentView;
use crate::store::{ClaimGroup, SourceEntity};

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
fn linked<'a, T: Clone>(
    ids: impl Iterator<Item = &'a str>,
    by_id: &'a HashMap<String, T>,
) -> Vec<std::borrow::Cow<'a, T>> {
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for id in ids {
        if !seen.contains(&id)
            && let Some(t) = by_id.get(id)
        {
            seen.push(id);
            out.push(Borrowed(t));
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
            id: Some(Borrowed(&d.id)),
            text: Borrowed(&doc.document.text),
            meta: Meta {
                title: m.title.as_deref().map(Borrowed),
                outlet: m.outlet.as_deref().map(Borrowed),
                author: m.author.as_deref().map(Borrowed),
                published: m.published.as_deref().map(Borrowed),
                url: m.url.as_deref().map(Borrowed),
                language: m.language.as_deref().map(Borrowed),
                source_file: m.source_file.as_deref().map(Borrowed),
                sha256: Some(Borrowed(&d.sha256)),
                imported_at: Some(Borrowed(&d.imported_at)),
            },
            status: Some(Borrowed(d.status.as_str())),
            doc_labels: doc_labels
                .iter()
                .map(|l| DocLabel {
                    label: Borrowed(&l.label),
                    annotator: Some(Borrowed(&l.annotator)),
                })
                .collect(),
            spans: spans
                .iter()
                .map(|s| Span {
                    id: Some(Borrowed(&s.id)),
                    start: s.start,
                    end: s.end,
                    label: Borrowed(&s.label),
                    text: Some(Borrowed(&s.text)),
                    attrs: Borrowed(&s.attrs),
                    note: s.note.as_deref().map(Borrowed),
                    annotator: Some(Borrowed(&s.annotator)),
                    source_entity: s.source_entity.as_deref().map(Borrowed),
                    claim_group: s.claim_group.as_deref().map(Borrowed),
                    suggested_by: s.suggested_by.as_deref().map(Borrowed),
                })
                .collect(),
            relations: relations
                .iter()
                .map(|r| Relation {
                    id: Some(Borrowed(&r.id)),
                    head: Borrowed(&r.head),
                    child: Borrowed(&r.child),
                    label: Borrowed(&r.label),
                    annotator: Some(Borrowed(&r.annotator)),
                })
                .collect(),
            annotators: crate::formats::write::annotators(doc)
                .into_iter()
                .map(Borrowed)
                .collect(),
            entities: linked(
                spans.iter().filter_map(|s| s.source_entity.as_deref()),
                self.entities,
            ),
            groups: linked(
                spans.iter().filter_map(|s| s.claim_group.as_deref()),
                self.groups,
            ),
            schema_version: Some(self.schema_version),
        };
        serde_json::to_writer(&mut *out, &line)?;
        out.push(b'\n');
        Ok(())
    }
}
