/**
 * Vigil's own logs: structured JSON on stdout and, once the store is up,
 * into the store itself under service="vigil" (tenant "default"), batched
 * so that logging never waits on a write.
 */
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import type { PushRequest } from '../ingest/model.ts';

export type SelfIngest = (request: PushRequest) => void;

export interface SelfLogger {
  logger: Logger;
  /** Starts copying log lines into the store. */
  attach(ingest: SelfIngest): void;
  flush(): void;
}

export function createLogger(level: string, stdout: NodeJS.WritableStream = process.stdout): SelfLogger {
  let ingest: SelfIngest | undefined;
  let pending: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (!ingest || pending.length === 0) return;
    const lines = pending;
    pending = [];
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    try {
      ingest({ streams: [{ labels: { service: 'vigil' }, entries: lines.map((line, i) => ({ tsNs: nowNs + BigInt(i), line })) }] });
    } catch {
      // the store is failing; stdout still has the lines
    }
  };
  const toStore = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (ingest) {
        pending.push(chunk.toString('utf8').trimEnd());
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      }
      callback();
    },
  });
  const logger = pino(
    { level, base: { service: 'vigil' }, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } },
    pino.multistream([{ stream: stdout, level: level as pino.Level }, { stream: toStore, level: level as pino.Level }]),
  );
  return {
    logger,
    attach(fn) {
      ingest = fn;
    },
    flush,
  };
}
