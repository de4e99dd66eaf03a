/**
 * Explore in a browser against a real Vigil: metrics seeded as OTLP JSON,
 * logs through the Loki push API, then what a user sees.
 */
import assert from 'node:assert/strict';
import { after, before, test, type TestContext } from 'node:test';
import type { Browser } from 'playwright-core';
import { removeDir, startVigil, type VigilProcess } from '../../server/test/acceptance/vigil-process.ts';
import { launchBrowser, openPage, type WatchedPage } from './browser-kit.ts';

let vigil: VigilProcess;
let browser: Browser;

const nowMs = Date.now();
const ns = (ms: number) => `${ms}000000`;

async function post(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${vigil.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.ok(response.ok, `${path} answered ${response.status}: ${await response.text()}`);
}

/** A gauge sampled every minute for the last 10 minutes. */
async function seedMetrics(): Promise<void> {
  const dataPoints = Array.from({ length: 10 }, (_, i) => ({
    asDouble: i === 9 ? 21.5 : 20 + i / 10,
    timeUnixNano: ns(nowMs - (9 - i) * 60_000),
    attributes: [{ key: 'room', value: { stringValue: 'lab' } }],
  }));
  await post('/v1/metrics', {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'greenhouse' } }] },
        scopeMetrics: [{ metrics: [{ name: 'explore_temperature_celsius', gauge: { dataPoints } }] }],
      },
    ],
  });
}

const line = (fields: Record<string, string>) => JSON.stringify(fields);

/** Request req-1 crosses two streams of the checkout service; other lines are noise. */
async function seedLogs(): Promise<void> {
  const at = (minutesAgo: number) => ns(nowMs - minutesAgo * 60_000);
  await post('/loki/api/v1/push', {
    streams: [
      {
        stream: { service: 'checkout', pod: 'checkout-a' },
        values: [
          [at(5), line({ severity: 'info', msg: 'cart loaded', request_id: 'req-1' })],
          [at(4), line({ severity: 'info', msg: 'cart loaded', request_id: 'req-2' })],
        ],
      },
      {
        stream: { service: 'checkout', pod: 'checkout-b' },
        values: [
          [at(3), line({ level: 'error', msg: 'payment declined', request_id: 'req-1', trace_id: 'trace-9' })],
          [at(2), line({ level: 'debug', msg: 'pool resized' })],
        ],
      },
      { stream: { service: 'search' }, values: [[at(1), 'plain text: index warmed']] },
    ],
  });
}

before(async () => {
  vigil = await startVigil();
  browser = await launchBrowser();
  await Promise.all([seedMetrics(), seedLogs()]);
});

after(async () => {
  await browser?.close();
  await vigil?.stop();
  removeDir(vigil.dataDir);
});

/** A watched page that closes when its test ends, so no live tail outlives its test. */
async function open(t: TestContext, url: string, viewport?: { width: number; height: number }): Promise<WatchedPage> {
  const watched = await openPage(browser, url, viewport);
  t.after(() => watched.page.close());
  return watched;
}

const explore = (params: Record<string, string>) => `${vigil.url}/#/explore?${new URLSearchParams(params)}`;

test('a PromQL query draws a chart with its series, and the table view shows the value', async (t) => {
  const { page, errors } = await open(t, explore({ from: 'now-1h', to: 'now' }));
  await page.getByLabel('PromQL query').fill('explore_temperature_celsius');
  await page.getByRole('button', { name: 'Run' }).click();
  const chart = page.getByRole('img', { name: 'chart of 1 series' });
  await chart.locator('canvas').waitFor();
  await page.locator('.u-legend').getByText('explore_temperature_celsius{job="greenhouse", room="lab"}').waitFor();
  assert.match(page.url(), /query=explore_temperature_celsius/);

  await page.getByRole('button', { name: 'Table' }).click();
  const row = page.getByRole('row', { name: /explore_temperature_celsius/ });
  await row.getByRole('cell', { name: '21.5' }).waitFor();
  assert.match(page.url(), /view=table/);
  assert.deepEqual(errors, []);
});

