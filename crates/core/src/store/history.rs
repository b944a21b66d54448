//! The persistent history log. Each annotation change is one entry holding every row it touched,
//! before and after; undo writes the "before" states back (last row first), redo the "after"
//! states. Because the log lives in the database, undo and redo survive restarts.
//!
//! The stack is the workspace's: undo takes back the latest change still in force, whoever made
//! it, and a new change makes every undone entry unreachable for redo (`superseded`).

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::Workspace;
use super::assignments::AssignmentRow;
use super::curation::RejectRow;
use super::entities::SourceEntity;
use super::groups::ClaimGroup;
use super::rows::{DocLabelRow, DocStateRow, KeyedRow, RelationRow, SpanRow};
use super::suggestion_rejects::SuggestionRejectRow;
use super::team::LayerStatusRow;
use crate::error::{Error, Result};
use crate::model::LabelSchema;

/// One row's change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "table", rename_all = "snake_case")]
pub(crate) enum Change {
    Span {
        before: Option<SpanRow>,
        after: Option<SpanRow>,
    },
    Relation {
        before: Option<RelationRow>,
        after: Option<RelationRow>,
    },
    Document {
        before: DocStateRow,
        after: DocStateRow,
    },
    DocLabel {
        before: Option<DocLabelRow>,
        after: Option<DocLabelRow>,
    },
    Entity {
        before: Option<SourceEntity>,
        after: Option<SourceEntity>,
    },
    Group {
        before: Option<ClaimGroup>,
        after: Option<ClaimGroup>,
    },
    Assignment {
        before: Option<AssignmentRow>,
        after: Option<AssignmentRow>,
    },
    LayerStatus {
        before: Option<LayerStatusRow>,
        after: Option<LayerStatusRow>,
    },
    Reject {
        before: Option<RejectRow>,
        after: Option<RejectRow>,
    },
    SuggestionReject {
        before: Option<SuggestionRejectRow>,
        after: Option<SuggestionRejectRow>,
    },
    /// The whole label schema, and the labels renamed on the way from `before` to `after`.
    Schema {
        before: Box<LabelSchema>,
        after: Box<LabelSchema>,
        renames: Vec<(String, String)>,
    },
}

impl Change {
    /// The row a change is about, as its table and id, for the kinds of rows a team server's
    /// changes merge field by field (the schema is one row); `None` for rows known by their
    /// content alone.
    pub(crate) fn row_ref(&self) -> Option<(&'static str, String)> {
        fn id_of<T>(
            before: &Option<T>,
            after: &Option<T>,
            id: fn(&T) -> &String,
        ) -> Option<String> {
            before.as_ref().or(after.as_ref()).map(|r| id(r).clone())
        }
        match self {
            Change::Span { before, after } => Some(("span", id_of(before, after, |r| &r.id)?)),
            Change::Relation { before, after } => {
                Some(("relation", id_of(before, after, |r| &r.id)?))
            }
            Change::Document { after, .. } => Some(("document", after.id.clone())),
            Change::Entity { before, after } => Some(("entity", id_of(before, after, |r| &r.id)?)),
            Change::Group { before, after } => Some(("group", id_of(before, after, |r| &r.id)?)),
            Change::Schema { .. } => Some(("schema", String::new())),
            Change::DocLabel { .. }
            | Change::Assignment { .. }
            | Change::LayerStatus { .. }
            | Change::Reject { .. }
            | Change::SuggestionReject { .. } => None,
        }
    }

    /// The change that takes this one back: before and after swapped.
    pub(crate) fn inverse(self) -> Change {
        match self {
            Change::Span { before, after } => Change::Span {
                before: after,
                after: before,
            },
            Change::Relation { before, after } => Change::Relation {
                before: after,
                after: before,
            },
            Change::Document { before, after } => Change::Document {
                before: after,
                after: before,
            },
            Change::DocLabel { before, after } => Change::DocLabel {
                before: after,
                after: before,
            },
            Change::Entity { before, after } => Change::Entity {
                before: after,
                after: before,
            },
            Change::Group { before, after } => Change::Group {
                before: after,
                after: before,
            },
            Change::Assignment { before, after } => Change::Assignment {
                before: after,
                after: before,
            },
            Change::LayerStatus { before, after } => Change::LayerStatus {
                before: after,
                after: before,
            },
            Change::Reject { before, after } => Change::Reject {
                before: after,
                after: before,
            },
            Change::SuggestionReject { before, after } => Change::SuggestionReject {
                before: after,
                after: before,
            },
            Change::Schema {
                before,
                after,
                renames,
            } => Change::Schema {
                before: after,
                after: before,
                renames: renames.into_iter().map(|(o, n)| (n, o)).collect(),
            },
        }
    }

