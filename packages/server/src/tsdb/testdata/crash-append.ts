// Appends (flushing the head once, midway), then kill -9s itself right after append() returns (test helper).
import { TsdbWriter } from '../writer.ts';

const [dir, now] = process.argv.slice(2);
const w = new TsdbWriter({ dir, now: () => Number(now) });
const base = Number(now) - 3_600_000;
const samples = Array.from({ length: 130 }, (_, i) => ({ t: base + i * 15_000, v: i }));
w.append('t1', [{ labels: { __name__: 'up', job: 'api' }, samples: samples.slice(0, 60) }]);
w.flushHead();
w.append('t1', [{ labels: { __name__: 'up', job: 'api' }, samples: samples.slice(60) }]);
process.kill(process.pid, 'SIGKILL');