test('a broken PromQL query shows the parse error with a caret where the result would be', async (t) => {
  const { page, errors } = await open(t, explore({}));
  const box = page.getByLabel('PromQL query');
  await box.fill('sum(rate(x[5m])');
  await box.press('Control+Enter');
  const alert = page.getByRole('alert');
  await alert.getByText(/unexpected end of input/).waitFor();
  assert.equal(await page.getByLabel('where the error is').textContent(), `sum(rate(x[5m])\n${' '.repeat(15)}^`);
  // The browser itself logs the 400 answer to the broken query; nothing else may be logged.
  assert.deepEqual(errors.filter((e) => !/status of 400/.test(e)), []);
});

test('warnings from the query API are shown with the result', async (t) => {
  const { page, errors } = await open(t, explore({ query: 'quantile(2, explore_temperature_celsius)' }));
  await page.getByRole('status').filter({ hasText: 'quantile value should be between 0 and 1' }).waitFor();
  await page.getByRole('img', { name: 'chart of 1 series' }).waitFor();
  assert.deepEqual(errors, []);
});

test('searching logs lists them; a request id pivots to exactly that request, from both streams', async (t) => {
  const { page, errors } = await open(t, explore({ from: 'now-1h' }));
  await page.getByRole('group', { name: 'Query language' }).getByRole('button', { name: 'Logs (LogQL)' }).click();
  assert.match(page.url(), /mode=logs/);
  await page.getByLabel('LogQL query').fill('{service="checkout"}');
  await page.getByRole('button', { name: 'Run' }).click();
  const lines = page.getByRole('list', { name: 'Log lines' }).getByRole('listitem');
  await page.getByText('payment declined').waitFor();
  assert.equal(await lines.count(), 4);
  assert.match((await lines.first().textContent())!, /pool resized/, 'newest first');
  assert.match((await lines.nth(1).locator('.log-severity').getAttribute('class'))!, /severity-error/);

  await lines.nth(1).getByRole('button', { name: 'Show details' }).click();
  await lines.nth(1).getByRole('cell', { name: 'checkout-b' }).waitFor();
  await lines.nth(1).getByRole('link', { name: 'req-1' }).click();
  await page.waitForFunction(() => document.querySelectorAll('.log-list > li').length === 2);
  const texts = await lines.allTextContents();
  assert.ok(texts.every((t) => t.includes('req-1')), texts.join('\n'));
  assert.ok(texts.some((t) => t.includes('payment declined')) && texts.some((t) => t.includes('cart loaded')));
  assert.equal(await page.getByLabel('LogQL query').inputValue(), '{service=~".+"} |= "req-1"');
  assert.match(page.url(), /from=now-1h/, 'the pivot keeps the time range');
  assert.deepEqual(errors, []);
});

test('a histogram of matching lines is drawn above the list', async (t) => {
  const { page, errors } = await open(t, explore({ mode: 'logs', query: '{service=~"checkout|search"}' }));
  const histogram = page.getByRole('region', { name: 'Matching lines over time' });
  await histogram.locator('canvas').waitFor();
  await histogram.locator('.u-legend').getByText('lines').waitFor();
  await page.getByText('index warmed').waitFor();
  assert.deepEqual(errors, []);
});

