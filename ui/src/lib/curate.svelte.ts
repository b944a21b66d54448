/**
 * The Curate view's state: one document's curation as the core answers it, the document's text,
 * and the version the curator is on. Every action asks the core and then shows the curation the
 * core answers after it, never a local guess. All IPC goes through `$lib/api`.
 */
import * as api from "$lib/api";
import type { Candidate } from "$lib/bindings/Candidate";
import type { Curation } from "$lib/bindings/Curation";
import type { Document } from "$lib/bindings/Document";
import type { MergeRule } from "$lib/bindings/MergeRule";
import { plural, truncate } from "$lib/format";
import type { Sharing } from "$lib/host";
import { isTypingTarget, type KeyLike } from "$lib/keys";

/**
 * What the Curate view needs of the workbench: it changes gold, whose copies keep their claim
 * groups and source entities, so the panels that show those refresh after each action.
 */
export interface CurateHost extends Sharing {
  /** The team store: a layer of someone it does not know yet has it fetch the annotators again. */
  readonly team: { noteAnnotators(annotators: Iterable<string>): void };
}

/** Where a version stands: in gold, turned down, kept out by a gold version it conflicts with, or still to decide. */
export type CandidateState = "open" | "gold" | "rejected" | "superseded";

export function candidateState(c: Candidate): CandidateState {
  if (c.gold !== null) return "gold";
  if (c.rejected) return "rejected";
  if (c.superseded) return "superseded";
  return "open";
}

/** Whether the curator has still to decide on it (as the core's `Candidate::open`). */
export function isOpen(c: Candidate): boolean {
  return c.gold === null && !c.rejected && !c.superseded;
}

/** Whether `name`'s layer has this version (`layers` is a plain object: `in` would find `constructor`). */
export function hasLayer(c: Candidate, name: string): boolean {
  return Object.hasOwn(c.layers, name);
}

export type CurationCounts = Record<CandidateState, number>;

export function countCandidates(candidates: readonly Candidate[]): CurationCounts {
  const counts: CurationCounts = { open: 0, gold: 0, rejected: 0, superseded: 0 };
  for (const c of candidates) counts[candidateState(c)]++;
  return counts;
}

/** The same version: extent and label (a candidate has no id of its own). */
function sameVersion(a: Candidate, b: Candidate): boolean {
  return a.start === b.start && a.end === b.end && a.label === b.label;
}

/** What a key asks of the Curate view. */
export type CurateCommand =
  | { kind: "step"; forward: boolean }
  | { kind: "step-open"; forward: boolean }
  /** 1–9: the version of the n-th layer (0-based here), in `Curation.annotators` order. */
  | { kind: "accept-layer"; index: number }
  | { kind: "accept" }
  | { kind: "reject" }
  | { kind: "merge"; rule: MergeRule }
  | { kind: "finish" }
  | { kind: "undo" }
  | { kind: "redo" }
  | { kind: "help" }
  | { kind: "close" }
  /** Escape in a field of the view: leave the field, not the view. */
  | { kind: "leave-field" };

/**
 * The command a keystroke gives in the Curate view, or `null` when the key is not the view's.
 * In a field only Escape is (it leaves the field).
 */
export function curateCommand(e: KeyLike): CurateCommand | null {
  if (e.isComposing === true) return null;
  if (isTypingTarget(e.target)) return e.key === "Escape" ? { kind: "leave-field" } : null;
  if (e.ctrlKey || e.metaKey) {
    if (e.altKey) return null;
    const k = e.key.toLowerCase();
    if (k === "z") return e.shiftKey === true ? { kind: "redo" } : { kind: "undo" };
    if (k === "y") return { kind: "redo" };
    return null;
  }
  if (e.altKey) return null;
  if (/^[1-9]$/.test(e.key)) return { kind: "accept-layer", index: Number(e.key) - 1 };
  switch (e.key) {
    case "j":
    case "J":
    case "ArrowDown":
      return { kind: "step", forward: true };
    case "k":
    case "K":
    case "ArrowUp":
      return { kind: "step", forward: false };
    case "n":
    case "N":
      return { kind: "step-open", forward: true };
    case "p":
    case "P":
      return { kind: "step-open", forward: false };
    case "a":
    case "A":
      return { kind: "accept" };
    case "x":
    case "X":
      return { kind: "reject" };
    // Shift tells the two rules apart.
    case "m":
      return { kind: "merge", rule: "unanimous" };
    case "M":
      return { kind: "merge", rule: "majority" };
    case "f":
    case "F":
      return { kind: "finish" };
    case "?":
      return { kind: "help" };
    case "Escape":
      return { kind: "close" };
    default:
      return null;
  }
}

