/**
 * `vigil query '<promql>'` and `vigil query range '<promql>'`: PromQL
 * against a running server through its Prometheus HTTP API, printed as
 * promtool prints it (or the server's JSON with `--output json`).
 * Exit 0 on success, 1 when the query failed (the server's error is
 * printed), 2 on usage errors.
 */
import { parseArgs } from 'node:util';
import { parseDurationMs } from '../config/index.ts';

export const queryUsage = `  vigil query '<promql>' [--time T] [--output json|text] [--url URL] [--tenant T]
  vigil query range '<promql>' --start T --end T --step D [--output json|text] [--url URL] [--tenant T]
      T: RFC 3339, Unix seconds, now, or now-1h / now+5m; D: a duration (15s, 1m) or seconds`;

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

const consoleOutput: Output = { out: (line) => console.log(line), err: (line) => console.error(line) };

class UsageError extends Error {}

const common = {
  url: { type: 'string', default: 'http://127.0.0.1:9700' },
  tenant: { type: 'string' },
  output: { type: 'string', default: 'text' },
} as const;

/** A time flag as Unix seconds for the API; `now` is the caller's clock in ms. */
export function parseTimeFlag(text: string, flag: string, nowMs: number): string {
  if (/^-?\d+(\.\d+)?$/.test(text)) return text;
  const relative = /^now(?:([+-])(.+))?$/.exec(text);
  if (relative) {
    const offset = relative[2] === undefined ? 0 : parseDurationMs(relative[2]);
    if (offset === undefined) throw new UsageError(`${flag}: "${relative[2]}" in "${text}" is not a duration such as 5m or 1h`);
    return String((nowMs + (relative[1] === '-' ? -offset : offset)) / 1000);
  }
  const ms = Date.parse(text);
  if (/^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(ms)) return String(ms / 1000);
  throw new UsageError(`${flag}: "${text}" is not a time; use RFC 3339, Unix seconds, now or now-1h`);
}

export function checkDurationFlag(text: string, flag: string): string {
  if (/^\d+(\.\d+)?$/.test(text) || parseDurationMs(text) !== undefined) return text;
  throw new UsageError(`${flag}: "${text}" is not a duration; use e.g. 15s, 1m or seconds`);
}

interface Parsed {
  query: string;
  values: Record<string, string | undefined>;
}

function parse(args: string[], extra: Record<string, { type: 'string' }>, usage: string): Parsed {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { ...common, ...extra } });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nusage: ${usage}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1 || positionals[0] === '') throw new UsageError(`expected one PromQL query\nusage: ${usage}`);
  if (values.output !== 'json' && values.output !== 'text') throw new UsageError(`--output: "${values.output}" is not json or text`);
  return { query: positionals[0], values };
}

/** `vigil query '<promql>' [--time T]`. */
export async function queryInstant(args: string[], io: Output = consoleOutput, nowMs = Date.now()): Promise<number> {
  return run(io, () => {
    const { query, values } = parse(args, { time: { type: 'string' } }, "vigil query '<promql>' [--time T]");
    const params = new URLSearchParams({ query });
    if (values.time !== undefined) params.set('time', parseTimeFlag(values.time, '--time', nowMs));
    return { path: '/api/v1/query', params, values };
  });
}

/** `vigil query range '<promql>' --start T --end T --step D`. */
export async function queryRange(args: string[], io: Output = consoleOutput, nowMs = Date.now()): Promise<number> {
  const usage = "vigil query range '<promql>' --start T --end T --step D";
  return run(io, () => {
    const options = { start: { type: 'string' }, end: { type: 'string' }, step: { type: 'string' } } as const;
    const { query, values } = parse(args, options, usage);
    for (const flag of ['start', 'end', 'step'] as const) {
      if (values[flag] === undefined) throw new UsageError(`--${flag} is required\nusage: ${usage}`);
    }
    const params = new URLSearchParams({
      query,
      start: parseTimeFlag(values.start!, '--start', nowMs),
      end: parseTimeFlag(values.end!, '--end', nowMs),
      step: checkDurationFlag(values.step!, '--step'),
    });
    return { path: '/api/v1/query_range', params, values };
  });
}

interface ApiCall {
  path: string;
  params: URLSearchParams;
  values: Record<string, string | undefined>;
}

/** POSTs the form as Grafana does, then prints the answer; maps failures to exit codes. */
async function run(io: Output, build: () => ApiCall): Promise<number> {
  let call: ApiCall;
  try {
    call = build();
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`vigil: ${err.message}`);
    return 2;
  }
  const { path, params, values } = call;
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (values.tenant) headers['X-Scope-OrgID'] = values.tenant;
  let response: Response;
  try {
    response = await fetch(`${values.url!.replace(/\/+$/, '')}${path}`, { method: 'POST', headers, body: params.toString() });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    io.err(`vigil: cannot reach ${values.url}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
    return 1;
  }
  const body = await response.text();
  const answer = parseAnswer(body);
  if (!response.ok || answer?.status !== 'success') {
    io.err(answer?.error ? `vigil: ${answer.errorType ?? 'error'}: ${answer.error}` : `vigil: the server answered ${response.status}: ${body.trim()}`);
    return 1;
  }
  if (values.output === 'json') io.out(body);
  else for (const line of formatResult(answer.data!)) io.out(line);
  for (const warning of answer.warnings ?? []) io.err(`warning: ${warning}`);
  for (const info of answer.infos ?? []) io.err(`info: ${info}`);
  return 0;
}

interface Answer {
  status: string;
  data?: QueryData;
  errorType?: string;
  error?: string;
  warnings?: string[];
  infos?: string[];
}

function parseAnswer(body: string): Answer | undefined {
  try {
    return JSON.parse(body) as Answer;
  } catch {
    return undefined;
  }
}

type Point = [number, string];

export type QueryData =
  | { resultType: 'vector'; result: { metric: Record<string, string>; value: Point }[] }
  | { resultType: 'matrix'; result: { metric: Record<string, string>; values: Point[] }[] }
  | { resultType: 'scalar' | 'string'; result: Point };

/** `name{a="b", c="d"}`, as Prometheus prints a metric. */
export function formatMetric(metric: Record<string, string>): string {
  const { __name__: name = '', ...labels } = metric;
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return pairs.length === 0 && name !== '' ? name : `${name}{${pairs.join(', ')}}`;
}

/** promtool's text: `metric => value @[time]`; a range series is its metric, then one `value @[time]` per line. */
export function formatResult(data: QueryData): string[] {
  switch (data.resultType) {
    case 'vector':
      return data.result.map((s) => `${formatMetric(s.metric)} => ${s.value[1]} @[${s.value[0]}]`);
    case 'matrix':
      return data.result.flatMap((s) => [`${formatMetric(s.metric)} =>`, ...s.values.map(([t, v]) => `${v} @[${t}]`)]);
    case 'scalar':
    case 'string':
      return [`${data.resultType === 'string' ? JSON.stringify(data.result[1]) : data.result[1]} @[${data.result[0]}]`];
  }
}
