/**
 * Helpers for the alerting acceptance tests: a webhook receiver that
 * records what arrives and when, a started Vigil that cleans up after the
 * test, Vigil's config around an Alertmanager routing tree, and short
 * readers for the APIs the tests check.
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { writeFileSync } from 'node:fs';
import { freePort, removeDir, startVigil, tempDir, type VigilProcess } from './vigil-process.ts';

/** The webhook payload, version 4, as Alertmanager sends it. */
export interface WebhookPayload {
  version: string;
  receiver: string;
  status: 'firing' | 'resolved';
  groupKey: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: {
    status: 'firing' | 'resolved';
    labels: Record<string, string>;
    annotations: Record<string, string>;
    startsAt: string;
    endsAt: string;
    fingerprint: string;
  }[];
}

export interface Delivery {
  /** ms since the epoch when the request arrived. */
  at: number;
  headers: IncomingHttpHeaders;
  body: WebhookPayload;
}

export interface WebhookReceiver {
  url: string;
  deliveries: Delivery[];
}

/** A webhook receiver on 127.0.0.1 answering `status` (200 unless told), closed after the test. */
export async function startWebhookReceiver(t: TestContext, status = 200): Promise<WebhookReceiver> {
  const deliveries: Delivery[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      deliveries.push({ at: Date.now(), headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookPayload });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, deliveries };
}

/** Deliveries whose alerts include a `status` one named `alertname`. */
export function deliveriesOf(receiver: WebhookReceiver, alertname: string, status: 'firing' | 'resolved'): Delivery[] {
  return receiver.deliveries.filter((d) => d.body.alerts.some((a) => a.labels.alertname === alertname && a.status === status));
}

export interface WebhookRoute {
  /** One Alertmanager matcher, e.g. `severity="page"`. */
  matcher: string;
  receiver: string;
  url: string;
}

/**
 * Vigil's config: scrapes and evaluations every second, the built-in pack
 * off unless asked, and an Alertmanager tree whose routes each send to one
 * webhook receiver (the root goes to `default`, which has no integrations).
 * `extra` is appended as top-level YAML (e.g. scrape_configs).
 */
export function vigilConfig(options: { routes: WebhookRoute[]; groupWait?: string; pack?: boolean; ruleFiles?: string[]; extra?: string }): string {
  return [
    'global:',
    '  scrape_interval: 1s',
    '  evaluation_interval: 1s',
    'rules:',
    `  pack: ${options.pack ?? false}`,
    ...(options.ruleFiles ? ['rule_files:', ...options.ruleFiles.map((f) => `  - ${f}`)] : []),
    'alertmanager:',
    '  route:',
    '    receiver: default',
    `    group_wait: ${options.groupWait ?? '0s'}`,
    '    group_interval: 1s',
    '    repeat_interval: 1h',
    '    routes:',
    ...options.routes.flatMap((r) => [`      - matchers: ['${r.matcher}']`, `        receiver: ${r.receiver}`]),
    '  receivers:',
    '    - name: default',
    ...options.routes.flatMap((r) => [`    - name: ${r.receiver}`, '      webhook_configs:', `        - url: ${r.url}`]),
    options.extra ?? '',
    '',
  ].join('\n');
}

/**
 * Vigil processes on one data dir, one at a time: `start` again after a
 * stop is a restart. After the test the running one is stopped and the
 * dir removed.
 */
export function vigilSession(t: TestContext, configYaml: string, dataDir = tempDir()): { start(): Promise<VigilProcess> } {
  let current: VigilProcess | undefined;
  t.after(async () => {
    if (current && current.child.exitCode === null && current.child.signalCode === null) await stopWithin(t, current, 10_000);
    removeDir(dataDir);
  });
  return {
    async start() {
      current = await startVigil({ configYaml, dataDir });
      return current;
    },
  };
}

/** SIGTERM, then SIGKILL if Vigil has not shut down within `ms` (said in the test's diagnostics). */
async function stopWithin(t: TestContext, vigil: VigilProcess, ms: number): Promise<void> {
  const timer = setTimeout(() => {
    t.diagnostic(`vigil did not stop within ${ms} ms of SIGTERM; killed. Its last lines:\n${vigil.output.slice(-20).join('\n')}`);
    vigil.child.kill('SIGKILL');
  }, ms);
  await vigil.stop();
  clearTimeout(timer);
}

export function startVigilFor(t: TestContext, configYaml: string): Promise<VigilProcess> {
  return vigilSession(t, configYaml).start();
}

export async function getJson<T = any>(url: string): Promise<T> {
  const response = await fetch(url);
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

export interface LedgerEntry {
  at: string;
  kind: string;
  action: string;
  receiver?: string;
  fingerprint?: string;
  detail: any;
}

export async function ledger(vigilUrl: string, kind: 'alert' | 'notification' | 'silence'): Promise<LedgerEntry[]> {
  return (await getJson<{ data: LedgerEntry[] }>(`${vigilUrl}/vigil/api/v1/ledger?kind=${kind}`)).data;
}

/** The alerts Vigil's own rules hold, as GET /api/v1/alerts lists them. */
export async function ruleAlerts(vigilUrl: string): Promise<{ labels: Record<string, string>; state: string; activeAt: string }[]> {
  return (await getJson(`${vigilUrl}/api/v1/alerts`)).data.alerts;
}

/**
 * Debian's Prometheus with `prometheusYaml` (and files beside it) and
 * `flags`, killed after the test. It re-sends firing alerts every second:
 * its first send can race its Alertmanager discovery and be dropped, and
 * the default resend delay (1m) would then hold the alert back for a minute.
 */
export async function startPrometheus(t: Pick<TestContext, 'after'>, prometheusYaml: string, files: Record<string, string> = {}, flags: string[] = []): Promise<string> {
  const dir = tempDir('vigil-prom-');
  writeFileSync(join(dir, 'prometheus.yml'), prometheusYaml);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const port = await freePort();
  const prometheus = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--rules.alert.resend-delay=1s',
      ...flags,
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => prometheus.once('exit', () => resolve()));
  t.after(async () => {
    prometheus.kill('SIGKILL');
    await exited;
    removeDir(dir);
  });
  return `http://127.0.0.1:${port}`;
}
