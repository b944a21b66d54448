//! Documents: immutable text plus metadata and a workflow status.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, Statement, ToSql, params, params_from_iter};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Workspace;
use super::history::{Change, Done};
use super::rows::DocStateRow;
use crate::error::{Error, Result};
use crate::model::{DocMeta, DocStatus, Document, DocumentSummary, DocumentView};

/// A document about to be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NewDocument {
    pub text: String,
    pub meta: DocMeta,
    /// SHA-256 of the original bytes, lowercase hex.
    pub sha256: String,
}

/** Which documents a list shows. */
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DocFilter {
    pub status: Option<DocStatus>,
    pub outlet: Option<String>,
    /// Documents assigned to this annotator: their queue.
    #[serde(default)]
    #[ts(optional)]
    pub assigned_to: Option<String>,
}

impl DocFilter {
    /// The WHERE clause (empty when nothing is filtered) and its arguments, numbered from 1.
    fn sql(&self) -> (String, Vec<Value>) {
        let mut conds = Vec::new();
        let mut args = Vec::new();
        if let Some(status) = self.status {
            args.push(Value::Text(status.as_str().to_string()));
            conds.push(format!("d.status = ?{}", args.len()));
        }
        if let Some(outlet) = &self.outlet {
            args.push(Value::Text(outlet.clone()));
            conds.push(format!("d.outlet = ?{}", args.len()));
        }
        if let Some(who) = &self.assigned_to {
            args.push(Value::Text(who.clone()));
            conds.push(format!(
                "d.id IN (SELECT x.doc_id FROM assignments x JOIN annotators a
                          ON a.id = x.annotator_id WHERE a.name = ?{})",
                args.len()
            ));
        }
        let clause = if conds.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conds.join(" AND "))
        };
        (clause, args)
    }
}

/// A page of the document list.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DocumentPage {
    /// How many documents pass the filter in all.
    pub total: u32,
    pub offset: u32,
    pub docs: Vec<DocumentSummary>,
}

/// Counts and outlets for the document list's progress line and filters.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DocumentFacets {
    pub total: u32,
    pub done: u32,
    /// Every outlet, sorted.
    pub outlets: Vec<String>,
}

/// A document summary's columns, each named as [`SummaryColumns`] finds it.
const SUMMARY_COLUMNS: &str = "d.id AS id, d.title AS title, d.outlet AS outlet,
     d.author AS author, d.published AS published, d.url AS url, d.language AS language,
     d.source_file AS source_file, d.sha256 AS sha256, d.status AS status,
     d.char_len AS char_len, d.imported_at AS imported_at, d.derived_title AS derived_title,
     (SELECT count(*) FROM spans s WHERE s.doc_id = d.id) AS span_count";

/// Where a statement has each of a document's metadata columns, found by name once per
/// statement (as for spans: a lookup by name on every row would cost more than the row).
pub(crate) struct MetaColumns {
    title: usize,
    outlet: usize,
    author: usize,
    published: usize,
    url: usize,
    language: usize,
    source_file: usize,
}

impl MetaColumns {
    pub fn of(stmt: &Statement<'_>) -> Result<MetaColumns> {
        let at = |name: &str| stmt.column_index(name);
        Ok(MetaColumns {
            title: at("title")?,
            outlet: at("outlet")?,
            author: at("author")?,
            published: at("published")?,
            url: at("url")?,
            language: at("language")?,
            source_file: at("source_file")?,
        })
    }

    pub fn read(&self, r: &Row<'_>) -> rusqlite::Result<DocMeta> {
        Ok(DocMeta {
            title: r.get(self.title)?,
            outlet: r.get(self.outlet)?,
            author: r.get(self.author)?,
            published: r.get(self.published)?,
            url: r.get(self.url)?,
            language: r.get(self.language)?,
            source_file: r.get(self.source_file)?,
        })
    }
}

/// Where a statement has each of [`SUMMARY_COLUMNS`].
struct SummaryColumns {
    id: usize,
    meta: MetaColumns,
    sha256: usize,
    status: usize,
    char_len: usize,
    imported_at: usize,
    span_count: usize,
    derived_title: usize,
}

impl SummaryColumns {
    fn of(stmt: &Statement<'_>) -> Result<SummaryColumns> {
        let at = |name: &str| stmt.column_index(name);
        Ok(SummaryColumns {
            id: at("id")?,
            meta: MetaColumns::of(stmt)?,
            sha256: at("sha256")?,
            status: at("status")?,
            char_len: at("char_len")?,
            imported_at: at("imported_at")?,
            span_count: at("span_count")?,
            derived_title: at("derived_title")?,
        })
    }

