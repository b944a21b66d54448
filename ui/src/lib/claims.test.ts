import { describe, expect, it } from "vitest";
import { compareLayout, extentParts, formatFigure, groupingPlan, memberSource, moveExtent, parseLines, parseNames, rowCells, type CompareLayout } from "$lib/claims";
import type { CompareTable } from "$lib/bindings/CompareTable";
import { claimMember, compareFixture, compareOpeningOf, figure, largeCompareTable } from "../test/fixtures";

describe("parseNames", () => {
  it("splits on commas and lines, trims, and drops blanks and repeats", () => {
    expect(parseNames("MoD,  the defence   ministry\n\nmod\n Kremlin ,")).toEqual(["MoD", "the defence ministry", "Kremlin"]);
    expect(parseNames("")).toEqual([]);
  });
});

describe("parseLines", () => {
  it("takes one entry a line", () => {
    expect(parseLines(" https://a.example/x \n\nhttps://b.example/y, z\n")).toEqual(["https://a.example/x", "https://b.example/y, z"]);
  });
});

describe("formatFigure", () => {
  it("says the figure as the text did", () => {
    expect(formatFigure(figure(100000, "troops", "over"))).toBe("over 100,000 troops");
    expect(formatFigure(figure(100000, "troops", null, 130000))).toBe("100,000–130,000 troops");
    expect(formatFigure(figure(2.5, "percent"))).toBe("2.5 percent");
    expect(formatFigure(figure(7, null))).toBe("7");
  });
});

describe("memberSource", () => {
  it("names the entity, else quotes the source's text", () => {
    expect(memberSource(claimMember("c", "d", "x"))).toBeNull();
    expect(
      memberSource(
        claimMember("c", "d", "x", {
          sources: [
            { span_id: "a", text: "the ministry", entity_id: "e", entity: "Ministry of Defence" },
            { span_id: "b", text: "a spokesman", entity_id: null, entity: null },
          ],
        }),
      ),
    ).toBe("Ministry of Defence, “a spokesman”");
  });
});

describe("compareLayout", () => {
  /** The core's opening of a table, every row's members sent. */
  const opened = (table: CompareTable) => compareOpeningOf(table, 1, 0, table.groups.length);
  const cellsOf = (table: CompareTable, row: number, layout: CompareLayout) => rowCells(table.groups[row]!.members, layout);

  it("puts each member in its outlet's column", () => {
    const layout = compareLayout(opened(compareFixture), "outlets");
    // A document without an outlet has a column of its own, named by its title.
    expect(layout.columns.map((c) => c.label)).toEqual(["Example Wire", "Daily Ledger", "North Post", "Wire copy"]);
    expect(layout.columns[3]!.detail).toBe("no outlet");
    expect(layout.columns.map((c) => c.none)).toEqual([false, false, false, true]);
    const cells = cellsOf(compareFixture, 0, layout);
    expect(cells).toHaveLength(4);
    expect(cells[0]!.map((c) => c.member.span_id)).toEqual(["s-claim"]);
    expect(cells[2]).toBeUndefined();
    expect(cells[3]!.map((c) => c.member.span_id)).toEqual(["s-d7-claim"]);
    expect(cells[0]![0]!.figures).toBe("over 100,000 troops");
    expect(cells[0]![0]!.source).toBe("Ministry of Defence");
    expect(cells[0]![0]!.where).toBe("Example Wire · Troops return to bases");
    expect(layout.ungrouped.map((c) => c.member.span_id)).toEqual(["s-u1", "s-u2", "s-u3"]);
    // The document without an outlet is named as its column.
    expect(cells[3]![0]!.where).toBe("Wire copy (no outlet)");
  });

  it("cuts long wording and keeps it whole on the member", () => {
    const long = "word ".repeat(60).trim();
    const table = { ...compareFixture, ungrouped: [claimMember("c", "d", long)] };
    const cell = compareLayout(opened(table), "outlets").ungrouped[0]!;
    expect(Array.from(cell.short)).toHaveLength(140);
    expect(cell.short.endsWith("…")).toBe(true);
    expect(cell.member.text).toBe(long);
  });

  it("makes one column per document, named and dated", () => {
    const layout = compareLayout(opened(compareFixture), "documents");
    expect(layout.columns.map((c) => c.key)).toEqual(["d1", "d4", "d7", "d5", "d8"]);
    expect(layout.columns.map((c) => c.label)).toEqual(["Troops return to bases", "Units head home", "Wire copy", "Drills end", "Exercises over"]);
    expect(layout.columns[0]!.detail).toBe("Example Wire · 2022-02-15");
    expect(layout.columns[2]!.detail).toBe("No outlet · 2022-02-17");
    expect(cellsOf(compareFixture, 1, layout)[3]!.map((c) => c.member.span_id)).toEqual(["s-d5-claim"]);
  });

  it("leaves out members of outlets the table does not show", () => {
    const table = { ...compareFixture, columns: ["Daily Ledger"] };
    const layout = compareLayout(opened(table), "outlets");
    expect(layout.columns.map((c) => c.label)).toEqual(["Daily Ledger"]);
    expect(cellsOf(table, 0, layout).flatMap((c) => c ?? []).map((c) => c.member.span_id)).toEqual(["s-d4-claim"]);
    expect(compareLayout(opened(table), "documents").columns.map((c) => c.key)).toEqual(["d4"]);
  });

  it("lays out 1,000 groups by 50 outlets, every member in its cell", () => {
    const table = largeCompareTable(1000, 50);
    const layout = compareLayout(opened(table), "outlets");
    expect(layout.columns).toHaveLength(50);
    expect(table.groups.every((_, i) => cellsOf(table, i, layout).reduce((n, c) => n + (c?.length ?? 0), 0) === 3)).toBe(true);
  });
});

