//! Annotator layers: every span, relation and document label belongs to the layer of its
//! annotator, and the layer named [`GOLD_LAYER`] holds what a curator settled. Here: which
//! documents each layer takes part in, and every layer's annotations read at once, for
//! agreement and curation.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use rusqlite::{Connection, Row};

use super::Workspace;
use crate::error::{Error, Result};

/// The curated layer: an annotator name no person may take.
pub const GOLD_LAYER: &str = "gold";

/// A span of a layer as agreement compares it.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerSpan {
    /// The span's row, which relations name.
    pub key: i64,
    pub start: u32,
    pub end: u32,
    pub label: Arc<str>,
}

/// A relation of a layer, between two of its spans (by key).
#[derive(Debug, Clone, PartialEq)]
pub struct LayerRelation {
    pub head: i64,
    pub child: i64,
    pub label: Arc<str>,
}

/// One annotator's annotations of one document. A layer can be empty: an annotator assigned
/// a document who marked nothing in it says that nothing is there.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Layer {
    pub spans: Vec<LayerSpan>,
    pub relations: Vec<LayerRelation>,
    pub doc_labels: Vec<Arc<str>>,
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
    /// they marked, by document id. Read with a few queries for the whole workspace, names by
    /// id from their small tables: hundreds of thousands of spans allocate nothing but
    /// their place in a list.
    pub fn layers(&self) -> Result<BTreeMap<String, DocLayers>> {
        let conn = self.conn();
        let annotators = super::names(conn, "annotators")?;
        let labels = super::names(conn, "span_labels")?;
        let kinds = super::names(conn, "relation_types")?;
        let doc_labels = super::names(conn, "doc_label_defs")?;
        let mut docs: BTreeMap<String, DocLayers> = BTreeMap::new();
        // Each query's columns: the document, the annotator, then what the closure reads.
        let mut read = |sql: &str, add: &mut dyn FnMut(&Row<'_>, &mut Layer) -> Result<()>| {
            let mut stmt = conn.prepare(sql)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let who = annotators
                    .get(&r.get::<_, i64>(1)?)
                    .ok_or_else(|| Error::Corrupt("a row's annotator is missing".into()))?;
                let doc = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
                if !docs.contains_key(doc) {
                    docs.insert(doc.to_string(), DocLayers::new());
                }
                let layers = docs
                    .get_mut(doc)
                    .ok_or_else(|| Error::Corrupt(doc.into()))?;
                if !layers.contains_key(who.as_ref()) {
                    layers.insert(who.to_string(), Layer::default());
                }
                let layer = layers
                    .get_mut(who.as_ref())
                    .ok_or_else(|| Error::Corrupt(who.to_string()))?;
                add(r, layer)?;
            }
            Ok::<(), Error>(())
        };
        let name = |names: &HashMap<i64, Arc<str>>, id: i64| -> Result<Arc<str>> {
            names
                .get(&id)
                .cloned()
                .ok_or_else(|| Error::Corrupt(format!("no schema entry {id}")))
        };
        read(
            "SELECT doc_id, annotator_id FROM assignments",
            &mut |_, _| Ok(()),
        )?;
        read(
            "SELECT doc_id, annotator_id, rowid, start, \"end\", label_id FROM spans",
            &mut |r, layer| {
                layer.spans.push(LayerSpan {
                    key: r.get(2)?,
                    start: r.get(3)?,
                    end: r.get(4)?,
                    label: name(&labels, r.get(5)?)?,
                });
                Ok(())
            },
        )?;
        read(
            "SELECT r.doc_id, r.annotator_id, h.rowid, c.rowid, r.type_id FROM relations r
             JOIN spans h ON h.id = r.head_id JOIN spans c ON c.id = r.child_id",
            &mut |r, layer| {
                layer.relations.push(LayerRelation {
                    head: r.get(2)?,
                    child: r.get(3)?,
                    label: name(&kinds, r.get(4)?)?,
                });
                Ok(())
            },
        )?;
        read(
            "SELECT doc_id, annotator_id, label_def_id FROM doc_labels",
            &mut |r, layer| {
                layer.doc_labels.push(name(&doc_labels, r.get(2)?)?);
                Ok(())
            },
        )?;
        Ok(docs)
    }
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
