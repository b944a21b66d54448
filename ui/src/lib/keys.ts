/** Keyboard commands of the app that are not tied to a focused control. */

export type NavCommand = "next" | "prev";

/** What `navCommand` needs of a keyboard event (a real `KeyboardEvent` has all of it). */
export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  target: EventTarget | null;
  /** True while an input method is composing text. */
  isComposing?: boolean;
}

/** True when the keystroke goes to something the user types into. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (target === null || typeof target !== "object") return false;
  const el = target as { tagName?: unknown; isContentEditable?: unknown };
  if (el.isContentEditable === true) return true;
  const tag = typeof el.tagName === "string" ? el.tagName.toUpperCase() : "";
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
}

/** J selects the next document, K the previous one; not while typing or with Ctrl, Alt or Meta. */
export function navCommand(e: KeyLike): NavCommand | null {
  if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing === true) return null;
  if (isTypingTarget(e.target)) return null;
  switch (e.key) {
    case "j":
    case "J":
      return "next";
    case "k":
    case "K":
      return "prev";
    default:
      return null;
  }
}

/**
 * The id to select after moving one step from `current` in `ids`. With nothing selected, "next"
 * picks the first and "prev" the last. At either end it stays put (no wrap-around). `null` when
 * the list is empty.
 */
export function step(ids: readonly string[], current: string | null, cmd: NavCommand): string | null {
  if (ids.length === 0) return null;
  const at = current === null ? -1 : ids.indexOf(current);
  if (at === -1) return cmd === "next" ? ids[0]! : ids[ids.length - 1]!;
  const to = cmd === "next" ? Math.min(at + 1, ids.length - 1) : Math.max(at - 1, 0);
  return ids[to]!;
}
