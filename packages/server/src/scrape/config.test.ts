import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { parsePromDuration, scrapeSectionSchema, type ScrapeSection } from './config.ts';
import { formatPromDuration, targetsFromConfig, type DroppedTarget } from './targets.ts';

function section(yaml: string): ScrapeSection {
  return scrapeSectionSchema.parse(parseYaml(yaml) ?? {});
}

function problems(yaml: string): string {
  const r = scrapeSectionSchema.safeParse(parseYaml(yaml));
  if (r.success) return '';
  return r.error.issues
    .flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys.map((k) => `${[...i.path, k].join('.')}: unknown key`) : [`${i.path.join('.')}: ${i.message}`]))
    .join('\n');
}

describe('scrape config', () => {
  it('a prometheus.yml scrape section pastes in unchanged', () => {
    const config = section(`
global:
  scrape_interval: 15s
  evaluation_interval: 30s
  external_labels:
    cluster: eu-1
scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: ['localhost:9090']
  - job_name: node
    scrape_interval: 30s
    scrape_timeout: 5s
    metrics_path: /custom/metrics
    scheme: https
    params:
      collect[]: [cpu, meminfo]
    honor_labels: true
    honor_timestamps: false
    sample_limit: 5000
    basic_auth:
      username: prom
      password: secret
    static_configs:
      - targets: ['10.0.0.1:9100', '10.0.0.2:9100']
        labels:
          env: prod
    relabel_configs:
      - source_labels: [__address__]
        regex: '(.*):\\d+'
        target_label: host
    metric_relabel_configs:
      - source_labels: [__name__]
        regex: 'go_.*'
        action: drop
  - job_name: api
    authorization:
      credentials: abc
    static_configs:
      - targets: ['api:8080']
`);
    assert.equal(config.global.scrape_interval, 15_000);
    assert.equal(config.global.evaluation_interval, 30_000);
    assert.deepEqual(config.global.external_labels, { cluster: 'eu-1' });
    const [prom, node, api] = config.scrape_configs;
    assert.equal(prom.metrics_path, '/metrics');
    assert.equal(prom.scheme, 'http');
    assert.equal(node.scrape_interval, 30_000);
    assert.equal(node.metric_relabel_configs[0].action, 'drop');
    assert.equal(api.authorization!.type, 'Bearer');

    const targets = targetsFromConfig(config);
    assert.equal(targets.length, 4);
    assert.deepEqual(targets[0].labels, { instance: 'localhost:9090', job: 'prometheus' });
    assert.equal(targets[0].url, 'http://localhost:9090/metrics');
    assert.equal(targets[0].intervalMs, 15_000);
    assert.equal(targets[0].timeoutMs, 10_000);
    assert.deepEqual(targets[1].labels, { env: 'prod', host: '10.0.0.1', instance: '10.0.0.1:9100', job: 'node' });
    assert.equal(targets[1].url, 'https://10.0.0.1:9100/custom/metrics?collect%5B%5D=cpu&collect%5B%5D=meminfo');
    assert.equal(targets[1].timeoutMs, 5_000);
    assert.equal(targets[1].honorLabels, true);
    assert.equal(targets[1].honorTimestamps, false);
    assert.equal(targets[1].sampleLimit, 5000);
    assert.deepEqual(targets[1].auth, { basic: { username: 'prom', password: 'secret', passwordFile: undefined } });
    assert.deepEqual(targets[3].auth, { authorization: { type: 'Bearer', credentials: 'abc', credentialsFile: undefined } });
    assert.equal(targets[1].discoveredLabels.__scrape_interval__, '30s');
    assert.equal(targets[1].discoveredLabels.__param_collect, undefined);
    assert.equal(targets[1].discoveredLabels['__param_collect[]'], 'cpu');
  });

  it('defaults: scrape_interval 1m, scrape_timeout 10s, and the timeout never above the interval', () => {
    const empty = section('');
    assert.equal(empty.global.scrape_interval, 60_000);
    assert.deepEqual(empty.scrape_configs, []);
    const t = targetsFromConfig(section('scrape_configs: [{job_name: a, static_configs: [{targets: ["h:1"]}]}]'))[0];
    assert.equal(t.intervalMs, 60_000);
    assert.equal(t.timeoutMs, 10_000);
    const fast = targetsFromConfig(section('scrape_configs: [{job_name: a, scrape_interval: 5s, static_configs: [{targets: ["h:1"]}]}]'))[0];
    assert.equal(fast.timeoutMs, 5_000);
  });

  it('scrape_timeout above scrape_interval is an error naming both', () => {
    const text = problems('scrape_configs: [{job_name: a, scrape_interval: 10s, scrape_timeout: 15s}]');
    assert.match(text, /scrape_configs\.0\.scrape_timeout: scrape_timeout \(15000ms\) is greater than scrape_interval \(10000ms\) for job "a"/);
    assert.match(problems('global: {scrape_interval: 5s, scrape_timeout: 6s}'), /global\.scrape_timeout: .*greater than global\.scrape_interval/);
  });

  it('unknown keys, bad durations, unsupported Prometheus keys and duplicate jobs name the field', () => {
    const text = problems(`
global:
  scrape_intervall: 15s
scrape_configs:
  - job_name: a
    scrape_interval: 1 minute
    static_configs:
      - targets: [x:1]
        lables: {a: b}
    relabel_configs:
      - source_labels: [a]
        action: replase
  - job_name: b
    kubernetes_sd_configs: [{role: pod}]
    scheme: ftp
`);
    for (const expected of [
      'global.scrape_intervall: unknown key',
      'scrape_configs.0.scrape_interval: "1 minute" is not a Prometheus duration',
      'scrape_configs.0.static_configs.0.lables: unknown key',
      'scrape_configs.0.relabel_configs.0.action: use one of',
      'scrape_configs.1.kubernetes_sd_configs: kubernetes_sd_configs is supported by Prometheus but not by Vigil yet',
      'scrape_configs.1.scheme: use http or https',
    ]) {
      assert.ok(text.includes(expected), `missing "${expected}" in:\n${text}`);
    }
    // Cross-field checks run once every field is valid (zod skips refinements of a failed object).
    assert.match(
      problems('scrape_configs: [{job_name: a}, {job_name: b}, {job_name: a}]'),
      /scrape_configs\.2\.job_name: job_name "a" is already used by scrape_configs\.0/,
    );
  });

  it('Prometheus durations: units in order, each once', () => {
    assert.equal(parsePromDuration('1h30m'), 5_400_000);
    assert.equal(parsePromDuration('500ms'), 500);
    assert.equal(parsePromDuration('1m30s500ms'), 90_500);
    assert.equal(parsePromDuration('2w'), 1_209_600_000);
    assert.equal(parsePromDuration('0'), 0);
    for (const bad of ['', '30m1h', '1.5s', '10', '1s1s', 's', '-1s']) assert.equal(parsePromDuration(bad), undefined, bad);
    assert.equal(formatPromDuration(90_500), '1m30s500ms');
    assert.equal(formatPromDuration(60_000), '1m');
  });
});

