/**
 * Reading the Curate view's bars back from the page. The text's segments carry them: each segment
 * over which a layer has a version draws that layer's bar as one CSS background layer, and names
 * the layers in `data-layers` (the dashed ones again in `data-faded`), in the same order.
 */

/** One bar as a segment draws it. */
export interface DrawnBar {
  layer: string;
  /** A `linear-gradient` (solid) or `repeating-linear-gradient` (dashed) of the layer's colour. */
  image: string;
  /** e.g. `left 0px bottom 10px`: how high above the line's bottom it lies. */
  position: string;
  /** Its size when the segment sets one (the selection), else `null` (the stylesheet's). */
  size: string | null;
}

/** A comma-separated CSS list split at its top-level commas (not those inside `linear-gradient(…)`). */
export function cssList(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let item = "";
  for (const ch of value) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(item.trim());
      item = "";
    } else item += ch;
  }
  if (item.trim() !== "") out.push(item.trim());
  return out;
}

/** The segments of the text that carry bars, in text order. */
export function barredSegments(root: ParentNode = document): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>('[data-testid="curate-text"] [data-layers]')];
}

/** The bars `seg` draws, one per layer it names, checking that it draws as many as it names. */
export function drawnBars(seg: HTMLElement): DrawnBar[] {
  const layers = (seg.dataset.layers ?? "").split(" ").filter((l) => l !== "");
  const images = cssList(seg.style.getPropertyValue("background-image"));
  const positions = cssList(seg.style.getPropertyValue("background-position"));
  const sizes = cssList(seg.style.getPropertyValue("background-size"));
  if (images.length !== layers.length || positions.length !== layers.length) {
    throw new Error(`${seg.textContent}: ${layers.length} layers (${seg.dataset.layers}) but ${images.length} bars`);
  }
  if (sizes.length !== 0 && sizes.length !== layers.length) throw new Error(`${seg.textContent}: ${sizes.length} sizes`);
  return layers.map((layer, k) => ({ layer, image: images[k]!, position: positions[k]!, size: sizes[k] ?? null }));
}

/**
 * Where `layer`'s bar runs along the text: the runs of touching segments that carry it (any bar
 * of it, or, with `faded`, a dashed one), each as `"start-end text"` with code-point offsets.
 */
export function barRuns(layer: string, faded = false, root: ParentNode = document): string[] {
  const runs: { start: number; end: number; text: string }[] = [];
  for (const seg of barredSegments(root)) {
    const names = (faded ? seg.dataset.faded : seg.dataset.layers) ?? "";
    if (!names.split(" ").includes(layer)) continue;
    const start = Number(seg.dataset.cpStart);
    const end = Number(seg.dataset.cpEnd);
    const last = runs.at(-1);
    if (last !== undefined && last.end === start) {
      last.end = end;
      last.text += seg.textContent;
    } else runs.push({ start, end, text: seg.textContent ?? "" });
  }
  return runs.map((r) => `${r.start}-${r.end} ${r.text}`);
}
