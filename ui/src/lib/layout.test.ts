import { describe, expect, it } from "vitest";
import { layoutBlocks, layoutText, type Layout, type SpanInput } from "$lib/layout";

/** Each segment as `text:labels` (labels by lane, `+` joined; `-` for none), innermost marked. */
function describeLayout(layout: Layout): string[] {
  return layout.segments.map((s) => {
    const labels = s.spans.map((p) => (p === s.innermost ? `*${p.label}` : p.label));
    return `${s.text}|${labels.join("+") || "-"}`;
  });
}

function span(id: string, start: number, end: number, label = id): SpanInput {
  return { id, start, end, label };
}

describe("layoutText", () => {
  it("returns the whole text as one plain segment when there are no spans", () => {
    const l = layoutText("Hello world", []);
    expect(describeLayout(l)).toEqual(["Hello world|-"]);
    expect(l.lanes).toBe(0);
  });

  it("returns nothing for empty text", () => {
    expect(layoutText("", []).segments).toEqual([]);
  });

  it("splits at every boundary of overlapping spans", () => {
    //            0123456789
    const text = "aaaabbbbcc";
    const l = layoutText(text, [span("A", 0, 6), span("B", 4, 10)]);
    expect(describeLayout(l)).toEqual(["aaaa|*A", "bb|A+*B", "bbcc|*B"]);
    // Overlapping spans take different lanes and keep them along their whole length.
    const lanes = Object.fromEntries(l.spans.map((s) => [s.id, s.lane]));
    expect(lanes).toEqual({ A: 0, B: 1 });
    expect(l.lanes).toBe(2);
  });

  it("draws a nested span inside its parent, the parent nearer the text", () => {
    const text = "He said over 100,000 troops left.";
    const claim = span("claim", 8, 32, "CLAIM");
    const qty = span("qty", 8, 27, "QUANTITY");
    const num = span("num", 13, 20, "NUMBER");
    const l = layoutText(text, [num, qty, claim]);
    expect(describeLayout(l)).toEqual([
      "He said |-",
      "over |CLAIM+*QUANTITY",
      "100,000|CLAIM+QUANTITY+*NUMBER",
      " troops|CLAIM+*QUANTITY",
      " left|*CLAIM",
      ".|-",
    ]);
    expect(l.spans.map((s) => `${s.id}:${s.lane}`)).toEqual(["claim:0", "qty:1", "num:2"]);
  });

  it("reuses a free lane once a span has ended", () => {
    const l = layoutText("abcdefghij", [span("A", 0, 3), span("B", 2, 5), span("C", 4, 8)]);
    expect(l.spans.map((s) => `${s.id}:${s.lane}`)).toEqual(["A:0", "B:1", "C:0"]);
    expect(l.lanes).toBe(2);
    expect(describeLayout(l)).toEqual(["ab|*A", "c|A+*B", "d|*B", "e|C+*B", "fgh|*C", "ij|-"]);
  });

  it("keeps two labels on the same text apart, and picks one innermost deterministically", () => {
    const l = layoutText("Konashenkov said", [span("y", 0, 11, "SOURCE"), span("x", 0, 11, "CLAIM")]);
    expect(l.segments[0]!.spans.map((s) => s.id)).toEqual(["x", "y"]);
    expect(l.segments[0]!.innermost!.id).toBe("y");
    expect(l.lanes).toBe(2);
  });

  it("converts code point offsets to UTF-16 around emoji and combining marks", () => {
    // Code points: 0 '😀', 1 ' ', 2 'C', 3 'a', 4 'f', 5 'e', 6 U+0301, 7 ' ', 8 '🇺', 9 '🇦', 10 '!'
    const text = "😀 Cafe\u0301 🇺🇦!";
    const l = layoutText(text, [span("cafe", 2, 7, "WORD"), span("flag", 8, 10, "FLAG")]);
    expect(describeLayout(l)).toEqual(["😀 |-", "Cafe\u0301|*WORD", " |-", "🇺🇦|*FLAG", "!|-"]);
    const flag = l.spans.find((s) => s.id === "flag")!;
    expect([flag.start, flag.end, flag.cpStart, flag.cpEnd]).toEqual([9, 13, 8, 10]);
  });

  it("cuts at search matches (code points) and marks the segments inside them", () => {
    const text = "😀 troops return to troops";
    const l = layoutText(text, [span("r", 9, 15, "CUE")], [[2, 8], [19, 25], [99, 120]]);
    const marked = l.segments.filter((s) => s.marked).map((s) => s.text);
    expect(marked).toEqual(["troops", "troops"]);
    expect(l.segments.map((s) => s.text).join("")).toBe(text);
    expect(l.segments.find((s) => s.text === "return")?.marked).toBe(false);
  });

  it("covers the text exactly: the segments concatenate back to it", () => {
    const text = "🙂 “Over 100,000” troops, said Konashenkov 👍🏽, are returning.";
    const n = Array.from(text).length;
    const spans = [span("a", 0, n), span("b", 2, 17), span("c", 3, 10), span("d", 15, 30), span("e", n - 1, n)];
    const l = layoutText(text, spans);
    expect(l.segments.map((s) => s.text).join("")).toBe(text);
    for (let i = 1; i < l.segments.length; i++) {
      expect(l.segments[i]!.start).toBe(l.segments[i - 1]!.end);
    }
    // Every segment lists exactly the spans whose range contains it.
    for (const seg of l.segments) {
      const expected = l.spans.filter((s) => s.start <= seg.start && s.end >= seg.end).map((s) => s.id);
      expect(seg.spans.map((s) => s.id).sort()).toEqual(expected.sort());
    }
  });

  it("rejects spans that cannot be drawn, and draws the rest", () => {
    const l = layoutText("short 😀", [
      span("ok", 0, 5),
      span("past-end", 3, 8),
      span("empty", 2, 2),
      span("reversed", 4, 1),
    ]);
    // "short 😀" is 7 code points (8 UTF-16 units): [3, 8) is past its end.
    expect(l.rejected.map((r) => r.span.id)).toEqual(["past-end", "empty", "reversed"]);
    expect(describeLayout(l)).toEqual(["short|*ok", " 😀|-"]);
  });
});

