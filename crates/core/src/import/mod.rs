//! Import of text files and folders. Files are read and parsed in parallel, then stored in
//! batches; each file is stored whole or not at all, a bad file is reported by path with its
//! reason and never stops the others, and a file whose bytes are already in the workspace is
//! reported as a duplicate.

pub mod decode;
pub mod header;
pub mod text;
pub mod unwrap;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use serde::Serialize;
use ts_rs::TS;

pub use text::{TextOptions, document_from_bytes};

use crate::error::Result;
use crate::store::{NewDocument, Workspace};

/// Files over this size are refused: news articles are kilobytes, not tens of megabytes.
pub const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;

/// Files parsed in parallel and stored in one transaction.
const BATCH: usize = 512;

/// A file that was imported.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Imported {
    pub path: PathBuf,
    pub doc_id: String,
}

/// A file whose content is already in the workspace.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Duplicate {
    pub path: PathBuf,
    /// The document that already has this content.
    pub existing_doc_id: String,
}

/// A file that could not be imported, and why.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Failure {
    pub path: PathBuf,
    pub reason: String,
}

/// What an import did, file by file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub imported: Vec<Imported>,
    pub duplicates: Vec<Duplicate>,
    pub failed: Vec<Failure>,
    /// The import was cancelled; the files listed above were handled before that.
    pub cancelled: bool,
}

/// Progress of a long import.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImportProgress {
    pub files_done: usize,
    pub files_total: usize,
    #[ts(type = "number")]
    pub bytes_done: u64,
    #[ts(type = "number")]
    pub bytes_total: u64,
}

/// One file to import and the name it is stored under.
#[derive(Debug, Clone)]
struct Entry {
    path: PathBuf,
    /// Relative to the folder given, or the file name for a file given directly.
    name: String,
    size: u64,
}

/// Every file under the given paths, folders walked recursively in name order; hidden files
/// and folders (dot names) skipped. Paths that do not exist are failures.
fn collect(paths: &[PathBuf], failed: &mut Vec<Failure>) -> Vec<Entry> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<Entry>, failed: &mut Vec<Failure>) {
        let mut children = match std::fs::read_dir(dir) {
            Ok(rd) => rd
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .collect::<Vec<_>>(),
            Err(e) => {
                failed.push(Failure {
                    path: dir.into(),
                    reason: format!("cannot read the folder: {e}"),
                });
                return;
            }
        };
        children.sort();
        for child in children {
            let hidden = child
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if hidden {
                continue;
            }
            if child.is_dir() {
                walk(&child, base, out, failed);
            } else if let Ok(md) = child.metadata() {
                let name = child
                    .strip_prefix(base)
                    .unwrap_or(&child)
                    .to_string_lossy()
                    .into_owned();
                out.push(Entry {
                    path: child,
                    name,
                    size: md.len(),
                });
            }
        }
    }
    let mut out = Vec::new();
    for path in paths {
        match path.metadata() {
            Ok(md) if md.is_dir() => walk(path, path, &mut out, failed),
            Ok(md) => out.push(Entry {
                path: path.clone(),
                name: path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                size: md.len(),
            }),
            Err(e) => failed.push(Failure {
                path: path.clone(),
                reason: format!("cannot open: {e}"),
            }),
        }
    }
    out
}

fn parse(entry: &Entry, opts: &TextOptions) -> Result<NewDocument, String> {
    if entry.size > MAX_FILE_BYTES {
        return Err(format!(
            "too large ({:.1} MB; the limit is {} MB)",
            entry.size as f64 / 1e6,
            MAX_FILE_BYTES / 1024 / 1024
        ));
    }
    let bytes = std::fs::read(&entry.path).map_err(|e| format!("cannot read: {e}"))?;
    document_from_bytes(&bytes, &entry.name, opts)
}

impl Workspace {
    /// Imports text files and folders. `progress` is called after every file; setting `cancel`
    /// stops the import after the batch in hand (every file before it stays imported).
    pub fn import_paths(
        &mut self,
        paths: &[PathBuf],
        opts: &TextOptions,
        cancel: Option<&AtomicBool>,
        progress: &mut dyn FnMut(&ImportProgress),
    ) -> Result<ImportReport> {
        let mut report = ImportReport::default();
        let entries = collect(paths, &mut report.failed);
        let mut state = ImportProgress {
            files_done: 0,
            files_total: entries.len(),
            bytes_done: 0,
            bytes_total: entries.iter().map(|e| e.size).sum(),
        };
        progress(&state);
        for batch in entries.chunks(BATCH) {
            if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                report.cancelled = true;
                break;
            }
            let parsed: Vec<Result<NewDocument, String>> =
                batch.par_iter().map(|e| parse(e, opts)).collect();
            self.store_batch(batch, parsed, &mut report, &mut state, progress)?;
        }
        Ok(report)
    }

    fn store_batch(
        &mut self,
        batch: &[Entry],
        parsed: Vec<Result<NewDocument, String>>,
        report: &mut ImportReport,
        state: &mut ImportProgress,
        progress: &mut dyn FnMut(&ImportProgress),
    ) -> Result<()> {
        let now = crate::clock::now();
        let mut tx = self.conn_mut().transaction()?;
        let mut outcomes = Vec::with_capacity(batch.len());
        for doc in parsed {
            let outcome = match doc {
                Err(reason) => Outcome::Failed(reason),
                Ok(doc) => match crate::store::documents_id_by_sha256(&tx, &doc.sha256)? {
                    Some(existing) => Outcome::Duplicate(existing),
                    None => {
                        // A savepoint per file: a file is stored whole or not at all.
                        let sp = tx.savepoint()?;
                        match crate::store::documents_insert(&sp, &doc, &now) {
                            Ok(id) => {
                                sp.commit()?;
                                Outcome::Imported(id)
                            }
                            Err(e) => Outcome::Failed(format!("cannot be stored: {e}")),
                        }
                    }
                },
            };
            outcomes.push(outcome);
        }
        tx.commit()?;
        // Reported only once the batch is on disk.
        for (entry, outcome) in batch.iter().zip(outcomes) {
            let path = entry.path.clone();
            match outcome {
                Outcome::Imported(doc_id) => report.imported.push(Imported { path, doc_id }),
                Outcome::Duplicate(existing_doc_id) => report.duplicates.push(Duplicate {
                    path,
                    existing_doc_id,
                }),
                Outcome::Failed(reason) => report.failed.push(Failure { path, reason }),
            }
            state.files_done += 1;
            state.bytes_done += entry.size;
            progress(state);
        }
        Ok(())
    }
}

enum Outcome {
    Imported(String),
    Duplicate(String),
    Failed(String),
}
