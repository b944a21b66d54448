/**
 * The compare view's state: its filters, the opening the core answered for them (every row lean,
 * the columns laid out once per answer), the members of the rows fetched a block at a time as the
 * view scrolls, and the groups and claims ticked for "Group selected". All IPC goes through
 * `$lib/api`.
 */
import * as api from "$lib/api";
import type { ClaimStatus } from "$lib/bindings/ClaimStatus";
import type { CompareFilter } from "$lib/bindings/CompareFilter";
import type { ClaimMember } from "$lib/bindings/ClaimMember";
import type { CompareOpening } from "$lib/bindings/CompareOpening";
import { compareLayout, groupingPlan, rowCells, type ColumnMode, type CompareLayout, type GroupingPlan, type MemberCell } from "$lib/claims";
import type { Sharing } from "$lib/host";

/** What the compare view needs of the workbench: it changes claim groups and says so. */
export type CompareHost = Sharing;

/** Rows whose members are fetched at once: a screenful and more, a small answer. */
export const ROW_BLOCK = 16;

export class Compare {
  statuses = $state<ClaimStatus[]>([]);
  /** A source entity's id, or "" for all. */
  entity = $state("");
  /** An outlet, or "" for all. */
  outlet = $state("");
  conflictsOnly = $state(false);
  columns = $state<ColumnMode>("outlets");

  opening = $state.raw<CompareOpening | null>(null);
  /** The members of the rows fetched so far, by row index. */
  members = $state.raw<ReadonlyMap<number, readonly ClaimMember[]>>(new Map());
  loading = $state(false);
  /** The outlet choices: every outlet of the openings fetched without an outlet filter. */
  outlets = $state.raw<string[]>([]);
  /** Ticked group rows and ungrouped claims. */
  selectedGroups = $state.raw<ReadonlySet<string>>(new Set());
  selectedClaims = $state.raw<ReadonlySet<string>>(new Set());

  /** The columns of the opening, worked out once per answer or column mode. */
  layout: CompareLayout = $derived(compareLayout(this.opening, this.columns));

  /** What "Group selected" would do: ticked groups in the table's order, then ticked claims. */
  plan: GroupingPlan = $derived.by(() => {
    const groups = (this.opening?.rows ?? []).map((r) => r.group.id).filter((id) => this.selectedGroups.has(id));
    const claims = (this.opening?.ungrouped ?? []).map((m) => m.span_id).filter((id) => this.selectedClaims.has(id));
    return groupingPlan(groups, claims);
  });

  /** Blocks of rows (index / `ROW_BLOCK`) asked for since the opening. */
  #asked = new Set<number>();
  /** Rows' cells worked out for `#cellsOf`. */
  #cells = new Map<number, (MemberCell[] | undefined)[]>();
  #cellsOf: CompareLayout | null = null;
  readonly #app: CompareHost;
  #request = 0;

  constructor(app: CompareHost) {
    this.#app = app;
  }

  /** What the last load was for: the workspace's revision and the filters. */
  #requested: string | null = null;

