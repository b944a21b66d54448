import { describe, expect, it } from "vitest";
import { annotatorColor, GOLD_COLOR } from "$lib/format";
import {
  defaultLayersMode,
  isLayersMode,
  laneRows,
  layerColor,
  layerOrder,
  planLanes,
  rowsOf,
  splitLayers,
  type LayerSpan,
  type Paragraph,
} from "$lib/layers";
import { OffsetTable } from "$lib/offsets";

function span(id: string, annotator: string, start: number, end: number, label = "CLAIM"): LayerSpan {
  return { id, annotator, start, end, label };
}

describe("splitLayers", () => {
  const spans = [span("a", "me", 0, 3), span("b", "ana", 1, 4), span("c", "gold", 2, 5), span("d", "me", 6, 8)];

  it("draws every layer in the text in `all`", () => {
    const split = splitLayers(spans, "all", "me");
    expect(split.text.map((s) => s.id)).toEqual(["a", "b", "c", "d"]);
    expect(split.lanes).toEqual([]);
  });

  it("draws only the user's spans in `mine`, the others nowhere", () => {
    const split = splitLayers(spans, "mine", "me");
    expect(split.text.map((s) => s.id)).toEqual(["a", "d"]);
    expect(split.lanes).toEqual([]);
  });

  it("puts the other layers, gold too, in lanes in `lanes`", () => {
    const split = splitLayers(spans, "lanes", "me");
    expect(split.text.map((s) => s.id)).toEqual(["a", "d"]);
    expect(split.lanes.map((s) => s.id)).toEqual(["b", "c"]);
  });

  it("never hands back the caller's array (the reader sorts what it gets)", () => {
    expect(splitLayers(spans, "all", "me").text).not.toBe(spans);
  });
});

describe("modes", () => {
  it("defaults to lanes for a team and to all for one analyst, unless the user chose", () => {
    expect(defaultLayersMode(null, true)).toBe("lanes");
    expect(defaultLayersMode(null, false)).toBe("all");
    expect(defaultLayersMode("mine", true)).toBe("mine");
    expect(defaultLayersMode("all", true)).toBe("all");
  });

  it("knows its modes and nothing else", () => {
    expect(["all", "mine", "lanes"].every(isLayersMode)).toBe(true);
    expect(isLayersMode("others")).toBe(false);
    expect(isLayersMode(null)).toBe(false);
  });
});

describe("layer order and colours", () => {
  it("orders layers by name with gold last", () => {
    expect(["gold", "cleo", "ana", "ben"].sort(layerOrder)).toEqual(["ana", "ben", "cleo", "gold"]);
  });

  it("colours an annotator by their place among the workspace's names, not among a document's layers", () => {
    const names = ["ana", "ben", "cleo", "me"];
    expect(layerColor("ben", names)).toBe(annotatorColor("ben", 1));
    expect(layerColor("cleo", names)).toBe(annotatorColor("cleo", 2));
    expect(layerColor("gold", names)).toBe(GOLD_COLOR);
    // Not (yet) among them: by name, steadily.
    expect(layerColor("zed", names)).toBe(annotatorColor("zed", -1));
    expect(layerColor("zed", [])).toBe(layerColor("zed", []));

    // A document that only ben and cleo annotated: still their workspace colours, each their own.
    const colorOf = (a: string) => layerColor(a, names);
    const plan = planLanes([span("1", "cleo", 0, 2), span("2", "ben", 0, 2), span("3", "gold", 0, 2)], 10, colorOf);
    expect(plan.layers.map((l) => [l.annotator, l.color])).toEqual([
      ["ben", annotatorColor("ben", 1)],
      ["cleo", annotatorColor("cleo", 2)],
      ["gold", GOLD_COLOR],
    ]);
    expect(plan.layers[0]!.color).not.toBe(annotatorColor("ben", 0));
    expect(new Set(plan.layers.map((l) => l.color)).size).toBe(3);
    // Without the names, by name.
    expect(planLanes([span("1", "ben", 0, 2)], 10).layers[0]!.color).toBe(annotatorColor("ben", -1));
  });
});

describe("planLanes", () => {
  it("gives each layer one row while its spans do not overlap, and rows in layer order", () => {
    const plan = planLanes([span("b1", "ben", 0, 4), span("a1", "ana", 5, 9), span("a2", "ana", 0, 5), span("g", "gold", 2, 3)], 20);
    expect(plan.rows).toBe(3);
    expect(plan.layers.map((l) => [l.annotator, l.firstRow, l.rows])).toEqual([
      ["ana", 0, 1],
      ["ben", 1, 1],
      ["gold", 2, 1],
    ]);
    expect(Object.fromEntries(plan.spans.map((s) => [s.id, s.row]))).toEqual({ a1: 0, a2: 0, b1: 1, g: 2 });
  });

  it("gives a layer's overlapping spans rows of their own, the outer one nearest the text", () => {
    const plan = planLanes([span("inner", "ana", 2, 4), span("outer", "ana", 0, 8), span("cross", "ana", 6, 10), span("b", "ben", 0, 1)], 20);
    expect(plan.layers.map((l) => [l.annotator, l.firstRow, l.rows])).toEqual([
      ["ana", 0, 2],
      ["ben", 2, 1],
    ]);
    expect(Object.fromEntries(plan.spans.map((s) => [s.id, s.row]))).toEqual({ outer: 0, inner: 1, cross: 1, b: 2 });
  });

  it("leaves out spans it cannot draw, and says so", () => {
    const plan = planLanes([span("ok", "ana", 0, 2), span("empty", "ana", 3, 3), span("out", "ben", 5, 11), span("neg", "ben", -1, 2)], 10);
    expect(plan.spans.map((s) => s.id)).toEqual(["ok"]);
    expect(plan.rejected.map((s) => s.id).sort()).toEqual(["empty", "neg", "out"]);
    expect(plan.layers.map((l) => l.annotator)).toEqual(["ana"]);
  });
});

