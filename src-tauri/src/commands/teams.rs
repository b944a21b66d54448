//! Working as a team: how far the annotators' layers agree.

use parallax_core::agreement::{AgreementOptions, AgreementReport};
use tauri::State;

use super::{AppState, read};
use crate::error::CommandError;

/// Agreement between the annotators' layers, for the annotators and labels `options` name.
#[tauri::command]
pub async fn agreement(
    state: State<'_, AppState>,
    options: AgreementOptions,
) -> Result<AgreementReport, CommandError> {
    read(state, move |ws| ws.agreement(&options)).await
}
