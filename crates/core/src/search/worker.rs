//! Keeps a workspace's search index up to date off the caller's thread. Writers call
//! [`IndexWorker::changed`] after a change (cheap: a message); the worker waits a moment for
//! more, then indexes everything changed since its last commit in one commit, so a burst of
//! edits or an import makes one segment, not hundreds. Searches lock the shared index briefly.

use std::path::Path;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use super::{IndexProgress, SearchIndex, SyncOutcome};
use crate::error::{Error, Result};
use crate::store::Workspace;

/// How long the worker waits after a change for more changes before indexing.
pub const SETTLE: Duration = Duration::from_millis(150);

/// How long the worker waits to try again when another process held the index (a rebuild).
pub const RETRY: Duration = Duration::from_secs(1);

enum Message {
    Changed,
    /// Index what is pending now and answer when done.
    Flush(Sender<Result<SyncOutcome>>),
    Stop,
}

/// The background indexer of one workspace.
pub struct IndexWorker {
    tx: Sender<Message>,
    index: Arc<Mutex<SearchIndex>>,
    thread: Option<JoinHandle<()>>,
}

fn lock(index: &Mutex<SearchIndex>) -> MutexGuard<'_, SearchIndex> {
    // A panic while syncing leaves the index as tantivy left it; the next sync catches up.
    index
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl IndexWorker {
    /// Opens (catching up or rebuilding) the index of the workspace at `root` and starts the
    /// worker. `progress` follows a rebuild or catch-up on opening; `on_sync` sees the outcome
    /// of every background sync (for logs and the UI).
    pub fn start(
        root: &Path,
        progress: &mut dyn FnMut(IndexProgress),
        on_sync: impl Fn(&Result<SyncOutcome>) + Send + 'static,
    ) -> Result<IndexWorker> {
        let ws = Workspace::open(root)?;
        let (index, _) = SearchIndex::open(&ws, progress)?;
        let index = Arc::new(Mutex::new(index));
        let (tx, rx) = mpsc::channel();
        let shared = Arc::clone(&index);
        let thread = std::thread::Builder::new()
            .name("parallax-indexer".into())
            .spawn(move || run(ws, shared, rx, on_sync))
            .map_err(|e| Error::Index(format!("cannot start the indexing thread: {e}")))?;
        Ok(IndexWorker {
            tx,
            index,
            thread: Some(thread),
        })
    }

    /// Tells the worker the database changed. Never blocks.
    pub fn changed(&self) {
        let _ = self.tx.send(Message::Changed);
    }

    /// Indexes everything pending and returns when it is searchable.
    pub fn flush(&self) -> Result<SyncOutcome> {
        let (reply, answer) = mpsc::channel();
        self.tx
            .send(Message::Flush(reply))
            .map_err(|_| Error::Index("the indexing thread has stopped".into()))?;
        answer
            .recv()
            .map_err(|_| Error::Index("the indexing thread has stopped".into()))?
    }

    /// The index, for searching. Hold the guard only for one search.
    pub fn index(&self) -> MutexGuard<'_, SearchIndex> {
        lock(&self.index)
    }
}

impl Drop for IndexWorker {
    fn drop(&mut self) {
        let _ = self.tx.send(Message::Stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(
    ws: Workspace,
    index: Arc<Mutex<SearchIndex>>,
    rx: Receiver<Message>,
    on_sync: impl Fn(&Result<SyncOutcome>),
) {
    let sync = || lock(&index).sync(&ws, &mut |_| {});
    // Another process held the index at the last catch-up: try again without waiting for a change.
    let mut busy = false;
    loop {
        let mut waiting: Vec<Sender<Result<SyncOutcome>>> = Vec::new();
        let next = if busy {
            rx.recv_timeout(RETRY).or_else(|e| match e {
                RecvTimeoutError::Timeout => Ok(Message::Changed),
                RecvTimeoutError::Disconnected => Err(mpsc::RecvError),
            })
        } else {
            rx.recv()
        };
        match next {
            Ok(Message::Changed) => {}
            Ok(Message::Flush(reply)) => waiting.push(reply),
            Ok(Message::Stop) | Err(_) => return,
        }
        // Let a burst of changes settle, unless someone waits for the result.
        let mut stop = false;
        while waiting.is_empty() {
            match rx.recv_timeout(SETTLE) {
                Ok(Message::Changed) => continue,
                Ok(Message::Flush(reply)) => waiting.push(reply),
                Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => {
                    stop = true;
                    break;
                }
                Err(RecvTimeoutError::Timeout) => break,
            }
        }
        let outcome = sync();
        busy = matches!(outcome, Ok(SyncOutcome::Busy));
        on_sync(&outcome);
        for reply in waiting {
            let _ = reply.send(match &outcome {
                Ok(o) => Ok(*o),
                Err(e) => Err(Error::Index(e.to_string())),
            });
        }
        if stop {
            // Index what came in before stopping: the next open would catch up anyway.
            return;
        }
    }
}
