/** The compare view: claim groups across outlets, with the core mocked at the IPC boundary (`MockCore`). */
import { flushSync } from "svelte";
import { describe, expect, it, vi } from "vitest";
import { mockedApp } from "./test/harness";
import { largeCompareTable, text1 } from "./test/fixtures";

const ui = mockedApp();
const { q, all, press, callsOf, start } = ui;

function tick(el: HTMLInputElement, on = true) {
  el.checked = on;
  el.dispatchEvent(new Event("change", { bubbles: true }));
  flushSync();
}

function row(groupId: string): HTMLElement {
  return q(`[data-testid="compare-row"][data-group-id="${groupId}"]`);
}

/** Opens the compare view and waits for its table. */
async function openCompare(rows = 2): Promise<void> {
  q<HTMLButtonElement>('[data-testid="compare-open"]').click();
  flushSync();
  await vi.waitFor(() => expect(all('[data-testid="compare-row"]')).toHaveLength(rows));
}

describe("compare view", () => {
  it("shows groups as rows and outlets as columns, with first appearance and disagreeing figures", async () => {
    await start();
    await openCompare();
    expect(ui.target.querySelector('[data-testid="reader-text"]')).toBeNull();
    expect(callsOf("compare_open")).toEqual([{ filter: { statuses: [], outlets: [], conflicts_only: false }, first: 0, count: 32 }]);
    expect(all('[data-testid="compare-column"]').map((c) => c.querySelector(".col-label")!.textContent)).toEqual([
      "Example Wire",
      "Daily Ledger",
      "North Post",
      "Wire copy",
    ]);
    // A document without an outlet gets a column of its own.
    expect(all('[data-testid="compare-column"]')[3]!.textContent).toContain("no outlet");
    expect(all('[data-testid="compare-row"]').map((r) => r.dataset.groupId)).toEqual(["g-100k", "g-drills"]);

    const troops = row("g-100k");
    expect(troops.textContent).toContain("Over 100,000 troops are returning to their bases");
    expect(q('[data-testid="status-badge"]', troops).dataset.status).toBe("disputed");
    expect(all('[data-testid="compare-conflict"]', troops)).toHaveLength(1);
    expect(all('[data-testid="compare-conflict"]', row("g-drills"))).toHaveLength(0);
    // Cells in column order: Example Wire, Daily Ledger, North Post, then the outlet-less "Wire copy".
    const cells = all('[role="cell"]', troops);
    expect(cells.map((c) => all('[data-testid="compare-member"]', c).map((m) => m.dataset.spanId))).toEqual([
      ["s-claim"],
      ["s-d4-claim"],
      [],
      ["s-d7-claim"],
    ]);
    const first = q('[data-testid="compare-member"][data-span-id="s-claim"]');
    expect(all('[data-testid="compare-first"]', first)).toHaveLength(1);
    // Why it is first: the earliest date, or the only one.
    expect(q('[data-testid="compare-first"]', first).title).toMatch(/earliest publication date|only claim of this group with a publication date/);
    expect(first.textContent).toContain("Ministry of Defence");
    expect(first.textContent).toContain("2022-02-15");
    expect(q('[data-testid="compare-figure-conflict"]', first).textContent).toBe("over 100,000 troops");
    expect(q('[data-testid="compare-figure-conflict"]', first).classList.contains("conflict")).toBe(true);
    const second = q('[data-testid="compare-member"][data-span-id="s-d4-claim"]');
    expect(all('[data-testid="compare-first"]', second)).toHaveLength(0);
    // An unlinked source is shown as the text says it.
    expect(second.textContent).toContain("“the Defence Ministry”");
    expect(q('[data-testid="compare-figure-conflict"]', second).textContent).toBe("some 130,000 troops");

    // One column per document instead.
    tick(q<HTMLInputElement>('[data-testid="compare-columns-documents"]'));
    expect(all('[data-testid="compare-column"]').map((c) => c.querySelector(".col-label")!.textContent)).toEqual([
      "Troops return to bases",
      "Units head home",
      "Wire copy",
      "Drills end",
      "Exercises over",
    ]);
  });

  it("opens a member's document with its span selected", async () => {
    const app = await start();
    press("j");
    await vi.waitFor(() => expect(app.selectedId).toBe("d2"));
    await openCompare();
    q<HTMLButtonElement>('[data-testid="compare-member"][data-span-id="s-claim"]').click();
    await vi.waitFor(() => expect(q('[data-testid="reader-text"]').textContent).toBe(text1));
    expect(ui.target.querySelector('[data-testid="compare-view"]')).toBeNull();
    await vi.waitFor(() => expect(q('[data-testid="span-text"]').textContent).toBe("over 100,000 troops were returning"));
    expect(app.selectedSpanId).toBe("s-claim");
    expect(q(".seg.selected").textContent).toBe("over ");
  });

  it("goes back to the reader with Esc or the button", async () => {
    await start();
    await openCompare();
    // Esc works at once after a control was clicked (a checkbox keeps the focus).
    const box = q<HTMLInputElement>('[data-testid="compare-columns-documents"]');
    tick(box);
    box.focus();
    press("Escape", {}, box);
    await vi.waitFor(() => expect(q('[data-testid="reader-text"]').textContent).toBe(text1));
    await openCompare();
    q<HTMLButtonElement>('[data-testid="compare-close"]').click();
    flushSync();
    expect(ui.target.querySelector('[data-testid="compare-view"]')).toBeNull();
    // Reader keys do nothing while comparing: J does not move.
    await openCompare();
    press("j");
    expect(callsOf("get_document")).toEqual([{ id: "d1" }]);
  });

  it("filters by status, source, outlet and disagreeing figures", async () => {
    await start();
    await openCompare();
    tick(q<HTMLInputElement>('[data-testid="compare-status"][data-status="supported"]'));
    await vi.waitFor(() => expect(all('[data-testid="compare-row"]').map((r) => r.dataset.groupId)).toEqual(["g-drills"]));
    expect(callsOf("compare_open").at(-1)!.filter).toEqual({ statuses: ["supported"], outlets: [], conflicts_only: false });
    tick(q<HTMLInputElement>('[data-testid="compare-status"][data-status="supported"]'), false);
    tick(q<HTMLInputElement>('[data-testid="compare-conflicts"]'));
    await vi.waitFor(() => expect(all('[data-testid="compare-row"]').map((r) => r.dataset.groupId)).toEqual(["g-100k"]));
    expect(callsOf("compare_open").at(-1)!.filter).toEqual({ statuses: [], outlets: [], conflicts_only: true });

    await vi.waitFor(() => expect(all('[data-testid="compare-entity"] option').length).toBe(4));
    const entity = q<HTMLSelectElement>('[data-testid="compare-entity"]');
    entity.value = "e-mod";
    entity.dispatchEvent(new Event("change", { bubbles: true }));
    const outlet = q<HTMLSelectElement>('[data-testid="compare-outlet"]');
    expect(all<HTMLOptionElement>("option", outlet).map((o) => o.value)).toEqual(["", "Example Wire", "Daily Ledger", "North Post"]);
    outlet.value = "Daily Ledger";
    outlet.dispatchEvent(new Event("change", { bubbles: true }));
    flushSync();
    await vi.waitFor(() =>
      expect(callsOf("compare_open").at(-1)!.filter).toEqual({ statuses: [], outlets: ["Daily Ledger"], conflicts_only: true, entity: "e-mod" }),
    );
    // The outlet choices stay all outlets, though the table now has one column.
    await vi.waitFor(() => expect(all('[data-testid="compare-column"]')).toHaveLength(1));
    expect(all<HTMLOptionElement>('[data-testid="compare-outlet"] option').map((o) => o.value)).toEqual([
      "",
      "Example Wire",
      "Daily Ledger",
      "North Post",
    ]);
  });

  it("groups two ungrouped claims", async () => {
    await start();
    await openCompare();
    const rows = all('[data-testid="compare-ungrouped"]');
    expect(rows.map((r) => r.dataset.spanId)).toEqual(["s-u1", "s-u2", "s-u3"]);
    expect(q('[data-testid="compare-view"]').textContent).toContain("Claims not in a group (3)");
    expect(q<HTMLButtonElement>('[data-testid="compare-group-selected"]').disabled).toBe(true);
    tick(q<HTMLInputElement>('input[type="checkbox"]', rows[0]!));
    tick(q<HTMLInputElement>('input[type="checkbox"]', rows[1]!));
    expect(q('[data-testid="compare-plan"]').textContent).toBe("Starts a group of 2 claims.");
    q<HTMLButtonElement>('[data-testid="compare-group-selected"]').click();
    await vi.waitFor(() =>
      expect(callsOf("start_claim_group")).toEqual([{ spanIds: ["s-u1", "s-u2"], canonical: null }]),
    );
    // The table is fetched again: a third group, one claim left over.
    await vi.waitFor(() => expect(all('[data-testid="compare-row"]')).toHaveLength(3));
    expect(all('[data-testid="compare-ungrouped"]').map((r) => r.dataset.spanId)).toEqual(["s-u3"]);
  });

  it("adds ticked claims to a ticked group, and merges ticked groups into the first", async () => {
    await start();
    await openCompare();
    tick(q<HTMLInputElement>('[data-testid="compare-row-select"][data-group-id="g-drills"]'));
    tick(q<HTMLInputElement>('[data-testid="compare-ungrouped"][data-span-id="s-u3"] input'));
    expect(q('[data-testid="compare-plan"]').textContent).toBe("Adds 1 claim to “The drills in Belarus ended on schedule”.");
    q<HTMLButtonElement>('[data-testid="compare-group-selected"]').click();
    await vi.waitFor(() => expect(callsOf("set_claim_group")).toEqual([{ spanIds: ["s-u3"], groupId: "g-drills" }]));
    await vi.waitFor(() => expect(all('[data-testid="compare-ungrouped"]')).toHaveLength(2));

    tick(q<HTMLInputElement>('[data-testid="compare-row-select"][data-group-id="g-drills"]'));
    tick(q<HTMLInputElement>('[data-testid="compare-row-select"][data-group-id="g-100k"]'));
    tick(q<HTMLInputElement>('[data-testid="compare-ungrouped"][data-span-id="s-u1"] input'));
    q<HTMLButtonElement>('[data-testid="compare-group-selected"]').click();
    await vi.waitFor(() => expect(callsOf("merge_claim_groups")).toEqual([{ from: "g-drills", into: "g-100k" }]));
    await vi.waitFor(() => expect(callsOf("set_claim_group")).toHaveLength(2));
    expect(callsOf("set_claim_group")[1]).toEqual({ spanIds: ["s-u1"], groupId: "g-100k" });
    await vi.waitFor(() => expect(all('[data-testid="compare-row"]').map((r) => r.dataset.groupId)).toEqual(["g-100k"]));
    expect(all('[data-testid="compare-row-select"]:checked')).toHaveLength(0);
  });

  it("fetches the table again after undo", async () => {
    await start();
    // A change to undo, made in the core (as another window of the workspace would).
    ui.core.handle("set_status", { id: "d1", status: "done" });
    await openCompare();
    expect(callsOf("compare_open")).toHaveLength(1);
    press("z", { ctrlKey: true });
    await vi.waitFor(() => expect(callsOf("undo")).toHaveLength(1));
    await vi.waitFor(() => expect(callsOf("compare_open")).toHaveLength(2));
    // Still comparing: undo does not switch to the reader.
    expect(ui.target.querySelector('[data-testid="compare-view"]')).not.toBeNull();
  });

  it("draws only the rows and columns near the viewport of 1,000 groups by 50 outlets, and fetches only their members", async () => {
    const big = largeCompareTable(1000, 50);
    ui.core.compare = big;
    await start();
    q<HTMLButtonElement>('[data-testid="compare-open"]').click();
    flushSync();
    await vi.waitFor(() => expect(all('[data-testid="compare-member"]').length).toBeGreaterThan(0));
    const drawn = all('[data-testid="compare-row"]');
    expect(drawn.length).toBeLessThan(30);
    expect(drawn[0]!.dataset.groupId).toBe("g-0");
    expect(all('[data-testid="compare-column"]').length).toBeLessThan(15);
    expect(q('[data-testid="compare-count"]').textContent!.trim()).toBe("1000 groups");
    // The opening carried the members of its first two blocks of rows, not of the 1,000.
    expect(callsOf("compare_open")).toEqual([{ filter: { statuses: [], outlets: [], conflicts_only: false }, first: 0, count: 32 }]);
    expect(callsOf("compare_rows")).toEqual([]);

    // Scrolled halfway down and right: the rows and columns there are drawn instead, and their
    // members fetched in blocks of 16 rows.
    const scroller = q<HTMLDivElement>('[data-testid="compare-table"]');
    scroller.scrollTop = 500 * 140;
    scroller.scrollLeft = 25 * 250;
    scroller.dispatchEvent(new Event("scroll"));
    flushSync();
    const ids = all('[data-testid="compare-row"]').map((r) => r.dataset.groupId);
    expect(ids.length).toBeLessThan(30);
    expect(ids).toContain("g-500");
    expect(ids).not.toContain("g-0");
    expect(all('[data-testid="compare-column"]').map((c) => c.textContent!.trim())).toContain(big.columns[25]);
    await vi.waitFor(() => expect(q('[data-testid="compare-row"][data-group-id="g-500"]').getAttribute("aria-busy")).toBe("false"));
    const asked = callsOf("compare_rows");
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.length).toBeLessThanOrEqual(2);
    for (const a of asked) expect(a).toMatchObject({ generation: 1, count: 16 });
    expect(asked.map((a) => a.first)).toContain(496);
    // Back to the left: row 500's members are drawn in its outlets' columns there.
    scroller.scrollLeft = 0;
    scroller.dispatchEvent(new Event("scroll"));
    flushSync();
    const members = all('[data-testid="compare-member"]', row("g-500")).map((m) => m.dataset.spanId);
    const inView = big.groups[500]!.members.filter((m) => all('[data-testid="compare-column"]').some((c) => c.textContent!.trim() === m.outlet));
    expect(inView.length).toBeGreaterThan(0);
    expect(members.sort()).toEqual(inView.map((m) => m.span_id).sort());
  });
});
