/**
 * Splits a document's text into segments at every span boundary, so that the reader can draw
 * overlapping and nested spans: each segment knows every span that covers it, and each span gets
 * a lane (a stacking level) that it keeps along its whole length.
 *
 * Span offsets come in code points and are converted to UTF-16 here, through `OffsetTable`: this
 * is the one place where the reader converts them.
 */
import type { Span } from "$lib/bindings/Span";
import { OffsetTable } from "$lib/offsets";

/** Height of one span underline in the reader, and of its lane (the underline and a gap), in px. */
export const UNDERLINE_PX = 2;
export const LANE_PX = UNDERLINE_PX + 1;

/** What the layout needs of a span. */
export type SpanInput = Pick<Span, "id" | "start" | "end" | "label">;

/** A span placed on the text. */
export interface PlacedSpan {
  id: string;
  label: string;
  /** `[start, end)` in UTF-16 code units, for slicing the JavaScript string. */
  start: number;
  end: number;
  /** `[cpStart, cpEnd)` in code points, as the core gave them. */
  cpStart: number;
  cpEnd: number;
  /** Stacking level, 0 = nearest the text. Overlapping spans never share a lane. */
  lane: number;
}

/** A stretch of text that the same set of spans covers. */
export interface Segment {
  /** `[start, end)` in UTF-16 code units. */
  start: number;
  end: number;
  text: string;
  /** The spans covering this segment, by lane. Empty for unannotated text. */
  spans: PlacedSpan[];
  /** The shortest covering span (the one a click selects), or `null`. */
  innermost: PlacedSpan | null;
  /** Inside a search match. */
  marked: boolean;
}

export interface RejectedSpan {
  span: SpanInput;
  reason: string;
}

export interface Layout {
  segments: Segment[];
  /** Every drawn span, by start then by length (longest first). */
  spans: PlacedSpan[];
  /** How many lanes the spans need (0 when there are none). */
  lanes: number;
  /** Spans that cannot be drawn on this text (out of bounds, empty or reversed). */
  rejected: RejectedSpan[];
}

