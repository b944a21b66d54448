//! Search over the open workspace's index, as the user types.

use parallax_core::search::{DocHit, Page, SearchResults, SortBy, SpanHit};
use tauri::State;

use super::{AppState, blocking};
use crate::error::CommandError;
use crate::session::IndexStatus;

#[tauri::command]
pub async fn index_status(state: State<'_, AppState>) -> Result<IndexStatus, CommandError> {
    state.session()?.index_status()
}

#[tauri::command]
pub async fn search_documents(
    state: State<'_, AppState>,
    query: String,
    limit: usize,
    offset: usize,
    sort: SortBy,
) -> Result<SearchResults<DocHit>, CommandError> {
    let session = state.session()?;
    blocking(move || {
        let worker = session.index()?;
        let index = worker.index();
        let ws = session.workspace()?;
        Ok(index.search_documents(&ws, &query, Page { limit, offset }, sort)?)
    })
    .await
}

#[tauri::command]
pub async fn search_spans(
    state: State<'_, AppState>,
    query: String,
    limit: usize,
    offset: usize,
) -> Result<SearchResults<SpanHit>, CommandError> {
    let session = state.session()?;
    let viewer = state.annotator()?.name;
    blocking(move || {
        let worker = session.index()?;
        let index = worker.index();
        let ws = session.workspace()?;
        let page = Page { limit, offset };
        // While annotation is blind, an annotator finds spans in their own layer alone.
        Ok(if ws.team_settings()?.sees_all(&viewer) {
            index.search_spans(&ws, &query, page)?
        } else {
            index.search_spans_of_layer(&ws, &query, page, &viewer)?
        })
    })
    .await
}
