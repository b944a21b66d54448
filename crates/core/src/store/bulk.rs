//! Storing pre-annotated documents from a dataset import: the document, its status, spans,
//! relations and document labels, inside the caller's transaction ([`BulkTransaction`]).
//! Each annotation is checked as the app checks it (bounds, text, label, attributes, relation
//! type); one that fails is reported and left out, and the rest of the document is stored.
//! Imports are not in the undo history, as text imports are not.

use std::collections::{BTreeSet, HashMap, HashSet};

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde_json::Map;

use super::annotated::AnnotatedDoc;
use super::annotations::{anchor_in, check_attr_value};
use super::rows::{DocLabelRow, KeyedRow, OnFailure, RelationRow, SpanRow};
use crate::error::{Error, Result};
use crate::model::{AttrDef, LabelSchema};
use crate::offsets::OffsetMap;

/// Ids of the schema's entries and of annotators, read once per import batch.
pub(crate) struct BulkIds {
    schema: LabelSchema,
    labels: HashMap<String, i64>,
    types: HashMap<String, i64>,
    doc_labels: HashMap<String, i64>,
    annotators: HashMap<String, i64>,
}

fn ids(tx: &Connection, table: &str) -> Result<HashMap<String, i64>> {
    let mut stmt = tx.prepare(&format!("SELECT name, id FROM {table}"))?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    Ok(rows.collect::<Result<HashMap<_, _>, _>>()?)
}

impl BulkIds {
    pub(crate) fn load(tx: &Connection, schema: LabelSchema) -> Result<BulkIds> {
        Ok(BulkIds {
            schema,
            labels: ids(tx, "span_labels")?,
            types: ids(tx, "relation_types")?,
            doc_labels: ids(tx, "doc_label_defs")?,
            annotators: HashMap::new(),
        })
    }

    fn annotator(&mut self, tx: &Connection, name: &str) -> Result<i64> {
        if let Some(&id) = self.annotators.get(name) {
            return Ok(id);
        }
        let id = super::annotator_id(tx, name)?;
        self.annotators.insert(name.to_string(), id);
        Ok(id)
    }

    /// Forgets the annotators read or created so far: after a savepoint is rolled back, an
    /// annotator created inside it is gone, and its id may go to another name.
    pub(crate) fn forget_annotators(&mut self) {
        self.annotators.clear();
    }

    fn attr(&self, name: &str, label: &str) -> Option<&AttrDef> {
        self.schema.attributes.iter().find(|a| {
            a.name == name && (a.labels.is_empty() || a.labels.iter().any(|l| l == label))
        })
    }
}

/// The transaction a batch of imported documents is stored in, with two things that cost a
/// bulk insert dearly switched off for its length:
///
/// - **Foreign-key checks.** Every reference an import writes comes from a row it has just
///   written or read in this transaction (the document, the schema's ids, the annotators, the
///   entities and groups it stored, the spans of the same document), so SQLite's lookups
///   behind each row (five a relation, three a span) only repeat what is known; they were an
///   eighth of importing 260,000 spans. `PRAGMA foreign_keys` is per connection and cannot
///   change inside a transaction, so it is switched off before `BEGIN` and back on after the
///   commit or rollback, also when storing fails or panics.
/// - **The span log.** Migration 3's trigger `index_log_span_insert` logs each span insert for
///   the search index. Each new document is logged by its own insert and its spans go in with
///   it, so the index reads them all after the commit; the trigger's sub-program ran once per
///   span (another eighth). It is dropped inside the transaction and created again before the
///   commit: no other connection ever sees it missing, and a rollback puts it back.
pub(crate) struct BulkTransaction<'c> {
    /// Declared first so that it is dropped (rolled back if not committed) before the checks
    /// come back on.
    tx: Transaction<'c>,
    /// The span log trigger's `CREATE TRIGGER` statement, if it was dropped.
    span_log: Option<String>,
    checks: ForeignKeyChecksOff<'c>,
}

/// Foreign-key checks off on a connection until dropped.
struct ForeignKeyChecksOff<'c>(&'c Connection);