describe("moveExtent", () => {
  // "«Été» 😀 les troupes reviennent." from code point 100 of its document.
  const context = "«Été» 😀 les troupes reviennent.";
  const at = (word: string) => 100 + Array.from(context.slice(0, context.indexOf(word))).length;
  const claim = [at("les"), at(" reviennent")] as const;

  it("moves either end a word at a time, in code points", () => {
    expect(moveExtent(context, 100, claim, "start-earlier")).toEqual([at("😀"), claim[1]]);
    expect(moveExtent(context, 100, [at("😀"), claim[1]], "start-earlier")).toEqual([100, claim[1]]);
    expect(moveExtent(context, 100, claim, "start-later")).toEqual([at("troupes"), claim[1]]);
    expect(moveExtent(context, 100, claim, "end-later")).toEqual([claim[0], 100 + Array.from(context).length]);
    expect(moveExtent(context, 100, claim, "end-earlier")).toEqual([claim[0], at(" troupes")]);
  });

  it("never empties the extent nor leaves the context", () => {
    const one = [at("les"), at(" troupes")] as const;
    expect(moveExtent(context, 100, one, "start-later")).toEqual(one);
    expect(moveExtent(context, 100, one, "end-earlier")).toEqual(one);
    expect(moveExtent(context, 100, [100, 101], "start-earlier")).toEqual([100, 101]);
    const whole = [100, 100 + Array.from(context).length] as const;
    expect(moveExtent(context, 100, whole, "end-later")).toEqual(whole);
    // An extent outside the context is left as it is.
    expect(moveExtent(context, 100, [10, 20], "end-later")).toEqual([10, 20]);
  });

  it("cuts the context around the extent", () => {
    expect(extentParts(context, 100, claim)).toEqual({ before: "«Été» 😀 ", claim: "les troupes", after: " reviennent." });
  });
});

describe("groupingPlan", () => {
  it("starts, adds to, or merges into the first group", () => {
    expect(groupingPlan([], [])).toEqual({ kind: "none" });
    expect(groupingPlan(["g1"], [])).toEqual({ kind: "none" });
    expect(groupingPlan([], ["a", "b"])).toEqual({ kind: "start", spanIds: ["a", "b"] });
    expect(groupingPlan(["g1"], ["a"])).toEqual({ kind: "add", groupId: "g1", spanIds: ["a"] });
    expect(groupingPlan(["g1", "g2", "g3"], ["a"])).toEqual({ kind: "merge", into: "g1", from: ["g2", "g3"], spanIds: ["a"] });
  });
});
