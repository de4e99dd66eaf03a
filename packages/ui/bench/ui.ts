/**
 * The UI's speed in Debian's chromium against a started `vigil`: how long the
 * page shell takes to load (navigation until the main navigation is shown)
 * and how long a dashboard of 8 panels (time series, stat, gauge, table,
 * bar) over 24 h of data takes to render every panel. The data: 1,000
 * exporter-shaped series over 24 h at 30 s (2.9 M samples) sent by remote
 * write. Prints one figure per line (medians over the runs); targets: shell
 * < 1000 ms, dashboard < 2000 ms.
 *
 *   node --import tsx packages/ui/bench/ui.ts [--runs 5]
 *
 * Builds nothing: run `npm run build -w packages/ui` first.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchDir, startVigilServer, stopAll } from '../../server/bench/peers.ts';
import { buildRemoteWrite, sendWorkload } from '../../server/bench/metrics-workload.ts';
import { launchBrowser } from '../test/browser-kit.ts';
import { median } from '../../server/bench/workload.ts';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Number(args.runs);

const rate = (selector: string, range = '5m') => `rate(${selector}[${range}])`;
const dashboard = `title: Bench, 8 panels
panels:
  - { title: Requests by job, type: timeseries, unit: reqps, query: 'sum by (job) (${rate('http_requests_total')})' }
  - { title: Error ratio by job, type: timeseries, unit: percentunit, query: 'sum by (job) (${rate('http_requests_total{code=~"5.."}')}) / sum by (job) (${rate('http_requests_total')})' }
  - { title: p95 latency, type: timeseries, unit: s, query: 'histogram_quantile(0.95, sum by (le, job) (${rate('http_request_duration_seconds_bucket')}))' }
  - { title: p99 latency, type: timeseries, unit: s, query: 'histogram_quantile(0.99, sum by (le, job) (${rate('http_request_duration_seconds_bucket')}))' }
  - { title: Total requests, type: stat, unit: reqps, query: 'sum(${rate('http_requests_total')})' }
  - { title: Open files, type: gauge, query: 'avg(process_open_fds)', min: 0, max: 200 }
  - { title: Busiest handlers, type: table, unit: reqps, query: 'topk(10, sum by (handler) (${rate('http_requests_total', '1h')}))' }
  - { title: Requests by code, type: bar, unit: reqps, query: 'sum by (code) (${rate('http_requests_total')})' }
`;

let failed = false;
try {
  const dir = benchDir('vigil-bench-ui-');
  writeFileSync(join(dir, 'bench.yml'), dashboard);
  const vigil = await startVigilServer(`dashboards:\n  dirs: ['${dir}']\nrules:\n  pack: false\n`);
  const stepMs = 30_000;
  const workload = buildRemoteWrite({ series: 1000, samplesPerSeries: 2880, stepMs, endMs: Date.now() - stepMs, shards: 4, samplesPerRequest: 2000 });
  const started = performance.now();
  await sendWorkload(`${vigil.url}/api/v1/write`, workload);
  console.error(`# ${workload.samples} samples over 24 h sent in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  const shell: number[] = [];
  const board: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    await page.goto('about:blank');
    let t = performance.now();
    await page.goto(`${vigil.url}/#/explore`);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    const shellMs = performance.now() - t;

    await page.goto('about:blank');
    t = performance.now();
    await page.goto(`${vigil.url}/#/dashboards/bench?from=now-24h&to=now`);
    await page.waitForFunction(
      () => document.querySelectorAll('.dash-panel').length === 8 && document.querySelectorAll('.dash-panel[data-state="loading"]').length === 0,
      undefined,
      { timeout: 60_000 },
    );
    const boardMs = performance.now() - t;
    const empty = await page.locator('.dash-panel .error, .dash-panel:has-text("No data")').count();
    if (empty > 0) throw new Error(`${empty} panels show an error or no data`);
    // the first run warms the server's caches and the browser's; it is not counted
    if (run > 0) {
      shell.push(shellMs);
      board.push(boardMs);
    }
  }
  await browser.close();
  if (errors.length > 0) throw new Error(`console errors:\n${errors.join('\n')}`);
  console.error(`# shell (ms): ${shell.map((ms) => ms.toFixed(0)).join(' ')}; dashboard (ms): ${board.map((ms) => ms.toFixed(0)).join(' ')}`);
  console.log(`ui_shell_load_ms ${median(shell).toFixed(0)}`);
  console.log(`ui_dashboard_8_panels_24h_ms ${median(board).toFixed(0)}`);
} catch (err) {
  failed = true;
  console.error(err);
} finally {
  await stopAll();
}
process.exit(failed ? 1 : 0);
