import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryLogSource } from '../logql/index.ts';
import { isStaleNaN } from '../tsdb/model.ts';
import { addMinutely, harness, MINUTE, type GroupHarness } from './testing.ts';

const instanceDown = (extra = '') => `
groups:
  - name: g
    rules:
      - alert: InstanceDown
        expr: up == 0
        ${extra}
        labels:
          severity: page
        annotations:
          summary: instance down
`;

const up = { __name__: 'up', job: 'api', instance: 'a:9100' };

async function evalAt(h: GroupHarness, minutes: number) {
  return h.group.evaluate(minutes * MINUTE, h.engine, h.sink);
}

test('an alert goes pending, fires after `for`, is re-sent after the resend delay and resolves', async () => {
  const h = harness(instanceDown('for: 2m'), { resendDelayMs: MINUTE });
  addMinutely(h.querier, up, [0, 0, 0, 0, 0, 0, 1, 1]);
  const sentAt: Record<number, { startsAt: number; endsAt: number }[]> = {};
  for (let m = 0; m <= 7; m++) {
    const result = await evalAt(h, m);
    assert.deepEqual(result.errors, []);
    sentAt[m] = result.alertsToSend.map((a) => ({ startsAt: a.startsAt, endsAt: a.endsAt }));
    const rule = h.group.rules()[0];
    if (m === 1) assert.equal(rule.type === 'alerting' && rule.state, 'pending');
  }
  assert.deepEqual(sentAt[0], []);
  assert.deepEqual(sentAt[1], []);
  assert.deepEqual(sentAt[2], [{ startsAt: 2 * MINUTE, endsAt: 2 * MINUTE + 4 * MINUTE }]);
  assert.deepEqual(sentAt[3], [], 'sent one minute ago: not yet due');
  assert.deepEqual(sentAt[4], [{ startsAt: 2 * MINUTE, endsAt: 4 * MINUTE + 4 * MINUTE }]);
  assert.deepEqual(sentAt[6], [{ startsAt: 2 * MINUTE, endsAt: 6 * MINUTE }], 'resolved: sent at once with endsAt = resolvedAt');
  assert.deepEqual(sentAt[7], []);
});

test('a sent alert carries rule labels, alertname, external labels, annotations and a generator URL', async () => {
  const h = harness(instanceDown(), { externalLabels: { region: 'eu', severity: 'ignored' }, externalURL: 'http://vigil:9700' });
  addMinutely(h.querier, up, [0]);
  const [alert] = (await evalAt(h, 0)).alertsToSend;
  assert.deepEqual(alert.labels, { alertname: 'InstanceDown', severity: 'page', job: 'api', instance: 'a:9100', region: 'eu' });
  assert.deepEqual(alert.annotations, { summary: 'instance down' });
  assert.equal(alert.generatorURL, 'http://vigil:9700/graph?g0.expr=up+%3D%3D+0&g0.tab=1');
  assert.equal(alert.updatedAt, 0);
});

test('keep_firing_for keeps a vanished alert firing, then resolves it', async () => {
  const h = harness(instanceDown('keep_firing_for: 2m'));
  addMinutely(h.querier, up, [0, 0, 1, 1, 1, 1]);
  const states: string[] = [];
  for (let m = 0; m <= 5; m++) {
    await evalAt(h, m);
    const rule = h.group.rules()[0];
    states.push(rule.type === 'alerting' ? rule.state : '');
  }
  assert.deepEqual(states, ['firing', 'firing', 'firing', 'firing', 'inactive', 'inactive']);
  const alert = h.group.snapshot()[0];
  assert.equal(alert.resolvedAtMs, 4 * MINUTE);
});

test('a resolved alert is re-sent as resolved for 15 minutes, then forgotten', async () => {
  const h = harness(instanceDown(), { resendDelayMs: MINUTE });
  addMinutely(h.querier, up, [0, 1]);
  const sentAt: number[] = [];
  for (let m = 0; m <= 20; m++) {
    const { alertsToSend } = await evalAt(h, m);
    if (alertsToSend.length > 0) sentAt.push(m);
    if (m >= 1) assert.ok(alertsToSend.every((a) => a.endsAt === MINUTE), 'resolved at 1m');
  }
  assert.deepEqual(sentAt, [0, 1, 3, 5, 7, 9, 11, 13, 15]);
  assert.deepEqual(h.group.snapshot(), []);
});

test('a pending alert that vanishes is forgotten without being sent', async () => {
  const h = harness(instanceDown('for: 5m'));
  addMinutely(h.querier, up, [0, 0, 1]);
  for (let m = 0; m <= 2; m++) assert.deepEqual((await evalAt(h, m)).alertsToSend, []);
  assert.deepEqual(h.group.snapshot(), []);
});

