/**
 * Code point ⇄ UTF-16 offsets.
 *
 * The core counts offsets in Unicode code points (as Python, spaCy, brat and the W3C
 * TextPositionSelector do); JavaScript strings index UTF-16 code units. A code point outside the
 * Basic Multilingual Plane (most emoji, for one) is one code point but two UTF-16 units (a
 * surrogate pair). Combining marks are code points of their own in both counts.
 *
 * This is the only place in the UI that converts between the two. Build one table per text and
 * convert every offset of that text through it.
 */

/** Matches any surrogate code unit, paired or not. */
const SURROGATE = /[\uD800-\uDFFF]/;

export class OffsetTable {
  /** Length of the text in code points. */
  readonly codePointLength: number;
  /** Length of the text in UTF-16 code units (`text.length`). */
  readonly utf16Length: number;
  /**
   * `cpToU16[i]` is the UTF-16 offset of code point `i`; the last entry is `utf16Length`.
   * `null` when the text has no surrogates, so that both counts agree and no table is needed.
   */
  private readonly cpToU16: Uint32Array | null;

  constructor(text: string) {
    this.utf16Length = text.length;
    if (!SURROGATE.test(text)) {
      this.cpToU16 = null;
      this.codePointLength = text.length;
      return;
    }
    const table = new Uint32Array(text.length + 1);
    let cp = 0;
    let u = 0;
    while (u < text.length) {
      table[cp] = u;
      const unit = text.charCodeAt(u);
      const isPair =
        unit >= 0xd800 &&
        unit <= 0xdbff &&
        u + 1 < text.length &&
        isLowSurrogate(text.charCodeAt(u + 1));
      // A lone surrogate counts as one code point, as `for..of` and `Array.from` count it.
      u += isPair ? 2 : 1;
      cp += 1;
    }
    table[cp] = u;
    this.codePointLength = cp;
    this.cpToU16 = table.subarray(0, cp + 1);
  }

  /** True when the text has characters outside the BMP, so that the two counts differ. */
  get hasSurrogates(): boolean {
    return this.cpToU16 !== null;
  }

  /**
   * The UTF-16 offset of a code point offset. `cp` may equal the length (end of text).
   * @throws RangeError when `cp` is not an integer in `[0, codePointLength]`.
   */
  toUtf16(cp: number): number {
    if (!Number.isInteger(cp) || cp < 0 || cp > this.codePointLength) {
      throw new RangeError(
        `code point offset ${cp} is outside the text (0..${this.codePointLength})`,
      );
    }
    return this.cpToU16 === null ? cp : this.cpToU16[cp]!;
  }

  /**
   * The code point offset of a UTF-16 offset. An offset that falls between the two halves of a
   * surrogate pair maps to the code point that the pair forms (it rounds down).
   * @throws RangeError when `u16` is not an integer in `[0, utf16Length]`.
   */
  toCodePoint(u16: number): number {
    if (!Number.isInteger(u16) || u16 < 0 || u16 > this.utf16Length) {
      throw new RangeError(`UTF-16 offset ${u16} is outside the text (0..${this.utf16Length})`);
    }
    const table = this.cpToU16;
    if (table === null) return u16;
    // Largest i with table[i] <= u16.
    let lo = 0;
    let hi = table.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (table[mid]! <= u16) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