describe('targets from config', () => {
  it('docs: the blackbox exporter pattern (target in a param, instance from it, one exporter address)', () => {
    const [t] = targetsFromConfig(
      section(`
scrape_configs:
  - job_name: blackbox
    metrics_path: /probe
    params:
      module: [http_2xx]
    static_configs:
      - targets: ['https://example.com']
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - source_labels: [__param_target]
        target_label: instance
      - target_label: __address__
        replacement: 127.0.0.1:9115
`),
    );
    assert.deepEqual(t.labels, { instance: 'https://example.com', job: 'blackbox' });
    assert.equal(t.url, 'http://127.0.0.1:9115/probe?module=http_2xx&target=https%3A%2F%2Fexample.com');
  });

  it('relabeling may drop targets, change scheme, path, job and interval; __ labels never reach samples', () => {
    const dropped: DroppedTarget[] = [];
    const targets = targetsFromConfig(
      section(`
scrape_configs:
  - job_name: mixed
    static_configs:
      - targets: ['a:1', 'b:2', 'c:3', 'bad/path:4']
        labels: {__meta_zone: z1, team: core}
    relabel_configs:
      - source_labels: [__address__]
        regex: 'b:.*'
        action: drop
      - source_labels: [__address__]
        regex: 'c:.*'
        target_label: __scheme__
        replacement: https
      - source_labels: [__meta_zone]
        target_label: zone
      - source_labels: [__address__]
        regex: 'c:.*'
        target_label: __scrape_interval__
        replacement: 2m
      - target_label: __metrics_path__
        replacement: /m
`),
      (d) => dropped.push(d),
    );
    assert.deepEqual(
      targets.map((t) => [t.url, t.labels, t.intervalMs]),
      [
        ['http://a:1/m', { instance: 'a:1', job: 'mixed', team: 'core', zone: 'z1' }, 60_000],
        ['https://c:3/m', { instance: 'c:3', job: 'mixed', team: 'core', zone: 'z1' }, 120_000],
      ],
    );
    assert.equal(dropped.length, 1);
    assert.match(dropped[0].reason, /__address__ "bad\/path:4" is not HOST:PORT/);
  });

  it('an instance label set by relabeling or by the group wins over __address__; duplicates collapse', () => {
    const targets = targetsFromConfig(
      section(`
scrape_configs:
  - job_name: j
    static_configs:
      - targets: ['a:1', 'a:1']
        labels: {instance: primary}
`),
    );
    assert.equal(targets.length, 1);
    assert.deepEqual(targets[0].labels, { instance: 'primary', job: 'j' });
  });
});
