/** A small mocked workspace for the tests, typed by the generated bindings. */
import type { AgreementOptions } from "$lib/bindings/AgreementOptions";
import type { AgreementReport } from "$lib/bindings/AgreementReport";
import type { ClaimGroup } from "$lib/bindings/ClaimGroup";
import type { ClaimMember } from "$lib/bindings/ClaimMember";
import type { ClaimSuggestion } from "$lib/bindings/ClaimSuggestion";
import type { CompareFilter } from "$lib/bindings/CompareFilter";
import type { CompareOpening } from "$lib/bindings/CompareOpening";
import type { CompareRows } from "$lib/bindings/CompareRows";
import type { CompareTable } from "$lib/bindings/CompareTable";
import type { DocumentColumn } from "$lib/bindings/DocumentColumn";
import type { DocMeta } from "$lib/bindings/DocMeta";
import type { DocStatus } from "$lib/bindings/DocStatus";
import type { DocumentSummary } from "$lib/bindings/DocumentSummary";
import type { DocumentView } from "$lib/bindings/DocumentView";
import type { EntitySuggestion } from "$lib/bindings/EntitySuggestion";
import type { Figure } from "$lib/bindings/Figure";
import type { GroupEdit } from "$lib/bindings/GroupEdit";
import type { GroupOverview } from "$lib/bindings/GroupOverview";
import type { HistoryEntry } from "$lib/bindings/HistoryEntry";
import type { ImportReport } from "$lib/bindings/ImportReport";
import type { LabelSchema } from "$lib/bindings/LabelSchema";
import type { MentionSuggestion } from "$lib/bindings/MentionSuggestion";
import type { SourceEntity } from "$lib/bindings/SourceEntity";
import type { SourceKind } from "$lib/bindings/SourceKind";
import type { SourceOverview } from "$lib/bindings/SourceOverview";
import type { TeamSettings } from "$lib/bindings/TeamSettings";
import type { Span } from "$lib/bindings/Span";
import type { WorkspaceInfo } from "$lib/bindings/WorkspaceInfo";
import type { SyncConflict } from "$lib/bindings/SyncConflict";
import type { SyncStatus } from "$lib/bindings/SyncStatus";
import { TeamMock, layersOf, teamProgressOf, viewAs } from "./teamFixture";
import { answerCuration, documentOfSpan, initialCuration, type CurationData } from "./curationFixture";
import { answerSuggestions, type SuggestionData } from "./suggestionFixture";

/** `[start, end)` of the first `needle` in `text`, in code points (as the core counts). */
export function cpRange(text: string, needle: string, from = 0): [number, number] {
  const at = text.indexOf(needle, from);
  if (at < 0) throw new Error(`${needle} not in text`);
  const start = Array.from(text.slice(0, at)).length;
  return [start, start + Array.from(needle).length];
}

/** A span as the core returns it; `extra` overrides any field. */
function spanRecord(docId: string, id: string, label: string, start: number, end: number, text: string, extra: Partial<Span> = {}): Span {
  return {
    id,
    doc_id: docId,
    start,
    end,
    label,
    text,
    prefix: "",
    suffix: "",
    attrs: {},
    note: null,
    annotator: "tester",
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    source_entity: null,
    claim_group: null,
    ...extra,
  };
}

function makeSpan(docId: string, text: string, id: string, label: string, needle: string, extra: Partial<Span> = {}): Span {
  const [start, end] = cpRange(text, needle);
  return spanRecord(docId, id, label, start, end, needle, extra);
}

export const schema: LabelSchema = {
  version: 1,
  span_labels: [
    { name: "CLAIM", color: "#1f77b4", hotkey: "c", description: "A checkable statement" },
    { name: "SOURCE", color: "#d62728", hotkey: "s", description: "Who the claim is attributed to" },
    { name: "QUANTITY", color: "#2ca02c", hotkey: "q", description: "A number with its unit" },
  ],
  relation_types: [
    { name: "attributed_to", heads: ["CLAIM"], children: ["SOURCE"], directed: true, description: "", required: true },
  ],
  attributes: [
    {
      name: "type",
      labels: ["CLAIM"],
      kind: "enum",
      options: ["factual", "numerical", "quote"],
      description: "What kind of claim this is.",
    },
    { name: "check_worthy", labels: ["CLAIM"], kind: "bool", description: "" },
  ],
  doc_labels: [{ name: "RELEVANT", description: "About the event" }],
};

export const workspace: WorkspaceInfo = { name: "demo", path: "/tmp/demo", document_count: 3, read_only: false };

function summary(id: string, extra: Partial<DocumentSummary>): DocumentSummary {
  return {
    id,
    title: null,
    outlet: null,
    author: null,
    published: null,
    url: null,
    language: null,
    source_file: null,
    sha256: "0".repeat(64),
    status: "new",
    char_len: 0,
    span_count: 0,
    imported_at: "2026-01-01T00:00:00Z",
    derived_title: null,
    ...extra,
  };
}

/** An import's report with `extra` in it and nothing else. */
export function importReportWith(extra: Partial<ImportReport> = {}): ImportReport {
  return {
    imported: [],
    layers: [],
    duplicates: [],
    failed: [],
    warnings: [],
    skipped: [],
    schema_added: [],
    spans: 0,
    relations: 0,
    cancelled: false,
    ...extra,
  };
}

export const text1 = "😀 The ministry said over 100,000 troops were returning.\nSecond line, “quoted”.";
export const text2 = 'Markup stays text: <script>alert("x")</script> and <b>bold</b>.';
export const longFile = "reports/2022-02-15 units returning to their bases after the drills end.txt";

export const docs: DocumentSummary[] = [
  summary("d1", {
    title: "Troops return to bases",
    outlet: "Example Wire",
    published: "2022-02-15",
    status: "in_progress",
    char_len: Array.from(text1).length,
    span_count: 3,
  }),
  summary("d2", { source_file: longFile, status: "done", char_len: Array.from(text2).length, span_count: 1 }),
  summary("d3", { title: "Missing", outlet: "Nowhere", status: "skipped" }),
];

