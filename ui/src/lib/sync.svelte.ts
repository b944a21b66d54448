/**
 * The team server in the app: where the workspace stands with it (the bar), syncing now, the
 * password when the server asks for one (the Rust side keeps it in memory only), linking, and
 * the conflicts syncs met. All IPC goes through `$lib/api`.
 */
import * as api from "$lib/api";
import type { SyncConflict } from "$lib/bindings/SyncConflict";
import type { SyncStatus } from "$lib/bindings/SyncStatus";
import { plural } from "$lib/format";
import type { Feedback } from "$lib/host";

/** What the bar says of a status; `null` while the workspace has no team server. */
export function barLabel(s: SyncStatus | null): string | null {
  if (s === null || s.url === null) return null;
  const base = {
    unlinked: null,
    syncing: "Syncing…",
    in_step: "In step",
    waiting: `${plural(s.unsent, "change")} to send`,
    offline: s.unsent > 0 ? `Offline · ${s.unsent} to send` : "Offline",
    needs_password: "Password needed",
    refused: "Refused by the server",
    failed: "Sync failed",
  }[s.state];
  if (base === null) return null;
  return s.conflicts > 0 ? `${base} · ${plural(s.conflicts, "conflict")}` : base;
}

/** A status that wants the user: the bar shows it as a warning. */
export function wantsAttention(s: SyncStatus | null): boolean {
  return s !== null && (["needs_password", "refused", "failed"].includes(s.state) || s.conflicts > 0);
}

/** What the sync store needs of the workbench. */
export interface SyncHost extends Feedback {
  /** Shows what a sync took in: documents, schema, the open document, everyone's progress. */
  takeInRemote(): Promise<void>;
}

export class TeamSync {
  readonly #host: SyncHost;

  status = $state.raw<SyncStatus | null>(null);
  /** The team server dialog is shown. */
  dialogOpen = $state(false);
  conflicts = $state.raw<SyncConflict[]>([]);

  label: string | null = $derived(barLabel(this.status));
  attention = $derived(wantsAttention(this.status));

  constructor(host: SyncHost) {
    this.#host = host;
  }

  async load(): Promise<void> {
    try {
      this.status = await api.syncStatus();
    } catch (e) {
      this.#host.report("Reading the team server's state", e);
    }
  }

  /** A status the Rust side sent (event `sync-status`). */
  follow(status: SyncStatus): void {
    this.status = status;
  }

  /** Syncs now, with the password the user typed, if any. */
  async syncNow(password: string | null = null): Promise<void> {
    try {
      await api.syncNow(password || null);
    } catch (e) {
      this.#host.report("Syncing with the team server", e);
    }
  }

  /** Links the workspace to `url` and syncs; resolves to why it was refused, or null. */
  async link(url: string, password: string | null): Promise<string | null> {
    try {
      await api.setRemote(url.trim(), password || null);
      return null;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  /** Opens the dialog with the conflicts met (which then count as looked at). */
  async open(): Promise<void> {
    this.dialogOpen = true;
    await this.loadConflicts();
  }

  async loadConflicts(): Promise<void> {
    try {
      this.conflicts = await api.syncConflicts();
      if (this.status !== null && this.status.conflicts > 0) this.status = { ...this.status, conflicts: 0 };
    } catch (e) {
      this.#host.report("Listing the sync conflicts", e);
    }
  }

  clear(): void {
    this.status = null;
    this.conflicts = [];
    this.dialogOpen = false;
  }
}
