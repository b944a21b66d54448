//! The commands the UI calls. Each one takes the open session, runs the core on a blocking
//! thread (SQLite and tantivy never block the UI's thread) and translates the result.

pub mod annotate;
pub mod cross;
pub mod documents;
pub mod jobs;
pub mod remote;
pub mod search;
pub mod suggest;
pub mod teams;
pub mod workspaces;

use std::sync::{Arc, RwLock};

use parallax_core::Workspace;
use tauri::State;

use crate::error::CommandError;
use crate::session::Session;
use crate::settings::Annotator;

/// What the commands share: the open workspace and who is annotating.
pub struct AppState {
    session: RwLock<Arc<Session>>,
    /// Switchable: each write reads it when it starts.
    annotator: RwLock<Annotator>,
    pub jobs: jobs::Jobs,
}

impl AppState {
    pub fn new(session: Arc<Session>, annotator: Annotator) -> AppState {
        AppState {
            session: RwLock::new(session),
            annotator: RwLock::new(annotator),
            jobs: jobs::Jobs::default(),
        }
    }

    pub fn annotator(&self) -> Result<Annotator, CommandError> {
        self.annotator
            .read()
            .map(|a| a.clone())
            .map_err(|_| CommandError::Internal("the annotator lock was poisoned".into()))
    }

    pub fn set_annotator(&self, annotator: Annotator) -> Result<(), CommandError> {
        let mut slot = self
            .annotator
            .write()
            .map_err(|_| CommandError::Internal("the annotator lock was poisoned".into()))?;
        *slot = annotator;
        Ok(())
    }

    pub fn session(&self) -> Result<Arc<Session>, CommandError> {
        self.session
            .read()
            .map(|s| Arc::clone(&s))
            .map_err(|_| CommandError::Internal("the session lock was poisoned".into()))
    }

    pub fn replace(&self, session: Arc<Session>) -> Result<(), CommandError> {
        let mut slot = self
            .session
            .write()
            .map_err(|_| CommandError::Internal("the session lock was poisoned".into()))?;
        *slot = session;
        Ok(())
    }
}

/// Runs `f` on a blocking thread.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, CommandError> + Send + 'static,
) -> Result<T, CommandError> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| CommandError::Internal(e.to_string()))?
}

/// Reads the open workspace on a blocking thread.
pub async fn read<T: Send + 'static>(
    state: State<'_, AppState>,
    f: impl FnOnce(&Workspace) -> parallax_core::Result<T> + Send + 'static,
) -> Result<T, CommandError> {
    let session = state.session()?;
    blocking(move || Ok(f(&*session.workspace()?)?)).await
}

/// Reads the open workspace on a blocking thread as whoever is annotating: while annotation
/// is blind, what they may see depends on who they are.
pub async fn read_as<T: Send + 'static>(
    state: State<'_, AppState>,
    f: impl FnOnce(&Workspace, &str) -> parallax_core::Result<T> + Send + 'static,
) -> Result<T, CommandError> {
    let session = state.session()?;
    let viewer = state.annotator()?.name;
    blocking(move || Ok(f(&*session.workspace()?, &viewer)?)).await
}

/// Changes the open workspace on a blocking thread as `annotator`, then tells the indexer.
pub async fn write<T: Send + 'static>(
    state: State<'_, AppState>,
    f: impl FnOnce(&mut Workspace, &str) -> parallax_core::Result<T> + Send + 'static,
) -> Result<T, CommandError> {
    let session = state.session()?;
    let annotator = state.annotator()?.name;
    blocking(move || {
        let value = f(&mut *session.workspace()?, &annotator)?;
        session.changed();
        Ok(value)
    })
    .await
}
