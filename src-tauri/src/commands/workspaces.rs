//! Choosing paths, opening and creating workspaces, and the list of recent ones.

use std::path::{Path, PathBuf};

use parallax_core::model::WorkspaceInfo;
use serde::Serialize;
use tauri::{AppHandle, Manager, State};
use ts_rs::TS;

use super::{AppState, blocking};
use crate::dialogs::{self, Purpose};
use crate::error::CommandError;
use crate::recent;
use crate::session::Session;

/// Shows a native dialog; `None` when the user cancelled.
#[tauri::command]
pub async fn choose_paths(
    app: AppHandle,
    purpose: Purpose,
    suggested_name: Option<String>,
) -> Result<Option<Vec<PathBuf>>, CommandError> {
    blocking(move || Ok(dialogs::choose(&app, purpose, suggested_name))).await
}

/// A workspace opened before.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RecentWorkspace {
    pub name: String,
    pub path: String,
    /// False when the folder is gone or no longer holds a workspace.
    pub available: bool,
}

#[tauri::command]
pub async fn recent_workspaces(app: AppHandle) -> Result<Vec<RecentWorkspace>, CommandError> {
    blocking(move || {
        Ok(recent::load(&app)
            .into_iter()
            .map(|path| RecentWorkspace {
                name: parallax_core::store::workspace_name(&path),
                available: path.join(parallax_core::store::DB_FILE).is_file(),
                path: path.to_string_lossy().into_owned(),
            })
            .collect())
    })
    .await
}

fn is_empty_dir(path: &Path) -> bool {
    std::fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_none())
}

/// Opens the workspace at `path` (with `create`, makes a new one there: the folder must be
/// empty or not exist yet) and makes it the app's workspace.
#[tauri::command]
pub async fn open_workspace(
    app: AppHandle,
    state: State<'_, AppState>,
    path: PathBuf,
    create: bool,
) -> Result<WorkspaceInfo, CommandError> {
    let handle = app.clone();
    let (session, info) = blocking(move || {
        let is_workspace = path.join(parallax_core::store::DB_FILE).is_file();
        if create && !is_workspace && path.exists() && !is_empty_dir(&path) {
            return Err(CommandError::Refused(format!(
                "{} is not empty; choose an empty folder (or create one in the dialog) for a new workspace",
                path.display()
            )));
        }
        let session = Session::open(&handle, &path, create)?;
        let info = session.workspace()?.info()?;
        Ok((session, info))
    })
    .await?;
    state.replace(session)?;
    recent::remember(&app, Path::new(&info.path));
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.set_title(&format!("Parallax — {}", info.name));
    }
    Ok(info)
}
