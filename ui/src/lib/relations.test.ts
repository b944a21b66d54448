import { describe, expect, it } from "vitest";
import type { LabelSchema } from "$lib/bindings/LabelSchema";
import { relationChoices } from "$lib/relations";

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
