import { describe, expect, it } from "vitest";
import { OffsetTable } from "$lib/offsets";

describe("OffsetTable", () => {
  it("is the identity on BMP-only text", () => {
    const t = new OffsetTable("Kyiv – Moscow “said”");
    expect(t.hasSurrogates).toBe(false);
    expect(t.codePointLength).toBe(20);
    expect(t.toUtf16(7)).toBe(7);
    expect(t.toCodePoint(20)).toBe(20);
  });

  it("counts an emoji outside the BMP as one code point and two UTF-16 units", () => {
    const text = "a😀b";
    const t = new OffsetTable(text);
    expect(text.length).toBe(4);
    expect(t.hasSurrogates).toBe(true);
    expect(t.codePointLength).toBe(3);
    expect([0, 1, 2, 3].map((cp) => t.toUtf16(cp))).toEqual([0, 1, 3, 4]);
    expect(text.slice(t.toUtf16(2), t.toUtf16(3))).toBe("b");
    expect(text.slice(t.toUtf16(1), t.toUtf16(2))).toBe("😀");
  });

  it("agrees with Python-style code point slicing after several emoji", () => {
    const text = "🇺🇦 troops 👍🏽 said “over 100,000” 🙂.";
    const t = new OffsetTable(text);
    const cps = Array.from(text);
    expect(t.codePointLength).toBe(cps.length);
    // Every code point range slices to the same characters in both counts.
    for (let s = 0; s < cps.length; s++) {
      for (const e of [s + 1, Math.min(cps.length, s + 5)]) {
        expect(text.slice(t.toUtf16(s), t.toUtf16(e))).toBe(cps.slice(s, e).join(""));
      }
    }
    const start = cps.indexOf("“");
    const end = cps.indexOf("”") + 1;
    expect(text.slice(t.toUtf16(start), t.toUtf16(end))).toBe("“over 100,000”");
  });

  it("treats combining marks as code points of their own", () => {
    // "Café" with a combining acute accent (U+0301), then an emoji.
    // Code points: C a f e U+0301 ' ' 😀 ' ' x  (9); UTF-16 units: 10.
    const text = "Cafe\u0301 😀 x";
    const t = new OffsetTable(text);
    expect(Array.from(text)).toHaveLength(9);
    expect(t.codePointLength).toBe(9);
    // The accent is code point 4 and UTF-16 unit 4: combining marks do not shift offsets.
    expect(text.slice(t.toUtf16(4), t.toUtf16(5))).toBe("\u0301");
    expect(text.slice(t.toUtf16(0), t.toUtf16(5))).toBe("Cafe\u0301");
    // The emoji is code point 6 and units 6..8; what follows it is shifted by one.
    expect(t.toUtf16(6)).toBe(6);
    expect(t.toUtf16(7)).toBe(8);
    expect(text.slice(t.toUtf16(6), t.toUtf16(7))).toBe("😀");
    expect(text.slice(t.toUtf16(8), t.toUtf16(9))).toBe("x");
    expect(t.toUtf16(9)).toBe(text.length);
  });

  it("converts UTF-16 offsets back, rounding down inside a surrogate pair", () => {
    const text = "x😀y😀";
    const t = new OffsetTable(text);
    expect([0, 1, 2, 3, 4, 5, 6].map((u) => t.toCodePoint(u))).toEqual([0, 1, 1, 2, 3, 3, 4]);
    for (let cp = 0; cp <= t.codePointLength; cp++) {
      expect(t.toCodePoint(t.toUtf16(cp))).toBe(cp);
    }
  });

  it("counts a lone surrogate as one code point, as Array.from does", () => {
    const text = "a\uD83Db\uDE00c";
    const t = new OffsetTable(text);
    expect(t.codePointLength).toBe(Array.from(text).length);
    expect(t.codePointLength).toBe(5);
    expect(t.toUtf16(3)).toBe(3);
  });

  it("rejects offsets outside the text", () => {
    const t = new OffsetTable("a😀");
    expect(t.toUtf16(2)).toBe(3);
    expect(() => t.toUtf16(3)).toThrow(RangeError);
    expect(() => t.toUtf16(-1)).toThrow(RangeError);
    expect(() => t.toUtf16(0.5)).toThrow(RangeError);
    expect(() => t.toCodePoint(4)).toThrow(RangeError);
  });

  it("handles empty text", () => {
    const t = new OffsetTable("");
    expect(t.codePointLength).toBe(0);
    expect(t.toUtf16(0)).toBe(0);
    expect(t.toCodePoint(0)).toBe(0);
  });
});