/** Who each document is assigned to (its annotators' queues); d2 is in no one's. */
export const assignments: Record<string, string[]> = {
  d1: ["tester", "ana"],
  d3: ["tester"],
};

/** The list filter as the core reads it: `assigned_to` missing or null lists anyone's. */
interface ListFilter {
  status: string | null;
  outlet: string | null;
  assigned_to?: string | null;
}

/** The fixture documents that pass `filter`, in list order. */
function passing(filter: ListFilter, assigned: Record<string, string[]>): DocumentSummary[] {
  const to = filter.assigned_to ?? null;
  return docs.filter(
    (d) =>
      (filter.status === null || d.status === filter.status) &&
      (filter.outlet === null || d.outlet === filter.outlet) &&
      (to === null || (assigned[d.id] ?? []).includes(to)),
  );
}

export const views: Record<string, DocumentView> = {
  d1: {
    document: { ...docs[0]!, text: text1 },
    spans: [
      makeSpan("d1", text1, "s-claim", "CLAIM", "over 100,000 troops were returning", {
        attrs: { type: "numerical", check_worthy: true },
        note: "Compare with other outlets",
        claim_group: "g-100k",
      }),
      makeSpan("d1", text1, "s-qty", "QUANTITY", "100,000 troops", { attrs: { unit: "troops" } }),
      makeSpan("d1", text1, "s-src", "SOURCE", "The ministry"),
    ],
    relations: [],
    doc_labels: [],
  },
  d2: {
    document: { ...docs[1]!, text: text2 },
    spans: [makeSpan("d2", text2, "s-markup", "CLAIM", '<script>alert("x")</script>')],
    relations: [],
    doc_labels: [],
  },
};


// Across documents: source entities, claim groups, suggestions and the compare table.
// Documents d4 to d9 are other outlets' reports that the tests never open.

const CREATED = "2026-01-02T00:00:00Z";

export const entities: SourceEntity[] = [
  { id: "e-mod", name: "Ministry of Defence", kind: "organisation", aliases: ["the defence ministry", "MoD"], created_at: CREATED },
  { id: "e-peskov", name: "Dmitry Peskov", kind: "person", aliases: ["Peskov", "Kremlin spokesman"], created_at: CREATED },
  { id: "e-ledger", name: "Daily Ledger", kind: "media_outlet", aliases: [], created_at: CREATED },
];

/** A source entity's overview; counts as the core would give them. */
export function sourceOverview(entity: SourceEntity, extra: Partial<SourceOverview> = {}): SourceOverview {
  return { entity, mentions: 0, documents: 0, outlets: [], claims: 0, ...extra };
}

export const entityOverviews: SourceOverview[] = [
  sourceOverview(entities[0]!, { mentions: 14, documents: 9, outlets: ["Daily Ledger", "Example Wire"], claims: 11 }),
  sourceOverview(entities[1]!, { mentions: 5, documents: 4, outlets: ["Example Wire"], claims: 3 }),
  sourceOverview(entities[2]!, { mentions: 1, documents: 1, outlets: ["Daily Ledger"], claims: 0 }),
];

/** Entities the SOURCE span "The ministry" (s-src) may name, best first. */
export const entitySuggestionsFor: Record<string, EntitySuggestion[]> = {
  "s-src": [
    { entity: entities[0]!, score: 0.82, matched: "the defence ministry" },
    { entity: entities[2]!, score: 0.61, matched: "Daily Ledger" },
  ],
};

/** Unlinked SOURCE spans of other documents naming an entity. */
export const mentionsFor: Record<string, MentionSuggestion[]> = {
  "e-mod": [
    { span_id: "s-d4-src", doc_id: "d4", text: "the Defence Ministry", outlet: "Daily Ledger", title: "Units head home", score: 0.94 },
    { span_id: "s-d5-src", doc_id: "d5", text: "Russia's defence ministry", outlet: "North Post", title: "Drills end", score: 0.71 },
  ],
};

export const claimGroups: ClaimGroup[] = [
  {
    id: "g-100k",
    canonical: "Over 100,000 troops are returning to their bases",
    status: "disputed",
    evidence: ["https://example.org/fact-check/troops"],
    rationale: "Satellite images show units still in the field.",
    created_at: CREATED,
  },
  {
    id: "g-drills",
    canonical: "The drills in Belarus ended on schedule",
    status: "supported",
    evidence: [],
    rationale: "",
    created_at: "2026-01-03T00:00:00Z",
  },
];

/** A similar passage of another document, as `claim_suggestions` answers it. */
export function claimSuggestion(
  docId: string,
  text: string,
  extra: {
    start?: number;
    score?: number;
    outlet?: string | null;
    title?: string | null;
    spanId?: string | null;
    group?: string | null;
    /** The claim in the passage, code points into `text` (the whole passage unless given). */
    claim?: [number, number];
    /** The paragraph's text before and after the passage. */
    before?: string;
    after?: string;
  } = {},
): ClaimSuggestion {
  const start = extra.start ?? 0;
  const length = Array.from(text).length;
  const [a, b] = extra.claim ?? [0, length];
  const before = extra.before ?? "";
  return {
    claim_start: start + a,
    claim_end: start + b,
    context_start: start - Array.from(before).length,
    context: before + text + (extra.after ?? ""),
    passage: {
      doc_id: docId,
      start,
      end: start + Array.from(text).length,
      text,
      score: extra.score ?? 0.5,
      outlet: extra.outlet ?? null,
      title: extra.title ?? null,
    },
    span_id: extra.spanId ?? null,
    group: extra.group ?? null,
  };
}

/** Passages like the claim "over 100,000 troops were returning" (s-claim), best first. */
export const claimSuggestionsFor: Record<string, ClaimSuggestion[]> = {
  "s-claim": [
    claimSuggestion("d4", "Some 130,000 troops were returning to their bases, officials said.", {
      start: 212,
      claim: [0, 49],
      before: "Officials spoke on Monday. ",
      after: " More units left.",
      score: 0.74,
      outlet: "Daily Ledger",
      title: "Units head home",
    }),
    claimSuggestion("d5", "Moscow said 100,000 soldiers would go back to barracks after the drills.", {
      start: 48,
      score: 0.58,
      outlet: "North Post",
      title: "Drills end",
      spanId: "s-d5-claim",
      group: "g-drills",
    }),
    claimSuggestion("d6", "Over 100,000 troops were reported to be returning.", {
      start: 0,
      score: 0.55,
      outlet: "Example Wire",
      title: "Morning briefing",
      spanId: "s-d6-claim",
    }),
  ],
};

