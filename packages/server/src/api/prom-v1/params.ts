/**
 * Prometheus HTTP API parameters: times as RFC 3339 or Unix seconds (float),
 * durations as float seconds or Prometheus durations. A bad value is a
 * `bad_data` error naming the parameter, as Prometheus answers.
 */
import { parseDurationMs } from '../../config/index.ts';
import { VigilError } from '../../errors.ts';
import { single, type Params } from '../loki/params.ts';

function bad(message: string): VigilError {
  return new VigilError('VIGIL_ERR_QUERY_PARAM', message);
}

export function parsePromTime(text: string, name: string): number {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const ms = Date.parse(text);
  if (/^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(ms)) return ms;
  throw bad(`invalid parameter "${name}": cannot parse "${text}" to a valid timestamp`);
}

export function parsePromDuration(text: string, name: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const ms = parseDurationMs(text);
  if (ms === undefined) throw bad(`invalid parameter "${name}": cannot parse "${text}" to a valid duration`);
  return ms;
}

export function timeParam(params: Params, name: string, fallbackMs: number): number {
  const text = single(params, name);
  return text === undefined || text === '' ? fallbackMs : parsePromTime(text, name);
}

/** Prometheus refuses range queries with more than 11,000 points per series. */
export function rangeParams(params: Params): { startMs: number; endMs: number; stepMs: number } {
  const start = single(params, 'start');
  const end = single(params, 'end');
  const step = single(params, 'step');
  if (!start) throw bad('invalid parameter "start": missing');
  if (!end) throw bad('invalid parameter "end": missing');
  if (!step) throw bad('invalid parameter "step": missing');
  const startMs = parsePromTime(start, 'start');
  const endMs = parsePromTime(end, 'end');
  const stepMs = parsePromDuration(step, 'step');
  if (endMs < startMs) throw bad('invalid parameter "end": end timestamp must not be before start time');
  if (stepMs <= 0) throw bad('invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer');
  if ((endMs - startMs) / stepMs > 11_000) {
    throw bad('exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)');
  }
  return { startMs, endMs, stepMs };
}
