/**
 * The compare view's state: its filters, the table the core answered for them (laid out once per
 * answer), and the groups and claims ticked for "Group selected". All IPC goes through `$lib/api`.
 */
import * as api from "$lib/api";
import type { ClaimStatus } from "$lib/bindings/ClaimStatus";
import type { CompareFilter } from "$lib/bindings/CompareFilter";
import type { CompareTable } from "$lib/bindings/CompareTable";
import { compareLayout, groupingPlan, tableOutlets, type ColumnMode, type CompareLayout, type GroupingPlan } from "$lib/claims";
import type { Sharing } from "$lib/host";

/** What the compare view needs of the workbench: it changes claim groups and says so. */
export type CompareHost = Sharing;

export class Compare {
  statuses = $state<ClaimStatus[]>([]);
  /** A source entity's id, or "" for all. */
  entity = $state("");
  /** An outlet, or "" for all. */
  outlet = $state("");
  conflictsOnly = $state(false);
  columns = $state<ColumnMode>("outlets");

  table = $state.raw<CompareTable | null>(null);
  loading = $state(false);
  /** The outlet choices: every outlet of the tables fetched without an outlet filter. */
  outlets = $state.raw<string[]>([]);
  /** Ticked group rows and ungrouped claims. */
  selectedGroups = $state.raw<ReadonlySet<string>>(new Set());
  selectedClaims = $state.raw<ReadonlySet<string>>(new Set());

  /** The table as columns and rows of cells, worked out once per answer or column mode. */
  layout: CompareLayout = $derived(compareLayout(this.table, this.columns));

  /** What "Group selected" would do: ticked groups in the table's order, then ticked claims. */
  plan: GroupingPlan = $derived.by(() => {
    const groups = (this.table?.groups ?? []).map((g) => g.group.id).filter((id) => this.selectedGroups.has(id));
    const claims = (this.table?.ungrouped ?? []).map((m) => m.span_id).filter((id) => this.selectedClaims.has(id));
    return groupingPlan(groups, claims);
  });

  readonly #app: CompareHost;
  #request = 0;

  constructor(app: CompareHost) {
    this.#app = app;
  }

  clear(): void {
    this.#request++;
    this.table = null;
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

  /** Fetches the table for the filters; an answer to an older request is dropped. */
  async load(): Promise<void> {
    const request = ++this.#request;
    const filter = this.filter();
    this.loading = true;
    try {
      const table = await api.compareTable(filter);
      if (request !== this.#request) return;
      this.table = table;
      if (filter.outlets.length === 0) {
        const known = new Set(this.outlets);
        const fresh = tableOutlets(table).filter((o) => !known.has(o));
        if (fresh.length > 0) this.outlets = [...this.outlets, ...fresh];
      }
      // Ticks stay only on what is still listed.
      const groups = new Set(table.groups.map((g) => g.group.id));
      const claims = new Set(table.ungrouped.map((m) => m.span_id));
      this.selectedGroups = new Set([...this.selectedGroups].filter((id) => groups.has(id)));
      this.selectedClaims = new Set([...this.selectedClaims].filter((id) => claims.has(id)));
    } catch (e) {
      if (request !== this.#request) return;
      this.#app.report("Comparing the claim groups", e);
    } finally {
      if (request === this.#request) this.loading = false;
    }
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
