/** A team in the app: other layers in the reader, blind annotation, the team dialog, progress and assignments. */
import { flushSync } from "svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { annotatorColor, GOLD_COLOR } from "$lib/format";
import { Workbench } from "$lib/state.svelte";
import { LAYERS_MODE_KEY } from "$lib/team.svelte";
import { cpRange, text1 } from "./test/fixtures";
import { barRuns, barredSegments, drawnBars } from "./test/curateBars";
import { mockedApp } from "./test/harness";
import { layerSpan } from "./test/teamFixture";

const ui = mockedApp();
const { q, all, callsOf, start, press } = ui;

beforeEach(() => {
  localStorage.clear();
  // Beside the tester's three spans of d1: two of ana's (nested) and gold's.
  const d1 = ui.core.views.d1!;
  d1.spans.push(
    layerSpan(d1, "a-claim", "CLAIM", "said over 100,000 troops", "ana"),
    layerSpan(d1, "a-qty", "QUANTITY", "100,000", "ana"),
    layerSpan(d1, "g-src", "SOURCE", "The ministry", "gold"),
  );
});

function type(el: HTMLInputElement, value: string) {
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
  flushSync();
}

function choose(select: HTMLSelectElement, value: string) {
  select.value = value;
  select.dispatchEvent(new Event("change", { bubbles: true }));
  flushSync();
}

/** The ids of the spans drawn in the text. */
const inText = () => new Set(all(".seg[data-spans]").flatMap((s) => s.dataset.spans!.split(" ").filter((id) => id !== "")));
const lanes = () => all('[data-testid="layer-lane"]');
const laneSpans = (annotator: string) => all(`[data-testid="layer-lane"][data-annotator="${annotator}"] [data-testid="lane-span"]`);

describe("layers in the reader", () => {
  it("draws the others' layers in lanes for a team: each bar over its span, the text the document's alone", async () => {
    const app = await start();
    const mode = q<HTMLSelectElement>('[data-testid="layers-mode"]');
    await vi.waitFor(() => expect(mode.value).toBe("lanes"));
    expect(app.team.layersMode).toBe("lanes");

    // The tester's spans in the text, the others' not.
    expect(inText()).toEqual(new Set(["s-claim", "s-qty", "s-src"]));
    // ana's nested spans take two rows, gold one: each row a lane of its own, gold last.
    expect(lanes().map((l) => l.dataset.annotator)).toEqual(["ana", "ana", "gold"]);
    const [claim] = laneSpans("ana").filter((b) => b.dataset.label === "CLAIM");
    expect(claim).toBeDefined();
    expect([Number(claim!.dataset.start), Number(claim!.dataset.end)]).toEqual(cpRange(text1, "said over 100,000 troops"));
    expect(claim!.title).toBe("CLAIM — ana");
    // The bar's piece is the span's text (after the emoji: offsets went through the offset table).
    expect(claim!.dataset.text).toBe("said over 100,000 troops");
    const [gold] = laneSpans("gold");
    expect([Number(gold!.dataset.start), Number(gold!.dataset.end)]).toEqual(cpRange(text1, "The ministry"));
    // Each lane is the paragraph's text again, but none of it is the page's text.
    for (const lane of lanes()) {
      expect([...lane.querySelectorAll<HTMLElement>("[data-text]")].map((p) => p.dataset.text).join("")).toBe(text1);
    }
    expect(q('[data-testid="reader-text"]').textContent).toBe(text1);
    expect(all(".legend li").map((li) => li.textContent)).toEqual(["ana", "gold"]);

    // A click on a lane selects nothing of the other layer.
    claim!.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    flushSync();
    expect(app.selectedSpanId).toBeNull();
    // Tab walks only the spans in the text.
    const walked = new Set<string | null>();
    for (let i = 0; i < 6; i++) {
      press("Tab");
      walked.add(app.selectedSpanId);
    }
    expect(walked).toEqual(new Set(["s-claim", "s-qty", "s-src"]));
  });

  it("shows only the user's spans in `mine`, and remembers the choice", async () => {
    await start();
    choose(q<HTMLSelectElement>('[data-testid="layers-mode"]'), "mine");
    expect(inText()).toEqual(new Set(["s-claim", "s-qty", "s-src"]));
    expect(lanes()).toHaveLength(0);
    expect(q(".hidden-note").textContent).toBe("3 spans of other layers hidden");
    expect(localStorage.getItem(LAYERS_MODE_KEY)).toBe("mine");
    expect(new Workbench().team.layersMode).toBe("mine");
  });

  it("draws every layer in the text in `all`, where another's span can be selected", async () => {
    const app = await start();
    choose(q<HTMLSelectElement>('[data-testid="layers-mode"]'), "all");
    expect(inText()).toEqual(new Set(["s-claim", "s-qty", "s-src", "a-claim", "a-qty", "g-src"]));
    expect(lanes()).toHaveLength(0);
    ui.clickSpan("said ");
    expect(app.selectedSpanId).toBe("a-claim");
  });

  it("draws every layer in the text when no one is assigned anything (one analyst)", async () => {
    ui.core.assignments = {};
    const app = await start();
    await vi.waitFor(() => expect(callsOf("team_progress")).toHaveLength(1));
    expect(app.team.layersMode).toBe("all");
    expect(inText().has("a-claim")).toBe(true);
    expect(lanes()).toHaveLength(0);
    expect(all('[data-testid="my-progress"]')).toHaveLength(0);
  });

  it("shows only the user's own layer when annotation is blind and they do not curate", async () => {
    ui.core.team.settings = { blind: true, curators: ["cleo"] };
    const app = await start();
    expect(app.view!.spans.map((s) => s.annotator)).toEqual(["tester", "tester", "tester"]);
    expect(lanes()).toHaveLength(0);
    await vi.waitFor(() => expect(all('[data-testid="doc-layers"] li').map((li) => li.dataset.annotator)).toEqual(["tester"]));
    // Nor can they change who is assigned what they cannot see.
    expect(all('[data-testid="assignees"]')).toHaveLength(0);
  });
});

