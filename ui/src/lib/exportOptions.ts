/**
 * The export dialog's form: what each format writes, the checks made before the core is asked
 * (the same ones it makes, so that the dialog can say what is wrong next to the field), the
 * `ExportOptions` a valid form stands for, and the name to suggest in the save dialog.
 */
import type { DocStatus } from "$lib/bindings/DocStatus";
import type { Format } from "$lib/bindings/Format";
import type { ExportOptions } from "$lib/bindings/ExportOptions";
import type { SplitBy } from "$lib/bindings/SplitBy";

export interface FormatInfo {
  title: string;
  /** One line on what the format holds and what it cannot. */
  description: string;
  /** The data file's extension; `null` when the data is a folder. */
  extension: string | null;
  /** Added to the workspace's name in the suggested name, when the extension does not say it. */
  tag: string | null;
}

/** The formats an export writes: every `Format` but those the core only reads (`Format::writes`). */
export type ExportFormat = Exclude<Format, "text" | "csv">;

/** Every format the core writes; a `Record`, so that a new format cannot be left out. */
export const FORMATS: Record<ExportFormat, FormatInfo> = {
  jsonl: {
    title: "Parallax JSONL",
    description: "One document a line with its metadata, spans, relations and document labels; imports back.",
    extension: "jsonl",
    tag: null,
  },
  claims: {
    title: "Claims JSONL",
    description: "One CLAIM span a line with its context, linked source, figures, outlet, date and claim group.",
    extension: "jsonl",
    tag: "claims",
  },
  "claim-pairs": {
    title: "Claim pairs JSONL",
    description: "Claim-matching pairs: two members of one claim group (1) and sampled claims of two groups (0).",
    extension: "jsonl",
    tag: "claim-pairs",
  },
  spacy: {
    title: "spaCy / Prodigy JSONL",
    description: "Tokens, spans and relations, as Prodigy's spans.manual and rel.manual write them.",
    extension: "jsonl",
    tag: "spacy",
  },
  doccano: {
    title: "doccano JSONL (entities and relations)",
    description: "The relation-extraction form: entities and relations by character offsets.",
    extension: "jsonl",
    tag: "doccano",
  },
  "doccano-label": {
    title: "doccano JSONL (labels)",
    description: "The sequence-labelling form [start, end, label]; holds no relations.",
    extension: "jsonl",
    tag: "doccano-label",
  },
  "label-studio": {
    title: "Label Studio JSON",
    description: "Tasks with one annotation each, and a labelling config; offsets count UTF-16 code units.",
    extension: "json",
    tag: "label-studio",
  },
  brat: {
    title: "brat standoff",
    description: "Writes a folder: a .txt and an .ann file per document, and annotation.conf.",
    extension: null,
    tag: "brat",
  },
  conll: {
    title: "CoNLL BIO",
    description: "One token a line with its BIO tag; cannot hold overlapping spans or relations.",
    extension: "conll",
    tag: null,
  },
};

export const FORMAT_NAMES = Object.keys(FORMATS) as ExportFormat[];

export const STATUSES: readonly DocStatus[] = ["new", "in_progress", "done", "skipped"];

/** The dialog's fields, as typed: text stays text until `toExportOptions`. */
export interface ExportDraft {
  format: ExportFormat;
  /** Ticked statuses, outlets and span labels; none ticked means all. */
  statuses: DocStatus[];
  outlets: string[];
  labels: string[];
  /**
   * Layers: annotator names (or `gold`), comma-separated; `all` for every layer; empty means
   * gold when the workspace has it, else all.
   */
  annotators: string;
  /** `YYYY-MM-DD` or empty. */
  publishedFrom: string;
  publishedTo: string;
  /** Cut the text of BOILERPLATE spans out of the exported documents. */
  withoutBoilerplate: boolean;
  split: boolean;
  /** `80/10/10` (train/dev/test) or `90/10` (train/test). */
  ratios: string;
  seed: string;
  by: SplitBy;
}

