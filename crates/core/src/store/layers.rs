//! Annotator layers: every span, relation and document label belongs to the layer of its
//! annotator, and the layer named [`GOLD_LAYER`] holds what a curator settled. Here: which
//! documents each layer takes part in, and every layer's annotations read at once, for
//! agreement and curation.

use std::collections::{BTreeMap, HashSet};

use rusqlite::{Connection, Row};

use super::Workspace;
use crate::error::Result;

/// The curated layer: an annotator name no person may take.
pub const GOLD_LAYER: &str = "gold";

/// A span of a layer as agreement and curation compare it.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerSpan {
    pub id: String,
    pub start: u32,
    pub end: u32,
    pub label: String,
}

/// A relation of a layer, between two of its spans (by id).
#[derive(Debug, Clone, PartialEq)]
pub struct LayerRelation {
    pub head: String,
    pub child: String,
    pub label: String,
}

/// One annotator's annotations of one document. A layer can be empty: an annotator assigned
/// a document who marked nothing in it says that nothing is there.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Layer {
    pub spans: Vec<LayerSpan>,
    pub relations: Vec<LayerRelation>,
    pub doc_labels: Vec<String>,
}

/// A document's layers by annotator name.
pub type DocLayers = BTreeMap<String, Layer>;

impl Workspace {
    /// Whether a curator has put anything into the `gold` layer.
    pub fn has_gold(&self) -> Result<bool> {
        Ok(self.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM spans s JOIN annotators a ON a.id = s.annotator_id
                            WHERE a.name = ?1)",
            [GOLD_LAYER],
            |r| r.get(0),
        )?)
    }

    /// Every document's layers: each annotator who annotated it or is assigned it, with what
    /// they marked, by document id. Read with four queries for the whole workspace.
    pub fn layers(&self) -> Result<BTreeMap<String, DocLayers>> {
        let conn = self.conn();
        let mut docs: BTreeMap<String, DocLayers> = BTreeMap::new();
        let mut stmt = conn.prepare(
            "SELECT x.doc_id AS doc_id, a.name AS annotator FROM assignments x
             JOIN annotators a ON a.id = x.annotator_id",
        )?;
        let (doc, who) = (
            stmt.column_index("doc_id")?,
            stmt.column_index("annotator")?,
        );
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            layer_of(&mut docs, r, doc, who)?;
        }
        let mut stmt = conn.prepare(
            "SELECT s.doc_id AS doc_id, a.name AS annotator, s.id AS id, s.start AS start,
                    s.\"end\" AS \"end\", l.name AS label
             FROM spans s JOIN span_labels l ON l.id = s.label_id
             JOIN annotators a ON a.id = s.annotator_id
             ORDER BY s.doc_id, s.start, s.\"end\"",
        )?;
        // Columns found by name once: a lookup by name on every row would cost more than
        // reading it, at hundreds of thousands of spans.
        let at = |name: &str| stmt.column_index(name);
        let (doc, who, id, start, end, label) = (
            at("doc_id")?,
            at("annotator")?,
            at("id")?,
            at("start")?,
            at("end")?,
            at("label")?,
        );
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            layer_of(&mut docs, r, doc, who)?.spans.push(LayerSpan {
                id: r.get(id)?,
                start: r.get(start)?,
                end: r.get(end)?,
                label: r.get(label)?,
            });
        }
        let mut stmt = conn.prepare(
            "SELECT r.doc_id AS doc_id, a.name AS annotator, r.head_id AS head,
                    r.child_id AS child, t.name AS label
             FROM relations r JOIN relation_types t ON t.id = r.type_id
             JOIN annotators a ON a.id = r.annotator_id",
        )?;
        let at = |name: &str| stmt.column_index(name);
        let (doc, who, head, child, label) = (
            at("doc_id")?,
            at("annotator")?,
            at("head")?,
            at("child")?,
            at("label")?,
        );
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            layer_of(&mut docs, r, doc, who)?
                .relations
                .push(LayerRelation {
                    head: r.get(head)?,
                    child: r.get(child)?,
                    label: r.get(label)?,
                });
        }
        let mut stmt = conn.prepare(
            "SELECT x.doc_id AS doc_id, a.name AS annotator, d.name AS label
             FROM doc_labels x JOIN doc_label_defs d ON d.id = x.label_def_id
             JOIN annotators a ON a.id = x.annotator_id",
        )?;
        let at = |name: &str| stmt.column_index(name);
        let (doc, who, label) = (at("doc_id")?, at("annotator")?, at("label")?);
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            layer_of(&mut docs, r, doc, who)?
                .doc_labels
                .push(r.get(label)?);
        }
        Ok(docs)
    }
}

/// The layer of the document and annotator in columns `doc` and `who` of a row, made empty
/// when it is new.
fn layer_of<'d>(
    docs: &'d mut BTreeMap<String, DocLayers>,
    r: &Row<'_>,
    doc: usize,
    who: usize,
) -> rusqlite::Result<&'d mut Layer> {
    Ok(docs
        .entry(r.get(doc)?)
        .or_default()
        .entry(r.get(who)?)
        .or_default())
}

/// The annotators with a span, relation or document label in a document: its layers that are
/// not empty.
pub(crate) fn annotators_in(conn: &Connection, doc_id: &str) -> Result<HashSet<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.name FROM annotators a WHERE a.id IN (
             SELECT annotator_id FROM spans WHERE doc_id = ?1
             UNION SELECT annotator_id FROM relations WHERE doc_id = ?1
             UNION SELECT annotator_id FROM doc_labels WHERE doc_id = ?1)",
    )?;
    let names = stmt.query_map([doc_id], |r| r.get(0))?;
    Ok(names.collect::<rusqlite::Result<_>>()?)
}