describe("team dialog", () => {
  it("shows the progress, refuses blind annotation without a curator, saves, and reloads the document", async () => {
    await start();
    q<HTMLButtonElement>('[data-testid="team-open"]').click();
    flushSync();
    const table = await vi.waitFor(() => q('[data-testid="team-progress"]'));
    const rows = () =>
      [...table.querySelectorAll("tbody tr")].map((r) => [...r.querySelectorAll("th, td")].map((c) => c.textContent!.trim()));
    expect(rows()).toEqual([
      ["ana", "0/1", "0", "0"],
      ["tester (you)", "0/2", "0", "0"],
    ]);
    expect(q('[data-testid="team-curation"]').textContent).toContain("Curated: 0 of 1 document to curate");

    const blind = q<HTMLInputElement>('[data-testid="team-blind"]');
    blind.click();
    flushSync();
    q<HTMLButtonElement>('[data-testid="team-save"]').click();
    const refusal = await vi.waitFor(() => q('[data-testid="team-dialog"] [role="alert"]'));
    expect(refusal.textContent).toContain("blind annotation needs a curator");
    expect(ui.core.team.settings.blind).toBe(false);
    expect(laneSpans("ana").length).toBeGreaterThan(0);

    type(q<HTMLInputElement>('[data-testid="team-curators"]'), " cleo, cleo ");
    const reads = callsOf("get_document").length;
    q<HTMLButtonElement>('[data-testid="team-save"]').click();
    await vi.waitFor(() => expect(callsOf("set_team_settings").at(-1)).toEqual({ settings: { blind: true, curators: ["cleo"] } }));
    await vi.waitFor(() => expect(q<HTMLInputElement>('[data-testid="team-curators"]').value).toBe("cleo"));
    expect(all('[data-testid="team-dialog"] [role="alert"]')).toHaveLength(0);
    // Blind now, and the tester is no curator: the document comes again, with their layer alone.
    expect(callsOf("get_document").length).toBeGreaterThan(reads);
    await vi.waitFor(() => expect(lanes()).toHaveLength(0));

    press("Escape", {}, q('[data-testid="team-dialog"]'));
    expect(all('[data-testid="team-dialog"]')).toHaveLength(0);
  });

  it("shows the other layers again once the user curates", async () => {
    ui.core.team.settings = { blind: true, curators: ["cleo"] };
    await start();
    expect(lanes()).toHaveLength(0);
    q<HTMLButtonElement>('[data-testid="team-open"]').click();
    flushSync();
    await vi.waitFor(() => expect(q<HTMLInputElement>('[data-testid="team-curators"]').value).toBe("cleo"));
    expect(q<HTMLInputElement>('[data-testid="team-blind"]').checked).toBe(true);
    type(q<HTMLInputElement>('[data-testid="team-curators"]'), "cleo, tester");
    q<HTMLButtonElement>('[data-testid="team-save"]').click();
    await vi.waitFor(() => expect(laneSpans("ana").length).toBeGreaterThan(0));
    // Escape from the page closes it too.
    press("Escape");
    expect(all('[data-testid="team-dialog"]')).toHaveLength(0);
  });
});

