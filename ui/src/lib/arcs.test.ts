import { describe, expect, it } from "vitest";
import type { LabelSchema } from "$lib/bindings/LabelSchema";
import { arcShapes, arcsToDraw, missingPartners, nextArcsMode, type Anchor, type Place } from "$lib/arcs";

const rel = (name: string, heads: string[], children: string[], required = false, directed = true) => ({
  name,
  heads,
  children,
  directed,
  description: "",
  required,
});

const schema: LabelSchema = {
  version: 1,
  span_labels: [],
  relation_types: [
    rel("attributed_to", ["CLAIM"], ["SOURCE"], true),
    rel("cue_of", ["CUE"], ["CLAIM"], true),
    rel("supports", ["CLAIM"], ["CLAIM"]),
    rel("same_as", ["SOURCE"], ["SOURCE"], true, false),
  ],
  attributes: [],
  doc_labels: [],
};

const relations = [
  { id: "r1", head: "c1", child: "s1", label: "attributed_to" },
  { id: "r2", head: "q1", child: "c1", label: "cue_of" },
  { id: "r3", head: "c2", child: "c1", label: "supports" },
  { id: "r4", head: "s2", child: "s1", label: "same_as" },
];

describe("which arcs are drawn", () => {
  const drawn = new Set(["c1", "s1", "q1", "c2"]);
  it("draws every relation between drawn spans, the selection's, or none", () => {
    expect(arcsToDraw(relations, drawn, "all", null).map((r) => r.id)).toEqual(["r1", "r2", "r3"]);
    expect(arcsToDraw(relations, drawn, "selection", "s1").map((r) => r.id)).toEqual(["r1"]);
    expect(arcsToDraw(relations, drawn, "selection", null)).toEqual([]);
    expect(arcsToDraw(relations, drawn, "none", "c1")).toEqual([]);
  });
  it("cycles all → selection → none → all", () => {
    expect(nextArcsMode("all")).toBe("selection");
    expect(nextArcsMode("selection")).toBe("none");
    expect(nextArcsMode("none")).toBe("all");
  });
});

describe("spans missing a required partner", () => {
  it("flags a claim with no source and a cue with no claim, not what only optional relations lack", () => {
    const spans = [
      { id: "c1", label: "CLAIM" },
      { id: "c2", label: "CLAIM" },
      { id: "q1", label: "CUE" },
      { id: "q2", label: "CUE" },
      { id: "s1", label: "SOURCE" },
      { id: "s2", label: "SOURCE" },
      { id: "s3", label: "SOURCE" },
    ];
    const missing = missingPartners(spans, relations, schema);
    // c2 has only `supports` (optional); s1 is the child of the undirected same_as, which counts.
    expect([...missing]).toEqual([
      ["c2", ["attributed_to"]],
      ["q2", ["cue_of"]],
      ["s3", ["same_as"]],
    ]);
  });
  it("flags nothing without a schema or required types", () => {
    expect(missingPartners([{ id: "c", label: "CLAIM" }], [], null).size).toBe(0);
    const loose = { ...schema, relation_types: schema.relation_types.map((t) => ({ ...t, required: false })) };
    expect(missingPartners([{ id: "c", label: "CLAIM" }], [], loose).size).toBe(0);
  });
});

describe("arc shapes", () => {
  const box = (left: number, right: number, top: number): Anchor => ({ left, right, top });
  const geometry = { marginX: 20, drawnTop: 0, drawnBottom: 1000 };

  it("joins two spans on one line with a curve from the head's centre to the child's", () => {
    const places = new Map<string, Place>([
      ["c1", box(100, 200, 50)],
      ["s1", box(20, 60, 50)],
    ]);
    const [a] = arcShapes([relations[0]!], (id) => places.get(id) ?? null, geometry);
    expect(a!.sameLine).toBe(true);
    expect(a!.path.startsWith("M150.0 50.0C")).toBe(true);
    expect(a!.path.endsWith("40.0 50.0")).toBe(true);
  });

  it("stacks an arc over a narrower one it spans, and leaves out a label that would cover another", () => {
    const places = new Map<string, Place>([
      ["a", box(0, 10, 50)],
      ["b", box(20, 30, 50)],
      ["c", box(200, 210, 50)],
    ]);
    const shapes = arcShapes(
      [
        { id: "wide", head: "a", child: "c", label: "attributed_to" },
        { id: "narrow", head: "a", child: "b", label: "cue_of" },
      ],
      (id) => places.get(id) ?? null,
      geometry,
    );
    const wide = shapes.find((s) => s.id === "wide")!;
    const narrow = shapes.find((s) => s.id === "narrow")!;
    expect(wide.labelY).toBeLessThan(narrow.labelY);
    expect(narrow.labelShown && wide.labelShown).toBe(true); // far apart: both written
    const crowded = arcShapes(
      [
        { id: "one", head: "a", child: "b", label: "attributed_to" },
        { id: "two", head: "b", child: "a", label: "attributed_to" },
      ],
      (id) => places.get(id) ?? null,
      geometry,
    );
    expect(crowded.map((s) => s.labelShown)).toEqual([true, false]);
  });

  it("runs a connector through the margin between lines, and to the edge for a span not drawn", () => {
    const places = new Map<string, Place>([
      ["c1", box(100, 200, 300)],
      ["s1", box(20, 60, 50)],
      ["far", "below"],
    ]);
    const [a, b] = arcShapes(
      [
        { id: "up", head: "c1", child: "s1", label: "attributed_to" },
        { id: "down", head: "s1", child: "far", label: "attributed_to" },
      ],
      (id) => places.get(id) ?? null,
      geometry,
    );
    expect(a!.sameLine).toBe(false);
    expect(a!.path).toBe("M150.0 300.0V295.0H20.0V45.0H40.0V50.0");
    // The second shares part of the margin with the first: it takes the next lane out.
    expect(b!.path).toBe("M40.0 50.0V45.0H16.0V1000.0");
    // Neither end drawn, or an end unknown: nothing.
    expect(arcShapes([{ id: "x", head: "far", child: "far", label: "l" }], (id) => places.get(id) ?? null, geometry)).toEqual([]);
    expect(arcShapes([{ id: "x", head: "c1", child: "gone", label: "l" }], (id) => places.get(id) ?? null, geometry)).toEqual([]);
  });
});
