/**
 * The team side of the mocked workspace: its settings, each layer's own status, progress, the
 * layers of a document, and what blind annotation lets an annotator see, as the core works them
 * out (`crates/core/src/store/team.rs`).
 */
import type { DocumentView } from "$lib/bindings/DocumentView";
import type { LayerSummary } from "$lib/bindings/LayerSummary";
import type { Span } from "$lib/bindings/Span";
import type { TeamProgress } from "$lib/bindings/TeamProgress";
import type { TeamSettings } from "$lib/bindings/TeamSettings";

/** What the team mock reads of the mocked workspace. */
export interface TeamWorkspace {
  views: Record<string, DocumentView>;
  /** Who each document is assigned to. */
  assignments: Record<string, string[]>;
  /** The curation's layers, when the mock has them apart from `views` (`CurationData`). */
  curation?: { docs: Record<string, { assigned: string[]; spans: { annotator: string }[] }> };
}

/**
 * Every annotator the mocked workspace knows, by name, gold left out, as `TeamProgress.names`:
 * whoever has a span, relation or document label, is assigned a document, has a layer status, or
 * has a layer in the curation.
 */
export function annotatorNames(ws: TeamWorkspace, statuses: LayerStatuses): string[] {
  const names = new Set<string>();
  for (const view of Object.values(ws.views)) {
    for (const s of view.spans) names.add(s.annotator);
    for (const r of view.relations) names.add(r.annotator);
    for (const l of view.doc_labels) names.add(l.annotator);
  }
  for (const assigned of Object.values(ws.assignments)) for (const name of assigned) names.add(name);
  for (const doc of Object.values(statuses)) for (const name of Object.keys(doc)) names.add(name);
  for (const doc of Object.values(ws.curation?.docs ?? {})) {
    for (const name of doc.assigned) names.add(name);
    for (const s of doc.spans) names.add(s.annotator);
  }
  names.delete("gold");
  return [...names].sort();
}

/** Each document's layers' own statuses (no entry: `new`), by document id then annotator. */
export type LayerStatuses = Record<string, Record<string, string>>;

/** Whether `viewer` sees the other layers: annotation is open, or they curate. */
export function seesAll(settings: TeamSettings, viewer: string): boolean {
  return !settings.blind || settings.curators.includes(viewer);
}

/** A document as `viewer` may see it: their own layer alone when blind and not a curator. */
export function viewAs(view: DocumentView, settings: TeamSettings, viewer: string): DocumentView {
  if (seesAll(settings, viewer)) return view;
  return {
    ...view,
    spans: view.spans.filter((s) => s.annotator === viewer),
    relations: view.relations.filter((r) => r.annotator === viewer),
    doc_labels: view.doc_labels.filter((l) => l.annotator === viewer),
  };
}

/** Each annotator's progress through their assigned documents, by name, and the curation's. */
export function teamProgressOf(ws: TeamWorkspace, statuses: LayerStatuses): TeamProgress {
  const by = new Map<string, { assigned: number; in_progress: number; done: number; skipped: number }>();
  for (const [docId, names] of Object.entries(ws.assignments)) {
    for (const name of names) {
      const p = by.get(name) ?? { assigned: 0, in_progress: 0, done: 0, skipped: 0 };
      p.assigned++;
      const status = statuses[docId]?.[name];
      if (status === "in_progress" || status === "done" || status === "skipped") p[status]++;
      by.set(name, p);
    }
  }
  return {
    names: annotatorNames(ws, statuses),
    annotators: [...by.keys()].sort().map((annotator) => ({ annotator, ...by.get(annotator)! })),
    to_curate: Object.values(ws.assignments).filter((names) => names.length >= 2).length,
    curated: Object.values(statuses).filter((s) => s.gold === "curated").length,
  };
}

/**
 * A document's layers that `viewer` may see: each annotator assigned it or with something in it,
 * by name with gold last.
 */
