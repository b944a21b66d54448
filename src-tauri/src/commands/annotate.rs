//! Spans, relations, undo and redo. Each command is one transaction of the core, on disk before
//! the command answers; the UI draws a change only from the answer.

use parallax_core::model::{DocLabel, Relation, Span};
use parallax_core::store::{HistoryEntry, NewSpan, SpanUpdate};
use serde_json::Value;
use tauri::State;

use super::{AppState, write};
use crate::error::CommandError;

#[tauri::command]
pub async fn add_span(
    state: State<'_, AppState>,
    doc_id: String,
    start: u32,
    end: u32,
    label: String,
) -> Result<Span, CommandError> {
    write(state, move |ws, who| {
        ws.add_span(
            NewSpan {
                doc_id,
                start,
                end,
                label,
                ..NewSpan::default()
            },
            who,
        )
    })
    .await
}

/// Applies `update` to span `id`.
async fn update_span(
    state: State<'_, AppState>,
    id: String,
    update: SpanUpdate,
) -> Result<Span, CommandError> {
    write(state, move |ws, who| ws.update_span(&id, update, who)).await
}

#[tauri::command]
pub async fn set_span_label(
    state: State<'_, AppState>,
    id: String,
    label: String,
) -> Result<Span, CommandError> {
    let update = SpanUpdate {
        label: Some(label),
        ..SpanUpdate::default()
    };
    update_span(state, id, update).await
}

/// Moves a span's boundaries (code points).
#[tauri::command]
pub async fn set_span_extent(
    state: State<'_, AppState>,
    id: String,
    start: u32,
    end: u32,
) -> Result<Span, CommandError> {
    let update = SpanUpdate {
        start: Some(start),
        end: Some(end),
        ..SpanUpdate::default()
    };
    update_span(state, id, update).await
}

/// Sets one attribute; `null` removes it.
#[tauri::command]
pub async fn set_span_attribute(
    state: State<'_, AppState>,
    id: String,
    name: String,
    value: Value,
) -> Result<Span, CommandError> {
    write(state, move |ws, who| {
        ws.set_attribute(&id, &name, value, who)
    })
    .await
}

/// Sets the note; an empty or missing note clears it.
#[tauri::command]
pub async fn set_span_note(
    state: State<'_, AppState>,
    id: String,
    note: Option<String>,
) -> Result<Span, CommandError> {
    let update = SpanUpdate {
        note: Some(note.filter(|n| !n.trim().is_empty())),
        ..SpanUpdate::default()
    };
    update_span(state, id, update).await
}

/// Deletes a span and the relations that touch it.
#[tauri::command]
pub async fn delete_span(state: State<'_, AppState>, id: String) -> Result<(), CommandError> {
    write(state, move |ws, who| ws.delete_span(&id, who)).await
}

#[tauri::command]
pub async fn add_relation(
    state: State<'_, AppState>,
    head: String,
    child: String,
    label: String,
) -> Result<Relation, CommandError> {
    write(state, move |ws, who| {
        ws.add_relation(&head, &child, &label, who)
    })
    .await
}

#[tauri::command]
pub async fn delete_relation(state: State<'_, AppState>, id: String) -> Result<(), CommandError> {
    write(state, move |ws, who| ws.delete_relation(&id, who)).await
}

/// Sets or clears a document label (for the annotator); answers the document's labels.
#[tauri::command]
pub async fn set_doc_label(
    state: State<'_, AppState>,
    doc_id: String,
    label: String,
    on: bool,
) -> Result<Vec<DocLabel>, CommandError> {
    write(state, move |ws, who| {
        ws.set_doc_label(&doc_id, &label, on, who)?;
        ws.doc_labels(&doc_id)
    })
    .await
}

/// Takes back the latest change (of anyone, in any document); says which.
#[tauri::command]
pub async fn undo(state: State<'_, AppState>) -> Result<HistoryEntry, CommandError> {
    write(state, |ws, who| ws.undo(who)).await
}

#[tauri::command]
pub async fn redo(state: State<'_, AppState>) -> Result<HistoryEntry, CommandError> {
    write(state, |ws, who| ws.redo(who)).await
}
