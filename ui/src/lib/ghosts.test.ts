import { describe, expect, it } from "vitest";
import { ghostsOn, mergeLines } from "$lib/ghosts";
import { OffsetTable } from "$lib/offsets";

const rect = (left: number, top: number, right: number, bottom: number) => ({ left, top, right, bottom, width: right - left });

describe("ghostsOn", () => {
  it("converts code points to UTF-16 after an emoji, keeps their text, and leaves out what does not fit", () => {
    const text = "😀 said “yes” 🙂 today";
    const table = new OffsetTable(text);
    const ghosts = ghostsOn(text, table, [
      { id: "b", label: "CUE", start: 2, end: 6 },
      { id: "a", label: "CLAIM", start: 7, end: 12 },
      { id: "x", label: "CLAIM", start: 5, end: 99 },
      { id: "y", label: "CLAIM", start: 4, end: 4 },
    ]);
    expect(ghosts.map((g) => [g.id, g.start, g.end, g.text])).toEqual([
      ["b", 3, 7, "said"],
      ["a", 8, 13, "“yes”"],
    ]);
  });
});

describe("mergeLines", () => {
  it("joins the rectangles of one line and keeps lines apart", () => {
    const lines = mergeLines([rect(10, 100, 40, 118), rect(40, 101, 90, 118), rect(0, 130, 50, 148), rect(60, 130, 60, 148)]);
    expect(lines).toEqual([
      { left: 10, top: 100, right: 90, bottom: 118 },
      { left: 0, top: 130, right: 50, bottom: 148 },
    ]);
  });
});
