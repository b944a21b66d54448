//! Rows as stored, for history snapshots: history keeps a row's state before and after each
//! change, and undo / redo write those states back. Ids of labels and annotators stay integers
//! here so that a label renamed in between still resolves.

use rusqlite::{Connection, OptionalExtension, Row, ToSql, params};
use serde::{Deserialize, Serialize};

use super::documents::{MetaColumns, meta_params};
use crate::error::Result;
use crate::model::DocMeta;

/// What a multi-row insert that fails (a constraint, a full disk) undoes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OnFailure {
    /// The statement only (SQLite's default), so that a savepoint around it can decide what
    /// else goes. SQLite keeps a statement journal for this: a copy of each page the
    /// statement changes, every statement.
    UndoStatement,
    /// The whole transaction (`INSERT OR ROLLBACK`), with no statement journal. For a batch
    /// the caller stores again, more carefully, when it fails.
    UndoTransaction,
}

/// Inserts `rows` with statements of up to [`ROWS_PER_INSERT`] rows each (smaller statements
/// for the rest), prepared once per size.
fn insert_many<T, const N: usize>(
    conn: &Connection,
    table: &str,
    columns: &str,
    rows: &[T],
    values: fn(&T) -> [&dyn ToSql; N],
    on_failure: OnFailure,
) -> Result<()> {
    let insert = match on_failure {
        OnFailure::UndoStatement => "INSERT",
        OnFailure::UndoTransaction => "INSERT OR ROLLBACK",
    };
    let row = format!("({})", vec!["?"; N].join(", "));
    let mut rest = rows;
    while !rest.is_empty() {
        let n = [ROWS_PER_INSERT, 8, 1]
            .into_iter()
            .find(|&n| n <= rest.len())
            .unwrap_or(1);
        let (chunk, tail) = rest.split_at(n);
        let mut stmt = conn.prepare_cached(&format!(
            "{insert} INTO {table}({columns}) VALUES {}",
            vec![row.as_str(); n].join(", ")
        ))?;
        for (i, r) in chunk.iter().enumerate() {
            for (j, v) in values(r).into_iter().enumerate() {
                stmt.raw_bind_parameter(i * N + j + 1, v)?;
            }
        }
        stmt.raw_execute()?;
        rest = tail;
    }
    Ok(())
}

/// Rows of one multi-row INSERT (16 columns a span: 1,024 parameters, well under SQLite's
/// 32,766).
const ROWS_PER_INSERT: usize = 64;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct SpanRow {
    pub id: String,
    pub doc_id: String,
    pub start: u32,
    pub end: u32,
    pub label_id: i64,
    pub quote: String,
    pub prefix: String,
    pub suffix: String,
    /// JSON object text.
    pub attrs: String,
    pub note: Option<String>,
    pub annotator_id: i64,
    pub created_at: String,
    pub updated_at: String,
    pub source_entity_id: Option<String>,
    pub claim_group_id: Option<String>,
    /// What proposed the span, if it was accepted from a suggestion (history written before
    /// schema version 6 has none).
    #[serde(default)]
    pub suggested_by: Option<String>,
}

const SPAN_COLUMNS: &str =
    "id, doc_id, start, \"end\", label_id, quote, prefix, suffix, attrs, note,
     annotator_id, created_at, updated_at, source_entity_id, claim_group_id, suggested_by";

impl SpanRow {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<SpanRow> {
        Ok(SpanRow {
            id: r.get(0)?,
            doc_id: r.get(1)?,
            start: r.get(2)?,
            end: r.get(3)?,
            label_id: r.get(4)?,
            quote: r.get(5)?,
            prefix: r.get(6)?,
            suffix: r.get(7)?,
            attrs: r.get(8)?,
            note: r.get(9)?,
            annotator_id: r.get(10)?,
            created_at: r.get(11)?,
            updated_at: r.get(12)?,
            source_entity_id: r.get(13)?,
            claim_group_id: r.get(14)?,
            suggested_by: r.get(15)?,
        })
    }

    pub fn load(conn: &Connection, id: &str) -> Result<Option<SpanRow>> {
        Ok(conn
            .prepare_cached(&format!("SELECT {SPAN_COLUMNS} FROM spans WHERE id = ?1"))?
            .query_row([id], SpanRow::from_row)
            .optional()?)
    }

