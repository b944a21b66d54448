/** Suggestions in the reader: ghost spans, Tab, Enter, X, accept all, with the core mocked (`MockCore`). */
import { flushSync } from "svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { SHOW_SUGGESTIONS_KEY } from "$lib/suggestions.svelte";
import { text1 } from "./test/fixtures";
import { mockedApp } from "./test/harness";
import { suggestionOn } from "./test/suggestionFixture";

const ui = mockedApp();
const { q, all, press, callsOf, start } = ui;

/** A quote with its speaker, and a pattern's span before it in the text. */
const quote = suggestionOn(text1, "direct", [["CLAIM", "quoted", { type: "quote" }], ["SOURCE", "Second line"]], [[0, 1, "attributed_to"]]);
const pattern = suggestionOn(text1, "pattern", [["QUANTITY", "said"]], [], "pattern:numbers");

const cp = (needle: string): number => Array.from(text1.slice(0, text1.indexOf(needle))).length;
const ghosts = () => all('[data-testid="ghost-span"]').map((g) => `${g.dataset.label}:${g.dataset.text}`);
const focusedGhosts = () => all('[data-testid="ghost-span"].focused').map((g) => g.dataset.text);
const readerText = () => q('[data-testid="reader-text"]').textContent;
const segTitle = (text: string) => all(".seg").find((s) => s.textContent === text)?.title;

beforeEach(() => {
  localStorage.removeItem(SHOW_SUGGESTIONS_KEY);
  ui.core.proposals.proposed = { d1: [structuredClone(pattern), structuredClone(quote)] };
});

