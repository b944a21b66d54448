/**
 * The one module that talks to the Rust side. Everything else calls these functions, so that
 * tests mock the IPC here (with `mockIPC` from `@tauri-apps/api/mocks`) and nowhere else.
 *
 * Types come from the core through ts-rs (`$lib/bindings`); never copy them by hand.
 */
import { Channel, invoke } from "@tauri-apps/api/core";
import type { AddedToGroup } from "$lib/bindings/AddedToGroup";
import type { AgreementOptions } from "$lib/bindings/AgreementOptions";
import type { AgreementReport } from "$lib/bindings/AgreementReport";
import type { BatchOutcome } from "$lib/bindings/BatchOutcome";
import type { ClaimGroup } from "$lib/bindings/ClaimGroup";
import type { ClaimSuggestion } from "$lib/bindings/ClaimSuggestion";
import type { CompareFilter } from "$lib/bindings/CompareFilter";
import type { CompareOpening } from "$lib/bindings/CompareOpening";
import type { CompareRows } from "$lib/bindings/CompareRows";
import type { DocFilter } from "$lib/bindings/DocFilter";
import type { DocHit } from "$lib/bindings/DocHit";
import type { DocumentFacets } from "$lib/bindings/DocumentFacets";
import type { DocumentPage } from "$lib/bindings/DocumentPage";
import type { DocLabel } from "$lib/bindings/DocLabel";
import type { DocMeta } from "$lib/bindings/DocMeta";
import type { DocStatus } from "$lib/bindings/DocStatus";
import type { DocumentSummary } from "$lib/bindings/DocumentSummary";
import type { DocumentView } from "$lib/bindings/DocumentView";
import type { EntityEdit } from "$lib/bindings/EntityEdit";
import type { EntitySuggestion } from "$lib/bindings/EntitySuggestion";
import type { ExportOptions } from "$lib/bindings/ExportOptions";
import type { ExportProgress } from "$lib/bindings/ExportProgress";
import type { ExportReport } from "$lib/bindings/ExportReport";
import type { GroupEdit } from "$lib/bindings/GroupEdit";
import type { HistoryEntry } from "$lib/bindings/HistoryEntry";
import type { ImportProgress } from "$lib/bindings/ImportProgress";
import type { ImportReport } from "$lib/bindings/ImportReport";
import type { IndexProgress } from "$lib/bindings/IndexProgress";
import type { IndexStatus } from "$lib/bindings/IndexStatus";
import type { LabelSchema } from "$lib/bindings/LabelSchema";
import type { MentionSuggestion } from "$lib/bindings/MentionSuggestion";
import type { Purpose } from "$lib/bindings/Purpose";
import type { RecentWorkspace } from "$lib/bindings/RecentWorkspace";
import type { Relation } from "$lib/bindings/Relation";
import type { SearchResults } from "$lib/bindings/SearchResults";
import type { SortBy } from "$lib/bindings/SortBy";
import type { SourceEntity } from "$lib/bindings/SourceEntity";
import type { SourceKind } from "$lib/bindings/SourceKind";
import type { SourceOverview } from "$lib/bindings/SourceOverview";
import type { Span } from "$lib/bindings/Span";
import type { SpanHit } from "$lib/bindings/SpanHit";
import type { Suggestion } from "$lib/bindings/Suggestion";
import type { SyncConflict } from "$lib/bindings/SyncConflict";
import type { SyncStatus } from "$lib/bindings/SyncStatus";
import type { WorkspaceInfo } from "$lib/bindings/WorkspaceInfo";
import type { Curation } from "$lib/bindings/Curation";
import type { LayerSummary } from "$lib/bindings/LayerSummary";
import type { MergeRule } from "$lib/bindings/MergeRule";
import type { Merged } from "$lib/bindings/Merged";
import type { TeamProgress } from "$lib/bindings/TeamProgress";
import type { TeamSettings } from "$lib/bindings/TeamSettings";

