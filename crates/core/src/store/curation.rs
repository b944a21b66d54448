//! Curation: settling annotators' layers of a document into the `gold` layer. What the layers
//! agree on (all of them, or a majority) is merged at once; the curator accepts or rejects any
//! other version span by span, and accepting a version puts it in place of the gold spans it
//! conflicts with. Relations follow their spans: a layer's relation goes to gold once both of
//! its ends are there. Each action is one undo step, recorded under the curator's name while
//! the rows it writes belong to `gold`. While annotation is blind only curators curate.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use rusqlite::params;

use super::Workspace;
use super::annotations::delete_span_rows;
use super::history::{Change, Done};
use super::layers::GOLD_LAYER;
use super::rows::{KeyedRow, RelationRow, SpanRow};
use crate::error::{Error, Result};

/// Which agreement is merged into gold without the curator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum MergeRule {
    /// Spans every layer of the document has, exactly.
    Unanimous,
    /// Spans more than half of the layers have, exactly.
    Majority,
}

/// One version of a span: its extent and label, and the layers that have it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Candidate {
    pub start: u32,
    pub end: u32,
    pub label: String,
    /// The text at `[start, end)`.
    pub text: String,
    /// Annotators whose layers have this span, with the span's id in each.
    pub layers: BTreeMap<String, String>,
    /// Gold has it (its id there).
    pub gold: Option<String>,
    /// A curator turned it down.
    pub rejected: bool,
    /// Not in gold, because gold has a version in conflict with it (overlapping with the same
    /// label, or the same extent with another label).
    pub superseded: bool,
    /// Every layer of the document has it.
    pub unanimous: bool,
}

impl Candidate {
    /// Whether the curator has still to decide on it.
    pub fn open(&self) -> bool {
        self.gold.is_none() && !self.rejected && !self.superseded
    }
}

/// A document as the curator sees it: each version of each span, in text order.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Curation {
    pub doc_id: String,
    /// The annotators' layers (not gold), by name.
    pub annotators: Vec<String>,
    pub candidates: Vec<Candidate>,
    /// A curator marked the document's curation finished.
    pub curated: bool,
}

/// What an action put into gold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Merged {
    pub spans: u32,
    pub relations: u32,
}

type Key = (u32, u32, i64);

fn key(s: &SpanRow) -> Key {
    (s.start, s.end, s.label_id)
}

/// Whether two versions cannot both be gold: they overlap with the same label, or have the
/// same extent with other labels.
fn conflict<T: PartialEq>(a: (u32, u32, T), b: (u32, u32, T)) -> bool {
    let overlap = a.0 < b.1 && b.0 < a.1;
    let same_extent = a.0 == b.0 && a.1 == b.1;
    (overlap && a.2 == b.2) || (same_extent && a.2 != b.2)
}

/// A version a curator turned down, as stored (and kept in history).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct RejectRow {
    pub doc_id: String,
    pub start: u32,
    pub end: u32,
    pub label_id: i64,
    pub curator_id: i64,
    pub rejected_at: String,
}

impl KeyedRow for RejectRow {
    fn insert(&self, conn: &Connection) -> Result<()> {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO curation_rejects
                 (doc_id, start, \"end\", label_id, curator_id, rejected_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            self.doc_id,
            self.start,
            self.end,
            self.label_id,
            self.curator_id,
            self.rejected_at
        ])?;
        Ok(())
    }

    fn delete(&self, conn: &Connection) -> Result<()> {
        conn.prepare_cached(
            "DELETE FROM curation_rejects
             WHERE doc_id = ?1 AND start = ?2 AND \"end\" = ?3 AND label_id = ?4",
        )?
        .execute(params![self.doc_id, self.start, self.end, self.label_id])?;
        Ok(())
    }
}

