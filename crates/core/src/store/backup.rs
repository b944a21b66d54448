//! Snapshots of a workspace's database in its `backups/` folder: taken before every migration,
//! at most one a day while the app is used, and on demand; the newest N kept (a workspace
//! setting). A restore refuses while any Parallax has the workspace open, keeps a snapshot of
//! what it replaces, and leaves the search index to be rebuilt.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use serde::Serialize;
use ts_rs::TS;

use super::{DB_FILE, INDEX_DIR, Workspace};
use crate::error::{Error, Result};

/// Folder of the snapshots inside a workspace folder.
pub const BACKUP_DIR: &str = "backups";

/// Snapshots kept when the workspace names no number.
pub const DEFAULT_KEPT: usize = 10;

const KEPT_KEY: &str = "backups_kept";

/// The file every open workspace holds a shared lock on, and a restore an exclusive one.
const LOCK_FILE: &str = ".parallax.lock";

/// Length of a snapshot's time stamp, `2026-12-02T063000.123Z`.
const STAMP_LEN: usize = 22;

/// One snapshot of the database.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Snapshot {
    pub path: PathBuf,
    /// When it was taken (UTC), as `2026-12-02T06:30:00.123Z`.
    pub taken_at: String,
    /// Why: `manual`, `daily`, `before-migration-v2-to-v3`, `before-restore`.
    pub reason: String,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// A shared lock on a workspace, held as long as a [`Workspace`] is open.
#[derive(Debug)]
pub(crate) struct OpenLock(#[allow(dead_code)] Option<File>);

/// Takes the shared lock of the workspace in `root`. A folder where the lock file cannot be
/// made (read-only) is opened without one: nothing can be restored into it either.
pub(crate) fn lock_shared(root: &Path) -> Result<OpenLock> {
    // A shared lock needs no write access: a user who cannot write the folder still holds one
    // on the lock file an earlier open made.
    let Ok(file) = open_lock_file(root).or_else(|_| File::open(root.join(LOCK_FILE))) else {
        return Ok(OpenLock(None));
    };
    match file.try_lock_shared() {
        Ok(()) => Ok(OpenLock(Some(file))),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::RestoreUnderWay {
            path: root.to_path_buf(),
        }),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::io(root.join(LOCK_FILE), e)),
    }
}

fn open_lock_file(root: &Path) -> std::io::Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(root.join(LOCK_FILE))
}

/// `2026-12-02T06:30:00.123Z` as it can stand in a file name: `2026-12-02T063000.123Z`.
fn stamp_of(taken_at: &str) -> String {
    taken_at.replace(':', "")
}

fn taken_at_of(stamp: &str) -> Option<String> {
    // 2026-12-02T063000.123Z -> 2026-12-02T06:30:00.123Z
    let (day, rest) = stamp.split_once('T')?;
    let (hms, ms) = rest.split_once('.')?;
    (hms.len() == 6 && hms.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{day}T{}:{}:{}.{ms}", &hms[..2], &hms[2..4], &hms[4..]))
}

/// The snapshot a file of the backups folder is, if it is one (`STAMP-REASON.db`).
fn snapshot_at(path: &Path) -> Option<Snapshot> {
    let name = path.file_name()?.to_str()?.strip_suffix(".db")?;
    let stamp = name.get(..STAMP_LEN)?;
    let reason = name.get(STAMP_LEN..)?.strip_prefix('-')?;
    Some(Snapshot {
        path: path.to_path_buf(),
        taken_at: taken_at_of(stamp)?,
        reason: reason.to_string(),
        bytes: path.metadata().ok()?.len(),
    })
}

/// The snapshots in `dir`, oldest first.
fn list(dir: &Path) -> Result<Vec<Snapshot>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let mut found: Vec<Snapshot> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| snapshot_at(&e.path()))
        .collect();
    found.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(found)
}

