/**
 * The mock core's curation: each fixture document's layers and gold, and the core's rules for
 * merging, accepting and rejecting versions (`crates/core/src/store/curation.rs`), so that the UI
 * tests see what the core would answer. The state is plain data, so that the mock's undo can copy it.
 */
import type { Candidate } from "$lib/bindings/Candidate";
import type { Curation } from "$lib/bindings/Curation";
import type { Merged } from "$lib/bindings/Merged";
import type { MergeRule } from "$lib/bindings/MergeRule";
import type { TeamSettings } from "$lib/bindings/TeamSettings";
import { seesAll } from "./teamFixture";

/** The curated layer's name. */
export const GOLD = "gold";

/** A span of one layer (gold's included), `[start, end)` in code points. */
export interface LayerSpan {
  id: string;
  annotator: string;
  start: number;
  end: number;
  label: string;
  text: string;
}

/** One document's layers and what its curator decided. */
export interface CuratedDocument {
  /** Annotators taking part (assigned), whether or not they marked anything. */
  assigned: string[];
  spans: LayerSpan[];
  /** The versions turned down, by `versionKey`. */
  rejected: string[];
  curated: boolean;
}

export interface CurationData {
  docs: Record<string, CuratedDocument>;
  /** Numbers the gold copies. */
  next: number;
}

type Version = Pick<LayerSpan, "start" | "end" | "label">;

/** A version is its extent and label. */
function versionKey(v: Version): string {
  return `${v.start}:${v.end}:${v.label}`;
}

/** As the core: two versions cannot both be gold when they overlap with one label, or share an extent with two. */
function conflict(a: Version, b: Version): boolean {
  const overlap = a.start < b.end && b.start < a.end;
  const sameExtent = a.start === b.start && a.end === b.end;
  return (overlap && a.label === b.label) || (sameExtent && a.label !== b.label);
}

/** The core's order of versions: by start, end, then label. */
function versionOrder(a: Version, b: Version): number {
  return a.start - b.start || a.end - b.end || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
}

/** `id`'s span of `annotator` over the first `needle` of `text`, in code points. */
function layerSpan(text: string, annotator: string, id: string, label: string, needle: string): LayerSpan {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`${needle} not in text`);
  const start = Array.from(text.slice(0, at)).length;
  return { id, annotator, start, end: start + Array.from(needle).length, label, text: needle };
}

/**
 * Two documents: `d1` (its text starts with an emoji, so code points and UTF-16 differ) that ana
 * and ben annotated, agreeing on the source and not on the claim or the quantity; `d2`, where two
 * of three annotators (ana, ben, cleo) have the same claim: a majority, not unanimity.
 */
export function initialCuration(texts: { d1: string; d2: string }): CurationData {
  const { d1, d2 } = texts;
  return {
    next: 1,
    docs: {
      d1: {
        assigned: ["ana", "ben"],
        rejected: [],
        curated: false,
        spans: [
          layerSpan(d1, "ana", "ana-src", "SOURCE", "The ministry"),
          layerSpan(d1, "ana", "ana-claim", "CLAIM", "over 100,000 troops were returning"),
          layerSpan(d1, "ana", "ana-qty", "QUANTITY", "100,000 troops"),
          layerSpan(d1, "ben", "ben-src", "SOURCE", "The ministry"),
          layerSpan(d1, "ben", "ben-claim", "CLAIM", "said over 100,000 troops were returning"),
          layerSpan(d1, "ben", "ben-qty", "QUANTITY", "100,000"),
          layerSpan(d1, "ben", "ben-line", "CLAIM", "Second line"),
        ],
      },
      d2: {
        assigned: ["ana", "ben", "cleo"],
        rejected: [],
        curated: false,
        spans: [
          layerSpan(d2, "ana", "d2-ana-claim", "CLAIM", '<script>alert("x")</script>'),
          layerSpan(d2, "ben", "d2-ben-claim", "CLAIM", '<script>alert("x")</script>'),
          layerSpan(d2, "cleo", "d2-cleo-claim", "CLAIM", "<b>bold</b>"),
        ],
      },
    },
  };
}

/** A document's entry; one the model has no layers of gets an empty one. */
function documentOf(data: CurationData, docId: string): CuratedDocument {
  data.docs[docId] ??= { assigned: [], spans: [], rejected: [], curated: false };
  return data.docs[docId];
}

/** The annotators (not gold) with a span in the document or assigned it, by name. */
function layersOf(doc: CuratedDocument): string[] {
  const names = new Set([...doc.assigned, ...doc.spans.map((s) => s.annotator)]);
  names.delete(GOLD);
  return [...names].sort();
}

/** The span with `spanId` and its document's id, or the core's error. */
function findSpan(data: CurationData, spanId: string): { docId: string; doc: CuratedDocument; span: LayerSpan } {
  for (const [docId, doc] of Object.entries(data.docs)) {
    const span = doc.spans.find((s) => s.id === spanId);
    if (span) return { docId, doc, span };
  }
  throw { kind: "span_not_found", message: `no span with id ${spanId}` };
}

/** The document a span is in (for the mock's history), or the core's error. */
export function documentOfSpan(data: CurationData, spanId: string): string {
  return findSpan(data, spanId).docId;
}

