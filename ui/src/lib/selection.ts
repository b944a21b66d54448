/**
 * Turning what the user selected in the reader into span offsets: where a DOM selection falls in
 * the document's text, and snapping it to whole words.
 *
 * Offsets here are UTF-16 code units of the text (what the DOM counts); convert them to code
 * points with `OffsetTable` before they reach the core.
 */

/** Letters, marks and digits make words; an apostrophe or hyphen between two of them too. */
const WORD = /[\p{L}\p{M}\p{N}]/u;
const JOINER = /['’\-‐]/u;

/** The code point (as a string) ending at UTF-16 offset `i`, or "" at the start. */
function charBefore(text: string, i: number): string {
  if (i <= 0) return "";
  const low = text.charCodeAt(i - 1);
  if (low >= 0xdc00 && low <= 0xdfff && i >= 2) {
    const high = text.charCodeAt(i - 2);
    if (high >= 0xd800 && high <= 0xdbff) return text.slice(i - 2, i);
  }
  return text.slice(i - 1, i);
}

/** The code point (as a string) starting at UTF-16 offset `i`, or "" at the end. */
function charAt(text: string, i: number): string {
  if (i >= text.length) return "";
  const cp = text.codePointAt(i)!;
  return String.fromCodePoint(cp);
}

function isWordChar(c: string): boolean {
  return c !== "" && WORD.test(c);
}

/** True when `text[i]` is a joiner with word characters on both sides ("don't", "pro-Kremlin"). */
function isInnerJoiner(text: string, at: number, c: string): boolean {
  if (!JOINER.test(c)) return false;
  return isWordChar(charBefore(text, at)) && isWordChar(charAt(text, at + c.length));
}

export interface Extent {
  start: number;
  end: number;
}

/**
 * Snaps `[start, end)` (UTF-16) to whole words: whitespace at either edge is dropped, and an
 * edge that falls inside a word moves out to the word's boundary. Punctuation the user selected
 * stays. `null` when nothing but whitespace was selected.
 */
export function snapToWords(text: string, start: number, end: number): Extent | null {
  let s = Math.max(0, Math.min(start, end));
  let e = Math.min(text.length, Math.max(start, end));
  while (s < e && /\s/u.test(charAt(text, s))) s += charAt(text, s).length;
  while (e > s && /\s/u.test(charBefore(text, e))) e -= charBefore(text, e).length;
  if (s >= e) return null;
  // Grow the start leftwards while it cuts a word.
  for (;;) {
    const before = charBefore(text, s);
    const inWord =
      isWordChar(before) ||
      (before !== "" && isInnerJoiner(text, s - before.length, before));
    if (!inWord || !(isWordChar(charAt(text, s)) || isInnerJoiner(text, s, charAt(text, s)))) break;
    s -= before.length;
  }
  // Grow the end rightwards while it cuts a word.
  for (;;) {
    const after = charAt(text, e);
    const inWord = isWordChar(after) || (after !== "" && isInnerJoiner(text, e, after));
    const prev = charBefore(text, e);
    if (!inWord || !(isWordChar(prev) || isInnerJoiner(text, e - prev.length, prev))) break;
    e += after.length;
  }
  return { start: s, end: e };
}

/**
 * The UTF-16 offset in `container`'s text of a DOM position (`node`, `offset`), counting the
 * text of every text node before it. `null` when the position is outside `container`.
 */
export function textOffset(container: Node, node: Node, offset: number): number | null {
  if (node !== container && !container.contains(node)) return null;
  const doc = container.ownerDocument ?? document;
  // A position between child nodes: measure the text before that child.
  if (node.nodeType !== Node.TEXT_NODE) {
    const before = doc.createRange();
    before.setStart(container, 0);
    before.setEnd(node, offset);
    return before.toString().length;
  }
  let total = 0;
  const walker = doc.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
    if (n === node) return total + offset;
    total += n.nodeValue?.length ?? 0;
  }
  return null;
}

/**
 * The UTF-16 offset in the document of a DOM position inside `container`, whose children are the
 * rendered paragraphs: elements with `data-start` / `data-end` (their place in the document)
 * and, between them, spacers for the paragraphs not rendered. Without such children, the offset
 * in `container`'s own text.
 */
