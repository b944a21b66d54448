/** Which relation types can link two spans, given the schema. */
import type { LabelSchema } from "$lib/bindings/LabelSchema";
import type { RelationType } from "$lib/bindings/RelationType";

export interface RelationChoice {
  type: RelationType;
  /** Span ids in the order the relation type wants them. */
  head: string;
  child: string;
}

interface Linkable {
  id: string;
  label: string;
}

function allows(labels: readonly string[], label: string): boolean {
  return labels.length === 0 || labels.includes(label);
}

/**
 * The relations that may link `from` (where the user started) and `to` (what they picked): a
 * type fits as `from → to`, or, for a directed type, as `to → from` (starting a link from a
 * SOURCE and picking its CLAIM still makes `CLAIM attributed_to SOURCE`). Types that fit as
 * given come first.
 */
export function relationChoices(
  schema: LabelSchema | null,
  from: Linkable,
  to: Linkable,
): RelationChoice[] {
  if (schema === null || from.id === to.id) return [];
  const forward: RelationChoice[] = [];
  const backward: RelationChoice[] = [];
  for (const type of schema.relation_types) {
    if (allows(type.heads, from.label) && allows(type.children, to.label)) {
      forward.push({ type, head: from.id, child: to.id });
    } else if (allows(type.heads, to.label) && allows(type.children, from.label)) {
      backward.push({ type, head: to.id, child: from.id });
    }
  }
  return [...forward, ...backward];
}

/** True when `spanId` has no relation of `type` as its head (either end, for an undirected type). */
export function lacks(
  type: RelationType,
  spanId: string,
  relations: readonly { head: string; child: string; label: string }[],
): boolean {
  return !relations.some((r) => r.label === type.name && (r.head === spanId || (!type.directed && r.child === spanId)));
}

/** The required relation types a span of `label` is a head of. */
export function requiredOf(schema: LabelSchema | null, label: string): RelationType[] {
  return schema?.relation_types.filter((t) => t.required && allows(t.heads, label)) ?? [];
}

/** What `proposedPartner` needs of a span: where it is, in code points. */
interface Placed extends Linkable {
  start: number;
  end: number;
}

/**
 * For a span missing a relation its schema requires (a CLAIM with no source, a figure with no
 * claim), the partner an analyst would most likely pick: a span of a fitting label that contains
 * it, else the nearest one in the same paragraph (`paragraph`, `[start, end)` in code points).
 * `null` when nothing is missing or nothing fits.
 */
export function proposedPartner(
  schema: LabelSchema | null,
  span: Placed,
  spans: readonly Placed[],
  relations: readonly { head: string; child: string; label: string }[],
  paragraph: readonly [number, number],
): RelationChoice | null {
  for (const type of requiredOf(schema, span.label)) {
    if (!lacks(type, span.id, relations)) continue;
    let best: Placed | null = null;
    let bestScore = Infinity;
    for (const other of spans) {
      if (other.id === span.id || !allows(type.children, other.label)) continue;
      const contains = other.start <= span.start && span.end <= other.end;
      const inParagraph = other.start >= paragraph[0] && other.end <= paragraph[1];
      if (!contains && !inParagraph) continue;
      // Containing spans first (the shortest), then by the characters between the two.
      const gap = contains ? -1 / (other.end - other.start) : Math.max(other.start - span.end, span.start - other.end, 0);
      if (gap < bestScore) {
        bestScore = gap;
        best = other;
      }
    }
    if (best !== null) return { type, head: span.id, child: best.id };
  }
  return null;
}
