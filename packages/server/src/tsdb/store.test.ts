import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { LabelMatcher } from '../logql/source.ts';
import { cellStats, MIN_CELL_BYTES } from './cell-slab.ts';
import { TsdbAppendError } from './errors.ts';
import { isStaleNaN, staleNaN, type Sample, type Series } from './model.ts';
import { TsdbQuerier } from './querier.ts';
import { TsdbWriter, type TsdbOptions } from './writer.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2025-06-10T12:00:00Z');

function setup(t: TestContext, options: Partial<TsdbOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-tsdb-'));
  let now = NOW;
  const writer = new TsdbWriter({ dir, now: () => now, ...options });
  const queriers: TsdbQuerier[] = [];
  // Query workers are handed a query only after the head is flushed (main.ts).
  const querier = (tenant = 't1') => {
    writer.flushHead();
    const q = new TsdbQuerier({ dir, tenant });
    queriers.push(q);
    return q;
  };
  t.after(() => {
    for (const q of queriers) q.close();
    try {
      writer.close();
    } catch {
      /* closed by the test */
    }
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, writer, querier, setNow: (ms: number) => (now = ms) };
}

const eq = (name: string, value: string): LabelMatcher => ({ name, op: '=', value });

function series(labels: Record<string, string>, from: number, n: number, step = 15_000, value = (i: number) => i): Series {
  const samples: Sample[] = [];
  for (let i = 0; i < n; i++) samples.push({ t: from + i * step, v: value(i) });
  return { labels, samples };
}

test('samples round-trip through head and flushed chunks across days, exactly', (t) => {
  const { writer, querier } = setup(t);
  const start = NOW - 2 * DAY;
  // 2 days at 15 s: many cut chunks in two day files plus an open head chunk.
  const s = series({ __name__: 'http_requests_total', job: 'api' }, start, 2 * 5760 + 7, 15_000, (i) => i * 1.5);
  s.samples[100].v = staleNaN();
  s.samples[101].v = -0;
  s.samples[102].v = Infinity;
  // Append in batches like a remote-write sender.
  for (let i = 0; i < s.samples.length; i += 500) writer.append('t1', [{ labels: s.labels, samples: s.samples.slice(i, i + 500) }]);
  const got = querier().select([eq('__name__', 'http_requests_total')], start, NOW + DAY);
  assert.equal(got.length, 1);
  assert.deepEqual(got[0].labels, s.labels);
  assert.equal(got[0].samples.length, s.samples.length);
  for (let i = 0; i < s.samples.length; i++) {
    assert.equal(got[0].samples[i].t, s.samples[i].t);
    if (i === 100) assert.ok(isStaleNaN(got[0].samples[i].v));
    else assert.ok(Object.is(got[0].samples[i].v, s.samples[i].v), `value at ${i}`);
  }
  // A window inside: inclusive bounds.
  const from = s.samples[3000].t;
  const to = s.samples[4000].t;
  const window = querier().select([eq('job', 'api')], from, to)[0].samples;
  assert.equal(window.length, 1001);
  assert.equal(window[0].t, from);
  assert.equal(window[1000].t, to);
  assert.ok(readdirSync(join(writer.dir, 'chunks')).includes('2025-06-08.db'));
});

test('selectColumns reads what select reads, as columns, with label objects shared and frozen', (t) => {
  const { writer, querier, setNow } = setup(t);
  const start = NOW - DAY / 2;
  const a = series({ __name__: 'm', job: 'a' }, start, 2000, 15_000, (i) => i * 0.5);
  a.samples[7].v = staleNaN();
  writer.append('t1', [a, series({ __name__: 'm', job: 'b' }, NOW - 60_000, 3)]);
  setNow(NOW + 2 * 3600_000);
  writer.maintain(); // flushes the idle series: one read from day files, the other's newest chunk from the head
  writer.append('t1', [series({ __name__: 'm', job: 'a' }, start + 2000 * 15_000, 5)]);
  const q = querier();
  for (const [from, to] of [[start, NOW + DAY], [start + 100_000, start + 200_000]]) {
    const rows = q.select([eq('__name__', 'm')], from, to);
    const cols = q.selectColumns([eq('__name__', 'm')], from, to);
    assert.deepEqual(cols.map((c) => c.labels), rows.map((r) => r.labels));
    cols.forEach((c, i) => {
      assert.deepEqual([...c.t], rows[i].samples.map((s) => s.t));
      assert.equal(c.v.length, c.t.length);
      rows[i].samples.forEach((s, j) => assert.ok(Object.is(s.v, c.v[j]) || (isStaleNaN(s.v) && isStaleNaN(c.v[j])), `value ${j}`));
    });
  }
  assert.equal(q.selectColumns([eq('job', 'a')], start, NOW + DAY)[0].t.length, 2005);
  const labels = q.selectColumns([eq('job', 'b')], NOW - DAY, NOW + DAY)[0].labels;
  assert.equal(q.selectColumns([eq('job', 'b')], NOW - DAY, NOW + DAY)[0].labels, labels, 'parsed once');
  assert.ok(Object.isFrozen(labels));
  assert.deepEqual(q.selectColumns([eq('job', 'b')], NOW + DAY, NOW + 2 * DAY), []);
});

test('tenants are isolated', (t) => {
  const { writer, querier } = setup(t);
  writer.append('t1', [series({ __name__: 'up', job: 'a' }, NOW - 60_000, 3)]);
  writer.append('t2', [series({ __name__: 'up', job: 'b' }, NOW - 60_000, 3)]);
  assert.deepEqual(querier('t1').select([eq('__name__', 'up')], 0, NOW).map((s) => s.labels.job), ['a']);
  assert.deepEqual(querier('t2').labelValues('job', [], 0, NOW), ['b']);
  assert.deepEqual(querier('t3').select([], 0, NOW), []);
});

test('matchers: equality via postings, regex, negative, and label names/values', (t) => {
  const { writer, querier } = setup(t);
  const at = NOW - 60_000;
  writer.append('t1', [
    series({ __name__: 'req_total', job: 'api', code: '200' }, at, 2),
    series({ __name__: 'req_total', job: 'api', code: '500' }, at, 2),
    series({ __name__: 'req_total', job: 'web', code: '200' }, at, 2),
    series({ __name__: 'up', job: 'web' }, at, 2),
  ]);
  const q = querier();
  const codes = (m: LabelMatcher[]) =>
    q.select(m, 0, NOW).map((s) => `${s.labels.__name__}/${s.labels.job}/${s.labels.code ?? ''}`).sort();
  assert.deepEqual(codes([eq('__name__', 'req_total'), eq('job', 'api')]), ['req_total/api/200', 'req_total/api/500']);
  assert.deepEqual(codes([{ name: 'code', op: '=~', value: '5..' }]), ['req_total/api/500']);
  assert.deepEqual(codes([eq('job', 'web'), { name: 'code', op: '!=', value: '200' }]), ['up/web/']);
  assert.deepEqual(codes([eq('job', 'web'), eq('code', '')]), ['up/web/']);
  assert.deepEqual(codes([{ name: '__name__', op: '!~', value: 'req.*' }]), ['up/web/']);
  assert.deepEqual(codes([eq('job', 'nope')]), []);
  // several equality matchers: whichever list is used, every matcher still applies
  assert.deepEqual(codes([eq('__name__', 'req_total'), eq('code', '200'), eq('job', 'web')]), ['req_total/web/200']);
  assert.deepEqual(codes([eq('job', 'api'), eq('__name__', 'up')]), []);
  assert.deepEqual(codes([eq('__name__', 'req_total'), { name: 'job', op: '=~', value: 'a.*' }, { name: 'code', op: '!~', value: '2..' }]), ['req_total/api/500']);
  assert.deepEqual(q.labelNames([], 0, NOW), ['__name__', 'code', 'job']);
  assert.deepEqual(q.labelNames([eq('__name__', 'up')], 0, NOW), ['__name__', 'job']);
  assert.deepEqual(q.labelValues('code', [], 0, NOW), ['200', '500']);
  assert.deepEqual(q.labelValues('job', [eq('code', '500')], 0, NOW), ['api']);
  // Time range: nothing before the samples.
  assert.deepEqual(q.labelNames([], 0, at - 1), []);
  assert.deepEqual(q.select([eq('job', 'api')], 0, at - 1), []);
});

test('a selector asked again sees series added since (the match cache is dropped when the index grows)', (t) => {
  const { writer, querier } = setup(t);
  const at = NOW - 60_000;
  writer.append('t1', [series({ __name__: 'jobs_total', job: 'a' }, at, 2)]);
  const q = querier();
  const jobs = () => {
    writer.flushHead();
    return q.select([eq('__name__', 'jobs_total')], 0, NOW).map((s) => s.labels.job).sort();
  };
  assert.deepEqual(jobs(), ['a']);
  writer.append('t1', [series({ __name__: 'jobs_total', job: 'b' }, at, 2)]);
  assert.deepEqual(jobs(), ['a', 'b']);
  // another tenant's new series changes nothing for this one
  writer.append('t2', [series({ __name__: 'jobs_total', job: 'c' }, at, 2)]);
  assert.deepEqual(jobs(), ['a', 'b']);
});

test('out-of-order and duplicate samples are rejected naming the series; the rest is stored', (t) => {
  const { writer, querier } = setup(t);
  const at = NOW - 600_000;
  writer.append('t1', [series({ __name__: 'up', job: 'api' }, at, 10)]);
  // An identical re-send of the last sample is ignored, as Prometheus does.
  writer.append('t1', [series({ __name__: 'up', job: 'api' }, at + 9 * 15_000, 1, 0, () => 9)]);
  const err = (() => {
    try {
      writer.append('t1', [
        { labels: { __name__: 'up', job: 'api' }, samples: [{ t: at, v: 1 }, { t: at + 9 * 15_000, v: 42 }, { t: at + 10 * 15_000, v: 10 }] },
        series({ __name__: 'other', job: 'api' }, at, 2),
      ]);
    } catch (e) {
      return e;
    }
  })();
  assert.ok(err instanceof TsdbAppendError);
  assert.equal(err.status, 400);
  assert.deepEqual(err.rejections.map((r) => r.reason), ['out_of_order_sample', 'duplicate_sample_for_timestamp']);
  assert.match(err.message, /out of order sample.*up\{job="api"\}/);
  assert.equal(err.accepted, 3);
  const got = querier().select([eq('job', 'api')], 0, NOW);
  assert.deepEqual(got.map((s) => [s.labels.__name__, s.samples.length]).sort(), [['other', 2], ['up', 11]]);
});

test('per-tenant limits are enforced with errors naming the limit', (t) => {
  const { writer } = setup(t, { limits: { maxSeriesPerTenant: 2, maxLabelsPerSeries: 3, maxLabelNameLength: 10, maxLabelValueLength: 5 } });
  const at = NOW - 1000;
  const reasons = (s: Series[], tenant = 't1') => {
    try {
      writer.append(tenant, s);
      return [];
    } catch (e) {
      assert.ok(e instanceof TsdbAppendError);
      return e.rejections.map((r) => `${r.reason}: ${r.message}`);
    }
  };
  assert.match(reasons([series({ __name__: 'a', b: '1', c: '1', d: '1' }, at, 1)])[0], /max_labels_per_series.*limit max_labels_per_series=3/);
  assert.match(reasons([series({ __name__: 'a', abcdefghijk: '1' }, at, 1)])[0], /max_label_name_length=10/);
  assert.match(reasons([series({ __name__: 'a', b: '123456' }, at, 1)])[0], /max_label_value_length=5/);
  assert.match(reasons([series({ job: 'x' }, at, 1)])[0], /missing_metric_name/);
  assert.deepEqual(reasons([series({ __name__: 'a' }, at, 1), series({ __name__: 'b' }, at, 1)]), []);
  assert.match(reasons([series({ __name__: 'c' }, at, 1)])[0], /max_series_per_tenant.*"t1" has 2 active series, the limit max_series_per_tenant=2/);
  // Existing series keep working; another tenant has its own budget.
  assert.deepEqual(reasons([series({ __name__: 'a' }, at + 1, 1)]), []);
  assert.deepEqual(reasons([series({ __name__: 'c' }, at, 1)], 't2'), []);
  assert.equal(writer.activeSeries('t1'), 2);
});

test('the head is visible to a querier once flushHead() ran, and replayed after a restart', (t) => {
  const { dir, writer, querier } = setup(t);
  const at = NOW - 3_600_000;
  writer.append('t1', [series({ __name__: 'up', job: 'api' }, at, 50)]);
  const before = new TsdbQuerier({ dir, tenant: 't1' });
  assert.deepEqual(before.select([eq('job', 'api')], 0, NOW), []);
  before.close();
  assert.equal(querier().select([eq('job', 'api')], 0, NOW)[0].samples.length, 50);
  writer.close();
  const again = new TsdbWriter({ dir, now: () => NOW });
  t.after(() => again.close());
  assert.equal(again.activeSeries('t1'), 1);
  assert.throws(() => again.append('t1', [series({ __name__: 'up', job: 'api' }, at, 1, 0, () => 7)]), /out of order|duplicate/);
  again.append('t1', [series({ __name__: 'up', job: 'api' }, at + 50 * 15_000, 100, 15_000, (i) => 50 + i)]);
  again.flushHead();
  const got = querier().select([eq('job', 'api')], 0, NOW)[0].samples;
  assert.equal(got.length, 150);
  assert.deepEqual(got.map((s) => s.v), Array.from({ length: 150 }, (_, i) => i));
});

test('accepted samples survive kill -9 right after append() returns', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-tsdb-crash-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const script = fileURLToPath(new URL('./testdata/crash-append.ts', import.meta.url));
  const run = spawnSync(process.execPath, ['--import', 'tsx', script, dir, String(NOW)], { encoding: 'utf8' });
  assert.equal(run.signal, 'SIGKILL', run.stderr);
  // On disk: a head row with the first 60 samples, their full chunk (cut at
  // 120) in a day file, and samples 61–130 only in head_log.
  const w = new TsdbWriter({ dir, now: () => NOW });
  t.after(() => w.close());
  assert.equal(w.activeSeries('t1'), 1);
  const q = new TsdbQuerier({ dir, tenant: 't1' });
  t.after(() => q.close());
  const got = q.select([eq('__name__', 'up')], 0, NOW)[0].samples;
  assert.deepEqual(got.map((s) => s.v), Array.from({ length: 130 }, (_, i) => i));
  assert.throws(() => w.append('t1', [series({ __name__: 'up', job: 'api' }, NOW - 3_600_000 + 129 * 15_000, 1, 0, () => 1)]), /duplicate/);
});