impl RejectRow {
    fn of_document(conn: &Connection, doc_id: &str) -> Result<Vec<RejectRow>> {
        let mut stmt = conn.prepare_cached(
            "SELECT start, \"end\", label_id, curator_id, rejected_at FROM curation_rejects
             WHERE doc_id = ?1",
        )?;
        let rows = stmt.query_map([doc_id], |r| {
            Ok(RejectRow {
                doc_id: doc_id.to_string(),
                start: r.get("start")?,
                end: r.get("end")?,
                label_id: r.get("label_id")?,
                curator_id: r.get("curator_id")?,
                rejected_at: r.get("rejected_at")?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// The document's spans and relations, split into gold and the other layers by annotator id.
struct DocRows {
    gold_id: i64,
    spans: Vec<SpanRow>,
    relations: Vec<RelationRow>,
}

impl DocRows {
    fn load(tx: &Connection, doc_id: &str) -> Result<DocRows> {
        Ok(DocRows {
            gold_id: super::annotator_id(tx, GOLD_LAYER)?,
            spans: SpanRow::of_document(tx, doc_id)?,
            relations: RelationRow::of_document(tx, doc_id)?,
        })
    }

    /// Gold's spans by extent and label: their ids.
    fn gold(&self) -> HashMap<Key, String> {
        self.spans
            .iter()
            .filter(|s| s.annotator_id == self.gold_id)
            .map(|s| (key(s), s.id.clone()))
            .collect()
    }

    /// The annotators (not gold) with a span, a relation, or an assignment in the document.
    fn layers(&self, assigned: &[i64]) -> BTreeSet<i64> {
        self.spans
            .iter()
            .map(|s| s.annotator_id)
            .chain(self.relations.iter().map(|r| r.annotator_id))
            .chain(assigned.iter().copied())
            .filter(|&a| a != self.gold_id)
            .collect()
    }
}

fn assigned(tx: &Connection, doc_id: &str) -> Result<Vec<i64>> {
    let mut stmt = tx.prepare_cached("SELECT annotator_id FROM assignments WHERE doc_id = ?1")?;
    let ids = stmt.query_map([doc_id], |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

/// Copies `span` into gold: a new row, the same extent, label, attributes, note and links.
fn copy_to_gold(tx: &Connection, span: &SpanRow, gold_id: i64, now: &str) -> Result<SpanRow> {
    let row = SpanRow {
        id: crate::ids::new_id(),
        annotator_id: gold_id,
        created_at: now.to_string(),
        updated_at: now.to_string(),
        ..span.clone()
    };
    row.upsert(tx)?;
    Ok(row)
}

/// Copies into gold every relation of the layers whose two ends gold now has (by extent and
/// label), unless gold has it already.
fn follow_relations(
    tx: &Connection,
    rows: &DocRows,
    gold: &HashMap<Key, String>,
    now: &str,
    changes: &mut Vec<Change>,
) -> Result<u32> {
    let by_id: HashMap<&str, &SpanRow> = rows.spans.iter().map(|s| (s.id.as_str(), s)).collect();
    let in_gold = |id: &str| by_id.get(id).and_then(|s| gold.get(&key(s))).cloned();
    let mut have: BTreeSet<(String, String, i64)> = rows
        .relations
        .iter()
        .filter(|r| r.annotator_id == rows.gold_id)
        .map(|r| (r.head_id.clone(), r.child_id.clone(), r.type_id))
        .collect();
    let mut added = 0;
    for r in rows
        .relations
        .iter()
        .filter(|r| r.annotator_id != rows.gold_id)
    {
        let (Some(head), Some(child)) = (in_gold(&r.head_id), in_gold(&r.child_id)) else {
            continue;
        };
        if !have.insert((head.clone(), child.clone(), r.type_id)) {
            continue;
        }
        let row = RelationRow {
            id: crate::ids::new_id(),
            doc_id: r.doc_id.clone(),
            head_id: head,
            child_id: child,
            type_id: r.type_id,
            annotator_id: rows.gold_id,
            created_at: now.to_string(),
        };
        row.upsert(tx)?;
        changes.push(Change::Relation {
            before: None,
            after: Some(row),
        });
        added += 1;
    }
    Ok(added)
}

impl Workspace {
    /// Each version of each span of a document, with the layers that have it, as `viewer`
    /// curates it (refused while annotation is blind and they are not a curator).
    pub fn curation(&self, doc: &str, viewer: &str) -> Result<Curation> {
        self.check_curator(viewer)?;
        let doc_id = self.resolve_document(doc)?;
        let view = self.document_view(&doc_id)?;
        let conn = self.conn();
        let assigned = assigned(conn, &doc_id)?;
        let names = super::names(conn, "annotators")?;
        let labels = super::names(conn, "span_labels")?;
        let rejected: BTreeSet<(u32, u32, &str)> = RejectRow::of_document(conn, &doc_id)?
            .iter()
            .filter_map(|r| Some((r.start, r.end, labels.get(&r.label_id)?.as_ref())))
            .collect();
        let mut annotators: BTreeSet<String> = view
            .spans
            .iter()
            .map(|s| s.annotator.clone())
            .chain(view.relations.iter().map(|r| r.annotator.clone()))
            .chain(
                assigned
                    .iter()
                    .filter_map(|a| Some(names.get(a)?.to_string())),
            )
            .collect();
        annotators.remove(GOLD_LAYER);
        let mut by_extent: BTreeMap<(u32, u32, String), Candidate> = BTreeMap::new();
        for s in &view.spans {
            let c = by_extent
                .entry((s.start, s.end, s.label.clone()))
                .or_insert_with(|| Candidate {
                    start: s.start,
                    end: s.end,
                    label: s.label.clone(),
                    text: s.text.clone(),
                    layers: BTreeMap::new(),
                    gold: None,
                    rejected: rejected.contains(&(s.start, s.end, s.label.as_str())),
                    superseded: false,
                    unanimous: false,
                });
            if s.annotator == GOLD_LAYER {
                c.gold = Some(s.id.clone());
            } else {
                c.layers.insert(s.annotator.clone(), s.id.clone());
            }
        }
        let gold: Vec<(u32, u32, String)> = by_extent
            .values()
            .filter(|c| c.gold.is_some())
            .map(|c| (c.start, c.end, c.label.clone()))
            .collect();
        let candidates = by_extent
            .into_values()
            .map(|mut c| {
                c.unanimous = !annotators.is_empty() && c.layers.len() == annotators.len();
                c.superseded = c.gold.is_none()
                    && gold
                        .iter()
                        .any(|g| conflict((g.0, g.1, &g.2), (c.start, c.end, &c.label)));
                c
            })
            .collect();
        let curated = conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM layer_status l JOIN annotators a
                                ON a.id = l.annotator_id
                                WHERE l.doc_id = ?1 AND a.name = ?2 AND l.status = 'curated')",
            )?
            .query_row(params![doc_id, GOLD_LAYER], |r| r.get(0))?;
        Ok(Curation {
            doc_id,
            annotators: annotators.into_iter().collect(),
            candidates,
            curated,
        })
    }

    /// Merges into gold the spans the layers agree on by `rule` (but not those a curator
    /// turned down, or in conflict with gold), with the relations between spans gold then has.
    pub fn merge_agreed(&mut self, doc: &str, rule: MergeRule, curator: &str) -> Result<Merged> {
        self.check_curator(curator)?;
        let doc_id = self.resolve_document(doc)?;
        let now = crate::clock::now();
        self.change("curate_merge", curator, |tx, _| {
            let rows = DocRows::load(tx, &doc_id)?;
            let layers = rows.layers(&assigned(tx, &doc_id)?);
            let rejected: BTreeSet<Key> = RejectRow::of_document(tx, &doc_id)?
                .iter()
                .map(|r| (r.start, r.end, r.label_id))
                .collect();
            let mut gold = rows.gold();
            let mut versions: BTreeMap<Key, (BTreeSet<i64>, &SpanRow)> = BTreeMap::new();
            for s in rows.spans.iter().filter(|s| s.annotator_id != rows.gold_id) {
                versions
                    .entry(key(s))
                    .or_insert((BTreeSet::new(), s))
                    .0
                    .insert(s.annotator_id);
            }
            let needed = match rule {
                MergeRule::Unanimous => layers.len(),
                MergeRule::Majority => layers.len() / 2 + 1,
            };
            let mut merged = Merged::default();
            let mut changes = Vec::new();
            for (k, (who, span)) in versions {
                if layers.len() < 2
                    || who.len() < needed
                    || gold.contains_key(&k)
                    || rejected.contains(&k)
                    || gold.keys().any(|g| conflict(*g, k))
                {
                    continue;
                }
                let row = copy_to_gold(tx, span, rows.gold_id, &now)?;
                gold.insert(k, row.id.clone());
                changes.push(Change::Span {
                    before: None,
                    after: Some(row),
                });
                merged.spans += 1;
            }
            merged.relations = follow_relations(tx, &rows, &gold, &now, &mut changes)?;
            Ok(Done::new(merged, Some(doc_id.clone()), changes))
        })
    }

    /// Puts one layer's version of a span into gold in place of the gold spans in conflict
    /// with it (nothing when gold has it), with the relations of the layers whose two ends
    /// gold then has. A version turned down before is no longer.
    pub fn accept_into_gold(&mut self, span_id: &str, curator: &str) -> Result<Merged> {
        self.check_curator(curator)?;
        let now = crate::clock::now();
        self.change("curate_accept", curator, |tx, _| {
            let span =
                SpanRow::load(tx, span_id)?.ok_or_else(|| Error::SpanNotFound(span_id.into()))?;
            let mut changes = Vec::new();
            let k = key(&span);
            if let Some(reject) = RejectRow::of_document(tx, &span.doc_id)?
                .into_iter()
                .find(|r| (r.start, r.end, r.label_id) == k)
            {
                reject.delete(tx)?;
                changes.push(Change::Reject {
                    before: Some(reject),
                    after: None,
                });
            }
            let gold_id = super::annotator_id(tx, GOLD_LAYER)?;
            for g in SpanRow::of_document(tx, &span.doc_id)? {
                if g.annotator_id == gold_id && key(&g) != k && conflict(key(&g), k) {
                    delete_span_rows(tx, &g.id, &mut changes)?;
                }
            }
            let rows = DocRows::load(tx, &span.doc_id)?;
            let mut gold = rows.gold();
            let mut merged = Merged::default();
            if let std::collections::hash_map::Entry::Vacant(slot) = gold.entry(k) {
                let row = copy_to_gold(tx, &span, rows.gold_id, &now)?;
                slot.insert(row.id.clone());
                changes.push(Change::Span {
                    before: None,
                    after: Some(row),
                });
                merged.spans = 1;
            }
            merged.relations = follow_relations(tx, &rows, &gold, &now, &mut changes)?;
            Ok(Done::new(merged, Some(span.doc_id.clone()), changes))
        })
    }

    /// Turns down a version of a span (any layer's span with its extent and label, gold's
    /// included): it leaves gold if it was there, with its relations, and stays out of what
    /// later merges put in.
    pub fn reject_version(&mut self, span_id: &str, curator: &str) -> Result<()> {
        self.check_curator(curator)?;
        let now = crate::clock::now();
        self.change("curate_reject", curator, |tx, who| {
            let span =
                SpanRow::load(tx, span_id)?.ok_or_else(|| Error::SpanNotFound(span_id.into()))?;
            let k = key(&span);
            let gold_id = super::annotator_id(tx, GOLD_LAYER)?;
            let mut changes = Vec::new();
            for g in SpanRow::of_document(tx, &span.doc_id)? {
                if g.annotator_id == gold_id && key(&g) == k {
                    delete_span_rows(tx, &g.id, &mut changes)?;
                }
            }
            let reject = RejectRow {
                doc_id: span.doc_id.clone(),
                start: span.start,
                end: span.end,
                label_id: span.label_id,
                curator_id: who,
                rejected_at: now.clone(),
            };
            let known = RejectRow::of_document(tx, &span.doc_id)?
                .iter()
                .any(|r| (r.start, r.end, r.label_id) == k);
            if !known {
                reject.insert(tx)?;
                changes.push(Change::Reject {
                    before: None,
                    after: Some(reject),
                });
            }
            Ok(Done::new((), Some(span.doc_id.clone()), changes))
        })
    }
}
