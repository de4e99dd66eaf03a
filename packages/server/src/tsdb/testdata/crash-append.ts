// Appends, then kill -9s itself right after append() returns (test helper).
import { TsdbWriter } from '../writer.ts';

const [dir, now] = process.argv.slice(2);
const w = new TsdbWriter({ dir, now: () => Number(now) });
const base = Number(now) - 3_600_000;
w.append('t1', [
  { labels: { __name__: 'up', job: 'api' }, samples: Array.from({ length: 130 }, (_, i) => ({ t: base + i * 15_000, v: i })) },
]);
process.kill(process.pid, 'SIGKILL');
