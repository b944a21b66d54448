/** The Curate view: each layer's versions of a document's spans, settled into gold by key and by click. */
import { flushSync } from "svelte";
import { describe, expect, it, vi } from "vitest";
import { curateCommand } from "$lib/curate.svelte";
import { annotatorColor, GOLD_COLOR } from "$lib/format";
import type { KeyLike } from "$lib/keys";
import type { Workbench } from "$lib/state.svelte";
import { barRuns, barredSegments, drawnBars } from "./test/curateBars";
import { mockedApp } from "./test/harness";
import { text1, text2 } from "./test/fixtures";

const ui = mockedApp();
const { q, all, press, callsOf, start } = ui;

const rows = () => all('[data-testid="curate-candidate"]');
/** Each listed version as "LABEL start-end state". */
const listed = () => rows().map((r) => `${r.dataset.label} ${r.dataset.start}-${r.dataset.end} ${r.dataset.state}`);
/** The selected version's row. */
const current = () => q('[data-testid="curate-candidate"][aria-current="true"]');
const status = () => q('[data-testid="curate-status"]').textContent!.replace(/\s+/g, " ").trim();
const notice = () => q('[data-testid="notice"]').textContent;
/** Where a layer's bar runs under the text (dashed only, with `faded`), as "start-end text" in code points. */
const bars = (annotator: string, faded = false) => barRuns(annotator, faded);
/** The segment of the text that reads `text`. */
const segment = (text: string) => all(".text-line .seg").find((s) => s.textContent === text)!;

/**
 * Every bar drawn is its layer's: in its colour (the workspace's), dashed where the segment says
 * so, at its layer's height (the first layer's nearest the text, gold's lowest).
 */
function expectBarsOfTheirLayers(app: Workbench) {
  const layers = all('[data-testid="curate-layers"] li').map((l) => l.dataset.annotator!);
  const segments = barredSegments();
  expect(segments.length).toBeGreaterThan(0);
  for (const seg of segments) {
    const dashed = (seg.dataset.faded ?? "").split(" ");
    const drawn = drawnBars(seg);
    // In layer order.
    expect(drawn.map((b) => layers.indexOf(b.layer))).toEqual(drawn.map((b) => layers.indexOf(b.layer)).sort((a, b) => a - b));
    for (const bar of drawn) {
      const color = app.team.colorOf(bar.layer);
      expect(bar.image).toBe(
        dashed.includes(bar.layer)
          ? `repeating-linear-gradient(90deg, ${color} 0 4px, transparent 4px 8px)`
          : `linear-gradient(${color}, ${color})`,
      );
      expect(bar.position).toBe(`left 0px bottom ${(layers.length - 1 - layers.indexOf(bar.layer)) * 5}px`);
    }
  }
}

/** The versions of d1 as the fixture has them, in text order (code points; the text starts with an emoji). */
const D1 = [
  "SOURCE 2-14", // ana and ben: "The ministry"
  "CLAIM 15-54", // ben: "said over 100,000 troops were returning"
  "CLAIM 20-54", // ana: "over 100,000 troops were returning"
  "QUANTITY 25-32", // ben: "100,000"
  "QUANTITY 25-39", // ana: "100,000 troops"
  "CLAIM 56-67", // ben: "Second line"
];

/** Opens the Curate view on the reader's document (d1) and waits for its versions. */
async function openCurate() {
  q<HTMLButtonElement>('[data-testid="curate-open"]').click();
  flushSync();
  await vi.waitFor(() => expect(rows()).toHaveLength(6));
}

/** Waits until the listed states are `states` (one per version of d1). */
async function statesAre(...states: string[]) {
  await vi.waitFor(() => expect(listed()).toEqual(D1.map((v, i) => `${v} ${states[i]}`)));
}