export function figure(value: number, unit: string | null, qualifier: string | null = null, upper: number | null = null): Figure {
  return { value, upper, unit, qualifier };
}

/**
 * A CLAIM span as a cell of the compare view; `extra` overrides any field. Its column is its
 * outlet, else its document's title (as the core names it), unless given.
 */
export function claimMember(spanId: string, docId: string, text: string, extra: Partial<ClaimMember> = {}): ClaimMember {
  const outlet = extra.outlet ?? null;
  const title = extra.title ?? null;
  return {
    span_id: spanId,
    doc_id: docId,
    start: 0,
    end: Array.from(text).length,
    text,
    outlet,
    title,
    published: null,
    document: title ?? `document ${docId.slice(0, 8)}`,
    column: outlet ?? title ?? `document ${docId.slice(0, 8)}`,
    sources: [],
    figures: [],
    first: false,
    conflicting: false,
    ...extra,
  };
}

/** A group with its members (oldest first, as the core sorts them) and the outlets they span. */
export function groupOverview(group: ClaimGroup, members: ClaimMember[], conflict = false): GroupOverview {
  const outlets: (string | null)[] = [];
  for (const m of members) if (!outlets.includes(m.outlet)) outlets.push(m.outlet);
  return { group, members, outlets, conflict };
}

/**
 * A compare table of `groups`: columns as the core orders them (most groups first), those of
 * members outside `outlets` (when given) left out.
 */
export function compareTableOf(groups: GroupOverview[], ungrouped: ClaimMember[] = [], outlets: string[] = []): CompareTable {
  const counts = new Map<string, number>();
  for (const g of groups) {
    const seen = new Set<string>();
    for (const m of g.members) {
      const keep = outlets.length === 0 || (m.outlet !== null && outlets.includes(m.outlet));
      if (keep && !seen.has(m.column)) {
        seen.add(m.column);
        counts.set(m.column, (counts.get(m.column) ?? 0) + 1);
      }
    }
  }
  const columns = [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || a.localeCompare(b));
  return { columns, groups, ungrouped, ungrouped_total: ungrouped.length };
}

/** The rows `first..first + count` of `table`, as the core answers them. */
export function compareRowsOf(table: CompareTable, generation: number, first: number, count: number): CompareRows {
  const from = Math.min(first, table.groups.length);
  return { generation, first: from, members: table.groups.slice(from, from + count).map((g) => g.members) };
}

/** The compare view's opening of `table`, as the core works it out (`compare_pages.rs`). */
export function compareOpeningOf(table: CompareTable, generation: number, first: number, count: number): CompareOpening {
  const members = table.groups.flatMap((g) => g.members);
  const shown = new Set(table.columns);
  const documents = new Map<string, DocumentColumn>();
  for (const m of members) {
    if (shown.has(m.column) && !documents.has(m.doc_id)) {
      documents.set(m.doc_id, { doc_id: m.doc_id, name: m.document, outlet: m.outlet, published: m.published });
    }
  }
  const counts = new Map<string, number>();
  for (const g of table.groups) for (const o of g.outlets) if (o !== null) counts.set(o, (counts.get(o) ?? 0) + 1);
  const cmp = (a: string | null, b: string | null) => (a ?? "").localeCompare(b ?? "");
  return {
    generation,
    rows: table.groups.map((g) => ({
      group: g.group,
      claims: g.members.length,
      spread: new Set(g.members.map((m) => m.column)).size,
      conflict: g.conflict,
    })),
    columns: table.columns,
    no_outlet: [...new Set(members.filter((m) => m.outlet === null).map((m) => m.column))].sort(),
    documents: [...documents.values()].sort(
      (a, b) =>
        Number(a.published === null) - Number(b.published === null) ||
        cmp(a.published, b.published) ||
        cmp(a.outlet, b.outlet) ||
        a.name.localeCompare(b.name) ||
        a.doc_id.localeCompare(b.doc_id),
    ),
    outlets: [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || a.localeCompare(b)),
    ungrouped: table.ungrouped,
    ungrouped_total: table.ungrouped_total,
    window: compareRowsOf(table, generation, first, count),
  };
}

const [claimStart, claimEnd] = cpRange(text1, "over 100,000 troops were returning");
const ministry = { span_id: "s-src", text: "The ministry", entity_id: "e-mod", entity: "Ministry of Defence" };

/** Two groups across three outlets and a document without one, and three claims to group. */
export const compareFixture: CompareTable = compareTableOf(
  [
    groupOverview(
      claimGroups[0]!,
      [
        claimMember("s-claim", "d1", "over 100,000 troops were returning", {
          start: claimStart,
          end: claimEnd,
          outlet: "Example Wire",
          title: "Troops return to bases",
          published: "2022-02-15",
          sources: [ministry],
          figures: [figure(100000, "troops", "over")],
          first: true,
          conflicting: true,
        }),
        claimMember("s-d4-claim", "d4", "Some 130,000 troops were returning to their bases", {
          outlet: "Daily Ledger",
          title: "Units head home",
          published: "2022-02-16",
          sources: [{ span_id: "s-d4-src", text: "the Defence Ministry", entity_id: null, entity: null }],
          figures: [figure(130000, "troops", "some")],
          conflicting: true,
        }),
        claimMember("s-d7-claim", "d7", "Troops are heading back to their bases", { published: "2022-02-17", title: "Wire copy" }),
      ],
      true,
    ),
    groupOverview(claimGroups[1]!, [
      claimMember("s-d5-claim", "d5", "Moscow said the drills ended as planned", {
        outlet: "North Post",
        title: "Drills end",
        published: "2022-02-20",
        first: true,
      }),
      claimMember("s-d8-claim", "d8", "The exercises finished on schedule, the ministry said", {
        outlet: "Example Wire",
        title: "Exercises over",
        published: "2022-02-21",
        sources: [ministry],
      }),
    ]),
  ],
  [
    claimMember("s-u1", "d9", "Satellite images show new field hospitals near the border", {
      outlet: "Daily Ledger",
      title: "Images from the border",
      published: "2022-02-18",
    }),
    claimMember("s-u2", "d4", "A pontoon bridge was built across the river", {
      outlet: "Daily Ledger",
      title: "Units head home",
      published: "2022-02-16",
    }),
    claimMember("s-u3", "d7", "Some units were still moving west on Wednesday", { title: "Wire copy", published: "2022-02-17" }),
  ],
);

