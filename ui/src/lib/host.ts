/** What several feature stores need of the workbench that holds them, so that none of them imports it. */

/** Where a store tells the user what happened. */
export interface Feedback {
  /** A short line about the last change ("Linked the source"). */
  notice: string | null;
  /** Shows an error in the banner; `context` says what the app was doing. */
  report(context: string, reason: unknown): void;
}

/** For a store that changes what documents share (source entities, claim groups). */
export interface Sharing extends Feedback {
  /**
   * Runs such a change: pending until it answers, errors to the banner (then `undefined`), and
   * `revision` moved on after it so that panels refresh.
   */
  share<T>(context: string, f: () => Promise<T>): Promise<T | undefined>;
  /** Fetches the open document again, keeping the selected span when it is still there. */
  reloadOpen(): Promise<void>;
}
