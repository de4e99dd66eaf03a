/**
 * Screenshots of the UI's main pages for the README, taken from the running
 * demo: starts `npm run demo`'s script on spare ports, waits until the pack's
 * WebhookSignatureFailures alert fires (a few minutes), then saves PNGs
 * (1280×800) to docs/screenshots/.
 *
 *   node --import tsx examples/demo/screenshots.ts
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../../packages/ui/test/browser-kit.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const out = `${root}docs/screenshots/`;
const dataDir = `${root}.tmp/demo-screenshots`;
const vigil = 'http://127.0.0.1:9760';
rmSync(dataDir, { recursive: true, force: true });
const demo = spawn(process.execPath, ['--import', 'tsx', 'examples/demo/demo.ts'], {
  cwd: root,
  env: { ...process.env, VIGIL_PORT: '9760', APP_PORT: '3060', WEBHOOK_PORT: '9761', DEMO_DATA_DIR: dataDir },
  stdio: ['ignore', 'inherit', 'inherit'],
});
process.on('exit', () => demo.kill('SIGTERM'));

async function firing(): Promise<boolean> {
  try {
    const alerts = (await (await fetch(`${vigil}/api/v2/alerts`)).json()) as { labels: Record<string, string> }[];
    return alerts.some((a) => a.labels.alertname === 'WebhookSignatureFailures');
  } catch {
    return false;
  }
}

const deadline = Date.now() + 10 * 60_000;
while (!(await firing())) {
  if (Date.now() > deadline) throw new Error('no alert fired within 10 minutes');
  await new Promise((r) => setTimeout(r, 5000));
}
mkdirSync(out, { recursive: true });
const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const shots: [string, string, () => Promise<void>][] = [
  ['explore-metrics', `#/explore?mode=metrics&query=${encodeURIComponent('sum by (route) (rate(http_requests_total[1m]))')}&from=now-15m&to=now`, () => page.locator('.u-legend').first().waitFor()],
  ['explore-logs', `#/explore?mode=logs&query=${encodeURIComponent('{service="telephony-backend"}')}&from=now-15m&to=now`, () => page.getByRole('list', { name: 'Log lines' }).waitFor()],
  ['dashboard-service-overview', '#/dashboards/service-overview?from=now-15m&to=now', () => settled()],
  ['dashboard-security', '#/dashboards/security?from=now-15m&to=now', () => settled()],
  ['alerts', '#/alerts', () => page.getByText('WebhookSignatureFailures').first().waitFor()],
  ['silences', '#/silences?new=1&matcher=alertname%3D%22WebhookSignatureFailures%22&duration=2h', () => page.getByRole('heading').first().waitFor()],
  ['rules', '#/rules', () => page.getByText('WebhookSignatureFailures').first().waitFor()],
];
async function settled(): Promise<void> {
  await page.waitForFunction(() => document.querySelectorAll('.dash-panel').length > 0 && document.querySelectorAll('.dash-panel[data-state="loading"]').length === 0);
}
for (const [name, hash, ready] of shots) {
  await page.goto(`${vigil}/${hash}`);
  await page.waitForLoadState('networkidle');
  await ready().catch((err: Error) => console.error(`${name}: ${err.message.split('\n')[0]}; saving what shows`));
  await page.waitForTimeout(500); // charts draw after the data arrives
  await page.screenshot({ path: `${out}${name}.png` });
  console.log(`saved docs/screenshots/${name}.png`);
}
await browser.close();
demo.kill('SIGTERM');
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
