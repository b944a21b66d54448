//! Suggestions an annotator turned down: kept per annotator by the extent and label of the
//! suggestion's first span, so that they are not proposed to them again; each one undo step.

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::Workspace;
use super::history::{Change, Done};
use super::rows::KeyedRow;
use super::schema::label_id;
use crate::error::{Error, Result};

/// A turned-down suggestion, as stored (and kept in history).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct SuggestionRejectRow {
    pub doc_id: String,
    pub start: u32,
    pub end: u32,
    pub label_id: i64,
    pub annotator_id: i64,
    pub rejected_at: String,
}

impl KeyedRow for SuggestionRejectRow {
    fn insert(&self, conn: &Connection) -> Result<()> {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO suggestion_rejects
                 (doc_id, start, \"end\", label_id, annotator_id, rejected_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            self.doc_id,
            self.start,
            self.end,
            self.label_id,
            self.annotator_id,
            self.rejected_at
        ])?;
        Ok(())
    }

    fn delete(&self, conn: &Connection) -> Result<()> {
        conn.prepare_cached(
            "DELETE FROM suggestion_rejects WHERE doc_id = ?1 AND annotator_id = ?2
                 AND start = ?3 AND \"end\" = ?4 AND label_id = ?5",
        )?
        .execute(params![
            self.doc_id,
            self.annotator_id,
            self.start,
            self.end,
            self.label_id
        ])?;
        Ok(())
    }
}

impl Workspace {
    /// Remembers that `annotator` turned down the suggestion whose first span is `[start, end)`
    /// with `label`: one undo step. Turning it down again changes nothing.
    pub fn reject_suggestion(
        &mut self,
        doc: &str,
        (start, end): (u32, u32),
        label: &str,
        annotator: &str,
    ) -> Result<()> {
        let doc_id = self.resolve_document(doc)?;
        if end <= start {
            return Err(Error::EmptySpan { start, end });
        }
        self.change("reject_suggestion", annotator, |tx, who| {
            let row = SuggestionRejectRow {
                doc_id: doc_id.clone(),
                start,
                end,
                label_id: label_id(tx, label)?,
                annotator_id: who,
                rejected_at: crate::clock::now(),
            };
            let known: bool = tx
                .prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM suggestion_rejects WHERE doc_id = ?1
                         AND annotator_id = ?2 AND start = ?3 AND \"end\" = ?4 AND label_id = ?5)",
                )?
                .query_row(
                    params![row.doc_id, who, row.start, row.end, row.label_id],
                    |r| r.get(0),
                )?;
            if known {
                return Ok(Done::new((), Some(doc_id.clone()), Vec::new()));
            }
            row.insert(tx)?;
            Ok(Done::new(
                (),
                Some(doc_id.clone()),
                vec![Change::SuggestionReject {
                    before: None,
                    after: Some(row),
                }],
            ))
        })
    }

    /// The suggestions `annotator` turned down in a document, as (start, end, label).
    pub fn rejected_suggestions(
        &self,
        doc: &str,
        annotator: &str,
    ) -> Result<Vec<(u32, u32, String)>> {
        let doc_id = self.resolve_document(doc)?;
        let mut stmt = self.conn().prepare_cached(
            "SELECT r.start, r.\"end\", l.name FROM suggestion_rejects r
             JOIN span_labels l ON l.id = r.label_id
             JOIN annotators a ON a.id = r.annotator_id
             WHERE r.doc_id = ?1 AND a.name = ?2",
        )?;
        let rows = stmt.query_map(params![doc_id, super::annotator_name(annotator)], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
