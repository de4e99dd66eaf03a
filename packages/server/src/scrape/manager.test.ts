import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { describe, it, type TestContext } from 'node:test';
import { Counter, Gauge, Registry } from 'prom-client';
import { parse as parseYaml } from 'yaml';
import { scrapeSectionSchema, type ScrapeSection } from './config.ts';
import { firstScrapeDelay } from './loop.ts';
import { createScrapeFailuresCounter, ScrapeManager } from './manager.ts';
import { targetsFromConfig } from './targets.ts';
import { FakeClock } from '../testing/fake-clock.ts';
import { MemoryAppender } from './testing.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

/** A real HTTP server on 127.0.0.1; returns its HOST:PORT. */
async function serve(t: TestContext, handler: Handler): Promise<string> {
  const server = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((err) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function registryHandler(registry: Registry, seen?: IncomingMessage[]): Handler {
  return async (req, res) => {
    seen?.push(req);
    res.setHeader('Content-Type', registry.contentType);
    res.end(await registry.metrics());
  };
}

function config(yaml: string): ScrapeSection {
  return scrapeSectionSchema.parse(parseYaml(yaml));
}

/** Starts a manager on a fake clock and returns a function that runs one interval of scrapes. */
function harness(t: TestContext, section: ScrapeSection, intervalMs = 10_000) {
  const clock = new FakeClock();
  const appender = new MemoryAppender();
  const metrics = new Registry();
  const failures = createScrapeFailuresCounter(metrics);
  const manager = new ScrapeManager(section, { appender, clock, failures, tenant: 'team-a' });
  manager.start();
  t.after(() => manager.stop());
  const step = async (ms = intervalMs) => {
    clock.advance(ms);
    await manager.idle();
  };
  return { clock, appender, manager, failures, metrics, step };
}

async function failuresByJob(metrics: Registry): Promise<Record<string, number>> {
  const data = await metrics.getSingleMetric('vigil_scrape_failures_total')!.get();
  return Object.fromEntries(data.values.map((v) => [String(v.labels.job), v.value]));
}

describe('ScrapeManager against real HTTP servers', () => {
  it('scrapes targets: up, durations, counts, target labels, relabeling, auth, failures and timeouts', async (t) => {
    const app = new Registry();
    const requests = new Counter({ name: 'http_requests_total', help: 'r', labelNames: ['route', 'job'], registers: [app] });
    requests.inc({ route: '/a', job: 'exposed-by-app' }, 4);
    new Gauge({ name: 'go_goroutines', help: 'g', registers: [app] }).set(12);
    const seen: IncomingMessage[] = [];
    const appAddr = await serve(t, registryHandler(app, seen));
    const omAddr = await serve(t, (_req, res) => {
      res.setHeader('Content-Type', 'application/openmetrics-text; version=1.0.0; charset=utf-8');
      res.end('# TYPE jobs counter\njobs_total 7 # {trace_id="x"} 1\njobs_created 1700000000\n# EOF\n');
    });
    const failingAddr = await serve(t, (_req, res) => {
      res.statusCode = 500;
      res.end('boom');
    });
    const slowAddr = await serve(t, async (_req, res) => {
      await new Promise((r) => setTimeout(r, 1000));
      res.end('late 1\n');
    });
    const authAddr = await serve(t, (req, res) => {
      const ok = req.headers.authorization === 'Basic ' + Buffer.from('prom:s3cret').toString('base64') || req.headers.authorization === 'Bearer tok';
      res.statusCode = ok ? 200 : 401;
      res.end(ok ? `authed{how="${req.headers.authorization!.split(' ')[0]}"} 1\n` : 'no');
    });

    const { appender, step, metrics, manager } = harness(
      t,
      config(`
global: {scrape_interval: 10s, scrape_timeout: 300ms}
scrape_configs:
  - job_name: app
    static_configs: [{targets: ['${appAddr}'], labels: {env: prod}}]
    relabel_configs:
      - {source_labels: [__address__], regex: '([^:]+):.*', target_label: host}
    metric_relabel_configs:
      - {source_labels: [__name__], regex: 'go_.*', action: drop}
      - {source_labels: [route], target_label: path}
  - job_name: om
    static_configs: [{targets: ['${omAddr}']}]
  - job_name: broken
    static_configs: [{targets: ['${failingAddr}', '${slowAddr}']}]
  - job_name: basic
    basic_auth: {username: prom, password: s3cret}
    static_configs: [{targets: ['${authAddr}']}]
  - job_name: bearer
    authorization: {credentials: tok}
    static_configs: [{targets: ['${authAddr}']}]
  - job_name: noauth
    static_configs: [{targets: ['${authAddr}']}]
`),
    );
    await step();

    const appTarget = { job: 'app', instance: appAddr, env: 'prod', host: '127.0.0.1' };
    assert.deepEqual(appender.values({ __name__: 'up', ...appTarget }), [1]);
    assert.equal(appender.find({ __name__: 'up' })[0].tenant, 'team-a');
    assert.deepEqual(appender.find({ __name__: 'http_requests_total' }).map((s) => s.labels), [
      { __name__: 'http_requests_total', ...appTarget, exported_job: 'exposed-by-app', route: '/a', path: '/a' },
    ]);
    assert.deepEqual(appender.values({ __name__: 'http_requests_total' }), [4]);
    assert.deepEqual(appender.find({ __name__: 'go_goroutines' }), []);
    assert.deepEqual(appender.values({ __name__: 'scrape_samples_scraped', job: 'app' }), [2]);
    assert.deepEqual(appender.values({ __name__: 'scrape_samples_post_metric_relabeling', job: 'app' }), [1]);
    assert.deepEqual(appender.values({ __name__: 'scrape_series_added', job: 'app' }), [1]);
    const [duration] = appender.values({ __name__: 'scrape_duration_seconds', job: 'app' }) as number[];
    assert.ok(duration > 0 && duration < 0.3, String(duration));

    // The request Prometheus would send.
    assert.equal(seen[0].url, '/metrics');
    assert.match(seen[0].headers.accept!, /^application\/openmetrics-text;version=1\.0\.0/);
    assert.equal(seen[0].headers['x-prometheus-scrape-timeout-seconds'], '0.3');

    // OpenMetrics: timestamps of the scrape, exemplars and _created ignored.
    assert.deepEqual(appender.find({ job: 'om' }).filter((s) => !s.labels.__name__.match(/^(up|scrape_)/)).map((s) => s.labels.__name__), ['jobs_total']);
    assert.deepEqual(appender.values({ __name__: 'up', job: 'om' }), [1]);

    // Failing and slow targets: up=0, no samples, counted per job, duration bounded by the timeout.
    assert.deepEqual(appender.values({ __name__: 'up', instance: failingAddr }), [0]);
    assert.deepEqual(appender.values({ __name__: 'up', instance: slowAddr }), [0]);
    assert.deepEqual(appender.find({ __name__: 'late' }), []);
    const [slowDuration] = appender.values({ __name__: 'scrape_duration_seconds', instance: slowAddr }) as number[];
    assert.ok(slowDuration >= 0.25 && slowDuration < 0.9, String(slowDuration));
    const status = Object.fromEntries(manager.targets().map((s) => [s.target.labels.instance + '/' + s.target.job, s]));
    assert.match(status[`${failingAddr}/broken`].lastError, /HTTP status 500/);
    assert.match(status[`${slowAddr}/broken`].lastError, /timed out after 300ms/);
    assert.equal(status[`${appAddr}/app`].health, 'up');

    // Auth.
    assert.deepEqual(appender.values({ __name__: 'authed', job: 'basic', how: 'Basic' }), [1]);
    assert.deepEqual(appender.values({ __name__: 'authed', job: 'bearer', how: 'Bearer' }), [1]);
    assert.deepEqual(appender.values({ __name__: 'up', job: 'noauth' }), [0]);

    assert.deepEqual(await failuresByJob(metrics), { broken: 2, noauth: 1 });
  });

  it('honor_labels: true keeps the scraped job and instance; false renames them exported_*', async (t) => {
    const app = new Registry();
    const g = new Gauge({ name: 'pushed', help: 'p', labelNames: ['job', 'instance', 'exported_job'], registers: [app] });
    g.set({ job: 'batch', instance: 'runner-1', exported_job: 'older' }, 1);
    const addr = await serve(t, registryHandler(app));
    const { appender, step } = harness(
      t,
      config(`
global: {scrape_interval: 10s}
scrape_configs:
  - {job_name: honored, honor_labels: true, static_configs: [{targets: ['${addr}'], labels: {team: x}}]}
  - {job_name: renamed, static_configs: [{targets: ['${addr}']}]}
`),
    );
    await step();
    const labels = appender.find({ __name__: 'pushed' }).map((s) => s.labels);
    assert.deepEqual(labels.find((l) => l.team === 'x'), { __name__: 'pushed', job: 'batch', instance: 'runner-1', exported_job: 'older', team: 'x' });
    assert.deepEqual(labels.find((l) => l.team === undefined), {
      __name__: 'pushed',
      job: 'renamed',
      instance: addr,
      exported_job: 'older',
      exported_exported_job: 'batch',
      exported_instance: 'runner-1',
    });
    // Report series always carry the target's own labels.
    assert.deepEqual(appender.values({ __name__: 'up', job: 'honored', instance: addr }), [1]);
  });

  it('honor_timestamps: the exposed timestamp is kept, or replaced by the scrape time when false', async (t) => {
    const addr = await serve(t, (_req, res) => res.end('with_ts 1 1600000000000\n'));
    const { appender, step, clock } = harness(
      t,
      config(`
global: {scrape_interval: 10s}
scrape_configs:
  - {job_name: honored, static_configs: [{targets: ['${addr}']}]}
  - {job_name: ignored, honor_timestamps: false, static_configs: [{targets: ['${addr}']}]}
`),
    );
    await step();
    assert.deepEqual(appender.find({ __name__: 'with_ts', job: 'honored' }).map((s) => s.t), [1_600_000_000_000]);
    const [ignored] = appender.find({ __name__: 'with_ts', job: 'ignored' });
    const [up] = appender.find({ __name__: 'up', job: 'ignored' });
    assert.equal(ignored.t, up.t);
    assert.ok(up.t <= clock.now() && up.t > clock.now() - 10_000);
  });

  it('sample_limit exceeded fails the scrape: up=0, no samples, earlier series marked stale', async (t) => {
    let lines = 'a 1\n';
    const addr = await serve(t, (_req, res) => res.end(lines));
    const { appender, step, metrics } = harness(
      t,
      config(`
global: {scrape_interval: 10s}
scrape_configs:
  - job_name: limited
    sample_limit: 2
    metric_relabel_configs: [{source_labels: [__name__], regex: dropped, action: drop}]
    static_configs: [{targets: ['${addr}']}]
`),
    );
    await step();
    lines = 'a 1\nb 2\ndropped 3\n'; // 2 after relabeling: within the limit
    await step();
    lines = 'a 1\nb 2\nc 3\n';
    await step();
    assert.deepEqual(appender.values({ __name__: 'up' }), [1, 1, 0]);
    assert.deepEqual(appender.values({ __name__: 'a' }), [1, 1, 'stale']);
    assert.deepEqual(appender.values({ __name__: 'b' }), [2, 'stale']);
    assert.deepEqual(appender.find({ __name__: 'c' }), []);
    assert.deepEqual(appender.values({ __name__: 'scrape_samples_scraped' }), [1, 3, 3]);
    assert.deepEqual(appender.values({ __name__: 'scrape_samples_post_metric_relabeling' }), [1, 2, 3]);
    assert.deepEqual(await failuresByJob(metrics), { limited: 1 });
  });

  it('gzip responses are decoded; body_size_limit fails a scrape whose body is too large', async (t) => {
    const addr = await serve(t, (req, res) => {
      const body = 'zipped 1\n' + '# padding\n'.repeat(200);
      if (!String(req.headers['accept-encoding']).includes('gzip')) return res.end('plain 1\n');
      res.setHeader('Content-Encoding', 'gzip');
      res.end(gzipSync(body));
    });
    const { appender, step, manager } = harness(
      t,
      config(`
global: {scrape_interval: 10s}
scrape_configs:
  - {job_name: zip, static_configs: [{targets: ['${addr}']}]}
  - {job_name: small, body_size_limit: 1KB, static_configs: [{targets: ['${addr}']}]}
`),
    );
    await step();
    assert.deepEqual(appender.values({ __name__: 'zipped', job: 'zip' }), [1]);
    assert.deepEqual(appender.values({ __name__: 'up', job: 'small' }), [0]);
    assert.match(manager.targets().find((s) => s.target.job === 'small')!.lastError, /body_size_limit exceeded/);
  });

  it('a parse error yields up=0 and no samples, like Prometheus', async (t) => {
    const addr = await serve(t, (_req, res) => res.end('good 1\nbad line here\n'));
    const { appender, step, manager } = harness(t, config(`scrape_configs: [{job_name: p, scrape_interval: 10s, static_configs: [{targets: ['${addr}']}]}]`));
    await step();
    assert.deepEqual(appender.values({ __name__: 'up' }), [0]);
    assert.deepEqual(appender.find({ __name__: 'good' }), []);
    assert.match(manager.targets()[0].lastError, /^line 2: /);
  });

  it('staleness markers: for a series that disappears, for all series of a target that goes down, and when it comes back', async (t) => {
    const app = new Registry();
    const g = new Gauge({ name: 'queue_depth', help: 'q', labelNames: ['queue'], registers: [app] });
    g.set({ queue: 'a' }, 1);
    g.set({ queue: 'b' }, 2);
    let down = false;
    const addr = await serve(t, async (req, res) => {
      if (down) {
        req.socket.destroy();
        return;
      }
      await registryHandler(app)(req, res);
    });
    const { appender, step } = harness(t, config(`scrape_configs: [{job_name: q, scrape_interval: 10s, static_configs: [{targets: ['${addr}']}]}]`));
    await step();
    g.remove({ queue: 'b' });
    await step();
    down = true;
    await step();
    await step();
    down = false;
    await step();
    assert.deepEqual(appender.values({ __name__: 'queue_depth', queue: 'a' }), [1, 1, 'stale', 1]);
    assert.deepEqual(appender.values({ __name__: 'queue_depth', queue: 'b' }), [2, 'stale']);
    assert.deepEqual(appender.values({ __name__: 'up' }), [1, 1, 0, 0, 1]);
    assert.deepEqual(appender.values({ __name__: 'scrape_series_added' }), [2, 0, 0, 0, 1]);
    // The stale marker carries the scrape's time, after the last real sample.
    const [first, second, stale] = appender.find({ __name__: 'queue_depth', queue: 'a' });
    assert.equal(second.t - first.t, 10_000);
    assert.equal(stale.t - second.t, 10_000);
  });

  it('the first scrape waits for the target\'s slot in the interval (a hash of the target), then runs every interval', async (t) => {
    const addr = await serve(t, (_req, res) => res.end('x 1\n'));
    const section = config(`scrape_configs: [{job_name: j, scrape_interval: 1m, static_configs: [{targets: ['${addr}']}]}]`);
    const { appender, step, clock } = harness(t, section);
    const delay = firstScrapeDelay(targetsFromConfig(section)[0], clock.now());
    if (delay > 0) {
      await step(delay - 1);
      assert.equal(appender.batches.length, 0);
    }
    await step(Math.min(delay, 1) || 0);
    assert.equal(appender.values({ __name__: 'up' }).length, 1);
    await step(59_999);
    assert.equal(appender.values({ __name__: 'up' }).length, 1);
    await step(1);
    assert.equal(appender.values({ __name__: 'up' }).length, 2);
    // Different targets get different slots.
    const slots = new Set(['a:1', 'b:1', 'c:1', 'd:1'].map((a) => firstScrapeDelay(targetsFromConfig(config(`scrape_configs: [{job_name: j, static_configs: [{targets: ['${a}']}]}]`))[0], 0)));
    assert.ok(slots.size > 1);
  });

  it('reload keeps the loops of unchanged targets, starts new ones and marks removed targets stale', async (t) => {
    const registry = new Registry();
    new Gauge({ name: 'g', help: 'g', registers: [registry] }).set(5);
    const a = await serve(t, registryHandler(registry));
    const b = await serve(t, registryHandler(registry));
    const c = await serve(t, registryHandler(registry));
    const yaml = (targets: string[], extra = '') =>
      config(`
global: {scrape_interval: 10s}
scrape_configs:
  - {job_name: keep, static_configs: [{targets: ['${a}']}]}
  - {job_name: move, ${extra} static_configs: [{targets: [${targets.map((x) => `'${x}'`).join(', ')}]}]}
`);
    const { appender, step, manager, clock } = harness(t, yaml([b]));
    await step();
    const before = new Map(manager.targets().map((s) => [s.target.key, s]));
    assert.equal(before.size, 2);

    await manager.reload(yaml([c]));
    const after = manager.targets();
    const kept = after.find((s) => s.target.job === 'keep')!;
    assert.equal(kept.lastScrapeMs, before.get(kept.target.key)!.lastScrapeMs, 'the unchanged loop keeps its state');
    assert.equal(kept.health, 'up');
    assert.equal(after.find((s) => s.target.labels.instance === c)!.health, 'unknown');
    // Removed target: every series and its report series marked stale at reload time.
    assert.deepEqual(appender.values({ __name__: 'g', instance: b }), [5, 'stale']);
    assert.deepEqual(appender.values({ __name__: 'up', instance: b }), [1, 'stale']);
    assert.equal(appender.find({ __name__: 'up', instance: b })[1].t, clock.now());

    await step();
    assert.deepEqual(appender.values({ __name__: 'g', instance: a }), [5, 5]);
    assert.deepEqual(appender.values({ __name__: 'g', instance: c }), [5]);
    assert.deepEqual(appender.values({ __name__: 'g', instance: b }), [5, 'stale']);

    // Same target, changed settings: a new loop that carries the series on (no stale markers).
    await manager.reload(yaml([c], 'sample_limit: 100,'));
    assert.equal(manager.targets().find((s) => s.target.labels.instance === c)!.target.sampleLimit, 100);
    await step();
    assert.deepEqual(appender.values({ __name__: 'g', instance: c }), [5, 5]);
    assert.deepEqual(appender.values({ __name__: 'scrape_series_added', instance: c }), [1, 0]);

    // stop() writes no staleness markers, as Prometheus on shutdown.
    const count = appender.samples().length;
    await manager.stop();
    assert.equal(appender.samples().length, count);
    assert.equal(clock.pendingTimers, 0);
  });
});