/// Writes a consistent copy of the database `conn` has open into `dir`: `VACUUM INTO` a
/// partial file, synced, then renamed, so that a snapshot in the folder is always whole.
pub(crate) fn take(conn: &Connection, dir: &Path, reason: &str) -> Result<Snapshot> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let path = unused_name(dir, reason);
    let partial = path.with_extension("db.partial");
    let _ = std::fs::remove_file(&partial);
    conn.execute("VACUUM INTO ?1", params![partial.to_string_lossy()])?;
    File::open(&partial)
        .and_then(|f| f.sync_all())
        .and_then(|()| std::fs::rename(&partial, &path))
        .and_then(|()| File::open(dir)?.sync_all())
        .map_err(|e| Error::io(&path, e))?;
    snapshot_at(&path).ok_or_else(|| Error::BadSnapshot {
        path: path.clone(),
        reason: "written under a name it cannot be listed by".into(),
    })
}

/// A snapshot of the workspace in `root` by its file name in `backups/`, or a path to one.
pub fn find(root: &Path, name_or_path: &Path) -> PathBuf {
    let inside = root.join(BACKUP_DIR).join(name_or_path);
    if name_or_path.components().count() == 1 && inside.is_file() {
        inside
    } else {
        name_or_path.to_path_buf()
    }
}

/// Checks that `path` is a whole Parallax database this build can open.
fn check_snapshot(path: &Path) -> Result<()> {
    let bad = |reason: String| Error::BadSnapshot {
        path: path.to_path_buf(),
        reason,
    };
    if !path.is_file() {
        return Err(bad("no such file".into()));
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| bad(e.to_string()))?;
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| bad(format!("not an SQLite database ({e})")))?;
    if check != "ok" {
        return Err(bad(format!("the integrity check says {check}")));
    }
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let has_documents: Option<String> = conn
        .query_row(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'documents'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if version < 1 || has_documents.is_none() {
        return Err(bad("not a Parallax workspace's database".into()));
    }
    if version > super::migrations::LATEST {
        return Err(bad(format!(
            "written by a newer Parallax (schema version {version}, this one knows up to {})",
            super::migrations::LATEST
        )));
    }
    Ok(())
}

/// Puts `snapshot` in place of the database of the workspace in `root`, which no Parallax may
/// have open. What it replaces is kept as a `before-restore` snapshot; the search index is
/// removed, to be rebuilt on the next open. Returns that snapshot.
pub fn restore(root: &Path, snapshot: &Path) -> Result<Snapshot> {
    let db = root.join(DB_FILE);
    if !db.is_file() {
        return Err(Error::NotAWorkspace { path: root.into() });
    }
    check_snapshot(snapshot)?;
    let lock = open_lock_file(root).map_err(|e| Error::io(root.join(LOCK_FILE), e))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            return Err(Error::WorkspaceInUse { path: root.into() });
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(Error::io(root.join(LOCK_FILE), e)),
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |e| Error::io(path, e)
    };
    // What is there now, kept; then everything in its write-ahead log moved into the file, so
    // that removing the log loses nothing even if the restore stops half-way. A database too
    // damaged to copy through SQLite (when a restore is most needed) is kept as its files.
    let dir = root.join(BACKUP_DIR);
    let kept = {
        let conn = Connection::open(&db)?;
        match take(&conn, &dir, "before-restore") {
            Ok(kept) => {
                // Whoever else still reads or writes it (an older Parallax, an sqlite3 shell,
                // neither holding our lock) keeps the checkpoint from finishing.
                let busy: i64 =
                    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
                if busy != 0 {
                    return Err(Error::WorkspaceInUse { path: root.into() });
                }
                kept
            }
            Err(e) => {
                tracing::warn!("{}: kept as files, not through SQLite: {e}", db.display());
                copy_files(&db, &dir)?
            }
        }
    };
    // The index goes first: a restore cut short must not leave it beside the restored database.
    let index = root.join(INDEX_DIR);
    if index.exists() {
        std::fs::remove_dir_all(&index).map_err(io(&index))?;
    }
    let incoming = root.join(format!("{DB_FILE}.restoring"));
    std::fs::copy(snapshot, &incoming).map_err(io(&incoming))?;
    File::open(&incoming)
        .and_then(|f| f.sync_all())
        .map_err(io(&incoming))?;
    for side in ["-wal", "-shm"] {
        let file = root.join(format!("{DB_FILE}{side}"));
        match std::fs::remove_file(&file) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(Error::io(file, e)),
            _ => {}
        }
    }
    std::fs::rename(&incoming, &db).map_err(io(&db))?;
    File::open(root)
        .and_then(|d| d.sync_all())
        .map_err(io(root))?;
    drop(lock);
    Ok(kept)
}