/** Orders spans outermost first: by start, then longest first, then by id for stability. */
function outerFirst(a: PlacedSpan, b: PlacedSpan): number {
  return a.start - b.start || b.end - a.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** True when `a` is nested deeper than `b` (shorter; on a tie, later in the stacking). */
function isInner(a: PlacedSpan, b: PlacedSpan): boolean {
  const la = a.end - a.start;
  const lb = b.end - b.start;
  if (la !== lb) return la < lb;
  if (a.start !== b.start) return a.start > b.start;
  return a.lane > b.lane;
}

/**
 * Lays out `spans` on `text`; `marks` (search matches, `[start, end)` in code points) also cut
 * the text, so that each segment is wholly inside or outside a match.
 */
export function layoutText(
  text: string,
  spans: readonly SpanInput[],
  marks: readonly (readonly [number, number])[] = [],
  /** The text's offset table, when the caller has one already (building it walks the text). */
  table: OffsetTable = new OffsetTable(text),
): Layout {
  const rejected: RejectedSpan[] = [];
  const placed: PlacedSpan[] = [];

  for (const span of spans) {
    if (!Number.isInteger(span.start) || !Number.isInteger(span.end) || span.start < 0) {
      rejected.push({ span, reason: `invalid offsets [${span.start}, ${span.end})` });
    } else if (span.end <= span.start) {
      rejected.push({ span, reason: `empty or reversed span [${span.start}, ${span.end})` });
    } else if (span.end > table.codePointLength) {
      rejected.push({
        span,
        reason: `span [${span.start}, ${span.end}) is outside the text (${table.codePointLength} characters)`,
      });
    } else {
      placed.push({
        id: span.id,
        label: span.label,
        start: table.toUtf16(span.start),
        end: table.toUtf16(span.end),
        cpStart: span.start,
        cpEnd: span.end,
        lane: 0,
      });
    }
  }

  placed.sort(outerFirst);

  // Lanes: greedy interval colouring in start order gives each span the lowest lane that is free
  // over its whole extent, so that an enclosing span sits nearer the text than what it contains.
  const laneEnds: number[] = [];
  for (const span of placed) {
    let lane = laneEnds.findIndex((end) => end <= span.start);
    if (lane === -1) {
      lane = laneEnds.length;
      laneEnds.push(span.end);
    } else {
      laneEnds[lane] = span.end;
    }
    span.lane = lane;
  }

  // Every place where a span starts or ends cuts the text.
  const cuts = new Set<number>([0, text.length]);
  for (const span of placed) {
    cuts.add(span.start);
    cuts.add(span.end);
  }
  const marked: [number, number][] = [];
  for (const [s, e] of marks) {
    if (!(e > s && s >= 0 && e <= table.codePointLength)) continue;
    const m: [number, number] = [table.toUtf16(s), table.toUtf16(e)];
    marked.push(m);
    cuts.add(m[0]);
    cuts.add(m[1]);
  }
  marked.sort((a, b) => a[0] - b[0]);
  const bounds = [...cuts].sort((a, b) => a - b);
  let mark = 0; // index into `marked` of the first match that may cover the next segment

  // Sweep the cuts, keeping the covering spans (ordered by lane) up to date.
  const segments: Segment[] = [];
  let active: PlacedSpan[] = [];
  let next = 0; // index into `placed` (sorted by start) of the next span to open
  for (let i = 0; i + 1 < bounds.length; i++) {
    const start = bounds[i]!;
    const end = bounds[i + 1]!;
    // Segments share the array of covering spans while it does not change; a change makes a new one.
    const ending = active.some((s) => s.end <= start);
    const opening = next < placed.length && placed[next]!.start === start;
    if (ending || opening) {
      const covering = active.filter((s) => s.end > start);
      while (next < placed.length && placed[next]!.start === start) {
        covering.push(placed[next]!);
        next++;
      }
      active = covering.sort((a, b) => a.lane - b.lane);
    }

    let innermost: PlacedSpan | null = null;
    for (const s of active) {
      if (innermost === null || isInner(s, innermost)) innermost = s;
    }
    while (mark < marked.length && marked[mark]![1] <= start) mark++;
    const isMarked = mark < marked.length && marked[mark]![0] <= start;
    segments.push({ start, end, text: text.slice(start, end), spans: active, innermost, marked: isMarked });
  }

  return { segments, spans: placed, lanes: laneEnds.length, rejected };
}

/** A paragraph of the reader: the segments between two blank lines, drawn (and skipped) as one. */
export interface Block {
  /** `[start, end)` in UTF-16 code units; the key of the block. */
  start: number;
  end: number;
  segments: Segment[];
}

/** The last text's paragraph ends: an edit lays out the same text again and again. */
let lastEnds: { text: string; ends: number[] } | null = null;

/** Where paragraphs end: after every run of two or more line breaks, and at the end. */
function paragraphEnds(text: string): number[] {
  if (lastEnds !== null && lastEnds.text === text) return lastEnds.ends;
  const ends: number[] = [];
  const re = /\n{2,}/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) ends.push(m.index + m[0].length);
  if (ends[ends.length - 1] !== text.length) ends.push(text.length);
  lastEnds = { text, ends };
  return ends;
}

/**
 * Whether two paragraphs' segments draw the same: the same stretches and marks, covered by the
 * same spans (label, lane and extent: the extent decides which one a click selects).
 */
function sameSegments(a: readonly Segment[], b: readonly Segment[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.start !== y.start || x.end !== y.end || x.marked !== y.marked || x.spans.length !== y.spans.length) return false;
    for (let j = 0; j < x.spans.length; j++) {
      const p = x.spans[j]!;
      const q = y.spans[j]!;
      if (p.id !== q.id || p.label !== q.label || p.lane !== q.lane || p.start !== q.start || p.end !== q.end) return false;
    }
  }
  return true;
}

/**
 * Groups the layout's segments into paragraphs, splitting a segment that runs across a paragraph
 * end. A block that draws the same as in `previous` is returned as the same object, so that the
 * reader redraws only the paragraphs a change touched (compared field by field: building a
 * signature string for each of a long document's paragraphs took longer than the comparison).
 */
export function layoutBlocks(text: string, layout: Layout, previous: readonly Block[] = []): Block[] {
  const ends = paragraphEnds(text);
  const old = new Map(previous.map((b) => [b.start, b]));
  const blocks: Block[] = [];
  let seg = 0;
  let pending: Segment | null = null; // the part of a split segment left for the next block
  let start = 0;
  for (const end of ends) {
    const segments: Segment[] = [];
    while (pending !== null || seg < layout.segments.length) {
      const s: Segment = pending ?? layout.segments[seg]!;
      if (s.start >= end) break;
      if (pending === null) seg++;
      pending = null;
      if (s.end <= end) {
        segments.push(s);
      } else {
        segments.push({ ...s, end, text: text.slice(s.start, end) });
        pending = { ...s, start: end, text: text.slice(end, s.end) };
        break;
      }
    }
    const before = old.get(start);
    blocks.push(before && before.end === end && sameSegments(before.segments, segments) ? before : { start, end, segments });
    start = end;
  }
  return blocks;
}
