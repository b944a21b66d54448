//! The two ways a dataset import stores parsed documents, each owning its transaction: a batch
//! (each document whole or left out, the rest stored) and a whole file (everything or nothing,
//! the labels it adds included, for `--strict`).

use std::collections::HashSet;

use rusqlite::Connection;

use super::Workspace;
use super::annotated::{AnnotatedDoc, extend_schema};
use super::bulk::{BulkIds, BulkTransaction, Destination, Stored, store_annotated};
use super::documents::{id_by_sha256, text_of};
use super::layers::annotators_in;
use super::rows::OnFailure;
use super::schema::extend_in;
use crate::error::{Error, Result};
use crate::model::LabelSchema;

/// What became of one parsed document.
#[derive(Debug)]
pub(crate) enum DocOutcome {
    Imported(Stored),
    /// The workspace has this text already, as this document, and the annotations were stored
    /// as the layers of annotators it had none of yet (`Stored::layers`).
    Layers(Stored),
    /// The workspace has this text already, as this document, and every layer the file has of
    /// it (the annotators named).
    Duplicate(String, Vec<String>),
    /// Left out, and why.
    Failed(String),
}

/// A whole file, stored: each document's outcome (never `Failed`) and the schema entries added.
#[derive(Debug)]
pub(crate) struct StoredFile {
    pub outcomes: Vec<DocOutcome>,
    pub schema_added: Vec<String>,
}

/// Why a whole file was not stored: `(index of the document, reason)`, in file order.
pub(crate) type FileProblems = Vec<(usize, String)>;

/// The workspace's document with a parsed document's text, if any.
enum Existing {
    None,
    /// The same text and nothing to add: the file has no annotations of it.
    Same(String),
    /// The same text, to which the file's annotations may add layers; the annotators it has
    /// layers of already.
    Layers(String, HashSet<String>),
}

fn existing(tx: &Connection, doc: &AnnotatedDoc) -> Result<Existing> {
    let Some(id) = id_by_sha256(tx, &doc.doc.sha256)? else {
        return Ok(Existing::None);
    };
    let annotated =
        !(doc.spans.is_empty() && doc.relations.is_empty() && doc.doc_labels.is_empty());
    // A text file's hash is of its bytes: the same hash with another text (decoded, its
    // header taken out) would put the file's offsets on the wrong characters.
    if !annotated || text_of(tx, &id)? != doc.doc.text {
        return Ok(Existing::Same(id));
    }
    let present = annotators_in(tx, &id)?;
    Ok(Existing::Layers(id, present))
}

/// Annotations stored into a document the workspace had: new layers, or (every layer there
/// already) a duplicate that says whose layers those are.
fn layered(stored: Stored) -> DocOutcome {
    if stored.layers.is_empty() {
        DocOutcome::Duplicate(stored.doc_id, stored.present.into_iter().collect())
    } else {
        DocOutcome::Layers(stored)
    }
}

impl Workspace {
    /// Stores `docs` in one transaction, each whole (with the annotations that pass the
    /// checks) or not at all, under `annotator` when a document names none.
    ///
    /// They go in one go first: no savepoints and no statement journals, which SQLite otherwise
    /// fills with a copy of every page a statement or a document changes (a tenth of importing
    /// 260,000 spans). A document that fails then undoes the batch, which is stored again with a
    /// savepoint a document, so that only that document is left out and reported.
    pub(crate) fn store_annotated_batch(
        &self,
        docs: &[AnnotatedDoc],
        annotator: &str,
    ) -> Result<Vec<DocOutcome>> {
        let now = crate::clock::now();
        let schema = self.schema()?;
        self.store_batch(docs, annotator, &now, &schema, OnFailure::UndoTransaction)
    }