test('ALERTS and ALERTS_FOR_STATE are written, and go stale when the alert changes state or resolves', async () => {
  const h = harness(instanceDown('for: 1m'));
  addMinutely(h.querier, up, [0, 0, 1]);
  for (let m = 0; m <= 2; m++) await evalAt(h, m);
  const at = (m: number) => h.written.filter((s) => s.samples[0].t === m * MINUTE);
  const describe = (m: number) =>
    at(m).map((s) => `${s.labels.__name__}:${s.labels.alertstate ?? '-'}=${isStaleNaN(s.samples[0].v) ? 'stale' : s.samples[0].v}`).sort();
  assert.deepEqual(describe(0), ['ALERTS:pending=1', 'ALERTS_FOR_STATE:-=0']);
  assert.deepEqual(describe(1), ['ALERTS:firing=1', 'ALERTS:pending=stale', 'ALERTS_FOR_STATE:-=0']);
  assert.deepEqual(describe(2), ['ALERTS:firing=stale', 'ALERTS_FOR_STATE:-=stale']);
  assert.deepEqual(at(0)[0].labels, { __name__: 'ALERTS', alertname: 'InstanceDown', alertstate: 'pending', severity: 'page', job: 'api', instance: 'a:9100' });
});

test('a recording rule writes its vector, and a later rule of the group reads it in the same evaluation', async () => {
  const h = harness(`
groups:
  - name: g
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
        labels: { team: core }
      - alert: FewUp
        expr: job:up:sum < 2
`);
  addMinutely(h.querier, up, [1]);
  addMinutely(h.querier, { ...up, instance: 'b:9100' }, [0]);
  const result = await evalAt(h, 0);
  assert.deepEqual(result.errors, []);
  assert.deepEqual(h.written[0], { labels: { __name__: 'job:up:sum', job: 'api', team: 'core' }, samples: [{ t: 0, v: 1 }] });
  assert.deepEqual(result.alertsToSend.map((a) => a.labels), [{ alertname: 'FewUp', job: 'api', team: 'core' }]);
});

test('a recording rule whose series disappears gets a stale marker', async () => {
  const h = harness('groups: [{ name: g, rules: [{ record: "up:copy", expr: "up" }] }]');
  addMinutely(h.querier, up, [1]);
  await evalAt(h, 0);
  await evalAt(h, 10);
  const last = h.written.at(-1)!;
  assert.equal(last.labels.__name__, 'up:copy');
  assert.ok(isStaleNaN(last.samples[0].v));
  assert.equal(last.samples[0].t, 10 * MINUTE);
});

test('the group limit fails the rule that exceeds it, for alerts and recorded series', async () => {
  const h = harness(`
groups:
  - name: g
    limit: 1
    rules:
      - record: up:copy
        expr: up
      - alert: Down
        expr: up == 0
`);
  addMinutely(h.querier, up, [0]);
  addMinutely(h.querier, { ...up, instance: 'b:9100' }, [0]);
  const result = await evalAt(h, 0);
  assert.deepEqual(result.errors, [
    { rule: 'up:copy', error: 'exceeded limit of 1 with 2 series' },
    { rule: 'Down', error: 'exceeded limit of 1 with 2 alerts' },
  ]);
  assert.deepEqual(result.alertsToSend, []);
  assert.deepEqual(h.written, []);
  const [recording, alerting] = h.group.rules();
  assert.equal(recording.health, 'err');
  assert.equal(alerting.lastError, 'exceeded limit of 1 with 2 alerts');
});

test('identical label sets after applying the rule labels are an error for that rule', async () => {
  const h = harness('groups: [{ name: g, rules: [{ alert: Down, expr: "up == 0", labels: { instance: all } }] }]');
  addMinutely(h.querier, up, [0]);
  addMinutely(h.querier, { ...up, instance: 'b:9100' }, [0]);
  const result = await evalAt(h, 0);
  assert.deepEqual(result.errors, [{ rule: 'Down', error: 'vector contains metrics with the same labelset after applying alert labels' }]);
});

test('a restored firing alert keeps activeAt and is not re-sent before the resend delay; a restored pending one keeps its `for` timer', async () => {
  const first = harness(instanceDown('for: 2m'), { resendDelayMs: 5 * MINUTE });
  addMinutely(first.querier, up, [0, 0, 0, 0, 0, 0, 0, 0]);
  for (let m = 0; m <= 2; m++) await evalAt(first, m);
  const saved = JSON.parse(JSON.stringify(first.group.snapshot()));
  assert.equal(saved[0].state, 'firing');
  assert.equal(saved[0].lastSentAtMs, 2 * MINUTE);

  const restarted = harness(instanceDown('for: 2m'), { resendDelayMs: 5 * MINUTE });
  restarted.group.restore(saved);
  const run = (m: number) => restarted.group.evaluate(m * MINUTE, first.engine, restarted.sink);
  assert.deepEqual((await run(3)).alertsToSend, [], 'sent at 2m: not due again before 7m');
  const sent = (await run(8)).alertsToSend;
  assert.equal(sent.length, 1);
  assert.equal(sent[0].startsAt, 2 * MINUTE, 'still the original firing time');

  const pending = harness(instanceDown('for: 5m'));
  addMinutely(pending.querier, up, [0, 0, 0, 0, 0, 0]);
  pending.group.restore([{ rule: 'InstanceDown', ...saved[0], state: 'pending', activeAtMs: 0, firedAtMs: undefined, lastSentAtMs: undefined }]);
  assert.deepEqual((await evalAt(pending, 4)).alertsToSend, []);
  assert.equal((await evalAt(pending, 5)).alertsToSend.length, 1, 'fires 5m after the restored activeAt');
});

