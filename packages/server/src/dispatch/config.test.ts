import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isVigilError } from '../errors.ts';
import { defaultAlertmanagerConfig, loadAlertmanagerConfigFile, parseAlertmanagerConfig } from './config.ts';

const realistic = `
global:
  resolve_timeout: 10m
route:
  receiver: team-default
  group_by: ['alertname', 'cluster']
  group_wait: 10s
  repeat_interval: 3h
  routes:
    - matchers:
        - severity="critical"
        - team=~"db|storage"
      receiver: pager
      continue: true
      group_by: ['...']
    - match:
        service: api
      match_re:
        env: prod|staging
      receiver: team-api
      mute_time_intervals: [weekends]
      active_time_intervals: [business-hours]
      routes:
        - matchers: ['alertname = "Noisy"']
          repeat_interval: 24h
receivers:
  - name: team-default
  - name: pager
  - name: team-api
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [alertname, cluster]
  - source_match: { alertname: NodeDown }
    target_match_re: { alertname: '.+' }
    equal: [instance]
time_intervals:
  - name: business-hours
    time_intervals:
      - weekdays: ['monday:friday']
        times: [{ start_time: '09:00', end_time: '17:00' }]
        location: Europe/Berlin
mute_time_intervals:
  - name: weekends
    time_intervals:
      - weekdays: [saturday, sunday]
templates:
  - 'templates/*.tmpl'
  - /etc/alertmanager/extra.tmpl
`;

test('a realistic alertmanager.yml loads unchanged, with defaults and relative templates resolved', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-am-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'alertmanager.yml'), realistic);
  const config = loadAlertmanagerConfigFile(join(dir, 'alertmanager.yml'));
  assert.equal(config.global.resolve_timeout, 600_000);
  assert.equal(config.route.receiver, 'team-default');
  assert.equal(config.route.group_wait, 10_000);
  assert.equal(config.route.group_interval, 300_000, 'default 5m');
  assert.equal(config.route.repeat_interval, 3 * 3_600_000);
  const [pager, api] = config.route.routes;
  assert.deepEqual(pager.matchers, [{ name: 'severity', op: '=', value: 'critical' }, { name: 'team', op: '=~', value: 'db|storage' }]);
  assert.equal(pager.continue, true);
  assert.deepEqual(pager.group_by, ['...']);
  assert.equal(pager.group_wait, undefined, 'children inherit, so no default here');
  assert.deepEqual(api.matchers, [{ name: 'service', op: '=', value: 'api' }, { name: 'env', op: '=~', value: 'prod|staging' }]);
  assert.deepEqual(api.routes[0].matchers, [{ name: 'alertname', op: '=', value: 'Noisy' }]);
  assert.equal(api.routes[0].repeat_interval, 86_400_000);
  assert.deepEqual(config.inhibit_rules[1], {
    source_matchers: [{ name: 'alertname', op: '=', value: 'NodeDown' }],
    target_matchers: [{ name: 'alertname', op: '=~', value: '.+' }],
    equal: ['instance'],
  });
  assert.deepEqual(config.time_intervals.map((t) => t.name), ['business-hours', 'weekends']);
  assert.deepEqual(config.templates, [join(dir, 'templates/*.tmpl'), '/etc/alertmanager/extra.tmpl']);
});

function problemsOf(raw: unknown): string {
  try {
    parseAlertmanagerConfig(raw);
  } catch (err) {
    assert.ok(isVigilError(err) && err.code === 'VIGIL_ERR_ALERTMANAGER_CONFIG');
    return err.message;
  }
  assert.fail('expected the configuration to be refused');
}

