/**
 * Where the reader draws suggestions: each ghost span becomes boxes (one a line) measured on the
 * text as laid out, placed behind it. The text itself is never cut for a ghost, so the
 * annotations' segments, the selection and what is copied are the same with or without them.
 */
import type { SpanInput } from "$lib/layout";
import type { OffsetTable } from "$lib/offsets";

/** A ghost span in UTF-16 code units of the text, with its own text. */
export interface Ghost {
  id: string;
  label: string;
  start: number;
  end: number;
  text: string;
}

/** A box of a ghost span in its paragraph, in px from the paragraph's top left. */
export interface GhostBox {
  /** Unique in the paragraph. */
  key: string;
  id: string;
  label: string;
  text: string;
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The ghost spans that fit the text, in UTF-16 units, by start. */
export function ghostsOn(text: string, table: OffsetTable, spans: readonly SpanInput[]): Ghost[] {
  const out: Ghost[] = [];
  for (const g of spans) {
    if (!(Number.isInteger(g.start) && Number.isInteger(g.end) && g.start >= 0 && g.end > g.start && g.end <= table.codePointLength)) continue;
    const start = table.toUtf16(g.start);
    const end = table.toUtf16(g.end);
    out.push({ id: g.id, label: g.label, start, end, text: text.slice(start, end) });
  }
  return out.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** The index of the first ghost that ends after `at` could matter from (ghosts sorted by start). */
function firstFrom(ghosts: readonly Ghost[], at: number, longest: number): number {
  // Ghosts starting before `at - longest` end before `at`.
  let lo = 0;
  let hi = ghosts.length;
  const from = at - longest;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ghosts[mid]!.start < from) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Where UTF-16 offset `at` of a paragraph (counted from its start) falls among its text nodes. */
function position(nodes: readonly Text[], ends: readonly number[], at: number): [Text, number] | null {
  for (let i = 0; i < nodes.length; i++) {
    if (at <= ends[i]!) return [nodes[i]!, at - (i === 0 ? 0 : ends[i - 1]!)];
  }
  return null;
}

/**
 * Measures the boxes of `ghosts` in every paragraph drawn under `root` (`[data-block]`
 * elements with `data-start` / `data-end`). Reads the layout only (one layout for all), writes
 * nothing. A range the engine cannot measure gets one empty box, so that the ghost is still in
 * the page (and found by Tab).
 */
export function measureGhosts(
  root: HTMLElement,
  ghosts: readonly Ghost[],
  /** Only the paragraphs starting here (all drawn ones when absent). */
  only?: ReadonlySet<number>,
): Map<number, GhostBox[]> {
  const boxes = new Map<number, GhostBox[]>();
  if (ghosts.length === 0) return boxes;
  const longest = ghosts.reduce((m, g) => Math.max(m, g.end - g.start), 0);
  for (const block of root.querySelectorAll<HTMLElement>(":scope > [data-block]")) {
    const start = Number(block.dataset.start);
    const end = Number(block.dataset.end);
    if (only !== undefined && !only.has(start)) continue;
    let nodes: Text[] | null = null;
    let ends: number[] = [];
    let origin: DOMRect | null = null;
    const list: GhostBox[] = [];
    for (let i = firstFrom(ghosts, start, longest); i < ghosts.length && ghosts[i]!.start < end; i++) {
      const g = ghosts[i]!;
      const from = Math.max(g.start, start);
      const to = Math.min(g.end, end);
      if (to <= from) continue;
      if (nodes === null) {
        // The paragraph's own text nodes (the lanes and boxes under it hold none).
        nodes = [];
        ends = [];
        let total = 0;
        const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
          nodes.push(n as Text);
          total += (n as Text).length;
          ends.push(total);
        }
        origin = block.getBoundingClientRect();
      }
      const a = position(nodes, ends, from - start);
      const b = position(nodes, ends, to - start);
      let rects: DOMRect[] = [];
      if (a !== null && b !== null) {
        const range = document.createRange();
        range.setStart(a[0], a[1]);
        range.setEnd(b[0], b[1]);
        rects = typeof range.getClientRects === "function" ? [...range.getClientRects()] : [];
      }
      const lines = mergeLines(rects);
      if (lines.length === 0) lines.push({ left: 0, top: 0, right: 0, bottom: 0 });
      lines.forEach((r, n) => {
        list.push({
          key: `${g.id}#${n}`,
          id: g.id,
          label: g.label,
          text: g.text,
          left: r.left - (origin?.left ?? 0),
          top: r.top - (origin?.top ?? 0),
          width: r.right - r.left,
          height: r.bottom - r.top,
        });
      });
    }
    if (list.length > 0) boxes.set(start, list);
  }
  return boxes;
}

interface Line {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Joins the rectangles of one line (a range gives one per element it crosses) into one. */
export function mergeLines(rects: readonly Pick<DOMRect, "left" | "top" | "right" | "bottom" | "width">[]): Line[] {
  const lines: Line[] = [];
  for (const r of rects) {
    if (r.width <= 0) continue;
    const line = lines.find((l) => Math.abs(l.top - r.top) < 3 && Math.abs(l.bottom - r.bottom) < 3);
    if (line === undefined) lines.push({ left: r.left, top: r.top, right: r.right, bottom: r.bottom });
    else {
      line.left = Math.min(line.left, r.left);
      line.right = Math.max(line.right, r.right);
      line.top = Math.min(line.top, r.top);
      line.bottom = Math.max(line.bottom, r.bottom);
    }
  }
  return lines;
}
