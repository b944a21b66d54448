import { clearMocks, mockIPC, mockWindows } from "@tauri-apps/api/mocks";
import { flushSync } from "svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { Workbench } from "$lib/state.svelte";
import { handler, longFile, text1, text2, workspace } from "./test/fixtures";
import { mockDesktop, mountPoint } from "./test/harness";

const page = mountPoint();
let requested: string[] = [];

function start(): Workbench {
  const app = new Workbench();
  page.mount(app);
  return app;
}

function q<T extends Element = HTMLElement>(selector: string): T {
  const el = page.target.querySelector<T>(selector);
  if (el === null) throw new Error(`no ${selector}`);
  return el;
}

function press(key: string, on: EventTarget = window) {
  on.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
  flushSync();
}

function readerText(): string {
  return q('[data-testid="reader-text"]').textContent ?? "";
}

beforeEach(() => {
  requested = [];
  mockDesktop((cmd, args) => {
    if (cmd === "get_document") requested.push((args as { id: string }).id);
    return handler(cmd, args);
  });
});

describe("App", () => {
  it("shows the workspace, its documents and the first document's text", async () => {
    start();
    await vi.waitFor(() => expect(q("h1").textContent).toBe("Parallax — demo"));
    expect(q(".bar .count").textContent).toBe("3 documents");

    const items = [...page.target.querySelectorAll<HTMLButtonElement>("nav button.doc")];
    expect(items.map((b) => b.querySelector(".title")?.textContent)).toEqual([
      "Troops return to bases",
      `${Array.from(longFile).slice(0, 59).join("")}…`,
      "Missing",
    ]);
    // A document without a title falls back to its file name, in italics.
    expect(items[1]!.querySelector(".title")!.classList.contains("fallback")).toBe(true);
    expect(items[0]!.textContent).toContain("Example Wire");
    expect(items[0]!.textContent).toContain("2022-02-15");
    expect(items[0]!.querySelector(".badge")!.textContent).toBe("in progress");
    expect(items[0]!.textContent).toContain("3 spans");

    await vi.waitFor(() => expect(readerText()).toBe(text1));
    expect(items[0]!.getAttribute("aria-current")).toBe("true");
  });

  it("draws nested spans and inspects the innermost one on click", async () => {
    start();
    await vi.waitFor(() => expect(readerText()).toBe(text1));
    const segs = [...page.target.querySelectorAll<HTMLElement>(".seg")];
    const byText = new Map(segs.map((s) => [s.textContent, s]));
    expect(byText.get("The ministry")!.title).toBe("SOURCE");
    expect(byText.get("over ")!.title).toBe("CLAIM");
    expect(byText.get("100,000 troops")!.title).toBe("CLAIM, QUANTITY");
    expect(byText.get(" were returning")!.title).toBe("CLAIM");

    byText.get("100,000 troops")!.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    flushSync();
    const inspector = q("aside.inspector");
    expect(q<HTMLSelectElement>('[data-testid="span-label"]').value).toBe("QUANTITY");
    expect(inspector.querySelector(".quote")!.textContent).toBe("100,000 troops");
    expect(inspector.textContent).toContain("unit");
    expect(inspector.textContent).toContain("troops");
    expect(inspector.textContent).toContain("tester");

    byText.get("over ")!.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    flushSync();
    expect(q<HTMLSelectElement>('[data-testid="span-label"]').value).toBe("CLAIM");
    expect(q<HTMLTextAreaElement>('[data-testid="span-note"]').value).toBe("Compare with other outlets");
    expect(q<HTMLSelectElement>('[data-attr="type"]').value).toBe("numerical");
    expect(q<HTMLInputElement>('[data-attr="check_worthy"]').checked).toBe(true);
    // The claim's group: its wording and status, fetched with the groups.
    await vi.waitFor(() =>
      expect(q('[data-testid="group-canonical-text"]').textContent).toBe("Over 100,000 troops are returning to their bases"),
    );
    expect(q('[data-testid="claim-section"] [data-testid="status-badge"]').dataset.status).toBe("disputed");
  });

  it("moves through the documents with J and K and shows markup as text", async () => {
    start();
    await vi.waitFor(() => expect(readerText()).toBe(text1));

    press("j");
    await vi.waitFor(() => expect(readerText()).toBe(text2));
    // The document's markup is text, not elements.
    expect(page.target.querySelector('[data-testid="reader-text"] script')).toBeNull();
    expect(page.target.querySelector('[data-testid="reader-text"] b')).toBeNull();
    expect(q(".seg").textContent).toBe('<script>alert("x")</script>');
    expect(q('nav [aria-current="true"] .title').textContent).toContain("reports/2022-02-15");

    press("k");
    await vi.waitFor(() => expect(readerText()).toBe(text1));
    // Ignored while typing into a field.
    const input = document.createElement("input");
    page.target.appendChild(input);
    press("j", input);
    press("k");
    await Promise.resolve();
    expect(requested).toEqual(["d1", "d2", "d1"]);
  });

  it("shows a command's error in a visible banner", async () => {
    start();
    await vi.waitFor(() => expect(readerText()).toBe(text1));
    press("j");
    press("j");
    const banner = await vi.waitFor(() => q('[role="alert"]'));
    expect(banner.textContent).toContain("Opening the document failed");
    expect(banner.textContent).toContain("no document matches `d3`");
    expect(banner.textContent).toContain("document_not_found");
    expect(page.consoleError).toHaveBeenCalledWith("Opening the document: [document_not_found] no document matches `d3`");

    q<HTMLButtonElement>('[role="alert"] button').click();
    flushSync();
    expect(page.target.querySelector('[role="alert"]')).toBeNull();
  });

  it("says when the workspace is read-only, and only then", async () => {
    start();
    await vi.waitFor(() => expect(readerText()).toBe(text1));
    expect(page.target.querySelector('[data-testid="read-only"]')).toBeNull();
    page.unmount();
    clearMocks();
    mockDesktop((cmd, args) => (cmd === "workspace_info" ? { ...workspace, read_only: true } : handler(cmd, args)));
    start();
    const banner = await vi.waitFor(() => q('[data-testid="read-only"]'));
    expect(banner.textContent).toContain("cannot be written");
  });

  it("shows an event subscription that fails instead of swallowing it", async () => {
    clearMocks();
    // The real IPC without the event mock: `listen` reaches the handler, which refuses it.
    mockIPC((cmd, args) => {
      if (cmd === "plugin:event|listen") throw { kind: "internal", message: "event loop gone" };
      return handler(cmd, args);
    });
    mockWindows("main");
    start();
    const banners = await vi.waitFor(() => {
      const shown = [...page.target.querySelectorAll('[role="alert"]')].map((b) => b.textContent ?? "");
      expect(shown.join(" ")).toContain("Following files dropped on the window failed");
      return shown.join(" ");
    });
    expect(banners).toContain("Following the search index failed");
    expect(banners).toContain("event loop gone");
  });

  it("shows an error when the workspace cannot be listed", async () => {
    clearMocks();
    mockDesktop((cmd, args) => {
      if (cmd === "list_documents") throw { kind: "database", message: "database error: disk I/O error" };
      return handler(cmd, args);
    });
    start();
    const banner = await vi.waitFor(() => q('[role="alert"]'));
    expect(banner.textContent).toContain("Listing the documents failed");
    expect(banner.textContent).toContain("database error: disk I/O error");
  });
});
