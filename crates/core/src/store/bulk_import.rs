//! The two ways a dataset import stores parsed documents, each owning its transaction: a batch
//! (each document whole or left out, the rest stored) and a whole file (everything or nothing,
//! the labels it adds included, for `--strict`).

use rusqlite::Connection;

use super::Workspace;
use super::annotated::{AnnotatedDoc, extend_schema};
use super::bulk::{BulkIds, BulkTransaction, Stored, store_annotated};
use super::documents::id_by_sha256;
use super::rows::OnFailure;
use super::schema::extend_in;
use crate::error::{Error, Result};
use crate::model::LabelSchema;

/// What became of one parsed document.
#[derive(Debug)]
pub(crate) enum DocOutcome {
    Imported(Stored),
    /// The workspace has this text already, as this document.
    Duplicate(String),
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
            if let Some(existing) = id_by_sha256(tx, &doc.doc.sha256)? {
                outcomes.push(DocOutcome::Duplicate(existing));
                continue;
            }
            let mut store = |conn: &Connection| {
                store_annotated(conn, doc, annotator, now, &mut ids, on_failure)
            };
            let outcome = match on_failure {
                OnFailure::UndoTransaction => match store(tx) {
                    Ok(stored) => DocOutcome::Imported(stored),
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
                        Ok(stored) => {
                            sp.commit()?;
                            DocOutcome::Imported(stored)
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
                extend_in(tx, schema)?;
                schema.clone()
            }
            None => stored_schema,
        };
        let mut ids = BulkIds::load(tx, schema)?;
        let mut outcomes = Vec::with_capacity(docs.len());
        let mut problems = FileProblems::new();
        for (i, doc) in docs.iter().enumerate() {
            if let Some(existing) = id_by_sha256(tx, &doc.doc.sha256)? {
                outcomes.push(DocOutcome::Duplicate(existing));
                continue;
            }
            match store_annotated(
                tx,
                doc,
                annotator,
                &now,
                &mut ids,
                OnFailure::UndoTransaction,
            ) {
                Ok(stored) => {
                    problems.extend(stored.warnings.iter().map(|w| (i, w.clone())));
                    outcomes.push(DocOutcome::Imported(stored));
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
