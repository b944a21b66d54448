/**
 * Pure helpers for source entities, claim groups and the compare view: names for the kinds and
 * statuses, the lists typed into text areas, figures as text, and the compare view's columns
 * laid out once per answer and its rows' cells once per row (so that the template only looks
 * cells up).
 */
import type { ClaimMember } from "$lib/bindings/ClaimMember";
import type { ClaimStatus } from "$lib/bindings/ClaimStatus";
import type { CompareOpening } from "$lib/bindings/CompareOpening";
import type { Figure } from "$lib/bindings/Figure";
import type { SourceKind } from "$lib/bindings/SourceKind";
import { truncate } from "$lib/format";
import { OffsetTable } from "$lib/offsets";

export const SOURCE_KINDS: readonly SourceKind[] = ["person", "organisation", "media_outlet", "document", "anonymous"];

const KIND_LABELS: Record<SourceKind, string> = {
  person: "person",
  organisation: "organisation",
  media_outlet: "media outlet",
  document: "document",
  anonymous: "anonymous",
};

export function kindLabel(kind: SourceKind): string {
  return KIND_LABELS[kind] ?? String(kind);
}

export const CLAIM_STATUSES: readonly ClaimStatus[] = ["unverified", "supported", "disputed", "refuted"];

/**
 * Names typed into a text area, separated by commas or line breaks: trimmed, inner spaces
 * collapsed, empty ones and repeats (ignoring case) left out.
 */
export function parseNames(text: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of text.split(/[,\n]/)) {
    const name = raw.trim().replace(/\s+/g, " ");
    const key = name.toLowerCase();
    if (name === "" || seen.has(key)) continue;
    seen.add(key);
    out.push(name);
  }
  return out;
}

/** One address a line; blank lines left out. The core checks that each is http(s). */
export function parseLines(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

/** A number with thousands separators, as news writes it: 130,000; 1.5 stays 1.5. */
function number(n: number): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: 6 });
}

/** A figure as the text said it: "over 100,000 troops", "100,000–130,000 troops". */
export function formatFigure(f: Figure): string {
  const value = f.upper === null ? number(f.value) : `${number(f.value)}–${number(f.upper)}`;
  return [f.qualifier, value, f.unit].filter((p) => p !== null && p !== "").join(" ");
}

/** Who a claim is attributed to: the entity's name, else the SOURCE span's text. */
export function memberSource(m: ClaimMember): string | null {
  if (m.sources.length === 0) return null;
  return m.sources.map((s) => s.entity ?? `“${s.text}”`).join(", ");
}

/** Characters of a member's wording shown in a cell (the whole of it is the tooltip). */
export const CELL_WORDING_CHARS = 140;

/** A claim as drawn in a cell, with its text worked out once. */
export interface MemberCell {
  member: ClaimMember;
  /** The wording, cut to `CELL_WORDING_CHARS`. */
  short: string;
  source: string | null;
  figures: string;
  /** Where it appeared: "outlet · title", for the document column mode's tooltip. */
  where: string;
}

export interface CompareColumn {
  key: string;
  label: string;
  /** A second line under the label (documents: outlet and date). */
  detail: string | null;
  /** A column of one document without an outlet (named by its title or file). */
  none: boolean;
}

export interface CompareLayout {
  columns: CompareColumn[];
  /** A member's column index by its key (`keyOf`). */
  index: ReadonlyMap<string, number>;
  keyOf: (m: ClaimMember) => string;
  /** The ungrouped claims, ready to draw. */
  ungrouped: MemberCell[];
}

export type ColumnMode = "outlets" | "documents";

function cellOf(m: ClaimMember): MemberCell {
  return {
    member: m,
    short: truncate(m.text, CELL_WORDING_CHARS),
    source: memberSource(m),
    figures: m.figures.map(formatFigure).join("; "),
    // A document without an outlet is named as its column is: by title, else file name.
    where: m.outlet === null ? `${m.column} (no outlet)` : [m.outlet, m.document].join(" · "),
  };
}

const NO_LAYOUT: CompareLayout = { columns: [], index: new Map(), keyOf: (m) => m.column, ungrouped: [] };

/**
 * The compare view's columns as the core sent them: an outlet (or a document without one) in
 * the core's order, or one per document (oldest first).
 */