/** An error from a command, as the Rust side serialises it: `{ kind, message }`. */
export class ApiError extends Error {
  readonly kind: string;
  /** The command that failed. */
  readonly command: string;

  constructor(kind: string, message: string, command: string) {
    super(message);
    this.name = "ApiError";
    this.kind = kind;
    this.command = command;
  }
}

function isErrorPayload(value: unknown): value is { kind: string; message: string } {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.kind === "string" && typeof v.message === "string";
}

/** Turns whatever a failed `invoke` rejected with into an `ApiError`. */
export function toApiError(command: string, reason: unknown): ApiError {
  if (reason instanceof ApiError) return reason;
  if (isErrorPayload(reason)) return new ApiError(reason.kind, reason.message, command);
  if (typeof reason === "string") return new ApiError("ipc", reason, command);
  if (reason instanceof Error) return new ApiError("ipc", reason.message, command);
  return new ApiError("ipc", `unexpected error: ${String(reason)}`, command);
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw toApiError(command, reason);
  }
}

/** Who the app records as the author of changes. */
export function annotatorName(): Promise<string> {
  return call<string>("annotator_name");
}

/** Whether the user has said who they are (on the first start they have not: the app asks). */
export function annotatorSaved(): Promise<boolean> {
  return call<boolean>("annotator_saved");
}

/** Records changes as `name` from now on (trimmed; not empty, not `gold`); answers the name kept. */
export function setAnnotatorName(name: string): Promise<string> {
  return call<string>("set_annotator_name", { name });
}

export function workspaceInfo(): Promise<WorkspaceInfo> {
  return call<WorkspaceInfo>("workspace_info");
}

/** One page of the documents that pass `filter`, in import order. */
export function listDocuments(filter: DocFilter, offset: number, limit: number): Promise<DocumentPage> {
  return call<DocumentPage>("list_documents", { filter, offset, limit });
}

/** Where a document is among those that pass `filter`, or `null`. */
export function documentPosition(filter: DocFilter, id: string): Promise<number | null> {
  return call<number | null>("document_position", { filter, id });
}

export function documentFacets(): Promise<DocumentFacets> {
  return call<DocumentFacets>("document_facets");
}

export function getDocument(id: string): Promise<DocumentView> {
  return call<DocumentView>("get_document", { id });
}

export function getSchema(): Promise<LabelSchema> {
  return call<LabelSchema>("get_schema");
}

/** Replaces the label schema; `renames` are [old, new] label names whose spans follow. */
export function updateSchema(schema: LabelSchema, renames: [string, string][]): Promise<LabelSchema> {
  return call<LabelSchema>("update_schema", { schema, renames });
}

export function documentSummary(id: string): Promise<DocumentSummary> {
  return call<DocumentSummary>("document_summary", { id });
}

export function setStatus(id: string, status: DocStatus): Promise<DocumentSummary> {
  return call<DocumentSummary>("set_status", { id, status });
}

export function setMetadata(id: string, meta: DocMeta): Promise<DocumentSummary> {
  return call<DocumentSummary>("set_metadata", { id, meta });
}

/** Adds a span; `start` and `end` are code points. */
export function addSpan(docId: string, start: number, end: number, label: string): Promise<Span> {
  return call<Span>("add_span", { docId, start, end, label });
}

export function setSpanLabel(id: string, label: string): Promise<Span> {
  return call<Span>("set_span_label", { id, label });
}

/** Moves a span's boundaries (code points). */
export function setSpanExtent(id: string, start: number, end: number): Promise<Span> {
  return call<Span>("set_span_extent", { id, start, end });
}

export function setSpanAttribute(id: string, name: string, value: unknown): Promise<Span> {
  return call<Span>("set_span_attribute", { id, name, value });
}

export function setSpanNote(id: string, note: string | null): Promise<Span> {
  return call<Span>("set_span_note", { id, note });
}

