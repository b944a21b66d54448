/**
 * Suggestions in the mocked workspace, worked out as the core does (`crates/core/src/suggest`):
 * what is proposed less what the annotator turned down (by the first span's extent and label)
 * and what their layer already has (every span, same label, overlapping); accepting adds the
 * spans in their layer with `suggested_by` and the relations, without a span twice.
 */
import type { BatchOutcome } from "$lib/bindings/BatchOutcome";
import type { DocumentView } from "$lib/bindings/DocumentView";
import type { LabelSchema } from "$lib/bindings/LabelSchema";
import type { Span } from "$lib/bindings/Span";
import type { Suggestion } from "$lib/bindings/Suggestion";

/** A suggestion turned down by an annotator, as the core keeps it. */
export interface TurnedDown {
  docId: string;
  annotator: string;
  start: number;
  end: number;
  label: string;
}

export interface SuggestionData {
  /** What the rules and patterns propose, by document (none unless a test sets it). */
  proposed: Record<string, Suggestion[]>;
  turnedDown: TurnedDown[];
}

/** `[start, end)` of `needle` in `text`, in code points. */
function cpRange(text: string, needle: string): [number, number] {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`${needle} not in text`);
  const start = Array.from(text.slice(0, at)).length;
  return [start, start + Array.from(needle).length];
}

/**
 * A suggestion on `text`: spans as `[label, needle, attrs?]`, relations as `[head, child,
 * label]` by place in `spans`.
 */
export function suggestionOn(
  text: string,
  kind: string,
  spans: [string, string, Record<string, unknown>?][],
  relations: [number, number, string][] = [],
  suggestedBy = `rule:${kind}`,
): Suggestion {
  return {
    kind,
    spans: spans.map(([label, needle, attrs]) => {
      const [start, end] = cpRange(text, needle);
      return { start, end, label, text: needle, attrs: attrs ?? {} };
    }),
    relations: relations.map(([head, child, label]) => ({ head, child, label })),
    suggested_by: suggestedBy,
  };
}

function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

/** What is still proposed to `annotator` in `view`. */
function open(data: SuggestionData, view: DocumentView, annotator: string): Suggestion[] {
  const docId = view.document.id;
  const layer = view.spans.filter((s) => s.annotator === annotator);
  return (data.proposed[docId] ?? []).filter((s) => {
    const first = s.spans[0]!;
    const turned = data.turnedDown.some(
      (t) => t.docId === docId && t.annotator === annotator && t.start === first.start && t.end === first.end && t.label === first.label,
    );
    const annotated = s.spans.every((x) => layer.some((l) => l.label === x.label && overlaps(l, x)));
    return !turned && !annotated;
  });
}

/** Adds suggestions to `view` in `annotator`'s layer, as the core's batch does. */
function accept(view: DocumentView, chosen: Suggestion[], annotator: string, newId: () => string): BatchOutcome {
  const outcome: BatchOutcome = { span_ids: [], spans_added: 0, spans_already_there: 0, relations_added: 0 };
  const at = "2026-01-03T00:00:00Z";
  for (const s of chosen) {
    const ids = s.spans.map((x) => {
      const there = view.spans.find((l) => l.annotator === annotator && l.label === x.label && overlaps(l, x));
      if (there !== undefined) {
        outcome.spans_already_there++;
        return there.id;
      }
      const span: Span = {
        id: newId(),
        doc_id: view.document.id,
        start: x.start,
        end: x.end,
        label: x.label,
        text: x.text,
        prefix: "",
        suffix: "",
        attrs: structuredClone(x.attrs),
        note: null,
        annotator,
        created_at: at,
        updated_at: at,
        source_entity: null,
        claim_group: null,
        suggested_by: s.suggested_by,
      };
      view.spans.push(span);
      outcome.spans_added++;
      return span.id;
    });
    outcome.span_ids.push(...ids);
    for (const r of s.relations) {
      const head = ids[r.head]!;
      const child = ids[r.child]!;
      if (view.relations.some((x) => x.head === head && x.child === child && x.label === r.label)) continue;
      view.relations.push({ id: newId(), doc_id: view.document.id, head, child, label: r.label, annotator, created_at: at });
      outcome.relations_added++;
    }
  }
  return outcome;
}

/** Answers the suggestion commands on `view` for `annotator`. */
export function answerSuggestions(
  data: SuggestionData,
  view: DocumentView,
  cmd: string,
  args: Record<string, unknown>,
  annotator: string,
  schema: LabelSchema,
  newId: () => string,
): unknown {
  const list = open(data, view, annotator);
  switch (cmd) {
    case "suggestions":
      return structuredClone(list);
    case "accept_all_suggestions":
      return accept(view, list, annotator, newId);
    case "accept_suggestion":
    case "reject_suggestion": {
      const start = args.start as number;
      const end = args.end as number;
      const label = args.label as string;
      if (!schema.span_labels.some((l) => l.name === label)) throw { kind: "unknown_label", message: `unknown label \`${label}\`` };
      if (cmd === "reject_suggestion") {
        data.turnedDown.push({ docId: view.document.id, annotator, start, end, label });
        return null;
      }
      const chosen = list.find((s) => s.spans[0]!.start === start && s.spans[0]!.end === end && s.spans[0]!.label === label);
      if (chosen === undefined) {
        throw {
          kind: "suggestion_not_found",
          message: `no open suggestion starts with ${label} [${start}, ${end}) in this document`,
        };
      }
      return accept(view, [chosen], annotator, newId);
    }
    default:
      throw new Error(`not a suggestion command: ${cmd}`);
  }
}
