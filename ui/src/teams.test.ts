/** Working as a team: who the user is (asked on the first start, switched from the bar) and the agreement view. */
import { flushSync } from "svelte";
import { describe, expect, it, vi } from "vitest";
import { mockedApp } from "./test/harness";
import { text2 } from "./test/fixtures";

const ui = mockedApp();
const { q, all, press, callsOf, start } = ui;

function type(el: HTMLInputElement, value: string) {
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
  flushSync();
}

/** Lets what a key press started settle (a move to the next document takes a few awaits). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

/** Types into the name field and presses Enter (submits the form), then lets the answer arrive. */
async function answerName(value: string) {
  type(q<HTMLInputElement>('[data-testid="annotator-field"]'), value);
  q<HTMLFormElement>('[data-testid="annotator-dialog"] form').requestSubmit();
  await vi.waitFor(() => expect(callsOf("set_annotator_name").at(-1)).toEqual({ name: value }));
  flushSync();
}

describe("who is annotating", () => {
  it("is asked on the first start, prefilled with the login name, and neither empty nor gold", async () => {
    ui.core.annotatorSaved = false;
    const app = await start();
    const dialog = await vi.waitFor(() => q('[data-testid="annotator-dialog"]'));
    expect(dialog.textContent).toContain("Who is annotating?");
    expect(q<HTMLInputElement>('[data-testid="annotator-field"]').value).toBe("tester");
    // Nothing but the answer closes it on the first start, and the app's keys wait.
    press("Escape", {}, dialog);
    press("Escape");
    press("j");
    await settle();
    expect(app.selectedId).toBe("d1");
    expect(all('[data-testid="annotator-dialog"]')).toHaveLength(1);
    expect(all("button", dialog).map((b) => b.textContent)).toEqual(["Start"]);

    await answerName("gold");
    await vi.waitFor(() => expect(q('[data-testid="annotator-dialog"] [role="alert"]').textContent).toContain("curated layer"));
    await answerName("   ");
    await vi.waitFor(() => expect(q('[data-testid="annotator-dialog"] [role="alert"]').textContent).toContain("type your name"));
    expect(ui.core.annotatorSaved).toBe(false);

    await answerName("  ana ");
    await vi.waitFor(() => expect(all('[data-testid="annotator-dialog"]')).toHaveLength(0));
    expect(q('[data-testid="annotator"]').textContent).toBe("as ana");
    expect(ui.core.annotator).toBe("ana");
  });

  it("is not asked once saved, and is switched from the bar (Esc keeps the name)", async () => {
    await start();
    expect(callsOf("annotator_saved")).toHaveLength(1);
    expect(all('[data-testid="annotator-dialog"]')).toHaveLength(0);
    const bar = q<HTMLButtonElement>('[data-testid="annotator"]');
    expect(bar.textContent).toBe("as tester");

    bar.click();
    flushSync();
    const dialog = q('[data-testid="annotator-dialog"]');
    expect(dialog.textContent).toContain("Switch annotator");
    press("Escape", {}, dialog);
    expect(all('[data-testid="annotator-dialog"]')).toHaveLength(0);
    expect(callsOf("set_annotator_name")).toHaveLength(0);

    bar.click();
    flushSync();
    await answerName("ben");
    await vi.waitFor(() => expect(all('[data-testid="annotator-dialog"]')).toHaveLength(0));
    expect(bar.textContent).toBe("as ben");
  });
});

/** The titles the documents pane lists. */
const listed = () => all("nav[aria-label=Documents] button.doc .title").map((t) => t.textContent);

describe("my queue", () => {
  it("lists only the documents assigned to whoever is annotating, with the other filters, until it is off", async () => {
    const app = await start();
    expect(listed()).toHaveLength(3);
    const toggle = q<HTMLInputElement>('[data-testid="my-queue"]');
    toggle.click();
    await vi.waitFor(() => expect(listed()).toEqual(["Troops return to bases", "Missing"]));
    expect(callsOf("list_documents").at(-1)!.filter).toEqual({ status: null, outlet: null, assigned_to: "tester" });
    expect(q('[data-testid="progress"]').textContent).toContain("2 shown");

    // Together with the status filter (set on the state: happy-dom has no :checked, which a select's binding reads).
    app.search.filters.status = "skipped";
    await app.applyListFilter();
    await vi.waitFor(() => expect(listed()).toEqual(["Missing"]));
    expect(callsOf("list_documents").at(-1)!.filter).toEqual({ status: "skipped", outlet: null, assigned_to: "tester" });
    app.search.filters.status = "";
    await app.applyListFilter();
    await vi.waitFor(() => expect(listed()).toEqual(["Troops return to bases", "Missing"]));

    // Switching the name shows the new name's queue.
    q<HTMLButtonElement>('[data-testid="annotator"]').click();
    flushSync();
    await answerName("ana");
    await vi.waitFor(() => expect(listed()).toEqual(["Troops return to bases"]));
    expect(callsOf("list_documents").at(-1)!.filter).toEqual({ status: null, outlet: null, assigned_to: "ana" });

    toggle.click();
    await vi.waitFor(() => expect(listed()).toHaveLength(3));
    expect(callsOf("list_documents").at(-1)!.filter).toEqual({ status: null, outlet: null });
  });
});

