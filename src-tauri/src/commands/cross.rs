//! Source entities, claim groups and the compare view: thin translations of the core's
//! cross-document operations. Every change is one undoable history entry in the core.

use parallax_core::cross::{
    ClaimSuggestion, CompareFilter, CompareOpening, CompareRows, EntitySuggestion,
    MentionSuggestion, SourceOverview,
};
use parallax_core::store::{
    AddedToGroup, ClaimGroup, EntityEdit, GroupEdit, SourceEntity, SourceKind,
};
use tauri::State;

use super::{AppState, blocking, read, write};
use crate::error::CommandError;

/// Suggestions shown in the inspector at most.
const SUGGESTIONS: usize = 8;

#[tauri::command]
pub async fn list_source_entities(
    state: State<'_, AppState>,
) -> Result<Vec<SourceOverview>, CommandError> {
    read(state, |ws| ws.source_overviews()).await
}

#[tauri::command]
pub async fn list_claim_groups(
    state: State<'_, AppState>,
) -> Result<Vec<ClaimGroup>, CommandError> {
    read(state, |ws| ws.claim_groups()).await
}

#[tauri::command]
pub async fn entity_suggestions(
    state: State<'_, AppState>,
    span_id: String,
) -> Result<Vec<EntitySuggestion>, CommandError> {
    read(state, move |ws| {
        ws.entity_suggestions(&span_id, SUGGESTIONS)
    })
    .await
}

#[tauri::command]
pub async fn entity_mentions(
    state: State<'_, AppState>,
    entity_id: String,
) -> Result<Vec<MentionSuggestion>, CommandError> {
    read(state, move |ws| ws.entity_mentions(&entity_id, 100)).await
}

/// Creates an entity named as the SOURCE span reads (or `name`) and links the span.
#[tauri::command]
pub async fn create_entity_from_span(
    state: State<'_, AppState>,
    span_id: String,
    name: Option<String>,
    kind: SourceKind,
) -> Result<SourceEntity, CommandError> {
    write(state, move |ws, who| {
        ws.create_entity_from_span(&span_id, name.as_deref(), kind, who)
    })
    .await
}

/// Links SOURCE spans to an entity, or unlinks them with `null`.
#[tauri::command]
pub async fn link_source_entity(
    state: State<'_, AppState>,
    span_ids: Vec<String>,
    entity_id: Option<String>,
) -> Result<(), CommandError> {
    write(state, move |ws, who| {
        ws.link_source_entity(&span_ids, entity_id.as_deref(), who)
    })
    .await
}

#[tauri::command]
pub async fn update_source_entity(
    state: State<'_, AppState>,
    id: String,
    edit: EntityEdit,
) -> Result<SourceEntity, CommandError> {
    write(state, move |ws, who| {
        ws.update_source_entity(&id, edit, who)
    })
    .await
}

#[tauri::command]
pub async fn merge_source_entities(
    state: State<'_, AppState>,
    from: String,
    into: String,
) -> Result<SourceEntity, CommandError> {
    write(state, move |ws, who| {
        ws.merge_source_entities(&from, &into, who)
    })
    .await
}

#[tauri::command]
pub async fn split_source_entity(
    state: State<'_, AppState>,
    id: String,
    span_ids: Vec<String>,
    name: String,
) -> Result<SourceEntity, CommandError> {
    write(state, move |ws, who| {
        ws.split_source_entity(&id, &span_ids, &name, who)
    })
    .await
}

/// Passages of other documents carrying the same claim, for one click grouping.
#[tauri::command]
pub async fn claim_suggestions(
    state: State<'_, AppState>,
    span_id: String,
) -> Result<Vec<ClaimSuggestion>, CommandError> {
    let session = state.session()?;
    blocking(move || {
        let worker = session.index()?;
        let index = worker.index();
        let ws = session.workspace()?;
        Ok(index.claim_suggestions(&ws, &span_id, SUGGESTIONS)?)
    })
    .await
}

/// Starts a group from CLAIM spans (worded as the first unless `canonical` is given).
#[tauri::command]
pub async fn start_claim_group(
    state: State<'_, AppState>,
    span_ids: Vec<String>,
    canonical: Option<String>,
) -> Result<ClaimGroup, CommandError> {
    write(state, move |ws, who| {
        ws.start_claim_group(&span_ids, canonical.as_deref(), who)
    })
    .await
}

/// Puts CLAIM spans into a group, or takes them out with `null`.
#[tauri::command]
pub async fn set_claim_group(
    state: State<'_, AppState>,
    span_ids: Vec<String>,
    group_id: Option<String>,
) -> Result<(), CommandError> {
    write(state, move |ws, who| {
        ws.set_claim_group(&span_ids, group_id.as_deref(), who)
    })
    .await
}

/// Groups a claim with a suggested passage, annotating the passage as a CLAIM if needed.
#[tauri::command]
pub async fn group_claim_with_passage(
    state: State<'_, AppState>,
    span_id: String,
    doc_id: String,
    start: u32,
    end: u32,
    exact: bool,
) -> Result<AddedToGroup, CommandError> {
    write(state, move |ws, who| {
        ws.group_claim_with_passage(&span_id, &doc_id, start, end, exact, who)
    })
    .await
}

#[tauri::command]
pub async fn update_claim_group(
    state: State<'_, AppState>,
    id: String,
    edit: GroupEdit,
) -> Result<ClaimGroup, CommandError> {
    write(state, move |ws, who| ws.update_claim_group(&id, edit, who)).await
}

#[tauri::command]
pub async fn merge_claim_groups(
    state: State<'_, AppState>,
    from: String,
    into: String,
) -> Result<ClaimGroup, CommandError> {
    write(state, move |ws, who| {
        ws.merge_claim_groups(&from, &into, who)
    })
    .await
}

#[tauri::command]
pub async fn delete_claim_group(
    state: State<'_, AppState>,
    id: String,
) -> Result<(), CommandError> {
    write(state, move |ws, who| ws.delete_claim_group(&id, who)).await
}

/// Opens the compare view for `filter`: every row lean and the members of rows
/// `first..first + count`. The table is kept for [`compare_rows`].
#[tauri::command]
pub async fn compare_open(
    state: State<'_, AppState>,
    filter: CompareFilter,
    first: u32,
    count: u32,
) -> Result<CompareOpening, CommandError> {
    let session = state.session()?;
    blocking(move || {
        let ws = session.workspace()?;
        Ok(session.compare_pages()?.open(&ws, &filter, first, count)?)
    })
    .await
}

/// The members of rows `first..first + count` of the compare view opened as `generation`.
#[tauri::command]
pub async fn compare_rows(
    state: State<'_, AppState>,
    generation: u32,
    first: u32,
    count: u32,
) -> Result<CompareRows, CommandError> {
    let session = state.session()?;
    blocking(move || Ok(session.compare_pages()?.rows(generation, first, count))).await
}
