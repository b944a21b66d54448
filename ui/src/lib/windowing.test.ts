import { describe, expect, it } from "vitest";
import { estimateHeight, fixedRange, offsetOf, visibleRange } from "$lib/windowing";

describe("estimateHeight", () => {
  it("counts wrapped lines and blank lines", () => {
    expect(estimateHeight("a".repeat(25), 10, 20)).toBe(60);
    expect(estimateHeight("short\n\n", 10, 20)).toBe(40);
    expect(estimateHeight("", 10, 20)).toBe(20);
  });
});

describe("visibleRange", () => {
  const heights = [100, 100, 100, 100, 100, 100, 100, 100, 100, 100];

  it("renders the blocks in and near the viewport and keeps the space of the rest", () => {
    expect(visibleRange(heights, 0, 250, 0)).toEqual({ first: 0, last: 3, top: 0, bottom: 700 });
    expect(visibleRange(heights, 450, 200, 50)).toEqual({ first: 4, last: 7, top: 400, bottom: 300 });
  });

  it("renders nothing past the end, and everything for a tall viewport", () => {
    expect(visibleRange(heights, 5000, 200, 0)).toEqual({ first: 10, last: 10, top: 1000, bottom: 0 });
    expect(visibleRange(heights, 0, 5000, 0)).toEqual({ first: 0, last: 10, top: 0, bottom: 0 });
  });

  it("places a block by the heights before it", () => {
    expect(offsetOf([10, 20, 30], 2)).toBe(30);
  });
});

describe("fixedRange", () => {
  it("takes the items in the viewport and the overscan on each side", () => {
    expect(fixedRange(1000, 100, 0, 250, 2)).toEqual({ first: 0, last: 5 });
    expect(fixedRange(1000, 100, 5000, 250, 2)).toEqual({ first: 48, last: 55 });
  });

  it("stays within the items", () => {
    expect(fixedRange(10, 100, 5000, 250, 2)).toEqual({ first: 10, last: 10 });
    expect(fixedRange(0, 100, 0, 250, 2)).toEqual({ first: 0, last: 0 });
    expect(fixedRange(3, 100, 0, 0, 4)).toEqual({ first: 0, last: 3 });
  });
});
