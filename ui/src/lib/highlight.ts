/** Cutting a text into marked and unmarked pieces, for search matches in snippets. */
import { OffsetTable } from "$lib/offsets";

export interface Piece {
  text: string;
  marked: boolean;
}

/**
 * `text` cut at the given `[start, end)` ranges (code points). Ranges out of bounds are clipped;
 * overlapping ranges merge.
 */
export function markPieces(text: string, ranges: readonly (readonly [number, number])[]): Piece[] {
  const table = new OffsetTable(text);
  const n = table.codePointLength;
  const sorted = ranges
    .map(([s, e]) => [Math.max(0, Math.min(s, n)), Math.max(0, Math.min(e, n))] as const)
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  const pieces: Piece[] = [];
  let at = 0; // code points
  for (const [s, e] of sorted) {
    const start = Math.max(s, at);
    if (e <= start) continue;
    if (start > at) pieces.push({ text: text.slice(table.toUtf16(at), table.toUtf16(start)), marked: false });
    pieces.push({ text: text.slice(table.toUtf16(start), table.toUtf16(e)), marked: true });
    at = e;
  }
  if (at < n) pieces.push({ text: text.slice(table.toUtf16(at)), marked: false });
  return pieces;
}