/** A large compare table: `groups` groups over `outlets` outlets, each group in three of them. */
export function largeCompareTable(groups: number, outlets: number): CompareTable {
  const names = Array.from({ length: outlets }, (_, i) => `Outlet ${String(i + 1).padStart(2, "0")}`);
  const overviews = Array.from({ length: groups }, (_, g) => {
    const group: ClaimGroup = {
      id: `g-${g}`,
      canonical: `Claim number ${g} about the troop movements`,
      status: (["unverified", "supported", "disputed", "refuted"] as const)[g % 4]!,
      evidence: [],
      rationale: "",
      created_at: CREATED,
    };
    const members = [0, 1, 2].map((k) =>
      claimMember(`s-${g}-${k}`, `doc-${g}-${k}`, `Outlet ${k} reports claim ${g}: ${10_000 + k} troops moved`, {
        outlet: names[(g + k * 7) % outlets]!,
        title: `Report ${g}.${k}`,
        published: `2022-02-${String(10 + k).padStart(2, "0")}`,
        figures: [figure(10_000 + k, "troops")],
        first: k === 0,
        conflicting: k > 0,
      }),
    );
    return groupOverview(group, members, true);
  });
  return compareTableOf(overviews);
}

/** The table the core would give for `filter` (statuses and disagreeing figures only). */
export function filterTable(table: CompareTable, filter: CompareFilter): CompareTable {
  // As the core filters: by a source entity, a claim that one of its sources is linked to.
  const byEntity = (m: ClaimMember) => filter.entity === undefined || m.sources.some((s) => s.entity_id === filter.entity);
  const groups = table.groups.filter(
    (g) =>
      (filter.statuses.length === 0 || filter.statuses.includes(g.group.status)) &&
      (!filter.conflicts_only || g.conflict) &&
      g.members.some(byEntity) &&
      (filter.outlets.length === 0 || g.outlets.some((o) => o !== null && filter.outlets.includes(o))),
  );
  const ungrouped = table.ungrouped.filter(byEntity);
  const t = compareTableOf(groups, ungrouped, filter.outlets);
  t.ungrouped_total = filter.entity === undefined ? table.ungrouped_total : ungrouped.length;
  return t;
}

/** An F1 figure's counts: `matched` of `first` and `second`. */
function matched(matched: number, first: number, second: number) {
  return { matched, first, second };
}

/** Span agreement as the core gives it: F1 = 2 · matched / (first + second), `null` for none. */
function spanAgreement(exact: [number, number, number], overlap: [number, number, number]) {
  const f1 = ([m, a, b]: [number, number, number]) => (a + b === 0 ? null : (2 * m) / (a + b));
  return { exact: matched(...exact), overlap: matched(...overlap), exact_f1: f1(exact), overlap_f1: f1(overlap) };
}

/** Three annotators over two documents: ana and ben agree well, cleo took part in d2 only. */
export const agreementFixture: AgreementReport = {
  annotators: ["ana", "ben", "cleo"],
  labels: ["CLAIM", "SOURCE"],
  documents: 2,
  overall: {
    spans: spanAgreement([3, 5, 5], [4, 5, 5]),
    relations: matched(0, 0, 0),
    relations_f1: null,
    alpha: 0.61234,
    mean_kappa: 0.5,
    doc_label_alpha: null,
  },
  pairs: [
    { first: "ana", second: "ben", documents: 2, spans: spanAgreement([3, 4, 4], [4, 4, 4]), relations: matched(0, 0, 0), relations_f1: null, kappa: 0.8 },
    { first: "ana", second: "cleo", documents: 1, spans: spanAgreement([0, 1, 1], [0, 1, 1]), relations: matched(0, 0, 0), relations_f1: null, kappa: 0.2 },
  ],
  by_label: [
    { label: "CLAIM", spans: spanAgreement([1, 3, 3], [2, 3, 3]), alpha: 0.45678 },
    { label: "SOURCE", spans: spanAgreement([2, 2, 2], [2, 2, 2]), alpha: 1 },
  ],
  by_document: [
    { doc_id: "d2", name: longFile, annotators: ["ana", "ben", "cleo"], spans: spanAgreement([1, 3, 3], [2, 3, 3]), unmatched: 2, alpha: 0.3 },
    { doc_id: "d1", name: "Troops return to bases", annotators: ["ana", "ben"], spans: spanAgreement([2, 2, 2], [2, 2, 2]), unmatched: 0, alpha: 1 },
  ],
};

/**
 * The report the core would give for `options`, as far as the fixture can: only the pairs of
 * the annotators named and the labels named; an annotator with no layer fails as in the core.
 */
export function agreementFor(options: AgreementOptions): AgreementReport {
  const r = structuredClone(agreementFixture);
  for (const name of options.annotators) {
    if (!r.annotators.includes(name)) throw { kind: "annotator_not_found", message: `no annotator \`${name}\` has a layer in this workspace (\`parallax stats\` lists them)` };
  }
  if (options.annotators.length > 0) {
    r.annotators = r.annotators.filter((a) => options.annotators.includes(a));
    r.pairs = r.pairs.filter((p) => options.annotators.includes(p.first) && options.annotators.includes(p.second));
  }
  if (options.labels.length > 0) {
    r.labels = r.labels.filter((l) => options.labels.includes(l));
    r.by_label = r.by_label.filter((l) => options.labels.includes(l.label));
  }
  return r;
}

/** The compare table `handler` last opened, whose rows `compare_rows` hands out. */
let opened: { table: CompareTable; generation: number } = { table: compareTableOf([]), generation: 0 };

