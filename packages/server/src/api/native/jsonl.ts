/**
 * POST /vigil/api/v1/logs: one JSON object per line, for shell scripts and
 * simple shippers. Stream labels come from the query string
 * (?service=backup&env=prod); a line's `time`/`ts` (RFC 3339, Unix s/ms/ns)
 * is its timestamp, else the time it arrived.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { decodeBody } from '../../ingest/body.ts';
import type { LogIngester } from '../../ingest/log-ingester.ts';
import type { Labels, RawEntry, Rejection } from '../../ingest/model.ts';
import { VigilError } from '../../errors.ts';
import { parseTimeNs } from '../loki/params.ts';
import { tenantOf } from '../tenant.ts';

export interface JsonLinesDeps {
  ingester: LogIngester;
  maxBodyBytes: number;
  nowMs: () => number;
}

export function registerJsonLines(app: FastifyInstance, deps: JsonLinesDeps): void {
  app.post('/vigil/api/v1/logs', async (request, reply) => {
    const tenant = tenantOf(request);
    const body = decodeBody((request.body as Buffer | undefined) ?? Buffer.alloc(0), request.headers['content-encoding'], {
      maxBytes: deps.maxBodyBytes,
    });
    const { entries, lineOf, rejected } = parseJsonLines(body.toString('utf8'), BigInt(deps.nowMs()) * 1_000_000n);
    const outcome = deps.ingester.ingest(tenant, 'jsonl', { streams: [{ labels: labelsOf(request), entries }] }, rejected);
    const status = outcome.accepted === 0 && outcome.rejected.length > 0 ? 400 : 200;
    return reply.code(status).send({
      accepted: outcome.accepted,
      // decode rejections count lines; later ones count accepted entries
      rejected: outcome.rejected.map((r, i) => ({
        line: (i < rejected.length ? r.entry : lineOf[r.entry]) + 1,
        reason: r.reason,
        message: r.message,
      })),
    });
  });
}

function labelsOf(request: FastifyRequest): Labels {
  const labels: Labels = {};
  for (const [name, value] of Object.entries(request.query as Record<string, unknown>)) {
    if (typeof value !== 'string') {
      throw new VigilError('VIGIL_ERR_LABELS_INVALID', `label "${name}" is given more than once in the query string`);
    }
    labels[name] = value;
  }
  return labels;
}

function parseJsonLines(text: string, nowNs: bigint): { entries: RawEntry[]; lineOf: number[]; rejected: Rejection[] } {
  const entries: RawEntry[] = [];
  const lineOf: number[] = [];
  const rejected: Rejection[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const reject = (reason: string, message: string) => rejected.push({ stream: 0, entry: index, reason, message });
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      return reject('malformed_json', `line ${index + 1} is not valid JSON: ${(err as Error).message}`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return reject('not_an_object', `line ${index + 1} is not a JSON object`);
    }
    const time = (value as Record<string, unknown>).time ?? (value as Record<string, unknown>).ts;
    try {
      entries.push({ tsNs: time === undefined ? nowNs : timeOf(time), line });
      lineOf.push(index);
    } catch (err) {
      reject('bad_timestamp', `line ${index + 1}: ${(err as Error).message}`);
    }
  });
  return { entries, lineOf, rejected };
}

function timeOf(value: unknown): bigint {
  if (typeof value === 'number' && Number.isFinite(value)) {
    // seconds, milliseconds or nanoseconds, by magnitude
    if (value < 1e11) return BigInt(Math.round(value * 1000)) * 1_000_000n;
    if (value < 1e14) return BigInt(Math.round(value)) * 1_000_000n;
    return BigInt(Math.round(value));
  }
  if (typeof value === 'string') return parseTimeNs(value, 'time');
  throw new Error('time must be a number or a string');
}
