/**
 * Which paragraphs of a long document to render: only those near the viewport, with the space
 * of the others kept by their heights (measured once drawn, estimated before).
 */

/** Estimated height in px of a paragraph of `text` at `charsPerLine` and `linePx`. */
export function estimateHeight(text: string, charsPerLine: number, linePx: number): number {
  const cpl = Math.max(10, charsPerLine);
  let lines = 0;
  for (const line of text.split("\n")) lines += Math.max(1, Math.ceil(line.length / cpl));
  // A paragraph's text ends with its blank line(s): `split` gives one empty piece too many.
  if (text.endsWith("\n")) lines -= 1;
  return Math.max(1, lines) * linePx;
}

export interface WindowRange {
  /** Blocks `[first, last)` are rendered. */
  first: number;
  last: number;
  /** Space above the first rendered block and below the last, in px. */
  top: number;
  bottom: number;
}

/** The blocks that meet `[scrollTop - overscan, scrollTop + viewport + overscan]`. */
export function visibleRange(
  heights: readonly number[],
  scrollTop: number,
  viewport: number,
  overscan: number,
): WindowRange {
  const from = scrollTop - overscan;
  const to = scrollTop + viewport + overscan;
  let y = 0;
  let first = heights.length;
  let top = 0;
  for (let i = 0; i < heights.length; i++) {
    const h = heights[i]!;
    if (y + h > from) {
      first = i;
      break;
    }
    y += h;
  }
  top = y;
  let last = first;
  let bottomEdge = top;
  while (last < heights.length && bottomEdge < to) {
    bottomEdge += heights[last]!;
    last++;
  }
  let total = bottomEdge;
  for (let i = last; i < heights.length; i++) total += heights[i]!;
  return { first, last, top, bottom: total - bottomEdge };
}

/** The top of block `index` in px. */
export function offsetOf(heights: readonly number[], index: number): number {
  let y = 0;
  for (let i = 0; i < index && i < heights.length; i++) y += heights[i]!;
  return y;
}

/**
 * The items `[first, last)` of `count` equal items of `size` px that meet the viewport, with
 * `overscan` items more on each side: rows of a table, or its columns.
 */
export function fixedRange(
  count: number,
  size: number,
  scroll: number,
  viewport: number,
  overscan: number,
): { first: number; last: number } {
  if (count <= 0 || size <= 0) return { first: 0, last: 0 };
  const first = Math.max(0, Math.min(count, Math.floor(Math.max(0, scroll) / size) - overscan));
  const last = Math.max(first, Math.min(count, Math.ceil((Math.max(0, scroll) + Math.max(0, viewport)) / size) + overscan));
  return { first, last };
}
