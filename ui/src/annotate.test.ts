/** Annotating through the UI, with the core mocked at the IPC boundary (`MockCore`). */
import { flushSync } from "svelte";
import { describe, expect, it, vi } from "vitest";
import { mockedApp } from "./test/harness";
import { text1 } from "./test/fixtures";
import { LANE_PX } from "$lib/layout";

const ui = mockedApp();
const { q, press, callsOf, start } = ui;

function segByText(text: string): HTMLElement {
  const seg = [...ui.target.querySelectorAll<HTMLElement>(".seg")].find((s) => s.textContent === text);
  if (!seg) throw new Error(`no segment ${text}`);
  return seg;
}

/** Selects `[from, to)` of the reader's text (UTF-16 offsets in the plain text node holding it). */
function selectInReader(needle: string, from: number, to: number, altKey = false) {
  const textEl = q('[data-testid="reader-text"]');
  const walker = document.createTreeWalker(textEl, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const at = n.nodeValue!.indexOf(needle);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(n, at + from);
      range.setEnd(n, at + to);
      const sel = window.getSelection()!;
      sel.removeAllRanges();
      sel.addRange(range);
      textEl.dispatchEvent(new MouseEvent("mouseup", { bubbles: true, altKey }));
      flushSync();
      return;
    }
  }
  throw new Error(`${needle} not in a text node`);
}

