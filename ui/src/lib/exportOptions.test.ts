import { describe, expect, it } from "vitest";
import {
  annotatorList,
  exportProblems,
  FORMAT_NAMES,
  isDay,
  newExportDraft,
  parseRatios,
  suggestedName,
  toExportOptions,
  writesFolder,
} from "$lib/exportOptions";

describe("export options", () => {
  it("parses 2 or 3 whole-number percentages adding up to 100 and refuses the rest", () => {
    expect(parseRatios("80/10/10")).toEqual([80, 10, 10]);
    expect(parseRatios(" 90 , 10 ")).toEqual([90, 10]);
    expect(parseRatios("0/0/100")).toEqual([0, 0, 100]);
    for (const bad of ["80", "70/10/10/10", "80/10/-10", "80/1.5/10", "80//20", "a/b", "", "80/5000000000"]) {
      expect(parseRatios(bad), bad).toMatch(/2 or 3 whole numbers/);
    }
    expect(parseRatios("0/0")).toBe("The parts add up to 0, not 100: they are percentages (80/10/10).");
    expect(parseRatios("80/30/10")).toBe("The parts add up to 120, not 100: they are percentages (80/10/10).");
  });

  it("accepts real days written YYYY-MM-DD only", () => {
    expect(isDay("2022-02-15")).toBe(true);
    expect(isDay("2024-02-29")).toBe(true);
    expect(isDay("2023-02-29")).toBe(false);
    expect(isDay("2022-13-01")).toBe(false);
    expect(isDay("2022-2-15")).toBe(false);
    expect(isDay("15/02/2022")).toBe(false);
  });

  it("finds problems by field, and the split's only while splitting", () => {
    const d = { ...newExportDraft(), ratios: "80/20/0/0", seed: "-1", publishedFrom: "2022-02-30" };
    expect(exportProblems(d)).toEqual({ publishedFrom: "Write the day as YYYY-MM-DD, or leave it empty." });
    expect(toExportOptions(d)).toBeNull();
    const split = { ...d, split: true, publishedFrom: "" };
    expect(Object.keys(exportProblems(split)).sort()).toEqual(["ratios", "seed"]);
    expect(toExportOptions(split)).toBeNull();
    const backwards = { ...newExportDraft(), publishedFrom: "2022-03-01", publishedTo: "2022-02-01" };
    expect(exportProblems(backwards).publishedTo).toMatch(/before “published from”/);
    expect(exportProblems(newExportDraft())).toEqual({});
  });

  it("builds the options a valid draft stands for", () => {
    expect(toExportOptions(newExportDraft())).toEqual({
      format: "jsonl",
      filter: { statuses: [], outlets: [], published_from: null, published_to: null, labels: [], annotators: [], all_layers: false, without_boilerplate: false },
      split: null,
    });
    const clean = toExportOptions({ ...newExportDraft(), withoutBoilerplate: true });
    expect(clean?.filter.without_boilerplate).toBe(true);
    const d = {
      ...newExportDraft(),
      format: "conll" as const,
      statuses: ["done" as const],
      outlets: ["Example Wire"],
      labels: ["CLAIM"],
      annotators: " alice, bob,,alice ",
      publishedFrom: "2022-01-01",
      split: true,
      ratios: "90/10",
      seed: "42",
      by: "document" as const,
    };
    expect(toExportOptions(d)).toEqual({
      format: "conll",
      filter: {
        statuses: ["done"],
        outlets: ["Example Wire"],
        published_from: "2022-01-01",
        published_to: null,
        labels: ["CLAIM"],
        annotators: ["alice", "bob"],
        all_layers: false,
        without_boilerplate: false,
      },
      split: { ratios: [90, 10], seed: 42, by: "document" },
    });
    expect(annotatorList(" , ")).toEqual([]);
    const every = toExportOptions({ ...newExportDraft(), annotators: "all" });
    expect(every?.filter.annotators).toEqual([]);
    expect(every?.filter.all_layers).toBe(true);
  });

  it("suggests a file with the format's extension, or a folder name", () => {
    const names = Object.fromEntries(FORMAT_NAMES.map((f) => [f, suggestedName("demo", f, false)]));
    expect(names).toEqual({
      jsonl: "demo.jsonl",
      claims: "demo-claims.jsonl",
      "claim-pairs": "demo-claim-pairs.jsonl",
      spacy: "demo-spacy.jsonl",
      doccano: "demo-doccano.jsonl",
      "doccano-label": "demo-doccano-label.jsonl",
      "label-studio": "demo-label-studio.json",
      brat: "demo-brat",
      conll: "demo.conll",
    });
    expect(suggestedName("demo", "jsonl", true)).toBe("demo-split");
    expect(suggestedName("demo", "brat", true)).toBe("demo-brat-split");
    expect(suggestedName("demo", "label-studio", true)).toBe("demo-label-studio-split");
    expect(FORMAT_NAMES.filter((f) => writesFolder(f, false))).toEqual(["brat"]);
    expect(FORMAT_NAMES.every((f) => writesFolder(f, true))).toBe(true);
  });
});
