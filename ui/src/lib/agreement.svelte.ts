/**
 * The agreement view's state: its filters (annotators, a label) and the report the core answered
 * for them. All IPC goes through `$lib/api`.
 */
import * as api from "$lib/api";
import type { AgreementOptions } from "$lib/bindings/AgreementOptions";
import type { AgreementReport } from "$lib/bindings/AgreementReport";
import type { PairAgreement } from "$lib/bindings/PairAgreement";
import type { Feedback } from "$lib/host";

/** A figure to three decimals; `—` where it is undefined. */
export function figure(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? "—" : value.toFixed(3);
}

/** Names typed as `ana, ben`: trimmed, empty ones and repeats left out. */
export function nameList(text: string): string[] {
  return [...new Set(text.split(",").map((n) => n.trim()).filter((n) => n !== ""))];
}

/** The pair of two annotators, in either order, or `null` (the diagonal, or a pair never compared). */
export function pairOf(pairs: readonly PairAgreement[], a: string, b: string): PairAgreement | null {
  if (a === b) return null;
  return pairs.find((p) => (p.first === a && p.second === b) || (p.first === b && p.second === a)) ?? null;
}

export class Agreement {
  /** The annotators to compare, as typed (`ana, ben`); empty for everyone but gold. */
  annotators = $state("");
  /** A span label, or "" for every label. */
  label = $state("");
  report = $state.raw<AgreementReport | null>(null);
  loading = $state(false);
  /** Every annotator and label of the unfiltered report, for the filters' choices. */
  known = $state.raw<{ annotators: string[]; labels: string[] }>({ annotators: [], labels: [] });

  readonly #app: Feedback;
  #request = 0;

  constructor(app: Feedback) {
    this.#app = app;
  }

  options(): AgreementOptions {
    return { annotators: nameList(this.annotators), labels: this.label ? [this.label] : [] };
  }

  clear(): void {
    this.#request++;
    this.report = null;
    this.known = { annotators: [], labels: [] };
  }

  /** Fetches the report for the filters; an answer to an older request is dropped. */
  async load(): Promise<void> {
    const request = ++this.#request;
    const options = this.options();
    this.loading = true;
    try {
      const report = await api.agreement(options);
      if (request !== this.#request) return;
      this.report = report;
      const annotators = [...new Set([...this.known.annotators, ...report.annotators])].sort();
      const labels = [...new Set([...this.known.labels, ...report.labels])].sort();
      this.known = { annotators, labels };
    } catch (e) {
      if (request !== this.#request) return;
      this.report = null;
      this.#app.report("Measuring the agreement", e);
    } finally {
      if (request === this.#request) this.loading = false;
    }
  }

  /** Ticks or unticks an annotator in the comma field. */
  toggleAnnotator(name: string, on: boolean): void {
    const now = nameList(this.annotators).filter((n) => n !== name);
    this.annotators = (on ? [...now, name] : now).join(", ");
  }
}
