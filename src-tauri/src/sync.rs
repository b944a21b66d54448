//! The team server from the app: a thread per open workspace that syncs it in the background
//! (a few seconds after a change, and every half minute to take in the others'), on demand, and
//! tells the UI where it stands (event `sync-status`; `workspace-changed` when it took changes
//! in). It works on a connection of its own, so that the window never waits for the network.

use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use parallax_core::{Error, Workspace, remote};
use serde::Serialize;
use tauri::{AppHandle, Emitter};
use ts_rs::TS;

use crate::session::Session;

/// How long after a change the thread sends it: a burst of labelling goes in one sync.
const AFTER_CHANGE: Duration = Duration::from_secs(2);
/// How often it takes in the others' changes when nothing happens here.
const EVERY: Duration = Duration::from_secs(30);
/// How soon it tries again after the server could not be reached.
const RETRY: Duration = Duration::from_secs(10);

/// Where the workspace stands with its team server, as the bar shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SyncStatus {
    /// The server's address; none while the workspace is not linked.
    pub url: Option<String>,
    pub state: SyncState,
    /// Changes made here that the server does not have yet.
    pub unsent: u32,
    /// Conflicts met that nobody has looked at yet.
    pub conflicts: u32,
    /// Why it is offline, refused or failed, or a word about the last sync.
    pub message: Option<String>,
    /// When the last sync finished.
    pub last_sync: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SyncState {
    Unlinked,
    Syncing,
    /// Everything sent and taken in (at the last sync).
    InStep,
    /// Changes wait to be sent.
    Waiting,
    Offline,
    /// The server asks for a password (or refused the one given): the app asks the user.
    NeedsPassword,
    /// The server refused what was sent, or the link: the message says why.
    Refused,
    Failed,
}

enum Kick {
    Changed,
    Now,
}

pub struct Syncer {
    kicks: Mutex<Sender<Kick>>,
    status: Arc<Mutex<SyncStatus>>,
    password: Arc<Mutex<Option<String>>>,
}

impl Syncer {
    /// Starts the thread for the workspace at `root`; it stops when the session goes.
    pub fn start(app: &AppHandle, root: PathBuf, session: Weak<Session>) -> Syncer {
        let (kicks, rx) = mpsc::channel();
        let status = Arc::new(Mutex::new(SyncStatus {
            url: None,
            state: SyncState::Unlinked,
            unsent: 0,
            conflicts: 0,
            message: None,
            last_sync: None,
        }));
        let password = Arc::new(Mutex::new(None));
        let worker = Worker {
            app: app.clone(),
            root,
            session,
            status: Arc::clone(&status),
            password: Arc::clone(&password),
        };
        std::thread::spawn(move || worker.run(rx));
        Syncer {
            kicks: Mutex::new(kicks),
            status,
            password,
        }
    }

    /// Something changed here: send it soon.
    pub fn changed(&self) {
        self.kick(Kick::Changed);
    }

    /// Syncs now, with `password` from now on if given (kept in memory only).
    pub fn sync_now(&self, password: Option<String>) {
        if let Some(p) = password
            && let Ok(mut slot) = self.password.lock()
        {
            *slot = Some(p);
        }
        self.kick(Kick::Now);
    }

    pub fn status(&self) -> SyncStatus {
        self.status
            .lock()
            .map(|s| s.clone())
            .unwrap_or_else(|p| p.into_inner().clone())
    }

    fn kick(&self, kick: Kick) {
        if let Ok(tx) = self.kicks.lock() {
            let _ = tx.send(kick);
        }
    }
}

struct Worker {
    app: AppHandle,
    root: PathBuf,
    session: Weak<Session>,
    status: Arc<Mutex<SyncStatus>>,
    password: Arc<Mutex<Option<String>>>,
}

impl Worker {
    fn run(self, rx: mpsc::Receiver<Kick>) {
        // A linked workspace syncs as it opens.
        let mut due = Some(Instant::now());
        loop {
            let wait = due.map_or(EVERY, |d| d.saturating_duration_since(Instant::now()));
            match rx.recv_timeout(wait) {
                Ok(Kick::Changed) => {
                    let soon = Instant::now() + AFTER_CHANGE;
                    due = Some(due.map_or(soon, |d| d.min(soon)));
                    continue;
                }
                Ok(Kick::Now) | Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
            let retry = self.sync_once();
            due = Some(Instant::now() + if retry { RETRY } else { EVERY });
        }
    }

    /// One sync, its status told to the UI. Returns whether to try again soon.
    fn sync_once(&self) -> bool {
        let mut ws = match Workspace::open(&self.root) {
            Ok(ws) => ws,
            Err(e) => {
                self.tell(|s| {
                    s.state = SyncState::Failed;
                    s.message = Some(e.to_string());
                });
                return false;
            }
        };
        let url = ws.remote_url().ok().flatten();
        let Some(url) = url else {
            self.tell(|s| {
                s.url = None;
                s.state = SyncState::Unlinked;
                s.message = None;
            });
            return false;
        };
        self.tell(|s| {
            s.url = Some(url.clone());
            s.state = SyncState::Syncing;
        });
        let password = self.password.lock().ok().and_then(|p| p.clone());
        let result = remote::sync(&mut ws, password.as_deref());
        let unsent = ws.unsent_changes().unwrap_or(0);
        let conflicts = ws.unseen_sync_conflicts().unwrap_or(0);
        let mut retry = false;
        let (state, message) = match &result {
            Ok(report) => {
                if report.received_changes > 0 || report.received_documents > 0 {
                    if let Some(session) = self.session.upgrade() {
                        session.index_changed();
                    }
                    let _ = self.app.emit("workspace-changed", ());
                }
                let state = if unsent > 0 {
                    SyncState::Waiting
                } else {
                    SyncState::InStep
                };
                let message = (report.unsent_of_others > 0).then(|| {
                    format!(
                        "{} made here under other names wait for those annotators to sync",
                        plural(report.unsent_of_others, "change")
                    )
                });
                (state, message)
            }
            Err(Error::Offline(m)) => {
                retry = true;
                (SyncState::Offline, Some(m.clone()))
            }
            Err(e @ Error::PasswordNeeded(_)) => (SyncState::NeedsPassword, Some(e.to_string())),
            Err(
                e @ (Error::RemoteRefused(_)
                | Error::RemoteNotSetUp
                | Error::RemoteTooNew { .. }
                | Error::RemoteTooOld { .. }
                | Error::InvalidRemote(_)),
            ) => (SyncState::Refused, Some(e.to_string())),
            Err(e) => (SyncState::Failed, Some(e.to_string())),
        };
        if let Err(e) = &result {
            tracing::warn!("sync: {e}");
        }
        self.tell(|s| {
            s.state = state;
            s.unsent = unsent;
            s.conflicts = conflicts;
            s.message = message;
            if result.is_ok() {
                s.last_sync = Some(parallax_core::clock::now());
            }
        });
        retry
    }

    fn tell(&self, change: impl FnOnce(&mut SyncStatus)) {
        let status = match self.status.lock() {
            Ok(mut s) => {
                change(&mut s);
                s.clone()
            }
            Err(_) => return,
        };
        let _ = self.app.emit("sync-status", status);
    }
}

fn plural(n: u32, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}
