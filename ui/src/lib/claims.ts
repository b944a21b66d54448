/**
 * Pure helpers for source entities, claim groups and the compare view: names for the kinds and
 * statuses, the lists typed into text areas, figures as text, and the compare table laid out
 * once per answer (so that the template only looks cells up).
 */
import type { ClaimMember } from "$lib/bindings/ClaimMember";
import type { ClaimStatus } from "$lib/bindings/ClaimStatus";
import type { CompareTable } from "$lib/bindings/CompareTable";
import type { Figure } from "$lib/bindings/Figure";
import type { GroupOverview } from "$lib/bindings/GroupOverview";
import type { SourceKind } from "$lib/bindings/SourceKind";
import { truncate } from "$lib/format";

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

export interface CompareRow {
  overview: GroupOverview;
  /** Members by column index; a missing entry is an empty cell. */
  cells: (MemberCell[] | undefined)[];
  /** Outlets carrying the claim, a document without an outlet counting as its own. */
  spread: number;
}

export interface CompareLayout {
  columns: CompareColumn[];
  rows: CompareRow[];
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
    where: m.outlet === null ? `${m.column} (no outlet)` : [m.outlet, m.title ?? m.column].join(" · "),
  };
}

/**
 * The compare table as columns and rows of cells: the core's columns (an outlet, or a document
 * without one, in the core's order) or one per document (oldest first). Members of a column the
 * table does not show (an outlet filtered out) are left out.
 */
export function compareLayout(table: CompareTable | null, mode: ColumnMode): CompareLayout {
  if (table === null) return { columns: [], rows: [], ungrouped: [] };
  const columns: CompareColumn[] = [];
  const index = new Map<string, number>();
  const keyOf = mode === "outlets" ? (m: ClaimMember) => m.column : (m: ClaimMember) => m.doc_id;
  const shown = new Set(table.columns);
  if (mode === "outlets") {
    // Columns that stand for one document without an outlet.
    const documents = new Set<string>();
    for (const g of table.groups) for (const m of g.members) if (m.outlet === null) documents.add(m.column);
    for (const c of table.columns) {
      if (index.has(c)) continue;
      index.set(c, columns.length);
      const none = documents.has(c);
      columns.push({ key: c, label: c, detail: none ? "no outlet" : null, none });
    }
  } else {
    const docs = new Map<string, ClaimMember>();
    for (const g of table.groups) {
      for (const m of g.members) {
        if (!docs.has(m.doc_id) && shown.has(m.column)) docs.set(m.doc_id, m);
      }
    }
    const ordered = [...docs.values()].sort(
      (a, b) =>
        (a.published ?? "\uffff").localeCompare(b.published ?? "\uffff") ||
        (a.outlet ?? "").localeCompare(b.outlet ?? "") ||
        (a.title ?? a.doc_id).localeCompare(b.title ?? b.doc_id),
    );
    for (const m of ordered) {
      index.set(m.doc_id, columns.length);
      const detail = [m.outlet ?? "No outlet", m.published].filter((p) => p !== null).join(" · ");
      columns.push({ key: m.doc_id, label: m.title ?? m.doc_id, detail, none: false });
    }
  }
  const rows = table.groups.map((overview) => {
    const cells: (MemberCell[] | undefined)[] = new Array(columns.length);
    for (const m of overview.members) {
      const c = index.get(keyOf(m));
      if (c === undefined) continue;
      (cells[c] ??= []).push(cellOf(m));
    }
    return { overview, cells, spread: new Set(overview.members.map((m) => m.column)).size };
  });
  return { columns, rows, ungrouped: table.ungrouped.map(cellOf) };
}

/** The outlets the groups of a table are carried by, those carrying most groups first. */
export function tableOutlets(table: CompareTable): string[] {
  const counts = new Map<string, number>();
  for (const g of table.groups) {
    for (const o of g.outlets) if (o !== null) counts.set(o, (counts.get(o) ?? 0) + 1);
  }
  return [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || a.localeCompare(b));
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
