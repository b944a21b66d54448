//! Working as a team: who sees which layers, progress, assignments, how far the annotators'
//! layers agree, and curating them into gold.

use parallax_core::agreement::{AgreementOptions, AgreementReport};
use parallax_core::store::{Curation, LayerSummary, MergeRule, Merged, TeamProgress, TeamSettings};
use tauri::State;

use super::{AppState, read, read_as, write};
use crate::error::CommandError;

/// Agreement between the annotators' layers, for the annotators and labels `options` name.
#[tauri::command]
pub async fn agreement(
    state: State<'_, AppState>,
    options: AgreementOptions,
) -> Result<AgreementReport, CommandError> {
    read(state, move |ws| ws.agreement(&options)).await
}

#[tauri::command]
pub async fn team_settings(state: State<'_, AppState>) -> Result<TeamSettings, CommandError> {
    read(state, |ws| ws.team_settings()).await
}

/// Replaces the team settings; answers them as kept (curators trimmed, once each).
#[tauri::command]
pub async fn set_team_settings(
    state: State<'_, AppState>,
    settings: TeamSettings,
) -> Result<TeamSettings, CommandError> {
    write(state, move |ws, _| ws.set_team_settings(&settings)).await
}

#[tauri::command]
pub async fn team_progress(state: State<'_, AppState>) -> Result<TeamProgress, CommandError> {
    read(state, |ws| ws.team_progress()).await
}

/// The layers of a document the annotator may see, with their status.
#[tauri::command]
pub async fn document_layers(
    state: State<'_, AppState>,
    id: String,
) -> Result<Vec<LayerSummary>, CommandError> {
    read_as(state, move |ws, who| ws.document_layers(&id, who)).await
}

/// Sets who is to annotate a document; answers its layers as they are then.
#[tauri::command]
pub async fn set_assignees(
    state: State<'_, AppState>,
    id: String,
    annotators: Vec<String>,
) -> Result<Vec<LayerSummary>, CommandError> {
    write(state, move |ws, who| {
        ws.set_assignees(&id, &annotators, who)?;
        ws.document_layers(&id, who)
    })
    .await
}

#[tauri::command]
pub async fn curation(state: State<'_, AppState>, id: String) -> Result<Curation, CommandError> {
    read_as(state, move |ws, who| ws.curation(&id, who)).await
}

/// Merges what the layers agree on into gold; answers what it merged.
#[tauri::command]
pub async fn merge_agreed(
    state: State<'_, AppState>,
    id: String,
    rule: MergeRule,
) -> Result<Merged, CommandError> {
    write(state, move |ws, who| ws.merge_agreed(&id, rule, who)).await
}

/// Puts one layer's version of a span into gold in place of those it conflicts with.
#[tauri::command]
pub async fn accept_version(
    state: State<'_, AppState>,
    span_id: String,
) -> Result<Merged, CommandError> {
    write(state, move |ws, who| ws.accept_into_gold(&span_id, who)).await
}

/// Turns a version of a span down: out of gold, and out of later merges.
#[tauri::command]
pub async fn reject_version(
    state: State<'_, AppState>,
    span_id: String,
) -> Result<(), CommandError> {
    write(state, move |ws, who| ws.reject_version(&span_id, who)).await
}

/// Marks a document's curation finished (or open again).
#[tauri::command]
pub async fn finish_curation(
    state: State<'_, AppState>,
    id: String,
    finished: bool,
) -> Result<(), CommandError> {
    write(state, move |ws, who| ws.finish_curation(&id, finished, who)).await
}
