//! Counts over the whole workspace, for `parallax stats` and the app's progress display.

use serde::Serialize;

use super::Workspace;
use crate::error::Result;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub documents: u32,
    /// Documents by status, every status listed.
    pub by_status: Vec<(String, u32)>,
    pub spans: u32,
    /// Spans by label, every label of the schema listed.
    pub spans_by_label: Vec<(String, u32)>,
    pub relations: u32,
    pub relations_by_type: Vec<(String, u32)>,
    /// Spans by layer: each annotator with spans, and gold.
    pub spans_by_layer: Vec<(String, u32)>,
    pub annotators: Vec<String>,
    pub history_entries: u32,
    /// Total length of all texts, in code points.
    pub characters: u64,
}

impl Workspace {
    pub fn stats(&self) -> Result<Stats> {
        let conn = self.conn();
        let count = |sql: &str| -> Result<u32> { Ok(conn.query_row(sql, [], |r| r.get(0))?) };
        let pairs = |sql: &str| -> Result<Vec<(String, u32)>> {
            Ok(conn
                .prepare(sql)?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<Vec<_>, _>>()?)
        };
        let mut by_status = Vec::new();
        for st in crate::model::DocStatus::ALL {
            let n: u32 = conn.query_row(
                "SELECT count(*) FROM documents WHERE status = ?1",
                [st.as_str()],
                |r| r.get(0),
            )?;
            by_status.push((st.as_str().to_string(), n));
        }
        Ok(Stats {
            documents: count("SELECT count(*) FROM documents")?,
            by_status,
            spans: count("SELECT count(*) FROM spans")?,
            spans_by_label: pairs(
                "SELECT l.name, (SELECT count(*) FROM spans s WHERE s.label_id = l.id)
                 FROM span_labels l ORDER BY l.position, l.id",
            )?,
            relations: count("SELECT count(*) FROM relations")?,
            relations_by_type: pairs(
                "SELECT t.name, (SELECT count(*) FROM relations r WHERE r.type_id = t.id)
                 FROM relation_types t ORDER BY t.position, t.id",
            )?,
            spans_by_layer: pairs(
                "SELECT a.name, count(*) FROM spans s JOIN annotators a ON a.id = s.annotator_id
                 GROUP BY a.id ORDER BY a.name = 'gold', a.name",
            )?,
            annotators: conn
                .prepare(
                    "SELECT name FROM annotators a WHERE EXISTS
                       (SELECT 1 FROM history h WHERE h.annotator_id = a.id)
                     OR EXISTS (SELECT 1 FROM spans s WHERE s.annotator_id = a.id)
                     ORDER BY name",
                )?
                .query_map([], |r| r.get(0))?
                .collect::<Result<Vec<_>, _>>()?,
            history_entries: count("SELECT count(*) FROM history")?,
            characters: conn.query_row(
                "SELECT coalesce(sum(char_len), 0) FROM documents",
                [],
                |r| r.get::<_, i64>(0),
            )? as u64,
        })
    }
}