describe("own progress in the bar", () => {
  it("shows done of assigned, and follows a status set and a switch of the name", async () => {
    await start();
    const progress = await vi.waitFor(() => q('[data-testid="my-progress"]'));
    expect(progress.textContent).toBe("0/2");
    expect(progress.title).toBe("0 of your 2 assigned documents done");

    q<HTMLButtonElement>('[data-status="done"]').click();
    await vi.waitFor(() => expect(q('[data-testid="my-progress"]').textContent).toBe("1/2"));
    // The status is the tester's own: their layer shows it.
    await vi.waitFor(() =>
      expect(q('[data-testid="doc-layers"] li[data-annotator="tester"]').textContent).toContain("done"),
    );

    q<HTMLButtonElement>('[data-testid="annotator"]').click();
    flushSync();
    type(q<HTMLInputElement>('[data-testid="annotator-field"]'), "ana");
    q<HTMLFormElement>('[data-testid="annotator-dialog"] form').requestSubmit();
    await vi.waitFor(() => expect(q('[data-testid="my-progress"]').textContent).toBe("0/1"));
  });
});

describe("layers and assignees in the inspector", () => {
  it("lists the document's layers and saves who is assigned it", async () => {
    await start();
    const layers = () =>
      all('[data-testid="doc-layers"] li').map((li) => li.textContent!.replace(/\s+/g, " ").trim());
    await vi.waitFor(() =>
      expect(layers()).toEqual([
        "ana · new · 2 spans assigned",
        "tester (you) · new · 3 spans assigned",
        "gold · new · 1 span",
      ]),
    );
    const field = q<HTMLInputElement>('[data-testid="assignees"]');
    expect(field.value).toBe("ana, tester");

    type(field, "ana, ben, ana");
    field.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
    await vi.waitFor(() => expect(callsOf("set_assignees")).toEqual([{ id: "d1", annotators: ["ana", "ben"] }]));
    await vi.waitFor(() => expect(field.value).toBe("ana, ben"));
    expect(layers()).toEqual([
      "ana · new · 2 spans assigned",
      "ben · new · 0 spans assigned",
      "tester (you) · new · 3 spans",
      "gold · new · 1 span",
    ]);
    // The tester has d3 alone now.
    await vi.waitFor(() => expect(q('[data-testid="my-progress"]').textContent).toBe("0/1"));

    // Leaving the field unchanged asks nothing; a refusal is shown and the field keeps what was typed.
    field.dispatchEvent(new FocusEvent("blur"));
    expect(callsOf("set_assignees")).toHaveLength(1);
    type(field, "ana, gold");
    field.dispatchEvent(new FocusEvent("blur"));
    const refusal = await vi.waitFor(() => q('[aria-label="Inspector"] [role="alert"]'));
    expect(refusal.textContent).toContain("`gold` is the curated layer");
    expect(field.value).toBe("ana, gold");
    expect(ui.core.assignments.d1).toEqual(["ana", "ben"]);
  });
});