    /// The row this change is about as stored now, as JSON (`None`: not there, or a row kind
    /// known by its content alone).
    pub(crate) fn stored(&self, conn: &Connection) -> Result<Option<serde_json::Value>> {
        let Some((_, id)) = self.row_ref() else {
            return Ok(None);
        };
        let found = match self {
            Change::Span { .. } => SpanRow::load(conn, &id)?.map(serde_json::to_value),
            Change::Relation { .. } => RelationRow::load(conn, &id)?.map(serde_json::to_value),
            Change::Document { .. } => DocStateRow::load(conn, &id)?.map(serde_json::to_value),
            Change::Entity { .. } => match super::entities::load_entity(conn, &id) {
                Ok(e) => Some(serde_json::to_value(e)),
                Err(Error::EntityNotFound(_)) => None,
                Err(e) => return Err(e),
            },
            Change::Group { .. } => match super::groups::load_group(conn, &id) {
                Ok(g) => Some(serde_json::to_value(g)),
                Err(Error::GroupNotFound(_)) => None,
                Err(e) => return Err(e),
            },
            _ => None,
        };
        Ok(found.transpose()?)
    }

    /// Undoes (`forward` false) or redoes this change field by field: only the fields still as
    /// it left them (undo) or found them (redo) are written, so that a change taken in from a
    /// team server since stays. Returns what it wrote (`None`: nothing).
    fn step(&self, conn: &Connection, forward: bool) -> Result<Option<Change>> {
        use serde_json::Value;
        if matches!(self, Change::Schema { .. }) || self.row_ref().is_none() {
            self.apply(conn, forward)?;
            return Ok(Some(if forward {
                self.clone()
            } else {
                self.clone().inverse()
            }));
        }
        let value = serde_json::to_value(self)?;
        let (from, to) = if forward {
            (&value["before"], &value["after"])
        } else {
            (&value["after"], &value["before"])
        };
        let current = self.stored(conn)?;
        let result = match (&current, to) {
            (None, Value::Null) => return Ok(None),
            (Some(_), Value::Null) => Value::Null,
            (None, to) => to.clone(),
            (Some(now), to) => {
                let (Value::Object(now_fields), Value::Object(to_fields)) = (now, to) else {
                    return Err(empty());
                };
                let mut merged = now_fields.clone();
                for (key, wanted) in to_fields {
                    if now_fields.get(key) == from.get(key) {
                        merged.insert(key.clone(), wanted.clone());
                    }
                }
                if &merged == now_fields {
                    return Ok(None);
                }
                Value::Object(merged)
            }
        };
        let mut written = serde_json::Map::new();
        written.insert("table".into(), value["table"].clone());
        written.insert("before".into(), current.unwrap_or(Value::Null));
        written.insert("after".into(), result);
        let written: Change = serde_json::from_value(Value::Object(written))?;
        written.apply(conn, true)?;
        Ok(Some(written))
    }

