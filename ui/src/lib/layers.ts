/** Which annotators' layers the reader draws in the text, and the lanes it draws the others in. */
import type { Span } from "$lib/bindings/Span";
import { annotatorColor } from "$lib/format";
import type { OffsetTable } from "$lib/offsets";

/**
 * `all`: every layer's spans in the text; `mine`: only the user's; `lanes`: the user's in the
 * text and each other layer in lanes of its own under the lines.
 */
export type LayersMode = "all" | "mine" | "lanes";

export const LAYERS_MODES: readonly LayersMode[] = ["all", "mine", "lanes"];

/** The curated layer. */
export const GOLD_LAYER = "gold";

/** Height of a lane's bar, and of its row (the bar and a gap), in px. */
export const LANE_BAR_PX = 3;
export const LANE_ROW_PX = LANE_BAR_PX + 1;

export function isLayersMode(value: unknown): value is LayersMode {
  return typeof value === "string" && (LAYERS_MODES as readonly string[]).includes(value);
}

/** The mode to start in: the user's choice when there is one, else lanes for a team. */
export function defaultLayersMode(chosen: LayersMode | null, inTeam: boolean): LayersMode {
  return chosen ?? (inTeam ? "lanes" : "all");
}

/** What the layers need of a span. */
export type LayerSpan = Pick<Span, "id" | "start" | "end" | "label" | "annotator">;

export interface SplitLayers<T> {
  /** Drawn in the text, where they can be selected and edited. */
  text: T[];
  /** Drawn in lanes under the lines, read-only. */
  lanes: T[];
}

/** Splits a document's spans by what `mode` draws where, `me` being the user. */
export function splitLayers<T extends Pick<Span, "annotator">>(
  spans: readonly T[],
  mode: LayersMode,
  me: string,
): SplitLayers<T> {
  if (mode === "all") return { text: [...spans], lanes: [] };
  const text: T[] = [];
  const lanes: T[] = [];
  for (const s of spans) {
    if (s.annotator === me) text.push(s);
    else if (mode === "lanes") lanes.push(s);
  }
  return { text, lanes };
}

