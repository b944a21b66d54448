/**
 * The document list, fetched a page at a time around what is on screen: a workspace of 100,000
 * documents opens as fast as one of ten. Pages are kept once loaded; a filter change or an
 * import starts afresh.
 */
import * as api from "$lib/api";
import type { DocFilter } from "$lib/bindings/DocFilter";
import type { DocumentFacets } from "$lib/bindings/DocumentFacets";
import type { DocumentSummary } from "$lib/bindings/DocumentSummary";

export const PAGE_SIZE = 200;

export class DocumentPages {
  /** Documents that pass the filter. */
  total = $state(0);
  facets = $state.raw<DocumentFacets>({ total: 0, done: 0, outlets: [] });
  filter: DocFilter = { status: null, outlet: null };
  /** Bumped when a page arrives or a summary changes, so that rows redraw. */
  version = $state(0);

  #pages = new Map<number, DocumentSummary[]>();
  #loading = new Map<number, Promise<void>>();
  /** Counts resets, so that a page requested before one is dropped. */
  #generation = 0;

  /** The document at position `i`, or `null` while its page loads. */
  at(i: number): DocumentSummary | null {
    void this.version;
    return this.#pages.get(Math.floor(i / PAGE_SIZE))?.[i % PAGE_SIZE] ?? null;
  }

  /** Starts over with `filter`: counts, outlets and the first page. */
  async reset(filter: DocFilter): Promise<void> {
    this.filter = filter;
    this.#generation++;
    this.#pages = new Map();
    this.#loading = new Map();
    await Promise.all([this.#load(0), this.refreshFacets()]);
  }

  async refreshFacets(): Promise<void> {
    this.facets = await api.documentFacets();
  }

  /** Loads the pages that hold positions `[first, last)`. */
  async ensure(first: number, last: number): Promise<void> {
    const wanted: Promise<void>[] = [];
    for (let p = Math.floor(first / PAGE_SIZE); p * PAGE_SIZE < Math.min(last, this.total); p++) {
      if (!this.#pages.has(p)) wanted.push(this.#load(p));
    }
    await Promise.all(wanted);
  }

  #load(page: number): Promise<void> {
    const pending = this.#loading.get(page);
    if (pending) return pending;
    const generation = this.#generation;
    const promise = api.listDocuments(this.filter, page * PAGE_SIZE, PAGE_SIZE).then((r) => {
      if (generation !== this.#generation) return;
      this.#pages.set(page, r.docs);
      this.total = r.total;
      this.version++;
    });
    this.#loading.set(page, promise);
    promise.catch(() => this.#loading.delete(page));
    return promise;
  }

  /** The id at position `i` (loading its page), or `null` past the end. */
  async idAt(i: number): Promise<string | null> {
    if (i < 0 || i >= this.total) return null;
    await this.ensure(i, i + 1);
    return this.at(i)?.id ?? null;
  }

  /** Where document `id` is in the list, or `null` if the filter leaves it out. */
  async position(id: string): Promise<number | null> {
    for (const [p, docs] of this.#pages) {
      const at = docs.findIndex((d) => d.id === id);
      if (at >= 0) return p * PAGE_SIZE + at;
    }
    return api.documentPosition(this.filter, id);
  }

  /** Puts a fresh summary (status, span count) in place. */
  update(fresh: DocumentSummary): void {
    for (const docs of this.#pages.values()) {
      const at = docs.findIndex((d) => d.id === fresh.id);
      if (at >= 0) {
        docs[at] = fresh;
        this.version++;
      }
    }
  }
}
