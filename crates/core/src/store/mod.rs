//! The workspace: one folder with the SQLite database (the single source of truth) and room for
//! the derived search index. Every write goes through one transaction that also writes history.

pub mod annotated;
mod annotations;
mod assignments;
pub mod backup;
mod batch_add;
mod bulk;
mod bulk_import;
mod check;
mod cross_rows;
mod curation;
mod documents;
mod entities;
mod groups;
mod history;
mod history_text;
mod index_feed;
mod layers;
mod migrations;
pub(crate) mod replica;
mod rows;
mod schema;
mod stats;
mod suggestion_rejects;
mod team;
mod wire;

pub use annotated::{AnnotatedDoc, ImportRelation, ImportSpan};
pub(crate) use annotations::check_attr_value;
pub use annotations::{LabelsAndGroups, NewSpan, SpanUpdate};
pub use assignments::{AnnotatorShare, AssignOptions, AssignReport};
pub(crate) use batch_add::DocBatch;
pub use batch_add::{BatchOutcome, BatchRelation, BatchSpan};
pub(crate) use bulk::Stored;
pub(crate) use bulk_import::DocOutcome;
pub use cross_rows::{ClaimRow, Claims, EntityCounts, LinkedRow, MentionRow, QUANTITY_LABEL};
pub use curation::{Candidate, Curation, MergeRule, Merged};
pub use documents::{DocFilter, DocumentFacets, DocumentPage, NewDocument};
pub use entities::{EntityEdit, SOURCE_LABEL, SourceEntity, SourceKind};
pub use groups::{AddedToGroup, CLAIM_LABEL, ClaimGroup, ClaimStatus, GroupEdit};
pub use history::HistoryEntry;
pub use index_feed::{IndexRecord, IndexSpan};
pub use layers::{DocLayers, GOLD_LAYER, Layer, LayerRelation, LayerSpan};
pub use replica::SyncConflict;
pub use schema::default_schema;
pub(crate) use schema::is_valid_name;
#[cfg(test)]
pub(crate) use schema::validate as validate_schema;
pub use stats::Stats;
pub use team::{AnnotatorProgress, LayerSummary, TeamProgress, TeamSettings};

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Error, Result};
use crate::model::WorkspaceInfo;

/// File name of the database inside a workspace folder.
pub const DB_FILE: &str = "parallax.db";
/// Folder of the search index inside a workspace folder.
pub const INDEX_DIR: &str = "index";

/// An open workspace.
pub struct Workspace {
    root: PathBuf,
    conn: Connection,
    /// Opened read-only: its folder or database file cannot be written by this user.
    read_only: bool,
    /// Held while the workspace is open, so that a restore cannot replace it underneath.
    _lock: backup::OpenLock,
}

impl std::fmt::Debug for Workspace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workspace")
            .field("root", &self.root)
            .finish()
    }
}

impl Workspace {
    /// Creates a workspace in `root` (the folder is created if missing, and may exist if it
    /// holds no workspace yet), with the default claims-and-sources schema.
    pub fn init(root: impl AsRef<Path>) -> Result<Workspace> {
        let root = root.as_ref();
        if root.join(DB_FILE).exists() {
            return Err(Error::WorkspaceExists { path: root.into() });
        }
        std::fs::create_dir_all(root).map_err(|e| Error::io(root, e))?;
        let mut ws = Self::connect(root)?;
        let tx = ws.conn.transaction()?;
        tx.execute(
            "INSERT INTO workspace_meta(key, value) VALUES ('created_at', ?1), ('schema_version', '1')",
            params![crate::clock::now()],
        )?;
        schema::install(&tx, &default_schema())?;
        tx.commit()?;
        Ok(ws)
    }

    /// Opens the workspace in `root`, upgrading its database if an older Parallax made it.
    pub fn open(root: impl AsRef<Path>) -> Result<Workspace> {
        let root = root.as_ref();
        if !root.join(DB_FILE).is_file() {
            return Err(Error::NotAWorkspace { path: root.into() });
        }
        Self::connect(root)
    }

    /// Opens the workspace in `root`, creating it first if there is none.
    pub fn open_or_init(root: impl AsRef<Path>) -> Result<Workspace> {
        let root = root.as_ref();
        if root.join(DB_FILE).is_file() {
            Self::open(root)
        } else {
            Self::init(root)
        }
    }

    fn connect(root: &Path) -> Result<Workspace> {
        let lock = backup::lock_shared(root)?;
        let db_path = root.join(DB_FILE);
        let read_only = db_path.exists() && !writable(root, &db_path);
        let mut conn = if read_only {
            // SQLite cannot make the write-ahead log's index beside a database in a folder it
            // cannot write: `immutable` reads the file as it is, which is whole only when no
            // changes wait in the log. With some waiting (a crash, or the owner at work), the
            // log is read through its index, which must then be there.
            let wal = root.join(format!("{DB_FILE}-wal"));
            let pending = wal.metadata().is_ok_and(|m| m.len() > 0);
            let mode = if pending { "mode=ro" } else { "immutable=1" };
            Connection::open_with_flags(
                format!("file:{}?{mode}", uri_path(&db_path)),
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI,
            )?
        } else {
            Connection::open(&db_path)?
        };
        conn.busy_timeout(Duration::from_secs(10))?;
        history::add_history_changes_function(&conn)?;
        if !read_only {
            // WAL for concurrent readers; FULL sync so that a saved annotation survives power loss.
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.pragma_update(None, "synchronous", "FULL")?;
        }
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // 64 MiB of page cache (the default is 2 MiB): an import that touches the span indexes
        // of many documents in one transaction otherwise spills and rewrites the same pages.
        conn.pragma_update(None, "cache_size", -65_536)?;
        // Savepoints and statement journals (edits; an import retried a document at a time)
        // keep their undo pages in memory, not in a temporary file written page by page.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        // Write transactions take the write lock when they begin, so that one waiting for another
        // connection (the indexer, an import, the CLI) waits out the busy timeout instead of
        // failing with "database is locked" when its read snapshot turns out stale.
        // Read-only, a write fails with `Error::ReadOnly` when it is tried; reads in a
        // transaction still work.
        if !read_only {
            conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
        }
        if read_only && migrations::needs_upgrade(&conn)? {
            return Err(Error::ReadOnlyNeedsUpgrade { path: root.into() });
        }
        migrations::upgrade(&mut conn, root)?;
        conn.set_prepared_statement_cache_capacity(64);
        Ok(Workspace {
            root: root.to_path_buf(),
            conn,
            read_only,
            _lock: lock,
        })
    }

