/**
 * `npm run demo`: Vigil with the demo config, the example telephony backend
 * shipping its logs to Vigil, its load script, and a local webhook receiver
 * that prints each notification. Within a minute the dashboards have data;
 * after a few minutes the badly signed Twilio webhooks in the load fire the
 * pack's WebhookSignatureFailures alert, which shows up in the Alerts page
 * and at the receiver. Ctrl-C stops everything.
 *
 * Ports (env): VIGIL_PORT 9700, APP_PORT 3000 (and 3001 for its calendar),
 * WEBHOOK_PORT 9799. Data in DEMO_DATA_DIR (default ./data-demo).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const env = {
  ...process.env,
  VIGIL_PORT: process.env.VIGIL_PORT ?? '9700',
  APP_PORT: process.env.APP_PORT ?? '3000',
  WEBHOOK_PORT: process.env.WEBHOOK_PORT ?? '9799',
  DEMO_DATA_DIR: resolve(process.env.DEMO_DATA_DIR ?? 'data-demo'),
};
const vigilUrl = `http://127.0.0.1:${env.VIGIL_PORT}`;
const appUrl = `http://127.0.0.1:${env.APP_PORT}`;
const children: ChildProcess[] = [];

function start(name: string, args: string[], extraEnv: Record<string, string> = {}, quiet = true): ChildProcess {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...env, ...extraEnv }, stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit'] });
  child.once('exit', (code, signal) => {
    if (!stopping) console.error(`demo: ${name} exited (${signal ?? code}); stopping`);
    void stop();
  });
  children.push(child);
  return child;
}

async function waitFor(url: string, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not start at ${url}`);
}

function startWebhookReceiver(): Promise<void> {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      response.end('ok');
      try {
        const payload = JSON.parse(body) as { status: string; receiver: string; alerts: { labels: Record<string, string>; annotations: Record<string, string> }[] };
        for (const alert of payload.alerts) {
          console.log(`webhook ← [${payload.status.toUpperCase()}] ${alert.labels.alertname} (${alert.labels.severity ?? 'no severity'}): ${alert.annotations.summary ?? ''}`);
        }
      } catch {
        console.log(`webhook ← ${body.slice(0, 200)}`);
      }
    });
  });
  return new Promise<void>((ready) => server.listen(Number(env.WEBHOOK_PORT), '127.0.0.1', () => ready())).then(() => {
    server.unref();
  });
}

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(0), 3000).unref();
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
// however the demo ends, it leaves no server behind
process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')));

await startWebhookReceiver();
start('vigil', ['packages/server/bin/vigil.js', 'start', '--config', 'examples/demo/vigil.demo.yml']);
await waitFor(`${vigilUrl}/ready`, 'Vigil');
start('app', ['--import', 'tsx', 'examples/telephony-backend/src/main.ts'], { PORT: env.APP_PORT, VIGIL_URL: vigilUrl });
await waitFor(`${appUrl}/health`, 'the example app');
start('load', ['--import', 'tsx', 'examples/telephony-backend/src/load.ts', '--url', appUrl, '--seconds', '86400', '--rps', '20']);
console.log(`Vigil demo running:
  UI              ${vigilUrl}/   (Dashboards → Service overview, Security, Vigil; Alerts in a few minutes)
  example app     ${appUrl}/     (load: 20 requests/s with some failures)
  webhook         http://127.0.0.1:${env.WEBHOOK_PORT}/alerts (notifications are printed below)
Ctrl-C stops everything. Data: ${env.DEMO_DATA_DIR}`);
