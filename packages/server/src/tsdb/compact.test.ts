import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import type { LabelMatcher } from '../logql/source.ts';
import { MAX_COMPACTED_SAMPLES } from './compact.ts';
import { staleNaN, type Sample, type Series } from './model.ts';
import { TsdbQuerier } from './querier.ts';
import { TsdbWriter, type TsdbOptions } from './writer.ts';

const DAY = 86_400_000;
const STEP = 15_000;
/** Noon on 2025-06-10; "yesterday" is 2025-06-09. */
const NOW = Date.parse('2025-06-10T12:00:00Z');
const YESTERDAY = NOW - DAY - DAY / 2;

const eq = (name: string, value: string): LabelMatcher => ({ name, op: '=', value });

function setup(t: TestContext, options: Partial<TsdbOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-compact-'));
  let now = NOW;
  const open = () => new TsdbWriter({ dir, now: () => now, compactionBudgetMs: 0, ...options });
  const writers = [open()];
  const queriers: TsdbQuerier[] = [];
  const querier = () => {
    const q = new TsdbQuerier({ dir, tenant: 't1' });
    queriers.push(q);
    return q;
  };
  t.after(() => {
    for (const q of queriers) q.close();
    for (const w of writers) {
      try {
        w.close();
      } catch {
        /* closed by the test */
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });
  const reopen = () => {
    writers[writers.length - 1].close();
    writers.push(open());
    return writers[writers.length - 1];
  };
  return { dir, writer: writers[0], querier, reopen, setNow: (ms: number) => (now = ms) };
}

function series(labels: Record<string, string>, from: number, n: number, value: (i: number) => number = (i) => i): Series {
  const samples: Sample[] = [];
  for (let i = 0; i < n; i++) samples.push({ t: from + i * STEP, v: value(i) });
  return { labels, samples };
}

/** A full day at 15 s for `count` series, appended in 5-minute batches, then a sample each today. */
function writeDay(writer: TsdbWriter, count: number, value: (k: number, i: number) => number): Series[] {
  const all = Array.from({ length: count }, (_, k) => series({ __name__: 'm', k: String(k) }, YESTERDAY, DAY / STEP, (i) => value(k, i)));
  for (let i = 0; i < DAY / STEP; i += 20) writer.append('t1', all.map((s) => ({ labels: s.labels, samples: s.samples.slice(i, i + 20) })));
  writer.append('t1', all.map((s) => series(s.labels, NOW - DAY / 2, 1, () => 42)));
  writer.flushHead();
  return all;
}

function chunkRows(dir: string, name: string): { n: number; maxCount: number } {
  const db = new Database(join(dir, 'chunks', name), { readonly: true });
  try {
    return db.prepare('SELECT count(*) AS n, max(count) AS maxCount FROM chunks').get() as { n: number; maxCount: number };
  } finally {
    db.close();
  }
}

/** Every sample of `expected` is read back with its exact bits (NaN payloads included). */
function assertSame(got: Series[], expected: Series[]): void {
  assert.equal(got.length, expected.length);
  const view = new DataView(new ArrayBuffer(16));
  const byK = new Map(got.map((s) => [s.labels.k, s.samples]));
  for (const e of expected) {
    const samples = byK.get(e.labels.k)!;
    assert.equal(samples.length, e.samples.length, `series ${e.labels.k}`);
    for (let i = 0; i < samples.length; i++) {
      assert.equal(samples[i].t, e.samples[i].t);
      view.setFloat64(0, samples[i].v);
      view.setFloat64(8, e.samples[i].v);
      assert.equal(view.getBigUint64(0), view.getBigUint64(8), `series ${e.labels.k} value ${i}`);
    }
  }
}

test('a finished day is compacted a series per step into fewer chunks, readers seeing the same samples throughout', (t) => {
  const { dir, writer, querier } = setup(t);
  const all = writeDay(writer, 3, (k, i) => (i === 100 ? staleNaN() : i === 101 ? -0 : k * 1000 + i * 0.25));
  const before = chunkRows(dir, '2025-06-09.db');
  assert.equal(before.maxCount, 120);
  const q = querier();
  const read = () => q.select([eq('__name__', 'm')], YESTERDAY, NOW - DAY / 2 - 1);
  assertSame(read(), all);

  // Budget 0: one series per maintain(); the old file serves reads meanwhile.
  const steps: (string | undefined)[] = [];
  for (let i = 0; i < 3; i++) {
    steps.push(writer.maintain().compactedDay);
    assertSame(read(), all);
  }
  assert.deepEqual(steps, [undefined, undefined, '2025-06-09.db']);
  const after = chunkRows(dir, '2025-06-09.c.db');
  assert.equal(after.maxCount, MAX_COMPACTED_SAMPLES);
  assert.equal(after.n, 3 * (DAY / STEP / MAX_COMPACTED_SAMPLES));
  assert.ok(existsSync(join(dir, 'chunks', '2025-06-09.db')), 'the original stays for readers until the next maintain()');
  assertSame(read(), all);

  assert.equal(writer.maintain().compactedDay, undefined, 'nothing else is finished');
  assert.deepEqual(readdirSync(join(dir, 'chunks')).filter((n) => n.startsWith('2025-06-09')).sort(), ['2025-06-09.c.db', '2025-06-09.c.db-shm', '2025-06-09.c.db-wal']);
  assertSame(read(), all); // the querier drops its connection to the deleted file
  assertSame(querier().select([eq('__name__', 'm')], YESTERDAY, NOW - DAY / 2 - 1), all);
  // Windows inside a compacted chunk keep inclusive bounds.
  const window = querier().select([eq('k', '1')], all[1].samples[1000].t, all[1].samples[1500].t)[0].samples;
  assert.equal(window.length, 501);
  assert.equal(window[0].t, all[1].samples[1000].t);
});

test('a day is not compacted while it is today or a head chunk starts in it', (t) => {
  const { dir, writer, setNow } = setup(t, { idleMs: 14 * 3600_000 });
  // Stops at 23:00 yesterday: one chunk in the day file, the open one in the head until idle for 14 h.
  writer.append('t1', [series({ __name__: 'idle' }, NOW - DAY / 2 - 3600_000 - 130 * STEP, 130)]);
  writer.append('t1', [series({ __name__: 'busy' }, NOW - 60_000, 3)]);
  for (let i = 0; i < 3; i++) assert.equal(writer.maintain().compactedDay, undefined);
  assert.deepEqual(readdirSync(join(dir, 'chunks')).filter((n) => n.endsWith('.db')), ['2025-06-09.db']);
  setNow(NOW + 3 * 3600_000);
  const done = writer.maintain();
  assert.equal(done.flushedSeries, 1);
  assert.equal(done.compactedDay, '2025-06-09.db', 'the idle flush closed its last chunk');
  assert.ok(!readdirSync(join(dir, 'chunks')).includes('2025-06-10.c.db'));
});

test('chunks of a day written during and after its compaction are kept and read', (t) => {
  const { dir, writer, querier } = setup(t);
  const all = writeDay(writer, 2, (k, i) => k + i);
  const seriesIn = (name: string) => {
    const db = new Database(join(dir, 'chunks', name), { readonly: true });
    t.after(() => db.close());
    return (db.prepare('SELECT count(DISTINCT series_id) AS n FROM chunks').get() as { n: number }).n;
  };
  assert.equal(writer.maintain().compactedDay, undefined); // started, a series done
  // Late samples of yesterday: idle at once, so the next maintain() writes their chunk to the day file mid-compaction.
  const late = series({ __name__: 'late' }, YESTERDAY + 3600_000, 10);
  writer.append('t1', [late]);
  let compacted: string | undefined;
  for (let i = 0; i < 5 && compacted === undefined; i++) compacted = writer.maintain().compactedDay;
  assert.equal(compacted, '2025-06-09.db');
  assert.equal(seriesIn('2025-06-09.db'), 3);
  assert.equal(seriesIn('2025-06-09.c.db'), 3, 'the late chunk was copied');
  writer.maintain(); // deletes the original
  const lateAgain = series({ __name__: 'late_again' }, YESTERDAY + 7200_000, 10);
  writer.append('t1', [lateAgain]);
  writer.maintain(); // flushes it, to the compacted file
  assert.equal(seriesIn('2025-06-09.c.db'), 4);
  const q = querier();
  assertSame(q.select([eq('__name__', 'm')], YESTERDAY, NOW - DAY / 2 - 1), all);
  assert.deepEqual(q.select([eq('__name__', 'late')], 0, NOW)[0].samples, late.samples);
  assert.deepEqual(q.select([eq('__name__', 'late_again')], 0, NOW)[0].samples, lateAgain.samples);
});

test('a restart drops a half-written compaction and starts it again; retention drops compacted days', (t) => {
  const { dir, writer, querier, reopen, setNow } = setup(t, { retentionDays: 3 });
  const all = writeDay(writer, 2, (k, i) => k * i);
  assert.equal(writer.maintain().compactedDay, undefined);
  assert.ok(existsSync(join(dir, 'chunks', '2025-06-09.c.db.tmp')));
  let again = reopen();
  assert.ok(!existsSync(join(dir, 'chunks', '2025-06-09.c.db.tmp')));
  let compacted: string | undefined;
  for (let i = 0; i < 5 && compacted === undefined; i++) compacted = again.maintain().compactedDay;
  assert.equal(compacted, '2025-06-09.db');
  // A restart with both files on disk: replay reads the compacted one; the next maintain() deletes the original.
  writeFileSync(join(dir, 'chunks', 'stray.c.db.tmp'), 'x');
  again = reopen();
  again.maintain();
  assert.deepEqual(readdirSync(join(dir, 'chunks')).filter((n) => n.startsWith('2025-06-09') && n.endsWith('.db')), ['2025-06-09.c.db']);
  assert.ok(!existsSync(join(dir, 'chunks', 'stray.c.db.tmp')));
  assertSame(querier().select([eq('__name__', 'm')], YESTERDAY, NOW - DAY / 2 - 1), all);

  setNow(NOW + 3 * DAY);
  assert.deepEqual(again.maintain().droppedDays, ['2025-06-09.db', '2025-06-10.db']);
  assert.ok(!readdirSync(join(dir, 'chunks')).some((n) => n.startsWith('2025-06-09')));
  assert.deepEqual(querier().select([eq('__name__', 'm')], 0, NOW + 3 * DAY), []);
});