export function compareLayout(opening: CompareOpening | null, mode: ColumnMode): CompareLayout {
  if (opening === null) return NO_LAYOUT;
  const none = new Set(opening.no_outlet);
  const columns: CompareColumn[] =
    mode === "outlets"
      ? opening.columns.map((c) => ({ key: c, label: c, detail: none.has(c) ? "no outlet" : null, none: none.has(c) }))
      : opening.documents.map((d) => ({
          key: d.doc_id,
          label: d.name,
          detail: [d.outlet ?? "No outlet", d.published].filter((p) => p !== null).join(" · "),
          none: false,
        }));
  const index = new Map(columns.map((c, i) => [c.key, i]));
  const keyOf = mode === "outlets" ? (m: ClaimMember) => m.column : (m: ClaimMember) => m.doc_id;
  return { columns, index, keyOf, ungrouped: opening.ungrouped.map(cellOf) };
}

/** A row's members as cells by column index (a missing entry is an empty cell); members of a column not shown (an outlet filtered out) are left out. */
export function rowCells(members: readonly ClaimMember[], layout: CompareLayout): (MemberCell[] | undefined)[] {
  const cells: (MemberCell[] | undefined)[] = new Array(layout.columns.length);
  for (const m of members) {
    const c = layout.index.get(layout.keyOf(m));
    if (c !== undefined) (cells[c] ??= []).push(cellOf(m));
  }
  return cells;
}

/** A claim's extent in a similar passage: `[start, end)` in code points of its document. */
export type Extent = readonly [number, number];

/** Which end of an extent moves, and which way (a word at a time). */
export type ExtentMove = "start-earlier" | "start-later" | "end-earlier" | "end-later";

/**
 * `extent` with one end moved by a word within `context` (code points, starting at
 * `contextStart` in the document), as Ctrl+arrows move: over spaces, then over the word (a run
 * of anything else, its punctuation with it). The extent never becomes empty nor leaves the
 * context; a move that cannot be made returns it unchanged.
 */
export function moveExtent(context: string, contextStart: number, extent: Extent, move: ExtentMove): Extent {
  const table = new OffsetTable(context);
  // Spaces are single UTF-16 units: the unit where a code point starts tells.
  const space = (i: number) => /\s/.test(context.charAt(table.toUtf16(i - contextStart)));
  const first = contextStart;
  const last = contextStart + table.codePointLength;
  let [start, end] = extent;
  if (start < first || end > last || start >= end) return extent;
  switch (move) {
    case "start-earlier":
      while (start > first && space(start - 1)) start--;
      while (start > first && !space(start - 1)) start--;
      break;
    case "start-later": {
      let next = start;
      while (next < end && !space(next)) next++;
      while (next < end && space(next)) next++;
      if (next < end) start = next;
      break;
    }
    case "end-earlier": {
      let next = end;
      while (next > start && !space(next - 1)) next--;
      while (next > start && space(next - 1)) next--;
      if (next > start) end = next;
      break;
    }
    case "end-later":
      while (end < last && space(end)) end++;
      while (end < last && !space(end)) end++;
      break;
  }
  return [start, end];
}

/** A suggestion's context cut around `extent`: the text before it, it, and after it. */
export function extentParts(context: string, contextStart: number, extent: Extent): { before: string; claim: string; after: string } {
  const table = new OffsetTable(context);
  const at = (cp: number) => table.toUtf16(Math.min(table.codePointLength, Math.max(0, cp - contextStart)));
  const [a, b] = [at(extent[0]), at(extent[1])];
  return { before: context.slice(0, a), claim: context.slice(a, b), after: context.slice(b) };
}

/** What "Group selected" does with the selected groups (in table order) and claims. */
export type GroupingPlan =
  | { kind: "none" }
  | { kind: "start"; spanIds: string[] }
  | { kind: "add"; groupId: string; spanIds: string[] }
  | { kind: "merge"; into: string; from: string[]; spanIds: string[] };

export function groupingPlan(groupIds: readonly string[], spanIds: readonly string[]): GroupingPlan {
  const spans = [...spanIds];
  if (groupIds.length === 0) return spans.length > 0 ? { kind: "start", spanIds: spans } : { kind: "none" };
  if (groupIds.length === 1) {
    return spans.length > 0 ? { kind: "add", groupId: groupIds[0]!, spanIds: spans } : { kind: "none" };
  }
  return { kind: "merge", into: groupIds[0]!, from: groupIds.slice(1), spanIds: spans };
}
