//! The team server: where the workspace stands with it, syncing now, linking, conflicts.

use parallax_core::remote::Link;
use parallax_core::store::SyncConflict;
use tauri::State;

use super::{AppState, blocking, write};
use crate::error::CommandError;
use crate::sync::SyncStatus;

#[tauri::command]
pub async fn sync_status(state: State<'_, AppState>) -> Result<SyncStatus, CommandError> {
    Ok(state.session()?.syncer.status())
}

/// Syncs now; `password` (typed by the user) is kept in memory for the next syncs.
#[tauri::command]
pub async fn sync_now(
    state: State<'_, AppState>,
    password: Option<String>,
) -> Result<(), CommandError> {
    state.session()?.syncer.sync_now(password);
    Ok(())
}

/// Links the workspace to a team server and syncs with it.
#[tauri::command]
pub async fn set_remote(
    state: State<'_, AppState>,
    url: String,
    password: Option<String>,
) -> Result<(), CommandError> {
    let session = state.session()?;
    blocking(move || {
        let link = Link::parse(&url)?;
        session.workspace()?.set_remote_url(link.url())?;
        session.syncer.sync_now(password);
        Ok(())
    })
    .await
}

/// The conflicts syncs met, newest first; they count as looked at from now on.
#[tauri::command]
pub async fn sync_conflicts(state: State<'_, AppState>) -> Result<Vec<SyncConflict>, CommandError> {
    write(state, |ws, _| {
        let found = ws.sync_conflicts()?;
        ws.mark_sync_conflicts_seen()?;
        Ok(found)
    })
    .await
}
