/** What the job dialog says about a finished import: a summary line and where each problem is. */
import type { ImportReport } from "$lib/bindings/ImportReport";
import { plural } from "$lib/format";

/** `path:line` when the problem is in one record of a dataset file, else the path. */
export function atLine(item: { path: string; line: number | null }): string {
  return item.line === null ? item.path : `${item.path}:${item.line}`;
}

/** The first `max` items of a long list (a dataset can fail on every line), and how many more. */
export function firstOf<T>(items: readonly T[], max: number): { shown: T[]; more: number } {
  return { shown: items.slice(0, max), more: Math.max(0, items.length - max) };
}

/**
 * One line about an import. Plain files make one document each, so they are counted as files;
 * a dataset file holds many documents (each with its line), so then documents are counted.
 */
export function importSummary(r: ImportReport): string {
  const all = [...r.imported, ...r.layers, ...r.duplicates, ...r.failed];
  const fromDatasets = all.some((x) => x.line !== null);
  let what: string;
  if (fromDatasets) {
    const files = new Set(all.map((x) => x.path)).size;
    what = `${plural(r.imported.length, "document")} from ${plural(files, "file")}`;
  } else {
    what = plural(r.imported.length, "file");
  }
  const annotations = [r.spans > 0 ? plural(r.spans, "span") : null, r.relations > 0 ? plural(r.relations, "relation") : null]
    .filter((x) => x !== null)
    .join(" and ");
  const parts = [`Imported ${what}${annotations ? ` with ${annotations}` : ""}`];
  if (r.layers.length > 0) parts.push(`layers added to ${plural(r.layers.length, "document")} already here`);
  if (r.duplicates.length > 0) parts.push(`${plural(r.duplicates.length, "duplicate")} skipped`);
  if (r.failed.length > 0) parts.push(`${fromDatasets ? r.failed.length : plural(r.failed.length, "file")} failed`);
  return `${parts.join(", ")}${r.cancelled ? "; cancelled before the end" : ""}.`;
}
