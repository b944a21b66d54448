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
