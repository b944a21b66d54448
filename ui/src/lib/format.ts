/** Small pure helpers for what the panes display. */
import type { DocStatus } from "$lib/bindings/DocStatus";
import type { DocumentSummary } from "$lib/bindings/DocumentSummary";
import type { LabelSchema } from "$lib/bindings/LabelSchema";
import type { SpanLabel } from "$lib/bindings/SpanLabel";

/** How many characters of a fallback title to show. */
export const FALLBACK_TITLE_CHARS = 60;

export interface DisplayTitle {
  text: string;
  /** True when the document has no title and `text` stands in for one (shown in italics). */
  fallback: boolean;
}

/** Cuts `s` to at most `max` code points, with an ellipsis when cut. */
export function truncate(s: string, max: number): string {
  const chars = Array.from(s);
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join("")}…`;
}

/** The last `max` code points of `s`, with an ellipsis before them when cut. */
export function truncateStart(s: string, max: number): string {
  const chars = Array.from(s);
  return chars.length <= max ? s : `…${chars.slice(chars.length - max + 1).join("")}`;
}

/**
 * The title to list a document under: its title, else the one derived from its first line or
 * sentence, else its file name, else its id.
 */
export function displayTitle(doc: Pick<DocumentSummary, "id" | "title" | "derived_title" | "source_file">): DisplayTitle {
  const title = doc.title?.trim();
  if (title) return { text: title, fallback: false };
  const derived = doc.derived_title?.trim();
  if (derived) return { text: derived, fallback: true };
  const file = doc.source_file?.trim();
  if (file) return { text: truncate(file, FALLBACK_TITLE_CHARS), fallback: true };
  return { text: truncate(doc.id, FALLBACK_TITLE_CHARS), fallback: true };
}

const STATUS_LABELS: Record<DocStatus, string> = {
  new: "new",
  in_progress: "in progress",
  done: "done",
  skipped: "skipped",
};

export function statusLabel(status: DocStatus): string {
  return STATUS_LABELS[status] ?? String(status);
}

/** Drawn for a label the schema does not know. */
export const UNKNOWN_LABEL_COLOR = "#6b7280";

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

/** The label's colour as `#rrggbb`; a neutral grey when the label or its colour is not valid. */
export function labelColor(label: SpanLabel | undefined): string {
  return label && HEX_COLOR.test(label.color) ? label.color.toLowerCase() : UNKNOWN_LABEL_COLOR;
}

/** Span labels by name. */
export function labelIndex(schema: LabelSchema | null): Map<string, SpanLabel> {
  return new Map((schema?.span_labels ?? []).map((l) => [l.name, l]));
}

/** A light see-through tint of a `#rrggbb` colour, for backgrounds. */
export function tint(color: string, alpha = 0.16): string {
  const a = Math.round(Math.min(1, Math.max(0, alpha)) * 255)
    .toString(16)
    .padStart(2, "0");
  return `${HEX_COLOR.test(color) ? color : UNKNOWN_LABEL_COLOR}${a}`;
}

/** An attribute value as text. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") return String(value);
  return JSON.stringify(value);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Gold's colour in the Curate view: the curated result, set apart from every annotator's. */
export const GOLD_COLOR = "#b8860b";

/** Annotators' colours, told apart by people with the common colour-vision deficiencies (Okabe–Ito). */
const ANNOTATOR_COLORS = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#7a5195", "#4d4d4d"];

/**
 * An annotator's colour as `#rrggbb`: by their place among the workspace's annotators (`index`,
 * in `TeamProgress.names`: the same in every view, and no two share one while there are few
 * enough), or, without one (`index` < 0), by their name; `gold` is always `GOLD_COLOR`. The same
 * arguments always give the same colour. The views colour through `Team.colorOf`.
 */
export function annotatorColor(name: string, index: number): string {
  if (name === "gold") return GOLD_COLOR;
  let at = index;
  if (!Number.isInteger(at) || at < 0) {
    // A small string hash (FNV-1a), stable across runs.
    let hash = 0x811c9dc5;
    for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193) >>> 0;
    at = hash;
  }
  return ANNOTATOR_COLORS[at % ANNOTATOR_COLORS.length]!;
}
