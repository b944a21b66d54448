/**
 * Relations drawn as arcs over the reader's text: which relations to draw, the spans missing a
 * required partner, where each span's anchor lies on the laid-out text, and each arc's path.
 *
 * Two spans on one line are joined by a curve in the room above the line, narrower arcs lower;
 * spans on different lines (or paragraphs, or one not drawn in a long document) by a connector
 * that runs above the head's line to the left margin, down (or up) the margin and along the
 * child's line. Nothing is drawn over the letters themselves.
 */
import type { LabelSchema } from "$lib/bindings/LabelSchema";
import { lacks, requiredOf } from "$lib/relations";

/** Which relations the reader draws: every one, those of the selected span, or none. */
export type ArcsMode = "all" | "selection" | "none";
export const ARCS_MODES: readonly ArcsMode[] = ["all", "selection", "none"];

export function isArcsMode(value: unknown): value is ArcsMode {
  return typeof value === "string" && (ARCS_MODES as readonly string[]).includes(value);
}

/** The mode after `mode` (the A key cycles through them). */
export function nextArcsMode(mode: ArcsMode): ArcsMode {
  return ARCS_MODES[(ARCS_MODES.indexOf(mode) + 1) % ARCS_MODES.length]!;
}

/** Room above each line for the arcs, in px (none when no arc is drawn). */
export const ARC_ROOM_PX = 5;

/** What the arcs need of a relation. */
export interface ArcRelation {
  id: string;
  head: string;
  child: string;
  label: string;
}

/** What the arcs need of a span. */
export interface ArcSpan {
  id: string;
  label: string;
}

/** Relation type colours, by the type's place in the schema (they have none of their own). */
const RELATION_COLORS = ["#b45309", "#1d4ed8", "#047857", "#7c3aed", "#be123c", "#0e7490", "#4d7c0f", "#a21caf"];

/** The colour of each relation type of the schema. */
export function relationColors(schema: LabelSchema | null): Map<string, string> {
  const map = new Map<string, string>();
  schema?.relation_types.forEach((t, i) => map.set(t.name, RELATION_COLORS[i % RELATION_COLORS.length]!));
  return map;
}

/** The relations to draw: those between two drawn spans, all or the selection's. */
export function arcsToDraw<R extends ArcRelation>(
  relations: readonly R[],
  drawn: ReadonlySet<string>,
  mode: ArcsMode,
  selected: string | null,
): R[] {
  if (mode === "none") return [];
  return relations.filter(
    (r) =>
      drawn.has(r.head) &&
      drawn.has(r.child) &&
      (mode === "all" || (selected !== null && (r.head === selected || r.child === selected))),
  );
}

/**
 * The drawn spans that lack a relation their schema requires (a CLAIM with no source), with the
 * names of the missing relation types. A relation of an undirected type counts at either end.
 */
export function missingPartners(
  spans: readonly ArcSpan[],
  relations: readonly ArcRelation[],
  schema: LabelSchema | null,
): Map<string, string[]> {
  const missing = new Map<string, string[]>();
  if (!schema?.relation_types.some((t) => t.required)) return missing;
  // The relations each span is an end of, so that each span looks at its own only.
  const ends = new Map<string, ArcRelation[]>();
  for (const r of relations) {
    for (const id of [r.head, r.child]) {
      const list = ends.get(id);
      if (list === undefined) ends.set(id, [r]);
      else list.push(r);
    }
  }
  for (const span of spans) {
    for (const t of requiredOf(schema, span.label)) {
      if (!lacks(t, span.id, ends.get(span.id) ?? [])) continue;
      const list = missing.get(span.id);
      if (list === undefined) missing.set(span.id, [t.name]);
      else list.push(t.name);
    }
  }
  return missing;
}

/** Where a span begins on the laid-out text: the box of its first line, in the overlay's px. */
export interface Anchor {
  left: number;
  right: number;
  top: number;
}

/** A span not drawn (a long document's paragraph off screen): above or below what is drawn. */
export type Place = Anchor | "above" | "below";

