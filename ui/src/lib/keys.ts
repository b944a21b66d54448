/** The app's keyboard commands: which key does what, outside text fields. */

/** How far the caret moves (the granularities of `Selection.modify`). */
export type CaretUnit = "character" | "word" | "line" | "lineboundary";

/** What a keystroke asks for. */
export type Command =
  | { kind: "next-doc" }
  | { kind: "prev-doc" }
  | { kind: "next-span" }
  | { kind: "prev-span" }
  /** A label's hotkey: label the selected text, or relabel the selected span. */
  | { kind: "label"; label: string }
  /** A digit while a choice is offered (e.g. which relation type). */
  | { kind: "choose"; index: number }
  | { kind: "delete" }
  /** Shift+→ / Shift+←: the selected span's end by a word; with Alt, its start. */
  | { kind: "resize"; edge: "start" | "end"; grow: boolean }
  /**
   * ← / → in the text: the caret by a character (Ctrl: a word); once it shows, ↑ / ↓ by a line
   * and Home / End to the line's ends. Shift extends the selection.
   */
  | { kind: "caret"; forward: boolean; unit: CaretUnit; extend: boolean }
  | { kind: "relate" }
  /** A: draw every relation as an arc, the selected span's only, or none. */
  | { kind: "arcs" }
  /** G: start a claim group with the selected claim. */
  | { kind: "group" }
  /** P: add the selected claim's top similar passage to its group; O: open that passage. */
  | { kind: "add-passage" }
  | { kind: "open-passage" }
  /** C: the compare view (and back); E: the export dialog. */
  | { kind: "compare" }
  | { kind: "export" }
  /** Enter: pick the link target, link a SOURCE to its entity, or accept the suggestion in focus. */
  | { kind: "confirm" }
  /** X while a suggestion is in focus: turn it down. */
  | { kind: "reject" }
  | { kind: "undo" }
  | { kind: "redo" }
  | { kind: "search" }
  | { kind: "help" }
  | { kind: "escape" }
  | { kind: "done" };

/** What `keyCommand` needs of a keyboard event (a real `KeyboardEvent` has all of it). */
export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey?: boolean;
  target: EventTarget | null;
  /** True while an input method is composing text. */
  isComposing?: boolean;
  /** The physical key (`Tab`), for keys the webview cannot name. */
  code?: string;
}

/** Input types that take no typing: keys there are the app's (a clicked checkbox keeps the focus). */
const UNTYPED_INPUTS = new Set(["checkbox", "radio", "button", "submit", "reset", "range", "color", "file", "image"]);

/** True when the keystroke goes to something the user types into. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (target === null || typeof target !== "object") return false;
  const el = target as { tagName?: unknown; isContentEditable?: unknown; type?: unknown };
  if (el.isContentEditable === true) return true;
  const tag = typeof el.tagName === "string" ? el.tagName.toUpperCase() : "";
  if (tag === "INPUT") return !(typeof el.type === "string" && UNTYPED_INPUTS.has(el.type.toLowerCase()));
  return tag === "TEXTAREA" || tag === "SELECT";
}

/** True when focus is on the page itself or in the reader, where Tab walks spans. */
function inReader(target: EventTarget | null): boolean {
  if (target === null || typeof target !== "object") return true;
  const el = target as { tagName?: unknown; closest?: (s: string) => unknown };
  const tag = typeof el.tagName === "string" ? el.tagName.toUpperCase() : "";
  if (tag === "BODY" || tag === "HTML") return true;
  return typeof el.closest === "function" && el.closest("[data-keyscope='reader']") !== null;
}

export interface KeyContext {
  /** Label names by hotkey (lower case). */
  hotkeys: ReadonlyMap<string, string>;
  /** A numbered choice is on screen: digits pick from it instead of labelling. */
  choosing: boolean;
  /** A suggestion is in focus: X turns it down (before any label's key X). */
  suggesting?: boolean;
  /** A span is selected: Shift+arrows resize it (else they extend the caret's selection). */
  spanSelected?: boolean;
  /** The caret shows (or a selection made with it): ↑ / ↓, Home and End move it, not the page. */
  caretActive?: boolean;
}

/** Label names by their hotkey, lower-cased. */
export function hotkeyIndex(labels: readonly { name: string; hotkey: string | null }[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const l of labels) {
    if (l.hotkey) map.set(l.hotkey.toLowerCase(), l.name);
  }
  return map;
}

/**
 * The command a keystroke gives, or `null` when the key is not the app's (then it keeps its
 * usual meaning). In a text field only Escape is the app's.
 */
