// Runs a TsdbQuerier in a worker thread (test helper): workerData {dir, tenant, matchers, start, end}.
import { parentPort, workerData } from 'node:worker_threads';
import { TsdbQuerier } from '../querier.ts';
import { STALE_NAN_BITS } from '../model.ts';

const { dir, tenant, matchers, start, end } = workerData;
const q = new TsdbQuerier({ dir, tenant });
const view = new DataView(new ArrayBuffer(8));
const series = q.select(matchers, start, end).map((s) => ({
  labels: s.labels,
  // Bits travel as strings: structured clone does not promise NaN payloads.
  samples: s.samples.map((x) => {
    view.setFloat64(0, x.v);
    return { t: x.t, bits: view.getBigUint64(0).toString(16), stale: view.getBigUint64(0) === STALE_NAN_BITS };
  }),
}));
q.close();
parentPort!.postMessage(series);