/** Deletes a span and every relation that touches it. */
export function deleteSpan(id: string): Promise<void> {
  return call<void>("delete_span", { id });
}

export function addRelation(head: string, child: string, label: string): Promise<Relation> {
  return call<Relation>("add_relation", { head, child, label });
}

export function deleteRelation(id: string): Promise<void> {
  return call<void>("delete_relation", { id });
}

/** Sets or clears a document label; answers the document's labels. */
export function setDocLabel(docId: string, label: string, on: boolean): Promise<DocLabel[]> {
  return call<DocLabel[]>("set_doc_label", { docId, label, on });
}

/** What is still proposed to the annotator in a document (not accepted, turned down or annotated). */
export function suggestions(docId: string): Promise<Suggestion[]> {
  return call<Suggestion[]>("suggestions", { docId });
}

/** Accepts the suggestion whose first span is `[start, end)` with `label`, with its relations. */
export function acceptSuggestion(docId: string, start: number, end: number, label: string): Promise<BatchOutcome> {
  return call<BatchOutcome>("accept_suggestion", { docId, start, end, label });
}

/** Accepts every suggestion still proposed in a document, as one undo step. */
export function acceptAllSuggestions(docId: string): Promise<BatchOutcome> {
  return call<BatchOutcome>("accept_all_suggestions", { docId });
}

/** Turns down the suggestion whose first span is `[start, end)` with `label`, for good. */
export function rejectSuggestion(docId: string, start: number, end: number, label: string): Promise<void> {
  return call<void>("reject_suggestion", { docId, start, end, label });
}

export function undo(): Promise<HistoryEntry> {
  return call<HistoryEntry>("undo");
}

export function redo(): Promise<HistoryEntry> {
  return call<HistoryEntry>("redo");
}

export function indexStatus(): Promise<IndexStatus> {
  return call<IndexStatus>("index_status");
}

export function searchDocuments(
  query: string,
  limit: number,
  offset = 0,
  sort: SortBy = "relevance",
): Promise<SearchResults<DocHit>> {
  return call<SearchResults<DocHit>>("search_documents", { query, limit, offset, sort });
}

export function searchSpans(query: string, limit: number, offset = 0): Promise<SearchResults<SpanHit>> {
  return call<SearchResults<SpanHit>>("search_spans", { query, limit, offset });
}

/** Imports files and folders; `job` names the job for `cancelJob`. */
export function importPaths(
  job: string,
  paths: string[],
  onProgress: (p: ImportProgress) => void,
): Promise<ImportReport> {
  const channel = new Channel<ImportProgress>();
  channel.onmessage = onProgress;
  return call<ImportReport>("import_paths", { job, paths, onProgress: channel });
}

/**
 * Exports the workspace as `options` say. Without a split `path` is the data file (a folder for
 * brat) with NAME.manifest.json beside it; with a split it is a new folder holding the parts.
 */
export function exportDataset(
  job: string,
  path: string,
  options: ExportOptions,
  onProgress: (p: ExportProgress) => void,
): Promise<ExportReport> {
  const channel = new Channel<ExportProgress>();
  channel.onmessage = onProgress;
  return call<ExportReport>("export_dataset", { job, path, options, onProgress: channel });
}

/** Rebuilds the search index from the database, with progress; `job` names it for `cancelJob`. */
export function reindex(job: string, onProgress: (p: IndexProgress) => void): Promise<void> {
  const channel = new Channel<IndexProgress>();
  channel.onmessage = onProgress;
  return call<void>("reindex", { job, onProgress: channel });
}

export function cancelJob(job: string): Promise<boolean> {
  return call<boolean>("cancel_job", { job });
}

/** A native file dialog; `null` when the user cancelled. */
export function choosePaths(purpose: Purpose, suggestedName?: string): Promise<string[] | null> {
  return call<string[] | null>("choose_paths", { purpose, suggestedName: suggestedName ?? null });
}

