//! Snapshots of a real workspace: taken, kept N at a time, restored whole while nothing has the
//! workspace open, refused when bad, with the search index rebuilt after a restore.

use std::fs;

use parallax_core::search::{Page, SearchIndex, SortBy, SyncOutcome};
use parallax_core::store::NewDocument;
use parallax_core::store::backup::{self, BACKUP_DIR};
use parallax_core::{Error, Workspace};

fn doc(text: &str) -> NewDocument {
    NewDocument {
        text: text.into(),
        meta: Default::default(),
        sha256: parallax_core::text::sha256_hex(text.as_bytes()),
    }
}

fn titles(ws: &Workspace) -> Vec<String> {
    let mut texts: Vec<String> = ws
        .document_ids()
        .unwrap()
        .iter()
        .map(|id| ws.document(id).unwrap().text)
        .collect();
    texts.sort();
    texts
}

#[test]
fn a_restore_brings_back_the_snapshot_and_keeps_what_it_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("ws");
    let mut ws = Workspace::init(&root).unwrap();
    ws.insert_document(&doc("Troops return to base, the ministry said."))
        .unwrap();
    let snapshot = ws.backup("manual").unwrap();
    assert_eq!(snapshot.reason, "manual");
    assert!(snapshot.path.starts_with(root.join(BACKUP_DIR)));
    ws.insert_document(&doc("A second text, after the snapshot."))
        .unwrap();
    SearchIndex::open(&ws, &mut |_| {}).unwrap();
    assert!(root.join("index").exists());

    // Refused while the workspace is open, and nothing changes.
    let err = backup::restore(&root, &snapshot.path).unwrap_err();
    assert!(matches!(err, Error::WorkspaceInUse { .. }), "{err}");
    assert!(err.to_string().contains("close it"), "{err}");
    assert_eq!(titles(&ws).len(), 2);
    drop(ws);

    let kept = backup::restore(&root, &snapshot.path).unwrap();
    assert_eq!(kept.reason, "before-restore");
    assert!(!root.join("index").exists());
    let ws = Workspace::open(&root).unwrap();
    assert_eq!(titles(&ws), ["Troops return to base, the ministry said."]);
    let (index, outcome) = SearchIndex::open(&ws, &mut |_| {}).unwrap();
    assert!(matches!(outcome, SyncOutcome::Rebuilt(_)), "{outcome:?}");
    let hits = index
        .search_documents(&ws, "second", Page::default(), SortBy::Relevance)
        .unwrap();
    assert_eq!(hits.total, 0);
    drop((index, ws));

    // What the restore replaced can be restored in turn: nothing was lost.
    backup::restore(&root, &kept.path).unwrap();
    let ws = Workspace::open(&root).unwrap();
    assert_eq!(titles(&ws).len(), 2);
    assert_eq!(ws.problems().unwrap(), Vec::<String>::new());
}

#[test]
fn a_bad_snapshot_is_refused_and_the_workspace_left_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("ws");
    let mut ws = Workspace::init(&root).unwrap();
    ws.insert_document(&doc("Kept as it is.")).unwrap();
    let good = ws.backup("manual").unwrap();
    drop(ws);
    let junk = tmp.path().join("junk.db");
    fs::write(&junk, b"not a database at all, only text").unwrap();
    let truncated = tmp.path().join("truncated.db");
    let bytes = fs::read(&good.path).unwrap();
    fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let other = tmp.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t(x); PRAGMA user_version = 1;")
        .unwrap();
    for (bad, why) in [
        (tmp.path().join("missing.db"), "no such file"),
        (junk, "not an SQLite database"),
        (truncated, "not a usable snapshot"),
        (other, "not a Parallax workspace"),
    ] {
        let err = backup::restore(&root, &bad).unwrap_err();
        assert!(
            matches!(err, Error::BadSnapshot { .. }),
            "{}: {err}",
            bad.display()
        );
        assert!(err.to_string().contains(why), "{err}");
    }
    let ws = Workspace::open(&root).unwrap();
    assert_eq!(titles(&ws), ["Kept as it is."]);
    // Nothing was written into the folder by the refusals.
    assert_eq!(ws.backups().unwrap().len(), 1);
}

#[test]
fn only_the_newest_snapshots_are_kept_and_one_a_day() {
    let tmp = tempfile::tempdir().unwrap();
    let mut ws = Workspace::init(tmp.path().join("ws")).unwrap();
    assert_eq!(ws.backups_kept().unwrap(), backup::DEFAULT_KEPT);
    ws.set_backups_kept(3).unwrap();
    let taken: Vec<_> = (0..5).map(|_| ws.backup("manual").unwrap()).collect();
    let left = ws.backups().unwrap();
    assert_eq!(left, taken[2..]);
    assert!(ws.set_backups_kept(0).is_err());
    assert_eq!(ws.backups_kept().unwrap(), 3);

    // The daily snapshot is taken once: today has one already after the first.
    let tmp = tempfile::tempdir().unwrap();
    let ws = Workspace::init(tmp.path().join("ws")).unwrap();
    let first = ws.daily_backup().unwrap().unwrap();
    assert_eq!(first.reason, "daily");
    assert_eq!(ws.daily_backup().unwrap(), None);
    // A file left half-written by a crash is not a snapshot.
    fs::write(ws.backup_dir().join("x.db.partial"), b"half").unwrap();
    assert_eq!(ws.backups().unwrap(), [first]);
}