test('structural errors name every bad field', () => {
  const message = problemsOf({
    route: { receiver: 'a', group_wait: 'soon', routes: [{ matchers: ['a=~"("'], group_by: ['...', 'x'], repeat_interval: '0s' }] },
    receivers: [{ name: 'a' }],
    inhibit_rules: [{ source_matchers: ['{oops'] }],
    extra: true,
  });
  assert.match(message, /route\.group_wait: "soon" is not a duration/);
  assert.match(message, /route\.routes\.0\.matchers: matcher a=~"\("/);
  assert.match(message, /route\.routes\.0\.group_by: cannot have wildcard group_by/);
  assert.match(message, /route\.routes\.0\.repeat_interval: repeat_interval cannot be zero/);
  assert.match(message, /inhibit_rules\.0\.source_matchers: invalid matchers/);
  assert.match(message, /extra: unknown key/);
});

test('references are checked as Alertmanager checks them', () => {
  const message = problemsOf({
    route: { receiver: 'missing', matchers: ['a=b'], routes: [{ receiver: 'also-missing', mute_time_intervals: ['nope'] }] },
    receivers: [{ name: 'dup' }, { name: 'dup' }],
    time_intervals: [{ name: 'x', time_intervals: [] }],
    mute_time_intervals: [{ name: 'x', time_intervals: [] }],
  });
  assert.match(message, /receivers\.1\.name: receiver "dup" is defined more than once/);
  assert.match(message, /mute_time_intervals\.0\.name: time interval "x" is defined more than once/);
  assert.match(message, /route\.receiver: receiver "missing" is not defined/);
  assert.match(message, /route\.matchers: the root route must not have any matchers/);
  assert.match(message, /route\.routes\.0\.receiver: receiver "also-missing" is not defined/);
  assert.match(message, /route\.routes\.0\.mute_time_intervals\.0: time interval "nope" is not defined/);
});

test('reference problems are listed beside structural ones', () => {
  const message = problemsOf({
    global: { resolve_timeout: 'soon' },
    route: { receiver: 'a', routes: [{ receiver: 'ghost' }] },
    receivers: [{ name: 'a' }],
    time_intervals: [{ name: 't', time_intervals: [{ weekdays: ['someday'] }] }],
  });
  assert.match(message, /global\.resolve_timeout: /);
  assert.match(message, /time_intervals\.0\.time_intervals\.0\.weekdays: "someday"/);
  assert.match(message, /route\.routes\.0\.receiver: receiver "ghost" is not defined/);
});

test('the root route needs a receiver and no time intervals', () => {
  assert.match(problemsOf({ receivers: [{ name: 'a' }] }), /route: no route given/);
  assert.match(problemsOf({ route: {}, receivers: [{ name: 'a' }] }), /route\.receiver: the root route must have a receiver/);
  const message = problemsOf({ route: { receiver: 'a', mute_time_intervals: ['t'] }, receivers: [{ name: 'a' }], time_intervals: [{ name: 't', time_intervals: [] }] });
  assert.match(message, /route\.mute_time_intervals: the root route must not have any mute time intervals/);
  assert.match(problemsOf({ route: { receiver: 'a', continue: true }, receivers: [{ name: 'a' }] }), /route\.continue: the root route cannot have continue/);
  assert.match(problemsOf({ route: { receiver: 'a' }, receivers: [{ name: 'a' }], inhibit_rules: [{ equal: ['bad-name'] }] }), /inhibit_rules\.0\.equal\.0: not a valid label name/);
});

test('loading reports unreadable files and bad YAML', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-am-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.throws(() => loadAlertmanagerConfigFile(join(dir, 'none.yml')), /cannot read/);
  writeFileSync(join(dir, 'bad.yml'), 'route: [\n');
  assert.throws(() => loadAlertmanagerConfigFile(join(dir, 'bad.yml')), /not valid YAML/);
});

test('the default configuration routes everything to "default"', () => {
  assert.equal(defaultAlertmanagerConfig.route.receiver, 'default');
  assert.deepEqual(defaultAlertmanagerConfig.receivers.map((r) => r.name), ['default']);
  assert.equal(defaultAlertmanagerConfig.route.repeat_interval, 4 * 3_600_000);
  assert.equal(defaultAlertmanagerConfig.route.group_wait, 30_000);
});
