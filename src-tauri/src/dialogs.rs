//! Native file dialogs, with a seam for the end-to-end tests: WebDriver cannot drive a native
//! dialog, so when `PARALLAX_E2E_DIALOG_FILE` names a file, a dialog answers with the paths in
//! it (one per line) and deletes it; with no such file, the dialog counts as cancelled. Only
//! debug builds (the ones the tests drive) honour it: a release build always shows the dialog.

use std::path::PathBuf;

use serde::Deserialize;
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

/// The environment variable of the test seam.
pub const DIALOG_FILE_ENV: &str = "PARALLAX_E2E_DIALOG_FILE";

/// What the user is choosing paths for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Purpose {
    ImportFiles,
    ImportFolder,
    ExportFile,
    OpenWorkspace,
    NewWorkspace,
}

/// The seam's file, in a debug build whose environment names one.
pub fn seam_file() -> Option<PathBuf> {
    seam_file_in(cfg!(debug_assertions), std::env::var_os(DIALOG_FILE_ENV))
}

fn seam_file_in(debug_build: bool, env: Option<std::ffi::OsString>) -> Option<PathBuf> {
    env.filter(|_| debug_build)
        .filter(|f| !f.is_empty())
        .map(PathBuf::from)
}

fn scripted_answer(file: PathBuf) -> Option<Vec<PathBuf>> {
    let text = std::fs::read_to_string(&file).ok()?;
    let _ = std::fs::remove_file(&file);
    let paths: Vec<PathBuf> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(PathBuf::from)
        .collect();
    (!paths.is_empty()).then_some(paths)
}

/// Shows the dialog for `purpose` (blocking: call it off the main thread) and returns the
/// chosen paths, or `None` when the user cancelled.
pub fn choose(
    app: &AppHandle,
    purpose: Purpose,
    suggested_name: Option<String>,
) -> Option<Vec<PathBuf>> {
    if let Some(file) = seam_file() {
        return scripted_answer(file);
    }
    let dialog = app.dialog().file();
    let chosen = match purpose {
        Purpose::ImportFiles => dialog
            .set_title("Import files")
            .add_filter(
                "Text and datasets",
                &[
                    "txt", "text", "md", "jsonl", "ndjson", "json", "ann", "conll", "bio", "iob",
                    "csv", "tsv",
                ],
            )
            .add_filter("All files", &["*"])
            .blocking_pick_files(),
        Purpose::ImportFolder => dialog.set_title("Import folders").blocking_pick_folders(),
        // Formats that write a folder (brat, splits) get a new folder's name here too.
        Purpose::ExportFile => dialog
            .set_title("Export dataset")
            .set_file_name(suggested_name.unwrap_or_else(|| "export.jsonl".into()))
            .blocking_save_file()
            .map(|p| vec![p]),
        Purpose::OpenWorkspace => dialog
            .set_title("Open a workspace folder")
            .blocking_pick_folder()
            .map(|p| vec![p]),
        Purpose::NewWorkspace => dialog
            .set_title("Create a workspace: choose or create an empty folder")
            .blocking_pick_folder()
            .map(|p| vec![p]),
    }?;
    let paths: Vec<PathBuf> = chosen
        .into_iter()
        .filter_map(|p| p.into_path().ok())
        .collect();
    (!paths.is_empty()).then_some(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_debug_build_honours_the_seam() {
        let env = || Some(std::ffi::OsString::from("/tmp/answer.txt"));
        assert_eq!(seam_file_in(false, env()), None);
        assert_eq!(
            seam_file_in(true, env()),
            Some(PathBuf::from("/tmp/answer.txt"))
        );
        assert_eq!(seam_file_in(true, Some("".into())), None);
        assert_eq!(seam_file_in(true, None), None);
    }

    #[test]
    fn the_seam_answers_with_the_lines_of_its_file_once() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("answer.txt");
        std::fs::write(&file, "/a/one.txt\n\n  /b/two.txt  \n").unwrap();
        assert_eq!(
            scripted_answer(file.clone()),
            Some(vec![
                PathBuf::from("/a/one.txt"),
                PathBuf::from("/b/two.txt")
            ])
        );
        // Used up: the next dialog counts as cancelled.
        assert!(!file.exists());
        assert_eq!(scripted_answer(file.clone()), None);
        std::fs::write(&file, "\n").unwrap();
        assert_eq!(scripted_answer(file), None);
    }
}
