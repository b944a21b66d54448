//! The rows the cross-source views are built from (`cross/`): claims with their documents, the
//! SOURCE and QUANTITY spans linked to claims, unlinked SOURCE mentions, and what each source
//! entity is attributed. Reads only; `cross/` turns them into comparisons and suggestions.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};

use super::{CLAIM_LABEL, SOURCE_LABEL, Workspace};
use crate::error::Result;
use crate::model::{Passage, document_name, shown_title};

/// The label of spans holding a figure.
pub const QUANTITY_LABEL: &str = "QUANTITY";

/// A CLAIM span with the document it is in.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimRow {
    pub span_id: String,
    pub passage: Passage,
    pub group_id: Option<String>,
    pub published: Option<String>,
    /// Its document's name (`DocumentSummary::name`).
    pub document: String,
}

/// A SOURCE or QUANTITY span linked to a claim (either end of a relation), or a QUANTITY span
/// inside it.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkedRow {
    pub claim_id: String,
    pub span_id: String,
    pub text: String,
    pub label: String,
    pub start: u32,
    pub entity_id: Option<String>,
    pub entity: Option<String>,
}

/// Which claims [`Workspace::linked_rows`] reads for.
#[derive(Debug, Clone, Copy)]
pub enum Claims<'a> {
    /// These CLAIM spans.
    Ids(&'a [&'a str]),
    /// Every CLAIM span in a claim group.
    Grouped,
}

/// A SOURCE span with no entity yet, with its document's outlet and title (else derived title).
#[derive(Debug, Clone, PartialEq)]
pub struct MentionRow {
    pub span_id: String,
    pub doc_id: String,
    pub text: String,
    pub outlet: Option<String>,
    pub title: Option<String>,
}

/// How much a source entity is quoted: its linked SOURCE spans, their documents and outlets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EntityCounts {
    pub mentions: u32,
    pub documents: u32,
    /// Sorted.
    pub outlets: Vec<String>,
    /// CLAIM spans attributed to it (either end of a relation).
    pub claims: u32,
}

impl Workspace {
    /// CLAIM spans in a group (`grouped`) or in none, newest documents first.
    pub fn claim_rows(&self, grouped: bool) -> Result<Vec<ClaimRow>> {
        let sql = format!(
            "SELECT s.id, s.doc_id, s.start, s.\"end\", s.quote, s.claim_group_id, d.outlet,
                    d.title, d.derived_title, d.published, d.source_file
             FROM spans s JOIN documents d ON d.id = s.doc_id
             JOIN span_labels l ON l.id = s.label_id
             WHERE l.name = ?1 AND s.claim_group_id IS {} NULL",
            if grouped { "NOT" } else { "" }
        );
        let mut stmt = self.conn().prepare(&sql)?;
        // Each column found once, not by name on every one of 20,000 rows.
        let at = |name: &str| stmt.column_index(name);
        let [
            id,
            doc_id,
            start,
            end,
            quote,
            group,
            outlet,
            title,
            derived,
            published,
            file,
        ] = [
            at("id")?,
            at("doc_id")?,
            at("start")?,
            at("end")?,
            at("quote")?,
            at("claim_group_id")?,
            at("outlet")?,
            at("title")?,
            at("derived_title")?,
            at("published")?,
            at("source_file")?,
        ];
        let rows = stmt.query_map([CLAIM_LABEL], |r| {
            let doc_id: String = r.get(doc_id)?;
            let title: Option<String> = r.get(title)?;
            let derived: Option<String> = r.get(derived)?;
            let source_file: Option<String> = r.get(file)?;
            let document = document_name(
                &doc_id,
                title.as_deref(),
                derived.as_deref(),
                source_file.as_deref(),
            );
            Ok(ClaimRow {
                span_id: r.get(id)?,
                passage: Passage {
                    doc_id,
                    start: r.get(start)?,
                    end: r.get(end)?,
                    text: r.get(quote)?,
                    outlet: r.get(outlet)?,
                    title: shown_title(title.as_deref(), derived.as_deref()).map(str::to_string),
                },
                group_id: r.get(group)?,
                published: r.get(published)?,
                document,
            })
        })?;
        let mut rows: Vec<ClaimRow> = rows.collect::<rusqlite::Result<_>>()?;
        // Newest document first (undated last), in text order: sorted here, where SQLite
        // would sort whole rows, quotes and titles included (a sixth of the compare table).
        rows.sort_unstable_by(|a, b| {
            b.published
                .cmp(&a.published)
                .then_with(|| a.passage.doc_id.cmp(&b.passage.doc_id))
                .then_with(|| a.passage.start.cmp(&b.passage.start))
                .then_with(|| a.span_id.cmp(&b.span_id))
        });
        Ok(rows)
    }