    /// Writes the row's `after` state (`forward`) or its `before` state.
    pub(crate) fn apply(&self, conn: &Connection, forward: bool) -> Result<()> {
        fn pick<'a, T>(
            before: &'a Option<T>,
            after: &'a Option<T>,
            forward: bool,
        ) -> Option<&'a T> {
            if forward {
                after.as_ref()
            } else {
                before.as_ref()
            }
        }
        match self {
            Change::Span { before, after } => match pick(before, after, forward) {
                Some(row) => row.upsert(conn),
                None => {
                    let id = &before.as_ref().or(after.as_ref()).ok_or_else(empty)?.id;
                    SpanRow::delete(conn, id)
                }
            },
            Change::Relation { before, after } => match pick(before, after, forward) {
                Some(row) => row.upsert(conn),
                None => {
                    let id = &before.as_ref().or(after.as_ref()).ok_or_else(empty)?.id;
                    RelationRow::delete(conn, id)
                }
            },
            Change::Document { before, after } => if forward { after } else { before }.write(conn),
            Change::DocLabel { before, after } => {
                put(conn, pick(before, after, forward), before, after)
            }
            Change::Entity { before, after } => match pick(before, after, forward) {
                Some(e) => super::entities::upsert_entity(conn, e),
                None => {
                    let id = &before.as_ref().or(after.as_ref()).ok_or_else(empty)?.id;
                    super::entities::delete_entity(conn, id)
                }
            },
            Change::Group { before, after } => match pick(before, after, forward) {
                Some(g) => super::groups::upsert_group(conn, g),
                None => {
                    let id = &before.as_ref().or(after.as_ref()).ok_or_else(empty)?.id;
                    super::groups::delete_group(conn, id)
                }
            },
            Change::Assignment { before, after } => {
                put(conn, pick(before, after, forward), before, after)
            }
            Change::LayerStatus { before, after } => {
                put(conn, pick(before, after, forward), before, after)
            }
            Change::Reject { before, after } => {
                put(conn, pick(before, after, forward), before, after)
            }
            Change::SuggestionReject { before, after } => {
                put(conn, pick(before, after, forward), before, after)
            }
            Change::Schema {
                before,
                after,
                renames,
            } => {
                if forward {
                    super::schema::replace(conn, after, renames)
                } else {
                    let back: Vec<_> = renames
                        .iter()
                        .map(|(o, n)| (n.clone(), o.clone()))
                        .collect();
                    super::schema::replace(conn, before, &back)
                }
            }
        }
    }
}

/// Writes back a row known by its content alone (no id): inserted when it is to be there,
/// else deleted.
fn put<T: KeyedRow>(
    conn: &Connection,
    wanted: Option<&T>,
    before: &Option<T>,
    after: &Option<T>,
) -> Result<()> {
    match wanted {
        Some(row) => row.insert(conn),
        None => before
            .as_ref()
            .or(after.as_ref())
            .ok_or_else(empty)?
            .delete(conn),
    }
}

fn empty() -> Error {
    Error::Corrupt("a history entry with neither a before nor an after state".into())
}

/// A history entry as shown to users: what was done, by whom, when.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct HistoryEntry {
    #[ts(type = "number")]
    pub seq: i64,
    pub at: String,
    pub annotator: String,
    pub doc_id: Option<String>,
    pub action: String,
    /// For `undo` and `redo` entries: the entry they took back or replayed.
    #[ts(type = "number | null")]
    pub target_seq: Option<i64>,
    pub undone: bool,
    /// What it changed, in words: "CLAIM “troops are returning”: label SOURCE → CLAIM".
    pub what: String,
}

/// The document every span change of an entry is in, if there is one: the entry's `doc_id`
/// (changes across documents name none, and undo then reloads whatever is open).
pub(crate) fn common_doc(changes: &[Change]) -> Option<String> {
    let mut docs = changes.iter().filter_map(|c| match c {
        Change::Span { after: Some(a), .. }
        | Change::Span {
            before: Some(a), ..
        } => Some(&a.doc_id),
        _ => None,
    });
    let first = docs.next()?;
    docs.all(|d| d == first).then(|| first.clone())
}

/// What one undoable operation did: the value it hands back, the document its changes are in
/// (what undo reloads; `None` across documents), and the rows before and after.
pub(crate) struct Done<T> {
    pub value: T,
    pub doc: Option<String>,
    pub changes: Vec<Change>,
}

impl<T> Done<T> {
    pub fn new(value: T, doc: Option<String>, changes: Vec<Change>) -> Done<T> {
        Done {
            value,
            doc,
            changes,
        }
    }
}

impl Workspace {
    /// Runs one undoable operation, the one way every writing operation goes: a transaction
    /// (`BEGIN IMMEDIATE`, see `connect`), the annotator's id, the rows `write` changes, one
    /// history entry `action` holding them, and the commit. An operation that changed nothing
    /// records nothing and writes nothing.
    pub(crate) fn change<T>(
        &mut self,
        action: &str,
        annotator: &str,
        write: impl FnOnce(&Connection, i64) -> Result<Done<T>>,
    ) -> Result<T> {
        let tx = self.conn_mut().transaction()?;
        let value = change_in(&tx, action, annotator, write)?;
        tx.commit()?;
        Ok(value)
    }
}

