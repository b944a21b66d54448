import { describe, expect, it } from "vitest";
import { isTypingTarget, navCommand, step, type KeyLike } from "$lib/keys";

function key(k: string, extra: Partial<KeyLike> = {}): KeyLike {
  return { key: k, ctrlKey: false, metaKey: false, altKey: false, target: null, ...extra };
}

describe("navCommand", () => {
  it("maps J to next and K to previous", () => {
    expect(navCommand(key("j"))).toBe("next");
    expect(navCommand(key("k"))).toBe("prev");
    expect(navCommand(key("J"))).toBe("next");
    expect(navCommand(key("K"))).toBe("prev");
  });

  it("ignores other keys and J / K with Ctrl, Alt or Meta", () => {
    expect(navCommand(key("l"))).toBeNull();
    expect(navCommand(key("ArrowDown"))).toBeNull();
    expect(navCommand(key("j", { ctrlKey: true }))).toBeNull();
    expect(navCommand(key("k", { altKey: true }))).toBeNull();
    expect(navCommand(key("j", { metaKey: true }))).toBeNull();
    expect(navCommand(key("j", { isComposing: true }))).toBeNull();
  });

  it("ignores J / K typed into a text field", () => {
    const input = document.createElement("input");
    const textarea = document.createElement("textarea");
    const button = document.createElement("button");
    expect(isTypingTarget(input)).toBe(true);
    expect(navCommand(key("j", { target: input }))).toBeNull();
    expect(navCommand(key("k", { target: textarea }))).toBeNull();
    expect(navCommand(key("j", { target: button }))).toBe("next");
  });
});

describe("step", () => {
  const ids = ["a", "b", "c"];

  it("moves one document forward and back", () => {
    expect(step(ids, "a", "next")).toBe("b");
    expect(step(ids, "b", "next")).toBe("c");
    expect(step(ids, "c", "prev")).toBe("b");
    expect(step(ids, "b", "prev")).toBe("a");
  });

  it("stays at either end", () => {
    expect(step(ids, "c", "next")).toBe("c");
    expect(step(ids, "a", "prev")).toBe("a");
  });

  it("starts from the first (next) or the last (prev) with nothing selected", () => {
    expect(step(ids, null, "next")).toBe("a");
    expect(step(ids, null, "prev")).toBe("c");
    expect(step(ids, "gone", "next")).toBe("a");
    expect(step([], null, "next")).toBeNull();
  });
});