export function recentWorkspaces(): Promise<RecentWorkspace[]> {
  return call<RecentWorkspace[]>("recent_workspaces");
}

/** Opens the workspace at `path`, or with `create` makes a new one there. */
export function openWorkspace(path: string, create: boolean): Promise<WorkspaceInfo> {
  return call<WorkspaceInfo>("open_workspace", { path, create });
}

// Source entities: who claims are attributed to, across documents.

/** Every source entity with its mention, document and claim counts. */
export function listSourceEntities(): Promise<SourceOverview[]> {
  return call<SourceOverview[]>("list_source_entities");
}

/** Entities a SOURCE span may name, best first. */
export function entitySuggestions(spanId: string): Promise<EntitySuggestion[]> {
  return call<EntitySuggestion[]>("entity_suggestions", { spanId });
}

/** SOURCE spans of any document, not linked yet, that name the entity. */
export function entityMentions(entityId: string): Promise<MentionSuggestion[]> {
  return call<MentionSuggestion[]>("entity_mentions", { entityId });
}

/** Creates an entity named as the span reads (or `name`) and links the span to it. */
export function createEntityFromSpan(spanId: string, name: string | null, kind: SourceKind): Promise<SourceEntity> {
  return call<SourceEntity>("create_entity_from_span", { spanId, name, kind });
}

/** Links SOURCE spans to an entity, or unlinks them with `null`; a new spelling becomes an alias. */
export function linkSourceEntity(spanIds: string[], entityId: string | null): Promise<void> {
  return call<void>("link_source_entity", { spanIds, entityId });
}

export function updateSourceEntity(id: string, edit: EntityEdit): Promise<SourceEntity> {
  return call<SourceEntity>("update_source_entity", { id, edit });
}

/** Moves every mention of `from` to `into` and deletes `from`. */
export function mergeSourceEntities(from: string, into: string): Promise<SourceEntity> {
  return call<SourceEntity>("merge_source_entities", { from, into });
}

/** Moves `spanIds` from entity `id` to a new entity called `name`. */
export function splitSourceEntity(id: string, spanIds: string[], name: string): Promise<SourceEntity> {
  return call<SourceEntity>("split_source_entity", { id, spanIds, name });
}

// Claim groups: the same claim across documents.

export function listClaimGroups(): Promise<ClaimGroup[]> {
  return call<ClaimGroup[]>("list_claim_groups");
}

/** Passages of other documents like a CLAIM span (its own group's members left out). */
export function claimSuggestions(spanId: string): Promise<ClaimSuggestion[]> {
  return call<ClaimSuggestion[]>("claim_suggestions", { spanId });
}

/** A new group of CLAIM spans, worded as the first unless `canonical` is given. */
export function startClaimGroup(spanIds: string[], canonical: string | null): Promise<ClaimGroup> {
  return call<ClaimGroup>("start_claim_group", { spanIds, canonical });
}

/** Puts CLAIM spans into a group, or takes them out with `null`. */
export function setClaimGroup(spanIds: string[], groupId: string | null): Promise<void> {
  return call<void>("set_claim_group", { spanIds, groupId });
}

/**
 * Puts the claim at `[start, end)` (code points) of a document into the group of claim `spanId`,
 * starting the group when it has none and annotating the passage as a CLAIM when it is not:
 * `[start, end)` as it is when `exact`, else the claim the core finds in it.
 */
export function groupClaimWithPassage(spanId: string, docId: string, start: number, end: number, exact: boolean): Promise<AddedToGroup> {
  return call<AddedToGroup>("group_claim_with_passage", { spanId, docId, start, end, exact });
}

/** Changes a group's wording, status, evidence (http/https addresses) or rationale. */
export function updateClaimGroup(id: string, edit: GroupEdit): Promise<ClaimGroup> {
  return call<ClaimGroup>("update_claim_group", { id, edit });
}

