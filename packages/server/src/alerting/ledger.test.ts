import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { AlertLedger } from './ledger.ts';

function ledgerWithEntries(): AlertLedger {
  const ledger = new AlertLedger(new Database(':memory:'));
  ledger.record({ at: 1000, kind: 'alert', action: 'firing', fingerprint: 'aa', detail: { labels: { alertname: 'A' } } });
  ledger.record({ at: 2000, kind: 'notification', action: 'sent', fingerprint: 'aa', receiver: 'pager', detail: { ok: true } });
  ledger.record({ at: 3000, kind: 'notification', action: 'failed', receiver: 'mail', detail: { error: 'refused' } });
  ledger.record({ at: 4000, kind: 'silence', action: 'created', detail: { id: 's1' } });
  return ledger;
}

test('the ledger answers by fingerprint, receiver, kind and time range, newest first', () => {
  const ledger = ledgerWithEntries();
  assert.deepEqual(ledger.query({ fingerprint: 'aa' }).map((e) => e.action), ['sent', 'firing']);
  assert.deepEqual(ledger.query({ receiver: 'mail' }).map((e) => e.detail), [{ error: 'refused' }]);
  assert.deepEqual(ledger.query({ kind: 'notification', startMs: 2500 }).map((e) => e.at), [3000]);
  assert.deepEqual(ledger.query({ startMs: 1500, endMs: 3500 }).map((e) => e.at), [3000, 2000]);
  assert.equal(ledger.query({ limit: 2 }).length, 2);
});

test('filter values are bound, so quotes in them match literally', () => {
  const ledger = ledgerWithEntries();
  assert.deepEqual(ledger.query({ receiver: "mail' OR '1'='1" }), []);
});

test('prune drops entries older than the cutoff', () => {
  const ledger = ledgerWithEntries();
  assert.equal(ledger.prune(2500), 2);
  assert.deepEqual(ledger.query().map((e) => e.at), [4000, 3000]);
});
