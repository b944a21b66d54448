/**
 * Choices the app remembers on this computer (localStorage). Storage may be refused (private
 * mode, a policy): then nothing is recalled and a choice holds until the app closes.
 */

/** The value kept under `key`, or `null`. */
export function recall(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** Keeps `value` under `key`, when storage allows. */
export function remember(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    // Not remembered: the choice holds until the app closes.
  }
}
