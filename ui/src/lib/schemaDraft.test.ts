import { describe, expect, it } from "vitest";
import type { LabelSchema } from "$lib/bindings/LabelSchema";
import { draftOf, newLabelKey, problems, toSchema } from "$lib/schemaDraft";

const schema: LabelSchema = {
  version: 3,
  span_labels: [
    { name: "CLAIM", color: "#f59e0b", hotkey: "1", description: "" },
    { name: "SOURCE", color: "#3b82f6", hotkey: "2", description: "" },
    { name: "CUE", color: "#10b981", hotkey: "3", description: "" },
  ],
  relation_types: [{ name: "attributed_to", heads: ["CLAIM"], children: ["SOURCE"], directed: true, description: "", required: true }],
  attributes: [{ name: "type", labels: ["CLAIM", "CUE"], kind: "enum", options: ["quote", "factual"], description: "" }],
  doc_labels: [],
};

describe("schema drafts", () => {
  it("round-trips an unchanged schema with no renames", () => {
    expect(toSchema(draftOf(schema))).toEqual({ schema, renames: [] });
  });

  it("sends a rename and makes relation types and attributes follow it", () => {
    const d = draftOf(schema);
    d.labels[0]!.name = "ASSERTION";
    const { schema: out, renames } = toSchema(d);
    expect(renames).toEqual([["CLAIM", "ASSERTION"]]);
    expect(out.relation_types[0]!.heads).toEqual(["ASSERTION"]);
    expect(out.attributes[0]!.labels).toEqual(["ASSERTION", "CUE"]);
  });

  it("drops references to a removed label and parses enum options", () => {
    const d = draftOf(schema);
    d.labels = d.labels.filter((l) => l.name !== "CUE");
    d.attributes[0]!.options = " quote, factual ,, opinion ";
    const { schema: out } = toSchema(d);
    expect(out.attributes[0]).toMatchObject({ labels: ["CLAIM"], kind: "enum", options: ["quote", "factual", "opinion"] });
  });

  it("finds hotkey clashes, duplicate names, bad colours and empty choices", () => {
    const d = draftOf(schema);
    d.labels[1]!.hotkey = "1";
    d.labels[2]!.name = "CLAIM";
    d.labels[2]!.color = "red";
    d.attributes[0]!.options = " , ";
    expect(problems(d)).toEqual([
      "hotkey 1 is used by CLAIM and SOURCE",
      "two labels are called CLAIM",
      "CLAIM: the colour must be #rrggbb",
      "type: a choice needs options",
    ]);
    expect(problems(draftOf(schema))).toEqual([]);
  });

  it("refers to a new label by its key until saved, under whatever name it gets", () => {
    const d = draftOf(schema);
    const key = newLabelKey();
    d.labels.push({ key, original: null, name: "PLACE", color: "#123456", hotkey: "p", description: "" });
    d.relationTypes[0]!.children.push(key);
    d.labels[3]!.name = "LOCATION";
    const { schema: out, renames } = toSchema(d);
    expect(out.relation_types[0]!.children).toEqual(["SOURCE", "LOCATION"]);
    expect(renames).toEqual([]);
  });
});
