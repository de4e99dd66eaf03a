/**
 * One Loki JSON push: the body of a batch, and one POST of it whose outcome
 * says whether to retry. Never throws: every failure is an outcome.
 */
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { Entry } from './line-queue.ts';

const gzip = promisify(gzipCallback);

export interface PushBody {
  body: Buffer;
  headers: Record<string, string>;
}

export type PushOutcome =
  | { kind: 'sent' }
  /** Worth trying again: network error, timeout, 408, 429, 5xx. */
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  /** The server refused the batch for good (other 4xx); Loki has stored its good lines. */
  | { kind: 'rejected'; status: number; message: string };

/** Loki waits its clients out with Retry-After; a bigger value than this is a misconfigured proxy. */
export const maxRetryAfterMs = 60_000;

/** `{"streams":[{"stream":{labels},"values":[["<ns>","<line>"],…]}]}`, one stream per label set, in arrival order. */
export async function encodePush(entries: readonly Entry[], compress: boolean): Promise<PushBody> {
  const streams = new Map<string, { stream: Readonly<Record<string, string>>; values: [string, string][] }>();
  for (const entry of entries) {
    let stream = streams.get(entry.stream.key);
    if (!stream) {
      stream = { stream: entry.stream.labels, values: [] };
      streams.set(entry.stream.key, stream);
    }
    stream.values.push([entry.ts, entry.line]);
  }
  const json = Buffer.from(JSON.stringify({ streams: [...streams.values()] }));
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (!compress) return { body: json, headers };
  // async gzip: a 1 MiB batch must not stall the application's event loop
  headers['Content-Encoding'] = 'gzip';
  return { body: await gzip(json), headers };
}

export async function postPush(
  url: string,
  push: PushBody,
  extraHeaders: Readonly<Record<string, string>>,
  timeoutMs: number,
  cancel: AbortSignal,
): Promise<PushOutcome> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { ...extraHeaders, ...push.headers },
      // a Buffer is a Uint8Array; Node's fetch types only name ArrayBuffer-backed ones
      body: push.body as Uint8Array<ArrayBuffer>,
      signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), cancel]),
    });
  } catch (err) {
    return { kind: 'retry', reason: networkReason(err, timeoutMs) };
  }
  const text = await readSome(response);
  const status = response.status;
  if (status >= 200 && status < 300) return { kind: 'sent' };
  if (status === 408 || status === 429 || status >= 500) {
    return { kind: 'retry', reason: `HTTP ${status}`, retryAfterMs: retryAfterMs(response.headers.get('retry-after')) };
  }
  return { kind: 'rejected', status, message: text };
}

/** Retry-After as seconds or an HTTP date, in ms, capped; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const value = header.trim();
  const ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(ms, 0), maxRetryAfterMs);
}

/** The start of the answer, for a warning; the rest is read and thrown away so the socket is reused. */
async function readSome(response: Response): Promise<string> {
  try {
    const text = await response.text();
    return text.length > 300 ? `${text.slice(0, 300)}…` : text;
  } catch {
    return '';
  }
}

function networkReason(err: unknown, timeoutMs: number): string {
  const error = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (error?.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  if (error?.name === 'AbortError') return 'cancelled';
  return error?.cause?.code ?? error?.cause?.message ?? error?.message ?? String(err);
}
