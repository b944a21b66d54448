import { describe, expect, it } from "vitest";
import { atLine, firstOf, importSummary } from "$lib/reports";
import { importReportWith as report } from "../test/fixtures";

describe("import reports", () => {
  it("counts plain files as files, as before", () => {
    const r = report({
      imported: ["a.txt", "b.txt", "c.txt"].map((path, i) => ({ path, line: null, doc_id: `d${i}` })),
      failed: [{ path: "x.pdf", line: null, reason: "not text" }],
    });
    expect(importSummary(r)).toBe("Imported 3 files, 1 file failed.");
  });

  it("counts documents of dataset files, with their spans and relations", () => {
    const r = report({
      imported: [1, 2, 3].map((line) => ({ path: "/data/set.jsonl", line, doc_id: `d${line}` })),
      duplicates: [{ path: "/data/set.jsonl", line: 4, existing_doc_id: "d0", layers_present: [] }],
      failed: [{ path: "/data/other.jsonl", line: 7, reason: "not JSON" }],
      spans: 12,
      relations: 1,
      cancelled: true,
    });
    expect(importSummary(r)).toBe(
      "Imported 3 documents from 2 files with 12 spans and 1 relation, 1 duplicate skipped, 1 failed; cancelled before the end.",
    );
    expect(importSummary(report({ imported: [{ path: "a.conll", line: 1, doc_id: "d" }], spans: 2 }))).toBe(
      "Imported 1 document from 1 file with 2 spans.",
    );
  });

  it("counts a colleague's layers of documents already here apart from new documents", () => {
    const r = report({
      layers: [{ path: "/data/ben.jsonl", line: 1, doc_id: "d0", added: ["ben"], present: [] }],
      duplicates: [{ path: "/data/ben.jsonl", line: 2, existing_doc_id: "d1", layers_present: ["ben"] }],
      spans: 4,
    });
    expect(importSummary(r)).toBe(
      "Imported 0 documents from 1 file with 4 spans, layers added to 1 document already here, 1 duplicate skipped.",
    );
  });

  it("names the line of a record in a dataset file", () => {
    expect(atLine({ path: "/data/set.jsonl", line: 7 })).toBe("/data/set.jsonl:7");
    expect(atLine({ path: "/data/a.txt", line: null })).toBe("/data/a.txt");
    expect(firstOf([1, 2, 3], 2)).toEqual({ shown: [1, 2], more: 1 });
    expect(firstOf([1], 2)).toEqual({ shown: [1], more: 0 });
  });
});