/// [`Workspace::change`] inside the caller's transaction or savepoint: the rows `write`
/// changes and their history entry, or nothing when it changed nothing.
pub(crate) fn change_in<T>(
    tx: &Connection,
    action: &str,
    annotator: &str,
    write: impl FnOnce(&Connection, i64) -> Result<Done<T>>,
) -> Result<T> {
    let who = super::annotator_id(tx, annotator)?;
    let mut done = write(tx, who)?;
    if done.changes.is_empty() {
        return Ok(done.value); // rolled back: not even the annotator is added
    }
    let started = super::documents::mark_started(tx, who, &done.changes)?;
    done.changes.extend(started);
    record(tx, who, done.doc.as_deref(), action, &done.changes)?;
    Ok(done.value)
}

/// Changes longer than this (as JSON) are stored compressed: a span edit's few hundred bytes
/// stay readable text, a batch of accepted suggestions (50-70 KB) takes a seventh of the room,
/// and with it half of the workspace's size and a third of `suggest --apply`'s time.
const PACK_OVER: usize = 2048;

/// An entry's changes as stored: `(changes, packed)`, the JSON text, or `''` and the JSON
/// compressed with LZ4 (size first). Read back through [`history_changes`].
pub(crate) fn stored_changes(changes: &[Change]) -> Result<(String, Option<Vec<u8>>)> {
    let json = serde_json::to_string(changes)?;
    Ok(if json.len() > PACK_OVER {
        (
            String::new(),
            Some(lz4_flex::compress_prepend_size(json.as_bytes())),
        )
    } else {
        (json, None)
    })
}

/// Gives a connection the SQL function `history_changes(changes, packed)`: an entry's changes
/// as JSON text, however they are stored. Every query of the changes goes through it.
pub(crate) fn add_history_changes_function(conn: &Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        "history_changes",
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let Some(packed) = ctx.get::<Option<Vec<u8>>>(1)? else {
                return ctx.get::<String>(0);
            };
            let damaged = |why: String| {
                rusqlite::Error::UserFunctionError(
                    format!(
                        "a history entry's compressed changes cannot be read ({why}): \
                         restore a backup (`parallax backup WORKSPACE --list`, then \
                         `parallax restore WORKSPACE SNAPSHOT`)"
                    )
                    .into(),
                )
            };
            let json =
                lz4_flex::decompress_size_prepended(&packed).map_err(|e| damaged(e.to_string()))?;
            // A block cut short can decompress without an error, to less than its size says.
            let size = packed.get(..4).map(|b| [b[0], b[1], b[2], b[3]]);
            if size.map(u32::from_le_bytes) != Some(json.len() as u32) {
                return Err(damaged("shorter than recorded".into()));
            }
            String::from_utf8(json).map_err(|e| damaged(e.to_string()))
        },
    )
}

/// Appends a change to the log inside the caller's transaction, and drops the redo stack.
pub(crate) fn record(
    tx: &Connection,
    annotator_id: i64,
    doc_id: Option<&str>,
    action: &str,
    changes: &[Change],
) -> Result<i64> {
    tx.prepare_cached("UPDATE history SET superseded = 1 WHERE undone = 1 AND superseded = 0")?
        .execute([])?;
    let (changes, packed) = stored_changes(changes)?;
    tx.prepare_cached(
        "INSERT INTO history(at, annotator_id, doc_id, action, changes, packed)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        crate::clock::now(),
        annotator_id,
        doc_id,
        action,
        changes,
        packed
    ])?;
    Ok(tx.last_insert_rowid())
}

/// The action of a schema change: in the history (and sent to a team server), never undone.
pub(crate) const SCHEMA_ACTION: &str = "update schema";

/// Entries that undo and redo act on: changes made here (not pulled from a team server), not
/// the undo/redo records themselves, not schema changes, and not the annotations a document
/// had when first sent to a team server (`replica::IMPORT_ACTION`).
const UNDOABLE: &str = "action NOT IN ('undo', 'redo', 'update schema', 'import') AND pulled = 0";

