/**
 * What the shipper needs from a line: its level name (for the one label that
 * varies) and its time. Lines themselves are sent unchanged.
 */

/** pino's numeric levels; pino sends custom ones to the transport at start. */
export const pinoLevelNames: Readonly<Record<number, string>> = Object.freeze({
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
});

/** Names other loggers use for the same levels, so one level is one stream. */
const aliases: Readonly<Record<string, string>> = Object.freeze({
  warning: 'warn',
  err: 'error',
  critical: 'fatal',
  crit: 'fatal',
  emerg: 'fatal',
  emergency: 'fatal',
  alert: 'fatal',
  panic: 'fatal',
});

export interface LineMeta {
  /** Normalised level name, 'unknown' for an unrecognised value, undefined when the line has none. */
  level: string | undefined;
  /** Epoch ms, undefined when the line has no usable time. */
  timeMs: number | undefined;
}

// pino's own output starts like this (after Vigil's logger's `severity`): read it without parsing the line
const pinoPrefix = /^\{(?:"severity":"[A-Za-z]{1,20}",)?"level":(\d{1,3}|"[A-Za-z]{1,20}"),"time":(\d{9,13}(?:\.\d+)?|"[^"\\]{1,40}")[,}]/;

export class LevelNames {
  #byNumber = new Map<number, string>(Object.entries(pinoLevelNames).map(([n, name]) => [Number(n), name]));
  #known = new Set<string>([...Object.values(pinoLevelNames), 'unknown']);

  /** pino's `levels.labels` ({ 35: 'notice' }) from the config pino sends to its transport. */
  addPinoLabels(labels: Record<string, string>): void {
    for (const [n, name] of Object.entries(labels)) {
      const value = Number(n);
      // a bounded set: custom levels are a handful; more would be a bug, not a level
      if (!Number.isInteger(value) || typeof name !== 'string' || this.#known.size > 32) continue;
      const normalised = name.toLowerCase();
      this.#byNumber.set(value, normalised);
      this.#known.add(normalised);
    }
  }

  name(level: unknown): string | undefined {
    if (level === undefined || level === null) return undefined;
    if (typeof level === 'number') return this.#byNumber.get(level) ?? 'unknown';
    if (typeof level !== 'string') return 'unknown';
    // the logger's own names first (Vigil's logger calls 40 'warning'), then common aliases
    const lower = level.toLowerCase();
    if (this.#known.has(lower)) return lower;
    const alias = aliases[lower];
    return alias !== undefined && this.#known.has(alias) ? alias : 'unknown';
  }
}

export function readLineMeta(line: string, levels: LevelNames): LineMeta {
  const prefix = pinoPrefix.exec(line);
  if (prefix) {
    const level = prefix[1].startsWith('"') ? prefix[1].slice(1, -1) : Number(prefix[1]);
    const time = prefix[2].startsWith('"') ? prefix[2].slice(1, -1) : Number(prefix[2]);
    return { level: levels.name(level), timeMs: epochMs(time) };
  }
  if (line.charCodeAt(0) !== 123 /* { */) return { level: undefined, timeMs: undefined };
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { level: undefined, timeMs: undefined };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { level: undefined, timeMs: undefined };
  const fields = parsed as Record<string, unknown>;
  return {
    level: levels.name(fields.level ?? fields.severity),
    timeMs: epochMs(fields.time ?? fields.timestamp),
  };
}

/** Epoch seconds, ms, µs or ns (told apart by size, as Loki does), or an ISO string, to epoch ms. */
export function epochMs(time: unknown): number | undefined {
  let ms: number;
  if (typeof time === 'number') {
    if (!Number.isFinite(time) || time <= 0) return undefined;
    if (time < 1e11) ms = time * 1000; // seconds (pino's unixTime)
    else if (time < 1e14) ms = time;
    else if (time < 1e17) ms = time / 1e3;
    else ms = time / 1e6;
  } else if (typeof time === 'string') {
    if (/^\d+(\.\d+)?$/.test(time)) return epochMs(Number(time));
    ms = Date.parse(time);
    if (!Number.isFinite(ms) || ms <= 0) return undefined;
  } else {
    return undefined;
  }
  return Math.floor(ms);
}
