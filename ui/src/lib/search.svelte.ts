/** The documents pane's search and filters. All IPC goes through `$lib/api`. */
import * as api from "$lib/api";
import type { DocHit } from "$lib/bindings/DocHit";
import type { DocStatus } from "$lib/bindings/DocStatus";
import type { IndexStatus } from "$lib/bindings/IndexStatus";
import type { SortBy } from "$lib/bindings/SortBy";
import type { SpanHit } from "$lib/bindings/SpanHit";

/** Hits fetched per page of results. */
export const PAGE = 50;

export interface Filters {
  status: DocStatus | "";
  outlet: string;
  label: string;
}

/** Quotes a filter value for the query language when it has spaces or quotes. */
function quoted(value: string): string {
  return /^[^\s"():]+$/.test(value) ? value : `"${value.replace(/"/g, "")}"`;
}

/**
 * The query the index runs: what the user typed, AND-ed with the filters as field clauses. A
 * typed query that has OR in it is wrapped in parentheses so that the filters apply to all of it.
 */
export function composeQuery(text: string, filters: Filters): string {
  const parts: string[] = [];
  const typed = text.trim();
  if (typed) parts.push(/\bOR\b/.test(typed) ? `(${typed})` : typed);
  if (filters.status) parts.push(`status:${filters.status}`);
  if (filters.outlet) parts.push(`outlet:${quoted(filters.outlet)}`);
  if (filters.label) parts.push(`label:${quoted(filters.label)}`);
  return parts.join(" ");
}

/** True when the documents can be filtered from their summaries, without the index. */
export function filtersOnly(text: string, filters: Filters): boolean {
  return text.trim() === "" && filters.label === "";
}

export class Search {
  text = $state("");
  /** Search spans (label, text) instead of documents. */
  spans = $state(false);
  sort = $state<SortBy>("relevance");
  filters = $state<Filters>({ status: "", outlet: "", label: "" });
  /** Lists only the documents assigned to the annotator (the index knows no assignments). */
  myQueue = $state(false);
  docHits = $state.raw<DocHit[]>([]);
  spanHits = $state.raw<SpanHit[]>([]);
  total = $state(0);
  busy = $state(false);
  /** What is wrong with the query, shown under the box (not as an app error). */
  problem = $state<string | null>(null);
  index = $state.raw<IndexStatus>({ state: "building", done: 0, total: 0 });

  #request = 0;

  /** True when results come from the index rather than the plain document list. */
  get active(): boolean {
    return this.spans ? this.text.trim() !== "" || this.filters.label !== "" : !filtersOnly(this.text, this.filters);
  }

  clear(): void {
    this.text = "";
    this.filters = { status: "", outlet: "", label: "" };
    this.myQueue = false;
    this.docHits = [];
    this.spanHits = [];
    this.total = 0;
    this.problem = null;
  }

  /** Runs the search for the current text and filters; `more` appends the next page. */
  async run(more = false): Promise<void> {
    const request = ++this.#request;
    if (!this.active) {
      this.docHits = [];
      this.spanHits = [];
      this.total = 0;
      this.problem = null;
      this.busy = false;
      return;
    }
    const query = composeQuery(this.text, this.filters);
    const offset = more ? (this.spans ? this.spanHits.length : this.docHits.length) : 0;
    this.busy = true;
    try {
      if (this.spans) {
        const r = await api.searchSpans(query, PAGE, offset);
        if (request !== this.#request) return;
        this.spanHits = more ? [...this.spanHits, ...r.hits] : r.hits;
        this.total = r.total;
      } else {
        const r = await api.searchDocuments(query, PAGE, offset, this.sort);
        if (request !== this.#request) return;
        this.docHits = more ? [...this.docHits, ...r.hits] : r.hits;
        this.total = r.total;
      }
      this.problem = null;
    } catch (e) {
      if (request !== this.#request) return;
      const err = api.toApiError("search", e);
      this.problem = err.message;
      if (!more) {
        this.docHits = [];
        this.spanHits = [];
        this.total = 0;
      }
    } finally {
      if (request === this.#request) this.busy = false;
    }
  }
}
