import { describe, expect, it } from "vitest";
import { hotkeyIndex, isTypingTarget, keyCommand, step, type KeyContext, type KeyLike } from "$lib/keys";

function key(k: string, extra: Partial<KeyLike> = {}): KeyLike {
  return { key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, target: null, ...extra };
}

const ctx: KeyContext = {
  hotkeys: hotkeyIndex([
    { name: "CLAIM", hotkey: "1" },
    { name: "SOURCE", hotkey: "2" },
    { name: "OTHER", hotkey: "X" },
    { name: "NOKEY", hotkey: null },
  ]),
  choosing: false,
};

const kind = (e: KeyLike, c: KeyContext = ctx) => keyCommand(e, c)?.kind ?? null;

describe("keyCommand", () => {
  it("maps J / K to the next and previous document", () => {
    expect(kind(key("j"))).toBe("next-doc");
    expect(kind(key("K"))).toBe("prev-doc");
    expect(kind(key("j", { ctrlKey: true }))).toBeNull();
    expect(kind(key("j", { altKey: true }))).toBeNull();
    expect(kind(key("j", { isComposing: true }))).toBeNull();
  });

  it("maps a label's hotkey, in either case, to that label", () => {
    expect(keyCommand(key("1"), ctx)).toEqual({ kind: "label", label: "CLAIM" });
    expect(keyCommand(key("x"), ctx)).toEqual({ kind: "label", label: "OTHER" });
    expect(keyCommand(key("2", { altKey: true }), ctx)).toBeNull();
  });

  it("turns digits into choices while a choice is offered", () => {
    expect(keyCommand(key("2"), { ...ctx, choosing: true })).toEqual({ kind: "choose", index: 1 });
    expect(keyCommand(key("x"), { ...ctx, choosing: true })).toEqual({ kind: "label", label: "OTHER" });
  });

  it("turns a suggestion in focus down with X, before a label's key X, outside text fields", () => {
    const suggesting = { ...ctx, suggesting: true };
    expect(kind(key("x"), suggesting)).toBe("reject");
    expect(kind(key("X"), suggesting)).toBe("reject");
    expect(keyCommand(key("x"), ctx)).toEqual({ kind: "label", label: "OTHER" });
    expect(kind(key("x", { target: document.createElement("button") }), suggesting)).toBe("reject");
    expect(kind(key("x", { target: document.createElement("input") }), suggesting)).toBeNull();
    expect(kind(key("Enter"), suggesting)).toBe("confirm");
  });

  it("maps undo and redo with Ctrl (or Cmd), with and without Shift", () => {
    expect(kind(key("z", { ctrlKey: true }))).toBe("undo");
    expect(kind(key("Z", { ctrlKey: true, shiftKey: true }))).toBe("redo");
    expect(kind(key("y", { ctrlKey: true }))).toBe("redo");
    expect(kind(key("z", { metaKey: true }))).toBe("undo");
    expect(kind(key("Enter", { ctrlKey: true }))).toBe("done");
  });

  it("walks spans with Tab only in the reader, leaving Tab to focus elsewhere", () => {
    const reader = document.createElement("section");
    reader.dataset.keyscope = "reader";
    const inside = document.createElement("span");
    reader.appendChild(inside);
    const button = document.createElement("button");
    expect(kind(key("Tab", { target: inside }))).toBe("next-span");
    expect(kind(key("Tab", { target: inside, shiftKey: true }))).toBe("prev-span");
    expect(kind(key("Tab", { target: document.body }))).toBe("next-span");
    expect(kind(key("Tab", { target: button }))).toBeNull();
    expect(kind(key("Enter", { target: button }))).toBeNull();
    expect(kind(key("Enter", { target: inside }))).toBe("confirm");
  });

  it("moves a span's edges by words with Shift (end) and Alt+Shift (start)", () => {
    expect(keyCommand(key("ArrowRight", { shiftKey: true }), ctx)).toEqual({ kind: "resize", edge: "end", grow: true });
    expect(keyCommand(key("ArrowLeft", { shiftKey: true }), ctx)).toEqual({ kind: "resize", edge: "end", grow: false });
    expect(keyCommand(key("ArrowLeft", { shiftKey: true, altKey: true }), ctx)).toEqual({ kind: "resize", edge: "start", grow: true });
    expect(keyCommand(key("ArrowRight", { shiftKey: true, altKey: true }), ctx)).toEqual({ kind: "resize", edge: "start", grow: false });
    expect(kind(key("ArrowRight"))).toBe("caret"); // plain: the caret
  });

  it("maps the other keys", () => {
    expect(kind(key("Delete"))).toBe("delete");
    expect(kind(key("Backspace"))).toBe("delete");
    expect(kind(key("r"))).toBe("relate");
    expect(kind(key("a"))).toBe("arcs");
    // ← / → move the caret in the text (Ctrl: by word); Shift extends, unless a span is selected.
    expect(keyCommand(key("ArrowRight"), ctx)).toEqual({ kind: "caret", forward: true, unit: "character", extend: false });
    expect(keyCommand(key("ArrowLeft", { ctrlKey: true, shiftKey: true }), { ...ctx, spanSelected: true })).toEqual({
      kind: "caret",
      forward: false,
      unit: "word",
      extend: true,
    });
    expect(keyCommand(key("ArrowRight", { shiftKey: true }), { ...ctx, spanSelected: false })).toEqual({
      kind: "caret",
      forward: true,
      unit: "character",
      extend: true,
    });
    // ↑ / ↓ and Home / End are the caret's once it shows; before, they scroll the text as usual.
    expect(kind(key("ArrowDown"))).toBeNull();
    expect(kind(key("End"))).toBeNull();
    const caret = { ...ctx, caretActive: true };
    expect(keyCommand(key("ArrowDown"), caret)).toEqual({ kind: "caret", forward: true, unit: "line", extend: false });
    expect(keyCommand(key("Home", { shiftKey: true }), caret)).toEqual({ kind: "caret", forward: false, unit: "lineboundary", extend: true });
    expect(kind(key("ArrowRight", { shiftKey: true }), { ...ctx, spanSelected: true })).toBe("resize");
    // Shift+Tab as the webview reports it.
    expect(kind(key("Unidentified", { shiftKey: true, code: "Tab" }))).toBe("prev-span");
    expect([..."gpoce"].map((k) => kind(key(k)))).toEqual(["group", "add-passage", "open-passage", "compare", "export"]);
    expect(kind(key("A", { shiftKey: true }))).toBe("arcs");
    expect(kind(key("/"))).toBe("search");
    expect(kind(key("?", { shiftKey: true }))).toBe("help");
    expect(kind(key("Escape"))).toBe("escape");
    expect(kind(key("q"))).toBeNull();
  });

  it("leaves keys typed into a text field alone, except Escape", () => {
    const input = document.createElement("input");
    const textarea = document.createElement("textarea");
    expect(isTypingTarget(input)).toBe(true);
    expect(kind(key("j", { target: input }))).toBeNull();
    expect(kind(key("1", { target: textarea }))).toBeNull();
    expect(kind(key("z", { target: input, ctrlKey: true }))).toBeNull();
    expect(kind(key("Delete", { target: input }))).toBeNull();
    expect(kind(key("Escape", { target: input }))).toBe("escape");
    // A checkbox or radio takes no typing: the keys stay the app's.
    const box = document.createElement("input");
    box.type = "checkbox";
    expect(isTypingTarget(box)).toBe(false);
    expect(kind(key("j", { target: box }))).toBe("next-doc");
    expect(isTypingTarget(document.createElement("select"))).toBe(true);
  });
});

describe("step", () => {
  const ids = ["a", "b", "c"];

  it("moves one forward and back", () => {
    expect(step(ids, "a", true)).toBe("b");
    expect(step(ids, "b", true)).toBe("c");
    expect(step(ids, "c", false)).toBe("b");
    expect(step(ids, "b", false)).toBe("a");
  });

  it("stays at either end", () => {
    expect(step(ids, "c", true)).toBe("c");
    expect(step(ids, "a", false)).toBe("a");
  });

  it("starts from the first (forward) or the last (back) with nothing selected", () => {
    expect(step(ids, null, true)).toBe("a");
    expect(step(ids, null, false)).toBe("c");
    expect(step(ids, "gone", true)).toBe("a");
    expect(step([], null, true)).toBeNull();
  });
});
