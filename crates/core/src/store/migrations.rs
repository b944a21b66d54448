//! Versioned schema migrations, kept in `crates/core/migrations/` and tracked by SQLite's
//! `user_version`. Append new files; never edit one that has shipped.

use std::path::Path;

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

use crate::error::{Error, Result};

/// The migrations in order; the ninth fills in a value computed in Rust.
fn steps() -> Vec<M<'static>> {
    vec![
        M::up(include_str!("../../migrations/0001_core.sql")),
        M::up(include_str!("../../migrations/0002_cross_source.sql")).foreign_key_check(),
        M::up(include_str!("../../migrations/0003_index_log.sql")),
        M::up(include_str!("../../migrations/0004_layers.sql")),
        M::up(include_str!("../../migrations/0005_layer_status.sql")),
        M::up(include_str!("../../migrations/0006_suggested_by.sql")),
        M::up(include_str!("../../migrations/0007_sync.sql")),
        M::up(include_str!("../../migrations/0008_required_relations.sql")),
        M::up_with_hook(
            include_str!("../../migrations/0009_derived_titles.sql"),
            fill_derived_titles,
        ),
        M::up(include_str!("../../migrations/0010_packed_history.sql")),
    ]
}

/// The schema version this build writes (`steps().len()`, which a test checks).
pub(crate) const LATEST: i64 = 10;

/// Every document's derived title, from the start of its text (the first line is all it reads).
fn fill_derived_titles(tx: &rusqlite::Transaction) -> rusqlite_migration::HookResult {
    let mut read = tx.prepare("SELECT doc_id, substr(text, 1, 4000) FROM document_texts")?;
    let mut write = tx.prepare("UPDATE documents SET derived_title = ?2 WHERE id = ?1")?;
    let rows = read.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (id, head) = row?;
        write.execute(rusqlite::params![
            id,
            crate::text::title::derived_title(&head)
        ])?;
    }
    Ok(())
}

/// Whether the database is older than this build and must be upgraded (written) to be opened.
pub(crate) fn needs_upgrade(conn: &Connection) -> Result<bool> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    Ok(found < LATEST)
}

/// Brings a database up to the latest version; refuses one written by a newer Parallax.
pub(crate) fn upgrade(conn: &mut Connection, root: &Path) -> Result<()> {
    upgrade_to(conn, root, LATEST as usize)
}