/**
 * A mockIPC handler for the fixture workspace. Unknown documents fail as the core would.
 * `assigned` is who each document is assigned to (a `MockCore` passes its own).
 */
export function handler(cmd: string, args: unknown, assigned: Record<string, string[]> = assignments): unknown {
  switch (cmd) {
    case "index_status":
      return { state: "ready" };
    case "annotator_name":
      return "tester";
    case "annotator_saved":
      return true;
    case "agreement":
      return agreementFor((args as { options: AgreementOptions }).options);
    case "recent_workspaces":
      return [];
    case "suggestions":
      return []; // the stateless handler proposes nothing (MockCore's `proposals` does)
    case "workspace_info":
      return workspace;
    case "list_documents": {
      const a = args as { filter: ListFilter; offset: number; limit: number };
      const list = passing(a.filter, assigned);
      return { total: list.length, offset: a.offset, docs: list.slice(a.offset, a.offset + a.limit) };
    }
    case "document_position": {
      const a = args as { filter: ListFilter; id: string };
      const at = passing(a.filter, assigned).findIndex((d) => d.id === a.id);
      return at < 0 ? null : at;
    }
    case "document_facets":
      return {
        total: docs.length,
        done: docs.filter((d) => d.status === "done").length,
        outlets: [...new Set(docs.map((d) => d.outlet).filter((o) => o !== null))].sort(),
      };
    case "document_summary": {
      const id = (args as { id: string }).id;
      const d = docs.find((x) => x.id === id);
      if (d === undefined) throw { kind: "document_not_found", message: `no document matches \`${id}\`` };
      return d;
    }
    case "get_schema":
      return schema;
    case "list_source_entities":
      return entityOverviews;
    case "list_claim_groups":
      return claimGroups;
    case "entity_suggestions":
      return entitySuggestionsFor[(args as { spanId: string }).spanId] ?? [];
    case "entity_mentions":
      return mentionsFor[(args as { entityId: string }).entityId] ?? [];
    case "claim_suggestions":
      return claimSuggestionsFor[(args as { spanId: string }).spanId] ?? [];
    case "compare_open": {
      const a = args as { filter: CompareFilter; first: number; count: number };
      opened = { table: filterTable(compareFixture, a.filter), generation: opened.generation + 1 };
      return compareOpeningOf(opened.table, opened.generation, a.first, a.count);
    }
    case "compare_rows": {
      const a = args as { generation: number; first: number; count: number };
      return a.generation === opened.generation
        ? compareRowsOf(opened.table, a.generation, a.first, a.count)
        : { generation: opened.generation, first: a.first, members: [] };
    }
    case "get_document": {
      const id = (args as { id?: unknown } | undefined)?.id;
      const view = typeof id === "string" ? views[id] : undefined;
      if (view === undefined) throw { kind: "document_not_found", message: `no document matches \`${String(id)}\`` };
      return view;
    }
    // No team server (MockCore's `sync` links one).
    case "sync_status":
      return { url: null, state: "unlinked", unsent: 0, conflicts: 0, message: null, last_sync: null };
    // A team with open annotation, no layer statuses set yet: see `TeamMock` for the rest.
    case "team_settings":
      return { blind: false, curators: [] };
    case "team_progress":
      return teamProgressOf({ views, assignments: assigned }, {});
    case "document_layers":
      return layersOf({ views, assignments: assigned }, {}, { blind: false, curators: [] }, (args as { id: string }).id, "tester");
    default:
      throw { kind: "unknown_command", message: `no command ${cmd}` };
  }
}

/** Copies of the fixture views, changed by the mocked editing commands like the core would. */
export class MockCore {
  views: Record<string, DocumentView> = structuredClone(views);
  calls: { cmd: string; args: Record<string, unknown> }[] = [];
  /** Commands that fail with this error instead of answering. */
  failing = new Map<string, { kind: string; message: string }>();
  entityList: SourceEntity[] = structuredClone(entities);
  groupList: ClaimGroup[] = structuredClone(claimGroups);
  compare: CompareTable = structuredClone(compareFixture);
  /** The table of the last `compare_open`, whose rows `compare_rows` hands out. */
  #opened: { table: CompareTable; generation: number } = { table: compareTableOf([]), generation: 0 };
  suggestions: Record<string, ClaimSuggestion[]> = structuredClone(claimSuggestionsFor);
  /** The label schema `get_schema` answers with (an import may have added to it). */
  schemaNow: LabelSchema = structuredClone(schema);
  /** Who annotates, and whether they said so (false: the app asks on start). */
  annotator = "tester";
  annotatorSaved = true;
  /** Who each document is assigned to, for "my queue". */
  assignments: Record<string, string[]> = structuredClone(assignments);
  /** Team settings and each layer's status; reads `views`, `assignments` and `curation` as they are then. */
  team = new TeamMock(this);
  /** Each document's layers and gold as the Curate view sees them (./curationFixture.ts). */
  curation: CurationData = initialCuration({ d1: text1, d2: text2 });
  /** What the rules propose in each document (none unless a test sets it) and what was turned down (./suggestionFixture.ts). */
  proposals: SuggestionData = { proposed: {}, turnedDown: [] };
  /** Where the workspace stands with a team server (none linked unless a test links it), and the conflicts met. */
  sync: SyncStatus = { url: null, state: "unlinked", unsent: 0, conflicts: 0, message: null, last_sync: null };
  syncConflicts: SyncConflict[] = [];
  #next = 1;