export function keyCommand(event: KeyLike, ctx: KeyContext): Command | null {
  if (event.isComposing === true) return null;
  // WebKitGTK names Shift+Tab (GDK's ISO_Left_Tab) "Unidentified"; its code is still Tab.
  // (A real KeyboardEvent's fields are getters: copied one by one, not spread.)
  const e: KeyLike =
    event.key === "Unidentified" && event.code === "Tab"
      ? {
          key: "Tab",
          ctrlKey: event.ctrlKey,
          metaKey: event.metaKey,
          altKey: event.altKey,
          shiftKey: event.shiftKey === true,
          target: event.target,
        }
      : event;
  if (isTypingTarget(e.target)) return e.key === "Escape" ? { kind: "escape" } : null;
  const ctrl = e.ctrlKey || e.metaKey;
  const shift = e.shiftKey === true;
  if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
    const right = e.key === "ArrowRight";
    if (shift && !ctrl && ctx.spanSelected !== false) {
      return e.altKey ? { kind: "resize", edge: "start", grow: !right } : { kind: "resize", edge: "end", grow: right };
    }
    if (e.altKey || !inReader(e.target)) return null;
    return { kind: "caret", forward: right, unit: ctrl ? "word" : "character", extend: shift };
  }
  if (ctx.caretActive === true && !ctrl && !e.altKey && inReader(e.target)) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") return { kind: "caret", forward: e.key === "ArrowDown", unit: "line", extend: shift };
    if (e.key === "Home" || e.key === "End") return { kind: "caret", forward: e.key === "End", unit: "lineboundary", extend: shift };
  }
  if (ctrl && !e.altKey) {
    const k = e.key.toLowerCase();
    if (k === "z") return shift ? { kind: "redo" } : { kind: "undo" };
    if (k === "y") return { kind: "redo" };
    if (e.key === "Enter") return { kind: "done" };
    return null;
  }
  if (e.key === "Escape") return { kind: "escape" };
  if (e.key === "Tab" && !ctrl) {
    if (!inReader(e.target)) return null;
    return shift ? { kind: "prev-span" } : { kind: "next-span" };
  }
  // Alt is for the selection (Alt+drag keeps the exact characters), not for commands.
  if (e.altKey) return null;
  if (ctx.choosing && /^[1-9]$/.test(e.key)) return { kind: "choose", index: Number(e.key) - 1 };
  if (ctx.suggesting === true && (e.key === "x" || e.key === "X")) return { kind: "reject" };
  const label = ctx.hotkeys.get(e.key.toLowerCase());
  if (label !== undefined) return { kind: "label", label };
  switch (e.key) {
    case "j":
    case "J":
      return { kind: "next-doc" };
    case "k":
    case "K":
      return { kind: "prev-doc" };
    case "Delete":
    case "Backspace":
      return { kind: "delete" };
    case "r":
    case "R":
      return { kind: "relate" };
    case "a":
    case "A":
      return { kind: "arcs" };
    case "g":
    case "G":
      return { kind: "group" };
    case "p":
    case "P":
      return { kind: "add-passage" };
    case "o":
    case "O":
      return { kind: "open-passage" };
    case "c":
    case "C":
      return { kind: "compare" };
    case "e":
    case "E":
      return { kind: "export" };
    case "Enter":
      return inReader(e.target) ? { kind: "confirm" } : null;
    case "/":
      return { kind: "search" };
    case "?":
      return { kind: "help" };
    default:
      return null;
  }
}

/** Every key, for the `?` overlay. */
export const KEY_HELP: readonly [keys: string, what: string][] = [
  ["select text, then a label's key", "label the selection (snapped to whole words; hold Alt while selecting to keep exact characters)"],
  ["a label's key on a selected span", "change its label"],
  ["a label's key with search matches marked and nothing selected", "label the next match"],
  ["← / → in the text (Ctrl: by word)", "move the caret; Shift+← / Shift+→ with no span selected selects from it, then a label's key labels the selection"],
  ["↑ / ↓, Home / End once the caret shows", "the caret a line up / down, to the line's start / end (with Shift: selecting)"],
  ["Shift+→ / Shift+← on a selected span", "its end one word further / back"],
  ["Alt+Shift+← / Alt+Shift+→", "the selected span's start one word earlier / later"],
  ["Tab / Shift+Tab", "next / previous span or suggestion (in the reader)"],
  ["Enter on a suggestion", "accept it, with its relations, as your annotations (one undo step)"],
  ["X on a suggestion", "turn it down: it is not proposed to you again"],
  ["Delete", "delete the selected span"],
  ["R, then click or Tab + Enter", "link the selected span to another (relation)"],
  ["A", "relations as arcs: all, the selected span's only, none"],
  ["G on a claim", "start a claim group with it"],
  ["P on a claim", "add its top similar passage (another outlet's) to its group, starting one if needed"],
  ["O on a claim", "open its top similar passage, marked, in the reader"],
  ["C / E", "the compare view (and back) / export a dataset"],
  ["click a label in the legend", "select its next span in the document"],
  ["Enter on a span missing a required relation", "link the partner the inspector proposes (the claim a figure is in, the source in a claim's paragraph)"],
  ["Enter on a SOURCE span not linked yet", "link it to the first suggested source entity (a new entity when none is suggested)"],
  ["Ctrl+Z / Ctrl+Shift+Z", "undo / redo (saved: survives restarts)"],
  ["J / K", "next / previous document"],
  ["Ctrl+Enter", "mark the document done and open the next"],
  ["/", "search"],
  ["Esc", "cancel, close, or clear the selection; in the compare view, back to the reader"],
  ["?", "show these keys"],
];

/**
 * The id after moving one step from `current` in `ids`. With nothing selected, a step forward
 * picks the first and a step back the last. At either end it stays put (no wrap-around). `null`
 * when the list is empty.
 */
export function step(ids: readonly string[], current: string | null, forward: boolean): string | null {
  if (ids.length === 0) return null;
  const at = current === null ? -1 : ids.indexOf(current);
  if (at === -1) return forward ? ids[0]! : ids[ids.length - 1]!;
  const to = forward ? Math.min(at + 1, ids.length - 1) : Math.max(at - 1, 0);
  return ids[to]!;
}
