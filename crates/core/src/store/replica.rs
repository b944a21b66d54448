//! The workspace's side of keeping in step with a team server: which of its changes and
//! documents are unsent, and taking in other workspaces' changes field by field, the later in
//! the server's order winning, with every overwritten value listed as a conflict.

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::Workspace;
use super::documents::{NewDocument, id_by_sha256};
use super::history::Change;
use super::rows::{DocStateRow, RelationRow, SpanRow};
use super::wire;
use crate::error::{Error, Result};
use crate::model::{DocMeta, LabelSchema, SpanLabel};

/// A change as it travels: its id, author and time, and its rows in names (see `wire`).
#[derive(Debug, Clone)]
pub(crate) struct Travelling {
    pub change_id: String,
    pub author: String,
    pub at: String,
    /// The SHA-256 of the document it is in, if one.
    pub doc: Option<String>,
    pub action: String,
    pub changes: Value,
}

/// A document as it travels.
#[derive(Debug, Clone)]
pub(crate) struct TravellingDocument {
    pub sha256: String,
    pub text: String,
    pub meta: Value,
    pub imported_at: String,
}

/// What the workspace has to send: documents, and its own changes made by the link's role.
#[derive(Debug, Default)]
pub(crate) struct Outbox {
    pub documents: Vec<TravellingDocument>,
    /// Local ids of `documents`, to mark once the server has them.
    pub document_ids: Vec<String>,
    pub changes: Vec<Travelling>,
    /// Unsent changes made here under other annotators' names, which this link cannot send.
    pub others: u32,
}

/// A value a sync overwrote, or kept over another workspace's change.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct SyncConflict {
    #[ts(type = "number")]
    pub id: i64,
    /// Where the change that met a different value stands in the server's order.
    #[ts(type = "number")]
    pub remote_seq: i64,
    pub at: String,
    /// The row, as its table and id (`span 0193…`, `group 0193…`, `schema`).
    pub row: String,
    /// The field, or `(row)` when the row was deleted on one side.
    pub field: String,
    pub kept: Option<String>,
    pub kept_by: String,
    pub lost: Option<String>,
    pub lost_by: String,
}

/// What taking in the server's changes did.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Taken {
    pub documents: u32,
    pub changes: u32,
    pub conflicts: u32,
    /// Changes that could not be applied here (listed as conflicts).
    pub set_aside: u32,
}

const CURSOR: &str = "remote_seq";
const DOC_CURSOR: &str = "remote_document_seq";
const REMOTE_URL: &str = "remote_url";
const WORKSPACE_ID: &str = "workspace_id";
const CONFLICTS_SEEN: &str = "sync_conflicts_seen";
/// The action of a new document's annotations as first sent (never undone).
pub(crate) const IMPORT_ACTION: &str = "import";

impl Workspace {
    /// The team server this workspace is linked to, as its address.
    pub fn remote_url(&self) -> Result<Option<String>> {
        super::setting(self.conn(), REMOTE_URL)
    }

    /// Links the workspace to a team server. A workspace already in step with another server
    /// keeps that link: its history there cannot be moved.
    pub fn set_remote_url(&mut self, url: &str) -> Result<()> {
        let tx = self.conn_mut().transaction()?;
        if let Some(old) = super::setting(&tx, REMOTE_URL)?
            && old != url
            && cursor(&tx, CURSOR)? > 0
        {
            return Err(Error::InvalidRemote(format!(
                "this workspace is in step with {old}; clone the other server into a new workspace instead"
            )));
        }
        super::set_setting(&tx, REMOTE_URL, url)?;
        tx.commit()?;
        Ok(())
    }

    /// Where the workspace stands in the server's order of changes and of documents.
    pub(crate) fn remote_cursors(&self) -> Result<(i64, i64)> {
        Ok((
            cursor(self.conn(), CURSOR)?,
            cursor(self.conn(), DOC_CURSOR)?,
        ))
    }