test('typing offers seeded metric names, labels and values; keys and clicks accept them', async (t) => {
  const { page, errors } = await open(t, explore({}));
  const box = page.getByLabel('PromQL query');
  await box.pressSequentially('explore_te');
  const option = page.getByRole('listbox').getByRole('option', { name: 'explore_temperature_celsius' });
  await option.waitFor();
  assert.equal(await option.getAttribute('aria-selected'), 'true');
  assert.equal(await box.getAttribute('aria-activedescendant'), await option.getAttribute('id'));
  await box.press('Enter');
  assert.equal(await box.inputValue(), 'explore_temperature_celsius');
  await box.pressSequentially('{ro');
  await page.getByRole('option', { name: 'room' }).waitFor();
  await box.press('Tab');
  await page.getByRole('option', { name: 'lab' }).waitFor();
  await box.press('Escape');
  assert.equal(await page.getByRole('listbox').count(), 0);
  assert.equal(await box.inputValue(), 'explore_temperature_celsius{room="');

  await page.getByRole('button', { name: 'Logs (LogQL)' }).click();
  const logBox = page.getByLabel('LogQL query');
  await logBox.pressSequentially('{serv');
  await page.getByRole('option', { name: 'service' }).waitFor();
  await logBox.press('Enter');
  await page.getByRole('option', { name: 'checkout' }).waitFor();
  await logBox.press('ArrowDown');
  await logBox.press('ArrowUp');
  await page.getByRole('option', { name: 'checkout' }).click();
  assert.equal(await logBox.inputValue(), '{service="checkout"');
  assert.deepEqual(errors, []);
});

test('at 390 px wide the query box and results fit without scrolling sideways', async (t) => {
  const { page, errors } = await open(t, explore({ mode: 'logs', query: '{service="checkout"}' }), { width: 390, height: 800 });
  const sideways = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await page.getByText('payment declined').waitFor();
  await page.getByRole('button', { name: 'Show details' }).first().click();
  assert.ok(await page.getByLabel('LogQL query').isVisible());
  assert.ok((await sideways()) <= 0, `the logs scroll ${await sideways()} px sideways`);

  await page.goto(explore({ query: 'explore_temperature_celsius' }));
  await page.locator('.u-legend').getByText('explore_temperature_celsius{job="greenhouse", room="lab"}').waitFor();
  assert.ok(await page.getByLabel('PromQL query').isVisible());
  assert.ok((await sideways()) <= 0, `the chart scrolls ${await sideways()} px sideways`);
  assert.deepEqual(errors, []);
});

test('live tail puts newly pushed lines on top until it is stopped', async (t) => {
  const { page, errors } = await open(t, explore({ mode: 'logs', query: '{service="checkout"}' }));
  await page.getByText('payment declined').waitFor();
  await page.getByRole('button', { name: 'Live tail' }).click();
  const push = (msg: string) => post('/loki/api/v1/push', { streams: [{ stream: { service: 'checkout', pod: 'checkout-a' }, values: [[ns(Date.now()), line({ severity: 'warning', msg })]] }] });
  await push('stock low');
  const lines = page.getByRole('list', { name: 'Log lines' }).getByRole('listitem');
  await lines.first().getByText('stock low').waitFor();
  assert.equal(await lines.count(), 5);

  await page.getByRole('button', { name: 'Stop live tail' }).click();
  await push('after the tail');
  await page.waitForTimeout(300);
  assert.equal(await page.getByText('after the tail').count(), 0);
  assert.deepEqual(errors, []);
});

test('when Vigil goes away, live tail and queries say so instead of going blank', async (t) => {
  const doomed = await startVigil();
  t.after(() => removeDir(doomed.dataDir));
  const { page, errors } = await open(t, `${doomed.url}/#/explore?mode=logs&query=${encodeURIComponent('{service="vigil"}')}`);
  await page.getByText('Vigil is listening').waitFor();
  await page.getByRole('button', { name: 'Live tail' }).click();
  await doomed.stop();
  await page.getByRole('alert').getByText(/^Live tail (stopped|failed)/).waitFor();

  await page.getByRole('button', { name: 'Run' }).click();
  await page.getByRole('alert').getByText('Vigil is unreachable').waitFor();
  // The browser itself logs the refused connections; nothing else may be logged.
  assert.deepEqual(errors.filter((e) => !/ERR_CONNECTION_REFUSED|WebSocket connection/.test(e)), []);
});