    /// Every span of a document, by start.
    pub fn of_document(conn: &Connection, doc_id: &str) -> Result<Vec<SpanRow>> {
        Ok(conn
            .prepare_cached(&format!(
                "SELECT {SPAN_COLUMNS} FROM spans WHERE doc_id = ?1 ORDER BY start, \"end\", id"
            ))?
            .query_map([doc_id], SpanRow::from_row)?
            .collect::<Result<Vec<_>, _>>()?)
    }

    /// Inserts or updates in place. (No `INSERT OR REPLACE`: it would delete the row first and
    /// cascade to the span's relations.)
    pub fn upsert(&self, conn: &Connection) -> Result<()> {
        conn.prepare_cached(&format!(
            "INSERT INTO spans({SPAN_COLUMNS})
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
             ON CONFLICT(id) DO UPDATE SET
               doc_id = excluded.doc_id, start = excluded.start, \"end\" = excluded.\"end\",
               label_id = excluded.label_id, quote = excluded.quote, prefix = excluded.prefix,
               suffix = excluded.suffix, attrs = excluded.attrs, note = excluded.note,
               annotator_id = excluded.annotator_id, created_at = excluded.created_at,
               updated_at = excluded.updated_at, source_entity_id = excluded.source_entity_id,
               claim_group_id = excluded.claim_group_id, suggested_by = excluded.suggested_by"
        ))?
        .execute(&self.values()[..])?;
        Ok(())
    }

    /// New rows, many to a statement: a bulk import stores 130 spans a document, and each
    /// statement costs its own preparation, binding and (with [`OnFailure::UndoStatement`])
    /// statement journal.
    pub fn insert_many(conn: &Connection, rows: &[SpanRow], on_failure: OnFailure) -> Result<()> {
        insert_many(
            conn,
            "spans",
            SPAN_COLUMNS,
            rows,
            SpanRow::values,
            on_failure,
        )
    }

    fn values(&self) -> [&dyn ToSql; 16] {
        [
            &self.id,
            &self.doc_id,
            &self.start,
            &self.end,
            &self.label_id,
            &self.quote,
            &self.prefix,
            &self.suffix,
            &self.attrs,
            &self.note,
            &self.annotator_id,
            &self.created_at,
            &self.updated_at,
            &self.source_entity_id,
            &self.claim_group_id,
            &self.suggested_by,
        ]
    }

