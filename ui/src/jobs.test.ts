/** Exporting through the options dialog, and the import report, with the core mocked at the IPC boundary. */
import { Channel } from "@tauri-apps/api/core";
import { clearMocks } from "@tauri-apps/api/mocks";
import { flushSync } from "svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { ExportReport } from "$lib/bindings/ExportReport";
import type { ImportProgress } from "$lib/bindings/ImportProgress";
import type { ImportReport } from "$lib/bindings/ImportReport";
import { importReportWith, schema as schemaFixture } from "./test/fixtures";
import { mockDesktop, mockedApp } from "./test/harness";

const ui = mockedApp();
const { q, start } = ui;
/** Every command sent, with its arguments. */
let calls: { cmd: string; args: Record<string, unknown> }[];
/** What the native dialog answers (`null`: the user cancelled it). */
let chosen: string[] | null;
let exportReport: ExportReport;
let importReport: ImportReport;
/** How a test's import runs, when it reports progress before its report. */
let importing: ((progress: Channel<ImportProgress>) => Promise<ImportReport>) | null;

function callsOf(cmd: string) {
  return calls.filter((c) => c.cmd === cmd).map((c) => c.args);
}

function type(selector: string, value: string) {
  const input = q<HTMLInputElement>(selector);
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  flushSync();
}

/** Ticks or unticks a checkbox, or picks a radio button. */
function tick(selector: string, on = true) {
  const input = q<HTMLInputElement>(selector);
  input.checked = on;
  input.dispatchEvent(new Event("change", { bubbles: true }));
  flushSync();
}

function press(key: string, on: EventTarget) {
  on.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
  flushSync();
}

