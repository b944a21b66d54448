/** Source entities and claim groups in the inspector, with the core mocked at the IPC boundary (`MockCore`). */
import { clearMocks } from "@tauri-apps/api/mocks";
import { flushSync } from "svelte";
import { describe, expect, it, vi } from "vitest";
import { mockDesktop, mockedApp } from "./test/harness";
import { entitySuggestionsFor, text1, text2 } from "./test/fixtures";

const ui = mockedApp();
const { q, all, press, callsOf, start, clickSpan } = ui;

/** Types into a field and leaves it (a change event), as a person editing it would. */
function edit(selector: string, value: string) {
  const el = q<HTMLInputElement | HTMLTextAreaElement>(selector);
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
  el.dispatchEvent(new Event("change", { bubbles: true }));
  flushSync();
}

function choose(selector: string, value: string) {
  const el = q<HTMLSelectElement>(selector);
  el.value = value;
  el.dispatchEvent(new Event("change", { bubbles: true }));
  flushSync();
}

describe("source entities", () => {
  it("suggests entities for a SOURCE span and links one with a click", async () => {
    await start();
    clickSpan("The ministry");
    const rows = await vi.waitFor(() => {
      const found = all('[data-testid="entity-suggestion"]');
      expect(found).toHaveLength(2);
      return found;
    });
    expect(callsOf("entity_suggestions")).toEqual([{ spanId: "s-src" }]);
    expect(rows[0]!.textContent).toContain("Ministry of Defence");
    expect(rows[0]!.textContent).toContain("organisation");
    expect(rows[0]!.textContent).toContain("as “the defence ministry”");
    expect(rows[0]!.querySelector<HTMLElement>(".bar")!.style.width).toBe("82%");

    rows[0]!.querySelector<HTMLButtonElement>('[data-testid="entity-link"]')!.click();
    await vi.waitFor(() => expect(callsOf("link_source_entity")).toEqual([{ spanIds: ["s-src"], entityId: "e-mod" }]));
    // Linked: the entity's fields, and its other unlinked mentions to link in one go.
    await vi.waitFor(() => expect(q<HTMLInputElement>('[data-testid="entity-name"]').value).toBe("Ministry of Defence"));
    expect(q<HTMLSelectElement>('[data-testid="entity-kind"]').value).toBe("organisation");
    // The span's spelling, new to the entity, became one of its aliases (as the core does).
    expect(q<HTMLTextAreaElement>('[data-testid="entity-aliases"]').value).toBe("the defence ministry\nMoD\nThe ministry");
    await vi.waitFor(() => expect(all('[data-testid="entity-mention"]')).toHaveLength(2));
    expect(callsOf("entity_mentions")).toContainEqual({ entityId: "e-mod" });

    q<HTMLButtonElement>('[data-testid="entity-link-all"]').click();
    await vi.waitFor(() => expect(callsOf("link_source_entity")).toHaveLength(2));
    expect(callsOf("link_source_entity")[1]).toEqual({ spanIds: ["s-d4-src", "s-d5-src"], entityId: "e-mod" });
  });

  it("links the first suggestion with Enter", async () => {
    await start();
    clickSpan("The ministry");
    await vi.waitFor(() => expect(all('[data-testid="entity-suggestion"]')).toHaveLength(2));
    press("Enter");
    await vi.waitFor(() => expect(callsOf("link_source_entity")).toEqual([{ spanIds: ["s-src"], entityId: "e-mod" }]));
    // The key is listed with the others.
    press("?", { shiftKey: true });
    expect(q('[role="dialog"]').textContent).toContain("link it to the first suggested source entity");
    expect(q('[role="dialog"]').textContent).toContain("in the compare view, back to the reader");
  });

  it("makes a new entity with Enter when none is suggested", async () => {
    const suggested = entitySuggestionsFor["s-src"];
    delete entitySuggestionsFor["s-src"];
    try {
      await start();
      clickSpan("The ministry");
      // Enter at once, while the entities are still being looked for: it acts on what is found.
      press("Enter");
      await vi.waitFor(() => expect(callsOf("create_entity_from_span")).toEqual([{ spanId: "s-src", name: null, kind: "person" }]));
      expect(callsOf("link_source_entity")).toEqual([]);
    } finally {
      if (suggested !== undefined) entitySuggestionsFor["s-src"] = suggested;
    }
  });

  it("makes a new entity of the chosen kind from the span", async () => {
    await start();
    clickSpan("The ministry");
    const kind = await vi.waitFor(() => q<HTMLSelectElement>('[data-testid="new-entity-kind"]'));
    expect(kind.value).toBe("person");
    choose('[data-testid="new-entity-kind"]', "organisation");
    q<HTMLButtonElement>('[data-testid="new-entity"]').click();
    await vi.waitFor(() =>
      expect(callsOf("create_entity_from_span")).toEqual([{ spanId: "s-src", name: null, kind: "organisation" }]),
    );
    // Drawn from the core's answer: the span is linked to the new entity.
    await vi.waitFor(() => expect(q<HTMLInputElement>('[data-testid="entity-name"]').value).toBe("The ministry"));
  });

  it("edits aliases, moves a mention to a new entity and merges entities", async () => {
    ui.core.views.d1!.spans.find((s) => s.id === "s-src")!.source_entity = "e-mod";
    await start();
    clickSpan("The ministry");
    await vi.waitFor(() => expect(q<HTMLInputElement>('[data-testid="entity-name"]').value).toBe("Ministry of Defence"));

    edit('[data-testid="entity-aliases"]', "the defence ministry, MoD\nthe ministry");
    await vi.waitFor(() =>
      expect(callsOf("update_source_entity")).toEqual([
        { id: "e-mod", edit: { aliases: ["the defence ministry", "MoD", "the ministry"] } },
      ]),
    );

    q<HTMLButtonElement>('[data-testid="entity-split"]').click();
    flushSync();
    expect(q<HTMLInputElement>('[data-testid="entity-split-name"]').value).toBe("The ministry");
    edit('[data-testid="entity-split-name"]', "Ministry of Foreign Affairs");
    q<HTMLButtonElement>('[data-testid="entity-split-confirm"]').click();
    await vi.waitFor(() =>
      expect(callsOf("split_source_entity")).toEqual([
        { id: "e-mod", spanIds: ["s-src"], name: "Ministry of Foreign Affairs" },
      ]),
    );
    await vi.waitFor(() => expect(q<HTMLInputElement>('[data-testid="entity-name"]').value).toBe("Ministry of Foreign Affairs"));

    q<HTMLButtonElement>('[data-testid="entity-merge"]').click();
    flushSync();
    await vi.waitFor(() => expect(all('[data-testid="entity-merge-into"] option').length).toBeGreaterThan(2));
    choose('[data-testid="entity-merge-into"]', "e-mod");
    q<HTMLButtonElement>('[data-testid="entity-merge-confirm"]').click();
    await vi.waitFor(() => expect(callsOf("merge_source_entities")).toEqual([{ from: "e-new-1", into: "e-mod" }]));
    await vi.waitFor(() => expect(q<HTMLInputElement>('[data-testid="entity-name"]').value).toBe("Ministry of Defence"));

    q<HTMLButtonElement>('[data-testid="entity-unlink"]').click();
    await vi.waitFor(() => expect(callsOf("link_source_entity")).toEqual([{ spanIds: ["s-src"], entityId: null }]));
    await vi.waitFor(() => expect(all('[data-testid="entity-suggestion"]')).toHaveLength(2));
  });
});

