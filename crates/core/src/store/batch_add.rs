//! Many spans and the relations between them added to one document as one undo step: how
//! suggestions are accepted (`parallax suggest --apply`, the app's accept keys). What the
//! annotator's layer has already is not added twice.

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, params};
use serde::Serialize;
use ts_rs::TS;

use super::Workspace;
use super::annotations::{NewSpan, relation_type_for, span_row};
use super::bulk::BulkTransaction;
use super::history::{Change, Done, change_in};
use super::rows::{OnFailure, RelationRow, SpanRow};
use crate::error::{Error, Result};
use crate::offsets::OffsetMap;

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
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct BatchOutcome {
    /// The id each span of the batch has now: the new span's, or that of the span of the same
    /// label the layer already had over it.
    pub span_ids: Vec<String>,
    pub spans_added: usize,
    /// Spans not added because the layer has one of the same label overlapping them.
    pub spans_already_there: usize,
    pub relations_added: usize,
}

/// One document's batch for [`Workspace::add_batches`], with the document's text (what the
/// spans' anchors are cut from). Made in the core from the document as read, so that its id
/// is that of a stored document: the batches are written without foreign-key checks.
pub(crate) struct DocBatch {
    pub(crate) doc_id: String,
    pub(crate) text: String,
    pub(crate) spans: Vec<BatchSpan>,
    pub(crate) relations: Vec<BatchRelation>,
}

/// Documents [`Workspace::add_batches`] writes in one commit (a fifth of a second's work for
/// densely attributed articles): the pages they share (index leaves, the logs' last pages)
/// written and synced once for all, and another writer kept waiting no longer than that.
const DOCS_PER_COMMIT: usize = 200;

const ACTION: &str = "add_batch";

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
        self.change(ACTION, annotator, |tx, who| {
            add_batch_in(tx, who, &doc_id, &text, spans, relations)
        })
    }

    /// [`Workspace::add_batch`] for many documents (`parallax suggest --apply`): each still
    /// whole or not at all and its own undo step, `done` told what each added; but written a
    /// few hundred documents to a commit, in a [`BulkTransaction`] (no foreign-key lookups
    /// behind each row and no span log entry a span: every reference comes from the document's
    /// own rows or the schema, and each document is logged once for the search index).
    /// When a document fails, what the documents before it added is kept and the error is
    /// returned; a storage error undoes the commit it happened in.
    pub(crate) fn add_batches(
        &self,
        batches: impl IntoIterator<Item = Result<DocBatch>>,
        annotator: &str,
        mut done: impl FnMut(&str, &BatchOutcome),
    ) -> Result<()> {
        let mut batches = batches.into_iter().peekable();
        while batches.peek().is_some() {
            let mut bulk = BulkTransaction::begin(self.conn(), true)?;
            for batch in batches.by_ref().take(DOCS_PER_COMMIT) {
                let tx = bulk.tx();
                let written = batch.and_then(|batch| {
                    let sp = tx.savepoint()?;
                    let DocBatch {
                        doc_id,
                        text,
                        spans,
                        relations,
                    } = batch;
                    let outcome = change_in(&sp, ACTION, annotator, |tx, who| {
                        add_batch_in(tx, who, &doc_id, &text, spans, &relations)
                    })?;
                    if outcome.spans_added > 0 {
                        log_for_index(&sp, &doc_id)?;
                    }
                    sp.commit()?;
                    Ok((doc_id, outcome))
                });
                match written {
                    Ok((doc_id, outcome)) => done(&doc_id, &outcome),
                    Err(e) => {
                        if !e.is_storage() {
                            bulk.commit()?;
                        }
                        return Err(e);
                    }
                }
            }
            bulk.commit()?;
        }
        Ok(())
    }
}

/// Tells the search index that a document's spans changed, where the span log is paused.
fn log_for_index(tx: &Connection, doc_id: &str) -> Result<()> {
    tx.prepare_cached("INSERT INTO index_log(doc_id) VALUES (?1)")?
        .execute([doc_id])?;
    Ok(())
}