/** Lets pending commands (and what they set off) run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 20));
}

function openExport(): HTMLElement {
  q<HTMLButtonElement>('[data-testid="export"]').click();
  flushSync();
  return q('[data-testid="export-dialog"]');
}

beforeEach(() => {
  calls = [];
  chosen = ["/tmp/out/chosen"];
  exportReport = { documents: 0, spans: 0, relations: 0, bytes: 0, files: [], warnings: [] };
  importReport = importReportWith();
  importing = null;
  // The dialogs, the export and the import answer as the test sets them; the mock core the rest.
  clearMocks();
  mockDesktop((cmd, raw) => {
    const args = (raw ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args });
    if (cmd === "choose_paths") return chosen;
    if (cmd === "export_dataset") return exportReport;
    if (cmd === "import_paths") return importing ? importing(args.onProgress as Channel<ImportProgress>) : importReport;
    return ui.core.handle(cmd, raw);
  });
});

describe("export dialog", () => {
  it("sends the chosen format, filters and split to export_dataset, with the path from the dialog", async () => {
    await start();
    openExport();
    expect(q<HTMLInputElement>('[data-testid="export-format-jsonl"]').checked).toBe(true);
    // One description, the chosen format's; empty dates say what they mean.
    expect(q('[data-testid="export-format-about"]').textContent).toContain("One document a line");
    expect(q('[data-testid="export-any-date"]').textContent).toBe("any date");
    tick('[data-testid="export-format-spacy"]');
    expect(q('[data-testid="export-format-about"]').textContent).toContain("Prodigy");
    tick('[data-testid="export-status-in_progress"]');
    tick('[data-testid="export-status-done"]');
    // Outlets come from the document facets, labels from the schema.
    expect([...ui.target.querySelectorAll<HTMLInputElement>('[data-testid="export-outlet"]')].map((i) => i.value)).toEqual([
      "Example Wire",
      "Nowhere",
    ]);
    expect([...ui.target.querySelectorAll<HTMLInputElement>('[data-testid="export-label"]')].map((i) => i.value)).toEqual([
      "CLAIM",
      "SOURCE",
      "QUANTITY",
    ]);
    tick('[data-testid="export-outlet"][data-outlet="Example Wire"]');
    tick('[data-testid="export-label"][data-label="CLAIM"]');
    type('[data-testid="export-annotators"]', "alice, bob ,");
    type('[data-testid="export-published-from"]', "2022-01-01");
    type('[data-testid="export-published-to"]', "2022-12-31");
    expect(ui.target.querySelector('[data-testid="export-ratios"]')).toBeNull();
    tick('[data-testid="export-split"]');
    expect(q<HTMLInputElement>('[data-testid="export-ratios"]').value).toBe("80/10/10");
    expect(q<HTMLInputElement>('[data-testid="export-seed"]').value).toBe("0");
    expect(q<HTMLInputElement>('[data-testid="export-split-by-group"]').checked).toBe(true);
    type('[data-testid="export-ratios"]', "70/30");
    type('[data-testid="export-seed"]', "7");
    tick('[data-testid="export-split-by-document"]');
    expect(q('[data-testid="export-output-hint"]').textContent).toContain("train and test");

    exportReport = {
      documents: 1,
      spans: 1,
      relations: 0,
      bytes: 2048,
      files: ["/tmp/out/chosen/train.jsonl", "/tmp/out/chosen/test.jsonl", "/tmp/out/chosen/manifest.json"],
      warnings: ["2 × span with another annotator's relation left out"],
    };
    q<HTMLButtonElement>('[data-testid="export-submit"]').click();
    await vi.waitFor(() => expect(callsOf("export_dataset")).toHaveLength(1));
    expect(callsOf("choose_paths")).toEqual([{ purpose: "export_file", suggestedName: "demo-spacy-split" }]);
    const { onProgress, ...sent } = callsOf("export_dataset")[0]!;
    expect(onProgress).toBeInstanceOf(Channel);
    expect(sent).toEqual({
      job: expect.any(String),
      path: "/tmp/out/chosen",
      options: {
        format: "spacy",
        filter: {
          statuses: ["in_progress", "done"],
          outlets: ["Example Wire"],
          published_from: "2022-01-01",
          published_to: "2022-12-31",
          labels: ["CLAIM"],
          annotators: ["alice", "bob"],
          all_layers: false,
          without_boilerplate: false,
        },
        split: { ratios: [70, 30], seed: 7, by: "document" },
      },
    });
    expect(ui.target.querySelector('[data-testid="export-dialog"]')).toBeNull();

    // The report: what was written, the files and what the format could not carry.
    const summary = await vi.waitFor(() => q('[data-testid="export-summary"]'));
    expect(summary.textContent).toContain("Wrote 1 document, 1 span and 0 relations");
    expect([...q('[data-testid="export-files"]').querySelectorAll("li")].map((li) => li.textContent)).toEqual(exportReport.files);
    expect(q('[data-testid="export-warnings"]').textContent).toContain("2 × span with another annotator's relation left out");
  });

  it("keeps Export disabled and says why while the ratios are wrong", async () => {
    await start();
    const dialog = openExport();
    tick('[data-testid="export-split"]');
    const submit = q<HTMLButtonElement>('[data-testid="export-submit"]');
    expect(submit.disabled).toBe(false);
    expect(ui.target.querySelector('[data-testid="export-ratios-problem"]')).toBeNull();

    type('[data-testid="export-ratios"]', "80/20/0/0");
    expect(q('[data-testid="export-ratios-problem"]').textContent).toContain("Write 2 or 3 whole numbers");
    expect(q('[data-testid="export-ratios"]').getAttribute("aria-invalid")).toBe("true");
    expect(submit.disabled).toBe(true);
    // Neither Enter nor a click goes on.
    press("Enter", q('[data-testid="export-ratios"]'));
    submit.click();
    flushSync();

    type('[data-testid="export-ratios"]', "80/30/10");
    expect(q('[data-testid="export-ratios-problem"]').textContent).toContain("add up to 120, not 100");
    expect(submit.disabled).toBe(true);
    await settle();
    expect(callsOf("choose_paths")).toEqual([]);
    expect(dialog.isConnected).toBe(true);

    type('[data-testid="export-ratios"]', "90/10");
    expect(ui.target.querySelector('[data-testid="export-ratios-problem"]')).toBeNull();
    expect(submit.disabled).toBe(false);
  });

  it("suggests a file with the format's extension, or a folder for brat and splits", async () => {
    await start();
    chosen = null; // the user cancels the save dialog: nothing is exported
    const cases: [string, boolean, string][] = [
      ["jsonl", false, "demo.jsonl"],
      ["doccano-label", false, "demo-doccano-label.jsonl"],
      ["label-studio", false, "demo-label-studio.json"],
      ["conll", false, "demo.conll"],
      ["brat", false, "demo-brat"],
      ["jsonl", true, "demo-split"],
    ];
    for (const [format, split, name] of cases) {
      const dialog = openExport();
      tick(`[data-testid="export-format-${format}"]`);
      tick('[data-testid="export-split"]', split);
      expect(q('[data-testid="export-output-hint"]').textContent).toContain(name);
      // Enter on a field goes on, like the Export button.
      press("Enter", q(`[data-testid="export-format-${format}"]`));
      expect(dialog.isConnected).toBe(false);
      await vi.waitFor(() => expect(callsOf("choose_paths").at(-1)).toEqual({ purpose: "export_file", suggestedName: name }));
    }
    expect(callsOf("choose_paths")).toHaveLength(cases.length);
    expect(callsOf("export_dataset")).toEqual([]);
  });

  it("closes with Escape, asks for nothing, and gives focus back to the Export button", async () => {
    await start();
    const button = q<HTMLButtonElement>('[data-testid="export"]');
    button.focus();
    openExport();
    expect(document.activeElement).toBe(q('[data-testid="export-format-jsonl"]'));
    // Keys in the dialog are not the reader's: J does not move to the next document.
    press("j", q('[data-testid="export-cancel"]'));
    press("Escape", q('[data-testid="export-format-jsonl"]'));
    expect(ui.target.querySelector('[data-testid="export-dialog"]')).toBeNull();
    expect(document.activeElement).toBe(button);
    await settle();
    expect(callsOf("choose_paths")).toEqual([]);
    expect(callsOf("get_document")).toEqual([{ id: "d1" }]);
  });
});

describe("import report", () => {
  it("shows the line of each problem, the annotations left out, skipped files and schema additions", async () => {
    await start();
    chosen = ["/data/set.jsonl", "/data/brat"];
    importReport = {
      ...importReport,
      imported: [1, 2, 5].map((line) => ({ path: "/data/set.jsonl", line, doc_id: `n${line}` })),
      duplicates: [{ path: "/data/set.jsonl", line: 3, existing_doc_id: "d1", layers_present: [] }],
      failed: [
        { path: "/data/set.jsonl", line: 4, reason: "not JSON: expected value at column 1" },
        { path: "/data/brat/broken.ann", line: null, reason: "no .txt beside it" },
      ],
      warnings: Array.from({ length: 12 }, (_, i) => ({
        path: "/data/set.jsonl",
        line: i + 1,
        reason: `span ${i}..${i + 5} does not match the text`,
      })),
      skipped: [{ path: "/data/brat/annotation.conf", line: null, reason: "brat configuration" }],
      schema_added: ["span label ORG", "relation type works_for"],
      spans: 40,
      relations: 2,
    };
    q<HTMLButtonElement>('[data-testid="import-files"]').click();
    const summary = await vi.waitFor(() => q('[data-testid="import-summary"]'));
    expect(callsOf("choose_paths")[0]).toEqual({ purpose: "import_files", suggestedName: null });
    expect(summary.textContent).toBe(
      "Imported 3 documents from 2 files with 40 spans and 2 relations, 1 duplicate skipped, 2 failed.",
    );
    const items = (testid: string) => [...q(`[data-testid="${testid}"]`).querySelectorAll("li")].map((li) => li.textContent);
    expect(items("import-failed")).toEqual([
      "/data/set.jsonl:4: not JSON: expected value at column 1",
      "/data/brat/broken.ann: no .txt beside it",
    ]);
    expect(items("import-duplicates")).toEqual(["/data/set.jsonl:3 (same as document d1)"]);
    const dialog = q('[data-testid="job"]');
    expect(dialog.textContent).toContain("12 annotations left out");
    const warnings = items("import-warnings");
    expect(warnings).toHaveLength(11);
    expect(warnings[0]).toBe("/data/set.jsonl:1: span 0..5 does not match the text");
    expect(warnings[9]).toBe("/data/set.jsonl:10: span 9..14 does not match the text");
    expect(warnings[10]).toBe("… and 2 more");
    expect(items("import-skipped")).toEqual(["/data/brat/annotation.conf: brat configuration"]);
    expect(items("import-schema-added")).toEqual(["span label ORG", "relation type works_for"]);
  });

  it("reads the schema again after an import added to it, and only then", async () => {
    const app = await start();
    expect(callsOf("get_schema")).toHaveLength(1);
    chosen = ["/data/plain.txt"];
    q<HTMLButtonElement>('[data-testid="import-files"]').click();
    await vi.waitFor(() => q('[data-testid="import-summary"]'));
    expect(callsOf("get_schema")).toHaveLength(1);
    q<HTMLButtonElement>('[data-testid="job"] button').click();
    flushSync();

    const withOrg = { ...schemaFixture, span_labels: [...schemaFixture.span_labels, { name: "ORG", color: "#8c564b", hotkey: null, description: "Added by an import." }] };
    ui.core.schemaNow = withOrg;
    importReport = { ...importReport, schema_added: ["span label ORG"] };
    q<HTMLButtonElement>('[data-testid="import-files"]').click();
    await vi.waitFor(() => expect(callsOf("get_schema")).toHaveLength(2));
    await vi.waitFor(() => expect(app.schema?.span_labels.map((l) => l.name)).toContain("ORG"));
  });
});

describe("import progress", () => {
  it("shows the documents stored so far while a large file imports", async () => {
    await start();
    chosen = ["/data/big.jsonl"];
    let finish = (): void => {};
    importing = async (progress) => {
      const step = (documents_stored: number) =>
        progress.onmessage({ files_done: 0, files_total: 1, bytes_done: 0, bytes_total: 9_000_000, documents_stored });
      step(0);
      step(512);
      await new Promise<void>((resolve) => (finish = resolve));
      return importReport;
    };
    q<HTMLButtonElement>('[data-testid="import-files"]').click();
    const detail = await vi.waitFor(() => q('[data-testid="job-detail"]'));
    expect(detail.textContent).toBe("512 documents stored");
    expect(q('[data-testid="job"]').textContent).toContain("0 / 1 files");
    finish();
    await vi.waitFor(() => q('[data-testid="import-summary"]'));
    expect(ui.target.querySelector('[data-testid="job-detail"]')).toBeNull();
  });
});