/// Upgrades to `version` only: how tests make a database as an older Parallax did.
pub(crate) fn upgrade_to(conn: &mut Connection, root: &Path, version: usize) -> Result<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > LATEST {
        return Err(Error::WorkspaceTooNew {
            path: root.to_path_buf(),
            found,
            supported: LATEST,
        });
    }
    // A database an older Parallax wrote is kept as it was before it is changed.
    if found > 0 && found < version as i64 {
        super::backup::take(
            conn,
            &root.join(super::backup::BACKUP_DIR),
            &format!("before-migration-v{found}-to-v{version}"),
        )?;
    }
    Migrations::new(steps()).to_version(conn, version)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use rusqlite::params;

    use super::*;
    use crate::store::{DB_FILE, Workspace};

    #[test]
    fn migrations_are_valid() {
        Migrations::new(steps()).validate().unwrap();
    }

    #[test]
    fn a_version_1_database_with_data_upgrades_and_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        {
            // Made as by a Parallax that only knew migration 1.
            let mut conn = Connection::open(dir.path().join(DB_FILE)).unwrap();
            conn.pragma_update(None, "foreign_keys", "ON").unwrap();
            upgrade_to(&mut conn, dir.path(), 1).unwrap();
            let tx = conn.transaction().unwrap();
            // The default schema's labels and relation types, in version 1's columns.
            tx.execute_batch(
                "INSERT INTO span_labels(name, color, hotkey, description, position)
                     VALUES ('CLAIM', '#f59e0b', '1', '', 0), ('SOURCE', '#3b82f6', '2', '', 1);
                 INSERT INTO relation_types(name, directed, description, position)
                     VALUES ('attributed_to', 1, '', 0), ('supports', 1, '', 1);",
            )
            .unwrap();
            tx.execute(
                "INSERT INTO annotators(id, name, created_at) VALUES (1, 'ana', 'x')",
                [],
            )
            .unwrap();
            tx.execute(
                "INSERT INTO documents(id, sha256, char_len, imported_at, title)
                 VALUES ('d1', 'abc', 5, 'x', 'Old doc')",
                [],
            )
            .unwrap();
            tx.execute(
                "INSERT INTO document_texts(doc_id, text) VALUES ('d1', 'hello')",
                [],
            )
            .unwrap();
            tx.execute(
                "INSERT INTO spans(id, doc_id, start, \"end\", label_id, quote, prefix, suffix,
                                   annotator_id, created_at, updated_at)
                 VALUES ('s1', 'd1', 0, 5, (SELECT id FROM span_labels WHERE name = 'CLAIM'),
                         'hello', '', '', 1, 'x', 'x')",
                [],
            )
            .unwrap();
            tx.commit().unwrap();
            let v: i64 = conn
                .pragma_query_value(None, "user_version", |r| r.get(0))
                .unwrap();
            assert_eq!(v, 1);
        }
        let ws = Workspace::open(dir.path()).unwrap();
        let v: i64 = ws
            .conn()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, LATEST);
        let spans = ws.spans("d1").unwrap();
        assert_eq!(spans.len(), 1);
        assert_eq!(spans[0].text, "hello");
        // Migration 6: a span made before suggestions were accepted says nothing proposed it.
        assert_eq!(spans[0].suggested_by, None);
        // Migration 8: the default schema's attribution is required, other relations are not.
        let required: Vec<(String, bool)> = ws
            .schema()
            .unwrap()
            .relation_types
            .into_iter()
            .map(|r| (r.name, r.required))
            .collect();
        assert_eq!(
            required,
            [
                ("attributed_to".to_string(), true),
                ("supports".to_string(), false)
            ]
        );
        // Migration 9: the old document gets its derived name, its title untouched.
        let summary = ws.document("d1").unwrap().summary;
        assert_eq!(summary.derived_title.as_deref(), Some("hello"));
        assert_eq!(summary.meta.title.as_deref(), Some("Old doc"));
        // The columns of migration 2 exist and start empty.
        let group: Option<String> = ws
            .conn()
            .query_row(
                "SELECT claim_group_id FROM spans WHERE id = ?1",
                params!["s1"],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(group, None);
        // Migration 3 queues the old documents for the search index.
        assert_eq!(
            ws.changed_since(0, ws.index_log_head().unwrap()).unwrap(),
            ["d1"]
        );
        // The database as it was is kept, once: the next open has nothing to migrate.
        let snapshots = ws.backups().unwrap();
        assert_eq!(snapshots.len(), 1, "{snapshots:?}");
        assert_eq!(
            snapshots[0].reason,
            format!("before-migration-v1-to-v{LATEST}")
        );
        let old = Connection::open(&snapshots[0].path).unwrap();
        let (v, title): (i64, String) = (
            old.pragma_query_value(None, "user_version", |r| r.get(0))
                .unwrap(),
            old.query_row("SELECT title FROM documents", [], |r| r.get(0))
                .unwrap(),
        );
        assert_eq!((v, title.as_str()), (1, "Old doc"));
        drop(ws);
        let ws = Workspace::open(dir.path()).unwrap();
        assert_eq!(ws.backups().unwrap().len(), 1);
    }

    #[test]
    fn the_latest_version_is_the_number_of_migrations() {
        assert_eq!(LATEST, steps().len() as i64);
    }

    #[test]
    fn a_database_from_a_newer_parallax_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        Workspace::init(dir.path()).unwrap();
        let db = dir.path().join(DB_FILE);
        {
            let conn = Connection::open(&db).unwrap();
            conn.pragma_update(None, "user_version", LATEST + 1)
                .unwrap();
        }
        let err = Workspace::open(dir.path()).unwrap_err();
        assert!(matches!(err, Error::WorkspaceTooNew { .. }), "{err}");
        assert!(err.to_string().contains("newer Parallax"), "{err}");
        let conn = Connection::open(&db).unwrap();
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, LATEST + 1, "the version must be left as it was");
    }
}
