/**
 * A query worker thread: its own read-only SQLite connections, so big reads
 * never run on the event loop that accepts pushes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isVigilError } from '../errors.ts';
import { ReadConnections, SqliteLogReader } from '../store/sqlite/log-reader.ts';
import { operations, type OperationName } from './operations.ts';

export interface WorkerRequest {
  id: number;
  op: OperationName;
  tenant: string;
  args: unknown;
}

export type WorkerReply =
  | { id: number; json: string }
  | { id: number; error: { code: string; status: number; message: string } };

const connections = new ReadConnections((workerData as { dataDir: string }).dataDir);

parentPort!.on('message', (request: WorkerRequest) => {
  parentPort!.postMessage(run(request));
});

function run({ id, op, tenant, args }: WorkerRequest): WorkerReply {
  try {
    const source = new SqliteLogReader(connections, tenant);
    const result = (operations[op] as (s: SqliteLogReader, a: unknown) => unknown)(source, args);
    return { id, json: JSON.stringify(result) };
  } catch (err) {
    if (isVigilError(err)) return { id, error: { code: err.code, status: err.status, message: err.message } };
    return { id, error: { code: 'VIGIL_ERR_INTERNAL', status: 500, message: (err as Error).message } };
  }
}
