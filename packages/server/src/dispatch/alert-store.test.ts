import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { AlertStore, RESOLVED_RETENTION_MS } from './alert-store.ts';
import type { Alert } from './model.ts';
import { NotificationLog, needsUpdate } from './nflog.ts';

const T = 1_700_000_000_000;
const M = 60_000;
const alert = (extra: Partial<Alert> = {}): Alert => ({ labels: { alertname: 'X' }, annotations: {}, startsAt: T, endsAt: 0, generatorURL: '', updatedAt: 0, ...extra });

test('an alert without endsAt gets updatedAt + resolve_timeout, marked as a timeout', () => {
  const stored = new AlertStore().put(alert(), T, 5 * M);
  assert.equal(stored.endsAt, T + 5 * M);
  assert.equal(stored.timeout, true);
  assert.equal(stored.updatedAt, T);
});

test('re-sending extends the alert and keeps its earliest start', () => {
  const store = new AlertStore();
  store.put(alert(), T, 5 * M);
  const again = store.put(alert({ startsAt: T + M }), T + 2 * M, 5 * M);
  assert.equal(again.startsAt, T);
  assert.equal(again.endsAt, T + 7 * M);
});

test('an explicit later end survives a re-send without one', () => {
  const store = new AlertStore();
  store.put(alert({ endsAt: T + 60 * M }), T, 5 * M);
  assert.equal(store.put(alert(), T + M, 5 * M).endsAt, T + 60 * M);
});

test('a resolve ends the alert; a later firing alert replaces it with its own start', () => {
  const store = new AlertStore();
  store.put(alert(), T, 5 * M);
  assert.equal(store.put(alert({ endsAt: T + M }), T + M, 5 * M).endsAt, T + M);
  const refired = store.put(alert({ startsAt: T + 10 * M }), T + 10 * M, 5 * M);
  assert.equal(refired.startsAt, T + 10 * M, 'no overlap with the resolved one: not merged');
});

test('resolved alerts are dropped after the retention', () => {
  const store = new AlertStore();
  store.put(alert({ endsAt: T }), T, 5 * M);
  store.put(alert({ labels: { alertname: 'Y' } }), T, 60 * M);
  assert.deepEqual(store.collectGarbage(T + RESOLVED_RETENTION_MS - 1), []);
  assert.equal(store.collectGarbage(T + RESOLVED_RETENTION_MS).length, 1);
  assert.deepEqual(store.all().map((a) => a.labels.alertname), ['Y']);
});

test('needsUpdate follows Alertmanager DedupStage', () => {
  const set = (...fps: string[]) => new Set(fps);
  const entry = { firing: set('a'), resolved: set(), sentAt: T };
  assert.equal(needsUpdate(undefined, set('a'), set(), 4 * 60 * M, T), true, 'never sent, something firing');
  assert.equal(needsUpdate(undefined, set(), set('a'), 4 * 60 * M, T), false, 'never sent, only resolved');
  assert.equal(needsUpdate(entry, set('a', 'b'), set(), 4 * 60 * M, T + M), true, 'new firing alert');
  assert.equal(needsUpdate(entry, set('a'), set(), 4 * 60 * M, T + M), false, 'unchanged');
  assert.equal(needsUpdate(entry, set('a'), set(), 4 * 60 * M, T + 4 * 60 * M + 1), true, 'repeat interval passed');
  assert.equal(needsUpdate(entry, set(), set('a'), 4 * 60 * M, T + M), true, 'all resolved after firing was sent');
  assert.equal(needsUpdate({ ...entry, firing: set() }, set(), set('a'), 4 * 60 * M, T + M), false, 'resolved already told');
  assert.equal(needsUpdate(entry, set('a'), set('c'), 4 * 60 * M, T + M), true, 'newly resolved alongside firing');
});

test('the notification log keeps entries until they expire', () => {
  const log = new NotificationLog(new Database(':memory:'));
  log.log('team', '{}:{}', ['a'], ['b'], T);
  assert.deepEqual(log.get('team', '{}:{}', T + M), { firing: new Set(['a']), resolved: new Set(['b']), sentAt: T });
  assert.equal(log.get('other', '{}:{}', T + M), undefined);
  log.collectGarbage(T + 121 * 60 * M);
  assert.equal(log.get('team', '{}:{}', T), undefined);
});
