//! A full disk while importing and annotating, made with SQLite's `max_page_count` on the
//! workspace's own connection: a clear error, nothing half-written, and the workspace works
//! again once there is room.

use super::ImportOptions;
use crate::error::Error;
use crate::store::{NewSpan, Workspace};

/// Lets the database grow by `pages` pages at most from its size now.
fn fill_up(ws: &Workspace, pages: i64) {
    let used: i64 = ws
        .conn()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    ws.conn()
        .query_row(
            &format!("PRAGMA max_page_count = {}", used + pages),
            [],
            |_| Ok(()),
        )
        .unwrap();
}

fn room(ws: &Workspace) {
    ws.conn()
        .query_row("PRAGMA max_page_count = 1073741823", [], |_| Ok(()))
        .unwrap();
}

fn dataset(dir: &std::path::Path, n: usize) -> std::path::PathBuf {
    let path = dir.join("labelled.jsonl");
    let lines: Vec<String> = (0..n)
        .map(|i| {
            let text = format!(
                "Report {i}: the ministry said that units {i} had returned. {}",
                "Filler words. ".repeat(40)
            );
            serde_json::json!({"text": text, "label": [[11, 23, "SOURCE"], [34, 45, "CLAIM"]]})
                .to_string()
        })
        .collect();
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

#[test]
fn a_full_disk_during_an_import_leaves_every_document_whole_or_absent() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::init(dir.path().join("ws")).unwrap();
    let file = dataset(dir.path(), 600);
    fill_up(&ws, 40);
    // The import stops with the error, instead of reporting every later document as failed.
    let err = ws
        .import_paths(
            std::slice::from_ref(&file),
            &ImportOptions::default(),
            None,
            &mut |_| {},
        )
        .unwrap_err();
    assert!(matches!(err, Error::DiskFull), "{err}");
    let stored = ws.document_count().unwrap();
    assert!(stored < 600, "{stored} documents fit in 40 pages?");
    assert_eq!(ws.stats().unwrap().spans, 2 * stored);
    assert_eq!(ws.problems().unwrap(), Vec::<String>::new());

    // With room again, the same import completes it.
    room(&ws);
    let report = ws
        .import_paths(&[file], &ImportOptions::default(), None, &mut |_| {})
        .unwrap();
    assert_eq!(report.duplicates.len() + report.imported.len(), 600);
    assert_eq!(ws.stats().unwrap().spans, 1200);
    let root = ws.root().to_path_buf();
    drop(ws);
    assert!(
        Workspace::open(&root)
            .unwrap()
            .problems()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_full_disk_refuses_an_annotation_with_a_message_and_keeps_nothing_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::init(dir.path().join("ws")).unwrap();
    let doc = ws
        .insert_document(&crate::store::NewDocument {
            text: "The ministry said units had returned.".into(),
            meta: Default::default(),
            sha256: "f".repeat(64),
        })
        .unwrap();
    let span = |start| NewSpan {
        doc_id: doc.clone(),
        start,
        end: start + 3,
        label: "CLAIM".into(),
        ..Default::default()
    };
    fill_up(&ws, 0);
    let history = ws.stats().unwrap().history_entries;
    let err = (0..50)
        .find_map(|i| ws.add_span(span(i % 30), "ana").err())
        .expect("50 spans in no room at all");
    assert!(matches!(err, Error::DiskFull), "{err}");
    assert!(err.to_string().contains("free some space"), "{err}");
    let stats = ws.stats().unwrap();
    // What was refused left nothing: every span has its history entry and no more.
    assert_eq!(stats.history_entries - history, stats.spans);
    room(&ws);
    ws.add_span(span(0), "ana").unwrap();
    assert!(ws.problems().unwrap().is_empty());
}