/// [`Workspace::add_batch`] inside the caller's transaction, as `who`.
fn add_batch_in(
    tx: &Connection,
    who: i64,
    doc_id: &str,
    text: &str,
    spans: Vec<BatchSpan>,
    relations: &[BatchRelation],
) -> Result<Done<BatchOutcome>> {
    let map = OffsetMap::new(text);
    // The layer's spans as (start, end, label, id, label id).
    let mut layer: Vec<(u32, u32, String, String, i64)> = tx
        .prepare_cached(
            "SELECT s.start, s.\"end\", l.name, s.id, l.id FROM spans s
             JOIN span_labels l ON l.id = s.label_id
             WHERE s.doc_id = ?1 AND s.annotator_id = ?2",
        )?
        .query_map(params![doc_id, who], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut linked: HashSet<(String, String, i64)> = tx
        .prepare_cached(
            "SELECT head_id, child_id, type_id FROM relations
             WHERE doc_id = ?1 AND annotator_id = ?2",
        )?
        .query_map(params![doc_id, who], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut outcome = BatchOutcome::default();
    // Each span of the batch as (id, label id).
    let mut placed: Vec<(String, i64)> = Vec::with_capacity(spans.len());
    let mut new_spans = Vec::new();
    for BatchSpan { span, suggested_by } in spans {
        let there = layer.iter().find(|(start, end, label, _, _)| {
            *label == span.label && *start < span.end && span.start < *end
        });
        if let Some((_, _, _, id, label_id)) = there {
            placed.push((id.clone(), *label_id));
            outcome.spans_already_there += 1;
            continue;
        }
        let label = span.label.clone();
        let new = NewSpan {
            doc_id: doc_id.to_string(),
            ..span
        };
        let row = span_row(tx, new, who, &map, suggested_by)?;
        layer.push((row.start, row.end, label, row.id.clone(), row.label_id));
        placed.push((row.id.clone(), row.label_id));
        new_spans.push(row);
    }
    // Relation types checked once per type and pair of labels.
    let mut types: HashMap<(&str, i64, i64), i64> = HashMap::new();
    let now = crate::clock::now();
    let mut new_relations = Vec::new();
    for relation in relations {
        let (Some((head, head_label)), Some((child, child_label))) =
            (placed.get(relation.head), placed.get(relation.child))
        else {
            continue;
        };
        if head == child {
            return Err(Error::RelationToSelf);
        }
        let key = (relation.label.as_str(), *head_label, *child_label);
        let type_id = match types.get(&key) {
            Some(&id) => id,
            None => {
                let id = relation_type_for(tx, &relation.label, *head_label, *child_label)?;
                types.insert(key, id);
                id
            }
        };
        if !linked.insert((head.clone(), child.clone(), type_id)) {
            continue;
        }
        new_relations.push(RelationRow {
            id: crate::ids::new_id(),
            doc_id: doc_id.to_string(),
            head_id: head.clone(),
            child_id: child.clone(),
            type_id,
            annotator_id: who,
            created_at: now.clone(),
        });
    }
    SpanRow::insert_many(tx, &new_spans, OnFailure::UndoStatement)?;
    RelationRow::insert_many(tx, &new_relations, OnFailure::UndoStatement)?;
    outcome.span_ids = placed.into_iter().map(|(id, _)| id).collect();
    outcome.spans_added = new_spans.len();
    outcome.relations_added = new_relations.len();
    let changes = new_spans
        .into_iter()
        .map(|row| Change::Span {
            before: None,
            after: Some(row),
        })
        .chain(new_relations.into_iter().map(|row| Change::Relation {
            before: None,
            after: Some(row),
        }))
        .collect();
    Ok(Done::new(outcome, Some(doc_id.to_string()), changes))
}