describe("the Curate view", () => {
  it("lists every version with its state and draws each layer's versions in its own lane", async () => {
    const app = await start();
    await openCurate();
    expect(callsOf("curation")).toEqual([{ id: "d1" }]);
    await statesAre("open", "open", "open", "open", "open", "open");
    expect(rows()[0]!.textContent).toContain("all agree");
    expect(rows()[1]!.textContent).not.toContain("all agree");
    expect(rows()[1]!.querySelector(".whos")!.textContent!.trim()).toBe("ben");
    expect(status()).toBe("6 open · 0 in gold · 0 rejected");
    expect(all('[data-testid="curate-layers"] li').map((l) => l.dataset.annotator)).toEqual(["ana", "ben", "gold"]);
    // The first open version is selected.
    expect(current().dataset.index).toBe("0");

    // The text is drawn once; its segments carry each layer's bars where that layer has versions,
    // at code points 2, 20… of a text that starts with a surrogate pair.
    const line = q('[data-testid="curate-text"]');
    expect(line.textContent).toBe(text1);
    expect(bars("ana")).toEqual(["2-14 The ministry", "20-54 over 100,000 troops were returning"]);
    expect(bars("ben")).toEqual(["2-14 The ministry", "15-54 said over 100,000 troops were returning", "56-67 Second line"]);
    expect(bars("gold")).toEqual([]);
    expect(segment("said ").dataset.layers).toBe("ben");
    expect(segment("100,000").dataset.layers).toBe("ana ben");
    expect(bars("ana", true)).toEqual([]);
    expectBarsOfTheirLayers(app);
    // Open disagreements are marked in the text; the selected one stands out.
    expect(all(".text-line .seg.open").length).toBeGreaterThan(0);
    expect(all(".text-line .seg.selected").map((s) => s.textContent)).toEqual(["The ministry"]);
    // Its layers' bars are thicker there, and nowhere else.
    expect(drawnBars(segment("The ministry")).map((b) => b.size)).toEqual(["100% 4px", "100% 4px"]);
    expect(drawnBars(segment("100,000")).map((b) => b.size)).toEqual([null, null]);

    // A click on the text or on a row selects that version.
    const second = all(".text-line .seg").find((s) => s.textContent === "Second line")!;
    second.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    flushSync();
    expect(current().dataset.start).toBe("56");
    rows()[3]!.click();
    flushSync();
    expect(current().dataset.label).toBe("QUANTITY");
    expect(all(".text-line .seg.selected").map((s) => s.textContent)).toEqual(["100,000"]);
    // Ben's version alone: ana's bar under it stays thin.
    expect(drawnBars(segment("100,000")).map((b) => `${b.layer} ${b.size}`)).toEqual(["ana 100% 3px", "ben 100% 4px"]);
    expect(drawnBars(segment("The ministry")).map((b) => b.size)).toEqual([null, null]);
  });

  it("accepts the version of the layer whose number is pressed, and shows what the core answers", async () => {
    await start();
    await openCurate();
    press("j");
    expect(current().dataset.index).toBe("1");
    // Ana's layer has no such version: nothing is asked of the core.
    press("1");
    expect(callsOf("accept_version")).toEqual([]);
    expect(notice()).toContain("ana's layer has no CLAIM");

    const loads = callsOf("curation").length;
    press("2");
    await statesAre("open", "gold", "superseded", "open", "open", "open");
    expect(callsOf("accept_version")).toEqual([{ spanId: "ben-claim" }]);
    expect(callsOf("curation").length).toBe(loads + 1);
    expect(status()).toBe("4 open · 1 in gold · 0 rejected · 1 superseded");
    expect(bars("gold")).toEqual(["15-54 said over 100,000 troops were returning"]);
    expect(current().dataset.index).toBe("1");

    // Ana's version replaces ben's in gold, which it conflicts with.
    press("ArrowDown");
    press("1");
    await statesAre("open", "superseded", "gold", "open", "open", "open");
    expect(callsOf("accept_version")).toEqual([{ spanId: "ben-claim" }, { spanId: "ana-claim" }]);
    expect(bars("gold")).toEqual(["20-54 over 100,000 troops were returning"]);
    // Ben's superseded claim is dashed where no other version of his is over it; gold never is.
    expect(bars("ben", true)).toEqual(["15-25 said over ", "32-54  troops were returning"]);
    expect(bars("gold", true)).toEqual([]);
    expect(notice()).toContain("Accepted ana's CLAIM");

    // A accepts when one layer alone has the version, and says what to press when several do.
    press("k");
    press("k");
    press("a");
    expect(notice()).toContain("2 layers have this version");
    press("j");
    press("j");
    press("j");
    press("a");
    await statesAre("open", "superseded", "gold", "gold", "superseded", "open");
    expect(callsOf("accept_version").at(-1)).toEqual({ spanId: "ben-qty" });
  });

  it("rejects with X, and N / P go to the next and previous open disagreement", async () => {
    const app = await start();
    await openCurate();
    press("n");
    expect(current().dataset.index).toBe("1");
    press("x");
    await statesAre("open", "rejected", "open", "open", "open", "open");
    expect(callsOf("reject_version")).toEqual([{ spanId: "ben-claim" }]);
    expect(status()).toBe("5 open · 0 in gold · 1 rejected");
    // Ben's bar is dashed where his only version there is rejected.
    expect(bars("ben", true)).toEqual(["15-25 said over ", "32-54  troops were returning"]);
    expect(bars("ben")).toEqual(["2-14 The ministry", "15-54 said over 100,000 troops were returning", "56-67 Second line"]);
    expect(segment("said ").dataset.faded).toBe("ben");
    expect(segment("100,000").dataset.faded).toBe("");
    expectBarsOfTheirLayers(app);

    press("k");
    expect(current().dataset.index).toBe("0");
    press("n");
    expect(current().dataset.index).toBe("2");
    press("p");
    expect(current().dataset.index).toBe("0");
    // Round from the last to the first.
    press("p");
    expect(current().dataset.index).toBe("5");
    press("n");
    expect(current().dataset.index).toBe("0");

    // Accepting a rejected version takes it back.
    press("j");
    press("2");
    await statesAre("open", "gold", "superseded", "open", "open", "open");
  });

  it("merges what every layer has with M, and most layers with Shift+M, never a rejected version", async () => {
    await start();
    await openCurate();
    q<HTMLButtonElement>('[data-testid="curate-merge"]').click();
    await statesAre("gold", "open", "open", "open", "open", "open");
    expect(callsOf("merge_agreed")).toEqual([{ id: "d1", rule: "unanimous" }]);
    expect(notice()).toContain("Merged 1 span that every layer has into gold");
    expect(bars("gold")).toEqual(["2-14 The ministry"]);

    // With two layers a majority is both of them: nothing more.
    press("M");
    await vi.waitFor(() => expect(callsOf("merge_agreed").at(-1)).toEqual({ id: "d1", rule: "majority" }));
    await vi.waitFor(() => expect(notice()).toContain("Nothing to merge: no open version is in most layers"));

    // A rejected version leaves gold and stays out of merges, until a layer's version is accepted.
    press("x");
    await statesAre("rejected", "open", "open", "open", "open", "open");
    expect(callsOf("reject_version")).toEqual([{ spanId: "gold-1" }]);
    press("m");
    await vi.waitFor(() => expect(callsOf("merge_agreed")).toHaveLength(3));
    await vi.waitFor(() => expect(notice()).toContain("Nothing to merge"));
    expect(listed()[0]).toBe("SOURCE 2-14 rejected");
    press("2");
    await statesAre("gold", "open", "open", "open", "open", "open");
    expect(callsOf("accept_version")).toEqual([{ spanId: "ben-src" }]);
  });

  it("finishes the curation with F and reopens it from the button", async () => {
    await start();
    await openCurate();
    const finish = q<HTMLButtonElement>('[data-testid="curate-finish"]');
    expect(finish.textContent).toBe("Finish curation");
    expect(status()).not.toContain("curated");
    press("f");
    await vi.waitFor(() => expect(status()).toContain("· curated"));
    expect(callsOf("finish_curation")).toEqual([{ id: "d1", finished: true }]);
    expect(q('[data-testid="curate-finish"]').textContent).toBe("Reopen");
    expect(notice()).toBe("Curation finished (6 versions left open)");

    q<HTMLButtonElement>('[data-testid="curate-finish"]').click();
    await vi.waitFor(() => expect(q('[data-testid="curate-finish"]').textContent).toBe("Finish curation"));
    expect(callsOf("finish_curation").at(-1)).toEqual({ id: "d1", finished: false });
    expect(status()).not.toContain("curated");
  });

  it("undoes and redoes with Ctrl+Z / Ctrl+Shift+Z, showing the curation again", async () => {
    const app = await start();
    await openCurate();
    press("j");
    press("2");
    await statesAre("open", "gold", "superseded", "open", "open", "open");
    press("z", { ctrlKey: true });
    await statesAre("open", "open", "open", "open", "open", "open");
    expect(callsOf("undo")).toHaveLength(1);
    expect(notice()).toBe("Undid: accept version");
    // Still on the same version, and still curating.
    expect(current().dataset.index).toBe("1");
    expect(app.curating).toBe("d1");
    press("Z", { ctrlKey: true, shiftKey: true });
    await statesAre("open", "gold", "superseded", "open", "open", "open");
    expect(callsOf("redo")).toHaveLength(1);
  });

  it("shows why a non-curator may not curate while annotation is blind", async () => {
    await start();
    ui.core.team.settings = { blind: true, curators: ["ana"] };
    q<HTMLButtonElement>('[data-testid="curate-open"]').click();
    flushSync();
    const error = await vi.waitFor(() => q('[data-testid="curate-error"]'));
    expect(error.textContent).toContain("Only curators curate.");
    expect(error.textContent).toContain("annotation in this workspace is blind: tester sees only their own layer");
    expect(error.textContent).toContain("(ana)");
    expect(rows()).toHaveLength(0);
    expect(all('[data-testid="curate-merge"]')).toHaveLength(0);
    // The keys do nothing to the core.
    press("m");
    press("x");
    expect(callsOf("merge_agreed")).toEqual([]);
    expect(callsOf("reject_version")).toEqual([]);
  });

  it("keeps the reader's keys from acting under it; Esc closes it, after whatever is over it", async () => {
    const app = await start();
    await openCurate();
    press("j");
    press("Delete");
    press("c");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(app.selectedId).toBe("d1");
    expect(current().dataset.index).toBe("1");
    expect(callsOf("delete_span")).toEqual([]);
    expect(callsOf("add_span")).toEqual([]);

    // ? shows the keys, the Curate view's among them; Esc closes the help alone.
    press("?");
    expect(q('[data-testid="help-curate"]').textContent).toContain("accept that layer's version");
    press("Escape", {}, q('.help button'));
    expect(all('[data-testid="help-curate"]')).toHaveLength(0);
    expect(all('[data-testid="curate-view"]')).toHaveLength(1);
    press("?");
    press("Escape");
    expect(all('[data-testid="help-curate"]')).toHaveLength(0);
    expect(all('[data-testid="curate-view"]')).toHaveLength(1);

    press("Escape");
    expect(all('[data-testid="curate-view"]')).toHaveLength(0);
    expect(app.curating).toBeNull();
    await vi.waitFor(() => expect(q('[data-testid="reader-text"]').textContent).toBe(text1));
  });

  it("opens from a document of the agreement view, and merges what most of three layers have", async () => {
    const app = await start();
    q<HTMLButtonElement>('[data-testid="agreement-open"]').click();
    flushSync();
    await vi.waitFor(() => expect(all('[data-testid="agreement-documents"] tbody tr')).toHaveLength(2));
    all('[data-testid="agreement-documents"] tbody tr')[0]!.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    flushSync();
    expect(all('[data-testid="agreement-view"]')).toHaveLength(0);
    await vi.waitFor(() => expect(rows()).toHaveLength(2));
    expect(q('[data-testid="curate-view"]').dataset.doc).toBe("d2");
    expect(callsOf("curation")).toEqual([{ id: "d2" }]);
    expect(q('[data-testid="curate-text"]').textContent).toBe(text2);
    expect(all('[data-testid="curate-layers"] li').map((l) => l.dataset.annotator)).toEqual(["ana", "ben", "cleo", "gold"]);
    expect(rows().map((r) => r.dataset.state)).toEqual(["open", "open"]);

    press("m");
    await vi.waitFor(() => expect(notice()).toContain("Nothing to merge: no open version is in every layer"));
    press("M");
    await vi.waitFor(() => expect(rows().map((r) => r.dataset.state)).toEqual(["gold", "open"]));
    expect(callsOf("merge_agreed")).toEqual([
      { id: "d2", rule: "unanimous" },
      { id: "d2", rule: "majority" },
    ]);
    expect(bars("gold")).toEqual(['19-46 <script>alert("x")</script>']);
    expectBarsOfTheirLayers(app);
    expect(status()).toBe("1 open · 1 in gold · 0 rejected");

    // Closing it leaves the reader on the document.
    q<HTMLButtonElement>('[data-testid="curate-close"]').click();
    flushSync();
    await vi.waitFor(() => expect(q('[data-testid="reader-text"]').textContent).toBe(text2));
    expect(app.selectedId).toBe("d2");
  });
});

