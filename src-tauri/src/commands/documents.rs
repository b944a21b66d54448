//! Reading documents and the schema; document status and metadata.

use parallax_core::model::{
    DocMeta, DocStatus, DocumentSummary, DocumentView, LabelSchema, WorkspaceInfo,
};
use parallax_core::store::{DocFilter, DocumentFacets, DocumentPage};
use tauri::{AppHandle, State};

use super::{AppState, blocking, read, read_as, write};
use crate::error::CommandError;
use crate::settings::{self, Annotator};

/// Who the app records as the author of changes: the name the user gave (or, at start,
/// `$PARALLAX_ANNOTATOR`), else, until they give one, the login name.
#[tauri::command]
pub fn annotator_name(state: State<'_, AppState>) -> Result<String, CommandError> {
    Ok(state.annotator()?.name)
}

/// Whether the user has said who they are; the UI asks on the first start, when they have not.
#[tauri::command]
pub fn annotator_saved(state: State<'_, AppState>) -> Result<bool, CommandError> {
    Ok(state.annotator()?.saved)
}

/// Makes `name` (trimmed; not empty, not `gold`) the author of changes from now on, and saves
/// it for the next start; answers the name as kept.
#[tauri::command]
pub async fn set_annotator_name(
    app: AppHandle,
    state: State<'_, AppState>,
    name: String,
) -> Result<String, CommandError> {
    let name = settings::valid_name(&name)?;
    let file = settings::file(&app)?;
    let kept = name.clone();
    blocking(move || {
        // Settings that cannot be read were reported at start; the new ones replace them.
        let mut saved = settings::load(&file).unwrap_or_default();
        saved.annotator = Some(kept);
        settings::save(&file, &saved)
    })
    .await?;
    state.set_annotator(Annotator {
        name: name.clone(),
        saved: true,
    })?;
    Ok(name)
}

#[tauri::command]
pub async fn workspace_info(state: State<'_, AppState>) -> Result<WorkspaceInfo, CommandError> {
    read(state, |ws| ws.info()).await
}

/// One page of the document list (the UI fetches the pages near what it shows).
#[tauri::command]
pub async fn list_documents(
    state: State<'_, AppState>,
    filter: DocFilter,
    offset: u32,
    limit: u32,
) -> Result<DocumentPage, CommandError> {
    read(state, move |ws| {
        ws.list_documents_page(&filter, offset, limit)
    })
    .await
}

/// Where a document is in the filtered list, for J / K and keeping it in view.
#[tauri::command]
pub async fn document_position(
    state: State<'_, AppState>,
    filter: DocFilter,
    id: String,
) -> Result<Option<u32>, CommandError> {
    read(state, move |ws| ws.document_position(&filter, &id)).await
}

#[tauri::command]
pub async fn document_facets(state: State<'_, AppState>) -> Result<DocumentFacets, CommandError> {
    read(state, |ws| ws.document_facets()).await
}

/// A document with the layers the annotator may see (their own alone while annotation is
/// blind, unless they curate).
#[tauri::command]
pub async fn get_document(
    state: State<'_, AppState>,
    id: String,
) -> Result<DocumentView, CommandError> {
    read_as(state, move |ws, who| ws.document_view_as(&id, who)).await
}

#[tauri::command]
pub async fn document_summary(
    state: State<'_, AppState>,
    id: String,
) -> Result<DocumentSummary, CommandError> {
    read(state, move |ws| ws.document_summary(&id)).await
}

#[tauri::command]
pub async fn get_schema(state: State<'_, AppState>) -> Result<LabelSchema, CommandError> {
    read(state, |ws| ws.schema()).await
}

/// Replaces the label schema; `renames` are (old, new) span label names, whose spans follow.
#[tauri::command]
pub async fn update_schema(
    state: State<'_, AppState>,
    schema: LabelSchema,
    renames: Vec<(String, String)>,
) -> Result<LabelSchema, CommandError> {
    write(state, move |ws, annotator| {
        ws.update_schema(&schema, &renames, annotator)
    })
    .await
}

#[tauri::command]
pub async fn set_status(
    state: State<'_, AppState>,
    id: String,
    status: DocStatus,
) -> Result<DocumentSummary, CommandError> {
    write(state, move |ws, who| {
        ws.set_status(&id, status, who)?;
        ws.document_summary(&id)
    })
    .await
}

#[tauri::command]
pub async fn set_metadata(
    state: State<'_, AppState>,
    id: String,
    meta: DocMeta,
) -> Result<DocumentSummary, CommandError> {
    write(state, move |ws, who| {
        ws.set_metadata(&id, meta, who)?;
        ws.document_summary(&id)
    })
    .await
}
