/**
 * Telling people that lines were lost, without flooding them: each kind of
 * problem is warned about once, and dropped lines are summed and reported at
 * most once per interval on stderr, and once to the server when it is back.
 */

export class Warnings {
  #seen = new Set<string>();
  #warn: (message: string) => void;

  constructor(warn: (message: string) => void) {
    this.#warn = warn;
  }

  /** Warns the first time a kind is seen (e.g. 'http-400'), never after. */
  once(kind: string, message: string): void {
    // kinds come partly from error messages: past a hundred, more is noise and memory
    if (this.#seen.has(kind) || this.#seen.size >= 100) return;
    this.#seen.add(kind);
    this.say(message);
  }

  say(message: string): void {
    try {
      this.#warn(message);
    } catch {
      // a failing warning sink must not take the application down
    }
  }
}

export class DropReport {
  #sinceStderr = 0;
  #sinceServer = 0;
  #lastStderrAt = -Infinity;
  #intervalMs: number;
  #warnings: Warnings;

  constructor(intervalMs: number, warnings: Warnings) {
    this.#intervalMs = intervalMs;
    this.#warnings = warnings;
  }

  /** Counts drops; reports on stderr if the last report is older than the interval. */
  dropped(lines: number, why: string, now = Date.now()): void {
    if (lines <= 0) return;
    this.#sinceStderr += lines;
    this.#sinceServer += lines;
    if (now - this.#lastStderrAt >= this.#intervalMs) this.toStderr(why, now);
  }

  /** Reports what is still unreported (on recovery and on close). */
  toStderr(why: string, now = Date.now()): void {
    if (this.#sinceStderr === 0) return;
    this.#warnings.say(`dropped ${this.#sinceStderr} log lines (${why})`);
    this.#sinceStderr = 0;
    this.#lastStderrAt = now;
  }

  /** Lines dropped since the server last heard about it; resets the count. */
  takeForServer(): number {
    const count = this.#sinceServer;
    this.#sinceServer = 0;
    return count;
  }

  /** Gives back a count the server could not be told about yet. */
  restoreForServer(lines: number): void {
    this.#sinceServer += lines;
  }
}