    /// The SOURCE and QUANTITY spans linked to these claims, and QUANTITY spans inside them; a
    /// span linked and inside comes once.
    pub fn linked_rows(&self, claims: Claims<'_>) -> Result<Vec<LinkedRow>> {
        let (ids_json, claims_sql) = match claims {
            Claims::Ids(ids) => (
                serde_json::to_string(ids)?,
                "SELECT value AS id FROM json_each(?1)",
            ),
            // Through the group index: no list of 20,000 ids to write and read as JSON.
            Claims::Grouped => (
                String::new(),
                "SELECT s.id FROM spans s JOIN span_labels l ON l.id = s.label_id
                 WHERE s.claim_group_id IS NOT NULL AND l.name = ?4",
            ),
        };
        // CROSS JOIN keeps the claims first: SQLite would otherwise scan the JSON list once per
        // candidate span (1.7 s instead of 10 ms for 4,000 claims).
        let linked = format!(
            "WITH claims AS ({claims_sql})
             SELECT j.id AS claim, o.id, o.quote, o.source_entity_id, e.name AS entity,
                    lo.name AS label, o.start
             FROM claims j
             CROSS JOIN relations r ON r.head_id = j.id
             CROSS JOIN spans o ON o.id = r.child_id
             JOIN span_labels lo ON lo.id = o.label_id
             LEFT JOIN source_entities e ON e.id = o.source_entity_id
             WHERE lo.name IN (?2, ?3)
             UNION ALL
             SELECT j.id, o.id, o.quote, o.source_entity_id, e.name, lo.name, o.start
             FROM claims j
             CROSS JOIN relations r ON r.child_id = j.id
             CROSS JOIN spans o ON o.id = r.head_id
             JOIN span_labels lo ON lo.id = o.label_id
             LEFT JOIN source_entities e ON e.id = o.source_entity_id
             WHERE lo.name IN (?2, ?3)"
        );
        let inside = format!(
            "WITH claims AS ({claims_sql})
             SELECT j.id AS claim, q.id, q.quote, NULL AS source_entity_id, NULL AS entity,
                    lq.name AS label, q.start
             FROM claims j
             CROSS JOIN spans c ON c.id = j.id
             CROSS JOIN spans q ON q.doc_id = c.doc_id AND q.start >= c.start
                  AND q.start < c.\"end\" AND q.\"end\" <= c.\"end\"
             JOIN span_labels lq ON lq.id = q.label_id
             WHERE lq.name = ?3"
        );
        let read = |sql: &str| -> Result<Vec<LinkedRow>> {
            let mut stmt = self.conn().prepare(sql)?;
            // ?1 the ids (none when grouped), ?4 the claim label (only when grouped).
            let bound: &[&dyn rusqlite::ToSql] = match claims {
                Claims::Ids(_) => params![ids_json, SOURCE_LABEL, QUANTITY_LABEL],
                Claims::Grouped => params![ids_json, SOURCE_LABEL, QUANTITY_LABEL, CLAIM_LABEL],
            };
            let at = |name: &str| stmt.column_index(name);
            let [claim, id, quote, label, start, entity_id, entity] = [
                at("claim")?,
                at("id")?,
                at("quote")?,
                at("label")?,
                at("start")?,
                at("source_entity_id")?,
                at("entity")?,
            ];
            let rows = stmt.query_map(bound, |r| {
                Ok(LinkedRow {
                    claim_id: r.get(claim)?,
                    span_id: r.get(id)?,
                    text: r.get(quote)?,
                    label: r.get(label)?,
                    start: r.get(start)?,
                    entity_id: r.get(entity_id)?,
                    entity: r.get(entity)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let mut out = read(&linked)?;
        // A span inside a claim and linked to it too comes once: the linked (few, relations)
        // are looked up, not a set made of the thousands inside.
        let linked_pairs: std::collections::HashSet<(&str, &str)> = out
            .iter()
            .map(|r| (r.claim_id.as_str(), r.span_id.as_str()))
            .collect();
        let inside: Vec<LinkedRow> = read(&inside)?
            .into_iter()
            .filter(|r| !linked_pairs.contains(&(r.claim_id.as_str(), r.span_id.as_str())))
            .collect();
        drop(linked_pairs);
        out.extend(inside);
        Ok(out)
    }

    /// SOURCE spans linked to no entity, in order of publication.
    pub fn unlinked_mentions(&self) -> Result<Vec<MentionRow>> {
        let mut stmt = self.conn().prepare(
            "SELECT s.id, s.doc_id, s.quote, d.outlet, d.title, d.derived_title
             FROM spans s JOIN span_labels l ON l.id = s.label_id
             JOIN documents d ON d.id = s.doc_id
             WHERE l.name = ?1 AND s.source_entity_id IS NULL
             ORDER BY d.published, d.id, s.start",
        )?;
        let rows = stmt.query_map([SOURCE_LABEL], |r| {
            Ok(MentionRow {
                span_id: r.get("id")?,
                doc_id: r.get("doc_id")?,
                text: r.get("quote")?,
                outlet: r.get("outlet")?,
                title: shown_title(
                    r.get::<_, Option<String>>("title")?.as_deref(),
                    r.get::<_, Option<String>>("derived_title")?.as_deref(),
                )
                .map(str::to_string),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// What each source entity with a linked span is quoted for, by entity id.
    pub fn entity_counts(&self) -> Result<HashMap<String, EntityCounts>> {
        let mut counts: HashMap<String, EntityCounts> = HashMap::new();
        let mut stmt = self.conn().prepare(
            "SELECT s.source_entity_id AS entity, count(*) AS mentions,
                    count(DISTINCT s.doc_id) AS documents,
                    json_group_array(DISTINCT d.outlet) FILTER (WHERE d.outlet IS NOT NULL)
                      AS outlets
             FROM spans s JOIN documents d ON d.id = s.doc_id
             WHERE s.source_entity_id IS NOT NULL GROUP BY s.source_entity_id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let outlets: Option<String> = r.get("outlets")?;
            let mut outlets: Vec<String> = match outlets {
                Some(json) => serde_json::from_str(&json)?,
                None => vec![],
            };
            outlets.sort();
            counts.insert(
                r.get("entity")?,
                EntityCounts {
                    mentions: r.get("mentions")?,
                    documents: r.get("documents")?,
                    outlets,
                    claims: 0,
                },
            );
        }
        for (this, other) in [("child_id", "head_id"), ("head_id", "child_id")] {
            let sql = format!(
                "SELECT src.source_entity_id AS entity, count(DISTINCT c.id) AS claims
                 FROM spans src JOIN relations r ON r.{this} = src.id
                 JOIN spans c ON c.id = r.{other}
                 JOIN span_labels l ON l.id = c.label_id
                 WHERE src.source_entity_id IS NOT NULL AND l.name = ?1
                 GROUP BY src.source_entity_id"
            );
            let mut stmt = self.conn().prepare(&sql)?;
            let mut rows = stmt.query([CLAIM_LABEL])?;
            while let Some(r) = rows.next()? {
                let n: u32 = r.get("claims")?;
                counts.entry(r.get("entity")?).or_default().claims += n;
            }
        }
        Ok(counts)
    }

    /// The CLAIM span of a document overlapping `[start, end)` most, with its group: the claim a
    /// passage already is.
    pub fn claim_over(
        &self,
        doc_id: &str,
        start: u32,
        end: u32,
    ) -> Result<Option<(String, Option<String>)>> {
        claim_over(self.conn(), doc_id, start, end)
    }
}

pub(crate) fn claim_over(
    conn: &rusqlite::Connection,
    doc_id: &str,
    start: u32,
    end: u32,
) -> Result<Option<(String, Option<String>)>> {
    Ok(conn
        .prepare_cached(
            "SELECT s.id, s.claim_group_id FROM spans s JOIN span_labels l ON l.id = s.label_id
             WHERE s.doc_id = ?1 AND l.name = ?2 AND s.start < ?4 AND s.\"end\" > ?3
             ORDER BY min(s.\"end\", ?4) - max(s.start, ?3) DESC, s.start LIMIT 1",
        )?
        .query_row(params![doc_id, CLAIM_LABEL, start, end], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
}