/** The Curate view's keys, for its footer and the `?` overlay. */
export const CURATE_KEY_HELP: readonly [keys: string, what: string][] = [
  ["J / K, ↓ / ↑", "next / previous version"],
  ["N / P", "next / previous open disagreement"],
  ["1 … 9", "accept that layer's version of the selected span (layers numbered as in the header)"],
  ["A", "accept the selected version, when one layer alone has it"],
  ["X", "reject the selected version (out of gold and of later merges)"],
  ["M / Shift+M", "merge what every layer has / what most layers have"],
  ["F", "finish the curation (again: reopen it)"],
  ["Ctrl+Z / Ctrl+Shift+Z", "undo / redo"],
  ["Esc", "close the Curate view"],
];

export class Curate {
  /** The document being curated, or `null` when the view is closed. */
  docId = $state<string | null>(null);
  curation = $state.raw<Curation | null>(null);
  /** The document, for its text and title (`get_document`). */
  document = $state.raw<Document | null>(null);
  /** Index of the selected candidate in `curation.candidates`, or -1. */
  selected = $state(-1);
  loading = $state(false);
  /** Why the curation could not be opened (e.g. blind annotation), shown in its place. */
  error = $state.raw<{ kind: string; message: string } | null>(null);

  candidates: Candidate[] = $derived(this.curation?.candidates ?? []);
  selectedCandidate: Candidate | null = $derived(this.candidates[this.selected] ?? null);
  counts: CurationCounts = $derived(countCandidates(this.candidates));

  readonly #app: CurateHost;
  /** Counts requests, so that a slow answer to an older one is dropped. */
  #request = 0;

  constructor(app: CurateHost) {
    this.#app = app;
  }

  clear(): void {
    this.#request++;
    this.docId = null;
    this.curation = null;
    this.document = null;
    this.selected = -1;
    this.loading = false;
    this.error = null;
  }