describe("layoutBlocks", () => {
  const text = "First para has words.\n\nSecond one here.\n\n\nThird.";

  it("cuts the text into paragraphs that concatenate back to it", () => {
    const blocks = layoutBlocks(text, layoutText(text, []));
    expect(blocks.map((b) => b.segments.map((s) => s.text).join(""))).toEqual([
      "First para has words.\n\n",
      "Second one here.\n\n\n",
      "Third.",
    ]);
  });

  it("splits a span that runs across a paragraph end, keeping it in both", () => {
    const start = text.indexOf("words");
    const end = text.indexOf("one") + 3;
    const blocks = layoutBlocks(text, layoutText(text, [span("x", start, end, "CLAIM")]));
    const labelled = blocks.flatMap((b) => b.segments.filter((s) => s.spans.length > 0).map((s) => s.text));
    expect(labelled).toEqual(["words.\n\n", "Second one"]);
  });

  it("reuses the blocks a change did not touch", () => {
    const before = layoutBlocks(text, layoutText(text, []));
    const at = text.indexOf("Second");
    const after = layoutBlocks(text, layoutText(text, [span("y", at, at + 6, "SOURCE")]), before);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    expect(after[2]).toBe(before[2]);
  });

  it("draws again a paragraph whose spans changed label, lane or extent, or that a search mark reaches", () => {
    const first = text.indexOf("para");
    const second = text.indexOf("Second");
    const long = span("x", first, second + 6, "CLAIM");
    const before = layoutBlocks(text, layoutText(text, [long]));
    const again = (spans: SpanInput[], marks: [number, number][] = []) =>
      layoutBlocks(text, layoutText(text, spans, marks), before);
    // Nothing changed: every paragraph is the same object.
    expect(again([long]).every((b, i) => b === before[i])).toBe(true);
    // Relabelled: both paragraphs it covers are drawn again, the third is not.
    const relabelled = again([{ ...long, label: "SOURCE" }]);
    expect([relabelled[0] === before[0], relabelled[1] === before[1], relabelled[2] === before[2]]).toEqual([false, false, true]);
    // Its end moved within the second paragraph: the first draws the same stretches, but the span
    // covering them is shorter (which one a click selects may change), so it is drawn again too.
    const shorter = again([{ ...long, end: second + 3 }]);
    expect([shorter[0] === before[0], shorter[1] === before[1]]).toEqual([false, false]);
    // A span added in the first paragraph: it is drawn again, the third is not.
    const nested = again([long, span("y", first, first + 4, "CUE")]);
    expect([nested[0] === before[0], nested[2] === before[2]]).toEqual([false, true]);
    // A search match in the third paragraph: only it is drawn again.
    const third = text.indexOf("Third");
    const marked = again([long], [[third, third + 3]]);
    expect([marked[0] === before[0], marked[1] === before[1], marked[2] === before[2]]).toEqual([true, true, false]);
  });
});