    fn store_batch(
        &self,
        docs: &[AnnotatedDoc],
        annotator: &str,
        now: &str,
        schema: &LabelSchema,
        on_failure: OnFailure,
    ) -> Result<Vec<DocOutcome>> {
        let spans = docs.iter().any(|d| !d.spans.is_empty());
        let mut bulk = BulkTransaction::begin(self.conn(), spans)?;
        let tx = bulk.tx();
        // Read in this transaction: annotators a failed batch added are gone again.
        let mut ids = BulkIds::load(tx, schema.clone())?;
        let mut outcomes = Vec::with_capacity(docs.len());
        for doc in docs {
            let existing = existing(tx, doc)?;
            if let Existing::Same(id) = existing {
                outcomes.push(DocOutcome::Duplicate(id, vec![]));
                continue;
            }
            let mut store = |conn: &Connection| match &existing {
                Existing::Layers(doc_id, present) => {
                    let into = Destination::Layers { doc_id, present };
                    store_annotated(conn, doc, into, annotator, now, &mut ids, on_failure)
                        .map(layered)
                }
                _ => store_annotated(
                    conn,
                    doc,
                    Destination::New,
                    annotator,
                    now,
                    &mut ids,
                    on_failure,
                )
                .map(DocOutcome::Imported),
            };
            let outcome = match on_failure {
                OnFailure::UndoTransaction => match store(tx) {
                    Ok(outcome) => outcome,
                    Err(e) => {
                        tracing::info!("line {:?}: {e}; storing the batch again", doc.line);
                        // Rolled back (if SQLite has not done so already) before the second
                        // try begins its own transaction.
                        drop(bulk);
                        return self.store_batch(
                            docs,
                            annotator,
                            now,
                            schema,
                            OnFailure::UndoStatement,
                        );
                    }
                },
                OnFailure::UndoStatement => {
                    let sp = tx.savepoint()?;
                    match store(&sp) {
                        Ok(outcome) => {
                            sp.commit()?;
                            outcome
                        }
                        Err(e) => {
                            drop(sp);
                            // An error that made SQLite roll the whole transaction back ends
                            // the batch: what follows would each commit alone. So does a full
                            // disk or a read-only file, which every document after would meet.
                            if tx.is_autocommit() || matches!(e, Error::DiskFull | Error::ReadOnly)
                            {
                                return Err(e);
                            }
                            ids.forget_annotators();
                            DocOutcome::Failed(format!("cannot be stored: {e}"))
                        }
                    }
                }
            };
            outcomes.push(outcome);
        }
        bulk.commit()?;
        Ok(outcomes)
    }

    /// Stores `docs` in one transaction that also extends the schema with what they use and it
    /// lacks; rolled back, and the problems returned, at the first document or annotation that
    /// cannot be stored. A full disk or a read-only file is an error of its own.
    pub(crate) fn store_annotated_file(
        &self,
        docs: &[AnnotatedDoc],
        annotator: &str,
    ) -> Result<std::result::Result<StoredFile, FileProblems>> {
        let now = crate::clock::now();
        let stored_schema = self.schema()?;
        let extended = extend_schema(&stored_schema, docs);
        let spans = docs.iter().any(|d| !d.spans.is_empty());
        let mut bulk = BulkTransaction::begin(self.conn(), spans)?;
        let tx = bulk.tx();
        let schema = match &extended {
            Some((schema, _)) => {
                extend_in(tx, &stored_schema, schema, annotator)?;
                schema.clone()
            }
            None => stored_schema.clone(),
        };
        let mut ids = BulkIds::load(tx, schema)?;
        let mut outcomes = Vec::with_capacity(docs.len());
        let mut problems = FileProblems::new();
        for (i, doc) in docs.iter().enumerate() {
            let existing = existing(tx, doc)?;
            let into = match &existing {
                Existing::Same(id) => {
                    outcomes.push(DocOutcome::Duplicate(id.clone(), vec![]));
                    continue;
                }
                Existing::Layers(doc_id, present) => Destination::Layers { doc_id, present },
                Existing::None => Destination::New,
            };
            let layers = matches!(into, Destination::Layers { .. });
            match store_annotated(
                tx,
                doc,
                into,
                annotator,
                &now,
                &mut ids,
                OnFailure::UndoTransaction,
            ) {
                Ok(stored) => {
                    problems.extend(stored.warnings.iter().map(|w| (i, w.clone())));
                    outcomes.push(match layers {
                        true => layered(stored),
                        false => DocOutcome::Imported(stored),
                    });
                }
                // Every later document would meet these: the run ends, nothing of the file kept.
                Err(e @ (Error::DiskFull | Error::ReadOnly)) => return Err(e),
                // The file's transaction may be gone with the failed insert: nothing more can be
                // stored in it, and it is rolled back below.
                Err(e) => {
                    problems.push((i, format!("cannot be stored: {e}")));
                    return Ok(Err(problems));
                }
            }
        }
        if !problems.is_empty() {
            return Ok(Err(problems)); // dropped: rolled back, labels and all
        }
        bulk.commit()?;
        Ok(Ok(StoredFile {
            outcomes,
            schema_added: extended.map(|(_, added)| added).unwrap_or_default(),
        }))
    }
}