  /** Opens a document's curation, on its first open version. */
  async load(docId: string): Promise<void> {
    const request = ++this.#request;
    this.docId = docId;
    this.curation = null;
    this.document = null;
    this.selected = -1;
    this.error = null;
    this.loading = true;
    try {
      const [curation, view] = await Promise.all([api.curation(docId), api.getDocument(docId)]);
      if (request !== this.#request) return;
      this.document = view.document;
      this.curation = curation;
      this.#app.team.noteAnnotators(curation.annotators);
      const open = curation.candidates.findIndex(isOpen);
      this.selected = open >= 0 ? open : curation.candidates.length > 0 ? 0 : -1;
    } catch (e) {
      if (request !== this.#request) return;
      const err = api.toApiError("curation", e);
      // Shown in the view in place of the curation, not in the banner as well.
      this.error = { kind: err.kind, message: err.message };
      console.error(`Opening the curation: [${err.kind}] ${err.message}`);
    } finally {
      if (request === this.#request) this.loading = false;
    }
  }

  /** Fetches the curation again (after an action, undo or redo), staying on the same version. */
  async reload(): Promise<void> {
    const docId = this.docId;
    if (docId === null) return;
    if (this.document === null) return this.load(docId);
    const keep = this.selectedCandidate;
    const at = this.selected;
    const request = ++this.#request;
    try {
      const curation = await api.curation(docId);
      if (request !== this.#request) return;
      this.curation = curation;
      const list = curation.candidates;
      const same = keep === null ? -1 : list.findIndex((c) => sameVersion(c, keep));
      // A version that is gone (undone) leaves the selection where it was.
      this.selected = same >= 0 ? same : list.length === 0 ? -1 : Math.min(Math.max(at, 0), list.length - 1);
    } catch (e) {
      if (request !== this.#request) return;
      this.#app.report("Reloading the curation", e);
    }
  }

  select(index: number): void {
    if (index >= 0 && index < this.candidates.length) this.selected = index;
  }

  /** J / K: the next or previous version, staying put at either end. */
  step(forward: boolean): void {
    const n = this.candidates.length;
    if (n === 0) return;
    if (this.selected < 0) this.selected = forward ? 0 : n - 1;
    else this.selected = Math.min(n - 1, Math.max(0, this.selected + (forward ? 1 : -1)));
  }

  /** N / P: the next or previous open version, going round at either end. */
  stepOpen(forward: boolean): void {
    const list = this.candidates;
    const n = list.length;
    for (let k = 1; k <= n; k++) {
      const i = (((this.selected + (forward ? k : -k)) % n) + n) % n;
      if (isOpen(list[i]!)) {
        this.selected = i;
        return;
      }
    }
    this.#app.notice = "Nothing is open: every version is in gold, rejected or superseded";
  }

  /** Runs an action on the core, then shows the curation as the core has it after it. */
  async #act<T>(context: string, f: () => Promise<T>): Promise<T | undefined> {
    const done = await this.#app.share(context, f);
    await this.reload();
    return done;
  }

  /** Merges into gold what every layer (or most of them) has, except what was rejected. */
  async merge(rule: MergeRule): Promise<void> {
    const docId = this.docId;
    if (docId === null || this.curation === null) return;
    const merged = await this.#act("Merging what the layers agree on", () => api.mergeAgreed(docId, rule));
    if (merged === undefined) return;
    const which = rule === "unanimous" ? "every layer" : "most layers";
    this.#app.notice =
      merged.spans === 0
        ? `Nothing to merge: no open version is in ${which}`
        : `Merged ${plural(merged.spans, "span")}${merged.relations > 0 ? ` and ${plural(merged.relations, "relation")}` : ""} that ${which} ${rule === "unanimous" ? "has" : "have"} into gold`;
  }

  /** Puts `annotator`'s version of the selected span into gold, in place of those it conflicts with. */
  async accept(annotator: string): Promise<void> {
    const c = this.selectedCandidate;
    if (c === null) return;
    const spanId = hasLayer(c, annotator) ? c.layers[annotator] : undefined;
    if (spanId === undefined) {
      this.#app.notice = `${annotator}'s layer has no ${c.label} “${truncate(c.text, 40)}”`;
      return;
    }
    const merged = await this.#act(`Accepting ${annotator}'s version`, () => api.acceptVersion(spanId));
    if (merged !== undefined) this.#app.notice = `Accepted ${annotator}'s ${c.label} “${truncate(c.text, 40)}” into gold`;
  }

  /** 1–9: the version of the layer at `index` (in `Curation.annotators` order). */
  acceptLayer(index: number): Promise<void> {
    const name = this.curation?.annotators[index];
    if (name === undefined) {
      this.#app.notice = `There is no layer ${index + 1}`;
      return Promise.resolve();
    }
    return this.accept(name);
  }

  /** A: accepts the selected version when one layer alone has it (else 1–9 say whose). */
  acceptSelected(): Promise<void> {
    const c = this.selectedCandidate;
    if (c === null) return Promise.resolve();
    const who = Object.keys(c.layers);
    if (who.length === 1) return this.accept(who[0]!);
    const n = this.curation?.annotators.length ?? 0;
    this.#app.notice =
      who.length === 0
        ? "Only gold has this version: there is no layer's version to accept"
        : `${who.length} layers have this version: press the number of the layer whose version to accept (1–${n})`;
    return Promise.resolve();
  }

  /** X: turns the selected version down: out of gold, and out of later merges. */
  async reject(): Promise<void> {
    const c = this.selectedCandidate;
    if (c === null) return;
    if (c.rejected) {
      this.#app.notice = "Already rejected";
      return;
    }
    // Any span with the version's extent and label stands for it, gold's included.
    const spanId = c.gold ?? Object.values(c.layers)[0];
    if (spanId === undefined) return;
    const done = await this.#act("Rejecting the version", async () => {
      await api.rejectVersion(spanId);
      return true;
    });
    if (done) this.#app.notice = `Rejected ${c.label} “${truncate(c.text, 40)}”`;
  }

  /** Marks the curation finished (gold's status `curated`), or open again. */
  async finish(finished: boolean): Promise<void> {
    const docId = this.docId;
    if (docId === null || this.curation === null) return;
    const left = this.counts.open;
    const done = await this.#act(finished ? "Finishing the curation" : "Reopening the curation", async () => {
      await api.finishCuration(docId, finished);
      return true;
    });
    if (!done) return;
    this.#app.notice = finished
      ? `Curation finished${left > 0 ? ` (${plural(left, "version")} left open)` : ""}`
      : "Curation reopened";
  }
}
