//! Changes as they travel between workspaces: the local integer ids of labels, relation types,
//! document labels and annotators replaced by their names, and documents named by the SHA-256
//! they were imported with, so that every workspace reads a change the same way.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension};
use serde_json::{Map, Value};

use super::history::Change;
use crate::error::{Error, Result};

/// A local key holding an integer id, the key it travels as, and the table naming it.
const NAMED: &[(&str, &str, &str)] = &[
    ("label_id", "label", "span_labels"),
    ("type_id", "relation_type", "relation_types"),
    ("label_def_id", "doc_label", "doc_label_defs"),
    ("annotator_id", "annotator", "annotators"),
    ("curator_id", "curator", "annotators"),
];

/// Every span label's name by id: the labels there are, and those removed since (by their
/// last name), for changes made while they were there.
pub(crate) fn label_names(conn: &Connection) -> Result<HashMap<i64, String>> {
    let mut stmt = conn.prepare(
        "SELECT id, name FROM span_labels UNION ALL
         SELECT id, name FROM retired_labels WHERE id NOT IN (SELECT id FROM span_labels)",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A change as it is sent, its span labels named as in `labels` (the names they had when the
/// change was made).
pub(crate) fn to_wire(
    conn: &Connection,
    change: &Change,
    labels: &HashMap<i64, String>,
) -> Result<Value> {
    let mut value = serde_json::to_value(change)?;
    for_each_row(&mut value, |table, row| {
        for (local, wire, names) in NAMED {
            if let Some(id) = row.remove(*local) {
                let id = id.as_i64().ok_or_else(|| bad(local))?;
                let name = match (*names, labels.get(&id)) {
                    ("span_labels", Some(name)) => name.clone(),
                    _ => name_of(conn, names, id)?,
                };
                row.insert((*wire).into(), Value::String(name));
            }
        }
        let doc_key = if table == "document" { "id" } else { "doc_id" };
        if let Some(doc) = row.remove(doc_key) {
            let doc = doc.as_str().ok_or_else(|| bad(doc_key))?;
            row.insert("doc".into(), Value::String(sha_of(conn, doc)?));
        }
        Ok(())
    })?;
    Ok(value)
}

/// A change as received, in this workspace's ids (annotators it does not know yet are added).
pub(crate) fn from_wire(conn: &Connection, mut value: Value) -> Result<Change> {
    for_each_row(&mut value, |table, row| {
        for (local, wire, names) in NAMED {
            if let Some(name) = row.remove(*wire) {
                let name = name.as_str().ok_or_else(|| bad(wire))?;
                row.insert((*local).into(), Value::from(id_of(conn, names, name)?));
            }
        }
        if let Some(sha) = row.remove("doc") {
            let sha = sha.as_str().ok_or_else(|| bad("doc"))?;
            let doc_key = if table == "document" { "id" } else { "doc_id" };
            row.insert(doc_key.into(), Value::String(doc_by_sha(conn, sha)?));
        }
        Ok(())
    })?;
    Ok(serde_json::from_value(value)?)
}

/// Calls `f` on each row state (`before`, `after`) of a change, with the change's table.
fn for_each_row(
    value: &mut Value,
    mut f: impl FnMut(&str, &mut Map<String, Value>) -> Result<()>,
) -> Result<()> {
    let Some(change) = value.as_object_mut() else {
        return Err(bad("change"));
    };
    let table = change
        .get("table")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if table == "schema" {
        return Ok(()); // names only
    }
    for side in ["before", "after"] {
        if let Some(Value::Object(row)) = change.get_mut(side) {
            f(&table, row)?;
        }
    }
    Ok(())
}

/// The SHA-256 a document is known by on the server.
pub(crate) fn sha_of(conn: &Connection, doc_id: &str) -> Result<String> {
    conn.prepare_cached("SELECT sha256 FROM documents WHERE id = ?1")?
        .query_row([doc_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::DocumentNotFound(doc_id.into()))
}

/// The local id of the document the server knows by `sha256`.
pub(crate) fn doc_by_sha(conn: &Connection, sha256: &str) -> Result<String> {
    super::documents::id_by_sha256(conn, sha256)?.ok_or_else(|| {
        Error::Remote(format!(
            "a change names document {sha256}, which the server never sent"
        ))
    })
}

fn name_of(conn: &Connection, table: &str, id: i64) -> Result<String> {
    conn.prepare_cached(&format!("SELECT name FROM {table} WHERE id = ?1"))?
        .query_row([id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| {
            Error::Corrupt(format!(
                "a history entry names {table} #{id}, which is gone"
            ))
        })
}

fn id_of(conn: &Connection, table: &str, name: &str) -> Result<i64> {
    if table == "annotators" {
        return super::annotator_id(conn, name);
    }
    let found = conn
        .prepare_cached(&format!("SELECT id FROM {table} WHERE name = ?1"))?
        .query_row([name], |r| r.get(0))
        .optional()?;
    let found = match found {
        None if table == "span_labels" => conn
            .prepare_cached("SELECT label_id FROM label_aliases WHERE name = ?1")?
            .query_row([name], |r| r.get(0))
            .optional()?,
        found => found,
    };
    // A label another workspace added in a schema change that lost to one made here: added
    // here too, so that its spans keep it (the next schema change sent carries it).
    if found.is_none() && table == "span_labels" {
        return super::schema::add_label(conn, name);
    }
    found.ok_or_else(|| {
        Error::Remote(format!(
            "a change from the server uses `{name}` ({table}), which this workspace's schema lacks"
        ))
    })
}

fn bad(what: &str) -> Error {
    Error::Corrupt(format!("a change's `{what}` is not what it should be"))
}
