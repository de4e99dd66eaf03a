/**
 * The lines waiting to be sent, oldest first, with their byte count, so the
 * shipper can bound memory and drop from the old end in O(1).
 */

/** A stream: its labels and its key among the shipper's few streams. */
export interface StreamRef {
  readonly key: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface Entry {
  /** Order of arrival, so flush() knows when what it waits for is settled. */
  readonly seq: number;
  readonly stream: StreamRef;
  /** Unix ns as a decimal string, as Loki's JSON push wants. */
  readonly ts: string;
  readonly line: string;
  /** What the entry counts for against batch and buffer limits. */
  readonly bytes: number;
  /** The shipper's own drop report: not counted as an application line. */
  readonly internal: boolean;
}

/** Per-entry bookkeeping (object, timestamp, JSON framing), so many short lines still count. */
export const entryOverheadBytes = 64;

export class LineQueue {
  #items: Entry[] = [];
  #head = 0;
  #bytes = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  get bytes(): number {
    return this.#bytes;
  }

  peek(): Entry | undefined {
    return this.#items[this.#head];
  }

  push(entry: Entry): void {
    this.#items.push(entry);
    this.#bytes += entry.bytes;
  }

  shift(): Entry | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const entry = this.#items[this.#head];
    this.#items[this.#head] = undefined as unknown as Entry; // let the line be collected now
    this.#head++;
    this.#bytes -= entry.bytes;
    // compact now and then, so the array does not keep a long dead prefix
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return entry;
  }

  /** Takes from the old end up to the limits, at least one entry when not empty. */
  take(maxBytes: number, maxLines: number): Entry[] {
    const taken: Entry[] = [];
    let bytes = 0;
    for (let next = this.peek(); next; next = this.peek()) {
      if (taken.length > 0 && (bytes + next.bytes > maxBytes || taken.length >= maxLines)) break;
      taken.push(this.shift()!);
      bytes += next.bytes;
    }
    return taken;
  }
}

/**
 * Unix ns timestamps. Lines stamped in the same millisecond get consecutive
 * nanoseconds, so Loki keeps the order in which they were logged while the
 * millisecond stays exact.
 */
export class LineClock {
  #lastMs = -1;
  #sub = 0;

  stamp(ms: number): string {
    if (ms === this.#lastMs && this.#sub < 999_999) this.#sub++;
    else if (ms !== this.#lastMs) this.#sub = 0;
    this.#lastMs = ms;
    return `${ms}${String(this.#sub).padStart(6, '0')}`;
  }
}
