//! What the search index reads from the database: the change log that the triggers of
//! migration 3 fill, and each document with everything that is searchable about it.

use std::collections::HashMap;
use std::sync::Arc;

use rusqlite::params;
use serde_json::{Map, Value};

use super::Workspace;
use crate::error::Result;
use crate::model::DocumentSummary;

/// A document as the search index sees it.
#[derive(Debug, Clone)]
pub struct IndexRecord {
    pub summary: DocumentSummary,
    pub text: String,
    pub spans: Vec<IndexSpan>,
    /// Annotators of the document's document labels.
    pub doc_label_annotators: Vec<String>,
}

/// A span as the search index sees it: what span search matches and returns the id of.
#[derive(Debug, Clone)]
pub struct IndexSpan {
    pub id: String,
    pub text: String,
    pub label: String,
    pub annotator: String,
    pub attrs: Map<String, Value>,
}

/// Names by id, of a small table (labels, annotators), read once per batch.
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

    /// Documents with their spans, in the order of `ids`; `None` for one that no longer
    /// exists. Read with a few queries for the whole batch (the ids through `json_each`, kept
    /// first by `CROSS JOIN`), and only what the index holds.
    pub fn index_records(&self, ids: &[&str]) -> Result<Vec<Option<IndexRecord>>> {
        let conn = self.conn();
        let json = serde_json::to_string(ids)?;
        let labels = super::names(conn, "span_labels")?;
        let annotators = super::names(conn, "annotators")?;
        let name = |names: &HashMap<i64, Arc<str>>, id: i64| {
            names.get(&id).map(|n| n.to_string()).unwrap_or_default()
        };
        let mut spans: Vec<Vec<IndexSpan>> = vec![Vec::new(); ids.len()];
        let mut stmt = conn.prepare_cached(
            "SELECT j.key, s.id, s.quote, s.label_id, s.annotator_id, s.attrs
             FROM json_each(?1) j CROSS JOIN spans s ON s.doc_id = j.value",
        )?;
        let mut rows = stmt.query([&json])?;
        while let Some(r) = rows.next()? {
            let Some(list) = spans.get_mut(r.get::<_, u32>(0)? as usize) else {
                continue;
            };
            list.push(IndexSpan {
                id: r.get(1)?,
                text: r.get(2)?,
                label: name(&labels, r.get(3)?),
                annotator: name(&annotators, r.get(4)?),
                attrs: super::annotations::attrs_at(r, 5)?,
            });
        }
        let mut label_annotators: Vec<Vec<String>> = vec![Vec::new(); ids.len()];
        let mut stmt = conn.prepare_cached(
            "SELECT j.key, x.annotator_id FROM json_each(?1) j
             CROSS JOIN doc_labels x ON x.doc_id = j.value",
        )?;
        let mut rows = stmt.query([&json])?;
        while let Some(r) = rows.next()? {
            if let Some(list) = label_annotators.get_mut(r.get::<_, u32>(0)? as usize) {
                list.push(name(&annotators, r.get(1)?));
            }
        }
        let texts = self.texts_of(ids)?;
        Ok(self
            .summaries_of(ids)?
            .into_iter()
            .zip(texts)
            .zip(spans.into_iter().zip(label_annotators))
            .map(|((summary, text), (spans, doc_label_annotators))| {
                Some(IndexRecord {
                    summary: summary?,
                    text: text?,
                    spans,
                    doc_label_annotators,
                })
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DocMeta;
    use crate::store::{NewDocument, NewSpan};

    fn doc(ws: &mut Workspace, text: &str) -> String {
        ws.insert_document(&NewDocument {
            text: text.into(),
            meta: DocMeta::default(),
            sha256: crate::text::sha256_hex(text.as_bytes()),
        })
        .unwrap()
    }

    #[test]
    fn index_records_come_in_the_order_asked_with_none_for_a_missing_document() {
        let tmp = tempfile::tempdir().unwrap();
        let mut ws = Workspace::init(tmp.path()).unwrap();
        let a = doc(&mut ws, "Troops left the border.");
        let b = doc(&mut ws, "Konashenkov said so.");
        let mut attrs = Map::new();
        attrs.insert("type".into(), Value::from("numerical"));
        ws.add_span(
            NewSpan {
                doc_id: b.clone(),
                start: 0,
                end: 11,
                label: "SOURCE".into(),
                attrs: Map::new(),
                note: None,
            },
            "ana",
        )
        .unwrap();
        ws.add_span(
            NewSpan {
                doc_id: a.clone(),
                start: 0,
                end: 22,
                label: "CLAIM".into(),
                attrs,
                note: None,
            },
            "bo",
        )
        .unwrap();
        let records = ws.index_records(&[&b, "no-such-document", &a]).unwrap();
        let summary = |r: &Option<IndexRecord>| r.as_ref().map(|r| r.summary.id.clone());
        assert_eq!(
            records.iter().map(summary).collect::<Vec<_>>(),
            [Some(b.clone()), None, Some(a.clone())]
        );
        let b_rec = records[0].as_ref().unwrap();
        assert_eq!(b_rec.text, "Konashenkov said so.");
        assert_eq!(b_rec.spans.len(), 1);
        assert_eq!(
            (
                b_rec.spans[0].text.as_str(),
                b_rec.spans[0].label.as_str(),
                b_rec.spans[0].annotator.as_str()
            ),
            ("Konashenkov", "SOURCE", "ana")
        );
        let a_rec = records[2].as_ref().unwrap();
        assert_eq!(
            a_rec.spans[0].attrs.get("type"),
            Some(&Value::from("numerical"))
        );
        assert_eq!(a_rec.spans[0].annotator, "bo");
    }
}
