import { describe, expect, it } from "vitest";
import { documentOffset, selectionExtent, snapToWords, stepExtent, textOffset } from "$lib/selection";

function snapped(text: string, start: number, end: number): string | null {
  const e = snapToWords(text, start, end);
  return e === null ? null : text.slice(e.start, e.end);
}

describe("snapToWords", () => {
  const text = "The ministry said troops would return to their bases.";

  it("grows a selection that cuts words to the whole words", () => {
    // "inistry sa" → "ministry said"
    expect(snapped(text, 5, 15)).toBe("ministry said");
    expect(snapped(text, 4, 12)).toBe("ministry");
  });

  it("drops whitespace at the edges and keeps selected punctuation", () => {
    expect(snapped(text, 3, 13)).toBe("ministry");
    expect(snapped(text, 47, 54)).toBe("bases.");
  });

  it("returns null for a selection of only whitespace", () => {
    expect(snapToWords(text, 3, 4)).toBeNull();
  });

  it("keeps apostrophes and hyphens inside words", () => {
    const t = "a pro-Kremlin outlet didn’t say";
    expect(snapped(t, 6, 9)).toBe("pro-Kremlin");
    expect(snapped(t, 21, 23)).toBe("didn’t");
  });

  it("never splits an emoji's surrogate pair and counts it as a word edge", () => {
    const t = "go 🇺🇦 Kyiv now";
    const start = t.indexOf("Kyiv") + 1;
    expect(snapped(t, start, start + 2)).toBe("Kyiv");
    const flag = t.indexOf("🇺🇦");
    expect(snapped(t, flag, flag + 4)).toBe("🇺🇦");
  });

  it("accepts a reversed selection", () => {
    expect(snapped(text, 15, 5)).toBe("ministry said");
  });
});

describe("selection offsets", () => {
  function build(): HTMLDivElement {
    const div = document.createElement("div");
    div.innerHTML = 'Troops <span class="seg">will return</span> to <span>bases</span>.';
    document.body.appendChild(div);
    return div;
  }

  it("counts the text of every node before the position", () => {
    const div = build();
    const inner = div.querySelector("span")!.firstChild!;
    expect(textOffset(div, inner, 5)).toBe(12);
    const last = div.lastChild!;
    expect(textOffset(div, last, 1)).toBe(div.textContent!.length);
    div.remove();
  });

  it("is null outside the container", () => {
    const div = build();
    const other = document.createTextNode("elsewhere");
    expect(textOffset(div, other, 2)).toBeNull();
    div.remove();
  });

  it("reads a DOM selection across elements as text offsets", () => {
    const div = build();
    const range = document.createRange();
    range.setStart(div.firstChild!, 2); // "oops…"
    range.setEnd(div.querySelectorAll("span")[1]!.firstChild!, 3); // "…bas"
    const sel = window.getSelection()!;
    sel.removeAllRanges();
    sel.addRange(range);
    const extent = selectionExtent(div, sel)!;
    expect(div.textContent!.slice(extent.start, extent.end)).toBe("oops will return to bas");
    sel.removeAllRanges();
    div.remove();
  });
});

describe("documentOffset", () => {
  it("counts from each rendered paragraph's place in the document, skipping spacers", () => {
    const div = document.createElement("div");
    div.innerHTML =
      '<div class="spacer"></div><div data-start="100" data-end="110">Troops <span>left</span>.</div>' +
      '<div data-start="110" data-end="120">Second.</div><div class="spacer"></div>';
    document.body.appendChild(div);
    const left = div.querySelector("span")!.firstChild!;
    expect(documentOffset(div, left, 2)).toBe(109);
    const second = div.children[2]!.firstChild!;
    expect(documentOffset(div, second, 3)).toBe(113);
    // Between children: after the paragraph before the position.
    expect(documentOffset(div, div, 2)).toBe(110);
    expect(documentOffset(div, div, 0)).toBe(100);
    expect(documentOffset(div, div, 4)).toBe(120);
    div.remove();
  });

  it("finds no text position in another layer's lane", () => {
    const div = document.createElement("div");
    div.innerHTML =
      '<div data-start="100" data-end="110">Troops left.<div data-lane><span data-start="3" data-end="5" data-text="Troops"></span></div></div>';
    document.body.appendChild(div);
    const bar = div.querySelector("[data-lane] span")!;
    expect(documentOffset(div, bar, 0)).toBeNull();
    expect(documentOffset(div, div.firstChild!.firstChild!, 6)).toBe(106);
    div.remove();
  });
});

describe("stepExtent", () => {
  const text = "The ministry said troops would return.";
  const ext = (s: string) => ({ start: text.indexOf(s), end: text.indexOf(s) + s.length });
  const show = (e: { start: number; end: number } | null) => (e === null ? null : text.slice(e.start, e.end));

  it("grows and shrinks the end by a word", () => {
    expect(show(stepExtent(text, ext("said troops"), "end", true))).toBe("said troops would");
    expect(show(stepExtent(text, ext("said troops"), "end", false))).toBe("said");
  });

  it("grows and shrinks the start by a word", () => {
    expect(show(stepExtent(text, ext("said troops"), "start", true))).toBe("ministry said troops");
    expect(show(stepExtent(text, ext("said troops"), "start", false))).toBe("troops");
  });

  it("never makes an empty span", () => {
    expect(stepExtent(text, ext("said"), "end", false)).toBeNull();
    expect(stepExtent(text, ext("said"), "start", false)).toBeNull();
  });
});
