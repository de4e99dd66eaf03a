/**
 * Test kit: a real HTTP server on 127.0.0.1 that takes Loki pushes, records
 * them decoded, and answers what the test says (204, 500, 429 with
 * Retry-After, 400, or nothing at all).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface RecordedPush {
  /** Date.now() when the request arrived. */
  at: number;
  path: string;
  headers: IncomingHttpHeaders;
  /** Body size on the wire. */
  wireBytes: number;
  /** The decoded JSON push (undefined if it did not parse). */
  body: { streams: { stream: Record<string, string>; values: [string, string][] }[] } | undefined;
}

export type Answer = { status: number; retryAfter?: string; text?: string } | 'hang';

export interface FakeLoki {
  url: string;
  port: number;
  /** Every request, answered or not, in arrival order. */
  requests: RecordedPush[];
  /** Decides the answer to request number n (0-based); 204 by default. */
  answer: (n: number) => Answer;
  /** Lines of the requests answered 2xx, in the order they were sent. */
  acceptedLines(): string[];
  close(): Promise<void>;
}

export async function startFakeLoki(port = 0): Promise<FakeLoki> {
  const requests: RecordedPush[] = [];
  const accepted: RecordedPush[] = [];
  const fake: FakeLoki = {
    url: '',
    port: 0,
    requests,
    answer: () => ({ status: 204 }),
    acceptedLines: () => accepted.flatMap((r) => r.body?.streams.flatMap((s) => s.values.map((v) => v[1])) ?? []),
    close: () => closeServer(server),
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const recorded: RecordedPush = { at: Date.now(), path: request.url ?? '', headers: request.headers, wireBytes: raw.length, body: undefined };
      try {
        const text = request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
        recorded.body = JSON.parse(text.toString('utf8'));
      } catch {
        // recorded as undefined: the test sees a body that does not decode
      }
      const answer = fake.answer(requests.length);
      requests.push(recorded);
      if (answer === 'hang') return; // never answers; close() ends the socket
      if (answer.status >= 200 && answer.status < 300) accepted.push(recorded);
      const headers: Record<string, string> = { 'Content-Type': 'text/plain; charset=utf-8' };
      if (answer.retryAfter !== undefined) headers['Retry-After'] = answer.retryAfter;
      response.writeHead(answer.status, headers).end(answer.status === 204 ? undefined : (answer.text ?? `status ${answer.status}`));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  fake.port = (server.address() as AddressInfo).port;
  fake.url = `http://127.0.0.1:${fake.port}`;
  return fake;
}

/** A port nothing listens on (it was free a moment ago). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await closeServer(server);
  return port;
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** A pino-style JSON line. */
export function pinoLine(msg: string, fields: Record<string, unknown> = {}): string {
  return JSON.stringify({ level: 30, time: Date.now(), msg, ...fields });
}

/** Polls until `check` passes or the time is up. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
