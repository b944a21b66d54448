//! The user's settings (who they are), kept in `settings.json` in the app's config folder.

use std::path::{Path, PathBuf};

use parallax_core::store::{ANNOTATOR_ENV, GOLD_LAYER};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager};

use crate::error::CommandError;

const FILE: &str = "settings.json";

#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Who the app records as the author of changes; `None` until the user said it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotator: Option<String>,
}

/// Who is annotating, and whether they said so (else the UI asks).
#[derive(Debug, Clone, PartialEq)]
pub struct Annotator {
    pub name: String,
    pub saved: bool,
}

pub fn file(app: &AppHandle) -> Result<PathBuf, CommandError> {
    app.path()
        .app_config_dir()
        .map(|d| d.join(FILE))
        .map_err(|e| CommandError::Internal(format!("no config folder for the settings: {e}")))
}

/// The settings in `file`; none saved yet when it does not exist.
pub fn load(file: &Path) -> Result<Settings, String> {
    match std::fs::read(file) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map_err(|e| format!("{} is not valid settings: {e}", file.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Settings::default()),
        Err(e) => Err(format!("cannot read {}: {e}", file.display())),
    }
}

/// Writes the settings atomically (a crash leaves the old file or the new one, never half).
pub fn save(file: &Path, settings: &Settings) -> Result<(), CommandError> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(|e| parallax_core::Error::io(dir, e))?;
    }
    parallax_core::export::write_atomically(file, |out| {
        serde_json::to_writer_pretty(&mut *out, settings)
            .map_err(|e| parallax_core::Error::io(file, e.into()))
    })?;
    Ok(())
}

/// An annotator's name as the user typed it, trimmed; refused when empty or the gold layer's.
pub fn valid_name(name: &str) -> Result<String, CommandError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(CommandError::Refused(
            "type your name: every change you make is recorded under it".into(),
        ));
    }
    if name == GOLD_LAYER {
        return Err(CommandError::Refused(format!(
            "`{GOLD_LAYER}` is the name of the curated layer, not of a person; choose your own name"
        )));
    }
    Ok(name.to_string())
}

/// Who annotates from the start: a valid `$PARALLAX_ANNOTATOR` (to be saved), else the saved
/// name, else `login`, which the user has not confirmed yet.
fn choose(env: Option<&str>, saved: Option<&str>, login: &str) -> Annotator {
    let valid = |n: Option<&str>| n.and_then(|n| valid_name(n).ok());
    if let Some(name) = valid(env).or_else(|| valid(saved)) {
        return Annotator { name, saved: true };
    }
    Annotator {
        name: valid(Some(login)).unwrap_or_else(|| "anonymous".into()),
        saved: false,
    }
}

/// Who annotates when the app starts (see `choose`); a name from `$PARALLAX_ANNOTATOR` is
/// saved, so that the app asks no one. Settings that cannot be read or saved are logged: the
/// UI then asks for the name again, and shows the error if saving it fails too.
pub fn startup_annotator(app: &AppHandle) -> Annotator {
    let file = file(app);
    let settings = file
        .as_ref()
        .map_err(ToString::to_string)
        .and_then(|f| load(f))
        .unwrap_or_else(|e| {
            tracing::warn!("{e}");
            Settings::default()
        });
    let env = std::env::var(ANNOTATOR_ENV).ok();
    if let Some(name) = env
        .as_deref()
        .filter(|n| !n.trim().is_empty() && valid_name(n).is_err())
    {
        tracing::warn!("${ANNOTATOR_ENV} is `{name}`, which cannot be an annotator's name");
    }
    let login = std::env::var("USER").unwrap_or_default();
    let chosen = choose(env.as_deref(), settings.annotator.as_deref(), &login);
    if chosen.saved && settings.annotator.as_deref() != Some(chosen.name.as_str()) {
        let next = Settings {
            annotator: Some(chosen.name.clone()),
        };
        if let Err(e) = file.and_then(|f| save(&f, &next)) {
            tracing::warn!("cannot save the annotator's name: {e}");
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_trimmed_and_neither_empty_nor_gold() {
        assert_eq!(valid_name("  ana ").unwrap(), "ana");
        for bad in ["", "   ", "gold", " gold "] {
            let e = valid_name(bad).unwrap_err();
            assert!(matches!(e, CommandError::Refused(_)), "{bad:?}: {e}");
        }
        assert!(
            valid_name("")
                .unwrap_err()
                .to_string()
                .contains("type your name")
        );
        assert!(
            valid_name("gold")
                .unwrap_err()
                .to_string()
                .contains("curated layer")
        );
    }

    #[test]
    fn the_variable_wins_then_the_saved_name_then_the_login_unconfirmed() {
        let a = |name: &str, saved| Annotator {
            name: name.into(),
            saved,
        };
        assert_eq!(choose(Some("ben"), Some("ana"), "root"), a("ben", true));
        assert_eq!(choose(Some(" "), Some("ana"), "root"), a("ana", true));
        assert_eq!(choose(Some("gold"), Some("ana"), "root"), a("ana", true));
        assert_eq!(choose(None, None, "root"), a("root", false));
        assert_eq!(choose(None, Some(""), ""), a("anonymous", false));
        assert_eq!(choose(Some("gold"), None, "gold"), a("anonymous", false));
    }

    #[test]
    fn settings_are_saved_and_read_back_and_a_missing_file_is_none_saved() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config").join(FILE);
        assert_eq!(load(&file).unwrap(), Settings::default());
        let settings = Settings {
            annotator: Some("ana".into()),
        };
        save(&file, &settings).unwrap();
        assert_eq!(load(&file).unwrap(), settings);
        std::fs::write(&file, "{not json").unwrap();
        assert!(load(&file).unwrap_err().contains("not valid settings"));
    }
}