describe("one colour per annotator in every view", () => {
  /** A colour as the page gives it back (so that `#rrggbb` and `rgb()` compare). */
  function css(color: string): string {
    const probe = document.createElement("span");
    probe.style.setProperty("background", color);
    return probe.style.getPropertyValue("background");
  }
  const background = (el: HTMLElement) => el.style.getPropertyValue("background");
  const swatchOf = (selector: string, annotator: string) => background(q(`${selector} [data-annotator="${annotator}"] .swatch`));

  /**
   * The workspace's annotators are ana, ben, cleo and tester (ben second), but no view's own list
   * has ben second: d1's only other layer is ben's (the reader's lanes, the Inspector's layers:
   * ben, tester), only ben and the tester are assigned anything (the team dialog: ben, tester),
   * and d1's curation has ben's and cleo's layers (the Curate view: ben, cleo).
   */
  function benAlone() {
    const d1 = ui.core.views.d1!;
    d1.spans = d1.spans.filter((s) => s.annotator !== "ana");
    d1.spans.push(layerSpan(d1, "b-claim", "CLAIM", "said over 100,000 troops", "ben"));
    ui.core.assignments = { d1: ["ben", "tester"], d3: ["tester"] };
    const curated = ui.core.curation.docs.d1!;
    curated.assigned = ["ben", "cleo"];
    curated.spans = curated.spans.filter((s) => s.annotator !== "ana");
  }

  it("gives an annotator their workspace colour in the team dialog, the Inspector, the lanes and the Curate view", async () => {
    benAlone();
    const app = await start();
    await vi.waitFor(() => expect(app.team.names).toEqual(["ana", "ben", "cleo", "tester"]));
    const ben = css(annotatorColor("ben", 1));
    const tester = css(annotatorColor("tester", 3));
    // What a view's own list would give ben instead.
    expect(ben).not.toBe(css(annotatorColor("ben", 0)));
    expect(tester).not.toBe(css(annotatorColor("tester", 1)));
    expect(app.team.colorOf("ben")).toBe(annotatorColor("ben", 1));
    expect(app.team.colorOf("gold")).toBe(GOLD_COLOR);
    expect(app.team.colorOf("zed")).toBe(annotatorColor("zed", -1));

    // The reader: ben's lane, its bars and the legend.
    await vi.waitFor(() => expect(lanes().map((l) => l.dataset.annotator)).toEqual(["ben", "gold"]));
    expect(lanes()[0]!.style.getPropertyValue("--bar-color")).toBe(annotatorColor("ben", 1));
    expect(background(q('.legend li[data-annotator="ben"] .lane-swatch'))).toBe(ben);

    // The Inspector's layers.
    await vi.waitFor(() => expect(all('[data-testid="doc-layers"] li').map((li) => li.dataset.annotator)).toEqual(["ben", "tester", "gold"]));
    expect(swatchOf('[data-testid="doc-layers"]', "ben")).toBe(ben);
    expect(swatchOf('[data-testid="doc-layers"]', "tester")).toBe(tester);
    expect(swatchOf('[data-testid="doc-layers"]', "gold")).toBe(css(GOLD_COLOR));

    // The team dialog's progress.
    q<HTMLButtonElement>('[data-testid="team-open"]').click();
    flushSync();
    const table = await vi.waitFor(() => q('[data-testid="team-progress"]'));
    expect(all("tbody tr", table).map((r) => r.dataset.annotator)).toEqual(["ben", "tester"]);
    expect(swatchOf('[data-testid="team-progress"]', "ben")).toBe(ben);
    expect(swatchOf('[data-testid="team-progress"]', "tester")).toBe(tester);
    press("Escape", {}, q('[data-testid="team-dialog"]'));

    // The Curate view: its legend, lanes, accept buttons and who has each version; the keys still
    // follow its own layers (ben 1, cleo 2).
    q<HTMLButtonElement>('[data-testid="curate-open"]').click();
    flushSync();
    await vi.waitFor(() => expect(all('[data-testid="curate-layers"] li').map((l) => l.dataset.annotator)).toEqual(["ben", "cleo", "gold"]));
    expect(swatchOf('[data-testid="curate-layers"]', "ben")).toBe(ben);
    expect(swatchOf('[data-testid="curate-layers"]', "cleo")).toBe(css(annotatorColor("cleo", 2)));
    expect(q('[data-testid="curate-layers"] [data-annotator="ben"] kbd').textContent).toBe("1");
    expect(swatchOf('[data-testid="curate-layers"]', "gold")).toBe(css(GOLD_COLOR));
    // Its bars, which the text's segments carry: ben's in his colour wherever he has a version.
    const benBars = () =>
      barredSegments()
        .flatMap(drawnBars)
        .filter((b) => b.layer === "ben");
    await vi.waitFor(() => expect(benBars().length).toBeGreaterThan(0));
    for (const bar of benBars()) expect(bar.image).toBe(`linear-gradient(${annotatorColor("ben", 1)}, ${annotatorColor("ben", 1)})`);
    const accept = await vi.waitFor(() => q('[data-testid="curate-accept"][data-annotator="ben"]'));
    expect(accept.querySelector("kbd")!.textContent).toBe("1");
    expect(background(q(".swatch", accept))).toBe(ben);
    const who = all(".whos .who").find((w) => w.textContent === "ben")!;
    expect(who.style.getPropertyValue("--who")).toBe(annotatorColor("ben", 1));

    // Gold's bars in gold's colour, once ben's version is accepted into it (key 1).
    press("1");
    await vi.waitFor(() => expect(barRuns("gold")).toEqual(["2-14 The ministry"]));
    const goldBars = barredSegments()
      .flatMap(drawnBars)
      .filter((b) => b.layer === "gold");
    expect(goldBars.map((b) => b.image)).toEqual([`linear-gradient(${GOLD_COLOR}, ${GOLD_COLOR})`]);
  });

  it("fetches the annotators again when a new one shows up, and every colour follows", async () => {
    benAlone();
    const app = await start();
    await vi.waitFor(() => expect(app.team.names).toEqual(["ana", "ben", "cleo", "tester"]));
    const reads = callsOf("team_progress").length;
    const laneColor = (annotator: string) => q(`[data-testid="layer-lane"][data-annotator="${annotator}"]`).style.getPropertyValue("--bar-color");
    await vi.waitFor(() => expect(laneColor("ben")).toBe(annotatorColor("ben", 1)));

    // Someone new annotated d2 meanwhile (another instance, an import): opening it shows them.
    const d2 = ui.core.views.d2!;
    d2.spans.push(layerSpan(d2, "aaron-claim", "CLAIM", "bold", "aaron"), layerSpan(d2, "ben-claim", "CLAIM", "bold", "ben"));
    await app.select("d2");
    await vi.waitFor(() => expect(app.team.names).toEqual(["aaron", "ana", "ben", "cleo", "tester"]));
    expect(callsOf("team_progress")).toHaveLength(reads + 1);
    await vi.waitFor(() => expect(laneColor("ben")).toBe(annotatorColor("ben", 2)));
    expect(laneColor("aaron")).toBe(annotatorColor("aaron", 0));

    // Opening documents of known annotators asks nothing more.
    await app.select("d1");
    await vi.waitFor(() => expect(lanes().map((l) => l.dataset.annotator)).toEqual(["ben", "gold"]));
    expect(callsOf("team_progress")).toHaveLength(reads + 1);
    await vi.waitFor(() => expect(swatchOf('[data-testid="doc-layers"]', "ben")).toBe(css(annotatorColor("ben", 2))));
  });

  it("fetches the annotators again after the first span of a new name", async () => {
    const app = await start();
    await vi.waitFor(() => expect(app.team.names).toEqual(["ana", "ben", "cleo", "tester"]));
    ui.core.annotator = "abe";
    app.annotator = "abe";
    const reads = callsOf("team_progress").length;
    await app.addSpan(0, 2, "CLAIM");
    await vi.waitFor(() => expect(app.team.names).toEqual(["abe", "ana", "ben", "cleo", "tester"]));
    expect(callsOf("team_progress")).toHaveLength(reads + 1);
    expect(app.team.colorOf("tester")).toBe(annotatorColor("tester", 4));
    // The tester's spans are another's layer now, in a lane of their colour.
    await vi.waitFor(() => expect(q('[data-testid="layer-lane"][data-annotator="tester"]').style.getPropertyValue("--bar-color")).toBe(annotatorColor("tester", 4)));
  });
});