    /// Whether the workspace was opened read-only (its folder or database cannot be written).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn db_path(&self) -> PathBuf {
        self.root.join(DB_FILE)
    }

    pub fn index_dir(&self) -> PathBuf {
        self.root.join(INDEX_DIR)
    }

    /// The workspace's name: its folder's name.
    pub fn name(&self) -> String {
        workspace_name(&self.root)
    }

    pub fn info(&self) -> Result<WorkspaceInfo> {
        Ok(WorkspaceInfo {
            name: self.name(),
            path: self.root.to_string_lossy().into_owned(),
            document_count: self.document_count()?,
            read_only: self.read_only,
        })
    }

    /// Direct access to the database, for the engine's own modules.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

/// Whether this process can write the database file and make files beside it (the write-ahead
/// log, the lock, snapshots), tried rather than read from the permission bits.
fn writable(root: &Path, db: &Path) -> bool {
    let probe = root.join(".parallax-write-probe");
    let folder = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&probe)
        .is_ok();
    if folder {
        let _ = std::fs::remove_file(&probe);
    }
    folder && std::fs::OpenOptions::new().append(true).open(db).is_ok()
}

/// A path as the path of an SQLite `file:` URI: everything but unreserved characters and `/`
/// percent-encoded.
fn uri_path(path: &Path) -> String {
    let mut out = String::new();
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The name of the workspace in `root`: its folder's name.
pub fn workspace_name(root: &Path) -> String {
    root.canonicalize()
        .unwrap_or_else(|_| root.to_path_buf())
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "workspace".into())
}

/// Environment variable naming who makes changes (the CLI's `--annotator` and the app).
pub const ANNOTATOR_ENV: &str = "PARALLAX_ANNOTATOR";

/// Who makes changes when nobody said: `$PARALLAX_ANNOTATOR`, else the login name (`$USER`),
/// else "anonymous".
pub fn current_annotator() -> String {
    [ANNOTATOR_ENV, "USER"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "anonymous".into())
}

/// The id of the annotator with this name, created on first use.
/// Every row of a small table (annotators, schema entries) by id: its name.
pub(crate) fn names(conn: &Connection, table: &str) -> Result<HashMap<i64, Arc<str>>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT id, name FROM {table}"))?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, Arc::from(r.get::<_, String>(1)?))))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A workspace setting kept in `workspace_meta`, if it was ever set.
pub(crate) fn setting(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM workspace_meta WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

/// Sets a workspace setting in `workspace_meta`.
pub(crate) fn set_setting(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO workspace_meta(key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}

/// An annotator's name as stored: trimmed, and `anonymous` for none.
pub(crate) fn annotator_name(name: &str) -> &str {
    let name = name.trim();
    if name.is_empty() { "anonymous" } else { name }
}

pub(crate) fn annotator_id(tx: &Connection, name: &str) -> Result<i64> {
    let name = annotator_name(name);
    if let Some(id) = tx
        .prepare_cached("SELECT id FROM annotators WHERE name = ?1")?
        .query_row([name], |r| r.get(0))
        .optional()?
    {
        return Ok(id);
    }
    tx.prepare_cached("INSERT INTO annotators(name, created_at) VALUES (?1, ?2)")?
        .execute(params![name, crate::clock::now()])?;
    Ok(tx.last_insert_rowid())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_then_open_keeps_the_default_schema() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::init(dir.path()).unwrap();
        assert_eq!(ws.schema().unwrap(), default_schema());
        drop(ws);
        let ws = Workspace::open(dir.path()).unwrap();
        let schema = ws.schema().unwrap();
        let names: Vec<_> = schema.span_labels.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "CLAIM",
                "SOURCE",
                "CUE",
                "QUANTITY",
                "EVIDENCE",
                "BOILERPLATE"
            ]
        );
    }

    #[test]
    fn init_refuses_an_existing_workspace() {
        let dir = tempfile::tempdir().unwrap();
        Workspace::init(dir.path()).unwrap();
        let err = Workspace::init(dir.path()).unwrap_err();
        assert!(matches!(err, Error::WorkspaceExists { .. }), "{err}");
    }

    #[test]
    fn open_refuses_a_folder_without_a_workspace() {
        let dir = tempfile::tempdir().unwrap();
        let err = Workspace::open(dir.path()).unwrap_err();
        assert!(matches!(err, Error::NotAWorkspace { .. }));
        assert!(err.to_string().contains("parallax init"));
        assert!(
            !dir.path().join(DB_FILE).exists(),
            "open must not create a database"
        );
    }

    #[test]
    fn database_runs_in_wal_mode_with_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::init(dir.path()).unwrap();
        let mode: String = ws
            .conn()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = ws
            .conn()
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
    }
}
