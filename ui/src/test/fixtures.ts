/** A small mocked workspace for the tests, typed by the generated bindings. */
import type { DocumentSummary } from "$lib/bindings/DocumentSummary";
import type { DocumentView } from "$lib/bindings/DocumentView";
import type { LabelSchema } from "$lib/bindings/LabelSchema";
import type { Span } from "$lib/bindings/Span";
import type { WorkspaceInfo } from "$lib/bindings/WorkspaceInfo";

/** `[start, end)` of the first `needle` in `text`, in code points (as the core counts). */
export function cpRange(text: string, needle: string, from = 0): [number, number] {
  const at = text.indexOf(needle, from);
  if (at < 0) throw new Error(`${needle} not in text`);
  const start = Array.from(text.slice(0, at)).length;
  return [start, start + Array.from(needle).length];
}

function makeSpan(docId: string, text: string, id: string, label: string, needle: string, extra: Partial<Span> = {}): Span {
  const [start, end] = cpRange(text, needle);
  return {
    id,
    doc_id: docId,
    start,
    end,
    label,
    text: needle,
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

export const schema: LabelSchema = {
  version: 1,
  span_labels: [
    { name: "CLAIM", color: "#1f77b4", hotkey: "c", description: "A checkable statement" },
    { name: "SOURCE", color: "#d62728", hotkey: "s", description: "Who the claim is attributed to" },
    { name: "QUANTITY", color: "#2ca02c", hotkey: "q", description: "A number with its unit" },
  ],
  relation_types: [],
  attributes: [],
  doc_labels: [],
};

export const workspace: WorkspaceInfo = { name: "demo", path: "/tmp/demo", document_count: 3 };

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

/** A mockIPC handler for the fixture workspace. Unknown documents fail as the core would. */
export function handler(cmd: string, args: unknown): unknown {
  switch (cmd) {
    case "workspace_info":
      return workspace;
    case "list_documents":
      return docs;
    case "get_schema":
      return schema;
    case "get_document": {
      const id = (args as { id?: unknown } | undefined)?.id;
      const view = typeof id === "string" ? views[id] : undefined;
      if (view === undefined) throw { kind: "document_not_found", message: `no document matches \`${String(id)}\`` };
      return view;
    }
    default:
      throw { kind: "unknown_command", message: `no command ${cmd}` };
  }
}
