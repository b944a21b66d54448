//! Helpers shared by the integration tests.
// Each test crate compiles this module and uses only some of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use parallax_core::Workspace;
use parallax_core::import::{ImportOptions, ImportProgress, ImportReport};

/// The rows of the workspace at `root` whose references do not resolve
/// (`PRAGMA foreign_key_check`, as `table rowid -> parent`): an import stores with the
/// checks off, its references right by construction.
pub fn broken_references(root: &Path) -> Vec<String> {
    let conn = database(root);
    let mut stmt = conn.prepare("PRAGMA foreign_key_check").unwrap();
    stmt.query_map([], |r| {
        Ok(format!(
            "{} {:?} -> {}",
            r.get::<_, String>(0)?,
            r.get::<_, Option<i64>>(1)?,
            r.get::<_, String>(2)?
        ))
    })
    .unwrap()
    .collect::<Result<Vec<_>, _>>()
    .unwrap()
}

/// A connection of its own to the database of the workspace at `root`, for what the tests
/// set up or check behind the workspace's back.
pub fn database(root: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(root.join(parallax_core::store::DB_FILE)).unwrap()
}

/// The text of document `i` of [`labelled_dataset`], with its two spans (code points).
pub fn labelled_text(i: usize) -> (String, [(usize, usize, &'static str); 2]) {
    let text = format!("Report {i}: the ministry said that units {i} had returned to base.");
    let at = |needle: &str| {
        let byte = text.find(needle).unwrap();
        let start = text[..byte].chars().count();
        (start, start + needle.chars().count())
    };
    let source = at("the ministry");
    let claim = at(&format!("units {i} had returned to base"));
    (
        text.clone(),
        [(source.0, source.1, "SOURCE"), (claim.0, claim.1, "CLAIM")],
    )
}

/// A doccano JSONL file of `n` short documents, each with a SOURCE and a CLAIM span.
pub fn labelled_dataset(dir: &Path, n: usize) -> PathBuf {
    let path = dir.join(format!("labelled-{n}.jsonl"));
    let mut out = String::new();
    for i in 0..n {
        let (text, spans) = labelled_text(i);
        let label: Vec<_> = spans
            .iter()
            .map(|&(s, e, l)| serde_json::json!([s, e, l]))
            .collect();
        out.push_str(&serde_json::json!({"text": text, "label": label}).to_string());
        out.push('\n');
    }
    std::fs::write(&path, out).unwrap();
    path
}

/// Imports `paths` into `ws`, setting the cancel flag from the progress callback as soon as
/// `stop` says so: a cancellation in the middle of the run, not before it starts.
pub fn import_cancelled_when(
    ws: &mut Workspace,
    paths: &[PathBuf],
    stop: impl Fn(&ImportProgress) -> bool,
) -> ImportReport {
    let cancel = AtomicBool::new(false);
    ws.import_paths(paths, &ImportOptions::default(), Some(&cancel), &mut |p| {
        if stop(p) {
            cancel.store(true, Ordering::Relaxed);
        }
    })
    .unwrap()
}
