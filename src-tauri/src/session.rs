//! The open workspace: its database connection for the commands, and its search index, which
//! a background thread opens (catching up or rebuilding) so that the window never waits for it.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, MutexGuard};

use parallax_core::Workspace;
use parallax_core::cross::ComparePages;
use parallax_core::search::worker::IndexWorker;
use parallax_core::search::{IndexProgress, SearchIndex};
use serde::Serialize;
use tauri::{AppHandle, Emitter};
use ts_rs::TS;

use crate::error::CommandError;
use crate::sync::Syncer;

/// Where the search index stands, as the UI shows it (event `index-status`).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
#[ts(export)]
pub enum IndexStatus {
    /// Being opened, caught up or rebuilt: `done` of `total` documents.
    Building {
        done: usize,
        total: usize,
    },
    Ready,
    Failed {
        message: String,
    },
}

enum IndexSlot {
    Building { done: usize, total: usize },
    Ready(Arc<IndexWorker>),
    Failed(String),
}

/// One open workspace.
pub struct Session {
    pub root: PathBuf,
    workspace: Mutex<Workspace>,
    index: Mutex<IndexSlot>,
    /// The compare view's last table, handed out a window of rows at a time.
    compare: Mutex<ComparePages>,
    /// Keeps the workspace in step with its team server, if it has one.
    pub syncer: Syncer,
}

fn lock<T>(m: &Mutex<T>) -> Result<MutexGuard<'_, T>, CommandError> {
    m.lock()
        .map_err(|_| CommandError::Internal("a lock was poisoned by an earlier failure".into()))
}

impl Session {
    /// Opens the workspace at `root` (creating it if `create`) and starts opening its index.
    pub fn open(app: &AppHandle, root: &Path, create: bool) -> Result<Arc<Session>, CommandError> {
        let ws = if create {
            Workspace::open_or_init(root)?
        } else {
            Workspace::open(root)?
        };
        Ok(Self::start(app, ws))
    }

    /// Wraps an open workspace and starts opening its index on a thread of its own.
    pub fn start(app: &AppHandle, ws: Workspace) -> Arc<Session> {
        let root = ws.root().to_path_buf();
        let session = Arc::new_cyclic(|me| Session {
            root: root.clone(),
            workspace: Mutex::new(ws),
            index: Mutex::new(IndexSlot::Building { done: 0, total: 0 }),
            compare: Mutex::new(ComparePages::default()),
            syncer: Syncer::start(app, root, me.clone()),
        });
        let opening = Arc::clone(&session);
        let app = app.clone();
        std::thread::spawn(move || opening.open_index(&app));
        let root = session.root.clone();
        std::thread::spawn(move || daily_backup(&root));
        session
    }

    fn open_index(&self, app: &AppHandle) {
        let mut last_emit = 0usize;
        let started = IndexWorker::start(
            &self.root,
            &mut |p| {
                if let Ok(mut slot) = self.index.lock() {
                    *slot = IndexSlot::Building {
                        done: p.done,
                        total: p.total,
                    };
                }
                // A rebuild reports every document; the UI needs a few updates a second at most.
                if p.done == p.total || p.done >= last_emit + 2_000 {
                    last_emit = p.done;
                    let _ = app.emit(
                        "index-status",
                        IndexStatus::Building {
                            done: p.done,
                            total: p.total,
                        },
                    );
                }
            },
            |outcome| {
                if let Err(e) = outcome {
                    tracing::warn!("indexing failed: {e}");
                }
            },
        );
        let status = match started {
            Ok(worker) => {
                if let Ok(mut slot) = self.index.lock() {
                    *slot = IndexSlot::Ready(Arc::new(worker));
                }
                IndexStatus::Ready
            }
            Err(e) => {
                let message = e.to_string();
                tracing::error!("cannot open the search index: {message}");
                if let Ok(mut slot) = self.index.lock() {
                    *slot = IndexSlot::Failed(message.clone());
                }
                IndexStatus::Failed { message }
            }
        };
        let _ = app.emit("index-status", status);
    }