describe("claim groups", () => {
  it("shows the claim's group and similar passages, and adds one to the group", async () => {
    await start();
    clickSpan("over ");
    const rows = await vi.waitFor(() => {
      const found = all('[data-testid="claim-suggestion"]');
      expect(found).toHaveLength(3);
      return found;
    });
    expect(q('[data-testid="group-canonical-text"]').textContent).toBe("Over 100,000 troops are returning to their bases");
    expect(q('[data-testid="claim-section"] [data-testid="status-badge"]').dataset.status).toBe("disputed");
    expect(rows[0]!.textContent).toContain("Daily Ledger · Units head home");
    expect(rows[0]!.textContent).toContain("Some 130,000 troops were returning");
    expect(rows[0]!.textContent).toContain("74%");
    expect(rows[0]!.querySelector('[data-testid="claim-suggestion-note"]')).toBeNull();
    expect(rows[1]!.querySelector('[data-testid="claim-suggestion-note"]')!.textContent).toBe("in another group");
    expect(rows[2]!.querySelector('[data-testid="claim-suggestion-note"]')!.textContent).toBe("annotated");

    // The claim as adding it would annotate it, marked in its paragraph.
    expect(q('[data-testid="passage-claim"]', rows[0]!).textContent).toBe("Some 130,000 troops were returning to their bases");
    expect(rows[0]!.querySelector(".passage")!.textContent).toBe(
      "Officials spoke on Monday. Some 130,000 troops were returning to their bases, officials said. More units left.",
    );
    // Annotated passages are added as they are: no ends to move.
    expect(all('[data-testid="extent-move"]', rows[1]!)).toHaveLength(0);
    rows[0]!.querySelector<HTMLButtonElement>('[data-testid="add-to-group"]')!.click();
    await vi.waitFor(() =>
      expect(callsOf("group_claim_with_passage")).toEqual([{ spanId: "s-claim", docId: "d4", start: 212, end: 212 + 49, exact: true }]),
    );
    // The suggestions are fetched again: the passage added is gone.
    await vi.waitFor(() => expect(all('[data-testid="claim-suggestion"]')).toHaveLength(2));
    expect(callsOf("claim_suggestions")).toHaveLength(2);
    // An annotated passage is added with its own CLAIM span: the core finds it over the passage.
    const annotated = all('[data-testid="claim-suggestion"]').find((r) => r.dataset.docId === "d6")!;
    q<HTMLButtonElement>('[data-testid="add-to-group"]', annotated).click();
    const d6 = "Over 100,000 troops were reported to be returning.";
    await vi.waitFor(() =>
      expect(callsOf("group_claim_with_passage").at(-1)).toEqual({ spanId: "s-claim", docId: "d6", start: 0, end: d6.length, exact: false }),
    );
  });

  it("moves a similar passage's claim a word at a time before adding it as it was set", async () => {
    await start();
    clickSpan("over ");
    const row = await vi.waitFor(() => {
      const found = all('[data-testid="claim-suggestion"]');
      expect(found).toHaveLength(3);
      return found[0]!;
    });
    const move = (m: string) => {
      q<HTMLButtonElement>(`[data-testid="extent-move"][data-move="${m}"]`, row).click();
      flushSync();
    };
    const claim = () => q('[data-testid="passage-claim"]', row).textContent;
    move("end-later");
    expect(claim()).toBe("Some 130,000 troops were returning to their bases,");
    move("end-later");
    expect(claim()).toBe("Some 130,000 troops were returning to their bases, officials");
    for (let i = 0; i < 5; i++) move("end-later"); // the paragraph ends after four: no further
    expect(claim()).toBe("Some 130,000 troops were returning to their bases, officials said. More units left.");
    for (let i = 0; i < 4; i++) move("end-earlier");
    expect(claim()).toBe("Some 130,000 troops were returning to their bases, officials");
    move("start-earlier");
    expect(claim()).toBe("Monday. Some 130,000 troops were returning to their bases, officials");
    move("start-later");
    move("start-later");
    expect(claim()).toBe("130,000 troops were returning to their bases, officials");
    q<HTMLButtonElement>('[data-testid="add-to-group"]', row).click();
    const from = 212 + "Some ".length;
    await vi.waitFor(() =>
      expect(callsOf("group_claim_with_passage")).toEqual([
        { spanId: "s-claim", docId: "d4", start: from, end: 212 + "Some 130,000 troops were returning to their bases, officials".length, exact: true },
      ]),
    );
  });

  it("starts a group for a claim in none, and leaves it", async () => {
    ui.core.views.d1!.spans.find((s) => s.id === "s-claim")!.claim_group = null;
    await start();
    clickSpan("over ");
    const startButton = await vi.waitFor(() => q<HTMLButtonElement>('[data-testid="group-start"]'));
    startButton.click();
    await vi.waitFor(() => expect(callsOf("start_claim_group")).toEqual([{ spanIds: ["s-claim"], canonical: null }]));
    await vi.waitFor(() =>
      expect(q('[data-testid="group-canonical-text"]').textContent).toBe("over 100,000 troops were returning"),
    );
    expect(q('[data-testid="claim-section"] [data-testid="status-badge"]').dataset.status).toBe("unverified");

    q<HTMLButtonElement>('[data-testid="group-status"][data-status="refuted"]').click();
    await vi.waitFor(() => expect(callsOf("update_claim_group")).toEqual([{ id: "g-new-1", edit: { status: "refuted" } }]));
    await vi.waitFor(() => expect(q('[data-testid="claim-section"] [data-testid="status-badge"]').dataset.status).toBe("refuted"));

    q<HTMLButtonElement>('[data-testid="group-leave"]').click();
    await vi.waitFor(() => expect(callsOf("set_claim_group")).toEqual([{ spanIds: ["s-claim"], groupId: null }]));
    await vi.waitFor(() => q('[data-testid="group-start"]'));
  });

  it("groups by keyboard: G starts a group, P adds the top similar passage, O opens it", async () => {
    ui.core.views.d1!.spans.find((s) => s.id === "s-claim")!.claim_group = null;
    // The top passage's document, to open.
    ui.core.views.d4 = { ...structuredClone(ui.core.views.d2!), document: { ...ui.core.views.d2!.document, id: "d4" } };
    await start();
    press("g"); // nothing selected: says what to do
    expect(q('[data-testid="notice"]').textContent).toContain("Select a CLAIM first");
    clickSpan("over ");
    await vi.waitFor(() => expect(all('[data-testid="claim-suggestion"]')).toHaveLength(3));
    press("g");
    await vi.waitFor(() => expect(callsOf("start_claim_group")).toEqual([{ spanIds: ["s-claim"], canonical: null }]));
    press("p");
    await vi.waitFor(() => expect(callsOf("group_claim_with_passage")).toHaveLength(1));
    expect(callsOf("group_claim_with_passage")[0]).toMatchObject({ spanId: "s-claim", docId: "d4", start: 212 });
    await vi.waitFor(() => expect(all('[data-testid="claim-suggestion"]')).toHaveLength(2));
    // O opens the (new) top passage; the Open button does the same for any row.
    const top = all('[data-testid="claim-suggestion"]')[0]!.dataset.docId!;
    press("o");
    await vi.waitFor(() => expect(callsOf("get_document")).toContainEqual({ id: top }));
  });

  it("joins a claim in no group to an existing group", async () => {
    ui.core.views.d1!.spans.find((s) => s.id === "s-claim")!.claim_group = null;
    await start();
    clickSpan("over ");
    const choice = await vi.waitFor(() => q<HTMLSelectElement>('[data-testid="group-join-choice"]'));
    // The newest group is offered first; another can be picked.
    expect(choice.value).toBe("g-drills");
    choice.value = "g-100k";
    choice.dispatchEvent(new Event("change", { bubbles: true }));
    q<HTMLButtonElement>('[data-testid="group-join"]').click();
    await vi.waitFor(() => expect(callsOf("set_claim_group")).toEqual([{ spanIds: ["s-claim"], groupId: "g-100k" }]));
    await vi.waitFor(() =>
      expect(q('[data-testid="group-canonical-text"]').textContent).toBe("Over 100,000 troops are returning to their bases"),
    );
  });

  it("shows why an evidence address was refused and keeps the text", async () => {
    await start();
    clickSpan("over ");
    await vi.waitFor(() => expect(q<HTMLTextAreaElement>('[data-testid="group-evidence"]').value).toBe("https://example.org/fact-check/troops"));
    const typed = "https://example.org/fact-check/troops\nftp://files.example.org/report.pdf";
    edit('[data-testid="group-evidence"]', typed);
    await vi.waitFor(() => expect(callsOf("update_claim_group")).toHaveLength(1));
    expect(callsOf("update_claim_group")[0]).toEqual({
      id: "g-100k",
      edit: { evidence: ["https://example.org/fact-check/troops", "ftp://files.example.org/report.pdf"] },
    });
    const problem = await vi.waitFor(() => q('[data-testid="group-evidence-problem"]'));
    expect(problem.textContent).toBe("evidence `ftp://files.example.org/report.pdf` must start with http:// or https://");
    expect(q<HTMLTextAreaElement>('[data-testid="group-evidence"]').value).toBe(typed);
    // Not an app error: nothing in the banner.
    expect(ui.target.querySelector('[role="alert"]')).toBeNull();

    edit('[data-testid="group-evidence"]', "https://example.org/fact-check/troops\nhttps://files.example.org/report.pdf");
    await vi.waitFor(() => expect(callsOf("update_claim_group")).toHaveLength(2));
    await vi.waitFor(() => expect(ui.target.querySelector('[data-testid="group-evidence-problem"]')).toBeNull());
    expect(q('[data-testid="claim-group"] .links').textContent).toContain("files.example.org");
  });

  it("says the search index is building instead of listing passages", async () => {
    ui.core.failing.set("claim_suggestions", {
      kind: "index_not_ready",
      message: "the search index is still being built (10 of 500 documents); search works as soon as it is done",
    });
    await start();
    clickSpan("over ");
    const problem = await vi.waitFor(() => q('[data-testid="claim-suggestions-problem"]'));
    expect(problem.textContent).toBe("Search index is building…");
    expect(ui.target.querySelector('[role="alert"]')).toBeNull();
  });

  it("drops similar passages that arrive after another claim was selected", async () => {
    let release: () => void = () => {};
    const slow = new Promise<void>((resolve) => (release = resolve));
    clearMocks();
    mockDesktop(async (cmd, args) => {
      if (cmd === "claim_suggestions" && (args as { spanId: string }).spanId === "s-claim") await slow;
      return ui.core.handle(cmd, args);
    });
    await start();
    clickSpan("over ");
    await vi.waitFor(() => expect(callsOf("claim_suggestions")).toHaveLength(0));
    // Another document's CLAIM, selected before the first answer came.
    press("j");
    await vi.waitFor(() => expect(q('[data-testid="reader-text"]').textContent).toBe(text2));
    press("Tab");
    await vi.waitFor(() => expect(callsOf("claim_suggestions")).toEqual([{ spanId: "s-markup" }]));
    await vi.waitFor(() => expect(q('[data-testid="claim-section"]').textContent).toContain("None found."));
    release();
    await vi.waitFor(() => expect(callsOf("claim_suggestions")).toHaveLength(2));
    await new Promise((r) => setTimeout(r, 20));
    expect(all('[data-testid="claim-suggestion"]')).toHaveLength(0);
  });

  it("fetches the suggestions again after undo", async () => {
    await start();
    // A change to undo, made in the core (as another window of the workspace would).
    ui.core.handle("set_status", { id: "d1", status: "done" });
    clickSpan("over ");
    await vi.waitFor(() => expect(all('[data-testid="claim-suggestion"]')).toHaveLength(3));
    expect(callsOf("claim_suggestions")).toHaveLength(1);
    press("z", { ctrlKey: true });
    await vi.waitFor(() => expect(callsOf("undo")).toHaveLength(1));
    await vi.waitFor(() => expect(callsOf("claim_suggestions")).toHaveLength(2));
  });
});
