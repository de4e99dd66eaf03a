/**
 * A bound on the distinct values one label takes. Every value is a new time
 * series in every scraper, so a client that sends 10,000 tenant ids (or an
 * app that routes on raw paths) must not create 10,000 series: past the cap,
 * new values are recorded under one shared value instead.
 */

/** What values beyond a cap are recorded as. */
export const OTHER_VALUE = '__other__';

export class LabelCap {
  readonly #seen = new Set<string>();
  #warned = false;

  constructor(readonly label: string, readonly max: number) {}

  /** The value itself while fewer than `max` distinct values were seen, else OTHER_VALUE. */
  value(value: string): string {
    if (this.#seen.has(value)) return value;
    if (this.#seen.size >= this.max) {
      this.#warnOnce();
      return OTHER_VALUE;
    }
    this.#seen.add(value);
    return value;
  }

  clear(): void {
    this.#seen.clear();
  }

  // Once per label: the cap is a symptom worth one line, not one per request.
  #warnOnce(): void {
    if (this.#warned) return;
    this.#warned = true;
    process.emitWarning(
      `more than ${this.max} distinct values of label "${this.label}"; new values are recorded as "${OTHER_VALUE}"`,
      { code: 'VIGIL_METRICS_LABEL_CAP' },
    );
  }
}