export function layersOf(
  ws: TeamWorkspace,
  statuses: LayerStatuses,
  settings: TeamSettings,
  docId: string,
  viewer: string,
): LayerSummary[] {
  const view = ws.views[docId];
  if (view === undefined) throw { kind: "document_not_found", message: `no document matches \`${docId}\`` };
  const assigned = ws.assignments[docId] ?? [];
  const names = new Set([
    ...view.spans.map((s) => s.annotator),
    ...view.relations.map((r) => r.annotator),
    ...view.doc_labels.map((l) => l.annotator),
    ...assigned,
    ...Object.keys(statuses[docId] ?? {}),
  ]);
  const layers = [...names]
    .sort((a, b) => Number(a === "gold") - Number(b === "gold") || (a < b ? -1 : a > b ? 1 : 0))
    .map((annotator) => ({
      annotator,
      status: statuses[docId]?.[annotator] ?? "new",
      assigned: assigned.includes(annotator),
      spans: view.spans.filter((s) => s.annotator === annotator).length,
    }));
  return seesAll(settings, viewer) ? layers : layers.filter((l) => l.annotator === viewer);
}

/** The team's commands over a mocked workspace that changes as the core's would. */
export class TeamMock {
  settings: TeamSettings = { blind: false, curators: [] };
  statuses: LayerStatuses = {};
  readonly #ws: TeamWorkspace;

  constructor(ws: TeamWorkspace) {
    this.#ws = ws;
  }

  /** `set_status` records the annotator's own status too (`new`: none). */
  setStatus(docId: string, annotator: string, status: string): void {
    const doc = (this.statuses[docId] ??= {});
    if (status === "new") delete doc[annotator];
    else doc[annotator] = status;
  }

  setSettings(settings: TeamSettings): TeamSettings {
    const curators: string[] = [];
    for (const raw of settings.curators) {
      const name = raw.trim();
      if (name === "gold") throw { kind: "invalid_setting", message: "`gold` is the curated layer, not a person who can curate" };
      if (name !== "" && !curators.includes(name)) curators.push(name);
    }
    if (settings.blind && curators.length === 0) {
      throw { kind: "invalid_setting", message: "blind annotation needs a curator, who sees every layer to settle them; name one" };
    }
    this.settings = { blind: settings.blind, curators };
    return structuredClone(this.settings);
  }

  setAssignees(docId: string, annotators: string[], viewer: string): LayerSummary[] {
    if (this.#ws.views[docId] === undefined) throw { kind: "document_not_found", message: `no document matches \`${docId}\`` };
    const names: string[] = [];
    for (const raw of annotators) {
      const name = raw.trim();
      if (name === "gold") throw { kind: "invalid_setting", message: "`gold` is the curated layer; documents are assigned to people" };
      if (name !== "" && !names.includes(name)) names.push(name);
    }
    if (names.length === 0) delete this.#ws.assignments[docId];
    else this.#ws.assignments[docId] = names;
    return this.layers(docId, viewer);
  }

  layers(docId: string, viewer: string): LayerSummary[] {
    return layersOf(this.#ws, this.statuses, this.settings, docId, viewer);
  }

  progress(): TeamProgress {
    return teamProgressOf(this.#ws, this.statuses);
  }
}

/** A span of `annotator`'s layer over the first `needle` of the document, as the core returns it. */
export function layerSpan(view: DocumentView, id: string, label: string, needle: string, annotator: string): Span {
  const text = view.document.text;
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`${needle} not in the text`);
  const start = Array.from(text.slice(0, at)).length;
  return {
    id,
    doc_id: view.document.id,
    start,
    end: start + Array.from(needle).length,
    label,
    text: needle,
    prefix: "",
    suffix: "",
    attrs: {},
    note: null,
    annotator,
    created_at: "2026-01-05T00:00:00Z",
    updated_at: "2026-01-05T00:00:00Z",
    source_entity: null,
    claim_group: null,
  };
}