/** Moves every member of `from` into `into` and deletes `from`. */
export function mergeClaimGroups(from: string, into: string): Promise<ClaimGroup> {
  return call<ClaimGroup>("merge_claim_groups", { from, into });
}

/** Deletes a group; its claims stay, ungrouped. */
export function deleteClaimGroup(id: string): Promise<void> {
  return call<void>("delete_claim_group", { id });
}

/**
 * Opens the compare view: claim groups as rows (lean), the columns of both modes, the claims not
 * in a group yet, and the members of `count` rows from `first` (those in view).
 */
export function compareOpen(filter: CompareFilter, first: number, count: number): Promise<CompareOpening> {
  return call<CompareOpening>("compare_open", { filter, first, count });
}

/** The members of `count` rows from `first` of the compare view opened as `generation`. */
export function compareRows(generation: number, first: number, count: number): Promise<CompareRows> {
  return call<CompareRows>("compare_rows", { generation, first, count });
}

// Teams.

/** How far the annotators' layers agree, for the annotators and labels `options` name (empty: all). */
export function agreement(options: AgreementOptions): Promise<AgreementReport> {
  return call<AgreementReport>("agreement", { options });
}

/** Whether annotation is blind, and who curates. */
export function teamSettings(): Promise<TeamSettings> {
  return call<TeamSettings>("team_settings");
}

/** Replaces the team settings; answers them as kept. Blind annotation needs a curator. */
export function setTeamSettings(settings: TeamSettings): Promise<TeamSettings> {
  return call<TeamSettings>("set_team_settings", { settings });
}

/** Where the workspace stands with its team server (event `sync-status` tells every change). */
export function syncStatus(): Promise<SyncStatus> {
  return call<SyncStatus>("sync_status");
}

/** Syncs with the team server now; a `password` typed by the user is kept for the next syncs (in memory). */
export function syncNow(password: string | null): Promise<void> {
  return call<void>("sync_now", { password });
}

/** Links the workspace to a team server (`postgres://user@host/db`) and syncs with it. */
export function setRemote(url: string, password: string | null): Promise<void> {
  return call<void>("set_remote", { url, password });
}

/** The conflicts syncs met, newest first; from now on they count as looked at. */
export function syncConflicts(): Promise<SyncConflict[]> {
  return call<SyncConflict[]>("sync_conflicts");
}

/** Each annotator's done/total of the documents assigned to them, and the curation's. */
export function teamProgress(): Promise<TeamProgress> {
  return call<TeamProgress>("team_progress");
}

/** The layers of a document the annotator may see, with their status. */
export function documentLayers(id: string): Promise<LayerSummary[]> {
  return call<LayerSummary[]>("document_layers", { id });
}

/** Sets who is to annotate a document (none: nobody); answers its layers as they are then. */
export function setAssignees(id: string, annotators: string[]): Promise<LayerSummary[]> {
  return call<LayerSummary[]>("set_assignees", { id, annotators });
}

/** A document as the curator sees it: each version of each span, with the layers that have it. */
export function curation(id: string): Promise<Curation> {
  return call<Curation>("curation", { id });
}

/** Merges what the layers agree on (all of them, or a majority) into gold. */
export function mergeAgreed(id: string, rule: MergeRule): Promise<Merged> {
  return call<Merged>("merge_agreed", { id, rule });
}

/** Puts one layer's version of a span into gold, in place of the versions it conflicts with. */
export function acceptVersion(spanId: string): Promise<Merged> {
  return call<Merged>("accept_version", { spanId });
}

/** Turns down a version of a span: out of gold, and out of later merges. */
export function rejectVersion(spanId: string): Promise<void> {
  return call<void>("reject_version", { spanId });
}

/** Marks a document's curation finished (gold's status `curated`), or open again. */
export function finishCuration(id: string, finished: boolean): Promise<void> {
  return call<void>("finish_curation", { id, finished });
}
