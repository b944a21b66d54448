/**
 * The app's state and the actions that change it. All IPC goes through `$lib/api`.
 *
 * Nothing is shown as saved before the core answered: a new span, label or relation appears from
 * the command's answer, never optimistically; an error goes to the banner and the text stays as
 * the core has it.
 */
import * as api from "$lib/api";
import type { DocFilter } from "$lib/bindings/DocFilter";
import type { DocMeta } from "$lib/bindings/DocMeta";
import type { DocStatus } from "$lib/bindings/DocStatus";
import type { DocumentSummary } from "$lib/bindings/DocumentSummary";
import type { DocumentView } from "$lib/bindings/DocumentView";
import type { HistoryEntry } from "$lib/bindings/HistoryEntry";
import type { LabelSchema } from "$lib/bindings/LabelSchema";
import type { Relation } from "$lib/bindings/Relation";
import type { Span } from "$lib/bindings/Span";
import type { WorkspaceInfo } from "$lib/bindings/WorkspaceInfo";
import { Agreement } from "$lib/agreement.svelte";
import { isArcsMode, nextArcsMode, type ArcsMode } from "$lib/arcs";
import { recall, remember } from "$lib/remembered";
import { Compare, type CompareHost } from "$lib/compare.svelte";
import { Cross, type CrossHost } from "$lib/cross.svelte";
import { Curate, type CurateHost } from "$lib/curate.svelte";
import { Jobs, type JobsHost } from "$lib/jobs.svelte";
import { DocumentPages } from "$lib/pages.svelte";
import { step } from "$lib/keys";
import { OffsetTable } from "$lib/offsets";
import { proposedPartner, relationChoices, type RelationChoice } from "$lib/relations";
import { stepExtent } from "$lib/selection";
import { Search } from "$lib/search.svelte";
import { ghostId, startOf, suggestionOf, Suggestions, type SuggestionsHost } from "$lib/suggestions.svelte";
import { Team, type TeamHost } from "$lib/team.svelte";
import { TeamSync, type SyncHost } from "$lib/sync.svelte";

/** An error shown in the banner until the user dismisses it. */
export interface ShownError {
  id: number;
  kind: string;
  message: string;
  /** What the app was doing, e.g. "Opening the document". */
  context: string;
}

/** A relation being made: from the selected span to one the user picks. */
export interface Linking {
  from: string;
  /** The span Tab has moved to (Enter picks it). */
  target: string | null;
  /** Offered when more than one relation type fits. */
  choices: RelationChoice[] | null;
}

/** Where the reader's arcs mode is kept (localStorage). */
export const ARCS_MODE_KEY = "parallax.arcsMode";

function storedArcsMode(): ArcsMode {
  const value = recall(ARCS_MODE_KEY);
  return isArcsMode(value) ? value : "all";
}

/** Spans in reading order: by start, longer first. */
function readingOrder(a: Span, b: Span): number {
  return a.start - b.start || b.end - a.end || (a.id < b.id ? -1 : 1);
}

/** The feature stores get this through their host interfaces, so that they need not import it. */
export class Workbench implements CrossHost, JobsHost, CompareHost, CurateHost, TeamHost, SuggestionsHost, SyncHost {
  workspace = $state.raw<WorkspaceInfo | null>(null);
  /** The document list, a page at a time. */
  readonly documents = new DocumentPages();
  schema = $state.raw<LabelSchema | null>(null);
  selectedId = $state<string | null>(null);
  /** The open document; it may lag `selectedId` while the next one loads. */
  view = $state.raw<DocumentView | null>(null);
  selectedSpanId = $state<string | null>(null);
  loadingDocument = $state(false);
  errors = $state<ShownError[]>([]);
  /** Search matches to mark in the open document, `[start, end)` in code points. */
  marks = $state.raw<[number, number][]>([]);
  linking = $state<Linking | null>(null);
  helpOpen = $state(false);
  /** Which relations the reader draws as arcs (remembered on this computer). */
  arcsMode = $state<ArcsMode>(storedArcsMode());
  /** Who the app records as the author of changes. */
  annotator = $state("");
  /**
   * The "who are you" dialog: `first` on the first start, when no name is saved yet (then it
   * cannot be cancelled, only confirmed).
   */
  askingName = $state<{ first: boolean } | null>(null);
  schemaOpen = $state(false);
  /** Commands sent and not answered yet: "Saving…" while above zero. */
  pending = $state(0);
  /** A short line about the last change ("Undid: add span"). */
  notice = $state<string | null>(null);
  /**
   * Counts changes to what spans across documents share (source entities, claim groups) and
   * undo / redo: whatever shows them fetches them again when it moves.
   */
  revision = $state(0);
  /** The compare view is shown instead of the reader and inspector. */
  comparing = $state(false);
  /** The agreement view is shown over the panes. */
  agreementOpen = $state(false);
  /** The document whose curation is shown in place of the panes, or `null`. */
  curating = $state<string | null>(null);

