/**
 * A document's own fields and a span's note and relations, edited through the UI with the core
 * mocked at the IPC boundary (`MockCore`, which keeps an undo history as the core does).
 */
import { flushSync } from "svelte";
import { describe, expect, it, vi } from "vitest";
import { mockedApp } from "./test/harness";
import { text2 } from "./test/fixtures";

const ui = mockedApp();
const { q, all, press, callsOf, start, clickSpan } = ui;

/** Types into a field and leaves it (a change event), as a person editing it would. */
function edit(el: HTMLInputElement | HTMLTextAreaElement, value: string) {
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
  el.dispatchEvent(new Event("change", { bubbles: true }));
  flushSync();
}

const readerText = () => q('[data-testid="reader-text"]').textContent;

describe("the document and its spans in the inspector", () => {
  it("marks the document done with Ctrl+Enter and opens the next", async () => {
    await start();
    press("Enter", { ctrlKey: true });
    await vi.waitFor(() => expect(callsOf("set_status")).toEqual([{ id: "d1", status: "done" }]));
    await vi.waitFor(() => expect(readerText()).toBe(text2));
    expect(ui.core.views.d1!.document.status).toBe("done");
    // The list shows the new status of the document left behind.
    const first = all("nav[aria-label=Documents] button.doc")[0]!;
    await vi.waitFor(() => expect(first.textContent).toContain("done"));
  });

  it("sets the status with its buttons, and undo puts it back", async () => {
    await start();
    const skipped = q<HTMLButtonElement>('button[data-status="skipped"]');
    skipped.click();
    await vi.waitFor(() => expect(callsOf("set_status")).toEqual([{ id: "d1", status: "skipped" }]));
    await vi.waitFor(() => expect(q('button[data-status="skipped"]').getAttribute("aria-pressed")).toBe("true"));
    press("z", { ctrlKey: true });
    await vi.waitFor(() => expect(q('button[data-status="in_progress"]').getAttribute("aria-pressed")).toBe("true"));
    expect(q('[data-testid="notice"]').textContent).toContain("Undid: set status");
  });

  it("saves the document's details and sends only what was typed", async () => {
    await start();
    const form = q<HTMLFormElement>("form.meta");
    const [title, outlet] = all<HTMLInputElement>("input", form);
    title!.value = "  Troops go home  ";
    title!.dispatchEvent(new Event("input", { bubbles: true }));
    outlet!.value = "";
    outlet!.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    form.requestSubmit();
    await vi.waitFor(() => expect(callsOf("set_metadata")).toHaveLength(1));
    expect(callsOf("set_metadata")[0]).toMatchObject({ id: "d1", meta: { title: "Troops go home", outlet: null } });
    await vi.waitFor(() => expect(q('[data-testid="notice"]').textContent).toBe("Saved the document's details"));
    expect(ui.core.views.d1!.document.title).toBe("Troops go home");
  });

  it("saves a span's note on leaving the field, clears an empty one, and undoes it", async () => {
    await start();
    clickSpan("The ministry");
    const note = q<HTMLTextAreaElement>('[data-testid="span-note"]');
    expect(note.value).toBe("");
    edit(note, "Ministerium — bestätigt ✓");
    await vi.waitFor(() => expect(callsOf("set_span_note")).toEqual([{ id: "s-src", note: "Ministerium — bestätigt ✓" }]));
    await vi.waitFor(() => expect(ui.core.views.d1!.spans.find((s) => s.id === "s-src")!.note).toBe("Ministerium — bestätigt ✓"));
    edit(q<HTMLTextAreaElement>('[data-testid="span-note"]'), "   ");
    await vi.waitFor(() => expect(callsOf("set_span_note")[1]).toEqual({ id: "s-src", note: null }));
    q('[data-testid="reader-text"]').focus();
    press("z", { ctrlKey: true });
    await vi.waitFor(() => expect(ui.core.views.d1!.spans.find((s) => s.id === "s-src")!.note).toBe("Ministerium — bestätigt ✓"));
  });

  it("removes a relation with its button, and undo brings it back", async () => {
    await start();
    // Link the claim to its source first: R on the claim, then a click on the source.
    clickSpan("over ");
    press("r");
    clickSpan("The ministry");
    await vi.waitFor(() => expect(callsOf("add_relation")).toHaveLength(1));
    await vi.waitFor(() => expect(q('[data-testid="relations"]').textContent).toContain("attributed_to"));
    const relation = ui.core.views.d1!.relations[0]!;
    q<HTMLButtonElement>('button[aria-label="Remove relation attributed_to"]').click();
    await vi.waitFor(() => expect(callsOf("delete_relation")).toEqual([{ id: relation.id }]));
    await vi.waitFor(() => expect(ui.target.querySelector('[data-testid="relations"]')).toBeNull());
    expect(ui.core.views.d1!.relations).toEqual([]);
    press("z", { ctrlKey: true });
    await vi.waitFor(() => expect(ui.core.views.d1!.relations.map((r) => r.id)).toEqual([relation.id]));
    await vi.waitFor(() => expect(q('[data-testid="relations"]').textContent).toContain("attributed_to"));
  });
});