impl Workspace {
    /// Takes back the latest change still in force. Returns the entry that was undone.
    pub fn undo(&mut self, annotator: &str) -> Result<HistoryEntry> {
        self.step(annotator, false)
    }

    /// Replays the change most recently undone. Returns the entry that was redone.
    pub fn redo(&mut self, annotator: &str) -> Result<HistoryEntry> {
        self.step(annotator, true)
    }

    fn step(&mut self, annotator: &str, forward: bool) -> Result<HistoryEntry> {
        let tx = self.conn_mut().transaction()?;
        let pick = if forward {
            format!(
                "SELECT seq, history_changes(changes, packed), doc_id FROM history WHERE {UNDOABLE} AND undone = 1 AND superseded = 0 ORDER BY seq ASC LIMIT 1"
            )
        } else {
            format!(
                "SELECT seq, history_changes(changes, packed), doc_id FROM history WHERE {UNDOABLE} AND undone = 0 ORDER BY seq DESC LIMIT 1"
            )
        };
        let Some((seq, changes, doc_id)) = tx
            .query_row(&pick, [], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            })
            .optional()?
        else {
            return Err(if forward {
                Error::NothingToRedo
            } else {
                Error::NothingToUndo
            });
        };
        let changes: Vec<Change> = serde_json::from_str(&changes)
            .map_err(|e| Error::Corrupt(format!("history entry {seq}: {e}")))?;
        let mut written = Vec::with_capacity(changes.len());
        if forward {
            for c in &changes {
                written.extend(c.step(&tx, true)?);
            }
        } else {
            for c in changes.iter().rev() {
                written.extend(c.step(&tx, false)?);
            }
        }
        tx.execute(
            "UPDATE history SET undone = ?2 WHERE seq = ?1",
            params![seq, !forward],
        )?;
        let who = super::annotator_id(&tx, annotator)?;
        // What it wrote, as a change of its own: what a team server is sent.
        let (changes, packed) = stored_changes(&written)?;
        tx.execute(
            "INSERT INTO history(at, annotator_id, doc_id, action, changes, packed, target_seq)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                crate::clock::now(),
                who,
                doc_id,
                if forward { "redo" } else { "undo" },
                changes,
                packed,
                seq
            ],
        )?;
        tx.commit()?;
        self.history_entry(seq)
    }

    /// Forgets the whole history (used once, after the demo workspace is made).
    pub(crate) fn clear_history(&mut self) -> Result<()> {
        self.conn().execute("DELETE FROM history", [])?;
        Ok(())
    }

    fn history_entry(&self, seq: i64) -> Result<HistoryEntry> {
        let row = self.conn().query_row(
            &format!("{ENTRY_SELECT} WHERE h.seq = ?1"),
            [seq],
            entry_from_row,
        )?;
        self.described(row)
    }

    /// The latest `limit` history entries, newest first: the audit trail.
    pub fn history(&self, limit: u32) -> Result<Vec<HistoryEntry>> {
        let rows = self
            .conn()
            .prepare(&format!("{ENTRY_SELECT} ORDER BY h.seq DESC LIMIT ?1"))?
            .query_map([limit], entry_from_row)?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter().map(|row| self.described(row)).collect()
    }

    /// An entry with what it changed in words (its changes read as they were recorded).
    fn described(&self, (mut entry, changes): (HistoryEntry, String)) -> Result<HistoryEntry> {
        let changes: Vec<Change> = serde_json::from_str(&changes)
            .map_err(|e| Error::Corrupt(format!("history entry {}: {e}", entry.seq)))?;
        entry.what = super::history_text::describe(self.conn(), &changes)?;
        Ok(entry)
    }
}

const ENTRY_SELECT: &str = "SELECT h.seq, h.at, a.name, h.doc_id, h.action, h.target_seq, h.undone,
            history_changes(h.changes, h.packed)
     FROM history h JOIN annotators a ON a.id = h.annotator_id";

fn entry_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(HistoryEntry, String)> {
    Ok((
        HistoryEntry {
            seq: r.get(0)?,
            at: r.get(1)?,
            annotator: r.get(2)?,
            doc_id: r.get(3)?,
            action: r.get(4)?,
            target_seq: r.get(5)?,
            undone: r.get(6)?,
            what: String::new(),
        },
        r.get(7)?,
    ))
}