export function documentOffset(container: Element, node: Node, offset: number): number | null {
  if (node !== container && !container.contains(node)) return null;
  const start = (el: Element | null | undefined) =>
    el instanceof HTMLElement && el.dataset.start !== undefined ? Number(el.dataset.start) : null;
  const end = (el: Element | null | undefined) =>
    el instanceof HTMLElement && el.dataset.end !== undefined ? Number(el.dataset.end) : null;
  if (node === container) {
    // Between children: after the nearest paragraph before the position, else before the next.
    const kids = [...container.children];
    for (let i = Math.min(offset, kids.length) - 1; i >= 0; i--) {
      const e = end(kids[i]);
      if (e !== null) return e;
    }
    for (let i = offset; i < kids.length; i++) {
      const s = start(kids[i]);
      if (s !== null) return s;
    }
    return textOffset(container, node, offset);
  }
  const parent = node instanceof Element ? node : node.parentElement;
  // Another layer's lane (drawn under the text, its bars' `data-start` in code points) holds no
  // text of the document: no position in it is one of the text's.
  if (parent?.closest("[data-lane]")) return null;
  const block = parent?.closest<HTMLElement>("[data-start]");
  if (block && container.contains(block)) {
    const within = textOffset(block, node, offset);
    return within === null ? null : Number(block.dataset.start) + within;
  }
  return textOffset(container, node, offset);
}

/** The selection inside `container` as UTF-16 offsets of the document, or `null` if none. */
export function selectionExtent(container: Element, selection: Selection | null): Extent | null {
  if (selection === null || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  const a = documentOffset(container, range.startContainer, range.startOffset);
  const b = documentOffset(container, range.endContainer, range.endOffset);
  if (a === null || b === null || a === b) return null;
  return { start: Math.min(a, b), end: Math.max(a, b) };
}

/** Where the word after `at` ends (UTF-16), or the text's end. */
export function nextWordEnd(text: string, at: number): number {
  const re = /[\p{L}\p{M}\p{N}]+(?:['’\-‐][\p{L}\p{M}\p{N}]+)*/gu;
  re.lastIndex = at;
  const m = re.exec(text);
  return m === null ? text.length : m.index + m[0].length;
}

/** Where the word before `at` starts (UTF-16), or 0. */
export function prevWordStart(text: string, at: number): number {
  const re = /[\p{L}\p{M}\p{N}]+(?:['’\-‐][\p{L}\p{M}\p{N}]+)*/gu;
  let start = 0;
  for (let m = re.exec(text); m !== null && m.index < at; m = re.exec(text)) start = m.index;
  return start;
}

/**
 * A span's extent moved by one word at one edge: `grow` the end rightwards or the start
 * leftwards, or shrink it. `null` when the span would become empty.
 */
export function stepExtent(text: string, extent: Extent, edge: "start" | "end", grow: boolean): Extent | null {
  const { start, end } = extent;
  if (edge === "end") {
    const to = grow ? nextWordEnd(text, end) : Math.max(start, prevWordEnd(text, end));
    return to > start ? { start, end: to } : null;
  }
  const from = grow ? prevWordStart(text, start) : Math.min(end, nextWordStartAfter(text, start));
  return end > from ? { start: from, end } : null;
}

/** Where the word before `at` (not touching it) ends; `at`'s own word counts if `at` is inside it. */
function prevWordEnd(text: string, at: number): number {
  const re = /[\p{L}\p{M}\p{N}]+(?:['’\-‐][\p{L}\p{M}\p{N}]+)*/gu;
  let end = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const e = m.index + m[0].length;
    if (e >= at) break;
    end = e;
  }
  return end;
}

/** Where the next word starts after the word that `at` begins. */
function nextWordStartAfter(text: string, at: number): number {
  const re = /[\p{L}\p{M}\p{N}]+(?:['’\-‐][\p{L}\p{M}\p{N}]+)*/gu;
  re.lastIndex = at;
  const first = re.exec(text);
  if (first === null) return text.length;
  const second = re.exec(text);
  return second === null ? text.length : second.index;
}