describe("annotating", () => {
  it("keeps the line spacing when the first span of a document appears", async () => {
    ui.core.views.d1 = { ...ui.core.views.d1!, spans: [], relations: [] };
    await start();
    const lanePad = () => q('[data-testid="reader-text"]').style.getPropertyValue("--lane-pad");
    const before = lanePad();
    expect(before).toBe(`${LANE_PX}px`);
    selectInReader("ministry", 0, 8);
    press("c");
    await vi.waitFor(() => expect(segByText("ministry").title).toBe("CLAIM"));
    expect(lanePad()).toBe(before);
  });

  it("labels a selection with a hotkey, snapped to words, in code points after an emoji", async () => {
    await start();
    // "econd li" inside "Second line," → snapped to "Second line"
    selectInReader("Second line", 1, 9);
    press("c");
    await vi.waitFor(() => expect(callsOf("add_span")).toHaveLength(1));
    const cpStart = Array.from(text1.slice(0, text1.indexOf("Second"))).length;
    expect(callsOf("add_span")[0]).toEqual({ docId: "d1", start: cpStart, end: cpStart + 11, label: "CLAIM" });
    // Drawn from the core's answer, and selected in the inspector.
    await vi.waitFor(() => expect(segByText("Second line").title).toBe("CLAIM"));
    expect(q<HTMLSelectElement>('[data-testid="span-label"]').value).toBe("CLAIM");
    expect(q('[data-testid="span-text"]').textContent).toBe("Second line");
  });

  it("keeps the exact characters when Alt is held while selecting", async () => {
    await start();
    selectInReader("Second line", 1, 9, true);
    press("s");
    await vi.waitFor(() => expect(callsOf("add_span")).toHaveLength(1));
    expect((callsOf("add_span")[0]!.end as number) - (callsOf("add_span")[0]!.start as number)).toBe(8);
  });

  it("labels from the popup with the mouse", async () => {
    await start();
    selectInReader("Second line", 0, 6);
    q<HTMLButtonElement>('.popup button[data-label="QUANTITY"]').click();
    await vi.waitFor(() => expect(callsOf("add_span")).toHaveLength(1));
    expect(callsOf("add_span")[0]!.label).toBe("QUANTITY");
  });

  it("shows a failed save as an error and draws nothing", async () => {
    await start();
    ui.core.failing.set("add_span", { kind: "database", message: "database error: disk full" });
    selectInReader("Second line", 0, 6);
    press("c");
    const banner = await vi.waitFor(() => q('[role="alert"]'));
    expect(banner.textContent).toContain("Adding the span failed");
    expect(banner.textContent).toContain("disk full");
    expect([...ui.target.querySelectorAll(".seg")].some((s) => s.textContent === "Second")).toBe(false);
    expect(q('[data-testid="saved"]').textContent).toBe("All changes saved");
  });

  it("walks spans with Tab, relabels with a hotkey and deletes with Delete", async () => {
    await start();
    press("Tab", {}, document.body);
    // Reading order: "The ministry" (SOURCE) comes first.
    expect(q<HTMLSelectElement>('[data-testid="span-label"]').value).toBe("SOURCE");
    press("Tab", {}, document.body);
    expect(q<HTMLSelectElement>('[data-testid="span-label"]').value).toBe("CLAIM");
    press("Tab", { shiftKey: true }, document.body);
    expect(q<HTMLSelectElement>('[data-testid="span-label"]').value).toBe("SOURCE");

    press("q");
    await vi.waitFor(() => expect(callsOf("set_span_label")).toEqual([{ id: "s-src", label: "QUANTITY" }]));
    await vi.waitFor(() => expect(segByText("The ministry").title).toBe("QUANTITY"));

    press("Delete");
    await vi.waitFor(() => expect(callsOf("delete_span")).toEqual([{ id: "s-src" }]));
    await vi.waitFor(() =>
      expect([...ui.target.querySelectorAll(".seg")].some((s) => s.textContent === "The ministry")).toBe(false),
    );
  });

  it("links a claim to its source with R and a click, and lists the relation", async () => {
    await start();
    segByText("over ").dispatchEvent(new MouseEvent("click", { bubbles: true }));
    flushSync();
    press("r");
    expect(q(".reader").classList.contains("linking")).toBe(true);
    segByText("The ministry").dispatchEvent(new MouseEvent("click", { bubbles: true }));
    await vi.waitFor(() =>
      expect(callsOf("add_relation")).toEqual([{ head: "s-claim", child: "s-src", label: "attributed_to" }]),
    );
    await vi.waitFor(() => expect(q('[data-testid="relations"]').textContent).toContain("attributed_to"));
    expect(segByText("The ministry").classList.contains("related")).toBe(true);
  });

  it("proposes the source a claim lacks, and Enter links it", async () => {
    await start();
    segByText("over ").dispatchEvent(new MouseEvent("click", { bubbles: true }));
    const proposal = await vi.waitFor(() => q('[data-testid="relation-proposal"]'));
    expect(proposal.textContent).toContain("No attributed_to yet");
    expect(proposal.textContent).toContain("SOURCE “The ministry”");
    press("Enter");
    await vi.waitFor(() =>
      expect(callsOf("add_relation")).toEqual([{ head: "s-claim", child: "s-src", label: "attributed_to" }]),
    );
    // Linked: nothing is missing any more.
    await vi.waitFor(() => expect(ui.target.querySelector('[data-testid="relation-proposal"]')).toBeNull());
  });

  it("refuses a link no relation type allows, with a message", async () => {
    await start();
    segByText("over ").dispatchEvent(new MouseEvent("click", { bubbles: true }));
    flushSync();
    press("r");
    segByText("100,000 troops").dispatchEvent(new MouseEvent("click", { bubbles: true }));
    // The innermost span there is the QUANTITY; no type links CLAIM and QUANTITY in the fixture.
    const banner = await vi.waitFor(() => q('[role="alert"]'));
    expect(banner.textContent).toContain("no relation type of the schema links a CLAIM span and a QUANTITY span");
    expect(callsOf("add_relation")).toEqual([]);
  });

  it("edits attributes with form controls", async () => {
    await start();
    segByText("over ").dispatchEvent(new MouseEvent("click", { bubbles: true }));
    flushSync();
    const type = q<HTMLSelectElement>('[data-attr="type"]');
    type.value = "quote";
    type.dispatchEvent(new Event("change", { bubbles: true }));
    await vi.waitFor(() =>
      expect(callsOf("set_span_attribute")).toEqual([{ id: "s-claim", name: "type", value: "quote" }]),
    );
    const check = q<HTMLInputElement>('[data-attr="check_worthy"]');
    check.checked = false;
    check.dispatchEvent(new Event("change", { bubbles: true }));
    await vi.waitFor(() => expect(callsOf("set_span_attribute")).toHaveLength(2));
    expect(callsOf("set_span_attribute")[1]).toEqual({ id: "s-claim", name: "check_worthy", value: false });
  });

  it("undoes with Ctrl+Z and shows the document as the core has it", async () => {
    await start();
    selectInReader("Second line", 0, 6);
    press("c");
    await vi.waitFor(() => expect(segByText("Second").title).toBe("CLAIM"));
    press("z", { ctrlKey: true });
    await vi.waitFor(() => expect(callsOf("undo")).toHaveLength(1));
    await vi.waitFor(() =>
      expect([...ui.target.querySelectorAll(".seg")].some((s) => s.textContent === "Second")).toBe(false),
    );
    expect(q('[data-testid="notice"]').textContent).toContain("Undid: add span");
    press("z", { ctrlKey: true, shiftKey: true });
    await vi.waitFor(() => expect(callsOf("redo")).toHaveLength(1));
    await vi.waitFor(() => expect(segByText("Second").title).toBe("CLAIM"));
    expect(q('[data-testid="notice"]').textContent).toContain("Redid: add span");
    // Nothing left to redo: the core's refusal is shown, nothing changes.
    press("z", { ctrlKey: true, shiftKey: true });
    await vi.waitFor(() => expect(q('[role="alert"]').textContent).toContain("nothing to redo"));
    expect(segByText("Second").title).toBe("CLAIM");
  });

  it("searches as the user types and opens a hit with its matches marked", async () => {
    await start();
    press("/");
    const box = q<HTMLInputElement>('[data-testid="search"]');
    expect(document.activeElement).toBe(box);
    box.value = "bold";
    box.dispatchEvent(new Event("input", { bubbles: true }));
    await vi.waitFor(() => expect(callsOf("search_documents")).toHaveLength(1), { timeout: 2000 });
    expect(callsOf("search_documents")[0]).toMatchObject({ query: "bold", limit: 50, offset: 0, sort: "relevance" });
    const hit = await vi.waitFor(() => q('[data-testid="doc-hits"] button.hit'));
    expect(hit.querySelector("mark")!.textContent).toBe("bold");
    hit.click();
    await vi.waitFor(() => expect(q(".seg.marked").textContent).toBe("bold"));
  });

  it("walks the search results with the arrow keys and opens one with Enter's click", async () => {
    await start();
    const box = q<HTMLInputElement>('[data-testid="search"]');
    box.focus();
    box.value = "e";
    box.dispatchEvent(new Event("input", { bubbles: true }));
    await vi.waitFor(() => expect(ui.target.querySelectorAll('[data-testid="doc-hits"] button.hit')).toHaveLength(2), { timeout: 2000 });
    const hits = [...ui.target.querySelectorAll<HTMLElement>('[data-testid="doc-hits"] button.hit')];
    const key = (key: string) =>
      (document.activeElement ?? document.body).dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
    key("ArrowDown");
    expect(document.activeElement).toBe(hits[0]);
    key("ArrowDown");
    expect(document.activeElement).toBe(hits[1]);
    key("ArrowDown"); // the last stays
    expect(document.activeElement).toBe(hits[1]);
    key("ArrowUp");
    key("ArrowUp");
    expect(document.activeElement).toBe(box);
  });

  it("shows what is wrong with a malformed query under the box", async () => {
    await start();
    ui.core.failing.set("search_documents", { kind: "bad_query", message: "character 8: expected a value after `outlet:(`" });
    const box = q<HTMLInputElement>('[data-testid="search"]');
    box.value = "outlet:(";
    box.dispatchEvent(new Event("input", { bubbles: true }));
    const problem = await vi.waitFor(() => q('[data-testid="search-problem"]'), { timeout: 2000 });
    expect(problem.textContent).toContain("character 8");
  });

  it("shows every key with ?", async () => {
    await start();
    press("?", { shiftKey: true });
    const dialog = q('[role="dialog"]');
    expect(dialog.textContent).toContain("label as CLAIM");
    expect(dialog.textContent).toContain("Ctrl+Z");
    press("Escape");
    expect(ui.target.querySelector('[role="dialog"]')).toBeNull();
  });

  it("edits the schema: a rename is sent as a rename, a hotkey clash is caught before saving", async () => {
    await start();
    q<HTMLButtonElement>('[data-testid="edit-schema"]').click();
    flushSync();
    const names = [...ui.target.querySelectorAll<HTMLInputElement>('[data-testid="label-name"]')];
    const keys = [...ui.target.querySelectorAll<HTMLInputElement>('[data-testid="label-hotkey"]')];
    // A clash: SOURCE gets CLAIM's key.
    keys[1]!.value = "c";
    keys[1]!.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    expect(q('[data-testid="schema-problems"]').textContent).toContain("hotkey c is used by CLAIM and SOURCE");
    expect(q<HTMLButtonElement>('[data-testid="save-schema"]').disabled).toBe(true);
    keys[1]!.value = "s";
    keys[1]!.dispatchEvent(new Event("input", { bubbles: true }));
    names[0]!.value = "ASSERTION";
    names[0]!.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    q<HTMLButtonElement>('[data-testid="save-schema"]').click();
    await vi.waitFor(() => expect(callsOf("update_schema")).toHaveLength(1));
    const sent = callsOf("update_schema")[0] as { schema: { span_labels: { name: string }[]; relation_types: { heads: string[] }[] }; renames: unknown };
    expect(sent.renames).toEqual([["CLAIM", "ASSERTION"]]);
    expect(sent.schema.span_labels.map((l) => l.name)).toEqual(["ASSERTION", "SOURCE", "QUANTITY"]);
    expect(sent.schema.relation_types[0]!.heads).toEqual(["ASSERTION"]);
    await vi.waitFor(() => expect(ui.target.querySelector('[data-testid="schema-editor"]')).toBeNull());
  });

  it("labels search matches from the keyboard, and moves a span's edges by words", async () => {
    await start();
    const box = q<HTMLInputElement>('[data-testid="search"]');
    box.value = "bold";
    box.dispatchEvent(new Event("input", { bubbles: true }));
    const hit = await vi.waitFor(() => q('[data-testid="doc-hits"] button.hit'), { timeout: 2000 });
    hit.click();
    await vi.waitFor(() => expect(q(".seg.marked").textContent).toBe("bold"));
    press("c", {}, document.body);
    await vi.waitFor(() => expect(callsOf("add_span")).toHaveLength(1));
    expect(callsOf("add_span")[0]).toMatchObject({ docId: "d2", label: "CLAIM" });
    await vi.waitFor(() => expect(q('[data-testid="span-text"]').textContent).toBe("bold"));
    press("ArrowLeft", { shiftKey: true, altKey: true }, document.body);
    await vi.waitFor(() => expect(callsOf("set_span_extent")).toHaveLength(1));
    await vi.waitFor(() => expect(q('[data-testid="span-text"]').textContent).toBe("b>bold"));
  });

  it("sets and clears a document label", async () => {
    await start();
    const box = q<HTMLInputElement>('[data-doc-label="RELEVANT"]');
    expect(box.checked).toBe(false);
    box.checked = true;
    box.dispatchEvent(new Event("change", { bubbles: true }));
    await vi.waitFor(() => expect(callsOf("set_doc_label")).toEqual([{ docId: "d1", label: "RELEVANT", on: true }]));
    await vi.waitFor(() => expect(q(".doc-labels").textContent).toContain("RELEVANT (tester)"));
    expect(q<HTMLInputElement>('[data-doc-label="RELEVANT"]').checked).toBe(true);
  });
});
