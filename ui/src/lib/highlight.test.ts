import { describe, expect, it } from "vitest";
import { markPieces } from "$lib/highlight";

describe("markPieces", () => {
  it("marks code point ranges, also after an emoji", () => {
    const text = "😀 troops return";
    expect(markPieces(text, [[2, 8]])).toEqual([
      { text: "😀 ", marked: false },
      { text: "troops", marked: true },
      { text: " return", marked: false },
    ]);
  });

  it("merges overlapping ranges and clips ranges out of bounds", () => {
    expect(markPieces("abcdef", [[3, 9], [1, 4], [7, 8]])).toEqual([
      { text: "a", marked: false },
      { text: "bcd", marked: true },
      { text: "ef", marked: true },
    ]);
    expect(markPieces("abc", [])).toEqual([{ text: "abc", marked: false }]);
  });
});
