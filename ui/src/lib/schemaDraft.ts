/**
 * The schema editor's working copy: labels remember the name they had, so that a rename reaches
 * the core as a rename (the label keeps its spans) and follows into relation types and
 * attributes. `problems` lists what the core would refuse, for the editor to show at once.
 */
import type { AttrDef } from "$lib/bindings/AttrDef";
import type { LabelSchema } from "$lib/bindings/LabelSchema";
import type { RelationType } from "$lib/bindings/RelationType";

export interface LabelDraft {
  /** What relation types and attributes of the draft refer to the label by, whatever its name. */
  key: string;
  /** The name in the saved schema; `null` for a new label. */
  original: string | null;
  name: string;
  color: string;
  hotkey: string;
  description: string;
}

export interface AttrDraft {
  name: string;
  kind: AttrDef["kind"];
  /** Enum options, comma-separated. */
  options: string;
  /** Label keys. */
  labels: string[];
  description: string;
}

export interface SchemaDraft {
  version: number;
  labels: LabelDraft[];
  relationTypes: RelationType[];
  attributes: AttrDraft[];
  docLabels: LabelSchema["doc_labels"];
}

export function draftOf(schema: LabelSchema): SchemaDraft {
  return {
    version: schema.version,
    labels: schema.span_labels.map((l) => ({
      key: l.name,
      original: l.name,
      name: l.name,
      color: l.color,
      hotkey: l.hotkey ?? "",
      description: l.description,
    })),
    // Heads, children and attribute labels hold label keys (the saved names, at first).
    relationTypes: schema.relation_types.map((r) => ({ ...r, heads: [...r.heads], children: [...r.children] })),
    attributes: schema.attributes.map((a) => ({
      name: a.name,
      kind: a.kind,
      options: a.kind === "enum" ? a.options.join(", ") : "",
      labels: [...a.labels],
      description: a.description,
    })),
    docLabels: schema.doc_labels.map((d) => ({ ...d })),
  };
}

/** The current name of each label key. */
function currentNames(draft: SchemaDraft): Map<string, string> {
  return new Map(draft.labels.map((l) => [l.key, l.name.trim()]));
}

let newKeys = 0;

/** A key for a label added in the editor. */
export function newLabelKey(): string {
  return `\u0001new-${++newKeys}`;
}

/** What the core would refuse, in words; empty when the draft can be saved. */
export function problems(draft: SchemaDraft): string[] {
  const out: string[] = [];
  const names = new Set<string>();
  const keys = new Map<string, string>();
  for (const l of draft.labels) {
    const name = l.name.trim();
    if (!name) out.push("a label has no name");
    else if (names.has(name)) out.push(`two labels are called ${name}`);
    names.add(name);
    if (!/^#[0-9a-fA-F]{6}$/.test(l.color)) out.push(`${name || "a label"}: the colour must be #rrggbb`);
    const key = l.hotkey.trim();
    if ([...key].length > 1) out.push(`${name}: a hotkey is a single key`);
    else if (key) {
      const other = keys.get(key.toLowerCase());
      if (other !== undefined) out.push(`hotkey ${key} is used by ${other} and ${name}`);
      keys.set(key.toLowerCase(), name);
    }
  }
  const relNames = new Set<string>();
  for (const r of draft.relationTypes) {
    if (!r.name.trim()) out.push("a relation type has no name");
    else if (relNames.has(r.name.trim())) out.push(`two relation types are called ${r.name.trim()}`);
    relNames.add(r.name.trim());
  }
  const docNames = new Set<string>();
  for (const d of draft.docLabels) {
    const name = d.name.trim();
    if (!name) out.push("a document label has no name");
    else if (docNames.has(name)) out.push(`two document labels are called ${name}`);
    docNames.add(name);
  }
  const attrNames = new Set<string>();
  for (const a of draft.attributes) {
    if (!a.name.trim()) out.push("an attribute has no name");
    else if (attrNames.has(a.name.trim())) out.push(`two attributes are called ${a.name.trim()}`);
    attrNames.add(a.name.trim());
    if (a.kind === "enum" && splitOptions(a.options).length === 0) out.push(`${a.name}: a choice needs options`);
  }
  return out;
}

function splitOptions(text: string): string[] {
  return text
    .split(",")
    .map((o) => o.trim())
    .filter((o) => o !== "");
}

/**
 * The schema to save and the label renames, [old, new]. References to renamed labels follow the
 * rename; references to removed labels are dropped.
 */
export function toSchema(draft: SchemaDraft): { schema: LabelSchema; renames: [string, string][] } {
  const names = currentNames(draft);
  // References are label keys: they follow renames, and vanish with removed labels.
  const follow = (keys: string[]) =>
    keys
      .map((k) => names.get(k))
      .filter((n, i, all): n is string => n !== undefined && all.indexOf(n) === i);
  const schema: LabelSchema = {
    version: draft.version,
    span_labels: draft.labels.map((l) => ({
      name: l.name.trim(),
      color: l.color.toLowerCase(),
      hotkey: l.hotkey.trim() || null,
      description: l.description.trim(),
    })),
    relation_types: draft.relationTypes.map((r) => ({
      ...r,
      name: r.name.trim(),
      heads: follow(r.heads),
      children: follow(r.children),
    })),
    attributes: draft.attributes.map((a) => {
      const base = { name: a.name.trim(), labels: follow(a.labels), description: a.description.trim() };
      return a.kind === "enum"
        ? { ...base, kind: "enum" as const, options: splitOptions(a.options) }
        : ({ ...base, kind: a.kind } as AttrDef);
    }),
    doc_labels: draft.docLabels.map((d) => ({ name: d.name.trim(), description: d.description.trim() })),
  };
  const renames: [string, string][] = draft.labels
    .filter((l) => l.original !== null && l.original !== l.name.trim())
    .map((l) => [l.original!, l.name.trim()]);
  return { schema, renames };
}