impl<'c> ForeignKeyChecksOff<'c> {
    fn new(conn: &'c Connection) -> Result<ForeignKeyChecksOff<'c>> {
        conn.pragma_update(None, "foreign_keys", "OFF")?;
        Ok(ForeignKeyChecksOff(conn))
    }

    /// Switches the checks back on (again when dropped; that is harmless). SQLite ignores the
    /// pragma inside a transaction, so a rollback that failed would leave them off: read back.
    fn restore(&self) -> Result<()> {
        self.0.pragma_update(None, "foreign_keys", "ON")?;
        let on: bool = self.0.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
        if on {
            Ok(())
        } else {
            Err(Error::Database(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ERROR),
                Some(
                    "foreign-key checks could not be switched back on after an import (a \
                     transaction is still open); close Parallax and open the workspace again"
                        .into(),
                ),
            )))
        }
    }
}

impl Drop for ForeignKeyChecksOff<'_> {
    fn drop(&mut self) {
        // After a commit, `restore` has reported any error already; on the way out of a
        // failure there is no one left to report it to but the log.
        if let Err(e) = self.restore() {
            tracing::error!("cannot switch foreign-key checks back on: {e}");
        }
    }
}

const SPAN_LOG_TRIGGER: &str = "index_log_span_insert";

/// The span log trigger's `CREATE TRIGGER` statement; `None` when there is no such trigger.
fn trigger_sql(tx: &Connection) -> Result<Option<String>> {
    Ok(tx
        .query_row(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
            [SPAN_LOG_TRIGGER],
            |r| r.get(0),
        )
        .optional()?)
}

impl<'c> BulkTransaction<'c> {
    /// Begins the transaction. The span log is paused only if `spans` are to be stored: the
    /// drop changes the schema, which makes every connection prepare its statements again, so
    /// an import of plain texts leaves it.
    pub(crate) fn begin(conn: &'c Connection, spans: bool) -> Result<BulkTransaction<'c>> {
        let checks = ForeignKeyChecksOff::new(conn)?;
        let tx = conn.unchecked_transaction()?;
        let span_log = if spans { trigger_sql(&tx)? } else { None };
        if span_log.is_some() {
            tx.execute_batch(&format!("DROP TRIGGER {SPAN_LOG_TRIGGER}"))?;
        }
        Ok(BulkTransaction {
            tx,
            span_log,
            checks,
        })
    }

    /// The transaction, to store documents in.
    pub(crate) fn tx(&mut self) -> &mut Transaction<'c> {
        &mut self.tx
    }

    /// Puts the span log back, commits and switches the checks back on. If SQLite rolled the
    /// transaction back on its own (a full disk), the drop was undone with it and the trigger
    /// is there already.
    pub(crate) fn commit(self) -> Result<()> {
        if let Some(create) = &self.span_log
            && trigger_sql(&self.tx)?.is_none()
        {
            self.tx.execute_batch(create)?;
        }
        let BulkTransaction { tx, checks, .. } = self;
        tx.commit()?;
        checks.restore()
    }
}

/// What storing one document did.
#[derive(Debug)]
pub(crate) struct Stored {
    pub doc_id: String,
    pub spans: usize,
    pub relations: usize,
    /// Annotations left out, each with its reason.
    pub warnings: Vec<String>,
    /// The annotators whose layers the document's annotations went to.
    pub layers: BTreeSet<String>,
    /// Annotators whose layer the document had already: their annotations were not stored
    /// again (importing the same file twice changes nothing).
    pub present: BTreeSet<String>,
}

/// Where a parsed document goes.
pub(crate) enum Destination<'a> {
    /// A new document, with its annotations.
    New,
    /// The workspace's document with the same text: the annotations of each annotator it has
    /// no layer of yet become that annotator's layer.
    Layers {
        doc_id: &'a str,
        present: &'a HashSet<String>,
    },
}

/// Whose layers one document's annotations go to.
struct Layers<'a> {
    /// The document's layers before the import, when it had some: not stored again.
    present: Option<&'a HashSet<String>>,
    added: BTreeSet<String>,
    skipped: BTreeSet<String>,
}

impl Layers<'_> {
    /// The layer of an annotation naming `named` (else `annotator`), or `None` when that layer
    /// was there already. Allocates only for a name not seen yet: it runs for every span.
    fn of<'n>(&mut self, named: &'n Option<String>, annotator: &'n str) -> Option<&'n str> {
        let who = super::annotator_name(named.as_deref().unwrap_or(annotator));
        if self.present.is_some_and(|p| p.contains(who)) {
            if !self.skipped.contains(who) {
                self.skipped.insert(who.to_string());
            }
            return None;
        }
        if !self.added.contains(who) {
            self.added.insert(who.to_string());
        }
        Some(who)
    }
}