    /// Changes made here that the server does not have yet.
    pub fn unsent_changes(&self) -> Result<u32> {
        Ok(self.conn().query_row(
            "SELECT count(*) FROM history WHERE remote_seq IS NULL AND pulled = 0",
            [],
            |r| r.get(0),
        )?)
    }

    /// Conflicts met since the user last looked at them.
    pub fn unseen_sync_conflicts(&self) -> Result<u32> {
        let seen = cursor(self.conn(), CONFLICTS_SEEN)?;
        Ok(self.conn().query_row(
            "SELECT count(*) FROM sync_conflicts WHERE id > ?1",
            [seen],
            |r| r.get(0),
        )?)
    }

    /// Notes that the user has looked at every conflict met so far.
    pub fn mark_sync_conflicts_seen(&mut self) -> Result<()> {
        let last: i64 =
            self.conn()
                .query_row("SELECT coalesce(max(id), 0) FROM sync_conflicts", [], |r| {
                    r.get(0)
                })?;
        super::set_setting(self.conn(), CONFLICTS_SEEN, &last.to_string())
    }

    /// The conflicts syncs met, newest first.
    pub fn sync_conflicts(&self) -> Result<Vec<SyncConflict>> {
        Ok(self
            .conn()
            .prepare(
                "SELECT id, remote_seq, at, row_ref, field, kept, kept_by, lost, lost_by
                 FROM sync_conflicts ORDER BY id DESC",
            )?
            .query_map([], |r| {
                Ok(SyncConflict {
                    id: r.get(0)?,
                    remote_seq: r.get(1)?,
                    at: r.get(2)?,
                    row: r.get(3)?,
                    field: r.get(4)?,
                    kept: r.get(5)?,
                    kept_by: r.get(6)?,
                    lost: r.get(7)?,
                    lost_by: r.get(8)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?)
    }

    /// What there is to send as `author` (the link's role): documents the server lacks, and
    /// the author's unsent changes in the order they were made. A new document's annotations as
    /// they are now (so that annotations imported from files travel too) become a change of
    /// their own first (`import`, never undone). Unsent changes get the ids they travel under
    /// first, and keep them, so that sending twice stores once.
    pub(crate) fn outbox(&mut self, author: &str) -> Result<Outbox> {
        let tx = self.conn_mut().transaction()?;
        let workspace_id = match super::setting(&tx, WORKSPACE_ID)? {
            Some(id) => id,
            None => {
                let id = crate::ids::new_id();
                super::set_setting(&tx, WORKSPACE_ID, &id)?;
                id
            }
        };
        let docs: Vec<(String, String, String)> = tx
            .prepare(
                "SELECT d.id, d.sha256, d.imported_at FROM documents d
                 WHERE d.id NOT IN (SELECT doc_id FROM remote_documents) ORDER BY d.rowid",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        for (id, sha256, _) in &docs {
            record_snapshot(&tx, id, sha256, &workspace_id, author)?;
        }
        let unnamed: Vec<i64> = tx
            .prepare(
                "SELECT seq FROM history WHERE remote_seq IS NULL AND pulled = 0 AND change_id IS NULL",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for seq in unnamed {
            tx.execute(
                "UPDATE history SET change_id = ?2 WHERE seq = ?1",
                params![seq, crate::ids::new_id()],
            )?;
        }
        tx.commit()?;

        let conn = self.conn();
        let mut out = Outbox::default();
        for (id, sha256, imported_at) in &docs {
            let state =
                DocStateRow::load(conn, id)?.ok_or_else(|| Error::DocumentNotFound(id.clone()))?;
            out.documents.push(TravellingDocument {
                sha256: sha256.clone(),
                text: super::documents::text_of(conn, id)?,
                meta: serde_json::to_value(&state.meta)?,
                imported_at: imported_at.clone(),
            });
            out.document_ids.push(id.clone());
        }

        let mut stmt = conn.prepare(
            "SELECT h.seq, h.change_id, a.name, h.at, h.doc_id, h.action,
                    history_changes(h.changes, h.packed), h.target_seq
             FROM history h JOIN annotators a ON a.id = h.annotator_id
             WHERE h.remote_seq IS NULL AND h.pulled = 0 ORDER BY h.seq",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, Option<i64>>(7)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        // Labels travel by the name they had when the change was made: the renames made since
        // the first unsent change are taken back, then replayed in order.
        let mut labels = wire::label_names(conn)?;
        let renames: Vec<Vec<(String, String)>> = rows
            .iter()
            .map(|row| schema_renames(row.0, &row.6))
            .collect::<Result<_>>()?;
        for r in renames.iter().rev() {
            rename_all(&mut labels, r, true);
        }
        for ((seq, change_id, who, at, doc_id, action, changes, target), renamed) in
            rows.into_iter().zip(&renames)
        {
            if who != author {
                out.others += 1;
                rename_all(&mut labels, renamed, false);
                continue;
            }
            let own = parse(seq, &changes)?;
            let (action, changes) = match target {
                // Undo and redo: named after their target. They hold what they wrote; entries
                // from before they did, nothing, and the target's rows travel instead.
                Some(target) => {
                    let (target_action, target_changes): (String, String) = conn.query_row(
                        "SELECT action, history_changes(changes, packed) FROM history WHERE seq = ?1",
                        [target],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )?;
                    let changes = match own.is_empty() {
                        true if action == "undo" => parse(target, &target_changes)?
                            .into_iter()
                            .rev()
                            .map(Change::inverse)
                            .collect(),
                        true => parse(target, &target_changes)?,
                        false => own,
                    };
                    (format!("{action}: {target_action}"), changes)
                }
                None => (action, own),
            };
            out.changes.push(Travelling {
                change_id,
                author: who,
                at,
                doc: doc_id.map(|d| wire::sha_of(conn, &d)).transpose()?,
                action,
                changes: wire_changes(conn, &changes, &labels)?,
            });
            rename_all(&mut labels, renamed, false);
        }
        Ok(out)
    }

    /// Sets aside a change the server refused: it stays here, listed as a conflict, and no
    /// longer holds up the changes after it.
    pub(crate) fn refused(&mut self, change: &Travelling, why: &str) -> Result<()> {
        let tx = self.conn_mut().transaction()?;
        tx.execute(
            "UPDATE history SET remote_seq = 0 WHERE change_id = ?1",
            [&change.change_id],
        )?;
        note_conflict(
            &tx,
            0,
            &change.at,
            &format!("change {}", change.change_id),
            "(refused by the server)",
            (None, "server"),
            (Some(&format!("{}: {why}", change.action)), &change.author),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Notes what the server now holds: documents, and changes at their place in its order, the
    /// last of them (`cursor`) now the workspace's place in it.
    pub(crate) fn mark_sent(
        &mut self,
        documents: &[String],
        changes: &[(String, i64)],
        cursor: i64,
    ) -> Result<()> {
        let tx = self.conn_mut().transaction()?;
        for id in documents {
            tx.prepare_cached("INSERT OR IGNORE INTO remote_documents(doc_id) VALUES (?1)")?
                .execute([id])?;
        }
        for (change_id, seq) in changes {
            tx.prepare_cached("UPDATE history SET remote_seq = ?2 WHERE change_id = ?1")?
                .execute(params![change_id, seq])?;
        }
        super::set_setting(&tx, CURSOR, &cursor.to_string())?;
        tx.commit()?;
        Ok(())
    }

    /// Takes in documents and changes from the server, in its order, in one transaction with
    /// the new cursors (`None`: unchanged), so that a sync cut anywhere takes all or none of them.
    pub(crate) fn take_in(
        &mut self,
        documents: Vec<(i64, TravellingDocument)>,
        changes: Vec<(i64, Travelling)>,
        local_author: &str,
    ) -> Result<Taken> {
        let mut tx = self.conn_mut().transaction()?;
        let mut taken = Taken::default();
        let mut doc_cursor = None;
        for (seq, doc) in documents {
            let id = match id_by_sha256(&tx, &doc.sha256)? {
                Some(id) => id,
                None => {
                    let meta: DocMeta = serde_json::from_value(doc.meta)?;
                    taken.documents += 1;
                    super::documents::insert(
                        &tx,
                        &NewDocument {
                            text: doc.text,
                            meta,
                            sha256: doc.sha256,
                        },
                        &doc.imported_at,
                    )?
                }
            };
            tx.prepare_cached("INSERT OR IGNORE INTO remote_documents(doc_id) VALUES (?1)")?
                .execute([id])?;
            doc_cursor = Some(seq);
        }
        let mut change_cursor = None;
        for (seq, change) in changes {
            change_cursor = Some(seq);
            let known: Option<bool> = tx
                .prepare_cached("SELECT pulled FROM history WHERE change_id = ?1")?
                .query_row([&change.change_id], |r| r.get(0))
                .optional()?;
            match known {
                // Our own, sent before a cut left it unmarked.
                Some(false) => {
                    tx.prepare_cached(
                        "UPDATE history SET remote_seq = ?2 WHERE change_id = ?1 AND remote_seq IS NULL",
                    )?
                    .execute(params![change.change_id, seq])?;
                }
                Some(true) => {}
                None => {
                    // A change that cannot be applied here is set aside, listed, and passed.
                    let sp = tx.savepoint()?;
                    match take_change(&sp, seq, &change, local_author) {
                        Ok(met) => {
                            sp.commit()?;
                            taken.conflicts += met;
                            taken.changes += 1;
                        }
                        Err(e) if !e.is_storage() => {
                            drop(sp); // rolled back
                            set_aside(&tx, seq, &change, &e.to_string())?;
                            taken.set_aside += 1;
                        }
                        Err(e) => return Err(e),
                    }
                }
            }
        }
        if let Some(seq) = doc_cursor {
            super::set_setting(&tx, DOC_CURSOR, &seq.to_string())?;
        }
        if let Some(seq) = change_cursor {
            super::set_setting(&tx, CURSOR, &seq.to_string())?;
        }
        tx.commit()?;
        Ok(taken)
    }
}

fn cursor(conn: &Connection, key: &str) -> Result<i64> {
    Ok(super::setting(conn, key)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

fn parse(seq: i64, changes: &str) -> Result<Vec<Change>> {
    serde_json::from_str(changes).map_err(|e| Error::Corrupt(format!("history entry {seq}: {e}")))
}

fn wire_changes(
    conn: &Connection,
    changes: &[Change],
    labels: &HashMap<i64, String>,
) -> Result<Value> {
    Ok(Value::Array(
        changes
            .iter()
            .map(|c| wire::to_wire(conn, c, labels))
            .collect::<Result<_>>()?,
    ))
}

/// The label renames of a history entry's schema changes.
fn schema_renames(seq: i64, changes: &str) -> Result<Vec<(String, String)>> {
    if !changes.contains("\"table\":\"schema\"") {
        return Ok(vec![]);
    }
    Ok(parse(seq, changes)?
        .into_iter()
        .flat_map(|c| match c {
            Change::Schema { renames, .. } => renames,
            _ => vec![],
        })
        .collect())
}

/// Renames labels by id, all at once (so that two labels may swap names); `back` undoes them.
fn rename_all(labels: &mut HashMap<i64, String>, renames: &[(String, String)], back: bool) {
    if renames.is_empty() {
        return;
    }
    let map: HashMap<&str, &str> = renames
        .iter()
        .map(|(old, new)| {
            if back {
                (new.as_str(), old.as_str())
            } else {
                (old.as_str(), new.as_str())
            }
        })
        .collect();
    for name in labels.values_mut() {
        if let Some(to) = map.get(name.as_str()) {
            *name = (*to).to_string();
        }
    }
}

/// A new document's annotations as they are now, recorded once as this workspace's change
/// `import` (its id made from the workspace's and the document's, so that it is recorded and
/// stored once), with the source entities and claim groups its spans name and its status.
fn record_snapshot(
    tx: &Connection,
    doc_id: &str,
    sha256: &str,
    workspace_id: &str,
    author: &str,
) -> Result<()> {
    let digest = Sha256::digest(format!("{workspace_id} {sha256}"));
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    let change_id = uuid::Builder::from_custom_bytes(bytes)
        .into_uuid()
        .to_string();
    let known: bool = tx
        .prepare_cached("SELECT count(*) > 0 FROM history WHERE change_id = ?1")?
        .query_row([&change_id], |r| r.get(0))?;
    if known {
        return Ok(());
    }
    let spans = SpanRow::of_document(tx, doc_id)?;
    let relations = RelationRow::of_document(tx, doc_id)?;
    let state =
        DocStateRow::load(tx, doc_id)?.ok_or_else(|| Error::DocumentNotFound(doc_id.into()))?;
    let mut changes = Vec::new();
    let mut named = std::collections::BTreeSet::new();
    for s in &spans {
        if let Some(e) = &s.source_entity_id
            && named.insert(("entity", e.clone()))
        {
            let entity = super::entities::load_entity(tx, e)?;
            changes.push(Change::Entity {
                before: None,
                after: Some(entity),
            });
        }
        if let Some(g) = &s.claim_group_id
            && named.insert(("group", g.clone()))
        {
            let group = super::groups::load_group(tx, g)?;
            changes.push(Change::Group {
                before: None,
                after: Some(group),
            });
        }
    }
    changes.extend(spans.into_iter().map(|row| Change::Span {
        before: None,
        after: Some(row),
    }));
    changes.extend(relations.into_iter().map(|row| Change::Relation {
        before: None,
        after: Some(row),
    }));
    // The document arrives elsewhere as new: its status, if it has moved on, goes with it.
    if state.status != "new" {
        let before = DocStateRow {
            status: "new".into(),
            ..state.clone()
        };
        changes.push(Change::Document {
            before,
            after: state,
        });
    }
    if changes.is_empty() {
        return Ok(());
    }
    let who = super::annotator_id(tx, author)?;
    let (changes, packed) = super::history::stored_changes(&changes)?;
    tx.prepare_cached(
        "INSERT INTO history(at, annotator_id, doc_id, action, changes, packed, change_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        crate::clock::now(),
        who,
        doc_id,
        IMPORT_ACTION,
        changes,
        packed,
        change_id
    ])?;
    Ok(())
}

/// Lists a conflict: the row, the field, the value kept and the value overwritten, each with
/// whose it was.
fn note_conflict(
    conn: &Connection,
    seq: i64,
    at: &str,
    row_ref: &str,
    field: &str,
    kept: (Option<&str>, &str),
    lost: (Option<&str>, &str),
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_conflicts(remote_seq, at, row_ref, field, kept, kept_by, lost, lost_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        seq, at, row_ref, field, kept.0, kept.1, lost.0, lost.1
    ])?;
    Ok(())
}

/// A change from the server that cannot be applied here: recorded as taken (so that it is
/// not tried again) with nothing written, and listed as a conflict saying why.
fn set_aside(tx: &Connection, seq: i64, change: &Travelling, why: &str) -> Result<()> {
    let who = super::annotator_id(tx, &change.author)?;
    tx.prepare_cached(
        "INSERT INTO history(at, annotator_id, doc_id, action, changes, change_id, remote_seq, pulled)
         VALUES (?1, ?2, NULL, ?3, '[]', ?4, ?5, 1)",
    )?
    .execute(params![change.at, who, change.action, change.change_id, seq])?;
    note_conflict(
        tx,
        seq,
        &change.at,
        &format!("change {}", change.change_id),
        "(could not be applied here)",
        (None, "this workspace"),
        (Some(&format!("{}: {why}", change.action)), &change.author),
    )
}

/// Applies one change from the server, field by field, and records it as a pulled history
/// entry holding what it wrote. Returns the number of conflicts it met.
fn take_change(tx: &Connection, seq: i64, change: &Travelling, local_author: &str) -> Result<u32> {
    let rows = change
        .changes
        .as_array()
        .ok_or_else(|| Error::Remote(format!("change {seq} holds no list of rows")))?;
    let mut written = Vec::new();
    let mut conflicts = 0;
    for row in rows {
        let incoming = wire::from_wire(tx, row.clone())?;
        let (effective, met) = merge(tx, &incoming, local_author)?;
        for (row_ref, field, incoming_wins, local_value, incoming_value) in met {
            let local = (local_value.as_deref(), local_author);
            let incoming = (incoming_value.as_deref(), change.author.as_str());
            let (kept, lost) = if incoming_wins {
                (incoming, local)
            } else {
                (local, incoming)
            };
            note_conflict(tx, seq, &change.at, &row_ref, &field, kept, lost)?;
            conflicts += 1;
        }
        if let Some(effective) = effective {
            effective.apply(tx, true)?;
            written.push(effective);
        }
    }
    let who = super::annotator_id(tx, &change.author)?;
    let doc_id = match &change.doc {
        Some(sha) => id_by_sha256(tx, sha)?,
        None => None,
    };
    let (changes, packed) = super::history::stored_changes(&written)?;
    tx.prepare_cached(
        "INSERT INTO history(at, annotator_id, doc_id, action, changes, packed, change_id,
                             remote_seq, pulled)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1)",
    )?
    .execute(params![
        change.at,
        who,
        doc_id,
        change.action,
        changes,
        packed,
        change.change_id,
        seq
    ])?;
    Ok(conflicts)
}

/// A conflict met: the row, the field, whether the incoming value won, and the local and
/// incoming values (as JSON text).
type Met = (String, String, bool, Option<String>, Option<String>);

/// What an incoming change writes here: the row as stored now (`before`) and as it is to be
/// (`after`), merged field by field, and the conflicts met. `None`: nothing to write.
fn merge(conn: &Connection, incoming: &Change, author: &str) -> Result<(Option<Change>, Vec<Met>)> {
    let Some((table, id)) = incoming.row_ref() else {
        // Rows known by their content alone (assignments, statuses, rejections): as they come.
        return Ok((Some(incoming.clone()), vec![]));
    };
    if let Change::Schema {
        before,
        after,
        renames,
    } = incoming
    {
        let current = super::schema::read(conn)?;
        if current == **after {
            return Ok((None, vec![]));
        }
        let mut met = vec![];
        if current != **before {
            let local_wins = touched_here(conn, author, "schema", "", None)?;
            met.push((
                "schema".to_string(),
                "(schema)".to_string(),
                !local_wins,
                Some(serde_json::to_string(&current)?),
                Some(serde_json::to_string(after)?),
            ));
            if local_wins {
                // Its renames name labels as the other workspace calls them from now on.
                for (here, there) in local_renames(conn, &current, renames)? {
                    alias(conn, &there, &here)?;
                }
                // The labels it added are added here too: the later schema (this one's) was
                // made before it knew of them, and every workspace keeps both sides' additions.
                let renamed: HashSet<&str> = renames.iter().map(|(_, n)| n.as_str()).collect();
                let added = added_labels(after, before, &current, &renamed);
                if added.is_empty() {
                    return Ok((None, met));
                }
                let mut merged = current.clone();
                append_labels(&mut merged, added);
                let written = Change::Schema {
                    before: Box::new(current),
                    after: Box::new(merged),
                    renames: vec![],
                };
                return Ok((Some(written), met));
            }
        }
        let renames = local_renames(conn, &current, renames)?;
        for (old, _) in &renames {
            alias(conn, old, old)?;
        }
        // Labels added here that the later schema did not know of stay, appended.
        let mut here = current.clone();
        let map: HashMap<&str, &str> = renames
            .iter()
            .map(|(o, n)| (o.as_str(), n.as_str()))
            .collect();
        for label in &mut here.span_labels {
            if let Some(n) = map.get(label.name.as_str()) {
                label.name = (*n).to_string();
            }
        }
        let added = added_labels(&here, before, after, &HashSet::new());
        let mut after = (**after).clone();
        append_labels(&mut after, added);
        return Ok((
            Some(Change::Schema {
                before: Box::new(current),
                after: Box::new(after),
                renames,
            }),
            met,
        ));
    }
    let as_object = |v: Option<Value>| -> Option<Map<String, Value>> {
        match v {
            Some(Value::Object(m)) => Some(m),
            _ => None,
        }
    };
    let value = serde_json::to_value(incoming)?;
    let before = as_object(value.get("before").cloned());
    let after = as_object(value.get("after").cloned());
    let current = as_object(incoming.stored(conn)?);
    let row_ref = format!("{table} {id}");
    let mut met = Vec::new();
    let text = |v: Option<&Value>| v.map(|v| v.to_string());

    let merged: Option<Map<String, Value>> = match (&current, &after) {
        (None, None) => return Ok((None, vec![])),
        (Some(cur), None) => {
            // Deleted there: gone here too, unless changed here and not sent yet.
            if before.as_ref() != Some(cur) {
                let local_wins = touched_here(conn, author, table, &id, None)?;
                met.push((
                    row_ref,
                    "(row)".into(),
                    !local_wins,
                    Some(Value::Object(cur.clone()).to_string()),
                    None,
                ));
                if local_wins {
                    return Ok((None, met));
                }
            }
            None
        }
        (None, Some(new)) => {
            if before.is_some() && touched_here(conn, author, table, &id, None)? {
                // Deleted here and not sent yet: the deletion comes later in the order.
                met.push((
                    row_ref,
                    "(row)".into(),
                    false,
                    None,
                    Some(Value::Object(new.clone()).to_string()),
                ));
                return Ok((None, met));
            }
            Some(new.clone())
        }
        (Some(cur), Some(new)) => {
            let mut merged = cur.clone();
            let null = Value::Null;
            let keys: std::collections::BTreeSet<&String> = new
                .keys()
                .chain(before.iter().flat_map(|b| b.keys()))
                .chain(cur.keys())
                .collect();
            for key in keys {
                let was = before
                    .as_ref()
                    .map_or(&null, |b| b.get(key).unwrap_or(&null));
                let to = new.get(key).unwrap_or(&null);
                let here = cur.get(key).unwrap_or(&null);
                if (before.is_some() && was == to) || here == to {
                    continue;
                }
                if before.is_some() && here == was {
                    merged.insert(key.clone(), to.clone());
                    continue;
                }
                let local_wins = touched_here(conn, author, table, &id, Some(key))?;
                // Two changes to one row both stamp it: the later stamp is kept, unlisted.
                if key == "updated_at" {
                    if !local_wins {
                        merged.insert(key.clone(), to.clone());
                    }
                    continue;
                }
                met.push((
                    row_ref.clone(),
                    key.clone(),
                    !local_wins,
                    text(Some(here)),
                    text(Some(to)),
                ));
                if !local_wins {
                    merged.insert(key.clone(), to.clone());
                }
            }
            if &merged == cur {
                return Ok((None, met));
            }
            Some(merged)
        }
    };
    let mut effective = Map::new();
    effective.insert("table".into(), value["table"].clone());
    effective.insert("before".into(), current.map_or(Value::Null, Value::Object));
    effective.insert("after".into(), merged.map_or(Value::Null, Value::Object));
    Ok((Some(serde_json::from_value(Value::Object(effective))?), met))
}

/// The span labels `from` has that `base` had not, `other` has not, and that are not the new
/// name of a rename: what a schema change added that the other side never knew of.
fn added_labels(
    from: &LabelSchema,
    base: &LabelSchema,
    other: &LabelSchema,
    renamed: &HashSet<&str>,
) -> Vec<SpanLabel> {
    let known = |s: &LabelSchema, n: &str| s.span_labels.iter().any(|l| l.name == n);
    from.span_labels
        .iter()
        .filter(|l| {
            !known(base, &l.name) && !known(other, &l.name) && !renamed.contains(l.name.as_str())
        })
        .cloned()
        .collect()
}

/// Appends labels to a schema, without a key where theirs is taken.
fn append_labels(schema: &mut LabelSchema, labels: Vec<SpanLabel>) {
    for mut label in labels {
        if schema
            .span_labels
            .iter()
            .any(|l| l.hotkey.is_some() && l.hotkey == label.hotkey)
        {
            label.hotkey = None;
        }
        schema.span_labels.push(label);
    }
}

/// Makes `name` another name of the label called `label` here now.
fn alias(conn: &Connection, name: &str, label: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO label_aliases(name, label_id)
         SELECT ?1, id FROM span_labels WHERE name = ?2",
    )?
    .execute(params![name, label])?;
    Ok(())
}

/// An incoming change's label renames in this workspace's names: a label it renames that was
/// renamed here too (a conflict) is found under the name it has here, by following this
/// workspace's own renames; one it cannot find is left alone.
fn local_renames(
    conn: &Connection,
    current: &LabelSchema,
    renames: &[(String, String)],
) -> Result<Vec<(String, String)>> {
    let names: std::collections::HashSet<&str> = current
        .span_labels
        .iter()
        .map(|l| l.name.as_str())
        .collect();
    let mut here: Vec<(String, String)> = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT seq, history_changes(changes, packed) FROM history
         WHERE instr(history_changes(changes, packed), '\"table\":\"schema\"') > 0 ORDER BY seq",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    for (seq, changes) in rows {
        for change in parse(seq, &changes)? {
            if let Change::Schema { renames, .. } = change {
                here.extend(renames);
            }
        }
    }
    let mut out = Vec::new();
    for (old, new) in renames {
        let mut name = old.clone();
        let mut steps = 0;
        while !names.contains(name.as_str()) && steps <= here.len() {
            match here.iter().find(|(o, _)| *o == name) {
                Some((_, n)) => name = n.clone(),
                None => break,
            }
            steps += 1;
        }
        if names.contains(name.as_str()) {
            out.push((name, new.clone()));
        }
    }
    Ok(out)
}

/// Whether a change made here and not sent yet changed this row (`field`, or any of it): such
/// a change will come later in the server's order, so its value stays.
fn touched_here(
    conn: &Connection,
    author: &str,
    table: &str,
    id: &str,
    field: Option<&str>,
) -> Result<bool> {
    // Only the link's own changes will be sent: others' made here never win.
    let mut stmt = conn.prepare_cached(
        "SELECT h.seq, history_changes(h.changes, h.packed)
         FROM history h JOIN annotators a ON a.id = h.annotator_id
         WHERE h.remote_seq IS NULL AND h.pulled = 0 AND a.name = ?2
           AND instr(history_changes(h.changes, h.packed), ?1) > 0
         ORDER BY h.seq",
    )?;
    let needle = if table == "schema" {
        "\"table\":\"schema\"".to_string()
    } else {
        id.to_string()
    };
    let rows = stmt
        .query_map(params![needle, author], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    for (seq, changes) in rows {
        for change in parse(seq, &changes)? {
            if change.row_ref() != Some((table, id.to_string()))
                && !(table == "schema" && matches!(change, Change::Schema { .. }))
            {
                continue;
            }
            let Some(field) = field else { return Ok(true) };
            let value = serde_json::to_value(&change)?;
            let side = |s: &str| value.get(s).and_then(|r| r.get(field)).cloned();
            if side("before") != side("after") {
                return Ok(true);
            }
        }
    }
    Ok(false)
}
