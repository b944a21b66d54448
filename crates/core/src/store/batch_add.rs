//! Many spans and the relations between them added to one document as one undo step: how
//! suggestions are accepted (`parallax suggest --apply`, the app's accept keys). What the
//! annotator's layer has already is not added twice.

use rusqlite::params;

use super::Workspace;
use super::annotations::{NewSpan, insert_relation, insert_suggested_span};
use super::history::{Change, Done};
use crate::error::Result;

/// A span to add, and what proposed it.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchSpan {
    /// `doc_id` is ignored: every span goes to the batch's document.
    pub span: NewSpan,
    pub suggested_by: Option<String>,
}

/// A relation between two spans of a batch, by their places in it.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchRelation {
    pub head: usize,
    pub child: usize,
    pub label: String,
}

/// What a batch added.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BatchOutcome {
    /// The id each span of the batch has now: the new span's, or that of the span of the same
    /// label the layer already had over it.
    pub span_ids: Vec<String>,
    pub spans_added: usize,
    /// Spans not added because the layer has one of the same label overlapping them.
    pub spans_already_there: usize,
    pub relations_added: usize,
}

impl Workspace {
    /// Adds `spans` and `relations` to a document in `annotator`'s layer, as one undo step. A
    /// span overlapping one of the same label in that layer (there before, or added earlier in
    /// the batch) is not added: relations go to the span already there. A relation the layer
    /// has already is not added again. Bad input (an unknown label, a relation its type does
    /// not allow) refuses the whole batch.
    pub fn add_batch(
        &mut self,
        doc: &str,
        spans: Vec<BatchSpan>,
        relations: &[BatchRelation],
        annotator: &str,
    ) -> Result<BatchOutcome> {
        let doc_id = self.resolve_document(doc)?;
        let text = super::documents::text_of(self.conn(), &doc_id)?;
        self.change("add_batch", annotator, |tx, who| {
            let mut layer: Vec<(u32, u32, String, String)> = tx
                .prepare_cached(
                    "SELECT s.start, s.\"end\", l.name, s.id FROM spans s
                     JOIN span_labels l ON l.id = s.label_id
                     WHERE s.doc_id = ?1 AND s.annotator_id = ?2",
                )?
                .query_map(params![doc_id, who], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let mut outcome = BatchOutcome::default();
            let mut changes = Vec::new();
            for BatchSpan { span, suggested_by } in spans {
                let there = layer.iter().find(|(start, end, label, _)| {
                    *label == span.label && *start < span.end && span.start < *end
                });
                if let Some((_, _, _, id)) = there {
                    outcome.span_ids.push(id.clone());
                    outcome.spans_already_there += 1;
                    continue;
                }
                let label = span.label.clone();
                let new = NewSpan {
                    doc_id: doc_id.clone(),
                    ..span
                };
                let row = insert_suggested_span(tx, new, who, &text, suggested_by)?;
                layer.push((row.start, row.end, label, row.id.clone()));
                outcome.span_ids.push(row.id.clone());
                outcome.spans_added += 1;
                changes.push(Change::Span {
                    before: None,
                    after: Some(row),
                });
            }
            for relation in relations {
                let (Some(head), Some(child)) = (
                    outcome.span_ids.get(relation.head),
                    outcome.span_ids.get(relation.child),
                ) else {
                    continue;
                };
                let exists: bool = tx
                    .prepare_cached(
                        "SELECT EXISTS (SELECT 1 FROM relations r
                         JOIN relation_types t ON t.id = r.type_id
                         WHERE r.head_id = ?1 AND r.child_id = ?2 AND t.name = ?3
                           AND r.annotator_id = ?4)",
                    )?
                    .query_row(params![head, child, relation.label, who], |r| r.get(0))?;
                if exists {
                    continue;
                }
                let row = insert_relation(tx, head, child, &relation.label, who)?;
                outcome.relations_added += 1;
                changes.push(Change::Relation {
                    before: None,
                    after: Some(row),
                });
            }
            Ok(Done::new(outcome, Some(doc_id.clone()), changes))
        })
    }
}