test('a chunk found both flushed and in the head (crash between the commits) is read once', (t) => {
  const { dir, writer, querier } = setup(t);
  const at = NOW - 3_600_000;
  writer.append('t1', [series({ __name__: 'up' }, at, 60)]);
  writer.close();
  // Simulate: the chunk was committed to its day file, the head row not yet replaced.
  const index = new Database(join(dir, 'index.db'));
  const row = index.prepare('SELECT * FROM head_chunks').get() as Record<string, unknown>;
  index.close();
  mkdirSync(join(dir, 'chunks'));
  const dayDb = new Database(join(dir, 'chunks', '2025-06-10.db'));
  dayDb.exec('CREATE TABLE IF NOT EXISTS chunks (series_id INTEGER, min_t INTEGER, max_t INTEGER, count INTEGER, data BLOB)');
  dayDb.prepare('INSERT INTO chunks VALUES (?, ?, ?, ?, ?)').run(row.series_id, row.min_t, row.max_t, row.count, row.data);
  dayDb.close();
  assert.equal(querier().select([eq('__name__', 'up')], 0, NOW)[0].samples.length, 60);
  const again = new TsdbWriter({ dir, now: () => NOW });
  t.after(() => again.close());
  again.append('t1', [series({ __name__: 'up' }, at + 60 * 15_000, 5)]);
  assert.throws(() => again.append('t1', [series({ __name__: 'up' }, at, 1)]), /out of order/);
  again.flushHead();
  const got = querier().select([eq('__name__', 'up')], 0, NOW)[0].samples;
  assert.equal(got.length, 65);
});