describe("laneRows", () => {
  // Two paragraphs; the emoji is one code point and two UTF-16 units.
  const text = "😀 The ministry said.\n\nSecond paragraph here.";
  const table = new OffsetTable(text);
  const p2 = text.indexOf("Second");
  const paragraphs: Paragraph[] = [
    { start: 0, end: p2 },
    { start: p2, end: text.length },
  ];
  const cp = (needle: string): [number, number] => {
    const at = text.indexOf(needle);
    const start = Array.from(text.slice(0, at)).length;
    return [start, start + Array.from(needle).length];
  };

  it("cuts a paragraph's whole text into pieces, a span's piece at its UTF-16 place", () => {
    const [s, e] = cp("ministry");
    const plan = planLanes([span("m", "ana", s, e, "SOURCE")], table.codePointLength);
    const lanes = laneRows(text, table, plan, paragraphs);
    const rows = rowsOf(lanes, 0);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.annotator).toBe("ana");
    expect(rows[0]!.pieces.map((p) => [p.text, p.span?.id ?? null])).toEqual([
      ["😀 The ", null],
      ["ministry", "m"],
      [" said.\n\n", null],
    ]);
    // The pieces are the paragraph, exactly: drawn in its font they wrap as it does.
    expect(rows[0]!.pieces.map((p) => p.text).join("")).toBe(text.slice(0, p2));
    const piece = rows[0]!.pieces[1]!;
    expect(text.slice(piece.start, piece.end)).toBe("ministry");
    expect([piece.span!.start, piece.span!.end]).toEqual([s, e]);
    // The other paragraph has no lanes.
    expect(rowsOf(lanes, p2)).toEqual([]);
  });

  it("splits a span across paragraphs into a piece in each, both naming the whole span", () => {
    const [s] = cp("said");
    const [, e] = cp("Second");
    const plan = planLanes([span("x", "ben", s, e)], table.codePointLength);
    const lanes = laneRows(text, table, plan, paragraphs);
    const first = rowsOf(lanes, 0)[0]!.pieces.filter((p) => p.span !== null);
    const second = rowsOf(lanes, p2)[0]!.pieces.filter((p) => p.span !== null);
    expect(first.map((p) => p.text)).toEqual(["said.\n\n"]);
    expect(second.map((p) => p.text)).toEqual(["Second"]);
    expect([second[0]!.span!.start, second[0]!.span!.end]).toEqual([s, e]);
  });

  it("draws each row of a paragraph apart, in row order", () => {
    const [s1, e1] = cp("The ministry");
    const [s2, e2] = cp("ministry said");
    const plan = planLanes([span("b", "ben", s2, e2), span("a", "ana", s1, e1)], table.codePointLength);
    const rows = rowsOf(laneRows(text, table, plan, paragraphs), 0);
    expect(rows.map((r) => [r.row, r.annotator])).toEqual([
      [0, "ana"],
      [1, "ben"],
    ]);
    expect(rows[1]!.pieces.find((p) => p.span !== null)!.text).toBe("ministry said");
  });

  it("keeps a paragraph's rows (the same objects) while what they draw is unchanged", () => {
    const [s, e] = cp("ministry");
    const [s2, e2] = cp("paragraph");
    const first = laneRows(text, table, planLanes([span("m", "ana", s, e), span("p", "ana", s2, e2)], table.codePointLength), paragraphs);
    const again = laneRows(text, table, planLanes([span("m", "ana", s, e), span("p", "ana", s2, e2)], table.codePointLength), paragraphs, first);
    expect(rowsOf(again, 0)).toBe(rowsOf(first, 0));
    expect(rowsOf(again, p2)).toBe(rowsOf(first, p2));
    // The second paragraph's span relabelled: only that paragraph is new.
    const changed = laneRows(
      text,
      table,
      planLanes([span("m", "ana", s, e), span("p", "ana", s2, e2, "SOURCE")], table.codePointLength),
      paragraphs,
      again,
    );
    expect(rowsOf(changed, 0)).toBe(rowsOf(first, 0));
    expect(rowsOf(changed, p2)).not.toBe(rowsOf(first, p2));
    expect(rowsOf(changed, p2)[0]!.pieces.find((p) => p.span !== null)!.span!.label).toBe("SOURCE");

    // ana's colour moved (someone new in the workspace's names): every row of hers is drawn again.
    const recoloured = laneRows(
      text,
      table,
      planLanes([span("m", "ana", s, e), span("p", "ana", s2, e2, "SOURCE")], table.codePointLength, (a) => layerColor(a, ["aaron", a])),
      paragraphs,
      changed,
    );
    expect(rowsOf(recoloured, 0)).not.toBe(rowsOf(changed, 0));
    expect(rowsOf(recoloured, 0)[0]!.color).toBe(annotatorColor("ana", 1));
    expect(rowsOf(recoloured, p2)[0]!.color).toBe(annotatorColor("ana", 1));
  });
});
