/**
 * Remote-write ingest in process: decode (uncompressed prometheus.WriteRequest)
 * + TsdbWriter.append of 2,000-sample requests over 10k series, one sample
 * per TimeSeries (what Prometheus sends). Prints samples per second.
 *
 *   node --import tsx packages/server/bench/tsdb-remote-write.ts [series] [rounds]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeWriteRequest } from '../src/ingest/remote-write/index.ts';
import { remoteWriteType } from '../src/ingest/remote-write/testing.ts';
import { TsdbWriter } from '../src/tsdb/index.ts';

const seriesCount = Number(process.argv[2] ?? 10_000);
const rounds = Number(process.argv[3] ?? 20);
const PER_REQUEST = 2_000;
const STEP = 15_000;
const type = remoteWriteType();

const labelSets = Array.from({ length: seriesCount }, (_, i) => [
  { name: '__name__', value: `node_metric_${i % 200}_total` },
  { name: 'env', value: 'production' },
  { name: 'instance', value: `10.0.${(i >> 8) & 255}.${i & 255}:9100` },
  { name: 'job', value: 'node' },
  { name: 'mode', value: ['idle', 'user', 'system', 'iowait'][i % 4] },
  { name: 'region', value: 'eu-west-1' },
]);

const start = Math.floor(Date.now() / STEP) * STEP - rounds * STEP;
const requests: Buffer[] = [];
for (let r = 0; r < rounds; r++) {
  for (let off = 0; off < seriesCount; off += PER_REQUEST) {
    const timeseries = [];
    for (let i = off; i < Math.min(off + PER_REQUEST, seriesCount); i++) {
      timeseries.push({ labels: labelSets[i], samples: [{ value: r * 10 + (i % 7), timestamp: start + r * STEP }] });
    }
    requests.push(Buffer.from(type.encode(type.fromObject({ timeseries })).finish()));
  }
}

const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-rw-'));
const writer = new TsdbWriter({ dir });
// First round creates the series; measure the steady state separately.
const perRound = Math.ceil(seriesCount / PER_REQUEST);
let t0 = performance.now();
for (let i = 0; i < perRound; i++) writer.appendBatch('default', decodeWriteRequest(requests[i]).batch);
const firstMs = performance.now() - t0;
let samples = 0;
t0 = performance.now();
for (let i = perRound; i < requests.length; i++) {
  const res = decodeWriteRequest(requests[i]);
  samples += res.samples;
  writer.appendBatch('default', res.batch);
}
const ms = performance.now() - t0;
writer.close();
rmSync(dir, { recursive: true, force: true });
console.log(`first_round_samples_per_second ${Math.round((seriesCount / firstMs) * 1000)}`);
console.log(`remote_write_in_process_samples_per_second ${Math.round((samples / ms) * 1000)}`);