test('maintain() flushes idle series and drops day files past retention', (t) => {
  const { dir, writer, querier, setNow } = setup(t, { retentionDays: 3, idleMs: 600_000 });
  writer.append('t1', [series({ __name__: 'old' }, NOW - 2 * DAY, 10)]);
  writer.append('t1', [series({ __name__: 'new' }, NOW - 60_000, 2)]);
  assert.equal(writer.activeSeries('t1'), 2);
  const first = writer.maintain();
  assert.equal(first.flushedSeries, 1);
  assert.equal(writer.activeSeries('t1'), 1);
  assert.equal(querier().select([eq('__name__', 'old')], 0, NOW)[0].samples.length, 10);
  // Still rejects out-of-order after the series left the head.
  assert.throws(() => writer.append('t1', [series({ __name__: 'old' }, NOW - 2 * DAY, 1, 0, () => 99)]), /duplicate|out of order/);
  // Too old for the retention.
  assert.throws(() => writer.append('t1', [series({ __name__: 'new' }, NOW - 5 * DAY, 1)]), /sample_too_old|older than the 3-day retention/);
  setNow(NOW + 2 * DAY);
  const second = writer.maintain();
  assert.deepEqual(second.droppedDays, ['2025-06-08.db']);
  assert.ok(!existsSync(join(dir, 'chunks', '2025-06-08.db')));
  assert.deepEqual(querier().select([eq('__name__', 'old')], 0, NOW + 2 * DAY), []);
  assert.equal(querier().select([eq('__name__', 'new')], 0, NOW + 2 * DAY).length, 1);
});