/** An arc ready to draw. */
export interface ArcShape {
  id: string;
  label: string;
  head: string;
  child: string;
  /** SVG path data, from the head to the child. */
  path: string;
  /** Where the label's text starts (its baseline), and which way it runs from there. */
  labelX: number;
  labelY: number;
  labelAnchor: "middle" | "start";
  /** Both ends are on one line (a curve), else a connector through the margin. */
  sameLine: boolean;
  /** The label is written; one that would cover an earlier arc's label is left out (shown on hover). */
  labelShown: boolean;
}

export interface ArcGeometry {
  /** The x of the margin's innermost connector lane (left of the text), in px. */
  marginX: number;
  /** The top and bottom of the drawn text, where connectors to undrawn spans end. */
  drawnTop: number;
  drawnBottom: number;
}

/** The height of the lowest arc over a line, and what each level adds, in px. */
const ARC_BASE_PX = 9;
const ARC_LEVEL_PX = 5;
/** How far a connector rises above its line before it turns, and its margin lanes' spacing. */
const RISE_PX = 5;
const MARGIN_LANE_PX = 4;
const MAX_LEVELS = 4;

function centre(a: Anchor): number {
  return (a.left + a.right) / 2;
}

/**
 * The arcs' shapes. Arcs over one line get levels (the narrowest lowest, an arc never crossing
 * one of its own level); connectors get margin lanes by the stretch of the page they run along.
 */
export function arcShapes(
  arcs: readonly ArcRelation[],
  placeOf: (spanId: string) => Place | null,
  geometry: ArcGeometry,
): ArcShape[] {
  const shapes: ArcShape[] = [];
  const curves: { r: ArcRelation; x1: number; x2: number; y: number }[] = [];
  const connectors: { r: ArcRelation; from: Place; to: Place; y1: number; y2: number }[] = [];
  const yOf = (p: Place): number =>
    p === "above" ? geometry.drawnTop : p === "below" ? geometry.drawnBottom : p.top;
  for (const r of arcs) {
    const from = placeOf(r.head);
    const to = placeOf(r.child);
    if (from === null || to === null) continue;
    if (typeof from === "string" && typeof to === "string") continue; // neither end is drawn
    if (typeof from !== "string" && typeof to !== "string" && Math.abs(from.top - to.top) < 2) {
      curves.push({ r, x1: centre(from), x2: centre(to), y: from.top });
    } else {
      connectors.push({ r, from, to, y1: yOf(from), y2: yOf(to) });
    }
  }

  // Curves: narrowest first, each on the lowest level free over its width on its line.
  curves.sort((a, b) => Math.abs(a.x2 - a.x1) - Math.abs(b.x2 - b.x1));
  const taken = new Map<number, [number, number, number][]>(); // line top → [level, left, right]
  for (const c of curves) {
    const left = Math.min(c.x1, c.x2);
    const right = Math.max(c.x1, c.x2);
    const key = Math.round(c.y);
    const used = taken.get(key) ?? [];
    let level = 0;
    while (level < MAX_LEVELS - 1 && used.some(([l, a, b]) => l === level && a < right && left < b)) level++;
    used.push([level, left, right]);
    taken.set(key, used);
    const h = ARC_BASE_PX + level * ARC_LEVEL_PX;
    // A cubic curve with both controls at height h peaks at three quarters of it.
    shapes.push({
      id: c.r.id,
      label: c.r.label,
      head: c.r.head,
      child: c.r.child,
      path: `M${c.x1.toFixed(1)} ${c.y.toFixed(1)}C${c.x1.toFixed(1)} ${(c.y - h).toFixed(1)} ${c.x2.toFixed(1)} ${(c.y - h).toFixed(1)} ${c.x2.toFixed(1)} ${c.y.toFixed(1)}`,
      labelX: (c.x1 + c.x2) / 2,
      labelY: c.y - h * 0.75 - 1.5,
      labelAnchor: "middle",
      sameLine: true,
      labelShown: true,
    });
  }

  // Connectors: each on the innermost margin lane free over the stretch it runs along.
  connectors.sort((a, b) => Math.abs(a.y2 - a.y1) - Math.abs(b.y2 - b.y1));
  const lanes: [number, number][][] = [];
  for (const c of connectors) {
    const top = Math.min(c.y1, c.y2);
    const bottom = Math.max(c.y1, c.y2);
    let lane = 0;
    while (lanes[lane]?.some(([a, b]) => a <= bottom && top <= b)) lane++;
    (lanes[lane] ??= []).push([top, bottom]);
    const x = geometry.marginX - lane * MARGIN_LANE_PX;
    const parts: string[] = [];
    if (typeof c.from === "string") parts.push(`M${x.toFixed(1)} ${c.y1.toFixed(1)}`);
    else {
      const hx = centre(c.from);
      const ry = c.y1 - RISE_PX;
      parts.push(`M${hx.toFixed(1)} ${c.y1.toFixed(1)}V${ry.toFixed(1)}H${x.toFixed(1)}`);
    }
    if (typeof c.to === "string") parts.push(`V${c.y2.toFixed(1)}`);
    else {
      const ry = c.y2 - RISE_PX;
      parts.push(`V${ry.toFixed(1)}H${centre(c.to).toFixed(1)}V${c.y2.toFixed(1)}`);
    }
    const labelled = typeof c.from !== "string" ? c.from : (c.to as Anchor);
    shapes.push({
      id: c.r.id,
      label: c.r.label,
      head: c.r.head,
      child: c.r.child,
      path: parts.join(""),
      labelX: Math.max(geometry.marginX + 2, Math.min(centre(labelled) - 4, labelled.left)),
      labelY: (typeof c.from !== "string" ? c.y1 : c.y2) - RISE_PX - 1.5,
      labelAnchor: "start",
      sameLine: false,
      labelShown: true,
    });
  }
  placeLabels(shapes);
  return shapes;
}