  readonly search = new Search();
  readonly jobs: Jobs = new Jobs(this);
  readonly cross: Cross = new Cross(this);
  readonly compare: Compare = new Compare(this);
  readonly agreement: Agreement = new Agreement(this);
  readonly curate: Curate = new Curate(this);
  readonly team: Team = new Team(this);
  readonly suggestions: Suggestions = new Suggestions(this);
  readonly sync: TeamSync = new TeamSync(this);

  #nextErrorId = 1;
  /** Counts document requests, so that a slow answer to an older one is dropped. */
  #request = 0;

  selectedSpan: Span | null = $derived(this.view?.spans.find((s) => s.id === this.selectedSpanId) ?? null);

  /** The open document's spans drawn in the text (the layers mode may hide others'), in reading order, for Tab. */
  orderedSpans: Span[] = $derived(this.view ? this.team.textSpans(this.view.spans).sort(readingOrder) : []);

  /**
   * For the selected span, when it lacks a relation its schema requires: the partner Enter links
   * it to (the claim a figure is in, the nearest source in the paragraph).
   */
  /** The open document's text and its offset table, built once per text (not once per edit). */
  #text: string | null = $derived(this.view?.document.text ?? null);
  table: OffsetTable | null = $derived(this.#text !== null ? new OffsetTable(this.#text) : null);

  proposal: RelationChoice | null = $derived.by(() => {
    const span = this.selectedSpan;
    const view = this.view;
    const table = this.table;
    if (span === null || view === null || table === null) return null;
    const text = view.document.text;
    const at = table.toUtf16(span.start);
    const from = text.lastIndexOf("\n\n", at);
    const to = text.indexOf("\n\n", at);
    const paragraph: [number, number] = [
      from < 0 ? 0 : table.toCodePoint(from + 2),
      to < 0 ? table.codePointLength : table.toCodePoint(to),
    ];
    return proposedPartner(this.schema, span, this.orderedSpans, view.relations, paragraph);
  });

  /** Loads the workspace, its documents and schema, and opens the first document. */
  async load(): Promise<void> {
    const [info, docs, schema, index, who, saved] = await Promise.allSettled([
      api.workspaceInfo(),
      this.documents.reset(this.listFilter()),
      api.getSchema(),
      api.indexStatus(),
      api.annotatorName(),
      api.annotatorSaved(),
      // Before the first document opens: whether a team works here sets how layers are drawn.
      this.team.load(),
      this.sync.load(),
    ]);
    if (who.status === "fulfilled") this.annotator = who.value;
    else this.report("Reading who you are", who.reason);
    if (saved.status === "fulfilled" && !saved.value) this.askingName = { first: true };
    else if (saved.status === "rejected") this.report("Reading who you are", saved.reason);
    if (info.status === "fulfilled") this.workspace = info.value;
    else this.report("Opening the workspace", info.reason);
    if (schema.status === "fulfilled") this.schema = schema.value;
    else this.report("Loading the label schema", schema.reason);
    if (index.status === "fulfilled") this.search.index = index.value;
    if (docs.status === "fulfilled") {
      const first = this.documents.at(0);
      if (this.selectedId === null && first !== null) await this.select(first.id);
    } else {
      this.report("Listing the documents", docs.reason);
    }
  }

  /** Reads the label schema again, after something other than the schema editor changed it. */
  async reloadSchema(): Promise<void> {
    try {
      this.schema = await api.getSchema();
    } catch (e) {
      this.report("Loading the label schema", e);
    }
  }

  /** Forgets the open workspace's state and loads the (new) workspace. */
  async reload(): Promise<void> {
    this.#request++;
    this.selectedId = null;
    this.view = null;
    this.selectedSpanId = null;
    this.linking = null;
    this.marks = [];
    this.search.clear();
    this.cross.clear();
    this.compare.clear();
    this.agreement.clear();
    this.agreementOpen = false;
    this.curate.clear();
    this.curating = null;
    this.team.clear();
    this.suggestions.clear();
    this.sync.clear();
    this.revision++;
    await this.load();
  }

  /**
   * Shows what a sync with the team server took in (event `workspace-changed`): the schema, the
   * documents (the open one kept), the open document's annotations, everyone's progress.
   */
  async takeInRemote(): Promise<void> {
    await Promise.all([this.reloadSchema(), this.refreshList(), this.reloadOpen(), this.team.loadProgress()]);
    const open = this.view?.document.id;
    if (open !== undefined) void this.suggestions.load(open, this.suggestions.focused);
    if (this.curating !== null) void this.curate.reload();
  }

  /** Lists the documents again (after an import), keeping the open document. */
  async refreshList(): Promise<void> {
    try {
      const [info] = await Promise.all([api.workspaceInfo(), this.documents.reset(this.listFilter())]);
      this.workspace = info;
      if (this.selectedId === null) {
        const first = this.documents.at(0);
        if (first !== null) await this.select(first.id);
      }
    } catch (e) {
      this.report("Listing the documents", e);
    }
    // Imported documents may carry claims and sources.
    this.revision++;
    if (this.search.active) void this.search.run();
  }

  /** Opens a document in the reader (leaving the compare view); `marks` are search matches to show in it. */
  async select(id: string, marks: [number, number][] = []): Promise<void> {
    this.comparing = false;
    this.agreementOpen = false;
    this.selectedId = id;
    this.selectedSpanId = null;
    this.linking = null;
    this.marks = marks;
    const request = ++this.#request;
    this.loadingDocument = true;
    try {
      const view = await api.getDocument(id);
      if (request !== this.#request) return;
      this.view = view;
      // After the text is shown: the reader never waits for its suggestions.
      void this.suggestions.load(id);
      // Someone new in it: the workspace's annotators, and so the colours, are fetched again.
      this.team.noteAnnotators(view.spans.map((s) => s.annotator));
    } catch (e) {
      if (request !== this.#request) return;
      this.view = null;
      this.report("Opening the document", e);
    } finally {
      if (request === this.#request) this.loadingDocument = false;
    }
  }

  /** The list's filter: the status and outlet chosen in the documents pane, and "my queue". */
  listFilter(): DocFilter {
    const f = this.search.filters;
    const filter: DocFilter = { status: f.status || null, outlet: f.outlet || null };
    // Left out when off: the core reads a missing field as "anyone's".
    if (this.search.myQueue) filter.assigned_to = this.annotator;
    return filter;
  }

  /** Shows the documents that pass the pane's status and outlet filters and "my queue". */
  async applyListFilter(): Promise<void> {
    try {
      await this.documents.reset(this.listFilter());
    } catch (e) {
      this.report("Listing the documents", e);
    }
  }

  /** Moves in order: a second J pressed before the first one's document opened goes one further. */
  #moves: Promise<void> = Promise.resolve();

  /** Selects the next or previous document (J / K): among the search hits when searching. */
  move(forward: boolean): Promise<void> {
    this.#moves = this.#moves.then(() => this.#move(forward));
    return this.#moves;
  }

  async #move(forward: boolean): Promise<void> {
    if (this.search.active && !this.search.spans) {
      const id = step(this.search.docHits.map((h) => h.doc_id), this.selectedId, forward);
      if (id !== null && id !== this.selectedId) void this.select(id);
      return;
    }
    try {
      const here = this.selectedId === null ? null : await this.documents.position(this.selectedId);
      const to = here === null ? (forward ? 0 : this.documents.total - 1) : here + (forward ? 1 : -1);
      const id = await this.documents.idAt(Math.max(0, Math.min(to, this.documents.total - 1)));
      // Not awaited: the next move starts from here while this document loads.
      if (id !== null && id !== this.selectedId) void this.select(id);
    } catch (e) {
      this.report("Moving to the next document", e);
    }
  }

  selectSpan(id: string | null): void {
    this.selectedSpanId = id;
    if (id !== null) this.suggestions.focus(null);
  }

  /** Puts a suggestion of the open document in focus (Enter accepts it, X turns it down). */
  focusSuggestion(index: number): void {
    if (this.linking !== null) return;
    this.suggestions.focus(index);
  }

  /** Opens a document in the reader (leaving the compare view) with one of its spans selected. */
  async openSpan(docId: string, spanId: string): Promise<void> {
    await this.select(docId);
    if (this.view?.document.id === docId && this.selectedId === docId) this.selectSpan(spanId);
  }

  /**
   * Tab / Shift+Tab: the next or previous span or suggestion in reading order (or, while
   * linking, the next span to link to).
   */
  walkSpans(forward: boolean): void {
    const ids = this.orderedSpans.map((s) => s.id);
    if (this.linking !== null && this.linking.choices === null) {
      const from = ids.filter((id) => id !== this.linking!.from);
      this.linking.target = step(from, this.linking.target, forward);
      return;
    }
    // Spans and suggestions together, by where they start (a span first at the same place); a
    // suggestion by the id of its first ghost span, which no span has.
    const items = [
      ...this.orderedSpans.map((s) => ({ key: s.id, start: s.start, ghost: false })),
      ...this.suggestions.visible.map((s, i) => ({ key: ghostId(i, 0), start: startOf(s), ghost: true })),
    ].sort((a, b) => a.start - b.start || Number(a.ghost) - Number(b.ghost));
    const focused = this.suggestions.focused;
    const current = this.selectedSpanId ?? (focused !== null ? ghostId(focused, 0) : null);
    const to = step(
      items.map((x) => x.key),
      current,
      forward,
    );
    if (to === null) return;
    const suggestion = suggestionOf(to);
    if (suggestion !== null) this.focusSuggestion(suggestion);
    else this.selectSpan(to);
  }

  /** The legend: the next span of `label` after the selected one (from the top at the end). */
  walkLabel(label: string): void {
    const ids = this.orderedSpans.filter((s) => s.label === label).map((s) => s.id);
    if (ids.length === 0) return;
    const at = this.selectedSpanId === null ? -1 : ids.indexOf(this.selectedSpanId);
    if (at === -1 && this.selectedSpan !== null) {
      // Another label's span is selected: the first of `label` after it.
      const from = this.selectedSpan.start;
      const after = this.orderedSpans.find((s) => s.label === label && s.start > from);
      this.selectSpan(after?.id ?? ids[0]!);
      return;
    }
    this.selectSpan(ids[(at + 1) % ids.length]!);
  }

  /** Sets which relations the reader draws (the A key cycles). */
  setArcsMode(mode: ArcsMode = nextArcsMode(this.arcsMode)): void {
    this.arcsMode = mode;
    this.notice = mode === "all" ? "Arcs: every relation" : mode === "selection" ? "Arcs: the selected span's relations" : "Arcs: hidden";
    remember(ARCS_MODE_KEY, mode);
  }

  /** Runs a command that changes the workspace, counting it as pending until it answers. */
  async #save<T>(context: string, f: () => Promise<T>): Promise<T | undefined> {
    this.pending++;
    try {
      return await f();
    } catch (e) {
      this.report(context, e);
      return undefined;
    } finally {
      this.pending--;
    }
  }

  /**
   * Runs a change to what documents share (source entities, claim groups): pending until it
   * answers, errors to the banner, and `revision` moved on after it so that panels refresh.
   */
  async share<T>(context: string, f: () => Promise<T>): Promise<T | undefined> {
    const result = await this.#save(context, f);
    this.revision++;
    return result;
  }

  /** Changes the open document's spans as a shared change did in the core. */
  patchSpans(update: (s: Span) => Span): void {
    const view = this.view;
    if (view === null) return;
    let changed = false;
    const spans = view.spans.map((s) => {
      const next = update(s);
      if (next !== s) changed = true;
      return next;
    });
    if (changed) this.view = { ...view, spans };
  }

  /** Fetches the open document again, keeping the selected span when it is still there. */
  async reloadOpen(): Promise<void> {
    const docId = this.view?.document.id;
    if (docId === undefined || this.selectedId !== docId) return;
    const keep = this.selectedSpanId;
    const request = ++this.#request;
    try {
      const view = await api.getDocument(docId);
      if (request !== this.#request) return;
      this.view = view;
      this.selectedSpanId = view.spans.some((s) => s.id === keep) ? keep : null;
      this.team.noteAnnotators(view.spans.map((s) => s.annotator));
    } catch (e) {
      if (request !== this.#request) return;
      this.report("Reloading the document", e);
    }
  }

  /** Replaces the open document's spans and relations (when it is still `docId`). */
  #patch(docId: string, spans: (s: Span[]) => Span[], relations: (r: Relation[]) => Relation[] = (r) => r) {
    const view = this.view;
    if (view === null || view.document.id !== docId) return;
    this.view = { ...view, spans: spans(view.spans), relations: relations(view.relations) };
  }

  /** Fetches a document's summary again (span count, status) after a change. */
  async refreshSummary(docId: string, recount = false): Promise<void> {
    try {
      this.#applySummary(await api.documentSummary(docId), recount);
    } catch (e) {
      this.report("Refreshing the document list", e);
    }
  }

  /** Labels `[start, end)` (code points) of the open document. */
  async addSpan(start: number, end: number, label: string): Promise<void> {
    const view = this.view;
    if (view === null) return;
    const docId = view.document.id;
    // The first annotation puts a new document (and the annotator's layer) in progress.
    const wasNew = view.document.status === "new";
    const span = await this.#save("Adding the span", () => api.addSpan(docId, start, end, label));
    if (span === undefined) return;
    this.#patch(docId, (spans) => [...spans, span]);
    // The user's first span makes them an annotator of the workspace.
    this.team.noteAnnotators([span.annotator]);
    this.selectSpan(span.id);
    this.notice = `Added ${label}: “${span.text}”`;
    void this.refreshSummary(docId, wasNew);
    if (wasNew) void this.team.afterStatus(docId);
    // A suggestion the new span completes is no longer proposed.
    if (this.suggestions.touches(span)) void this.suggestions.load(docId);
  }

  async relabel(spanId: string, label: string): Promise<void> {
    const span = await this.#save("Changing the label", () => api.setSpanLabel(spanId, label));
    if (span === undefined) return;
    this.#patch(span.doc_id, (spans) => spans.map((s) => (s.id === span.id ? span : s)));
    this.notice = `Relabelled as ${label}`;
  }

  /** Moves an edge of the selected span by one word (Shift+arrows). */
  async resizeSelected(edge: "start" | "end", grow: boolean): Promise<void> {
    const span = this.selectedSpan;
    const view = this.view;
    if (span === null || view === null) return;
    const text = view.document.text;
    const table = this.table ?? new OffsetTable(text);
    const next = stepExtent(text, { start: table.toUtf16(span.start), end: table.toUtf16(span.end) }, edge, grow);
    if (next === null) return;
    const start = table.toCodePoint(next.start);
    const end = table.toCodePoint(next.end);
    if (start === span.start && end === span.end) return;
    const saved = await this.#save("Resizing the span", () => api.setSpanExtent(span.id, start, end));
    if (saved === undefined) return;
    this.#patch(saved.doc_id, (spans) => spans.map((s) => (s.id === saved.id ? saved : s)));
    this.notice = `“${saved.text}”`;
  }

  async setAttribute(spanId: string, name: string, value: unknown): Promise<void> {
    const span = await this.#save(`Setting ${name}`, () => api.setSpanAttribute(spanId, name, value));
    if (span === undefined) return;
    this.#patch(span.doc_id, (spans) => spans.map((s) => (s.id === span.id ? span : s)));
  }

  async setNote(spanId: string, note: string): Promise<void> {
    const span = await this.#save("Saving the note", () => api.setSpanNote(spanId, note.trim() || null));
    if (span === undefined) return;
    this.#patch(span.doc_id, (spans) => spans.map((s) => (s.id === span.id ? span : s)));
  }

  /** Deletes a span and its relations (as the core does), selecting the next span. */
  async deleteSpan(spanId: string): Promise<void> {
    const view = this.view;
    if (view === null) return;
    const docId = view.document.id;
    const ids = this.orderedSpans.map((s) => s.id);
    const at = ids.indexOf(spanId);
    const done = await this.#save("Deleting the span", async () => {
      await api.deleteSpan(spanId);
      return true;
    });
    if (done === undefined) return;
    this.#patch(
      docId,
      (spans) => spans.filter((s) => s.id !== spanId),
      (rels) => rels.filter((r) => r.head !== spanId && r.child !== spanId),
    );
    const rest = ids.filter((id) => id !== spanId);
    this.selectedSpanId = rest[Math.min(at, rest.length - 1)] ?? null;
    this.notice = "Deleted the span";
    void this.refreshSummary(docId);
    // What the span had completed is proposed again.
    void this.suggestions.load(docId);
  }

