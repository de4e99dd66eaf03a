/**
 * A query worker thread: its own read-only SQLite connections, so big reads
 * never run on the event loop that accepts pushes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isVigilError } from '../errors.ts';
import { join } from 'node:path';
import { ReadConnections, SqliteLogReader } from '../store/sqlite/log-reader.ts';
import { TsdbQuerier } from '../tsdb/index.ts';
import { collectorAfterGrowth } from '../collect-garbage.ts';
import { answerJson } from './json-text.ts';
import { operations, type OperationName, type QuerySources } from './operations.ts';

export interface WorkerRequest {
  id: number;
  op: OperationName;
  tenant: string;
  args: unknown;
}

export type WorkerReply =
  /** The result as UTF-8 JSON, its buffer transferred: a large answer is neither copied nor decoded on the main thread. */
  | { id: number; json: Uint8Array }
  | { id: number; error: { code: string; status: number; message: string } };

const { dataDir } = workerData as { dataDir: string };
const utf8 = new TextEncoder();
const connections = new ReadConnections(dataDir);
/** One metrics querier per tenant, kept: each holds read-only connections. */
const metricQueriers = new Map<string, TsdbQuerier>();
/**
 * A query over 100k series leaves ~150 MB of garbage behind (see
 * collect-garbage.ts). Collected once the worker has been idle for a moment,
 * so that back-to-back queries never wait for it: busy, V8 collects anyway.
 */
const collectAfterLargeQuery = collectorAfterGrowth(32 * 1024 * 1024);
const COLLECT_WHEN_IDLE_MS = 500;
let idleTimer: NodeJS.Timeout | undefined;

function sourcesFor(tenant: string): QuerySources {
  return {
    logs: () => new SqliteLogReader(connections, tenant),
    metrics() {
      let querier = metricQueriers.get(tenant);
      if (!querier) metricQueriers.set(tenant, (querier = new TsdbQuerier({ dir: join(dataDir, 'metrics'), tenant })));
      return querier;
    },
  };
}

parentPort!.on('message', (request: WorkerRequest) => {
  clearTimeout(idleTimer);
  const reply = run(request);
  parentPort!.postMessage(reply, 'json' in reply ? [reply.json.buffer as ArrayBuffer] : []);
  idleTimer = setTimeout(collectAfterLargeQuery, COLLECT_WHEN_IDLE_MS);
});

function run({ id, op, tenant, args }: WorkerRequest): WorkerReply {
  try {
    const result = (operations[op] as (s: QuerySources, a: unknown) => unknown)(sourcesFor(tenant), args);
    return { id, json: utf8.encode(answerJson(result)) }; // its own ArrayBuffer (Buffer.from may share a pool)
  } catch (err) {
    if (isVigilError(err)) return { id, error: { code: err.code, status: err.status, message: err.message } };
    return { id, error: { code: 'VIGIL_ERR_INTERNAL', status: 500, message: (err as Error).message } };
  }
}
