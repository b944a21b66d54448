/** Long jobs (import, export) and switching workspaces: dialogs, progress, reports, cancel. */
import * as api from "$lib/api";
import type { DocumentFacets } from "$lib/bindings/DocumentFacets";
import type { ExportReport } from "$lib/bindings/ExportReport";
import type { ImportReport } from "$lib/bindings/ImportReport";
import type { Purpose } from "$lib/bindings/Purpose";
import type { RecentWorkspace } from "$lib/bindings/RecentWorkspace";
import type { WorkspaceInfo } from "$lib/bindings/WorkspaceInfo";
import { newExportDraft, suggestedName, toExportOptions, type ExportDraft } from "$lib/exportOptions";
import type { Feedback } from "$lib/host";

/** What the jobs store needs of the workbench that holds it. */
export interface JobsHost extends Feedback {
  /** The open workspace, whose name the export's file name starts with. */
  readonly workspace: WorkspaceInfo | null;
  /** The document counts, for an export's or reindex's total before the first progress. */
  readonly documents: { readonly facets: DocumentFacets };
  /** Reads the label schema again (an import added labels to it). */
  reloadSchema(): Promise<void>;
  /** Lists the documents again after an import. */
  refreshList(): Promise<void>;
  /** Forgets the open workspace's state and loads the one just opened. */
  reload(): Promise<void>;
}

/** A job on screen: running (with progress), or finished (with its report or error). */
export interface Job {
  id: string;
  kind: "import" | "export" | "reindex";
  /** What is being done, for the dialog's title. */
  title: string;
  done: number;
  total: number;
  /** "files" or "documents". */
  unit: string;
  /** More about the progress, e.g. documents stored so far inside a large file. */
  detail: string | null;
  running: boolean;
  cancelling: boolean;
  importReport: ImportReport | null;
  exportReport: ExportReport | null;
  /** Where the export went. */
  path: string | null;
  error: string | null;
  /** What a job without a report did, once done. */
  result: string | null;
}

let jobCounter = 0;

/** A new running job with nothing done yet. */
function newJob(kind: Job["kind"], title: string, total: number, unit: string, path: string | null = null): Job {
  return {
    id: `${kind}-${++jobCounter}`,
    kind,
    title,
    done: 0,
    total,
    unit,
    detail: null,
    running: true,
    cancelling: false,
    importReport: null,
    exportReport: null,
    path,
    error: null,
    result: null,
  };
}

export class Jobs {
  current = $state<Job | null>(null);
  /** The export dialog is open. */
  exportOpen = $state(false);
  /** The export dialog's fields, as last exported. */
  exportDraft = $state.raw<ExportDraft>(newExportDraft());
  recent = $state.raw<RecentWorkspace[]>([]);
  readonly #app: JobsHost;

  constructor(app: JobsHost) {
    this.#app = app;
  }

  /** Asks for files or folders with the native dialog, then imports them. */
  async chooseAndImport(purpose: Extract<Purpose, "import_files" | "import_folder">): Promise<void> {
    let paths: string[] | null;
    try {
      paths = await api.choosePaths(purpose);
    } catch (e) {
      this.#app.report("Choosing what to import", e);
      return;
    }
    if (paths !== null && paths.length > 0) await this.importPaths(paths);
  }

  /** Imports files and folders (from a dialog or dropped on the window). */
  async importPaths(paths: string[]): Promise<void> {
    if (this.current?.running) {
      this.#app.notice = "Another job is running; wait for it or cancel it first";
      return;
    }
    const name = paths.length === 1 ? (paths[0]!.split(/[\\/]/).filter((p) => p !== "").pop() ?? paths[0]!) : `${paths.length} items`;
    const job = newJob("import", `Importing ${name}`, 0, "files");
    const id = job.id;
    this.current = job;
    try {
      const report = await api.importPaths(id, paths, (p) => {
        if (this.current?.id !== id) return;
        this.current.done = p.files_done;
        this.current.total = p.files_total;
        const docs = p.documents_stored;
        this.current.detail = docs > 0 ? `${docs.toLocaleString("en")} document${docs === 1 ? "" : "s"} stored` : null;
      });
      if (this.current?.id === id) this.current.importReport = report;
      // Labels a dataset brought are drawn in their colours and offered at once.
      if (report.schema_added.length > 0) await this.#app.reloadSchema();
      await this.#app.refreshList();
    } catch (e) {
      if (this.current?.id === id) this.current.error = api.toApiError("import_paths", e).message;
    } finally {
      if (this.current?.id === id) this.current.running = false;
    }
  }