    fn read(&self, r: &Row<'_>) -> rusqlite::Result<DocumentSummary> {
        let status: String = r.get(self.status)?;
        Ok(DocumentSummary {
            id: r.get(self.id)?,
            meta: self.meta.read(r)?,
            sha256: r.get(self.sha256)?,
            status: DocStatus::parse(&status).unwrap_or(DocStatus::New),
            char_len: r.get(self.char_len)?,
            imported_at: r.get(self.imported_at)?,
            span_count: r.get(self.span_count)?,
            derived_title: r.get(self.derived_title)?,
        })
    }
}

/// Stores a document inside the caller's transaction and returns its new id.
pub(crate) fn insert(tx: &Connection, doc: &NewDocument, imported_at: &str) -> Result<String> {
    let id = crate::ids::new_id();
    let char_len = crate::offsets::char_len(&doc.text) as i64;
    let derived_title = crate::text::title::derived_title(&doc.text);
    let mut values = meta_params(&doc.meta).to_vec();
    values.extend([
        (":id", &id as &dyn ToSql),
        (":sha256", &doc.sha256),
        (":char_len", &char_len),
        (":imported_at", &imported_at),
        (":derived_title", &derived_title),
    ]);
    tx.prepare_cached(
        "INSERT INTO documents(id, title, outlet, author, published, url, language, source_file,
                               sha256, status, char_len, imported_at, derived_title)
         VALUES (:id, :title, :outlet, :author, :published, :url, :language, :source_file,
                 :sha256, 'new', :char_len, :imported_at, :derived_title)",
    )?
    .execute(&values[..])?;
    tx.prepare_cached("INSERT INTO document_texts(doc_id, text) VALUES (?1, ?2)")?
        .execute(params![id, doc.text])?;
    Ok(id)
}

/// A document's metadata as the named parameters (`:title`, `:outlet`, …) of a statement
/// that writes them.
pub(crate) fn meta_params(m: &DocMeta) -> [(&'static str, &dyn ToSql); 7] {
    [
        (":title", &m.title),
        (":outlet", &m.outlet),
        (":author", &m.author),
        (":published", &m.published),
        (":url", &m.url),
        (":language", &m.language),
        (":source_file", &m.source_file),
    ]
}

/// The id of the document whose original bytes have this hash, if any.
pub(crate) fn id_by_sha256(conn: &Connection, sha256: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT id FROM documents WHERE sha256 = ?1")?
        .query_row([sha256], |r| r.get(0))
        .optional()?)
}

