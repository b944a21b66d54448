/**
 * Suggestions in the open document: what the core's rules and the workspace's pattern file
 * propose to whoever annotates, drawn as ghost spans until one is accepted (then it is an
 * ordinary annotation, one undo step) or turned down (then it is not proposed to them again).
 * All IPC goes through `$lib/api`.
 */
import { recall, remember } from "$lib/remembered";
import * as api from "$lib/api";
import type { Suggestion } from "$lib/bindings/Suggestion";
import type { Sharing } from "$lib/host";
import type { SpanInput } from "$lib/layout";
import { plural, truncate } from "$lib/format";

/** Where the reader's "show suggestions" choice is kept (localStorage). */
export const SHOW_SUGGESTIONS_KEY = "parallax.showSuggestions";

/** Ids of ghost spans start with this: no span of the core has such an id. */
const GHOST = "suggestion:";

/** The id of a suggestion's `index`-th span, as the reader draws it. */
export function ghostId(suggestion: number, span: number): string {
  return `${GHOST}${suggestion}:${span}`;
}

/** The suggestion a ghost span's id belongs to, or `null` for an annotation's id. */
export function suggestionOf(id: string): number | null {
  if (!id.startsWith(GHOST)) return null;
  const n = Number(id.slice(GHOST.length).split(":")[0]);
  return Number.isInteger(n) && n >= 0 ? n : null;
}

/** Where a suggestion starts in the text: its earliest span's start (code points). */
export function startOf(s: Suggestion): number {
  return Math.min(...s.spans.map((x) => x.start));
}

/** "CLAIM “…”, with SOURCE “…” and CUE “…”": what a notice says of a suggestion. */
export function describe(s: Suggestion): string {
  const [first, ...rest] = s.spans;
  if (first === undefined) return "an empty suggestion";
  const head = `${first.label} “${truncate(first.text, 40)}”`;
  if (rest.length === 0) return head;
  return `${head}, with ${rest.map((x) => `${x.label} “${truncate(x.text, 24)}”`).join(" and ")}`;
}

function storedShown(): boolean {
  return recall(SHOW_SUGGESTIONS_KEY) !== "false";
}

/** What the suggestions store needs of the workbench. */
export interface SuggestionsHost extends Sharing {
  /** The document open in the reader. */
  readonly view: { readonly document: { readonly id: string } } | null;
  /** Fetches a document's summary again (its span count) after a change. */
  refreshSummary(docId: string, recount?: boolean): Promise<void>;
  /** Clears the span selection: a suggestion in focus and a selected span exclude each other. */
  selectSpan(id: string | null): void;
}

export class Suggestions {
  readonly #host: SuggestionsHost;
  #request = 0;

  /** What is proposed in the document `of`, in text order. */
  list = $state.raw<Suggestion[]>([]);
  of = $state<string | null>(null);
  /** The suggestion in focus (its place in `list`): Enter accepts it, X turns it down. */
  focused = $state<number | null>(null);
  /** The reader draws suggestions (remembered on this computer). */
  shown = $state(storedShown());

  /** What the reader shows: the list while shown and while it is the open document's. */
  visible: Suggestion[] = $derived.by(() =>
    this.shown && this.of !== null && this.of === this.#host.view?.document.id ? this.list : [],
  );

  /** The suggestion in focus, when shown. */
  current: Suggestion | null = $derived(this.focused !== null ? (this.visible[this.focused] ?? null) : null);

  /** The ghost spans the reader draws behind the text (never among the annotations), in code points. */
  ghosts: SpanInput[] = $derived(
    this.visible.flatMap((s, i) => s.spans.map((x, j) => ({ id: ghostId(i, j), start: x.start, end: x.end, label: x.label }))),
  );

  /** The ghost span ids of the suggestion in focus, for the reader's outline. */
  focusedIds: string[] = $derived(
    this.current === null || this.focused === null ? [] : this.current.spans.map((_, j) => ghostId(this.focused!, j)),
  );