/** Roughly how wide a label's text is, in px (9 px type). */
function labelWidth(label: string): number {
  return label.length * 5.2 + 4;
}

/** Leaves out each label that would overlap one already written, lowest arcs first. */
function placeLabels(shapes: ArcShape[]): void {
  const placed: [number, number, number, number][] = [];
  for (const a of shapes) {
    const w = labelWidth(a.label);
    const left = a.labelAnchor === "middle" ? a.labelX - w / 2 : a.labelX;
    const box: [number, number, number, number] = [left, a.labelY - 9, left + w, a.labelY + 2];
    a.labelShown = !placed.some(([l, t, r, b]) => l < box[2] && box[0] < r && t < box[3] && box[1] < b);
    if (a.labelShown) placed.push(box);
  }
}

/**
 * Measures where each drawn span begins on the reader's text: the box of its first line (the
 * union of its segments' boxes on that line, or of its bars' in another layer's lane, which are
 * laid out as the text is), relative to `origin` (the overlay's corner, in client px). Every drawn
 * span, so that which arcs are drawn can change without measuring again. One pass over the drawn
 * segments and bars.
 */
export function measureAnchors(root: HTMLElement, origin: { x: number; y: number }): Map<string, Anchor> {
  const anchors = new Map<string, Anchor>();
  const done = new Set<string>();
  // The text's segments, and the other layers' bars in their lanes (laid out like the text).
  for (const el of root.querySelectorAll<HTMLElement>(".seg[data-spans], .bar[data-lane-span]")) {
    const list = el.dataset.spans ?? el.dataset.laneSpan;
    if (!list) continue;
    let rects: DOMRectList | null = null;
    for (const id of list.split(" ")) {
      if (done.has(id)) continue;
      rects ??= el.getClientRects();
      const first = rects[0];
      if (first === undefined) continue;
      const top = first.top - origin.y;
      const seen = anchors.get(id);
      if (seen === undefined) {
        anchors.set(id, { left: first.left - origin.x, right: first.right - origin.x, top });
        if (rects.length > 1) done.add(id);
      } else if (Math.abs(seen.top - top) < 2) {
        seen.right = Math.max(seen.right, first.right - origin.x);
        if (rects.length > 1) done.add(id);
      } else {
        done.add(id);
      }
    }
  }
  return anchors;
}
