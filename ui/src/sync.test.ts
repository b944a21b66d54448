/** The team server in the app: the bar's state, the dialog (link, password, sync now), conflicts, and what a sync took in. */
import { emit } from "@tauri-apps/api/event";
import { flushSync } from "svelte";
import { describe, expect, it, vi } from "vitest";
import type { SyncStatus } from "$lib/bindings/SyncStatus";
import { barLabel } from "$lib/sync.svelte";
import { mockedApp } from "./test/harness";

const ui = mockedApp();
const { q, all, press, callsOf, start } = ui;

const linked: SyncStatus = {
  url: "postgres://tester@db.example/team",
  state: "in_step",
  unsent: 0,
  conflicts: 0,
  message: null,
  last_sync: "2026-12-04T10:00:00.000Z",
};

function type(el: HTMLInputElement, value: string) {
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
  flushSync();
}

const bar = () => all('[data-testid="sync-status"]')[0] ?? null;

describe("the bar's word on the team server", () => {
  it("says where the workspace stands, and nothing while it has no server", () => {
    expect(barLabel(null)).toBeNull();
    expect(barLabel({ ...linked, url: null, state: "unlinked" })).toBeNull();
    expect(barLabel(linked)).toBe("In step");
    expect(barLabel({ ...linked, state: "waiting", unsent: 3 })).toBe("3 changes to send");
    expect(barLabel({ ...linked, state: "waiting", unsent: 1 })).toBe("1 change to send");
    expect(barLabel({ ...linked, state: "offline", unsent: 2 })).toBe("Offline · 2 to send");
    expect(barLabel({ ...linked, state: "offline" })).toBe("Offline");
    expect(barLabel({ ...linked, state: "syncing" })).toBe("Syncing…");
    expect(barLabel({ ...linked, state: "needs_password" })).toBe("Password needed");
    expect(barLabel({ ...linked, conflicts: 2 })).toBe("In step · 2 conflicts");
  });

  it("is hidden for a workspace without a server, shown and followed once it has one", async () => {
    await start();
    expect(bar()).toBeNull();
    await emit("sync-status", { ...linked, state: "waiting", unsent: 2 });
    await vi.waitFor(() => expect(bar()?.textContent).toBe("2 changes to send"));
    await emit("sync-status", linked);
    await vi.waitFor(() => expect(bar()?.textContent).toBe("In step"));
    expect(bar()!.classList.contains("warn")).toBe(false);
  });
});

describe("the team server dialog", () => {
  it("links a workspace from the Workspace menu, and shows why an address is refused", async () => {
    await start();
    q<HTMLButtonElement>(".menu > button").click();
    flushSync();
    q<HTMLButtonElement>('[data-testid="team-server"]').click();
    await vi.waitFor(() => q('[data-testid="sync-dialog"]'));
    expect(q('[data-testid="sync-state"]').textContent).toContain("Not linked");
    const submit = q<HTMLButtonElement>('[data-testid="sync-now"]');
    expect(submit.disabled).toBe(true);

    type(q<HTMLInputElement>('[data-testid="sync-url"]'), "http://db.example/team");
    expect(submit.textContent?.trim()).toBe("Link and sync");
    q<HTMLFormElement>('[data-testid="sync-dialog"] form').requestSubmit();
    await vi.waitFor(() => expect(q('[data-testid="sync-dialog"] [role="alert"]').textContent).toContain("postgres://"));

    type(q<HTMLInputElement>('[data-testid="sync-url"]'), "postgres://tester@db.example/team");
    q<HTMLFormElement>('[data-testid="sync-dialog"] form').requestSubmit();
    await vi.waitFor(() =>
      expect(callsOf("set_remote").at(-1)).toEqual({ url: "postgres://tester@db.example/team", password: null }),
    );
    expect(all('[data-testid="sync-dialog"] [role="alert"]')).toHaveLength(0);
  });

  it("asks for the password the server wants, sends it with Sync now, and closes with Esc", async () => {
    ui.core.sync = { ...linked, state: "needs_password", message: "the team server wants a password" };
    const app = await start();
    await vi.waitFor(() => expect(bar()?.textContent).toBe("Password needed"));
    expect(bar()!.classList.contains("warn")).toBe(true);
    bar()!.click();
    const dialog = await vi.waitFor(() => q('[data-testid="sync-dialog"]'));
    const password = q<HTMLInputElement>('[data-testid="sync-password"]');
    expect(document.activeElement).toBe(password);
    expect(q('[data-testid="sync-state"]').textContent).toContain("asks for your password");
    expect(q<HTMLButtonElement>('[data-testid="sync-now"]').textContent?.trim()).toBe("Sync now");
    type(password, "s3cret");
    q<HTMLFormElement>('[data-testid="sync-dialog"] form').requestSubmit();
    await vi.waitFor(() => expect(callsOf("sync_now").at(-1)).toEqual({ password: "s3cret" }));
    // The field is emptied: the password is not kept in the page.
    await vi.waitFor(() => expect(password.value).toBe(""));
    // The app's keys wait while the dialog is open; Esc closes it.
    press("j", {}, dialog);
    expect(app.selectedId).toBe("d1");
    press("Escape", {}, dialog);
    expect(all('[data-testid="sync-dialog"]')).toHaveLength(0);
  });

  it("lists the conflicts met, which then count as looked at", async () => {
    ui.core.sync = { ...linked, conflicts: 1 };
    ui.core.syncConflicts = [
      {
        id: 1,
        remote_seq: 7,
        at: "2026-12-04T10:00:00.000Z",
        row: "group 0193aa",
        field: "canonical",
        kept: '"Reopening on Monday"',
        kept_by: "ben",
        lost: '"Bridge reopens"',
        lost_by: "tester",
      },
    ];
    await start();
    await vi.waitFor(() => expect(bar()?.textContent).toBe("In step · 1 conflict"));
    bar()!.click();
    const table = await vi.waitFor(() => q('[data-testid="sync-conflicts"]'));
    const cells = all("tbody td", table).map((c) => c.textContent?.trim());
    expect(cells).toEqual(["group", "canonical", '"Reopening on Monday" ben', '"Bridge reopens" tester']);
    await vi.waitFor(() => expect(bar()?.textContent).toBe("In step"));
  });
});

describe("changes a sync took in", () => {
  it("are shown: the documents listed and the open document fetched again", async () => {
    await start();
    const lists = callsOf("list_documents").length;
    const opens = callsOf("get_document").length;
    await emit("workspace-changed", null);
    await vi.waitFor(() => expect(callsOf("list_documents").length).toBeGreaterThan(lists));
    await vi.waitFor(() => expect(callsOf("get_document").length).toBeGreaterThan(opens));
    expect(callsOf("get_schema").length).toBeGreaterThan(1);
  });
});