describe("suggestions", () => {
  it("draws them as ghosts behind the text, apart from the annotations", async () => {
    await start();
    await vi.waitFor(() => expect(ghosts()).toEqual(["QUANTITY:said", "SOURCE:Second line", "CLAIM:quoted"]));
    // The text and the annotations' segments are as they were: ghosts are not part of either.
    expect(readerText()).toBe(text1);
    expect(all(".seg").map((s) => s.textContent)).toEqual(["The ministry", "over ", "100,000 troops", " were returning"]);
    expect(q('[data-testid="suggestion-count"]').textContent).toBe("2 open");
    expect(all('[data-testid="ghost-span"]')[1]!.closest('[aria-hidden="true"]')).not.toBeNull();
  });

  it("walks spans and suggestions together with Tab, in reading order", async () => {
    await start();
    await vi.waitFor(() => expect(ghosts()).toHaveLength(3));
    press("Tab");
    expect(q('[data-testid="span-text"]').textContent).toBe("The ministry");
    press("Tab");
    expect(focusedGhosts()).toEqual(["said"]);
    expect(q('[data-testid="suggestion-panel"]').textContent).toContain("pattern:numbers");
    expect(all('[data-testid="span-text"]')).toHaveLength(0);
    press("Tab");
    expect(q('[data-testid="span-text"]').textContent).toBe("over 100,000 troops were returning");
    expect(focusedGhosts()).toEqual([]);
    press("Tab");
    press("Tab");
    expect(focusedGhosts()).toEqual(["Second line", "quoted"]);
    expect(q('[data-testid="suggestion-relations"]').textContent).toContain("CLAIM attributed_to → SOURCE “Second line”");
    press("Tab", { shiftKey: true });
    expect(q('[data-testid="span-text"]').textContent).toBe("100,000 troops");
    // Escape lets go of a suggestion as of a span.
    press("Tab");
    press("Escape");
    expect(focusedGhosts()).toEqual([]);
  });

  it("accepts the one in focus with Enter, with its relations, as one undo step", async () => {
    const app = await start();
    await vi.waitFor(() => expect(ghosts()).toHaveLength(3));
    app.focusSuggestion(1);
    flushSync();
    press("Enter");
    await vi.waitFor(() => expect(callsOf("accept_suggestion")).toEqual([{ docId: "d1", start: cp("quoted"), end: cp("quoted") + 6, label: "CLAIM" }]));
    // Drawn as annotations of the annotator, linked, and no longer a ghost.
    await vi.waitFor(() => expect(segTitle("quoted")).toBe("CLAIM"));
    expect(segTitle("Second line")).toBe("SOURCE");
    const added = app.view!.spans.filter((s) => s.suggested_by === "rule:direct");
    expect(added.map((s) => [s.label, s.text, s.annotator])).toEqual([["CLAIM", "quoted", "tester"], ["SOURCE", "Second line", "tester"]]);
    expect(added[0]!.attrs).toEqual({ type: "quote" });
    expect(app.view!.relations.map((r) => [r.head, r.label, r.child])).toEqual([[added[0]!.id, "attributed_to", added[1]!.id]]);
    await vi.waitFor(() => expect(ghosts()).toEqual(["QUANTITY:said"]));
    expect(app.notice).toBe("Accepted CLAIM “quoted”, with SOURCE “Second line”");
    // The focus moved on to what is left, so that Enter, Enter… goes through them.
    expect(focusedGhosts()).toEqual(["said"]);

    press("z", { ctrlKey: true });
    await vi.waitFor(() => expect(segTitle("quoted")).toBeUndefined());
    expect(app.view!.relations).toEqual([]);
    await vi.waitFor(() => expect(ghosts()).toHaveLength(3));
  });

  it("turns the one in focus down with X, for good, until undone", async () => {
    const app = await start();
    await vi.waitFor(() => expect(ghosts()).toHaveLength(3));
    press("Tab");
    press("Tab");
    press("x");
    await vi.waitFor(() => expect(callsOf("reject_suggestion")).toEqual([{ docId: "d1", start: cp("said"), end: cp("said") + 4, label: "QUANTITY" }]));
    await vi.waitFor(() => expect(ghosts()).toEqual(["SOURCE:Second line", "CLAIM:quoted"]));
    expect(callsOf("accept_suggestion")).toEqual([]);
    expect(app.view!.spans).toHaveLength(3);
    // Not proposed again when the document opens again.
    press("j");
    await vi.waitFor(() => expect(app.view?.document.id).toBe("d2"));
    press("k");
    await vi.waitFor(() => expect(readerText()).toBe(text1));
    await vi.waitFor(() => expect(ghosts()).toEqual(["SOURCE:Second line", "CLAIM:quoted"]));
    press("z", { ctrlKey: true });
    await vi.waitFor(() => expect(ghosts()).toHaveLength(3));
  });

  it("leaves X to a label's key when no suggestion is in focus", async () => {
    ui.core.schemaNow.span_labels.push({ name: "EXTRA", color: "#000000", hotkey: "x", description: "" });
    const app = await start();
    await vi.waitFor(() => expect(ghosts()).toHaveLength(3));
    app.selectSpan("s-src");
    flushSync();
    press("x");
    await vi.waitFor(() => expect(callsOf("set_span_label")).toEqual([{ id: "s-src", label: "EXTRA" }]));
    expect(callsOf("reject_suggestion")).toEqual([]);
  });

  it("accepts every suggestion of the document at once", async () => {
    const app = await start();
    await vi.waitFor(() => expect(ghosts()).toHaveLength(3));
    q<HTMLButtonElement>('[data-testid="accept-all-suggestions"]').click();
    await vi.waitFor(() => expect(callsOf("accept_all_suggestions")).toEqual([{ docId: "d1" }]));
    await vi.waitFor(() => expect(ghosts()).toEqual([]));
    expect(q('[data-testid="suggestion-count"]').textContent).toBe("none open");
    await vi.waitFor(() => expect(segTitle("said")).toBe("QUANTITY"));
    expect(app.notice).toBe("Accepted 2 suggestions: 3 spans, 1 relation");
    expect(all('[data-testid="accept-all-suggestions"]')).toHaveLength(0);
  });

  it("shows a refused acceptance and draws nothing", async () => {
    const app = await start();
    await vi.waitFor(() => expect(ghosts()).toHaveLength(3));
    ui.core.failing.set("accept_suggestion", { kind: "disk_full", message: "the disk is full" });
    app.focusSuggestion(0);
    flushSync();
    press("Enter");
    const banner = await vi.waitFor(() => q('[role="alert"]'));
    expect(banner.textContent).toContain("Accepting the suggestion failed");
    expect(banner.textContent).toContain("the disk is full");
    expect(app.view!.spans).toHaveLength(3);
    expect(ghosts()).toHaveLength(3);
  });

  it("can be hidden: no ghosts, Tab walks spans only, Enter accepts nothing; remembered", async () => {
    const app = await start();
    await vi.waitFor(() => expect(ghosts()).toHaveLength(3));
    const toggle = q<HTMLInputElement>('[data-testid="show-suggestions"]');
    toggle.click();
    flushSync();
    expect(ghosts()).toEqual([]);
    expect(localStorage.getItem(SHOW_SUGGESTIONS_KEY)).toBe("false");
    press("Tab");
    press("Tab");
    expect(q('[data-testid="span-text"]').textContent).toBe("over 100,000 troops were returning");
    app.focusSuggestion(0);
    flushSync();
    press("Enter");
    expect(callsOf("accept_suggestion")).toEqual([]);
  });
});
