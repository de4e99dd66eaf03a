/**
 * GET /loki/api/v1/tail (WebSocket): first the lines since `start` (best
 * effort, through a query worker), then every new matching line as it is
 * stored. New lines are matched by running the query over just the appended
 * batch, so tails never touch the store.
 */
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { LogIngester } from '../../ingest/log-ingester.ts';
import { isMetricQuery, parseLogql, selectLogs, type LogqlExpr } from '../../logql/index.ts';
import type { LogRow, LogSource, StreamRef } from '../../logql/source.ts';
import { compileMatchers } from '../../logql/index.ts';
import type { StreamBatch } from '../../store/record.ts';
import { VigilError } from '../../errors.ts';
import type { QueryRunner } from '../../query/worker-pool.ts';
import { tenantOf } from '../tenant.ts';
import { parseLimit, parseTimeNs, required, single, type Params } from './params.ts';

export interface TailDeps {
  ingester: LogIngester;
  queries: QueryRunner;
  nowNs: () => bigint;
}

/** A slow client may fall this far behind before entries are dropped. */
const maxBufferedBytes = 4 * 1024 * 1024;

export async function registerLokiTail(app: FastifyInstance, deps: TailDeps): Promise<void> {
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  app.get('/loki/api/v1/tail', { websocket: true }, (socket, request) => {
    const params = request.query as Params;
    let expr: LogqlExpr;
    let tenant: string;
    let limit: number;
    let startNs: bigint;
    try {
      tenant = tenantOf(request);
      expr = parseLogql(required(params, 'query'));
      if (isMetricQuery(expr)) throw new VigilError('VIGIL_ERR_QUERY_PARAM', 'tail takes a log query, not a metric query');
      limit = parseLimit(params, 5000);
      const start = single(params, 'start');
      startNs = start ? parseTimeNs(start, 'start') : deps.nowNs() - 3_600_000_000_000n;
    } catch (err) {
      socket.close(4400, (err as Error).message.slice(0, 120));
      return;
    }
    // Live lines wait until the catch-up is sent, then go out minus any the catch-up already had.
    let waiting: TailStream[] | undefined = [];
    const unsubscribe = deps.ingester.onAppend((pushedTenant, batches) => {
      if (pushedTenant !== tenant) return;
      const streams = selectLogs(expr, batchSource(batches), {
        startNs: 0n,
        endNs: 1n << 62n,
        limit: Number.MAX_SAFE_INTEGER,
        direction: 'forward',
      }).streams.map(toTailStream);
      if (streams.length === 0) return;
      if (waiting) waiting.push(...streams);
      else send(socket, streams);
    });
    socket.on('close', unsubscribe);
    void catchUp(deps, socket, tenant, params, startNs, limit).then((sent) => {
      const live = waiting!.map((s) => ({ ...s, values: s.values.filter(([ts, line]) => !sent.has(`${ts}\u0000${line}`)) }));
      waiting = undefined;
      send(socket, live.filter((s) => s.values.length > 0));
    });
  });
}

interface TailStream {
  stream: Record<string, string>;
  values: [string, string][];
}

function toTailStream(s: ReturnType<typeof selectLogs>['streams'][number]): TailStream {
  return { stream: s.labels, values: s.entries.map((e) => [e.tsNs.toString(), e.line]) };
}

/** Sends the lines since `start`; resolves with the keys of what it sent. */
async function catchUp(
  deps: TailDeps,
  socket: WebSocket,
  tenant: string,
  params: Params,
  startNs: bigint,
  limit: number,
): Promise<Set<string>> {
  const sent = new Set<string>();
  try {
    const json = await deps.queries.run('query_range', tenant, {
      query: required(params, 'query'),
      startNs,
      endNs: deps.nowNs(),
      stepNs: 1_000_000_000n,
      limit,
      direction: 'forward',
      categorizeLabels: false,
    });
    const result = (JSON.parse(json.toString()) as { data: { result: TailStream[] } }).data.result;
    for (const s of result) for (const [ts, line] of s.values) sent.add(`${ts}\u0000${line}`);
    send(socket, result);
  } catch {
    // catch-up is best effort, as in Loki
  }
  return sent;
}

function send(socket: WebSocket, payload: TailStream[]): void {
  if (payload.length === 0 || socket.readyState !== socket.OPEN) return;
  if (socket.bufferedAmount > maxBufferedBytes) {
    const dropped = payload.flatMap((s) => s.values.map(([timestamp]) => ({ labels: s.stream, timestamp })));
    socket.send(JSON.stringify({ streams: [], dropped_entries: dropped }));
    return;
  }
  socket.send(JSON.stringify({ streams: payload }));
}

/** The appended batch as a tiny LogSource. */
function batchSource(batches: StreamBatch[]): LogSource {
  const refs: StreamRef[] = batches.map((batch, id) => ({ id, labels: batch.labels }));
  return {
    matchStreams(matchers) {
      const matches = compileMatchers(matchers);
      return refs.filter((ref) => matches(ref.labels));
    },
    scan(options) {
      const wanted = new Set(options.streamIds);
      const rows = batches.flatMap((batch, id) => (wanted.has(id) ? batch.records.map((record) => rowOf(id, record)) : []));
      return rows.sort((a, b) => (a.tsNs < b.tsNs ? -1 : a.tsNs > b.tsNs ? 1 : 0));
    },
  };
}

function rowOf(streamId: number, record: StreamBatch['records'][number]): LogRow {
  const fields: Record<string, string> = { ...record.metadata, ...record.fields, category: record.category };
  if (record.severity) fields.severity = record.severity;
  return { streamId, tsNs: record.tsNs, line: record.line, fields };
}