  /** R: starts linking the selected span to another. */
  startLinking(): void {
    if (this.selectedSpanId === null) {
      this.notice = "Select a span first, then press R to link it";
      return;
    }
    this.linking = { from: this.selectedSpanId, target: null, choices: null };
    this.notice = "Click the span to link to (or Tab to it and press Enter); Esc cancels";
  }

  /** The user picked the other end of the relation being made. */
  async pickLinkTarget(targetId: string): Promise<void> {
    const linking = this.linking;
    const spans = this.view?.spans ?? [];
    const from = spans.find((s) => s.id === linking?.from);
    const to = spans.find((s) => s.id === targetId);
    if (linking === null || from === undefined || to === undefined) return;
    if (from.id === to.id) return;
    const choices = relationChoices(this.schema, from, to);
    if (choices.length === 0) {
      this.linking = null;
      this.report("Linking spans", {
        kind: "relation_not_allowed",
        message: `no relation type of the schema links a ${from.label} span and a ${to.label} span`,
      });
      return;
    }
    if (choices.length === 1) {
      await this.addRelation(choices[0]!);
      return;
    }
    this.linking = { ...linking, target: to.id, choices };
  }

  async addRelation(choice: RelationChoice): Promise<void> {
    this.linking = null;
    const rel = await this.#save("Adding the relation", () =>
      api.addRelation(choice.head, choice.child, choice.type.name),
    );
    if (rel === undefined) return;
    this.#patch(rel.doc_id, (s) => s, (rels) => [...rels, rel]);
    this.notice = `Linked: ${choice.type.name}`;
  }

  async deleteRelation(id: string): Promise<void> {
    const docId = this.view?.document.id;
    const done = await this.#save("Removing the relation", async () => {
      await api.deleteRelation(id);
      return true;
    });
    if (done === undefined || docId === undefined) return;
    this.#patch(docId, (s) => s, (rels) => rels.filter((r) => r.id !== id));
    this.notice = "Removed the relation";
  }

  /** Sets or clears a document label on the open document. */
  async setDocLabel(label: string, on: boolean): Promise<void> {
    const docId = this.view?.document.id;
    if (docId === undefined) return;
    const labels = await this.#save(`Setting ${label}`, () => api.setDocLabel(docId, label, on));
    const view = this.view;
    if (labels === undefined || view === null || view.document.id !== docId) return;
    this.view = { ...view, doc_labels: labels };
  }

  async undo(): Promise<void> {
    const entry = await this.#save("Undoing", () => api.undo());
    if (entry !== undefined) await this.#afterHistory("Undid", entry);
  }

  async redo(): Promise<void> {
    const entry = await this.#save("Redoing", () => api.redo());
    if (entry !== undefined) await this.#afterHistory("Redid", entry);
  }

  /**
   * After undo or redo: show the document it changed as the core now has it. A change to
   * entities or groups names no document (it may touch any): the open one is fetched again.
   */
  async #afterHistory(verb: string, entry: HistoryEntry): Promise<void> {
    this.notice = `${verb}: ${entry.what || entry.action.replace(/_/g, " ")}`;
    this.revision++;
    // A status or an assignment taken back moves someone's progress.
    void this.team.loadProgress();
    // The Curate view shows what the core has now (its text never changes: the curation alone).
    if (this.curating !== null) void this.curate.reload();
    const docId = entry.doc_id;
    // An acceptance or a turning-down taken back proposes the suggestion again.
    const open = this.view?.document.id;
    if (open !== undefined && (docId === null || docId === open)) void this.suggestions.load(open, this.suggestions.focused);
    if (docId === null) {
      await this.reloadOpen();
      return;
    }
    void this.refreshSummary(docId, true);
    // In the compare and Curate views the reader is not shown: stay, with the view refreshed.
    if (this.selectedId !== docId && !this.comparing && this.curating === null) {
      await this.select(docId);
      return;
    }
    await this.reloadOpen();
  }

  async setStatus(status: DocStatus): Promise<void> {
    const docId = this.view?.document.id;
    if (docId === undefined) return;
    const fresh = await this.#save("Setting the status", () => api.setStatus(docId, status));
    if (fresh === undefined) return;
    this.#applySummary(fresh, true);
    // The status is the annotator's own too: their progress and the document's layers show it.
    void this.team.afterStatus(docId);
  }

  /** Ctrl+Enter: done, and on to the next document. */
  async doneAndNext(): Promise<void> {
    await this.setStatus("done");
    await this.move(true);
  }

  async saveMetadata(meta: DocMeta): Promise<void> {
    const docId = this.view?.document.id;
    if (docId === undefined) return;
    const fresh = await this.#save("Saving the document's details", () => api.setMetadata(docId, meta));
    if (fresh === undefined) return;
    this.#applySummary(fresh, true);
    this.notice = "Saved the document's details";
  }

  /** Shows a fresh summary; `recount` when the change may move the done / total counts. */
  #applySummary(fresh: DocumentSummary, recount = false): void {
    this.documents.update(fresh);
    if (recount) void this.documents.refreshFacets().catch((e) => this.report("Counting the documents", e));
    const view = this.view;
    if (view !== null && view.document.id === fresh.id) {
      this.view = { ...view, document: { ...view.document, ...fresh } };
    }
  }

  /**
   * Saves an edited schema; `renames` are [old, new] label names. Returns why the core refused
   * it, or `null` once saved (then the open document is shown with its relabelled spans).
   */
  async saveSchema(schema: LabelSchema, renames: [string, string][]): Promise<string | null> {
    this.pending++;
    try {
      this.schema = await api.updateSchema(schema, renames);
    } catch (e) {
      return api.toApiError("update_schema", e).message;
    } finally {
      this.pending--;
    }
    this.notice = "Saved the label schema";
    const id = this.view?.document.id;
    if (id !== undefined) {
      const keep = this.selectedSpanId;
      await this.select(id, this.marks);
      this.selectedSpanId = keep;
    }
    return null;
  }

  /**
   * Records changes as `name` from now on. Returns why the core refused it, or `null` once saved
   * (then the dialog closes).
   */
  async setAnnotator(name: string): Promise<string | null> {
    this.pending++;
    try {
      this.annotator = await api.setAnnotatorName(name);
    } catch (e) {
      return api.toApiError("set_annotator_name", e).message;
    } finally {
      this.pending--;
    }
    this.askingName = null;
    this.notice = `Your changes are recorded as ${this.annotator}`;
    // "My queue" is the new name's queue now.
    if (this.search.myQueue) void this.applyListFilter();
    void this.team.afterAnnotatorSwitch();
    return null;
  }

  /**
   * Shows a document's curation in place of the panes. The reader opens the document too, so
   * that closing the view leaves the curator on it.
   */
  openCuration(docId: string): void {
    this.agreementOpen = false;
    this.comparing = false;
    this.curating = docId;
    if (this.selectedId !== docId) void this.select(docId);
    void this.curate.load(docId);
  }

  /**
   * Shows the compare view in place of the panes, or goes back to the reader. Its table is asked
   * for at once, while the view is being drawn (the view asks again only when that changes).
   */
  toggleCompare(): void {
    if (this.curating !== null) this.closeCuration();
    if (!this.comparing) this.compare.refresh(this.revision, 0, true);
    this.comparing = !this.comparing;
  }

  /** Back to the reader, which fetches the document again: gold may have changed under it. */
  closeCuration(): void {
    const docId = this.curating;
    this.curating = null;
    this.curate.clear();
    if (docId === null) return;
    void this.refreshSummary(docId, true);
    void this.reloadOpen();
  }

  /** Escape: close what is open, innermost first. */
  escape(): void {
    if (this.helpOpen) this.helpOpen = false;
    else if (this.agreementOpen) this.agreementOpen = false;
    else if (this.curating !== null) this.closeCuration();
    else if (this.comparing) this.comparing = false;
    else if (this.linking !== null) {
      this.linking = null;
      this.notice = null;
    } else if (this.selectedSpanId !== null) this.selectedSpanId = null;
    else if (this.suggestions.focused !== null) this.suggestions.focus(null);
    else if (this.marks.length > 0) this.marks = [];
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
