//! The Parallax desktop shell: opens a workspace and exposes the core to the web UI through
//! thin commands. All logic lives in `parallax-core`.

mod commands;
mod error;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use parallax_core::Workspace;
use tauri::Manager;

/// Environment variable naming the workspace to open when no path is given on the command line.
pub const WORKSPACE_ENV: &str = "PARALLAX_WORKSPACE";

/// The workspace the user asked for: `parallax-app PATH`, else `$PARALLAX_WORKSPACE`. Arguments
/// starting with `-` are skipped (WebKitWebDriver adds `--automation`). The file dialogs come
/// with the app's own issue.
fn requested_workspace() -> Option<PathBuf> {
    std::env::args_os()
        .skip(1)
        .find(|a| !a.to_string_lossy().starts_with('-'))
        .or_else(|| std::env::var_os(WORKSPACE_ENV))
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
}

/// Opens (or creates) the requested workspace; without one, the built-in demo workspace.
fn open_workspace(app: &tauri::App) -> Result<Workspace, Box<dyn std::error::Error>> {
    match requested_workspace() {
        Some(path) => Ok(Workspace::open_or_init(path)?),
        None => {
            let dir = app.path().app_data_dir()?.join("demo-workspace");
            Ok(parallax_core::demo::open_or_create(&dir)?)
        }
    }
}

pub fn run() {
    tauri::Builder::default()
        .setup(|app| {
            let ws = open_workspace(app)?;
            if let Some(window) = app.get_webview_window("main") {
                window.set_title(&format!("Parallax — {}", ws.name()))?;
            }
            app.manage(commands::AppState {
                workspace: Arc::new(Mutex::new(ws)),
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::workspace_info,
            commands::list_documents,
            commands::get_document,
            commands::get_schema,
        ])
        .run(tauri::generate_context!())
        .expect("error while running the Parallax app");
}