/// The database's files as they are (its write-ahead log beside it, under the name SQLite
/// looks for), for a database SQLite cannot copy.
fn copy_files(db: &Path, dir: &Path) -> Result<Snapshot> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let path = unused_name(dir, "before-restore-files");
    std::fs::copy(db, &path).map_err(|e| Error::io(&path, e))?;
    let wal = db.with_file_name(format!("{DB_FILE}-wal"));
    if wal.exists() {
        let beside = PathBuf::from(format!("{}-wal", path.display()));
        std::fs::copy(&wal, &beside).map_err(|e| Error::io(&beside, e))?;
    }
    snapshot_at(&path).ok_or_else(|| Error::BadSnapshot {
        path: path.clone(),
        reason: "written under a name it cannot be listed by".into(),
    })
}

/// A snapshot's path in `dir` that no file has: the time stamp taken again until it is new,
/// so that names sort as the snapshots were taken.
fn unused_name(dir: &Path, reason: &str) -> PathBuf {
    loop {
        let path = dir.join(format!("{}-{reason}.db", stamp_of(&crate::clock::now())));
        if !path.exists() {
            return path;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

impl Workspace {
    pub fn backup_dir(&self) -> PathBuf {
        self.root().join(BACKUP_DIR)
    }

    /// Takes a snapshot now, then keeps only the newest [`Workspace::backups_kept`].
    pub fn backup(&self, reason: &str) -> Result<Snapshot> {
        let snapshot = take(self.conn(), &self.backup_dir(), reason)?;
        self.prune_backups()?;
        Ok(snapshot)
    }

    /// The snapshots, oldest first.
    pub fn backups(&self) -> Result<Vec<Snapshot>> {
        list(&self.backup_dir())
    }

    /// How many snapshots are kept.
    pub fn backups_kept(&self) -> Result<usize> {
        Ok(super::setting(self.conn(), KEPT_KEY)?
            .and_then(|v| v.parse().ok())
            .filter(|&n| n > 0)
            .unwrap_or(DEFAULT_KEPT))
    }

    /// Sets how many snapshots are kept (at least one), and drops the older ones now.
    pub fn set_backups_kept(&mut self, kept: usize) -> Result<()> {
        if kept == 0 {
            return Err(Error::InvalidSetting(
                "keep at least one snapshot (0 would delete them all)".into(),
            ));
        }
        super::set_setting(self.conn(), KEPT_KEY, &kept.to_string())?;
        self.prune_backups()
    }

    /// Today's snapshot, if none was taken today (UTC) yet: the app calls this when it opens
    /// a workspace, so that a day of work is never more than a day old in `backups/`.
    pub fn daily_backup(&self) -> Result<Option<Snapshot>> {
        let today = crate::clock::now()
            .get(..10)
            .unwrap_or_default()
            .to_string();
        if self
            .backups()?
            .iter()
            .any(|s| s.taken_at.starts_with(&today))
        {
            return Ok(None);
        }
        self.backup("daily").map(Some)
    }

    fn prune_backups(&self) -> Result<()> {
        let kept = self.backups_kept()?;
        let all = self.backups()?;
        for old in all.iter().take(all.len().saturating_sub(kept)) {
            std::fs::remove_file(&old.path).map_err(|e| Error::io(&old.path, e))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_name_reads_back_as_taken() {
        let dir = tempfile::tempdir().unwrap();
        let taken_at = "2026-12-02T06:30:00.123Z";
        let path = dir.path().join(format!(
            "{}-before-migration-v2-to-v3.db",
            stamp_of(taken_at)
        ));
        std::fs::write(&path, b"x").unwrap();
        let got = snapshot_at(&path).unwrap();
        assert_eq!(got.taken_at, taken_at);
        assert_eq!(got.reason, "before-migration-v2-to-v3");
        assert_eq!(got.bytes, 1);
        // Other files of the folder are not snapshots.
        for other in ["notes.db", "2026-12-02T0630.1Z-x.db", "x.db.partial"] {
            std::fs::write(dir.path().join(other), b"x").unwrap();
            assert_eq!(snapshot_at(&dir.path().join(other)), None, "{other}");
        }
        assert_eq!(list(dir.path()).unwrap(), [got]);
    }
}
