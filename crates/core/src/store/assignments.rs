//! Who is to annotate which document: made for a whole workspace at once (every document one
//! annotator, a seeded share of them two or more so that agreement can be measured, each
//! annotator's share of text balanced by length) or set one document at a time. Each is one
//! undoable change.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Workspace;
use super::history::{Change, Done};
use super::layers::GOLD_LAYER;
use super::rows::KeyedRow;
use crate::error::{Error, Result};
use crate::model::DocStatus;

/// An assignment as stored (and kept in history): the annotator by id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct AssignmentRow {
    pub doc_id: String,
    pub annotator_id: i64,
    pub assigned_at: String,
}

impl KeyedRow for AssignmentRow {
    fn insert(&self, conn: &Connection) -> Result<()> {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO assignments(doc_id, annotator_id, assigned_at)
             VALUES (?1, ?2, ?3)",
        )?
        .execute(params![self.doc_id, self.annotator_id, self.assigned_at])?;
        Ok(())
    }

    fn delete(&self, conn: &Connection) -> Result<()> {
        conn.prepare_cached("DELETE FROM assignments WHERE doc_id = ?1 AND annotator_id = ?2")?
            .execute(params![self.doc_id, self.annotator_id])?;
        Ok(())
    }
}

impl AssignmentRow {
    /// A document's assignments, or every one.
    fn load(conn: &Connection, doc_id: Option<&str>) -> Result<Vec<AssignmentRow>> {
        let mut stmt = conn.prepare_cached(
            "SELECT doc_id, annotator_id, assigned_at FROM assignments
             WHERE ?1 IS NULL OR doc_id = ?1 ORDER BY doc_id, annotator_id",
        )?;
        let rows = stmt.query_map([doc_id], |r| {
            Ok(AssignmentRow {
                doc_id: r.get("doc_id")?,
                annotator_id: r.get("annotator_id")?,
                assigned_at: r.get("assigned_at")?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// How to share the documents out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AssignOptions {
    pub annotators: Vec<String>,
    /// The share of documents (0 to 1) that get `per_doc` annotators instead of one.
    pub overlap: f64,
    /// Annotators of each shared document (2 or more).
    pub per_doc: u32,
    /// Picks the shared documents and breaks ties: the same seed shares out the same way.
    #[ts(type = "number")]
    pub seed: u64,
    /// Only documents with one of these statuses; empty means all.
    #[serde(default)]
    pub statuses: Vec<DocStatus>,
}

/// One annotator's share.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct AnnotatorShare {
    pub annotator: String,
    pub documents: u32,
    /// Code points of text assigned.
    #[ts(type = "number")]
    pub characters: u64,
}

/// What an assignment did.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct AssignReport {
    pub documents: u32,
    /// Documents given to more than one annotator.
    pub shared: u32,
    pub shares: Vec<AnnotatorShare>,
}

fn check_names(names: &[String]) -> Result<Vec<String>> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for n in names {
        let name = super::annotator_name(n).to_string();
        if name == GOLD_LAYER {
            return Err(Error::InvalidSetting(format!(
                "`{GOLD_LAYER}` is the curated layer; documents are assigned to people"
            )));
        }
        if seen.insert(name.clone()) {
            out.push(name);
        }
    }
    Ok(out)
}

impl Workspace {
    /// Shares the documents out (see the module's comment), replacing their assignments.
    pub fn assign(&mut self, opts: &AssignOptions, lead: &str) -> Result<AssignReport> {
        let names = check_names(&opts.annotators)?;
        if names.is_empty() {
            return Err(Error::InvalidSetting("name at least one annotator".into()));
        }
        if !(0.0..=1.0).contains(&opts.overlap) {
            return Err(Error::InvalidSetting(format!(
                "the overlap is a share of the documents, from 0 to 1, not {}",
                opts.overlap
            )));
        }
        if opts.overlap > 0.0 && (opts.per_doc < 2 || opts.per_doc as usize > names.len()) {
            return Err(Error::InvalidSetting(format!(
                "shared documents need from 2 to {} annotators (the number named), not {}",
                names.len(),
                opts.per_doc
            )));
        }
        let mut docs: Vec<(String, u64)> = self
            .list_documents()?
            .into_iter()
            .filter(|d| opts.statuses.is_empty() || opts.statuses.contains(&d.status))
            .map(|d| (d.id, u64::from(d.char_len)))
            .collect();
        let order = |id: &str| crate::ids::mix(opts.seed ^ crate::ids::mix(fx(id)));
        // The shared documents: the first of a seeded shuffle.
        let shared_count = (opts.overlap * docs.len() as f64).round() as usize;
        docs.sort_by_key(|(id, _)| order(id));
        let shared: BTreeSet<String> = docs
            .iter()
            .take(shared_count)
            .map(|(id, _)| id.clone())
            .collect();
        // Longest first, each to the least loaded: the shares end within one document's length.
        docs.sort_by(|a, b| b.1.cmp(&a.1).then(order(&a.0).cmp(&order(&b.0))));
        let tie: Vec<u64> = names.iter().map(|n| order(n)).collect();
        let mut loads: Vec<(u64, u32)> = vec![(0, 0); names.len()];
        let mut plan: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (id, len) in &docs {
            let k = if shared.contains(id) {
                opts.per_doc as usize
            } else {
                1
            };
            let mut by_load: Vec<usize> = (0..names.len()).collect();
            by_load.sort_by_key(|&i| (loads[i].0, tie[i]));
            let chosen: Vec<usize> = by_load.into_iter().take(k.max(1)).collect();
            for &i in &chosen {
                loads[i].0 += len;
                loads[i].1 += 1;
            }
            plan.insert(id.clone(), chosen);
        }
        let now = crate::clock::now();
        self.change("assign", lead, |tx, _| {
            let ids: Vec<i64> = names
                .iter()
                .map(|n| super::annotator_id(tx, n))
                .collect::<Result<_>>()?;
            let mut changes = Vec::new();
            for before in AssignmentRow::load(tx, None)? {
                if plan.contains_key(&before.doc_id) {
                    before.delete(tx)?;
                    changes.push(Change::Assignment {
                        before: Some(before),
                        after: None,
                    });
                }
            }
            for (doc_id, chosen) in &plan {
                for &i in chosen {
                    let after = AssignmentRow {
                        doc_id: doc_id.clone(),
                        annotator_id: ids[i],
                        assigned_at: now.clone(),
                    };
                    after.insert(tx)?;
                    changes.push(Change::Assignment {
                        before: None,
                        after: Some(after),
                    });
                }
            }
            Ok(Done::new((), None, changes))
        })?;
        Ok(AssignReport {
            documents: docs.len() as u32,
            shared: shared.len() as u32,
            shares: names
                .iter()
                .zip(&loads)
                .map(|(n, &(characters, documents))| AnnotatorShare {
                    annotator: n.clone(),
                    documents,
                    characters,
                })
                .collect(),
        })
    }

    /// Sets who is to annotate one document (none: nobody).
    pub fn set_assignees(&mut self, doc: &str, annotators: &[String], lead: &str) -> Result<()> {
        let names = check_names(annotators)?;
        let doc_id = self.resolve_document(doc)?;
        let now = crate::clock::now();
        self.change("assign", lead, |tx, _| {
            let wanted: BTreeSet<i64> = names
                .iter()
                .map(|n| super::annotator_id(tx, n))
                .collect::<Result<_>>()?;
            let mut changes = Vec::new();
            let before = AssignmentRow::load(tx, Some(&doc_id))?;
            let had: BTreeSet<i64> = before.iter().map(|a| a.annotator_id).collect();
            for row in before {
                if !wanted.contains(&row.annotator_id) {
                    row.delete(tx)?;
                    changes.push(Change::Assignment {
                        before: Some(row),
                        after: None,
                    });
                }
            }
            for id in wanted.difference(&had) {
                let after = AssignmentRow {
                    doc_id: doc_id.clone(),
                    annotator_id: *id,
                    assigned_at: now.clone(),
                };
                after.insert(tx)?;
                changes.push(Change::Assignment {
                    before: None,
                    after: Some(after),
                });
            }
            Ok(Done::new((), Some(doc_id.clone()), changes))
        })
    }

    /// Every document's annotators, by document id (documents nobody is assigned are absent).
    pub fn assignments(&self) -> Result<BTreeMap<String, Vec<String>>> {
        let mut stmt = self.conn().prepare(
            "SELECT x.doc_id AS doc_id, a.name AS name FROM assignments x
             JOIN annotators a ON a.id = x.annotator_id ORDER BY x.doc_id, a.name",
        )?;
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            out.entry(r.get("doc_id")?)
                .or_default()
                .push(r.get("name")?);
        }
        Ok(out)
    }
}

/// A stable 64-bit hash of a string (FNV-1a): the seeded order must not change between runs
/// or builds, as the standard library's hasher may.
fn fx(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
