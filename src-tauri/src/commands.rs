//! The commands the UI calls: each one runs the core off the main thread and translates.

use std::sync::{Arc, Mutex};

use parallax_core::Workspace;
use parallax_core::model::{DocumentSummary, DocumentView, LabelSchema, WorkspaceInfo};
use tauri::State;

use crate::error::CommandError;

/// The open workspace, shared by the commands.
pub struct AppState {
    pub workspace: Arc<Mutex<Workspace>>,
}

/// Runs `f` on the workspace on a blocking thread: SQLite work never blocks the UI's thread.
async fn with_workspace<T: Send + 'static>(
    state: State<'_, AppState>,
    f: impl FnOnce(&mut Workspace) -> parallax_core::Result<T> + Send + 'static,
) -> Result<T, CommandError> {
    let ws = Arc::clone(&state.workspace);
    tauri::async_runtime::spawn_blocking(move || {
        let mut guard = ws
            .lock()
            .map_err(|_| CommandError::Internal("the workspace lock was poisoned".into()))?;
        f(&mut guard).map_err(CommandError::from)
    })
    .await
    .map_err(|e| CommandError::Internal(e.to_string()))?
}

#[tauri::command]
pub async fn workspace_info(state: State<'_, AppState>) -> Result<WorkspaceInfo, CommandError> {
    with_workspace(state, |ws| ws.info()).await
}

#[tauri::command]
pub async fn list_documents(
    state: State<'_, AppState>,
) -> Result<Vec<DocumentSummary>, CommandError> {
    with_workspace(state, |ws| ws.list_documents()).await
}

#[tauri::command]
pub async fn get_document(
    state: State<'_, AppState>,
    id: String,
) -> Result<DocumentView, CommandError> {
    with_workspace(state, move |ws| ws.document_view(&id)).await
}

#[tauri::command]
pub async fn get_schema(state: State<'_, AppState>) -> Result<LabelSchema, CommandError> {
    with_workspace(state, |ws| ws.schema()).await
}