/// Stores `doc` inside `tx`; `annotator` is who made annotations the file names no one for.
/// The caller stores a batch of these in a [`BulkTransaction`]; `on_failure` says what a
/// failed insert of spans or relations undoes (after which this returns the error at once).
pub(crate) fn store_annotated(
    tx: &Connection,
    doc: &AnnotatedDoc,
    destination: Destination<'_>,
    annotator: &str,
    imported_at: &str,
    ids: &mut BulkIds,
    on_failure: OnFailure,
) -> Result<Stored> {
    let (doc_id, present) = match destination {
        Destination::New => {
            let doc_id = super::documents::insert(tx, &doc.doc, imported_at)?;
            if let Some(status) = doc.status {
                tx.prepare_cached("UPDATE documents SET status = ?2 WHERE id = ?1")?
                    .execute(params![doc_id, status.as_str()])?;
            }
            (doc_id, None)
        }
        Destination::Layers { doc_id, present } => (doc_id.to_string(), Some(present)),
    };
    let mut layers = Layers {
        present,
        added: BTreeSet::new(),
        skipped: BTreeSet::new(),
    };
    let mut warnings = doc.warnings.clone();
    // Entities and groups first, so that spans can link to them; ones the workspace has
    // already (an earlier document of the same export) stay as they are.
    let mut linkable: HashSet<&str> = HashSet::new();
    // A bad name is a warning; a database error (a full disk) may have ended the transaction,
    // so nothing more may be written: it is the document's failure.
    for e in &doc.entities {
        match super::entities::insert_entity_if_new(tx, e) {
            Ok(()) => {
                linkable.insert(e.id.as_str());
            }
            Err(err) if err.is_storage() => return Err(err),
            Err(err) => warnings.push(format!("source entity {}: {err}; not linked", e.id)),
        }
    }
    for g in &doc.groups {
        match super::groups::insert_group_if_new(tx, g) {
            Ok(()) => {
                linkable.insert(g.id.as_str());
            }
            Err(err) if err.is_storage() => return Err(err),
            Err(err) => warnings.push(format!("claim group {}: {err}; not linked", g.id)),
        }
    }
    let link = |id: &Option<String>| id.clone().filter(|i| linkable.contains(i.as_str()));
    let text = &doc.doc.text;
    let map = OffsetMap::new(text);
    let mut span_ids: HashMap<&str, (String, &str)> = HashMap::with_capacity(doc.spans.len());
    let mut span_rows = Vec::with_capacity(doc.spans.len());
    for s in &doc.spans {
        let Some(who) = layers.of(&s.annotator, annotator) else {
            continue;
        };
        // Named only in a warning: not formatted for each of the spans that pass.
        let what = || format!("span [{}, {}) {}", s.start, s.end, s.label);
        let Some(&label_id) = ids.labels.get(&s.label) else {
            warnings.push(format!("{}: the schema has no label `{}`", what(), s.label));
            continue;
        };
        let (quote, prefix, suffix) = match anchor_in(&map, s.start, s.end) {
            Ok(a) => a,
            Err(e) => {
                warnings.push(format!("{}: {e}", what()));
                continue;
            }
        };
        if let Some(expected) = &s.text
            && expected != &quote
        {
            warnings.push(format!(
                "{}: the file says it covers `{expected}` but the text there is `{quote}`",
                what()
            ));
            continue;
        }
        let mut attrs = Map::new();
        for (name, value) in &s.attrs {
            if value.is_null() {
                continue;
            }
            let checked = match ids.attr(name, &s.label) {
                None => Err(format!("attribute `{name}` is not defined for {}", s.label)),
                Some(def) => check_attr_value(name, &def.kind, value).map_err(|e| e.to_string()),
            };
            match checked {
                Ok(()) => {
                    attrs.insert(name.clone(), value.clone());
                }
                Err(e) => warnings.push(format!("{}: {e}; left out", what())),
            }
        }
        let who = ids.annotator(tx, who)?;
        let row = SpanRow {
            id: crate::ids::new_id(),
            doc_id: doc_id.clone(),
            start: s.start,
            end: s.end,
            label_id,
            quote,
            prefix,
            suffix,
            attrs: serde_json::to_string(&attrs)?,
            note: s.note.clone().filter(|n| !n.trim().is_empty()),
            annotator_id: who,
            created_at: imported_at.to_string(),
            updated_at: imported_at.to_string(),
            source_entity_id: link(&s.source_entity),
            claim_group_id: link(&s.claim_group),
            suggested_by: s.suggested_by.clone(),
        };
        span_ids.insert(&s.key, (row.id.clone(), s.label.as_str()));
        span_rows.push(row);
    }
    SpanRow::insert_many(tx, &span_rows, on_failure)?;
    let mut relation_rows = Vec::with_capacity(doc.relations.len());
    for r in &doc.relations {
        let Some(who) = layers.of(&r.annotator, annotator) else {
            continue;
        };
        let what = || format!("relation {} {} → {}", r.label, r.head, r.child);
        let (Some((head, head_label)), Some((child, child_label))) = (
            span_ids.get(r.head.as_str()),
            span_ids.get(r.child.as_str()),
        ) else {
            warnings.push(format!(
                "{}: one of its spans is missing or was left out",
                what()
            ));
            continue;
        };
        if head == child {
            warnings.push(format!(
                "{}: a relation cannot link a span to itself",
                what()
            ));
            continue;
        }
        let Some(&type_id) = ids.types.get(&r.label) else {
            warnings.push(format!(
                "{}: the schema has no relation type `{}`",
                what(),
                r.label
            ));
            continue;
        };
        let allowed = ids
            .schema
            .relation_types
            .iter()
            .find(|t| t.name == r.label)
            .is_none_or(|t| {
                (t.heads.is_empty() || t.heads.iter().any(|l| l == head_label))
                    && (t.children.is_empty() || t.children.iter().any(|l| l == child_label))
            });
        if !allowed {
            warnings.push(format!(
                "{}: `{}` does not allow a {head_label} head and a {child_label} child",
                what(),
                r.label
            ));
            continue;
        }
        let who = ids.annotator(tx, who)?;
        relation_rows.push(RelationRow {
            id: crate::ids::new_id(),
            doc_id: doc_id.clone(),
            head_id: head.clone(),
            child_id: child.clone(),
            type_id,
            annotator_id: who,
            created_at: imported_at.to_string(),
        });
    }
    RelationRow::insert_many(tx, &relation_rows, on_failure)?;
    for (label, who) in &doc.doc_labels {
        let Some(who) = layers.of(who, annotator) else {
            continue;
        };
        let Some(&label_def_id) = ids.doc_labels.get(label) else {
            warnings.push(format!("document label `{label}`: not in the schema"));
            continue;
        };
        let who = ids.annotator(tx, who)?;
        DocLabelRow {
            doc_id: doc_id.clone(),
            label_def_id,
            annotator_id: who,
            created_at: imported_at.to_string(),
        }
        .insert(tx)?;
    }
    Ok(Stored {
        doc_id,
        spans: span_rows.len(),
        relations: relation_rows.len(),
        warnings,
        layers: layers.added,
        present: layers.skipped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::annotated::ImportSpan;
    use crate::store::{DocOutcome, NewDocument, NewSpan, Workspace};

    /// A parsed document as a reader hands it over, with CLAIM spans at `extents`.
    fn parsed(text: &str, extents: &[(u32, u32)]) -> AnnotatedDoc {
        let mut doc = AnnotatedDoc::new(
            Some(1),
            NewDocument {
                text: text.into(),
                meta: Default::default(),
                sha256: crate::text::sha256_hex(text.as_bytes()),
            },
        );
        doc.spans = extents
            .iter()
            .enumerate()
            .map(|(i, &(start, end))| ImportSpan {
                key: i.to_string(),
                start,
                end,
                label: "CLAIM".into(),
                ..Default::default()
            })
            .collect();
        doc
    }

    /// Stores one parsed document as an import does; its id and how many spans went in.
    fn store_one(ws: &Workspace, doc: AnnotatedDoc) -> (String, usize) {
        match ws.store_annotated_batch(&[doc], "ana").unwrap().remove(0) {
            DocOutcome::Imported(stored) => (stored.doc_id, stored.spans),
            other => panic!("{other:?}"),
        }
    }

    fn log_entries(ws: &Workspace, doc_id: &str) -> i64 {
        ws.conn()
            .query_row(
                "SELECT count(*) FROM index_log WHERE doc_id = ?1",
                [doc_id],
                |r| r.get(0),
            )
            .unwrap()
    }

    fn add_span(ws: &mut Workspace, doc_id: &str) {
        ws.add_span(
            NewSpan {
                doc_id: doc_id.into(),
                start: 0,
                end: 3,
                label: "SOURCE".into(),
                ..Default::default()
            },
            "ana",
        )
        .unwrap();
    }

    #[test]
    fn an_imported_document_is_logged_for_the_index_once_not_once_per_span() {
        let tmp = tempfile::tempdir().unwrap();
        let words: Vec<String> = (0..40).map(|i| format!("w{i:02}")).collect();
        let extents: Vec<(u32, u32)> = (0..40).map(|i| (i * 4, i * 4 + 3)).collect();
        let mut ws = Workspace::init(tmp.path().join("ws")).unwrap();
        let (doc, spans) = store_one(&ws, parsed(&words.join(" "), &extents));
        assert_eq!(spans, 40);
        assert_eq!(log_entries(&ws, &doc), 1);
        // The trigger is back: later writes to the document log it as before.
        // (The span and the document's status, now in progress: one entry or two.)
        add_span(&mut ws, &doc);
        assert!(log_entries(&ws, &doc) > 1);
    }

    fn foreign_key_checks(ws: &Workspace) -> i64 {
        ws.conn()
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn foreign_key_checks_are_off_only_while_an_import_stores() {
        let tmp = tempfile::tempdir().unwrap();
        let ws = Workspace::init(tmp.path().join("ws")).unwrap();
        {
            let bulk = BulkTransaction::begin(ws.conn(), true).unwrap();
            assert_eq!(foreign_key_checks(&ws), 0);
            bulk.commit().unwrap();
        }
        assert_eq!(foreign_key_checks(&ws), 1);
        assert_eq!(store_one(&ws, parsed("one two", &[(0, 3)])).1, 1);
        assert_eq!(foreign_key_checks(&ws), 1);
        // So a span of a document that is not there is refused again.
        let err = ws
            .conn()
            .execute(
                "INSERT INTO spans(id, doc_id, start, \"end\", label_id, quote, prefix, suffix,
                                   annotator_id, created_at, updated_at)
                 VALUES ('s1', 'no-such-doc', 0, 3, 1, 'one', '', '', 1, 'x', 'x')",
                [],
            )
            .unwrap_err();
        assert!(err.to_string().contains("FOREIGN KEY"), "{err}");
    }

    #[test]
    fn checks_that_cannot_come_back_on_are_an_error_not_a_silent_no_op() {
        let tmp = tempfile::tempdir().unwrap();
        let ws = Workspace::init(tmp.path().join("ws")).unwrap();
        let checks = ForeignKeyChecksOff::new(ws.conn()).unwrap();
        // As after a rollback that failed: SQLite ignores the pragma inside a transaction.
        ws.conn().execute_batch("BEGIN").unwrap();
        let err = checks.restore().unwrap_err();
        assert!(
            err.to_string().contains("could not be switched back on"),
            "{err}"
        );
        ws.conn().execute_batch("ROLLBACK").unwrap();
        checks.restore().unwrap();
        assert_eq!(foreign_key_checks(&ws), 1);
    }

    #[test]
    fn resuming_when_the_trigger_is_back_already_is_not_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        let ws = Workspace::init(tmp.path().join("ws")).unwrap();
        let mut bulk = BulkTransaction::begin(ws.conn(), true).unwrap();
        assert_eq!(trigger_sql(bulk.tx()).unwrap(), None);
        // As after SQLite rolled the transaction back by itself: the drop is undone.
        let create = bulk.span_log.clone().unwrap();
        bulk.tx().execute_batch(&create).unwrap();
        bulk.commit().unwrap();
        assert!(trigger_sql(ws.conn()).unwrap().is_some());
    }

    #[test]
    fn a_transaction_that_fails_while_storing_leaves_the_trigger_and_the_checks_in_place() {
        let tmp = tempfile::tempdir().unwrap();
        let mut ws = Workspace::init(tmp.path().join("ws")).unwrap();
        let doc_id = ws
            .insert_document(&crate::store::NewDocument {
                text: "one two".into(),
                meta: Default::default(),
                sha256: format!("{:064}", 1),
            })
            .unwrap();
        {
            let mut bulk = BulkTransaction::begin(ws.conn(), true).unwrap();
            let err = bulk
                .tx()
                .execute("INSERT INTO spans(id) VALUES ('half-written')", [])
                .unwrap_err();
            assert!(err.to_string().contains("NOT NULL"), "{err}");
            // Dropped without committing: rolled back.
        }
        assert_eq!(foreign_key_checks(&ws), 1);
        let before = log_entries(&ws, &doc_id);
        add_span(&mut ws, &doc_id);
        assert!(log_entries(&ws, &doc_id) > before);
    }
}
