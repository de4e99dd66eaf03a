/**
 * Loki's query parameters: times as Unix seconds (≤ 10 digits), Unix ns
 * (more digits), float seconds or RFC 3339; steps as float seconds or
 * durations. Every bad value is a 400 naming the parameter.
 */
import { parseDurationMs } from '../../config/index.ts';
import { VigilError } from '../../errors.ts';
import type { Direction } from '../../logql/source.ts';

export type Params = Record<string, string | string[] | undefined>;

function bad(message: string): VigilError {
  return new VigilError('VIGIL_ERR_QUERY_PARAM', message);
}

export function single(params: Params, name: string): string | undefined {
  const value = params[name];
  return Array.isArray(value) ? value[value.length - 1] : value;
}

export function all(params: Params, name: string): string[] {
  const value = params[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export function parseTimeNs(text: string, name: string): bigint {
  if (/^-?\d{1,10}$/.test(text)) return BigInt(text) * 1_000_000_000n;
  if (/^-?\d{11,19}$/.test(text)) return BigInt(text);
  if (/^-?\d+\.\d+$/.test(text)) return BigInt(Math.round(Number(text) * 1000)) * 1_000_000n;
  const ms = Date.parse(text);
  if (/^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(ms)) {
    const fraction = /\.(\d{1,9})/.exec(text)?.[1] ?? '';
    const subMsNs = fraction.length > 3 ? BigInt(fraction.padEnd(9, '0').slice(3)) : 0n;
    return BigInt(ms) * 1_000_000n + subMsNs;
  }
  throw bad(`invalid ${name} "${text}": use Unix seconds, Unix nanoseconds or RFC 3339`);
}

export function parseStepNs(text: string, name = 'step'): bigint {
  if (/^\d+(\.\d+)?$/.test(text)) return BigInt(Math.round(Number(text) * 1e9));
  const ms = parseDurationMs(text);
  if (ms === undefined) throw bad(`invalid ${name} "${text}": use seconds (e.g. 15) or a duration (e.g. 1m)`);
  return BigInt(ms) * 1_000_000n;
}

export function parseLimit(params: Params, max: number, fallback = 100): number {
  const text = single(params, 'limit');
  if (text === undefined || text === '') return fallback;
  if (!/^\d+$/.test(text) || Number(text) <= 0) throw bad(`invalid limit "${text}": use a positive whole number`);
  const limit = Number(text);
  if (limit > max) throw bad(`limit ${limit} is above the maximum of ${max} (query.max_entries_limit)`);
  return limit;
}

export function parseDirection(params: Params): Direction {
  const text = (single(params, 'direction') ?? 'backward').toLowerCase();
  if (text !== 'forward' && text !== 'backward') throw bad(`invalid direction "${text}": use forward or backward`);
  return text;
}

/** start/end with Loki's defaults: end = now, start = end − since (1h). */
export function parseRange(params: Params, nowNs: bigint): { startNs: bigint; endNs: bigint } {
  const endText = single(params, 'end');
  const endNs = endText ? parseTimeNs(endText, 'end') : nowNs;
  const startText = single(params, 'start');
  let startNs: bigint;
  if (startText) {
    startNs = parseTimeNs(startText, 'start');
  } else {
    const sinceNs = parseStepNs(single(params, 'since') ?? '1h', 'since');
    startNs = (endNs < nowNs ? endNs : nowNs) - sinceNs;
  }
  if (endNs < startNs) throw bad('end timestamp must not be before or equal to start time');
  return { startNs, endNs };
}

const maxPoints = 11_000;

export function parseStep(params: Params, startNs: bigint, endNs: bigint): bigint {
  const text = single(params, 'step');
  const stepNs = text
    ? parseStepNs(text)
    : BigInt(Math.max(Math.floor(Number((endNs - startNs) / 1_000_000_000n) / 250), 1)) * 1_000_000_000n;
  if (stepNs <= 0n) throw bad('zero or negative query resolution step widths are not accepted. Try a positive integer');
  if ((endNs - startNs) / stepNs > BigInt(maxPoints)) {
    throw bad(`exceeded maximum resolution of ${maxPoints} points per time series. Try increasing the value of the step parameter`);
  }
  return stepNs;
}

export function required(params: Params, name: string): string {
  const value = single(params, name);
  if (value === undefined || value === '') throw bad(`missing required parameter "${name}"`);
  return value;
}