function copyToGold(data: CurationData, doc: CuratedDocument, span: LayerSpan): LayerSpan {
  const copy = { ...span, id: `gold-${data.next++}`, annotator: GOLD };
  doc.spans.push(copy);
  return copy;
}

/** Each version of each span of the document, as `curation` answers. */
export function curationOf(data: CurationData, docId: string): Curation {
  const doc = documentOf(data, docId);
  const annotators = layersOf(doc);
  const byVersion = new Map<string, Candidate>();
  for (const s of [...doc.spans].sort((a, b) => versionOrder(a, b) || (a.annotator < b.annotator ? -1 : 1))) {
    const key = versionKey(s);
    let c = byVersion.get(key);
    if (c === undefined) {
      c = { start: s.start, end: s.end, label: s.label, text: s.text, layers: {}, gold: null, rejected: doc.rejected.includes(key), superseded: false, unanimous: false };
      byVersion.set(key, c);
    }
    if (s.annotator === GOLD) c.gold = s.id;
    else c.layers[s.annotator] = s.id;
  }
  const candidates = [...byVersion.values()].sort(versionOrder);
  const gold = candidates.filter((c) => c.gold !== null);
  for (const c of candidates) {
    c.unanimous = annotators.length > 0 && Object.keys(c.layers).length === annotators.length;
    c.superseded = c.gold === null && gold.some((g) => conflict(g, c));
  }
  return { doc_id: docId, annotators, candidates, curated: doc.curated };
}

/** Puts into gold what every layer (or more than half of them) has, but not what was rejected or conflicts with gold. */
export function mergeAgreed(data: CurationData, docId: string, rule: MergeRule): Merged {
  const doc = documentOf(data, docId);
  const layers = layersOf(doc);
  const merged: Merged = { spans: 0, relations: 0 };
  if (layers.length < 2) return merged;
  const needed = rule === "unanimous" ? layers.length : Math.floor(layers.length / 2) + 1;
  const gold = doc.spans.filter((s) => s.annotator === GOLD);
  const versions = new Map<string, { who: Set<string>; span: LayerSpan }>();
  for (const s of [...doc.spans].sort(versionOrder)) {
    if (s.annotator === GOLD) continue;
    const key = versionKey(s);
    const v = versions.get(key) ?? { who: new Set<string>(), span: s };
    v.who.add(s.annotator);
    versions.set(key, v);
  }
  for (const [key, { who, span }] of versions) {
    if (who.size < needed || doc.rejected.includes(key) || gold.some((g) => versionKey(g) === key || conflict(g, span))) continue;
    gold.push(copyToGold(data, doc, span));
    merged.spans++;
  }
  return merged;
}

/** Puts a layer's version into gold in place of the gold versions it conflicts with; no longer rejected. */
export function acceptVersion(data: CurationData, spanId: string): Merged {
  const { doc, span } = findSpan(data, spanId);
  const key = versionKey(span);
  doc.rejected = doc.rejected.filter((k) => k !== key);
  doc.spans = doc.spans.filter((g) => !(g.annotator === GOLD && versionKey(g) !== key && conflict(g, span)));
  if (doc.spans.some((g) => g.annotator === GOLD && versionKey(g) === key)) return { spans: 0, relations: 0 };
  copyToGold(data, doc, span);
  return { spans: 1, relations: 0 };
}

/** Turns a version down: out of gold, and out of later merges. */
export function rejectVersion(data: CurationData, spanId: string): null {
  const { doc, span } = findSpan(data, spanId);
  const key = versionKey(span);
  doc.spans = doc.spans.filter((g) => !(g.annotator === GOLD && versionKey(g) === key));
  if (!doc.rejected.includes(key)) doc.rejected.push(key);
  return null;
}

export function finishCuration(data: CurationData, docId: string, finished: boolean): null {
  documentOf(data, docId).curated = finished;
  return null;
}

/** The commands this model answers; each but `curation` is one undoable change. */
export const CURATION_COMMANDS: ReadonlySet<string> = new Set([
  "curation",
  "merge_agreed",
  "accept_version",
  "reject_version",
  "finish_curation",
]);

/**
 * Answers one of `CURATION_COMMANDS` as `viewer`, changing `data` as the core would; refused, as
 * in the core, while annotation is blind and the viewer does not curate.
 */
export function answerCuration(
  data: CurationData,
  cmd: string,
  args: Record<string, unknown>,
  settings: TeamSettings,
  viewer: string,
): unknown {
  if (!seesAll(settings, viewer)) {
    throw {
      kind: "blind_annotation",
      message: `annotation in this workspace is blind: ${viewer} sees only their own layer, and only its curators (${settings.curators.join(", ")}) see the others and curate; ask one of them, or have them turn blind annotation off`,
    };
  }
  switch (cmd) {
    case "curation":
      return curationOf(data, args.id as string);
    case "merge_agreed":
      return mergeAgreed(data, args.id as string, args.rule as MergeRule);
    case "accept_version":
      return acceptVersion(data, args.spanId as string);
    case "reject_version":
      return rejectVersion(data, args.spanId as string);
    case "finish_curation":
      return finishCuration(data, args.id as string, args.finished as boolean);
    default:
      throw { kind: "unknown_command", message: `no command ${cmd}` };
  }
}
