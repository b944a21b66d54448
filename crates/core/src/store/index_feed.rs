//! What the search index reads from the database: the change log that the triggers of
//! migration 3 fill, and each document with everything that is searchable about it.

use rusqlite::params;

use super::Workspace;
use crate::error::Result;
use crate::model::{DocumentSummary, Span};

/// A document as the search index sees it.
#[derive(Debug, Clone)]
pub struct IndexRecord {
    pub summary: DocumentSummary,
    pub text: String,
    pub spans: Vec<Span>,
    /// Annotators of the document's document labels.
    pub doc_label_annotators: Vec<String>,
}

impl Workspace {
    /// The latest entry of the change log (0 when it is empty).
    pub fn index_log_head(&self) -> Result<i64> {
        Ok(self.conn().query_row(
            "SELECT coalesce(max(seq), (SELECT seq FROM sqlite_sequence WHERE name = 'index_log'), 0) FROM index_log",
            [],
            |r| r.get(0),
        )?)
    }

    /// Documents changed after log entry `from` up to and including `to`, each once.
    pub fn changed_since(&self, from: i64, to: i64) -> Result<Vec<String>> {
        let mut stmt = self.conn().prepare(
            "SELECT doc_id FROM index_log WHERE seq > ?1 AND seq <= ?2 GROUP BY doc_id ORDER BY min(seq)",
        )?;
        let ids = stmt
            .query_map(params![from, to], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(ids)
    }

    /// Forgets log entries up to `seq`, once an index has committed them.
    pub fn prune_index_log(&self, seq: i64) -> Result<()> {
        self.conn()
            .execute("DELETE FROM index_log WHERE seq <= ?1", [seq])?;
        Ok(())
    }

    /// Every document id, in import order.
    pub fn document_ids(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT id FROM documents ORDER BY rowid")?;
        let ids = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(ids)
    }

    /// A document with its spans, or `None` if it no longer exists.
    pub fn index_record(&self, id: &str) -> Result<Option<IndexRecord>> {
        let doc = match self.document(id) {
            Ok(d) => d,
            Err(crate::Error::DocumentNotFound(_)) => return Ok(None),
            Err(e) => return Err(e),
        };
        let spans = self.spans(id)?;
        let doc_label_annotators = self
            .doc_labels(id)?
            .into_iter()
            .map(|l| l.annotator)
            .collect();
        Ok(Some(IndexRecord {
            summary: doc.summary,
            text: doc.text,
            spans,
            doc_label_annotators,
        }))
    }
}