  /**
   * Loads for the filters as of `revision` (with the rows from `firstRow`), unless that is what
   * was last asked for; `force` loads anyway (the view opened: another process may have changed
   * the workspace since).
   */
  refresh(revision: number, firstRow = 0, force = false): void {
    const key = `${revision}:${JSON.stringify(this.filter())}`;
    if (key === this.#requested && !force) return;
    this.#requested = key;
    void this.#load(firstRow);
  }

  clear(): void {
    this.#requested = null;
    this.#request++;
    this.opening = null;
    this.members = new Map();
    this.#asked = new Set();
    this.outlets = [];
    this.selectedGroups = new Set();
    this.selectedClaims = new Set();
  }

  filter(): CompareFilter {
    const f: CompareFilter = {
      statuses: [...this.statuses],
      outlets: this.outlet ? [this.outlet] : [],
      conflicts_only: this.conflictsOnly,
    };
    if (this.entity) f.entity = this.entity;
    return f;
  }

  /**
   * Fetches the opening for the filters, with the members of the rows from `firstRow` (those in
   * view); an answer to an older request is dropped.
   */
  async #load(firstRow: number): Promise<void> {
    const request = ++this.#request;
    const filter = this.filter();
    const first = Math.floor(firstRow / ROW_BLOCK) * ROW_BLOCK;
    this.loading = true;
    try {
      // User Timing marks, read by `make bench-compare` to split the open.
      performance.mark("compare:asked");
      const opening = await api.compareOpen(filter, first, 2 * ROW_BLOCK);
      performance.mark("compare:answered");
      if (request !== this.#request) return;
      this.opening = opening;
      this.members = new Map(opening.window.members.map((m, k) => [opening.window.first + k, m]));
      this.#asked = new Set([first / ROW_BLOCK, first / ROW_BLOCK + 1]);
      if (filter.outlets.length === 0) {
        const known = new Set(this.outlets);
        const fresh = opening.outlets.filter((o) => !known.has(o));
        if (fresh.length > 0) this.outlets = [...this.outlets, ...fresh];
      }
      // Ticks stay only on what is still listed.
      const groups = new Set(opening.rows.map((r) => r.group.id));
      const claims = new Set(opening.ungrouped.map((m) => m.span_id));
      this.selectedGroups = new Set([...this.selectedGroups].filter((id) => groups.has(id)));
      this.selectedClaims = new Set([...this.selectedClaims].filter((id) => claims.has(id)));
    } catch (e) {
      if (request !== this.#request) return;
      this.#app.report("Comparing the claim groups", e);
    } finally {
      if (request === this.#request) this.loading = false;
    }
  }

  /** Asks for the members of rows `first..last` not fetched or asked for yet, a block at a time. */
  ensureRows(first: number, last: number): void {
    const opening = this.opening;
    if (opening === null) return;
    const end = Math.min(last, opening.rows.length);
    for (let block = Math.floor(first / ROW_BLOCK); block * ROW_BLOCK < end; block++) {
      if (this.#asked.has(block)) continue;
      this.#asked.add(block);
      void this.#fetchBlock(opening.generation, block);
    }
  }

  async #fetchBlock(generation: number, block: number): Promise<void> {
    try {
      const rows = await api.compareRows(generation, block * ROW_BLOCK, ROW_BLOCK);
      // The view was opened again meanwhile: its own rows are fetched for it.
      if (this.opening?.generation !== generation || rows.generation !== generation) return;
      const next = new Map(this.members);
      rows.members.forEach((m, k) => next.set(rows.first + k, m));
      this.members = next;
    } catch (e) {
      if (this.opening?.generation !== generation) return;
      this.#asked.delete(block);
      this.#app.report("Comparing the claim groups", e);
    }
  }

  /** Row `i`'s cells by column, or `null` while its members are being fetched. */
  cellsOf(i: number): (MemberCell[] | undefined)[] | null {
    const members = this.members.get(i);
    const layout = this.layout;
    if (members === undefined) return null;
    if (this.#cellsOf !== layout) {
      this.#cells = new Map();
      this.#cellsOf = layout;
    }
    let cells = this.#cells.get(i);
    if (cells === undefined) {
      cells = rowCells(members, layout);
      this.#cells.set(i, cells);
    }
    return cells;
  }

  toggleStatus(status: ClaimStatus, on: boolean): void {
    this.statuses = on ? [...this.statuses.filter((s) => s !== status), status] : this.statuses.filter((s) => s !== status);
  }

  toggleGroup(id: string, on: boolean): void {
    const next = new Set(this.selectedGroups);
    if (on) next.add(id);
    else next.delete(id);
    this.selectedGroups = next;
  }

  toggleClaim(id: string, on: boolean): void {
    const next = new Set(this.selectedClaims);
    if (on) next.add(id);
    else next.delete(id);
    this.selectedClaims = next;
  }

  /**
   * Groups what is ticked: claims alone start a group; one group and claims put the claims in
   * it; two or more groups are merged into the first (in the table's order), with the claims.
   * Each step is its own undoable change.
   */
  async groupSelected(): Promise<void> {
    const plan = this.plan;
    if (plan.kind === "none") return;
    const done = await this.#app.share("Grouping the selected claims", async () => {
      switch (plan.kind) {
        case "start":
          await api.startClaimGroup(plan.spanIds, null);
          break;
        case "add":
          await api.setClaimGroup(plan.spanIds, plan.groupId);
          break;
        case "merge":
          for (const from of plan.from) await api.mergeClaimGroups(from, plan.into);
          if (plan.spanIds.length > 0) await api.setClaimGroup(plan.spanIds, plan.into);
          break;
      }
      return true;
    });
    // Even a failed step may follow others that were made: the open document is fetched again.
    void this.#app.reloadOpen();
    if (done === undefined) return;
    this.selectedGroups = new Set();
    this.selectedClaims = new Set();
    this.#app.notice =
      plan.kind === "merge"
        ? `Merged ${plan.from.length + 1} groups`
        : plan.kind === "start"
          ? `Started a group of ${plan.spanIds.length} claims`
          : `Added ${plan.spanIds.length} claims to the group`;
  }
}