pub(crate) fn text_of(conn: &Connection, doc_id: &str) -> Result<String> {
    conn.prepare_cached("SELECT text FROM document_texts WHERE doc_id = ?1")?
        .query_row([doc_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::DocumentNotFound(doc_id.into()))
}

/// A document becomes "in progress" at its first annotation: for each document where `changes`
/// add a span of `who` while the document, or `who`'s layer of it, is still new, the changes that
/// say so (recorded with the span, so that undoing the span makes the document new again).
pub(crate) fn mark_started(tx: &Connection, who: i64, changes: &[Change]) -> Result<Vec<Change>> {
    let mut docs: Vec<&str> = Vec::new();
    for change in changes {
        if let Change::Span {
            before: None,
            after: Some(row),
        } = change
            && row.annotator_id == who
            && !docs.contains(&row.doc_id.as_str())
        {
            docs.push(&row.doc_id);
        }
    }
    let mut started = Vec::new();
    for doc in docs {
        let before =
            DocStateRow::load(tx, doc)?.ok_or_else(|| Error::DocumentNotFound(doc.into()))?;
        if before.status == DocStatus::New.as_str() {
            started.extend(write_status(tx, before, DocStatus::InProgress)?);
        }
        started.extend(super::team::start_layer(tx, doc, who)?);
    }
    Ok(started)
}

/// Writes a document's status; the change, when it was another.
fn write_status(tx: &Connection, before: DocStateRow, status: DocStatus) -> Result<Option<Change>> {
    if before.status == status.as_str() {
        return Ok(None);
    }
    let mut after = before.clone();
    after.status = status.as_str().into();
    after.write(tx)?;
    Ok(Some(Change::Document { before, after }))
}

impl Workspace {
    /// Stores one document and returns its id.
    pub fn insert_document(&mut self, doc: &NewDocument) -> Result<String> {
        let tx = self.conn_mut().transaction()?;
        let id = insert(&tx, doc, &crate::clock::now())?;
        tx.commit()?;
        Ok(id)
    }

    pub fn document_count(&self) -> Result<u32> {
        Ok(self
            .conn()
            .query_row("SELECT count(*) FROM documents", [], |r| r.get(0))?)
    }

    /// Every document in import order, without texts.
    pub fn list_documents(&self) -> Result<Vec<DocumentSummary>> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM documents d ORDER BY d.rowid"
        ))?;
        let columns = SummaryColumns::of(&stmt)?;
        Ok(stmt
            .query_map([], |r| columns.read(r))?
            .collect::<Result<Vec<_>, _>>()?)
    }

    /// One page of the documents that pass `filter`, in import order, and how many pass it.
    pub fn list_documents_page(
        &self,
        filter: &DocFilter,
        offset: u32,
        limit: u32,
    ) -> Result<DocumentPage> {
        let (clause, mut args) = filter.sql();
        let conn = self.conn();
        let total: u32 = conn.query_row(
            &format!("SELECT count(*) FROM documents d {clause}"),
            params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        args.push(Value::Integer(limit.into()));
        args.push(Value::Integer(offset.into()));
        let mut stmt = conn.prepare(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM documents d {clause} ORDER BY d.rowid
             LIMIT ?{} OFFSET ?{}",
            args.len() - 1,
            args.len()
        ))?;
        let columns = SummaryColumns::of(&stmt)?;
        let docs = stmt
            .query_map(params_from_iter(args.iter()), |r| columns.read(r))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(DocumentPage {
            total,
            offset,
            docs,
        })
    }

    /// Where the document `id` is among those that pass `filter` (its offset for
    /// [`Workspace::list_documents_page`]), or `None` if it does not pass.
    pub fn document_position(&self, filter: &DocFilter, id: &str) -> Result<Option<u32>> {
        let (clause, mut args) = filter.sql();
        let Some(rowid) = self
            .conn()
            .query_row("SELECT rowid FROM documents WHERE id = ?1", [id], |r| {
                r.get::<_, i64>(0)
            })
            .optional()?
        else {
            return Ok(None);
        };
        args.push(Value::Integer(rowid));
        let with = |cond: &str| {
            let joiner = if clause.is_empty() { "WHERE" } else { "AND" };
            format!("{clause} {joiner} d.rowid {cond} ?{}", args.len())
        };
        let conn = self.conn();
        let passes: bool = conn.query_row(
            &format!("SELECT count(*) > 0 FROM documents d {}", with("=")),
            params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        if !passes {
            return Ok(None);
        }
        Ok(Some(conn.query_row(
            &format!("SELECT count(*) FROM documents d {}", with("<")),
            params_from_iter(args.iter()),
            |r| r.get(0),
        )?))
    }

    /// What the document list's filters and progress need: counts and the outlets.
    pub fn document_facets(&self) -> Result<DocumentFacets> {
        let conn = self.conn();
        let (total, done): (u32, u32) = conn.query_row(
            "SELECT count(*), coalesce(sum(status = 'done'), 0) FROM documents",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let outlets = conn
            .prepare(
                "SELECT outlet FROM documents WHERE outlet IS NOT NULL
                 GROUP BY outlet ORDER BY outlet",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<Result<Vec<String>, _>>()?;
        Ok(DocumentFacets {
            total,
            done,
            outlets,
        })
    }

    /// The full id of the document named by `id_or_prefix`: a whole id or a unique prefix of
    /// one (at least 4 characters), like git's short hashes.
    pub fn resolve_document(&self, id_or_prefix: &str) -> Result<String> {
        let key = id_or_prefix.trim();
        let conn = self.conn();
        if let Some(id) = conn
            .prepare_cached("SELECT id FROM documents WHERE id = ?1")?
            .query_row([key], |r| r.get::<_, String>(0))
            .optional()?
        {
            return Ok(id);
        }
        if key.len() < 4 || !key.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            return Err(Error::DocumentNotFound(key.into()));
        }
        let ids: Vec<String> = conn
            .prepare_cached("SELECT id FROM documents WHERE id >= ?1 AND id < ?1 || 'g' LIMIT 2")?
            .query_map([key.to_ascii_lowercase()], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        match ids.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(Error::DocumentNotFound(key.into())),
            _ => Err(Error::AmbiguousDocument(key.into())),
        }
    }

    pub fn document_summary(&self, id_or_prefix: &str) -> Result<DocumentSummary> {
        let id = self.resolve_document(id_or_prefix)?;
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM documents d WHERE d.id = ?1"
        ))?;
        let columns = SummaryColumns::of(&stmt)?;
        Ok(stmt.query_row([&id], |r| columns.read(r))?)
    }

    /// The texts of several documents at once, in the order of `ids`.
    pub(crate) fn texts_of(&self, ids: &[&str]) -> Result<Vec<Option<String>>> {
        let mut texts = vec![None; ids.len()];
        let mut stmt = self.conn().prepare_cached(
            "SELECT j.key, t.text FROM json_each(?1) j
             CROSS JOIN document_texts t ON t.doc_id = j.value",
        )?;
        let mut rows = stmt.query([serde_json::to_string(ids)?])?;
        while let Some(r) = rows.next()? {
            if let Some(slot) = texts.get_mut(r.get::<_, u32>(0)? as usize) {
                *slot = Some(r.get(1)?);
            }
        }
        Ok(texts)
    }

    /// The summaries of several documents at once, in the order of `ids`; `None` for an id
    /// no document has (any longer).
    pub(crate) fn summaries_of(&self, ids: &[&str]) -> Result<Vec<Option<DocumentSummary>>> {
        let mut out = vec![None; ids.len()];
        // `CROSS JOIN` keeps the ids first, each looked up by key.
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT j.key AS batch, {SUMMARY_COLUMNS} FROM json_each(?1) j
             CROSS JOIN documents d ON d.id = j.value"
        ))?;
        let columns = SummaryColumns::of(&stmt)?;
        let batch = stmt.column_index("batch")?;
        let mut rows = stmt.query([serde_json::to_string(ids)?])?;
        while let Some(r) = rows.next()? {
            if let Some(slot) = out.get_mut(r.get::<_, u32>(batch)? as usize) {
                *slot = Some(columns.read(r)?);
            }
        }
        Ok(out)
    }

    pub fn document(&self, id_or_prefix: &str) -> Result<Document> {
        let summary = self.document_summary(id_or_prefix)?;
        let text = text_of(self.conn(), &summary.id)?;
        Ok(Document { summary, text })
    }

    /// A document with its spans, relations and document labels.
    pub fn document_view(&self, id_or_prefix: &str) -> Result<DocumentView> {
        self.view_of(self.document_summary(id_or_prefix)?)
    }

    /// The view of a document whose summary the caller has (an export walking the list).
    pub fn view_of(&self, summary: DocumentSummary) -> Result<DocumentView> {
        let id = summary.id.clone();
        Ok(DocumentView {
            document: Document {
                text: text_of(self.conn(), &id)?,
                summary,
            },
            spans: self.spans(&id)?,
            relations: self.relations(&id)?,
            doc_labels: self.doc_labels(&id)?,
        })
    }

    /// The views of several documents for an export, in their order: texts, spans, relations
    /// and document labels read with four queries for the batch (`annotations_for_export`).
    pub(crate) fn views_for_export(
        &self,
        summaries: &[&DocumentSummary],
    ) -> Result<Vec<DocumentView>> {
        let ids: Vec<&str> = summaries.iter().map(|s| s.id.as_str()).collect();
        let texts = self.texts_of(&ids)?;
        let batch = self.annotations_for_export(&ids)?;
        summaries
            .iter()
            .zip(texts)
            .zip(
                batch
                    .spans
                    .into_iter()
                    .zip(batch.relations)
                    .zip(batch.doc_labels),
            )
            .map(|((summary, text), ((spans, relations), doc_labels))| {
                Ok(DocumentView {
                    document: Document {
                        text: text.ok_or_else(|| Error::DocumentNotFound(summary.id.clone()))?,
                        summary: (*summary).clone(),
                    },
                    spans,
                    relations,
                    doc_labels,
                })
            })
            .collect()
    }

    /// Sets a document's workflow status, and the annotator's own status for it (their
    /// layer's, which their progress counts): one undo step.
    pub fn set_status(&mut self, doc: &str, status: DocStatus, annotator: &str) -> Result<()> {
        let id = self.resolve_document(doc)?;
        self.change("set_status", annotator, |tx, who| {
            let before =
                DocStateRow::load(tx, &id)?.ok_or_else(|| Error::DocumentNotFound(id.clone()))?;
            let mut changes: Vec<Change> = write_status(tx, before, status)?.into_iter().collect();
            changes.extend(super::team::set_layer_status(
                tx,
                &id,
                who,
                status.as_str(),
            )?);
            Ok(Done::new((), Some(id.clone()), changes))
        })
    }

    /// Replaces a document's metadata.
    pub fn set_metadata(&mut self, doc: &str, meta: DocMeta, annotator: &str) -> Result<()> {
        if let Some(p) = &meta.published
            && crate::clock::parse_date(p).is_none()
        {
            return Err(Error::InvalidAttribute {
                attr: "published".into(),
                problem: format!("must be a date as YYYY-MM-DD, not `{p}`"),
            });
        }
        self.change_doc_state(doc, annotator, "set_metadata", move |s| s.meta = meta)
    }

    fn change_doc_state(
        &mut self,
        doc: &str,
        annotator: &str,
        action: &str,
        edit: impl FnOnce(&mut DocStateRow),
    ) -> Result<()> {
        let id = self.resolve_document(doc)?;
        self.change(action, annotator, |tx, _| {
            let before =
                DocStateRow::load(tx, &id)?.ok_or_else(|| Error::DocumentNotFound(id.clone()))?;
            let mut after = before.clone();
            edit(&mut after);
            if after == before {
                return Ok(Done::new((), None, vec![]));
            }
            after.write(tx)?;
            let doc = Some(id.clone());
            Ok(Done::new((), doc, vec![Change::Document { before, after }]))
        })
    }
}
