/** The app's state and the actions that change it. All IPC goes through `$lib/api`. */
import * as api from "$lib/api";
import type { DocumentSummary } from "$lib/bindings/DocumentSummary";
import type { DocumentView } from "$lib/bindings/DocumentView";
import type { LabelSchema } from "$lib/bindings/LabelSchema";
import type { Span } from "$lib/bindings/Span";
import type { WorkspaceInfo } from "$lib/bindings/WorkspaceInfo";
import { step, type NavCommand } from "$lib/keys";

/** An error shown in the banner until the user dismisses it. */
export interface ShownError {
  id: number;
  kind: string;
  message: string;
  /** What the app was doing, e.g. "Opening the document". */
  context: string;
}

export class Workbench {
  workspace = $state.raw<WorkspaceInfo | null>(null);
  documents = $state.raw<DocumentSummary[]>([]);
  schema = $state.raw<LabelSchema | null>(null);
  selectedId = $state<string | null>(null);
  /** The open document; it may lag `selectedId` while the next one loads. */
  view = $state.raw<DocumentView | null>(null);
  selectedSpanId = $state<string | null>(null);
  loadingDocument = $state(false);
  errors = $state<ShownError[]>([]);

  #nextErrorId = 1;
  /** Counts document requests, so that a slow answer to an older one is dropped. */
  #request = 0;

  selectedSpan: Span | null = $derived(
    this.view?.spans.find((s) => s.id === this.selectedSpanId) ?? null,
  );

  /** Loads the workspace, its documents and schema, and opens the first document. */
  async load(): Promise<void> {
    const [info, docs, schema] = await Promise.allSettled([
      api.workspaceInfo(),
      api.listDocuments(),
      api.getSchema(),
    ]);
    if (info.status === "fulfilled") this.workspace = info.value;
    else this.report("Opening the workspace", info.reason);
    if (schema.status === "fulfilled") this.schema = schema.value;
    else this.report("Loading the label schema", schema.reason);
    if (docs.status === "fulfilled") {
      this.documents = docs.value;
      const first = docs.value[0];
      if (this.selectedId === null && first !== undefined) await this.select(first.id);
    } else {
      this.report("Listing the documents", docs.reason);
    }
  }

  async select(id: string): Promise<void> {
    this.selectedId = id;
    this.selectedSpanId = null;
    const request = ++this.#request;
    this.loadingDocument = true;
    try {
      const view = await api.getDocument(id);
      if (request !== this.#request) return;
      this.view = view;
    } catch (e) {
      if (request !== this.#request) return;
      this.view = null;
      this.report("Opening the document", e);
    } finally {
      if (request === this.#request) this.loadingDocument = false;
    }
  }

  /** Selects the next or previous document (J / K). */
  async move(cmd: NavCommand): Promise<void> {
    const id = step(
      this.documents.map((d) => d.id),
      this.selectedId,
      cmd,
    );
    if (id !== null && id !== this.selectedId) await this.select(id);
  }

  selectSpan(id: string | null): void {
    this.selectedSpanId = id;
  }

  report(context: string, reason: unknown): void {
    const err = reason instanceof api.ApiError ? reason : api.toApiError("", reason);
    console.error(`${context}: [${err.kind}] ${err.message}`);
    this.errors.push({ id: this.#nextErrorId++, kind: err.kind, message: err.message, context });
  }

  dismiss(id: number): void {
    this.errors = this.errors.filter((e) => e.id !== id);
  }
}