    pub fn workspace(&self) -> Result<MutexGuard<'_, Workspace>, CommandError> {
        lock(&self.workspace)
    }

    pub fn compare_pages(&self) -> Result<MutexGuard<'_, ComparePages>, CommandError> {
        lock(&self.compare)
    }

    pub fn index_status(&self) -> Result<IndexStatus, CommandError> {
        Ok(match &*lock(&self.index)? {
            IndexSlot::Building { done, total } => IndexStatus::Building {
                done: *done,
                total: *total,
            },
            IndexSlot::Ready(_) => IndexStatus::Ready,
            IndexSlot::Failed(message) => IndexStatus::Failed {
                message: message.clone(),
            },
        })
    }

    /// The index worker, or an error saying why search is not available yet.
    pub fn index(&self) -> Result<Arc<IndexWorker>, CommandError> {
        match &*lock(&self.index)? {
            IndexSlot::Ready(worker) => Ok(Arc::clone(worker)),
            IndexSlot::Building { done, total } => Err(CommandError::IndexNotReady(format!(
                "the search index is still being built ({done} of {total} documents); \
                 search works as soon as it is done"
            ))),
            IndexSlot::Failed(message) => Err(CommandError::IndexNotReady(format!(
                "the search index could not be opened: {message}"
            ))),
        }
    }

    /// Throws the search index away and builds it again (blocking: call it off the main
    /// thread), reporting progress. Cancelled, it leaves search unavailable until the next
    /// rebuild (or the next start, which rebuilds an index without a commit).
    pub fn reindex(
        &self,
        app: &AppHandle,
        cancel: &AtomicBool,
        progress: &mut dyn FnMut(IndexProgress),
    ) -> Result<(), CommandError> {
        let old = {
            let mut slot = lock(&self.index)?;
            if matches!(*slot, IndexSlot::Building { .. }) {
                return Err(CommandError::Refused(
                    "the search index is being built already".into(),
                ));
            }
            std::mem::replace(&mut *slot, IndexSlot::Building { done: 0, total: 0 })
        };
        // The old worker indexes what it has pending, then stops.
        drop(old);
        let _ = app.emit("index-status", IndexStatus::Building { done: 0, total: 0 });
        let rebuilt = Workspace::open(&self.root).and_then(|ws| {
            SearchIndex::rebuild_cancellable(&ws, Some(cancel), &mut |p| {
                if let Ok(mut slot) = self.index.lock() {
                    *slot = IndexSlot::Building {
                        done: p.done,
                        total: p.total,
                    };
                }
                progress(p);
            })
        });
        let status = match rebuilt.and_then(|index| {
            drop(index);
            IndexWorker::start(&self.root, &mut |_| {}, |outcome| {
                if let Err(e) = outcome {
                    tracing::warn!("indexing failed: {e}");
                }
            })
        }) {
            Ok(worker) => {
                *lock(&self.index)? = IndexSlot::Ready(Arc::new(worker));
                Ok(IndexStatus::Ready)
            }
            Err(e) => {
                let message = match &e {
                    parallax_core::Error::Cancelled => {
                        "the rebuild was cancelled; rebuild the index to search again".to_string()
                    }
                    other => other.to_string(),
                };
                *lock(&self.index)? = IndexSlot::Failed(message.clone());
                let _ = app.emit(
                    "index-status",
                    IndexStatus::Failed {
                        message: message.clone(),
                    },
                );
                Err(e)
            }
        };
        if let Ok(s) = &status {
            let _ = app.emit("index-status", s.clone());
        }
        status.map(|_| ()).map_err(CommandError::from)
    }

    /// A change made here: the indexer and the team server's syncer are told.
    pub fn changed(&self) {
        self.index_changed();
        self.syncer.changed();
    }

    /// Tells the indexer the database changed; before the index is open there is nothing to
    /// tell (opening catches up).
    pub fn index_changed(&self) {
        if let Ok(slot) = self.index.lock()
            && let IndexSlot::Ready(worker) = &*slot
        {
            worker.changed();
        }
    }
}

/// Today's snapshot of the workspace, on a connection of its own so that nothing waits for it.
fn daily_backup(root: &Path) {
    match Workspace::open(root).and_then(|ws| ws.daily_backup()) {
        Ok(Some(snapshot)) => tracing::info!("snapshot {}", snapshot.path.display()),
        Ok(None) => {}
        Err(e) => tracing::error!("{}: the daily snapshot failed: {e}", root.display()),
    }
}