/** Opens the agreement view and waits for its first report. */
async function openAgreement() {
  q<HTMLButtonElement>('[data-testid="agreement-open"]').click();
  flushSync();
  await vi.waitFor(() => expect(all('[data-testid="agreement-documents"] tbody tr')).toHaveLength(2));
}

const cells = (row: Element) => [...row.querySelectorAll("th, td")].map((c) => c.textContent!.replace(/\s+/g, " ").trim());

describe("agreement view", () => {
  it("shows the overall figures, the pairs, the labels and the documents to three decimals", async () => {
    await start();
    await openAgreement();
    expect(callsOf("agreement")).toEqual([{ options: { annotators: [], labels: [] } }]);
    const overall = [...q('[data-testid="agreement-overall"]').querySelectorAll("div")].map((d) => [
      d.querySelector("dt")!.textContent,
      d.querySelector("dd")!.textContent,
    ]);
    expect(overall).toEqual([
      ["Span F1, exact", "0.600"],
      ["Span F1, overlap", "0.800"],
      ["Relation F1", "—"],
      ["Krippendorff's α", "0.612"],
      ["Mean Cohen's κ", "0.500"],
      ["Document labels α", "—"],
    ]);
    const matrix = all('[data-testid="agreement-matrix"] tr').map(cells);
    expect(matrix).toEqual([
      ["", "ana", "ben", "cleo"],
      ["ana", "", "1.000 · 0.800", "0.000 · 0.200"],
      ["ben", "1.000 · 0.800", "", "—"],
      ["cleo", "0.000 · 0.200", "—", ""],
    ]);
    expect(all('[data-testid="agreement-labels"] tbody tr').map(cells)).toEqual([
      ["CLAIM", "0.333", "0.667", "0.457"],
      ["SOURCE", "1.000", "1.000", "1.000"],
    ]);
    const docs = all('[data-testid="agreement-documents"] tbody tr').map(cells);
    expect(docs[0]!.slice(1)).toEqual(["ana, ben, cleo", "0.667", "2"]);
    expect(docs[1]).toEqual(["Troops return to bases", "ana, ben", "1.000", "0"]);
  });

  it("asks again for the annotators and the label chosen, and shows an unknown annotator's error", async () => {
    await start();
    await openAgreement();
    q<HTMLSelectElement>('[data-testid="agreement-label"]').value = "SOURCE";
    q('[data-testid="agreement-label"]').dispatchEvent(new Event("change", { bubbles: true }));
    flushSync();
    await vi.waitFor(() => expect(callsOf("agreement").at(-1)).toEqual({ options: { annotators: [], labels: ["SOURCE"] } }));
    await vi.waitFor(() => expect(all('[data-testid="agreement-labels"] tbody tr')).toHaveLength(1));

    const boxes = all<HTMLInputElement>('[data-testid="agreement-view"] fieldset input[type="checkbox"]');
    expect(boxes).toHaveLength(3);
    for (const box of boxes.slice(0, 2)) {
      box.checked = true;
      box.dispatchEvent(new Event("change", { bubbles: true }));
      flushSync();
    }
    await vi.waitFor(() =>
      expect(callsOf("agreement").at(-1)).toEqual({ options: { annotators: ["ana", "ben"], labels: ["SOURCE"] } }),
    );
    await vi.waitFor(() => expect(all('[data-testid="agreement-matrix"] thead th')).toHaveLength(3));
    expect(q<HTMLInputElement>('[data-testid="agreement-annotators"]').value).toBe("ana, ben");

    // Typed names apply when the field is left, not at every key.
    const field = q<HTMLInputElement>('[data-testid="agreement-annotators"]');
    const asked = callsOf("agreement").length;
    type(field, "ana, zed");
    expect(callsOf("agreement")).toHaveLength(asked);
    field.dispatchEvent(new Event("change", { bubbles: true }));
    flushSync();
    const banner = await vi.waitFor(() => q('[role="alert"]'));
    expect(banner.textContent).toContain("Measuring the agreement failed");
    expect(banner.textContent).toContain("no annotator `zed`");
  });

  it("opens a document's curation from its row and closes; Esc closes too", async () => {
    const app = await start();
    await openAgreement();
    press("Escape", {}, q('[data-testid="agreement-view"]'));
    expect(all('[data-testid="agreement-view"]')).toHaveLength(0);
    press("Escape");

    await openAgreement();
    // Keys of the reader do nothing while the view is open; Escape from the page closes it.
    press("j");
    await settle();
    expect(app.selectedId).toBe("d1");
    press("Escape");
    expect(all('[data-testid="agreement-view"]')).toHaveLength(0);

    await openAgreement();
    all('[data-testid="agreement-documents"] tbody tr')[0]!.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    flushSync();
    expect(all('[data-testid="agreement-view"]')).toHaveLength(0);
    // The Curate view of the document, which the reader opens under it.
    await vi.waitFor(() => expect(q('[data-testid="curate-text"]').textContent).toBe(text2));
    expect(q('[data-testid="curate-view"]').dataset.doc).toBe("d2");
    press("Escape");
    await vi.waitFor(() => expect(q('[data-testid="reader-text"]').textContent).toBe(text2));
  });
});