  /** The open documents' spans with one of `ids`. */
  #spans(ids: readonly string[]): Span[] {
    return Object.values(this.views).flatMap((v) => v.spans.filter((s) => ids.includes(s.id)));
  }

  #entity(id: string): SourceEntity {
    const e = this.entityList.find((x) => x.id === id);
    if (!e) throw { kind: "entity_not_found", message: `no source entity ${id}` };
    return e;
  }

  #group(id: string): ClaimGroup {
    const g = this.groupList.find((x) => x.id === id);
    if (!g) throw { kind: "group_not_found", message: `no claim group ${id}` };
    return g;
  }

  /** Moves claims between the compare table's groups and its ungrouped list, as the core would. */
  #regroup(spanIds: readonly string[], groupId: string | null): void {
    const t = this.compare;
    const moved: ClaimMember[] = [];
    const take = (list: ClaimMember[]) =>
      list.filter((m) => {
        if (!spanIds.includes(m.span_id)) return true;
        moved.push(m);
        return false;
      });
    t.ungrouped = take(t.ungrouped);
    t.groups = t.groups.map((g) => groupOverview(g.group, take(g.members), g.conflict)).filter((g) => g.members.length > 0);
    if (groupId === null) t.ungrouped = [...moved, ...t.ungrouped];
    else {
      const at = t.groups.findIndex((g) => g.group.id === groupId);
      const group = this.#group(groupId);
      if (at < 0) t.groups.push(groupOverview(group, moved));
      else t.groups[at] = groupOverview(group, [...t.groups[at]!.members, ...moved], t.groups[at]!.conflict);
    }
    this.compare = { ...compareTableOf(t.groups, t.ungrouped) };
    for (const s of this.#spans(spanIds)) s.claim_group = groupId;
  }

  #newGroup(canonical: string): ClaimGroup {
    const group: ClaimGroup = {
      id: `g-new-${this.#next++}`,
      canonical,
      status: "unverified",
      evidence: [],
      rationale: "",
      created_at: "2026-01-09T00:00:00Z",
    };
    this.groupList.push(group);
    return group;
  }

  #span(id: string): Span {
    for (const v of Object.values(this.views)) {
      const s = v.spans.find((x) => x.id === id);
      if (s) return s;
    }
    throw { kind: "span_not_found", message: `no span with id ${id}` };
  }

  /** What the mock holds that changes can touch, for undo and redo. */
  #state(): MockState {
    return structuredClone({
      views: this.views,
      entityList: this.entityList,
      groupList: this.groupList,
      compare: this.compare,
      suggestions: this.suggestions,
      curation: this.curation,
      proposals: this.proposals,
    });
  }

  #restore(state: MockState): void {
    Object.assign(this, structuredClone(state));
  }

  #undone: Change[] = [];
  #done: Change[] = [];
  #seq = 1;

  /** The document a change names (as the core's history does), or `null` for entities and groups. */
  #docOf(cmd: string, args: Record<string, unknown>): string | null {
    if (cmd === "add_span" || cmd === "set_doc_label" || cmd.endsWith("_suggestion") || cmd === "accept_all_suggestions") {
      return args.docId as string;
    }
    if (cmd === "set_status" || cmd === "set_metadata") return args.id as string;
    if (cmd === "add_relation") return this.#span(args.head as string).doc_id;
    if (cmd === "delete_relation") {
      const v = Object.values(this.views).find((x) => x.relations.some((r) => r.id === args.id));
      if (!v) throw { kind: "relation_not_found", message: `no relation with id ${String(args.id)}` };
      return v.document.id;
    }
    if (cmd.startsWith("set_span_") || cmd === "delete_span") return this.#span(args.id as string).doc_id;
    if (cmd === "merge_agreed" || cmd === "finish_curation") return args.id as string;
    if (cmd === "accept_version" || cmd === "reject_version") return documentOfSpan(this.curation, args.spanId as string);
    return null;
  }

  /** The entry undo or redo took back or replayed, as the core returns it. */
  #entry(change: Change, undone: boolean): HistoryEntry {
    return {
      seq: change.seq,
      at: "2026-01-09T00:00:00Z",
      annotator: "tester",
      doc_id: change.docId,
      action: change.action,
      target_seq: null,
      undone,
      what: "",
    };
  }

  handle = (cmd: string, raw: unknown): unknown => {
    const args = (raw ?? {}) as Record<string, unknown>;
    this.calls.push({ cmd, args });
    const failure = this.failing.get(cmd);
    if (failure) throw failure;
    if (cmd === "undo" || cmd === "redo") {
      const [from, to] = cmd === "undo" ? [this.#done, this.#undone] : [this.#undone, this.#done];
      const change = from.pop();
      if (change === undefined) throw { kind: "nothing_to_do", message: `nothing to ${cmd}` };
      const now = this.#state();
      this.#restore(change.state);
      to.push({ ...change, state: now });
      return this.#entry(change, cmd === "undo");
    }
    if (!CHANGES.has(cmd)) return this.#answer(cmd, args, raw);
    const docId = this.#docOf(cmd, args);
    const before = this.#state();
    const answer = this.#answer(cmd, args, raw);
    this.#done.push({ seq: this.#seq++, action: cmd, docId, state: before });
    this.#undone = [];
    return answer;
  };

  #answer(cmd: string, args: Record<string, unknown>, raw: unknown): unknown {
    switch (cmd) {
      case "get_document": {
        const view = this.views[args.id as string];
        if (view === undefined) throw { kind: "document_not_found", message: `no document matches \`${String(args.id)}\`` };
        // Blind annotation: the annotator's own layer alone, unless they curate.
        return structuredClone(viewAs(view, this.team.settings, this.annotator));
      }
      case "add_span": {
        const view = this.views[args.docId as string]!;
        const start = args.start as number;
        const end = args.end as number;
        const text = Array.from(view.document.text).slice(start, end).join("");
        // In the layer of whoever annotates, as the core records it.
        const span = spanRecord(view.document.id, `new-${this.#next++}`, args.label as string, start, end, text, { annotator: this.annotator });
        view.spans.push(span);
        return span;
      }
      case "set_span_label": {
        const s = this.#span(args.id as string);
        s.label = args.label as string;
        return structuredClone(s);
      }
      case "set_span_extent": {
        const s = this.#span(args.id as string);
        const text = Array.from(this.views[s.doc_id]!.document.text);
        s.start = args.start as number;
        s.end = args.end as number;
        s.text = text.slice(s.start, s.end).join("");
        return structuredClone(s);
      }
      case "set_span_attribute": {
        const s = this.#span(args.id as string);
        if (args.value === null) delete s.attrs[args.name as string];
        else s.attrs[args.name as string] = args.value;
        return structuredClone(s);
      }
      case "delete_span": {
        for (const v of Object.values(this.views)) {
          v.spans = v.spans.filter((s) => s.id !== args.id);
          v.relations = v.relations.filter((r) => r.head !== args.id && r.child !== args.id);
        }
        return null;
      }
      case "add_relation": {
        const head = this.#span(args.head as string);
        const rel = {
          id: `rel-${this.#next++}`,
          doc_id: head.doc_id,
          head: args.head as string,
          child: args.child as string,
          label: args.label as string,
          annotator: "tester",
          created_at: "2026-01-01T00:00:00Z",
        };
        this.views[head.doc_id]!.relations.push(rel);
        return rel;
      }
      case "set_doc_label": {
        const v = this.views[args.docId as string]!;
        v.doc_labels = v.doc_labels.filter((l) => !(l.label === args.label && l.annotator === "tester"));
        if (args.on) v.doc_labels.push({ doc_id: v.document.id, label: args.label as string, annotator: "tester", created_at: "" });
        return structuredClone(v.doc_labels);
      }
      case "set_span_note": {
        const s = this.#span(args.id as string);
        const note = args.note as string | null;
        s.note = note === null || note.trim() === "" ? null : note;
        return structuredClone(s);
      }
      case "delete_relation": {
        for (const v of Object.values(this.views)) v.relations = v.relations.filter((r) => r.id !== args.id);
        return null;
      }
      case "annotator_name":
        return this.annotator;
      case "annotator_saved":
        return this.annotatorSaved;
      case "set_annotator_name": {
        // As the shell does: trimmed, neither empty nor the gold layer's name.
        const name = String(args.name).trim();
        if (name === "") throw { kind: "refused", message: "type your name: every change you make is recorded under it" };
        if (name === "gold") throw { kind: "refused", message: "`gold` is the name of the curated layer, not of a person; choose your own name" };
        this.annotator = name;
        this.annotatorSaved = true;
        return name;
      }
      case "get_schema":
        return structuredClone(this.schemaNow);
      case "update_schema":
        this.schemaNow = structuredClone(args.schema as LabelSchema);
        return args.schema;
      case "document_summary": {
        const v = this.views[args.id as string];
        if (v === undefined) return handler(cmd, raw);
        return summaryOf(v);
      }
      case "set_status": {
        const v = this.#view(args.id as string);
        v.document.status = args.status as DocStatus;
        this.team.setStatus(v.document.id, this.annotator, args.status as string);
        return summaryOf(v);
      }
      case "set_metadata": {
        const v = this.#view(args.id as string);
        Object.assign(v.document, args.meta as DocMeta);
        return summaryOf(v);
      }
      case "list_source_entities":
        return this.entityList.map((e) => ({
          ...(entityOverviews.find((o) => o.entity.id === e.id) ?? sourceOverview(e)),
          entity: structuredClone(e),
        }));
      case "list_claim_groups":
        return structuredClone(this.groupList);
      case "claim_suggestions":
        return structuredClone(this.suggestions[args.spanId as string] ?? []);
      case "compare_open": {
        this.#opened = { table: structuredClone(filterTable(this.compare, args.filter as CompareFilter)), generation: this.#opened.generation + 1 };
        return compareOpeningOf(this.#opened.table, this.#opened.generation, args.first as number, args.count as number);
      }
      case "compare_rows": {
        const generation = args.generation as number;
        return generation === this.#opened.generation
          ? compareRowsOf(this.#opened.table, generation, args.first as number, args.count as number)
          : { generation: this.#opened.generation, first: args.first, members: [] };
      }
      case "create_entity_from_span": {
        const span = this.#span(args.spanId as string);
        const entity: SourceEntity = {
          id: `e-new-${this.#next++}`,
          name: (args.name as string | null) ?? span.text,
          kind: args.kind as SourceKind,
          aliases: [],
          created_at: "2026-01-09T00:00:00Z",
        };
        this.entityList.push(entity);
        span.source_entity = entity.id;
        return structuredClone(entity);
      }
      case "link_source_entity": {
        const entityId = args.entityId as string | null;
        const entity = entityId === null ? null : this.#entity(entityId);
        // As the core does: a spelling the entity does not know yet becomes an alias.
        const fold = (t: string) => t.split(/\s+/).filter((w) => w !== "").join(" ").toLowerCase();
        for (const s of this.#spans(args.spanIds as string[])) {
          if (s.source_entity === entityId) continue;
          s.source_entity = entityId;
          const spelling = fold(s.text);
          if (entity !== null && spelling !== "" && fold(entity.name) !== spelling && !entity.aliases.some((a) => fold(a) === spelling)) {
            entity.aliases.push(s.text.split(/\s+/).filter((w) => w !== "").join(" "));
          }
        }
        return null;
      }
      case "update_source_entity": {
        const e = this.#entity(args.id as string);
        Object.assign(e, args.edit);
        return structuredClone(e);
      }
      case "merge_source_entities": {
        const into = this.#entity(args.into as string);
        for (const v of Object.values(this.views)) {
          for (const s of v.spans) if (s.source_entity === args.from) s.source_entity = into.id;
        }
        this.entityList = this.entityList.filter((e) => e.id !== args.from);
        return structuredClone(into);
      }
      case "split_source_entity": {
        const entity: SourceEntity = {
          id: `e-new-${this.#next++}`,
          name: args.name as string,
          kind: this.#entity(args.id as string).kind,
          aliases: [],
          created_at: "2026-01-09T00:00:00Z",
        };
        this.entityList.push(entity);
        for (const s of this.#spans(args.spanIds as string[])) s.source_entity = entity.id;
        return structuredClone(entity);
      }
      case "start_claim_group": {
        const ids = args.spanIds as string[];
        const first = [...this.#spans(ids), ...this.compare.ungrouped.filter((m) => ids.includes(m.span_id))][0];
        const group = this.#newGroup((args.canonical as string | null) ?? first?.text ?? "");
        this.#regroup(ids, group.id);
        return structuredClone(group);
      }
      case "set_claim_group": {
        const groupId = args.groupId as string | null;
        if (groupId !== null) this.#group(groupId);
        this.#regroup(args.spanIds as string[], groupId);
        return null;
      }
      case "group_claim_with_passage": {
        const claim = this.#span(args.spanId as string);
        const group = claim.claim_group ?? this.#newGroup(claim.text).id;
        if (claim.claim_group === null) this.#regroup([claim.id], group);
        const list = this.suggestions[claim.id] ?? [];
        // The suggestion whose passage the claim is in (its extent may have been moved).
        const [start, end] = [args.start as number, args.end as number];
        const hit = list.find((s) => s.passage.doc_id === args.docId && start < s.passage.end && end > s.passage.start);
        this.suggestions[claim.id] = list.filter((s) => s !== hit);
        const spanId = hit?.span_id ?? `new-${this.#next++}`;
        return { span_id: spanId, doc_id: args.docId as string, created_span: hit?.span_id == null };
      }
      case "update_claim_group": {
        const g = this.#group(args.id as string);
        const edit = args.edit as GroupEdit;
        for (const url of edit.evidence ?? []) {
          if (!/^https?:\/\//.test(url)) {
            throw { kind: "invalid_link", message: `evidence \`${url}\` must start with http:// or https://` };
          }
        }
        if (edit.canonical !== undefined && edit.canonical.trim() === "") {
          throw { kind: "invalid_link", message: "a claim group needs its canonical wording" };
        }
        Object.assign(g, edit);
        for (const o of this.compare.groups) if (o.group.id === g.id) o.group = structuredClone(g);
        return structuredClone(g);
      }
      case "merge_claim_groups": {
        const into = this.#group(args.into as string);
        const from = this.compare.groups.find((g) => g.group.id === args.from);
        this.#regroup(from?.members.map((m) => m.span_id) ?? [], into.id);
        for (const v of Object.values(this.views)) {
          for (const s of v.spans) if (s.claim_group === args.from) s.claim_group = into.id;
        }
        this.groupList = this.groupList.filter((g) => g.id !== args.from);
        return structuredClone(into);
      }
      case "delete_claim_group": {
        const g = this.compare.groups.find((o) => o.group.id === args.id);
        this.#regroup(g?.members.map((m) => m.span_id) ?? [], null);
        this.groupList = this.groupList.filter((x) => x.id !== args.id);
        return null;
      }
      case "search_documents": {
        const word = String(args.query).toLowerCase();
        const hits = Object.values(this.views)
          .filter((v) => v.document.text.toLowerCase().includes(word))
          .map((v) => {
            const at = Array.from(v.document.text.toLowerCase()).join("").indexOf(word);
            const start = Array.from(v.document.text.slice(0, at)).length;
            const range: [number, number] = [start, start + Array.from(word).length];
            return {
              doc_id: v.document.id,
              score: 1,
              title: v.document.title,
              outlet: v.document.outlet,
              published: v.document.published,
              snippet: { text: v.document.text, start: 0, highlights: [range] },
              matches: [range],
            };
          });
        return { total: hits.length, hits };
      }
      case "suggestions":
      case "accept_suggestion":
      case "accept_all_suggestions":
      case "reject_suggestion":
        return answerSuggestions(this.proposals, this.#view(args.docId as string), cmd, args, this.annotator, this.schemaNow, () => `new-${this.#next++}`);
      case "sync_status":
        return structuredClone(this.sync);
      case "sync_now":
        return null;
      case "set_remote": {
        const url = args.url as string;
        if (!url.startsWith("postgres://")) throw { kind: "invalid_remote", message: `team server address: \`${url}\`: expected a postgres:// address` };
        this.sync = { ...this.sync, url, state: "syncing" };
        return null;
      }
      case "sync_conflicts":
        this.sync = { ...this.sync, conflicts: 0 };
        return structuredClone(this.syncConflicts);
      case "team_settings":
        return structuredClone(this.team.settings);
      case "set_team_settings":
        return this.team.setSettings(args.settings as TeamSettings);
      case "team_progress":
        return this.team.progress();
      case "document_layers":
        return this.team.layers(args.id as string, this.annotator);
      case "set_assignees":
        return this.team.setAssignees(args.id as string, args.annotators as string[], this.annotator);
      case "curation":
      case "merge_agreed":
      case "accept_version":
      case "reject_version":
      case "finish_curation":
        if (args.id !== undefined) this.#view(args.id as string);
        return answerCuration(this.curation, cmd, args, this.team.settings, this.annotator);
      default:
        return handler(cmd, raw, this.assignments);
    }
  }

  #view(id: string): DocumentView {
    const v = this.views[id];
    if (v === undefined) throw { kind: "document_not_found", message: `no document matches \`${id}\`` };
    return v;
  }
}

/** The commands that change the workspace: each is one step of the mock's undo history. */
const CHANGES = new Set([
  "add_span",
  "set_span_label",
  "set_span_extent",
  "set_span_attribute",
  "set_span_note",
  "delete_span",
  "add_relation",
  "delete_relation",
  "set_doc_label",
  "set_status",
  "set_metadata",
  "create_entity_from_span",
  "link_source_entity",
  "update_source_entity",
  "merge_source_entities",
  "split_source_entity",
  "start_claim_group",
  "set_claim_group",
  "group_claim_with_passage",
  "update_claim_group",
  "merge_claim_groups",
  "delete_claim_group",
  "merge_agreed",
  "accept_version",
  "reject_version",
  "finish_curation",
  "accept_suggestion",
  "accept_all_suggestions",
  "reject_suggestion",
]);

interface MockState {
  views: Record<string, DocumentView>;
  entityList: SourceEntity[];
  groupList: ClaimGroup[];
  compare: CompareTable;
  suggestions: Record<string, ClaimSuggestion[]>;
  curation: CurationData;
  proposals: SuggestionData;
}

/** One change in the mock's history, with the state from before it (or, once undone, after). */
interface Change {
  seq: number;
  action: string;
  docId: string | null;
  state: MockState;
}

/** A document's summary, as the core keeps it: its span count follows the spans. */
function summaryOf(v: DocumentView): DocumentSummary {
  const { text: _text, ...summary } = structuredClone(v.document);
  return { ...summary, span_count: v.spans.length };
}
