//! Suggestions for the open document: what the rules and the workspace's pattern file propose
//! to whoever is annotating, accepted (one undo step each) or turned down at a key.

use parallax_core::store::BatchOutcome;
use parallax_core::suggest::{SuggestOptions, Suggestion};
use tauri::State;

use super::{AppState, read_as, write};
use crate::error::CommandError;

/// What is still proposed in a document: not accepted, not turned down, not annotated.
#[tauri::command]
pub async fn suggestions(
    state: State<'_, AppState>,
    doc_id: String,
) -> Result<Vec<Suggestion>, CommandError> {
    read_as(state, move |ws, who| {
        let patterns = ws.patterns()?;
        ws.suggester(&patterns, SuggestOptions::default())?
            .open_suggestions(ws, &doc_id, who)
    })
    .await
}

/// Accepts the suggestion whose first span is `[start, end)` with `label`, with its relations.
#[tauri::command]
pub async fn accept_suggestion(
    state: State<'_, AppState>,
    doc_id: String,
    start: u32,
    end: u32,
    label: String,
) -> Result<BatchOutcome, CommandError> {
    write(state, move |ws, who| {
        ws.accept_open_suggestions(&doc_id, Some((start, end, &label)), who)
    })
    .await
}

/// Accepts every suggestion still proposed in a document, as one undo step.
#[tauri::command]
pub async fn accept_all_suggestions(
    state: State<'_, AppState>,
    doc_id: String,
) -> Result<BatchOutcome, CommandError> {
    write(state, move |ws, who| {
        ws.accept_open_suggestions(&doc_id, None, who)
    })
    .await
}

/// Turns down the suggestion whose first span is `[start, end)` with `label`: not proposed to
/// this annotator again.
#[tauri::command]
pub async fn reject_suggestion(
    state: State<'_, AppState>,
    doc_id: String,
    start: u32,
    end: u32,
    label: String,
) -> Result<(), CommandError> {
    write(state, move |ws, who| {
        ws.reject_suggestion(&doc_id, (start, end), &label, who)
    })
    .await
}