describe("the Curate view's keys", () => {
  const key = (k: string, extra: Partial<KeyLike> = {}) =>
    curateCommand({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, target: null, ...extra });

  it("maps each key to its command, and leaves fields and Alt alone", () => {
    expect(key("j")).toEqual({ kind: "step", forward: true });
    expect(key("ArrowUp")).toEqual({ kind: "step", forward: false });
    expect(key("n")).toEqual({ kind: "step-open", forward: true });
    expect(key("P")).toEqual({ kind: "step-open", forward: false });
    expect(key("1")).toEqual({ kind: "accept-layer", index: 0 });
    expect(key("9")).toEqual({ kind: "accept-layer", index: 8 });
    expect(key("0")).toBeNull();
    expect(key("m")).toEqual({ kind: "merge", rule: "unanimous" });
    expect(key("M", { shiftKey: true })).toEqual({ kind: "merge", rule: "majority" });
    expect(key("x")).toEqual({ kind: "reject" });
    expect(key("a")).toEqual({ kind: "accept" });
    expect(key("f")).toEqual({ kind: "finish" });
    expect(key("Escape")).toEqual({ kind: "close" });
    expect(key("z", { ctrlKey: true })).toEqual({ kind: "undo" });
    expect(key("Z", { ctrlKey: true, shiftKey: true })).toEqual({ kind: "redo" });
    expect(key("x", { altKey: true })).toBeNull();
    const field = document.createElement("input");
    expect(key("x", { target: field })).toBeNull();
    expect(key("Escape", { target: field })).toEqual({ kind: "leave-field" });
  });

  it("gives each annotator a steady colour, and gold its own", () => {
    expect(annotatorColor("ana", 0)).toBe(annotatorColor("zed", 0));
    expect(annotatorColor("ana", 0)).not.toBe(annotatorColor("ben", 1));
    expect(annotatorColor("ana", -1)).toBe(annotatorColor("ana", -1));
    expect(annotatorColor("ana", -1)).toMatch(/^#[0-9a-f]{6}$/);
    expect(annotatorColor("gold", 3)).toBe(GOLD_COLOR);
  });
});