  /** Opens the export dialog, whose options come before the save dialog. */
  openExport(): void {
    if (this.current?.running) {
      this.#app.notice = "Another job is running; wait for it or cancel it first";
      return;
    }
    this.exportOpen = true;
  }

  closeExport(): void {
    this.exportOpen = false;
  }

  /** Asks where to save (a file or folder name that fits the format), then exports `draft`. */
  async chooseAndExport(draft: ExportDraft): Promise<void> {
    this.exportOpen = false;
    // Kept for the next export, which is often the same one again.
    this.exportDraft = draft;
    const options = toExportOptions(draft);
    if (options === null) return; // the dialog does not let an invalid draft through
    if (this.current?.running) {
      this.#app.notice = "Another job is running; wait for it or cancel it first";
      return;
    }
    const name = suggestedName(this.#app.workspace?.name ?? "parallax", draft.format, options.split !== null);
    let paths: string[] | null;
    try {
      paths = await api.choosePaths("export_file", name);
    } catch (e) {
      this.#app.report("Choosing where to export", e);
      return;
    }
    const path = paths?.[0];
    if (path === undefined) return;
    const job = newJob("export", `Exporting to ${path}`, this.#app.documents.facets.total, "documents", path);
    const id = job.id;
    this.current = job;
    try {
      const report = await api.exportDataset(id, path, options, (p) => {
        if (this.current?.id !== id) return;
        this.current.done = p.done;
        this.current.total = p.total;
      });
      if (this.current?.id === id) this.current.exportReport = report;
    } catch (e) {
      const err = api.toApiError("export_dataset", e);
      if (this.current?.id === id) {
        this.current.error = err.kind === "cancelled" ? "Cancelled: nothing was written." : err.message;
      }
    } finally {
      if (this.current?.id === id) this.current.running = false;
    }
  }

  /** Rebuilds the search index from the database, with progress; cancellable. */
  async reindex(): Promise<void> {
    if (this.current?.running) {
      this.#app.notice = "Another job is running; wait for it or cancel it first";
      return;
    }
    const job = newJob("reindex", "Rebuilding the search index", this.#app.documents.facets.total, "documents");
    const id = job.id;
    this.current = job;
    try {
      await api.reindex(id, (p) => {
        if (this.current?.id !== id) return;
        this.current.done = p.done;
        this.current.total = p.total;
      });
      if (this.current?.id === id) this.current.result = `Indexed ${this.current.total} documents.`;
    } catch (e) {
      const err = api.toApiError("reindex", e);
      if (this.current?.id === id) {
        this.current.error =
          err.kind === "cancelled" ? "Cancelled: search is off until the index is rebuilt." : err.message;
      }
    } finally {
      if (this.current?.id === id) this.current.running = false;
    }
  }

  async cancel(): Promise<void> {
    const job = this.current;
    if (job === null || !job.running) return;
    job.cancelling = true;
    try {
      await api.cancelJob(job.id);
    } catch (e) {
      this.#app.report("Cancelling", e);
    }
  }

  /** Closes a finished job's dialog. */
  close(): void {
    if (this.current !== null && !this.current.running) this.current = null;
  }

  async loadRecent(): Promise<void> {
    try {
      this.recent = await api.recentWorkspaces();
    } catch (e) {
      this.#app.report("Listing recent workspaces", e);
    }
  }

  /** Opens a workspace: chosen with the dialog (or `path`), or a new one with `create`. */
  async openWorkspace(create: boolean, path?: string): Promise<void> {
    let chosen = path;
    if (chosen === undefined) {
      try {
        chosen = (await api.choosePaths(create ? "new_workspace" : "open_workspace"))?.[0];
      } catch (e) {
        this.#app.report("Choosing a workspace", e);
        return;
      }
    }
    if (chosen === undefined) return;
    try {
      await api.openWorkspace(chosen, create);
    } catch (e) {
      this.#app.report(create ? "Creating the workspace" : "Opening the workspace", e);
      return;
    }
    await this.#app.reload();
    await this.loadRecent();
  }
}
