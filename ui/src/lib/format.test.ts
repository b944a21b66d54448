import { describe, expect, it } from "vitest";
import { displayTitle } from "$lib/format";

describe("displayTitle", () => {
  const doc = { id: "0194f2aa-0000-7000-8000-000000000000", title: null, derived_title: null, source_file: null };

  it("names a document by its title, else its derived title, else its file, else its id", () => {
    expect(displayTitle({ ...doc, title: "Troops return", derived_title: "Some troops…", source_file: "a.jsonl" })).toEqual({
      text: "Troops return",
      fallback: false,
    });
    // A dataset's untitled documents are told apart by their first sentence, not one file name.
    expect(displayTitle({ ...doc, derived_title: "Some troops are returning to bases.", source_file: "a.jsonl" })).toEqual({
      text: "Some troops are returning to bases.",
      fallback: true,
    });
    expect(displayTitle({ ...doc, title: "  ", source_file: "a.jsonl" })).toEqual({ text: "a.jsonl", fallback: true });
    expect(displayTitle(doc)).toEqual({ text: doc.id, fallback: true });
  });
});
