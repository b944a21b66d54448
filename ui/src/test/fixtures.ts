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
    { name: "attributed_to", heads: ["CLAIM"], children: ["SOURCE"], directed: true, description: "" },
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
    case "index_status":
      return { state: "ready" };
    case "annotator_name":
      return "tester";
    case "recent_workspaces":
      return [];
    case "workspace_info":
      return workspace;
    case "list_documents": {
      const a = args as { filter: { status: string | null; outlet: string | null }; offset: number; limit: number };
      const passing = docs.filter(
        (d) => (a.filter.status === null || d.status === a.filter.status) && (a.filter.outlet === null || d.outlet === a.filter.outlet),
      );
      return { total: passing.length, offset: a.offset, docs: passing.slice(a.offset, a.offset + a.limit) };
    }
    case "document_position": {
      const a = args as { filter: { status: string | null; outlet: string | null }; id: string };
      const passing = docs.filter(
        (d) => (a.filter.status === null || d.status === a.filter.status) && (a.filter.outlet === null || d.outlet === a.filter.outlet),
      );
      const at = passing.findIndex((d) => d.id === a.id);
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

/** Copies of the fixture views, changed by the mocked editing commands like the core would. */
export class MockCore {
  views: Record<string, DocumentView> = structuredClone(views);
  calls: { cmd: string; args: Record<string, unknown> }[] = [];
  /** Commands that fail with this error instead of answering. */
  failing = new Map<string, { kind: string; message: string }>();
  #next = 1;

  #span(id: string): Span {
    for (const v of Object.values(this.views)) {
      const s = v.spans.find((x) => x.id === id);
      if (s) return s;
    }
    throw { kind: "span_not_found", message: `no span with id ${id}` };
  }

  handle = (cmd: string, raw: unknown): unknown => {
    const args = (raw ?? {}) as Record<string, unknown>;
    this.calls.push({ cmd, args });
    const failure = this.failing.get(cmd);
    if (failure) throw failure;
    switch (cmd) {
      case "get_document": {
        const view = this.views[args.id as string];
        if (view === undefined) throw { kind: "document_not_found", message: `no document matches \`${String(args.id)}\`` };
        return structuredClone(view);
      }
      case "add_span": {
        const view = this.views[args.docId as string]!;
        const start = args.start as number;
        const end = args.end as number;
        const text = Array.from(view.document.text).slice(start, end).join("");
        const span = spanRecord(view.document.id, `new-${this.#next++}`, args.label as string, start, end, text);
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
      case "update_schema":
        return args.schema;
      case "set_doc_label": {
        const v = this.views[args.docId as string]!;
        v.doc_labels = v.doc_labels.filter((l) => !(l.label === args.label && l.annotator === "tester"));
        if (args.on) v.doc_labels.push({ doc_id: v.document.id, label: args.label as string, annotator: "tester", created_at: "" });
        return structuredClone(v.doc_labels);
      }
      case "undo": {
        // Takes back the last span added to d1.
        const v = this.views.d1!;
        v.spans = v.spans.filter((s) => !s.id.startsWith("new-"));
        return { seq: 9, at: "", annotator: "tester", doc_id: "d1", action: "add_span", target_seq: 8, undone: false };
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
      default:
        return handler(cmd, raw);
    }
  };
}
