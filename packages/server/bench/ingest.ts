/**
 * Sustained ingest through Loki protobuf push, with redaction on and off,
 * against a started `vigil` process. Prints one figure per line.
 *
 *   node --import tsx packages/server/bench/ingest.ts [seconds-of-data]
 */
import { cpus } from 'node:os';
import { removeDir, startVigil } from '../test/acceptance/vigil-process.ts';
import { buildPush, pushAll } from './workload.ts';

const pushes = Number(process.argv[2] ?? 300); // × 1000 lines
const now = Date.now();
const bodies = Array.from({ length: pushes }, (_, i) => buildPush(i, now - 600_000 + i * 1000, now - 599_000 + i * 1000));

async function measure(redaction: boolean): Promise<number> {
  const vigil = await startVigil({
    configYaml: `redaction:\n  enabled: ${redaction}\n`,
  });
  try {
    await pushAll(vigil.url, bodies.slice(0, 20), 4); // warm-up
    return await pushAll(vigil.url, bodies.slice(20), 4);
  } finally {
    await vigil.stop();
    removeDir(vigil.dataDir);
  }
}

console.log(`machine ${cpus().length}x ${cpus()[0].model.trim()} node ${process.version}`);
const on = await measure(true);
const off = await measure(false);
console.log(`ingest_loki_protobuf_lines_per_second_redaction_on ${Math.round(on)}`);
console.log(`ingest_loki_protobuf_lines_per_second_redaction_off ${Math.round(off)}`);
console.log(`redaction_cost_ratio_off_over_on ${(off / on).toFixed(2)}`);
