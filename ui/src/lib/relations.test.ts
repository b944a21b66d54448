import { describe, expect, it } from "vitest";
import type { LabelSchema } from "$lib/bindings/LabelSchema";
import { proposedPartner, relationChoices } from "$lib/relations";

const rel = (name: string, heads: string[], children: string[]) => ({
  name,
  heads,
  children,
  directed: true,
  description: "",
  required: false,
});

const schema: LabelSchema = {
  version: 1,
  span_labels: [],
  relation_types: [
    rel("attributed_to", ["CLAIM"], ["SOURCE"]),
    rel("supports", ["CLAIM"], ["CLAIM"]),
    rel("contradicts", ["CLAIM"], ["CLAIM"]),
  ],
  attributes: [],
  doc_labels: [],
};

const claim = { id: "c1", label: "CLAIM" };
const claim2 = { id: "c2", label: "CLAIM" };
const source = { id: "s1", label: "SOURCE" };
const cue = { id: "q1", label: "CUE" };

describe("relationChoices", () => {
  it("offers the one type that fits, in the schema's direction", () => {
    const choices = relationChoices(schema, claim, source);
    expect(choices.map((c) => [c.type.name, c.head, c.child])).toEqual([["attributed_to", "c1", "s1"]]);
  });

  it("turns a link started from the child around", () => {
    const choices = relationChoices(schema, source, claim);
    expect(choices.map((c) => [c.type.name, c.head, c.child])).toEqual([["attributed_to", "c1", "s1"]]);
  });

  it("offers every type that fits two claims", () => {
    expect(relationChoices(schema, claim, claim2).map((c) => c.type.name)).toEqual([
      "supports",
      "contradicts",
    ]);
  });

  it("offers nothing for labels no type links, or for a span and itself", () => {
    expect(relationChoices(schema, claim, cue)).toEqual([]);
    expect(relationChoices(schema, claim, claim)).toEqual([]);
    expect(relationChoices(null, claim, source)).toEqual([]);
  });
});

describe("the partner proposed for a missing required relation", () => {
  const required = (name: string, heads: string[], children: string[]) => ({ ...rel(name, heads, children), required: true });
  const s: LabelSchema = {
    ...schema,
    relation_types: [required("attributed_to", ["CLAIM"], ["SOURCE"]), required("quantity_of", ["QUANTITY"], ["CLAIM"]), rel("supports", ["CLAIM"], ["CLAIM"])],
  };
  const spans = [
    { id: "c1", label: "CLAIM", start: 10, end: 40 },
    { id: "q1", label: "QUANTITY", start: 20, end: 30 },
    { id: "s1", label: "SOURCE", start: 45, end: 55 },
    { id: "s2", label: "SOURCE", start: 0, end: 5 },
    { id: "s3", label: "SOURCE", start: 200, end: 210 }, // another paragraph
  ];
  it("proposes the claim a figure is in, and the nearest source in the paragraph", () => {
    expect(proposedPartner(s, spans[1]!, spans, [], [0, 100])).toMatchObject({ head: "q1", child: "c1", type: { name: "quantity_of" } });
    expect(proposedPartner(s, spans[0]!, spans, [], [0, 100])).toMatchObject({ head: "c1", child: "s1", type: { name: "attributed_to" } });
  });
  it("proposes nothing when the relation is there, not required, or nothing fits in the paragraph", () => {
    expect(proposedPartner(s, spans[0]!, spans, [{ head: "c1", child: "s2", label: "attributed_to" }], [0, 100])).toBeNull();
    expect(proposedPartner(s, spans[2]!, spans, [], [0, 100])).toBeNull(); // SOURCE requires nothing
    expect(proposedPartner(s, { id: "c9", label: "CLAIM", start: 300, end: 320 }, spans, [], [300, 400])).toBeNull();
  });
});