    pub fn delete(conn: &Connection, id: &str) -> Result<()> {
        conn.prepare_cached("DELETE FROM spans WHERE id = ?1")?
            .execute([id])?;
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct RelationRow {
    pub id: String,
    pub doc_id: String,
    pub head_id: String,
    pub child_id: String,
    pub type_id: i64,
    pub annotator_id: i64,
    pub created_at: String,
}

const RELATION_COLUMNS: &str = "id, doc_id, head_id, child_id, type_id, annotator_id, created_at";

impl RelationRow {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<RelationRow> {
        Ok(RelationRow {
            id: r.get(0)?,
            doc_id: r.get(1)?,
            head_id: r.get(2)?,
            child_id: r.get(3)?,
            type_id: r.get(4)?,
            annotator_id: r.get(5)?,
            created_at: r.get(6)?,
        })
    }

    pub fn load(conn: &Connection, id: &str) -> Result<Option<RelationRow>> {
        Ok(conn
            .prepare_cached(
                "SELECT id, doc_id, head_id, child_id, type_id, annotator_id, created_at
                 FROM relations WHERE id = ?1",
            )?
            .query_row([id], RelationRow::from_row)
            .optional()?)
    }

    /// Every relation of a document.
    pub fn of_document(conn: &Connection, doc_id: &str) -> Result<Vec<RelationRow>> {
        Ok(conn
            .prepare_cached(&format!(
                "SELECT {RELATION_COLUMNS} FROM relations WHERE doc_id = ?1 ORDER BY rowid"
            ))?
            .query_map([doc_id], RelationRow::from_row)?
            .collect::<Result<Vec<_>, _>>()?)
    }

    /// Every relation that has this span as head or child.
    pub fn touching_span(conn: &Connection, span_id: &str) -> Result<Vec<RelationRow>> {
        Ok(conn
            .prepare_cached(
                "SELECT id, doc_id, head_id, child_id, type_id, annotator_id, created_at
                 FROM relations WHERE head_id = ?1 OR child_id = ?1 ORDER BY rowid",
            )?
            .query_map([span_id], RelationRow::from_row)?
            .collect::<Result<Vec<_>, _>>()?)
    }

    pub fn upsert(&self, conn: &Connection) -> Result<()> {
        conn.prepare_cached(&format!(
            "INSERT INTO relations({RELATION_COLUMNS})
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT(id) DO UPDATE SET
               doc_id = excluded.doc_id, head_id = excluded.head_id, child_id = excluded.child_id,
               type_id = excluded.type_id, annotator_id = excluded.annotator_id,
               created_at = excluded.created_at"
        ))?
        .execute(&self.values()[..])?;
        Ok(())
    }

    /// New rows, many to a statement (see [`SpanRow::insert_many`]).
    pub fn insert_many(
        conn: &Connection,
        rows: &[RelationRow],
        on_failure: OnFailure,
    ) -> Result<()> {
        insert_many(
            conn,
            "relations",
            RELATION_COLUMNS,
            rows,
            RelationRow::values,
            on_failure,
        )
    }

    fn values(&self) -> [&dyn ToSql; 7] {
        [
            &self.id,
            &self.doc_id,
            &self.head_id,
            &self.child_id,
            &self.type_id,
            &self.annotator_id,
            &self.created_at,
        ]
    }

    pub fn delete(conn: &Connection, id: &str) -> Result<()> {
        conn.prepare_cached("DELETE FROM relations WHERE id = ?1")?
            .execute([id])?;
        Ok(())
    }
}

/// The mutable part of a document: metadata and status. The text never changes. (History
/// keeps it as JSON with the metadata's fields beside `id` and `status`.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct DocStateRow {
    pub id: String,
    #[serde(flatten)]
    pub meta: DocMeta,
    pub status: String,
}

impl DocStateRow {
    pub fn load(conn: &Connection, id: &str) -> Result<Option<DocStateRow>> {
        let mut stmt = conn.prepare_cached(
            "SELECT title, outlet, author, published, url, language, source_file, status
             FROM documents WHERE id = ?1",
        )?;
        let meta = MetaColumns::of(&stmt)?;
        let status = stmt.column_index("status")?;
        Ok(stmt
            .query_row([id], |r| {
                Ok(DocStateRow {
                    id: id.to_string(),
                    meta: meta.read(r)?,
                    status: r.get(status)?,
                })
            })
            .optional()?)
    }

    pub fn write(&self, conn: &Connection) -> Result<()> {
        let mut values = meta_params(&self.meta).to_vec();
        values.extend([(":id", &self.id as &dyn ToSql), (":status", &self.status)]);
        conn.prepare_cached(
            "UPDATE documents SET title = :title, outlet = :outlet, author = :author,
                 published = :published, url = :url, language = :language,
                 source_file = :source_file, status = :status
             WHERE id = :id",
        )?
        .execute(&values[..])?;
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct DocLabelRow {
    pub doc_id: String,
    pub label_def_id: i64,
    pub annotator_id: i64,
    pub created_at: String,
}

/// A row with no id of its own, known by its content: a document label, an assignment.
pub(crate) trait KeyedRow {
    fn insert(&self, conn: &Connection) -> Result<()>;
    fn delete(&self, conn: &Connection) -> Result<()>;
}

impl KeyedRow for DocLabelRow {
    fn insert(&self, conn: &Connection) -> Result<()> {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO doc_labels(doc_id, label_def_id, annotator_id, created_at)
             VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![
            self.doc_id,
            self.label_def_id,
            self.annotator_id,
            self.created_at
        ])?;
        Ok(())
    }

    fn delete(&self, conn: &Connection) -> Result<()> {
        conn.prepare_cached(
            "DELETE FROM doc_labels WHERE doc_id = ?1 AND label_def_id = ?2 AND annotator_id = ?3",
        )?
        .execute(params![self.doc_id, self.label_def_id, self.annotator_id])?;
        Ok(())
    }
}