/** Layers in the order they are shown: by name, gold last. */
export function layerOrder(a: string, b: string): number {
  if ((a === GOLD_LAYER) !== (b === GOLD_LAYER)) return a === GOLD_LAYER ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * An annotator's colour: by their place among the workspace's annotators (`names`, as
 * `TeamProgress.names` gives them: every annotator by name, gold left out), so that an annotator
 * has one colour in every view; gold its own; by name when not among them (before the names load).
 */
export function layerColor(annotator: string, names: readonly string[]): string {
  return annotatorColor(annotator, names.indexOf(annotator));
}

/** A colour by name alone, for a caller that knows no workspace's names. */
const colorByName = (annotator: string): string => layerColor(annotator, []);

/** A status of a layer (a document status, or gold's `curated`) as shown. */
export function layerStatusLabel(status: string): string {
  return status === "in_progress" ? "in progress" : status;
}

/** A span drawn in a lane. */
export interface LaneSpan {
  id: string;
  label: string;
  annotator: string;
  /** `[start, end)` in code points, as the core gave them. */
  start: number;
  end: number;
  /** The row it is drawn in, 0 = nearest the text; a layer's spans that overlap take rows of their own. */
  row: number;
}

/** One layer's rows. */
export interface LaneLayer {
  annotator: string;
  color: string;
  /** Its rows are `[firstRow, firstRow + rows)`. */
  firstRow: number;
  rows: number;
}

export interface LanePlan {
  /** In the order of `layerOrder`. */
  layers: LaneLayer[];
  /** Rows of all layers together. */
  rows: number;
  /** By start, then longest first. */
  spans: LaneSpan[];
  /** Spans that cannot be drawn on the text (out of bounds, empty or reversed). */
  rejected: LayerSpan[];
}

/** Orders spans outermost first: by start, then longest first, then by id for stability. */
function outerFirst(a: LayerSpan, b: LayerSpan): number {
  return a.start - b.start || b.end - a.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Gives each layer's spans rows: one row per layer where its spans do not overlap, more where
 * they do (greedy interval colouring, as the text's underlines), so that every span is one bar.
 */
export function planLanes(
  spans: readonly LayerSpan[],
  codePointLength: number,
  /** Each layer's colour: the workspace's colour of its annotator (`Team.colorOf`). */
  colorOf: (annotator: string) => string = colorByName,
): LanePlan {
  const rejected: LayerSpan[] = [];
  const byLayer = new Map<string, LayerSpan[]>();
  for (const s of spans) {
    const valid = Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.end > s.start && s.end <= codePointLength;
    if (!valid) {
      rejected.push(s);
      continue;
    }
    const list = byLayer.get(s.annotator);
    if (list === undefined) byLayer.set(s.annotator, [s]);
    else list.push(s);
  }
  const layers: LaneLayer[] = [];
  const placed: LaneSpan[] = [];
  let rows = 0;
  for (const annotator of [...byLayer.keys()].sort(layerOrder)) {
    const own = byLayer.get(annotator)!.sort(outerFirst);
    const rowEnds: number[] = [];
    for (const s of own) {
      let row = rowEnds.findIndex((end) => end <= s.start);
      if (row === -1) {
        row = rowEnds.length;
        rowEnds.push(s.end);
      } else {
        rowEnds[row] = s.end;
      }
      placed.push({ id: s.id, label: s.label, annotator, start: s.start, end: s.end, row: rows + row });
    }
    layers.push({ annotator, color: colorOf(annotator), firstRow: rows, rows: rowEnds.length });
    rows += rowEnds.length;
  }
  placed.sort(outerFirst);
  return { layers, rows, spans: placed, rejected };
}

/** A stretch of a paragraph in a lane row: under a span (a bar), or between spans. */
export interface LanePiece {
  /** `[start, end)` in UTF-16 code units of the document. */
  start: number;
  end: number;
  text: string;
  span: LaneSpan | null;
}

/**
 * One lane row of one paragraph: the paragraph's whole text cut into pieces, so that drawn in the
 * paragraph's font under its text it wraps as the text does and each bar lies under its span.
 */
export interface LaneRow {
  row: number;
  annotator: string;
  color: string;
  pieces: LanePiece[];
}

/** What the lanes need of a paragraph: `[start, end)` in UTF-16 code units. */
export interface Paragraph {
  start: number;
  end: number;
}

/** A paragraph's lane rows and what identifies them: equal signatures draw the same. */
export interface ParagraphLanes {
  rows: LaneRow[];
  signature: string;
}

/** The lane rows of each paragraph that has any, by the paragraph's start. */
export type LaneRows = ReadonlyMap<number, ParagraphLanes>;

const NO_ROWS: readonly LaneRow[] = [];

/** A paragraph's rows: the same array while they draw the same; none when it has no lane span. */
export function rowsOf(lanes: LaneRows, start: number): readonly LaneRow[] {
  return lanes.get(start)?.rows ?? NO_ROWS;
}

/**
 * Cuts the plan's spans at the paragraphs (sorted, not overlapping, as `layoutBlocks` gives
 * them) into rows of pieces; a paragraph whose rows are unchanged from `previous` keeps them (the
 * same objects), so that it is not drawn again. Code points become UTF-16 through `table` only.
 */
export function laneRows(
  text: string,
  table: OffsetTable,
  plan: LanePlan,
  paragraphs: readonly Paragraph[],
  previous: LaneRows = new Map(),
): LaneRows {
  // The spans of each paragraph, clipped to it: paragraph index -> row -> [start, end, span].
  const clipped = new Map<number, Map<number, [number, number, LaneSpan][]>>();
  for (const span of plan.spans) {
    const start = table.toUtf16(span.start);
    const end = table.toUtf16(span.end);
    // The first paragraph that ends after the span starts.
    let lo = 0;
    let hi = paragraphs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (paragraphs[mid]!.end <= start) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < paragraphs.length && paragraphs[i]!.start < end; i++) {
      const p = paragraphs[i]!;
      const from = Math.max(start, p.start);
      const to = Math.min(end, p.end);
      if (to <= from) continue;
      let rows = clipped.get(i);
      if (rows === undefined) clipped.set(i, (rows = new Map()));
      const row = rows.get(span.row);
      if (row === undefined) rows.set(span.row, [[from, to, span]]);
      else row.push([from, to, span]);
    }
  }

  const colors = new Map(plan.layers.map((l) => [l.annotator, l.color]));
  const byStart = new Map<number, ParagraphLanes>();
  for (const [index, rows] of clipped) {
    const p = paragraphs[index]!;
    let signature = `${p.start}-${p.end}`;
    const order = [...rows.keys()].sort((a, b) => a - b);
    for (const row of order) {
      signature += `|${row}`;
      // The colour too: a new annotator in the workspace moves the others' colours.
      for (const [from, to, s] of rows.get(row)!) signature += `,${s.id}:${s.label}:${s.annotator}:${colors.get(s.annotator)}:${s.start}-${s.end}:${from}-${to}`;
    }
    const before = previous.get(p.start);
    if (before !== undefined && before.signature === signature) {
      byStart.set(p.start, before);
      continue;
    }
    const built: LaneRow[] = order.map((row) => {
      const cuts = rows.get(row)!.sort((a, b) => a[0] - b[0]);
      const pieces: LanePiece[] = [];
      let at = p.start;
      for (const [from, to, span] of cuts) {
        if (from > at) pieces.push({ start: at, end: from, text: text.slice(at, from), span: null });
        pieces.push({ start: from, end: to, text: text.slice(from, to), span });
        at = to;
      }
      // The rest of the paragraph too: where a line breaks depends on the words after a span.
      if (at < p.end) pieces.push({ start: at, end: p.end, text: text.slice(at, p.end), span: null });
      const annotator = cuts[0]![2].annotator;
      return { row, annotator, color: colors.get(annotator) ?? colorByName(annotator), pieces };
    });
    byStart.set(p.start, { rows: built, signature });
  }
  return byStart;
}
