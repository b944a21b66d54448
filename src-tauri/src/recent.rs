//! The recently opened workspaces, newest first, kept in the app's config folder.

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Manager};

/// How many workspaces the list keeps.
const KEEP: usize = 10;
const FILE: &str = "recent-workspaces.json";

fn file(app: &AppHandle) -> Option<PathBuf> {
    app.path().app_config_dir().ok().map(|d| d.join(FILE))
}

pub fn load(app: &AppHandle) -> Vec<PathBuf> {
    file(app)
        .and_then(|f| std::fs::read(f).ok())
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// Puts `root` first in the list. A failure to save the list is logged, not shown: it costs
/// the user a shortcut, never data.
pub fn remember(app: &AppHandle, root: &Path) {
    let Some(file) = file(app) else { return };
    let mut list = load(app);
    if list.first().map(PathBuf::as_path) == Some(root) {
        return; // already first: no write (this runs at every start)
    }
    list.retain(|p| p != root);
    list.insert(0, root.to_path_buf());
    list.truncate(KEEP);
    let saved = file
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .map_err(|e| e.to_string())
        .and_then(|()| {
            parallax_core::export::write_atomically(&file, |out| {
                serde_json::to_writer_pretty(&mut *out, &list)
                    .map_err(|e| parallax_core::Error::io(&file, e.into()))
            })
            .map_err(|e| e.to_string())
        });
    if let Err(e) = saved {
        tracing::warn!(
            "cannot save the recent workspaces to {}: {e}",
            file.display()
        );
    }
}