export function newExportDraft(): ExportDraft {
  return {
    format: "jsonl",
    statuses: [],
    outlets: [],
    labels: [],
    annotators: "",
    publishedFrom: "",
    publishedTo: "",
    withoutBoilerplate: false,
    split: false,
    ratios: "80/10/10",
    seed: "0",
    // Claim groups together by default: the same claim in train and test inflates the scores.
    by: "group",
  };
}

/** What is wrong with a field, by field; empty when the draft can be exported. */
export type ExportProblems = Partial<Record<"ratios" | "seed" | "publishedFrom" | "publishedTo", string>>;

/** The core keeps ratios as u32. */
const MAX_RATIO = 4_294_967_295;

/** `80/10/10` → `[80, 10, 10]` (slashes or commas, as the core's CLI takes them), or what is wrong. */
export function parseRatios(text: string): number[] | string {
  const parts = text.split(/[/,]/).map((p) => p.trim());
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^\d+$/.test(p) || Number(p) > MAX_RATIO)) {
    return "Write 2 or 3 whole numbers: train/test (90/10) or train/dev/test (80/10/10).";
  }
  const ratios = parts.map(Number);
  const total = ratios.reduce((a, b) => a + b, 0);
  if (total !== 100) return `The parts add up to ${total}, not 100: they are percentages (80/10/10).`;
  return ratios;
}

/** True for a real calendar day written `YYYY-MM-DD`. */
export function isDay(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

export function exportProblems(d: ExportDraft): ExportProblems {
  const found: ExportProblems = {};
  if (d.split) {
    const ratios = parseRatios(d.ratios);
    if (typeof ratios === "string") found.ratios = ratios;
    const seed = d.seed.trim();
    if (!/^\d+$/.test(seed) || !Number.isSafeInteger(Number(seed))) found.seed = "The seed is a whole number, 0 or more.";
  }
  const from = d.publishedFrom.trim();
  const to = d.publishedTo.trim();
  if (from !== "" && !isDay(from)) found.publishedFrom = "Write the day as YYYY-MM-DD, or leave it empty.";
  if (to !== "" && !isDay(to)) found.publishedTo = "Write the day as YYYY-MM-DD, or leave it empty.";
  // Same-length ISO days compare as text.
  else if (to !== "" && isDay(from) && from > to) found.publishedTo = "This is before “published from”: no document would pass.";
  return found;
}

/** Annotator names from the comma-separated field, without blanks and repeats. */
export function annotatorList(text: string): string[] {
  return [...new Set(text.split(",").map((a) => a.trim()).filter((a) => a !== ""))];
}

/** The options a draft stands for; `null` while it has problems. */
export function toExportOptions(d: ExportDraft): ExportOptions | null {
  if (Object.keys(exportProblems(d)).length > 0) return null;
  const ratios = parseRatios(d.ratios);
  if (d.split && typeof ratios === "string") return null;
  return {
    format: d.format,
    filter: {
      statuses: [...d.statuses],
      outlets: [...d.outlets],
      published_from: d.publishedFrom.trim() || null,
      published_to: d.publishedTo.trim() || null,
      labels: [...d.labels],
      annotators: annotatorList(d.annotators).filter((n) => n !== "all"),
      all_layers: annotatorList(d.annotators).includes("all"),
      without_boilerplate: d.withoutBoilerplate,
    },
    split: d.split && typeof ratios !== "string" ? { ratios, seed: Number(d.seed.trim()), by: d.by } : null,
  };
}

/** True when the export writes a folder (brat, or any split) rather than one file. */
export function writesFolder(format: ExportFormat, split: boolean): boolean {
  return split || FORMATS[format].extension === null;
}

/**
 * The name to suggest in the save dialog: a file with the format's extension, or the name of
 * the folder the export creates (`demo-brat`, `demo-split`).
 */
export function suggestedName(workspace: string, format: ExportFormat, split: boolean): string {
  const info = FORMATS[format];
  const base = info.tag === null ? workspace : `${workspace}-${info.tag}`;
  if (split) return `${base}-split`;
  return info.extension === null ? base : `${base}.${info.extension}`;
}