test('rules() reports Prometheus API fields', async () => {
  const h = harness(instanceDown('for: 1m\n        keep_firing_for: 30s'));
  addMinutely(h.querier, up, [0]);
  await h.group.evaluate(1500, h.engine, h.sink);
  const status = h.group.status();
  assert.equal(status.interval, 60);
  assert.equal(status.lastEvaluation, '1970-01-01T00:00:01.5Z');
  const [rule] = status.rules;
  assert.equal(rule.type, 'alerting');
  if (rule.type !== 'alerting') return;
  assert.equal(rule.duration, 60);
  assert.equal(rule.keepFiringFor, 30);
  assert.equal(rule.health, 'ok');
  assert.equal(rule.state, 'pending');
  assert.deepEqual(rule.alerts, [
    {
      labels: { alertname: 'InstanceDown', severity: 'page', job: 'api', instance: 'a:9100' },
      annotations: { summary: 'instance down' }, state: 'pending', activeAt: '1970-01-01T00:00:01.5Z', value: '0e+00',
    },
  ]);
});

test('a log group evaluates LogQL metric queries over a log source', async () => {
  const ns = (ms: number) => BigInt(ms) * 1_000_000n;
  const logs = new MemoryLogSource([
    { labels: { service: 'backend' }, entries: [ns(30_000), ns(50_000)].map((tsNs) => ({ tsNs, line: 'twilio_webhook_failure id=1' })) },
    { labels: { service: 'web' }, entries: [{ tsNs: ns(40_000), line: 'twilio_webhook_failure' }] },
  ]);
  const h = harness(`
groups:
  - name: twilio
    source: logs
    rules:
      - alert: TwilioWebhookFailing
        expr: sum(count_over_time({service="backend"} |= "twilio_webhook_failure" [5m])) > 0
      - record: service:twilio_failures:count5m
        expr: sum by (service) (count_over_time({service=~".+"} |= "twilio_webhook_failure" [5m]))
`, {}, logs);
  const result = await evalAt(h, 1);
  assert.deepEqual(result.errors, []);
  assert.deepEqual(result.alertsToSend.map((a) => a.labels), [{ alertname: 'TwilioWebhookFailing' }]);
  const recorded = h.written.filter((s) => s.labels.__name__ === 'service:twilio_failures:count5m');
  assert.deepEqual(recorded.map((s) => [s.labels.service, s.samples[0].v]).sort(), [['backend', 2], ['web', 1]]);
});

test('labels and annotations are templated with $labels, $value, external labels and URL, .Labels and query', async () => {
  const h = harness(`
groups:
  - name: g
    rules:
      - alert: DiskFull
        expr: disk_used_ratio > 0.9
        labels:
          severity: '{{ if gt $value 0.95 }}page{{ else }}ticket{{ end }}'
          instance: ''
        annotations:
          summary: '{{ $labels.instance }} at {{ $value | humanizePercentage }} ({{ $externalLabels.region }})'
          link: '{{ $externalURL }}/d/{{ .Labels.instance }}'
          total: '{{ query "count(disk_used_ratio)" | first | value }}'
          broken: '{{ humanize "abc" }}'
`, { externalLabels: { region: 'eu' }, externalURL: 'http://vigil' });
  addMinutely(h.querier, { __name__: 'disk_used_ratio', instance: 'db1' }, [0.97]);
  addMinutely(h.querier, { __name__: 'disk_used_ratio', instance: 'db2' }, [0.5]);
  const [alert] = (await evalAt(h, 0)).alertsToSend;
  assert.deepEqual(alert.labels, { alertname: 'DiskFull', severity: 'page', region: 'eu' }, 'an empty label value removes the label');
  assert.equal(alert.annotations.summary, 'db1 at 97% (eu)');
  assert.equal(alert.annotations.link, 'http://vigil/d/db1');
  assert.equal(alert.annotations.total, '2');
  assert.match(alert.annotations.broken, /^<error expanding template: /);
});

test('query_offset evaluates the query that much earlier and writes samples at that time', async () => {
  const h = harness('groups: [{ name: g, query_offset: 1m, rules: [{ record: "up:copy", expr: up }] }]');
  addMinutely(h.querier, up, [5, 6, 7]);
  await evalAt(h, 2);
  assert.deepEqual(h.written.map((s) => s.samples), [[{ t: MINUTE, v: 6 }]]);
});