  constructor(host: SuggestionsHost) {
    this.#host = host;
  }

  /**
   * Fetches what is proposed in `docId`; `keep` keeps the focus at that place in the new list.
   * Hidden, nothing is fetched (showing them again fetches them).
   */
  async load(docId: string, keep: number | null = null): Promise<void> {
    const request = ++this.#request;
    if (!this.shown) {
      this.list = [];
      this.of = null;
      this.focused = null;
      return;
    }
    if (this.of !== docId) {
      this.list = [];
      this.focused = null;
    }
    this.of = docId;
    try {
      const list = await api.suggestions(docId);
      if (request !== this.#request) return;
      this.list = list;
      this.focused = keep === null || list.length === 0 ? null : Math.min(keep, list.length - 1);
    } catch (e) {
      if (request !== this.#request) return;
      this.list = [];
      this.focused = null;
      this.#host.report("Proposing suggestions", e);
    }
  }

  clear(): void {
    this.#request++;
    this.list = [];
    this.of = null;
    this.focused = null;
  }

  /** True when a span of `label` over `[start, end)` may complete a suggestion (then it is fetched again). */
  touches(span: { start: number; end: number; label: string }): boolean {
    return this.list.some((s) => s.spans.some((x) => x.label === span.label && x.start < span.end && span.start < x.end));
  }

  /** Puts a suggestion in focus (`null`: none), leaving no span selected. */
  focus(index: number | null): void {
    if (index !== null && (index < 0 || index >= this.list.length)) return;
    this.focused = index;
    if (index !== null) this.#host.selectSpan(null);
  }

  setShown(on: boolean): void {
    this.shown = on;
    const docId = this.#host.view?.document.id;
    if (docId !== undefined) void this.load(docId);
    remember(SHOW_SUGGESTIONS_KEY, String(on));
  }

  /** Enter: accepts the suggestion in focus (or `index`), with its relations; focus moves to the next. */
  async accept(index: number | null = this.focused): Promise<void> {
    const s = index === null ? undefined : this.list[index];
    const docId = this.of;
    if (s === undefined || index === null || docId === null || !this.shown) return;
    const first = s.spans[0]!;
    const outcome = await this.#host.share("Accepting the suggestion", () =>
      api.acceptSuggestion(docId, first.start, first.end, first.label),
    );
    if (outcome === undefined) {
      await this.load(docId, index);
      return;
    }
    this.#host.notice = `Accepted ${describe(s)}`;
    await this.#after(docId, index);
  }

  /** X: turns down the suggestion in focus (or `index`): not proposed to this annotator again. */
  async reject(index: number | null = this.focused): Promise<void> {
    const s = index === null ? undefined : this.list[index];
    const docId = this.of;
    if (s === undefined || index === null || docId === null || !this.shown) return;
    const first = s.spans[0]!;
    const done = await this.#host.share("Turning down the suggestion", async () => {
      await api.rejectSuggestion(docId, first.start, first.end, first.label);
      return true;
    });
    if (done === undefined) return;
    this.#host.notice = `Turned down ${describe(s)}`;
    await this.load(docId, index);
  }

  /** Accepts every suggestion of the open document, as one undo step. */
  async acceptAll(): Promise<void> {
    const docId = this.of;
    const count = this.list.length;
    if (docId === null || count === 0 || !this.shown) return;
    const outcome = await this.#host.share("Accepting the suggestions", () => api.acceptAllSuggestions(docId));
    if (outcome === undefined) {
      await this.load(docId);
      return;
    }
    this.#host.notice = `Accepted ${plural(count, "suggestion")}: ${plural(outcome.spans_added, "span")}, ${plural(outcome.relations_added, "relation")}`;
    await this.#after(docId, null);
  }

  /** After an acceptance: the document's new spans, its count, and what is left to propose. */
  async #after(docId: string, keep: number | null): Promise<void> {
    void this.#host.refreshSummary(docId, true);
    await Promise.all([this.#host.reloadOpen(), this.load(docId, keep)]);
  }
}