test('open chunks give their cells back when cut, when their series leaves the head, and on close; flushed, they keep a few bytes', (t) => {
  const { dir, writer, querier } = setup(t, { idleMs: 600_000 });
  const before = cellStats();
  // 300 samples: two chunks cut at 120, the third open.
  writer.append('t1', [series({ __name__: 'busy' }, NOW - 300 * 15_000, 300, 15_000, (i) => i * 0.5)]);
  writer.append('t1', [series({ __name__: 'idle' }, NOW - 2 * DAY, 10)]);
  writer.append('t1', [series({ __name__: 'quiet' }, NOW - 60_000, 2)]);
  assert.equal(cellStats().cellsInUse, before.cellsInUse + 3, 'one cell per open chunk');
  assert.ok(cellStats().bytesInUse - before.bytesInUse > 64, 'the 60-sample chunk is held whole');
  writer.maintain(); // flushes the head, then the idle series leaves it
  assert.equal(writer.activeSeries('t1'), 2);
  const flushed = cellStats();
  assert.ok(flushed.cellsInUse <= before.cellsInUse + 2, `the idle series gave its cell back: ${flushed.cellsInUse - before.cellsInUse}`);
  assert.ok(flushed.bytesInUse - before.bytesInUse <= 2 * MIN_CELL_BYTES, `flushed open chunks hold their last byte: ${flushed.bytesInUse - before.bytesInUse}`);
  assert.equal(querier().select([eq('__name__', 'busy')], 0, NOW)[0].samples.length, 300);
  writer.append('t1', [series({ __name__: 'quiet' }, NOW - 30_000, 1)]); // appended after the forgotten bytes
  writer.close();
  assert.equal(cellStats().cellsInUse, before.cellsInUse);
  assert.deepEqual(
    querier().select([eq('__name__', 'quiet')], 0, NOW)[0].samples.map((s) => s.t),
    [NOW - 60_000, NOW - 45_000, NOW - 30_000],
  );
  const reopened = new TsdbWriter({ dir, now: () => NOW });
  assert.ok(cellStats().cellsInUse <= before.cellsInUse + 2, 'the replayed head holds at most a cell per open chunk');
  reopened.close();
  assert.equal(cellStats().cellsInUse, before.cellsInUse);
});

test('a querier runs in a worker thread with its own connection', async (t) => {
  const { dir, writer } = setup(t);
  writer.append('t1', [{ labels: { __name__: 'up', job: 'w' }, samples: [{ t: NOW - 2000, v: 1 }, { t: NOW - 1000, v: staleNaN() }] }]);
  writer.append('t2', [series({ __name__: 'up', job: 'other' }, NOW - 2000, 2)]);
  writer.flushHead();
  const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
    .then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./testdata/query-worker.ts', import.meta.url).href)}); });`;
  const worker = new Worker(bootstrap, {
    eval: true,
    workerData: { dir, tenant: 't1', matchers: [eq('__name__', 'up')], start: 0, end: NOW },
  });
  const result = await new Promise<Array<{ labels: Record<string, string>; samples: Array<{ t: number; stale: boolean }> }>>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  assert.equal(result.length, 1);
  assert.deepEqual(result[0].labels, { __name__: 'up', job: 'w' });
  assert.deepEqual(result[0].samples.map((s) => s.stale), [false, true]);
});
